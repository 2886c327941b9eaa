use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result};
use grove_http::{AppState, ServerConfig};
use grove_request::{Limits, ServedModel};

use crate::cli::ServeArgs;
use crate::load::load_model;

pub fn run(args: &ServeArgs) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let forest = load_model(&args.model, &args.options)?;
    let model = ServedModel::with_content_version(forest);
    let (name, version) = (model.name().to_string(), model.version.clone());
    let limits = Limits { max_body_bytes: args.max_body_bytes, max_rows: args.max_rows };
    let config = ServerConfig {
        addr: SocketAddr::new(args.host, args.port),
        timeout: Duration::from_secs(args.timeout_secs),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(grove_http::serve(AppState::new(model, limits), &config, |addr| {
        tracing::info!(%addr, model = %name, %version, "serving: POST http://{addr}/predict");
    }))?;
    Ok(())
}
