//! Picking up new model versions while serving: ask the feed for its latest version, load and
//! validate it fully, check its schema against the served one, and only then swap it in. A
//! version that is missing, corrupt or of another schema is rejected: the old model keeps
//! answering, and the reason goes to the log (warn), the metrics
//! (`grove_model_reloads_total{result="rejected"}`) and `/healthz`'s `last_reload`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use grove_request::{ModelFeed, ServedModel};
use serde::{Serialize, Serializer};

use crate::AppState;

/// How reloads judge a new version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReloadOptions {
    /// Accept a version whose features, target or classes differ from the served model's
    /// (clients written for the old schema will start failing).
    pub allow_schema_change: bool,
}

/// What one reload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReloadResult {
    /// A new version was validated and swapped in.
    Ok,
    /// The latest version could not be used; the served model stays.
    Rejected,
    /// Nothing new (the latest version is served already, or was rejected before).
    Unchanged,
}

impl ReloadResult {
    /// The metric label: `ok`, `rejected` or `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReloadResult::Ok => "ok",
            ReloadResult::Rejected => "rejected",
            ReloadResult::Unchanged => "unchanged",
        }
    }
}

/// The answer of one reload. As JSON (`POST /admin/reload`'s 200 body, and the 422 body beside
/// `error` and `field`) it is `{"result", "version", "serving"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReloadOutcome {
    /// What happened.
    pub result: ReloadResult,
    /// The version looked at (empty when the feed could not name one).
    pub version: String,
    /// The version served after the reload.
    pub serving: String,
    /// Why it was rejected.
    #[serde(skip)]
    pub error: Option<String>,
}

/// The last reload that changed something or failed (unchanged polls leave it alone), as
/// `/healthz` shows it: `{"version", "ok", "error", "at"}`.
#[derive(Debug, Clone, Serialize)]
pub struct LastReload {
    version: String,
    ok: bool,
    error: Option<String>,
    #[serde(serialize_with = "rfc3339_millis")]
    at: SystemTime,
}

fn rfc3339_millis<S: Serializer>(at: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&humantime::format_rfc3339_millis(*at))
}

/// How long polling leaves a rejected version alone before fetching it again (a transient
/// failure, such as S3 timing out, then heals by itself; a corrupt version is not downloaded
/// at every poll).
const RETRY_REJECTED_AFTER: Duration = Duration::from_secs(60);

pub(crate) struct Reloader {
    feed: Arc<dyn ModelFeed>,
    options: ReloadOptions,
    /// One reload at a time (polling and the admin route may coincide).
    running: tokio::sync::Mutex<()>,
    last: Mutex<Option<LastReload>>,
    rejected: Mutex<Option<(String, Instant)>>,
}

impl Reloader {
    pub(crate) fn new(feed: Arc<dyn ModelFeed>, options: ReloadOptions) -> Reloader {
        Reloader {
            feed,
            options,
            running: tokio::sync::Mutex::new(()),
            last: Mutex::new(None),
            rejected: Mutex::new(None),
        }
    }

    pub(crate) fn describe(&self) -> String {
        self.feed.describe()
    }

    pub(crate) fn last(&self) -> Option<LastReload> {
        self.last.lock().map(|l| l.clone()).unwrap_or(None)
    }

    pub(crate) async fn reload(&self, state: &AppState, retry_rejected: bool) -> ReloadOutcome {
        let _one = self.running.lock().await;
        let current = state.model();
        let latest = match self.feed.latest_version().await {
            Ok(v) => v,
            Err(e) => {
                let error = format!("cannot read the latest version: {e}");
                return self.reject(state, &current, String::new(), error);
            }
        };
        let seen_rejected = self
            .rejected
            .lock()
            .map(|r| {
                r.as_ref()
                    .is_some_and(|(v, at)| *v == latest && at.elapsed() < RETRY_REJECTED_AFTER)
            })
            .unwrap_or(false);
        if latest == current.version || (seen_rejected && !retry_rejected) {
            state.metrics.reload(ReloadResult::Unchanged);
            tracing::debug!(version = %latest, "reload: unchanged");
            return ReloadOutcome {
                result: ReloadResult::Unchanged,
                version: latest,
                serving: current.version.clone(),
                error: None,
            };
        }
        let model = match self.feed.load(&latest).await {
            Ok(model) => model,
            Err(e) => return self.reject(state, &current, latest, e.to_string()),
        };
        if let Some(diff) = schema_difference(&current, &model) {
            if !self.options.allow_schema_change {
                let error = format!(
                    "its schema differs from the served model's ({diff}); restart with \
                     --allow-schema-change to accept it"
                );
                return self.reject(state, &current, latest, error);
            }
            tracing::warn!(version = %latest, "reload: accepting a schema change ({diff})");
        }
        let model = Arc::new(model);
        state.swap(Arc::clone(&model));
        state.metrics.model_changed(&current, &model);
        state.metrics.reload(ReloadResult::Ok);
        tracing::info!(
            source = %self.feed.describe(),
            from = %current.version,
            to = %model.version,
            model = model.name(),
            "reload: now serving version {}",
            model.version
        );
        self.record(LastReload {
            version: latest.clone(),
            ok: true,
            error: None,
            at: SystemTime::now(),
        });
        if let Ok(mut r) = self.rejected.lock() {
            *r = None;
        }
        ReloadOutcome {
            result: ReloadResult::Ok,
            version: latest,
            serving: model.version.clone(),
            error: None,
        }
    }

    fn reject(
        &self,
        state: &AppState,
        current: &ServedModel,
        version: String,
        error: String,
    ) -> ReloadOutcome {
        state.metrics.reload(ReloadResult::Rejected);
        tracing::warn!(
            source = %self.feed.describe(),
            version = %version,
            serving = %current.version,
            "reload rejected, keeping version {}: {error}",
            current.version
        );
        if !version.is_empty() {
            if let Ok(mut r) = self.rejected.lock() {
                *r = Some((version.clone(), Instant::now()));
            }
        }
        self.record(LastReload {
            version: version.clone(),
            ok: false,
            error: Some(error.clone()),
            at: SystemTime::now(),
        });
        ReloadOutcome {
            result: ReloadResult::Rejected,
            version,
            serving: current.version.clone(),
            error: Some(error),
        }
    }

    fn record(&self, last: LastReload) {
        if let Ok(mut l) = self.last.lock() {
            *l = Some(last);
        }
    }
}

/// How `new`'s schema differs from `old`'s (features and their order, target, classes), if it
/// does.
pub fn schema_difference(old: &ServedModel, new: &ServedModel) -> Option<String> {
    let (a, b) = (&old.forest, &new.forest);
    let mut diffs = Vec::new();
    if a.schema().features != b.schema().features {
        diffs.push(format!(
            "features: {} → {}",
            summary(&a.schema().features),
            summary(&b.schema().features)
        ));
    }
    if a.schema().target != b.schema().target {
        diffs.push(format!("target: `{}` → `{}`", a.schema().target, b.schema().target));
    }
    if a.classes() != b.classes() {
        let n = |c: Option<&grove_forest::Labels>| {
            c.map_or_else(|| "a regressor".to_string(), |l| format!("{} classes", l.len()))
        };
        diffs.push(format!("classes: {} → {} (or other labels)", n(a.classes()), n(b.classes())));
    }
    (!diffs.is_empty()).then(|| diffs.join("; "))
}

fn summary(features: &[String]) -> String {
    let head: Vec<&str> = features.iter().take(3).map(String::as_str).collect();
    let more = if features.len() > 3 { ", ..." } else { "" };
    format!("{} [{}{more}]", features.len(), head.join(", "))
}
