#!/usr/bin/env python3
"""What creating a site's files costs the kernel on this machine, without any site generator.

    bench/fs_floor.py [--folders N] [--size BYTES] [--runs R]

Creates N folders (default 10,000, as the 10,000-post blog has) in one parent folder, each
with one `index.html` of BYTES bytes (default 13,000, about a post page of the synthetic
blog), in a temporary folder, one after the other on one thread, R times (default 5). For
each run it prints the system CPU time, which is the kernel's work alone (Python's own time
is user time): a floor under the system time of `ilji build` or Hugo on the same blog, which
also write list pages and copy files. The folder is removed after each run and before the
next, outside the timing. Use TMPDIR=/dev/shm, as for run.sh.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folders", type=int, default=10_000)
    ap.add_argument("--size", type=int, default=13_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    data = b"x" * args.size
    system, wall = [], []
    with tempfile.TemporaryDirectory(prefix="ilji-fs-floor.") as tmp:
        root = os.path.join(tmp, "posts")
        for _ in range(args.runs):
            shutil.rmtree(root, ignore_errors=True)
            os.mkdir(root)
            t0, s0 = time.perf_counter(), os.times().system
            for i in range(args.folders):
                folder = os.path.join(root, f"post-{i:06}")
                os.mkdir(folder)
                with open(os.path.join(folder, "index.html"), "wb") as f:
                    f.write(data)
            wall.append(time.perf_counter() - t0)
            system.append(os.times().system - s0)
            shutil.rmtree(root)
    print(
        f"{args.folders} folders with a {args.size}-byte file each, {args.runs} runs on one thread "
        f"in {tempfile.gettempdir()}:"
    )
    print(
        f"  system CPU: median {statistics.median(system):.3f} s "
        f"({min(system):.3f}-{max(system):.3f}); wall median {statistics.median(wall):.3f} s"
    )


if __name__ == "__main__":
    main()
