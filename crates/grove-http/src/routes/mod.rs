pub mod ops;
pub mod predict;
pub mod v2;
