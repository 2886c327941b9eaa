use std::io::{Read, Write};

use anyhow::{Context, Result};
use grove_data::{rows_from_json, RowsShape, Table};
use grove_forest::{python_float_repr, Forest, Label, Predictions};
use serde_json::{json, Map, Value};

use crate::cli::{Format, PredictArgs};
use crate::load::load_model;

/// What was read: the rows for the model, and the original CSV to echo back when there is one.
struct Input {
    rows: Vec<f32>,
    table: Option<Table>,
    shape: RowsShape,
}

pub fn run(args: &PredictArgs) -> Result<()> {
    let forest = load_model(&args.model, &args.options)?;
    let (name, text) = read_input(args)?;
    let input = parse_input(&forest, &name, &text, args.sep)?;
    let predictions =
        forest.predict(&input.rows).with_context(|| format!("cannot predict {name}"))?;
    let proba = if args.proba { forest.predict_proba(&input.rows)? } else { None };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    match args.format {
        Format::Csv => write_csv(&forest, &input, &predictions, proba.as_deref(), &mut out)?,
        Format::Json => {
            let answer = json_answer(&forest, &predictions, proba.as_deref(), input.shape);
            serde_json::to_writer(&mut out, &answer)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn read_input(args: &PredictArgs) -> Result<(String, String)> {
    match args.input.as_deref() {
        Some(p) if p.as_os_str() != "-" => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Ok((p.display().to_string(), text))
        }
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
            Ok(("<stdin>".into(), text))
        }
    }
}

fn parse_input(forest: &Forest, name: &str, text: &str, sep: Option<u8>) -> Result<Input> {
    let schema = forest.schema();
    if text.trim_start().starts_with(['{', '[']) {
        let value: Value =
            serde_json::from_str(text).with_context(|| format!("{name} is not valid JSON"))?;
        // The tutorial's body wraps the rows: {"values": {...}} or {"values": [...]}.
        let rows_value = match &value {
            Value::Object(o) if o.contains_key("values") => &o["values"],
            other => other,
        };
        let (rows, shape) = rows_from_json(rows_value, schema).with_context(|| name.to_string())?;
        return Ok(Input { rows, table: None, shape });
    }
    let table = Table::parse(text, name, sep)?;
    let rows = table.model_rows(schema)?;
    Ok(Input { rows, table: Some(table), shape: RowsShape::Many })
}

/// A label as a JSON value of its own type: `6`, not `"6"`.
pub fn label_json(label: Label<'_>) -> Value {
    match label {
        Label::Int(v) => json!(v),
        Label::Float(v) => json!(v),
        Label::Str(s) => json!(s),
        Label::Bool(b) => json!(b),
    }
}

fn answer_at(forest: &Forest, predictions: &Predictions, i: usize) -> Value {
    match predictions {
        Predictions::Classes(c) => {
            forest.classes().and_then(|l| l.get(c[i] as usize)).map_or(Value::Null, label_json)
        }
        Predictions::Values(v) => json!(v[i]),
    }
}

fn answer_text(forest: &Forest, predictions: &Predictions, i: usize) -> String {
    match predictions {
        Predictions::Classes(c) => forest
            .classes()
            .and_then(|l| l.get(c[i] as usize))
            .map(|l| l.to_string())
            .unwrap_or_default(),
        Predictions::Values(v) => python_float_repr(v[i]),
    }
}

fn n_rows(predictions: &Predictions) -> usize {
    match predictions {
        Predictions::Classes(c) => c.len(),
        Predictions::Values(v) => v.len(),
    }
}

fn json_answer(
    forest: &Forest,
    predictions: &Predictions,
    proba: Option<&[f64]>,
    shape: RowsShape,
) -> Value {
    let target = &forest.schema().target;
    let row = |i: usize| {
        let mut m = Map::new();
        m.insert(target.clone(), answer_at(forest, predictions, i));
        if let (Some(p), Some(labels)) = (proba, forest.classes()) {
            let k = labels.len();
            let probs: Map<String, Value> = labels
                .iter()
                .zip(&p[i * k..(i + 1) * k])
                .map(|(l, v)| (l.to_string(), json!(v)))
                .collect();
            m.insert("probabilities".into(), Value::Object(probs));
        }
        Value::Object(m)
    };
    match shape {
        RowsShape::One => row(0),
        RowsShape::Many => Value::Array((0..n_rows(predictions)).map(row).collect()),
    }
}

fn write_csv(
    forest: &Forest,
    input: &Input,
    predictions: &Predictions,
    proba: Option<&[f64]>,
    out: &mut dyn Write,
) -> Result<()> {
    let separator = input.table.as_ref().map_or(b',', |t| t.separator);
    let mut w = csv::WriterBuilder::new().delimiter(separator).from_writer(out);
    let features = &forest.schema().features;
    let mut header: Vec<String> = match &input.table {
        Some(t) => t.headers.clone(),
        None => features.clone(),
    };
    header.push("predicted".into());
    let k = forest.classes().map_or(0, |l| l.len());
    if let (Some(_), Some(labels)) = (proba, forest.classes()) {
        header.extend(labels.iter().map(|l| format!("proba_{l}")));
    }
    w.write_record(&header)?;
    let width = features.len();
    for i in 0..n_rows(predictions) {
        let mut record: Vec<String> = match &input.table {
            // Echo the user's cells as written: nothing they gave is lost or reformatted.
            Some(t) => t.records[i].iter().map(str::to_string).collect(),
            None => input.rows[i * width..(i + 1) * width].iter().map(|&v| f32_cell(v)).collect(),
        };
        record.push(answer_text(forest, predictions, i));
        if let Some(p) = proba {
            record.extend(p[i * k..(i + 1) * k].iter().map(|&v| python_float_repr(v)));
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

/// A float32 input as its shortest text; missing stays an empty cell.
fn f32_cell(v: f32) -> String {
    if v.is_nan() {
        String::new()
    } else {
        v.to_string()
    }
}
