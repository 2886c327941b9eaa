//! One tree as sklearn-like arrays (`GET /model/trees/{tree}`) and the path a row takes
//! through it (`POST /model/trees/{tree}/path`).

use grove_forest::{Aggregation, Task};
use grove_request::{PredictInput, RequestError, RowsShape, ServedModel};
use serde_json::{json, Value};

/// The tree index in a path, checked against the model: anything else is a 422 naming `tree`.
pub fn tree_index(model: &ServedModel, raw: &str) -> Result<usize, RequestError> {
    let n = model.forest.parts().trees.len();
    let out_of_range = || RequestError::Invalid {
        field: "tree".into(),
        message: format!("no tree `{raw}`: this model has {n} trees, numbered 0 to {}", n - 1),
    };
    let i: usize = raw.parse().map_err(|_| out_of_range())?;
    if i >= n {
        return Err(out_of_range());
    }
    Ok(i)
}

/// What each node's `value` holds, so a reader knows how to show it.
fn value_kind(model: &ServedModel) -> &'static str {
    let parts = model.forest.parts();
    match (&parts.task, &parts.aggregation) {
        (Task::Classifier { .. }, Aggregation::Mean) => "class_distribution",
        (Task::Regressor, Aggregation::Mean) => "value",
        (_, Aggregation::Additive { .. }) => "raw_score",
    }
}

/// `GET /model/trees/{tree}`: the tree's arrays, node `i` at index `i` of each; `value` is one
/// list per node. `index` must have been checked by [`tree_index`].
pub fn tree_json(model: &ServedModel, index: usize) -> Value {
    let parts = model.forest.parts();
    let tree = &parts.trees[index];
    let width = parts.value_width();
    let value: Vec<&[f64]> = tree.value.chunks_exact(width).collect();
    let output = match &parts.aggregation {
        Aggregation::Additive { tree_outputs, .. } => tree_outputs.get(index).copied(),
        Aggregation::Mean => None,
    };
    let stats = tree.stats.as_ref();
    json!({
        "tree": index,
        "node_count": tree.node_count(),
        "n_leaves": tree.n_leaves(),
        "max_depth": tree.max_depth(),
        "value_kind": value_kind(model),
        "output": output,
        "features": model.forest.schema().features,
        "class_names": grove_request::class_names(&model.forest),
        "children_left": tree.children_left,
        "children_right": tree.children_right,
        "feature": tree.feature,
        "threshold": tree.threshold,
        "missing_go_to_left": tree.missing_go_to_left,
        "value": value,
        "n_node_samples": stats.map(|s| &s.n_node_samples),
        "weighted_n_node_samples": stats.map(|s| &s.weighted_n_node_samples),
        "impurity": stats.map(|s| &s.impurity),
    })
}

/// `POST /model/trees/{tree}/path`: the node ids each row visits, root first. One row answers
/// `{"path": [...]}`, a list of rows `{"paths": [[...], ...]}`.
pub fn paths_json(
    model: &ServedModel,
    index: usize,
    input: &PredictInput,
) -> Result<Value, RequestError> {
    let forest = &model.forest;
    forest
        .check_rows(&input.rows)
        .map_err(|e| RequestError::Invalid { field: "values".into(), message: e.to_string() })?;
    let paths: Vec<Vec<usize>> = input
        .rows
        .chunks_exact(forest.n_features())
        .map(|row| forest.decision_path(index, row).unwrap_or_default())
        .collect();
    Ok(match input.shape {
        RowsShape::One => {
            let path = paths.into_iter().next().unwrap_or_default();
            json!({"tree": index, "leaf": path.last(), "path": path})
        }
        RowsShape::Many => json!({"tree": index, "paths": paths}),
    })
}
