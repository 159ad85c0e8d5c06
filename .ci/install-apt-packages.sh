#!/usr/bin/env bash
# The Debian packages the tests start servers from (tests/requirements/apt.txt):
# PostgreSQL and Redis for the protocol waits. About 25s on a fresh image
# when postgresql is already present (redis-server: 22s measured).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
while read -r package; do
    [ -n "$package" ] || continue
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done < tests/requirements/apt.txt
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
