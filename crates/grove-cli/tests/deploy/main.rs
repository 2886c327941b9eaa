//! The tutorial's second half end to end, with the real `grove` binary and real peers on
//! 127.0.0.1 (free ports, stopped when each test ends, pass or fail): `grove deploy` against
//! moto's AWS APIs (checked with boto3), the zip's bootstrap under cargo-lambda's Runtime API
//! emulator (invoked with boto3 as the tutorial does, and with `grove invoke`), and an image
//! pushed to Debian's docker-registry and pulled back. The peers come from
//! `scripts/test-deps.sh`.

mod emulator;
mod moto;
mod registry;
mod support;
