//! cargo-lambda's Runtime API emulator (`cargo lambda watch --only-lambda-apis`, from the test
//! venv) on a free port of 127.0.0.1: a real Runtime API for the real bootstrap, with the
//! invoke API and function URLs in front of it. Stopped when the [`Emulator`] is dropped.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::http::{Answer, Http};
use crate::needs::Missing;
use crate::port::{free_port, wait_for_port};
use crate::proc::Proc;
use crate::venv::Venv;

/// The function name the emulator gives a function it did not build.
pub const FUNCTION: &str = "_";

/// The longest any one request to the emulator may take.
const LIMIT: Duration = Duration::from_secs(60);

/// A running emulator, and the `AWS_LAMBDA_*` variables it printed for the function.
#[derive(Debug)]
pub struct Emulator {
    port: u16,
    vars: Vec<(String, String)>,
    proc: Proc,
    http: Http,
    _dir: tempfile::TempDir,
}

impl Emulator {
    /// The venv with `cargo-lambda` (and Python, for boto3) in it.
    pub fn venv() -> Result<Venv, Missing> {
        Venv::require(&["cargo-lambda"])
    }

    /// Starts the emulator and waits, at most 60 s, until it serves and has printed the
    /// variables a function needs.
    pub fn start(venv: &Venv) -> Emulator {
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
        let mut command = Command::new(venv.bin("cargo-lambda"));
        command
            .args(["lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1", "-P"])
            .arg(port.to_string())
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("PATH", venv.path_env());
        let (mut proc, vars) = wait_for_variables(command);
        wait_for_port(port, Instant::now() + LIMIT, &mut proc);
        let emulator = Emulator { port, vars, proc, http: Http::new(LIMIT), _dir: dir };
        assert_eq!(
            emulator.var("AWS_LAMBDA_RUNTIME_API"),
            format!("http://127.0.0.1:{port}/.rt"),
            "{}",
            emulator.output()
        );
        assert_eq!(emulator.var("AWS_LAMBDA_FUNCTION_NAME"), FUNCTION, "{}", emulator.output());
        emulator
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`, the endpoint boto3 and `grove invoke` are pointed at.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A variable it printed, or "".
    pub fn var(&self, name: &str) -> &str {
        self.vars.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// `program` with the emulator's variables set, to start as the function.
    pub fn function(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command
    }

    /// The invoke API's path for the function.
    pub fn invoke_path() -> String {
        format!("/2015-03-31/functions/{FUNCTION}/invocations")
    }

    /// A function URL's path.
    pub fn url_path(path: &str) -> String {
        format!("/lambda-url/{FUNCTION}{path}")
    }

    /// `method path` straight to the emulator.
    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> Answer {
        self.http.send(method, &format!("{}{path}", self.endpoint()), body)
    }

    /// An invoke with `payload` through the invoke API.
    pub fn invoke(&self, payload: &[u8]) -> Answer {
        self.request("POST", &Emulator::invoke_path(), payload)
    }

    /// What it printed.
    pub fn output(&self) -> String {
        self.proc.output()
    }
}

fn wait_for_variables(command: Command) -> (Proc, Vec<(String, String)>) {
    let (proc, lines) = Proc::spawn("cargo lambda watch", command);
    let deadline = Instant::now() + LIMIT;
    let mut vars = Vec::new();
    let mut started = false;
    // It prints the four variables ("you MUST set these variables ...") and then that it
    // serves, in either order.
    while !(started && vars.len() >= 4) {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                vars.extend(printed_var(&line));
                started |= line.contains("starting Runtime server");
            }
            Err(_) => {
                panic!("cargo lambda watch did not start within {LIMIT:?}\n{}", proc.output())
            }
        }
    }
    (proc, vars)
}

/// `AWS_LAMBDA_X=value` from a line of `watch`'s output.
fn printed_var(line: &str) -> Option<(String, String)> {
    let start = line.find("AWS_LAMBDA_")?;
    let token = line[start..].split_whitespace().next()?;
    let (key, value) = token.split_once('=')?;
    Some((key.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::printed_var;

    #[test]
    fn a_printed_variable_is_read_from_its_line() {
        assert_eq!(
            printed_var("  export AWS_LAMBDA_RUNTIME_API=http://127.0.0.1:9/.rt now"),
            Some(("AWS_LAMBDA_RUNTIME_API".into(), "http://127.0.0.1:9/.rt".into()))
        );
        assert_eq!(printed_var("starting Runtime server"), None);
    }
}
