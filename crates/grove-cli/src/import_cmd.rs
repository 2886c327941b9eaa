//! `grove import`: a scikit-learn model read as data, written as a `.grove` file.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::ImportArgs;
use crate::load::load_model;
use crate::output::Output;

pub fn run(args: &ImportArgs, out: &Output) -> Result<()> {
    let forest = load_model(&args.model, &args.options)?;
    let output = args.output.clone().unwrap_or_else(|| {
        let stem = std::path::Path::new(&args.model)
            .file_stem()
            .map_or("model".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from(format!("{stem}.grove"))
    });
    grove_format::write_file(&output, &forest)?;
    let p = forest.provenance();
    let version = p.source_version.as_deref().unwrap_or("unknown version");
    out.report(format_args!(
        "imported `{}`: {} (sklearn {version}), {} trees, {} features, target `{}` → {}",
        forest.name(),
        p.estimator,
        forest.parts().trees.len(),
        forest.n_features(),
        forest.schema().target,
        output.display()
    ))?;
    Ok(())
}
