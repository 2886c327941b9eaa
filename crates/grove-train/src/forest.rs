//! Seeds, bootstrap weights and the parallel loop over trees (`ensemble/_forest.py`), and the
//! assembly of a servable model.

use grove_forest::{
    Aggregation, ForestParts, Labels as ClassLabels, MissingValues, Provenance, Schema, Task, Tree,
};
use rayon::prelude::*;

use crate::builder::{build, Limits};
use crate::criterion::{ClassCriterion, ClassImpurity, Entropy, Gini, Mse};
use crate::data::{Labels, TrainData};
use crate::exact::Exact;
use crate::params::{Criterion, ForestParams, TreeParams};
use crate::presorted::{sorted_rows, Classes, IntTarget, IntValues, Presorted};
use crate::rand_r::RAND_R_MAX;
use crate::rng::RandomState;
use crate::splitter::FeatureDraw;
use crate::TrainError;

/// Grows one decision tree on every row, as `DecisionTreeClassifier`/`Regressor(random_state=
/// params.random_state).fit(X, y)` does.
pub fn fit_tree(data: &TrainData, params: &TreeParams) -> Result<Tree, TrainError> {
    fit_tree_with(data, params, Strategy::Fastest)
}

pub(crate) fn fit_tree_with(
    data: &TrainData,
    params: &TreeParams,
    strategy: Strategy,
) -> Result<Tree, TrainError> {
    params.check()?;
    let limits = limits(data, params)?;
    let weights = vec![1.0; data.n_rows()];
    let sorted = presort(data, strategy);
    let mut random_state = RandomState::new(params.random_state);
    Ok(grow(data, params, &limits, &weights, &mut random_state, sorted.as_deref()))
}

/// Grows a random forest, as `RandomForestClassifier`/`Regressor(...).fit(X, y)` does.
///
/// Trees grow in parallel on rayon's current pool; every tree's seed is drawn up front in tree
/// order, so the result does not depend on the number of threads. `progress` is called once
/// per finished tree, with that tree's index, from whichever thread grew it.
pub fn fit_forest(
    data: &TrainData,
    params: &ForestParams,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Tree>, TrainError> {
    fit_forest_with(data, params, progress, Strategy::Fastest)
}

pub(crate) fn fit_forest_with(
    data: &TrainData,
    params: &ForestParams,
    progress: &(dyn Fn(usize) + Sync),
    strategy: Strategy,
) -> Result<Vec<Tree>, TrainError> {
    params.check()?;
    let limits = limits(data, &params.tree)?;
    let mut seeds = RandomState::new(params.tree.random_state);
    let tree_seeds: Vec<u32> =
        (0..params.n_estimators).map(|_| seeds.randint(0, i64::from(i32::MAX)) as u32).collect();
    let n = data.n_rows();
    let sorted = presort(data, strategy);
    Ok(tree_seeds
        .into_par_iter()
        .enumerate()
        .map(|(t, seed)| {
            let weights = if params.bootstrap { bootstrap_weights(seed, n) } else { vec![1.0; n] };
            // sklearn hands the tree its seed, and the tree makes a fresh RandomState from it.
            let mut random_state = RandomState::new(seed);
            let tree =
                grow(data, &params.tree, &limits, &weights, &mut random_state, sorted.as_deref());
            progress(t);
            tree
        })
        .collect())
}

/// `_generate_sample_indices` then `np.bincount`: how often each row was drawn.
fn bootstrap_weights(seed: u32, n: usize) -> Vec<f64> {
    let mut rs = RandomState::new(seed);
    let mut counts = vec![0.0; n];
    for _ in 0..n {
        counts[rs.randint(0, n as i64) as usize] += 1.0;
    }
    counts
}

fn limits(data: &TrainData, params: &TreeParams) -> Result<Limits, TrainError> {
    match (&data.labels, params.criterion.is_classification()) {
        (Labels::Classes { .. }, false) | (Labels::Values(_), true) => {
            return Err(TrainError::Param {
                name: "criterion",
                problem: format!(
                    "`{}` does not fit {} targets",
                    params.criterion.as_str(),
                    if params.criterion.is_classification() { "regression" } else { "class" }
                ),
            });
        }
        _ => {}
    }
    Ok(Limits {
        max_features: params.max_features.resolve(data.n_features())?,
        max_depth: params.max_depth.unwrap_or(i32::MAX as usize),
        min_samples_split: params.min_samples_split.max(2 * params.min_samples_leaf),
        min_samples_leaf: params.min_samples_leaf,
    })
}

/// Which evaluation a tree uses; both grow identical trees where the fast one applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// Presorted lists with integer sums when the target allows, else sklearn's order.
    Fastest,
    /// sklearn's per-node sort and partition, always (the tests compare the two).
    #[cfg_attr(not(test), allow(dead_code))]
    SklearnOrder,
}

/// Per-feature sorted rows, when the presorted evaluation will be used.
fn presort(data: &TrainData, strategy: Strategy) -> Option<Vec<Vec<u32>>> {
    let usable = match &data.labels {
        Labels::Classes { .. } => true,
        Labels::Values(y) => IntValues::new(y, vec![1; y.len()]).is_some(),
    };
    (strategy == Strategy::Fastest && usable).then(|| sorted_rows(data))
}

fn grow(
    data: &TrainData,
    params: &TreeParams,
    limits: &Limits,
    weights: &[f64],
    random_state: &mut RandomState,
    sorted: Option<&[Vec<u32>]>,
) -> Tree {
    let rand_seed = random_state.randint(0, RAND_R_MAX) as u32;
    let mut draw = FeatureDraw::new(
        data.n_features(),
        rand_seed,
        limits.max_features,
        params.min_samples_leaf,
    );

    // Sample ids for the presorted lists: rows with non-zero weight, in row order.
    let mut local = vec![u32::MAX; weights.len()];
    let mut rows = Vec::new();
    for (r, &w) in weights.iter().enumerate() {
        if w != 0.0 {
            local[r] = rows.len() as u32;
            rows.push(r);
        }
    }

    if let Some(sorted) = sorted {
        let weights: Vec<f64> = rows.iter().map(|&r| weights[r]).collect();
        let presorted = match &data.labels {
            Labels::Classes { y, n_classes } => {
                let class: Vec<u32> = rows.iter().map(|&r| y[r]).collect();
                let width = *n_classes;
                match (params.criterion, width) {
                    (Criterion::Entropy, ..=8) => classes::<Entropy, 8>(&class, &weights, width),
                    (Criterion::Entropy, ..=32) => classes::<Entropy, 32>(&class, &weights, width),
                    (_, ..=8) => classes::<Gini, 8>(&class, &weights, width),
                    (_, ..=32) => classes::<Gini, 32>(&class, &weights, width),
                    _ => None,
                }
            }
            Labels::Values(y) => {
                let values: Vec<f64> = rows.iter().map(|&r| y[r]).collect();
                let int_weights = weights.iter().map(|&w| w as i64).collect();
                IntValues::new(&values, int_weights).map(|t| Grower::boxed(t, 1))
            }
        };
        if let Some(grower) = presorted {
            return grower.grow(data, sorted, &local, &mut draw, limits);
        }
    }
    // sklearn's own sample order: any target, any weights.
    match (&data.labels, params.criterion) {
        (Labels::Classes { y, n_classes }, Criterion::Entropy) => {
            let c = ClassCriterion::<Entropy>::new(y, weights, *n_classes);
            build(&mut Exact::new(data, c, weights), &mut draw, limits, *n_classes)
        }
        (Labels::Classes { y, n_classes }, _) => {
            let c = ClassCriterion::<Gini>::new(y, weights, *n_classes);
            build(&mut Exact::new(data, c, weights), &mut draw, limits, *n_classes)
        }
        (Labels::Values(y), _) => {
            build(&mut Exact::new(data, Mse::new(y, weights), weights), &mut draw, limits, 1)
        }
    }
}

/// A presorted target, boxed so that one code path grows any of them.
trait GrowPresorted {
    fn grow(
        self: Box<Self>,
        data: &TrainData,
        sorted: &[Vec<u32>],
        local: &[u32],
        draw: &mut FeatureDraw,
        limits: &Limits,
    ) -> Tree;
}

struct Grower<T> {
    target: T,
    width: usize,
}

impl<T: IntTarget + 'static> Grower<T> {
    fn boxed(target: T, width: usize) -> Box<dyn GrowPresorted> {
        Box::new(Grower { target, width })
    }
}

impl<T: IntTarget> GrowPresorted for Grower<T> {
    fn grow(
        self: Box<Self>,
        data: &TrainData,
        sorted: &[Vec<u32>],
        local: &[u32],
        draw: &mut FeatureDraw,
        limits: &Limits,
    ) -> Tree {
        let mut backend = Presorted::new(data, sorted, local, self.target);
        build(&mut backend, draw, limits, self.width)
    }
}

fn classes<I: ClassImpurity + 'static, const K: usize>(
    class: &[u32],
    weights: &[f64],
    width: usize,
) -> Option<Box<dyn GrowPresorted>> {
    Classes::<I, K>::new(class, weights).map(|t| Grower::boxed(t, width))
}

/// What a trained model is, besides its trees: the caller's names and labels.
#[derive(Debug, Clone)]
pub struct ModelInfo {
    /// The model's served name.
    pub name: String,
    /// Feature names (column order), target name and, ideally, [`crate::feature_ranges`].
    pub schema: Schema,
    /// The sorted labels the class indices point into; `None` for a regressor.
    pub classes: Option<ClassLabels>,
    /// The data the model was trained on (a path or a description).
    pub source: Option<String>,
    /// RFC 3339 time of training.
    pub created_at: String,
}

/// What was trained, for the provenance record.
#[derive(Debug, Clone, Copy)]
pub enum Trained<'a> {
    /// A forest from [`fit_forest`].
    Forest(&'a ForestParams),
    /// A single tree from [`fit_tree`].
    Tree(&'a TreeParams),
}

/// Wraps trained trees into a model: mean aggregation, NaN routed by each split's
/// `missing_go_to_left`, provenance `trained` with the sklearn-equivalent estimator and its
/// parameters. The result still goes through [`grove_forest::Forest::new`] to be served.
pub fn forest_parts(trees: Vec<Tree>, trained: Trained<'_>, info: ModelInfo) -> ForestParts {
    let (criterion, params) = match trained {
        Trained::Forest(p) => (p.tree.criterion, p.to_sklearn()),
        Trained::Tree(p) => (p.criterion, p.to_sklearn()),
    };
    let estimator = match (trained, criterion.is_classification()) {
        (Trained::Forest(_), true) => "sklearn.ensemble.RandomForestClassifier",
        (Trained::Forest(_), false) => "sklearn.ensemble.RandomForestRegressor",
        (Trained::Tree(_), true) => "sklearn.tree.DecisionTreeClassifier",
        (Trained::Tree(_), false) => "sklearn.tree.DecisionTreeRegressor",
    };
    let task = match info.classes {
        Some(classes) => Task::Classifier { classes },
        None => Task::Regressor,
    };
    ForestParts {
        name: info.name,
        schema: info.schema,
        task,
        aggregation: Aggregation::Mean,
        missing: MissingValues::Route,
        trees,
        provenance: Provenance {
            origin: "trained".into(),
            estimator: estimator.into(),
            source: info.source,
            source_version: None,
            created_at: info.created_at,
            grove_version: env!("CARGO_PKG_VERSION").into(),
            params,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::MaxFeatures;
    use crate::Target;
    use grove_forest::Forest;

    /// Rows with many ties (values on a coarse grid), 3 classes and a small integer target.
    fn synthetic(n: usize) -> (Vec<f64>, Vec<u32>, Vec<f64>) {
        let mut state = 12345u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let mut x = Vec::new();
        let mut class = Vec::new();
        let mut value = Vec::new();
        for _ in 0..n {
            let row: Vec<f64> = (0..5).map(|f| f64::from(next() % (4 + 7 * f)) * 0.25).collect();
            let noise = next() % 5;
            class.push(((row[0] + row[2] > 2.0) as u32 + u32::from(noise == 0)) % 3);
            value.push((row[1] * 4.0).round() - f64::from(noise));
            x.extend(row);
        }
        (x, class, value)
    }

    fn variants() -> Vec<ForestParams> {
        let mut out = Vec::new();
        for (max_features, max_depth, leaf, bootstrap) in [
            (MaxFeatures::Sqrt, None, 1, true),
            (MaxFeatures::Count(1), Some(4), 3, true),
            (MaxFeatures::All, None, 2, false),
        ] {
            let mut p = ForestParams::classifier(7);
            p.n_estimators = 4;
            p.bootstrap = bootstrap;
            p.tree.max_features = max_features;
            p.tree.max_depth = max_depth;
            p.tree.min_samples_leaf = leaf;
            out.push(p);
        }
        out
    }

    #[test]
    fn a_tiny_tree_by_hand() {
        // One feature; classes split cleanly between 2 and 3.
        let data = TrainData::new(
            &[1.0, 2.0, 3.0, 4.0],
            1,
            Target::Classes { index: &[0, 0, 1, 1], n_classes: 2 },
        )
        .expect("data");
        let tree = fit_tree(&data, &TreeParams::classifier(0)).expect("tree");
        assert_eq!(tree.children_left, [1, -1, -1]);
        assert_eq!(tree.children_right, [2, -1, -1]);
        assert_eq!(tree.feature, [0, -2, -2]);
        assert_eq!(tree.threshold, [2.5, -2.0, -2.0]);
        // Two rows each side: NaN goes right, as sklearn's `n_left > n_right` decides.
        assert_eq!(tree.missing_go_to_left, [false, false, false]);
        assert_eq!(tree.value, [0.5, 0.5, 1.0, 0.0, 0.0, 1.0]);
        let stats = tree.stats.as_ref().expect("stats");
        assert_eq!(stats.n_node_samples, [4, 2, 2]);
        assert_eq!(stats.weighted_n_node_samples, [4.0, 2.0, 2.0]);
        assert_eq!(stats.impurity, [0.5, 0.0, 0.0]);

        // Regression: the mean and the variance, split where the squared error drops most.
        let data = TrainData::new(&[1.0, 2.0, 3.0, 10.0], 1, Target::Values(&[1.0, 1.0, 2.0, 6.0]))
            .expect("data");
        let tree = fit_tree(&data, &TreeParams::regressor(0)).expect("tree");
        assert_eq!((tree.feature[0], tree.threshold[0]), (0, 6.5));
        // Pre-order: the left child's own subtree comes before the right child.
        let right = tree.children_right[0] as usize;
        assert_eq!((tree.children_left[0], right), (1, 4));
        assert_eq!([tree.value[0], tree.value[1], tree.value[right]], [2.5, 4.0 / 3.0, 6.0]);
        assert_eq!(tree.stats.as_ref().expect("stats").impurity[0], 42.0 / 4.0 - 2.5 * 2.5);
    }

    #[test]
    fn both_evaluations_grow_identical_trees() {
        let (x, class, value) = synthetic(400);
        let classes =
            TrainData::new(&x, 5, Target::Classes { index: &class, n_classes: 3 }).expect("data");
        let values = TrainData::new(&x, 5, Target::Values(&value)).expect("data");
        for mut p in variants() {
            for criterion in [Criterion::Gini, Criterion::Entropy, Criterion::SquaredError] {
                p.tree.criterion = criterion;
                let data = if criterion.is_classification() { &classes } else { &values };
                let fast = fit_forest_with(data, &p, &|_| {}, Strategy::Fastest).expect("fast");
                let exact =
                    fit_forest_with(data, &p, &|_| {}, Strategy::SklearnOrder).expect("exact");
                assert!(fast.iter().any(|t| t.node_count() > 3), "{p:?}: trees too small");
                assert_eq!(fast, exact, "{p:?}");
            }
        }
    }

    #[test]
    fn thread_count_does_not_change_trees() {
        let (x, class, _) = synthetic(300);
        let data =
            TrainData::new(&x, 5, Target::Classes { index: &class, n_classes: 3 }).expect("data");
        let mut p = ForestParams::classifier(3);
        p.n_estimators = 6;
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            let done = std::sync::atomic::AtomicUsize::new(0);
            let trees = pool
                .install(|| {
                    fit_forest(&data, &p, &|_| {
                        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    })
                })
                .expect("forest");
            assert_eq!(done.into_inner(), 6, "one progress call per tree");
            trees
        };
        assert_eq!(on(1), on(3));
    }

    #[test]
    fn bad_inputs_are_refused() {
        let classes = Target::Classes { index: &[0, 1], n_classes: 2 };
        assert!(matches!(
            TrainData::new(&[1.0, f64::NAN, 2.0, 3.0], 2, classes),
            Err(TrainError::BadFeature { row: 0, column: 1, .. })
        ));
        assert!(matches!(
            TrainData::new(&[1.0, 2.0, 1e39, 3.0], 2, classes),
            Err(TrainError::BadFeature { row: 1, column: 0, .. })
        ));
        assert!(matches!(
            TrainData::new(&[1.0, 2.0], 1, Target::Values(&[1.0, f64::INFINITY])),
            Err(TrainError::BadTarget { row: 1, .. })
        ));
        assert!(matches!(
            TrainData::new(&[1.0, 2.0], 1, Target::Classes { index: &[0, 2], n_classes: 2 }),
            Err(TrainError::ClassIndex { row: 1, index: 2, n_classes: 2 })
        ));
        assert!(matches!(TrainData::new(&[1.0, 2.0, 3.0], 2, classes), Err(TrainError::Shape(_))));
        let message =
            TrainData::new(&[f64::NAN], 1, Target::Values(&[1.0])).expect_err("NaN").to_string();
        assert!(message.contains("missing"), "{message}");

        let data = TrainData::new(&[1.0, 2.0], 1, classes).expect("data");
        let err = fit_tree(&data, &TreeParams::regressor(0)).expect_err("criterion");
        assert!(matches!(err, TrainError::Param { name: "criterion", .. }));
        let mut p = TreeParams::classifier(0);
        p.max_features = MaxFeatures::Count(2);
        assert!(matches!(fit_tree(&data, &p), Err(TrainError::Param { name: "max_features", .. })));
    }

    #[test]
    fn forest_parts_make_a_servable_model() {
        let (x, class, _) = synthetic(200);
        let data =
            TrainData::new(&x, 5, Target::Classes { index: &class, n_classes: 3 }).expect("data");
        let mut p = ForestParams::classifier(1);
        p.n_estimators = 3;
        let trees = fit_forest(&data, &p, &|_| {}).expect("forest");
        let features: Vec<String> = (0..5).map(|i| format!("f{i}")).collect();
        let parts = forest_parts(
            trees,
            Trained::Forest(&p),
            ModelInfo {
                name: "synthetic".into(),
                schema: Schema {
                    features,
                    target: "class".into(),
                    feature_ranges: Some(crate::feature_ranges(&x, 5)),
                },
                classes: Some(ClassLabels::Str(vec!["a".into(), "b".into(), "c".into()])),
                source: None,
                created_at: "2026-01-01T00:00:00Z".into(),
            },
        );
        assert_eq!(parts.provenance.origin, "trained");
        assert_eq!(parts.provenance.estimator, "sklearn.ensemble.RandomForestClassifier");
        assert_eq!(parts.provenance.params["n_estimators"], "3");
        assert_eq!(parts.missing, MissingValues::Route);
        let forest = Forest::new(parts).expect("valid");
        assert_eq!(forest.n_features(), 5);
    }
}
