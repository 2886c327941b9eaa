#!/usr/bin/env bash
# Peer benchmark: grove beside scikit-learn, ONNX Runtime and TL2cgen, measured in one run on
# this machine; prints a table of ratios and writes BENCHMARKS.md.
# Usage: bench/run.sh [--quick]   (--quick: no 500-tree forest, no 10^6 rows; a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
out=bench-out
if [ ! -f .venv-bench/.installed ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet --disable-pip-version-check -r bench/peers/requirements.txt
  touch .venv-bench/.installed
fi
mkdir -p "$out"
cargo build --release --locked -p grove-bench --bin grove-measure --bin native-peers
# OPENBLAS_* settings that protect old numpy builds slow a current one: unset for the peers.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python bench/peers/make_models.py "$out" $quick
./target/release/grove-measure "$out" $quick > "$out/grove.jsonl"
ORT_DYLIB_PATH="$(echo "$PWD"/.venv-bench/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so.*)" ./target/release/native-peers "$out" $quick > "$out/native.jsonl"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python bench/peers/peers.py "$out" $quick > "$out/peers.jsonl"
cargo build --release --locked -p grove-cli
command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/http.sh "$out" "$([ -n "$quick" ] && echo 3 || echo 10)" > "$out/http.jsonl"
.venv-bench/bin/python bench/report.py "$out" "bench/run.sh $quick"
