pub mod admin;
pub mod model;
pub mod ops;
pub mod predict;
pub mod v2;
pub mod web;
