"""Makes the models and rows the peer benchmark compares on, with scikit-learn itself:
the tutorial's forest (10 trees), a 100-tree depth-12 forest and a 500-tree depth-8 forest,
each as a pickle (grove imports it), an ONNX file (skl2onnx) and a TL2cgen-compiled library. A forest
already made by this scikit-learn with the same parameters is kept (training is seeded, so it
would be the same; TL2cgen's compile takes minutes).

Usage: make_models.py OUT_DIR [--quick]"""
import json
import os
import pickle
import sys
import time

import numpy as np
import onnxruntime
import pandas as pd
import sklearn
import skl2onnx
import tl2cgen
import treelite
from sklearn.ensemble import RandomForestClassifier

out = sys.argv[1]
quick = "--quick" in sys.argv
os.makedirs(out, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "..", "data", "wine-quality")

red = pd.read_csv(os.path.join(data, "winequality-red.csv"), sep=";")
white = pd.read_csv(os.path.join(data, "winequality-white.csv"), sep=";")
red["is_red"] = 1
white["is_red"] = 0
df = pd.concat([red, white], ignore_index=True)
df.columns = [c.replace(" ", "_") for c in df.columns]
X = df.drop(columns=["quality"])
y = df["quality"]
X.to_csv(os.path.join(out, "rows.csv"), index=False)
y.to_frame().to_csv(os.path.join(out, "quality.csv"), index=False)

forests = {"seed": dict(n_estimators=10, random_state=42),
           "rf100_d12": dict(n_estimators=100, max_depth=12, random_state=0)}
if not quick:
    # Depth ≤ 8: TL2cgen's compile of 500 full-depth trees (1.5 M nodes) would take about an
    # hour on this machine (100 trees of depth 12, 137 k nodes, take five minutes).
    forests["rf500_d8"] = dict(n_estimators=500, max_depth=8, random_state=0)

made = os.path.join(out, "models.json")
old = json.load(open(made)) if os.path.exists(made) else {}
made_with = " ".join(m.__version__ for m in (sklearn, skl2onnx, onnxruntime, treelite, tl2cgen))
meta = {}
for name, params in forests.items():
    kept = old.get(name, {})
    if (kept.get("params") == params and kept.get("made_with") == made_with
            and all(os.path.exists(os.path.join(out, f"{name}.{ext}")) for ext in ("pkl", "onnx", "so"))):
        meta[name] = kept
        continue
    model = RandomForestClassifier(**params).fit(X, y)
    with open(os.path.join(out, f"{name}.pkl"), "wb") as f:
        pickle.dump(model, f)
    onx = skl2onnx.to_onnx(model, X.values.astype(np.float32)[:1], options={"zipmap": False},
                           target_opset={"": 17, "ai.onnx.ml": 3})
    with open(os.path.join(out, f"{name}.onnx"), "wb") as f:
        f.write(onx.SerializeToString())
    t = time.perf_counter()
    tl2cgen.export_lib(treelite.sklearn.import_model(model), toolchain="gcc",
                       libpath=os.path.join(out, f"{name}.so"), params={"parallel_comp": 8},
                       verbose=False)
    meta[name] = {"params": params, "made_with": made_with, "tl2cgen_compile_s": time.perf_counter() - t,
                  "nodes": int(sum(e.tree_.node_count for e in model.estimators_))}
json.dump(meta, open(made, "w"), indent=1)
