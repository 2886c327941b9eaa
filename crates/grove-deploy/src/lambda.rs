//! The function itself: created, or updated in place (code, then configuration, each only when
//! it differs, waiting with the SDK's waiters while Lambda reports it pending or an update in
//! progress); a published version, waited on until active; the alias moved to it; the function URL on the alias (AWS_IAM, or NONE with the public
//! permissions); and the permission letting API Gateway invoke the alias.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use aws_sdk_lambda::client::Waiters;
use aws_sdk_lambda::error::DisplayErrorContext;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{
    Architecture, Environment, FunctionCode, FunctionConfiguration, FunctionUrlAuthType,
    PackageType, Runtime,
};
use aws_sdk_lambda::Client;
use aws_smithy_runtime_api::client::waiters::error::WaiterError;

use crate::{code_sha256, Change, ChangeKind, DeployError, Result};

/// The function's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// A `bootstrap.zip`'s bytes (runtime `provided.al2023`, handler `bootstrap`).
    Zip(Vec<u8>),
    /// An image URI (`…/repo@sha256:…`).
    Image(String),
}

/// What the function should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSpec {
    /// Function name, e.g. `wine-quality`.
    pub name: String,
    /// The execution role's ARN.
    pub role_arn: String,
    /// The code.
    pub code: Code,
    /// Memory in MB.
    pub memory_mb: i32,
    /// Timeout in seconds.
    pub timeout_s: i32,
    /// Environment variables (`GROVE_MODEL`).
    pub environment: BTreeMap<String, String>,
}

/// The runtime of zip functions.
pub const RUNTIME: &str = "provided.al2023";
/// The handler of zip functions (the custom runtime ignores it; the tutorial sets it).
pub const HANDLER: &str = "bootstrap";

/// The longest wait for Lambda to finish an update.
const UPDATE_WAIT: Duration = Duration::from_secs(300);

/// Creates or updates the function (code and configuration), waiting until it is ready.
/// Returns its ARN (unqualified) and what changed.
pub async fn ensure_function(
    client: &Client,
    spec: &FunctionSpec,
) -> Result<(String, Vec<Change>)> {
    let resource = format!("function {}", spec.name);
    let existing = match client.get_function().function_name(&spec.name).send().await {
        Ok(output) => Some(output),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => None,
        Err(e) => return Err(DeployError::aws("lambda:GetFunction")(e)),
    };
    let Some(existing) = existing else {
        let arn = create(client, spec).await?;
        wait_active(client, &spec.name).await?;
        let detail =
            format!("{}, {} MB, {} s", describe(&spec.code), spec.memory_mb, spec.timeout_s);
        return Ok((arn, vec![Change::new(resource, ChangeKind::Created, detail)]));
    };
    let config = existing.configuration().ok_or_else(|| DeployError::Incomplete {
        service: "Lambda",
        missing: format!("configuration for `{}`", spec.name),
    })?;
    let arn = config.function_arn().unwrap_or_default().to_string();
    let mut changes = Vec::new();
    // A function left pending or mid-update by an earlier run takes no update until it settles.
    wait_active(client, &spec.name).await?;
    wait_updated(client, &spec.name).await?;

    // The code.
    let wanted_type = match spec.code {
        Code::Zip(_) => PackageType::Zip,
        Code::Image(_) => PackageType::Image,
    };
    if config.package_type().is_some_and(|t| *t != wanted_type) {
        return Err(DeployError::PackageTypeChange {
            function: spec.name.clone(),
            deployed: config.package_type().map_or("?", |t| t.as_str()).to_string(),
            wanted: wanted_type.as_str().to_string(),
        });
    }
    let code_changed = match &spec.code {
        Code::Zip(bytes) => config.code_sha256() != Some(code_sha256(bytes).as_str()),
        Code::Image(uri) => existing.code().and_then(|c| c.image_uri()) != Some(uri.as_str()),
    };
    let code_resource = format!("{resource} code");
    if code_changed {
        let update = client.update_function_code().function_name(&spec.name);
        let update = match &spec.code {
            Code::Zip(bytes) => update.zip_file(Blob::new(bytes.clone())),
            Code::Image(uri) => update.image_uri(uri),
        };
        update.send().await.map_err(DeployError::aws("lambda:UpdateFunctionCode"))?;
        wait_updated(client, &spec.name).await?;
        changes.push(Change::new(code_resource, ChangeKind::Updated, describe(&spec.code)));
    } else {
        changes.push(Change::new(code_resource, ChangeKind::Unchanged, describe(&spec.code)));
    }

    // The configuration.
    let differences = config_differences(config, spec);
    let config_resource = format!("{resource} configuration");
    if differences.is_empty() {
        changes.push(Change::new(config_resource, ChangeKind::Unchanged, ""));
    } else {
        let mut update = client
            .update_function_configuration()
            .function_name(&spec.name)
            .role(&spec.role_arn)
            .memory_size(spec.memory_mb)
            .timeout(spec.timeout_s)
            .environment(environment(spec));
        if let Code::Zip(_) = spec.code {
            update = update.runtime(Runtime::Providedal2023).handler(HANDLER);
        }
        update.send().await.map_err(DeployError::aws("lambda:UpdateFunctionConfiguration"))?;
        wait_updated(client, &spec.name).await?;
        changes.push(Change::new(config_resource, ChangeKind::Updated, differences.join(", ")));
    }
    Ok((arn, changes))
}

async fn create(client: &Client, spec: &FunctionSpec) -> Result<String> {
    // A role made seconds ago may not be assumable yet (IAM is eventually consistent): retry.
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut request = client
            .create_function()
            .function_name(&spec.name)
            .role(&spec.role_arn)
            .architectures(Architecture::X8664)
            .memory_size(spec.memory_mb)
            .timeout(spec.timeout_s)
            .environment(environment(spec))
            .description("grove: tree-ensemble predictions (grove deploy)");
        request = match &spec.code {
            Code::Zip(bytes) => request
                .package_type(PackageType::Zip)
                .runtime(Runtime::Providedal2023)
                .handler(HANDLER)
                .code(FunctionCode::builder().zip_file(Blob::new(bytes.clone())).build()),
            Code::Image(uri) => request
                .package_type(PackageType::Image)
                .code(FunctionCode::builder().image_uri(uri).build()),
        };
        match request.send().await {
            Ok(output) => return Ok(output.function_arn().unwrap_or_default().to_string()),
            // Lambda answers a role it cannot assume yet with InvalidParameterValueException
            // (matched by its code, not its wording); any other error is final. Another invalid
            // parameter surfaces the same way, only after the retries (under 30 s).
            Err(e)
                if attempt < 10
                    && e.as_service_error()
                        .is_some_and(|s| s.is_invalid_parameter_value_exception()) =>
            {
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            Err(e) => return Err(DeployError::aws("lambda:CreateFunction")(e)),
        }
    }
}

fn environment(spec: &FunctionSpec) -> Environment {
    let variables: HashMap<String, String> =
        spec.environment.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    Environment::builder().set_variables(Some(variables)).build()
}

fn describe(code: &Code) -> String {
    match code {
        Code::Zip(bytes) => format!("zip {} bytes, {RUNTIME}, x86_64", bytes.len()),
        Code::Image(uri) => format!("image {uri}, x86_64"),
    }
}

/// What differs between the deployed configuration and the spec, in words.
fn config_differences(config: &FunctionConfiguration, spec: &FunctionSpec) -> Vec<String> {
    let mut out = Vec::new();
    if config.role() != Some(spec.role_arn.as_str()) {
        out.push(format!("role → {}", spec.role_arn));
    }
    if config.memory_size() != Some(spec.memory_mb) {
        out.push(format!("memory {} → {} MB", config.memory_size().unwrap_or(0), spec.memory_mb));
    }
    if config.timeout() != Some(spec.timeout_s) {
        out.push(format!("timeout {} → {} s", config.timeout().unwrap_or(0), spec.timeout_s));
    }
    let deployed: BTreeMap<String, String> = config
        .environment()
        .and_then(|e| e.variables())
        .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    if deployed != spec.environment {
        let names: Vec<&str> = spec
            .environment
            .iter()
            .filter(|(k, v)| deployed.get(*k) != Some(*v))
            .map(|(k, _)| k.as_str())
            .chain(
                deployed.keys().filter(|k| !spec.environment.contains_key(*k)).map(String::as_str),
            )
            .collect();
        out.push(format!("environment ({})", names.join(", ")));
    }
    if let Code::Zip(_) = spec.code {
        if config.runtime() != Some(&Runtime::Providedal2023) {
            out.push(format!("runtime → {RUNTIME}"));
        }
        if config.handler() != Some(HANDLER) {
            out.push(format!("handler → {HANDLER}"));
        }
    }
    out
}

/// Waits while the function is `Pending` (after its creation); fails when it ends `Failed`.
async fn wait_active(client: &Client, name: &str) -> Result<()> {
    let outcome =
        client.wait_until_function_active_v2().function_name(name).wait(UPDATE_WAIT).await;
    settled(outcome, "lambda:GetFunction", name, |output| {
        let config = output.configuration();
        DeployError::FunctionFailed {
            function: name.to_string(),
            reason: reason(config.and_then(|c| c.state_reason())),
        }
    })
}

/// Waits while the function's last update is `InProgress`; fails when it ends `Failed`.
async fn wait_updated(client: &Client, name: &str) -> Result<()> {
    let outcome =
        client.wait_until_function_updated_v2().function_name(name).wait(UPDATE_WAIT).await;
    settled(outcome, "lambda:GetFunction", name, |output| {
        let config = output.configuration();
        DeployError::UpdateFailed {
            function: name.to_string(),
            reason: reason(config.and_then(|c| c.last_update_status_reason())),
        }
    })
}

/// Waits while a published version is `Pending`; fails when it ends `Failed`.
async fn wait_version_active(client: &Client, name: &str, version: &str) -> Result<()> {
    let outcome = client
        .wait_until_published_version_active()
        .function_name(name)
        .qualifier(version)
        .wait(UPDATE_WAIT)
        .await;
    let function = format!("{name}:{version}");
    settled(outcome, "lambda:GetFunctionConfiguration", &function, |output| {
        DeployError::FunctionFailed {
            function: function.clone(),
            reason: reason(output.state_reason()),
        }
    })
}

fn reason(text: Option<&str>) -> String {
    text.unwrap_or("no reason given").to_string()
}

/// A waiter's outcome in grove's words: the failure state through `failed` (which reads
/// Lambda's reason from the last answer), the deadline as [`DeployError::StillUpdating`], any
/// other failure as the polling operation's AWS error.
fn settled<T, O, E>(
    outcome: std::result::Result<T, WaiterError<O, E>>,
    operation: &'static str,
    function: &str,
    failed: impl FnOnce(&O) -> DeployError,
) -> Result<()>
where
    O: std::fmt::Debug + 'static,
    E: std::error::Error + Send + Sync + 'static,
{
    match outcome {
        Ok(_) => Ok(()),
        Err(WaiterError::FailureState(state)) => match state.final_poll().as_result() {
            Ok(output) => Err(failed(output)),
            Err(error) => {
                Err(DeployError::Aws { operation, message: DisplayErrorContext(error).to_string() })
            }
        },
        Err(WaiterError::ExceededMaxWait(_)) => Err(DeployError::StillUpdating {
            function: function.to_string(),
            waited_s: UPDATE_WAIT.as_secs(),
        }),
        Err(other) => Err(DeployError::aws(operation)(other)),
    }
}

/// The alias's current version, if the alias exists.
pub async fn alias_version(client: &Client, name: &str, alias: &str) -> Result<Option<String>> {
    match client.get_alias().function_name(name).name(alias).send().await {
        Ok(output) => Ok(output.function_version().map(str::to_string)),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => {
            Ok(None)
        }
        Err(e) => Err(DeployError::aws("lambda:GetAlias")(e)),
    }
}

/// Publishes a version of `$LATEST` (Lambda returns the newest version when nothing changed
/// since it). `current` is the alias's version, to report an unchanged version as such.
pub async fn publish_version(
    client: &Client,
    name: &str,
    current: Option<&str>,
) -> Result<(String, Change)> {
    let output = client
        .publish_version()
        .function_name(name)
        .description("grove deploy")
        .send()
        .await
        .map_err(DeployError::aws("lambda:PublishVersion"))?;
    let version = output.version().unwrap_or_default().to_string();
    wait_version_active(client, name, &version).await?;
    let kind =
        if current == Some(version.as_str()) { ChangeKind::Unchanged } else { ChangeKind::Created };
    Ok((version.clone(), Change::new(format!("version {version}"), kind, "")))
}

/// Creates the alias on `version`, or moves it there. Returns the alias ARN.
pub async fn ensure_alias(
    client: &Client,
    name: &str,
    alias: &str,
    version: &str,
    current: Option<&str>,
) -> Result<(String, Change)> {
    let resource = format!("alias {alias}");
    let (arn, change) = match current {
        None => {
            let output = client
                .create_alias()
                .function_name(name)
                .name(alias)
                .function_version(version)
                .send()
                .await
                .map_err(DeployError::aws("lambda:CreateAlias"))?;
            (
                output.alias_arn().map(str::to_string),
                Change::new(resource, ChangeKind::Created, format!("→ version {version}")),
            )
        }
        Some(old) if old != version => {
            let output = client
                .update_alias()
                .function_name(name)
                .name(alias)
                .function_version(version)
                .send()
                .await
                .map_err(DeployError::aws("lambda:UpdateAlias"))?;
            (
                output.alias_arn().map(str::to_string),
                Change::new(resource, ChangeKind::Updated, format!("version {old} → {version}")),
            )
        }
        Some(_) => {
            let output = client
                .get_alias()
                .function_name(name)
                .name(alias)
                .send()
                .await
                .map_err(DeployError::aws("lambda:GetAlias"))?;
            (
                output.alias_arn().map(str::to_string),
                Change::new(resource, ChangeKind::Unchanged, format!("→ version {version}")),
            )
        }
    };
    Ok((arn.unwrap_or_default(), change))
}

/// The statement that lets anyone call a public (auth NONE) function URL.
pub const PUBLIC_URL_STATEMENT: &str = "grove-function-url-public";
/// The statement that lets public function URL calls invoke the function.
pub const PUBLIC_INVOKE_STATEMENT: &str = "grove-function-url-public-invoke";

/// Creates the function URL on `alias` (auth `AWS_IAM`, or `NONE` when `public`), or changes its
/// auth type. A public URL also gets the resource-policy statements that let anyone call it.
/// Returns the URL.
pub async fn ensure_function_url(
    client: &Client,
    name: &str,
    alias: &str,
    public: bool,
) -> Result<(String, Vec<Change>)> {
    let auth = if public { FunctionUrlAuthType::None } else { FunctionUrlAuthType::AwsIam };
    let resource = format!("function URL ({alias})");
    let mut changes = Vec::new();
    let existing =
        match client.get_function_url_config().function_name(name).qualifier(alias).send().await {
            Ok(output) => Some(output),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => {
                None
            }
            Err(e) => return Err(DeployError::aws("lambda:GetFunctionUrlConfig")(e)),
        };
    let url = match existing {
        None => {
            let output = client
                .create_function_url_config()
                .function_name(name)
                .qualifier(alias)
                .auth_type(auth.clone())
                .send()
                .await
                .map_err(DeployError::aws("lambda:CreateFunctionUrlConfig"))?;
            let url = output.function_url().to_string();
            changes.push(Change::new(
                resource,
                ChangeKind::Created,
                format!("{} {url}", auth.as_str()),
            ));
            url
        }
        Some(output) if *output.auth_type() != auth => {
            let updated = client
                .update_function_url_config()
                .function_name(name)
                .qualifier(alias)
                .auth_type(auth.clone())
                .send()
                .await
                .map_err(DeployError::aws("lambda:UpdateFunctionUrlConfig"))?;
            let url = updated.function_url().to_string();
            let detail = format!("{} → {} {url}", output.auth_type().as_str(), auth.as_str());
            changes.push(Change::new(resource, ChangeKind::Updated, detail));
            url
        }
        Some(output) => {
            let url = output.function_url().to_string();
            changes.push(Change::new(
                resource,
                ChangeKind::Unchanged,
                format!("{} {url}", auth.as_str()),
            ));
            url
        }
    };
    if public {
        let url_permission = client
            .add_permission()
            .function_name(name)
            .qualifier(alias)
            .statement_id(PUBLIC_URL_STATEMENT)
            .action("lambda:InvokeFunctionUrl")
            .principal("*")
            .function_url_auth_type(FunctionUrlAuthType::None);
        changes
            .push(add_permission(client, url_permission, "permission public function URL").await?);
        let invoke_permission = client
            .add_permission()
            .function_name(name)
            .qualifier(alias)
            .statement_id(PUBLIC_INVOKE_STATEMENT)
            .action("lambda:InvokeFunction")
            .principal("*")
            .invoked_via_function_url(true);
        changes.push(
            add_permission(client, invoke_permission, "permission public invoke via URL").await?,
        );
    }
    Ok((url, changes))
}

/// Lets API Gateway (`source_arn`: `arn:aws:execute-api:<region>:<account>:<api>/*/*`) invoke
/// the alias.
pub async fn allow_api_gateway(
    client: &Client,
    name: &str,
    alias: &str,
    api_id: &str,
    source_arn: &str,
) -> Result<Change> {
    let request = client
        .add_permission()
        .function_name(name)
        .qualifier(alias)
        .statement_id(format!("grove-http-api-{api_id}"))
        .action("lambda:InvokeFunction")
        .principal("apigateway.amazonaws.com")
        .source_arn(source_arn);
    add_permission(client, request, "permission API Gateway invoke").await
}

/// Adds a permission statement unless the resource policy has one of that id (`unchanged`).
async fn add_permission(
    client: &Client,
    request: aws_sdk_lambda::operation::add_permission::builders::AddPermissionFluentBuilder,
    resource: &str,
) -> Result<Change> {
    let statement = request.get_statement_id().clone().unwrap_or_default();
    let function = request.get_function_name().clone().unwrap_or_default();
    let qualifier = request.get_qualifier().clone();
    if policy_statements(client, &function, qualifier.as_deref()).await?.contains(&statement) {
        return Ok(Change::new(resource, ChangeKind::Unchanged, statement));
    }
    match request.send().await {
        Ok(_) => Ok(Change::new(resource, ChangeKind::Created, statement)),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_conflict_exception()) => {
            Ok(Change::new(resource, ChangeKind::Unchanged, statement))
        }
        Err(e) => Err(DeployError::aws("lambda:AddPermission")(e)),
    }
}

/// The statement ids of the function's (or the qualifier's) resource policy.
pub async fn policy_statements(
    client: &Client,
    name: &str,
    qualifier: Option<&str>,
) -> Result<Vec<String>> {
    let policy = match client
        .get_policy()
        .function_name(name)
        .set_qualifier(qualifier.map(str::to_string))
        .send()
        .await
    {
        Ok(output) => output.policy().unwrap_or_default().to_string(),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => {
            return Ok(Vec::new())
        }
        Err(e) => return Err(DeployError::aws("lambda:GetPolicy")(e)),
    };
    let policy: serde_json::Value = serde_json::from_str(&policy).unwrap_or_default();
    let statements = policy["Statement"].as_array().cloned().unwrap_or_default();
    Ok(statements.iter().filter_map(|s| s["Sid"].as_str().map(str::to_string)).collect())
}

#[cfg(test)]
mod tests {
    use aws_sdk_lambda::operation::get_function::{GetFunctionError, GetFunctionOutput};
    use aws_sdk_lambda::types::{LastUpdateStatus, State};
    use aws_smithy_runtime_api::client::waiters::error::{ExceededMaxWait, FailureState};
    use aws_smithy_runtime_api::client::waiters::FinalPoll;

    use super::*;

    type Outcome = std::result::Result<(), WaiterError<GetFunctionOutput, GetFunctionError>>;

    // The SDK's WaiterError is large by design; these tests only move it into `settled`.
    #[allow(clippy::result_large_err)]
    fn failed_with(config: FunctionConfiguration) -> Outcome {
        let output = GetFunctionOutput::builder().configuration(config).build();
        Err(WaiterError::FailureState(FailureState::new(FinalPoll::new(Ok(output)))))
    }

    fn as_function_failed(output: &GetFunctionOutput) -> DeployError {
        DeployError::FunctionFailed {
            function: "wine".into(),
            reason: reason(output.configuration().and_then(|c| c.state_reason())),
        }
    }

    #[test]
    fn waiter_outcomes_keep_grove_s_wording() {
        let ok: Outcome = Ok(());
        assert!(settled(ok, "lambda:GetFunction", "wine", as_function_failed).is_ok());

        let config =
            FunctionConfiguration::builder().state(State::Failed).state_reason("no image").build();
        let error = settled(failed_with(config), "lambda:GetFunction", "wine", as_function_failed);
        assert_eq!(error.unwrap_err().to_string(), "function `wine` failed: no image");

        let config =
            FunctionConfiguration::builder().last_update_status(LastUpdateStatus::Failed).build();
        let error = settled(failed_with(config), "lambda:GetFunction", "wine", |output| {
            DeployError::UpdateFailed {
                function: "wine".into(),
                reason: reason(output.configuration().and_then(|c| c.last_update_status_reason())),
            }
        });
        assert_eq!(error.unwrap_err().to_string(), "the update of `wine` failed: no reason given");

        let late: Outcome =
            Err(WaiterError::ExceededMaxWait(ExceededMaxWait::new(UPDATE_WAIT, UPDATE_WAIT, 40)));
        let error = settled(late, "lambda:GetFunction", "wine", as_function_failed);
        assert_eq!(
            error.unwrap_err().to_string(),
            "function `wine` was still updating after 300 s"
        );
    }
}
