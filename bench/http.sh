#!/usr/bin/env bash
# HTTP part of the peer benchmark: wrk against `grove serve`, against bare-axum (the ceiling: an
# axum server that only parses the JSON body, crates/grove-bench/src/bin/bare-axum.rs) and
# against FastAPI + uvicorn + scikit-learn, same bodies, same client, same connection counts.
# Cores are shared fairly by pinning: the server on core 0, wrk on core 1 (one uvicorn worker,
# as one grove process). Emits JSON lines like peers.py, and each server's resident memory
# after its load runs (VmHWM, the peak, covers the runs themselves).
# Usage: bench/http.sh OUT_DIR SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
secs=${2:-5}
py=.venv-bench/bin/python
"$py" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
body = json.load(open("examples/tutorial-body.json"))
json.dump(body, open(f"{out}/body-1.json", "w"))
json.dump({"values": [body["values"]] * 100}, open(f"{out}/body-100.json", "w"))
PY
run_wrk() { # name peer url body conns
  local line
  line=$(GROVE_BODY="$4" taskset -c 1 wrk -t1 -c"$5" -d"${secs}s" -s bench/wrk/tutorial.lua "$3" | tail -1)
  # "requests/s: N  p50: X ms  p99: Y ms  errors: E  non-2xx: M"
  "$py" -c 'import json,sys; f=sys.argv[3].split(); rps=float(f[1]); print(json.dumps({"case": sys.argv[1], "peer": sys.argv[2], "threads": 1, "seconds": 1/rps if rps else float("inf"), "rows": 0, "p50_ms": float(f[3]), "p99_ms": float(f[6]), "errors": int(f[9])}))' "$1" "$2" "$line"
}
rss() { # peer pid: VmRSS (now) and VmHWM (peak so far) in KiB, from the kernel's own accounting
  awk -v peer="$1" '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {printf "{\"case\": \"rss/after_load\", \"peer\": \"%s\", \"threads\": 1, \"seconds\": 0, \"rows\": 0, \"vmrss_kib\": %d, \"vmhwm_kib\": %d}\n", peer, r, h}' "/proc/$2/status"
}
wait_up() { for _ in $(seq 100); do curl -sf -o /dev/null -XPOST -H 'content-type: application/json' -d @"$out/body-1.json" "$1" && return 0; sleep 0.1; done; return 1; }
serve() { # peer port command...
  local peer=$1 port=$2; shift 2
  "$@" > "$out/$peer.log" 2>&1 &
  local pid=$!
  wait_up "http://127.0.0.1:$port/predict"
  for rows in 1 100; do
    for conns in 1 8 32; do
      run_wrk "http/${rows}_rows/c$conns" "$peer" "http://127.0.0.1:$port/predict" "$out/body-$rows.json" "$conns"
    done
  done
  rss "$peer" "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
serve grove 18181 taskset -c 0 ./target/release/grove serve "$out/seed.pkl" --target-name quality --port 18181
serve bare-axum 18183 taskset -c 0 ./target/release/bare-axum 18183
GROVE_BENCH_MODEL="$out/seed.pkl" serve fastapi 18182 taskset -c 0 .venv-bench/bin/uvicorn --app-dir bench/peers fastapi_app:app --port 18182 --log-level warning
