//! The data plane, which moto cannot run: the `bootstrap` out of `grove package`'s zip, under
//! cargo-lambda's Runtime API emulator (`cargo lambda watch --only-lambda-apis`), invoked with
//! boto3 exactly as the tutorial does and with `grove invoke`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use grove_test::emulator::{Emulator, FUNCTION};
use grove_test::proc::Proc;
use grove_test::require;
use serde_json::Value;

use crate::support::{
    fixtures, grove_with, python, python_json, ready, small_bootstrap, stdout, text, venv,
    wine_grove,
};

/// Starts `bootstrap` from `task_root` as Lambda would: the emulator's variables,
/// `LAMBDA_TASK_ROOT` and `GROVE_MODEL=model.grove`.
fn start_function(emulator: &Emulator, bootstrap: &Path, task_root: &Path) -> Proc {
    let mut command: Command = emulator.function(bootstrap);
    command.current_dir(task_root);
    command.env("LAMBDA_TASK_ROOT", task_root).env("GROVE_MODEL", "model.grove");
    Proc::spawn("bootstrap", command).0
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
    require!(ready());
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

    let emulator = Emulator::start(&venv());
    // Exec to first answer: the invoke waits in the emulator until the bootstrap has loaded
    // model.grove and asked for its first event.
    let event =
        std::fs::read(fixtures().join("tutorial_event.json")).expect("the tutorial's event");
    let exec = Instant::now();
    let function = start_function(&emulator, &task_root.join("bootstrap"), &task_root);
    let answer = emulator.invoke(&event);
    let (status, body) = (answer.status, answer.body);
    eprintln!("bootstrap from the zip: exec to first answer {:?} (debug build)", exec.elapsed());
    let expected: Value = serde_json::from_slice(
        &std::fs::read(fixtures().join("tutorial_response.json")).expect("the tutorial's response"),
    )
    .expect("JSON");
    assert_eq!(status, 200, "{body}\n{}\n{}", function.output(), emulator.output());
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
    let status = emulator.invoke(&event).status;
    assert_eq!(status, 200, "{}", function.output());
    drop(function);
    drop(emulator);
}
