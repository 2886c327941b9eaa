//! Random damage to real fixtures — flipped bytes, truncations, insertions — must give `Ok` or
//! `Err`, never a panic (and, by the reader's design, never an allocation beyond the input's
//! size).

mod common;

use std::path::PathBuf;

use grove_sklearn::{load_bytes, ImportOptions};
use proptest::prelude::*;

fn fixtures() -> Vec<Vec<u8>> {
    let own = common::own_dir();
    let paths = [
        "dt_reg_p0_191.pkl",
        "dt_float_p2_191.pkl",
        "gb_multi_p4_191.pkl",
        "rf_str_p5_191.pkl",
        "gb_bool_191.joblib",
        "gb_multi_113.joblib",
        "et_reg_191.gz.joblib",
        "rf_skops_152.skops",
        "evil_nested_in_state.pkl",
    ]
    .iter()
    .map(|f| own.join(f))
    .collect::<Vec<PathBuf>>();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

#[derive(Debug, Clone)]
enum Damage {
    Set(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Set(i, b)),
        1 => any::<usize>().prop_map(Damage::Truncate),
        1 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..9))
            .prop_map(|(i, b)| Damage::Insert(i, b)),
        1 => (any::<usize>(), 1usize..64).prop_map(|(i, n)| Damage::Remove(i, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for d in damages {
        let len = bytes.len().max(1);
        match d {
            Damage::Set(i, b) => {
                if let Some(x) = bytes.get_mut(i % len) {
                    *x = *b;
                }
            }
            Damage::Truncate(i) => bytes.truncate(i % len),
            Damage::Insert(i, b) => {
                let at = (i % len).min(bytes.len());
                bytes.splice(at..at, b.iter().copied());
            }
            Damage::Remove(i, n) => {
                let at = (i % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    bytes
}

proptest! {
    // GROVE_FUZZ_CASES raises the count for a longer local run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("GROVE_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(384),
        ..ProptestConfig::default()
    })]

    #[test]
    fn damaged_models_never_panic(
        which in 0usize..10,
        damages in proptest::collection::vec(damage(), 1..6),
    ) {
        let all = fixtures();
        let bytes = apply(all[which % all.len()].clone(), &damages);
        let _ = load_bytes(&bytes, &ImportOptions::default());
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = load_bytes(&bytes, &ImportOptions::default());
        let mut p = vec![0x80, 0x04];
        p.extend_from_slice(&bytes);
        let _ = load_bytes(&p, &ImportOptions::default());
    }
}
