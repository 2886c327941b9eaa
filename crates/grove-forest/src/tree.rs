//! One decision tree as parallel arrays in scikit-learn's layout: the form producers yield and
//! the `.grove` file stores, before compilation.

/// One decision tree as parallel arrays, in scikit-learn's layout: node `i`'s fields sit at index
/// `i` of every array, node 0 is the root, and a leaf has both children set to [`LEAF`].
///
/// This is the form importers and the trainer produce and the `.grove` file stores. It is checked
/// and compiled into a faster private layout when a [`crate::Forest`] is built.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// Left child of each node (the `x <= threshold` side), or [`LEAF`].
    pub children_left: Vec<i32>,
    /// Right child of each node, or [`LEAF`].
    pub children_right: Vec<i32>,
    /// Feature tested at each split node; ignored at leaves.
    pub feature: Vec<i32>,
    /// Split threshold in float64, as sklearn stores it; ignored at leaves.
    pub threshold: Vec<f64>,
    /// Where a missing (NaN) value goes at each split node.
    pub missing_go_to_left: Vec<bool>,
    /// `node_count × value_width` values, row-major: a class distribution (classifier trees, as
    /// `predict_proba` of that tree returns it) or a single value (regression trees).
    pub value: Vec<f64>,
    /// Training statistics, when known: what feature importances and the tree viewer need.
    pub stats: Option<NodeStats>,
}

/// The per-node statistics sklearn keeps from training.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeStats {
    /// Distinct training rows that reached the node.
    pub n_node_samples: Vec<u64>,
    /// Weighted count of training rows that reached the node.
    pub weighted_n_node_samples: Vec<f64>,
    /// The node's impurity under the training criterion.
    pub impurity: Vec<f64>,
}

/// The child index that marks a leaf.
pub const LEAF: i32 = -1;

impl Tree {
    /// How many nodes the tree has.
    pub fn node_count(&self) -> usize {
        self.children_left.len()
    }

    /// Whether node `i` is a leaf.
    pub fn is_leaf(&self, i: usize) -> bool {
        self.children_left[i] == LEAF
    }

    /// How many leaves the tree has.
    pub fn n_leaves(&self) -> usize {
        self.children_left.iter().filter(|&&c| c == LEAF).count()
    }

    /// Depth of the deepest leaf (a lone root has depth 0), as sklearn's `get_depth()`.
    ///
    /// Relies on the validated invariant that children come after their parent.
    pub fn max_depth(&self) -> usize {
        self.depths().into_iter().max().unwrap_or(0)
    }

    /// The depth of every node.
    pub fn depths(&self) -> Vec<usize> {
        let mut depth = vec![0usize; self.node_count()];
        for i in 0..self.node_count() {
            if !self.is_leaf(i) {
                for child in [self.children_left[i], self.children_right[i]] {
                    depth[child as usize] = depth[i] + 1;
                }
            }
        }
        depth
    }

    /// The unnormalised mean-decrease-in-impurity per feature (sklearn's
    /// `compute_feature_importances(normalize=False)`), or `None` without statistics.
    pub fn impurity_decrease(&self, n_features: usize) -> Option<Vec<f64>> {
        let stats = self.stats.as_ref()?;
        let mut out = vec![0.0; n_features];
        let w = &stats.weighted_n_node_samples;
        let imp = &stats.impurity;
        for i in 0..self.node_count() {
            if self.is_leaf(i) {
                continue;
            }
            let (l, r) = (self.children_left[i] as usize, self.children_right[i] as usize);
            out[self.feature[i] as usize] += w[i] * imp[i] - w[l] * imp[l] - w[r] * imp[r];
        }
        let root = w.first().copied().unwrap_or(0.0);
        if root > 0.0 {
            for v in &mut out {
                *v /= root;
            }
        }
        Some(out)
    }
}
