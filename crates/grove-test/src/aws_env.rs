//! An environment in which AWS clients (grove, boto3, the aws CLI, the SDK in-process) find
//! test credentials and a region, and look up nothing outside the test: no profile files, no
//! instance metadata, no endpoint but the one a test names.

use std::process::Command;
use std::sync::Once;

/// Where the profile files are said to be: a path that does not exist.
const NOWHERE: &str = "/nonexistent/grove-tests-aws";

/// The variables, without any endpoint.
pub fn vars() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "x".into()),
        ("AWS_SECRET_ACCESS_KEY", "x".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_CONFIG_FILE", format!("{NOWHERE}/config")),
        ("AWS_SHARED_CREDENTIALS_FILE", format!("{NOWHERE}/credentials")),
    ]
}

/// Variables that would point a client elsewhere.
const CLEARED: [&str; 4] =
    ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"];

/// Gives `command` the test environment (endpoint cleared; add one with `.env` after).
pub fn isolate(command: &mut Command) -> &mut Command {
    for var in CLEARED {
        command.env_remove(var);
    }
    command.envs(vars())
}

/// Sets the same variables in this test process, once, for in-process SDK calls that pass the
/// endpoint explicitly. Every test of a binary sets the same values, so the race that
/// `set_var` warns of cannot change what another test reads.
pub fn isolate_process() {
    static DONE: Once = Once::new();
    DONE.call_once(|| {
        for var in CLEARED {
            std::env::remove_var(var);
        }
        for (key, value) in vars() {
            std::env::set_var(key, value);
        }
    });
}
