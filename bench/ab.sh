#!/usr/bin/env bash
# Compare ilji binaries on one corpus by alternating them, which evens out a noisy machine.
#
#   bench/ab.sh [--runs N] [--pause S] [--rebuild] CORPUS BIN...
#
# CORPUS is a site folder (e.g. made by ../shared/bench/gen_corpus.py plus site.yaml and
# themes/); each BIN builds it N times (default 10), taking turns, into a fresh folder under
# $TMPDIR (use TMPDIR=/dev/shm; see bench/README.md). With --pause, each build starts after
# S idle seconds, as a writer's builds do: the host has then taken back the memory freed
# before (see bench/mem_probe.py). With --rebuild, each BIN builds over its own previous
# output (as a writer's `ilji build` does; two untimed builds each come first) instead
# of into an empty folder. Prints, per binary, the median and fastest wall time,
# the median CPU time (user + system) and the median peak memory.
set -euo pipefail
RUNS=10
PAUSE=0
REBUILD=0
while [[ "${1:-}" == --* ]]; do
    case "$1" in
        --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
        --pause) PAUSE="${2:?--pause needs seconds}"; shift 2 ;;
        --rebuild) REBUILD=1; shift ;;
        *) echo "ab.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $# -ge 2 ]] || { sed -n '2,12p' "$0" >&2; exit 2; }
CORPUS="$1"; shift
[[ -d "$CORPUS" ]] || { echo "ab.sh: no folder $CORPUS" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ilji-ab.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [[ $REBUILD -eq 1 ]]; then
    # Two builds each: from the third on, a build finds the output it replaces and the one
    # before that (ilji's spare).
    for ((k = 0; k < ${#@}; k++)); do
        for _ in 1 2; do
            "${@:k+1:1}" -C "$CORPUS" -q build --output "$WORK/out$k"
        done
    done
fi
for ((r = 0; r < RUNS; r++)); do
    k=0
    for b in "$@"; do
        out="$WORK/out$k"
        k=$((k + 1))
        [[ $REBUILD -eq 1 ]] || rm -rf "$out"
        sleep "$PAUSE"
        /usr/bin/time -f "$b %e %U %S %M" -a -o "$WORK/log" "$b" -C "$CORPUS" -q build --output "$out"
    done
done
python3 - "$WORK/log" <<'PY'
import collections, statistics as st, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    b, wall, user, system, rss = line.rsplit(maxsplit=4)
    runs[b].append((float(wall), float(user) + float(system), int(rss) / 1024))
for b, r in runs.items():
    print(f"{b}: wall median {st.median(x[0] for x in r):.3f} s, fastest {min(x[0] for x in r):.3f} s;"
          f" CPU median {st.median(x[1] for x in r):.2f} s; peak memory median {st.median(x[2] for x in r):.0f} MiB")
PY
