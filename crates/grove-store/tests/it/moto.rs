//! moto's server (`.venv-test/bin/moto_server`, from `scripts/test-deps.sh`) on a free port of
//! 127.0.0.1, for the tests of every crate that talks to S3 (others include this file by path).
//! It is killed when the [`Moto`] is dropped, pass or fail.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

/// The test venv (`GROVE_TEST_VENV`, default `<workspace>/.venv-test`).
pub fn venv() -> PathBuf {
    let dir = std::env::var_os("GROVE_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(".venv-test"));
    assert!(
        dir.join("bin/moto_server").exists(),
        "{} is missing: run scripts/test-deps.sh to create the test venv (moto[server], boto3)",
        dir.join("bin/moto_server").display()
    );
    dir
}

/// A running moto server.
pub struct Moto {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// The status code of `GET path`, if anything answers.
fn get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

static PROCESS_ENV: Once = Once::new();

impl Moto {
    /// Starts moto and waits (up to 60 s) until `GET /moto-api/` answers.
    pub fn start() -> Moto {
        let venv = venv();
        let dir = tempfile::tempdir().expect("a temp dir");
        let log = std::fs::File::create(dir.path().join("moto.log")).expect("moto's log");
        let port = free_port();
        let child = Command::new(venv.join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log"))
            .stderr(log)
            .spawn()
            .expect("moto_server starts");
        let mut moto = Moto { endpoint: format!("http://127.0.0.1:{port}"), port, child, dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        while get_status(port, "/moto-api/") != Some(200) {
            if Instant::now() > deadline || matches!(moto.child.try_wait(), Ok(Some(_))) {
                panic!("moto_server did not start on port {port}\n{}", moto.log());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// What moto printed.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("moto.log")).unwrap_or_default()
    }

    /// The AWS variables for a process talking to this moto: dummy credentials, us-east-1, no
    /// instance metadata, no profile files (nonexistent paths), `AWS_ENDPOINT_URL` = moto.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let missing = self.dir.path().join("no-such-file");
        vec![
            ("AWS_ACCESS_KEY_ID", "x".into()),
            ("AWS_SECRET_ACCESS_KEY", "x".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_DEFAULT_REGION", "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_CONFIG_FILE", missing.display().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE", missing.display().to_string()),
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
        ]
    }

    /// Sets the same variables (except `AWS_ENDPOINT_URL`, which differs per server) in this
    /// test process, once, for in-process SDK calls that pass the endpoint explicitly.
    pub fn set_process_env(&self) {
        let env: Vec<(&str, String)> =
            self.env()
                .into_iter()
                .filter(|(k, _)| *k != "AWS_ENDPOINT_URL")
                .map(|(k, v)| {
                    if k.ends_with("_FILE") {
                        (k, "/nonexistent/aws-file".into())
                    } else {
                        (k, v)
                    }
                })
                .collect();
        PROCESS_ENV.call_once(|| {
            for (k, v) in env {
                std::env::set_var(k, v);
            }
        });
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
