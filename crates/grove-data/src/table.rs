//! CSV tables with a header: read whole, columns found by name, every cell error located.

use std::io::Read;

use grove_forest::{to_model_input, Schema};

use crate::{classes_from_cells, DataError, Dataset, Target};

/// A CSV file read whole: its header and its records as text, so nothing a user gave is lost.
#[derive(Debug, Clone)]
pub struct Table {
    /// Where the table came from, for messages (`-` for standard input).
    pub source_name: String,
    /// Column names, as in the header.
    pub headers: Vec<String>,
    /// The data records, in file order.
    pub records: Vec<csv::StringRecord>,
    /// The separator that was used.
    pub separator: u8,
}

/// Cells read as missing (NaN), as pandas reads them.
const MISSING: [&str; 6] = ["", "nan", "NaN", "NA", "N/A", "null"];

/// Picks the separator that splits the header into the most fields: `,`, `;`, tab or `|`.
pub fn detect_separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut best = (b',', 0);
    for sep in [b',', b';', b'\t', b'|'] {
        let mut in_quotes = false;
        let mut count = 0;
        for b in header.bytes() {
            if b == b'"' {
                in_quotes = !in_quotes;
            } else if b == sep && !in_quotes {
                count += 1;
            }
        }
        if count > best.1 {
            best = (sep, count);
        }
    }
    best.0
}

impl Table {
    /// Reads a CSV table; the separator is detected from the header unless given.
    pub fn read(
        mut input: impl Read,
        source_name: &str,
        separator: Option<u8>,
    ) -> Result<Table, DataError> {
        let mut text = String::new();
        input
            .read_to_string(&mut text)
            .map_err(|error| DataError::Io { source_name: source_name.into(), error })?;
        Table::parse(&text, source_name, separator)
    }

    /// Parses CSV text; the separator is detected from the header unless given.
    pub fn parse(text: &str, source_name: &str, separator: Option<u8>) -> Result<Table, DataError> {
        let separator = separator.unwrap_or_else(|| detect_separator(text));
        let csv_err = |e: csv::Error| DataError::Csv {
            source_name: source_name.into(),
            message: e.to_string(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> =
            reader.headers().map_err(csv_err)?.iter().map(|h| h.trim().to_string()).collect();
        let records = reader.records().collect::<Result<Vec<_>, _>>().map_err(csv_err)?;
        // A repeated name would feed one column to two features without a word.
        if let Some(dup) =
            headers.iter().enumerate().find_map(|(i, h)| headers[..i].contains(h).then_some(h))
        {
            return Err(DataError::Csv {
                source_name: source_name.into(),
                message: format!("the header names the column `{dup}` twice"),
            });
        }
        if records.is_empty() {
            return Err(DataError::Empty { source_name: source_name.into() });
        }
        Ok(Table { source_name: source_name.into(), headers, records, separator })
    }

    /// The index of a column, or an error listing the columns there are.
    pub fn column(&self, name: &str) -> Result<usize, DataError> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| DataError::MissingColumn {
            source_name: self.source_name.clone(),
            column: name.into(),
            available: self.headers.join(", "),
        })
    }

    fn line_of(&self, record: usize) -> u64 {
        self.records[record].position().map_or(record as u64 + 2, |p| p.line())
    }

    fn cell_error(&self, record: usize, column: usize, problem: String) -> DataError {
        DataError::BadCell {
            source_name: self.source_name.clone(),
            line: self.line_of(record),
            column: self.headers[column].clone(),
            problem,
        }
    }

    fn number(&self, record: usize, column: usize) -> Result<Option<f64>, DataError> {
        let cell = self.records[record].get(column).unwrap_or("").trim();
        if MISSING.contains(&cell) {
            return Ok(None);
        }
        // pandas reads True/False (what `df.to_csv()` writes for a bool column) as 1/0.
        if cell.eq_ignore_ascii_case("true") {
            return Ok(Some(1.0));
        }
        if cell.eq_ignore_ascii_case("false") {
            return Ok(Some(0.0));
        }
        cell.parse::<f64>()
            .map(Some)
            .map_err(|_| self.cell_error(record, column, format!("`{cell}` is not a number")))
    }

    /// The rows a model reads: its features picked by name (other columns ignored), narrowed to
    /// float32 as sklearn does; a missing cell is NaN.
    pub fn model_rows(&self, schema: &Schema) -> Result<Vec<f32>, DataError> {
        let columns =
            schema.features.iter().map(|f| self.column(f)).collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(self.records.len() * columns.len());
        for r in 0..self.records.len() {
            for &c in &columns {
                let value = match self.number(r, c)? {
                    None => f32::NAN,
                    Some(v) => to_model_input(v).map_err(|e| self.cell_error(r, c, e.into()))?,
                };
                out.push(value);
            }
        }
        Ok(out)
    }

    /// A training set: `target` is the label column, every other column a numeric feature.
    /// `classify` reads the target as class labels, otherwise as numbers.
    pub fn dataset(&self, target: &str, classify: bool) -> Result<Dataset, DataError> {
        let t = self.column(target)?;
        let features: Vec<usize> = (0..self.headers.len()).filter(|&c| c != t).collect();
        if features.is_empty() {
            return Err(DataError::MissingColumn {
                source_name: self.source_name.clone(),
                column: "(a feature besides the target)".into(),
                available: self.headers.join(", "),
            });
        }
        let mut x = Vec::with_capacity(self.records.len() * features.len());
        for r in 0..self.records.len() {
            for &c in &features {
                let v = self.number(r, c)?.ok_or_else(|| {
                    self.cell_error(
                        r,
                        c,
                        "empty or NaN: training with missing values is not supported".into(),
                    )
                })?;
                if !v.is_finite() {
                    return Err(self.cell_error(r, c, format!("{v} is not a finite number")));
                }
                x.push(v);
            }
        }
        let target = if classify {
            let cells: Vec<String> = self
                .records
                .iter()
                .map(|rec| rec.get(t).unwrap_or("").trim().to_string())
                .collect();
            if let Some(r) = cells.iter().position(|c| c.is_empty()) {
                return Err(self.cell_error(r, t, "the label is empty".into()));
            }
            classes_from_cells(&cells)
        } else {
            let mut y = Vec::with_capacity(self.records.len());
            for r in 0..self.records.len() {
                match self.number(r, t)? {
                    Some(v) if v.is_finite() => y.push(v),
                    _ => {
                        return Err(self.cell_error(
                            r,
                            t,
                            "the target must be a finite number".into(),
                        ))
                    }
                }
            }
            Target::Values(y)
        };
        Ok(Dataset {
            feature_names: features.iter().map(|&c| self.headers[c].clone()).collect(),
            x,
            n_rows: self.records.len(),
            target_name: self.headers[t].clone(),
            target,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(features: &[&str]) -> Schema {
        Schema {
            features: features.iter().map(|s| s.to_string()).collect(),
            target: "y".into(),
            feature_ranges: None,
        }
    }

    #[test]
    fn booleans_read_as_pandas_reads_them_and_repeated_names_are_refused() {
        let t = Table::parse("a,b\nTrue,false\n", "t.csv", None).unwrap();
        assert_eq!(t.model_rows(&schema(&["a", "b"])).unwrap(), [1.0, 0.0]);
        let e = Table::parse("a,a,y\n1,2,3\n", "t.csv", None).unwrap_err().to_string();
        assert_eq!(e, "t.csv: the header names the column `a` twice");
        let e = Table::parse("y\n1\n", "t.csv", None).unwrap().dataset("y", true).unwrap_err();
        assert!(e.to_string().contains("no column `(a feature besides the target)`"), "{e}");
    }

    #[test]
    fn separator_is_detected_outside_quotes() {
        assert_eq!(detect_separator("\"a;b\",c,d\n"), b',');
        assert_eq!(detect_separator("\"fixed acidity\";\"pH\"\n"), b';');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
    }

    #[test]
    fn model_rows_pick_columns_by_name_and_ignore_extras() {
        let t = Table::parse("id,b,a\nx,2,1\ny,,3.5\n", "t.csv", None).unwrap();
        let rows = t.model_rows(&schema(&["a", "b"])).unwrap();
        assert_eq!(rows[..3], [1.0, 2.0, 3.5]);
        assert!(rows[3].is_nan());
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let t = Table::parse("a,b\n1,2\n3,abc\n", "rows.csv", None).unwrap();
        let e = t.model_rows(&schema(&["a", "b"])).unwrap_err().to_string();
        assert_eq!(e, "rows.csv, line 3, column `b`: `abc` is not a number");
        let e = t.model_rows(&schema(&["a", "c"])).unwrap_err().to_string();
        assert_eq!(e, "rows.csv: no column `c` in the header (columns: a, b)");
        let t = Table::parse("a\n1e39\n", "big.csv", None).unwrap();
        let e = t.model_rows(&schema(&["a"])).unwrap_err().to_string();
        assert!(e.starts_with("big.csv, line 2, column `a`: the value is too large"), "{e}");
    }

    #[test]
    fn dataset_reads_features_and_typed_labels() {
        let t = Table::parse("f1;label;f2\n1;cat;2\n3;dog;4\n", "d.csv", None).unwrap();
        let d = t.dataset("label", true).unwrap();
        assert_eq!(d.feature_names, ["f1", "f2"]);
        assert_eq!(d.x, [1.0, 2.0, 3.0, 4.0]);
        assert!(matches!(d.target, Target::Classes { .. }));
        let e = Table::parse("a,y\n1,2\n,3\n", "d.csv", None).unwrap().dataset("y", false);
        assert!(e.unwrap_err().to_string().contains("line 3, column `a`"));
    }
}
