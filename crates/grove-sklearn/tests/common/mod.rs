//! Shared by the integration tests: fixture locations and the comparison with sklearn's own
//! predictions.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use grove_forest::{to_model_input, Forest, ForestParts, Predictions};

/// The shared fixtures, beside the repository (`<root>/../shared/fixtures/sklearn`), if there.
pub fn shared_dir() -> Result<PathBuf, grove_test::Missing> {
    grove_test::paths::shared_fixtures()
}

/// This crate's own fixtures.
pub fn own_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse_f64(s: &str) -> f64 {
    match s {
        "nan" | "NaN" | "" => f64::NAN,
        s => s.parse().unwrap_or_else(|e| panic!("`{s}`: {e}")),
    }
}

/// Checks `parts` against an expected CSV written by sklearn: the features, `predicted`, then
/// `proba_<label>` per class. Labels must be identical and numbers within 1e-12.
/// Returns the number of rows checked.
pub fn check(parts: ForestParts, csv_path: &Path) -> usize {
    let what = csv_path.display().to_string();
    let forest = Forest::new(parts).unwrap_or_else(|e| panic!("{what}: {e}"));
    let n = forest.n_features();
    let mut rdr = csv::Reader::from_path(csv_path).unwrap_or_else(|e| panic!("{what}: {e}"));
    let header: Vec<String> =
        rdr.headers().unwrap_or_else(|e| panic!("{what}: {e}")).iter().map(String::from).collect();
    assert_eq!(header[..n], forest.schema().features[..], "{what}: feature names");
    assert_eq!(header[n], "predicted", "{what}");
    if let Some(classes) = forest.classes() {
        let want: Vec<String> = classes.iter().map(|l| format!("proba_{l}")).collect();
        assert_eq!(header[n + 1..], want[..], "{what}: class columns");
    }
    let mut rows = Vec::new();
    let mut predicted = Vec::new();
    let mut proba = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{what}: {e}"));
        for i in 0..n {
            rows.push(to_model_input(parse_f64(&rec[i])).unwrap_or_else(|e| panic!("{what}: {e}")));
        }
        predicted.push(rec[n].to_string());
        proba.extend(rec.iter().skip(n + 1).map(parse_f64));
    }
    let count = predicted.len();
    assert!(count > 0, "{what}: no rows");
    match forest.predict(&rows).unwrap_or_else(|e| panic!("{what}: {e}")) {
        Predictions::Classes(idx) => {
            let classes = forest.classes().expect("a classifier has classes");
            for (r, (&i, want)) in idx.iter().zip(&predicted).enumerate() {
                let got = classes.get(i as usize).map(|l| l.to_string()).unwrap_or_default();
                assert_eq!(&got, want, "{what}: row {r} label");
            }
            let got = forest.predict_proba(&rows).ok().flatten().expect("probabilities");
            assert_eq!(got.len(), proba.len(), "{what}: probability count");
            for (i, (g, w)) in got.iter().zip(&proba).enumerate() {
                assert!(
                    (g - w).abs() <= 1e-12,
                    "{what}: row {} proba {g} vs sklearn {w}",
                    i / classes.len()
                );
            }
        }
        Predictions::Values(values) => {
            for (r, (g, w)) in values.iter().zip(&predicted).enumerate() {
                let w = parse_f64(w);
                assert!((g - w).abs() <= 1e-12, "{what}: row {r} value {g} vs sklearn {w}");
            }
        }
    }
    count
}
