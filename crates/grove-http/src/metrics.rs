//! Prometheus metrics: requests and latency by route and status, rows predicted, which model
//! and version are served, and (for a model that follows a feed) reloads by result.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use grove_request::ServedModel;

use crate::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ModelLabels {
    model: String,
    version: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    result: String,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;
/// A route's metric handles by status.
type RouteHandles = Vec<(u16, Counter, Histogram)>;

pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    latency: Latency,
    rows: Family<ModelLabels, Counter>,
    info: Family<ModelLabels, Gauge>,
    reloads: Family<ReloadLabels, Counter>,
    /// Handles into `requests` and `latency` by route, then status: a family lookup builds and
    /// hashes owned label strings, which cost more than answering a one-row request does.
    routes: RwLock<HashMap<String, RouteHandles>>,
    /// The `rows` counter of the model last counted, by (name, version).
    rows_of: RwLock<Option<(ModelLabels, Counter)>>,
}

fn labels(model: &ServedModel) -> ModelLabels {
    ModelLabels { model: model.name().to_string(), version: model.version.clone() }
}

fn latency_histogram() -> Histogram {
    // 25 µs to about 0.8 s: grove answers in microseconds; the top buckets catch big batches.
    Histogram::new(exponential_buckets(0.000_025, 2.0, 16))
}

impl Metrics {
    /// The metrics of a server of `model`; with `reloads`, also `grove_model_reloads_total`.
    pub(crate) fn new(model: &ServedModel, reloads: bool) -> Metrics {
        let mut registry = Registry::with_prefix("grove");
        let requests = Family::<RouteLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        let rows = Family::<ModelLabels, Counter>::default();
        let info = Family::<ModelLabels, Gauge>::default();
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer, by route and status",
            latency.clone(),
        );
        registry.register("rows_predicted", "Rows predicted, by model and version", rows.clone());
        registry.register("model_info", "The served model (value 1)", info.clone());
        info.get_or_create(&labels(model)).set(1);
        let reload_family = Family::<ReloadLabels, Counter>::default();
        if reloads {
            registry.register(
                "model_reloads",
                "Model reloads by result: ok (swapped in), rejected (kept the served model), \
                 unchanged",
                reload_family.clone(),
            );
            for result in ["ok", "rejected", "unchanged"] {
                let _ = reload_family.get_or_create(&ReloadLabels { result: result.into() });
            }
        }
        Metrics {
            registry,
            requests,
            latency,
            rows,
            info,
            reloads: reload_family,
            routes: RwLock::default(),
            rows_of: RwLock::default(),
        }
    }

    /// Counts `n` rows predicted by `model` (the one the request started with).
    pub(crate) fn rows_predicted(&self, model: &ServedModel, n: usize) {
        let same = |l: &ModelLabels| l.model == model.name() && l.version == model.version;
        if let Ok(cached) = self.rows_of.read() {
            if let Some((_, counter)) = cached.as_ref().filter(|(l, _)| same(l)) {
                counter.inc_by(n as u64);
                return;
            }
        }
        let labels = labels(model);
        let counter = self.rows.get_or_create(&labels).clone();
        counter.inc_by(n as u64);
        if let Ok(mut cached) = self.rows_of.write() {
            *cached = Some((labels, counter));
        }
    }

    /// Counts one answer of `route` with `status`, and its latency.
    fn answered(&self, route: &str, status: u16, seconds: f64) {
        if let Ok(routes) = self.routes.read() {
            let found = routes.get(route).and_then(|s| s.iter().find(|(code, ..)| *code == status));
            if let Some((_, count, latency)) = found {
                count.inc();
                latency.observe(seconds);
                return;
            }
        }
        let labels = RouteLabels { route: route.to_string(), status: status.to_string() };
        let count = self.requests.get_or_create(&labels).clone();
        let latency = self.latency.get_or_create(&labels).clone();
        count.inc();
        latency.observe(seconds);
        if let Ok(mut routes) = self.routes.write() {
            let statuses = routes.entry(labels.route).or_default();
            if !statuses.iter().any(|(code, ..)| *code == status) {
                statuses.push((status, count, latency));
            }
        }
    }

    /// `grove_model_info` moves from `old` to `new`.
    pub(crate) fn model_changed(&self, old: &ServedModel, new: &ServedModel) {
        self.info.remove(&labels(old));
        self.info.get_or_create(&labels(new)).set(1);
    }

    /// Counts one reload.
    pub(crate) fn reload(&self, result: crate::reload::ReloadResult) {
        self.reloads.get_or_create(&ReloadLabels { result: result.as_str().into() }).inc();
    }

    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Middleware: counts and times every request under its route pattern (not its raw path, so
/// `/v2/models/{name}` is one series).
pub(crate) async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let started = Instant::now();
    let response = crate::routes::ops::timeout_body(next.run(request).await);
    let route = matched.as_ref().map_or("unmatched", MatchedPath::as_str);
    state.metrics.answered(route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}
