//! The whole deploy, in the tutorial's order: role, (image: repository and push), function,
//! version, alias, function URL, (HTTP API and its permission). Each step reports one line per
//! resource as it finishes.

use std::collections::BTreeMap;

use grove_aws::SdkConfig;

use crate::lambda::{Code, FunctionSpec};
use crate::oci::Image;
use crate::registry::{self, Reference};
use crate::{ecr, http_api, iam, lambda, Change, ChangeKind, DeployError, Result};

/// What to deploy where.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Function name (`wine-quality`).
    pub function: String,
    /// Execution role name (`lambda-ex`).
    pub role: String,
    /// Alias (`live`).
    pub alias: String,
    /// Memory in MB (128).
    pub memory_mb: i32,
    /// Timeout in seconds (60).
    pub timeout_s: i32,
    /// `GROVE_MODEL` and any other variables.
    pub environment: BTreeMap<String, String>,
    /// The code.
    pub package: Package,
    /// A public function URL (auth NONE) instead of AWS_IAM.
    pub public: bool,
    /// Also an API Gateway HTTP API.
    pub http_api: bool,
}

/// The code to deploy.
#[derive(Debug, Clone)]
pub enum Package {
    /// `bootstrap.zip`'s bytes.
    Zip(Vec<u8>),
    /// An image, pushed to `registry` (default: the ECR repository named after the function,
    /// tag `latest`).
    Image {
        /// The image.
        image: Box<Image>,
        /// Another registry than ECR (or an ECR repository of another name).
        registry: Option<Reference>,
    },
}

/// What the deploy made.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Every resource's line.
    pub changes: Vec<Change>,
    /// The published version.
    pub version: String,
    /// The alias ARN.
    pub alias_arn: String,
    /// The function URL.
    pub function_url: String,
    /// The HTTP API's `POST /predict` URL, with `--http-api`.
    pub http_api_url: Option<String>,
}

/// Runs the deploy; `report` sees each change as it happens.
pub async fn run(sdk: &SdkConfig, plan: &Plan, mut report: impl FnMut(&Change)) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    let mut note = |changes: Vec<Change>, outcome: &mut Outcome| {
        for change in changes {
            report(&change);
            outcome.changes.push(change);
        }
    };
    let iam_client = aws_sdk_iam::Client::new(sdk);
    let lambda_client = aws_sdk_lambda::Client::new(sdk);

    let (role_arn, changes) = iam::ensure_role(&iam_client, &plan.role).await?;
    note(changes, &mut outcome);

    let code = match &plan.package {
        Package::Zip(bytes) => Code::Zip(bytes.clone()),
        Package::Image { image, registry } => {
            let ecr_client = aws_sdk_ecr::Client::new(sdk);
            let reference = match registry {
                Some(reference) => reference.clone(),
                None => {
                    let (uri, change) = ecr::ensure_repository(&ecr_client, &plan.function).await?;
                    note(vec![change], &mut outcome);
                    format!("{uri}:latest").parse()?
                }
            };
            let (uri, change) = push_image(&ecr_client, image, &reference).await?;
            note(vec![change], &mut outcome);
            Code::Image(uri)
        }
    };
    let spec = FunctionSpec {
        name: plan.function.clone(),
        role_arn,
        code,
        memory_mb: plan.memory_mb,
        timeout_s: plan.timeout_s,
        environment: plan.environment.clone(),
    };
    let (function_arn, changes) = lambda::ensure_function(&lambda_client, &spec).await?;
    note(changes, &mut outcome);

    let current = lambda::alias_version(&lambda_client, &plan.function, &plan.alias).await?;
    let (version, change) =
        lambda::publish_version(&lambda_client, &plan.function, current.as_deref()).await?;
    note(vec![change], &mut outcome);
    let (alias_arn, change) = lambda::ensure_alias(
        &lambda_client,
        &plan.function,
        &plan.alias,
        &version,
        current.as_deref(),
    )
    .await?;
    note(vec![change], &mut outcome);

    let (url, changes) =
        lambda::ensure_function_url(&lambda_client, &plan.function, &plan.alias, plan.public)
            .await?;
    note(changes, &mut outcome);

    if plan.http_api {
        let client = aws_sdk_apigatewayv2::Client::new(sdk);
        let alias_arn = if alias_arn.is_empty() {
            format!("{function_arn}:{}", plan.alias)
        } else {
            alias_arn.clone()
        };
        let (api, changes) = http_api::ensure_http_api(&client, &plan.function, &alias_arn).await?;
        note(changes, &mut outcome);
        let source = http_api::source_arn(&function_arn, &api.api_id)?;
        let change = lambda::allow_api_gateway(
            &lambda_client,
            &plan.function,
            &plan.alias,
            &api.api_id,
            &source,
        )
        .await?;
        note(vec![change], &mut outcome);
        outcome.http_api_url = Some(format!("{}/predict", api.endpoint.trim_end_matches('/')));
    }
    outcome.version = version;
    outcome.alias_arn = alias_arn;
    outcome.function_url = url;
    Ok(outcome)
}

/// Pushes the image (with ECR's credentials for an ECR registry) and returns its URI by digest.
async fn push_image(
    ecr_client: &aws_sdk_ecr::Client,
    image: &Image,
    reference: &Reference,
) -> Result<(String, Change)> {
    let credentials =
        if is_ecr(&reference.registry) { Some(ecr::credentials(ecr_client).await?) } else { None };
    let (image, target) = (image.clone(), reference.clone());
    let pushed =
        tokio::task::spawn_blocking(move || registry::push(&image, &target, credentials.as_ref()))
            .await
            .map_err(DeployError::PushStopped)??;
    let kind = if pushed.uploaded > 0 { ChangeKind::Created } else { ChangeKind::Unchanged };
    let detail =
        format!("{}, {} blobs ({} bytes) uploaded", pushed.digest, pushed.uploaded, pushed.bytes);
    Ok((
        reference.by_digest(&pushed.digest),
        Change::new(format!("image {reference}"), kind, detail),
    ))
}

/// True for an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com[.cn]`).
pub fn is_ecr(registry: &str) -> bool {
    let host = registry.split(':').next().unwrap_or_default();
    host.contains(".dkr.ecr.")
        && (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_hosts_are_recognised() {
        assert!(is_ecr("123456789012.dkr.ecr.eu-west-2.amazonaws.com"));
        assert!(!is_ecr("127.0.0.1:5000"));
        assert!(!is_ecr("ghcr.io"));
    }
}
