//! From an unpickled sklearn estimator to [`ForestParts`]: dispatch on the class, and what
//! every estimator shares (schema, labels, provenance, the sklearn version that wrote it).

mod forest;
mod gb;
mod tree;

use std::collections::BTreeMap;

use grove_forest::{ForestParts, Labels, Provenance, Schema};

use crate::error::{ImportError, Result};
use crate::pickle::{Doc, Obj, Value};
use crate::ImportOptions;

/// What grove imports, for error messages.
pub(crate) const SUPPORTED: &str = "sklearn DecisionTreeClassifier, DecisionTreeRegressor, \
    ExtraTreeClassifier, ExtraTreeRegressor, RandomForestClassifier, RandomForestRegressor, \
    ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier, \
    GradientBoostingRegressor (single-output, sklearn 1.1 to 1.9)";

/// The sklearn release that pickled an estimator, as `(major, minor)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SkVersion(pub(crate) u32, pub(crate) u32);

impl SkVersion {
    fn parse(s: &str) -> Option<SkVersion> {
        let mut it = s.split('.');
        let major = it.next()?.parse().ok()?;
        let minor: String = it.next()?.chars().take_while(char::is_ascii_digit).collect();
        Some(SkVersion(major, minor.parse().ok()?))
    }
}

/// One estimator being converted, with what every converter needs at hand.
pub(crate) struct Est<'d> {
    pub(crate) doc: &'d Doc,
    pub(crate) value: Value,
    /// Full class name, e.g. `sklearn.ensemble._forest.RandomForestClassifier`.
    pub(crate) class: String,
    /// `_sklearn_version` as written, if any.
    pub(crate) version_text: Option<String>,
    pub(crate) version: SkVersion,
}

impl<'d> Est<'d> {
    pub(crate) fn new(doc: &'d Doc, value: Value) -> Result<Est<'d>> {
        let class = match doc.obj(value) {
            Some(Obj::Instance { class, .. }) => class.clone(),
            Some(other) => {
                return Err(ImportError::NotAnEstimator { found: format!("a {}", describe(other)) })
            }
            None => return Err(ImportError::NotAnEstimator { found: "a plain value".into() }),
        };
        let version_text =
            doc.attr(value, "_sklearn_version").and_then(|v| doc.str(v)).map(String::from);
        // Without a version stamp, assume the older layout: it is the one whose probabilities
        // need normalising, and normalising already-normalised values is harmless.
        let version = version_text.as_deref().and_then(SkVersion::parse).unwrap_or(SkVersion(1, 0));
        Ok(Est { doc, value, class, version_text, version })
    }

    pub(crate) fn short_name(&self) -> &str {
        self.class.rsplit('.').next().unwrap_or(&self.class)
    }

    pub(crate) fn attr(&self, name: &str) -> Option<Value> {
        self.doc.attr(self.value, name)
    }

    pub(crate) fn need(&self, name: &str) -> Result<Value> {
        self.attr(name).ok_or_else(|| self.malformed(format!("it has no `{name}`; is it fitted?")))
    }

    pub(crate) fn int_attr(&self, name: &str) -> Option<i64> {
        self.attr(name).and_then(|v| self.doc.int(v))
    }

    pub(crate) fn malformed(&self, problem: impl std::fmt::Display) -> ImportError {
        ImportError::Malformed { estimator: self.class.clone(), problem: problem.to_string() }
    }

    pub(crate) fn unsupported(&self, problem: impl Into<String>) -> ImportError {
        ImportError::Unsupported { estimator: self.class.clone(), problem: problem.into() }
    }

    /// The class labels, in the type numpy kept them in.
    pub(crate) fn labels(&self) -> Result<Labels> {
        let v = self.need("classes_")?;
        if self.doc.items(v).is_some() {
            return Err(self.unsupported("multi-output classifiers are not supported"));
        }
        let a = self.doc.array(v).ok_or_else(|| self.malformed("`classes_` is not an array"))?;
        if a.shape.len() != 1 {
            return Err(self.unsupported("multi-output classifiers are not supported"));
        }
        let m = |e: String| self.malformed(format!("`classes_`: {e}"));
        Ok(match a.dtype.kind {
            b'i' | b'u' => Labels::Int(a.to_i64().map_err(m)?),
            b'f' => Labels::Float(a.to_f64().map_err(m)?),
            b'b' => Labels::Bool(a.to_i64().map_err(m)?.into_iter().map(|x| x != 0).collect()),
            b'U' | b'S' => Labels::Str(a.strings(self.doc).map_err(m)?),
            b'O' => {
                let objs = a.objects().map_err(m)?;
                let ints: Option<Vec<i64>> = objs
                    .iter()
                    .map(|&v| match v {
                        Value::Int(i) => Some(i),
                        _ => None,
                    })
                    .collect();
                match ints {
                    Some(ints) => Labels::Int(ints),
                    None => Labels::Str(a.strings(self.doc).map_err(m)?),
                }
            }
            k => return Err(m(format!("labels of dtype kind `{}`", k as char))),
        })
    }

    /// Feature names: the caller's, else `feature_names_in_`, else `x0..`.
    pub(crate) fn schema(&self, n_features: usize, opts: &ImportOptions) -> Result<Schema> {
        let features = if let Some(names) = &opts.feature_names {
            if names.len() != n_features {
                return Err(ImportError::Unsupported {
                    estimator: self.class.clone(),
                    problem: format!(
                        "{} feature names were given, the model has {n_features} features",
                        names.len()
                    ),
                });
            }
            names.clone()
        } else if let Some(v) = self.attr("feature_names_in_") {
            let a = self
                .doc
                .array(v)
                .ok_or_else(|| self.malformed("`feature_names_in_` is not an array"))?;
            let names = a
                .strings(self.doc)
                .map_err(|e| self.malformed(format!("`feature_names_in_`: {e}")))?;
            if names.len() != n_features {
                return Err(self.malformed(format!(
                    "{} feature names for {n_features} features",
                    names.len()
                )));
            }
            names
        } else {
            (0..n_features).map(|i| format!("x{i}")).collect()
        };
        let target = opts.target_name.clone().unwrap_or_else(|| "prediction".into());
        Ok(Schema { features, target, feature_ranges: None })
    }

    /// `n_features_in_` (sklearn ≥ 1.0), or the older `n_features_`.
    pub(crate) fn n_features(&self) -> Result<usize> {
        let n = self
            .int_attr("n_features_in_")
            .or_else(|| self.int_attr("n_features_"))
            .ok_or_else(|| self.malformed("it has no `n_features_in_`; is it fitted?"))?;
        usize::try_from(n).ok().filter(|&n| n > 0).ok_or_else(|| self.malformed("no features"))
    }

    pub(crate) fn provenance(&self, source: Option<&str>) -> Provenance {
        let mut params = BTreeMap::new();
        for (k, v) in self.doc.dict_pairs(self.doc.state_dict(self.value).unwrap_or(Value::None)) {
            // Hyper-parameters are the public attributes; fitted ones end in `_`.
            if k.starts_with('_') || k.ends_with('_') {
                continue;
            }
            if let Some(s) = self.doc.param_repr(v) {
                params.insert(k.to_string(), s);
            }
        }
        Provenance {
            origin: "imported".into(),
            estimator: self.class.clone(),
            source: source.map(String::from),
            source_version: self.version_text.clone(),
            created_at: rfc3339_now(),
            grove_version: env!("CARGO_PKG_VERSION").into(),
            params,
        }
    }
}

fn describe(obj: &Obj) -> &'static str {
    match obj {
        Obj::Str(_) => "string",
        Obj::Bytes(_) => "bytes object",
        Obj::BigInt => "integer",
        Obj::Tuple(_) => "tuple",
        Obj::List(_) => "list",
        Obj::Dict(_) => "dict",
        Obj::Set(_) => "set",
        Obj::Global { .. } => "class or function reference",
        Obj::Array(_) | Obj::ArrayStub => "numpy array",
        Obj::Dtype(_) => "numpy dtype",
        Obj::Tree { .. } => "bare sklearn Tree",
        Obj::Instance { .. } | Obj::Opaque(_) => "object",
    }
}

/// Converts the estimator at `root`.
pub(crate) fn to_parts(
    doc: &Doc,
    root: Value,
    opts: &ImportOptions,
    source: Option<&str>,
) -> Result<ForestParts> {
    let est = Est::new(doc, root)?;
    let parts = match est.short_name() {
        "DecisionTreeClassifier"
        | "DecisionTreeRegressor"
        | "ExtraTreeClassifier"
        | "ExtraTreeRegressor" => forest::single_tree(&est, opts, source)?,
        "RandomForestClassifier"
        | "RandomForestRegressor"
        | "ExtraTreesClassifier"
        | "ExtraTreesRegressor" => forest::forest(&est, opts, source)?,
        "GradientBoostingClassifier" | "GradientBoostingRegressor" => {
            gb::boosting(&est, opts, source)?
        }
        _ => {
            return Err(ImportError::UnsupportedEstimator {
                estimator: est.class.clone(),
                supported: SUPPORTED.into(),
            })
        }
    };
    Ok(grove_forest::Forest::new(parts)?.into_parts())
}

/// The current UTC time as RFC 3339, without a date-time dependency.
fn rfc3339_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil conversion.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(SkVersion::parse("1.3.2"), Some(SkVersion(1, 3)));
        assert_eq!(SkVersion::parse("1.6.dev0"), Some(SkVersion(1, 6)));
        assert_eq!(SkVersion::parse("1.10rc1"), Some(SkVersion(1, 10)));
        assert_eq!(SkVersion::parse("x"), None);
    }

    #[test]
    fn time_is_rfc3339() {
        let t = rfc3339_now();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T');
    }
}
