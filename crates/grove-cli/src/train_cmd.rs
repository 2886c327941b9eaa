use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use grove_data::{Dataset, Table};
use grove_forest::{Forest, Schema, Tree};
use grove_train::{fit_forest, forest_parts, ForestParams, ModelInfo, TrainData, Trained};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{Recipe, TrainArgs};

/// The tutorial's settings: `RandomForestClassifier(n_estimators=10, random_state=42)`.
const WINE_TREES: usize = 10;
const WINE_SEED: u32 = 42;

pub fn run(args: &TrainArgs) -> Result<String> {
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
    let params = params_for(args, wine)?;
    let name = args.name.clone().unwrap_or(default_name);
    let started = Instant::now();
    let forest =
        train(&dataset, &params, &name, &source, !args.quiet && std::io::stderr().is_terminal())?;
    let seconds = started.elapsed().as_secs_f64();
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from(format!("{name}.grove")));
    grove_format::write_file(&output, &forest)?;
    let nodes: usize = forest.parts().trees.iter().map(Tree::node_count).sum();
    Ok(format!(
        "trained `{name}`: {} trees, {nodes} nodes, on {} rows × {} features in {seconds:.2} s → {}\n",
        params.n_estimators,
        dataset.n_rows,
        dataset.feature_names.len(),
        output.display()
    ))
}

fn params_for(args: &TrainArgs, wine: bool) -> Result<ForestParams> {
    let seed = args.random_state.unwrap_or(if wine { WINE_SEED } else { 0 });
    let mut p = if args.regression {
        ForestParams::regressor(seed)
    } else {
        ForestParams::classifier(seed)
    };
    if let Some(n) = args.n_estimators.or(wine.then_some(WINE_TREES)) {
        p.n_estimators = n;
    }
    if let Some(c) = &args.criterion {
        p.tree.criterion = c.parse()?;
    }
    if let Some(m) = &args.max_features {
        p.tree.max_features = m.parse()?;
    }
    p.tree.max_depth = args.max_depth;
    p.tree.min_samples_split = args.min_samples_split;
    p.tree.min_samples_leaf = args.min_samples_leaf;
    p.bootstrap = !args.no_bootstrap;
    Ok(p)
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
