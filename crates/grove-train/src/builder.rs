//! The depth-first builder (`tree/_tree.pyx::DepthFirstTreeBuilder`): a LIFO stack with the
//! right child pushed before the left, so node ids come out in pre-order, as sklearn's do.

use grove_forest::{NodeStats, Tree, LEAF};

use crate::splitter::{Backend, FeatureDraw};

/// sklearn's `EPSILON` in the builder: a node this pure is not split.
const EPSILON: f64 = f64::EPSILON;

/// sklearn's marker for "no feature / no threshold" at leaves.
const UNDEFINED: i32 = -2;

pub(crate) struct Limits {
    pub(crate) max_features: usize,
    pub(crate) max_depth: usize,
    pub(crate) min_samples_split: usize,
    pub(crate) min_samples_leaf: usize,
}

struct Pending<N> {
    node: N,
    start: usize,
    end: usize,
    depth: usize,
    parent: Option<(usize, bool)>,
    impurity: f64,
    n_constant: usize,
}

/// Grows one tree; `value_width` is the class count (1 for regression).
pub(crate) fn build<B: Backend>(
    backend: &mut B,
    draw: &mut FeatureDraw,
    limits: &Limits,
    value_width: usize,
) -> Tree {
    let mut tree = Tree {
        children_left: Vec::new(),
        children_right: Vec::new(),
        feature: Vec::new(),
        threshold: Vec::new(),
        missing_go_to_left: Vec::new(),
        value: Vec::new(),
        stats: None,
    };
    let mut stats = NodeStats {
        n_node_samples: Vec::new(),
        weighted_n_node_samples: Vec::new(),
        impurity: Vec::new(),
    };
    let (root, n_samples) = backend.root();
    let mut stack = vec![Pending {
        node: root,
        start: 0,
        end: n_samples,
        depth: 0,
        parent: None,
        impurity: f64::INFINITY,
        n_constant: 0,
    }];
    let mut first = true;
    while let Some(mut node) = stack.pop() {
        let (start, end) = (node.start, node.end);
        let n_node_samples = end - start;
        backend.enter(&node.node, start, end);
        let weighted_n_node_samples = backend.weighted_n_node();
        // The root's impurity is computed; every other node inherits the value its parent's
        // split computed for it.
        if first {
            node.impurity = backend.node_impurity();
            first = false;
        }
        let mut is_leaf = node.depth >= limits.max_depth
            || n_node_samples < limits.min_samples_split
            || n_node_samples < 2 * limits.min_samples_leaf
            || node.impurity <= EPSILON;
        let mut split = None;
        if !is_leaf {
            // The same leaf rules, for a child at the next depth.
            let child_depth = node.depth + 1;
            let may_split = |n: usize, impurity: f64| {
                !(child_depth >= limits.max_depth
                    || n < limits.min_samples_split
                    || n < 2 * limits.min_samples_leaf
                    || impurity <= EPSILON)
            };
            split = draw.split(backend, node.impurity, &mut node.n_constant, &may_split);
            // min_impurity_decrease is 0: `improvement + EPSILON < 0` never holds for the
            // non-negative decreases a best split has, but sklearn tests it, so do we.
            is_leaf = match &split {
                None => true,
                Some((s, _, _)) => s.pos >= end || s.improvement + EPSILON < 0.0,
            };
        }

        let id = tree.children_left.len();
        if let Some((parent, is_left)) = node.parent {
            if is_left {
                tree.children_left[parent] = id as i32;
            } else {
                tree.children_right[parent] = id as i32;
            }
        }
        stats.n_node_samples.push(n_node_samples as u64);
        stats.weighted_n_node_samples.push(weighted_n_node_samples);
        stats.impurity.push(node.impurity);
        let at = tree.value.len();
        tree.value.resize(at + value_width, 0.0);
        backend.node_value(&mut tree.value[at..]);
        tree.children_left.push(LEAF);
        tree.children_right.push(LEAF);

        match split.filter(|_| !is_leaf) {
            None => {
                tree.feature.push(UNDEFINED);
                tree.threshold.push(f64::from(UNDEFINED));
                tree.missing_go_to_left.push(false);
            }
            Some((s, left, right)) => {
                tree.feature.push(s.feature as i32);
                tree.threshold.push(s.threshold);
                tree.missing_go_to_left.push(s.missing_go_to_left);
                stack.push(Pending {
                    node: right,
                    start: s.pos,
                    end,
                    depth: node.depth + 1,
                    parent: Some((id, false)),
                    impurity: s.impurity_right,
                    n_constant: node.n_constant,
                });
                stack.push(Pending {
                    node: left,
                    start,
                    end: s.pos,
                    depth: node.depth + 1,
                    parent: Some((id, true)),
                    impurity: s.impurity_left,
                    n_constant: node.n_constant,
                });
            }
        }
    }
    tree.stats = Some(stats);
    tree
}
