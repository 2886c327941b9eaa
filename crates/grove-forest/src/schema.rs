//! What a model reads and answers: feature names, target name, training ranges, class labels,
//! and Python's `repr(float)` for answers that must read as sklearn's do.

/// What the model reads and what it answers: feature names in column order, the target's name,
/// and the ranges each feature took in training when they are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Feature names, in the column order the trees index.
    pub features: Vec<String>,
    /// The name of the predicted quantity (`quality` for the wine model).
    pub target: String,
    /// Per-feature `[min, max]` seen in training, when the producer knew them.
    pub feature_ranges: Option<Vec<FeatureRange>>,
}

impl Schema {
    /// The column index of a feature, by exact name.
    pub fn feature_index(&self, name: &str) -> Option<usize> {
        self.features.iter().position(|f| f == name)
    }
}

/// The smallest and largest value a feature took in the training data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeatureRange {
    /// Smallest finite value seen.
    pub min: f64,
    /// Largest finite value seen.
    pub max: f64,
}

/// Class labels, kept in the type the training data had, so that an answer is `6`, not `"6"`.
///
/// The order is the model's class order (sklearn's `classes_`, which is sorted).
#[derive(Debug, Clone, PartialEq)]
pub enum Labels {
    /// Integer labels, like the wine `quality` scores.
    Int(Vec<i64>),
    /// Floating-point labels.
    Float(Vec<f64>),
    /// String labels.
    Str(Vec<String>),
    /// Boolean labels (numpy `bool` classes).
    Bool(Vec<bool>),
}

impl Labels {
    /// How many classes there are.
    pub fn len(&self) -> usize {
        match self {
            Labels::Int(v) => v.len(),
            Labels::Float(v) => v.len(),
            Labels::Str(v) => v.len(),
            Labels::Bool(v) => v.len(),
        }
    }

    /// True when there are no classes (never true for a validated model).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The label at a class index.
    pub fn get(&self, index: usize) -> Option<Label<'_>> {
        Some(match self {
            Labels::Int(v) => Label::Int(*v.get(index)?),
            Labels::Float(v) => Label::Float(*v.get(index)?),
            Labels::Str(v) => Label::Str(v.get(index)?),
            Labels::Bool(v) => Label::Bool(*v.get(index)?),
        })
    }

    /// Every label in class order.
    pub fn iter(&self) -> impl Iterator<Item = Label<'_>> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// One class label, borrowed from [`Labels`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Label<'a> {
    /// An integer label.
    Int(i64),
    /// A floating-point label.
    Float(f64),
    /// A string label.
    Str(&'a str),
    /// A boolean label.
    Bool(bool),
}

impl std::fmt::Display for Label<'_> {
    /// Formats the label as Python's `str()` would, so `proba_<label>` column names and JSON
    /// map keys match what sklearn users see (`6`, `6.5`, `1.0`, `red`, `True`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Label::Int(v) => write!(f, "{v}"),
            Label::Float(v) => f.write_str(&python_float_repr(*v)),
            Label::Str(s) => f.write_str(s),
            Label::Bool(true) => f.write_str("True"),
            Label::Bool(false) => f.write_str("False"),
        }
    }
}

/// Python's `repr(float)`: the shortest round-tripping digits, with `.0` on integral values and
/// exponent form outside `1e-4 <= |x| < 1e16`.
pub fn python_float_repr(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let abs = v.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Rust's `{:e}` gives the shortest digits too; Python writes at least two exponent
        // digits and an explicit sign.
        let s = format!("{v:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{v}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_does() {
        for (v, want) in [
            (6.0, "6.0"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (123456.789, "123456.789"),
            (0.0001, "0.0001"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(python_float_repr(v), want, "{v}");
        }
    }

    #[test]
    fn labels_keep_their_type() {
        let l = Labels::Str(vec!["red".into(), "white".into()]);
        assert_eq!(l.get(1), Some(Label::Str("white")));
        assert_eq!(l.get(2), None);
        assert_eq!(Labels::Int(vec![3, 4]).get(0).map(|l| l.to_string()), Some("3".into()));
        assert_eq!(
            Labels::Bool(vec![false, true]).get(1).map(|l| l.to_string()),
            Some("True".into())
        );
    }
}
