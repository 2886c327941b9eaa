"""The tutorial's Lambda function without grove: the pickled scikit-learn forest loaded at
import (Lambda's init phase), and a handler that answers the tutorial's direct-invoke event
`{"body": "{\"values\": {...}}"}` with `{"statusCode": 200, "body": "{\"quality\": 6}"}`.
Only scikit-learn, numpy, scipy, joblib and threadpoolctl are needed (no pandas): the smallest
package this function can ship in.

Model: GROVE_BENCH_MODEL (default model.pkl beside LAMBDA_TASK_ROOT or the working directory).
Run as a script, it times the warm handler in process:
    tutorial_handler.py EVENT.json RUNS  ->  {"median_s": ..., "best_s": ..., "runs": ...}"""
import json
import os
import pickle
import warnings

import numpy as np

path = os.environ.get("GROVE_BENCH_MODEL") or os.path.join(os.environ.get("LAMBDA_TASK_ROOT", "."), "model.pkl")
with open(path, "rb") as f:
    model = pickle.load(f)
features = list(model.feature_names_in_)
# A row in the model's column order is what the forest was fitted on; sklearn only warns that
# it has no column names, once per call.
warnings.filterwarnings("ignore", message="X does not have valid feature names")


def handler(event, context):
    values = json.loads(event["body"])["values"]
    row = np.array([[float(values[name]) for name in features]])
    return {"statusCode": 200, "body": json.dumps({"quality": int(model.predict(row)[0])})}


if __name__ == "__main__":
    import statistics
    import sys
    import time

    event = json.load(open(sys.argv[1]))
    handler(event, None)
    times = []
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter()
        handler(event, None)
        times.append(time.perf_counter() - t)
    print(json.dumps({"median_s": statistics.median(times), "best_s": min(times), "runs": len(times)}))
