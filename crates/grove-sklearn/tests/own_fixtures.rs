//! This crate's fixtures (tests/fixtures, made by make_fixtures.py in sklearn 1.1.3 to 1.9.1
//! virtualenvs): every protocol, joblib compression, label type, GB loss, MLflow and skops.

mod common;

use grove_forest::{Labels, MissingValues, Task};
use grove_sklearn::{load_bytes, load_path, ImportError, ImportOptions};

#[test]
fn every_own_model_matches_sklearn() {
    let dir = common::own_dir();
    let manifest = common::json(&dir.join("fixtures.json"));
    let models = manifest["models"].as_object().expect("models");
    let mut versions = std::collections::BTreeSet::new();
    for (name, entry) in models {
        let parts = load_path(&dir.join(name), &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let sklearn = entry["sklearn"].as_str().unwrap_or("");
        versions.insert(sklearn.to_string());
        assert_eq!(parts.provenance.source_version.as_deref(), Some(sklearn), "{name}");
        assert_eq!(parts.provenance.estimator, entry["estimator"].as_str().unwrap_or(""), "{name}");
        let want_missing =
            if entry["nan_ok"] == true { MissingValues::Route } else { MissingValues::Refuse };
        assert_eq!(parts.missing, want_missing, "{name}: NaN handling");
        if let Some(dtype) = entry["classes_dtype"].as_str() {
            let Task::Classifier { classes } = &parts.task else {
                panic!("{name}: not a classifier")
            };
            let ok = match classes {
                Labels::Int(_) => dtype.starts_with("int"),
                Labels::Float(_) => dtype.starts_with("float"),
                Labels::Bool(_) => dtype == "bool",
                Labels::Str(_) => dtype == "object" || dtype.starts_with("<U"),
            };
            assert!(ok, "{name}: labels {classes:?} for dtype {dtype}");
        }
        common::check(parts, &dir.join(entry["expected"].as_str().expect("expected")));
    }
    for v in ["1.1.3", "1.2.2", "1.3.2", "1.5.2", "1.9.1"] {
        assert!(versions.contains(v), "no fixture from sklearn {v}");
    }
}

#[test]
fn feature_names_come_from_the_model_or_the_caller() {
    let dir = common::own_dir();
    let parts =
        load_path(&dir.join("rf_str_p5_191.pkl"), &ImportOptions::default()).expect("loads");
    assert_eq!(parts.schema.features, ["f_a", "f_b", "f_c", "f_d", "f_e"]);
    assert_eq!(parts.schema.target, "prediction");
    let names: Vec<String> = (0..5).map(|i| format!("col{i}")).collect();
    let opts = ImportOptions { feature_names: Some(names.clone()), ..Default::default() };
    let parts = load_path(&dir.join("gb_reg_191.z.joblib"), &opts).expect("loads");
    assert_eq!(parts.schema.features, names);
    let opts = ImportOptions { feature_names: Some(vec!["a".into()]), ..Default::default() };
    let err = load_path(&dir.join("gb_reg_191.z.joblib"), &opts).expect_err("wrong count");
    assert!(err.to_string().contains("1 feature names"), "{err}");
}

#[test]
fn bytes_load_like_paths_and_default_the_name() {
    let dir = common::own_dir();
    let bytes = std::fs::read(dir.join("gb_bool_191.joblib")).expect("read");
    let parts = load_bytes(&bytes, &ImportOptions::default()).expect("loads");
    assert_eq!(parts.name, "model");
    assert_eq!(parts.provenance.source, None);
    assert_eq!(parts.task, Task::Classifier { classes: Labels::Bool(vec![false, true]) });
    let from_path =
        load_path(&dir.join("gb_bool_191.joblib"), &ImportOptions::default()).expect("loads");
    assert_eq!(from_path.name, "gb_bool_191");
    assert_eq!(from_path.trees, parts.trees);
}

#[test]
fn params_are_recorded() {
    let dir = common::own_dir();
    let parts =
        load_path(&dir.join("gb_multi_p4_191.pkl"), &ImportOptions::default()).expect("loads");
    let p = &parts.provenance.params;
    assert_eq!(p.get("learning_rate").map(String::as_str), Some("0.3"));
    assert_eq!(p.get("max_depth").map(String::as_str), Some("2"));
    assert_eq!(p.get("loss").map(String::as_str), Some("log_loss"));
    assert!(!p.contains_key("classes_") && !p.contains_key("_sklearn_version"));
}

#[test]
fn unsupported_inputs_are_named() {
    // A pickled dict is not an estimator.
    let err = load_bytes(b"\x80\x04}\x94.", &ImportOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("dict"), "{err}");
    // An allowed class that is not a supported estimator: the loss object alone.
    let p = b"\x80\x04\x8c\x12sklearn._loss.loss\x94\x8c\x10HalfBinomialLoss\x94\x93\x94)\x81\x94}\x94b.";
    let err = load_bytes(p, &ImportOptions::default()).expect_err("refused");
    match err {
        ImportError::UnsupportedEstimator { estimator, supported } => {
            assert_eq!(estimator, "sklearn._loss.loss.HalfBinomialLoss");
            assert!(supported.contains("RandomForestClassifier"));
        }
        other => panic!("wrong error: {other}"),
    }
    // A class off the allow-list, e.g. a pipeline.
    let p = b"\x80\x04\x8c\x10sklearn.pipeline\x94\x8c\x08Pipeline\x94\x93\x94)\x81\x94.";
    let err = load_bytes(p, &ImportOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("sklearn.pipeline.Pipeline"), "{err}");
    // Compressions joblib writes but grove does not read are named.
    let err = load_bytes(b"BZh91AY&SY", &ImportOptions::default()).expect_err("refused");
    assert!(matches!(err, ImportError::Compression(ref c) if c == "bz2"), "{err}");
    let err = load_bytes(b"hello", &ImportOptions::default()).expect_err("refused");
    assert!(matches!(err, ImportError::UnknownFormat(_)), "{err}");
}

#[test]
fn a_directory_without_mlmodel_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let err = load_path(tmp.path(), &ImportOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("MLmodel"), "{err}");
    std::fs::write(tmp.path().join("MLmodel"), "flavors:\n  python_function: {}\n").expect("write");
    let err = load_path(tmp.path(), &ImportOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("no sklearn flavour"), "{err}");
    std::fs::write(
        tmp.path().join("MLmodel"),
        "flavors:\n  sklearn:\n    pickled_model: ../x.pkl\n",
    )
    .expect("write");
    let err = load_path(tmp.path(), &ImportOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("outside"), "{err}");
}
