//! Telling the event shapes apart by their distinguishing keys, before any typed parsing, so
//! that no shape is mistaken for another (untagged deserializers try shapes in turn and take the
//! first that fits: aws-lambda-rust-runtime#806, #888).

use serde_json::{Map, Value};

/// The keys a raw predict payload may have at its top level (the layouts the Router reads).
pub const PREDICT_KEYS: [&str; 5] =
    ["values", "dataframe_split", "dataframe_records", "instances", "inputs"];

/// An HTTP trigger whose events carry a whole HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// API Gateway REST API proxy integration (payload format 1.0; also HTTP APIs set to 1.0).
    ApiGatewayRest,
    /// API Gateway HTTP API (payload format 2.0).
    ApiGatewayHttp,
    /// A Lambda function URL (payload format 2.0, `*.lambda-url.*` domain).
    FunctionUrl,
    /// An Application Load Balancer target group.
    Alb,
}

impl Trigger {
    /// The trigger's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Trigger::ApiGatewayRest => "API Gateway REST (v1)",
            Trigger::ApiGatewayHttp => "API Gateway HTTP (v2)",
            Trigger::FunctionUrl => "function URL",
            Trigger::Alb => "ALB",
        }
    }
}

/// What an event is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventShape {
    /// The tutorial's direct invoke: `{"body": ...}` with no HTTP request context.
    Direct,
    /// A predict body given as the event itself.
    Raw,
    /// A whole HTTP request from a trigger.
    Http(Trigger),
    /// None of these; the reason says what was seen.
    Unsupported(String),
}

/// Classifies an event. The order matters: a request context decides first (an HTTP event also
/// has a `body`), then `body`, then the predict layouts.
pub fn classify(event: &Value) -> EventShape {
    let Some(object) = event.as_object() else {
        return EventShape::Unsupported(format!("the event is {}, not an object", kind(event)));
    };
    if let Some(context) = object.get("requestContext") {
        return classify_http(object, context);
    }
    if object.contains_key("httpMethod") || object.contains_key("routeKey") {
        return EventShape::Unsupported(
            "an HTTP event without a `requestContext` (send the whole event the trigger sends)"
                .into(),
        );
    }
    if object.contains_key("body") {
        return EventShape::Direct;
    }
    if PREDICT_KEYS.iter().any(|k| object.contains_key(*k)) {
        return EventShape::Raw;
    }
    let mut keys: Vec<&str> = object.keys().map(String::as_str).take(8).collect();
    if keys.is_empty() {
        keys.push("none");
    }
    EventShape::Unsupported(format!("an object with keys {}", keys.join(", ")))
}

fn classify_http(event: &Map<String, Value>, context: &Value) -> EventShape {
    let Some(context) = context.as_object() else {
        return EventShape::Unsupported("a `requestContext` that is not an object".into());
    };
    if context.contains_key("elb") {
        return EventShape::Http(Trigger::Alb);
    }
    if context.get("http").is_some_and(Value::is_object) {
        let domain = context.get("domainName").and_then(Value::as_str).unwrap_or_default();
        return if domain.contains(".lambda-url.") {
            EventShape::Http(Trigger::FunctionUrl)
        } else {
            EventShape::Http(Trigger::ApiGatewayHttp)
        };
    }
    if context.contains_key("connectionId") || context.contains_key("eventType") {
        return EventShape::Unsupported("an API Gateway WebSocket event".into());
    }
    if event.contains_key("httpMethod") {
        return EventShape::Http(Trigger::ApiGatewayRest);
    }
    EventShape::Unsupported("a `requestContext` of no supported trigger".into())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn shapes_are_told_apart_by_their_keys() {
        assert_eq!(classify(&json!({"body": "{}"})), EventShape::Direct);
        assert_eq!(classify(&json!({"body": {"values": {}}})), EventShape::Direct);
        assert_eq!(classify(&json!({"values": {}})), EventShape::Raw);
        assert_eq!(classify(&json!({"inputs": []})), EventShape::Raw);
        let alb = json!({"httpMethod": "POST", "requestContext": {"elb": {}}, "body": ""});
        assert_eq!(classify(&alb), EventShape::Http(Trigger::Alb));
        let v1 = json!({"httpMethod": "POST", "requestContext": {"stage": "prod"}, "body": ""});
        assert_eq!(classify(&v1), EventShape::Http(Trigger::ApiGatewayRest));
        let v2 = json!({"version": "2.0", "requestContext": {"http": {"method": "POST"},
            "domainName": "abc.execute-api.us-east-1.amazonaws.com"}});
        assert_eq!(classify(&v2), EventShape::Http(Trigger::ApiGatewayHttp));
        let url = json!({"version": "2.0", "requestContext": {"http": {"method": "POST"},
            "domainName": "abc.lambda-url.us-east-1.on.aws"}});
        assert_eq!(classify(&url), EventShape::Http(Trigger::FunctionUrl));
    }

    #[test]
    fn anything_else_is_unsupported_with_a_reason() {
        for event in [
            json!([1, 2]),
            json!("text"),
            json!({}),
            json!({"hello": "world"}),
            json!({"httpMethod": "POST", "path": "/predict"}),
            json!({"requestContext": {"connectionId": "x", "eventType": "MESSAGE"}, "body": ""}),
        ] {
            assert!(matches!(classify(&event), EventShape::Unsupported(_)), "{event}");
        }
    }
}
