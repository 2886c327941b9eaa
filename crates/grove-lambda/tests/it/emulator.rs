//! The real bootstrap under a real Runtime API emulator: `cargo lambda watch --only-lambda-apis`
//! from the test venv (`scripts/test-deps.sh`), invoked with boto3 exactly as the tutorial does,
//! and through the emulator's function URLs. Everything listens on 127.0.0.1 on free ports and
//! is stopped (SIGTERM, then SIGKILL) when the test ends, pass or fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::procs::{free_port, run_bounded, start_runtime_api, wait_for_port, Proc};
use crate::raw_http::{http, HttpAnswer};
use crate::support::{crate_dir, event, tutorial_response, workspace_root};

const FUNCTION: &str = "_";
/// The longest any one request to the emulator may take.
const LIMIT: Duration = Duration::from_secs(60);

/// The test venv (`GROVE_TEST_VENV`, default `<workspace>/.venv-test`); fails the test, with
/// what to run, when it is missing.
fn venv() -> PathBuf {
    let dir = std::env::var_os("GROVE_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv-test"));
    for tool in ["bin/cargo-lambda", "bin/python"] {
        assert!(
            dir.join(tool).exists(),
            "{} is missing: run scripts/test-deps.sh to create the test venv (cargo-lambda, boto3), \
             or point GROVE_TEST_VENV at one",
            dir.join(tool).display()
        );
    }
    dir
}

/// `cargo lambda watch --only-lambda-apis` on a free port, and the variables it prints for the
/// function ("you MUST set these variables ...").
struct Emulator {
    port: u16,
    vars: Vec<(String, String)>,
    proc: Proc,
    _dir: tempfile::TempDir,
}

impl Emulator {
    fn start(venv: &Path) -> Emulator {
        // `watch` wants a Cargo.toml in its directory; with --only-lambda-apis it builds nothing.
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir(dir.path().join("src")).expect("src/");
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"emulated\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        )
        .expect("Cargo.toml");
        std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").expect("src/main.rs");

        let port = free_port();
        let mut command = Command::new(venv.join("bin/cargo-lambda"));
        command
            .args(["lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1", "-P"])
            .arg(port.to_string())
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("PATH", path_with(venv));
        let (proc, vars) = start_runtime_api(command);
        let deadline = Instant::now() + Duration::from_secs(60);
        let emulator = Emulator { port, vars, proc, _dir: dir };
        assert_eq!(
            emulator.var("AWS_LAMBDA_RUNTIME_API"),
            format!("http://127.0.0.1:{port}/.rt"),
            "{}",
            emulator.proc.output()
        );
        assert_eq!(emulator.var("AWS_LAMBDA_FUNCTION_NAME"), FUNCTION);
        wait_for_port(port, deadline, &emulator.proc);
        emulator
    }

    fn var(&self, name: &str) -> &str {
        self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts the bootstrap with the printed variables (and `extra`).
    fn start_function(&self, extra: &[(&str, &str)]) -> Proc {
        let mut command = Command::new(env!("CARGO_BIN_EXE_grove-lambda"));
        command.env_remove("GROVE_MODEL").env_remove("LAMBDA_TASK_ROOT");
        command.envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command.envs(extra.iter().copied());
        Proc::spawn("grove-lambda", command).0
    }

    /// boto3's `invoke`, as the tutorial calls it (tests/py/invoke.py).
    fn boto3_invoke(&self, venv: &Path, event: &Value) -> Value {
        let file = tempfile::NamedTempFile::new().expect("a temp file");
        std::fs::write(file.path(), event.to_string()).expect("the event file");
        let mut command = Command::new(venv.join("bin/python"));
        command
            .arg(crate_dir().join("tests/py/invoke.py"))
            .arg(self.endpoint())
            .arg(FUNCTION)
            .arg(file.path())
            .env("AWS_EC2_METADATA_DISABLED", "true");
        let output = run_bounded(command, Duration::from_secs(90));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "invoke.py failed: {}\n{stdout}\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr),
            self.proc.output()
        );
        serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("invoke.py printed {stdout}: {e}"))
    }

    /// A POST straight to the emulator (the invoke API or a function URL).
    fn post(&self, path: &str, body: &[u8]) -> HttpAnswer {
        http(self.port, "POST", path, body, LIMIT)
    }
}

fn path_with(venv: &Path) -> std::ffi::OsString {
    let mut paths = vec![venv.join("bin")];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).expect("a PATH")
}

fn invoke_path() -> String {
    format!("/2015-03-31/functions/{FUNCTION}/invocations")
}

#[test]
fn tutorial_invokes_and_function_urls_under_cargo_lambda() {
    let venv = venv();
    let emulator = Emulator::start(&venv);

    // Exec to first answer: the function URL request waits in the emulator until the freshly
    // started bootstrap has loaded the model and asked for its first event.
    let body = event("tutorial-direct.json")["body"].as_str().unwrap().to_string();
    let exec = Instant::now();
    let function = emulator.start_function(&[]);
    let first = emulator.post(&format!("/lambda-url/{FUNCTION}/predict"), body.as_bytes());
    eprintln!("grove-lambda: exec to first answer {:?} (debug build)", exec.elapsed());

    // (e) a function URL: the Router's own answer, as an HTTP response.
    assert_eq!(first.status, 200, "{first:?}\n{}", function.output());
    assert_eq!(first.body, r#"{"quality": 6}"#);
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert!(first.header("x-model-version").is_some(), "{first:?}");
    let bad = emulator.post(&format!("/lambda-url/{FUNCTION}/predict"), br#"{"values": {}}"#);
    assert_eq!(bad.status, 422, "{bad:?}");
    assert_eq!(bad.json()["field"], "values.fixed_acidity");
    let health = http(emulator.port, "GET", &format!("/lambda-url/{FUNCTION}/healthz"), b"", LIMIT);
    assert_eq!(health.status, 200, "{health:?}");
    assert_eq!(health.json()["model"], "wine-quality");

    // (c) the tutorial's client, exactly: the answer is the tutorial's response.
    let got = emulator.boto3_invoke(&venv, &event("tutorial-direct.json"));
    assert_eq!(got["status"], 200, "{got}");
    assert_eq!(got["function_error"], Value::Null, "{got}");
    assert_eq!(got["payload"], tutorial_response(), "{got}");

    // (d) a raw payload: the prediction itself.
    let got = emulator.boto3_invoke(&venv, &event("raw-values.json"));
    assert_eq!(got["payload"], json!({"quality": 6}), "{got}");
    assert_eq!(got["function_error"], Value::Null, "{got}");

    // (d) bad input in a raw payload: a function error with a stable errorType. This emulator
    // answers function errors with HTTP 500 (Lambda: 200 + X-Amz-Function-Error), which boto3
    // retries and raises as a ClientError; the same invoke API read directly shows the error.
    let mut bad = event("raw-values.json");
    bad["values"].as_object_mut().unwrap().remove("pH");
    let got = emulator.boto3_invoke(&venv, &bad);
    let function_error = got["function_error"].as_str().map(str::to_string);
    match function_error {
        Some(kind) => assert_eq!(kind, "Unhandled", "{got}"),
        None => assert_eq!(got["client_error"]["http_status"], 500, "{got}"),
    }
    let direct = emulator.post(&invoke_path(), bad.to_string().as_bytes());
    assert!(direct.status == 500 || direct.header("x-amz-function-error").is_some(), "{direct:?}");
    let error = direct.json();
    assert_eq!(error["errorType"], "InvalidInput", "{error}");
    assert!(error["errorMessage"].as_str().unwrap().contains("pH"), "{error}");

    // An unsupported event names the accepted shapes.
    let direct = emulator.post(&invoke_path(), br#"{"Records": []}"#);
    assert_eq!(direct.json()["errorType"], "UnsupportedEvent", "{direct:?}");

    // The process stayed up through every error.
    drop(function);
    drop(emulator);
}

#[test]
fn a_bad_model_is_an_init_error_and_a_failed_exit() {
    let venv = venv();
    let emulator = Emulator::start(&venv);
    // Queue an invoke first: the emulator answers the waiting invoke with the init error.
    let port = emulator.port;
    let pending =
        thread::spawn(move || http(port, "POST", &invoke_path(), br#"{"values": {}}"#, LIMIT));
    thread::sleep(Duration::from_millis(500));
    let mut function = emulator.start_function(&[("GROVE_MODEL", "/nonexistent/model.grove")]);
    let status = function.wait_exit(Duration::from_secs(30));
    assert!(matches!(status, Some(s) if !s.success()), "{status:?}\n{}", function.output());
    assert!(
        function.output().contains("cannot load the model `/nonexistent/model.grove`"),
        "{}",
        function.output()
    );

    let answer = pending.join().expect("the pending invoke");
    let error = answer.json();
    assert_eq!(error["errorType"], "NoSuchModel", "{answer:?}");
    assert!(error["errorMessage"].as_str().unwrap().contains("GROVE_MODEL"), "{answer:?}");
}

#[test]
fn the_function_loads_a_pinned_version_from_s3_at_init() {
    use grove_store::{AwsSettings, PushOptions, S3Location, S3Store};

    let venv = venv();
    let moto = crate::moto::Moto::start();
    moto.set_process_env();
    // The tutorial's model, labelled, then garbage on top as the latest version: only the
    // pinned version (GROVE_MODEL_VERSION, by label) can serve.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (tutorial, garbage) = runtime.block_on(async {
        let location = S3Location { bucket: "lambda-models".into(), key: "wine.grove".into() };
        let options =
            AwsSettings { endpoint_url: Some(moto.endpoint.clone()), ..Default::default() };
        let store = S3Store::connect(location, &options).await.unwrap();
        let bytes = grove_format::to_bytes(&grove_builtin::wine_quality().unwrap());
        let push = PushOptions {
            label: Some("tutorial".into()),
            create_bucket: true,
            ..PushOptions::default()
        };
        let pushed = store.push(&bytes, &push).await.unwrap();
        let put = store
            .client()
            .put_object()
            .bucket("lambda-models")
            .key("wine.grove")
            .body(b"not a model".to_vec().into())
            .send()
            .await
            .unwrap();
        (pushed.version_id, put.version_id().unwrap().to_string())
    });
    assert_ne!(tutorial, garbage);

    let emulator = Emulator::start(&venv);
    let env = moto.env();
    let mut extra: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    extra.push(("GROVE_MODEL", "s3://lambda-models/wine.grove"));
    extra.push(("GROVE_MODEL_VERSION", "tutorial"));
    let function = emulator.start_function(&extra);

    // The tutorial's client, exactly: the tutorial's response.
    let got = emulator.boto3_invoke(&venv, &event("tutorial-direct.json"));
    assert_eq!(got["function_error"], Value::Null, "{got}\n{}", function.output());
    assert_eq!(got["payload"], tutorial_response(), "{got}");
    // The served version is the S3 version id the label names.
    let health = http(emulator.port, "GET", &format!("/lambda-url/{FUNCTION}/healthz"), b"", LIMIT);
    assert_eq!(health.json()["version"], tutorial.as_str(), "{health:?}");
    let answer = emulator.post(
        &format!("/lambda-url/{FUNCTION}/predict"),
        event("tutorial-direct.json")["body"].as_str().unwrap().as_bytes(),
    );
    assert_eq!(answer.header("x-model-version"), Some(tutorial.as_str()), "{answer:?}");
    drop(function);
}
