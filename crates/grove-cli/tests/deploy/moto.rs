//! `grove deploy` against moto's IAM, Lambda and API Gateway, checked with boto3.

use std::path::Path;

use serde_json::Value;

use grove_test::moto::Moto;
use grove_test::require;

use crate::support::{
    code_sha256_by_python, grove, py_script, python, python_json, ready, small_bootstrap, stdout,
    text, venv, wine_grove,
};

/// Everything boto3 reads back about the deploy (tests/py/aws_state.py).
pub fn aws_state(moto: &Moto, function: &str, api_name: Option<&str>) -> Value {
    let mut command = python();
    command.arg(py_script("aws_state.py")).args([&moto.endpoint, function, "lambda-ex", "live"]);
    command.args(api_name);
    python_json(command)
}

/// moto with AWS's managed policies (attaching AWSLambdaBasicExecutionRole needs them).
pub fn start_moto() -> Moto {
    Moto::with_managed_policies(&venv())
}

/// `grove deploy <args> --bootstrap <small> --endpoint-url <moto>`, which must succeed; its
/// report lines.
pub fn deploy(moto: &Moto, args: &[&str]) -> Vec<String> {
    let bootstrap = small_bootstrap().to_str().expect("utf-8").to_string();
    let mut all = vec!["deploy", "--bootstrap", &bootstrap, "--endpoint-url", &moto.endpoint];
    all.extend_from_slice(args);
    let output = grove(&all);
    assert!(output.status.success(), "{}\n{}", text(&output), moto.output());
    stdout(&output).lines().map(str::to_string).collect()
}

fn assert_line(lines: &[String], wanted: &str) {
    assert!(
        lines.iter().any(|l| l.starts_with(wanted)),
        "no line `{wanted}…` in:\n{}",
        lines.join("\n")
    );
}

#[test]
fn grove_deploy_runs_the_tutorial_on_moto_then_updates_in_place() {
    require!(ready());
    let moto = start_moto();
    let dir = tempfile::tempdir().expect("a temp dir");
    let model = wine_grove(dir.path());
    let model = model.to_str().expect("utf-8");

    // The package the tutorial uploads.
    let out_dir = dir.path().join("pkg");
    let bootstrap = small_bootstrap().to_str().expect("utf-8");
    let output = grove(&[
        "package",
        model,
        "-o",
        out_dir.to_str().expect("utf-8"),
        "--bootstrap",
        bootstrap,
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(stdout(&output).contains("bootstrap.zip: "), "{}", text(&output));
    let zip_sha = code_sha256_by_python(&out_dir.join("bootstrap.zip"));

    // First deploy: everything is created.
    let lines = deploy(&moto, &[model]);
    for wanted in [
        "role lambda-ex: created",
        "role lambda-ex policy AWSLambdaBasicExecutionRole: created",
        "function wine-quality: created",
        "version 1: created",
        "alias live: created (→ version 1)",
        "function URL (live): created (AWS_IAM https://",
    ] {
        assert_line(&lines, wanted);
    }
    let state = aws_state(&moto, "wine-quality", None);
    let trust = &state["role"]["trust"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "lambda.amazonaws.com", "{state}");
    assert_eq!(trust["Action"], "sts:AssumeRole", "{state}");
    assert_eq!(trust["Effect"], "Allow", "{state}");
    assert!(
        state["attached"]
            .as_array()
            .expect("a list")
            .iter()
            .any(|p| p == "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
        "{state}"
    );
    let function = &state["function"];
    assert_eq!(function["Runtime"], "provided.al2023", "{state}");
    assert_eq!(function["Handler"], "bootstrap", "{state}");
    assert_eq!(function["Timeout"], 60, "{state}");
    assert_eq!(function["MemorySize"], 128, "{state}");
    assert_eq!(function["PackageType"], "Zip", "{state}");
    assert_eq!(function["Architectures"], serde_json::json!(["x86_64"]), "{state}");
    assert_eq!(function["Role"], state["role"]["arn"], "{state}");
    assert_eq!(
        function["CodeSha256"],
        zip_sha.as_str(),
        "the deployed code is `grove package`'s zip"
    );
    assert_eq!(function["Environment"]["Variables"]["GROVE_MODEL"], "model.grove", "{state}");
    assert!(state["versions"].as_array().expect("a list").iter().any(|v| v == "1"), "{state}");
    assert_eq!(state["alias"]["FunctionVersion"], "1", "{state}");
    assert_eq!(state["url"]["AuthType"], "AWS_IAM", "{state}");

    // Again, with more memory and an HTTP API: updated in place, a new version, the alias moved.
    let lines = deploy(&moto, &[model, "--memory", "256", "--http-api"]);
    for wanted in [
        "role lambda-ex: unchanged",
        "function wine-quality code: unchanged",
        "function wine-quality configuration: updated (memory 128 → 256 MB)",
        "version 2: created",
        "alias live: updated (version 1 → 2)",
        "function URL (live): unchanged",
        "HTTP API wine-quality: created",
        "HTTP API integration: created",
        "HTTP API route POST /predict: created",
        "HTTP API route $default: created",
        "HTTP API stage $default: created",
        "permission API Gateway invoke: created",
        "HTTP API: POST https://",
    ] {
        assert_line(&lines, wanted);
    }
    let state = aws_state(&moto, "wine-quality", Some("wine-quality"));
    assert_eq!(state["function"]["MemorySize"], 256, "{state}");
    assert_eq!(state["alias"]["FunctionVersion"], "2", "{state}");
    let alias_arn = state["alias"]["AliasArn"].as_str().expect("an alias ARN").to_string();
    let apis = state["apis"].as_array().expect("a list");
    assert_eq!(apis.len(), 1, "{state}");
    let api = &apis[0];
    assert_eq!(api["protocol"], "HTTP", "{state}");
    let integration = &api["integrations"][0];
    assert_eq!(integration["IntegrationType"], "AWS_PROXY", "{state}");
    assert_eq!(integration["IntegrationUri"], alias_arn.as_str(), "{state}");
    assert_eq!(integration["PayloadFormatVersion"], "2.0", "{state}");
    let target = format!("integrations/{}", integration["IntegrationId"].as_str().expect("an id"));
    assert_eq!(
        api["routes"],
        serde_json::json!([["$default", target], ["POST /predict", target]]),
        "{state}"
    );
    assert_eq!(api["stages"], serde_json::json!(["$default"]), "{state}");
    let api_id = api["id"].as_str().expect("an id");
    let allowed = state["policy"].as_array().expect("a list").iter().any(|s| {
        s["Principal"]["Service"] == "apigateway.amazonaws.com"
            && s["Action"] == "lambda:InvokeFunction"
            && s.to_string().contains(&format!(":{api_id}/*/*"))
    });
    assert!(allowed, "no permission for API Gateway: {state}");

    // New code (the built-in model, no model file): code and configuration updated.
    let lines = deploy(&moto, &["--memory", "256", "--http-api"]);
    assert_line(&lines, "function wine-quality code: updated");
    assert_line(&lines, "function wine-quality configuration: updated (environment (GROVE_MODEL))");
    assert_line(&lines, "version 3: created");
    assert_line(&lines, "alias live: updated (version 2 → 3)");
    let state = aws_state(&moto, "wine-quality", None);
    assert_eq!(state["function"]["Environment"]["Variables"]["GROVE_MODEL"], "wine-quality");

    // Nothing to do: every line says so.
    let lines = deploy(&moto, &["--memory", "256", "--http-api"]);
    let changed: Vec<&String> =
        lines.iter().filter(|l| l.contains(": created") || l.contains(": updated")).collect();
    assert!(changed.is_empty(), "a repeated deploy changed {changed:?}");
    assert_line(&lines, "version 3: unchanged");
}

#[test]
fn a_public_url_warns_and_a_missing_bootstrap_says_how_to_build_it() {
    require!(ready());
    let moto = start_moto();
    let bootstrap = small_bootstrap().to_str().expect("utf-8").to_string();
    let output = grove(&[
        "deploy",
        "--bootstrap",
        &bootstrap,
        "--endpoint-url",
        &moto.endpoint,
        "--public",
        "--function-name",
        "open-wine",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("warning: --public"),
        "{}",
        text(&output)
    );
    let state = aws_state(&moto, "open-wine", None);
    assert_eq!(state["url"]["AuthType"], "NONE", "{state}");
    assert!(state["policy"].to_string().contains("lambda:InvokeFunctionUrl"), "{state}");

    let missing = Path::new("/nonexistent/grove-lambda");
    let output = grove(&["package", "--bootstrap", missing.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cargo build --release -p grove-lambda"),
        "{}",
        text(&output)
    );
}
