"""The part of AWS's Python runtime that matters for timing, so the tutorial's Python function
runs under the same Runtime API emulator as grove's bootstrap: import the handler module (the
init phase), then loop on the Runtime API (next event -> handler -> response).

Run: AWS_LAMBDA_RUNTIME_API=... python lambda_runtime.py   (handler: tutorial_handler.handler)"""
import http.client
import json
import os
import sys
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tutorial_handler  # noqa: E402  (the init phase: imports and unpickling)

api = os.environ["AWS_LAMBDA_RUNTIME_API"]
# AWS gives host:port; cargo-lambda's emulator gives a URL with a path prefix.
url = urlsplit(api if "://" in api else f"http://{api}")
base = f"{url.path.rstrip('/')}/2018-06-01/runtime/invocation"
conn = http.client.HTTPConnection(url.hostname, url.port)
while True:
    conn.request("GET", f"{base}/next")
    answer = conn.getresponse()
    event = json.loads(answer.read())
    request_id = answer.getheader("Lambda-Runtime-Aws-Request-Id")
    result = json.dumps(tutorial_handler.handler(event, None))
    conn.request("POST", f"{base}/{request_id}/response", body=result,
                 headers={"Content-Type": "application/json"})
    conn.getresponse().read()
