//! Images built by grove (no Docker) pushed to Debian's `docker-registry` on 127.0.0.1, pulled
//! back with the OCI distribution API, unpacked and run; and deployed as an image function on
//! moto.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use grove_test::needs::program;
use grove_test::port::{free_port, wait_for_port};
use grove_test::proc::{run_bounded, Proc};
use grove_test::require;

use crate::moto::{aws_state, deploy, start_moto};
use crate::support::{
    grove, py_script, python, python_json, ready, small_bootstrap, stdout, text, wine_grove,
};

/// `docker-registry serve` with its own config: 127.0.0.1, storage in a temp dir.
struct Registry {
    host: String,
    proc: Proc,
    _dir: tempfile::TempDir,
}

impl Registry {
    fn start(binary: &Path) -> Registry {
        let dir = tempfile::tempdir().expect("a temp dir");
        let port = free_port();
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n\
                 http:\n  addr: 127.0.0.1:{port}\n",
                dir.path().join("storage").display()
            ),
        )
        .expect("the registry's config");
        let mut command = Command::new(binary);
        command.arg("serve").arg(&config);
        let (mut proc, _lines) = Proc::spawn("docker-registry", command);
        wait_for_port(port, Instant::now() + Duration::from_secs(30), &mut proc);
        Registry { host: format!("127.0.0.1:{port}"), proc, _dir: dir }
    }

    /// Pulls `repository:tag` into `dir` (tests/py/pull_image.py).
    fn pull(&self, repository: &str, tag: &str, dir: &Path) -> Value {
        let mut command = python();
        command.arg(py_script("pull_image.py")).args([&self.host, repository, tag]).arg(dir);
        python_json(command)
    }
}

#[test]
fn an_image_pushed_to_a_loopback_registry_pulls_back_and_its_bootstrap_runs() {
    require!(ready());
    let registry = Registry::start(&require!(program("docker-registry")));
    let dir = tempfile::tempdir().expect("a temp dir");
    let model = wine_grove(dir.path());
    let reference = format!("{}/wine-quality:v1", registry.host);
    let out = dir.path().join("out");
    let output = grove(&[
        "package",
        model.to_str().expect("utf-8"),
        "--image",
        "--registry",
        &reference,
        "-o",
        out.to_str().expect("utf-8"),
        "--bootstrap",
        small_bootstrap().to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}\n{}", text(&output), registry.proc.output());
    assert!(stdout(&output).contains(&format!("pushed {reference}")), "{}", text(&output));
    assert!(out.join("image/index.json").exists() && out.join("image/oci-layout").exists());

    let root = dir.path().join("root");
    let pulled = registry.pull("wine-quality", "v1", &root);
    assert_eq!(pulled["manifest"]["mediaType"], "application/vnd.oci.image.manifest.v1+json");
    assert!(stdout(&output).contains(pulled["digest"].as_str().expect("a digest")), "{pulled}");
    let config = &pulled["config"];
    assert_eq!(config["architecture"], "amd64");
    assert_eq!(config["os"], "linux");
    assert_eq!(config["config"]["Entrypoint"], serde_json::json!(["/var/runtime/bootstrap"]));
    let env = config["config"]["Env"].to_string();
    assert!(env.contains("GROVE_MODEL=/var/task/model.grove"), "{env}");
    assert!(env.contains("LAMBDA_TASK_ROOT=/var/task"), "{env}");
    assert_eq!(pulled["files"]["var/runtime/bootstrap"], 0o755, "{pulled}");
    assert_eq!(pulled["files"]["var/task/model.grove"], 0o644, "{pulled}");
    assert_eq!(
        std::fs::read(root.join("var/task/model.grove")).expect("the model"),
        std::fs::read(&model).expect("the model"),
    );

    // The bootstrap from the layer runs: outside Lambda it stops with its clear message.
    let bootstrap = root.join("var/runtime/bootstrap");
    let check = |output: &std::process::Output| {
        assert_eq!(output.status.code(), Some(1), "{}", text(output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("not running under a Lambda Runtime API: AWS_LAMBDA_RUNTIME_API"),
            "{}",
            text(output)
        );
    };
    let mut command = Command::new(&bootstrap);
    command.env_clear();
    check(&run_bounded(command, Duration::from_secs(30)));
    // And it runs on the layer's own loader and libraries (a FROM-scratch image has no others).
    let loader = root.join("lib64/ld-linux-x86-64.so.2");
    if loader.exists() {
        let mut command = Command::new(&loader);
        command.arg("--library-path").arg(root.join("lib/x86_64-linux-gnu")).arg(&bootstrap);
        command.env_clear();
        check(&run_bounded(command, Duration::from_secs(30)));
    }
}

#[test]
fn grove_deploy_image_pushes_and_creates_an_image_function_on_moto() {
    require!(ready());
    let registry = Registry::start(&require!(program("docker-registry")));
    let moto = start_moto();
    let dir = tempfile::tempdir().expect("a temp dir");
    let model = wine_grove(dir.path());
    let reference = format!("{}/wine-quality:live", registry.host);
    let deploy_image = || {
        let args = [
            model.to_str().expect("utf-8"),
            "--image",
            "--registry",
            &reference,
            "--function-name",
        ];
        deploy(&moto, &[&args[..], &["wine-image"]].concat())
    };
    let lines = deploy_image();
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("image {reference}: created"))),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("function wine-image: created")), "{lines:?}");
    let state = aws_state(&moto, "wine-image", None);
    let pulled = registry.pull("wine-quality", "live", &dir.path().join("root"));
    let digest = pulled["digest"].as_str().expect("a digest");
    assert_eq!(state["function"]["PackageType"], "Image", "{state}");
    assert_eq!(
        state["image_uri"],
        format!("{}/wine-quality@{digest}", registry.host).as_str(),
        "{state}"
    );
    assert_eq!(
        state["function"]["Environment"]["Variables"]["GROVE_MODEL"], "/var/task/model.grove",
        "{state}"
    );
    assert_eq!(state["alias"]["FunctionVersion"], "1", "{state}");

    // The same image again: nothing uploaded, the code unchanged.
    let lines = deploy_image();
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("image {reference}: unchanged"))),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("function wine-image code: unchanged")),
        "{lines:?}"
    );
}
