//! The state every handler shares: the served model behind an atomic swap, the request limits,
//! the metrics, the reloader that follows a model feed, and the admin token.

use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use grove_request::{Limits, ModelFeed, ServedModel};

use crate::metrics::Metrics;
use crate::reload::{ReloadOptions, ReloadOutcome, Reloader};

/// What every handler shares: the served model, the request limits and the metrics.
///
/// The model sits in an [`ArcSwap`]: a handler takes the model once, at its start, and finishes
/// on it even if a reload swaps a new one in meanwhile; no request ever waits for a reload.
#[derive(Clone)]
pub struct AppState {
    model: Arc<ArcSwap<ServedModel>>,
    /// Body and row limits for every request.
    pub limits: Limits,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) reloader: Option<Arc<Reloader>>,
    pub(crate) admin_token: Option<Arc<str>>,
}

impl AppState {
    /// State serving `model` under `limits`: a fixed model, never reloaded.
    pub fn new(model: ServedModel, limits: Limits) -> AppState {
        let metrics = Arc::new(Metrics::new(&model, false));
        AppState {
            model: Arc::new(ArcSwap::from_pointee(model)),
            limits,
            metrics,
            reloader: None,
            admin_token: None,
        }
    }

    /// Follows `feed`: [`reload`](AppState::reload) (and the polling of
    /// [`spawn_polling`](AppState::spawn_polling), and `POST /admin/reload` when an admin token
    /// is set) swap in its latest version once it is validated. Call before serving.
    pub fn with_feed(mut self, feed: Arc<dyn ModelFeed>, options: ReloadOptions) -> AppState {
        self.metrics = Arc::new(Metrics::new(&self.model(), true));
        self.reloader = Some(Arc::new(Reloader::new(feed, options)));
        self
    }

    /// Enables `POST /admin/reload` for callers presenting `Authorization: Bearer <token>`.
    /// `None` or an empty token leaves the route out (a 404 like any unknown path).
    pub fn with_admin_token(mut self, token: Option<String>) -> AppState {
        self.admin_token = token.filter(|t| !t.is_empty()).map(Arc::from);
        self
    }

    /// The model that answers now.
    pub fn model(&self) -> Arc<ServedModel> {
        self.model.load_full()
    }

    /// Whether the model follows a feed.
    pub fn follows_feed(&self) -> bool {
        self.reloader.is_some()
    }

    /// Asks the feed for its latest version and swaps it in when it is new, valid and of the
    /// same schema (or schema changes are allowed). A version just rejected is tried again at
    /// once only when `retry_rejected` (the admin route retries; polling waits a minute before
    /// fetching it again). `None` when the state follows no feed.
    pub async fn reload(&self, retry_rejected: bool) -> Option<ReloadOutcome> {
        let reloader = self.reloader.as_ref()?;
        Some(reloader.reload(self, retry_rejected).await)
    }

    /// Polls the feed every `every` on the current tokio runtime (the first poll after one
    /// interval). `None` when the state follows no feed.
    pub fn spawn_polling(&self, every: Duration) -> Option<tokio::task::JoinHandle<()>> {
        self.reloader.as_ref()?;
        let state = self.clone();
        Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                let _ = state.reload(false).await;
            }
        }))
    }

    /// Swaps `model` in (already validated by the caller).
    pub(crate) fn swap(&self, model: Arc<ServedModel>) {
        self.model.store(model);
    }
}
