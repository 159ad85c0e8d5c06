#!/usr/bin/env python3
"""`zinit check --format short FILE` against `wc -w FILE` (issue #11).

    scripts/check-vs-wc.py FILE ZINIT [ZINIT ...] [--runs N]

Each round runs every given zinit binary and then `wc -w` on FILE, in turn,
so that a busy machine slows them alike; prints the median wall time of
each and the median of its per-round ratio to `wc -w`, and each binary's
peak RSS (`/usr/bin/time -f %M`, the median of three runs).
"""
import argparse
import statistics
import subprocess
import time


def wall(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def peak_kib(cmd):
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    return int(done.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("zinit", nargs="+")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    checks = [[z, "check", "--format", "short", args.file] for z in args.zinit]
    times = [[] for _ in checks]
    ratios = [[] for _ in checks]
    words = []
    for _ in range(args.runs):
        round_times = [wall(cmd) for cmd in checks]
        w = wall(["wc", "-w", args.file])
        words.append(w)
        for i, t in enumerate(round_times):
            times[i].append(t)
            ratios[i].append(t / w)
    median = statistics.median
    print(f"wc -w: {median(words) * 1000:.1f} ms")
    for i, cmd in enumerate(checks):
        rss = median(peak_kib(cmd) for _ in range(3))
        print(
            f"{cmd[0]}: {median(times[i]) * 1000:.1f} ms, "
            f"{median(ratios[i]):.2f}x wc -w (min {min(ratios[i]):.2f}, "
            f"max {max(ratios[i]):.2f}), peak RSS {rss / 1024:.1f} MiB"
        )


if __name__ == "__main__":
    main()
