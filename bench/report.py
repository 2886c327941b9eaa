"""Merges grove's and the peers' measurements from one run into tables of ratios (how many
times faster, smaller or cheaper grove is), checks them against issue 8's goals, prints the
tables and writes BENCHMARKS.md.

Usage: report.py OUT_DIR COMMAND_LINE"""
import importlib.metadata
import json
import math
import os
import platform
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date

out, command = sys.argv[1], sys.argv[2].strip()
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = defaultdict(dict)
# native.jsonl (TL2cgen's C library and ONNX Runtime called from Rust), startup.jsonl and
# size.jsonl are read when present, so a partial run still reports what it has.
for name in ("grove.jsonl", "native.jsonl", "peers.jsonl", "http.jsonl", "startup.jsonl", "size.jsonl"):
    path = os.path.join(out, name)
    if os.path.exists(path):
        for line in open(path):
            if line.strip():
                r = json.loads(line)
                results[(r["case"], r["threads"])][r["peer"]] = r


def get(case, peer, threads=1):
    return results.get((case, threads), {}).get(peer)


def fmt_time(s):
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def mb(n):
    return f"{n / 1e6:.2f} MB"


def table(header, rows):
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                     + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


# 1. Speed: peer time ÷ grove time per case, as before, with the native peers and bare-axum.
SPECIAL = ("cold_start/", "rss/", "size/", "lambda/")  # the second set of tables
order = ["sklearn", "joblib.load", "onnxruntime", "onnxruntime-rs", "tl2cgen-python", "tl2cgen-c",
         "fastapi", "bare-axum"]
present = {p for (case, _), by in results.items() if not case.startswith(SPECIAL) for p in by}
peers = [p for p in order if p in present]
rows = []
for (case, threads), by in sorted(results.items()):
    g = by.get("grove")
    if not g or case.startswith(SPECIAL):
        continue
    cells = []
    for p in peers:
        r = by.get(p)
        if r and p == "bare-axum":
            # The ceiling: grove's requests/s as a share of bare-axum's, and the p99s side by side.
            cells.append(f"{1 / r['seconds']:.0f} req/s, p99 {r['p99_ms']} ms (grove "
                         f"{100 * r['seconds'] / g['seconds']:.0f}%, p99 {g['p99_ms'] / r['p99_ms']:.2f}×)")
        else:
            cells.append(f"{fmt_time(r['seconds'])} ({r['seconds'] / g['seconds']:.1f}×)" if r else "")
    rate = f", {g['rows'] / g['seconds'] / 1e6:.2f} M rows/s" if g["rows"] > 1 and not case.startswith("train") else ""
    if case.startswith("http/"):
        # Time per request = 1 / requests per second; p99 beside it.
        rate = f" ({1 / g['seconds']:.0f} req/s, p99 {g['p99_ms']} ms)"
    rows.append([case, threads, fmt_time(g["seconds"]) + rate] + cells)
speed = table(["case", "threads", "grove"] + [f"{p} (grove ×)" for p in peers], rows)

# 2. Cold start: exec -> first successful answer, best and median of fresh processes.
rows = []
for case in ("cold_start/http", "cold_start/lambda"):
    ref = get(case, "grove")
    for peer, r in results.get((case, 1), {}).items():
        ratio = f"{r['seconds'] / ref['seconds']:.2f}×" if ref and peer != "grove" else ""
        rows.append([case, peer, r["what"], fmt_time(r["seconds"]), fmt_time(r["median_s"]), r["runs"], ratio])
cold = table(["case", "peer", "what runs", "best", "median", "runs", "peer ÷ grove (best)"], rows)

# 3. Resident memory at the first answer (idle) and after load.
rows = []
for case, load, label in (("cold_start/http", "rss/after_load", "after the wrk runs"),
                          ("cold_start/lambda", None, "after the warm invokes")):
    ref = get(case, "grove")
    for peer, r in results.get((case, 1), {}).items():
        after = get(load, peer) if load else None
        loaded = (f"{mib(after['vmrss_kib'])} / {mib(after['vmhwm_kib'])}" if after else
                  f"— / {mib(r['vmhwm_after_invokes_kib'])}" if "vmhwm_after_invokes_kib" in r else "")
        ratio = f"{r['vmhwm_kib'] / ref['vmhwm_kib']:.1f}×" if ref and peer != "grove" else ""
        rows.append([case.split("/")[1], peer, f"{mib(r['vmrss_kib'])} / {mib(r['vmhwm_kib'])}",
                     f"{loaded} ({label})" if loaded else "", ratio])
memory = table(["front end", "peer", "first answer: VmRSS / VmHWM", "loaded: VmRSS / VmHWM",
                "peer ÷ grove (VmHWM, first answer)"], rows)

# 4. Size of the Lambda function's package.
rows = []
gz = get("size/lambda_zip", "grove")
for peer, r in results.get(("size/lambda_zip", 1), {}).items():
    ratio = f"{r['zip_bytes'] / gz['zip_bytes']:.1f}× zipped, {r['unzipped_bytes'] / gz['unzipped_bytes']:.1f}× unzipped" \
        if gz and peer != "grove" else ""
    rows.append([peer, r["what"], mb(r["zip_bytes"]), mb(r["unzipped_bytes"]), ratio])
size = table(["function", "what is counted", "zip", "unzipped", "peer ÷ grove"], rows)

# 5. Cost of a million tutorial requests on Lambda.
PRICES_DATE = "2026-11-25"
PRICE_GB_S = 0.0000166667   # $ per GB-second, x86, us-east-1, first tier
PRICE_REQUESTS = 0.20       # $ per 1M requests
SETTINGS_MB = [128, 256, 512, 1024, 2048, 4096, 10240]  # the settings people pick
HEADROOM = 1.5


def lambda_cost(peak_kib, duration_s, init_s):
    setting = next(m for m in SETTINGS_MB if m * 1024 >= HEADROOM * peak_kib)
    gb = setting / 1024  # Lambda bills memory in MB of 1024 per GB
    billed_ms = math.ceil(duration_s * 1e3)
    compute = 1e6 * billed_ms / 1e3 * gb * PRICE_GB_S
    init = 1e3 * math.ceil(init_s * 1e3) / 1e3 * gb * PRICE_GB_S  # per 1000 cold starts
    return setting, billed_ms, compute, compute + PRICE_REQUESTS, init


costs = {}
gl, pl, ph = get("cold_start/lambda", "grove"), get("cold_start/lambda", "python"), get("lambda/warm_handler", "python")
if gl:
    costs["grove"] = (max(gl["vmhwm_kib"], gl.get("vmhwm_after_invokes_kib", 0)), gl["warm_invoke_median_s"],
                      "invoke round trip under the emulator (median; an upper bound of the handler's time)",
                      gl["median_s"])
if pl and ph:
    costs["python"] = (max(pl["vmhwm_kib"], pl.get("vmhwm_after_invokes_kib", 0)), ph["median_s"],
                       f"handler in process: json + predict (median; round trip under the emulator "
                       f"{fmt_time(pl['warm_invoke_median_s'])})", pl["median_s"])
rows, computed = [], {}
for peer, (peak, duration, what, init_s) in costs.items():
    setting, billed, compute, total, init = computed[peer] = lambda_cost(peak, duration, init_s)
    rows.append([peer, mib(peak), f"{setting} MB", f"{fmt_time(duration)}: {what}", f"{billed} ms",
                 f"${compute:.4f}", f"${total:.4f}", f"{fmt_time(init_s)}: ${init:.5f}"])
if len(computed) == 2:
    g, p = computed["grove"], computed["python"]
    rows.append(["python ÷ grove", "", f"{p[0] / g[0]:.1f}×", "", f"{p[1] / g[1]:.1f}×", f"{p[2] / g[2]:.1f}×",
                 f"{p[3] / g[3]:.2f}×", f"{p[4] / g[4]:.0f}×"])
cost = table(["function", "peak RSS (VmHWM)", f"memory (≥ {HEADROOM}× peak)", "warm duration (what)",
              "billed", "compute per 1M requests", "total per 1M (+ $0.20 requests)",
              "cold start (median) → INIT per 1000 cold starts"], rows)

# 6. Issue 8's goals, checked against this run's ratios.
goals = []


def goal(name, target, value, fmt, ok):
    verdict = "not measured" if value is None else ("met" if ok(value) else "**missed**")
    goals.append([name, target, "" if value is None else fmt(value), verdict])


def ratio(case, peer, threads=1):
    g, p = get(case, "grove", threads), get(case, peer, threads)
    return p["seconds"] / g["seconds"] if g and p else None


times = lambda v: f"{v:.2f}×"  # noqa: E731
models = sorted({case.split("/")[0] for (case, _) in results if case.endswith("/one_row")})
for m in models:
    goal(f"single-row predict, {m}", "≥ 1000× sklearn", ratio(f"{m}/one_row", "sklearn"), times, lambda v: v >= 1000)
    goal(f"single-row predict, {m}", "≥ 1× tl2cgen-c", ratio(f"{m}/one_row", "tl2cgen-c"), times, lambda v: v >= 1)
goal("batch: seed, 6497 rows, 1 thread", "≥ 1.5× tl2cgen-c", ratio("seed/rows_6497", "tl2cgen-c"), times,
     lambda v: v >= 1.5)
onnx = "onnxruntime-rs" if get("seed/rows_6497", "onnxruntime-rs") else "onnxruntime"
goal("batch: seed, 6497 rows, 1 thread", f"≥ 5× ONNX Runtime ({onnx})", ratio("seed/rows_6497", onnx), times,
     lambda v: v >= 5)


def best_rps(peer):
    rs = [r for (case, _), by in results.items() if case.startswith("http/1_rows/") for p, r in by.items() if p == peer]
    return max(1 / r["seconds"] for r in rs) if rs else None


g_rps, f_rps = best_rps("grove"), best_rps("fastapi")
goal("HTTP, 1-row body: best req/s at any concurrency", "≥ 50× FastAPI's best",
     g_rps / f_rps if g_rps and f_rps else None, times, lambda v: v >= 50)
for conns in (8, 32):
    g, b = get(f"http/1_rows/c{conns}", "grove"), get(f"http/1_rows/c{conns}", "bare-axum")
    goal(f"HTTP, 1-row body, {conns} connections", "≥ 80% of bare-axum's req/s",
         b["seconds"] / g["seconds"] if g and b else None, lambda v: f"{100 * v:.0f}%", lambda v: v >= 0.8)
    goal(f"HTTP, 1-row body, {conns} connections", "p99 ≤ 1.5× bare-axum's p99",
         g["p99_ms"] / b["p99_ms"] if g and b else None, times, lambda v: v <= 1.5)
for peer, label in (("grove", "grove serve seed.pkl"), ("grove-file", "grove serve seed.grove")):
    g, b = get("cold_start/http", peer), get("cold_start/http", "bare-axum")
    goal(f"cold start, {label}", "≤ 3× bare-axum's exec → first answer",
         g["seconds"] / b["seconds"] if g and b else None, times, lambda v: v <= 3)
for case, peer, label in (("cold_start/http", "fastapi", "grove serve seed.pkl vs FastAPI"),
                          ("cold_start/lambda", "python", "grove-lambda vs the Python function")):
    goal(f"cold start, {label}", "≥ 250× faster than Python", ratio(case, peer), times, lambda v: v >= 250)
all_cores = max((t for (case, t) in results if case.startswith("train/")), default=1)
for trees in (10, 100):
    for threads in sorted({1, all_cores}):
        goal(f"training, {trees} trees, {threads} thread{'s' if threads > 1 else ''}", "≥ 5× sklearn (same cores)",
             ratio(f"train/{trees}_trees", "sklearn", threads), times, lambda v: v >= 5)
goal("Lambda zip (tutorial's model)", "≤ 5 MB (5·10⁶ bytes)", gz["zip_bytes"] if gz else None, mb,
     lambda v: v <= 5e6)
for case, peer, label in (("cold_start/http", "grove", "grove serve seed.pkl"),
                          ("cold_start/http", "grove-file", "grove serve seed.grove"),
                          ("cold_start/lambda", "grove", "grove-lambda")):
    r = get(case, peer)
    goal(f"RSS at the first answer, {label}", "VmRSS ≤ 10 MiB", r["vmrss_kib"] if r else None, mib,
         lambda v: v <= 10 * 1024)
goal_table = table(["goal", "target", "this run", "verdict"], goals)

printed = {"Speed": speed, "Cold start": cold, "Resident memory": memory, "Lambda package size": size,
           "Lambda cost per 1M tutorial requests": cost, "Goals (issue 8)": goal_table}
for title, text in printed.items():
    print(f"\n## {title}\n\n{text}")


def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=root).stdout.strip()
    except OSError:
        return "?"


def pkg(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def crate(name):
    lock = open(os.path.join(root, "Cargo.lock")).read()
    found = re.search(rf'name = "{re.escape(name)}"\nversion = "([^"]+)"', lock)
    return found.group(1) if found else "?"


cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
machine = f"{cpu}, {os.cpu_count()} cores ({platform.machine()}), Linux {platform.release()}"
grove_rev = run("git", "describe", "--always", "--dirty")
wrk = (run("wrk", "-v") or "wrk ?").split(" [")[0]
py_versions = ", ".join(f"{p} {pkg(p)}" for p in ["scikit-learn", "numpy", "scipy", "pandas", "onnxruntime", "skl2onnx",
                                                  "treelite", "tl2cgen", "fastapi", "uvicorn", "cargo-lambda"])
rs_versions = ", ".join(f"{c} {crate(c)}" for c in ["axum", "tokio", "hyper", "lambda_runtime", "ort", "libloading"])
doc = f"""# Benchmarks

Made by `{command}` on {date.today().isoformat()}, grove at `{grove_rev}`.

- **Machine**: {machine}.
- **Versions**: {run("rustc", "--version")}; Python {platform.python_version()}: {py_versions};
  crates: {rs_versions}; {wrk}.
- **Cores**: prediction and training run one case at a time, on 1 thread and on all cores
  (`threads`). Every server (grove serve, bare-axum, uvicorn, the Lambda functions) runs pinned
  to core 0 and its client (wrk, the cold-start poller, the Lambda emulator) to core 1, one
  process each (one uvicorn worker, one grove process). The machine is shared with other work:
  absolute figures are noisy; ratios from the same run are what to read.

Prediction, loading and training figures are the best of several runs in one process; an HTTP
figure is one wrk run (3 s with `--quick`, else 10 s); ratios are peer ÷ grove from the same run
(higher is better for grove). Python peers are called through Python, as a
data scientist calls them (`predict_proba`, `InferenceSession.run`, `Predictor.predict` on a
prepared `DMatrix`); grove is called natively (`Forest::predict_proba`), and so are
`tl2cgen-c` (TL2cgen's compiled C library through its C ABI) and `onnxruntime-rs` (ONNX Runtime's
C API through the `ort` crate), which take Python's call overhead out of the comparison.

## Speed

{speed}

## Cold start

{cold}

## Resident memory

{memory}

## Lambda package size

{size}

## Lambda cost per 1M tutorial requests

{cost}

Prices: AWS Lambda on x86, ${PRICE_GB_S} per GB-second and ${PRICE_REQUESTS:.2f} per 1M requests
(us-east-1, first tier, as of {PRICES_DATE}); duration billed rounded up to 1 ms; memory is the
smallest of {", ".join(map(str, SETTINGS_MB))} MB that holds {HEADROOM}× the measured peak RSS.
AWS also bills the INIT phase of a cold start: the last column prices the measured median exec →
first answer (init and the first invoke) at the same memory, per 1000 cold starts.

## Goals (issue 8)

Each goal is a ratio against a peer measured in this run: speed and cold start compare best
figures; HTTP compares the 1-row body's requests/s and p99 (FastAPI: its best connection count
against grove's best); RSS is VmRSS at the first answer; a MB is 10⁶ bytes.

{goal_table}

## What each case is

- `seed` is the tutorial's `RandomForestClassifier(n_estimators=10, random_state=42)`;
  `rf100_d12` is 100 trees of depth ≤ 12; `rf500_d8` (full run only) 500 trees of depth ≤ 8.
  Rows are the 6497 wine rows, tiled for 10^5 and 10^6. `one_row` is a single row, the tutorial's request, over
  and over; `one_row_varied` a different row at each call (no path stays in the branch
  predictor or cache).
- `load/seed` is reading `seed.pkl` (grove: without executing it); `load/seed_grove` is grove
  reading the same model as a `.grove` file. `train/*` fits on the wine data (grove grows the
  same trees as sklearn).
- `http/R_rows/cN` is wrk with N connections posting the tutorial's body (R rows) to
  `grove serve seed.pkl`, to FastAPI + uvicorn + sklearn (`bench/peers/fastapi_app.py`) and to
  `bare-axum` (`crates/grove-bench/src/bin/bare-axum.rs`: the same tokio runtime and axum, but
  only parsing the JSON body and answering a fixed `{{"quality": 6}}`, the ceiling any axum
  server reaches). The figure is time per request (1 / requests per second), so the ratio is
  grove's requests/s over the peer's.
- `cold_start/http` is exec → the first 200 answer to the tutorial's body, model load included,
  polling the port without sleeping: `grove serve seed.pkl` (the pickle imported at start),
  `grove-file` (`grove serve seed.grove`, imported beforehand with `grove import`), bare-axum,
  FastAPI. `cold_start/lambda` is exec → the first invoke's answer under cargo-lambda's Runtime
  API emulator (`cargo lambda watch --only-lambda-apis`; the tutorial's direct-invoke event is
  queued right after exec): grove's bootstrap out of the `grove package` zip (lambda-size build,
  `GROVE_MODEL=model.grove`), against `bench/peers/tutorial_handler.py` (the tutorial's handler:
  sklearn, seed.pkl unpickled at init, no pandas) under a minimal Python Runtime API loop
  (`bench/peers/lambda_runtime.py`). Each is a fresh process after one unmeasured warm-up.
- Memory is VmRSS (resident) and VmHWM (peak resident) from `/proc/PID/status`: at the first
  answer, and after the HTTP load runs or 200 warm invokes.
"""
open(os.path.join(root, "BENCHMARKS.md"), "w").write(doc)
