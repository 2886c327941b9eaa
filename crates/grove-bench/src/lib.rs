//! Shared set-up for grove's benchmarks: the wine rows as the model reads them.
//!
//! `cargo bench -p grove-bench` runs criterion over single-row and 6497-row prediction,
//! training the tutorial's forest and loading a `.grove` file. Comparisons against peers
//! (sklearn, ONNX Runtime, FastAPI) live in the peer benchmark, which measures them in the same
//! run. This crate is never linked into a shipped binary.

use grove_data::Dataset;

/// The 6497 wine rows, narrowed to float32 as the model reads them, row-major.
pub fn wine_rows(data: &Dataset) -> Vec<f32> {
    data.x.iter().map(|&v| v as f32).collect()
}
