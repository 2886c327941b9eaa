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

/// The tutorial's request body, one white wine: `{"values": {"fixed_acidity": 7.0, …}}`, as
/// `examples/tutorial-body.json` holds it (the tutorial sends a `quality` column too, which the
/// model ignores).
pub const TUTORIAL_BODY: &str = include_str!("../../../examples/tutorial-body.json");

/// The tutorial's wine as (feature, value) pairs in the model's feature order (`is_red` false
/// is 0), so a form or a default request can open on the row the tutorial sends.
pub const TUTORIAL_ROW: [(&str, f64); 12] = [
    ("fixed_acidity", 7.0),
    ("volatile_acidity", 0.27),
    ("citric_acid", 0.36),
    ("residual_sugar", 20.7),
    ("chlorides", 0.045),
    ("free_sulfur_dioxide", 45.0),
    ("total_sulfur_dioxide", 170.0),
    ("density", 1.001),
    ("pH", 3.0),
    ("sulphates", 0.45),
    ("alcohol", 8.8),
    ("is_red", 0.0),
];

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded file is what today's writer makes of the model it holds, so the `.grove`
    /// header's types (in `grove-format`) still spell the file as it was written.
    #[test]
    fn the_embedded_file_is_what_the_writer_makes_of_it() {
        let forest = wine_quality().expect("the built-in loads");
        assert!(grove_format::to_bytes(&forest) == WINE_QUALITY_GROVE, "the writer's bytes moved");
    }

    #[test]
    fn the_tutorial_body_and_row_agree_with_the_model() {
        let body: serde_json::Value = serde_json::from_str(TUTORIAL_BODY).unwrap();
        let values = body["values"].as_object().unwrap();
        let model = wine_quality().unwrap();
        let names: Vec<&str> = model.schema().features.iter().map(String::as_str).collect();
        let row: Vec<&str> = TUTORIAL_ROW.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, row);
        for (name, value) in TUTORIAL_ROW {
            let given = &values[name];
            let given = given.as_f64().or(given.as_bool().map(f64::from)).unwrap();
            assert_eq!(given, value, "{name}");
        }
    }
}
