//! Tables in and out of grove: CSV files and JSON rows matched to a model's schema by feature
//! name, training sets with typed labels, and the tutorial's Wine Quality recipe.
//!
//! It owns parsing and locating bad cells (file, line, column, feature); it must not depend on
//! anything async, HTTP or AWS, and knows nothing of trees beyond [`grove_forest::Schema`].

mod dataset;
mod error;
mod json_rows;
mod table;
pub mod wine;

pub use dataset::{classes_from_cells, Dataset, Target};
pub use error::DataError;
pub use json_rows::{json_input, json_type, push_object_row, RowsShape};
pub use table::{detect_separator, Table};
