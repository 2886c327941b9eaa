//! Model swaps through the Router, with a test double for the feed (no AWS here): a new
//! version is swapped in; a missing, corrupt or other-schema one is rejected and the old model
//! keeps answering; requests in flight finish on the model they started with; the admin route
//! exists only with a token and wants it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use grove_forest::Forest;
use grove_http::{AppState, FeedFuture, ModelFeed, ReloadOptions, ReloadResult};
use grove_request::{Limits, ServedModel};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use super::{call, post_json, tutorial_body};

/// A feed whose latest version and versions the test sets: `Err` versions fail to load.
#[derive(Default)]
struct FakeFeed {
    latest: Mutex<String>,
    versions: Mutex<Vec<(String, Result<Forest, String>)>>,
}

impl FakeFeed {
    fn publish(&self, version: &str, model: Result<Forest, String>) {
        self.versions.lock().unwrap().push((version.into(), model));
        *self.latest.lock().unwrap() = version.into();
    }
}

impl ModelFeed for FakeFeed {
    fn describe(&self) -> String {
        "fake://wine".into()
    }

    fn latest_version(&self) -> FeedFuture<'_, String> {
        let latest = self.latest.lock().unwrap().clone();
        Box::pin(async move {
            if latest.is_empty() {
                return Err("no model at fake://wine".into());
            }
            Ok(latest)
        })
    }

    fn load<'a>(&'a self, version: &'a str) -> FeedFuture<'a, ServedModel> {
        let found = self.versions.lock().unwrap().iter().find(|(v, _)| v == version).cloned();
        Box::pin(async move {
            match found {
                Some((_, Ok(forest))) => Ok(ServedModel::new(forest, version)),
                Some((_, Err(e))) => Err(e.into()),
                None => Err(format!("no version {version}").into()),
            }
        })
    }
}

fn wine() -> Forest {
    grove_builtin::wine_quality().unwrap()
}

fn wine_with(f: impl FnOnce(&mut grove_forest::ForestParts)) -> Forest {
    let mut parts = wine().parts().clone();
    f(&mut parts);
    Forest::new(parts).unwrap()
}

fn following(
    feed: &Arc<FakeFeed>,
    options: ReloadOptions,
    token: Option<&str>,
) -> (AppState, Router) {
    feed.publish("v1", Ok(wine()));
    let state = AppState::new(ServedModel::new(wine(), "v1"), Limits::default())
        .with_feed(Arc::clone(feed) as Arc<dyn ModelFeed>, options)
        .with_admin_token(token.map(String::from));
    let app = grove_http::app(state.clone(), Duration::from_secs(10));
    (state, app)
}

async fn health(app: &Router) -> Value {
    call(app, "GET", "/healthz", None, Body::empty()).await.json()
}

async fn metrics(app: &Router) -> String {
    call(app, "GET", "/metrics", None, Body::empty()).await.text
}

async fn admin(app: &Router, auth: Option<&str>) -> (StatusCode, Value) {
    let mut req = Request::builder().method("POST").uri("/admin/reload");
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    let response = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn a_new_version_is_swapped_in_and_named_everywhere() {
    let feed = Arc::new(FakeFeed::default());
    let (state, app) = following(&feed, ReloadOptions::default(), None);
    assert_eq!(health(&app).await["last_reload"], Value::Null);
    assert_eq!(health(&app).await["source"], "fake://wine");
    assert_eq!(state.reload(false).await.unwrap().result, ReloadResult::Unchanged);

    feed.publish("v2", Ok(wine_with(|p| p.trees.truncate(3))));
    let outcome = state.reload(false).await.unwrap();
    assert_eq!((outcome.result, outcome.serving.as_str()), (ReloadResult::Ok, "v2"));
    let r = post_json(&app, "/predict", &tutorial_body()).await;
    assert_eq!((r.status, r.version.as_deref()), (StatusCode::OK, Some("v2")));
    let v2 = post_json(&app, "/v2/models/wine-quality/infer", r#"{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 12], "data": [7.4, 0.7, 0.0, 1.9, 0.076, 11.0, 34.0, 0.9978, 3.51, 0.56, 9.4, 1]}]}"#).await;
    assert_eq!(v2.json()["model_version"], "v2", "{}", v2.text);
    let h = health(&app).await;
    assert_eq!(h["version"], "v2");
    assert_eq!(h["last_reload"]["version"], "v2");
    assert_eq!(h["last_reload"]["ok"], true);
    assert_eq!(h["last_reload"]["error"], Value::Null);
    assert!(h["last_reload"]["at"].as_str().unwrap().ends_with('Z'), "{h}");
    let m = metrics(&app).await;
    assert!(m.contains("grove_model_info{model=\"wine-quality\",version=\"v2\"} 1"), "{m}");
    assert!(!m.contains("version=\"v1\"} 1"), "{m}");
    assert!(m.contains("grove_model_reloads_total{result=\"ok\"} 1"), "{m}");
    assert!(m.contains("grove_model_reloads_total{result=\"unchanged\"} 1"), "{m}");
    assert!(
        m.contains("grove_rows_predicted_total{model=\"wine-quality\",version=\"v2\"} 2"),
        "{m}"
    );
}

#[tokio::test]
async fn missing_corrupt_and_other_schema_versions_are_rejected() {
    let feed = Arc::new(FakeFeed::default());
    let (state, app) = following(&feed, ReloadOptions::default(), None);

    // Corrupt: the feed's load fails (grove-store's InvalidModel, here a string).
    feed.publish(
        "bad",
        Err("s3://b/k (version bad) is not a valid model: not a .grove file".into()),
    );
    let outcome = state.reload(false).await.unwrap();
    assert_eq!((outcome.result, outcome.serving.as_str()), (ReloadResult::Rejected, "v1"));
    let h = health(&app).await;
    assert_eq!(
        (h["version"].as_str(), h["last_reload"]["ok"].as_bool()),
        (Some("v1"), Some(false))
    );
    assert_eq!(h["last_reload"]["version"], "bad");
    assert!(h["last_reload"]["error"].as_str().unwrap().contains("not a valid model"), "{h}");
    assert_eq!(post_json(&app, "/predict", &tutorial_body()).await.version.as_deref(), Some("v1"));
    // Polling does not fetch a rejected version again.
    assert_eq!(state.reload(false).await.unwrap().result, ReloadResult::Unchanged);

    // Another schema: features, target or classes differ.
    let renamed = wine_with(|p| p.schema.features[0] = "acidity".into());
    let retargeted = wine_with(|p| p.schema.target = "grade".into());
    for (version, forest, what) in [("f", renamed, "features"), ("t", retargeted.clone(), "target")]
    {
        feed.publish(version, Ok(forest));
        let outcome = state.reload(false).await.unwrap();
        assert_eq!(outcome.result, ReloadResult::Rejected, "{version}");
        let error = outcome.error.unwrap();
        assert!(error.contains(what) && error.contains("--allow-schema-change"), "{error}");
        assert_eq!(state.model().version, "v1");
    }

    // Missing: the feed cannot name a latest version.
    *feed.latest.lock().unwrap() = String::new();
    let outcome = state.reload(false).await.unwrap();
    assert_eq!(outcome.result, ReloadResult::Rejected);
    assert!(outcome.error.unwrap().contains("no model at fake://wine"));
    let m = metrics(&app).await;
    assert!(m.contains("grove_model_reloads_total{result=\"rejected\"} 4"), "{m}");
    assert!(m.contains("grove_model_info{model=\"wine-quality\",version=\"v1\"} 1"), "{m}");

    // With --allow-schema-change the other schema is taken.
    let feed = Arc::new(FakeFeed::default());
    let (state, _) = following(&feed, ReloadOptions { allow_schema_change: true }, None);
    feed.publish("t", Ok(retargeted));
    assert_eq!(state.reload(false).await.unwrap().result, ReloadResult::Ok);
    assert_eq!(state.model().forest.schema().target, "grade");
}

#[tokio::test]
async fn a_request_in_flight_finishes_on_the_model_it_started_with() {
    let feed = Arc::new(FakeFeed::default());
    let (state, app) = following(&feed, ReloadOptions::default(), None);
    // The body arrives in two parts; the version is swapped between them.
    let (mut tx, body) = http_body_util::channel::Channel::<axum::body::Bytes>::new(1);
    let req = Request::builder()
        .method("POST")
        .uri("/predict")
        .header("content-type", "application/json")
        .body(Body::new(body))
        .unwrap();
    let in_flight = tokio::spawn(app.clone().oneshot(req));
    let text = tutorial_body();
    let (head, tail) = text.split_at(10);
    tx.send_data(head.to_string().into()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    feed.publish("v2", Ok(wine_with(|p| p.trees.truncate(2))));
    assert_eq!(state.reload(false).await.unwrap().result, ReloadResult::Ok);
    // A new request already gets v2 while the old one still waits for its body.
    assert_eq!(post_json(&app, "/predict", &text).await.version.as_deref(), Some("v2"));
    tx.send_data(tail.to_string().into()).await.unwrap();
    drop(tx);
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[grove_http::MODEL_VERSION], "v1");
}

#[tokio::test]
async fn the_admin_route_needs_its_token() {
    // A fixed model and no token: no route (404 in the one error shape, whatever the method).
    let fixed = super::router();
    let r = call(&fixed, "POST", "/admin/reload", None, Body::empty()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["field"], "path");
    assert!(health(&fixed).await.get("last_reload").is_none());

    let feed = Arc::new(FakeFeed::default());
    let (_, no_token) = following(&feed, ReloadOptions::default(), Some(""));
    assert_eq!(admin(&no_token, Some("Bearer ")).await.0, StatusCode::NOT_FOUND);

    let feed = Arc::new(FakeFeed::default());
    let (state, app) = following(&feed, ReloadOptions::default(), Some("s3cret"));
    for auth in [None, Some("Bearer wrong"), Some("s3cret"), Some("Basic s3cret")] {
        let (status, body) = admin(&app, auth).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(body["field"], "authorization");
    }
    let (status, body) = admin(&app, Some("Bearer s3cret")).await;
    assert_eq!((status, body["result"].as_str()), (StatusCode::OK, Some("unchanged")));
    feed.publish("v2", Ok(wine_with(|p| p.trees.truncate(2))));
    let (status, body) = admin(&app, Some("bearer s3cret")).await;
    assert_eq!(
        (status, &body["result"], &body["serving"]),
        (StatusCode::OK, &"ok".into(), &"v2".into())
    );
    feed.publish("bad", Err("not a valid model".into()));
    let (status, body) = admin(&app, Some("Bearer s3cret")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((body["result"].as_str(), body["serving"].as_str()), (Some("rejected"), Some("v2")));
    assert_eq!(body["field"], "model");
    assert!(body["error"].as_str().unwrap().contains("not a valid model"));
    assert_eq!(state.model().version, "v2");

    // A fixed model with a token: the route answers that there is nothing to reload.
    let fixed = grove_http::app(
        AppState::new(ServedModel::new(wine(), "x"), Limits::default())
            .with_admin_token(Some("t".into())),
        Duration::from_secs(10),
    );
    assert_eq!(admin(&fixed, Some("Bearer t")).await.0, StatusCode::CONFLICT);
}
