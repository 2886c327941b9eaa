//! Training data, checked once and laid out for the splitter.

use grove_forest::FeatureRange;

use crate::TrainError;

/// The target the caller trains on.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Class indices into a sorted label list the caller holds (sklearn's `np.unique(y)`).
    Classes {
        /// One index per row.
        index: &'a [u32],
        /// How many labels the list has.
        n_classes: usize,
    },
    /// Regression values, one per row.
    Values(&'a [f64]),
}

#[derive(Debug, Clone)]
pub(crate) enum Labels {
    Classes { y: Vec<u32>, n_classes: usize },
    Values(Vec<f64>),
}

/// Validated training data: X narrowed to float32 (as sklearn computes) and stored column by
/// column, so a node reads one feature's values from one contiguous array.
#[derive(Debug, Clone)]
pub struct TrainData {
    n_rows: usize,
    n_features: usize,
    columns: Vec<f32>,
    pub(crate) labels: Labels,
}

impl TrainData {
    /// Checks and converts row-major `x` (`n_features` values a row) and its target.
    ///
    /// Refuses NaN and infinities in X or y, and values too large for float32, with the row
    /// and column: training with missing values is not supported.
    pub fn new(x: &[f64], n_features: usize, target: Target<'_>) -> Result<TrainData, TrainError> {
        if n_features == 0 {
            return Err(TrainError::Shape("X has no columns".into()));
        }
        if !x.len().is_multiple_of(n_features) {
            return Err(TrainError::Shape(format!(
                "{} values is not a whole number of {n_features}-value rows",
                x.len()
            )));
        }
        let n_rows = x.len() / n_features;
        if n_rows == 0 {
            return Err(TrainError::Shape("X has no rows".into()));
        }
        if n_rows > u32::MAX as usize {
            return Err(TrainError::Shape(format!("{n_rows} rows is more than grove trains on")));
        }
        let mut columns = vec![0f32; x.len()];
        for (row, values) in x.chunks_exact(n_features).enumerate() {
            for (column, &value) in values.iter().enumerate() {
                let narrowed = value as f32;
                if !narrowed.is_finite() {
                    return Err(TrainError::BadFeature { row, column, value });
                }
                columns[column * n_rows + row] = narrowed;
            }
        }
        let labels = match target {
            Target::Classes { index, n_classes } => {
                check_len(index.len(), n_rows)?;
                if let Some((row, &i)) =
                    index.iter().enumerate().find(|(_, &i)| i as usize >= n_classes)
                {
                    return Err(TrainError::ClassIndex { row, index: i, n_classes });
                }
                Labels::Classes { y: index.to_vec(), n_classes }
            }
            Target::Values(values) => {
                check_len(values.len(), n_rows)?;
                if let Some((row, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite())
                {
                    return Err(TrainError::BadTarget { row, value });
                }
                Labels::Values(values.to_vec())
            }
        };
        Ok(TrainData { n_rows, n_features, columns, labels })
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The number of classes, or `None` for regression data.
    pub fn n_classes(&self) -> Option<usize> {
        match &self.labels {
            Labels::Classes { n_classes, .. } => Some(*n_classes),
            Labels::Values(_) => None,
        }
    }

    /// One feature's float32 values, in row order.
    pub(crate) fn column(&self, feature: usize) -> &[f32] {
        &self.columns[feature * self.n_rows..(feature + 1) * self.n_rows]
    }
}

fn check_len(got: usize, n_rows: usize) -> Result<(), TrainError> {
    if got == n_rows {
        Ok(())
    } else {
        Err(TrainError::Shape(format!("{got} targets for {n_rows} rows")))
    }
}

/// Each feature's smallest and largest finite value in row-major `x`, in the input's float64
/// (NaN is skipped; a column with no finite value gets `min = +inf, max = -inf`).
pub fn feature_ranges(x: &[f64], n_features: usize) -> Vec<FeatureRange> {
    let mut ranges = vec![FeatureRange { min: f64::INFINITY, max: f64::NEG_INFINITY }; n_features];
    for row in x.chunks_exact(n_features.max(1)) {
        for (r, &v) in ranges.iter_mut().zip(row) {
            if v.is_finite() {
                r.min = r.min.min(v);
                r.max = r.max.max(v);
            }
        }
    }
    ranges
}
