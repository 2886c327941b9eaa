//! Paths, the test venv, the Lambda binary (built when missing) and running `grove`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Duration;

use grove_test::proc::run_bounded;
pub use grove_test::proc::text;
use grove_test::venv::Venv;
use grove_test::Missing;

/// The venv tools these tests drive.
const TOOLS: [&str; 2] = ["moto_server", "cargo-lambda"];

/// Everything every test here needs from outside the repository: the venv's tools and the
/// shared fixtures. Each test checks it first (`require!(ready())`), so the helpers below may
/// assume it.
pub fn ready() -> Result<(), Missing> {
    Venv::require(&TOOLS)?;
    grove_test::paths::shared_fixtures()?;
    Ok(())
}

pub fn fixtures() -> PathBuf {
    grove_test::paths::shared_fixtures().expect("checked by ready()")
}

pub fn venv() -> Venv {
    Venv::require(&TOOLS).expect("checked by ready()")
}

pub fn python() -> Command {
    venv().python()
}

pub fn py_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py").join(name)
}

/// `grove-lambda` beside the `grove` under test: built (same profile and target directory)
/// when `cargo test` did not build it, as `cargo test -p grove-cli` alone does not.
pub fn lambda_binary() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let grove = Path::new(env!("CARGO_BIN_EXE_grove"));
        let dir = grove.parent().expect("the profile directory");
        let path = dir.join("grove-lambda");
        if !path.exists() {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut command = Command::new(cargo);
            command.args(["build", "-p", "grove-lambda", "--bin", "grove-lambda"]);
            if dir.file_name().is_some_and(|n| n == "release") {
                command.arg("--release");
            }
            if let Some(target_dir) = dir.parent() {
                command.arg("--target-dir").arg(target_dir);
            }
            let output = run_bounded(command, Duration::from_secs(900));
            assert!(
                output.status.success() && path.exists(),
                "building grove-lambda failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        path
    })
}

/// A copy of the Lambda binary without debug info (`strip`, when binutils is there): a debug
/// build is 70 MB, which would make every zip and upload slow.
pub fn small_bootstrap() -> &'static Path {
    static SMALL: OnceLock<PathBuf> = OnceLock::new();
    SMALL.get_or_init(|| {
        let source = lambda_binary();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grove-deploy-tests");
        std::fs::create_dir_all(&dir).expect("a directory for the stripped copy");
        let partial = dir.join(format!("grove-lambda.{}", std::process::id()));
        std::fs::copy(source, &partial).expect("copying grove-lambda");
        let _ = Command::new("strip").arg(&partial).status();
        let copy = dir.join("grove-lambda");
        std::fs::rename(&partial, &copy).expect("renaming the stripped copy");
        copy
    })
}

/// The wine model as a `.grove` file (imported from the tutorial's pickle, target `quality`),
/// so packages carry a `model.grove`.
pub fn wine_grove(dir: &Path) -> PathBuf {
    let path = dir.join("wine.grove");
    let output = grove(&[
        "import",
        fixtures().join("seed_rf.pkl").to_str().expect("utf-8"),
        "--target-name",
        "quality",
        "--name",
        "wine-quality",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    path
}

/// Runs `grove` with `args` and no AWS configuration from outside the test.
pub fn grove(args: &[&str]) -> Output {
    grove_with(args, &[])
}

pub fn grove_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_grove"));
    command.args(args);
    isolate_aws(&mut command);
    command.envs(env.iter().copied());
    run_bounded(command, Duration::from_secs(300))
}

pub fn isolate_aws(command: &mut Command) {
    grove_test::aws_env::isolate(command);
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a python script that prints one JSON line, and parses it.
pub fn python_json(mut command: Command) -> serde_json::Value {
    isolate_aws(&mut command);
    let output = run_bounded(command, Duration::from_secs(120));
    assert!(output.status.success(), "{}", text(&output));
    let out = stdout(&output);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// The SHA-256 of `bytes` as Lambda's base64 `CodeSha256`, computed by Python's hashlib.
pub fn code_sha256_by_python(path: &Path) -> String {
    let mut command = python();
    command.arg("-c").arg(
        "import base64, hashlib, sys; \
         print(base64.b64encode(hashlib.sha256(open(sys.argv[1], 'rb').read()).digest()).decode())",
    );
    command.arg(path);
    let output = run_bounded(command, Duration::from_secs(60));
    assert!(output.status.success(), "{}", text(&output));
    stdout(&output).trim().to_string()
}
