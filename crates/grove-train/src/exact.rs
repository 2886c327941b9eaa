//! Evaluation in sklearn's own sample order: each visited feature's values are gathered and
//! sorted with sklearn's introsort, and the chosen split partitions samples as
//! `partition_samples_final` does. Needed when sums depend on order (non-integer regression
//! targets); [`crate::presorted`] is faster when they do not.

use crate::criterion::Criterion;
use crate::data::TrainData;
use crate::sort::simultaneous_sort;
use crate::splitter::{Backend, Candidate, Split, FEATURE_THRESHOLD};

pub(crate) struct Exact<'a, C> {
    data: &'a TrainData,
    criterion: C,
    /// Rows with non-zero weight; each node owns a contiguous range.
    samples: Vec<u32>,
    feature_values: Vec<f32>,
    weighted_n_samples: f64,
    start: usize,
    end: usize,
}

impl<'a, C: Criterion> Exact<'a, C> {
    pub(crate) fn new(data: &'a TrainData, criterion: C, weights: &[f64]) -> Self {
        let samples: Vec<u32> =
            (0..data.n_rows() as u32).filter(|&i| weights[i as usize] != 0.0).collect();
        Exact {
            data,
            criterion,
            feature_values: vec![0.0; samples.len()],
            samples,
            weighted_n_samples: weights.iter().sum(),
            start: 0,
            end: 0,
        }
    }

    /// sklearn's `partition_samples_final`: a two-ended swap, which fixes the sample order the
    /// children start from.
    fn partition(&mut self, feature: usize, threshold: f64) {
        let column = self.data.column(feature);
        let (mut lo, mut hi) = (self.start, self.end);
        while lo < hi {
            if f64::from(column[self.samples[lo] as usize]) <= threshold {
                lo += 1;
            } else {
                hi -= 1;
                self.samples.swap(lo, hi);
            }
        }
    }
}

impl<C: Criterion> Backend for Exact<'_, C> {
    type Node = ();

    fn root(&mut self) -> ((), usize) {
        ((), self.samples.len())
    }

    fn enter(&mut self, _node: &(), start: usize, end: usize) {
        self.start = start;
        self.end = end;
        self.criterion.init(&self.samples, start, end);
    }

    fn weighted_n_node(&self) -> f64 {
        self.criterion.weights().0
    }

    fn node_impurity(&self) -> f64 {
        self.criterion.node_impurity()
    }

    fn node_value(&self, out: &mut [f64]) {
        self.criterion.node_value(out);
    }

    fn is_constant(&mut self, feature: usize) -> bool {
        let column = self.data.column(feature);
        let values = &mut self.feature_values[self.start..self.end];
        let samples = &mut self.samples[self.start..self.end];
        for (v, &s) in values.iter_mut().zip(samples.iter()) {
            *v = column[s as usize];
        }
        simultaneous_sort(values, samples);
        values[values.len() - 1] <= values[0] + FEATURE_THRESHOLD
    }

    fn scan(&mut self, feature: usize, min_samples_leaf: usize, best: &mut Candidate) {
        let (start, end) = (self.start, self.end);
        self.criterion.reset();
        let values = &self.feature_values;
        let mut p = start;
        loop {
            p += 1;
            while p < end && values[p] <= values[p - 1] + FEATURE_THRESHOLD {
                p += 1;
            }
            if p >= end {
                break;
            }
            if p - start < min_samples_leaf || end - p < min_samples_leaf {
                continue;
            }
            self.criterion.update(&self.samples, p);
            let proxy = self.criterion.proxy_impurity_improvement(&self.samples);
            best.offer(proxy, feature, (start, p, end), (values[p - 1], values[p]));
        }
    }

    fn apply(
        &mut self,
        best: &Candidate,
        impurity: f64,
        _constant: &[usize],
        _may_split: &dyn Fn(usize, f64) -> bool,
    ) -> (Split, (), ()) {
        self.partition(best.feature, best.threshold);
        self.criterion.reset();
        self.criterion.update(&self.samples, best.pos);
        let (impurity_left, impurity_right) = self.criterion.children_impurity(&self.samples);
        let improvement = self.criterion.impurity_improvement(
            self.weighted_n_samples,
            impurity,
            impurity_left,
            impurity_right,
        );
        let split = Split {
            feature: best.feature,
            pos: best.pos,
            threshold: best.threshold,
            missing_go_to_left: best.missing_go_to_left,
            impurity_left,
            impurity_right,
            improvement,
        };
        (split, (), ())
    }
}
