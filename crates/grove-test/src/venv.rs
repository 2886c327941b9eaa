//! The test venv that `scripts/test-deps.sh` makes (`.venv-test`, or `GROVE_TEST_VENV`): boto3,
//! the aws CLI, moto's server, cargo-lambda, tritonclient and the OpenAPI checkers.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::needs::{Missing, TEST_DEPS};
use crate::paths::workspace;

/// A venv holding every tool a test asked for.
#[derive(Debug, Clone)]
pub struct Venv {
    dir: PathBuf,
}

impl Venv {
    /// The venv, if it has `bin/<tool>` for each of `tools` (`python` is always required).
    pub fn require(tools: &[&str]) -> Result<Venv, Missing> {
        let dir = std::env::var_os("GROVE_TEST_VENV")
            .map_or_else(|| workspace().join(".venv-test"), PathBuf::from);
        for tool in std::iter::once(&"python").chain(tools) {
            let path = dir.join("bin").join(tool);
            if !path.exists() {
                return Err(Missing::new(
                    format!("{} (the test venv)", path.display()),
                    format!("{TEST_DEPS} (or set GROVE_TEST_VENV to a venv with it)"),
                ));
            }
        }
        Ok(Venv { dir })
    }

    /// The venv's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `bin/<tool>` of the venv.
    pub fn bin(&self, tool: &str) -> PathBuf {
        self.dir.join("bin").join(tool)
    }

    /// The venv's Python, never asking the instance metadata service for AWS credentials.
    pub fn python(&self) -> Command {
        let mut command = Command::new(self.bin("python"));
        command.env("AWS_EC2_METADATA_DISABLED", "true");
        command
    }

    /// `PATH` with the venv's `bin` first, for tools that start their own helpers (cargo-lambda).
    pub fn path_env(&self) -> OsString {
        let mut paths = vec![self.dir.join("bin")];
        if let Some(path) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(paths).expect("the venv's path holds no separator")
    }
}
