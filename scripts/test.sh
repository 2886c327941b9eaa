#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what the tests need on a fresh machine of the
# project's kind (Rust and Python are already there), then runs formatting, lints and tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# The sklearn fixtures the tests compare against live beside the repository.
if [ ! -d ../shared/fixtures/sklearn ]; then
  echo "error: ../shared/fixtures/sklearn is missing (it sits beside the repository)" >&2
  exit 1
fi

# Real peers the tests drive: boto3, the aws CLI, moto, cargo-lambda, tritonclient; and
# cargo-deny.
./scripts/test-deps.sh

# Every peer is installed above, so no test may skip for want of one (grove-test's `require!`
# fails instead of skipping under this variable). A plain `cargo test` skips them, saying so.
export GROVE_REQUIRE_ALL=1

cargo fmt --all -- --check
# Licences, banned crates (a second TLS stack or root list, unsafe YAML), duplicate versions
# (warnings) and sources, per deny.toml. Not advisories: the RustSec database lives on GitHub,
# which the suite's machines cannot reach (see deny.toml).
cargo deny --locked check licenses bans sources
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --all-targets --locked
# Doctests (not part of --all-targets).
cargo test --workspace --doc --locked
