//! moto's server (`moto_server` from the test venv) on a free port of 127.0.0.1: the AWS APIs
//! (S3, IAM, Lambda, API Gateway, ECR, ...) the tests talk to, killed when the [`Moto`] is
//! dropped, pass or fail.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::http::Http;
use crate::needs::Missing;
use crate::port::{free_port, wait_for_port};
use crate::proc::Proc;
use crate::venv::Venv;

/// A running moto server.
#[derive(Debug)]
pub struct Moto {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    proc: Proc,
}

impl Moto {
    /// The venv with `moto_server` in it.
    pub fn venv() -> Result<Venv, Missing> {
        Venv::require(&["moto_server"])
    }

    /// Starts moto and waits (up to 60 s) until its own API answers.
    pub fn start(venv: &Venv) -> Moto {
        Moto::start_with(venv, &[])
    }

    /// The same, with AWS's managed IAM policies loaded (attaching
    /// AWSLambdaBasicExecutionRole needs them; loading them costs seconds, so only on request).
    pub fn with_managed_policies(venv: &Venv) -> Moto {
        Moto::start_with(venv, &[("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")])
    }

    fn start_with(venv: &Venv, env: &[(&str, &str)]) -> Moto {
        let port = free_port();
        let mut command = Command::new(venv.bin("moto_server"));
        command.args(["-H", "127.0.0.1", "-p"]).arg(port.to_string()).envs(env.iter().copied());
        let (mut proc, _lines) = Proc::spawn("moto_server", command);
        let deadline = Instant::now() + Duration::from_secs(60);
        wait_for_port(port, deadline, &mut proc);
        let endpoint = format!("http://127.0.0.1:{port}");
        let client = Http::new(Duration::from_secs(5));
        while client.get(&format!("{endpoint}/moto-api/")).map(|a| a.status) != Some(200) {
            if Instant::now() > deadline || proc.exited().is_some() {
                panic!("moto_server did not answer /moto-api/ on port {port}\n{}", proc.output());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { endpoint, proc }
    }

    /// What moto printed.
    pub fn output(&self) -> String {
        self.proc.output()
    }

    /// The AWS variables for a process talking to this moto ([`crate::aws_env::vars`] and
    /// `AWS_ENDPOINT_URL`).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut vars = crate::aws_env::vars();
        vars.push(("AWS_ENDPOINT_URL", self.endpoint.clone()));
        vars
    }
}
