//! Fixtures and the adapter under test.

use std::path::Path;

use grove_lambda::{Adapter, LambdaError, Reply};
use grove_request::ServedModel;
use serde_json::value::{to_raw_value, RawValue};
use serde_json::Value;

/// The crate's directory.
pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture from `tests/events/`.
pub fn event(name: &str) -> Value {
    let path = crate_dir().join("tests/events").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The tutorial's expected answer (a copy of the shared `tutorial_response.json`).
pub fn tutorial_response() -> Value {
    event("tutorial-response.json")
}

/// An adapter serving the built-in model.
pub fn adapter() -> Adapter {
    let forest = grove_builtin::wine_quality().expect("the built-in model");
    Adapter::new(ServedModel::with_content_version(forest))
}

/// The tutorial's body, as a JSON value.
pub fn tutorial_values() -> Value {
    let body = event("tutorial-direct.json")["body"].as_str().expect("a string body").to_string();
    serde_json::from_str(&body).expect("JSON")
}

/// An event as the runtime hands it over: JSON text.
pub fn raw(event: &Value) -> Box<RawValue> {
    to_raw_value(event).expect("JSON text")
}

/// `adapter`'s answer to `event`, as the text the runtime would send.
pub async fn handle(adapter: &Adapter, event: &Value) -> Result<String, LambdaError> {
    let reply: Reply = adapter.handle(raw(event)).await?;
    Ok(serde_json::to_string(&reply).expect("a serialisable reply"))
}
