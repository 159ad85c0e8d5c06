#!/usr/bin/env bash
# Readiness benchmark of `zinit run` against the goals of a one-step script,
# and against the wait tools people use today, measured the same way in one
# run by shared/bench/readiness_latency.py (the port opens at a random moment
# after the tool starts; latency = tool exit − port open; CPU = the tool's
# user+sys time over the whole wait).
#
# Goals: TCP readiness noticed in ≤ 5 ms median, ≤ 10 ms p90; HTTP ≤ 10 ms
# median; ≤ 1% of one core while waiting; an already-satisfied script in
# ≤ 5 ms wall and ≤ 10 MiB peak RSS; 1,000 parallel waits on open ports in
# ≤ 200 ms.
#
# Usage: benches/readiness.sh [RUNS] [--no-peers]   (default 20 runs)
# The peers are installed by package name: wait-on and wait-port (npm),
# wait-for-it (Debian), and ZLayer's own actions (crates.io
# `zlayer-init-actions`, wrapped by benches/peers/zlayer-wait).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=20
peers=1
for arg in "$@"; do
  case $arg in
    --no-peers) peers=0 ;;
    *) runs=$arg ;;
  esac
done
delay=2.0
# shared/ sits beside the repository (a worktree one level deeper also works).
measure="$root/../shared/bench/readiness_latency.py"
[[ -f $measure ]] || measure="$root/../../shared/bench/readiness_latency.py"
[[ -f $measure ]] || { echo "missing ../shared/bench/readiness_latency.py beside $root" >&2; exit 2; }

apt_install() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
apt_install /usr/bin/time time
(cd "$root" && cargo build --release --quiet)
zinit="${CARGO_TARGET_DIR:-$root/target}/release/zinit"

cache="$root/target/peers"
wait_on="$cache/npm/node_modules/.bin/wait-on"
wait_port="$cache/npm/node_modules/.bin/wait-port"
zlayer="$cache/release/zlayer-wait"
if ((peers)); then
  echo "installing the peers..." >&2
  apt_install wait-for-it wait-for-it
  if [[ ! -x $wait_on || ! -x $wait_port ]]; then
    mkdir -p "$cache/npm"
    (cd "$cache/npm" && { [[ -f package.json ]] || npm init -y >/dev/null; } \
      && npm install --no-audit --no-fund wait-on wait-port >/dev/null)
  fi
  (cd "$root/benches/peers/zlayer-wait" && cargo build --release --quiet --target-dir "$cache")
fi

row() { # name, readiness_latency.py args...
  local name=$1; shift
  local out
  out=$(python3 "$measure" --runs "$runs" --delay "$delay" "$@" 2>&1 | tail -1)
  python3 - "$name" "$out" "$delay" <<'PY'
import re, sys
name, out, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
m = re.search(r"median=([\d.]+) p90=([\d.]+) max=([\d.]+) cpu_ms median=([\d.]+)", out)
if not m:
    print(f"| {name} | failed: {out} | | | |")
    sys.exit()
med, p90, mx, cpu = map(float, m.groups())
wait_ms = 1.5 * delay * 1000 + med  # mean wait: the port opens after U[delay, 2·delay] s
print(f"| {name} | {med:.1f} | {p90:.1f} | {cpu:.1f} | {100 * cpu / wait_ms:.2f}% |")
PY
}

header() {
  echo
  echo "### $1 ($runs runs each, the port opens after U[$delay, $(python3 -c "print(2*$delay)")] s)"
  echo
  echo "| tool | median ms | p90 ms | CPU ms over the wait | CPU % of one core |"
  echo "|---|---|---|---|---|"
}

header "TCP readiness"
row "zinit" -- "$zinit" run --format plain -e "wait tcp 127.0.0.1:{port} timeout 10s"
if ((peers)); then
  row "wait-on" -- "$wait_on" -t 10000 "tcp:127.0.0.1:{port}"
  row "wait-port" -- "$wait_port" -t 10000 "127.0.0.1:{port}"
  row "wait-for-it" -- wait-for-it -q -h 127.0.0.1 -p "{port}" -t 10
  row "ZLayer init.wait_tcp" -- "$zlayer" tcp 127.0.0.1 "{port}"
fi

header "HTTP readiness"
row "zinit" --http -- "$zinit" run --format plain -e "wait http http://127.0.0.1:{port}/ timeout 10s"
if ((peers)); then
  row "wait-on" --http -- "$wait_on" -t 10000 "http-get://127.0.0.1:{port}/"
  row "ZLayer init.wait_http" --http -- "$zlayer" http "http://127.0.0.1:{port}/"
fi

python3 - "$zinit" "$peers" "$wait_on" "$wait_port" "$zlayer" <<'PY'
import re, socket, statistics, subprocess, sys, threading, time
zinit, peers, wait_on, wait_port, zlayer = sys.argv[1], sys.argv[2] == "1", *sys.argv[3:6]

def timed(argv, stdin=None):
    """Wall ms of one run (timed here: a wrapper adds its own start-up) and
    peak RSS MiB of another (from GNU time)."""
    t = time.monotonic()
    subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.monotonic() - t) * 1000
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, input=stdin, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, check=True)
    return wall, int(re.findall(rb"^(\d+)$", p.stderr, re.M)[-1]) / 1024

def table(title, tools, n, stdin=None):
    print(f"\n### {title} ({n} runs each)\n")
    print("| tool | wall ms median | wall ms max | peak RSS MiB median |")
    print("|---|---|---|---|")
    for name, argv in tools.items():
        runs = [timed(argv, stdin) for _ in range(n)]
        walls = [w for w, _ in runs]
        print(f"| {name} | {statistics.median(walls):.1f} | {max(walls):.1f} | "
              f"{statistics.median(r for _, r in runs):.1f} |")

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1024)
port = srv.getsockname()[1]
tools = {"zinit": [zinit, "run", "--format", "plain", "-e", f"wait tcp 127.0.0.1:{port}"]}
if peers:
    tools.update({
        "wait-on": [wait_on, f"tcp:127.0.0.1:{port}"],
        "wait-port": [wait_port, f"127.0.0.1:{port}"],
        "wait-for-it": ["wait-for-it", "-q", "-h", "127.0.0.1", "-p", str(port)],
        "ZLayer init.wait_tcp": [zlayer, "tcp", "127.0.0.1", str(port)],
    })
table("Already satisfied: `wait tcp` on an open port", tools, 20)

listeners = []
for _ in range(1000):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    s.setblocking(False)
    listeners.append(s)

def drain():
    # Accept (and drop) what the runs leave queued, so no backlog fills up.
    while True:
        for s in listeners:
            try:
                while True:
                    s.accept()[0].close()
            except OSError:
                pass
        time.sleep(0.01)

threading.Thread(target=drain, daemon=True).start()
body = "\n".join(f"  wait tcp 127.0.0.1:{s.getsockname()[1]}" for s in listeners)
script = f"parallel {{\n{body}\n}}\n".encode()
table("`parallel` group of 1,000 waits on open ports", {"zinit": [zinit, "run", "--format", "plain", "-"]}, 10, script)
PY
