//! The local server's lifecycle: binding, the runtime it runs on, the heartbeat timer, and a
//! graceful stop on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::time::Duration;

use thiserror::Error;
use tower_http::trace::TraceLayer;

use crate::{app, AppState};

/// How the local server listens.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to bind (127.0.0.1 by default: exposing it is a choice).
    pub addr: SocketAddr,
    /// Per-request timeout.
    pub timeout: Duration,
}

/// Why the server stopped with an error.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {error}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        error: std::io::Error,
    },
    /// The server failed while running.
    #[error("the server failed: {0}")]
    Run(std::io::Error),
}

/// Serves `state` until SIGINT or SIGTERM, then finishes the requests in flight. `on_ready`
/// is called with the bound address (useful with port 0).
///
/// Run it on [`runtime`].
pub async fn serve(
    state: AppState,
    config: &ServerConfig,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|error| ServeError::Bind { addr: config.addr, error })?;
    let addr = listener.local_addr().map_err(ServeError::Run)?;
    let router = app(state, config.timeout);
    let heartbeat = tokio::spawn(heartbeat(config.timeout));
    on_ready(addr);
    // Per-request trace events are DEBUG: the layer that makes them is only there when they
    // would be written, as it wraps every response body.
    let served = if tracing::enabled!(target: "tower_http::trace", tracing::Level::DEBUG) {
        let router = router.layer(TraceLayer::new_for_http());
        axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await
    } else {
        axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await
    };
    heartbeat.abort();
    served.map_err(ServeError::Run)
}

/// Keeps a timer due sooner than any request's timeout. Tokio wakes its I/O driver (an eventfd
/// write) whenever a new timer is the earliest one; without this, every request's timeout timer
/// was, and the wake-up cost about a tenth of a one-row request's time.
async fn heartbeat(timeout: Duration) {
    let mut tick = tokio::time::interval((timeout / 2).min(Duration::from_secs(1)));
    loop {
        tick.tick().await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// The runtime `grove serve` runs on: with one core (a small container, a pinned process), a
/// single thread, since two threads on one core only wake each other (every request's timeout
/// timer would wake the thread parked on the I/O driver); otherwise one worker per core.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut builder = if cores == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    builder.enable_all().build()
}
