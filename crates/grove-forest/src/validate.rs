//! The checks that make prediction infallible: every index in range, every tree a tree.

use crate::{Aggregation, ForestError, ForestParts, Link, Task, Tree, LEAF};

pub(crate) fn validate(parts: &ForestParts) -> Result<(), ForestError> {
    let bad = |msg: String| Err(ForestError::InvalidModel(msg));
    let n_features = parts.schema.features.len();
    if n_features == 0 {
        return bad("the schema has no features".into());
    }
    if n_features > crate::compiled::MAX_FEATURES {
        return bad(format!("{n_features} features is more than grove supports"));
    }
    // A repeated name would make one input feed two columns (or a V2 input impossible to send).
    if let Some(dup) = first_repeat(parts.schema.features.iter()) {
        return bad(format!("the feature name `{dup}` appears twice"));
    }
    if let Some(ranges) = &parts.schema.feature_ranges {
        if ranges.len() != n_features {
            return bad(format!("{} feature ranges for {n_features} features", ranges.len()));
        }
    }
    if parts.trees.is_empty() {
        return bad("the model has no trees".into());
    }
    if let Task::Classifier { classes } = &parts.task {
        if classes.is_empty() {
            return bad("a classifier needs at least one class".into());
        }
        // Repeated labels would collapse keys of the probabilities map.
        if let Some(dup) = first_repeat(classes.iter().map(|l| l.to_string())) {
            return bad(format!("the class label `{dup}` appears twice"));
        }
    }
    match &parts.aggregation {
        Aggregation::Mean => {}
        Aggregation::Additive { init, learning_rate, link, tree_outputs } => {
            let outputs = match (link, &parts.task) {
                (Link::Identity, Task::Regressor) => 1,
                (Link::Sigmoid | Link::SigmoidProbaArgmax, Task::Classifier { classes })
                    if classes.len() == 2 =>
                {
                    1
                }
                (Link::Softmax, Task::Classifier { classes }) if classes.len() >= 2 => {
                    classes.len()
                }
                (link, task) => {
                    return bad(format!("link {link:?} does not fit the task {task:?}"));
                }
            };
            if init.len() != outputs {
                return bad(format!("{} initial scores for {outputs} raw outputs", init.len()));
            }
            if !learning_rate.is_finite() || init.iter().any(|v| !v.is_finite()) {
                return bad("the learning rate and initial scores must be finite".into());
            }
            if tree_outputs.len() != parts.trees.len() {
                return bad(format!(
                    "{} tree outputs for {} trees",
                    tree_outputs.len(),
                    parts.trees.len()
                ));
            }
            if let Some(o) = tree_outputs.iter().find(|&&o| o as usize >= outputs) {
                return bad(format!("a tree adds to raw output {o}, but there are {outputs}"));
            }
        }
    }
    let width = parts.value_width();
    // The compiled form indexes nodes and leaf outputs with u32.
    let nodes: usize = parts.trees.iter().map(Tree::node_count).sum();
    let values = nodes.checked_mul(width).filter(|&v| v <= u32::MAX as usize);
    if nodes > u32::MAX as usize || values.is_none() {
        return bad(format!("{nodes} nodes × {width} values is more than grove supports"));
    }
    for (t, tree) in parts.trees.iter().enumerate() {
        validate_tree(t, tree, n_features, width)?;
    }
    Ok(())
}

fn first_repeat<T: PartialEq + std::fmt::Display>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut seen: Vec<T> = Vec::new();
    for item in items {
        if seen.contains(&item) {
            return Some(item);
        }
        seen.push(item);
    }
    None
}

fn validate_tree(
    t: usize,
    tree: &Tree,
    n_features: usize,
    width: usize,
) -> Result<(), ForestError> {
    let n = tree.node_count();
    let err = |node: usize, problem: String| ForestError::InvalidNode { tree: t, node, problem };
    if n == 0 {
        return Err(err(0, "the tree has no nodes".into()));
    }
    if n > i32::MAX as usize {
        return Err(err(0, format!("{n} nodes is more than a tree may have")));
    }
    let lens = [
        ("children_right", tree.children_right.len()),
        ("feature", tree.feature.len()),
        ("threshold", tree.threshold.len()),
        ("missing_go_to_left", tree.missing_go_to_left.len()),
    ];
    for (name, len) in lens {
        if len != n {
            return Err(err(0, format!("`{name}` has {len} entries for {n} nodes")));
        }
    }
    if tree.value.len() != n * width {
        return Err(err(
            0,
            format!("`value` has {} entries, expected {n} nodes × {width}", tree.value.len()),
        ));
    }
    if let Some(s) = &tree.stats {
        let lens = [s.n_node_samples.len(), s.weighted_n_node_samples.len(), s.impurity.len()];
        if lens.iter().any(|&l| l != n) {
            return Err(err(0, format!("node statistics have lengths {lens:?} for {n} nodes")));
        }
    }
    // Every node but the root has exactly one parent, and a child always comes after its parent
    // (sklearn's builders number nodes that way): together these make each tree a tree, so a
    // descent always ends at a leaf within `n` steps.
    let mut parents = vec![0u8; n];
    for i in 0..n {
        let (l, r) = (tree.children_left[i], tree.children_right[i]);
        if l == LEAF || r == LEAF {
            if l != r {
                return Err(err(
                    i,
                    format!("one child is a leaf marker and the other is not ({l}, {r})"),
                ));
            }
            let v = &tree.value[i * width..(i + 1) * width];
            if let Some(x) = v.iter().find(|x| !x.is_finite()) {
                return Err(err(i, format!("leaf value {x} is not finite")));
            }
            continue;
        }
        for c in [l, r] {
            if c <= i as i32 || c as usize >= n {
                return Err(err(i, format!("child {c} is not a later node of this {n}-node tree")));
            }
            parents[c as usize] += 1;
            if parents[c as usize] > 1 {
                return Err(err(c as usize, "the node has more than one parent".into()));
            }
        }
        let f = tree.feature[i];
        if f < 0 || f as usize >= n_features {
            return Err(err(i, format!("feature index {f} is outside 0..{n_features}")));
        }
        if tree.threshold[i].is_nan() {
            return Err(err(i, "the threshold is NaN".into()));
        }
    }
    if let Some(orphan) = (1..n).find(|&i| parents[i] == 0) {
        return Err(err(orphan, "the node is not reachable from the root".into()));
    }
    Ok(())
}
