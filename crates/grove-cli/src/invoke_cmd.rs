//! `grove invoke`: the tutorial's event (or a JSON file, or CSV rows) sent to the deployed
//! function through the Lambda API; the answer's payload is printed. A function error is shown
//! with its `errorType` and message, and fails the command. CSV is read by grove-data exactly
//! as `grove predict` reads it (separator sniffing, quotes, `nan`/`NA` cells), so a file one
//! command accepts the other does too.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use grove_data::Table;
use grove_deploy::invoke;
use grove_forest::Schema;
use serde_json::{json, Map, Value};

use crate::cli::InvokeArgs;
use crate::output::Output;
use crate::settings::runtime;

pub fn run(args: &InvokeArgs, output: &Output) -> Result<()> {
    let payload = match (&args.payload, &args.csv) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            serde_json::from_str::<Value>(&text)
                .with_context(|| format!("`{}` is not JSON", path.display()))?;
            text.into_bytes()
        }
        (None, Some(path)) => csv_payload(path)?,
        (None, None) => invoke::body_event(grove_builtin::TUTORIAL_BODY.trim_end()),
    };
    let answer = runtime()?.block_on(async {
        let sdk = grove_deploy::config::load(&args.aws.settings()).await?;
        invoke::invoke(&sdk, &args.function_name, Some(&args.qualifier), payload).await
    })?;
    let mut out = output.answer();
    out.write_all(&answer.payload)?;
    writeln!(out)?;
    Ok(())
}

/// CSV rows as a raw predict payload `{"values": [{column: number, …}, …]}`, every column
/// sent (the function picks its features by name); a missing cell is null.
fn csv_payload(path: &Path) -> Result<Vec<u8>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let table = Table::parse(&text, &path.display().to_string(), None)?;
    // Every column read as a feature gives the cells exactly as `grove predict` reads them.
    let schema =
        Schema { features: table.headers.clone(), target: String::new(), feature_ranges: None };
    let cells = table.model_rows(&schema)?;
    let rows: Vec<Value> = cells
        .chunks_exact(table.headers.len().max(1))
        .map(|row| {
            let record: Map<String, Value> =
                table.headers.iter().cloned().zip(row.iter().map(|&v| number(v))).collect();
            Value::Object(record)
        })
        .collect();
    Ok(json!({ "values": rows }).to_string().into_bytes())
}

/// A cell as JSON: null for NaN (missing), otherwise the float32's shortest text read as a
/// double, so `0.045` is sent as `0.045` and the function narrows it to the same float32.
fn number(value: f32) -> Value {
    value
        .to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_read_as_grove_predict_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        std::fs::write(&path, "pH|alcohol|is_red|note\n3.0|8.8|false|NA\n\"3.2\"||True|nan\n")
            .unwrap();
        let payload: Value = serde_json::from_slice(&csv_payload(&path).unwrap()).unwrap();
        assert_eq!(
            payload,
            json!({"values": [
                {"pH": 3.0, "alcohol": 8.8, "is_red": 0.0, "note": null},
                {"pH": 3.2, "alcohol": null, "is_red": 1.0, "note": null},
            ]})
        );
        std::fs::write(&path, "a,b\n1,x\n").unwrap();
        let error = format!("{:#}", csv_payload(&path).unwrap_err());
        assert!(error.contains("line 2") && error.contains("`x` is not a number"), "{error}");
    }
}
