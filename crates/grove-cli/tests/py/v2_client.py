"""Drives `grove serve` with clients nobody here wrote: tritonclient (Open Inference Protocol)
and requests (the tutorial's body). Usage: v2_client.py HOST:PORT TUTORIAL_BODY_FILE.
Prints one JSON line of what it saw; the Rust test asserts on it."""
import json
import sys

import numpy as np
import requests
import tritonclient.http as httpclient

url, body_file = sys.argv[1], sys.argv[2]
seen = {}

client = httpclient.InferenceServerClient(url=url)
seen["live"] = client.is_server_live()
seen["ready"] = client.is_model_ready("wine-quality")
meta = client.get_model_metadata("wine-quality")
seen["inputs"] = [i["name"] for i in meta["inputs"]]
seen["outputs"] = [(o["name"], o["datatype"], o["shape"]) for o in meta["outputs"]]

# The tutorial's row, one FP64 input per feature.
row = json.loads(open(body_file).read())["values"]
inputs = []
for name in seen["inputs"]:
    value = float(row[name])
    t = httpclient.InferInput(name, [2], "FP64")
    t.set_data_from_numpy(np.array([value, value], dtype=np.float64), binary_data=False)
    inputs.append(t)
outputs = [httpclient.InferRequestedOutput("predict", binary_data=False),
           httpclient.InferRequestedOutput("predict_proba", binary_data=False)]
result = client.infer("wine-quality", inputs, outputs=outputs, request_id="r1")
seen["predict"] = result.as_numpy("predict").tolist()
seen["proba_shape"] = list(result.as_numpy("predict_proba").shape)
seen["proba_row_sum"] = float(result.as_numpy("predict_proba")[0].sum())

# One [n, 12] FP32 tensor.
x = np.array([[float(row[n]) for n in seen["inputs"]]] * 3, dtype=np.float32)
t = httpclient.InferInput("x", list(x.shape), "FP32")
t.set_data_from_numpy(x, binary_data=False)
seen["tensor_predict"] = client.infer("wine-quality", [t]).as_numpy("predict").tolist()

# A bad request: tritonclient raises with the server's message.
try:
    t = httpclient.InferInput("colour", [1], "FP64")
    t.set_data_from_numpy(np.array([1.0]), binary_data=False)
    client.infer("wine-quality", [t])
    seen["bad"] = "accepted"
except Exception as e:  # tritonclient's InferenceServerException
    seen["bad"] = str(e)

r = requests.post(f"http://{url}/predict", data=open(body_file, "rb").read(),
                  headers={"Content-Type": "application/json"})
seen["tutorial"] = [r.status_code, r.text, r.headers.get("x-model-version")]
print(json.dumps(seen))
