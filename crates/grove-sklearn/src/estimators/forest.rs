//! Decision trees, random forests and extra trees: the mean of the trees' outputs.

use grove_forest::{Aggregation, ForestParts, MissingValues, Task};

use super::tree::{self, Values};
use super::{Est, SkVersion};
use crate::error::Result;
use crate::pickle::Value;
use crate::ImportOptions;

pub(crate) fn single_tree(
    est: &Est<'_>,
    opts: &ImportOptions,
    source: Option<&str>,
) -> Result<ForestParts> {
    mean_of(est, vec![est.value], opts, source)
}

pub(crate) fn forest(
    est: &Est<'_>,
    opts: &ImportOptions,
    source: Option<&str>,
) -> Result<ForestParts> {
    let list = est.need("estimators_")?;
    let trees =
        est.doc.items(list).ok_or_else(|| est.malformed("`estimators_` is not a list"))?.to_vec();
    if trees.is_empty() {
        return Err(est.malformed("the forest has no trees"));
    }
    mean_of(est, trees, opts, source)
}

fn mean_of(
    est: &Est<'_>,
    tree_ests: Vec<Value>,
    opts: &ImportOptions,
    source: Option<&str>,
) -> Result<ForestParts> {
    if est.int_attr("n_outputs_").is_some_and(|n| n != 1) {
        return Err(est.unsupported("multi-output models are not supported"));
    }
    let classifier = est.short_name().ends_with("Classifier");
    let (task, width, values) = if classifier {
        let classes = est.labels()?;
        let k = classes.len();
        // sklearn < 1.4 stored weighted counts and normalised them in predict_proba.
        let values =
            if est.version < SkVersion(1, 4) { Values::Normalise } else { Values::AsStored };
        (Task::Classifier { classes }, k, values)
    } else {
        (Task::Regressor, 1, Values::AsStored)
    };
    let missing =
        missing_values(est, tree_ests[0], tree_ests.len() > 1 || est.value != tree_ests[0]);
    let trees =
        tree_ests.iter().map(|&t| tree::read(est, t, width, values)).collect::<Result<Vec<_>>>()?;
    let n_features = est.n_features()?;
    Ok(ForestParts {
        name: opts.name.clone().unwrap_or_else(|| "model".into()),
        schema: est.schema(n_features, opts)?,
        task,
        aggregation: Aggregation::Mean,
        missing,
        trees,
        provenance: est.provenance(source),
    })
}

/// Whether this estimator's sklearn version lets NaN through `predict`: what
/// `_support_missing_values` said in that release, for the (first) tree.
fn missing_values(est: &Est<'_>, first_tree: Value, in_forest: bool) -> MissingValues {
    let doc = est.doc;
    let v = est.version;
    let class = doc.class_of(first_tree).unwrap_or("");
    let extra = class.ends_with("ExtraTreeClassifier") || class.ends_with("ExtraTreeRegressor");
    let classifier = class.ends_with("Classifier");
    let attr = |k: &str| doc.attr(first_tree, k);
    let splitter = attr("splitter").and_then(|s| doc.str(s)).unwrap_or("");
    let criterion = attr("criterion").and_then(|s| doc.str(s)).unwrap_or("");
    let criterion_ok = if classifier {
        matches!(criterion, "gini" | "log_loss" | "entropy")
    } else {
        matches!(criterion, "squared_error" | "friedman_mse" | "poisson")
    };
    let monotonic_free = matches!(attr("monotonic_cst"), None | Some(Value::None));
    let routes = if v < SkVersion(1, 3) {
        false
    } else if v < SkVersion(1, 4) {
        // 1.3: single trees only; forests still refused NaN.
        !in_forest && splitter == "best" && criterion_ok
    } else if v < SkVersion(1, 6) {
        splitter == "best" && criterion_ok && monotonic_free
    } else if v < SkVersion(1, 9) {
        let splitter_ok =
            if extra { splitter == "random" } else { matches!(splitter, "best" | "random") };
        splitter_ok && criterion_ok && monotonic_free
    } else if extra {
        splitter == "random"
    } else {
        true
    };
    if routes {
        MissingValues::Route
    } else {
        MissingValues::Refuse
    }
}
