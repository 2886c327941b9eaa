//! The OpenAPI 3.1 document, generated from the routes and the served model, so that its
//! request schema names this model's features and its answer names this model's target.

use grove_forest::{Labels, Task};
use grove_request::ServedModel;
use serde_json::{json, Map, Value};

fn label_schema(model: &ServedModel) -> Value {
    match &model.forest.parts().task {
        Task::Classifier { classes: Labels::Int(v) } => json!({"type": "integer", "enum": v}),
        Task::Classifier { classes: Labels::Float(v) } => json!({"type": "number", "enum": v}),
        Task::Classifier { classes: Labels::Str(v) } => json!({"type": "string", "enum": v}),
        Task::Classifier { classes: Labels::Bool(_) } => json!({"type": "boolean"}),
        Task::Regressor => json!({"type": "number"}),
    }
}

/// The web page and the read-only routes that describe the model: `(GET /, /model,
/// /model/trees/{tree}, /model/trees/{tree}/path)`.
fn model_paths(
    model: &ServedModel,
    predict: &Value,
    errors: &Value,
) -> (Value, Value, Value, Value) {
    let n_trees = model.forest.parts().trees.len();
    let error = |what: &str| json!({"description": what, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let page = json!({
        "summary": "The web page: model card, try a row, what-if curves, tree viewer, batch CSV",
        "description": "HTML; a client whose Accept names application/json and not text/html gets the routes as JSON instead.",
        "responses": {"200": {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}}}
    });
    let card = json!({"get": {
        "summary": "The model card",
        "description": "Name, version, kind, target, classes (and `class_names` as `probabilities` keys spell them), provenance, features with their training `range`, the `split_range` of their thresholds and `importance`, an `example` row, and each tree's node count, leaves and depth.",
        "responses": {"200": {"description": "the card", "content": {"application/json": {"schema": {"type": "object", "required": ["name", "version", "kind", "target", "features", "example", "n_trees", "trees"]}}}}}
    }});
    let tree_param = json!({"name": "tree", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": n_trees.saturating_sub(1)}});
    let mut tree_errors = Map::new();
    tree_errors.insert("422".into(), error("`tree` is not a tree index of this model"));
    let tree = json!({"get": {
        "summary": "One tree as scikit-learn-like arrays",
        "description": "Node `i` sits at index `i` of `children_left`, `children_right` (-1 at a leaf), `feature`, `threshold` (a row goes left when `x <= threshold`), `missing_go_to_left`, `value` (one list per node: a class distribution, a value or a boosting raw score, as `value_kind` says) and, when the model kept training statistics, `n_node_samples`, `weighted_n_node_samples` and `impurity`.",
        "parameters": [tree_param.clone()],
        "responses": {"200": {"description": "the tree", "content": {"application/json": {"schema": {"type": "object", "required": ["tree", "children_left", "children_right", "feature", "threshold", "value"]}}}}, "422": tree_errors["422"].clone()}
    }});
    let mut path_responses = json!({"200": {
        "description": "`{\"tree\", \"leaf\", \"path\": [node ids, root first]}` for one row; `{\"tree\", \"paths\": [[...]]}` for a list",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"tree": {"type": "integer"}, "leaf": {"type": "integer"}, "path": {"type": "array", "items": {"type": "integer"}}, "paths": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}}}}}
    }});
    if let (Some(r), Some(e)) = (path_responses.as_object_mut(), errors.as_object()) {
        r.extend(e.clone());
        r.insert(
            "422".into(),
            error("`tree` is not a tree index, or a row is invalid (the field names it)"),
        );
    }
    let path = json!({"post": {
        "summary": "The decision path of a row through one tree",
        "description": "Takes any body `/predict` takes.",
        "parameters": [tree_param],
        "requestBody": predict["requestBody"],
        "responses": path_responses,
    }});
    (page, card, tree, path)
}

/// The OpenAPI document for this server and model.
pub fn document(model: &ServedModel) -> Value {
    let schema = model.forest.schema();
    let feature = json!({"type": ["number", "boolean", "null"], "description": "a number; true/false read as 1/0; null is missing"});
    let properties: Map<String, Value> =
        schema.features.iter().map(|f| (f.clone(), feature.clone())).collect();
    let row = json!({"type": "object", "properties": properties, "required": schema.features});
    let target = &schema.target;
    let label = label_schema(model);
    let error = json!({"type": "object", "properties": {"error": {"type": "string"}, "field": {"type": "string"}}, "required": ["error", "field"]});
    let error_responses = json!({
        "400": {"description": "malformed JSON or an unknown body layout", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "413": {"description": "body or batch too large", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "415": {"description": "unsupported content type", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "422": {"description": "a missing feature, a wrong type, a value float32 cannot hold, an empty batch", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    });
    let mut predict_responses = json!({
        "200": {
            "description": format!("`{{\"{target}\": label}}` for one row, a list for several; MLflow layouts answer `{{\"predictions\": [...]}}`"),
            "headers": {"x-model-version": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"oneOf": [
                {"type": "object", "properties": {target.clone(): {"oneOf": [label.clone(), {"type": "array", "items": label.clone()}]}, "probabilities": {}}},
                {"type": "object", "properties": {"predictions": {"type": "array", "items": label}}}
            ]}}}
        }
    });
    if let (Some(r), Some(e)) = (predict_responses.as_object_mut(), error_responses.as_object()) {
        r.extend(e.clone());
    }
    let predict = json!({
        "summary": "Predict one row or several",
        "parameters": [{"name": "proba", "in": "query", "schema": {"type": "boolean"}, "description": "also answer class probabilities"}],
        "requestBody": {"required": true, "content": {
            "application/json": {"schema": {"oneOf": [
                {"type": "object", "properties": {"values": {"oneOf": [{"$ref": "#/components/schemas/Row"}, {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}]}, "proba": {"type": "boolean"}}, "required": ["values"]},
                {"type": "object", "properties": {"dataframe_split": {"type": "object", "properties": {"columns": {"type": "array", "items": {"type": "string"}}, "data": {"type": "array", "items": {"type": "array"}}}}}, "required": ["dataframe_split"]},
                {"type": "object", "properties": {"dataframe_records": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}}, "required": ["dataframe_records"]},
                {"type": "object", "properties": {"instances": {"type": "array"}}, "required": ["instances"]},
                {"type": "object", "properties": {"inputs": {}}, "required": ["inputs"]}
            ]}},
            "text/csv": {"schema": {"type": "string"}, "description": "a header naming the features, then rows"}
        }},
        "responses": predict_responses,
    });
    let (page, card, tree, path) = model_paths(model, &predict, &error_responses);
    let simple = |summary: &str| json!({"get": {"summary": summary, "responses": {"200": {"description": "OK"}}}});
    let name_param = json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string", "enum": [model.name()]}});
    let version_param =
        json!({"name": "version", "in": "path", "required": true, "schema": {"type": "string"}});
    let infer = |params: Value| {
        json!({"post": {
            "summary": "Open Inference Protocol V2 inference",
            "parameters": params,
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"inputs": {"type": "array"}, "outputs": {"type": "array"}, "id": {"type": "string"}}, "required": ["inputs"]}}}},
            "responses": {"200": {"description": "outputs `predict` and, when asked, `predict_proba`"}, "400": {"description": "`{\"error\": ...}`"}, "404": {"description": "unknown model or version"}}
        }})
    };
    let meta = |params: Value| json!({"get": {"summary": "Open Inference Protocol V2 model metadata", "parameters": params, "responses": {"200": {"description": "inputs and outputs"}, "404": {"description": "unknown model or version"}}}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("grove: {}", model.name()),
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("Predicts `{target}` from {} features with model version {}.", schema.features.len(), model.version),
        },
        "paths": {
            "/predict": {"post": predict.clone()},
            "/": {"get": page, "post": predict.clone()},
            "/invocations": {"post": predict},
            "/model": card,
            "/model/trees/{tree}": tree,
            "/model/trees/{tree}/path": path,
            "/assets/{name}": simple("The web page's CSS, JavaScript and icon"),
            "/healthz": simple("Liveness and the served model"),
            "/metrics": simple("Prometheus metrics"),
            "/openapi.json": simple("This document"),
            "/v2": simple("Open Inference Protocol V2 server metadata"),
            "/v2/health/live": simple("V2 liveness"),
            "/v2/health/ready": simple("V2 readiness"),
            "/v2/models/{name}": meta(json!([name_param])),
            "/v2/models/{name}/versions/{version}": meta(json!([name_param, version_param])),
            "/v2/models/{name}/infer": infer(json!([name_param])),
            "/v2/models/{name}/versions/{version}/infer": infer(json!([name_param, version_param])),
        },
        "components": {"schemas": {"Row": row, "Error": error}},
    })
}
