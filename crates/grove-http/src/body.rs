//! Reading a request body under the size limit, so that an oversized body is a 413 in grove's
//! error shape rather than a framework's plain-text rejection.

use axum::body::Body;
use axum::http::{header, HeaderMap};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use grove_request::RequestError;

/// The whole body, or [`RequestError::BodyTooLarge`] past `limit` bytes.
pub async fn read(body: Body, limit: usize) -> Result<axum::body::Bytes, RequestError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(RequestError::BodyTooLarge { limit })
        }
        Err(e) => Err(RequestError::BadRequest {
            field: "body".into(),
            message: format!("the body could not be read: {e}"),
        }),
    }
}

/// The request's `Content-Type`, if it is readable text.
pub fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("(not text)"))
}

/// `?proba=true` (also `1`, `yes`); anything but a boolean is an error naming `proba`.
pub fn proba_query(query: Option<&str>) -> Result<bool, RequestError> {
    let Some(q) = query else { return Ok(false) };
    let mut proba = false;
    for pair in q.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, "true"));
        if key == "proba" {
            proba = match value.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                other => {
                    return Err(RequestError::Invalid {
                        field: "proba".into(),
                        message: format!("expected true or false, got `{other}`"),
                    })
                }
            };
        }
    }
    Ok(proba)
}
