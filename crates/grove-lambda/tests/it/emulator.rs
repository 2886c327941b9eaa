//! The real bootstrap under a real Runtime API emulator: `cargo lambda watch --only-lambda-apis`
//! from the test venv (`scripts/test-deps.sh`), invoked with boto3 exactly as the tutorial does,
//! and through the emulator's function URLs. Everything listens on 127.0.0.1 on free ports and
//! is stopped (SIGTERM, then SIGKILL) when the test ends, pass or fail.

use std::thread;
use std::time::{Duration, Instant};

use grove_test::emulator::{Emulator, FUNCTION};
use grove_test::moto::Moto;
use grove_test::proc::{run_bounded, Proc};
use grove_test::require;
use grove_test::venv::Venv;
use serde_json::{json, Value};

use crate::support::{crate_dir, event, tutorial_response};

/// Starts the bootstrap under test with the emulator's variables (and `extra`), and none of
/// this process's model settings.
fn start_function(emulator: &Emulator, extra: &[(&str, &str)]) -> Proc {
    let mut command = emulator.function(env!("CARGO_BIN_EXE_grove-lambda"));
    command.env_remove("GROVE_MODEL").env_remove("LAMBDA_TASK_ROOT");
    command.envs(extra.iter().copied());
    Proc::spawn("grove-lambda", command).0
}

/// boto3's `invoke`, as the tutorial calls it (tests/py/invoke.py).
fn boto3_invoke(emulator: &Emulator, venv: &Venv, event: &Value) -> Value {
    let file = tempfile::NamedTempFile::new().expect("a temp file");
    std::fs::write(file.path(), event.to_string()).expect("the event file");
    let mut command = venv.python();
    command
        .arg(crate_dir().join("tests/py/invoke.py"))
        .arg(emulator.endpoint())
        .arg(FUNCTION)
        .arg(file.path());
    let output = run_bounded(command, Duration::from_secs(90));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "invoke.py failed: {}\n{stdout}\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        emulator.output()
    );
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("invoke.py printed {stdout}: {e}"))
}

#[test]
fn tutorial_invokes_and_function_urls_under_cargo_lambda() {
    let venv = require!(Emulator::venv());
    let emulator = Emulator::start(&venv);

    // Exec to first answer: the function URL request waits in the emulator until the freshly
    // started bootstrap has loaded the model and asked for its first event.
    let body = event("tutorial-direct.json")["body"].as_str().unwrap().to_string();
    let exec = Instant::now();
    let function = start_function(&emulator, &[]);
    let first = emulator.request("POST", &Emulator::url_path("/predict"), body.as_bytes());
    eprintln!("grove-lambda: exec to first answer {:?} (debug build)", exec.elapsed());

    // (e) a function URL: the Router's own answer, as an HTTP response.
    assert_eq!(first.status, 200, "{first:?}\n{}", function.output());
    assert_eq!(first.body, r#"{"quality": 6}"#);
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert!(first.header("x-model-version").is_some(), "{first:?}");
    let bad = emulator.request("POST", &Emulator::url_path("/predict"), br#"{"values": {}}"#);
    assert_eq!(bad.status, 422, "{bad:?}");
    assert_eq!(bad.json()["field"], "values.fixed_acidity");
    let health = emulator.request("GET", &Emulator::url_path("/healthz"), b"");
    assert_eq!(health.status, 200, "{health:?}");
    assert_eq!(health.json()["model"], "wine-quality");

    // (c) the tutorial's client, exactly: the answer is the tutorial's response.
    let got = boto3_invoke(&emulator, &venv, &event("tutorial-direct.json"));
    assert_eq!(got["status"], 200, "{got}");
    assert_eq!(got["function_error"], Value::Null, "{got}");
    assert_eq!(got["payload"], tutorial_response(), "{got}");

    // (d) a raw payload: the prediction itself.
    let got = boto3_invoke(&emulator, &venv, &event("raw-values.json"));
    assert_eq!(got["payload"], json!({"quality": 6}), "{got}");
    assert_eq!(got["function_error"], Value::Null, "{got}");

    // (d) bad input in a raw payload: a function error with a stable errorType. This emulator
    // answers function errors with HTTP 500 (Lambda: 200 + X-Amz-Function-Error), which boto3
    // retries and raises as a ClientError; the same invoke API read directly shows the error.
    let mut bad = event("raw-values.json");
    bad["values"].as_object_mut().unwrap().remove("pH");
    let got = boto3_invoke(&emulator, &venv, &bad);
    let function_error = got["function_error"].as_str().map(str::to_string);
    match function_error {
        Some(kind) => assert_eq!(kind, "Unhandled", "{got}"),
        None => assert_eq!(got["client_error"]["http_status"], 500, "{got}"),
    }
    let direct = emulator.invoke(bad.to_string().as_bytes());
    assert!(direct.status == 500 || direct.header("x-amz-function-error").is_some(), "{direct:?}");
    let error = direct.json();
    assert_eq!(error["errorType"], "InvalidInput", "{error}");
    assert!(error["errorMessage"].as_str().unwrap().contains("pH"), "{error}");

    // An unsupported event names the accepted shapes.
    let direct = emulator.invoke(br#"{"Records": []}"#);
    assert_eq!(direct.json()["errorType"], "UnsupportedEvent", "{direct:?}");

    // The process stayed up through every error.
    drop(function);
    drop(emulator);
}

#[test]
fn a_bad_model_is_an_init_error_and_a_failed_exit() {
    let venv = require!(Emulator::venv());
    let emulator = Emulator::start(&venv);
    // Queue an invoke first: the emulator answers the waiting invoke with the init error.
    let url = format!("{}{}", emulator.endpoint(), Emulator::invoke_path());
    let pending = thread::spawn(move || {
        grove_test::http::Http::new(Duration::from_secs(60)).send(
            "POST",
            &url,
            br#"{"values": {}}"#,
        )
    });
    thread::sleep(Duration::from_millis(500));
    let mut function = start_function(&emulator, &[("GROVE_MODEL", "/nonexistent/model.grove")]);
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

    let venv = require!(Venv::require(&["cargo-lambda", "moto_server"]));
    let moto = Moto::start(&venv);
    grove_test::aws_env::isolate_process();
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
    let function = start_function(&emulator, &extra);

    // The tutorial's client, exactly: the tutorial's response.
    let got = boto3_invoke(&emulator, &venv, &event("tutorial-direct.json"));
    assert_eq!(got["function_error"], Value::Null, "{got}\n{}", function.output());
    assert_eq!(got["payload"], tutorial_response(), "{got}");
    // The served version is the S3 version id the label names.
    let health = emulator.request("GET", &Emulator::url_path("/healthz"), b"");
    assert_eq!(health.json()["version"], tutorial.as_str(), "{health:?}");
    let answer = emulator.request(
        "POST",
        &Emulator::url_path("/predict"),
        event("tutorial-direct.json")["body"].as_str().unwrap().as_bytes(),
    );
    assert_eq!(answer.header("x-model-version"), Some(tutorial.as_str()), "{answer:?}");
    drop(function);
}
