//! Shared set-up for grove's benchmarks: the wine rows as the model reads them, and the cases,
//! timing and output of the peer benchmark's Rust binaries.
//!
//! `cargo bench -p grove-bench` runs criterion over single-row and 6497-row prediction,
//! training the tutorial's forest and loading a `.grove` file. Comparisons against peers
//! (sklearn, ONNX Runtime, TL2cgen, FastAPI) live in the peer benchmark, which measures them in
//! the same run: `grove-measure` times grove and `native-peers` times the peers called from Rust,
//! both on the cases below, so their figures line up. This crate is never linked into a shipped
//! binary.

use std::path::PathBuf;
use std::time::Instant;

use grove_data::Dataset;
use grove_forest::Forest;
use grove_sklearn::ImportOptions;

/// An error of a benchmark binary: reported and the run fails.
pub type BoxError = Box<dyn std::error::Error>;

/// The 6497 wine rows, narrowed to float32 as the model reads them, row-major.
pub fn wine_rows(data: &Dataset) -> Vec<f32> {
    data.x.iter().map(|&v| v as f32).collect()
}

/// Prints one measurement as a line of JSON, the format `bench/report.py` reads.
pub fn emit(case: &str, peer: &str, threads: usize, seconds: f64, rows: usize) {
    let line = serde_json::json!({"case": case, "peer": peer, "threads": threads, "seconds": seconds, "rows": rows});
    // A benchmark's report is its standard output.
    #[allow(clippy::print_stdout)]
    {
        println!("{line}");
    }
}

/// Best of `repeat` runs of `number` calls, per call: the least disturbed figure.
pub fn best(repeat: usize, number: usize, mut f: impl FnMut()) -> f64 {
    (0..repeat)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..number {
                f();
            }
            t.elapsed().as_secs_f64() / number as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// Per call, the best of 7 passes over `rows` (`width` wide) one row a call, in order: single-row
/// prediction when each request brings another row, so no peer's branch predictor learns the
/// path of one repeated row.
pub fn one_row_varied(rows: &[f32], width: usize, mut f: impl FnMut(&[f32])) -> f64 {
    let mut chunks = rows.chunks_exact(width).cycle();
    best(7, rows.len() / width, || f(chunks.next().unwrap_or(&[])))
}

/// `n` rows made by repeating `rows` (row-major, `width` wide) from the start.
pub fn tiled(rows: &[f32], width: usize, n: usize) -> Vec<f32> {
    rows.iter().copied().cycle().take(n * width).collect()
}

/// How many timed runs a case of `n` rows gets: large ones are long enough to disturb less.
pub fn repeats(n: usize) -> usize {
    match n {
        ..=10_000 => 7,
        10_001..=100_000 => 3,
        _ => 1,
    }
}

/// The machine's cores, the thread count of every "all cores" figure.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// What `bench/peers/make_models.py` wrote to OUT_DIR, and the cases to time on it.
pub struct PeerRun {
    /// OUT_DIR.
    pub out: PathBuf,
    /// The model names of `models.json`, in its order (`seed`, `rf100_d12`, `rf500`).
    pub models: Vec<String>,
    /// `rows.csv`: the wine rows, in file order.
    pub table: grove_data::Table,
    /// Case names and row counts: `one_row` (the first row), `rows_6497` (the rows of
    /// `rows.csv`), then the rows tiled to 10^5 and, without `--quick`, 10^6.
    pub sizes: Vec<(&'static str, usize)>,
}

impl PeerRun {
    /// Reads OUT_DIR as the command line (`BIN OUT_DIR [--quick]`) names it.
    pub fn from_args(bin: &str) -> Result<PeerRun, BoxError> {
        let args: Vec<String> = std::env::args().collect();
        let out = PathBuf::from(args.get(1).ok_or(format!("usage: {bin} OUT_DIR [--quick]"))?);
        let quick = args.iter().any(|a| a == "--quick");
        let models: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("models.json"))?)?;
        let models = models.as_object().ok_or("models.json is not an object")?.keys().cloned();
        let text = std::fs::read_to_string(out.join("rows.csv"))?;
        let table = grove_data::Table::parse(&text, "rows.csv", None)?;
        let mut sizes =
            vec![("one_row", 1), ("rows_6497", table.records.len()), ("rows_1e5", 100_000)];
        if !quick {
            sizes.push(("rows_1e6", 1_000_000));
        }
        Ok(PeerRun { out, models: models.collect(), table, sizes })
    }

    /// The model `name` as grove imports its pickle.
    pub fn forest(&self, name: &str) -> Result<Forest, BoxError> {
        let parts = grove_sklearn::load_path(&self.path(name, "pkl"), &ImportOptions::default())?;
        Ok(Forest::new(parts)?)
    }

    /// `OUT_DIR/<name>.<ext>`.
    pub fn path(&self, name: &str, ext: &str) -> PathBuf {
        self.out.join(format!("{name}.{ext}"))
    }

    /// The rows of a case of `n` rows, in the model's feature order.
    pub fn case_rows(&self, rows: &[f32], width: usize, n: usize) -> Vec<f32> {
        if n == self.table.records.len() {
            rows.to_vec()
        } else {
            tiled(rows, width, n)
        }
    }
}
