//! Telling the event shapes apart by their distinguishing keys, before any typed parsing, so
//! that no shape is mistaken for another (untagged deserializers try shapes in turn and take the
//! first that fits: aws-lambda-rust-runtime#806, #888).
//!
//! The event arrives as raw JSON text and is looked at through an [`EventObject`]: its top-level
//! members, each still raw text borrowed from the event. Classifying builds no tree and copies no
//! value, so a raw predict payload reaches the Router as the bytes Lambda delivered, and a
//! trigger's event is deserialized into its `aws_lambda_events` type once, from its text.

use std::borrow::Cow;
use std::fmt;

use grove_request::LAYOUT_KEYS;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

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
    Unsupported(Unsupported),
}

/// What an event of no accepted shape was seen to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsupported {
    /// Not a JSON object.
    NotAnObject(JsonKind),
    /// An HTTP event's keys without its `requestContext` (a hand-trimmed event).
    NoRequestContext,
    /// A `requestContext` that is not an object.
    BadRequestContext,
    /// An API Gateway WebSocket event.
    WebSocket,
    /// A `requestContext` of no trigger answered here.
    OtherTrigger,
    /// An object of none of the accepted keys: its first keys (at most 8), in order.
    Keys(Vec<String>),
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::NotAnObject(kind) => {
                write!(f, "the event is {}, not an object", described(*kind))
            }
            Unsupported::NoRequestContext => f.write_str(
                "an HTTP event without a `requestContext` (send the whole event the trigger sends)",
            ),
            Unsupported::BadRequestContext => {
                f.write_str("a `requestContext` that is not an object")
            }
            Unsupported::WebSocket => f.write_str("an API Gateway WebSocket event"),
            Unsupported::OtherTrigger => f.write_str("a `requestContext` of no supported trigger"),
            Unsupported::Keys(keys) if keys.is_empty() => f.write_str("an object with keys none"),
            Unsupported::Keys(keys) => write!(f, "an object with keys {}", keys.join(", ")),
        }
    }
}

/// The top-level members of a JSON object, in order, each value its raw JSON text borrowed from
/// the event (none for an event that is not an object).
#[derive(Debug, Default)]
pub struct EventObject<'a> {
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> EventObject<'a> {
    /// The members of `raw`, or `None` when it is not an object.
    pub fn read(raw: &'a RawValue) -> Option<EventObject<'a>> {
        if json_kind(raw) != JsonKind::Object {
            return None;
        }
        serde_json::from_str(raw.get()).ok()
    }

    /// The member `key`; of repeated keys the last, as a JSON object read into a map keeps.
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// Whether the object has the member `key` (even as `null`).
    pub fn contains(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| k == key)
    }

    /// The member `key` when it is a JSON string, unescaped.
    pub fn string(&self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key).and_then(string)
    }

    /// The keys, each once, in the order they first appear.
    fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for (key, _) in &self.members {
            if !keys.contains(&key.as_ref()) {
                keys.push(key);
            }
        }
        keys
    }
}

impl<'de> Deserialize<'de> for EventObject<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = EventObject<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut members = Vec::new();
                while let Some((key, value)) = map.next_entry::<Text<'de>, &'de RawValue>()? {
                    members.push((key.0, value));
                }
                Ok(EventObject { members })
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// A JSON string, borrowed unless it holds escapes (which must be decoded into a copy).
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

/// `raw` unescaped, when it is a JSON string.
pub fn string(raw: &RawValue) -> Option<Cow<'_, str>> {
    serde_json::from_str::<Text<'_>>(raw.get()).ok().map(|t| t.0)
}

/// What kind of JSON value a raw value is, read from its first character (a [`RawValue`] is
/// valid JSON with no leading whitespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// The kind of `raw`.
pub fn json_kind(raw: &RawValue) -> JsonKind {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'n') => JsonKind::Null,
        Some(b't' | b'f') => JsonKind::Bool,
        Some(b'"') => JsonKind::String,
        Some(b'[') => JsonKind::Array,
        Some(b'{') => JsonKind::Object,
        _ => JsonKind::Number,
    }
}

fn described(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Null => "null",
        JsonKind::Bool => "a boolean",
        JsonKind::Number => "a number",
        JsonKind::String => "a string",
        JsonKind::Array => "an array",
        JsonKind::Object => "an object",
    }
}

/// Classifies an event, and hands back its members (the readers of the direct envelope and of
/// the triggers' events use them). The order matters: a request context decides first (an HTTP
/// event also has a `body`), then `body`, then the predict layouts.
pub fn classify(event: &RawValue) -> (EventShape, EventObject<'_>) {
    let Some(object) = EventObject::read(event) else {
        let reason = Unsupported::NotAnObject(json_kind(event));
        return (EventShape::Unsupported(reason), EventObject::default());
    };
    (shape_of(&object), object)
}

fn shape_of(object: &EventObject<'_>) -> EventShape {
    if let Some(context) = object.get("requestContext") {
        return classify_http(object, context);
    }
    if object.contains("httpMethod") || object.contains("routeKey") {
        return EventShape::Unsupported(Unsupported::NoRequestContext);
    }
    if object.contains("body") {
        return EventShape::Direct;
    }
    if LAYOUT_KEYS.iter().any(|k| object.contains(k)) {
        return EventShape::Raw;
    }
    let keys = object.keys().into_iter().take(8).map(str::to_string).collect();
    EventShape::Unsupported(Unsupported::Keys(keys))
}

fn classify_http(event: &EventObject<'_>, context: &RawValue) -> EventShape {
    let Some(context) = EventObject::read(context) else {
        return EventShape::Unsupported(Unsupported::BadRequestContext);
    };
    if context.contains("elb") {
        return EventShape::Http(Trigger::Alb);
    }
    if context.get("http").is_some_and(|http| json_kind(http) == JsonKind::Object) {
        let domain = context.string("domainName").unwrap_or_default();
        return if domain.contains(".lambda-url.") {
            EventShape::Http(Trigger::FunctionUrl)
        } else {
            EventShape::Http(Trigger::ApiGatewayHttp)
        };
    }
    if context.contains("connectionId") || context.contains("eventType") {
        return EventShape::Unsupported(Unsupported::WebSocket);
    }
    if event.contains("httpMethod") {
        return EventShape::Http(Trigger::ApiGatewayRest);
    }
    EventShape::Unsupported(Unsupported::OtherTrigger)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use serde_json::value::to_raw_value;

    use super::*;

    fn shape(event: serde_json::Value) -> EventShape {
        classify(&to_raw_value(&event).unwrap()).0
    }

    #[test]
    fn shapes_are_told_apart_by_their_keys() {
        assert_eq!(shape(json!({"body": "{}"})), EventShape::Direct);
        assert_eq!(shape(json!({"body": {"values": {}}})), EventShape::Direct);
        assert_eq!(shape(json!({"values": {}})), EventShape::Raw);
        assert_eq!(shape(json!({"inputs": []})), EventShape::Raw);
        let alb = json!({"httpMethod": "POST", "requestContext": {"elb": {}}, "body": ""});
        assert_eq!(shape(alb), EventShape::Http(Trigger::Alb));
        let v1 = json!({"httpMethod": "POST", "requestContext": {"stage": "prod"}, "body": ""});
        assert_eq!(shape(v1), EventShape::Http(Trigger::ApiGatewayRest));
        let v2 = json!({"version": "2.0", "requestContext": {"http": {"method": "POST"},
            "domainName": "abc.execute-api.us-east-1.amazonaws.com"}});
        assert_eq!(shape(v2), EventShape::Http(Trigger::ApiGatewayHttp));
        let url = json!({"version": "2.0", "requestContext": {"http": {"method": "POST"},
            "domainName": "abc.lambda-url.us-east-1.on.aws"}});
        assert_eq!(shape(url), EventShape::Http(Trigger::FunctionUrl));
    }

    #[test]
    fn anything_else_is_unsupported_with_a_reason() {
        for (event, reason) in [
            (json!([1, 2]), "the event is an array, not an object"),
            (json!("text"), "the event is a string, not an object"),
            (json!(1.5), "the event is a number, not an object"),
            (json!(null), "the event is null, not an object"),
            (json!({}), "an object with keys none"),
            (json!({"hello": "world", "Records": []}), "an object with keys hello, Records"),
            (json!({"httpMethod": "POST", "path": "/predict"}), "an HTTP event without"),
            (
                json!({"requestContext": {"connectionId": "x", "eventType": "MESSAGE"}, "body": ""}),
                "an API Gateway WebSocket event",
            ),
            (json!({"requestContext": [], "body": ""}), "a `requestContext` that is not an object"),
        ] {
            let EventShape::Unsupported(said) = shape(event.clone()) else { panic!("{event}") };
            let said = said.to_string();
            assert!(said.starts_with(reason), "{event}: {said}");
        }
    }

    #[test]
    fn members_are_read_in_place_and_unescaped_when_they_must_be() {
        let raw: Box<RawValue> = serde_json::from_str(
            r#" {"a\u0062": 1, "values": {"pH" :  3.0}, "s": "x\"y", "values": [ 1 ]} "#,
        )
        .unwrap();
        let object = EventObject::read(&raw).unwrap();
        assert_eq!(object.keys(), ["ab", "values", "s"]);
        // The last of repeated keys, as the member's own text (spacing kept).
        assert_eq!(object.get("values").unwrap().get(), "[ 1 ]");
        assert_eq!(object.string("s").as_deref(), Some("x\"y"));
        assert_eq!(object.string("ab"), None);
        assert!(matches!(object.string("s"), Some(Cow::Owned(_))));
        let plain: Box<RawValue> = serde_json::from_str(r#"{"k": "plain"}"#).unwrap();
        let plain = EventObject::read(&plain).unwrap();
        assert!(matches!(plain.string("k"), Some(Cow::Borrowed("plain"))));
    }
}
