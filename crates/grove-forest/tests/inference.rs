//! Hand-built tiny forests with answers worked out by hand (and as sklearn computes them).

use grove_forest::*;

/// One split `x[feature] <= threshold`, two leaves with the given outputs.
fn stump(feature: i32, threshold: f64, missing_left: bool, left: &[f64], right: &[f64]) -> Tree {
    let w = left.len();
    let mut value = vec![0.0; w];
    value.extend_from_slice(left);
    value.extend_from_slice(right);
    Tree {
        children_left: vec![1, LEAF, LEAF],
        children_right: vec![2, LEAF, LEAF],
        feature: vec![feature, -2, -2],
        threshold: vec![threshold, -2.0, -2.0],
        missing_go_to_left: vec![missing_left, false, false],
        value,
        stats: None,
    }
}

fn parts(task: Task, aggregation: Aggregation, trees: Vec<Tree>) -> ForestParts {
    ForestParts {
        name: "t".into(),
        schema: Schema {
            features: vec!["a".into(), "b".into()],
            target: "y".into(),
            feature_ranges: None,
        },
        task,
        aggregation,
        missing: MissingValues::Route,
        trees,
        provenance: Provenance::default(),
    }
}

fn classes(labels: Labels, trees: Vec<Tree>) -> Forest {
    Forest::new(parts(Task::Classifier { classes: labels }, Aggregation::Mean, trees))
        .expect("a valid model")
}

#[test]
fn argmax_ties_go_to_the_lowest_class() {
    // Tree 0 votes class 1, tree 1 votes class 0: probabilities 0.5/0.5, answer class 0.
    let f = classes(
        Labels::Int(vec![3, 9]),
        vec![
            stump(0, 0.5, false, &[0.0, 1.0], &[0.0, 1.0]),
            stump(1, 0.5, false, &[1.0, 0.0], &[1.0, 0.0]),
        ],
    );
    assert_eq!(f.predict(&[0.0, 0.0]).unwrap(), Predictions::Classes(vec![0]));
    assert_eq!(f.predict_proba(&[0.0, 0.0]).unwrap(), Some(vec![0.5, 0.5]));
}

#[test]
fn probabilities_are_the_tree_order_mean() {
    // (0 + 0.1 + 0.2 + 0.3) / 3 in float64, added in tree order as sklearn adds them.
    let trees = [0.1, 0.2, 0.3].map(|p| stump(0, 0.0, false, &[p, 1.0 - p], &[0.0, 1.0])).to_vec();
    let f = classes(Labels::Int(vec![0, 1]), trees);
    let p = f.predict_proba(&[-1.0, 0.0]).unwrap().unwrap();
    assert_eq!(p[0], (((0.0 + 0.1) + 0.2) + 0.3) / 3.0);
    assert_eq!(p[1], (((0.0 + 0.9) + 0.8) + 0.7) / 3.0);
}

#[test]
fn nan_follows_missing_go_to_left() {
    let f = classes(
        Labels::Str(vec!["red".into(), "white".into()]),
        vec![stump(0, 0.5, true, &[1.0, 0.0], &[0.0, 1.0])],
    );
    let g = classes(
        Labels::Str(vec!["red".into(), "white".into()]),
        vec![stump(0, 0.5, false, &[1.0, 0.0], &[0.0, 1.0])],
    );
    assert_eq!(f.predict(&[f32::NAN, 0.0]).unwrap(), Predictions::Classes(vec![0]));
    assert_eq!(g.predict(&[f32::NAN, 0.0]).unwrap(), Predictions::Classes(vec![1]));
    // The string label comes back as the model's label.
    assert_eq!(f.classes().unwrap().get(0), Some(Label::Str("red")));
}

#[test]
fn nan_is_refused_when_the_model_refuses_it() {
    let mut p =
        parts(Task::Regressor, Aggregation::Mean, vec![stump(1, 0.5, true, &[1.0], &[2.0])]);
    p.missing = MissingValues::Refuse;
    let f = Forest::new(p).unwrap();
    let e = f.predict(&[1.0, 2.0, 3.0, f32::NAN]).unwrap_err().to_string();
    assert!(e.starts_with("row 1, feature `b`: NaN"), "{e}");
}

#[test]
fn threshold_compares_float32_input_with_float64_threshold() {
    // 0.1f32 widened is 0.10000000149..., above the float64 0.1: it goes right, as in sklearn.
    let f = classes(Labels::Int(vec![0, 1]), vec![stump(0, 0.1, false, &[1.0, 0.0], &[0.0, 1.0])]);
    assert_eq!(f.predict(&[0.1, 0.0]).unwrap(), Predictions::Classes(vec![1]));
    // The float32 just below goes left.
    assert_eq!(f.predict(&[0.1f32.next_down(), 0.0]).unwrap(), Predictions::Classes(vec![0]));
    // An exact threshold goes left (`<=`).
    let f = classes(Labels::Int(vec![0, 1]), vec![stump(0, 0.5, false, &[1.0, 0.0], &[0.0, 1.0])]);
    assert_eq!(f.predict(&[0.5, 0.0]).unwrap(), Predictions::Classes(vec![0]));
}

#[test]
fn regressors_average_in_tree_order() {
    let f = Forest::new(parts(
        Task::Regressor,
        Aggregation::Mean,
        vec![stump(0, 0.5, false, &[1.0], &[2.0]), stump(1, 0.5, false, &[10.0], &[20.0])],
    ))
    .unwrap();
    assert_eq!(f.predict(&[0.0, 1.0, 1.0, 0.0]).unwrap(), Predictions::Values(vec![10.5, 6.0]));
    assert_eq!(f.predict_proba(&[0.0, 1.0]).unwrap(), None);
}

#[test]
fn boosting_adds_scaled_trees_to_the_initial_score() {
    let additive = |init: Vec<f64>, link, outs: Vec<u32>| Aggregation::Additive {
        init,
        learning_rate: 0.5,
        link,
        tree_outputs: outs,
    };
    // Regression: 1.0 + 0.5 * (2 + 4) = 4.
    let f = Forest::new(parts(
        Task::Regressor,
        additive(vec![1.0], Link::Identity, vec![0, 0]),
        vec![stump(0, 0.5, false, &[2.0], &[0.0]), stump(0, 0.5, false, &[4.0], &[0.0])],
    ))
    .unwrap();
    assert_eq!(f.predict(&[0.0, 0.0]).unwrap(), Predictions::Values(vec![4.0]));

    // Binary: raw = -1 + 0.5 * 2 = 0 → p = 0.5, and raw >= 0 answers class 1 (sklearn's rule).
    let f = Forest::new(parts(
        Task::Classifier { classes: Labels::Bool(vec![false, true]) },
        additive(vec![-1.0], Link::Sigmoid, vec![0]),
        vec![stump(0, 0.5, false, &[2.0], &[-2.0])],
    ))
    .unwrap();
    assert_eq!(f.predict(&[0.0, 0.0]).unwrap(), Predictions::Classes(vec![1]));
    assert_eq!(f.predict_proba(&[0.0, 0.0]).unwrap(), Some(vec![0.5, 0.5]));
    // sklearn before 1.4 took the argmax of [0.5, 0.5]: class 0.
    let mut old = f.parts().clone();
    if let Aggregation::Additive { link, .. } = &mut old.aggregation {
        *link = Link::SigmoidProbaArgmax;
    }
    let old = Forest::new(old).unwrap();
    assert_eq!(old.predict(&[0.0, 0.0]).unwrap(), Predictions::Classes(vec![0]));
    assert_eq!(
        old.predict_with_proba(&[0.0, 0.0, 1.0, 0.0]).unwrap().0,
        Predictions::Classes(vec![0, 0])
    );
    let p = f.predict_proba(&[1.0, 0.0]).unwrap().unwrap();
    assert!((p[1] - 1.0 / (1.0 + 2f64.exp())).abs() < 1e-15);

    // Three classes, one tree per class: raw = [0, 1, 0.5] → class 1, softmax probabilities.
    let f = Forest::new(parts(
        Task::Classifier { classes: Labels::Float(vec![0.5, 1.5, 2.5]) },
        additive(vec![0.0, 0.0, 0.0], Link::Softmax, vec![0, 1, 2]),
        vec![
            stump(0, 0.5, false, &[0.0], &[0.0]),
            stump(0, 0.5, false, &[2.0], &[0.0]),
            stump(0, 0.5, false, &[1.0], &[0.0]),
        ],
    ))
    .unwrap();
    assert_eq!(f.predict(&[0.0, 0.0]).unwrap(), Predictions::Classes(vec![1]));
    let p = f.predict_proba(&[0.0, 0.0]).unwrap().unwrap();
    let z = 1.0 + 1f64.exp() + 0.5f64.exp();
    for (got, want) in p.iter().zip([1.0 / z, 1f64.exp() / z, 0.5f64.exp() / z]) {
        assert!((got - want).abs() < 1e-15);
    }
}

#[test]
fn invalid_models_are_refused_once_with_the_place() {
    let check = |mutate: &dyn Fn(&mut Tree), want: &str| {
        let mut t = stump(0, 0.5, false, &[1.0], &[2.0]);
        mutate(&mut t);
        let e = Forest::new(parts(Task::Regressor, Aggregation::Mean, vec![t])).unwrap_err();
        assert_eq!(e.to_string(), want);
    };
    check(
        &|t| t.children_left[0] = 0,
        "tree 0, node 0: child 0 is not a later node of this 3-node tree",
    );
    check(
        &|t| t.children_right[0] = 7,
        "tree 0, node 0: child 7 is not a later node of this 3-node tree",
    );
    check(&|t| t.children_right[0] = 1, "tree 0, node 1: the node has more than one parent");
    check(&|t| t.feature[0] = 2, "tree 0, node 0: feature index 2 is outside 0..2");
    check(&|t| t.threshold[0] = f64::NAN, "tree 0, node 0: the threshold is NaN");
    check(&|t| t.value[2] = f64::INFINITY, "tree 0, node 2: leaf value inf is not finite");
    check(
        &|t| t.children_left[1] = 2,
        "tree 0, node 1: one child is a leaf marker and the other is not (2, -1)",
    );
    check(
        &|t| t.value.pop().map(drop).unwrap_or(()),
        "tree 0, node 0: `value` has 2 entries, expected 3 nodes × 1",
    );
    let e = Forest::new(parts(Task::Regressor, Aggregation::Mean, vec![])).unwrap_err();
    assert_eq!(e.to_string(), "invalid model: the model has no trees");
    let mut p =
        parts(Task::Regressor, Aggregation::Mean, vec![stump(0, 0.5, false, &[1.0], &[2.0])]);
    p.schema.features = vec!["a".into(), "a".into()];
    assert_eq!(
        Forest::new(p).unwrap_err().to_string(),
        "invalid model: the feature name `a` appears twice"
    );
    let p = parts(
        Task::Classifier { classes: Labels::Int(vec![3, 3]) },
        Aggregation::Mean,
        vec![stump(0, 0.5, false, &[1.0, 0.0], &[0.0, 1.0])],
    );
    assert_eq!(
        Forest::new(p).unwrap_err().to_string(),
        "invalid model: the class label `3` appears twice"
    );
}

#[test]
fn rows_of_the_wrong_width_are_an_error_not_a_panic() {
    let f = classes(Labels::Int(vec![0, 1]), vec![stump(0, 0.5, false, &[1.0, 0.0], &[0.0, 1.0])]);
    let e = f.predict(&[1.0, 2.0, 3.0]).unwrap_err();
    assert_eq!(e, ForestError::RowWidth { expected: 2, got: 3 });
    assert_eq!(f.predict(&[]).unwrap(), Predictions::Classes(vec![]));
}

#[test]
fn decision_path_and_importances() {
    let mut t = Tree {
        children_left: vec![1, LEAF, 3, LEAF, LEAF],
        children_right: vec![2, LEAF, 4, LEAF, LEAF],
        feature: vec![0, -2, 1, -2, -2],
        threshold: vec![0.5, -2.0, 0.5, -2.0, -2.0],
        missing_go_to_left: vec![false; 5],
        value: vec![0.0; 5],
        stats: Some(NodeStats {
            n_node_samples: vec![4, 2, 2, 1, 1],
            weighted_n_node_samples: vec![4.0, 2.0, 2.0, 1.0, 1.0],
            impurity: vec![0.5, 0.0, 0.5, 0.0, 0.0],
        }),
    };
    let f = Forest::new(parts(Task::Regressor, Aggregation::Mean, vec![t.clone()])).unwrap();
    assert_eq!(f.decision_path(0, &[1.0, 0.0]), Some(vec![0, 2, 3]));
    assert_eq!(f.decision_path(1, &[1.0, 0.0]), None);
    // Decreases: feature 0: 4·0.5 − 2·0 − 2·0.5 = 1; feature 1: 2·0.5 = 1 → 0.5 each.
    assert_eq!(f.feature_importances(), Some(vec![0.5, 0.5]));
    t.stats = None;
    let f = Forest::new(parts(Task::Regressor, Aggregation::Mean, vec![t])).unwrap();
    assert_eq!(f.feature_importances(), None);
    assert_eq!(f.parts().trees[0].max_depth(), 2);
}

#[test]
fn inputs_are_narrowed_as_sklearn_narrows_them() {
    assert_eq!(to_model_input(0.1), Ok(0.1f32));
    assert!(to_model_input(f64::NAN).unwrap().is_nan());
    assert!(to_model_input(f64::INFINITY).is_err());
    assert!(to_model_input(1e39).is_err());
    assert_eq!(to_model_input(3.4e38), Ok(3.4e38f32));
}

/// A small deterministic generator (xorshift), so the random forests below are the same on
/// every run without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A random, unbalanced classifier tree in sklearn's depth-first node order.
fn random_tree(rng: &mut Rng, n_features: usize, width: usize, max_depth: usize) -> Tree {
    let mut t = Tree {
        children_left: vec![],
        children_right: vec![],
        feature: vec![],
        threshold: vec![],
        missing_go_to_left: vec![],
        value: vec![],
        stats: None,
    };
    fn grow(t: &mut Tree, rng: &mut Rng, n_features: usize, width: usize, depth: usize) -> i32 {
        let id = t.children_left.len();
        t.children_left.push(LEAF);
        t.children_right.push(LEAF);
        t.feature.push(-2);
        t.threshold.push(-2.0);
        t.missing_go_to_left.push(false);
        let raw: Vec<f64> = (0..width).map(|_| rng.unit()).collect();
        let sum: f64 = raw.iter().sum();
        t.value.extend(raw.iter().map(|v| v / sum));
        if depth > 0 && rng.below(8) != 0 {
            t.feature[id] = rng.below(n_features as u64) as i32;
            t.threshold[id] = rng.unit() * 2.0 - 1.0;
            t.missing_go_to_left[id] = rng.below(2) == 0;
            let shorter = rng.below(2) as usize;
            let left = grow(t, rng, n_features, width, depth - 1 - shorter.min(depth - 1));
            let right = grow(t, rng, n_features, width, depth.saturating_sub(1));
            t.children_left[id] = left;
            t.children_right[id] = right;
        }
        id as i32
    }
    grow(&mut t, rng, n_features, width, max_depth);
    t
}

/// sklearn's rule written as plainly as possible: the reference the fast walks must match.
fn reference_leaf(tree: &Tree, row: &[f32]) -> Vec<usize> {
    let mut path = vec![0];
    let mut i = 0;
    while !tree.is_leaf(i) {
        let x = row[tree.feature[i] as usize];
        let left =
            if x.is_nan() { tree.missing_go_to_left[i] } else { f64::from(x) <= tree.threshold[i] };
        i = if left { tree.children_left[i] } else { tree.children_right[i] } as usize;
        path.push(i);
    }
    path
}

#[test]
fn every_walk_agrees_with_the_plain_rule_alone_in_blocks_and_with_nan() {
    let (n_features, width) = (5, 3);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // 70 trees: more than one group of lanes and of trees; 2300 rows: a part-filled last group
    // of lanes, and enough rows for the batch to be split over threads.
    let trees: Vec<Tree> = (0..70).map(|_| random_tree(&mut rng, n_features, width, 14)).collect();
    let mut p = parts(
        Task::Classifier { classes: Labels::Int(vec![0, 1, 2]) },
        Aggregation::Mean,
        trees.clone(),
    );
    p.schema.features = (0..n_features).map(|i| format!("f{i}")).collect();
    let forest = Forest::new(p).expect("a valid model");
    let rows: Vec<f32> = (0..2300 * n_features)
        .map(|i| {
            // Some NaN, some values exactly on a threshold's float32 neighbourhood.
            if i % 37 == 5 {
                f32::NAN
            } else {
                (rng.unit() * 2.2 - 1.1) as f32
            }
        })
        .collect();
    let mut expected = Vec::new();
    for row in rows.chunks(n_features) {
        let mut sum = [0.0; 3];
        for tree in &trees {
            let leaf = *reference_leaf(tree, row).last().expect("a path");
            sum.iter_mut().zip(&tree.value[leaf * width..]).for_each(|(s, v)| *s += v);
        }
        expected.extend(sum.map(|s| s / trees.len() as f64));
    }
    assert_eq!(forest.predict_proba(&rows).unwrap().unwrap(), expected, "a batch");
    let no_nan: Vec<f32> = rows.iter().map(|x| if x.is_nan() { 0.25 } else { *x }).collect();
    let batch = forest.predict_proba(&no_nan).unwrap().unwrap();
    for (r, row) in no_nan.chunks(n_features).enumerate() {
        let alone = forest.predict_proba(row).unwrap().unwrap();
        assert_eq!(alone, batch[r * width..(r + 1) * width], "row {r} alone");
    }
    for (r, row) in rows.chunks(n_features).enumerate().step_by(7) {
        let alone = forest.predict_proba(row).unwrap().unwrap();
        assert_eq!(alone, expected[r * width..(r + 1) * width], "row {r} alone, maybe NaN");
        for (t, tree) in trees.iter().enumerate().step_by(5) {
            assert_eq!(forest.decision_path(t, row), Some(reference_leaf(tree, row)));
        }
    }
}
