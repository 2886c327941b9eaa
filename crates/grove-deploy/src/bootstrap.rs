//! Finding the Lambda binary (`grove-lambda`, shipped beside `grove`) and reading it once it is
//! known to run on `provided.al2023`.

use std::path::{Path, PathBuf};

use crate::{elf, DeployError, Result};

/// The Lambda binary's file name beside the `grove` executable.
pub const LAMBDA_BINARY: &str = "grove-lambda";

/// The bootstrap checked for the runtime: its bytes and what its ELF headers say.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    /// Where it was read from.
    pub path: PathBuf,
    /// The executable.
    pub bytes: Vec<u8>,
    /// Its glibc needs and dynamic libraries.
    pub elf: elf::ElfInfo,
}

/// `grove-lambda` in the directory of `exe` (the running `grove`), or `explicit` when given.
pub fn locate(explicit: Option<&Path>, exe: &Path) -> PathBuf {
    match explicit {
        Some(path) => path.to_path_buf(),
        None => exe.parent().unwrap_or(Path::new(".")).join(LAMBDA_BINARY),
    }
}

/// Reads the bootstrap at `path` and checks it is an x86-64 Linux executable that needs no
/// glibc newer than provided.al2023's.
pub fn read(path: &Path) -> Result<Bootstrap> {
    if !path.is_file() {
        return Err(DeployError::MissingBootstrap { path: path.to_path_buf() });
    }
    let bytes = std::fs::read(path).map_err(DeployError::io(path))?;
    let info = elf::inspect(&bytes)
        .map_err(|reason| DeployError::BadBootstrap { path: path.to_path_buf(), reason })?;
    check_glibc(path, &info)?;
    Ok(Bootstrap { path: path.to_path_buf(), bytes, elf: info })
}

/// Refuses an executable that needs a glibc newer than [`crate::MAX_GLIBC`], naming the
/// version and a symbol that needs it.
pub fn check_glibc(path: &Path, info: &elf::ElfInfo) -> Result<()> {
    match &info.newest_glibc {
        Some(need) if need.version > crate::MAX_GLIBC => Err(DeployError::GlibcTooNew {
            path: path.to_path_buf(),
            version: need.name(),
            symbol: need.symbol.clone(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elf::{ElfInfo, GlibcNeed};

    #[test]
    fn a_glibc_newer_than_2_34_is_refused_with_the_symbol() {
        let path = Path::new("bootstrap");
        let needs = |version| ElfInfo {
            newest_glibc: Some(GlibcNeed { version, symbol: "__isoc23_strtol".into() }),
            ..ElfInfo::default()
        };
        assert!(check_glibc(path, &needs((2, 34))).is_ok());
        assert!(check_glibc(path, &ElfInfo::default()).is_ok());
        let err = check_glibc(path, &needs((2, 38))).unwrap_err().to_string();
        assert!(err.contains("GLIBC_2.38") && err.contains("`__isoc23_strtol`"), "{err}");
        assert!(err.contains("GLIBC_2.34"), "{err}");
    }

    #[test]
    fn a_missing_bootstrap_says_how_to_build_it() {
        let exe = Path::new("/opt/grove/bin/grove");
        let path = locate(None, exe);
        assert_eq!(path, Path::new("/opt/grove/bin/grove-lambda"));
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("cargo build --release -p grove-lambda"), "{err}");
    }
}
