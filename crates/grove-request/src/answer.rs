//! Predicting a decoded request and shaping the answer the caller's layout expects.

use grove_data::RowsShape;
use grove_forest::{Forest, Label, Predictions};
use serde_json::{json, Map, Value};

use crate::{Layout, PredictInput, RequestError, ServedModel};

/// A label as JSON of its own type: `6`, not `6.0` or `"6"`.
pub fn label_json(label: Label<'_>) -> Value {
    match label {
        Label::Int(v) => json!(v),
        Label::Float(v) => json!(v),
        Label::Str(s) => json!(s),
        Label::Bool(b) => json!(b),
    }
}

/// Everything the model said about a batch: one JSON value per row, and the class
/// probabilities when asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    /// Per row: the label (typed as the model's classes) or the regression value.
    pub predictions: Vec<Value>,
    /// Per row, per class (in class order), when asked for and the model is a classifier.
    pub probabilities: Option<Vec<f64>>,
    /// The number of classes (0 for a regressor).
    pub n_classes: usize,
}

/// Runs the model on rows already in its feature order. `field_of(row, feature)` names a
/// value's request field when the model refuses it (NaN for a model without missing-value
/// support).
pub fn run(
    forest: &Forest,
    rows: &[f32],
    proba: bool,
    field_of: &dyn Fn(usize, &str) -> String,
) -> Result<Outputs, RequestError> {
    let model_error = |e: grove_forest::ForestError| match e {
        grove_forest::ForestError::BadValue { row, feature, problem } => RequestError::invalid(
            field_of(row, &feature),
            format!("feature `{feature}`: {problem}"),
        ),
        other => RequestError::invalid("rows", other.to_string()),
    };
    if proba && forest.classes().is_none() {
        return Err(RequestError::invalid(
            "proba",
            "this model is a regressor: it has no class probabilities",
        ));
    }
    let (predictions, probabilities) = if proba {
        forest.predict_with_proba(rows).map_err(model_error)?
    } else {
        (forest.predict(rows).map_err(model_error)?, None)
    };
    let predictions = match predictions {
        Predictions::Classes(c) => {
            let labels = forest.classes();
            c.iter()
                .map(|&i| labels.and_then(|l| l.get(i as usize)).map_or(Value::Null, label_json))
                .collect()
        }
        Predictions::Values(v) => v.into_iter().map(|x| json!(x)).collect(),
    };
    Ok(Outputs { predictions, probabilities, n_classes: forest.classes().map_or(0, |l| l.len()) })
}

/// Answers a predict request in the layout it came in.
pub fn answer(model: &ServedModel, input: &PredictInput) -> Result<Value, RequestError> {
    let forest = &model.forest;
    let out =
        run(forest, &input.rows, input.proba, &|row, feature| input.value_field(row, feature))?;
    let proba_maps: Option<Vec<Value>> =
        out.probabilities.as_ref().zip(forest.classes()).map(|(p, labels)| {
            p.chunks_exact(out.n_classes.max(1))
                .map(|row| {
                    let m: Map<String, Value> =
                        labels.iter().zip(row).map(|(l, v)| (l.to_string(), json!(v))).collect();
                    Value::Object(m)
                })
                .collect()
        });
    let mut answer = Map::new();
    let key = match input.layout {
        Layout::Values => forest.schema().target.clone(),
        Layout::Predictions => "predictions".to_string(),
    };
    match (input.shape, input.layout) {
        (RowsShape::One, Layout::Values) => {
            answer.insert(key, out.predictions.into_iter().next().unwrap_or(Value::Null));
            if let Some(maps) = proba_maps {
                answer
                    .insert("probabilities".into(), maps.into_iter().next().unwrap_or(Value::Null));
            }
        }
        _ => {
            answer.insert(key, Value::Array(out.predictions));
            if let Some(maps) = proba_maps {
                answer.insert("probabilities".into(), Value::Array(maps));
            }
        }
    }
    Ok(Value::Object(answer))
}
