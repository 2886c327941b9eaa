//! `grove inspect`: a model's card, as text for a person or as the JSON of `GET /model`.

use std::fmt::Write as _;

use anyhow::Result;
use grove_builtin::TUTORIAL_ROW;
use grove_forest::{Forest, Task, Tree};
use grove_request::{ModelCard, ServedModel};

use crate::cli::InspectArgs;
use crate::load::load_model;

/// The model card `GET /model` serves (without its links to a server's routes), so a program
/// reads one document whichever way it asks; `version` is the content version a server of this
/// file would report.
pub fn report(forest: Forest) -> ModelCard {
    ModelCard::new(&ServedModel::with_content_version(forest), &TUTORIAL_ROW)
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
        serde_json::to_string_pretty(&report(forest))? + "\n"
    } else {
        text(&forest)
    })
}
