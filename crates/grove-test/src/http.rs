//! A plain HTTP client for the peers' and grove's own endpoints on 127.0.0.1 (ureq, with no
//! proxy from the environment, so a test can only reach loopback), answering every status as a
//! value rather than an error.

use std::time::Duration;

/// One answer, read whole.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Lower-case names, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl Answer {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as JSON; panics with the whole answer when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{self:?}: {e}"))
    }
}

/// An agent with one time limit for each whole request.
#[derive(Debug, Clone)]
pub struct Http {
    agent: ureq::Agent,
}

impl Http {
    /// An agent whose requests each end within `limit`.
    pub fn new(limit: Duration) -> Http {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(limit))
            .proxy(None)
            .build();
        Http { agent: ureq::Agent::new_with_config(config) }
    }

    /// `GET url`; `None` when nothing answers (a peer still starting).
    pub fn get(&self, url: &str) -> Option<Answer> {
        self.agent.get(url).call().ok().map(read)
    }

    /// `method url` with a JSON body; panics when nothing answers, since the peer is up by now.
    pub fn send(&self, method: &str, url: &str, body: &[u8]) -> Answer {
        self.send_with(method, url, &[], body)
    }

    /// The same with extra headers; `content-type` is JSON unless they name another.
    pub fn send_with(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let mut request = ureq::http::Request::builder().method(method).uri(url);
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
            request = request.header("content-type", "application/json");
        }
        for (key, value) in headers {
            request = request.header(*key, *value);
        }
        let response = if body.is_empty() && matches!(method, "GET" | "HEAD") {
            // ureq refuses a body on GET, even an empty one.
            let request = request.body(()).unwrap_or_else(|e| panic!("{method} {url}: {e}"));
            self.agent.run(request)
        } else {
            let request =
                request.body(body.to_vec()).unwrap_or_else(|e| panic!("{method} {url}: {e}"));
            self.agent.run(request)
        };
        read(response.unwrap_or_else(|e| panic!("{method} {url}: {e}")))
    }
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body = response.body_mut().read_to_string().unwrap_or_else(|e| panic!("the body: {e}"));
    Answer { status, headers, body }
}
