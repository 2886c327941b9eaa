"""The tutorial's handler as people serve it without grove: FastAPI + uvicorn + the pickled
scikit-learn model. Same body and answer as `grove serve`'s POST /predict.

Run: GROVE_BENCH_MODEL=bench-out/seed.pkl uvicorn --app-dir bench/peers fastapi_app:app"""
import os
import pickle

import pandas as pd
from fastapi import FastAPI, Request

model = pickle.load(open(os.environ["GROVE_BENCH_MODEL"], "rb"))
features = list(model.feature_names_in_)
app = FastAPI()


@app.post("/predict")
async def predict(request: Request):
    values = (await request.json())["values"]
    rows = values if isinstance(values, list) else [values]
    frame = pd.DataFrame([{f: float(r[f]) for f in features} for r in rows])
    labels = [int(x) for x in model.predict(frame)]
    return {"quality": labels if isinstance(values, list) else labels[0]}
