#!/usr/bin/env bash
# zinit's own readiness figures against the goals of `zinit run` on a
# one-step script (benches/peers.sh compares with other tools):
#   TCP readiness noticed in ≤ 5 ms median, ≤ 10 ms p90; HTTP ≤ 10 ms median;
#   ≤ 1% of one core while waiting; an already-satisfied script in ≤ 5 ms
#   wall and ≤ 10 MiB peak RSS; 1,000 parallel waits on open ports ≤ 200 ms.
#
# Usage: benches/readiness.sh [RUNS]   (default 20)
# Latency comes from shared/bench/readiness_latency.py, which must sit
# beside the repository (../shared from the repo root, as in CI).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-20}"
delay=1.0
# shared/ sits beside the repository (a worktree one level deeper also works).
measure="$root/../shared/bench/readiness_latency.py"
[[ -f $measure ]] || measure="$root/../../shared/bench/readiness_latency.py"
[[ -f $measure ]] || { echo "missing ../shared/bench/readiness_latency.py beside $root" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

(cd "$root" && cargo build --release --quiet)
zinit="${CARGO_TARGET_DIR:-$root/target}/release/zinit"

latency() { # label, readiness_latency.py args...
  local label=$1; shift
  local out
  out=$(python3 "$measure" --runs "$runs" --delay "$delay" "$@" | tail -1)
  python3 - "$label" "$out" "$delay" <<'PY'
import re, sys
label, out, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
m = re.search(r"median=([\d.]+) p90=([\d.]+) max=([\d.]+) cpu_ms median=([\d.]+)", out)
if not m:
    print(f"| {label} | failed: {out} | | | |")
    sys.exit()
med, p90, mx, cpu = map(float, m.groups())
wait_ms = 1.5 * delay * 1000 + med  # mean wait: the port opens after U[delay, 2·delay] s
print(f"| {label} | {med:.1f} | {p90:.1f} | {mx:.1f} | {100 * cpu / wait_ms:.2f}% |")
PY
}

echo "### Readiness latency ($runs runs, the port opens after U[$delay, $(python3 -c "print(2*$delay)")] s)"
echo
echo "| wait | median ms | p90 ms | max ms | CPU (% of one core) |"
echo "|---|---|---|---|---|"
latency "tcp" -- "$zinit" run --format plain -e "wait tcp 127.0.0.1:{port} timeout 10s"
latency "http" --http -- "$zinit" run --format plain -e "wait http http://127.0.0.1:{port}/ timeout 10s"

python3 - "$zinit" <<'PY'
import re, socket, statistics, subprocess, sys, threading, time
zinit = sys.argv[1]

def timed(argv, stdin=None):
    """Wall ms of one run (timed here: a wrapper would add its own start-up)
    and peak RSS MiB of another (from GNU time -v)."""
    t = time.monotonic()
    subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.monotonic() - t) * 1000
    p = subprocess.run(["/usr/bin/time", "-v"] + argv, input=stdin, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, check=True)
    rss = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return wall, int(rss.group(1)) / 1024

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1024)
port = srv.getsockname()[1]
runs = [timed([zinit, "run", "--format", "plain", "-e", f"wait tcp 127.0.0.1:{port}"]) for _ in range(20)]
print("\n### Already satisfied (`wait tcp` on an open port, 20 runs)\n")
print("| wall ms median | wall ms max | peak RSS MiB median |")
print("|---|---|---|")
walls = [w for w, _ in runs]
print(f"| {statistics.median(walls):.1f} | {max(walls):.1f} | {statistics.median(r for _, r in runs):.1f} |")

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
runs = [timed([zinit, "run", "--format", "plain", "-"], stdin=script) for _ in range(10)]
print("\n### `parallel` group of 1,000 waits on open ports (10 runs)\n")
print("| wall ms median | wall ms max | peak RSS MiB median |")
print("|---|---|---|")
walls = [w for w, _ in runs]
print(f"| {statistics.median(walls):.1f} | {max(walls):.1f} | {statistics.median(r for _, r in runs):.1f} |")
PY
