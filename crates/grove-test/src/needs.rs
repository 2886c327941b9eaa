//! What a test needs from outside the repository, and what happens when it is absent: a skip
//! announced on the terminal, or, with `GROVE_REQUIRE_ALL=1` (`scripts/test.sh` sets it), a
//! failure.

use std::fmt;
use std::io::Write;
use std::path::PathBuf;

/// Set by `scripts/test.sh`: every test must run, none may skip.
pub const REQUIRE_ALL_VAR: &str = "GROVE_REQUIRE_ALL";

/// The command that installs every peer the tests drive.
pub const TEST_DEPS: &str = "./scripts/test-deps.sh";

/// Something a test needs that this machine or checkout lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// What is absent, e.g. a path or a command name.
    pub what: String,
    /// What to do to provide it (usually a command).
    pub enable: String,
}

impl Missing {
    /// What is absent, and the command that provides it.
    pub fn new(what: impl Into<String>, enable: impl Into<String>) -> Missing {
        Missing { what: what.into(), enable: enable.into() }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is missing; to run it: {}", self.what, self.enable)
    }
}

/// Whether absences fail instead of skip.
pub fn require_all() -> bool {
    std::env::var_os(REQUIRE_ALL_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Announces that the current test is skipped for `missing`, or panics under
/// `GROVE_REQUIRE_ALL`. The line goes to the process's stderr directly, not through `eprintln!`,
/// which the test harness captures and hides for a test that passes.
pub fn skip(missing: &Missing) {
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    if require_all() {
        panic!("{test}: {missing} ({REQUIRE_ALL_VAR} is set, so nothing may be skipped)");
    }
    let _ = writeln!(std::io::stderr(), "skipped {test}: {missing}");
}

/// A program on `PATH`, such as Debian's `chromedriver`, `docker-registry` or `wrk`.
pub fn program(name: &str) -> Result<PathBuf, Missing> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| Missing::new(format!("`{name}` (on PATH)"), TEST_DEPS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_program_names_itself_and_the_installer() {
        let missing = program("grove-test-no-such-program").unwrap_err();
        assert_eq!(
            missing.to_string(),
            "`grove-test-no-such-program` (on PATH) is missing; to run it: ./scripts/test-deps.sh"
        );
    }

    #[test]
    fn a_present_program_is_found() {
        assert!(program("sh").is_ok());
    }
}
