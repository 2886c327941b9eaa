"""Pulls an image back from a registry with the OCI distribution API and unpacks its layers:

    python pull_image.py <registry host:port> <repository> <tag> <out_dir>

prints one JSON line: {"manifest": ..., "config": ..., "digest": <Docker-Content-Digest>,
"files": {path: mode}} after checking every blob's sha256 against its digest.
"""

import hashlib
import io
import json
import sys
import tarfile
import urllib.request

ACCEPT = "application/vnd.oci.image.manifest.v1+json"


def get(url, accept=None):
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers


def blob(base, digest):
    data, _ = get(f"{base}/blobs/{digest}")
    assert "sha256:" + hashlib.sha256(data).hexdigest() == digest, digest
    return data


def main(registry, repository, tag, out_dir):
    base = f"http://{registry}/v2/{repository}"
    raw, headers = get(f"{base}/manifests/{tag}", ACCEPT)
    manifest = json.loads(raw)
    digest = headers.get("Docker-Content-Digest")
    assert digest == "sha256:" + hashlib.sha256(raw).hexdigest(), digest
    config = json.loads(blob(base, manifest["config"]["digest"]))
    files = {}
    for layer in manifest["layers"]:
        with tarfile.open(fileobj=io.BytesIO(blob(base, layer["digest"])), mode="r:gz") as tar:
            for member in tar.getmembers():
                files[member.name] = member.mode
            tar.extractall(out_dir)
    return {"manifest": manifest, "config": config, "digest": digest, "files": files}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])))
