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

    /// How NaN inputs are treated.
    pub fn missing_values(&self) -> MissingValues {
        self.parts.missing
    }

    /// Checks that `rows` is whole rows of this model's width, and that any NaN is allowed.
    /// Returns the number of rows.
    pub fn check_rows(&self, rows: &[f32]) -> Result<usize, ForestError> {
        let width = self.n_features();
        if rows.len() % width != 0 {
            return Err(ForestError::RowWidth { expected: width, got: rows.len() });
        }
        if self.parts.missing == MissingValues::Refuse {
            if let Some(at) = rows.iter().position(|x| x.is_nan()) {
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
        let width = self.n_features();
        let rows = rows.chunks_exact(width);
        Ok(match &self.parts.task {
            Task::Classifier { classes } => {
                let mut scratch = vec![0.0; classes.len()];
                let mut out = Vec::with_capacity(n);
                out.extend(rows.map(|row| self.classify(row, &mut scratch)));
                Predictions::Classes(out)
            }
            Task::Regressor => Predictions::Values(rows.map(|row| self.regress(row)).collect()),
        })
    }

    /// Class probabilities of every row, `n_rows × n_classes` row-major; `None` for a
    /// regressor.
    pub fn predict_proba(&self, rows: &[f32]) -> Result<Option<Vec<f64>>, ForestError> {
        let n = self.check_rows(rows)?;
        let Some(classes) = self.classes() else { return Ok(None) };
        let k = classes.len();
        let mut out = vec![0.0; n * k];
        for (row, proba) in rows.chunks_exact(self.n_features()).zip(out.chunks_exact_mut(k)) {
            self.proba_into(row, proba);
        }
        Ok(Some(out))
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
            let s: f64 = v.iter().sum();
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

    fn classify(&self, row: &[f32], scratch: &mut [f64]) -> u32 {
        match &self.parts.aggregation {
            Aggregation::Additive { link: Link::Sigmoid, .. } => {
                u32::from(self.raw_scores(row, scratch)[0] >= 0.0)
            }
            Aggregation::Additive { .. } => argmax(self.raw_scores(row, scratch)),
            Aggregation::Mean => {
                self.proba_into(row, scratch);
                argmax(scratch)
            }
        }
    }

    fn regress(&self, row: &[f32]) -> f64 {
        let mut raw = [0.0];
        match &self.parts.aggregation {
            Aggregation::Mean => {
                let mut sum = 0.0;
                for t in 0..self.compiled.n_trees() {
                    sum += self.compiled.leaf(t, row)[0];
                }
                sum / self.compiled.n_trees() as f64
            }
            Aggregation::Additive { .. } => self.raw_scores(row, &mut raw)[0],
        }
    }

    /// Writes the class probabilities of one row into `out` (`n_classes` long).
    fn proba_into(&self, row: &[f32], out: &mut [f64]) {
        match &self.parts.aggregation {
            Aggregation::Mean => {
                // sklearn: zeros, `+=` each tree's proba in tree order, then `/=` the count.
                out.fill(0.0);
                for t in 0..self.compiled.n_trees() {
                    out.iter_mut().zip(self.compiled.leaf(t, row)).for_each(|(o, v)| *o += v);
                }
                let n = self.compiled.n_trees() as f64;
                out.iter_mut().for_each(|o| *o /= n);
            }
            Aggregation::Additive { link: Link::Sigmoid, .. } => {
                let raw = self.raw_scores(row, &mut out[..1])[0];
                let p = 1.0 / (1.0 + (-raw).exp());
                out[0] = 1.0 - p;
                out[1] = p;
            }
            Aggregation::Additive { .. } => {
                self.raw_scores(row, out);
                let max = out.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                out.iter_mut().for_each(|o| *o = (*o - max).exp());
                let sum: f64 = out.iter().sum();
                out.iter_mut().for_each(|o| *o /= sum);
            }
        }
    }

    /// Additive raw scores of one row, written into `out` (one per raw output).
    fn raw_scores<'o>(&self, row: &[f32], out: &'o mut [f64]) -> &'o [f64] {
        if let Aggregation::Additive { init, learning_rate, tree_outputs, .. } =
            &self.parts.aggregation
        {
            out[..init.len()].copy_from_slice(init);
            for (t, &k) in tree_outputs.iter().enumerate() {
                out[k as usize] += learning_rate * self.compiled.leaf(t, row)[0];
            }
        }
        out
    }
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
