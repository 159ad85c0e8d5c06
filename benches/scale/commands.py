#!/usr/bin/env python3
"""Every command that reads a whole script, at 10,000 and 40,000 steps:
the time of each, and how it grows. Four times the steps should take
about four times as long; a command that compares every step with every
other shows ten times and more (the Kubernetes and Compose exports did,
4.2 s at 40,000 steps, until 2026-12-02).

usage: benches/scale/commands.py [--zinit PATH]   (default: target/release/zinit)
"""

import argparse
import os
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SHAPES = [
    'start "./worker {i}" as w{i}',
    'wait log w{prev} contains "ready" timeout 5s',
    "wait tcp ${{HOST:-db}}:{port} timeout 3s on-fail warn",
    "wait http http://api-{i}:8080/health status 200 timeout 1m",
    'run "./migrate {i}" timeout 5m retry 2',
    "wait file /tmp/ready-{i} every 250ms",
    "sleep 1ms",
    "parallel {{\n  wait tcp 127.0.0.1:{port} timeout 1s\n  sleep 2ms\n}}",
]


def gen(n):
    """n statements, a service and its log wait in every eight."""
    lines = (
        SHAPES[i % len(SHAPES)].format(i=i, prev=i - 1, port=1000 + i % 5000) for i in range(n)
    )
    return "\n".join(lines) + "\n"


COMMANDS = {
    "check --format short": ["check", "--format", "short"],
    "check --format json": ["check", "--format", "json"],
    "plan": ["plan"],
    "plan --format json": ["plan", "--format", "json"],
    "plan --format zlayer": ["plan", "--format", "zlayer"],
    "plan --format k8s": ["plan", "--format", "k8s"],
    "plan --format compose": ["plan", "--format", "compose"],
    "fmt --check": ["fmt", "--check"],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zinit", default=os.path.join(ROOT, "target", "release", "zinit"))
    z = ap.parse_args().zinit
    with tempfile.TemporaryDirectory() as work:
        for n in (10000, 40000):
            with open(os.path.join(work, f"scale-{n}.zinit"), "w") as f:
                f.write(gen(n))
        print("| command | 10,000 steps ms | 40,000 steps ms | growth |")
        print("|---|---|---|---|")
        for name, args in COMMANDS.items():
            t = []
            for n in (10000, 40000):
                start = time.perf_counter()
                subprocess.run([z] + args + [os.path.join(work, f"scale-{n}.zinit")], capture_output=True)
                t.append(time.perf_counter() - start)
            print(f"| `{name}` | {t[0] * 1000:.0f} | {t[1] * 1000:.0f} | {t[1] / t[0]:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
