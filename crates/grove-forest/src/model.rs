//! The model's parts beside its trees: what they predict (`Task`), how their outputs combine
//! (`Aggregation`, `Link`), what happens to a missing value, and where the model came from.

use std::collections::BTreeMap;

use crate::{Labels, Schema, Tree};

/// What the trees predict.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    /// One label among `classes`.
    Classifier {
        /// The labels, in class-index order.
        classes: Labels,
    },
    /// One real value.
    Regressor,
}

/// How the trees' outputs combine into the model's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Aggregation {
    /// The mean, in tree order, of each tree's class distribution (classifier) or value
    /// (regressor): random forests, extra trees, a single decision tree.
    Mean,
    /// Gradient boosting: `raw[k] = init[k] + Σ learning_rate · tree_t` over the trees feeding
    /// output `k`, in tree order, then `link`.
    Additive {
        /// The initial raw score per output (the init estimator's prediction).
        init: Vec<f64>,
        /// The factor applied to every tree's value.
        learning_rate: f64,
        /// How raw scores become the answer.
        link: Link,
        /// For each tree, the raw output it adds to.
        tree_outputs: Vec<u32>,
    },
}

/// The link from additive raw scores to the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Regression: the raw score is the answer.
    Identity,
    /// Binary classification: one raw score, `p(class 1) = 1 / (1 + e^-raw)`; class 1 when
    /// `raw >= 0`, as sklearn's `GradientBoostingClassifier.predict`.
    Sigmoid,
    /// Binary classification as sklearn before 1.4 decided it: the same probabilities as
    /// [`Link::Sigmoid`], but the class is the argmax of `[1 - p, p]`, so `p == 0.5` answers
    /// class 0.
    SigmoidProbaArgmax,
    /// Multi-class: one raw score per class, softmax; the class is the argmax of the raw scores.
    Softmax,
}

/// How NaN inputs are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingValues {
    /// NaN follows each split's `missing_go_to_left`, as sklearn ≥ 1.3 trees do.
    Route,
    /// NaN is refused, as sklearn refuses it for estimators without missing-value support.
    Refuse,
}

/// Where a model came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provenance {
    /// `trained` (by grove) or `imported`.
    pub origin: String,
    /// The estimator it is equivalent to, e.g. `sklearn.ensemble.RandomForestClassifier`.
    pub estimator: String,
    /// The file it was imported from or the data it was trained on.
    pub source: Option<String>,
    /// The version of the library that made the source (e.g. sklearn's).
    pub source_version: Option<String>,
    /// RFC 3339 time of training or import.
    pub created_at: String,
    /// The grove version that wrote the model.
    pub grove_version: String,
    /// Hyper-parameters, spelled as sklearn spells them.
    pub params: BTreeMap<String, String>,
}

/// Everything a model is made of, as plain data. [`crate::Forest::new`] checks it.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestParts {
    /// The model's name as served (`wine-quality`).
    pub name: String,
    /// Feature and target names.
    pub schema: Schema,
    /// Classifier or regressor.
    pub task: Task,
    /// How tree outputs combine.
    pub aggregation: Aggregation,
    /// Whether NaN inputs are routed or refused.
    pub missing: MissingValues,
    /// The trees, in the order their outputs are summed.
    pub trees: Vec<Tree>,
    /// Where the model came from.
    pub provenance: Provenance,
}

impl ForestParts {
    /// How many values each tree node carries: the class count for a mean of classifier trees,
    /// one otherwise.
    pub fn value_width(&self) -> usize {
        match (&self.task, &self.aggregation) {
            (Task::Classifier { classes }, Aggregation::Mean) => classes.len(),
            _ => 1,
        }
    }
}
