//! Times grove on the cases `bench/peers/peers.py` times the Python peers on, and prints one
//! JSON object per measurement (`case`, `peer`, `threads`, `seconds`, `rows`), so that
//! `bench/run.sh` can put both side by side as ratios from the same run.
//!
//! Usage: grove-measure OUT_DIR [--quick]

use std::path::Path;

use grove_bench::{best, cores, emit, one_row_varied, repeats, BoxError, PeerRun};
use grove_forest::Forest;
use grove_sklearn::ImportOptions;

fn main() -> Result<(), BoxError> {
    let run = PeerRun::from_args("grove-measure")?;
    let cores = cores();
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    for name in &run.models {
        let forest = run.forest(name)?;
        let width = forest.n_features();
        let rows = run.table.model_rows(forest.schema())?;
        for (case, n) in &run.sizes {
            let data = run.case_rows(&rows, width, *n);
            let case = format!("{name}/{case}");
            if *n == 1 {
                emit(&case, "grove", 1, best(7, 2000, || drop(forest.predict_proba(&data))), 1);
                let varied = one_row_varied(&rows, width, |row| drop(forest.predict_proba(row)));
                emit(&format!("{name}/one_row_varied"), "grove", 1, varied, 1);
                continue;
            }
            let repeat = repeats(*n);
            // One thread: a one-thread pool; all cores: rayon's global pool, which
            // `predict_proba` splits big batches over by itself.
            let seconds =
                one_thread.install(|| best(repeat, 1, || drop(forest.predict_proba(&data))));
            emit(&case, "grove", 1, seconds, *n);
            emit(&case, "grove", cores, best(repeat, 1, || drop(forest.predict_proba(&data))), *n);
        }
    }
    measure_load_and_train(&run.out)?;
    Ok(())
}

fn measure_load_and_train(out: &Path) -> Result<(), BoxError> {
    let seed = out.join("seed.pkl");
    let opts = ImportOptions::default();
    emit("load/seed", "grove", 1, best(5, 1, || drop(grove_sklearn::load_path(&seed, &opts))), 0);
    let grove = grove_format::to_bytes(&Forest::new(grove_sklearn::load_path(&seed, &opts)?)?);
    emit("load/seed_grove", "grove", 1, best(7, 20, || drop(grove_format::from_bytes(&grove))), 0);

    let data = grove_data::wine::embedded()?;
    let grove_data::Target::Classes { labels, index } = &data.target else {
        return Err("wine target".into());
    };
    let train = grove_train::TrainData::new(
        &data.x,
        data.feature_names.len(),
        grove_train::Target::Classes { index, n_classes: labels.len() },
    )?;
    let cores = cores();
    for trees in [10, 100] {
        for threads in [1, cores] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
            let mut params = grove_train::ForestParams::classifier(42);
            params.n_estimators = trees;
            let repeat = if trees == 10 { 3 } else { 1 };
            let seconds = best(repeat, 1, || {
                pool.install(|| drop(grove_train::fit_forest(&train, &params, &|_| {})))
            });
            emit(&format!("train/{trees}_trees"), "grove", threads, seconds, data.n_rows);
        }
    }
    Ok(())
}
