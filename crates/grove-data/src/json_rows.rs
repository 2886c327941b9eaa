//! Rows given as JSON objects `{feature: value}`, the tutorial's shape.

use grove_forest::{to_model_input, Schema};
use serde_json::{Map, Value};

use crate::DataError;

/// Whether the JSON held one row or a list of rows, so the answer can keep the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowsShape {
    /// A single object: answer with a single value.
    One,
    /// A list of objects: answer with a list.
    Many,
}

/// Appends one row to `out`: each schema feature looked up by name; a number is narrowed to
/// float32, a boolean is 0 or 1 (the tutorial sends `"is_red": false`), `null` is missing (NaN).
/// Keys the model does not know are ignored (the tutorial also sends `quality`).
pub fn push_object_row(
    object: &Map<String, Value>,
    schema: &Schema,
    row: Option<usize>,
    out: &mut Vec<f32>,
) -> Result<(), DataError> {
    for feature in &schema.features {
        let at = |problem: String| DataError::BadValue { row, feature: feature.clone(), problem };
        let value = object.get(feature).ok_or_else(|| at("missing".into()))?;
        out.push(json_input(value).map_err(at)?);
    }
    Ok(())
}

/// One JSON value as a model input: a number narrowed to float32 (refusing what float32 cannot
/// hold), a boolean as 0 or 1, `null` as missing (NaN). Anything else is refused.
pub fn json_input(value: &Value) -> Result<f32, String> {
    match value {
        Value::Null => Ok(f32::NAN),
        Value::Bool(b) => Ok(f32::from(u8::from(*b))),
        Value::Number(n) => {
            let v = n.as_f64().ok_or_else(|| format!("{n} is not a representable number"))?;
            to_model_input(v).map_err(str::to_string)
        }
        other => Err(format!("expected a number, got {}", json_type(other))),
    }
}

/// The JSON type name of a value, for messages.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        Schema {
            features: vec!["a".into(), "is_red".into()],
            target: "q".into(),
            feature_ranges: None,
        }
    }

    fn row(v: Value, at: Option<usize>) -> Result<Vec<f32>, String> {
        let mut out = Vec::new();
        push_object_row(v.as_object().unwrap(), &schema(), at, &mut out)
            .map(|()| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn booleans_nulls_and_unknown_keys() {
        assert_eq!(
            row(json!({"a": 7.0, "is_red": false, "quality": 6.0}), None),
            Ok(vec![7.0, 0.0])
        );
        let r = row(json!({"a": null, "is_red": true}), Some(0)).unwrap();
        assert!(r[0].is_nan() && r[1] == 1.0);
    }

    #[test]
    fn errors_name_the_row_and_feature() {
        assert_eq!(row(json!({"a": 1}), None), Err("feature `is_red`: missing".into()));
        assert_eq!(
            row(json!({"a": "x", "is_red": 0}), Some(1)),
            Err("row 1, feature `a`: expected a number, got a string".into())
        );
        assert_eq!(
            row(json!({"a": 1e300, "is_red": 0}), None),
            Err("feature `a`: the value is too large for float32, which the model computes in"
                .into())
        );
    }
}
