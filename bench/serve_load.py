#!/usr/bin/env python3
"""Can `ilji serve` be knocked over? A load test of the preview server (issue 23).

    bench/serve_load.py [--posts N] [--seconds S] [--held N] [--pollers N]
                        [--nofile N] [--getters N] [--phases P,...] [--binary PATH]
                        [--keep]

Generates a blog with shared/bench/gen_corpus.py, starts the release binary's
`ilji serve --port 0` under `ulimit -n NOFILE` (default 256, so that its connection cap,
the file limit less 64, is 192), and runs four phases of --seconds each while --getters
threads GET pages of the site (a new connection each, as a browser's first request):

  quiet     nothing else;
  held      --held connections (default 1,000) opened and held without a request; each one
            the server closes is opened again at once;
  polls     --pollers clients (default 300) each opening `/__ilji/poll` (this server's
            instance and generation, so the poll waits) and dropping the connection after
            0-300 ms, again and again;
  both      held connections and dropped polls together.

The attackers run in processes of their own, so that they do not share the measuring
threads' interpreter lock. For each phase it prints the GETs per second, errors (no
answer: refused, reset, timed out after 5 s), 503 answers, the latency of the answered
GETs (p50, p99, max), the server's most threads and memory, and what the attackers saw;
then whether the server survived, still answers, and stops on SIGINT removing its preview
folder. Progress goes to stderr, figures to stdout. It asserts nothing (exit status 1 only
if the server died). Traffic goes to 127.0.0.1 only and every loop ends with its phase.
"""

import argparse
import multiprocessing
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SITE_YAML = """title: "작은 가게 운영 일지"
base_url: "https://example.org/"
theme: default
paginate: 10
other_posts: 8
"""


def log(message):
    print(f"serve_load: {message}", file=sys.stderr, flush=True)


def repo_root():
    here = os.path.dirname(os.path.abspath(__file__))
    return subprocess.run(
        ["git", "-C", here, "rev-parse", "--show-toplevel"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


def raise_own_file_limit():
    """The attackers hold more than a thousand sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


# ------------------------------------------------------------------------- the server

def proc_status(pid):
    """Threads and VmRSS (KiB) of the server, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    if "VmRSS" not in fields:  # a zombie: it has exited
        return None
    return int(fields["Threads"]), int(fields["VmRSS"].split()[0])


def cpu_seconds(pid):
    """User and system CPU time the server has used, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(binary, site, tmp, nofile):
    env = dict(os.environ, TMPDIR=tmp, NO_COLOR="1")
    err = open(os.path.join(tmp, "serve.log"), "w")
    proc = subprocess.Popen(
        ["sh", "-c", f'ulimit -n {nofile} && exec "$0" "$@"', binary,
         "-C", site, "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=env, text=True,
    )
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        sys.exit(f"serve_load: ilji serve printed no URL (see {tmp}/serve.log)")
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    return proc, port


def http_get(port, path, timeout=5.0):
    """One GET on a new connection: (status, body) or an exception."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw:
        raise ConnectionError("closed without an answer")
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


# ------------------------------------------------------------------------- attackers

def hold_connections(port, count, stop_at, results):
    """Keeps `count` connections open without a request; reopens each one the server closes."""
    raise_own_file_limit()
    sel = selectors.DefaultSelector()
    opened = closed_by_server = failed = 0

    def open_one():
        nonlocal opened, failed
        try:
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            sel.register(s, selectors.EVENT_READ)
            opened += 1
        except OSError:
            failed += 1

    for _ in range(count):
        open_one()
    while time.monotonic() < stop_at:
        for key, _ in sel.select(timeout=0.1):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:  # closed (or refused): open another
                sel.unregister(s)
                s.close()
                closed_by_server += 1
                if time.monotonic() < stop_at:
                    open_one()
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    results.put(("held", {"opened": opened, "closed by server": closed_by_server,
                          "failed to open": failed}))


def storm_polls(port, count, query, stop_at, results):
    """`count` clients that open a poll and drop it after 0-300 ms, over and over."""
    raise_own_file_limit()
    sel = selectors.DefaultSelector()
    request = f"GET /__ilji/poll?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    live = {}  # socket -> (drop time, bytes read)
    opened = dropped = turned_away = failed = 0

    def open_one():
        nonlocal opened, failed
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(request)
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            live[s] = [time.monotonic() + random.uniform(0, 0.3), b""]
            opened += 1
        except OSError:
            failed += 1

    for _ in range(count):
        open_one()
    while time.monotonic() < stop_at:
        for key, _ in sel.select(timeout=0.02):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data:
                live[s][1] += data
                continue
            if live[s][1].startswith(b"HTTP/1.1 503"):
                turned_away += 1
            sel.unregister(s)
            s.close()
            del live[s]
            open_one()
        now = time.monotonic()
        for s in [s for s, (drop, _) in live.items() if drop <= now]:
            if live[s][1].startswith(b"HTTP/1.1 503"):
                turned_away += 1
            sel.unregister(s)
            s.close()
            del live[s]
            dropped += 1
            if now < stop_at:
                open_one()
    for s in live:
        s.close()
    results.put(("polls", {"opened": opened, "dropped while waiting": dropped,
                           "answered 503": turned_away, "failed to open": failed}))


# ------------------------------------------------------------------------- measuring

def measure(port, paths, getters, seconds, pid):
    """GETs from `getters` threads for `seconds`; the server's peak threads and memory."""
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, statuses, errors = [], {}, []

    def getter(seed):
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            path = rng.choice(paths)
            t0 = time.monotonic()
            try:
                status, _ = http_get(port, path)
            except (OSError, ValueError, IndexError) as e:
                with lock:
                    errors.append(type(e).__name__)
                time.sleep(0.01)
                continue
            elapsed = time.monotonic() - t0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=getter, args=(i,)) for i in range(getters)]
    cpu_before = cpu_seconds(pid)
    for t in threads:
        t.start()
    peak_threads = peak_rss = 0
    while time.monotonic() < stop_at:
        status = proc_status(pid)
        if status:
            peak_threads = max(peak_threads, status[0])
            peak_rss = max(peak_rss, status[1])
        time.sleep(0.05)
    for t in threads:
        t.join()
    return {
        "cpu": (cpu_seconds(pid) - cpu_before) / seconds,
        "latencies": latencies, "statuses": statuses, "errors": errors,
        "threads": peak_threads, "rss": peak_rss,
    }


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def site_paths(port):
    """The home page and the pages it links to."""
    status, body = http_get(port, "/")
    if status != 200:
        sys.exit(f"serve_load: GET / answered {status}")
    links = set(re.findall(rb'href="(/[^"#?]*)"', body))
    return ["/"] + sorted(link.decode() for link in links if not link.startswith(b"//"))


def poll_query(port):
    _, body = http_get(port, "/")
    html = body.decode("utf-8", "replace")
    gen = re.search(r"var gen=(\d+)", html).group(1)
    inst = re.search(r'var inst="([0-9a-f]+)"', html)
    # A server from before instance ids (to compare with) has none.
    return f"since={gen}" + (f"&instance={inst.group(1)}" if inst else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--held", type=int, default=1000)
    parser.add_argument("--pollers", type=int, default=300)
    parser.add_argument("--nofile", type=int, default=256, help="the server's ulimit -n")
    parser.add_argument("--getters", type=int, default=4)
    parser.add_argument("--phases", default="quiet,held,polls,both",
                        help="which phases, in order (default: all four)")
    parser.add_argument("--binary", help="an ilji binary (default: cargo build --release)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    raise_own_file_limit()

    root = repo_root()
    shared = os.environ.get("SHARED", os.path.join(root, "..", "shared"))
    binary = args.binary
    if not binary:
        log("cargo build --release")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
        binary = os.path.join(target, "release", "ilji")

    tmp = tempfile.mkdtemp(prefix="serve-load-")
    site = os.path.join(tmp, "site")
    log(f"generating {args.posts} posts in {site}")
    subprocess.run([sys.executable, os.path.join(shared, "bench", "gen_corpus.py"),
                    "--posts", str(args.posts), "--out", site],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(site, "site.yaml"), "w") as f:
        f.write(SITE_YAML)
    shutil.copytree(os.path.join(root, "themes"), os.path.join(site, "themes"))

    # A copy, so that a `cargo build` meanwhile cannot replace the binary under test.
    shutil.copy2(binary, os.path.join(tmp, "ilji"))
    proc, port = start_server(os.path.join(tmp, "ilji"), site, tmp, args.nofile)
    log(f"ilji serve (pid {proc.pid}) on port {port} under ulimit -n {args.nofile}")
    paths = site_paths(port)
    query = poll_query(port)
    results = multiprocessing.Queue()
    rows = []
    known = {"quiet": (False, False), "held": (True, False), "polls": (False, True),
             "both": (True, True)}
    phases = args.phases.split(",")
    for phase in phases:
        if phase not in known:
            sys.exit(f"serve_load: unknown phase {phase!r} (quiet, held, polls, both)")
    for phase in phases:
        held, polls = known[phase]
        log(f"phase {phase}: {args.seconds:g} s")
        stop_at = time.monotonic() + args.seconds + 1.0
        attackers = []
        if held:
            attackers.append(multiprocessing.Process(
                target=hold_connections, args=(port, args.held, stop_at, results)))
        if polls:
            attackers.append(multiprocessing.Process(
                target=storm_polls, args=(port, args.pollers, query, stop_at, results)))
        for a in attackers:
            a.start()
        time.sleep(1.0)  # the attack under way before measuring
        figures = measure(port, paths, args.getters, args.seconds, proc.pid)
        seen = dict(results.get(timeout=30) for _ in attackers)
        for a in attackers:
            a.join()
        figures["phase"] = phase
        figures["attack"] = seen
        figures["alive"] = proc.poll() is None
        rows.append(figures)
        if not figures["alive"]:
            break
        time.sleep(1.0)  # let what the attack left time out

    print(f"ilji serve under load: {args.posts} posts, ulimit -n {args.nofile}, "
          f"{args.getters} GET threads, {args.seconds:g} s a phase, "
          f"{os.cpu_count()} cores shared by server and load")
    print()
    print("| phase | GETs/s | errors | 503 | p50 ms | p99 ms | max ms | server CPU "
          "| threads (max) | RSS MiB (max) | alive |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        lat = r["latencies"]
        answered = sum(r["statuses"].values())
        print(f"| {r['phase']} | {answered / args.seconds:.0f} | {len(r['errors'])} "
              f"| {r['statuses'].get(503, 0)} | {percentile(lat, 50) * 1000:.1f} "
              f"| {percentile(lat, 99) * 1000:.1f} | {max(lat, default=float('nan')) * 1000:.1f} "
              f"| {r['cpu'] * 100:.0f}% | {r['threads']} | {r['rss'] / 1024:.1f} "
              f"| {'yes' if r['alive'] else 'NO'} |")
    print()
    for r in rows:
        other = {s: n for s, n in r["statuses"].items() if s not in (200, 503)}
        kinds = {}
        for e in r["errors"]:
            kinds[e] = kinds.get(e, 0) + 1
        extra = []
        if other:
            extra.append(f"other statuses {other}")
        if kinds:
            extra.append(f"errors {kinds}")
        for name, seen in r["attack"].items():
            extra.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in seen.items()))
        if extra:
            print(f"- {r['phase']}: " + "; ".join(extra))

    alive = proc.poll() is None
    final = None
    if alive:
        try:
            final = http_get(port, "/")[0]
        except OSError as e:
            final = type(e).__name__
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "did not stop within 10 s of SIGINT"
    else:
        code = proc.returncode
    leftover = [n for n in os.listdir(tmp) if n.startswith("ilji-serve-")]
    print()
    stopped = "exit status after SIGINT" if alive else "died with exit status"
    print(f"survived: {'yes' if alive else 'NO'}; GET / afterwards: {final}; "
          f"{stopped}: {code}; preview folder left: {leftover or 'none'}")
    with open(os.path.join(tmp, "serve.log")) as f:
        lines = [line.rstrip() for line in f if not line.startswith(("built ", "serving "))]
    if lines:
        print("server log: " + " | ".join(lines[:10]))
    if args.keep:
        log(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if alive else 1)


if __name__ == "__main__":
    main()
