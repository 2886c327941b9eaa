//! The server under test, and a plain HTTP/1.1 client: the API's own answers to compare the
//! page against, asked outside the browser.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use grove_forest::Forest;
use grove_request::{Limits, ServedModel};
use serde_json::Value;

/// Serves `forest` on a free loopback port for the rest of the test's runtime.
pub async fn serve(forest: Forest) -> SocketAddr {
    let state =
        grove_http::AppState::new(ServedModel::with_content_version(forest), Limits::default());
    let app = grove_http::app(state, Duration::from_secs(30));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// `POST path` with a body; the status and the body as JSON.
pub async fn post(addr: SocketAddr, path: &str, content_type: &str, body: String) -> (u16, Value) {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.write_all(request.as_bytes()).expect("send");
        let mut reply = String::new();
        stream.read_to_string(&mut reply).expect("read");
        let (head, body) = reply.split_once("\r\n\r\n").expect("a head and a body");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
        (status, serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}")))
    })
    .await
    .expect("the request task")
}
