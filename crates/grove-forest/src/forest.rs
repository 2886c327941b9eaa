//! [`Forest`]: the one validated model type every producer yields and every consumer predicts
//! through, with its compiled trees.

use crate::compiled::Compiled;
use crate::validate::validate;
use crate::{
    Aggregation, ForestError, ForestParts, Labels, Link, MissingValues, Provenance, Schema, Task,
};

/// A validated tree ensemble, ready to predict.
///
/// Built by [`Forest::new`], which checks every index once; afterwards prediction on rows of
/// the right width cannot fail. Inputs are float32, as sklearn casts them; a split sends a row
/// left when `x <= threshold`, and NaN the way the split's `missing_go_to_left` says.
#[derive(Debug, Clone)]
pub struct Forest {
    parts: ForestParts,
    compiled: Compiled,
}

/// The answers for a batch of rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Predictions {
    /// Class indices into [`Forest::classes`].
    Classes(Vec<u32>),
    /// Regression values.
    Values(Vec<f64>),
}

impl Forest {
    /// Checks `parts` and prepares them for inference.
    pub fn new(parts: ForestParts) -> Result<Forest, ForestError> {
        validate(&parts)?;
        let compiled = Compiled::new(&parts);
        Ok(Forest { parts, compiled })
    }

    /// The plain data the model was built from.
    pub fn parts(&self) -> &ForestParts {
        &self.parts
    }

    /// Gives the plain data back.
    pub fn into_parts(self) -> ForestParts {
        self.parts
    }

    /// The model's served name.
    pub fn name(&self) -> &str {
        &self.parts.name
    }

    /// Feature names, target name, ranges.
    pub fn schema(&self) -> &Schema {
        &self.parts.schema
    }

    /// Where the model came from.
    pub fn provenance(&self) -> &Provenance {
        &self.parts.provenance
    }

    /// The number of input columns.
    pub fn n_features(&self) -> usize {
        self.parts.schema.features.len()
    }

    /// The class labels, or `None` for a regressor.
    pub fn classes(&self) -> Option<&Labels> {
        match &self.parts.task {
            Task::Classifier { classes } => Some(classes),
            Task::Regressor => None,
        }
    }

    /// How the trees' outputs combine, in words, for people (`grove inspect`, the model card).
    pub fn describe_combination(&self) -> String {
        match (&self.parts.aggregation, &self.parts.task) {
            (Aggregation::Mean, Task::Classifier { .. }) => {
                "mean of the trees' class probabilities".into()
            }
            (Aggregation::Mean, Task::Regressor) => "mean of the trees' values".into(),
            (Aggregation::Additive { learning_rate, link, init, .. }, _) => {
                let link = match link {
                    Link::Identity => "",
                    Link::Sigmoid => ", then a sigmoid",
                    Link::SigmoidProbaArgmax => {
                        ", then a sigmoid (class by argmax of the probabilities, as sklearn < 1.4)"
                    }
                    Link::Softmax => ", then a softmax",
                };
                format!("boosting: initial score {init:?} + {learning_rate} × the sum of the trees{link}")
            }
        }
    }

    /// How NaN inputs are treated.
    pub fn missing_values(&self) -> MissingValues {
        self.parts.missing
    }

    /// Checks that `rows` is whole rows of this model's width, and that any NaN is allowed.
    /// Returns the number of rows.
    pub fn check_rows(&self, rows: &[f32]) -> Result<usize, ForestError> {
        let width = self.n_features();
        if !rows.len().is_multiple_of(width) {
            return Err(ForestError::RowWidth { expected: width, got: rows.len() });
        }
        if self.parts.missing == MissingValues::Refuse {
            if let Some(at) = crate::compiled::has_nan(rows)
                .then(|| rows.iter().position(|x| x.is_nan()))
                .flatten()
            {
                return Err(ForestError::BadValue {
                    row: at / width,
                    feature: self.parts.schema.features[at % width].clone(),
                    problem: "NaN, which this model does not accept (it was trained without \
                              missing-value support)"
                        .into(),
                });
            }
        }
        Ok(rows.len() / width)
    }

    /// Predicts every row of `rows` (row-major, [`Forest::n_features`] values a row).
    pub fn predict(&self, rows: &[f32]) -> Result<Predictions, ForestError> {
        let n = self.check_rows(rows)?;
        let scores = self.scores(rows);
        let w = self.score_width();
        Ok(match (&self.parts.task, &self.parts.aggregation) {
            (Task::Regressor, Aggregation::Mean) => {
                let trees = self.compiled.n_trees() as f64;
                Predictions::Values(scores.into_iter().map(|s| s / trees).collect())
            }
            (Task::Regressor, Aggregation::Additive { .. }) => Predictions::Values(scores),
            (Task::Classifier { .. }, Aggregation::Additive { link: Link::Sigmoid, .. }) => {
                Predictions::Classes(scores.iter().map(|&raw| u32::from(raw >= 0.0)).collect())
            }
            (
                Task::Classifier { .. },
                Aggregation::Additive { link: Link::SigmoidProbaArgmax, .. },
            ) => Predictions::Classes(
                scores
                    .iter()
                    .map(|&raw| {
                        let [p0, p1] = sigmoid_pair(raw);
                        u32::from(p1 > p0)
                    })
                    .collect(),
            ),
            // The argmax of the mean equals the argmax of the sum divided by the tree count
            // only if the division keeps every order; it does not always (two sums an ulp
            // apart can divide to the same value), so divide first, as sklearn does.
            (Task::Classifier { .. }, Aggregation::Mean) => {
                let trees = self.compiled.n_trees() as f64;
                let mut out = Vec::with_capacity(n);
                let mut proba = vec![0.0; w];
                for row in scores.chunks_exact(w) {
                    proba.iter_mut().zip(row).for_each(|(p, s)| *p = s / trees);
                    out.push(argmax(&proba));
                }
                Predictions::Classes(out)
            }
            (Task::Classifier { .. }, Aggregation::Additive { .. }) => {
                Predictions::Classes(scores.chunks_exact(w).map(argmax).collect())
            }
        })
    }

    /// Class probabilities of every row, `n_rows × n_classes` row-major; `None` for a
    /// regressor.
    pub fn predict_proba(&self, rows: &[f32]) -> Result<Option<Vec<f64>>, ForestError> {
        self.check_rows(rows)?;
        if self.classes().is_none() {
            return Ok(None);
        }
        Ok(Some(self.proba_from(self.scores(rows))))
    }

    /// Predictions and class probabilities together, walking the trees once (`None`
    /// probabilities for a regressor).
    pub fn predict_with_proba(
        &self,
        rows: &[f32],
    ) -> Result<(Predictions, Option<Vec<f64>>), ForestError> {
        if self.classes().is_none() || self.parts.aggregation != Aggregation::Mean {
            return Ok((self.predict(rows)?, self.predict_proba(rows)?));
        }
        // For a mean, the class is the argmax of the probabilities (sklearn's own rule).
        self.check_rows(rows)?;
        let proba = self.proba_from(self.scores(rows));
        let classes = proba.chunks_exact(self.compiled.width).map(argmax).collect();
        Ok((Predictions::Classes(classes), Some(proba)))
    }

    fn proba_from(&self, scores: Vec<f64>) -> Vec<f64> {
        match &self.parts.aggregation {
            Aggregation::Mean => {
                // sklearn: zeros, `+=` each tree's proba in tree order, then `/=` the count.
                let trees = self.compiled.n_trees() as f64;
                scores.into_iter().map(|s| s / trees).collect()
            }
            Aggregation::Additive { link: Link::Sigmoid | Link::SigmoidProbaArgmax, .. } => {
                scores.into_iter().flat_map(sigmoid_pair).collect()
            }
            Aggregation::Additive { .. } => {
                let mut out = scores;
                for row in out.chunks_exact_mut(self.score_width()) {
                    let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    row.iter_mut().for_each(|o| *o = (*o - max).exp());
                    // sklearn's softmax sums with numpy's pairwise order.
                    let sum = crate::numpy_sum(row);
                    row.iter_mut().for_each(|o| *o /= sum);
                }
                out
            }
        }
    }

    /// The tree-local node ids that `row` visits in tree `tree`, root first; `None` when `tree`
    /// is out of range or the row has the wrong width.
    pub fn decision_path(&self, tree: usize, row: &[f32]) -> Option<Vec<usize>> {
        (tree < self.compiled.n_trees() && row.len() == self.n_features())
            .then(|| self.compiled.path(tree, row))
    }

    /// Feature importances as sklearn computes `feature_importances_` (mean decrease in
    /// impurity), or `None` when the trees carry no training statistics.
    pub fn feature_importances(&self) -> Option<Vec<f64>> {
        let n = self.n_features();
        let per_tree: Option<Vec<Vec<f64>>> = self
            .parts
            .trees
            .iter()
            .filter(|t| t.node_count() > 1)
            .map(|t| t.impurity_decrease(n))
            .collect();
        let per_tree = per_tree?;
        let normalise = |v: &mut Vec<f64>| {
            let s = crate::numpy_sum(v);
            if s > 0.0 {
                v.iter_mut().for_each(|x| *x /= s);
            }
        };
        let mut mean = vec![0.0; n];
        for mut imp in per_tree.iter().cloned() {
            // Forests average each tree's normalised importances; boosting averages raw ones.
            if self.parts.aggregation == Aggregation::Mean {
                normalise(&mut imp);
            }
            mean.iter_mut().zip(&imp).for_each(|(m, x)| *m += x);
        }
        if !per_tree.is_empty() {
            mean.iter_mut().for_each(|m| *m /= per_tree.len() as f64);
        }
        normalise(&mut mean);
        Some(mean)
    }

    /// Values per row in [`Forest::scores`]: the leaf width for a mean, the raw outputs for
    /// boosting.
    fn score_width(&self) -> usize {
        match &self.parts.aggregation {
            Aggregation::Mean => self.compiled.width,
            Aggregation::Additive { init, .. } => init.len(),
        }
    }

    /// Per row, the sum of the trees' outputs in tree order (see [`crate::scores`]).
    fn scores(&self, rows: &[f32]) -> Vec<f64> {
        crate::scores::scores(
            &self.compiled,
            &self.parts.aggregation,
            rows,
            self.n_features(),
            self.score_width(),
            self.parts.missing != MissingValues::Refuse,
        )
    }
}

/// `[1 - p, p]` with `p = expit(raw)`, as sklearn's binomial losses compute them.
fn sigmoid_pair(raw: f64) -> [f64; 2] {
    let p = 1.0 / (1.0 + (-raw).exp());
    [1.0 - p, p]
}

/// The index of the first largest value, as numpy's `argmax`.
fn argmax(values: &[f64]) -> u32 {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best as u32
}
