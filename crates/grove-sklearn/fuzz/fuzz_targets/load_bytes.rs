//! Any input must give a model or an error: no panic, no runaway allocation, nothing run.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = grove_sklearn::load_bytes(data, &grove_sklearn::ImportOptions::default());
});
