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
        let value = match object.get(feature) {
            None => return Err(at("missing".into())),
            Some(Value::Null) => f32::NAN,
            Some(Value::Bool(b)) => f32::from(u8::from(*b)),
            Some(Value::Number(n)) => {
                let v =
                    n.as_f64().ok_or_else(|| at(format!("{n} is not a representable number")))?;
                to_model_input(v).map_err(|e| at(e.into()))?
            }
            Some(other) => {
                return Err(at(format!("expected a number, got {}", json_type(other))));
            }
        };
        out.push(value);
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

/// Reads one object or a list of objects as model rows.
pub fn rows_from_json(value: &Value, schema: &Schema) -> Result<(Vec<f32>, RowsShape), DataError> {
    let mut out = Vec::new();
    match value {
        Value::Object(o) => {
            push_object_row(o, schema, None, &mut out)?;
            Ok((out, RowsShape::One))
        }
        Value::Array(items) => {
            if items.is_empty() {
                return Err(DataError::BadRows {
                    row: None,
                    problem: "the list of rows is empty".into(),
                });
            }
            out.reserve(items.len() * schema.features.len());
            for (i, item) in items.iter().enumerate() {
                let Value::Object(o) = item else {
                    return Err(DataError::BadRows {
                        row: Some(i),
                        problem: format!("expected an object of features, got {}", json_type(item)),
                    });
                };
                push_object_row(o, schema, Some(i), &mut out)?;
            }
            Ok((out, RowsShape::Many))
        }
        other => Err(DataError::BadRows {
            row: None,
            problem: format!("expected an object or a list of objects, got {}", json_type(other)),
        }),
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

    #[test]
    fn booleans_nulls_and_unknown_keys() {
        let (rows, shape) =
            rows_from_json(&json!({"a": 7.0, "is_red": false, "quality": 6.0}), &schema()).unwrap();
        assert_eq!((rows, shape), (vec![7.0, 0.0], RowsShape::One));
        let (rows, shape) =
            rows_from_json(&json!([{"a": null, "is_red": true}]), &schema()).unwrap();
        assert!(rows[0].is_nan() && rows[1] == 1.0 && shape == RowsShape::Many);
    }

    #[test]
    fn errors_name_the_row_and_feature() {
        let e = |v| rows_from_json(&v, &schema()).unwrap_err().to_string();
        assert_eq!(e(json!({"a": 1})), "feature `is_red`: missing");
        assert_eq!(
            e(json!([{"a": 1, "is_red": 0}, {"a": "x", "is_red": 0}])),
            "row 1, feature `a`: expected a number, got a string"
        );
        assert_eq!(e(json!([])), "the list of rows is empty");
        assert_eq!(
            e(json!({"a": 1e300, "is_red": 0})),
            "feature `a`: the value is too large for float32, which the model computes in"
        );
    }
}
