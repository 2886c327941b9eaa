//! What a bootstrap's ELF headers say: x86-64 or not, the newest `GLIBC_x.y` symbol version it
//! needs (from `.gnu.version` and `.gnu.version_r`, naming a symbol that needs it), its
//! `DT_NEEDED` libraries and interpreter, and (for a FROM-scratch image) the host's copies of
//! those libraries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader, Sym};
use object::Endianness;

use crate::{DeployError, Result};

/// A `GLIBC_x.y` version and one symbol that needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlibcNeed {
    /// `(major, minor)`.
    pub version: (u32, u32),
    /// The symbol, e.g. `__libc_start_main`.
    pub symbol: String,
}

impl GlibcNeed {
    /// `GLIBC_2.34`.
    pub fn name(&self) -> String {
        format!("GLIBC_{}.{}", self.version.0, self.version.1)
    }
}

/// The facts about an executable that packaging needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElfInfo {
    /// The newest glibc version any imported symbol needs (none for a static binary).
    pub newest_glibc: Option<GlibcNeed>,
    /// `DT_NEEDED` entries, e.g. `libc.so.6`.
    pub needed: Vec<String>,
    /// `PT_INTERP`, e.g. `/lib64/ld-linux-x86-64.so.2` (none for a static binary).
    pub interpreter: Option<String>,
}

impl ElfInfo {
    /// True when the executable loads no shared library.
    pub fn is_static(&self) -> bool {
        self.interpreter.is_none() && self.needed.is_empty()
    }
}

/// Reads an x86-64 Linux executable's headers; the error says why `bytes` is not one.
pub fn inspect(bytes: &[u8]) -> std::result::Result<ElfInfo, String> {
    let header = elf::FileHeader64::<Endianness>::parse(bytes)
        .map_err(|e| format!("not a 64-bit ELF executable ({e})"))?;
    let endian = header.endian().map_err(|e| e.to_string())?;
    if header.e_machine(endian) != elf::EM_X86_64 {
        return Err(format!(
            "built for ELF machine {}, not x86-64 (the function's architecture is x86_64)",
            header.e_machine(endian)
        ));
    }
    if !matches!(header.e_type(endian), elf::ET_EXEC | elf::ET_DYN) {
        return Err("not an executable (ELF type is neither EXEC nor DYN)".into());
    }
    let bad = |e: object::Error| format!("unreadable ELF headers: {e}");
    let mut info = ElfInfo::default();
    for segment in header.program_headers(endian, bytes).map_err(bad)? {
        if let Some(interp) = segment.interpreter(endian, bytes).map_err(bad)? {
            info.interpreter = Some(String::from_utf8_lossy(interp).into_owned());
        }
    }
    let sections = header.sections(endian, bytes).map_err(bad)?;
    if let Some((entries, strings_index)) = sections.dynamic(endian, bytes).map_err(bad)? {
        let strings = sections.strings(endian, bytes, strings_index).map_err(bad)?;
        for entry in entries {
            if entry.tag32(endian) == Some(elf::DT_NEEDED) {
                let name = entry.string(endian, strings).map_err(bad)?;
                info.needed.push(String::from_utf8_lossy(name).into_owned());
            }
        }
    }
    let symbols = sections.symbols(endian, bytes, elf::SHT_DYNSYM).map_err(bad)?;
    if let Some(versions) = sections.versions(endian, bytes).map_err(bad)? {
        for (index, symbol) in symbols.enumerate() {
            let Some(version) =
                versions.version(versions.version_index(endian, index)).map_err(bad)?
            else {
                continue;
            };
            let Some(number) = glibc_version(version.name()) else { continue };
            if info.newest_glibc.as_ref().is_some_and(|n| n.version >= number) {
                continue;
            }
            let name = symbol.name(endian, symbols.strings()).map_err(bad)?;
            info.newest_glibc = Some(GlibcNeed {
                version: number,
                symbol: String::from_utf8_lossy(name).into_owned(),
            });
        }
    }
    Ok(info)
}

/// `GLIBC_2.34` → `(2, 34)`; `GLIBC_PRIVATE` and other names → none.
pub fn glibc_version(name: &[u8]) -> Option<(u32, u32)> {
    let rest = std::str::from_utf8(name).ok()?.strip_prefix("GLIBC_")?;
    let mut parts = rest.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    Some((major, minor))
}

/// Where the host keeps x86-64 shared libraries (Debian's multiarch paths first).
pub const LIBRARY_DIRS: [&str; 6] = [
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
];

/// The host's copies of everything a dynamic executable loads (its libraries, theirs, and the
/// interpreter), keyed by the absolute path the image must hold them at. Empty for a static
/// executable. Symbolic links are followed: the image gets the files' contents.
pub fn runtime_libraries(info: &ElfInfo) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut found = BTreeMap::new();
    if let Some(interp) = &info.interpreter {
        let path = PathBuf::from(interp);
        let bytes = std::fs::read(&path).map_err(DeployError::io(&path))?;
        found.insert(path, bytes);
    }
    let mut pending: Vec<String> = info.needed.clone();
    let mut seen: Vec<String> = Vec::new();
    while let Some(name) = pending.pop() {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        let path = find_library(&name).ok_or_else(|| DeployError::LibraryNotFound {
            name: name.clone(),
            searched: LIBRARY_DIRS.join(", "),
        })?;
        let bytes = std::fs::read(&path).map_err(DeployError::io(&path))?;
        if let Ok(deps) = inspect(&bytes) {
            pending.extend(deps.needed);
        }
        found.insert(path, bytes);
    }
    Ok(found)
}

fn find_library(name: &str) -> Option<PathBuf> {
    LIBRARY_DIRS.iter().map(|dir| Path::new(dir).join(name)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_versions_parse() {
        assert_eq!(glibc_version(b"GLIBC_2.34"), Some((2, 34)));
        assert_eq!(glibc_version(b"GLIBC_2.2.5"), Some((2, 2)));
        assert_eq!(glibc_version(b"GLIBC_2"), Some((2, 0)));
        assert_eq!(glibc_version(b"GLIBC_PRIVATE"), None);
        assert_eq!(glibc_version(b"GCC_3.0"), None);
    }

    #[test]
    fn this_test_binary_is_read() {
        let exe = std::env::current_exe().unwrap();
        let info = inspect(&std::fs::read(exe).unwrap()).unwrap();
        assert!(info.needed.iter().any(|n| n == "libc.so.6"), "{info:?}");
        assert!(info.newest_glibc.is_some(), "{info:?}");
        let libs = runtime_libraries(&info).unwrap();
        assert!(libs.keys().any(|p| p.ends_with("libc.so.6")), "{:?}", libs.keys());
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        assert!(inspect(b"#!/bin/sh\necho hi\n").unwrap_err().contains("not a 64-bit ELF"));
    }
}
