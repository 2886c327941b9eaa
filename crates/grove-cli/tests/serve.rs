//! `grove serve` on a real socket, driven by real clients (tritonclient, requests) from the
//! test venv that `scripts/test-deps.sh` makes, then stopped with SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use grove_test::paths::workspace;
use grove_test::require;
use grove_test::venv::Venv;

/// Kills the server if a test fails before it stops it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `grove serve` on a free port and returns it with the address it printed.
fn start(args: &[&str]) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grove"))
        .args(["serve", "--port", "0"])
        .args(args)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("grove serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines.next().expect("grove serve printed its address").expect("utf-8");
        if let Some(rest) = line.split("POST http://").nth(1) {
            break rest.split('/').next().expect("an address").to_string();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (server, addr)
}

#[test]
fn tritonclient_and_requests_talk_to_grove_serve() {
    let venv = require!(Venv::require(&[]));
    let (mut server, addr) = start(&[]);
    let body = workspace().join("examples/tutorial-body.json");
    let out = venv
        .python()
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py/v2_client.py"))
        .arg(&addr)
        .arg(&body)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(seen["live"], true);
    assert_eq!(seen["ready"], true);
    assert_eq!(seen["inputs"].as_array().map(Vec::len), Some(12));
    assert_eq!(
        seen["outputs"],
        serde_json::json!([["predict", "INT64", [-1]], ["predict_proba", "FP64", [-1, 7]]])
    );
    assert_eq!(seen["predict"], serde_json::json!([6, 6]));
    assert_eq!(seen["proba_shape"], serde_json::json!([2, 7]));
    assert!((seen["proba_row_sum"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(seen["tensor_predict"], serde_json::json!([6, 6, 6]));
    assert!(seen["bad"].as_str().unwrap().contains("`colour` is not a feature"), "{}", seen["bad"]);
    assert_eq!(seen["tutorial"][0], 200);
    assert_eq!(seen["tutorial"][1], "{\"quality\": 6}");
    assert_eq!(seen["tutorial"][2].as_str().map(str::len), Some(12));

    // SIGTERM: a graceful stop, exit code 0.
    let pid = server.0.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
    assert!(status.success());
    let exit = server.0.wait().expect("the server exits");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn serve_refuses_a_model_it_cannot_load() {
    let out = Command::new(env!("CARGO_BIN_EXE_grove"))
        .args(["serve", "no-such-model.grove", "--port", "0"])
        .output()
        .expect("grove runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no model `no-such-model.grove`"));
}
