//! Decoding predict bodies: the tutorial's `{"values": …}`, MLflow's layouts, CSV. All end as
//! the same [`PredictInput`].

use grove_data::{json_input, json_type, push_object_row, DataError, RowsShape, Table};
use grove_forest::Schema;
use serde_json::{Map, Value};

use crate::{values_stream, Limits, RequestError, ServedModel};

/// Which answer shape the caller expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The tutorial's: `{"<target>": label}` or `{"<target>": [labels]}`.
    Values,
    /// MLflow's scoring server's: `{"predictions": [labels]}`.
    Predictions,
}

/// The body formats a predict endpoint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/json` (or none given).
    Json,
    /// `text/csv` with a header.
    Csv,
}

/// One predict request, whatever front end and layout it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictInput {
    /// Rows in the model's feature order, float32, row-major.
    pub rows: Vec<f32>,
    /// One row or a list (decides whether the answer is a value or a list).
    pub shape: RowsShape,
    /// The answer's layout.
    pub layout: Layout,
    /// Whether class probabilities were asked for.
    pub proba: bool,
    /// The request field that held the rows (`values`, `dataframe_split.data`, `instances`,
    /// ...), so that an error about a value can name where it was: `values[3].pH`.
    pub field: String,
}

impl PredictInput {
    /// The field path of one value: `values.pH` for a single row, `values[3].pH` in a list.
    pub fn value_field(&self, row: usize, feature: &str) -> String {
        match self.shape {
            RowsShape::One => format!("{}.{feature}", self.field),
            RowsShape::Many => format!("{}[{row}].{feature}", self.field),
        }
    }
}

/// Reads the `Content-Type` of a predict request. A missing type is read as JSON, as the
/// tutorial's clients send none.
pub fn body_format(content_type: Option<&str>) -> Result<BodyFormat, RequestError> {
    let Some(ct) = content_type else { return Ok(BodyFormat::Json) };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "application/json" => Ok(BodyFormat::Json),
        "text/csv" | "application/csv" => Ok(BodyFormat::Csv),
        e if e.ends_with("+json") => Ok(BodyFormat::Json),
        _ => Err(RequestError::UnsupportedMediaType { got: ct.to_string(), csv: true }),
    }
}

/// Parses a JSON body, as the one place that turns parser errors into 400s.
pub fn parse_json(body: &[u8]) -> Result<Value, RequestError> {
    serde_json::from_slice(body).map_err(|e| RequestError::MalformedJson { message: e.to_string() })
}

/// Decodes a predict body. `proba` is the query's `?proba=true`; a JSON body may also say
/// `"proba": true`.
pub fn decode_predict(
    model: &ServedModel,
    format: BodyFormat,
    body: &[u8],
    proba: bool,
    limits: &Limits,
) -> Result<PredictInput, RequestError> {
    if body.len() > limits.max_body_bytes {
        return Err(RequestError::BodyTooLarge { limit: limits.max_body_bytes });
    }
    let schema = model.forest.schema();
    match format {
        BodyFormat::Csv => {
            let text = std::str::from_utf8(body).map_err(|e| {
                RequestError::bad("body", format!("the CSV body is not UTF-8: {e}"))
            })?;
            let table = Table::parse(text, "body", None).map_err(csv_error)?;
            check_rows("body", table.records.len(), limits)?;
            let rows = table.model_rows(schema).map_err(csv_error)?;
            Ok(PredictInput {
                rows,
                shape: RowsShape::Many,
                layout: Layout::Predictions,
                proba,
                field: "body".into(),
            })
        }
        BodyFormat::Json => {
            if let Some(d) = values_stream::decode(body, &model.index, &schema.features, limits) {
                return Ok(PredictInput {
                    rows: d.rows,
                    shape: d.shape,
                    layout: Layout::Values,
                    proba: proba || d.proba,
                    field: "values".into(),
                });
            }
            decode_json_value(model, parse_json(body)?, proba, limits)
        }
    }
}

/// Decodes a predict request that is already parsed JSON (the CLI reads files this way).
pub fn decode_json_value(
    model: &ServedModel,
    value: Value,
    proba: bool,
    limits: &Limits,
) -> Result<PredictInput, RequestError> {
    let Value::Object(top) = value else {
        return Err(RequestError::bad(
            "body",
            format!("expected a JSON object, got {}", json_type(&value)),
        ));
    };
    let proba = proba || proba_flag(&top)?;
    let (rows, shape, layout, field) = decode_layout(&top, model.forest.schema(), limits)?;
    Ok(PredictInput { rows, shape, layout, proba, field: field.into() })
}

/// The top-level keys that name a predict body's layout, in the order [`decode_predict`] looks
/// for them. Front ends that must tell a predict body from other JSON before decoding it (the
/// Lambda function's raw payloads, the CLI's input files) test for these, so that they accept
/// exactly what the decoder reads.
pub const LAYOUT_KEYS: [&str; 5] =
    ["values", "dataframe_split", "dataframe_records", "instances", "inputs"];

/// The accepted top-level keys, for the message when none is there.
const LAYOUTS: &str =
    "`values` (an object or a list of objects), `dataframe_split`, `dataframe_records`, `instances` or `inputs`";

fn proba_flag(top: &Map<String, Value>) -> Result<bool, RequestError> {
    match top.get("proba") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(RequestError::invalid(
            "proba",
            format!("expected true or false, got {}", json_type(other)),
        )),
    }
}

fn decode_layout(
    top: &Map<String, Value>,
    schema: &Schema,
    limits: &Limits,
) -> Result<(Vec<f32>, RowsShape, Layout, &'static str), RequestError> {
    if let Some(v) = top.get("values") {
        let (rows, shape) = records(v, "values", schema, limits, true)?;
        return Ok((rows, shape, Layout::Values, "values"));
    }
    let (rows, field) = if let Some(v) = top.get("dataframe_split") {
        (dataframe_split(v, schema, limits)?, "dataframe_split.data")
    } else if let Some(v) = top.get("dataframe_records") {
        (records(v, "dataframe_records", schema, limits, false)?.0, "dataframe_records")
    } else if let Some((key, v)) =
        ["instances", "inputs"].iter().find_map(|k| top.get(*k).map(|v| (*k, v)))
    {
        (tensor_like(v, key, schema, limits)?, key)
    } else {
        let keys: Vec<&str> = top.keys().map(String::as_str).collect();
        return Err(RequestError::bad(
            "body",
            format!("expected one of {LAYOUTS}; got the keys {keys:?}"),
        ));
    };
    Ok((rows, RowsShape::Many, Layout::Predictions, field))
}

pub(crate) fn check_rows(field: &str, n: usize, limits: &Limits) -> Result<(), RequestError> {
    if n == 0 {
        return Err(RequestError::invalid(field, "the batch is empty: send at least one row"));
    }
    if n > limits.max_rows {
        return Err(RequestError::TooManyRows {
            field: field.into(),
            rows: n,
            limit: limits.max_rows,
        });
    }
    Ok(())
}

/// Maps a row-level data error to the request field it names: `values[3].pH`.
fn row_error(e: DataError, prefix: &str) -> RequestError {
    match e {
        DataError::BadValue { row, feature, problem } => {
            let field = match row {
                Some(r) => format!("{prefix}[{r}].{feature}"),
                None => format!("{prefix}.{feature}"),
            };
            RequestError::Invalid { message: format!("feature `{feature}`: {problem}"), field }
        }
        DataError::BadRows { row, problem } => {
            let field = row.map_or(prefix.to_string(), |r| format!("{prefix}[{r}]"));
            RequestError::Invalid { field, message: problem }
        }
        other => RequestError::invalid(prefix, other.to_string()),
    }
}

fn csv_error(e: DataError) -> RequestError {
    match e {
        DataError::MissingColumn { column, available, .. } => RequestError::invalid(
            column.clone(),
            format!("missing feature `{column}` (the CSV header has: {available})"),
        ),
        DataError::BadCell { line, column, problem, .. } => {
            RequestError::invalid(column, format!("line {line}: {problem}"))
        }
        DataError::Empty { .. } => {
            RequestError::invalid("body", "the batch is empty: send at least one row")
        }
        other => RequestError::bad("body", other.to_string()),
    }
}

/// `{feature: value}` or `[{feature: value}, …]`.
fn records(
    v: &Value,
    field: &str,
    schema: &Schema,
    limits: &Limits,
    single_allowed: bool,
) -> Result<(Vec<f32>, RowsShape), RequestError> {
    match v {
        Value::Object(o) if single_allowed => {
            let mut rows = Vec::with_capacity(schema.features.len());
            push_object_row(o, schema, None, &mut rows).map_err(|e| row_error(e, field))?;
            Ok((rows, RowsShape::One))
        }
        Value::Array(items) => {
            check_rows(field, items.len(), limits)?;
            let mut rows = Vec::with_capacity(items.len() * schema.features.len());
            for (i, item) in items.iter().enumerate() {
                let Value::Object(o) = item else {
                    return Err(RequestError::invalid(
                        format!("{field}[{i}]"),
                        format!("expected an object of features, got {}", json_type(item)),
                    ));
                };
                push_object_row(o, schema, Some(i), &mut rows).map_err(|e| row_error(e, field))?;
            }
            Ok((rows, RowsShape::Many))
        }
        other => Err(RequestError::invalid(
            field,
            format!(
                "expected {}a list of objects, got {}",
                if single_allowed { "an object or " } else { "" },
                json_type(other)
            ),
        )),
    }
}

/// MLflow's `{"columns": [...], "data": [[...], ...]}` (pandas `orient="split"`).
fn dataframe_split(v: &Value, schema: &Schema, limits: &Limits) -> Result<Vec<f32>, RequestError> {
    let field = "dataframe_split";
    let Value::Object(o) = v else {
        return Err(RequestError::invalid(
            field,
            format!("expected an object with `columns` and `data`, got {}", json_type(v)),
        ));
    };
    let columns: Vec<&str> = match o.get("columns") {
        Some(Value::Array(c)) => c
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c.as_str().ok_or_else(|| {
                    RequestError::invalid(
                        format!("{field}.columns[{i}]"),
                        "a column name must be a string",
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(RequestError::invalid(
                format!("{field}.columns"),
                "expected a list of column names",
            ))
        }
    };
    let Some(Value::Array(data)) = o.get("data") else {
        return Err(RequestError::invalid(format!("{field}.data"), "expected a list of rows"));
    };
    let index: Vec<usize> = schema
        .features
        .iter()
        .map(|f| {
            columns.iter().position(|c| c == f).ok_or_else(|| {
                RequestError::invalid(format!("{field}.columns"), format!("missing feature `{f}`"))
            })
        })
        .collect::<Result<_, _>>()?;
    check_rows(&format!("{field}.data"), data.len(), limits)?;
    let mut rows = Vec::with_capacity(data.len() * index.len());
    for (r, row) in data.iter().enumerate() {
        let Value::Array(cells) = row else {
            return Err(RequestError::invalid(
                format!("{field}.data[{r}]"),
                format!("expected a list of values, got {}", json_type(row)),
            ));
        };
        if cells.len() != columns.len() {
            return Err(RequestError::invalid(
                format!("{field}.data[{r}]"),
                format!("{} values for {} columns", cells.len(), columns.len()),
            ));
        }
        for (&c, feature) in index.iter().zip(&schema.features) {
            let x = json_input(&cells[c]).map_err(|p| {
                RequestError::invalid(
                    format!("{field}.data[{r}][{c}]"),
                    format!("feature `{feature}`: {p}"),
                )
            })?;
            rows.push(x);
        }
    }
    Ok(rows)
}

/// MLflow's `instances` / `inputs`: a list of objects, a list of rows in feature order, or an
/// object of columns `{feature: [values]}`.
fn tensor_like(
    v: &Value,
    field: &str,
    schema: &Schema,
    limits: &Limits,
) -> Result<Vec<f32>, RequestError> {
    let width = schema.features.len();
    match v {
        Value::Array(items) if items.first().is_some_and(Value::is_object) => {
            Ok(records(v, field, schema, limits, false)?.0)
        }
        Value::Array(items) => {
            check_rows(field, items.len(), limits)?;
            let mut rows = Vec::with_capacity(items.len() * width);
            for (r, item) in items.iter().enumerate() {
                let cells = match item {
                    Value::Array(c) if c.len() == width => c,
                    _ => {
                        return Err(RequestError::invalid(
                            format!("{field}[{r}]"),
                            format!(
                                "expected a list of {width} values in the model's feature order"
                            ),
                        ))
                    }
                };
                for (c, (cell, feature)) in cells.iter().zip(&schema.features).enumerate() {
                    rows.push(json_input(cell).map_err(|p| {
                        RequestError::invalid(
                            format!("{field}[{r}][{c}]"),
                            format!("feature `{feature}`: {p}"),
                        )
                    })?);
                }
            }
            Ok(rows)
        }
        Value::Object(columns) => {
            let mut cols = Vec::with_capacity(width);
            for f in &schema.features {
                match columns.get(f) {
                    Some(Value::Array(vals)) => cols.push(vals),
                    Some(other) => {
                        return Err(RequestError::invalid(
                            format!("{field}.{f}"),
                            format!("expected a list of values, got {}", json_type(other)),
                        ))
                    }
                    None => {
                        return Err(RequestError::invalid(
                            format!("{field}.{f}"),
                            format!("feature `{f}`: missing"),
                        ))
                    }
                }
            }
            let n = cols.first().map_or(0, |c| c.len());
            check_rows(field, n, limits)?;
            if let Some((f, c)) = schema.features.iter().zip(&cols).find(|(_, c)| c.len() != n) {
                return Err(RequestError::invalid(
                    format!("{field}.{f}"),
                    format!("{} values, while other columns have {n}", c.len()),
                ));
            }
            let mut rows = Vec::with_capacity(n * width);
            for r in 0..n {
                for (f, col) in schema.features.iter().zip(&cols) {
                    rows.push(
                        json_input(&col[r])
                            .map_err(|p| RequestError::invalid(format!("{field}.{f}[{r}]"), p))?,
                    );
                }
            }
            Ok(rows)
        }
        other => Err(RequestError::invalid(
            field,
            format!("expected a list of rows or an object of columns, got {}", json_type(other)),
        )),
    }
}
