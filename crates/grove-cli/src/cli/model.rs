//! The arguments of the commands that make, read and serve a model: `train`, `import`,
//! `predict`, `inspect`, `serve`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{parse_duration, parse_max_features, parse_separator, ModelOptions, ServeS3Args};

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove train wine -o wine.grove
  grove train --csv data.csv --target label --n-estimators 100 --max-depth 8 \\
      --min-samples-leaf 3 --max-features sqrt --random-state 0 -o model.grove
  grove train --csv data.csv --target price --regression -o price.grove")]
pub struct TrainArgs {
    /// `wine` trains the tutorial's model on the built-in Wine Quality data.
    #[arg(value_name = "RECIPE", conflicts_with_all = ["csv", "target"])]
    pub recipe: Option<Recipe>,
    /// A CSV file with a header: every column but the target is a numeric feature.
    #[arg(long, requires = "target")]
    pub csv: Option<PathBuf>,
    /// The target column of `--csv`.
    #[arg(long)]
    pub target: Option<String>,
    /// The CSV separator (detected from the header when not given).
    #[arg(long, value_parser = parse_separator)]
    pub sep: Option<u8>,
    /// Train a regressor (the default is a classifier).
    #[arg(long)]
    pub regression: bool,
    /// Where to write the model (default: the model's name + `.grove`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The model's served name (default: the recipe's name or the CSV's stem).
    #[arg(long)]
    pub name: Option<String>,
    /// Number of trees (sklearn's default 100; the wine recipe uses 10).
    #[arg(long)]
    pub n_estimators: Option<usize>,
    /// The split criterion (default: gini for classifiers, squared_error for regressors).
    #[arg(long, value_enum)]
    pub criterion: Option<CriterionArg>,
    /// Maximum tree depth (unlimited by default).
    #[arg(long)]
    pub max_depth: Option<usize>,
    /// Minimum rows to split a node.
    #[arg(long, default_value_t = 2)]
    pub min_samples_split: usize,
    /// Minimum rows in a leaf.
    #[arg(long, default_value_t = 1)]
    pub min_samples_leaf: usize,
    /// Features tried per split: sqrt, log2, all, a count or a fraction like 0.5 (default:
    /// sqrt for classifiers, all for regressors, as sklearn).
    #[arg(long, value_name = "MAX_FEATURES", value_parser = parse_max_features)]
    pub max_features: Option<grove_train::MaxFeatures>,
    /// Seed (sklearn's `random_state`; the wine recipe uses 42).
    #[arg(long)]
    pub random_state: Option<u32>,
    /// Sample every tree's rows without bootstrap.
    #[arg(long)]
    pub no_bootstrap: bool,
    /// Hide the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Recipe {
    /// The tutorial: Wine Quality, red then white, `is_red`, target `quality`, 10 trees, seed 42.
    Wine,
}

/// sklearn's criterion names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CriterionArg {
    /// Gini impurity (classification).
    Gini,
    /// Shannon entropy (classification).
    Entropy,
    /// The same as entropy, sklearn's newer name.
    #[value(name = "log_loss")]
    LogLoss,
    /// Mean squared error (regression).
    #[value(name = "squared_error")]
    SquaredError,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove import model.pkl --target-name quality -o model.grove
  grove import mlflow-model/ -o model.grove")]
pub struct ImportArgs {
    /// A pickle (`.pkl`), a joblib file, an MLflow model directory or a `.skops` file.
    pub model: String,
    /// Where to write the `.grove` file (default: the input's stem + `.grove`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub options: ModelOptions,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove predict wine.grove examples/tutorial-body.json --format json
  grove predict wine-quality rows.csv --proba -o predictions.csv")]
pub struct PredictArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, or `wine-quality`.
    pub model: String,
    /// A CSV (with a header) or JSON file of rows; `-` or nothing reads standard input.
    pub input: Option<PathBuf>,
    /// Add a `proba_<label>` column per class.
    #[arg(long)]
    pub proba: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write to a file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The CSV separator (detected from the header when not given).
    #[arg(long, value_parser = parse_separator)]
    pub sep: Option<u8>,
    #[command(flatten)]
    pub options: ModelOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The input columns, then `predicted`, then `proba_<label>` columns.
    Csv,
    /// `{"<target>": label}` per row, with `probabilities` when asked.
    Json,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, or `wine-quality`.
    pub model: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub options: ModelOptions,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove serve                                  # the built-in wine model on 127.0.0.1:8080
  grove serve model.pkl --target-name quality
  grove serve s3://bucket/wine.grove           # follows new versions of the key")]
pub struct ServeArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, `wine-quality` (the
    /// built-in model), or `s3://bucket/key` (its latest version, followed).
    #[arg(default_value = "wine-quality")]
    pub model: String,
    /// Address to listen on (loopback by default; exposing the server is your choice).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = grove_request::Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Most rows in one request.
    #[arg(long, default_value_t = grove_request::Limits::default().max_rows)]
    pub max_rows: usize,
    /// How long a request may take before it is answered 408: seconds (`30`) or a duration
    /// (`1m`).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_duration)]
    pub timeout_secs: Duration,
    #[command(flatten)]
    pub s3: ServeS3Args,
    #[command(flatten)]
    pub options: ModelOptions,
}
