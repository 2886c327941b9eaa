//! Gradient boosting: `raw = init + Σ learning_rate · tree`, then the loss's link.
//!
//! The init score is what `_init_raw_predictions` (sklearn ≥ 1.4) or the loss's
//! `get_init_raw_predictions` (≤ 1.3) computes from the init estimator; both are constant over
//! rows, so it is computed once here.

use grove_forest::{Aggregation, ForestParts, Link, MissingValues, Task};

use super::tree::{self, Values};
use super::{Est, SkVersion};
use crate::error::Result;
use crate::pickle::Value;
use crate::ImportOptions;

/// The binary and multi-class losses, by family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loss {
    Binomial,
    Exponential,
    Multinomial,
    Regression,
}

pub(crate) fn boosting(
    est: &Est<'_>,
    opts: &ImportOptions,
    source: Option<&str>,
) -> Result<ForestParts> {
    let doc = est.doc;
    let classifier = est.short_name().ends_with("Classifier");
    let loss_obj = est.attr("_loss").or_else(|| est.attr("loss_"));
    let loss_class = loss_obj.and_then(|v| doc.class_of(v)).unwrap_or("");
    // sklearn ≤ 1.3 kept its own loss classes in `ensemble._gb_losses`; their init formulas
    // differ from the shared `_loss` module's.
    let old_losses = loss_class.contains("_gb_losses") || loss_class.contains("gradient_boosting");
    let loss = match loss_class.rsplit('.').next().unwrap_or("") {
        "BinomialDeviance" | "HalfBinomialLoss" => Loss::Binomial,
        "ExponentialLoss" => Loss::Exponential,
        "MultinomialDeviance" | "HalfMultinomialLoss" => Loss::Multinomial,
        "LeastSquaresError"
        | "LeastAbsoluteError"
        | "HuberLossFunction"
        | "QuantileLossFunction"
        | "HalfSquaredError"
        | "AbsoluteError"
        | "HuberLoss"
        | "PinballLoss"
            if !classifier =>
        {
            Loss::Regression
        }
        "" => return Err(est.malformed("it has no loss object; is it fitted?")),
        other => return Err(est.unsupported(format!("the loss `{other}` is not supported"))),
    };
    let (task, k) = if classifier {
        let classes = est.labels()?;
        let k = classes.len();
        if (loss == Loss::Multinomial) != (k > 2) {
            return Err(est.malformed(format!("loss `{loss_class}` with {k} classes")));
        }
        (Task::Classifier { classes }, if k > 2 { k } else { 1 })
    } else {
        (Task::Regressor, 1)
    };

    let grid = est.need("estimators_")?;
    let grid = doc.array(grid).ok_or_else(|| est.malformed("`estimators_` is not an array"))?;
    if grid.shape.len() != 2 || grid.shape[1] != k {
        return Err(
            est.malformed(format!("`estimators_` has shape {:?}, expected (n, {k})", grid.shape))
        );
    }
    let cells = grid.objects().map_err(|e| est.malformed(format!("`estimators_`: {e}")))?;
    // C order is stage-major: stage 0's K trees, then stage 1's, as sklearn adds them.
    let trees = cells
        .iter()
        .map(|&t| tree::read(est, t, 1, Values::AsStored))
        .collect::<Result<Vec<_>>>()?;
    let tree_outputs: Vec<u32> = (0..trees.len()).map(|i| (i % k) as u32).collect();

    let mut learning_rate = est
        .attr("learning_rate")
        .and_then(|v| doc.float(v))
        .ok_or_else(|| est.malformed("no `learning_rate`"))?;
    let mut init = init_scores(est, loss, old_losses, k, &task)?;
    let link = match loss {
        Loss::Regression => Link::Identity,
        Loss::Multinomial => Link::Softmax,
        // Before 1.4 (the `_gb_losses` classes) the class was the argmax of the probabilities;
        // from 1.4 it is `raw >= 0`. They differ only where p rounds to 0.5.
        Loss::Binomial if old_losses => Link::SigmoidProbaArgmax,
        Loss::Binomial => Link::Sigmoid,
        Loss::Exponential => {
            // The exponential loss answers expit(2·raw). Doubling init and learning rate is
            // exact in binary floating point, so expit of the doubled sum is the same number.
            learning_rate *= 2.0;
            init.iter_mut().for_each(|x| *x *= 2.0);
            Link::Sigmoid
        }
    };
    let n_features = est.n_features()?;
    Ok(ForestParts {
        name: opts.name.clone().unwrap_or_else(|| "model".into()),
        schema: est.schema(n_features, opts)?,
        task,
        aggregation: Aggregation::Additive { init, learning_rate, link, tree_outputs },
        // GradientBoosting validates input with NaN refused, in every release.
        missing: MissingValues::Refuse,
        trees,
        provenance: est.provenance(source),
    })
}

fn init_scores(
    est: &Est<'_>,
    loss: Loss,
    old_losses: bool,
    k: usize,
    task: &Task,
) -> Result<Vec<f64>> {
    let doc = est.doc;
    let init = est.need("init_")?;
    if doc.str(init) == Some("zero") {
        return Ok(vec![0.0; k]);
    }
    let class = doc.class_of(init).unwrap_or("");
    let short = class.rsplit('.').next().unwrap_or("");
    if loss == Loss::Regression {
        if short != "DummyRegressor" {
            return Err(init_refused(est, class));
        }
        let c = doc
            .attr(init, "constant_")
            .ok_or_else(|| est.malformed("the init estimator has no `constant_`"))?;
        let value = match doc.array(c) {
            Some(a) => a.to_f64().map_err(|e| est.malformed(e))?.first().copied(),
            None => doc.float(c),
        };
        return Ok(vec![value.ok_or_else(|| est.malformed("empty init `constant_`"))?]);
    }
    if short != "DummyClassifier" {
        return Err(init_refused(est, class));
    }
    let n_classes = match task {
        Task::Classifier { classes } => classes.len(),
        Task::Regressor => 1,
    };
    let proba = dummy_proba(est, init, n_classes)?;
    // np.finfo(np.float32).eps until sklearn 1.8 switched to float64's.
    let eps = if est.version < SkVersion(1, 8) { f64::from(f32::EPSILON) } else { f64::EPSILON };
    let clip = |p: f64| p.max(eps).min(1.0 - eps);
    Ok(match loss {
        Loss::Binomial | Loss::Exponential => {
            let p = clip(proba[1]);
            let logit = if old_losses { (p / (1.0 - p)).ln() } else { scipy_logit(p) };
            vec![if loss == Loss::Exponential { 0.5 * logit } else { logit }]
        }
        Loss::Multinomial => {
            let p: Vec<f64> = proba.iter().map(|&p| clip(p)).collect();
            if old_losses {
                p.iter().map(|p| p.ln()).collect()
            } else {
                // log(p / gmean(p)), gmean = exp(mean(log p)).
                let logs: Vec<f64> = p.iter().map(|p| p.ln()).collect();
                let gm = (grove_forest::numpy_sum(&logs) / logs.len() as f64).exp();
                p.iter().map(|p| (p / gm).ln()).collect()
            }
        }
        Loss::Regression => vec![0.0],
    })
}

fn init_refused(est: &Est<'_>, class: &str) -> crate::ImportError {
    let class = if class.is_empty() { "a non-estimator value" } else { class };
    est.unsupported(format!(
        "its init estimator `{class}` is not supported (only the default DummyClassifier / \
         DummyRegressor and init='zero' are)"
    ))
}

/// `DummyClassifier.predict_proba` of one row.
fn dummy_proba(est: &Est<'_>, dummy: Value, n_classes: usize) -> Result<Vec<f64>> {
    let doc = est.doc;
    let strategy = doc.attr(dummy, "strategy").and_then(|v| doc.str(v)).unwrap_or("prior");
    let prior = doc
        .attr(dummy, "class_prior_")
        .and_then(|v| doc.array(v))
        .ok_or_else(|| est.malformed("the init DummyClassifier has no `class_prior_`"))?
        .to_f64()
        .map_err(|e| est.malformed(e))?;
    if prior.len() != n_classes {
        return Err(est.malformed(format!("{} class priors for {n_classes} classes", prior.len())));
    }
    Ok(match strategy {
        "prior" => prior,
        "most_frequent" => {
            let mut best = 0;
            for (i, &p) in prior.iter().enumerate() {
                if p > prior[best] {
                    best = i;
                }
            }
            (0..n_classes).map(|i| if i == best { 1.0 } else { 0.0 }).collect()
        }
        "uniform" => vec![1.0 / n_classes as f64; n_classes],
        other => {
            return Err(est.unsupported(format!(
                "an init DummyClassifier with strategy `{other}` is not supported"
            )))
        }
    })
}

/// scipy.special.logit as scipy ≥ 1.12 computes it (log1p form near one half).
fn scipy_logit(x: f64) -> f64 {
    if (0.3..=0.65).contains(&x) {
        let s = 2.0 * (x - 0.5);
        s.ln_1p() - (-s).ln_1p()
    } else {
        (x / (1.0 - x)).ln()
    }
}
