//! `grove serve`: a local model or an S3 one (followed by polling and `/admin/reload`) behind
//! grove-http's Router.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use grove_http::{AppState, ReloadOptions, ServerConfig};
use grove_request::Limits;
use grove_store::{ModelLocation, S3Store};

use crate::cli::ServeArgs;
use crate::load::load_served;
use crate::settings::s3_location;

pub fn run(args: &ServeArgs) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let limits = Limits { max_body_bytes: args.max_body_bytes, max_rows: args.max_rows };
    let config =
        ServerConfig { addr: SocketAddr::new(args.host, args.port), timeout: args.timeout_secs };
    let runtime = grove_http::runtime().context("cannot start the async runtime")?;
    let (state, poll) = if ModelLocation::is_s3(&args.model) {
        runtime.block_on(s3_state(args, limits))?
    } else {
        // A local model (file, pickle, built-in) is loaded once and never reloaded.
        args.s3.check_local(&args.model)?;
        (AppState::new(load_served(&args.model, &args.options)?, limits), None)
    };
    let model = state.model();
    let (name, version) = (model.name().to_string(), model.version.clone());
    drop(model);
    runtime.block_on(async {
        if let Some(every) = poll {
            state.spawn_polling(every);
        }
        grove_http::serve(state, &config, |addr| {
            tracing::info!(%addr, model = %name, %version, "serving: POST http://{addr}/predict");
        })
        .await
    })?;
    Ok(())
}

/// An s3:// model: the latest version (or `--model-version`), loaded through grove-store like
/// the Lambda function loads it, then followed by polling and `POST /admin/reload` (with
/// `GROVE_ADMIN_TOKEN` set) unless a version was pinned. `x-model-version` is the S3 version id.
async fn s3_state(args: &ServeArgs, limits: Limits) -> Result<(AppState, Option<Duration>)> {
    let location = s3_location(&args.model)?;
    let store = S3Store::connect(location, &args.s3.aws.settings()).await?;
    let pinned = args.s3.model_version.as_deref();
    let model =
        store.load(pinned).await.with_context(|| format!("cannot load `{}`", args.model))?;
    tracing::info!(source = %args.model, version = %model.version, "loaded the model from S3");
    let state = AppState::new(model, limits);
    if pinned.is_some() {
        return Ok((state, None));
    }
    let options = ReloadOptions { allow_schema_change: args.s3.allow_schema_change };
    let token = std::env::var(grove_http::ADMIN_TOKEN_VAR).ok();
    let state = state.with_feed(Arc::new(store), options).with_admin_token(token);
    Ok((state, args.s3.poll_every()))
}
