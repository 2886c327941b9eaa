//! `GET /model`: the model card of `grove-request` ([`ModelCard`]) with the links of this
//! server's routes, which only the HTTP face knows. The example row is the tutorial's wine
//! (`grove_builtin::TUTORIAL_ROW`) for the wine models, as the web page expects.

use grove_builtin::TUTORIAL_ROW;
use grove_request::{ModelCard, ServedModel};
use serde::Serialize;
use serde_json::{json, Value};

/// The card as served: every field of [`ModelCard`], then `links`.
#[derive(Debug, Serialize)]
pub struct ServedCard {
    #[serde(flatten)]
    pub card: ModelCard,
    pub links: Links,
}

/// Where the routes that go with the card are.
#[derive(Debug, Serialize)]
pub struct Links {
    pub predict: &'static str,
    pub tree: &'static str,
    pub path: &'static str,
    pub openapi: &'static str,
    pub metrics: &'static str,
    pub health: &'static str,
    pub v2: String,
}

/// `GET /model`.
pub fn card(model: &ServedModel) -> ServedCard {
    ServedCard {
        card: ModelCard::new(model, &TUTORIAL_ROW),
        links: Links {
            predict: "/predict",
            tree: "/model/trees/{tree}",
            path: "/model/trees/{tree}/path",
            openapi: "/openapi.json",
            metrics: "/metrics",
            health: "/healthz",
            v2: format!("/v2/models/{}", model.name()),
        },
    }
}

/// The schema of [`ServedCard`]: [`ModelCard::json_schema`] and `links`.
pub fn schema(label: Value) -> Value {
    let mut schema = ModelCard::json_schema(label);
    let links = ["predict", "tree", "path", "openapi", "metrics", "health", "v2"];
    let properties: serde_json::Map<String, Value> =
        links.iter().map(|l| (l.to_string(), json!({"type": "string"}))).collect();
    schema["properties"]["links"] =
        json!({"type": "object", "properties": properties, "required": links});
    if let Some(required) = schema["required"].as_array_mut() {
        required.push(json!("links"));
    }
    schema
}
