#!/usr/bin/env python3
"""How busy the cores are during one `ilji build`, over time.

    bench/timeline.py [--bin PATH] [--every MS] SITE

Runs `ilji -C SITE -q build` into a temporary folder and, every few milliseconds, reads how
much CPU time each of its threads has used (/proc/PID/task/TID/schedstat, in nanoseconds).
It prints the wall time, then the busy cores averaged over each 20 ms, then the idle
core-seconds: the time a core could have worked but had nothing to do (cores minus busy
cores, summed over the build). A stretch at about 1 on a 2-core machine is a serial step or
a tail that one core finishes alone; a build whose parallel parts are balanced stays near
the core count from start to end.

The poller itself takes a little CPU, so on 2 cores a saturated build reads about 1.8-1.9.
The output goes to a temporary folder: use TMPDIR=/dev/shm, as for run.sh. Linux only. Compare builds with bench/ab.sh; this shows where a build waits, not how fast
it is.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time


def cpu_ns(pid):
    """CPU nanoseconds used so far by each thread of `pid`."""
    used = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return used
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                used[tid] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # the thread ended meanwhile
    return used


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", help="the site's folder")
    parser.add_argument(
        "--bin",
        default=os.path.join(here, "..", "target", "release", "ilji"),
        help="the ilji binary (default: target/release/ilji)",
    )
    parser.add_argument("--every", type=float, default=5, help="poll interval in ms (default 5)")
    args = parser.parse_args()
    if not os.path.isfile(args.bin):
        sys.exit(f"timeline.py: no binary at {args.bin}; run `cargo build --release` first")

    cores = os.cpu_count() or 1
    out = tempfile.mkdtemp(prefix="ilji-timeline.")
    try:
        start = time.monotonic()
        proc = subprocess.Popen([args.bin, "-C", args.site, "-q", "build", "--output", out])
        samples = []  # (seconds since start, busy cores since the previous sample)
        last_time, last_used = start, {}
        while proc.poll() is None:
            now = time.monotonic()
            used = cpu_ns(proc.pid)
            spent = sum(ns - last_used.get(tid, 0) for tid, ns in used.items())
            if now > last_time:
                samples.append((now - start, spent / 1e9 / (now - last_time)))
            last_time, last_used = now, used
            time.sleep(args.every / 1000)
        wall = time.monotonic() - start
        if proc.returncode != 0:
            sys.exit(f"timeline.py: ilji build failed (exit {proc.returncode})")
    finally:
        shutil.rmtree(out, ignore_errors=True)

    windows = collections.defaultdict(list)
    for t, busy in samples:
        windows[int(t * 50)].append(busy)
    idle, prev = 0.0, 0.0
    for t, busy in samples:
        idle += max(0.0, cores - busy) * (t - prev)
        prev = t
    print(f"wall {wall:.3f} s, {cores} cores")
    print(" ".join(f"{k * 20}:{sum(v) / len(v):.1f}" for k, v in sorted(windows.items())))
    print(f"idle core-seconds {idle:.3f}")


if __name__ == "__main__":
    main()
