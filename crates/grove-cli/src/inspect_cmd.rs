use std::fmt::Write as _;

use anyhow::Result;
use grove_forest::{Forest, Task, Tree};
use serde_json::{json, Value};

use crate::cli::InspectArgs;
use crate::load::load_model;

/// Per-tree shape, as sklearn reports it (`node_count`, `get_depth()`, `get_n_leaves()`).
fn tree_summary(t: &Tree) -> Value {
    json!({"node_count": t.node_count(), "max_depth": t.max_depth(), "n_leaves": t.n_leaves()})
}

pub fn report(forest: &Forest) -> Value {
    let parts = forest.parts();
    let importances = forest.feature_importances();
    let ranges = parts.schema.feature_ranges.as_ref();
    let features: Vec<Value> = parts
        .schema
        .features
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({
                "name": name,
                "importance": importances.as_ref().map(|v| v[i]),
                "range": ranges.map(|r| [r[i].min, r[i].max]),
            })
        })
        .collect();
    let (kind, classes) = match &parts.task {
        Task::Classifier { classes } => {
            ("classifier", Some(classes.iter().map(grove_request::label_json).collect::<Vec<_>>()))
        }
        Task::Regressor => ("regressor", None),
    };
    json!({
        "name": parts.name,
        "kind": kind,
        "target": parts.schema.target,
        "classes": classes,
        "aggregation": forest.describe_combination(),
        "missing_values": parts.missing,
        "provenance": parts.provenance,
        "features": features,
        "n_trees": parts.trees.len(),
        "total_nodes": parts.trees.iter().map(Tree::node_count).sum::<usize>(),
        "trees": parts.trees.iter().map(tree_summary).collect::<Vec<_>>(),
    })
}

pub fn text(forest: &Forest) -> String {
    let parts = forest.parts();
    let p = &parts.provenance;
    let mut s = String::new();
    let kind = match &parts.task {
        Task::Classifier { classes } => format!("classifier, {} classes", classes.len()),
        Task::Regressor => "regressor".into(),
    };
    let _ = writeln!(s, "model      {} ({kind})", parts.name);
    let _ = writeln!(s, "estimator  {} ({} by grove {})", p.estimator, p.origin, p.grove_version);
    if let Some(src) = &p.source {
        let version =
            p.source_version.as_deref().map(|v| format!(" (version {v})")).unwrap_or_default();
        let _ = writeln!(s, "source     {src}{version}");
    }
    let _ = writeln!(s, "created    {}", p.created_at);
    if !p.params.is_empty() {
        let params: Vec<String> = p.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(s, "params     {}", params.join(" "));
    }
    let _ = writeln!(s, "target     {}", parts.schema.target);
    if let Some(classes) = forest.classes() {
        let labels: Vec<String> = classes.iter().map(|l| l.to_string()).collect();
        let _ = writeln!(s, "classes    {}", labels.join(" "));
    }
    let _ = writeln!(s, "combine    {}", forest.describe_combination());
    let missing = match parts.missing {
        grove_forest::MissingValues::Route => "routed by each split's missing_go_to_left",
        grove_forest::MissingValues::Refuse => "refused",
    };
    let _ = writeln!(s, "missing    {missing}");
    let importances = forest.feature_importances();
    let _ = writeln!(s, "features   {}", parts.schema.features.len());
    let width = parts.schema.features.iter().map(String::len).max().unwrap_or(0);
    for (i, name) in parts.schema.features.iter().enumerate() {
        let imp = importances.as_ref().map_or("      -".into(), |v| format!("{:7.4}", v[i]));
        let range = parts
            .schema
            .feature_ranges
            .as_ref()
            .map_or(String::new(), |r| format!("  [{}, {}]", r[i].min, r[i].max));
        let _ = writeln!(s, "  {i:>3}  {name:<width$}  {imp}{range}");
    }
    let nodes: Vec<usize> = parts.trees.iter().map(Tree::node_count).collect();
    let depths: Vec<usize> = parts.trees.iter().map(Tree::max_depth).collect();
    let _ = writeln!(
        s,
        "trees      {} ({} nodes; per tree {}..{} nodes, depth {}..{})",
        nodes.len(),
        nodes.iter().sum::<usize>(),
        nodes.iter().min().unwrap_or(&0),
        nodes.iter().max().unwrap_or(&0),
        depths.iter().min().unwrap_or(&0),
        depths.iter().max().unwrap_or(&0),
    );
    let _ = writeln!(s, "  tree  nodes  leaves  depth");
    for (i, t) in parts.trees.iter().enumerate() {
        let _ = writeln!(
            s,
            "  {i:>4}  {:>5}  {:>6}  {:>5}",
            t.node_count(),
            t.n_leaves(),
            t.max_depth()
        );
    }
    s
}

pub fn run(args: &InspectArgs) -> Result<String> {
    let forest = load_model(&args.model, &args.options)?;
    Ok(if args.json {
        serde_json::to_string_pretty(&report(&forest))? + "\n"
    } else {
        text(&forest)
    })
}
