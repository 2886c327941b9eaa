//! A pickle reader that never executes: opcodes, the stack machine, the allow-list of globals
//! and the values it produces.

mod globals;
mod machine;
mod opcodes;
pub(crate) mod value;

pub(crate) use globals::{resolve as allowed, Kind};
pub(crate) use machine::Machine;
pub(crate) use value::{Doc, Obj, Value};

use crate::error::Result;

/// Reads one pickle (with any joblib arrays inlined after their wrappers) into a document.
pub(crate) fn load(bytes: &[u8]) -> Result<(Doc, Value)> {
    let mut m = Machine::new(bytes);
    let root = m.load()?;
    Ok((m.doc, root))
}
