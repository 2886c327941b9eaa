//! Times grove on the cases `bench/peers/peers.py` times the Python peers on, and prints one
//! JSON object per measurement (`case`, `peer`, `threads`, `seconds`, `rows`), so that
//! `bench/run.sh` can put both side by side as ratios from the same run.
//!
//! Usage: grove-measure OUT_DIR [--quick]

use std::path::{Path, PathBuf};
use std::time::Instant;

use grove_forest::Forest;
use grove_sklearn::ImportOptions;

fn emit(case: &str, threads: usize, seconds: f64, rows: usize) {
    let line = serde_json::json!({"case": case, "peer": "grove", "threads": threads, "seconds": seconds, "rows": rows});
    // A benchmark's report is its standard output.
    #[allow(clippy::print_stdout)]
    {
        println!("{line}");
    }
}

/// Best of `repeat` runs of `number` calls, per call.
fn best(repeat: usize, number: usize, mut f: impl FnMut()) -> f64 {
    (0..repeat)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..number {
                f();
            }
            t.elapsed().as_secs_f64() / number as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn tiled(rows: &[f32], width: usize, n: usize) -> Vec<f32> {
    rows.iter().copied().cycle().take(n * width).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).ok_or("usage: grove-measure OUT_DIR [--quick]")?);
    let quick = args.iter().any(|a| a == "--quick");
    let models: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("models.json"))?)?;
    let text = std::fs::read_to_string(out.join("rows.csv"))?;
    let table = grove_data::Table::parse(&text, "rows.csv", None)?;
    let mut sizes = vec![("one_row", 1), ("rows_6497", table.records.len()), ("rows_1e5", 100_000)];
    if !quick {
        sizes.push(("rows_1e6", 1_000_000));
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for name in models.as_object().ok_or("models.json is not an object")?.keys() {
        let forest = Forest::new(grove_sklearn::load_path(
            &out.join(format!("{name}.pkl")),
            &ImportOptions::default(),
        )?)?;
        let width = forest.n_features();
        let rows = table.model_rows(forest.schema())?;
        for (case, n) in &sizes {
            let data =
                if *n == table.records.len() { rows.clone() } else { tiled(&rows, width, *n) };
            let case = format!("{name}/{case}");
            if *n == 1 {
                emit(&case, 1, best(7, 2000, || drop(forest.predict_proba(&data))), 1);
                continue;
            }
            let repeat = if *n <= 10_000 { 7 } else { 3 };
            emit(&case, 1, best(repeat, 1, || drop(forest.predict_proba(&data))), *n);
            // All cores: the rows split in one chunk per core, as a caller with rayon would.
            let chunk = data.len().div_ceil(cores * width) * width;
            emit(
                &case,
                cores,
                best(repeat, 1, || {
                    rayon::scope(|s| {
                        for part in data.chunks(chunk) {
                            let forest = &forest;
                            s.spawn(move |_| drop(forest.predict_proba(part)));
                        }
                    });
                }),
                *n,
            );
        }
    }
    measure_load_and_train(&out)?;
    Ok(())
}

fn measure_load_and_train(out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let seed = out.join("seed.pkl");
    let opts = ImportOptions::default();
    emit("load/seed", 1, best(5, 1, || drop(grove_sklearn::load_path(&seed, &opts))), 0);
    let grove = grove_format::to_bytes(&Forest::new(grove_sklearn::load_path(&seed, &opts)?)?);
    emit("load/seed_grove", 1, best(7, 20, || drop(grove_format::from_bytes(&grove))), 0);

    let data = grove_data::wine::embedded()?;
    let grove_data::Target::Classes { labels, index } = &data.target else {
        return Err("wine target".into());
    };
    let train = grove_train::TrainData::new(
        &data.x,
        data.feature_names.len(),
        grove_train::Target::Classes { index, n_classes: labels.len() },
    )?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for trees in [10, 100] {
        for threads in [1, cores] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
            let mut params = grove_train::ForestParams::classifier(42);
            params.n_estimators = trees;
            let repeat = if trees == 10 { 3 } else { 1 };
            let seconds = best(repeat, 1, || {
                pool.install(|| drop(grove_train::fit_forest(&train, &params, &|_| {})))
            });
            emit(&format!("train/{trees}_trees"), threads, seconds, data.n_rows);
        }
    }
    Ok(())
}
