//! The process: check it runs under a Runtime API, load the model once, report a bad model as
//! an init error, then poll for events.

use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use lambda_runtime_api_client::body::Body;
use lambda_runtime_api_client::{build_request, PooledClient};
use serde_json::value::RawValue;

use crate::model::load_from_env;
use crate::{Adapter, LambdaError};

/// The variables the Lambda runtime needs (Lambda, or an emulator, sets them).
pub const RUNTIME_VARS: [&str; 4] = [
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
];

/// Runs the function: loads the model named by `GROVE_MODEL` (and `GROVE_MODEL_VERSION` for an
/// `s3://` model; reporting failure to the
/// Runtime API's init-error endpoint), then answers events until the runtime stops.
pub async fn run() -> Result<(), lambda_runtime::Error> {
    let missing: Vec<&str> =
        RUNTIME_VARS.iter().copied().filter(|v| std::env::var_os(v).is_none()).collect();
    if !missing.is_empty() {
        return Err(format!(
            "not running under a Lambda Runtime API: {} not set (for a local server run \
             `grove serve`; to emulate Lambda use `cargo lambda watch --only-lambda-apis`)",
            missing.join(", ")
        )
        .into());
    }
    let model = match load_from_env().await {
        Ok(model) => model,
        Err(e) => {
            report_init_error(&e).await;
            return Err(e.into());
        }
    };
    tracing::info!(model = model.name(), version = %model.version, "model loaded");
    let adapter = Adapter::new(model);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Box<RawValue>>| {
        let adapter = adapter.clone();
        async move { adapter.handle(event.payload).await }
    }))
    .await
}

/// Posts `error` to the Runtime API's `/runtime/init/error`, so Lambda reports the init
/// failure with a stable `errorType`. Failures to report are logged, not fatal.
pub async fn report_init_error(error: &LambdaError) {
    let Some(api) = std::env::var("AWS_LAMBDA_RUNTIME_API").ok() else { return };
    let endpoint = match api.parse() {
        Ok(uri) => uri,
        Err(e) => {
            tracing::error!("AWS_LAMBDA_RUNTIME_API `{api}` is not a URI: {e}");
            return;
        }
    };
    let diagnostic = Diagnostic::from(error.clone());
    let body = match serde_json::to_vec(&diagnostic) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!("writing the init error: {e}");
            return;
        }
    };
    let request = build_request()
        .method("POST")
        .uri("/2018-06-01/runtime/init/error")
        .header("lambda-runtime-function-error-type", "Runtime.InitError")
        .header("content-type", "application/json")
        .body(Body::from(body));
    let request = match request {
        Ok(request) => request,
        Err(e) => {
            tracing::error!("building the init error request: {e}");
            return;
        }
    };
    let client = PooledClient::builder().with_endpoint(endpoint).build();
    match client.call(request).await {
        Ok(response) if response.status().is_success() => {}
        Ok(response) => {
            tracing::error!("the Runtime API answered {} to the init error", response.status())
        }
        Err(e) => tracing::error!("reporting the init error: {e}"),
    }
}
