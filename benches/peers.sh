#!/usr/bin/env bash
# Readiness benchmark: zinit against the wait tools people use today,
# measured the same way in one run by shared/bench/readiness_latency.py
# (a port opens at a random moment 2–4 s after the tool starts; latency =
# tool exit − port open; CPU = the tool's user+sys time over the wait).
#
# Usage: benches/peers.sh [RUNS]   (default 20 runs per tool)
# Installs the peers by package name: wait-on and wait-port (npm),
# wait-for-it (Debian), and ZLayer's own actions (crates.io
# `zlayer-init-actions`, wrapped by benches/peers/zlayer-wait).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-20}"
delay=2.0
measure="$root/../shared/bench/readiness_latency.py"
[[ -f $measure ]] || { echo "missing $measure (shared/ must sit beside the repo)" >&2; exit 2; }
peers="$root/target/peers"
mkdir -p "$peers/npm"

echo "== installing peers" >&2
command -v wait-for-it >/dev/null || { apt-get update -qq && apt-get install -y -qq wait-for-it; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
if [[ ! -x $peers/npm/node_modules/.bin/wait-on || ! -x $peers/npm/node_modules/.bin/wait-port ]]; then
  (cd "$peers/npm" && { [[ -f package.json ]] || npm init -y >/dev/null; } && npm install --no-audit --no-fund wait-on wait-port >/dev/null)
fi
(cd "$root/benches/peers/zlayer-wait" && cargo build --release --quiet --target-dir "$peers")
(cd "$root" && cargo build --release --quiet)

zinit="$root/target/release/zinit"
[[ -n ${CARGO_TARGET_DIR:-} ]] && zinit="$CARGO_TARGET_DIR/release/zinit"
wait_on="$peers/npm/node_modules/.bin/wait-on"
wait_port="$peers/npm/node_modules/.bin/wait-port"
zlayer="$peers/release/zlayer-wait"

row() { # name, extra readiness args..., -- cmd
  local name=$1; shift
  local out
  out=$(python3 "$measure" --runs "$runs" --delay "$delay" "$@" 2>&1 | tail -1)
  python3 - "$name" "$out" "$delay" <<'PY'
import re, sys
name, out, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
m = re.search(r"median=([\d.]+) p90=([\d.]+) max=([\d.]+) cpu_ms median=([\d.]+)", out)
if not m:
    print(f"| {name} | failed: {out} | | | |")
else:
    med, p90, mx, cpu = map(float, m.groups())
    wait_ms = 1.5 * delay * 1000 + med  # mean wait: the port opens after U[delay, 2·delay]
    print(f"| {name} | {med:.1f} | {p90:.1f} | {cpu:.1f} | {100 * cpu / wait_ms:.2f}% |")
PY
}

echo
echo "### TCP readiness ($runs runs each, port opens after U[2,4] s)"
echo
echo "| tool | median ms | p90 ms | CPU ms over the wait | CPU % of one core |"
echo "|---|---|---|---|---|"
row "zinit" -- "$zinit" run --format plain -e "wait tcp 127.0.0.1:{port} timeout 10s"
row "wait-on" -- "$wait_on" -t 10000 "tcp:127.0.0.1:{port}"
row "wait-port" -- "$wait_port" -t 10000 "127.0.0.1:{port}"
row "wait-for-it" -- wait-for-it -q -h 127.0.0.1 -p "{port}" -t 10
row "ZLayer init.wait_tcp" -- "$zlayer" tcp 127.0.0.1 "{port}"

echo
echo "### HTTP readiness ($runs runs each)"
echo
echo "| tool | median ms | p90 ms | CPU ms over the wait | CPU % of one core |"
echo "|---|---|---|---|---|"
row "zinit" --http -- "$zinit" run --format plain -e "wait http http://127.0.0.1:{port}/ timeout 10s"
row "wait-on" --http -- "$wait_on" -t 10000 "http-get://127.0.0.1:{port}/"
row "ZLayer init.wait_http" --http -- "$zlayer" http "http://127.0.0.1:{port}/"

# An already-satisfied script: a port that is open from the start.
python3 - "$zinit" "$wait_on" "$wait_port" "$zlayer" <<'PY'
import os, re, socket, statistics, subprocess, sys, time
zinit, wait_on, wait_port, zlayer = sys.argv[1:5]
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1024)
port = srv.getsockname()[1]
tools = {
    "zinit": [zinit, "run", "--format", "plain", "-e", f"wait tcp 127.0.0.1:{port}"],
    "wait-on": [wait_on, f"tcp:127.0.0.1:{port}"],
    "wait-port": [wait_port, f"127.0.0.1:{port}"],
    "wait-for-it": ["wait-for-it", "-q", "-h", "127.0.0.1", "-p", str(port)],
    "ZLayer init.wait_tcp": [zlayer, "tcp", "127.0.0.1", str(port)],
}
print("\n### Already satisfied (port open from the start; median of 20)\n")
print("| tool | wall ms | peak RSS MiB |")
print("|---|---|---|")
for name, argv in tools.items():
    walls, rss = [], []
    for _ in range(20):
        t = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        walls.append((time.monotonic() - t) * 1000)
        kb = re.findall(r"^(\d+)$", p.stderr, re.M)
        if kb:
            rss.append(int(kb[-1]) / 1024)
    print(f"| {name} | {statistics.median(walls):.1f} | {statistics.median(rss) if rss else float('nan'):.1f} |")

# 1,000 waits on open ports in one parallel group.
lst = []
for _ in range(1000):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16); lst.append(s)
body = "\n".join(f"    wait tcp 127.0.0.1:{s.getsockname()[1]}" for s in lst)
script = f"parallel {{\n{body}\n}}\n"
walls = []
for _ in range(10):
    t = time.monotonic()
    subprocess.run([zinit, "run", "--format", "plain", "-"], input=script.encode(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    walls.append((time.monotonic() - t) * 1000)
print(f"\n### parallel group of 1,000 waits on open ports: zinit median {statistics.median(walls):.1f} ms (10 runs)")
PY
