//! Models in S3 (moto on 127.0.0.1) through the real `grove` binary: `push`, `models`,
//! `rollback`, and `grove serve s3://…` following the key's versions: new versions swapped in,
//! corrupt and other-schema ones refused while the old model keeps answering, and under `wrk`
//! load, at least ten swaps without one failed answer or one answer naming a version that was
//! never pushed.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use grove_test::http::Http;
use grove_test::moto::Moto;
use grove_test::paths::workspace;
use grove_test::proc::Proc;
use grove_test::require;
use grove_test::venv::Venv;
use serde_json::Value;

/// `grove ARGS` with moto's AWS environment.
fn grove(moto: &Moto, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grove"))
        .args(args)
        .envs(moto.env())
        .stdin(Stdio::null())
        .output()
        .expect("grove runs")
}

/// The first line of a successful run's standard output.
fn ok_line(out: &Output) -> String {
    assert!(
        out.status.success(),
        "grove failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").trim().to_string()
}

/// `grove push MODEL URI [extra]` → the new version id.
fn push(moto: &Moto, model: &str, uri: &str, extra: &[&str]) -> String {
    let mut args = vec!["push", model, uri];
    args.extend_from_slice(extra);
    ok_line(&grove(moto, &args))
}

/// Replaces the object with garbage "by other means": the aws CLI (a new S3 version too).
fn aws_cp_garbage(moto: &Moto, dir: &Path, uri: &str) {
    let garbage = dir.join("garbage.grove");
    std::fs::write(&garbage, b"GROVE? no: garbage bytes, not a model").unwrap();
    let venv = Venv::require(&["aws"]).expect("the venv moto came from has the aws CLI");
    let out = Command::new(venv.bin("aws"))
        .args(["--endpoint-url", &moto.endpoint, "s3", "cp"])
        .arg(&garbage)
        .arg(uri)
        .envs(moto.env())
        .output()
        .expect("aws runs");
    assert!(out.status.success(), "aws s3 cp: {}", String::from_utf8_lossy(&out.stderr));
}

/// `grove train ARGS -o PATH --quiet`, which must succeed; PATH.
fn train_to(path: PathBuf, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_grove"))
        .args(["train", "--quiet"])
        .args(args)
        .arg("-o")
        .arg(&path)
        .output()
        .expect("grove train runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    path.display().to_string()
}

fn train(dir: &Path, seed: u32) -> String {
    let seed = seed.to_string();
    let path = dir.join(format!("wine-{seed}.grove"));
    train_to(path, &["wine", "--n-estimators", "3", "--random-state", &seed])
}

/// A model of another schema (3 features, target `y`).
fn other_schema(dir: &Path) -> String {
    let csv = dir.join("small.csv");
    let mut text = String::from("a,b,c,y\n");
    for i in 0..40 {
        text += &format!("{},{},{},{}\n", i, (i * 7) % 11, (i * 3) % 5, i % 2);
    }
    std::fs::write(&csv, text).unwrap();
    let csv = csv.to_str().expect("a UTF-8 temp path");
    train_to(dir.join("small.grove"), &["--n-estimators", "2", "--target", "y", "--csv", csv])
}

/// `grove serve` on a free port; its log is kept for assertions and failure messages.
struct Server {
    proc: Proc,
    addr: String,
    http: Http,
}

impl Server {
    fn start(moto: &Moto, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_grove"));
        command
            .args(["serve", "--port", "0"])
            .args(args)
            .envs(moto.env())
            .env_remove("GROVE_ADMIN_TOKEN")
            .envs(env.iter().copied());
        let (proc, lines) = Proc::spawn("grove serve", command);
        let deadline = Instant::now() + Duration::from_secs(30);
        let addr = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.split("POST http://").nth(1) {
                        break rest.split('/').next().unwrap_or("").to_string();
                    }
                }
                Err(_) => panic!("grove serve did not start\n{}", proc.output()),
            }
        };
        Server { proc, addr, http: Http::new(Duration::from_secs(30)) }
    }

    fn log(&self) -> String {
        self.proc.output()
    }

    /// One request: status, `x-model-version`, body.
    fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Option<String>, String) {
        let url = format!("http://{}{path}", self.addr);
        let answer = self.http.send_with(method, &url, headers, body.as_bytes());
        let version = answer.header("x-model-version").map(str::to_string);
        (answer.status, version, answer.body)
    }

    fn health(&self) -> Value {
        let (status, _, body) = self.call("GET", "/healthz", &[], "");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    fn predict(&self) -> (u16, Option<String>, String) {
        let body =
            std::fs::read_to_string(workspace().join("examples/tutorial-body.json")).unwrap();
        self.call("POST", "/predict", &[], &body)
    }

    fn metrics(&self) -> String {
        self.call("GET", "/metrics", &[], "").2
    }

    /// Waits (up to 15 s) until `/healthz` satisfies `done`.
    fn wait_health(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let h = self.health();
            if done(&h) {
                return h;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: {h}\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn push_list_roll_back_and_serve_follows_the_versions() {
    let moto = Moto::start(&require!(Moto::venv()));
    let dir = tempfile::tempdir().unwrap();
    let uri = "s3://grove-models/wine/model.grove";
    let endpoint = ["--endpoint-url", moto.endpoint.as_str()];

    // A missing bucket is an error unless --create-bucket.
    let out = grove(&moto, &["push", "wine-quality", uri]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --create-bucket"), "{out:?}");
    let v1 = push(&moto, "wine-quality", uri, &["--create-bucket", "--label", "v1"]);
    let seven = train(dir.path(), 7);
    let v2 = push(&moto, &seven, uri, &["--label", "v2", "--endpoint-url", &moto.endpoint]);

    // The table and the JSON listing.
    let table = ok_line(&grove(&moto, &["models", uri]));
    assert!(table.starts_with("   VERSION") || table.contains("VERSION"), "{table}");
    let out = grove(&moto, &["models", uri]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let latest_line = text.lines().find(|l| l.contains(&v2)).unwrap();
    assert!(latest_line.starts_with('*') && latest_line.contains(" v2 "), "{text}");
    assert!(latest_line.contains("12 features → quality (7 classes)"), "{text}");
    assert!(
        text.lines().any(|l| l.contains(&v1) && l.contains(" v1 ") && !l.starts_with('*')),
        "{text}"
    );
    eprintln!("grove models {uri}:\n{text}");
    let json: Value =
        serde_json::from_str(&ok_line(&grove(&moto, &["models", uri, "--json"]))).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(
        (json[0]["version_id"].as_str(), json[0]["latest"].as_bool()),
        (Some(v2.as_str()), Some(true))
    );
    assert_eq!(json[0]["schema"], json[1]["schema"]);

    // A server pinned to a label serves that version, and does not follow.
    let pinned = Server::start(&moto, &[uri, "--model-version", "v1"], &[]);
    assert_eq!(pinned.health()["version"], v1);
    assert!(pinned.health().get("last_reload").is_none());
    drop(pinned);

    // A following server: the latest version, with the admin route.
    let mut args = vec![uri, "--poll-interval", "0.2"];
    args.extend_from_slice(&endpoint);
    let server = Server::start(&moto, &args, &[("GROVE_ADMIN_TOKEN", "tok")]);
    let (status, version, body) = server.predict();
    assert_eq!((status, version.as_deref()), (200, Some(v2.as_str())), "{body}");

    // Roll back to v1 (by label): a new version, picked up by polling.
    let v3 = ok_line(&grove(&moto, &["rollback", uri, "--to", "v1"]));
    assert!(v3 != v1 && v3 != v2);
    let h = server.wait_health("the rollback", |h| h["version"] == v3.as_str());
    assert_eq!(h["last_reload"]["ok"], true);
    assert_eq!(server.predict().1.as_deref(), Some(v3.as_str()));

    // Garbage copied over the key by other means: rejected, v3 keeps answering.
    aws_cp_garbage(&moto, dir.path(), uri);
    let h = server.wait_health("the garbage", |h| h["last_reload"]["ok"] == false);
    assert_eq!(h["version"], v3.as_str());
    assert!(h["last_reload"]["error"].as_str().unwrap().contains("is not a valid model"), "{h}");
    let (status, version, _) = server.predict();
    assert_eq!((status, version.as_deref()), (200, Some(v3.as_str())));
    let corrupt = h["last_reload"]["version"].as_str().unwrap().to_string();
    let out = grove(&moto, &["models", uri, "--json"]);
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["version_id"], corrupt.as_str());

    // Another schema: rejected, with the reason in the log, the metrics and /healthz.
    let small = push(&moto, &other_schema(dir.path()), uri, &["--label", "small"]);
    let h =
        server.wait_health("the other schema", |h| h["last_reload"]["version"] == small.as_str());
    assert_eq!(h["last_reload"]["ok"], false);
    assert!(h["last_reload"]["error"].as_str().unwrap().contains("schema differs"), "{h}");
    assert_eq!(h["version"], v3.as_str());
    assert!(server.log().contains("reload rejected, keeping version"), "{}", server.log());

    // The admin route: a wrong token is refused; the right one retries (and rejects again).
    let (status, _, body) =
        server.call("POST", "/admin/reload", &[("Authorization", "Bearer nope")], "");
    assert_eq!(status, 401, "{body}");
    let (status, _, body) =
        server.call("POST", "/admin/reload", &[("Authorization", "Bearer tok")], "");
    assert_eq!(status, 422, "{body}");

    // A good version again: swapped in; metrics name it.
    let v4 = push(&moto, "wine-quality", uri, &["--label", "v4"]);
    server.wait_health("v4", |h| h["version"] == v4.as_str());
    let (status, _, body) =
        server.call("POST", "/admin/reload", &[("Authorization", "Bearer tok")], "");
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["result"], "unchanged");
    let m = server.metrics();
    assert!(
        m.contains(&format!("grove_model_info{{model=\"wine-quality\",version=\"{v4}\"}} 1")),
        "{m}"
    );
    assert!(
        !m.contains(&format!("grove_model_info{{model=\"wine-quality\",version=\"{v2}\"}}")),
        "{m}"
    );
    let ok = m.lines().find(|l| l.starts_with("grove_model_reloads_total{result=\"ok\"}")).unwrap();
    assert!(ok.ends_with(" 2"), "{m}");
    let rejected = m
        .lines()
        .find(|l| l.starts_with("grove_model_reloads_total{result=\"rejected\"}"))
        .unwrap();
    assert!(rejected.ends_with(" 3"), "{m}");

    // Local models take none of the S3 options, and keep no admin route.
    let out = grove(&moto, &["serve", "wine-quality", "--poll-interval", "1"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("apply to s3:// models only"), "{out:?}");
}

#[test]
fn ten_swaps_under_wrk_load_without_a_failed_or_unknown_answer() {
    let wrk = require!(grove_test::needs::program("wrk"));
    let moto = Moto::start(&require!(Moto::venv()));
    let dir = tempfile::tempdir().unwrap();
    let uri = "s3://grove-load/wine.grove";
    let models = [train(dir.path(), 1), train(dir.path(), 2), "wine-quality".to_string()];
    let versions_file = dir.path().join("versions.txt");
    let first = push(&moto, &models[2], uri, &["--create-bucket"]);
    std::fs::write(&versions_file, format!("{first}\n")).unwrap();

    let server = Server::start(&moto, &[uri, "--poll-interval", "0.2"], &[]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wrk/versions.lua");
    let load = Command::new(wrk)
        .args(["-t2", "-c8", "-d9s", "-s"])
        .arg(&script)
        .arg(format!("http://{}/predict", server.addr))
        .env("GROVE_BODY", workspace().join("examples/tutorial-body.json"))
        .env("GROVE_VERSIONS", &versions_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wrk starts");

    std::thread::sleep(Duration::from_millis(500));
    let mut pushed = vec![first];
    for i in 0..11 {
        if i == 5 {
            // The corrupt one: never written to the versions file, so serving it would count.
            aws_cp_garbage(&moto, dir.path(), uri);
        } else {
            let v = push(&moto, &models[i % models.len()], uri, &["--label", &format!("load-{i}")]);
            let mut f = std::fs::OpenOptions::new().append(true).open(&versions_file).unwrap();
            writeln!(f, "{v}").unwrap();
            pushed.push(v);
        }
        std::thread::sleep(Duration::from_millis(450));
    }
    let last = pushed.last().unwrap().clone();
    server.wait_health("the last push", |h| h["version"] == last.as_str());
    let out = load.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "wrk failed: {report}\n{}", String::from_utf8_lossy(&out.stderr));
    let line = report
        .lines()
        .find(|l| l.starts_with("version-check:"))
        .unwrap_or_else(|| panic!("{report}"));
    eprintln!("wrk under {} swaps: {line}", pushed.len() - 1);
    let figure = |name: &str| -> u64 {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")).and_then(|v| v.parse().ok()))
            .unwrap_or_else(|| panic!("no {name} in {line}"))
    };
    assert!(figure("requests") > 1000, "{line}");
    assert_eq!(figure("non_2xx"), 0, "{report}");
    assert_eq!(figure("socket_errors"), 0, "{report}");
    assert_eq!(figure("no_version"), 0, "{report}");
    assert_eq!(figure("bad_version"), 0, "{report}");
    assert!(figure("versions_seen") >= 8, "{report}");

    let m = server.metrics();
    let count = |result: &str| -> u64 {
        let prefix = format!("grove_model_reloads_total{{result=\"{result}\"}} ");
        m.lines().find_map(|l| l.strip_prefix(&prefix)?.parse().ok()).unwrap_or(0)
    };
    eprintln!(
        "reloads: ok={} rejected={} unchanged={}; pushed {} good versions and 1 corrupt",
        count("ok"),
        count("rejected"),
        count("unchanged"),
        pushed.len() - 1
    );
    assert!(count("ok") >= 10, "{m}");
    assert!(count("rejected") >= 1, "{m}");
    assert!(server.log().contains("is not a valid model"), "{}", server.log());
}
