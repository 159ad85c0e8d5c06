#!/usr/bin/env python3
"""Waiting at scale (issue #11): zinit against the one-thread C floor.

For 1, 100, 1,000 and 10,000 waits on closed loopback ports that open
together 1 s after the waiter starts, runs zinit (a `parallel` group of
`wait tcp` steps) and the floor (benches/scale/floor.c, built here with the
system compiler) in turn, paired and alternating, and reports per waiter
the CPU (user+sys of the whole run), the notice latency (exit minus the
moment the last port started listening), the most threads seen in
/proc/PID/task, and peak RSS (/usr/bin/time -f %M). Then `wait file`:
CPU over a 3 s wait and the latency from creation to exit, for one wait
and for 1,000 at once (with their threads); and `sleep`:
how far past its deadline a short sleep ends.

usage: benches/scale/run.py [--runs N] [--waits 1,100,1000,10000]
       [--zinit PATH]   (default: target/release/zinit, built if missing)
The machine may be shared: the figures are medians of paired runs.
"""

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CADENCE_MS = 5
OPEN_AFTER_S = 1.0


def build_floor(out_dir):
    floor = os.path.join(out_dir, "floor")
    src = os.path.join(ROOT, "benches", "scale", "floor.c")
    subprocess.run(["cc", "-O2", "-o", floor, src], check=True)
    return floor


def zinit_binary(path):
    if path:
        return path
    binary = os.path.join(ROOT, "target", "release", "zinit")
    if not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return binary


def closed_ports(n):
    """Bound, not listening: refused until listen(), and nobody else's meanwhile."""
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    return socks


def inner_pid(time_pid):
    """The measured program: /usr/bin/time's child."""
    for _ in range(200):
        try:
            with open(f"/proc/{time_pid}/task/{time_pid}/children") as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
        except OSError:
            return None
        time.sleep(0.002)
    return None


def threads(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def measure(argv, act_after, act, timeout=120, step_events=False):
    """Runs argv under /usr/bin/time; calls act() after act_after seconds
    (it returns the moment that counts); returns cpu_ms, latency_ms (to the
    exit), threads, rss_kib, exit code; with step_events (a JSON run), also
    reported_ms: when the first step_ended line arrived."""
    rss_file = tempfile.NamedTemporaryFile(delete=False)
    rss_file.close()
    started = time.monotonic()
    proc = subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + argv,
        stdout=subprocess.PIPE if step_events else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reported = []
    if step_events:
        def read():
            for line in proc.stdout:
                if b'"event":"step_ended"' in line and not reported:
                    reported.append(time.monotonic())
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
    pid = inner_pid(proc.pid)
    most = 0
    while time.monotonic() - started < act_after:
        if pid:
            most = max(most, threads(pid))
        time.sleep(0.02)
    opened = act()
    if pid:
        most = max(most, threads(pid))
    deadline = time.monotonic() + timeout
    while True:
        got, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if got:
            ended = time.monotonic()
            break
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise RuntimeError(f"{argv[0]} did not end")
        time.sleep(0.0002)
    with open(rss_file.name) as f:
        rss = int(f.read().split()[-1])
    os.unlink(rss_file.name)
    if step_events:
        reader.join(timeout=5)
    return {
        "reported_ms": (reported[0] - opened) * 1000 if reported else float("nan"),
        "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
        "latency_ms": (ended - opened) * 1000,
        "threads": most,
        "rss_kib": rss,
        "code": os.waitstatus_to_exitcode(status),
    }


def tcp_run(waiter, n, zinit, floor, work):
    socks = closed_ports(n)
    ports = [s.getsockname()[1] for s in socks]
    try:
        if waiter == "zinit":
            script = os.path.join(work, f"waits-{n}.zinit")
            with open(script, "w") as f:
                f.write("parallel timeout 60s {\n")
                for p in ports:
                    f.write(f"    wait tcp 127.0.0.1:{p} every {CADENCE_MS}ms\n")
                f.write("}\n")
            argv = [zinit, "run", "--format", "plain", script]
        else:
            listing = os.path.join(work, f"ports-{n}.txt")
            with open(listing, "w") as f:
                f.write("\n".join(map(str, ports)) + "\n")
            argv = [floor, str(CADENCE_MS), listing]

        def open_all():
            for s in socks:
                s.listen(64)
            return time.monotonic()

        return measure(argv, OPEN_AFTER_S, open_all)
    finally:
        for s in socks:
            s.close()


def file_run(zinit, work, n=1):
    """n `wait file` steps (a `parallel` group past one) for files in a
    directory that appears, with the files, 3 s after zinit starts."""
    later = os.path.join(work, "later")
    if os.path.exists(later):
        for name in os.listdir(later):
            os.unlink(os.path.join(later, name))
        os.rmdir(later)
    targets = [os.path.join(later, f"ready-{i}") for i in range(n)]
    if n == 1:
        argv = [zinit, "run", "--format", "json", "-e", f'wait file "{targets[0]}" timeout 20s']
    else:
        script = os.path.join(work, f"files-{n}.zinit")
        with open(script, "w") as f:
            f.write("parallel timeout 20s {\n")
            f.writelines(f'    wait file "{t}"\n' for t in targets)
            f.write("}\n")
        argv = [zinit, "run", "--format", "json", script]

    def create():
        os.mkdir(later)
        for target in targets:
            with open(target, "w") as f:
                f.write("x")
        return time.monotonic()

    return measure(argv, 3.0, create, step_events=True)


def sleep_lateness(zinit, pause_ms, count=50):
    """How far past the deadline `sleep` steps end, from the run's own
    JSON events (step start to end, in ms with microseconds)."""
    script = "\n".join(f"sleep {pause_ms}ms" for _ in range(count))
    out = subprocess.run(
        [zinit, "run", "--format", "json", "-e", script],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    starts, late = {}, []
    for line in out.splitlines():
        e = json.loads(line)
        if e.get("event") == "step_started":
            starts[e["step"]] = e["t_ms"]
        elif e.get("event") == "step_ended":
            late.append(e["t_ms"] - starts[e["step"]] - pause_ms)
    return late


def median(rows, key):
    return statistics.median(r[key] for r in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--waits", default="1,100,1000,10000", help="'none': only wait file and sleep")
    ap.add_argument("--zinit")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    zinit = zinit_binary(args.zinit)
    with tempfile.TemporaryDirectory() as work:
        floor = build_floor(work)
        print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores, shared)", file=sys.stderr)
        print("| waits | zinit CPU ms | floor CPU ms | CPU ratio | zinit notice ms | floor notice ms | zinit threads | zinit peak RSS MiB | floor peak RSS MiB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for n in (int(w) for w in args.waits.split(",") if w.isdigit()):
            rows = {"zinit": [], "floor": []}
            ratios = []
            for run in range(args.runs):
                order = ["zinit", "floor"] if run % 2 == 0 else ["floor", "zinit"]
                pair = {}
                for waiter in order:
                    r = tcp_run(waiter, n, zinit, floor, work)
                    if r["code"] != 0:
                        raise RuntimeError(f"{waiter} with {n} waits exited {r['code']}")
                    rows[waiter].append(r)
                    pair[waiter] = r
                ratios.append(pair["zinit"]["cpu_ms"] / max(pair["floor"]["cpu_ms"], 0.001))
            z, f = rows["zinit"], rows["floor"]
            print(
                f"| {n:,} | {median(z, 'cpu_ms'):.1f} | {median(f, 'cpu_ms'):.1f} | "
                f"{statistics.median(ratios):.2f}× | {median(z, 'latency_ms'):.1f} | "
                f"{median(f, 'latency_ms'):.1f} | {max(r['threads'] for r in z)} | "
                f"{median(z, 'rss_kib') / 1024:.1f} | {median(f, 'rss_kib') / 1024:.1f} |",
                flush=True,
            )
        files = [file_run(zinit, work) for _ in range(args.runs)]
        # What this machine charges a process that only sleeps 3 s, measured
        # the same way (a virtual machine's accounting is not zero).
        idle = [measure(["sleep", "3.0"], 3.0, time.monotonic) for _ in range(args.runs)]
        print()
        print("| `wait file` (created after 3 s) | median | max |")
        print("|---|---|---|")
        for key, label in (
            ("cpu_ms", "CPU ms over the wait"),
            ("reported_ms", "step reported done after creation, ms"),
            ("latency_ms", "process exit after creation, ms"),
        ):
            print(f"| {label} | {median(files, key):.2f} | {max(r[key] for r in files):.2f} |")
        print(f"| floor: CPU ms of `sleep 3` | {median(idle, 'cpu_ms'):.2f} | {max(r['cpu_ms'] for r in idle):.2f} |")
        many = [file_run(zinit, work, 1000) for _ in range(args.runs)]
        print()
        print("| 1,000 `wait file` (created after 3 s) | median | max |")
        print("|---|---|---|")
        for key, label in (
            ("cpu_ms", "CPU ms over the wait"),
            ("latency_ms", "process exit after the last creation, ms"),
            ("threads", "threads"),
        ):
            print(f"| {label} | {median(many, key):.1f} | {max(r[key] for r in many):.1f} |")
        print()
        print("| `sleep` | median past the deadline | p90 | max |")
        print("|---|---|---|---|")
        for pause in (1, 5):
            late = sorted(sleep_lateness(zinit, pause))
            p90 = late[int(len(late) * 0.9) - 1]
            print(f"| {pause}ms | {statistics.median(late):.3f} ms | {p90:.3f} ms | {late[-1]:.3f} ms |")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
