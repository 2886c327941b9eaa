//! criterion: predict (one row, 6497 rows), train (the tutorial's 10-tree forest), load.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use grove_train::{fit_forest, ForestParams, Target, TrainData};

fn benches(c: &mut Criterion) {
    let data = grove_data::wine::embedded().expect("wine data");
    let rows = grove_bench::wine_rows(&data);
    let forest = grove_builtin::wine_quality().expect("built-in model");
    let width = forest.n_features();

    let mut g = c.benchmark_group("predict");
    g.throughput(Throughput::Elements(1));
    g.bench_function("one_row", |b| b.iter(|| forest.predict(black_box(&rows[..width]))));
    g.bench_function("one_row_proba", |b| {
        b.iter(|| forest.predict_proba(black_box(&rows[..width])))
    });
    g.throughput(Throughput::Elements(data.n_rows as u64));
    g.bench_function("6497_rows", |b| b.iter(|| forest.predict(black_box(&rows))));
    g.finish();

    let grove_bytes = grove_format::to_bytes(&forest);
    let mut g = c.benchmark_group("load");
    g.throughput(Throughput::Bytes(grove_bytes.len() as u64));
    g.bench_function("grove_from_bytes_seed_model", |b| {
        b.iter(|| grove_format::from_bytes(black_box(&grove_bytes)))
    });
    g.finish();

    let grove_data::Target::Classes { labels, index } = &data.target else {
        panic!("the wine target is classes")
    };
    let train = TrainData::new(&data.x, width, Target::Classes { index, n_classes: labels.len() })
        .expect("training data");
    let mut params = ForestParams::classifier(42);
    params.n_estimators = 10;
    let mut g = c.benchmark_group("train");
    g.sample_size(10);
    g.bench_function("wine_10_trees", |b| b.iter(|| fit_forest(&train, &params, &|_| {})));
    g.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
