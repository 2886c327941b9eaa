//! The trees grove grows against the trees scikit-learn 1.9.1 grows on the same data and seed,
//! compared bit for bit through per-tree digests (tests/data/make_fixtures.py writes them) and
//! through the shared prediction fixtures.

mod common;

use grove_forest::{
    Aggregation, Forest, ForestParts, Labels, MissingValues, Predictions, Provenance, Schema, Task,
    Tree,
};
use grove_test::paths::shared_fixtures;
use grove_test::require;
use grove_train::{
    fit_forest, fit_tree, Criterion, ForestParams, MaxFeatures, Target, TrainData, TreeParams,
};
use serde_json::Value;

fn fixtures() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sklearn_trees.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn case<'a>(all: &'a Value, name: &str) -> &'a Value {
    all["cases"].as_array().expect("cases").iter().find(|c| c["name"] == name).expect("case")
}

fn f64_of(v: &Value) -> f64 {
    f64::from_bits(v.as_u64().expect("float bits"))
}

/// The digest make_fixtures.py computes, field for field.
fn digest(tree: &Tree) -> Value {
    let stats = tree.stats.as_ref().expect("stats");
    let seq = |v: &[f64]| v.iter().fold(0.0, |s, x| s + x).to_bits();
    let split = |i: usize| !tree.is_leaf(i);
    serde_json::json!({
        "node_count": tree.node_count(),
        "max_depth": tree.max_depth(),
        "n_leaves": tree.n_leaves(),
        "children_left_sum": tree.children_left.iter().map(|&c| i64::from(c)).sum::<i64>(),
        "children_right_sum": tree.children_right.iter().map(|&c| i64::from(c)).sum::<i64>(),
        "feature_sum": tree.feature.iter().map(|&c| i64::from(c)).sum::<i64>(),
        "missing_left_count":
            (0..tree.node_count()).filter(|&i| split(i) && tree.missing_go_to_left[i]).count(),
        "n_node_samples_sum": stats.n_node_samples.iter().sum::<u64>(),
        "threshold_sum": seq(&tree.threshold),
        "impurity_sum": seq(&stats.impurity),
        "weighted_sum": seq(&stats.weighted_n_node_samples),
        "value_sum": seq(&tree.value),
    })
}

fn params_of(c: &Value) -> (bool, ForestParams) {
    let p = &c["params"];
    let is_forest = c["estimator"].as_str().expect("estimator").starts_with("RandomForest");
    let max_features = match &p["max_features"] {
        Value::Null => MaxFeatures::All,
        Value::String(s) => s.parse().expect("max_features"),
        v if v.is_u64() => MaxFeatures::Count(v.as_u64().expect("int") as usize),
        v => MaxFeatures::Fraction(v.as_f64().expect("float")),
    };
    let criterion: Criterion = p["criterion"].as_str().expect("criterion").parse().expect("known");
    let tree = TreeParams {
        criterion,
        max_depth: p["max_depth"].as_u64().map(|d| d as usize),
        min_samples_split: p["min_samples_split"].as_u64().expect("mss") as usize,
        min_samples_leaf: p["min_samples_leaf"].as_u64().expect("msl") as usize,
        max_features,
        random_state: p["random_state"].as_u64().expect("seed") as u32,
    };
    let forest = ForestParams {
        n_estimators: p["n_estimators"].as_u64().unwrap_or(1) as usize,
        bootstrap: p["bootstrap"].as_bool().unwrap_or(false),
        tree,
    };
    (is_forest, forest)
}

/// Trains what the case describes on the wine data.
fn train(c: &Value) -> Vec<Tree> {
    let wine = common::load_wine();
    let (x, target_values, classes);
    let target = match c["target"].as_str().expect("target") {
        "quality_class" => {
            classes = wine.classes();
            x = wine.x.clone();
            Target::Classes { index: &classes.1, n_classes: classes.0.len() }
        }
        "quality_value" => {
            x = wine.x.clone();
            Target::Values(&wine.quality)
        }
        "alcohol_value" => {
            (x, target_values) = wine.predict_column("alcohol");
            Target::Values(&target_values)
        }
        other => panic!("unknown target {other}"),
    };
    let n_features = c["features"].as_array().expect("features").len();
    let data = TrainData::new(&x, n_features, target).expect("data");
    let (is_forest, params) = params_of(c);
    if is_forest {
        fit_forest(&data, &params, &|_| {}).expect("forest")
    } else {
        vec![fit_tree(&data, &params.tree).expect("tree")]
    }
}

fn assert_same_trees(name: &str) -> Vec<Tree> {
    let all = fixtures();
    let c = case(&all, name);
    let trees = train(c);
    let want = c["trees"].as_array().expect("trees");
    assert_eq!(trees.len(), want.len(), "{name}: tree count");
    for (t, (tree, want)) in trees.iter().zip(want).enumerate() {
        assert_eq!(&digest(tree), want, "{name}: tree {t} differs from sklearn's");
    }
    if let Some(full) = c.get("full_tree") {
        assert_same_nodes(name, &trees[0], full);
    }
    trees
}

fn assert_same_nodes(name: &str, tree: &Tree, want: &Value) {
    let ints = |k: &str| -> Vec<i64> {
        want[k].as_array().expect(k).iter().map(|v| v.as_i64().expect("int")).collect()
    };
    let floats =
        |k: &str| -> Vec<f64> { want[k].as_array().expect(k).iter().map(f64_of).collect() };
    let stats = tree.stats.as_ref().expect("stats");
    let widen = |v: &[i32]| v.iter().map(|&x| i64::from(x)).collect::<Vec<_>>();
    assert_eq!(widen(&tree.children_left), ints("children_left"), "{name}: children_left");
    assert_eq!(widen(&tree.children_right), ints("children_right"), "{name}: children_right");
    assert_eq!(widen(&tree.feature), ints("feature"), "{name}: feature");
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&tree.threshold), bits(&floats("threshold")), "{name}: threshold");
    assert_eq!(bits(&stats.impurity), bits(&floats("impurity")), "{name}: impurity");
    assert_eq!(
        bits(&stats.weighted_n_node_samples),
        bits(&floats("weighted_n_node_samples")),
        "{name}: weighted_n_node_samples"
    );
    assert_eq!(bits(&tree.value), bits(&floats("value")), "{name}: value");
    let n: Vec<i64> = stats.n_node_samples.iter().map(|&x| x as i64).collect();
    assert_eq!(n, ints("n_node_samples"), "{name}: n_node_samples");
    let missing: Vec<bool> = want["missing_go_to_left"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|v| v.as_bool().expect("bool"))
        .collect();
    assert_eq!(tree.missing_go_to_left, missing, "{name}: missing_go_to_left");
}

fn wine_model(trees: Vec<Tree>, classes: Option<Vec<i64>>) -> Forest {
    let wine = common::load_wine();
    Forest::new(ForestParts {
        name: "wine".into(),
        schema: Schema {
            features: wine.feature_names,
            target: "quality".into(),
            feature_ranges: None,
        },
        task: match classes {
            Some(c) => Task::Classifier { classes: Labels::Int(c) },
            None => Task::Regressor,
        },
        aggregation: Aggregation::Mean,
        missing: MissingValues::Route,
        trees,
        provenance: Provenance::default(),
    })
    .expect("valid model")
}

#[test]
fn random_forest_classifier_matches_sklearn_seed_rf() {
    let fixtures = require!(shared_fixtures());
    let trees = assert_same_trees("rf_classifier_seed42");

    // The shared structure summary of seed_rf.pkl.
    let path = fixtures.join("seed_rf.trees.json");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("trees.json")).expect("json");
    for (tree, want) in trees.iter().zip(summary["trees"].as_array().expect("trees")) {
        assert_eq!(tree.node_count() as u64, want["node_count"].as_u64().expect("count"));
        assert_eq!(tree.max_depth() as u64, want["max_depth"].as_u64().expect("depth"));
        assert_eq!(tree.n_leaves() as u64, want["n_leaves"].as_u64().expect("leaves"));
    }

    // Predictions and probabilities on all rows, as sklearn made them from seed_rf.pkl.
    let wine = common::load_wine();
    let (labels, _) = wine.classes();
    let forest = wine_model(trees, Some(labels.clone()));
    let (header, rows) = common::read_numeric_csv(&fixtures.join("seed_rf.expected.csv"));
    assert_eq!(rows.len(), 6497);
    let x: Vec<f32> = rows.iter().flat_map(|r| r[..12].iter().map(|&v| v as f32)).collect();
    let Predictions::Classes(predicted) = forest.predict(&x).expect("predict") else {
        panic!("a classifier predicts classes")
    };
    let proba = forest.predict_proba(&x).expect("proba").expect("classifier");
    assert_eq!(
        &header[13..],
        ["proba_3", "proba_4", "proba_5", "proba_6", "proba_7", "proba_8", "proba_9"]
    );
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(labels[predicted[i] as usize] as f64, row[12], "row {i}: predicted class");
        assert_eq!(&proba[i * 7..(i + 1) * 7], &row[13..20], "row {i}: probabilities");
    }
}

#[test]
fn random_forest_regressor_matches_sklearn() {
    let fixtures = require!(shared_fixtures());
    let trees = assert_same_trees("rf_regressor_seed42");
    let forest = wine_model(trees, None);
    let (_, rows) = common::read_numeric_csv(&fixtures.join("rf_regressor.expected.csv"));
    let x: Vec<f32> = rows.iter().flat_map(|r| r[..12].iter().map(|&v| v as f32)).collect();
    let Predictions::Values(predicted) = forest.predict(&x).expect("predict") else {
        panic!("a regressor predicts values")
    };
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(predicted[i], row[12], "row {i}");
    }
}

#[test]
fn depth_and_leaf_limits_match_sklearn() {
    assert_same_trees("rf_classifier_depth8_leaf3");
    assert_same_trees("rf_regressor_depth8_leaf3");
}

#[test]
fn decision_tree_matches_sklearn() {
    let fixtures = require!(shared_fixtures());
    let trees = assert_same_trees("decision_tree_depth8_seed0");
    // And the shared fixture's predictions from decision_tree.pkl (the same model).
    let wine = common::load_wine();
    let (labels, _) = wine.classes();
    let forest = wine_model(trees, Some(labels.clone()));
    let (_, rows) = common::read_numeric_csv(&fixtures.join("decision_tree.expected.csv"));
    let x: Vec<f32> = rows.iter().flat_map(|r| r[..12].iter().map(|&v| v as f32)).collect();
    let proba = forest.predict_proba(&x).expect("proba").expect("classifier");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&proba[i * 7..(i + 1) * 7], &row[13..20], "row {i}: probabilities");
    }
}

#[test]
fn entropy_and_other_max_features_match_sklearn() {
    assert_same_trees("rf_entropy_log2_seed3");
    assert_same_trees("rf_classifier_no_bootstrap_frac");
}

#[test]
fn non_integer_regression_targets_match_sklearn() {
    assert_same_trees("tree_regressor_alcohol_depth6");
    assert_same_trees("rf_regressor_alcohol");
}
