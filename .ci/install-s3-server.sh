#!/usr/bin/env bash
# Installs moto's S3-compatible server (PyPI `moto[server]`), which the S3
# tests (tests/run_s3.rs) start on 127.0.0.1. Idempotent: does nothing when
# it is already importable.
set -euo pipefail
if ! python3 -c 'import moto.server' >/dev/null 2>&1; then
    python3 -m pip install --quiet 'moto[server]'
fi
python3 -c 'import moto.server'
