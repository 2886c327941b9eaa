//! The data plane, which moto cannot run: the `bootstrap` out of `grove package`'s zip, under
//! cargo-lambda's Runtime API emulator (`cargo lambda watch --only-lambda-apis`), invoked with
//! boto3 exactly as the tutorial does and with `grove invoke`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::procs::{free_port, start_runtime_api, wait_for_port, Proc};
use crate::support::{
    fixtures, grove_with, python, python_json, small_bootstrap, stdout, text, venv, wine_grove,
};

const FUNCTION: &str = "_";

/// `cargo lambda watch --only-lambda-apis` on a free port, and the variables it prints for the
/// function to start with.
struct Emulator {
    port: u16,
    vars: Vec<(String, String)>,
    proc: Proc,
    _dir: tempfile::TempDir,
}

impl Emulator {
    fn start() -> Emulator {
        let venv = venv();
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
        let mut path = vec![venv.join("bin")];
        path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let mut command = Command::new(venv.join("bin/cargo-lambda"));
        command
            .args(["lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1", "-P"])
            .arg(port.to_string())
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("PATH", std::env::join_paths(path).expect("a PATH"));
        let (proc, vars) = start_runtime_api(command);
        let deadline = Instant::now() + Duration::from_secs(60);
        wait_for_port(port, deadline, &proc);
        Emulator { port, vars, proc, _dir: dir }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts `bootstrap` from `task_root` as Lambda would: the emulator's variables,
    /// `LAMBDA_TASK_ROOT` and `GROVE_MODEL=model.grove`.
    fn start_function(&self, bootstrap: &Path, task_root: &Path) -> Proc {
        let mut command = Command::new(bootstrap);
        command.current_dir(task_root);
        command.envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command.env("LAMBDA_TASK_ROOT", task_root).env("GROVE_MODEL", "model.grove");
        Proc::spawn("bootstrap", command).0
    }

    /// The SDK's Invoke path, with a plain HTTP/1.1 request.
    fn post_invoke(&self, body: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("the emulator");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("a timeout");
        let head = format!(
            "POST /2015-03-31/functions/{FUNCTION}/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).expect("the request");
        stream.write_all(body).expect("the body");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("the answer");
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }
}

/// Unzips with Python's zipfile, applying each entry's Unix mode from the zip (so the
/// bootstrap is executable only if the zip says 0755); returns the modes.
fn unzip(zip: &Path, dir: &Path) -> Value {
    let mut command = python();
    command.arg("-c").arg(
        "import json, os, sys, zipfile\n\
         z = zipfile.ZipFile(sys.argv[1]); modes = {}\n\
         for i in z.infolist():\n\
         \x20   p = z.extract(i, sys.argv[2]); m = (i.external_attr >> 16) & 0o777\n\
         \x20   os.chmod(p, m); modes[i.filename] = m\n\
         print(json.dumps(modes))",
    );
    command.arg(zip).arg(dir);
    python_json(command)
}

#[test]
fn the_zips_bootstrap_answers_the_tutorial_under_the_emulator() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let model = wine_grove(dir.path());
    let out = dir.path().join("pkg");
    let bootstrap = small_bootstrap().to_str().expect("utf-8");
    let output = grove_with(
        &[
            "package",
            model.to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
            "--bootstrap",
            bootstrap,
        ],
        &[],
    );
    assert!(output.status.success(), "{}", text(&output));
    let task_root = dir.path().join("task");
    let modes = unzip(&out.join("bootstrap.zip"), &task_root);
    assert_eq!(modes, serde_json::json!({"bootstrap": 0o755, "model.grove": 0o644}));

    let emulator = Emulator::start();
    // Exec to first answer: the invoke waits in the emulator until the bootstrap has loaded
    // model.grove and asked for its first event.
    let event =
        std::fs::read(fixtures().join("tutorial_event.json")).expect("the tutorial's event");
    let exec = Instant::now();
    let function = emulator.start_function(&task_root.join("bootstrap"), &task_root);
    let (status, body) = emulator.post_invoke(&event);
    eprintln!("bootstrap from the zip: exec to first answer {:?} (debug build)", exec.elapsed());
    let expected: Value = serde_json::from_slice(
        &std::fs::read(fixtures().join("tutorial_response.json")).expect("the tutorial's response"),
    )
    .expect("JSON");
    assert_eq!(status, 200, "{body}\n{}\n{}", function.output(), emulator.proc.output());
    assert_eq!(serde_json::from_str::<Value>(&body).expect("JSON"), expected);

    // The tutorial's client, exactly.
    let mut command = python();
    command
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../grove-lambda/tests/py/invoke.py"))
        .arg(emulator.endpoint())
        .arg(FUNCTION)
        .arg(fixtures().join("tutorial_event.json"));
    let got = python_json(command);
    assert_eq!(got["status"], 200, "{got}");
    assert_eq!(got["function_error"], Value::Null, "{got}");
    assert_eq!(got["payload"], expected, "{got}");

    // `grove invoke` through the SDK's Invoke API: the tutorial's event by default.
    let endpoint = emulator.endpoint();
    let invoke = |args: &[&str]| {
        let mut all =
            vec!["invoke", "--endpoint-url", endpoint.as_str(), "--function-name", FUNCTION];
        all.extend_from_slice(args);
        grove_with(&all, &[])
    };
    let output = invoke(&[]);
    assert!(output.status.success(), "{}\n{}", text(&output), function.output());
    assert_eq!(serde_json::from_str::<Value>(stdout(&output).trim()).expect("JSON"), expected);

    // CSV rows, sent as `{"values": [...]}`: the predictions themselves.
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "fixed_acidity,volatile_acidity,citric_acid,residual_sugar,chlorides,free_sulfur_dioxide,\
         total_sulfur_dioxide,density,pH,sulphates,alcohol,is_red\n\
         7.0,0.27,0.36,20.7,0.045,45.0,170.0,1.001,3.0,0.45,8.8,false\n\
         7.4,0.7,0.0,1.9,0.076,11.0,34.0,0.9978,3.51,0.56,9.4,true\n",
    )
    .expect("the CSV");
    let output = invoke(&["--csv", csv.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}\n{}", text(&output), function.output());
    let answer: Value = serde_json::from_str(stdout(&output).trim()).expect("JSON");
    assert_eq!(answer["quality"][0], 6, "{answer}");
    assert_eq!(answer["quality"].as_array().map(Vec::len), Some(2), "{answer}");

    // A function error: its errorType and message, and a failed exit.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"values": {"pH": 3.0}}"#).expect("the bad event");
    let output = invoke(&[bad.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the function failed: InvalidInput: "), "{}", text(&output));
    assert!(stderr.contains("fixed_acidity"), "{}", text(&output));

    // The bootstrap stayed up through it all.
    let (status, _) = emulator.post_invoke(&event);
    assert_eq!(status, 200, "{}", function.output());
    drop(function);
    drop(emulator);
}
