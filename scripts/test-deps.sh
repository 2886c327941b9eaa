#!/usr/bin/env bash
# Installs the real peers the tests talk to, into .venv-test (ignored by git): boto3 and the
# aws CLI as clients, moto's server as the AWS API, cargo-lambda as the Lambda Runtime API
# emulator, tritonclient as an Open Inference Protocol client, openapi-spec-validator and
# schemathesis for grove-http's checks of /openapi.json. Idempotent and quick when done.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's Chromium and chromedriver, for grove-http's browser test of the web page (quick when
# they are already there; CI runs as root).
command -v chromedriver >/dev/null && command -v chromium >/dev/null \
  || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver)
# Debian's docker-registry (the OCI distribution API on 127.0.0.1), for grove-cli's image push
# tests (`grove package --image --registry`).
command -v docker-registry >/dev/null \
  || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y docker-registry)
# wrk, for grove-cli's model-swap-under-load test (`grove serve s3://…` while versions are pushed).
command -v wrk >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk)
# cargo-deny, for the licence, ban and source checks of test.sh (from crates.io, its own lock).
command -v cargo-deny >/dev/null || cargo install --locked cargo-deny
venv=.venv-test
stamp="$venv/.installed-v2"
if [ -f "$stamp" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  'boto3==1.44.*' 'awscli==1.46.*' 'moto[server]==5.2.*' 'cargo-lambda==1.9.*' \
  'tritonclient[http]==2.73.*' 'requests==2.*' \
  'openapi-spec-validator==0.9.0' 'schemathesis==4.32.5'
touch "$stamp"
