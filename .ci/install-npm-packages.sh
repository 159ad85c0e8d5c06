#!/usr/bin/env bash
# Installs the npm packages the grammar tests run through node
# (tests/requirements/npm.txt) under target/npm. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2046
npm install --no-save --no-audit --no-fund --prefix target/npm $(cat tests/requirements/npm.txt)
