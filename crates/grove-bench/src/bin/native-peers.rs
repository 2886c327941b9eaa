//! Times the peers a Rust caller would use natively, on the cases `grove-measure` times grove
//! on, and prints the same JSON lines with `peer` set to `tl2cgen-c` (the library TL2cgen
//! compiled, through its C ABI) or `onnxruntime-rs` (ONNX Runtime through the `ort` crate).
//! Neither figure is printed unless the peer's probabilities on the wine rows agree with grove's.
//!
//! Usage: ORT_DYLIB_PATH=.../libonnxruntime.so.1.32.0 native-peers OUT_DIR [--quick]
// The TL2cgen library is a C ABI reached through libloading: its calls are unsafe by nature.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, CStr};
use std::path::Path;

use grove_bench::{best, cores, emit, one_row_varied, repeats, BoxError, PeerRun};
use libloading::Library;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::TensorRef;

/// One feature of TL2cgen's input row: `union Entry` of the generated `header.h` for a model
/// with float64 thresholds (`int missing; double fvalue; int qvalue;`; qvalue is unused).
#[repr(C)]
#[derive(Clone, Copy)]
union Entry {
    missing: c_int,
    fvalue: f64,
}

/// `void predict(union Entry* data, int pred_margin, double* result)`: adds the row's
/// prediction to `result` (one double per class), so the caller zeroes it first.
type PredictFn = unsafe extern "C" fn(*mut Entry, c_int, *mut f64);

/// A library compiled by `tl2cgen.export_lib`, called row by row as TL2cgen's own predictor
/// (`src/predictor/predictor.cc`, dense matrix) calls it.
struct Tl2cgen {
    predict: PredictFn,
    n_features: usize,
    n_classes: usize,
    // Last, so the code `predict` points into is unloaded after nothing can call it.
    _lib: Library,
}

impl Tl2cgen {
    fn load(path: &Path) -> Result<Tl2cgen, BoxError> {
        // SAFETY: a TL2cgen library's initialisers are the C runtime's; nothing else runs.
        let lib = unsafe { Library::new(path)? };
        // SAFETY: each signature is the one tl2cgen 1.0.0's generated header.h declares;
        // get_num_class writes N_TARGET int32s and N_TARGET is checked to be 1 before it is called.
        let (predict, n_features, n_classes, types) = unsafe {
            let n_target = lib.get::<unsafe extern "C" fn() -> i32>(b"get_num_target\0")?();
            if n_target != 1 {
                return Err(format!("{}: {n_target} targets, expected 1", path.display()).into());
            }
            let mut n_classes = 0i32;
            lib.get::<unsafe extern "C" fn(*mut i32)>(b"get_num_class\0")?(&mut n_classes);
            let n_features = lib.get::<unsafe extern "C" fn() -> i32>(b"get_num_feature\0")?();
            let type_of = |name: &[u8]| -> Result<String, BoxError> {
                let f = lib.get::<unsafe extern "C" fn() -> *const c_char>(name)?;
                Ok(CStr::from_ptr(f()).to_string_lossy().into_owned())
            };
            let types = [type_of(b"get_threshold_type\0")?, type_of(b"get_leaf_output_type\0")?];
            (*lib.get::<PredictFn>(b"predict\0")?, n_features, n_classes, types)
        };
        // Entry and the result buffer above are the float64 layout; float32 ones differ.
        if types != ["float64", "float64"] {
            return Err(format!("{}: {types:?} thresholds/leaves", path.display()).into());
        }
        Ok(Tl2cgen {
            predict,
            n_features: usize::try_from(n_features)?,
            n_classes: usize::try_from(n_classes)?,
            _lib: lib,
        })
    }

    /// Probabilities (not margins), row-major, one row per `n_features` inputs; NaN is missing.
    fn predict_proba(&self, rows: &[f32]) -> Vec<f64> {
        let mut out = vec![0.0; rows.len() / self.n_features * self.n_classes];
        let mut inst = vec![Entry { missing: -1 }; self.n_features];
        let pairs = rows.chunks_exact(self.n_features).zip(out.chunks_exact_mut(self.n_classes));
        for (row, result) in pairs {
            for (e, &v) in inst.iter_mut().zip(row) {
                // A float32 widened to f64 has its low 29 bits zero: it never reads as missing.
                if !v.is_nan() {
                    e.fvalue = f64::from(v);
                }
            }
            // SAFETY: `inst` holds get_num_feature() entries and `result` get_num_class()
            // doubles, all predict reads and writes; pred_margin 0 asks for probabilities.
            unsafe { (self.predict)(inst.as_mut_ptr(), 0, result.as_mut_ptr()) };
            for e in &mut inst {
                e.missing = -1;
            }
        }
        out
    }
}

fn ort_session(path: &Path, threads: usize) -> ort::Result<Session> {
    Session::builder()?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(threads)?
        .with_inter_threads(1)?
        .commit_from_file(path)
}

/// skl2onnx's `probabilities` output (zipmap off) for `rows`, `width` wide.
fn ort_proba(session: &mut Session, rows: &[f32], width: usize) -> Result<Vec<f32>, BoxError> {
    let input = TensorRef::from_array_view(([rows.len() / width, width], rows))?;
    let outputs = session.run(ort::inputs![input])?;
    Ok(outputs["probabilities"].try_extract_tensor::<f32>()?.1.to_vec())
}

/// Runs `session` on `rows` (`width` wide); the outputs, made by ONNX Runtime, are dropped unread.
fn ort_run(session: &mut Session, rows: &[f32], width: usize) -> ort::Result<()> {
    let input = TensorRef::from_array_view(([rows.len() / width, width], rows))?;
    session.run(ort::inputs![input]).map(drop)
}

/// The seconds `time` measures (with `best` or `one_row_varied`) for the runs it asks of
/// `session`, or the first error ONNX Runtime reported in them.
fn ort_time(
    session: &mut Session,
    width: usize,
    time: impl FnOnce(&mut dyn FnMut(&[f32])) -> f64,
) -> Result<f64, BoxError> {
    let mut failed = None;
    let seconds = time(&mut |rows| {
        if let Err(e) = ort_run(session, rows, width) {
            failed.get_or_insert(e);
        }
    });
    failed.map_or(Ok(seconds), |e| Err(e.into()))
}

/// Refuses a peer whose probabilities differ from grove's by more than `tol`, or whose class
/// differs where grove's best class leads by more than `tol` (closer calls are ties in float).
fn check(peer: &str, model: &str, grove: &[f64], theirs: &[f64], classes: usize, tol: f64) {
    let argmax = |p: &[f64]| (0..p.len()).fold(0, |b, i| if p[i] > p[b] { i } else { b });
    let mut worst = 0f64;
    let mut wrong = 0;
    for (g, t) in grove.chunks(classes).zip(theirs.chunks(classes)) {
        worst = g.iter().zip(t).map(|(a, b)| (a - b).abs()).fold(worst, f64::max);
        let best = argmax(g);
        let runner_up = (0..classes).filter(|&i| i != best).map(|i| g[i]).fold(0.0, f64::max);
        wrong += usize::from(argmax(t) != best && g[best] - runner_up > tol);
    }
    let rows = grove.len() / classes;
    if grove.len() != theirs.len() || worst > tol || wrong > 0 {
        eprintln!("{peer} {model}: disagrees with grove ({} vs {} values, max |dp| {worst:e}, {wrong} classes differ); no figures", theirs.len(), grove.len());
        std::process::exit(1);
    }
    eprintln!("{peer} {model}: {rows} rows agree with grove (max |dp| {worst:e})");
}

fn main() -> Result<(), BoxError> {
    let run = PeerRun::from_args("native-peers")?;
    let dylib = std::env::var("ORT_DYLIB_PATH")
        .map_err(|_| "set ORT_DYLIB_PATH to libonnxruntime.so (the onnxruntime wheel's capi/)")?;
    if !Path::new(&dylib).is_file() {
        return Err(format!("ORT_DYLIB_PATH: no file {dylib}").into());
    }
    ort::init_from(dylib).commit()?;
    let cores = cores();
    for name in &run.models {
        let forest = run.forest(name)?;
        let width = forest.n_features();
        let classes = forest.classes().map_or(0, |c| c.len());
        let rows = run.table.model_rows(forest.schema())?;
        let grove = forest.predict_proba(&rows)?.ok_or("not a classifier")?;

        let tl = Tl2cgen::load(&run.path(name, "so"))?;
        if (tl.n_features, tl.n_classes) != (width, classes) {
            return Err(
                format!("{name}.so: {} features, {} classes", tl.n_features, tl.n_classes).into()
            );
        }
        check("tl2cgen-c", name, &grove, &tl.predict_proba(&rows), classes, 1e-12);
        let onnx = run.path(name, "onnx");
        let mut sessions = [ort_session(&onnx, 1)?, ort_session(&onnx, cores)?];
        let ort: Vec<f64> =
            ort_proba(&mut sessions[0], &rows, width)?.into_iter().map(f64::from).collect();
        check("onnxruntime-rs", name, &grove, &ort, classes, 1e-5);

        for (case, n) in &run.sizes {
            let data = run.case_rows(&rows, width, *n);
            let case = format!("{name}/{case}");
            let (repeat, number) = if *n == 1 { (7, 2000) } else { (repeats(*n), 1) };
            emit(&case, "tl2cgen-c", 1, best(repeat, number, || drop(tl.predict_proba(&data))), *n);
            let seconds =
                ort_time(&mut sessions[0], width, |run| best(repeat, number, || run(&data)))?;
            emit(&case, "onnxruntime-rs", 1, seconds, *n);
            if *n == 1 {
                let varied = one_row_varied(&rows, width, |row| drop(tl.predict_proba(row)));
                emit(&format!("{name}/one_row_varied"), "tl2cgen-c", 1, varied, 1);
                let varied =
                    ort_time(&mut sessions[0], width, |run| one_row_varied(&rows, width, run))?;
                emit(&format!("{name}/one_row_varied"), "onnxruntime-rs", 1, varied, 1);
                continue;
            }
            // All cores: the rows split in one chunk per core, as a caller with rayon would.
            let chunk = data.len().div_ceil(cores * width) * width;
            let seconds = best(repeat, 1, || {
                rayon::scope(|s| {
                    for part in data.chunks(chunk) {
                        let tl = &tl;
                        s.spawn(move |_| drop(tl.predict_proba(part)));
                    }
                });
            });
            emit(&case, "tl2cgen-c", cores, seconds, *n);
            let seconds = ort_time(&mut sessions[1], width, |run| best(repeat, 1, || run(&data)))?;
            emit(&case, "onnxruntime-rs", cores, seconds, *n);
        }
    }
    Ok(())
}
