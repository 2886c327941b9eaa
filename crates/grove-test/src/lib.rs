//! The workspace's test support, in one place: a dev-dependency of the other crates' tests,
//! never of a library or binary. It owns what several test suites need: where the workspace and
//! the shared fixtures are ([`paths`]), the test venv and its tools ([`venv`]), child processes
//! that are always stopped ([`proc`]), free loopback ports ([`port`]), moto's AWS APIs
//! ([`moto`]), cargo-lambda's Runtime API emulator ([`emulator`]), an AWS-free environment for
//! child processes ([`aws_env`]), and the rule for tests whose peers are absent ([`needs`]).
//!
//! A test that needs Python, a Debian tool or `../shared` starts with [`require!`]: on a plain
//! clone it returns early after one line naming what is missing and the command that installs
//! it; under `scripts/test.sh` (`GROVE_REQUIRE_ALL=1`) the same absence fails the test, so CI
//! can never pass by skipping. It depends on nothing of grove's, so any crate may use it.

pub mod aws_env;
pub mod emulator;
pub mod http;
pub mod moto;
pub mod needs;
pub mod paths;
pub mod port;
pub mod proc;
pub mod venv;

pub use needs::{skip, Missing};

/// Unwraps a [`needs`] check, or announces the skip (see [`skip`]) and returns from the
/// calling test.
#[macro_export]
macro_rules! require {
    ($need:expr) => {
        match $need {
            Ok(found) => found,
            Err(missing) => {
                $crate::skip(&missing);
                return;
            }
        }
    };
}
