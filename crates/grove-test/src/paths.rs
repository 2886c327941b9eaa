//! Where things are: the workspace root, and the shared scikit-learn fixtures and data that sit
//! beside the repository (`../shared`), not in it.

use std::path::{Path, PathBuf};

use crate::needs::Missing;

/// The workspace root.
pub fn workspace() -> PathBuf {
    // This crate is `<root>/crates/grove-test`.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared` beside the repository (`GROVE_SHARED` overrides it).
pub fn shared() -> PathBuf {
    std::env::var_os("GROVE_SHARED").map_or_else(|| workspace().join("../shared"), PathBuf::from)
}

/// The folder of the shared scikit-learn fixtures, if this checkout has it beside it.
pub fn shared_fixtures() -> Result<PathBuf, Missing> {
    let dir = shared().join("fixtures/sklearn");
    if dir.join("manifest.json").is_file() {
        Ok(dir)
    } else {
        Err(Missing::new(
            format!("{} (the shared sklearn fixtures)", dir.display()),
            "put the shared folder beside the repository (or set GROVE_SHARED to it)",
        ))
    }
}

/// One shared fixture file.
pub fn shared_fixture(name: &str) -> Result<PathBuf, Missing> {
    Ok(shared_fixtures()?.join(name))
}
