#!/usr/bin/env python3
"""What fresh memory costs on this machine right now, without any site generator.

    bench/mem_probe.py [--mib N] [--runs R] [--pause S] [--small-pages]

Maps N MiB (default 256) of new anonymous memory, asks for transparent huge pages on it as
mimalloc does (unless --small-pages), writes one byte in every 4 KiB page and unmaps it;
then does it again at once. Each of R runs (default 3) first waits S seconds (default 5).
Prints the median milliseconds per MiB of wall time for both: memory the guest had left
idle, and memory it had just freed.

On this project's VM (KVM, with the balloon's free page reporting on) a guest hands memory
it has left free for a few seconds back to the host, and taking it again costs the host's
work: cheap while the host is quiet, several times dearer when it is busy. Memory just
freed is still backed. A 10,000-post build touches about 180 MiB of fresh heap, so read its
figures beside this one; `bench/run.sh` prints it before its runs and after them.
"""

import argparse
import mmap
import statistics
import time

PAGE = 4096


def touch(mib: int, huge: bool) -> float:
    """Wall seconds to map, touch and unmap `mib` MiB."""
    size = mib << 20
    t0 = time.perf_counter()
    m = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if huge and hasattr(mmap, "MADV_HUGEPAGE"):
        m.madvise(mmap.MADV_HUGEPAGE)
    # One byte a page, through a memoryview (a slice assignment writes them in C).
    view = memoryview(m)
    view[::PAGE] = b"\x01" * (size // PAGE)
    view.release()
    m.close()
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mib", type=int, default=256)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pause", type=float, default=5.0)
    ap.add_argument("--small-pages", action="store_true", help="no MADV_HUGEPAGE")
    args = ap.parse_args()
    if args.mib < 1 or args.runs < 1 or args.pause < 0:
        ap.error("--mib and --runs must be at least 1, --pause at least 0")
    huge = not args.small_pages
    idle, reused = [], []
    for _ in range(args.runs):
        time.sleep(args.pause)
        idle.append(touch(args.mib, huge))
        reused.append(touch(args.mib, huge))

    def per_mib(seconds):
        return statistics.median(seconds) * 1000 / args.mib

    kind = "4 KiB pages" if args.small_pages else "huge pages asked for"
    print(
        f"fresh memory: {per_mib(idle):.2f} ms per MiB left idle {args.pause:g} s, "
        f"{per_mib(reused):.2f} just freed ({args.mib} MiB, {kind}, median of {args.runs})"
    )


if __name__ == "__main__":
    main()
