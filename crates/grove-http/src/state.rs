use std::sync::Arc;

use grove_request::{Limits, ServedModel};

use crate::metrics::Metrics;

/// What every handler shares: the served model, the request limits and the metrics.
#[derive(Clone)]
pub struct AppState {
    model: Arc<ServedModel>,
    /// Body and row limits for every request.
    pub limits: Limits,
    pub(crate) metrics: Arc<Metrics>,
}

impl AppState {
    /// State serving `model` under `limits`.
    pub fn new(model: ServedModel, limits: Limits) -> AppState {
        let metrics = Arc::new(Metrics::new(&model));
        AppState { model: Arc::new(model), limits, metrics }
    }

    /// The model that answers now.
    pub fn model(&self) -> Arc<ServedModel> {
        Arc::clone(&self.model)
    }
}
