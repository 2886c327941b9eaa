//! The `grove` binary as a user runs it: train the tutorial's model, predict, inspect, and
//! every error a user can cause.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use grove_forest::Forest;
use grove_test::paths::shared_fixtures;
use grove_test::require;

fn grove(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_grove"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("grove runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.unwrap_or("").as_bytes()).expect("stdin written");
    drop(input);
    child.wait_with_output().expect("grove finishes")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "grove failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// The error text and exit code of a run that must fail.
fn failure(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

fn train_wine(dir: &Path) -> PathBuf {
    let model = dir.join("m.grove");
    let out = grove(
        &["train", "wine", "-o", model.to_str().expect("a UTF-8 temp path"), "--quiet"],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    model
}

/// The parts that define the model's behaviour and identity, without the training time stamp
/// and grove version.
fn comparable(forest: &Forest) -> grove_forest::ForestParts {
    let mut parts = forest.parts().clone();
    parts.provenance.created_at.clear();
    parts.provenance.grove_version.clear();
    parts
}

#[test]
fn wine_model_predicts_exactly_what_sklearn_predicts() {
    let fixtures = require!(shared_fixtures());
    let dir = tempfile::tempdir().unwrap();
    let model = train_wine(dir.path());
    let expected = std::fs::read_to_string(fixtures.join("seed_rf.expected.csv")).unwrap();
    // The 12 feature columns of sklearn's own output are the input.
    let rows: String = expected
        .lines()
        .map(|l| l.split(',').take(12).collect::<Vec<_>>().join(",") + "\n")
        .collect();
    let rows_path = dir.path().join("rows.csv");
    std::fs::write(&rows_path, rows).unwrap();
    let out =
        grove(&["predict", model.to_str().unwrap(), rows_path.to_str().unwrap(), "--proba"], None);
    // Labels, probabilities (to the last printed digit) and the echoed input: identical.
    assert_eq!(stdout(&out), expected);
}

#[test]
fn wine_trees_have_sklearns_shape() {
    let fixtures = require!(shared_fixtures());
    let dir = tempfile::tempdir().unwrap();
    let model = train_wine(dir.path());
    let out = grove(&["inspect", model.to_str().unwrap(), "--json"], None);
    let ours: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let theirs: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("seed_rf.trees.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(ours["trees"], theirs["trees"]);
    assert_eq!(ours["total_nodes"], theirs["total_nodes"]);
    assert_eq!(ours["classes"], theirs["classes"]);
    let names: Vec<&serde_json::Value> =
        ours["features"].as_array().unwrap().iter().map(|f| &f["name"]).collect();
    assert_eq!(serde_json::json!(names), theirs["feature_names"]);
}

#[test]
fn built_in_model_is_what_the_wine_recipe_trains() {
    let dir = tempfile::tempdir().unwrap();
    let retrained = grove_format::read_file(&train_wine(dir.path())).unwrap();
    let builtin = grove_builtin::wine_quality().unwrap();
    assert_eq!(comparable(&retrained), comparable(&builtin));
    assert_eq!(builtin.name(), "wine-quality");
}

#[test]
fn tutorial_body_answers_quality_6() {
    let fixtures = require!(shared_fixtures());
    let event: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("tutorial_event.json")).unwrap(),
    )
    .unwrap();
    let body = event["body"].as_str().unwrap();
    let out = grove(&["predict", "wine-quality", "--format", "json"], Some(body));
    // The same body, with the same spacing, as the tutorial's function and `POST /predict`.
    assert_eq!(stdout(&out), "{\"quality\": 6}\n");
}

#[test]
fn several_rows_and_probabilities_as_json() {
    let rows = r#"[{"fixed_acidity": 7.4, "volatile_acidity": 0.7, "citric_acid": 0, "residual_sugar": 1.9,
        "chlorides": 0.076, "free_sulfur_dioxide": 11, "total_sulfur_dioxide": 34, "density": 0.9978,
        "pH": 3.51, "sulphates": 0.56, "alcohol": 9.4, "is_red": true},
       {"fixed_acidity": 7.0, "volatile_acidity": 0.27, "citric_acid": 0.36, "residual_sugar": 20.7,
        "chlorides": 0.045, "free_sulfur_dioxide": 45, "total_sulfur_dioxide": 170, "density": 1.001,
        "pH": 3.0, "sulphates": 0.45, "alcohol": 8.8, "is_red": null}]"#;
    let out = grove(&["predict", "wine-quality", "-", "--format", "json", "--proba"], Some(rows));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["quality"][0], 5);
    assert_eq!(v["probabilities"][0]["5"], 0.9);
    // A null feature is missing: routed as sklearn routes NaN, still an answer.
    assert!(v["quality"][1].is_i64());
    let total: f64 =
        v["probabilities"][1].as_object().unwrap().values().map(|p| p.as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-12);
}

#[test]
fn train_any_csv_then_predict_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("fruit.csv");
    let mut text = String::from("weight;sweetness;kind\n");
    for i in 0..60 {
        let kind = if i % 3 == 0 { "lemon" } else { "apple" };
        text += &format!("{};{};{kind}\n", 100 + i * 3 % 17, if kind == "lemon" { 1 } else { 7 });
    }
    std::fs::write(&csv, &text).unwrap();
    let model = dir.path().join("fruit.grove");
    let out = grove(
        &[
            "train",
            "--csv",
            csv.to_str().unwrap(),
            "--target",
            "kind",
            "--n-estimators",
            "5",
            "--random-state",
            "3",
            "-o",
            model.to_str().unwrap(),
            "--quiet",
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = grove(&["predict", model.to_str().unwrap(), csv.to_str().unwrap()], None);
    let predicted: Vec<String> =
        stdout(&out).lines().skip(1).map(|l| l.rsplit(';').next().unwrap().to_string()).collect();
    let truth: Vec<String> =
        text.lines().skip(1).map(|l| l.rsplit(';').next().unwrap().to_string()).collect();
    // The target column is echoed, then the prediction: string labels come back as strings.
    assert_eq!(predicted, truth);

    let reg = dir.path().join("sweet.grove");
    let out = grove(
        &[
            "train",
            "--csv",
            csv.to_str().unwrap(),
            "--target",
            "sweetness",
            "--regression",
            "--n-estimators",
            "3",
            "-o",
            reg.to_str().unwrap(),
            "--quiet",
        ],
        None,
    );
    // `kind` is text, so it cannot be a feature: the error names the cell.
    assert!(failure(&out).contains("fruit.csv, line 2, column `kind`: `lemon` is not a number"));
}

#[test]
fn user_errors_are_named_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "fixed_acidity,pH\n7.0,3.0\n").unwrap();
    let e = failure(&grove(&["predict", "wine-quality", bad.to_str().unwrap()], None));
    assert!(
        e.contains("no column `volatile_acidity` in the header (columns: fixed_acidity, pH)"),
        "{e}"
    );

    let e = failure(&grove(&["predict", "nonexistent.grove"], Some("")));
    assert_eq!(e, "error: no model `nonexistent.grove`: not a file, and not a built-in model (built-in: wine-quality)\n");

    let model = train_wine(dir.path());
    let mut bytes = std::fs::read(&model).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&model, &bytes).unwrap();
    let e = failure(&grove(&["inspect", model.to_str().unwrap()], None));
    assert!(e.contains("the checksum does not match"), "{e}");

    let e = failure(&grove(
        &["predict", "wine-quality", "--format", "json"],
        Some(r#"{"values": {"pH": "3"}}"#),
    ));
    assert!(e.contains("feature `fixed_acidity`: missing"), "{e}");
    let e = failure(&grove(&["predict", "wine-quality", "--format", "json"], Some("[]")));
    assert!(e.contains("the batch is empty"), "{e}");
}

#[test]
fn inspect_reads_like_this() {
    let text = stdout(&grove(&["inspect", "wine-quality"], None));
    let text: String = text
        .lines()
        .map(|l| if l.starts_with("created") { "created    [time]" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn an_imported_pickle_serves_the_tutorial_and_evil_is_refused() {
    let fixtures = require!(shared_fixtures());
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("seed.grove");
    let out = grove(
        &[
            "import",
            fixtures.join("seed_rf.pkl").to_str().unwrap(),
            "--target-name",
            "quality",
            "-o",
            model.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let body = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/tutorial-body.json"),
    )
    .unwrap();
    assert_eq!(
        stdout(&grove(&["predict", model.to_str().unwrap(), "--format", "json"], Some(&body))),
        "{\"quality\": 6}\n"
    );
    // The imported pickle and the trained model are the same forest.
    let imported = grove_format::read_file(&model).unwrap();
    let builtin = grove_builtin::wine_quality().unwrap();
    assert_eq!(imported.parts().trees, builtin.parts().trees);

    let e = failure(&grove(&["inspect", fixtures.join("evil.pkl").to_str().unwrap()], None));
    assert!(e.contains("refused `posix.system`"), "{e}");
    assert!(!std::env::temp_dir().join("pwned-by-pickle").exists());
}
