//! The crate's one error type: every problem with a table or a row, naming file, line and
//! column (or row and feature).

use thiserror::Error;

/// What can be wrong with a table or a row, always saying where.
#[derive(Debug, Error)]
pub enum DataError {
    /// The file could not be read.
    #[error("{source_name}: {error}")]
    Io {
        /// The file (or `-` for standard input).
        source_name: String,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The CSV reader failed (bad quoting, a short record, invalid UTF-8).
    #[error("{source_name}: {message}")]
    Csv {
        /// The file.
        source_name: String,
        /// What the CSV reader said, with its line.
        message: String,
    },
    /// A required column is not in the header.
    #[error("{source_name}: no column `{column}` in the header (columns: {available})")]
    MissingColumn {
        /// The file.
        source_name: String,
        /// The column that was needed.
        column: String,
        /// The columns that are there.
        available: String,
    },
    /// A cell that is not what its column needs.
    #[error("{source_name}, line {line}, column `{column}`: {problem}")]
    BadCell {
        /// The file.
        source_name: String,
        /// 1-based line number in the file (the header is line 1).
        line: u64,
        /// The column's name.
        column: String,
        /// What is wrong, quoting the value.
        problem: String,
    },
    /// A value in a JSON row that cannot feed the model.
    #[error("{}feature `{feature}`: {problem}", row.map(|r| format!("row {r}, ")).unwrap_or_default())]
    BadValue {
        /// The row's index when there are several rows.
        row: Option<usize>,
        /// The feature's name.
        feature: String,
        /// What is wrong.
        problem: String,
    },
    /// JSON rows of the wrong shape (not an object, an empty list).
    #[error("{}{problem}", row.map(|r| format!("row {r}: ")).unwrap_or_default())]
    BadRows {
        /// The row's index, when one row is at fault.
        row: Option<usize>,
        /// What is wrong.
        problem: String,
    },
    /// Two tables that must agree do not.
    #[error("{0}")]
    Mismatch(String),
    /// The table has no rows.
    #[error("{source_name}: no data rows")]
    Empty {
        /// The file.
        source_name: String,
    },
}
