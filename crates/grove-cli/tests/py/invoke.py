"""Invokes the function on a local Lambda emulator exactly as the tutorial's client does:

    python invoke.py <endpoint_url> <function_name> <event.json>

prints one JSON line for the Rust test to parse:
    {"status": <StatusCode>, "function_error": <FunctionError or null>, "payload": <parsed Payload>}
or, when boto3 raises (cargo-lambda's emulator answers a function error with HTTP 500 where
Lambda answers 200 with X-Amz-Function-Error, so boto3 retries and raises):
    {"client_error": {"http_status": <status>, "message": <str(error)>}}
"""

import json
import sys

import boto3
import botocore.exceptions


def main(endpoint_url, function_name, event_path):
    with open(event_path) as f:
        event = json.load(f)
    client = boto3.client(
        "lambda",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    try:
        response = client.invoke(FunctionName=function_name, Payload=json.dumps(event))
    except botocore.exceptions.ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return {"client_error": {"http_status": status, "message": str(error)}}
    payload = json.loads(response["Payload"].read())
    return {
        "status": response["StatusCode"],
        "function_error": response.get("FunctionError"),
        "payload": payload,
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
