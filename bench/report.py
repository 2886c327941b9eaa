"""Merges grove's and the peers' measurements from one run into a table of ratios (how many
times faster grove is), prints it and writes BENCHMARKS.md.

Usage: report.py OUT_DIR COMMAND_LINE"""
import json
import os
import platform
import subprocess
import sys
from collections import defaultdict

out, command = sys.argv[1], sys.argv[2]
results = defaultdict(dict)
for name in ("grove.jsonl", "peers.jsonl", "http.jsonl"):
    for line in open(os.path.join(out, name)):
        r = json.loads(line)
        results[(r["case"], r["threads"])][r["peer"]] = r

peers = ["sklearn", "joblib.load", "onnxruntime", "tl2cgen-python", "fastapi"]


def fmt_time(s):
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


lines = ["| case | threads | grove | " + " | ".join(f"{p} (grove ×)" for p in peers) + " |",
         "|---|---|---|" + "---|" * len(peers)]
for (case, threads), by in sorted(results.items()):
    g = by.get("grove")
    if not g:
        continue
    cells = []
    for p in peers:
        r = by.get(p)
        cells.append(f"{fmt_time(r['seconds'])} ({r['seconds'] / g['seconds']:.1f}×)" if r else "")
    rate = f", {g['rows'] / g['seconds'] / 1e6:.2f} M rows/s" if g["rows"] > 1 and not case.startswith("train") else ""
    if case.startswith("http/"):
        # Time per request = 1 / requests per second; p99 beside it.
        rate = f" ({1 / g['seconds']:.0f} req/s, p99 {g['p99_ms']} ms)"
    lines.append(f"| {case} | {threads} | {fmt_time(g['seconds'])}{rate} | " + " | ".join(cells) + " |")
table = "\n".join(lines)
print(table)

def version(pkg):
    try:
        return subprocess.run([sys.executable, "-c", f"import {pkg}; print({pkg}.__version__)"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"

machine = f"{platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}"
versions = ", ".join(f"{p} {version(p)}" for p in ["sklearn", "numpy", "onnxruntime", "tl2cgen", "treelite"])
doc = f"""# Benchmarks

Made by `{command}` on {machine}. Peers: {versions}, Python {platform.python_version()}.
Every figure is the best of several runs in the same process run; ratios are peer time ÷ grove
time from the same run (higher is better for grove). Absolute times on a shared 2-core machine
are noisy; the ratios are what to read. Python peers are called through Python, as a data
scientist calls them (`predict_proba`, `InferenceSession.run`, `Predictor.predict` on a
prepared `DMatrix`); grove is called natively (`Forest::predict_proba`).

{table}

Cases: `seed` is the tutorial's `RandomForestClassifier(n_estimators=10, random_state=42)`;
`rf100_d12` is 100 trees of depth ≤ 12; `rf500` (full run only) 500 trees. Rows are the 6497
wine rows, tiled for 10^5 and 10^6. `load/seed` is reading `seed.pkl` (grove: without
executing it); `load/seed_grove` is grove reading the same model as a `.grove` file.
`train/*` fits on the wine data (grove grows the same trees as sklearn). `http/R_rows/cN` is
wrk with N connections posting the tutorial's body (R rows) to `grove serve` and to FastAPI +
uvicorn + sklearn; each server pinned to core 0 and wrk to core 1; the figure is time per
request (1 / requests per second), so the ratio is grove's requests/s over the peer's.
"""
open("BENCHMARKS.md", "w").write(doc)
