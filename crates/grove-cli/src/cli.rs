use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// grove: tree-ensemble models from training to a live prediction API.
#[derive(Debug, Parser)]
#[command(name = "grove", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train a model: the tutorial's wine recipe, or any numeric CSV.
    Train(TrainArgs),
    /// Predict rows of a CSV or JSON file (or standard input) with a model.
    Predict(PredictArgs),
    /// Show what a model is: features, classes, trees, depths, importances.
    Inspect(InspectArgs),
    /// Serve a model over HTTP: the tutorial's body, MLflow's layouts, CSV, the Open Inference
    /// Protocol, metrics and OpenAPI.
    Serve(ServeArgs),
    /// Convert a scikit-learn pickle, joblib file or MLflow model to a `.grove` file, reading it
    /// as data: nothing in the file is executed.
    Import(ImportArgs),
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

#[derive(Debug, Args)]
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
    /// Where to write the model.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The model's served name (default: the recipe's name or the CSV's stem).
    #[arg(long)]
    pub name: Option<String>,
    /// Number of trees (sklearn's default 100; the wine recipe uses 10).
    #[arg(long)]
    pub n_estimators: Option<usize>,
    /// gini, entropy or log_loss for classifiers; squared_error for regressors.
    #[arg(long)]
    pub criterion: Option<String>,
    /// Maximum tree depth (unlimited by default).
    #[arg(long)]
    pub max_depth: Option<usize>,
    /// Minimum rows to split a node.
    #[arg(long, default_value_t = 2)]
    pub min_samples_split: usize,
    /// Minimum rows in a leaf.
    #[arg(long, default_value_t = 1)]
    pub min_samples_leaf: usize,
    /// Features tried per split: sqrt, log2, all, a count or a fraction like 0.5.
    #[arg(long)]
    pub max_features: Option<String>,
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

#[derive(Debug, Args)]
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
pub struct ServeArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, or `wine-quality` (the
    /// default: the built-in model).
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
    /// Seconds before a request is answered 408.
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
    #[command(flatten)]
    pub options: ModelOptions,
}

fn parse_separator(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!("`{s}` is not a one-character separator")),
    }
}
