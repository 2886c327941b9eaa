//! Impurity criteria (`tree/_criterion.pyx`): running sums over `samples[start..pos]` (left)
//! and `samples[pos..end]` (right) of one node, and the formulas sklearn evaluates on them.
//!
//! Every expression keeps sklearn's operation order: the trees compare these floats with `>`,
//! so a different rounding can pick a different split.

/// What the splitter needs from a criterion.
pub(crate) trait Criterion {
    /// Sums over the node `samples[start..end]`, with the split position at `start`.
    fn init(&mut self, samples: &[u32], start: usize, end: usize);
    /// Moves the split position back to `start`.
    fn reset(&mut self);
    /// Moves `samples[pos..new_pos]` to the left child.
    fn update(&mut self, samples: &[u32], new_pos: usize);
    /// The node's own impurity.
    fn node_impurity(&self) -> f64;
    /// `(left, right)` impurities at the current position.
    fn children_impurity(&self, samples: &[u32]) -> (f64, f64);
    /// A quantity that orders splits as their impurity decrease does.
    fn proxy_impurity_improvement(&self, samples: &[u32]) -> f64;
    /// The node's value as sklearn stores it in `tree_.value`.
    fn node_value(&self, out: &mut [f64]);
    /// Sums `(weighted_n_node, weighted_n_left, weighted_n_right)`.
    fn weights(&self) -> (f64, f64, f64);

    /// The weighted impurity decrease sklearn reports (`Criterion.impurity_improvement`).
    fn impurity_improvement(
        &self,
        weighted_n_samples: f64,
        parent: f64,
        left: f64,
        right: f64,
    ) -> f64 {
        let (node, wl, wr) = self.weights();
        (node / weighted_n_samples) * (parent - (wr / node * right) - (wl / node * left))
    }
}

/// Gini or entropy over class counts (given in class order).
pub(crate) trait ClassImpurity {
    /// Whether the impurity is a function of the sum of squared counts, which a scan can keep
    /// up to date per sample instead of summing the classes at every candidate.
    const FROM_SQUARES: bool;
    fn impurity(counts: impl Iterator<Item = f64>, weight: f64) -> f64;
    /// The impurity from the sum of squared counts (only when [`Self::FROM_SQUARES`]).
    fn from_squares(squares: f64, weight: f64) -> f64;
}

pub(crate) struct Gini;
pub(crate) struct Entropy;

impl ClassImpurity for Gini {
    const FROM_SQUARES: bool = true;

    #[inline]
    fn impurity(counts: impl Iterator<Item = f64>, weight: f64) -> f64 {
        let mut sq = 0.0;
        for c in counts {
            sq += c * c;
        }
        Self::from_squares(sq, weight)
    }

    #[inline]
    fn from_squares(squares: f64, weight: f64) -> f64 {
        1.0 - squares / (weight * weight)
    }
}

impl ClassImpurity for Entropy {
    const FROM_SQUARES: bool = false;

    fn from_squares(_: f64, _: f64) -> f64 {
        unreachable!("entropy is not a function of the squared counts")
    }

    #[inline]
    fn impurity(counts: impl Iterator<Item = f64>, weight: f64) -> f64 {
        let mut entropy = 0.0;
        for c in counts {
            if c > 0.0 {
                let p = c / weight;
                // sklearn's `log` is base 2, computed as ln(x) / ln(2) (`tree/_utils.pyx`).
                entropy -= p * (p.ln() / std::f64::consts::LN_2);
            }
        }
        entropy
    }
}

/// Weighted class counts for classification.
pub(crate) struct ClassCriterion<'a, I> {
    y: &'a [u32],
    weights: &'a [f64],
    start: usize,
    end: usize,
    pos: usize,
    total: Vec<f64>,
    left: Vec<f64>,
    right: Vec<f64>,
    w_node: f64,
    w_left: f64,
    w_right: f64,
    _impurity: std::marker::PhantomData<I>,
}

impl<'a, I: ClassImpurity> ClassCriterion<'a, I> {
    pub(crate) fn new(y: &'a [u32], weights: &'a [f64], n_classes: usize) -> Self {
        ClassCriterion {
            y,
            weights,
            start: 0,
            end: 0,
            pos: 0,
            total: vec![0.0; n_classes],
            left: vec![0.0; n_classes],
            right: vec![0.0; n_classes],
            w_node: 0.0,
            w_left: 0.0,
            w_right: 0.0,
            _impurity: std::marker::PhantomData,
        }
    }
}

impl<I: ClassImpurity> Criterion for ClassCriterion<'_, I> {
    fn init(&mut self, samples: &[u32], start: usize, end: usize) {
        self.start = start;
        self.end = end;
        self.total.fill(0.0);
        self.w_node = 0.0;
        for &s in &samples[start..end] {
            let w = self.weights[s as usize];
            self.total[self.y[s as usize] as usize] += w;
            self.w_node += w;
        }
        self.reset();
    }

    fn reset(&mut self) {
        self.pos = self.start;
        self.left.fill(0.0);
        self.right.copy_from_slice(&self.total);
        self.w_left = 0.0;
        self.w_right = self.w_node;
    }

    fn update(&mut self, samples: &[u32], new_pos: usize) {
        // sklearn walks whichever side is shorter. Integer weights make both directions
        // exact, but keeping sklearn's choice keeps the cost profile the same too.
        if new_pos - self.pos <= self.end - new_pos {
            for &s in &samples[self.pos..new_pos] {
                let w = self.weights[s as usize];
                self.left[self.y[s as usize] as usize] += w;
                self.w_left += w;
            }
        } else {
            self.w_left = self.w_node;
            self.left.copy_from_slice(&self.total);
            for &s in samples[new_pos..self.end].iter().rev() {
                let w = self.weights[s as usize];
                self.left[self.y[s as usize] as usize] -= w;
                self.w_left -= w;
            }
        }
        self.w_right = self.w_node - self.w_left;
        for ((r, t), l) in self.right.iter_mut().zip(&self.total).zip(&self.left) {
            *r = t - l;
        }
        self.pos = new_pos;
    }

    fn node_impurity(&self) -> f64 {
        I::impurity(self.total.iter().copied(), self.w_node)
    }

    fn children_impurity(&self, _samples: &[u32]) -> (f64, f64) {
        (
            I::impurity(self.left.iter().copied(), self.w_left),
            I::impurity(self.right.iter().copied(), self.w_right),
        )
    }

    fn proxy_impurity_improvement(&self, samples: &[u32]) -> f64 {
        let (l, r) = self.children_impurity(samples);
        -self.w_right * r - self.w_left * l
    }

    fn node_value(&self, out: &mut [f64]) {
        for (o, t) in out.iter_mut().zip(&self.total) {
            *o = t / self.w_node;
        }
    }

    fn weights(&self) -> (f64, f64, f64) {
        (self.w_node, self.w_left, self.w_right)
    }
}

/// Squared error for regression.
pub(crate) struct Mse<'a> {
    y: &'a [f64],
    weights: &'a [f64],
    start: usize,
    end: usize,
    pos: usize,
    sq_total: f64,
    total: f64,
    left: f64,
    right: f64,
    w_node: f64,
    w_left: f64,
    w_right: f64,
}

impl<'a> Mse<'a> {
    pub(crate) fn new(y: &'a [f64], weights: &'a [f64]) -> Self {
        Mse {
            y,
            weights,
            start: 0,
            end: 0,
            pos: 0,
            sq_total: 0.0,
            total: 0.0,
            left: 0.0,
            right: 0.0,
            w_node: 0.0,
            w_left: 0.0,
            w_right: 0.0,
        }
    }
}

impl Criterion for Mse<'_> {
    fn init(&mut self, samples: &[u32], start: usize, end: usize) {
        self.start = start;
        self.end = end;
        self.sq_total = 0.0;
        self.total = 0.0;
        self.w_node = 0.0;
        for &s in &samples[start..end] {
            let w = self.weights[s as usize];
            let y = self.y[s as usize];
            let wy = w * y;
            self.total += wy;
            self.sq_total += wy * y;
            self.w_node += w;
        }
        self.reset();
    }

    fn reset(&mut self) {
        self.pos = self.start;
        self.left = 0.0;
        self.right = self.total;
        self.w_left = 0.0;
        self.w_right = self.w_node;
    }

    fn update(&mut self, samples: &[u32], new_pos: usize) {
        // The direction matters for non-integer targets: sklearn adds forward from `pos` or
        // subtracts backward from `end`, whichever is shorter.
        if new_pos - self.pos <= self.end - new_pos {
            for &s in &samples[self.pos..new_pos] {
                let w = self.weights[s as usize];
                self.left += w * self.y[s as usize];
                self.w_left += w;
            }
        } else {
            self.left = self.total;
            self.w_left = self.w_node;
            for &s in samples[new_pos..self.end].iter().rev() {
                let w = self.weights[s as usize];
                self.left -= w * self.y[s as usize];
                self.w_left -= w;
            }
        }
        self.w_right = self.w_node - self.w_left;
        self.right = self.total - self.left;
        self.pos = new_pos;
    }

    fn node_impurity(&self) -> f64 {
        let mean = self.total / self.w_node;
        self.sq_total / self.w_node - mean * mean
    }

    fn children_impurity(&self, samples: &[u32]) -> (f64, f64) {
        let mut sq_left = 0.0;
        for &s in &samples[self.start..self.pos] {
            let w = self.weights[s as usize];
            let y = self.y[s as usize];
            sq_left += w * y * y;
        }
        let sq_right = self.sq_total - sq_left;
        let mean_left = self.left / self.w_left;
        let mean_right = self.right / self.w_right;
        (
            sq_left / self.w_left - mean_left * mean_left,
            sq_right / self.w_right - mean_right * mean_right,
        )
    }

    fn proxy_impurity_improvement(&self, _samples: &[u32]) -> f64 {
        self.left * self.left / self.w_left + self.right * self.right / self.w_right
    }

    fn node_value(&self, out: &mut [f64]) {
        out[0] = self.total / self.w_node;
    }

    fn weights(&self) -> (f64, f64, f64) {
        (self.w_node, self.w_left, self.w_right)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_and_entropy_on_tiny_counts() {
        // Classes [0, 0, 1, 2] with unit weights: gini = 1 - (4 + 1 + 1) / 16.
        let y = [0u32, 0, 1, 2];
        let w = [1.0; 4];
        let samples = [0u32, 1, 2, 3];
        let mut gini = ClassCriterion::<Gini>::new(&y, &w, 3);
        gini.init(&samples, 0, 4);
        assert_eq!(gini.node_impurity(), 1.0 - 6.0 / 16.0);
        let mut entropy = ClassCriterion::<Entropy>::new(&y, &w, 3);
        entropy.init(&samples, 0, 4);
        // In bits: -(1/2 log2 1/2 + 2 · 1/4 log2 1/4) = 1.5.
        assert_eq!(entropy.node_impurity(), 1.5);

        // Split after the two zeros: left is pure, right is half and half.
        gini.update(&samples, 2);
        assert_eq!(gini.children_impurity(&samples), (0.0, 0.5));
        assert_eq!(gini.proxy_impurity_improvement(&samples), -2.0 * 0.5);
        let mut value = [0.0; 3];
        gini.node_value(&mut value);
        assert_eq!(value, [0.5, 0.25, 0.25]);
        // Improvement as sklearn reports it: (4/4) * (0.625 - 2/4 * 0.5 - 2/4 * 0).
        assert_eq!(gini.impurity_improvement(4.0, 0.625, 0.0, 0.5), 0.375);
    }

    #[test]
    fn squared_error_on_tiny_values() {
        let y = [1.0, 2.0, 4.0, 7.0];
        let w = [1.0, 2.0, 1.0, 1.0];
        let samples = [0u32, 1, 2, 3];
        let mut mse = Mse::new(&y, &w);
        mse.init(&samples, 0, 4);
        // Weighted mean 16/5; mean of squares (1 + 8 + 16 + 49) / 5.
        let mut value = [0.0];
        mse.node_value(&mut value);
        assert_eq!(value[0], 16.0 / 5.0);
        assert_eq!(mse.node_impurity(), 74.0 / 5.0 - (16.0 / 5.0) * (16.0 / 5.0));
        // Walk forward and backward to the same position: both directions agree here.
        mse.update(&samples, 1);
        mse.update(&samples, 3);
        assert_eq!(mse.weights(), (5.0, 4.0, 1.0));
        let (l, r) = mse.children_impurity(&samples);
        assert_eq!(r, 0.0);
        assert_eq!(l, 25.0 / 4.0 - (9.0 / 4.0) * (9.0 / 4.0));
        assert_eq!(mse.proxy_impurity_improvement(&samples), 81.0 / 4.0 + 49.0);
    }
}
