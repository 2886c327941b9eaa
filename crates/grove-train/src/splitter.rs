//! The best splitter's feature draw (`tree/_splitter.pyx::node_split_best`), shared by both
//! ways of evaluating a feature ([`crate::exact`] and [`crate::presorted`]).
//!
//! State that sklearn keeps across the nodes of a tree is kept here too: the `features`
//! permutation and the `constant_features` record. Nodes are visited depth first, and each draw
//! depends on what the previous nodes left behind.

use crate::rand_r::RandR;

/// sklearn's `FEATURE_THRESHOLD`: float32 values closer than this count as equal.
pub(crate) const FEATURE_THRESHOLD: f32 = 1e-7;

/// The best split position found so far in a node.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub(crate) proxy: f64,
    pub(crate) feature: usize,
    /// Samples `[start, pos)` go left.
    pub(crate) pos: usize,
    pub(crate) threshold: f64,
    pub(crate) missing_go_to_left: bool,
}

impl Candidate {
    fn none() -> Candidate {
        Candidate {
            proxy: f64::NEG_INFINITY,
            feature: 0,
            pos: usize::MAX,
            threshold: 0.0,
            missing_go_to_left: false,
        }
    }

    /// Records position `pos` if its proxy beats the best so far (strictly: on ties the earlier
    /// position, and the earlier-visited feature, win).
    #[inline]
    pub(crate) fn offer(
        &mut self,
        proxy: f64,
        feature: usize,
        (start, pos, end): (usize, usize, usize),
        (low, high): (f32, f32),
    ) {
        if proxy > self.proxy {
            self.proxy = proxy;
            self.feature = feature;
            self.pos = pos;
            // The midpoint in float64 of the two float32 neighbours, halved first as sklearn
            // does so that it cannot overflow.
            self.threshold = f64::from(low) / 2.0 + f64::from(high) / 2.0;
            // Without missing values in training, NaN follows the child with more distinct
            // rows at prediction time.
            self.missing_go_to_left = pos - start > end - pos;
        }
    }
}

/// A chosen split, with what the builder stores.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split {
    pub(crate) feature: usize,
    pub(crate) pos: usize,
    pub(crate) threshold: f64,
    pub(crate) missing_go_to_left: bool,
    pub(crate) impurity_left: f64,
    pub(crate) impurity_right: f64,
    pub(crate) improvement: f64,
}

/// How a tree's samples are held, evaluated and partitioned.
pub(crate) trait Backend {
    /// What a node carries from its parent (its sums, when the backend keeps them).
    type Node;
    /// The root node and its number of distinct samples.
    fn root(&mut self) -> (Self::Node, usize);
    /// Makes `node` (`samples[start..end]`) the current one.
    fn enter(&mut self, node: &Self::Node, start: usize, end: usize);
    /// The current node's weighted sample count.
    fn weighted_n_node(&self) -> f64;
    /// The current node's impurity (sklearn computes it only for the root).
    fn node_impurity(&self) -> f64;
    /// The current node's value, as `tree_.value` holds it.
    fn node_value(&self, out: &mut [f64]);
    /// Whether `feature` is constant over the current node (within [`FEATURE_THRESHOLD`]).
    fn is_constant(&mut self, feature: usize) -> bool;
    /// Offers every allowed split position of `feature` to `best`.
    fn scan(&mut self, feature: usize, min_samples_leaf: usize, best: &mut Candidate);
    /// Partitions the current node by `best` and computes the children's impurities.
    /// `constant` lists features constant here, which no descendant evaluates again;
    /// `may_split(n, impurity)` says whether a child could be split at all.
    fn apply(
        &mut self,
        best: &Candidate,
        impurity: f64,
        constant: &[usize],
        may_split: &dyn Fn(usize, f64) -> bool,
    ) -> (Split, Self::Node, Self::Node);
}

/// The persistent feature permutation and the splitter's generator.
pub(crate) struct FeatureDraw {
    features: Vec<usize>,
    constant_features: Vec<usize>,
    rand: RandR,
    max_features: usize,
    min_samples_leaf: usize,
}

impl FeatureDraw {
    pub(crate) fn new(
        n_features: usize,
        rand_seed: u32,
        max_features: usize,
        min_samples_leaf: usize,
    ) -> Self {
        FeatureDraw {
            features: (0..n_features).collect(),
            constant_features: vec![0; n_features],
            rand: RandR::new(rand_seed),
            max_features,
            min_samples_leaf,
        }
    }

    /// Finds the best split of the current node, or `None` when no position is allowed.
    /// `n_constant` carries the number of known-constant features in and out.
    pub(crate) fn split<B: Backend>(
        &mut self,
        backend: &mut B,
        impurity: f64,
        n_constant: &mut usize,
        may_split: &dyn Fn(usize, f64) -> bool,
    ) -> Option<(Split, B::Node, B::Node)> {
        let n_features = self.features.len();
        let n_known_constants = *n_constant;
        let mut n_total_constants = n_known_constants;
        let mut n_found_constants = 0;
        let mut n_drawn_constants = 0;
        let mut n_visited = 0;
        let mut f_i = n_features;
        let mut best = Candidate::none();

        // A partial Fisher–Yates over `features`: [..n_drawn) drawn known constants,
        // [n_drawn..n_known) undrawn known constants, [n_known..n_total) constants found at
        // this node, [n_total..f_i) undrawn, [f_i..) drawn and evaluated.
        while f_i > n_total_constants
            && (n_visited < self.max_features || n_visited <= n_found_constants + n_drawn_constants)
        {
            n_visited += 1;
            let mut f_j = self.rand.rand_int(n_drawn_constants, f_i - n_found_constants);
            if f_j < n_known_constants {
                self.features.swap(n_drawn_constants, f_j);
                n_drawn_constants += 1;
                continue;
            }
            f_j += n_found_constants;
            let feature = self.features[f_j];
            if backend.is_constant(feature) {
                self.features.swap(f_j, n_total_constants);
                n_found_constants += 1;
                n_total_constants += 1;
                continue;
            }
            f_i -= 1;
            self.features.swap(f_i, f_j);
            backend.scan(feature, self.min_samples_leaf, &mut best);
        }

        // The known constants keep their original order for the children and siblings; the
        // newly found ones are appended to the record.
        self.features[..n_known_constants]
            .copy_from_slice(&self.constant_features[..n_known_constants]);
        self.constant_features[n_known_constants..n_total_constants]
            .copy_from_slice(&self.features[n_known_constants..n_total_constants]);
        *n_constant = n_total_constants;

        let constant = &self.constant_features[..n_total_constants];
        (best.pos != usize::MAX).then(|| backend.apply(&best, impurity, constant, may_split))
    }
}
