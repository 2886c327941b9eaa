//! `grove train`: the tutorial's recipe or a CSV, through grove-train, to a `.grove` file.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use grove_data::{Dataset, Table};
use grove_forest::{Forest, Schema, Tree};
use grove_train::{fit_forest, forest_parts, ForestParams, ModelInfo, TrainData, Trained};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{Recipe, TrainArgs};
use crate::output::Output;

pub fn run(args: &TrainArgs, out: &Output) -> Result<()> {
    let (dataset, source, default_name, wine) = match (&args.recipe, &args.csv) {
        (Some(Recipe::Wine), _) => (
            grove_data::wine::embedded()?,
            "Wine Quality (Cortez et al., 2009), red then white".to_string(),
            grove_builtin::WINE_QUALITY.to_string(),
            true,
        ),
        (None, Some(path)) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let table = Table::read(file, &path.display().to_string(), args.sep)?;
            let target = args.target.as_deref().unwrap_or_default();
            let set = table.dataset(target, !args.regression)?;
            let stem =
                path.file_stem().map_or("model".into(), |s| s.to_string_lossy().into_owned());
            (set, path.display().to_string(), stem, false)
        }
        (None, None) => {
            anyhow::bail!("name a recipe (`grove train wine`) or give `--csv FILE --target COLUMN`")
        }
    };
    let params = args.forest_params(wine);
    let name = args.name.clone().unwrap_or(default_name);
    let started = Instant::now();
    let forest =
        train(&dataset, &params, &name, &source, !args.quiet && std::io::stderr().is_terminal())?;
    let seconds = started.elapsed().as_secs_f64();
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from(format!("{name}.grove")));
    grove_format::write_file(&output, &forest)?;
    let nodes: usize = forest.parts().trees.iter().map(Tree::node_count).sum();
    out.report(format_args!(
        "trained `{name}`: {} trees, {nodes} nodes, on {} rows × {} features in {seconds:.2} s → {}",
        params.n_estimators,
        dataset.n_rows,
        dataset.feature_names.len(),
        output.display()
    ))?;
    Ok(())
}

/// Trains a forest on a dataset and wraps it as a validated model.
pub fn train(
    data: &Dataset,
    params: &ForestParams,
    name: &str,
    source: &str,
    progress: bool,
) -> Result<Forest> {
    let p = data.feature_names.len();
    let (target, classes) = match &data.target {
        grove_data::Target::Classes { labels, index } => {
            (grove_train::Target::Classes { index, n_classes: labels.len() }, Some(labels.clone()))
        }
        grove_data::Target::Values(v) => (grove_train::Target::Values(v), None),
    };
    let train_data = TrainData::new(&data.x, p, target)?;
    let bar =
        if progress { ProgressBar::new(params.n_estimators as u64) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} trees {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(format!("training {name}"));
    let trees = fit_forest(&train_data, params, &|_| bar.inc(1))?;
    bar.finish_and_clear();
    let info = ModelInfo {
        name: name.into(),
        schema: Schema {
            features: data.feature_names.clone(),
            target: data.target_name.clone(),
            feature_ranges: Some(data.feature_ranges()),
        },
        classes,
        source: Some(source.into()),
        created_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
    };
    Ok(Forest::new(forest_parts(trees, Trained::Forest(params), info))?)
}
