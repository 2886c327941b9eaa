//! Hyper-parameters, named and defaulted as sklearn names and defaults them.

use std::collections::BTreeMap;

use crate::TrainError;

/// The impurity a split minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// `"gini"` (classification; sklearn's default).
    Gini,
    /// `"entropy"` / `"log_loss"` (classification).
    Entropy,
    /// `"squared_error"` (regression; sklearn's default).
    SquaredError,
}

impl Criterion {
    /// sklearn's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Gini => "gini",
            Criterion::Entropy => "entropy",
            Criterion::SquaredError => "squared_error",
        }
    }

    /// Whether the criterion is for class targets.
    pub fn is_classification(self) -> bool {
        !matches!(self, Criterion::SquaredError)
    }
}

impl std::str::FromStr for Criterion {
    type Err = TrainError;

    fn from_str(s: &str) -> Result<Criterion, TrainError> {
        match s {
            "gini" => Ok(Criterion::Gini),
            "entropy" | "log_loss" => Ok(Criterion::Entropy),
            "squared_error" => Ok(Criterion::SquaredError),
            other => Err(TrainError::Param {
                name: "criterion",
                problem: format!(
                    "`{other}` is not supported (use gini, entropy, log_loss or squared_error)"
                ),
            }),
        }
    }
}

/// How many features each split examines (sklearn's `max_features`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxFeatures {
    /// `"sqrt"`: `max(1, int(sqrt(n_features)))`.
    Sqrt,
    /// `"log2"`: `max(1, int(log2(n_features)))`.
    Log2,
    /// An integer count.
    Count(usize),
    /// A fraction in `(0, 1]`: `max(1, int(fraction * n_features))`.
    Fraction(f64),
    /// `None`: every feature.
    All,
}

impl MaxFeatures {
    /// The resolved count for `n_features` columns, as `tree/_classes.py::_fit` computes it.
    pub fn resolve(self, n_features: usize) -> Result<usize, TrainError> {
        let bad = |problem: String| TrainError::Param { name: "max_features", problem };
        let n = n_features as f64;
        let count = match self {
            MaxFeatures::Sqrt => (n.sqrt() as usize).max(1),
            MaxFeatures::Log2 => (n.log2() as usize).max(1),
            MaxFeatures::All => n_features,
            MaxFeatures::Count(0) => return Err(bad("must be at least 1".into())),
            MaxFeatures::Count(c) if c > n_features => {
                return Err(bad(format!("{c} is more than the {n_features} features")));
            }
            MaxFeatures::Count(c) => c,
            MaxFeatures::Fraction(f) if !(f > 0.0 && f <= 1.0) => {
                return Err(bad(format!("the fraction {f} is not in (0, 1]")));
            }
            MaxFeatures::Fraction(f) => ((f * n) as usize).max(1),
        };
        Ok(count)
    }

    /// sklearn's spelling of the value (`sqrt`, `log2`, `5`, `0.5`, `None`).
    pub fn to_sklearn(self) -> String {
        match self {
            MaxFeatures::Sqrt => "sqrt".into(),
            MaxFeatures::Log2 => "log2".into(),
            MaxFeatures::Count(c) => c.to_string(),
            MaxFeatures::Fraction(f) => grove_forest::python_float_repr(f),
            MaxFeatures::All => "None".into(),
        }
    }
}

impl std::str::FromStr for MaxFeatures {
    type Err = TrainError;

    /// Parses sklearn's spellings: `sqrt`, `log2`, `None`/`all`, an integer, or a float
    /// fraction (a value with a `.`, as `1.0`, is a fraction, as in Python).
    fn from_str(s: &str) -> Result<MaxFeatures, TrainError> {
        let bad = || TrainError::Param {
            name: "max_features",
            problem: format!("`{s}` is not sqrt, log2, None, an integer or a fraction"),
        };
        match s {
            "sqrt" => Ok(MaxFeatures::Sqrt),
            "log2" => Ok(MaxFeatures::Log2),
            "None" | "none" | "all" => Ok(MaxFeatures::All),
            _ if s.contains(['.', 'e', 'E']) => {
                s.parse::<f64>().map(MaxFeatures::Fraction).map_err(|_| bad())
            }
            _ => s.parse::<usize>().map(MaxFeatures::Count).map_err(|_| bad()),
        }
    }
}

/// The parameters of one tree (sklearn's `DecisionTreeClassifier`/`Regressor`).
#[derive(Debug, Clone, PartialEq)]
pub struct TreeParams {
    /// The impurity to minimise; must fit the target kind.
    pub criterion: Criterion,
    /// Deepest allowed node (`None`: unlimited).
    pub max_depth: Option<usize>,
    /// Fewest distinct samples a node needs to be split (at least 2).
    pub min_samples_split: usize,
    /// Fewest distinct samples each child must keep (at least 1).
    pub min_samples_leaf: usize,
    /// Features examined per split.
    pub max_features: MaxFeatures,
    /// sklearn's integer `random_state`.
    pub random_state: u32,
}

impl TreeParams {
    /// `DecisionTreeClassifier()` defaults: gini, all features, with the given seed.
    pub fn classifier(random_state: u32) -> TreeParams {
        TreeParams {
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::All,
            random_state,
        }
    }

    /// `DecisionTreeRegressor()` defaults: squared error, all features, with the given seed.
    pub fn regressor(random_state: u32) -> TreeParams {
        TreeParams { criterion: Criterion::SquaredError, ..TreeParams::classifier(random_state) }
    }

    pub(crate) fn check(&self) -> Result<(), TrainError> {
        if self.min_samples_split < 2 {
            return Err(TrainError::Param {
                name: "min_samples_split",
                problem: format!("{} is below 2", self.min_samples_split),
            });
        }
        if self.min_samples_leaf < 1 {
            return Err(TrainError::Param {
                name: "min_samples_leaf",
                problem: "must be at least 1".into(),
            });
        }
        if self.max_depth == Some(0) {
            return Err(TrainError::Param {
                name: "max_depth",
                problem: "must be at least 1".into(),
            });
        }
        Ok(())
    }

    /// The hyper-parameters in sklearn's spelling, for a model's provenance.
    pub fn to_sklearn(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        p.insert("criterion".into(), self.criterion.as_str().into());
        p.insert(
            "max_depth".into(),
            self.max_depth.map_or_else(|| "None".into(), |d| d.to_string()),
        );
        p.insert("min_samples_split".into(), self.min_samples_split.to_string());
        p.insert("min_samples_leaf".into(), self.min_samples_leaf.to_string());
        p.insert("max_features".into(), self.max_features.to_sklearn());
        p.insert("random_state".into(), self.random_state.to_string());
        p
    }
}

/// The parameters of a forest (sklearn's `RandomForestClassifier`/`Regressor`).
#[derive(Debug, Clone, PartialEq)]
pub struct ForestParams {
    /// How many trees.
    pub n_estimators: usize,
    /// Whether each tree sees a bootstrap sample (as row weights) or every row once.
    pub bootstrap: bool,
    /// The per-tree parameters; `tree.random_state` seeds the whole forest.
    pub tree: TreeParams,
}

impl ForestParams {
    /// `RandomForestClassifier()` defaults: 100 trees, gini, `max_features="sqrt"`, bootstrap.
    pub fn classifier(random_state: u32) -> ForestParams {
        ForestParams {
            n_estimators: 100,
            bootstrap: true,
            tree: TreeParams {
                max_features: MaxFeatures::Sqrt,
                ..TreeParams::classifier(random_state)
            },
        }
    }

    /// `RandomForestRegressor()` defaults: 100 trees, squared error, `max_features=1.0` (all
    /// features), bootstrap.
    pub fn regressor(random_state: u32) -> ForestParams {
        ForestParams {
            n_estimators: 100,
            bootstrap: true,
            tree: TreeParams {
                max_features: MaxFeatures::Fraction(1.0),
                ..TreeParams::regressor(random_state)
            },
        }
    }

    pub(crate) fn check(&self) -> Result<(), TrainError> {
        if self.n_estimators == 0 {
            return Err(TrainError::Param {
                name: "n_estimators",
                problem: "must be at least 1".into(),
            });
        }
        self.tree.check()
    }

    /// The hyper-parameters in sklearn's spelling, for a model's provenance.
    pub fn to_sklearn(&self) -> BTreeMap<String, String> {
        let mut p = self.tree.to_sklearn();
        p.insert("n_estimators".into(), self.n_estimators.to_string());
        p.insert("bootstrap".into(), if self.bootstrap { "True" } else { "False" }.into());
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_features_resolve_as_sklearn() {
        assert_eq!(MaxFeatures::Sqrt.resolve(12), Ok(3));
        assert_eq!(MaxFeatures::Log2.resolve(12), Ok(3));
        assert_eq!(MaxFeatures::Fraction(1.0).resolve(12), Ok(12));
        assert_eq!(MaxFeatures::Fraction(0.01).resolve(12), Ok(1));
        assert_eq!(MaxFeatures::All.resolve(12), Ok(12));
        assert!(MaxFeatures::Count(13).resolve(12).is_err());
        assert_eq!("0.5".parse::<MaxFeatures>(), Ok(MaxFeatures::Fraction(0.5)));
        assert_eq!("4".parse::<MaxFeatures>(), Ok(MaxFeatures::Count(4)));
        assert_eq!("None".parse::<MaxFeatures>(), Ok(MaxFeatures::All));
        assert_eq!("log_loss".parse::<Criterion>(), Ok(Criterion::Entropy));
    }

    #[test]
    fn params_are_spelled_as_sklearn() {
        let p = ForestParams::classifier(42).to_sklearn();
        assert_eq!(p["max_features"], "sqrt");
        assert_eq!(p["max_depth"], "None");
        assert_eq!(p["bootstrap"], "True");
        assert_eq!(p["criterion"], "gini");
        assert_eq!(p["n_estimators"], "100");
    }
}
