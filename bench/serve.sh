#!/usr/bin/env bash
# Save-to-browser latency of `ilji serve` on the synthetic blog from shared/bench/.
#
#   bench/serve.sh [--saves N] [--keep] [POSTS...]        (default sizes: 100 10000)
#
# For each size: generate the corpus, time an untouched full `ilji build` (median of 3),
# start `ilji serve --port 0`, and let bench/serve_latency.py edit a post's body and
# time how long headless Chromium takes to show it. Progress goes to stderr, the table
# to stdout. A benchmark that prints figures; it asserts nothing. See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/serve.sh [options] [POSTS...]

Measures, in headless Chromium, the time from saving a post's Markdown to the preview
of `ilji serve` showing the edit, and prints it next to an untouched full `ilji build`.

  POSTS...      corpus sizes (default: 100 10000)
  --saves N     saves per size, the first 2 of them warm-up (default 15)
  --keep        keep the temporary folder (corpus, logs, JSON) and print its path
  -h, --help    this help

Environment: SHARED (default: <repo>/../shared), CARGO_TARGET_DIR, TMPDIR (where the
temporary folder goes; TMPDIR=/dev/shm recommended), CHROMIUM (default: chromium).
EOF
}

# One { ... } block that bash reads whole before running it (safe to edit during a run).
{
SAVES=15
KEEP=0
SIZES=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --saves) SAVES="${2:?--saves needs a number}"; shift ;;
        --saves=*) SAVES="${1#*=}" ;;
        --keep) KEEP=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "serve.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) SIZES+=("$1") ;;
    esac
    shift
done
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(100 10000)
for n in "${SIZES[@]}" "$SAVES"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "serve.sh: not a positive number: $n" >&2; exit 2; }
done
(( SAVES > 2 )) || { echo "serve.sh: --saves must be at least 3 (2 are warm-up)" >&2; exit 2; }

log() { printf '\n==> %s\n' "$*" >&2; }

ROOT="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
SHARED="${SHARED:-$ROOT/../shared}"
GEN="$SHARED/bench/gen_corpus.py"
[[ -f "$GEN" ]] || { echo "serve.sh: $GEN not found (set SHARED=/path/to/shared)" >&2; exit 1; }
CHROMIUM="${CHROMIUM:-chromium}"

# ---------------------------------------------------------------- tools
command -v python3 >/dev/null || { echo "serve.sh: python3 is needed" >&2; exit 1; }
SUDO=""
[[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
    log "installing chromium (apt-get)"
    $SUDO apt-get update >&2
    $SUDO apt-get install -y --no-install-recommends chromium >&2
fi
if ! python3 -c 'import websocket' 2>/dev/null; then
    log "installing websocket-client (pip)"
    python3 -m pip install --quiet websocket-client >&2
fi
HAVE_HYPERFINE=0
command -v hyperfine >/dev/null 2>&1 && HAVE_HYPERFINE=1

ILJI="${CARGO_TARGET_DIR:-$ROOT/target}/release/ilji"
[[ "$ILJI" = /* ]] || ILJI="$ROOT/$ILJI"
log "cargo build --release"
(cd "$ROOT" && cargo build --release >&2)
[[ -x "$ILJI" ]] || { echo "serve.sh: $ILJI not built" >&2; exit 1; }

# ---------------------------------------------------------------- scratch space, cleanup
TMP="$(mktemp -d "${TMPDIR:-/tmp}/ilji-serve-bench.XXXXXX")"
SERVE_PID=""
DRIVER_PID=""

stop_serve() {
    if [[ -n "$SERVE_PID" ]] && kill -0 "$SERVE_PID" 2>/dev/null; then
        kill -TERM "$SERVE_PID" 2>/dev/null || true   # ilji removes its preview folder on SIGTERM
        for _ in $(seq 50); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVE_PID" 2>/dev/null || true
    fi
    [[ -z "$SERVE_PID" ]] || wait "$SERVE_PID" 2>/dev/null || true
    SERVE_PID=""
}

# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if [[ -n "$DRIVER_PID" ]]; then
        kill -TERM "$DRIVER_PID" 2>/dev/null || true
        wait "$DRIVER_PID" 2>/dev/null || true
    fi
    # Chromium runs in its own process group; the driver writes its pid.
    for f in "$TMP"/chromium-*.pid; do
        [[ -f "$f" ]] || continue
        pid=$(cat "$f")
        if [[ "$pid" =~ ^[0-9]+$ ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    done
    stop_serve
    if [[ $KEEP -eq 1 ]]; then echo "kept: $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A copy of the binary: others' `cargo build`s must not swap it in the middle of a run.
cp "$ILJI" "$TMP/ilji"
ILJI="$TMP/ilji"

median() { python3 -c 'import statistics,sys; print("%.0f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

# full_build DIR OUT TAG -> prints the median wall-clock ms of 3 builds over an existing OUT
full_build() {
    local dir=$1 out=$2 tag=$3 qcmd t s e times=()
    rm -rf "$out"
    "$ILJI" -C "$dir" build --output "$out" >"$TMP/$tag-build.log" 2>&1 || {
        echo "!! ilji build failed:" >&2; tail -n 30 "$TMP/$tag-build.log" | sed 's/^/   | /' >&2; return 1; }
    sed 's/^/   /' "$TMP/$tag-build.log" >&2
    if [[ $HAVE_HYPERFINE -eq 1 ]]; then
        printf -v qcmd '%q ' "$ILJI" -C "$dir" build --output "$out"
        hyperfine --warmup 1 --runs 3 --style basic --command-name "ilji build $tag" \
            --export-json "$TMP/$tag-build.json" "$qcmd" >&2 || return 1
        python3 -c 'import json,sys; print("%.0f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' \
            "$TMP/$tag-build.json"
    else
        "$ILJI" -C "$dir" build --output "$out" >/dev/null 2>&1   # warm-up
        for _ in 1 2 3; do
            s=$(date +%s%N)
            "$ILJI" -C "$dir" build --output "$out" >/dev/null 2>&1 || return 1
            e=$(date +%s%N)
            t=$(( (e - s) / 1000000 )); times+=("$t"); echo "   build: $t ms" >&2
        done
        median "${times[@]}"
    fi
}

# ---------------------------------------------------------------- header
HEADER="# ilji serve: save → browser shows the edit (headless Chromium), body edit of one post
# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average at start $(cut -d' ' -f1-3 /proc/loadavg)
# scratch folder $TMP on $(df -PT "$TMP" | awk 'NR==2 {print $2}')
# ilji $("$ILJI" --version 2>/dev/null | awk '{print $NF}') ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')$(git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || echo ', uncommitted changes')), $("$CHROMIUM" --version 2>/dev/null | head -n1), $((SAVES - 2)) saves per size after 2 warm-up"

ROWS=()
ODD=()
FAILED=()
for n in "${SIZES[@]}"; do
    dir="$TMP/site-$n"
    log "generating the $n-post corpus"
    python3 "$GEN" --posts "$n" --out "$dir" >&2
    cat >"$dir/site.yaml" <<'EOF'
title: "작은 가게 운영 일지"
base_url: "https://example.org/"
theme: default
paginate: 10
other_posts: 8
EOF
    if [[ -d "$ROOT/themes" ]]; then cp -r "$ROOT/themes" "$dir/themes"; fi

    log "$n posts: untouched full ilji build, median of 3 (output folder already there)"
    build_ms=$(full_build "$dir" "$TMP/out-$n" "$n") || { FAILED+=("build@$n"); build_ms="-"; }
    rm -rf "$TMP/out-$n"

    log "$n posts: ilji serve --port 0"
    # TMPDIR for ilji's own preview folder (std::env::temp_dir): inside ours.
    TMPDIR="$TMP" "$ILJI" -C "$dir" serve --port 0 >"$TMP/serve-$n.out" 2>"$TMP/serve-$n.log" &
    SERVE_PID=$!
    url=""
    for _ in $(seq 1200); do   # up to 120 s for the first build
        url=$(head -n1 "$TMP/serve-$n.out" 2>/dev/null || true)
        [[ -n "$url" ]] && break
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -z "$url" ]]; then
        echo "!! ilji serve printed no URL ($n posts):" >&2
        sed 's/^/   | /' "$TMP/serve-$n.log" >&2
        stop_serve
        FAILED+=("serve@$n"); ROWS+=("$n|$build_ms|-|-|-|-|-|-|-"); continue
    fi
    sed 's/^/   /' "$TMP/serve-$n.log" >&2
    serve_start_ms=$(sed -n 's/^built .* in \([0-9]*\) ms$/\1/p' "$TMP/serve-$n.log" | head -n1)

    log "$n posts: $SAVES saves, timed in headless Chromium ($url)"
    set +e
    python3 "$ROOT/bench/serve_latency.py" --url "$url" --site "$dir" \
        --iterations "$SAVES" --warmup 2 --server-log "$TMP/serve-$n.log" \
        --chromium "$CHROMIUM" --profile-dir "$TMP/chromium-profile-$n" \
        --pidfile "$TMP/chromium-$n.pid" --json "$TMP/latency-$n.json" >&2 &
    DRIVER_PID=$!
    wait "$DRIVER_PID"
    rc=$?
    set -e
    DRIVER_PID=""
    stop_serve
    rm -rf "$TMP/chromium-profile-$n"
    if [[ ! -s "$TMP/latency-$n.json" ]]; then
        FAILED+=("latency@$n (exit $rc)"); ROWS+=("$n|$build_ms|${serve_start_ms:--}|-|-|-|-|-|-"); continue
    fi
    [[ $rc -eq 0 ]] || FAILED+=("latency@$n (exit $rc)")
    row=$(python3 - "$TMP/latency-$n.json" <<'EOF' || echo "-|-|-|-|-|-"
import json, sys
d = json.load(open(sys.argv[1]))
f = lambda v: "-" if v is None else "%.0f" % v
L = d["latency_ms"]
print("|".join([f(d["server_rebuild_ms_median"]), f(L["median"]), f(L["p90"]), f(L["max"]),
                f(d["reload_start_ms_median"]), "%d/%d" % (d["seen"], d["saves"])]))
for o in d["odd"]:
    print("odd|" + o)
EOF
)
    ROWS+=("$n|$build_ms|${serve_start_ms:--}|$(head -n1 <<<"$row")")
    while IFS='|' read -r tag text; do
        [[ $tag == odd ]] && ODD+=("$n posts: $text")
    done < <(tail -n +2 <<<"$row")
    [[ $KEEP -eq 1 ]] || rm -rf "$dir"
done

# ---------------------------------------------------------------- table
echo >&2
echo "$HEADER"
printf '%7s %10s %10s %11s %11s %8s %8s %11s %7s\n' \
    posts "build ms" "serve 1st" "rebuild ms" "save→shown" p90 max "→reload ms" seen
for r in "${ROWS[@]}"; do
    IFS='|' read -r a b c d e f g h i <<<"$r"
    printf '%7s %10s %10s %11s %11s %8s %8s %11s %7s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i"
done
echo "# build ms: untouched full \`ilji build\` over its previous output, median of 3 (wall clock)"
echo "# serve 1st: serve's first build (its log); rebuild ms: serve's own rebuild time, median"
echo "# save→shown / p90 / max: rename of the saved file → page text shows the edit, ms"
echo "# →reload ms: rename → the reloaded document's navigation start (median; - when pages update in place)"
for o in ${ODD[@]+"${ODD[@]}"}; do echo "# odd: $o"; done
if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo "# failed: ${FAILED[*]} (details above, on stderr)"
    exit 1
fi
exit 0
}
