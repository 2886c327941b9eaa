use std::path::Path;

use anyhow::{bail, Context, Result};
use grove_forest::Forest;

/// Opens a model named on the command line: a built-in name (`wine-quality`) or a `.grove`
/// file.
pub fn load_model(spec: &str) -> Result<Forest> {
    if let Some(builtin) = grove_builtin::by_name(spec) {
        return builtin.with_context(|| format!("the built-in model `{spec}` is damaged"));
    }
    let path = Path::new(spec);
    if !path.exists() {
        bail!(
            "no model `{spec}`: not a file, and not a built-in model (built-in: {})",
            grove_builtin::WINE_QUALITY
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{spec}`"))?;
    if grove_format::is_grove(&bytes) {
        return grove_format::from_bytes(&bytes).with_context(|| format!("cannot load `{spec}`"));
    }
    bail!("`{spec}` is not a .grove file")
}
