//! `grove invoke`: the tutorial's event (or a JSON file, or CSV rows) sent to the deployed
//! function through the Lambda API; the answer's payload is printed. A function error is shown
//! with its `errorType` and message, and fails the command.

use std::io::Write;

use anyhow::{Context, Result};
use grove_deploy::invoke;

use crate::cli::InvokeArgs;
use crate::output::Output;
use crate::settings::runtime;

pub fn run(args: &InvokeArgs, output: &Output) -> Result<()> {
    let payload = match (&args.payload, &args.csv) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            serde_json::from_str::<serde_json::Value>(&text)
                .with_context(|| format!("`{}` is not JSON", path.display()))?;
            text.into_bytes()
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            let event =
                invoke::csv_event(&text).with_context(|| format!("`{}`", path.display()))?;
            event.to_string().into_bytes()
        }
        (None, None) => invoke::tutorial_event().to_string().into_bytes(),
    };
    let answer = runtime()?.block_on(async {
        let sdk = grove_deploy::config::load(&args.aws.deploy()).await?;
        invoke::invoke(&sdk, &args.function_name, Some(&args.qualifier), payload).await
    })?;
    let mut out = output.answer();
    out.write_all(&answer.payload)?;
    writeln!(out)?;
    Ok(())
}
