//! `grove predict`: a CSV or JSON file (or standard input) through the same decoding and
//! answer as `POST /predict`; CSV in gives the input's columns back with `predicted` and
//! `proba_<label>` columns.

use std::io::{Read, Write};

use anyhow::{Context, Result};
use grove_data::{RowsShape, Table};
use grove_forest::{python_float_repr, Forest, Predictions};
use grove_request::{
    answer, decode_json_value, to_python_json, Layout, Limits, PredictInput, ServedModel,
    LAYOUT_KEYS,
};
use serde_json::Value;

use crate::cli::{Format, PredictArgs};
use crate::load::load_model;
use crate::output::Output;

/// What was read: the request as the server would decode it, and the original CSV to echo
/// back when there is one.
struct Input {
    request: PredictInput,
    table: Option<Table>,
}

/// The command line reads whole files the user chose: no request limits.
const NO_LIMITS: Limits = Limits { max_body_bytes: usize::MAX, max_rows: usize::MAX };

pub fn run(args: &PredictArgs, output: &Output) -> Result<()> {
    let model = ServedModel::new(load_model(&args.model, &args.options)?, "");
    let (name, text) = read_input(args)?;
    let input = parse_input(&model, &name, &text, args.sep, args.proba)?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(output.answer()),
    };
    match args.format {
        Format::Csv => write_csv(&model.forest, &input, &mut out)?,
        Format::Json => {
            // The same answer, in the same shape, as `POST /predict` gives for this input.
            let answer =
                answer(&model, &input.request).with_context(|| format!("cannot predict {name}"))?;
            writeln!(out, "{}", to_python_json(&answer))?;
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

fn parse_input(
    model: &ServedModel,
    name: &str,
    text: &str,
    sep: Option<u8>,
    proba: bool,
) -> Result<Input> {
    if text.trim_start().starts_with(['{', '[']) {
        let value: Value =
            serde_json::from_str(text).with_context(|| format!("{name} is not valid JSON"))?;
        // Bare rows (an object of features, or a list of them) read as the tutorial's `values`.
        let value = match value {
            Value::Object(o) if LAYOUT_KEYS.iter().any(|k| o.contains_key(*k)) => Value::Object(o),
            rows => serde_json::json!({ "values": rows }),
        };
        let request =
            decode_json_value(model, value, proba, &NO_LIMITS).with_context(|| name.to_string())?;
        return Ok(Input { request, table: None });
    }
    let table = Table::parse(text, name, sep)?;
    let rows = table.model_rows(model.forest.schema())?;
    let request = PredictInput {
        rows,
        shape: RowsShape::Many,
        layout: Layout::Predictions,
        proba,
        field: name.to_string(),
    };
    Ok(Input { request, table: Some(table) })
}

/// A prediction as a CSV cell: the label as Python prints it, or the value's `repr`.
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

fn write_csv(forest: &Forest, input: &Input, out: &mut dyn Write) -> Result<()> {
    let rows = &input.request.rows;
    let predictions = forest.predict(rows)?;
    let proba = if input.request.proba { forest.predict_proba(rows)? } else { None };
    let separator = input.table.as_ref().map_or(b',', |t| t.separator);
    let mut w = csv::WriterBuilder::new().delimiter(separator).from_writer(out);
    let features = &forest.schema().features;
    let mut header: Vec<String> = match &input.table {
        Some(t) => t.headers.clone(),
        None => features.clone(),
    };
    header.push("predicted".into());
    let k = forest.classes().map_or(0, |l| l.len());
    if let (Some(_), Some(labels)) = (&proba, forest.classes()) {
        header.extend(labels.iter().map(|l| format!("proba_{l}")));
    }
    w.write_record(&header)?;
    let width = features.len();
    for i in 0..rows.len() / width {
        let mut record: Vec<String> = match &input.table {
            // Echo the user's cells as written: nothing they gave is lost or reformatted.
            Some(t) => t.records[i].iter().map(str::to_string).collect(),
            None => rows[i * width..(i + 1) * width].iter().map(|&v| f32_cell(v)).collect(),
        };
        record.push(answer_text(forest, &predictions, i));
        if let Some(p) = &proba {
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
