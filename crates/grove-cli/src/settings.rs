//! What the parsed arguments mean, resolved once per command: the AWS overrides every AWS
//! command shares, the forest a `train` asks for, a served model's S3 behaviour. Commands take
//! these values, never raw strings to interpret again.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use grove_aws::AwsSettings;
use grove_train::{Criterion, ForestParams};

use crate::cli::{AwsArgs, CriterionArg, ServeS3Args, TrainArgs};

/// The tutorial's settings: `RandomForestClassifier(n_estimators=10, random_state=42)`.
const WINE_TREES: usize = 10;
const WINE_SEED: u32 = 42;

/// How often a served S3 model is checked for a new version unless told.
const DEFAULT_POLL: Duration = Duration::from_secs(30);

/// The shortest polling interval: below it a server would hammer S3 with HEAD requests.
const MIN_POLL: Duration = Duration::from_millis(10);

impl AwsArgs {
    /// The overrides every AWS client of the command takes (S3, Lambda, IAM, ECR, …).
    pub fn settings(&self) -> AwsSettings {
        AwsSettings {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            ..AwsSettings::default()
        }
    }
}

impl ServeS3Args {
    /// The polling interval, `None` for no polling.
    pub fn poll_every(&self) -> Option<Duration> {
        match self.poll_interval {
            None => Some(DEFAULT_POLL),
            Some(Duration::ZERO) => None,
            Some(every) => Some(every.max(MIN_POLL)),
        }
    }

    /// Refuses these options for a model that is not in S3 (a local model never changes).
    pub fn check_local(&self, model: &str) -> Result<()> {
        if self.model_version.is_some()
            || self.poll_interval.is_some()
            || self.allow_schema_change
            || self.aws.given()
        {
            bail!(
                "--model-version, --poll-interval, --allow-schema-change, --profile, \
                 --endpoint-url and --region apply to s3:// models only, and `{model}` is local"
            );
        }
        Ok(())
    }
}

impl CriterionArg {
    fn criterion(self) -> Criterion {
        match self {
            CriterionArg::Gini => Criterion::Gini,
            CriterionArg::Entropy | CriterionArg::LogLoss => Criterion::Entropy,
            CriterionArg::SquaredError => Criterion::SquaredError,
        }
    }
}

impl TrainArgs {
    /// sklearn's parameters for this training: its defaults, the wine recipe's, then the flags.
    pub fn forest_params(&self, wine: bool) -> ForestParams {
        let seed = self.random_state.unwrap_or(if wine { WINE_SEED } else { 0 });
        let mut p = if self.regression {
            ForestParams::regressor(seed)
        } else {
            ForestParams::classifier(seed)
        };
        if let Some(n) = self.n_estimators.or(wine.then_some(WINE_TREES)) {
            p.n_estimators = n;
        }
        if let Some(c) = self.criterion {
            p.tree.criterion = c.criterion();
        }
        if let Some(m) = self.max_features {
            p.tree.max_features = m;
        }
        p.tree.max_depth = self.max_depth;
        p.tree.min_samples_split = self.min_samples_split;
        p.tree.min_samples_leaf = self.min_samples_leaf;
        p.bootstrap = !self.no_bootstrap;
        p
    }
}

/// A runtime for one command's AWS calls.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Parses `s3://bucket/key`.
pub fn s3_location(spec: &str) -> Result<grove_store::S3Location> {
    Ok(grove_store::S3Location::parse(spec)?)
}
