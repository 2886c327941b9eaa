"""Times the Python peers on the cases grove is measured on, in this process, and prints one
JSON object per measurement: {"case", "peer", "threads", "seconds", "rows"}.

Usage: peers.py OUT_DIR [--quick]   (OUT_DIR is what make_models.py wrote)"""
import json
import os
import pickle
import sys
import time

import joblib
import numpy as np
import pandas as pd

out = sys.argv[1]
quick = "--quick" in sys.argv
ncpu = os.cpu_count() or 1
rows = pd.read_csv(os.path.join(out, "rows.csv"))
X = rows.values.astype(np.float32)
y = None


def emit(case, peer, threads, seconds, n):
    print(json.dumps({"case": case, "peer": peer, "threads": threads, "seconds": seconds, "rows": n}),
          flush=True)


def best(fn, repeat, number=1):
    """Best of `repeat` runs of `number` calls, per call: the least disturbed figure."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t) / number)
    return min(times)


def tiled(n):
    reps = -(-n // len(X))
    return np.tile(X, (reps, 1))[:n]


sizes = [("one_row", 1), ("rows_6497", len(X)), ("rows_1e5", 100_000)]
if not quick:
    sizes.append(("rows_1e6", 1_000_000))
models = json.load(open(os.path.join(out, "models.json")))

import onnxruntime as ort
import tl2cgen

for name in models:
    model = pickle.load(open(os.path.join(out, f"{name}.pkl"), "rb"))
    frame = rows.iloc[:1]
    for threads in (1, ncpu):
        model.n_jobs = threads
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        sess = ort.InferenceSession(os.path.join(out, f"{name}.onnx"), opts,
                                    providers=["CPUExecutionProvider"])
        iname = sess.get_inputs()[0].name
        pred = tl2cgen.Predictor(os.path.join(out, f"{name}.so"), nthread=threads)
        for case, n in sizes:
            if threads > 1 and n == 1:
                continue
            data = X[:1] if n == 1 else (X if n == len(X) else tiled(n))
            df = frame if n == 1 else pd.DataFrame(data, columns=rows.columns)
            # Fewer repeats as a call grows: a 10^6-row call is long enough to be disturbed less.
            rep = 7 if n <= len(X) else (3 if n <= 100_000 else 1)
            num = 200 if n == 1 else 1
            emit(f"{name}/{case}", "sklearn", threads,
                 best(lambda: model.predict_proba(df), rep, 20 if n == 1 else 1), n)
            emit(f"{name}/{case}", "onnxruntime", threads,
                 best(lambda: sess.run(None, {iname: data}), rep, num), n)
            dm = tl2cgen.DMatrix(data)
            emit(f"{name}/{case}", "tl2cgen-python", threads, best(lambda: pred.predict(dm), rep, num), n)

# Loading the tutorial's model as users do.
path = os.path.join(out, "seed.pkl")
emit("load/seed", "joblib.load", 1, best(lambda: joblib.load(path), 5), 0)

# Training, as the tutorial does.
from sklearn.ensemble import RandomForestClassifier
Xdf = rows
yv = pd.read_csv(os.path.join(out, "quality.csv"))["quality"]
for trees in (10, 100):
    for threads in (1, ncpu):
        m = RandomForestClassifier(n_estimators=trees, random_state=42, n_jobs=threads)
        emit(f"train/{trees}_trees", "sklearn", threads, best(lambda: m.fit(Xdf, yv), 3 if trees == 10 else 1), len(Xdf))
