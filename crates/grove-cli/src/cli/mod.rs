//! The command line as clap sees it: every argument type of every command, and nothing else.
//! It imports nothing from the rest of the crate; the commands import it, and `settings`
//! turns what it parsed into the values the libraries take.

mod aws;
mod model;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

pub use aws::{
    AwsArgs, DeployArgs, InvokeArgs, ModelsArgs, PackageArgs, PushArgs, RollbackArgs, ServeS3Args,
};
pub use model::{
    CriterionArg, Format, ImportArgs, InspectArgs, PredictArgs, Recipe, ServeArgs, TrainArgs,
};

/// grove: tree-ensemble models from training to a live prediction API.
#[derive(Debug, Parser)]
#[command(name = "grove", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
The tutorial, end to end:
  grove train wine -o wine.grove
  grove predict wine.grove examples/tutorial-body.json --format json
  grove serve wine.grove
  grove deploy wine.grove && grove invoke";

/// The commands, in the order of the workflow: make a model, use it, serve it, ship it, keep
/// its versions.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train a model: the tutorial's wine recipe, or any numeric CSV.
    Train(TrainArgs),
    /// Convert a scikit-learn pickle, joblib file, MLflow model or `.skops` file to a `.grove`
    /// file, reading it as data: nothing in the file is executed.
    Import(ImportArgs),
    /// Predict rows of a CSV or JSON file (or standard input) with a model.
    Predict(PredictArgs),
    /// Show what a model is: features, classes, trees, depths, importances.
    Inspect(InspectArgs),
    /// Serve a model over HTTP: the tutorial's body, MLflow's layouts, CSV, the Open Inference
    /// Protocol, metrics, OpenAPI and a web page.
    Serve(ServeArgs),
    /// Package the Lambda function: `bootstrap.zip` for the provided.al2023 runtime (the
    /// `grove-lambda` binary beside `grove`, plus the model), or an OCI image built without
    /// Docker, optionally pushed to a registry.
    Package(PackageArgs),
    /// Deploy the function to AWS Lambda with the tutorial's names: role, function, version,
    /// alias `live`, function URL (and with --http-api an API Gateway HTTP API). Running it
    /// again updates in place.
    Deploy(DeployArgs),
    /// Invoke the deployed function through the Lambda API and print its answer.
    Invoke(InvokeArgs),
    /// Upload a model to `s3://bucket/key` as a new version (S3 object versioning).
    Push(PushArgs),
    /// List the versions of a model in S3: id, label, time, checksum, schema; `*` the latest.
    Models(ModelsArgs),
    /// Make an old version of a model in S3 the latest again (servers and functions follow).
    Rollback(RollbackArgs),
}

/// How to read a model that is not a `.grove` file (a pickle has no target or model name).
#[derive(Debug, Clone, Default, Args)]
pub struct ModelOptions {
    /// The name of the predicted quantity, e.g. `quality` (a pickle does not record it).
    #[arg(long, value_name = "NAME")]
    pub target_name: Option<String>,
    /// Feature names, comma-separated, for models fitted without them (default `x0,x1,...`).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub feature_names: Option<Vec<String>>,
    /// The model's served name (default: the file's stem).
    #[arg(long)]
    pub name: Option<String>,
}

/// Where the Lambda binary comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct BootstrapOptions {
    /// The Lambda binary to package (default: `grove-lambda` beside this `grove`).
    #[arg(long, value_name = "PATH")]
    pub bootstrap: Option<PathBuf>,
}

/// `,`, `;`, `tab` (or `\t`): one character.
fn parse_separator(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!("`{s}` is not a one-character separator")),
    }
}

/// A duration: a number of seconds (`30`, `0.5`) or a humantime span (`1m30s`, `500ms`).
fn parse_duration(s: &str) -> Result<Duration, String> {
    if let Ok(seconds) = s.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds)
            .map_err(|_| format!("`{s}` is not a number of seconds ≥ 0"));
    }
    humantime::parse_duration(s)
        .map_err(|e| format!("`{s}` is neither seconds nor a duration like 1m30s: {e}"))
}

/// sklearn's `max_features`: `sqrt`, `log2`, `all`/`None`, a count or a fraction.
fn parse_max_features(s: &str) -> Result<grove_train::MaxFeatures, String> {
    s.parse().map_err(|e: grove_train::TrainError| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_read_seconds_and_spans() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
