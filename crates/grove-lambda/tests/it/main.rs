//! grove-lambda's integration tests: one binary. `adapter` calls the adapter in-process for
//! every event fixture; `emulator` runs the real bootstrap under `cargo lambda watch`.

mod adapter;
mod emulator;
mod support;
