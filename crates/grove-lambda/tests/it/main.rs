//! grove-lambda's integration tests: one binary. `adapter` calls the adapter in-process for
//! every event fixture; `emulator` runs the real bootstrap under `cargo lambda watch`.

mod adapter;
mod emulator;
#[path = "../../../grove-store/tests/it/moto.rs"]
mod moto;
mod procs;
mod raw_http;
mod support;
