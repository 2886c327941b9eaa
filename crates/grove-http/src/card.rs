//! The model card (`GET /model`): everything a person or a program needs to understand the
//! served model without reading its file, and what the web page draws.

use grove_forest::{Forest, Task, Tree};
use grove_builtin::TUTORIAL_ROW;
use grove_request::{label_json, ServedModel};
use serde_json::{json, Map, Value};

/// The lowest and highest threshold the trees test on each feature: a range to vary a feature
/// over when the training range was not recorded.
fn split_ranges(forest: &Forest) -> Vec<Option<[f64; 2]>> {
    let mut out: Vec<Option<[f64; 2]>> = vec![None; forest.n_features()];
    for tree in &forest.parts().trees {
        for i in (0..tree.node_count()).filter(|&i| !tree.is_leaf(i)) {
            let (f, t) = (tree.feature[i] as usize, tree.threshold[i]);
            let r = out[f].get_or_insert([t, t]);
            r[0] = r[0].min(t);
            r[1] = r[1].max(t);
        }
    }
    out
}

/// A value near `x` with about four significant digits of the range's width, so the page
/// shows `9.85`, not `9.850000000000001`.
fn round_for(x: f64, width: f64) -> f64 {
    if !x.is_finite() || width <= 0.0 || !width.is_finite() {
        return x;
    }
    let decimals = (3 - width.log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// The row the page starts from: the tutorial's wine when these are the wine features,
/// otherwise the middle of each feature's training range (or of its split thresholds).
fn example(forest: &Forest, splits: &[Option<[f64; 2]>]) -> (Map<String, Value>, &'static str) {
    let schema = forest.schema();
    let is_wine = schema.features.len() == TUTORIAL_ROW.len()
        && TUTORIAL_ROW.iter().all(|(name, _)| schema.feature_index(name).is_some());
    if is_wine {
        let row = schema
            .features
            .iter()
            .map(|f| {
                let v = TUTORIAL_ROW.iter().find(|(n, _)| n == f).map_or(0.0, |(_, v)| *v);
                (f.clone(), json!(v))
            })
            .collect();
        return (row, "the tutorial's example wine");
    }
    let row = schema
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let range = schema.feature_ranges.as_ref().map(|r| [r[i].min, r[i].max]).or(splits[i]);
            let v = range.map_or(0.0, |[lo, hi]| round_for((lo + hi) / 2.0, hi - lo));
            (f.clone(), json!(v))
        })
        .collect();
    (row, "the middle of each feature's range")
}

fn tree_summary(t: &Tree) -> Value {
    json!({"node_count": t.node_count(), "n_leaves": t.n_leaves(), "max_depth": t.max_depth()})
}

/// The class labels as the `probabilities` maps and `proba_<label>` columns spell them.
pub(crate) fn class_names(forest: &Forest) -> Option<Vec<String>> {
    forest.classes().map(|c| c.iter().map(|l| l.to_string()).collect())
}

/// `GET /model`.
pub fn card(model: &ServedModel) -> Value {
    let forest = &model.forest;
    let parts = forest.parts();
    let schema = forest.schema();
    let importances = forest.feature_importances();
    let splits = split_ranges(forest);
    let features: Vec<Value> = schema
        .features
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({
                "name": name,
                "importance": importances.as_ref().map(|v| v[i]),
                "range": schema.feature_ranges.as_ref().map(|r| [r[i].min, r[i].max]),
                "split_range": splits[i],
            })
        })
        .collect();
    let (kind, classes) = match &parts.task {
        Task::Classifier { classes } => {
            ("classifier", Some(classes.iter().map(label_json).collect::<Vec<_>>()))
        }
        Task::Regressor => ("regressor", None),
    };
    let (row, example_source) = example(forest, &splits);
    json!({
        "name": model.name(),
        "version": model.version,
        "kind": kind,
        "target": schema.target,
        "classes": classes,
        "class_names": class_names(forest),
        "aggregation": forest.describe_combination(),
        "missing_values": parts.missing,
        "provenance": parts.provenance,
        "features": features,
        "example": row,
        "example_source": example_source,
        "n_trees": parts.trees.len(),
        "total_nodes": parts.trees.iter().map(Tree::node_count).sum::<usize>(),
        "node_stats": parts.trees.iter().all(|t| t.stats.is_some()),
        "trees": parts.trees.iter().map(tree_summary).collect::<Vec<_>>(),
        "links": {
            "predict": "/predict",
            "tree": "/model/trees/{tree}",
            "path": "/model/trees/{tree}/path",
            "openapi": "/openapi.json",
            "metrics": "/metrics",
            "health": "/healthz",
            "v2": format!("/v2/models/{}", model.name()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::round_for;

    #[test]
    fn midpoints_are_rounded_to_the_range() {
        assert_eq!(round_for((3.8 + 15.9) / 2.0, 12.1), 9.85);
        assert_eq!(round_for((0.009 + 0.611) / 2.0, 0.602), 0.31);
        assert_eq!(round_for(220.0 + 1.0 / 3.0, 434.0), 220.3);
        assert_eq!(round_for(0.5, 0.0), 0.5);
    }
}
