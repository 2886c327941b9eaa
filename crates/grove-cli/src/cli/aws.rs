//! The arguments of the commands that reach AWS: shipping the function (`package`, `deploy`,
//! `invoke`), a served model's S3 options, and the model versions in S3 (`push`, `models`,
//! `rollback`). One [`AwsArgs`] for all of them, so every command takes `--profile`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, BootstrapOptions, ModelOptions};

/// The standard AWS configuration (environment, `~/.aws/config`, credentials) and overrides.
#[derive(Debug, Clone, Default, Args)]
pub struct AwsArgs {
    /// The AWS profile (default: `AWS_PROFILE`, else `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// The AWS region (default: `AWS_REGION`, else the profile's).
    #[arg(long)]
    pub region: Option<String>,
    /// One endpoint for every AWS service, e.g. a local moto server `http://127.0.0.1:5000`
    /// (`AWS_ENDPOINT_URL` works too); S3 buckets are then addressed by path.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    /// Whether any override was given.
    pub fn given(&self) -> bool {
        self.profile.is_some() || self.region.is_some() || self.endpoint_url.is_some()
    }
}

/// How the function is shipped: a zip (the default) or an OCI image.
#[derive(Debug, Clone, Default, Args)]
pub struct ImageArgs {
    /// An OCI image instead of a zip (FROM scratch: bootstrap, model, shared libraries), pushed
    /// to --registry, else by `deploy` to the function's ECR repository.
    #[arg(long)]
    pub image: bool,
    /// Push the image to HOST[:PORT]/REPOSITORY[:TAG] (plain HTTP for a loopback registry).
    #[arg(long, value_name = "REF", requires = "image")]
    pub registry: Option<String>,
}

/// `grove serve`'s options for a model in S3.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeS3Args {
    /// Serve this version of an s3:// model (a version id or a label) and do not follow newer
    /// ones (default: the latest, followed).
    #[arg(long, value_name = "VERSION")]
    pub model_version: Option<String>,
    /// Time between checks for a new version of an s3:// model (one HEAD request each):
    /// seconds (`30`, `0.5`) or a duration (`2m`); 0 turns polling off. Default 30 s.
    #[arg(long, value_name = "SECS", value_parser = parse_duration)]
    pub poll_interval: Option<Duration>,
    /// Accept a new version whose features, target or classes differ from the served one's.
    #[arg(long)]
    pub allow_schema_change: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove package wine.grove -o dist
  grove package --image --registry 127.0.0.1:5000/wine:latest")]
pub struct PackageArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, or `wine-quality` (the
    /// built-in model, with no model file in the package).
    #[arg(default_value = "wine-quality")]
    pub model: String,
    /// The directory to write `bootstrap.zip` (or the image layout `image/`) in.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    #[command(flatten)]
    pub ship: ImageArgs,
    #[command(flatten)]
    pub bootstrap: BootstrapOptions,
    #[command(flatten)]
    pub options: ModelOptions,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove deploy wine.grove                      # role lambda-ex, function wine-quality, alias live
  grove deploy wine.grove --http-api --public
  grove deploy --endpoint-url http://127.0.0.1:5000 --region us-east-1")]
pub struct DeployArgs {
    /// A `.grove` file, a scikit-learn pickle/joblib/MLflow model, or `wine-quality` (the
    /// built-in model).
    #[arg(default_value = "wine-quality")]
    pub model: String,
    /// The function's name.
    #[arg(long, default_value = "wine-quality")]
    pub function_name: String,
    /// The execution role's name (created with Lambda's trust policy when missing).
    #[arg(long, default_value = "lambda-ex")]
    pub role: String,
    /// The alias moved to each published version; the function URL is on it.
    #[arg(long, default_value = "live")]
    pub alias: String,
    /// Memory in MB (Lambda allows 128 to 10240).
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(i32).range(128..=10240))]
    pub memory: i32,
    /// Timeout in seconds (Lambda allows 1 to 900).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(i32).range(1..=900))]
    pub timeout: i32,
    /// Make the function URL public (auth NONE): anyone with the URL can call it.
    #[arg(long)]
    pub public: bool,
    /// Also create an API Gateway HTTP API (`POST /predict` and `$default`) on the alias.
    #[arg(long)]
    pub http_api: bool,
    #[command(flatten)]
    pub ship: ImageArgs,
    #[command(flatten)]
    pub bootstrap: BootstrapOptions,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub options: ModelOptions,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove invoke                                 # the tutorial's event
  grove invoke event.json --qualifier 3
  grove invoke --csv rows.csv")]
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

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  grove push wine.grove s3://models/wine.grove --label v2 --create-bucket
  grove push model.pkl s3://models/wine.grove --target-name quality")]
pub struct PushArgs {
    /// A `.grove` file (uploaded as is), a scikit-learn pickle/joblib/MLflow model (converted to
    /// `.grove` first) or a built-in name (`wine-quality`).
    pub model: String,
    /// Where: `s3://bucket/key`. Every push is a new S3 object version of that key.
    #[arg(value_name = "S3_URI")]
    pub destination: String,
    /// A human label for this version (`grove models` shows it; `grove rollback --to` and
    /// `--model-version` accept it).
    #[arg(long)]
    pub label: Option<String>,
    /// Create the bucket, with versioning on, if it does not exist.
    #[arg(long)]
    pub create_bucket: bool,
    /// Turn versioning on in an existing bucket that does not keep versions.
    #[arg(long)]
    pub enable_versioning: bool,
    /// Print the new version as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub options: ModelOptions,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// The model: `s3://bucket/key`.
    #[arg(value_name = "S3_URI")]
    pub location: String,
    /// Print JSON (an array, newest first) instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The model: `s3://bucket/key`.
    #[arg(value_name = "S3_URI")]
    pub location: String,
    /// The version to bring back: a version id or a label.
    #[arg(long, value_name = "VERSION")]
    pub to: String,
    /// Print the new version as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}
