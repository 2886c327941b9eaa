//! The model card: everything a person or a program needs to understand a model without
//! reading its file. One type, [`ModelCard`], is the body of `GET /model`, the output of
//! `grove inspect --json` and (through [`ModelCard::json_schema`]) the OpenAPI document's
//! schema of that body, so the three cannot drift apart.
//!
//! The card spells the model in its own types (`kind`, `missing_values`, `provenance`), not
//! through derives on `grove-forest`'s types, so a change of the model type is a compile error
//! here rather than a silent change of what clients read.

use std::collections::BTreeMap;

use grove_forest::{Forest, MissingValues, Task, Tree};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::{label_json, ServedModel};

/// `GET /model` and `grove inspect --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCard {
    /// The served name.
    pub name: String,
    /// The version answers carry (for a model read from a file, its content version).
    pub version: String,
    /// Classifier or regressor.
    pub kind: ModelKind,
    /// The predicted quantity's name.
    pub target: String,
    /// The class labels in class order, typed as the training data had them; `null` for a
    /// regressor.
    pub classes: Option<Vec<Value>>,
    /// The labels as the `probabilities` maps and `proba_<label>` columns spell them.
    pub class_names: Option<Vec<String>>,
    /// How the trees' outputs combine, in words.
    pub aggregation: String,
    /// Whether NaN inputs are routed or refused.
    pub missing_values: MissingCard,
    /// Where the model came from.
    pub provenance: ProvenanceCard,
    /// The features in column order.
    pub features: Vec<FeatureCard>,
    /// A row to start from, feature by feature.
    pub example: Map<String, Value>,
    /// Where `example` comes from.
    pub example_source: &'static str,
    /// How many trees.
    pub n_trees: usize,
    /// The node count summed over the trees.
    pub total_nodes: usize,
    /// Whether every tree kept its training statistics (`n_node_samples`, `impurity`).
    pub node_stats: bool,
    /// Each tree's shape, in tree order.
    pub trees: Vec<TreeSummary>,
}

/// `kind`: `classifier` or `regressor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// One label among the classes.
    Classifier,
    /// One real value.
    Regressor,
}

/// `missing_values`: `route` (NaN follows each split's `missing_go_to_left`) or `refuse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingCard {
    /// NaN follows each split's `missing_go_to_left`.
    Route,
    /// NaN is refused.
    Refuse,
}

/// `provenance`, as the `.grove` header records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvenanceCard {
    /// `trained` (by grove) or `imported`.
    pub origin: String,
    /// The estimator it is equivalent to.
    pub estimator: String,
    /// The file it was imported from or the data it was trained on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The version of the library that made the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    /// RFC 3339 time of training or import.
    pub created_at: String,
    /// The grove version that wrote the model.
    pub grove_version: String,
    /// Hyper-parameters, spelled as sklearn spells them.
    pub params: BTreeMap<String, String>,
}

/// One feature of the card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureCard {
    /// The column name.
    pub name: String,
    /// Its impurity-based importance, when the trees kept their statistics.
    pub importance: Option<f64>,
    /// `[min, max]` seen in training, when the producer recorded it.
    pub range: Option<[f64; 2]>,
    /// The lowest and highest threshold the trees test it against (`null` when no split uses
    /// it): a range to vary it over when `range` is unknown.
    pub split_range: Option<[f64; 2]>,
}

/// One tree's shape, as sklearn reports it (`node_count`, `get_n_leaves()`, `get_depth()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TreeSummary {
    /// Nodes, leaves included.
    pub node_count: usize,
    /// Leaves.
    pub n_leaves: usize,
    /// The longest root-to-leaf path, in edges (a lone leaf has depth 0).
    pub max_depth: usize,
}

/// The lowest and highest threshold the trees test on each feature.
fn split_ranges(forest: &Forest) -> Vec<Option<[f64; 2]>> {
    let mut out: Vec<Option<[f64; 2]>> = vec![None; forest.n_features()];
    for tree in &forest.parts().trees {
        for i in (0..tree.node_count()).filter(|&i| !tree.is_leaf(i)) {
            let (f, t) = (tree.feature[i] as usize, tree.threshold[i]);
            let r = out[f].get_or_insert([t, t]);
            r[0] = r[0].min(t);
            r[1] = r[1].max(t);
        }
    }
    out
}

/// A value near `x` with about four significant digits of the range's width, so the page
/// shows `9.85`, not `9.850000000000001`.
fn round_for(x: f64, width: f64) -> f64 {
    if !x.is_finite() || width <= 0.0 || !width.is_finite() {
        return x;
    }
    let decimals = (3 - width.log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// The row the card starts from: `tutorial_row` when the model reads exactly its features
/// (the wine models), otherwise the middle of each feature's training range (or of its split
/// thresholds).
fn example(
    forest: &Forest,
    splits: &[Option<[f64; 2]>],
    tutorial_row: &[(&str, f64)],
) -> (Map<String, Value>, &'static str) {
    let schema = forest.schema();
    let is_tutorial = schema.features.len() == tutorial_row.len()
        && tutorial_row.iter().all(|(name, _)| schema.feature_index(name).is_some());
    if is_tutorial {
        let row = schema
            .features
            .iter()
            .map(|f| {
                let v = tutorial_row.iter().find(|(n, _)| n == f).map_or(0.0, |(_, v)| *v);
                (f.clone(), json!(v))
            })
            .collect();
        return (row, "the tutorial's example wine");
    }
    let row = schema
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let range = schema.feature_ranges.as_ref().map(|r| [r[i].min, r[i].max]).or(splits[i]);
            let v = range.map_or(0.0, |[lo, hi]| round_for((lo + hi) / 2.0, hi - lo));
            (f.clone(), json!(v))
        })
        .collect();
    (row, "the middle of each feature's range")
}

/// The class labels as the `probabilities` maps and `proba_<label>` columns spell them.
pub fn class_names(forest: &Forest) -> Option<Vec<String>> {
    forest.classes().map(|c| c.iter().map(|l| l.to_string()).collect())
}

impl ModelCard {
    /// The card of `model`. Its `example` is `tutorial_row` (feature, value) when the model
    /// reads exactly those features; callers pass the tutorial's wine
    /// (`grove_builtin::TUTORIAL_ROW`), which this crate does not embed.
    pub fn new(model: &ServedModel, tutorial_row: &[(&str, f64)]) -> ModelCard {
        let forest = &model.forest;
        let parts = forest.parts();
        let schema = forest.schema();
        let importances = forest.feature_importances();
        let splits = split_ranges(forest);
        let ranges = schema.feature_ranges.as_ref();
        let features = schema
            .features
            .iter()
            .enumerate()
            .map(|(i, name)| FeatureCard {
                name: name.clone(),
                importance: importances.as_ref().map(|v| v[i]),
                range: ranges.map(|r| [r[i].min, r[i].max]),
                split_range: splits[i],
            })
            .collect();
        let (kind, classes) = match &parts.task {
            Task::Classifier { classes } => {
                (ModelKind::Classifier, Some(classes.iter().map(label_json).collect()))
            }
            Task::Regressor => (ModelKind::Regressor, None),
        };
        let (example, example_source) = example(forest, &splits, tutorial_row);
        let p = &parts.provenance;
        ModelCard {
            name: model.name().to_string(),
            version: model.version.clone(),
            kind,
            target: schema.target.clone(),
            classes,
            class_names: class_names(forest),
            aggregation: forest.describe_combination(),
            missing_values: match parts.missing {
                MissingValues::Route => MissingCard::Route,
                MissingValues::Refuse => MissingCard::Refuse,
            },
            provenance: ProvenanceCard {
                origin: p.origin.clone(),
                estimator: p.estimator.clone(),
                source: p.source.clone(),
                source_version: p.source_version.clone(),
                created_at: p.created_at.clone(),
                grove_version: p.grove_version.clone(),
                params: p.params.clone(),
            },
            features,
            example,
            example_source,
            n_trees: parts.trees.len(),
            total_nodes: parts.trees.iter().map(Tree::node_count).sum(),
            node_stats: parts.trees.iter().all(|t| t.stats.is_some()),
            trees: parts
                .trees
                .iter()
                .map(|t| TreeSummary {
                    node_count: t.node_count(),
                    n_leaves: t.n_leaves(),
                    max_depth: t.max_depth(),
                })
                .collect(),
        }
    }

    /// The JSON Schema of a card, beside the type so that the two are changed together (a test
    /// holds every field of a serialised card to this schema's properties). `label` is the
    /// schema of one of the model's class labels.
    pub fn json_schema(label: Value) -> Value {
        let pair = json!({"type": ["array", "null"], "items": {"type": "number"}, "minItems": 2, "maxItems": 2});
        let feature = json!({
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "importance": {"type": ["number", "null"]},
                "range": pair,
                "split_range": pair,
            },
            "required": ["name", "importance", "range", "split_range"],
        });
        let tree = json!({
            "type": "object",
            "properties": {
                "node_count": {"type": "integer", "minimum": 1},
                "n_leaves": {"type": "integer", "minimum": 1},
                "max_depth": {"type": "integer", "minimum": 0},
            },
            "required": ["node_count", "n_leaves", "max_depth"],
        });
        let provenance = json!({
            "type": "object",
            "properties": {
                "origin": {"type": "string"},
                "estimator": {"type": "string"},
                "source": {"type": "string"},
                "source_version": {"type": "string"},
                "created_at": {"type": "string"},
                "grove_version": {"type": "string"},
                "params": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "required": ["origin", "estimator", "created_at", "grove_version", "params"],
        });
        let properties = json!({
            "name": {"type": "string"},
            "version": {"type": "string"},
            "kind": {"type": "string", "enum": ["classifier", "regressor"]},
            "target": {"type": "string"},
            "classes": {"type": ["array", "null"], "items": label},
            "class_names": {"type": ["array", "null"], "items": {"type": "string"}},
            "aggregation": {"type": "string"},
            "missing_values": {"type": "string", "enum": ["route", "refuse"]},
            "provenance": provenance,
            "features": {"type": "array", "items": feature},
            "example": {"type": "object", "additionalProperties": {"type": "number"}},
            "example_source": {"type": "string"},
            "n_trees": {"type": "integer", "minimum": 1},
            "total_nodes": {"type": "integer", "minimum": 1},
            "node_stats": {"type": "boolean"},
            "trees": {"type": "array", "items": tree},
        });
        let required: Vec<&String> =
            properties.as_object().map(|p| p.keys().collect()).unwrap_or_default();
        json!({"type": "object", "properties": properties, "required": required})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midpoints_are_rounded_to_the_range() {
        assert_eq!(round_for((3.8 + 15.9) / 2.0, 12.1), 9.85);
        assert_eq!(round_for((0.009 + 0.611) / 2.0, 0.602), 0.31);
        assert_eq!(round_for(220.0 + 1.0 / 3.0, 434.0), 220.3);
        assert_eq!(round_for(0.5, 0.0), 0.5);
    }

    /// The schema names exactly the fields a card has, at both levels that have fields.
    #[test]
    fn the_schema_lists_every_field_of_the_card() {
        let model = ServedModel::with_content_version(grove_builtin::wine_quality().unwrap());
        let card =
            serde_json::to_value(ModelCard::new(&model, &grove_builtin::TUTORIAL_ROW)).unwrap();
        let schema = ModelCard::json_schema(json!({"type": "integer"}));
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&card), keys(&schema["properties"]));
        assert_eq!(json!(keys(&card)), schema["required"]);
        assert_eq!(
            keys(&card["features"][0]),
            keys(&schema["properties"]["features"]["items"]["properties"])
        );
        assert_eq!(
            keys(&card["trees"][0]),
            keys(&schema["properties"]["trees"]["items"]["properties"])
        );
        assert_eq!(card["example_source"], "the tutorial's example wine");
        assert_eq!(card["missing_values"], "route");
        assert_eq!(card["provenance"]["origin"], "trained");
    }
}
