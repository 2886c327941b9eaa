//! `sklearn.tree._tree.Tree` → [`grove_forest::Tree`].
//!
//! The pickled state is `{max_depth, node_count, nodes, values}`: `nodes` a structured array
//! whose fields are read by name (so the 7-field layout before sklearn 1.3 and the 8-field one
//! with `missing_go_to_left` after read alike), `values` float64 of shape
//! `node_count × n_outputs × max_n_classes`.

use grove_forest::{NodeStats, Tree};

use super::Est;
use crate::error::Result;
use crate::pickle::{Obj, Value};

/// How a classifier tree's stored values become what its `predict_proba` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Values {
    /// As stored: regression values, or the fractions sklearn ≥ 1.4 stores.
    AsStored,
    /// Weighted counts, divided by their row sum (a zero sum counts as 1), as sklearn < 1.4's
    /// `predict_proba` did.
    Normalise,
}

/// Reads the `tree_` of a fitted sklearn tree estimator, keeping `width` values per node.
pub(crate) fn read(est: &Est<'_>, tree_est: Value, width: usize, values: Values) -> Result<Tree> {
    let doc = est.doc;
    let t = doc
        .attr(tree_est, "tree_")
        .ok_or_else(|| est.malformed("a tree estimator has no `tree_`; is it fitted?"))?;
    let Some(Obj::Tree { args, .. }) = doc.obj(t) else {
        return Err(est.malformed("`tree_` is not an sklearn Tree"));
    };
    if let Some(n_outputs) = args.get(2).and_then(|&v| doc.int(v)) {
        if n_outputs != 1 {
            return Err(est.unsupported(format!(
                "multi-output models ({n_outputs} outputs) are not supported"
            )));
        }
    }
    let state = doc.state_dict(t).ok_or_else(|| est.malformed("the Tree has no state"))?;
    let get = |k: &str| {
        doc.dict_get(state, k).ok_or_else(|| est.malformed(format!("the Tree state has no `{k}`")))
    };
    let node_count = doc.int(get("node_count")?).and_then(|n| usize::try_from(n).ok());
    let node_count = node_count.ok_or_else(|| est.malformed("bad `node_count`"))?;
    let nodes = doc.array(get("nodes")?).ok_or_else(|| est.malformed("`nodes` is not an array"))?;
    let vals =
        doc.array(get("values")?).ok_or_else(|| est.malformed("`values` is not an array"))?;
    let m = |e: String| est.malformed(format!("Tree nodes: {e}"));
    if nodes.len() != node_count {
        return Err(m(format!("{} node records for node_count {node_count}", nodes.len())));
    }
    let to_i32 = |v: Vec<i64>, what: &str| -> Result<Vec<i32>> {
        v.into_iter()
            .map(|x| i32::try_from(x).map_err(|_| m(format!("`{what}` value {x} is out of range"))))
            .collect()
    };
    let children_left = to_i32(nodes.field_i64("left_child").map_err(m)?, "left_child")?;
    let children_right = to_i32(nodes.field_i64("right_child").map_err(m)?, "right_child")?;
    let feature = to_i32(nodes.field_i64("feature").map_err(m)?, "feature")?;
    let threshold = nodes.field_f64("threshold").map_err(m)?;
    let missing_go_to_left = if nodes.has_field("missing_go_to_left") {
        nodes.field_i64("missing_go_to_left").map_err(m)?.into_iter().map(|x| x != 0).collect()
    } else {
        // Before sklearn 1.3 trees had no NaN routing; such models refuse NaN anyway.
        vec![false; node_count]
    };
    let n_node_samples = nodes
        .field_i64("n_node_samples")
        .map_err(m)?
        .into_iter()
        .map(|x| u64::try_from(x).map_err(|_| m("a negative sample count".into())))
        .collect::<Result<Vec<u64>>>()?;
    let stats = NodeStats {
        n_node_samples,
        weighted_n_node_samples: nodes.field_f64("weighted_n_node_samples").map_err(m)?,
        impurity: nodes.field_f64("impurity").map_err(m)?,
    };

    let stored = vals.to_f64().map_err(m)?;
    if vals.shape.len() != 3 || vals.shape[0] != node_count || vals.shape[1] != 1 {
        return Err(m(format!("`values` has shape {:?} for {node_count} nodes", vals.shape)));
    }
    let row = vals.shape[2];
    if width > row {
        return Err(m(format!("{width} values per node wanted, the tree stores {row}")));
    }
    let mut value = Vec::new();
    for node in stored.chunks_exact(row.max(1)).take(node_count) {
        let node = &node[..width];
        match values {
            Values::AsStored => value.extend_from_slice(node),
            Values::Normalise => {
                let mut sum = grove_forest::numpy_sum(node);
                if sum == 0.0 {
                    sum = 1.0;
                }
                value.extend(node.iter().map(|v| v / sum));
            }
        }
    }
    Ok(Tree {
        children_left,
        children_right,
        feature,
        threshold,
        missing_go_to_left,
        value,
        stats: Some(stats),
    })
}
