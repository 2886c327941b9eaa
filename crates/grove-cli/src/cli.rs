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
    /// Upload a model to `s3://bucket/key` as a new version (S3 object versioning).
    Push(crate::push_cmd::PushArgs),
    /// List the versions of a model in S3: id, label, time, checksum, schema; `*` the latest.
    Models(crate::models_cmd::ModelsArgs),
    /// Make an old version of a model in S3 the latest again (servers and functions follow).
    Rollback(crate::rollback_cmd::RollbackArgs),
    /// Convert a scikit-learn pickle, joblib file or MLflow model to a `.grove` file, reading it
    /// as data: nothing in the file is executed.
    Import(ImportArgs),
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
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, `wine-quality` (the
    /// default: the built-in model), or `s3://bucket/key` (its latest version, followed).
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
    pub s3: crate::store_args::ServeS3Args,
    #[command(flatten)]
    pub options: ModelOptions,
}

/// Where the Lambda binary comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct BootstrapOptions {
    /// The Lambda binary to package (default: `grove-lambda` beside this `grove`).
    #[arg(long, value_name = "PATH")]
    pub bootstrap: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, or `wine-quality` (the
    /// default: the built-in model, no model file in the package).
    pub model: Option<String>,
    /// The directory to write `bootstrap.zip` (or the image layout `image/`) in.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    /// Build an OCI image instead of a zip (FROM scratch: bootstrap, model, shared libraries).
    #[arg(long)]
    pub image: bool,
    /// Push the image to HOST[:PORT]/REPOSITORY[:TAG] (plain HTTP for a loopback registry).
    #[arg(long, value_name = "REF", requires = "image")]
    pub registry: Option<String>,
    #[command(flatten)]
    pub bootstrap: BootstrapOptions,
    #[command(flatten)]
    pub options: ModelOptions,
}

/// The standard AWS configuration (environment, `~/.aws/config`, credentials) and overrides.
#[derive(Debug, Clone, Default, Args)]
pub struct AwsArgs {
    /// The AWS profile (default: `AWS_PROFILE`, else `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// The AWS region (default: `AWS_REGION`, else the profile's).
    #[arg(long)]
    pub region: Option<String>,
    /// One endpoint for every AWS service, e.g. a local moto server `http://127.0.0.1:5000`.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, or `wine-quality` (the
    /// default: the built-in model).
    pub model: Option<String>,
    /// The function's name.
    #[arg(long, default_value = "wine-quality")]
    pub function_name: String,
    /// The execution role's name (created with Lambda's trust policy when missing).
    #[arg(long, default_value = "lambda-ex")]
    pub role: String,
    /// The alias moved to each published version; the function URL is on it.
    #[arg(long, default_value = "live")]
    pub alias: String,
    /// Memory in MB.
    #[arg(long, default_value_t = 128)]
    pub memory: i32,
    /// Timeout in seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout: i32,
    /// Make the function URL public (auth NONE): anyone with the URL can call it.
    #[arg(long)]
    pub public: bool,
    /// Also create an API Gateway HTTP API (`POST /predict` and `$default`) on the alias.
    #[arg(long)]
    pub http_api: bool,
    /// Deploy an OCI image (pushed to the function's ECR repository) instead of a zip.
    #[arg(long)]
    pub image: bool,
    /// Push the image to HOST[:PORT]/REPOSITORY[:TAG] instead of the ECR repository.
    #[arg(long, value_name = "REF", requires = "image")]
    pub registry: Option<String>,
    #[command(flatten)]
    pub bootstrap: BootstrapOptions,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub options: ModelOptions,
}

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// A JSON file: the event to send (default: the tutorial's `{"body": "..."}` event).
    #[arg(value_name = "PAYLOAD.json", conflicts_with = "csv")]
    pub payload: Option<PathBuf>,
    /// CSV rows (with a header) sent as `{"values": [{column: number, ...}, ...]}`.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// The function's name.
    #[arg(long, default_value = "wine-quality")]
    pub function_name: String,
    /// The version or alias to invoke.
    #[arg(long, default_value = "live")]
    pub qualifier: String,
    #[command(flatten)]
    pub aws: AwsArgs,
}

fn parse_separator(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!("`{s}` is not a one-character separator")),
    }
}
