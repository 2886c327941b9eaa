//! The Open Inference Protocol (V2), as KServe, MLServer and Triton speak it: server and
//! model metadata, and `infer` with one FP64 input per feature or one `[n, n_features]`
//! tensor. Every answer is a typed document ([`ServerMetadata`], [`ModelMetadata`],
//! [`ModelReady`], [`InferResponse`]) whose field names are the protocol's.

use grove_forest::{Labels, Task};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{
    answer::run,
    input::{check_rows, parse_json},
    Limits, RequestError, ServedModel,
};

/// The names of the two outputs a model offers.
pub const PREDICT: &str = "predict";
/// Class probabilities, `[n, n_classes]`.
pub const PREDICT_PROBA: &str = "predict_proba";

/// The HTTP status of an error on a V2 route: the protocol answers bad requests with 400.
pub fn status(error: &RequestError) -> u16 {
    match error.status() {
        422 => 400,
        other => other,
    }
}

/// `GET /v2`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerMetadata {
    /// `grove`.
    pub name: &'static str,
    /// grove's version.
    pub version: &'static str,
    /// Protocol extensions supported: none.
    pub extensions: Vec<&'static str>,
}

/// `GET /v2`.
pub fn server_metadata() -> ServerMetadata {
    ServerMetadata { name: "grove", version: env!("CARGO_PKG_VERSION"), extensions: Vec::new() }
}

/// `GET /v2/health/live`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Live {
    /// Always true: a server that answers is live.
    pub live: bool,
}

/// `GET /v2/health/ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ready {
    /// Always true: the model is loaded before the server listens.
    pub ready: bool,
}

/// One input or output of [`ModelMetadata`]; `-1` in `shape` is any length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TensorMetadata {
    /// A feature's name, or `predict` / `predict_proba`.
    pub name: String,
    /// The protocol's datatype name (`FP64`, `INT64`, `BYTES`, `BOOL`).
    pub datatype: &'static str,
    /// Dimensions; `-1` is any length.
    pub shape: Vec<i64>,
}

/// `GET /v2/models/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelMetadata {
    /// The served model's name.
    pub name: String,
    /// The one version served.
    pub versions: Vec<String>,
    /// `grove`.
    pub platform: &'static str,
    /// One FP64 input of shape `[-1]` per feature.
    pub inputs: Vec<TensorMetadata>,
    /// `predict`, and `predict_proba` for a classifier.
    pub outputs: Vec<TensorMetadata>,
}

/// `GET /v2/models/{name}/ready`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelReady {
    /// The served model's name.
    pub name: String,
    /// Always true: the served model is ready.
    pub ready: bool,
}

/// `POST /v2/models/{name}/infer`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InferResponse {
    /// The served model's name.
    pub model_name: String,
    /// The version that answered.
    pub model_version: String,
    /// The request's `id`, echoed when it sent one (whatever JSON it was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    /// The outputs asked for (`predict` when none were named), in the order asked.
    pub outputs: Vec<OutputTensor>,
}

/// One output of [`InferResponse`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputTensor {
    /// `predict` or `predict_proba`.
    pub name: &'static str,
    /// `predict`'s datatype follows the labels; `predict_proba` is `FP64`.
    pub datatype: &'static str,
    /// `[n]` for `predict`, `[n, n_classes]` for `predict_proba`.
    pub shape: Vec<usize>,
    /// The elements, row-major.
    pub data: OutputData,
}

/// An output's elements, flattened in row-major order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OutputData {
    /// `predict`: labels typed as the model's classes, or regression values.
    Predictions(Vec<Value>),
    /// `predict_proba`.
    Probabilities(Vec<f64>),
}

impl InferResponse {
    /// The rows answered.
    pub fn rows(&self) -> usize {
        self.outputs.first().and_then(|o| o.shape.first()).copied().unwrap_or(0)
    }
}

/// Checks that `name` (and `version`, when given) is the served model: 404 otherwise.
pub fn check_model(
    model: &ServedModel,
    name: &str,
    version: Option<&str>,
) -> Result<(), RequestError> {
    if name != model.name() {
        return Err(RequestError::NotFound {
            message: format!("no model `{name}` here; this server serves `{}`", model.name()),
        });
    }
    match version {
        Some(v) if v != model.version => Err(RequestError::NotFound {
            message: format!(
                "model `{name}` has no version `{v}`; the served version is `{}`",
                model.version
            ),
        }),
        _ => Ok(()),
    }
}

fn predict_datatype(model: &ServedModel) -> &'static str {
    match &model.forest.parts().task {
        Task::Classifier { classes: Labels::Int(_) } => "INT64",
        Task::Classifier { classes: Labels::Str(_) } => "BYTES",
        Task::Classifier { classes: Labels::Bool(_) } => "BOOL",
        Task::Classifier { classes: Labels::Float(_) } | Task::Regressor => "FP64",
    }
}

/// `GET /v2/models/{name}`: one FP64 input of shape `[-1]` per feature, and the outputs.
pub fn model_metadata(model: &ServedModel) -> ModelMetadata {
    let tensor =
        |name: &str, datatype, shape| TensorMetadata { name: name.into(), datatype, shape };
    let inputs =
        model.forest.schema().features.iter().map(|f| tensor(f, "FP64", vec![-1])).collect();
    let mut outputs = vec![tensor(PREDICT, predict_datatype(model), vec![-1])];
    if let Some(classes) = model.forest.classes() {
        outputs.push(tensor(PREDICT_PROBA, "FP64", vec![-1, classes.len() as i64]));
    }
    ModelMetadata {
        name: model.name().to_string(),
        versions: vec![model.version.clone()],
        platform: "grove",
        inputs,
        outputs,
    }
}

/// `GET /v2/models/{name}/ready`.
pub fn model_ready(model: &ServedModel) -> ModelReady {
    ModelReady { name: model.name().to_string(), ready: true }
}

const NUMERIC: [&str; 11] = [
    "FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32",
    "UINT64",
];

/// One input tensor, flattened.
struct Tensor {
    name: String,
    shape: Vec<usize>,
    data: Vec<f32>,
}

fn str_field<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a str, RequestError> {
    o.get(key).and_then(Value::as_str).ok_or_else(|| {
        RequestError::bad(format!("{at}.{key}"), format!("`{key}` must be a string"))
    })
}

fn flatten(
    v: &Value,
    datatype: &str,
    at: &str,
    out: &mut Vec<f32>,
    depth: usize,
) -> Result<(), RequestError> {
    match v {
        Value::Array(items) if depth < 8 => {
            for item in items {
                flatten(item, datatype, at, out, depth + 1)?;
            }
            Ok(())
        }
        Value::Array(_) => Err(RequestError::bad(at, "data is nested too deeply")),
        other => {
            let element = |p: String| RequestError::bad(at, format!("element {}: {p}", out.len()));
            fits_datatype(other, datatype).map_err(element)?;
            let x = grove_data::json_input(other).map_err(element)?;
            out.push(x);
            Ok(())
        }
    }
}

/// Whether a JSON element is a value of the declared datatype (`null` is missing in any).
fn fits_datatype(v: &Value, datatype: &str) -> Result<(), String> {
    let integral = |n: &serde_json::Number| n.is_i64() || n.is_u64();
    let ok = match (datatype, v) {
        (_, Value::Null) => true,
        ("BOOL", Value::Bool(_)) => true,
        ("BOOL", _) => false,
        (d, Value::Number(n)) if d.starts_with("UINT") => n.is_u64(),
        (d, Value::Number(n)) if d.starts_with("INT") => integral(n),
        (_, Value::Number(_)) => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{v} is not a {datatype} value"))
    }
}

fn tensor(i: usize, v: &Value, limits: &Limits) -> Result<Tensor, RequestError> {
    let at = format!("inputs[{i}]");
    let Value::Object(o) = v else {
        return Err(RequestError::bad(at, "an input must be an object"));
    };
    let name = str_field(o, "name", &at)?.to_string();
    let datatype = str_field(o, "datatype", &at)?;
    if !NUMERIC.contains(&datatype) && datatype != "BOOL" {
        return Err(RequestError::bad(
            format!("{at}.datatype"),
            format!("input `{name}` has datatype {datatype}; features are numbers (FP32, FP64, INT*, UINT*, BOOL)"),
        ));
    }
    let shape: Vec<usize> = match o.get("shape") {
        Some(Value::Array(dims)) => dims
            .iter()
            .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                RequestError::bad(format!("{at}.shape"), "the shape must be non-negative integers")
            })?,
        _ => {
            return Err(RequestError::bad(
                format!("{at}.shape"),
                "`shape` must be a list of integers",
            ))
        }
    };
    let count = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    match count {
        Some(c) if c <= limits.max_rows.saturating_mul(1024) => {}
        _ => {
            return Err(RequestError::bad(
                format!("{at}.shape"),
                format!("the shape {shape:?} is too large"),
            ))
        }
    }
    let data_value = match o.get("data") {
        Some(v @ Value::Array(_)) => v,
        _ => {
            return Err(RequestError::bad(
                format!("{at}.data"),
                format!("input `{name}`: `data` must be a list"),
            ))
        }
    };
    let mut data = Vec::new();
    flatten(data_value, datatype, &format!("{at}.data"), &mut data, 0)?;
    if Some(data.len()) != count {
        return Err(RequestError::bad(
            format!("{at}.data"),
            format!(
                "input `{name}` has {} elements, but its shape {shape:?} needs {}",
                data.len(),
                count.unwrap_or(0)
            ),
        ));
    }
    Ok(Tensor { name, shape, data })
}

/// Rows from the inputs: one `[n, n_features]` tensor, or one `[n]` / `[n, 1]` per feature.
fn rows_from(
    tensors: &[Tensor],
    model: &ServedModel,
    limits: &Limits,
) -> Result<(Vec<f32>, usize), RequestError> {
    let features = &model.forest.schema().features;
    let width = features.len();
    if let [t] = tensors {
        if t.shape.len() == 2 && t.shape[1] == width && !(width == 1 && features[0] == t.name) {
            check_rows("inputs", t.shape[0], limits)?;
            return Ok((t.data.clone(), t.shape[0]));
        }
    }
    let mut by_feature: Vec<Option<&Tensor>> = vec![None; width];
    for (i, t) in tensors.iter().enumerate() {
        let Some(f) = features.iter().position(|f| *f == t.name) else {
            return Err(RequestError::bad(
                format!("inputs[{i}].name"),
                format!(
                    "`{}` is not a feature of `{}`: send one input per feature ({}) or one [n, {width}] tensor",
                    t.name,
                    model.name(),
                    features.join(", ")
                ),
            ));
        };
        let column = t.shape.len() == 1 || (t.shape.len() == 2 && t.shape[1] == 1);
        if !column {
            return Err(RequestError::bad(
                format!("inputs[{i}].shape"),
                format!("input `{}` must have shape [n] or [n, 1]", t.name),
            ));
        }
        if by_feature[f].is_some() {
            return Err(RequestError::bad(
                format!("inputs[{i}].name"),
                format!("input `{}` is given twice", t.name),
            ));
        }
        by_feature[f] = Some(t);
    }
    let columns: Vec<&Tensor> = by_feature
        .iter()
        .zip(features)
        .map(|(t, f)| {
            t.ok_or_else(|| RequestError::bad("inputs", format!("no input for feature `{f}`")))
        })
        .collect::<Result<_, _>>()?;
    let n = columns[0].data.len();
    if let Some(t) = columns.iter().find(|t| t.data.len() != n) {
        return Err(RequestError::bad(
            "inputs",
            format!("input `{}` has {} rows, others have {n}", t.name, t.data.len()),
        ));
    }
    check_rows("inputs", n, limits)?;
    let mut rows = Vec::with_capacity(n * width);
    for r in 0..n {
        rows.extend(columns.iter().map(|t| t.data[r]));
    }
    Ok((rows, n))
}

/// `POST /v2/models/{name}/infer`.
pub fn infer(
    model: &ServedModel,
    body: &[u8],
    limits: &Limits,
) -> Result<InferResponse, RequestError> {
    if body.len() > limits.max_body_bytes {
        return Err(RequestError::BodyTooLarge { limit: limits.max_body_bytes });
    }
    let Value::Object(request) = parse_json(body)? else {
        return Err(RequestError::bad("body", "an inference request is a JSON object"));
    };
    let Some(Value::Array(inputs)) = request.get("inputs") else {
        return Err(RequestError::bad("inputs", "`inputs` must be a list of tensors"));
    };
    let tensors: Vec<Tensor> =
        inputs.iter().enumerate().map(|(i, v)| tensor(i, v, limits)).collect::<Result<_, _>>()?;
    let wanted: Vec<String> = match request.get("outputs") {
        None | Some(Value::Null) => vec![PREDICT.into()],
        Some(Value::Array(outs)) if outs.is_empty() => {
            return Err(RequestError::bad(
                "outputs",
                "`outputs` is empty: name `predict` and/or `predict_proba`, or leave it out",
            ));
        }
        Some(Value::Array(outs)) => outs
            .iter()
            .enumerate()
            .map(|(i, o)| {
                o.get("name").and_then(Value::as_str).map(str::to_string).ok_or_else(|| {
                    RequestError::bad(
                        format!("outputs[{i}].name"),
                        "a requested output needs a name",
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(RequestError::bad("outputs", "`outputs` must be a list")),
    };
    let classifier = model.forest.classes().is_some();
    for (i, w) in wanted.iter().enumerate() {
        if w != PREDICT && !(w == PREDICT_PROBA && classifier) {
            let offered = if classifier { "predict, predict_proba" } else { "predict" };
            return Err(RequestError::bad(
                format!("outputs[{i}].name"),
                format!("no output `{w}`; this model offers {offered}"),
            ));
        }
    }
    let (rows, n) = rows_from(&tensors, model, limits)?;
    let want_proba = wanted.iter().any(|w| w == PREDICT_PROBA);
    let out = run(&model.forest, &rows, want_proba, &|row, feature| {
        format!("inputs (row {row}, feature `{feature}`)")
    })?;
    let outputs = wanted
        .iter()
        .map(|w| {
            if w == PREDICT {
                OutputTensor {
                    name: PREDICT,
                    datatype: predict_datatype(model),
                    shape: vec![n],
                    data: OutputData::Predictions(out.predictions.clone()),
                }
            } else {
                OutputTensor {
                    name: PREDICT_PROBA,
                    datatype: "FP64",
                    shape: vec![n, out.n_classes],
                    data: OutputData::Probabilities(out.probabilities.clone().unwrap_or_default()),
                }
            }
        })
        .collect();
    Ok(InferResponse {
        model_name: model.name().to_string(),
        model_version: model.version.clone(),
        id: request.get("id").cloned(),
        outputs,
    })
}
