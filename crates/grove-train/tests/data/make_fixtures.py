"""Writes sklearn_trees.json: what scikit-learn 1.9.1 grows on the wine data, for
tests/sklearn_parity.rs to compare against, bit for bit.

Run from the repository root with the project's venv (sklearn 1.9.1, numpy 2.x):

    .venv/bin/python crates/grove-train/tests/data/make_fixtures.py

The data are read as grove reads them: red rows then white, `is_red` 1/0 as the 12th column,
spaces in names replaced by `_`, decimal text parsed as float64. Floats are stored as the
integer of their IEEE-754 bits (JSON decimal parsers are not all exact).
"""
import json
import os
import struct

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._sorting import _py_simultaneous_sort

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "data", "wine-quality")


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def seq_sum(values):
    # Left-to-right, as the Rust test sums; numpy's own sum is pairwise.
    s = 0.0
    for v in values:
        s += float(v)
    return s


def digest(tree):
    t = tree.tree_
    split = t.children_left != -1
    nodes = t.__getstate__()["nodes"]
    return {
        "node_count": int(t.node_count),
        "max_depth": int(t.max_depth),
        "n_leaves": int(t.n_leaves),
        "children_left_sum": int(t.children_left.sum()),
        "children_right_sum": int(t.children_right.sum()),
        "feature_sum": int(t.feature.sum()),
        "missing_left_count": int(nodes["missing_go_to_left"][split].sum()),
        "n_node_samples_sum": int(t.n_node_samples.sum()),
        "threshold_sum": bits(seq_sum(t.threshold)),
        "impurity_sum": bits(seq_sum(t.impurity)),
        "weighted_sum": bits(seq_sum(t.weighted_n_node_samples)),
        "value_sum": bits(seq_sum(t.value.reshape(-1))),
    }


def full(tree):
    t = tree.tree_
    nodes = t.__getstate__()["nodes"]
    return {
        "children_left": t.children_left.tolist(),
        "children_right": t.children_right.tolist(),
        "feature": t.feature.tolist(),
        "threshold": [bits(v) for v in t.threshold],
        "missing_go_to_left": [bool(v) for v in nodes["missing_go_to_left"]],
        "impurity": [bits(v) for v in t.impurity],
        "n_node_samples": t.n_node_samples.tolist(),
        "weighted_n_node_samples": [bits(v) for v in t.weighted_n_node_samples],
        "value": [bits(v) for v in t.value.reshape(-1)],
    }


def load():
    red = pd.read_csv(os.path.join(DATA, "winequality-red.csv"), sep=";")
    white = pd.read_csv(os.path.join(DATA, "winequality-white.csv"), sep=";")
    red["is_red"] = 1
    white["is_red"] = 0
    df = pd.concat([red, white], ignore_index=True)
    df.columns = [c.replace(" ", "_") for c in df.columns]
    y = df.pop("quality")
    return df, y


def main():
    X, y = load()
    X_alc = X.drop(columns=["alcohol"])
    y_alc = X["alcohol"]
    cases = []

    def case(name, model, X_, y_, target, full_tree=None, features=None):
        model.fit(X_, y_)
        trees = model.estimators_ if hasattr(model, "estimators_") else [model]
        entry = {
            "name": name,
            "estimator": type(model).__name__,
            "params": {k: v for k, v in model.get_params().items()
                       if k in ("n_estimators", "criterion", "max_depth", "min_samples_split",
                                "min_samples_leaf", "max_features", "bootstrap", "random_state")},
            "target": target,
            "features": features or list(X_.columns),
            "trees": [digest(t) for t in trees],
        }
        if full_tree is not None:
            entry["full_tree"] = full(trees[full_tree])
        cases.append(entry)

    case("rf_classifier_seed42", RandomForestClassifier(n_estimators=10, random_state=42),
         X, y, "quality_class")
    case("rf_regressor_seed42", RandomForestRegressor(n_estimators=10, random_state=42),
         X, y, "quality_value")
    case("rf_classifier_depth8_leaf3",
         RandomForestClassifier(n_estimators=10, random_state=42, max_depth=8, min_samples_leaf=3),
         X, y, "quality_class", full_tree=0)
    case("rf_regressor_depth8_leaf3",
         RandomForestRegressor(n_estimators=10, random_state=42, max_depth=8, min_samples_leaf=3),
         X, y, "quality_value")
    case("decision_tree_depth8_seed0", DecisionTreeClassifier(random_state=0, max_depth=8),
         X, y, "quality_class")
    case("rf_entropy_log2_seed3",
         RandomForestClassifier(n_estimators=3, criterion="entropy", max_features="log2",
                                random_state=3),
         X, y, "quality_class")
    case("rf_classifier_no_bootstrap_frac",
         RandomForestClassifier(n_estimators=3, bootstrap=False, max_features=0.5,
                                min_samples_split=5, random_state=11),
         X, y, "quality_class")
    # Non-integer targets: only sklearn's exact sample order reproduces these sums.
    case("rf_regressor_alcohol",
         RandomForestRegressor(n_estimators=3, max_features=4, random_state=7),
         X_alc, y_alc, "alcohol_value")
    case("tree_regressor_alcohol_depth6",
         DecisionTreeRegressor(random_state=5, max_depth=6),
         X_alc, y_alc, "alcohol_value", full_tree=0)

    # sklearn's own introsort on values with many ties: the permutation it leaves.
    rng = np.random.RandomState(0)
    values = rng.randint(0, 20, size=300).astype(np.float32)
    indices = np.arange(300, dtype=np.intp)
    sorted_values = values.copy()
    _py_simultaneous_sort(sorted_values, indices, 300, use_three_way_partition=True)

    out = {
        "what": "sklearn trees on the wine data, made by make_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "sort": {"values": values.astype(int).tolist(), "permutation": indices.tolist()},
        "cases": cases,
    }
    with open(os.path.join(HERE, "sklearn_trees.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
