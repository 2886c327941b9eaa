//! Evaluation over per-feature presorted sample lists, for targets whose sums are exact in any
//! order: class counts (integer bootstrap weights) and integer-valued regression targets.
//!
//! Every node keeps, for each feature, its samples sorted by that feature (the node's range of
//! each list); a split partitions the lists stably instead of sorting again. The sums are the
//! same integers sklearn accumulates in float64 in its own order, kept here as `i64` and
//! widened where sklearn divides, so impurities, proxies and values come out bit-identical.
//! Which features are drawn, the candidate positions, thresholds and tie rules are unchanged:
//! they depend only on the sorted values.

use std::marker::PhantomData;

use crate::criterion::ClassImpurity;
use crate::data::TrainData;
use crate::splitter::{Backend, Candidate, Split, FEATURE_THRESHOLD};

/// Integer sufficient statistics of a target.
pub(crate) trait IntTarget {
    type Stats: Clone;
    fn zero(&self) -> Self::Stats;
    fn clear(&self, stats: &mut Self::Stats);
    fn add(&self, stats: &mut Self::Stats, sample: u32);
    /// Moves `sample` from `right` to `left`.
    fn shift(&self, left: &mut Self::Stats, right: &mut Self::Stats, sample: u32);
    fn sub(total: &Self::Stats, left: &Self::Stats) -> Self::Stats;
    fn weight(stats: &Self::Stats) -> f64;
    /// sklearn's `proxy_impurity_improvement` of the split into `left` and `right`.
    fn proxy(&self, left: &Self::Stats, right: &Self::Stats) -> f64;
    fn impurity(&self, stats: &Self::Stats) -> f64;
    fn value(&self, stats: &Self::Stats, out: &mut [f64]);
}

/// Class counts; `I` is gini or entropy. Counts are integers, widened to float64 where sklearn
/// divides, and padded with zero classes to `K` so the loops unroll: an extra `0 * 0` added to
/// a sum of squares, or a skipped empty class in the entropy, leaves the result bit-identical.
pub(crate) struct Classes<I, const K: usize> {
    /// `(class, weight)` per sample id: one load for both in the hot loop.
    class_weight: Vec<(u32, u32)>,
    _impurity: PhantomData<I>,
}

impl<I, const K: usize> Classes<I, K> {
    /// `class` and `weight` are indexed by the backend's sample ids. `None` when a class index
    /// does not fit `K` or a weight is not a whole number that fits `u32`.
    pub(crate) fn new(class: &[u32], weight: &[f64]) -> Option<Self> {
        let total: f64 = weight.iter().sum();
        let fits = class.iter().all(|&c| (c as usize) < K)
            && weight.iter().all(|&w| w.fract() == 0.0 && w >= 0.0)
            && total < f64::from(u32::MAX);
        fits.then(|| Classes {
            class_weight: class.iter().zip(weight).map(|(&c, &w)| (c, w as u32)).collect(),
            _impurity: PhantomData,
        })
    }
}

#[derive(Clone)]
pub(crate) struct ClassStats<const K: usize> {
    // 64-bit counts: the proxy reads each one right after the scan wrote it, and a load as wide
    // as the store is forwarded from it instead of stalling.
    counts: [i64; K],
    w: i64,
    /// The sum of the squared counts, kept up to date for impurities that need only it (gini):
    /// an exact integer, so equal to sklearn's float64 sum of squares in any order.
    sq: i64,
}

impl<const K: usize> ClassStats<K> {
    /// Adds `w` to class `c`, keeping `sq` when `squares` (a constant where it is called).
    #[inline]
    fn move_in(&mut self, c: usize, w: i64, squares: bool) {
        if squares {
            self.sq += (2 * self.counts[c] + w) * w;
        }
        self.counts[c] += w;
        self.w += w;
    }

    fn squares(counts: &[i64; K]) -> i64 {
        counts.iter().map(|c| c * c).sum()
    }
}

impl<I: ClassImpurity, const K: usize> IntTarget for Classes<I, K> {
    type Stats = ClassStats<K>;

    fn zero(&self) -> ClassStats<K> {
        ClassStats { counts: [0; K], w: 0, sq: 0 }
    }

    fn clear(&self, stats: &mut ClassStats<K>) {
        *stats = self.zero();
    }

    #[inline]
    fn add(&self, stats: &mut ClassStats<K>, sample: u32) {
        let (c, w) = self.class_weight[sample as usize];
        stats.move_in(c as usize % K, i64::from(w), true);
    }

    #[inline]
    fn shift(&self, left: &mut ClassStats<K>, right: &mut ClassStats<K>, sample: u32) {
        let (c, w) = self.class_weight[sample as usize];
        let (c, w) = (c as usize % K, i64::from(w));
        left.move_in(c, w, I::FROM_SQUARES);
        right.move_in(c, -w, I::FROM_SQUARES);
    }

    fn sub(total: &ClassStats<K>, left: &ClassStats<K>) -> ClassStats<K> {
        let mut counts = total.counts;
        for (c, l) in counts.iter_mut().zip(&left.counts) {
            *c -= l;
        }
        ClassStats { counts, w: total.w - left.w, sq: ClassStats::squares(&counts) }
    }

    fn weight(stats: &ClassStats<K>) -> f64 {
        stats.w as f64
    }

    #[inline]
    fn proxy(&self, left: &ClassStats<K>, right: &ClassStats<K>) -> f64 {
        // Exact integers: the right side kept by subtraction equals sklearn's total - left.
        let (wl, wr) = (left.w as f64, right.w as f64);
        let (il, ir) = if I::FROM_SQUARES {
            (I::from_squares(left.sq as f64, wl), I::from_squares(right.sq as f64, wr))
        } else {
            (
                I::impurity(left.counts.iter().map(|&c| c as f64), wl),
                I::impurity(right.counts.iter().map(|&c| c as f64), wr),
            )
        };
        -wr * ir - wl * il
    }

    fn impurity(&self, stats: &ClassStats<K>) -> f64 {
        I::impurity(stats.counts.iter().map(|&c| c as f64), stats.w as f64)
    }

    fn value(&self, stats: &ClassStats<K>, out: &mut [f64]) {
        let w = stats.w as f64;
        for (o, &c) in out.iter_mut().zip(&stats.counts) {
            *o = c as f64 / w;
        }
    }
}

/// Integer-valued regression targets under squared error.
pub(crate) struct IntValues {
    weight: Vec<i64>,
    wy: Vec<i64>,
    wyy: Vec<i64>,
}

impl IntValues {
    /// `y` (integer-valued) and `weight` are indexed by the backend's sample ids. `None` when
    /// a sum could leave float64's exact integers, where order would matter again.
    pub(crate) fn new(y: &[f64], weight: Vec<i64>) -> Option<IntValues> {
        let mut total: i128 = 0;
        for (&v, &w) in y.iter().zip(&weight) {
            if v.fract() != 0.0 || v.abs() > f64::from(1u32 << 30) {
                return None;
            }
            let v = (v as i128).abs();
            total += i128::from(w) * (v * v + v);
        }
        if total >= 1 << 53 {
            return None;
        }
        let wy: Vec<i64> = y.iter().zip(&weight).map(|(&v, &w)| w * v as i64).collect();
        let wyy = y.iter().zip(&wy).map(|(&v, &wy)| wy * v as i64).collect();
        Some(IntValues { weight, wy, wyy })
    }
}

#[derive(Clone)]
pub(crate) struct ValueStats {
    w: i64,
    sum: i64,
    sq: i64,
}

impl IntTarget for IntValues {
    type Stats = ValueStats;

    fn zero(&self) -> ValueStats {
        ValueStats { w: 0, sum: 0, sq: 0 }
    }

    fn clear(&self, stats: &mut ValueStats) {
        *stats = self.zero();
    }

    #[inline]
    fn add(&self, stats: &mut ValueStats, sample: u32) {
        let s = sample as usize;
        stats.w += self.weight[s];
        stats.sum += self.wy[s];
        stats.sq += self.wyy[s];
    }

    #[inline]
    fn shift(&self, left: &mut ValueStats, right: &mut ValueStats, sample: u32) {
        let s = sample as usize;
        left.w += self.weight[s];
        left.sum += self.wy[s];
        right.w -= self.weight[s];
        right.sum -= self.wy[s];
    }

    fn sub(total: &ValueStats, left: &ValueStats) -> ValueStats {
        ValueStats { w: total.w - left.w, sum: total.sum - left.sum, sq: total.sq - left.sq }
    }

    fn weight(stats: &ValueStats) -> f64 {
        stats.w as f64
    }

    #[inline]
    fn proxy(&self, left: &ValueStats, right: &ValueStats) -> f64 {
        let (sl, sr) = (left.sum as f64, right.sum as f64);
        sl * sl / left.w as f64 + sr * sr / right.w as f64
    }

    fn impurity(&self, stats: &ValueStats) -> f64 {
        let w = stats.w as f64;
        let mean = stats.sum as f64 / w;
        stats.sq as f64 / w - mean * mean
    }

    fn value(&self, stats: &ValueStats, out: &mut [f64]) {
        out[0] = stats.sum as f64 / stats.w as f64;
    }
}

/// Each feature's rows (all of them) sorted by value: computed once, shared by every tree.
pub(crate) fn sorted_rows(data: &TrainData) -> Vec<Vec<u32>> {
    (0..data.n_features())
        .map(|f| {
            let column = data.column(f);
            let mut rows: Vec<u32> = (0..data.n_rows() as u32).collect();
            rows.sort_unstable_by(|&a, &b| column[a as usize].total_cmp(&column[b as usize]));
            rows
        })
        .collect()
}

/// One sample in a feature's sorted list: the value and the sample id travel together, so a
/// scan or a partition touches one array.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    value: f32,
    id: u32,
}

pub(crate) struct Presorted<T: IntTarget> {
    target: T,
    /// Per feature, the node-ordered `(value, sample id)` entries.
    lists: Vec<Vec<Entry>>,
    goes_left: Vec<bool>,
    scratch: Vec<Entry>,
    skip: Vec<bool>,
    weighted_n_samples: f64,
    n_samples: usize,
    start: usize,
    end: usize,
    total: T::Stats,
    left: T::Stats,
    right: T::Stats,
}

impl<T: IntTarget> Presorted<T> {
    /// `local` maps each row to its sample id (rows with zero weight map to `u32::MAX`);
    /// `target` is indexed by sample id.
    pub(crate) fn new(data: &TrainData, sorted: &[Vec<u32>], local: &[u32], target: T) -> Self {
        let n_samples = local.iter().filter(|&&l| l != u32::MAX).count();
        let mut lists = Vec::with_capacity(sorted.len());
        for (f, rows) in sorted.iter().enumerate() {
            let column = data.column(f);
            let mut list = vec![Entry::default(); n_samples + 1];
            // About a third of the rows are out of a bootstrap sample: a branch on it would be
            // mispredicted constantly, so every row is written and only kept ones advance.
            let mut k = 0;
            for &r in rows {
                let id = local[r as usize];
                list[k] = Entry { value: column[r as usize], id };
                k += usize::from(id != u32::MAX);
            }
            list.truncate(n_samples);
            lists.push(list);
        }
        let mut total = target.zero();
        for s in 0..n_samples as u32 {
            target.add(&mut total, s);
        }
        Presorted {
            weighted_n_samples: T::weight(&total),
            left: target.zero(),
            right: target.zero(),
            total,
            target,
            lists,
            goes_left: vec![false; n_samples],
            scratch: vec![Entry::default(); n_samples],
            skip: vec![false; sorted.len()],
            n_samples,
            start: 0,
            end: 0,
        }
    }
}

impl<T: IntTarget> Backend for Presorted<T> {
    type Node = T::Stats;

    fn root(&mut self) -> (T::Stats, usize) {
        (self.total.clone(), self.n_samples)
    }

    fn enter(&mut self, node: &T::Stats, start: usize, end: usize) {
        self.start = start;
        self.end = end;
        self.total.clone_from(node);
    }

    fn weighted_n_node(&self) -> f64 {
        T::weight(&self.total)
    }

    fn node_impurity(&self) -> f64 {
        self.target.impurity(&self.total)
    }

    fn node_value(&self, out: &mut [f64]) {
        self.target.value(&self.total, out);
    }

    fn is_constant(&mut self, feature: usize) -> bool {
        let list = &self.lists[feature];
        list[self.end - 1].value <= list[self.start].value + FEATURE_THRESHOLD
    }

    fn scan(&mut self, feature: usize, min_samples_leaf: usize, best: &mut Candidate) {
        let (start, end) = (self.start, self.end);
        let list = &self.lists[feature][start..end];
        let m = list.len();
        self.target.clear(&mut self.left);
        self.right.clone_from(&self.total);
        for (i, pair) in list.windows(2).enumerate() {
            self.target.shift(&mut self.left, &mut self.right, pair[0].id);
            let (low, high) = (pair[0].value, pair[1].value);
            // Equal neighbours (within FEATURE_THRESHOLD) are never separated.
            if high <= low + FEATURE_THRESHOLD {
                continue;
            }
            let n_left = i + 1;
            if n_left < min_samples_leaf {
                continue;
            }
            if m - n_left < min_samples_leaf {
                break;
            }
            let proxy = self.target.proxy(&self.left, &self.right);
            best.offer(proxy, feature, (start, start + n_left, end), (low, high));
        }
    }

    fn apply(
        &mut self,
        best: &Candidate,
        impurity: f64,
        constant: &[usize],
        may_split: &dyn Fn(usize, f64) -> bool,
    ) -> (Split, T::Stats, T::Stats) {
        let (start, end, pos) = (self.start, self.end, best.pos);
        let mut left = self.target.zero();
        for e in &self.lists[best.feature][start..pos] {
            self.goes_left[e.id as usize] = true;
            self.target.add(&mut left, e.id);
        }
        for e in &self.lists[best.feature][pos..end] {
            self.goes_left[e.id as usize] = false;
        }
        let right = T::sub(&self.total, &left);
        let impurity_left = self.target.impurity(&left);
        let impurity_right = self.target.impurity(&right);
        // Lists are only read again below a child that can still split.
        if may_split(pos - start, impurity_left) || may_split(end - pos, impurity_right) {
            self.partition(best.feature, constant);
        }
        let (w_node, wl, wr) = (T::weight(&self.total), T::weight(&left), T::weight(&right));
        let improvement = (w_node / self.weighted_n_samples)
            * (impurity - (wr / w_node * impurity_right) - (wl / w_node * impurity_left));
        let split = Split {
            feature: best.feature,
            pos,
            threshold: best.threshold,
            missing_go_to_left: best.missing_go_to_left,
            impurity_left,
            impurity_right,
            improvement,
        };
        (split, left, right)
    }
}

impl<T: IntTarget> Presorted<T> {
    /// Stably partitions the current node's range of every list but `chosen`'s (already in
    /// place) by `goes_left`. Constant features are never evaluated below this node, so their
    /// lists may go stale.
    fn partition(&mut self, chosen: usize, constant: &[usize]) {
        let (start, end) = (self.start, self.end);
        self.skip.fill(false);
        for &f in constant {
            self.skip[f] = true;
        }
        self.skip[chosen] = true;
        for f in 0..self.lists.len() {
            if self.skip[f] {
                continue;
            }
            let list = &mut self.lists[f][start..end];
            let (mut l, mut r) = (0, 0);
            for p in 0..list.len() {
                let e = list[p];
                let left = self.goes_left[e.id as usize];
                // Written to both sides, kept on one: no unpredictable branch.
                list[l] = e;
                self.scratch[r] = e;
                l += usize::from(left);
                r += usize::from(!left);
            }
            list[l..].copy_from_slice(&self.scratch[..r]);
        }
    }
}
