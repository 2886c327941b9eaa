//! The tutorial's preparation of the Wine Quality data (Cortez et al., 2009; CC BY 4.0, see
//! `data/wine-quality/README.md`): red rows then white rows, an `is_red` column of 1/0 after
//! the eleven measurements, spaces in names replaced by `_`, target `quality`.

use std::path::Path;

use crate::{table::Table, DataError, Dataset};

const RED: &str = include_str!("../../../data/wine-quality/winequality-red.csv");
const WHITE: &str = include_str!("../../../data/wine-quality/winequality-white.csv");

/// The wine data shipped inside the binary, prepared as the tutorial does.
pub fn embedded() -> Result<Dataset, DataError> {
    prepare(RED, WHITE, "winequality")
}

/// The wine data from a folder holding `winequality-red.csv` and `winequality-white.csv`.
pub fn load(dir: &Path) -> Result<Dataset, DataError> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path)
            .map_err(|error| DataError::Io { source_name: path.display().to_string(), error })
    };
    prepare(
        &read("winequality-red.csv")?,
        &read("winequality-white.csv")?,
        &dir.display().to_string(),
    )
}

fn prepare(red: &str, white: &str, source: &str) -> Result<Dataset, DataError> {
    let mut parts = Vec::new();
    for (text, name, is_red) in [(red, "red", 1.0), (white, "white", 0.0)] {
        let mut table = Table::parse(text, &format!("{source}-{name}.csv"), Some(b';'))?;
        table.headers = table.headers.iter().map(|h| h.replace(' ', "_")).collect();
        let set = table.dataset("quality", true)?;
        parts.push((set, is_red));
    }
    let width = parts[0].0.feature_names.len() + 1;
    let mut feature_names = parts[0].0.feature_names.clone();
    feature_names.push("is_red".into());
    let mut x = Vec::new();
    let mut cells = Vec::new();
    for (set, is_red) in &parts {
        if set.feature_names != parts[0].0.feature_names {
            return Err(DataError::Mismatch(format!(
                "{source}: the red and white files have different columns"
            )));
        }
        for row in set.x.chunks_exact(width - 1) {
            x.extend_from_slice(row);
            x.push(*is_red);
        }
        if let crate::Target::Classes { labels, index } = &set.target {
            cells.extend(
                index.iter().filter_map(|&i| labels.get(i as usize)).map(|l| l.to_string()),
            );
        }
    }
    let n_rows = x.len() / width;
    Ok(Dataset {
        feature_names,
        x,
        n_rows,
        target_name: "quality".into(),
        target: crate::classes_from_cells(&cells),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use grove_forest::Labels;

    #[test]
    fn the_tutorial_preparation() {
        let d = embedded().unwrap();
        assert_eq!(d.n_rows, 6497);
        assert_eq!(d.feature_names.len(), 12);
        assert_eq!(d.feature_names[0], "fixed_acidity");
        assert_eq!(d.feature_names[11], "is_red");
        assert_eq!(
            &d.x[..12],
            &[7.4, 0.7, 0.0, 1.9, 0.076, 11.0, 34.0, 0.9978, 3.51, 0.56, 9.4, 1.0]
        );
        assert_eq!(d.x[1599 * 12 + 11], 0.0, "white rows follow the 1599 red ones");
        match &d.target {
            crate::Target::Classes { labels, index } => {
                assert_eq!(labels, &Labels::Int(vec![3, 4, 5, 6, 7, 8, 9]));
                assert_eq!(index[0], 2);
            }
            other => panic!("{other:?}"),
        }
    }
}
