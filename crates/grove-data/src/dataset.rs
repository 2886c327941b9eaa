//! A training table in memory: float64 features as parsed, and the target as class labels
//! (kept in `np.unique` order) or values.

use grove_forest::{FeatureRange, Labels};

/// A numeric training table: features row-major as parsed (float64), and the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Feature names in column order.
    pub feature_names: Vec<String>,
    /// `n_rows × feature_names.len()` values, row-major.
    pub x: Vec<f64>,
    /// Number of rows.
    pub n_rows: usize,
    /// The target column's name.
    pub target_name: String,
    /// The target values.
    pub target: Target,
}

/// A target column, as a classifier or a regressor reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Class labels (sorted as numpy's `unique` sorts them) and each row's index into them.
    Classes {
        /// The distinct labels, sorted.
        labels: Labels,
        /// Each row's class index.
        index: Vec<u32>,
    },
    /// Numeric targets for regression.
    Values(Vec<f64>),
}

impl Dataset {
    /// The smallest and largest finite value of every feature.
    pub fn feature_ranges(&self) -> Vec<FeatureRange> {
        let p = self.feature_names.len();
        let mut ranges = vec![FeatureRange { min: f64::INFINITY, max: f64::NEG_INFINITY }; p];
        for row in self.x.chunks_exact(p) {
            for (r, &v) in ranges.iter_mut().zip(row) {
                if v.is_finite() {
                    r.min = r.min.min(v);
                    r.max = r.max.max(v);
                }
            }
        }
        ranges
    }
}

/// Reads a target column's cells as class labels, keeping their type: all integers → integer
/// labels, else all numbers → float labels, else strings. Labels are sorted as numpy sorts them.
pub fn classes_from_cells(cells: &[String]) -> Target {
    if let Some(ints) =
        cells.iter().map(|c| c.trim().parse::<i64>().ok()).collect::<Option<Vec<_>>>()
    {
        let mut labels = ints.clone();
        labels.sort_unstable();
        labels.dedup();
        let index = ints.iter().map(|v| labels.binary_search(v).unwrap_or(0) as u32).collect();
        return Target::Classes { labels: Labels::Int(labels), index };
    }
    let floats: Option<Vec<f64>> = cells.iter().map(|c| c.trim().parse::<f64>().ok()).collect();
    if let Some(floats) = floats.filter(|f| f.iter().all(|v| v.is_finite())) {
        let mut labels = floats.clone();
        labels.sort_by(f64::total_cmp);
        labels.dedup();
        let index = floats
            .iter()
            .map(|v| labels.binary_search_by(|l| l.total_cmp(v)).unwrap_or(0) as u32)
            .collect();
        return Target::Classes { labels: Labels::Float(labels), index };
    }
    // Rust orders strings by UTF-8 bytes, which is code-point order: numpy's order for str.
    let mut labels: Vec<String> = cells.to_vec();
    labels.sort_unstable();
    labels.dedup();
    let index = cells.iter().map(|v| labels.binary_search(v).unwrap_or(0) as u32).collect();
    Target::Classes { labels: Labels::Str(labels), index }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn labels_keep_the_column_type() {
        assert_eq!(
            classes_from_cells(&cells(&["6", "5", "6", "10"])),
            Target::Classes { labels: Labels::Int(vec![5, 6, 10]), index: vec![1, 0, 1, 2] }
        );
        assert_eq!(
            classes_from_cells(&cells(&["1.5", "0.5"])),
            Target::Classes { labels: Labels::Float(vec![0.5, 1.5]), index: vec![1, 0] }
        );
        assert_eq!(
            classes_from_cells(&cells(&["white", "red", "Rosé"])),
            Target::Classes {
                labels: Labels::Str(cells(&["Rosé", "red", "white"])),
                index: vec![2, 1, 0]
            }
        );
    }
}
