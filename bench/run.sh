#!/usr/bin/env bash
# Peer benchmark: grove beside scikit-learn, ONNX Runtime and TL2cgen, FastAPI + uvicorn and a
# bare axum server, measured in one run on this machine (prediction, training, HTTP, cold start,
# memory, Lambda zip size and cost); prints tables of ratios and writes BENCHMARKS.md.
# Usage: bench/run.sh [--quick]   (--quick: no 500-tree forest, no 10^6 rows; a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
out=bench-out
# (Re)install when requirements.txt changed since the last install.
if [ ! -f .venv-bench/.installed ] || [ bench/peers/requirements.txt -nt .venv-bench/.installed ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet --disable-pip-version-check -r bench/peers/requirements.txt
  touch .venv-bench/.installed
fi
mkdir -p "$out"
cargo build --release --locked -p grove-bench --bin grove-measure --bin native-peers --bin bare-axum
# OPENBLAS_* settings that protect old numpy builds slow a current one: unset for the peers.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python bench/peers/make_models.py "$out" $quick
./target/release/grove-measure "$out" $quick > "$out/grove.jsonl"
ORT_DYLIB_PATH="$(echo "$PWD"/.venv-bench/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so.*)" ./target/release/native-peers "$out" $quick > "$out/native.jsonl"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python bench/peers/peers.py "$out" $quick > "$out/peers.jsonl"
cargo build --release --locked -p grove-cli
# The Lambda bootstrap as it is shipped (README: the size build), packaged with the tutorial's
# model imported from seed.pkl, and unpacked as Lambda unpacks it (zipfile drops the mode bits).
cargo build --profile lambda-size --locked -p grove-lambda
./target/release/grove import "$out/seed.pkl" --target-name quality -o "$out/seed.grove" >&2
./target/release/grove package "$out/seed.grove" -o "$out/dist" --bootstrap target/lambda-size/grove-lambda >&2
rm -rf "$out/lambda-task"
.venv-bench/bin/python -m zipfile -e "$out/dist/bootstrap.zip" "$out/lambda-task"
chmod 755 "$out/lambda-task/bootstrap"
command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/http.sh "$out" "$([ -n "$quick" ] && echo 3 || echo 10)" > "$out/http.jsonl"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python bench/startup.py "$out" $quick > "$out/startup.jsonl"
.venv-bench/bin/python bench/size.py "$out" > "$out/size.jsonl"
.venv-bench/bin/python bench/report.py "$out" "bench/run.sh $quick"
