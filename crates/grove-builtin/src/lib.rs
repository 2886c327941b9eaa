//! The built-in model: `wine-quality`, the tutorial's `RandomForestClassifier(n_estimators=10,
//! random_state=42)` on the Wine Quality data, exactly as `grove train wine` makes it.
//!
//! The `.grove` file is embedded in the binary, so `grove serve` and the Lambda function answer
//! with no model file at all. `grove-cli`'s tests retrain it from the shipped data and compare
//! every array, so the file in `models/` cannot drift from what the trainer makes.
//! It depends only on the model and format crates.

use grove_forest::Forest;
use grove_format::FormatError;

/// The built-in model's name, as the tutorial names its function.
pub const WINE_QUALITY: &str = "wine-quality";

/// The embedded `.grove` bytes of the wine model.
pub const WINE_QUALITY_GROVE: &[u8] = include_bytes!("../models/wine-quality.grove");

/// Loads the built-in wine model.
pub fn wine_quality() -> Result<Forest, FormatError> {
    grove_format::from_bytes(WINE_QUALITY_GROVE)
}

/// A built-in model by name, if there is one.
pub fn by_name(name: &str) -> Option<Result<Forest, FormatError>> {
    bytes_by_name(name).map(grove_format::from_bytes)
}

/// The embedded `.grove` bytes of a built-in model, by name.
pub fn bytes_by_name(name: &str) -> Option<&'static [u8]> {
    (name == WINE_QUALITY).then_some(WINE_QUALITY_GROVE)
}
