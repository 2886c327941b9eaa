//! Test helpers: the wine data as grove reads it, and the shared fixture folder.
#![allow(dead_code)]

use std::path::PathBuf;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The wine CSVs: the repository's copy when present, else the shared one.
pub fn wine_dir() -> PathBuf {
    let repo = workspace_root().join("data/wine-quality");
    if repo.join("winequality-red.csv").exists() {
        repo
    } else {
        grove_test::paths::shared().join("data/wine-quality")
    }
}

/// The wine data: red rows then white, `is_red` (1/0) as the 12th column, names with `_`.
pub struct Wine {
    pub feature_names: Vec<String>,
    /// Row-major, 12 values a row.
    pub x: Vec<f64>,
    pub quality: Vec<f64>,
}

impl Wine {
    pub fn n_rows(&self) -> usize {
        self.quality.len()
    }

    /// Quality as class indices into the sorted distinct scores.
    pub fn classes(&self) -> (Vec<i64>, Vec<u32>) {
        let mut labels: Vec<i64> = self.quality.iter().map(|&q| q as i64).collect();
        labels.sort_unstable();
        labels.dedup();
        let index = self
            .quality
            .iter()
            .map(|&q| labels.iter().position(|&l| l == q as i64).expect("label") as u32)
            .collect();
        (labels, index)
    }

    /// X without one column, and that column as a regression target.
    pub fn predict_column(&self, name: &str) -> (Vec<f64>, Vec<f64>) {
        let k = self.feature_names.iter().position(|n| n == name).expect("column");
        let w = self.feature_names.len();
        let mut x = Vec::with_capacity(self.x.len());
        let mut y = Vec::with_capacity(self.n_rows());
        for row in self.x.chunks_exact(w) {
            x.extend(row.iter().enumerate().filter(|&(i, _)| i != k).map(|(_, v)| *v));
            y.push(row[k]);
        }
        (x, y)
    }
}

pub fn load_wine() -> Wine {
    let dir = wine_dir();
    let mut feature_names = Vec::new();
    let mut x = Vec::new();
    let mut quality = Vec::new();
    for (file, is_red) in [("winequality-red.csv", 1.0), ("winequality-white.csv", 0.0)] {
        let text = std::fs::read_to_string(dir.join(file)).expect("wine csv");
        let mut lines = text.lines();
        let header: Vec<String> = lines
            .next()
            .expect("header")
            .split(';')
            .map(|h| h.trim_matches('"').replace(' ', "_"))
            .collect();
        if feature_names.is_empty() {
            feature_names = header[..header.len() - 1].to_vec();
            feature_names.push("is_red".into());
        }
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let cells: Vec<f64> =
                line.split(';').map(|c| c.trim().parse().expect("number")).collect();
            x.extend_from_slice(&cells[..cells.len() - 1]);
            x.push(is_red);
            quality.push(cells[cells.len() - 1]);
        }
    }
    Wine { feature_names, x, quality }
}

/// A CSV with a header, all numeric: the column names and the rows.
pub fn read_numeric_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).expect("csv");
    let mut lines = text.lines();
    let header = lines.next().expect("header").split(',').map(str::to_string).collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(|c| c.parse().expect("number")).collect())
        .collect();
    (header, rows)
}
