#!/usr/bin/env bash
# Measures what each [profile.release] knob buys: builds zinit once per
# setting (CARGO_PROFILE_RELEASE_* override Cargo.toml), then prints the
# binary size, stripped size, build time, start-up time (`zinit --version`)
# and `zinit check` time on a generated 2 MB script.
#   scripts/release-size.sh [NAME=ENV,ENV... ...]    (default: the table in
#   book/src/images.md). Builds in target/measure, removed between settings.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/measure}
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
if [ $# -eq 0 ]; then
    set -- \
        "thin-cgu4=LTO=thin,CODEGEN_UNITS=4" \
        "fat-cgu4=LTO=fat,CODEGEN_UNITS=4" \
        "fat-cgu1=LTO=fat,CODEGEN_UNITS=1" \
        "fat-cgu1-s=LTO=fat,CODEGEN_UNITS=1,OPT_LEVEL=s" \
        "fat-cgu1-z=LTO=fat,CODEGEN_UNITS=1,OPT_LEVEL=z" \
        "fat-cgu1-abort=LTO=fat,CODEGEN_UNITS=1,PANIC=abort"
fi
input=$(mktemp --suffix=.zinit)
trap 'rm -f "$input"' EXIT
python3 - "$input" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    i = 0
    while f.tell() < 2_000_000:
        f.write(f"wait tcp db{i}.internal:5432 timeout 30s every 500ms\n")
        f.write(f'run "./migrate --step {i}" timeout 1m retry 3 backoff\n')
        i += 1
PY
# Best of N wall-clock runs of a command, in milliseconds.
best_ms() {
    local n=$1 best=999999999 t0 t1 ms
    shift
    for _ in $(seq "$n"); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000 ))
        [ "$ms" -lt "$best" ] && best=$ms
    done
    printf '%d.%03d' $((best / 1000)) $((best % 1000))
}
printf '%-16s %10s %10s %8s %10s %10s\n' setting bytes stripped build_s version_ms check_ms
for spec in "$@"; do
    name=${spec%%=*}
    vars=()
    IFS=, read -ra knobs <<<"${spec#*=}"
    for knob in "${knobs[@]}"; do vars+=("CARGO_PROFILE_RELEASE_$knob"); done
    rm -rf "$CARGO_TARGET_DIR/release"
    start=$(date +%s)
    env "${vars[@]}" CARGO_PROFILE_RELEASE_STRIP=none cargo build --release --bin zinit -q ${EXTRA_CARGO_ARGS:-}
    built=$(( $(date +%s) - start ))
    bin=$(find "$CARGO_TARGET_DIR" -path '*release/zinit' -type f | head -1)
    strip -o "$bin.stripped" "$bin"
    printf '%-16s %10d %10d %8d %10s %10s\n' "$name" "$(stat -c %s "$bin")" \
        "$(stat -c %s "$bin.stripped")" "$built" \
        "$(best_ms 20 "$bin.stripped" --version)" "$(best_ms 5 "$bin.stripped" check "$input")"
done
