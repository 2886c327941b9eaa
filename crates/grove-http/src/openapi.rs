//! The OpenAPI 3.1 document, generated from the served model and the state's routes, so that
//! its request schema names this model's features, its answers name this model's target and
//! labels, and `POST /admin/reload` appears exactly when it is routed.
//!
//! It is held to the Router by `tests/openapi.rs`: every route of [`crate::routes`] is in
//! `paths`, the document passes an OpenAPI validator, and schemathesis fuzzes the running
//! server against it (no 5xx, every status, content type and body as documented). So the
//! schemas say what the server does: a batch has `minItems: 1` because an empty one is a 422,
//! the request layouts of one body are exclusive in the order the decoder tries them, and the
//! answers' `oneOf` branches are told apart by their required keys.

use grove_forest::{Labels, MissingValues, Task};
use grove_request::{Limits, ServedModel};
use serde_json::{json, Map, Value};

use crate::page::ASSETS;

fn label_schema(model: &ServedModel) -> Value {
    match &model.forest.parts().task {
        Task::Classifier { classes: Labels::Int(v) } => json!({"type": "integer", "enum": v}),
        Task::Classifier { classes: Labels::Float(v) } => json!({"type": "number", "enum": v}),
        Task::Classifier { classes: Labels::Str(v) } => json!({"type": "string", "enum": v}),
        Task::Classifier { classes: Labels::Bool(_) } => json!({"type": "boolean"}),
        Task::Regressor => json!({"type": "number"}),
    }
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// A JSON response with a schema from `components`.
fn answer(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema_ref(schema)}}})
}

/// A JSON response that names the model version in `x-model-version`.
fn versioned(description: &str, schema: &str) -> Value {
    let mut r = answer(description, schema);
    r["headers"] = json!({"x-model-version": {"$ref": "#/components/headers/ModelVersion"}});
    r
}

/// The errors of a route that reads a body, in the `{"error", "field"}` shape.
fn body_errors(with_422: &str) -> Map<String, Value> {
    let e = |d: &str| answer(d, "Error");
    [
        ("400", e("malformed JSON, a body that is not an object, or none of the accepted layouts")),
        ("408", e("the request took longer than the server's timeout")),
        ("413", e("the body or the batch is larger than the server's limit")),
        ("415", e("a content type other than JSON or CSV")),
        ("422", e(with_422)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The V2 routes' errors, in the protocol's `{"error"}` shape.
fn v2_errors(body: bool) -> Map<String, Value> {
    let e = |d: &str| answer(d, "V2Error");
    let mut m = Map::new();
    m.insert("404".into(), e("no such model or version here"));
    if body {
        m.insert("400".into(), e("a malformed or invalid inference request"));
        m.insert("408".into(), e("the request took longer than the server's timeout"));
        m.insert("413".into(), e("the body or the batch is larger than the server's limit"));
        m.insert("415".into(), e("a content type other than JSON"));
    }
    m
}

fn with(mut responses: Value, more: Map<String, Value>) -> Value {
    if let Some(r) = responses.as_object_mut() {
        r.extend(more);
    }
    responses
}

/// One feature's value in a request: a number float32 can hold, a boolean (1/0), and `null`
/// (missing) when the model routes NaN.
fn feature_value(model: &ServedModel) -> Value {
    let max = f64::from(f32::MAX);
    let types = match model.forest.parts().missing {
        MissingValues::Route => json!(["number", "boolean", "null"]),
        MissingValues::Refuse => json!(["number", "boolean"]),
    };
    let described = match model.forest.parts().missing {
        MissingValues::Route => "a number; true/false read as 1/0; null is missing",
        MissingValues::Refuse => {
            "a number; true/false read as 1/0 (this model refuses missing values)"
        }
    };
    json!({"type": types, "minimum": -max, "maximum": max, "description": described})
}

/// The JSON bodies of the predict routes. The decoder looks for `values`, then
/// `dataframe_split`, `dataframe_records`, `instances`, `inputs`, and reads the first it finds;
/// each branch forbids the keys tried before it, so exactly one branch fits any body.
fn predict_request(model: &ServedModel, limits: &Limits) -> Value {
    let features = &model.forest.schema().features;
    let width = features.len();
    let batch = |items: Value| json!({"type": "array", "items": items, "minItems": 1, "maxItems": limits.max_rows});
    let row_list = json!({"type": "array", "items": schema_ref("FeatureValue"), "minItems": width, "maxItems": width});
    let columns: Map<String, Value> =
        features.iter().map(|f| (f.clone(), batch(schema_ref("FeatureValue")))).collect();
    let layouts = [
        (
            "values",
            json!({"oneOf": [schema_ref("Row"), batch(schema_ref("Row"))]}),
            "the tutorial's: one row, answered `{\"<target>\": label}`, or a list, answered `{\"<target>\": [labels]}`",
        ),
        (
            "dataframe_split",
            json!({
                "type": "object",
                "properties": {
                    "columns": {"type": "array", "items": {"type": "string"}, "const": features},
                    "data": batch(row_list.clone()),
                },
                "required": ["columns", "data"],
            }),
            "MLflow's pandas `orient=\"split\"`; answered `{\"predictions\": [...]}`",
        ),
        ("dataframe_records", batch(schema_ref("Row")), "MLflow's records; answered `{\"predictions\": [...]}`"),
        (
            "instances",
            json!({"oneOf": [batch(schema_ref("Row")), batch(row_list.clone())]}),
            "rows as objects or as lists in feature order; answered `{\"predictions\": [...]}`",
        ),
        (
            "inputs",
            json!({"oneOf": [
                batch(schema_ref("Row")),
                batch(row_list),
                {"type": "object", "properties": columns, "required": features},
            ]}),
            "rows as objects, lists in feature order, or an object of columns (all of one length); answered `{\"predictions\": [...]}`",
        ),
    ];
    let mut branches = Vec::new();
    for (i, (key, schema, description)) in layouts.iter().enumerate() {
        let mut properties = Map::new();
        for (earlier, _, _) in &layouts[..i] {
            properties.insert((*earlier).to_string(), json!(false));
        }
        let mut schema = schema.clone();
        schema["description"] = json!(description);
        properties.insert((*key).to_string(), schema);
        properties.insert(
            "proba".into(),
            json!({"type": ["boolean", "null"], "description": "also answer class probabilities"}),
        );
        branches.push(json!({"type": "object", "properties": properties, "required": [key]}));
    }
    json!({"oneOf": branches})
}

/// What the predict routes answer. `values` bodies answer under the target's name, the other
/// layouts and CSV under `predictions`; no other key appears, so the two branches exclude each
/// other unless the target is itself called `predictions`.
fn predict_answer(model: &ServedModel) -> Value {
    let target = &model.forest.schema().target;
    let label = schema_ref("Label");
    let probabilities = match grove_request::class_names(&model.forest) {
        Some(names) => {
            let props: Map<String, Value> = names
                .iter()
                .map(|n| (n.clone(), json!({"type": "number", "minimum": 0, "maximum": 1})))
                .collect();
            json!({"type": "object", "properties": props, "required": names, "additionalProperties": false})
        }
        None => json!(false),
    };
    let many = |schema: &Value| json!({"type": "array", "items": schema});
    let values = json!({
        "type": "object",
        "properties": {
            target.clone(): {"oneOf": [label.clone(), many(&label)]},
            "probabilities": {"oneOf": [probabilities.clone(), many(&probabilities)]},
        },
        "required": [target],
        "additionalProperties": false,
    });
    let predictions = json!({
        "type": "object",
        "properties": {"predictions": many(&label), "probabilities": many(&probabilities)},
        "required": ["predictions"],
        "additionalProperties": false,
    });
    let combine = if target == "predictions" { "anyOf" } else { "oneOf" };
    json!({combine: [values, predictions]})
}

/// The schemas of the model-describing answers: one tree, and a row's path through it.
fn tree_schemas(model: &ServedModel) -> (Value, Value) {
    let ints = json!({"type": "array", "items": {"type": "integer"}});
    let numbers = json!({"type": "array", "items": {"type": "number"}});
    let nullable = |mut v: Value| {
        v["type"] = json!(["array", "null"]);
        v
    };
    let n_trees = model.forest.parts().trees.len();
    let tree = json!({
        "type": "object",
        "properties": {
            "tree": {"type": "integer", "minimum": 0, "maximum": n_trees.saturating_sub(1)},
            "node_count": {"type": "integer", "minimum": 1},
            "n_leaves": {"type": "integer", "minimum": 1},
            "max_depth": {"type": "integer", "minimum": 0},
            "value_kind": {"type": "string", "enum": ["class_distribution", "value", "raw_score"]},
            "output": {"type": ["integer", "null"], "minimum": 0},
            "features": {"type": "array", "items": {"type": "string"}},
            "class_names": {"type": ["array", "null"], "items": {"type": "string"}},
            "children_left": ints,
            "children_right": ints,
            "feature": ints,
            "threshold": numbers,
            "missing_go_to_left": {"type": "array", "items": {"type": "boolean"}},
            "value": {"type": "array", "items": numbers},
            "n_node_samples": nullable(ints.clone()),
            "weighted_n_node_samples": nullable(numbers.clone()),
            "impurity": nullable(numbers.clone()),
        },
        "required": ["tree", "node_count", "n_leaves", "max_depth", "value_kind", "output", "features", "class_names", "children_left", "children_right", "feature", "threshold", "missing_go_to_left", "value", "n_node_samples", "weighted_n_node_samples", "impurity"],
    });
    let node = json!({"type": "integer", "minimum": 0});
    let path = json!({"type": "array", "items": node, "minItems": 1});
    let decision_path = json!({"oneOf": [
        {"type": "object", "properties": {"tree": node, "leaf": node, "path": path}, "required": ["tree", "leaf", "path"], "additionalProperties": false},
        {"type": "object", "properties": {"tree": node, "paths": {"type": "array", "items": path}}, "required": ["tree", "paths"], "additionalProperties": false},
    ]});
    (tree, decision_path)
}

/// The Open Inference Protocol's documents.
fn v2_schemas(model: &ServedModel, limits: &Limits) -> Map<String, Value> {
    let tensor_meta = json!({
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "datatype": {"type": "string"},
            "shape": {"type": "array", "items": {"type": "integer", "minimum": -1}},
        },
        "required": ["name", "datatype", "shape"],
    });
    let datatypes = [
        "BOOL", "FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16",
        "UINT32", "UINT64",
    ];
    let outputs = if model.forest.classes().is_some() {
        json!(["predict", "predict_proba"])
    } else {
        json!(["predict"])
    };
    let mut m = Map::new();
    m.insert("V2Error".into(), json!({"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}));
    m.insert("V2ServerMetadata".into(), json!({
        "type": "object",
        "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "extensions": {"type": "array", "items": {"type": "string"}}},
        "required": ["name", "version", "extensions"],
    }));
    m.insert("V2Live".into(), json!({"type": "object", "properties": {"live": {"type": "boolean"}}, "required": ["live"]}));
    m.insert("V2Ready".into(), json!({"type": "object", "properties": {"ready": {"type": "boolean"}}, "required": ["ready"]}));
    m.insert(
        "V2ModelReady".into(),
        json!({
            "type": "object",
            "properties": {"name": {"type": "string"}, "ready": {"type": "boolean"}},
            "required": ["name", "ready"],
        }),
    );
    m.insert(
        "V2ModelMetadata".into(),
        json!({
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "versions": {"type": "array", "items": {"type": "string"}},
                "platform": {"type": "string"},
                "inputs": {"type": "array", "items": tensor_meta},
                "outputs": {"type": "array", "items": tensor_meta},
            },
            "required": ["name", "versions", "platform", "inputs", "outputs"],
        }),
    );
    m.insert("V2InferRequest".into(), json!({
        "type": "object",
        "description": "one FP64 (or other numeric) input of shape [n] or [n, 1] per feature, named after it, or one [n, n_features] tensor",
        "properties": {
            "id": {"description": "echoed in the answer"},
            "inputs": {"type": "array", "minItems": 1, "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "datatype": {"type": "string", "enum": datatypes},
                    "shape": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                    "data": {"type": "array"},
                },
                "required": ["name", "datatype", "shape", "data"],
            }},
            "outputs": {"type": "array", "minItems": 1, "items": {
                "type": "object",
                "properties": {"name": {"type": "string", "enum": outputs}},
                "required": ["name"],
            }},
        },
        "required": ["inputs"],
    }));
    let label = schema_ref("Label");
    let predict = json!({
        "type": "object",
        "properties": {
            "name": {"const": "predict"},
            "datatype": {"type": "string"},
            "shape": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": limits.max_rows}, "minItems": 1, "maxItems": 1},
            "data": {"type": "array", "items": label},
        },
        "required": ["name", "datatype", "shape", "data"],
    });
    let proba = json!({
        "type": "object",
        "properties": {
            "name": {"const": "predict_proba"},
            "datatype": {"const": "FP64"},
            "shape": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2},
            "data": {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}},
        },
        "required": ["name", "datatype", "shape", "data"],
    });
    m.insert(
        "V2InferResponse".into(),
        json!({
            "type": "object",
            "properties": {
                "model_name": {"type": "string"},
                "model_version": {"type": "string"},
                "id": {"description": "the request's `id`, when it sent one"},
                // The names tell the two outputs apart.
                "outputs": {"type": "array", "minItems": 1, "items": {"oneOf": [predict, proba]}},
            },
            "required": ["model_name", "model_version", "outputs"],
        }),
    );
    m
}

/// The operations' own schemas: `/healthz`, `GET /` for a program, the reload's answers.
fn ops_schemas() -> Map<String, Value> {
    let string = json!({"type": "string"});
    let mut m = Map::new();
    m.insert("Health".into(), json!({
        "type": "object",
        "properties": {
            "status": {"const": "ok"},
            "model": string,
            "version": string,
            "source": {"type": "string", "description": "the feed the model follows, when it follows one"},
            "last_reload": {"oneOf": [
                {"type": "null"},
                {"type": "object", "properties": {"version": string, "ok": {"type": "boolean"}, "error": {"type": ["string", "null"]}, "at": string}, "required": ["version", "ok", "error", "at"]},
            ]},
        },
        "required": ["status", "model", "version"],
    }));
    let links = ["name", "model", "version", "predict", "model_card", "openapi", "metrics", "v2"];
    let props: Map<String, Value> = links.iter().map(|l| (l.to_string(), string.clone())).collect();
    m.insert("Index".into(), json!({"type": "object", "properties": props, "required": links}));
    let outcome = json!({
        "result": {"type": "string", "enum": ["ok", "unchanged", "rejected"]},
        "version": {"type": "string", "description": "the version looked at (empty when the feed named none)"},
        "serving": {"type": "string", "description": "the version served after the reload"},
    });
    m.insert("ReloadOutcome".into(), json!({"type": "object", "properties": outcome, "required": ["result", "version", "serving"]}));
    let mut rejected = outcome;
    rejected["error"] = string.clone();
    rejected["field"] = json!({"const": "model"});
    m.insert("ReloadRejected".into(), json!({"type": "object", "properties": rejected, "required": ["error", "field", "result", "version", "serving"]}));
    m
}

/// `POST /admin/reload`, present only when an admin token is set.
fn admin_reload() -> Value {
    json!({"post": {
        "summary": "Reload the model from its feed now (retrying a version rejected before)",
        "security": [{"adminToken": []}],
        "responses": {
            "200": versioned("a new version was swapped in (`ok`) or there was nothing new (`unchanged`)", "ReloadOutcome"),
            "401": answer("a missing or wrong `Authorization: Bearer <GROVE_ADMIN_TOKEN>`", "Error"),
            "409": answer("this server serves a fixed model (a local file or a built-in); only an s3:// model can be reloaded", "Error"),
            "422": versioned("the latest version was rejected; the served one stays", "ReloadRejected"),
        },
    }})
}

/// The OpenAPI document for this server and model. `admin` says whether `POST /admin/reload`
/// is routed.
pub fn document(model: &ServedModel, limits: &Limits, admin: bool) -> Value {
    let schema = model.forest.schema();
    let target = &schema.target;
    let properties: Map<String, Value> =
        schema.features.iter().map(|f| (f.clone(), schema_ref("FeatureValue"))).collect();
    let row = json!({"type": "object", "properties": properties, "required": schema.features, "description": "one row: every feature by name; other keys are ignored"});
    let error = json!({"type": "object", "properties": {"error": {"type": "string"}, "field": {"type": "string", "description": "the field at fault: `values[3].pH`, `body`, `content-type`, `path`, `method`"}}, "required": ["error", "field"]});

    let proba = json!({"name": "proba", "in": "query", "schema": {"type": "boolean"}, "description": "also answer class probabilities"});
    let predict_body = json!({"required": true, "content": {
        "application/json": {"schema": schema_ref("PredictRequest")},
        "text/csv": {"schema": {"type": "string", "description": "a header naming the features, then rows; answered `{\"predictions\": [...]}`"}},
    }});
    let predict = json!({
        "summary": "Predict one row or several",
        "parameters": [proba],
        "requestBody": predict_body,
        "responses": with(
            json!({"200": versioned(&format!("`{{\"{target}\": label}}` for one row, a list for several; MLflow layouts and CSV answer `{{\"predictions\": [...]}}`; `probabilities` when asked"), "PredictAnswer")}),
            body_errors("a missing feature, a wrong type, a value float32 cannot hold, an empty batch, probabilities of a regressor"),
        ),
    });
    let tree_param = json!({"name": "tree", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": model.forest.parts().trees.len().saturating_sub(1)}});
    let tree_422 = || answer("`tree` is not a tree index of this model", "Error");
    let page = json!({
        "summary": "The web page: model card, try a row, what-if curves, tree viewer, batch CSV",
        "description": "HTML; a client whose Accept names application/json and not text/html gets the routes as JSON instead.",
        "responses": {"200": {"description": "the page, or the routes", "content": {
            "text/html": {"schema": {"type": "string"}},
            "application/json": {"schema": schema_ref("Index")},
        }}},
    });
    let mut asset_content = Map::new();
    for (_, content_type, _) in ASSETS {
        let essence = content_type.split(';').next().unwrap_or(content_type).trim();
        asset_content.insert(essence.to_string(), json!({"schema": {"type": "string"}}));
    }
    let asset_names: Vec<&str> = ASSETS.iter().map(|(n, _, _)| *n).collect();
    let name_param = json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string", "enum": [model.name()]}});
    let version_param = json!({"name": "version", "in": "path", "required": true, "schema": {"type": "string", "enum": [model.version]}});
    let get = |summary: &str, responses: Value| json!({"get": {"summary": summary, "responses": responses}});
    let v2_meta = |params: Value| {
        json!({"get": {
            "summary": "Open Inference Protocol V2 model metadata",
            "parameters": params,
            "responses": with(json!({"200": answer("inputs and outputs", "V2ModelMetadata")}), v2_errors(false)),
        }})
    };
    let v2_ready = |params: Value| {
        json!({"get": {
            "summary": "Open Inference Protocol V2 model readiness",
            "parameters": params,
            "responses": with(json!({"200": answer("ready", "V2ModelReady")}), v2_errors(false)),
        }})
    };
    let v2_infer = |params: Value| {
        json!({"post": {
            "summary": "Open Inference Protocol V2 inference",
            "parameters": params,
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("V2InferRequest")}}},
            "responses": with(json!({"200": versioned("`predict` and, when asked, `predict_proba`", "V2InferResponse")}), v2_errors(true)),
        }})
    };
    let (tree, decision_path) = tree_schemas(model);

    let mut paths = json!({
        "/": {"get": page, "post": predict.clone()},
        "/predict": {"post": predict.clone()},
        "/invocations": {"post": predict},
        "/model": get("The model card", json!({"200": versioned("Name, version, kind, target, classes (and `class_names` as `probabilities` keys spell them), provenance, features with their training `range`, the `split_range` of their thresholds and `importance`, an `example` row, and each tree's node count, leaves and depth.", "ModelCard")})),
        "/model/trees/{tree}": {"get": {
            "summary": "One tree as scikit-learn-like arrays",
            "description": "Node `i` sits at index `i` of `children_left`, `children_right` (-1 at a leaf), `feature`, `threshold` (a row goes left when `x <= threshold`), `missing_go_to_left`, `value` (one list per node: a class distribution, a value or a boosting raw score, as `value_kind` says) and, when the model kept training statistics, `n_node_samples`, `weighted_n_node_samples` and `impurity`.",
            "parameters": [tree_param],
            "responses": {"200": versioned("the tree", "Tree"), "422": tree_422()},
        }},
        "/model/trees/{tree}/path": {"post": {
            "summary": "The decision path of a row through one tree",
            "description": "Takes any body `/predict` takes.",
            "parameters": [tree_param],
            "requestBody": predict_body,
            "responses": with(
                json!({"200": versioned("`{\"tree\", \"leaf\", \"path\": [node ids, root first]}` for one row; `{\"tree\", \"paths\": [[...]]}` for a list", "DecisionPath")}),
                body_errors("`tree` is not a tree index, or a row is invalid (the field names it)"),
            ),
        }},
        "/assets/{name}": {"get": {
            "summary": "The web page's CSS, JavaScript and icon",
            "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string", "enum": asset_names}}],
            "responses": {"200": {"description": "the asset", "content": asset_content}, "404": answer("no such asset", "Error")},
        }},
        "/healthz": get("Liveness and the served model", json!({"200": answer("alive; which model and version answer, and how the last reload went", "Health")})),
        "/metrics": get("Prometheus metrics", json!({"200": {"description": "the metrics in the OpenMetrics text format", "content": {"application/openmetrics-text": {"schema": {"type": "string"}}}}})),
        "/openapi.json": get("This document", json!({"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}})),
        "/v2": get("Open Inference Protocol V2 server metadata", json!({"200": answer("the server", "V2ServerMetadata")})),
        "/v2/health/live": get("V2 liveness", json!({"200": answer("live", "V2Live")})),
        "/v2/health/ready": get("V2 readiness", json!({"200": answer("ready", "V2Ready")})),
        "/v2/models/{name}": v2_meta(json!([name_param])),
        "/v2/models/{name}/ready": v2_ready(json!([name_param])),
        "/v2/models/{name}/infer": v2_infer(json!([name_param])),
        "/v2/models/{name}/versions/{version}": v2_meta(json!([name_param, version_param])),
        "/v2/models/{name}/versions/{version}/ready": v2_ready(json!([name_param, version_param])),
        "/v2/models/{name}/versions/{version}/infer": v2_infer(json!([name_param, version_param])),
    });
    if admin {
        paths["/admin/reload"] = admin_reload();
    }

    let mut schemas = Map::new();
    schemas.insert("FeatureValue".into(), feature_value(model));
    schemas.insert("Row".into(), row);
    schemas.insert("Label".into(), label_schema(model));
    schemas.insert("Error".into(), error);
    schemas.insert("PredictRequest".into(), predict_request(model, limits));
    schemas.insert("PredictAnswer".into(), predict_answer(model));
    schemas.insert("ModelCard".into(), crate::card::schema(schema_ref("Label")));
    schemas.insert("Tree".into(), tree);
    schemas.insert("DecisionPath".into(), decision_path);
    schemas.extend(ops_schemas());
    schemas.extend(v2_schemas(model, limits));
    let mut components = json!({
        "schemas": schemas,
        "headers": {"ModelVersion": {"description": "the model version that answered", "required": true, "schema": {"type": "string"}}},
    });
    if admin {
        components["securitySchemes"] = json!({"adminToken": {"type": "http", "scheme": "bearer", "description": "the server's GROVE_ADMIN_TOKEN"}});
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("grove: {}", model.name()),
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("Predicts `{target}` from {} features with model version {}.", schema.features.len(), model.version),
        },
        "paths": paths,
        "components": components,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The predict layouts exclude each other in the decoder's order, and each batch refuses
    /// an empty list, as the decoder does.
    #[test]
    fn layouts_exclude_the_ones_tried_before_and_batches_are_not_empty() {
        let model = ServedModel::with_content_version(grove_builtin::wine_quality().unwrap());
        let request = predict_request(&model, &Limits::default());
        let branches = request["oneOf"].as_array().unwrap();
        assert_eq!(branches.len(), 5);
        assert_eq!(branches[4]["properties"]["values"], json!(false));
        assert_eq!(branches[4]["properties"]["instances"], json!(false));
        assert_eq!(branches[0]["properties"]["values"]["oneOf"][1]["minItems"], 1);
        assert_eq!(branches[2]["properties"]["dataframe_records"]["minItems"], 1);
    }
}
