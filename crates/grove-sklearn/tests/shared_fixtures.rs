//! Every model of the shared fixture set that comes with sklearn's predictions is imported and
//! must answer exactly as sklearn did; the malicious pickle is refused unexecuted.

mod common;

use grove_sklearn::{load_path, ImportError, ImportOptions};

#[test]
fn every_shared_model_matches_sklearn() {
    let dir = grove_test::require!(common::shared_dir());
    let manifest = common::json(&dir.join("manifest.json"));
    let files = manifest["files"].as_object().expect("manifest files");
    let mut checked = 0;
    for (name, entry) in files {
        let Some(expected) = entry["expected"].as_str() else { continue };
        let parts = load_path(&dir.join(name), &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parts.provenance.estimator, entry["estimator"].as_str().unwrap_or(""), "{name}");
        assert_eq!(parts.provenance.origin, "imported");
        assert_eq!(parts.provenance.source_version.as_deref(), Some("1.9.1"), "{name}");
        let rows = common::check(parts, &dir.join(expected));
        if let Some(n) = entry["expected_rows"].as_u64() {
            assert_eq!(rows as u64, n, "{name}");
        }
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} shared models had expectations");
}

#[test]
fn seed_rf_keeps_int_labels_and_feature_names() {
    let dir = grove_test::require!(common::shared_dir());
    let opts = ImportOptions { target_name: Some("quality".into()), ..Default::default() };
    let parts = load_path(&dir.join("seed_rf.pkl"), &opts).expect("loads");
    let trees = common::json(&dir.join("seed_rf.trees.json"));
    assert_eq!(parts.name, "seed_rf");
    assert_eq!(parts.schema.target, "quality");
    let names: Vec<&str> = trees["feature_names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(parts.schema.features, names);
    assert_eq!(
        parts.task,
        grove_forest::Task::Classifier {
            classes: grove_forest::Labels::Int(vec![3, 4, 5, 6, 7, 8, 9])
        }
    );
    for (t, want) in parts.trees.iter().zip(trees["trees"].as_array().expect("trees")) {
        assert_eq!(Some(t.node_count() as u64), want["node_count"].as_u64());
        assert_eq!(Some(t.max_depth() as u64), want["max_depth"].as_u64());
    }
    // sklearn 1.9.1 forests route NaN.
    assert_eq!(parts.missing, grove_forest::MissingValues::Route);
    assert_eq!(parts.provenance.params.get("n_estimators").map(String::as_str), Some("10"));
    assert_eq!(parts.provenance.params.get("random_state").map(String::as_str), Some("42"));
    assert!(parts.provenance.source.as_deref().is_some_and(|s| s.ends_with("seed_rf.pkl")));
}

#[test]
fn joblib_plain_and_zlib_give_the_pickle_model() {
    let dir = grove_test::require!(common::shared_dir());
    let opts = ImportOptions { name: Some("m".into()), ..Default::default() };
    let pkl = load_path(&dir.join("seed_rf.pkl"), &opts).expect("pickle");
    for f in ["seed_rf.joblib", "seed_rf.z.joblib"] {
        let j = load_path(&dir.join(f), &opts).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(j.trees, pkl.trees, "{f}");
        assert_eq!(j.task, pkl.task, "{f}");
        assert_eq!(j.schema, pkl.schema, "{f}");
    }
}

#[test]
fn evil_pickle_is_refused_without_running() {
    let dir = grove_test::require!(common::shared_dir());
    let marker = std::env::temp_dir().join("pwned-by-pickle");
    let existed = marker.exists();
    let err = load_path(&dir.join("evil.pkl"), &ImportOptions::default()).expect_err("refused");
    match &err {
        ImportError::Forbidden { name, .. } => assert_eq!(name, "posix.system"),
        other => panic!("wrong error: {other}"),
    }
    assert!(err.to_string().contains("posix.system"), "{err}");
    assert!(existed || !marker.exists(), "the payload ran");
}
