#!/usr/bin/env python3
"""Save-to-browser latency of a running `ilji serve`, measured in headless Chromium.

    serve_latency.py --url http://127.0.0.1:PORT/ --site DIR [--server-log FILE] [--json OUT]

Opens a post of the site (the middle one of content/posts/*.md by name unless --post) in
headless Chromium driven over the DevTools protocol, then, --iterations times: appends a
unique marker sentence to the post's Markdown body the way editors save (a temporary file
in the same folder, then one rename over the post), and polls the page with
`Runtime.evaluate` every ~2 ms until its rendered text shows the marker. The page reloads
itself (the preview's injected long-poll script); this script only watches.

latency = t1 - t0, t0 = time.monotonic() just before the rename, t1 = the first poll that
sees the marker. The first --warmup iterations are left out of the figures.

With --server-log (the file `ilji serve`'s stderr goes to), each iteration also records
the server's own `changed … in N ms` line(s). Progress goes to stderr, a summary to
stdout, and everything (per-iteration too) to --json. Needs `websocket-client`.
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

try:
    import websocket  # websocket-client
except ImportError:
    sys.exit("serve_latency.py: needs websocket-client (python3 -m pip install websocket-client)")

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-port=0",
]

# `changed content/posts/a.md → 3 page(s) rendered, 1 changed, in 12 ms`
REBUILD_LINE = re.compile(r"^changed (?P<paths>.*) → (?P<rest>.*)$")
REBUILD_OK = re.compile(
    r"(?P<rendered>\d+) page\(s\) rendered, (?P<changed>\d+) changed.*, in (?P<ms>\d+) ms$"
)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- Chromium


class Browser:
    """A headless Chromium in its own process group, with a throwaway profile."""

    def __init__(self, binary, folder, pidfile=None, start_timeout=30.0):
        # Profile and TMPDIR (where Chromium keeps its SingletonSocket folder) both in `folder`.
        profile, tmp = os.path.join(folder, "profile"), os.path.join(folder, "tmp")
        os.makedirs(profile, exist_ok=True)
        os.makedirs(tmp, exist_ok=True)
        self.proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            env=dict(os.environ, TMPDIR=tmp),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: killed whole at the end
        )
        if pidfile:
            with open(pidfile, "w") as f:
                f.write(f"{self.proc.pid}\n")
        found = threading.Event()
        seen = []
        self.ws_url = None

        def drain():  # read stderr for the DevTools line, then forever so it never blocks
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                if self.ws_url is None:
                    m = re.search(r"DevTools listening on (ws://\S+)", line)
                    if m:
                        self.ws_url = m.group(1)
                        found.set()
                    else:
                        seen.append(line)
            found.set()

        threading.Thread(target=drain, daemon=True).start()
        found.wait(start_timeout)
        if self.ws_url is None:
            self.close()
            sys.exit(
                "serve_latency.py: chromium printed no `DevTools listening on ws://…` line\n"
                + "\n".join(seen[-20:])
            )
        self.http = "http://" + self.ws_url[len("ws://"):].split("/", 1)[0]

    def page_target(self, timeout=15.0):
        """The WebSocket URL of a page target (the about:blank tab it started with)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.http + "/json/list", timeout=5) as r:
                    targets = json.load(r)
                for t in targets:
                    if t.get("type") == "page" and t.get("webSocketDebuggerUrl"):
                        return t["webSocketDebuggerUrl"]
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("serve_latency.py: chromium shows no page target")
            time.sleep(0.1)

    def close(self):
        if self.proc.poll() is None and self.ws_url:
            try:  # the clean way: Chromium removes what it made
                ws = websocket.create_connection(self.ws_url, timeout=5, suppress_origin=True)
                ws.send(json.dumps({"id": 1, "method": "Browser.close"}))
                ws.close()
            except (OSError, websocket.WebSocketException):
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of its group is left
        except ProcessLookupError:
            pass
        self.proc.wait()


class Page:
    """One DevTools session on a page target."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") != mid:
                continue  # an event, or a late answer
            if "error" in msg:
                raise RuntimeError(f"{method}: {msg['error']}")
            return msg.get("result", {})

    def eval(self, expression):
        """The expression's value, or None while the page is between documents or it threw."""
        try:
            r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        except RuntimeError:
            return None
        if "exceptionDetails" in r:
            return None
        return r.get("result", {}).get("value")

    def wait_for(self, expression, want, timeout, interval=0.05):
        deadline = time.monotonic() + timeout
        while True:
            got = self.eval(expression)
            if got == want:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"`{expression}` is {got!r}, not {want!r}, after {timeout} s")
            time.sleep(interval)

    def close(self):
        try:
            self.ws.close()
        except OSError:
            pass


# --------------------------------------------------------------------------- server log


class ServerLog:
    """Reads the lines `ilji serve` appended to its stderr file since the last read."""

    def __init__(self, path):
        self.path = path
        self.offset = os.path.getsize(path) if path else 0
        self.partial = b""

    def new_lines(self):
        if not self.path:
            return []
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        self.offset += len(data)
        data = self.partial + data
        *lines, self.partial = data.split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]


def rebuilds_in(lines):
    """The `changed …` lines: [{"paths", "ms"?, "rendered"?, "changed"?, "error"?}]."""
    out = []
    for line in lines:
        m = REBUILD_LINE.match(line.strip())
        if not m:
            continue
        r = {"paths": m.group("paths"), "line": line.strip()}
        ok = REBUILD_OK.search(m.group("rest"))
        if ok:
            r.update(ms=int(ok.group("ms")), rendered=int(ok.group("rendered")),
                     changed=int(ok.group("changed")))
        else:
            r["error"] = m.group("rest")
        out.append(r)
    return out


# --------------------------------------------------------------------------- measuring


def save_like_an_editor(path, text):
    """Writes `text` to `path` in one go: a temporary file beside it (a name ilji ignores,
    starting with '.'), then a rename over it. Returns (monotonic, wall-clock) time taken
    just before the rename."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.saving~")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
    t0, t0_wall = time.monotonic(), time.time()
    os.replace(tmp, path)
    return t0, t0_wall


# The shown document's navigation: its start (wall clock, ms) and milestones after it.
NAV_TIMING = """(function () {
  var n = performance.getEntriesByType('navigation')[0] || {};
  var r = performance.getEntriesByType('resource').filter(function (e) {
    return e.initiatorType === 'link' || e.initiatorType === 'script' || e.initiatorType === 'css';
  }).map(function (e) {
    return {name: new URL(e.name).pathname, requestStart: e.requestStart, responseEnd: e.responseEnd};
  });
  return {origin: performance.timeOrigin, type: n.type || null, requestStart: n.requestStart,
          responseStart: n.responseStart, responseEnd: n.responseEnd,
          domContentLoaded: n.domContentLoadedEventEnd, resources: r};
})()"""


def percentile(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def js_string(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="the preview's URL, as `ilji serve` printed it")
    ap.add_argument("--site", required=True, help="the site folder `ilji serve` watches")
    ap.add_argument("--post", help="post to edit, relative to the site (default: the middle one)")
    ap.add_argument("--iterations", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=2, help="first iterations left out (default 2)")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between iterations")
    ap.add_argument("--poll", type=float, default=0.002, help="seconds between checks of the page")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for one reload")
    ap.add_argument("--server-log", help="the file `ilji serve`'s stderr goes to")
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--profile-dir", help="folder for Chromium's profile and temporary files"
                    " (default: a new temporary one)")
    ap.add_argument("--pidfile", help="write Chromium's pid (its process group) here")
    ap.add_argument("--json", help="write all results here")
    a = ap.parse_args()
    if a.iterations <= a.warmup:
        ap.error("--iterations must be larger than --warmup")

    # SIGTERM (from bench/serve.sh's trap) unwinds through the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    site = os.path.abspath(a.site)
    if a.post:
        rel = a.post
    else:
        posts = sorted(n for n in os.listdir(os.path.join(site, "content", "posts"))
                       if n.endswith(".md") and not n.startswith("."))
        rel = os.path.join("content", "posts", posts[len(posts) // 2])
    post_path = os.path.join(site, rel)
    slug = os.path.splitext(os.path.basename(rel))[0]
    page_url = a.url.rstrip("/") + f"/posts/{slug}/"
    with open(post_path, encoding="utf-8") as f:
        original = f.read()

    try:
        with urllib.request.urlopen(page_url, timeout=30) as r:
            r.read()
    except OSError as e:  # HTTPError included
        sys.exit(f"serve_latency.py: cannot open the post's page {page_url}: {e}")

    own_profile = a.profile_dir is None
    profile = a.profile_dir or tempfile.mkdtemp(prefix="ilji-chromium-")
    browser = page = None
    iterations = []
    server_log = ServerLog(a.server_log)
    try:
        browser = Browser(a.chromium, profile, a.pidfile)
        page = Page(browser.page_target())
        page.call("Page.navigate", url=page_url)
        page.wait_for("location.href", page_url, 30)
        page.wait_for("document.readyState", "complete", 30)
        if not page.eval("document.body.innerHTML.includes('/__ilji/poll')"):
            log("!! the page carries no live-reload script (/__ilji/poll): no reload will come")
        time.sleep(a.pause)  # let the page's first long-poll reach the server
        server_log.new_lines()
        log(f"   page {page_url}, editing {rel}, {a.iterations} saves ({a.warmup} warm-up)")

        for i in range(a.iterations):
            marker = f"측정 표식 {uuid.uuid4()}"
            check = f"!!(document.body && document.body.innerText.includes({js_string(marker)}))"
            # t0_wall: to place the reload's Navigation Timing (performance.timeOrigin)
            t0, t0_wall = save_like_an_editor(post_path, original.rstrip("\n") + f"\n\n{marker}.\n")
            seen = False
            polls = 0
            deadline = t0 + a.timeout
            while True:
                polls += 1
                if page.eval(check) is True:
                    t1 = time.monotonic()
                    seen = True
                    break
                if time.monotonic() > deadline:
                    t1 = time.monotonic()
                    break
                time.sleep(a.poll)
            it = {"i": i, "warmup": i < a.warmup, "seen": seen, "polls": polls,
                  "latency_ms": round((t1 - t0) * 1000, 2) if seen else None}
            if seen:
                nav = page.eval(NAV_TIMING)
                if nav and nav["origin"] < t0_wall * 1000:
                    # The document predates the save: ilji swapped its body in place.
                    it["navigation"] = "in place"
                elif nav:
                    # Relative to the save: wall clocks of two processes, good to ~1 ms.
                    since_save = lambda v: round(nav["origin"] + v - t0_wall * 1000, 1)
                    it["navigation"] = nav["type"]
                    it["reload_start_ms"] = since_save(0)
                    it["timing_ms"] = {k: since_save(nav[k]) for k in
                                       ("requestStart", "responseStart", "responseEnd", "domContentLoaded")
                                       if nav.get(k)}
                    it["resources_ms"] = [{"name": x["name"], "requestStart": since_save(x["requestStart"]),
                                           "responseEnd": since_save(x["responseEnd"])}
                                          for x in nav.get("resources") or []]
            time.sleep(a.pause)
            it["rebuilds"] = rebuilds_in(server_log.new_lines())
            iterations.append(it)
            server_ms = ",".join(str(r.get("ms", "err")) for r in it["rebuilds"]) or "none"
            if seen:
                T = it.get("timing_ms", {})
                at = lambda k: f"{T[k]:.0f}" if k in T else "?"
                res = "".join(f" | {x['name']} {x['requestStart']:.0f}→{x['responseEnd']:.0f}"
                              for x in it.get("resources_ms", []))
                log(f"   {'warm-up' if it['warmup'] else 'save':7} {i + 1:2}: {it['latency_ms']:6.1f} ms"
                    f" | server rebuild {server_ms} ms | reload @{it.get('reload_start_ms', 0):.0f}"
                    f" | html {at('requestStart')}→{at('responseEnd')}{res}"
                    f" | {polls} polls"
                    + ("" if it.get("navigation") == "reload" else f" | navigation {it.get('navigation')}"))
            else:
                log(f"!! save {i + 1}: the page did not show the marker within {a.timeout} s"
                    f" (server rebuild lines: {[r['line'] for r in it['rebuilds']] or 'none'})")
    finally:
        try:
            with open(post_path, "w", encoding="utf-8") as f:
                f.write(original)
        except OSError:
            pass
        if page:
            page.close()
        if browser:
            browser.close()
            if a.pidfile:  # gone: nothing for bench/serve.sh's trap to kill
                try:
                    os.remove(a.pidfile)
                except OSError:
                    pass
        if own_profile:
            shutil.rmtree(profile, ignore_errors=True)

    measured = [it for it in iterations if not it["warmup"]]
    lat = [it["latency_ms"] for it in measured if it["seen"]]
    server = [r["ms"] for it in measured for r in it["rebuilds"] if "ms" in r]
    reload_start = [it["reload_start_ms"] for it in measured if "reload_start_ms" in it]
    odd = []
    missed = sum(1 for it in measured if not it["seen"])
    if missed:
        odd.append(f"{missed} of {len(measured)} saves never showed in the browser")
    multi = sum(1 for it in measured if len(it["rebuilds"]) > 1)
    if multi:
        odd.append(f"{multi} saves caused more than one rebuild")
    none = sum(1 for it in measured if not it["rebuilds"]) if a.server_log else 0
    if none:
        odd.append(f"{none} saves logged no rebuild")
    errors = sum(1 for it in measured for r in it["rebuilds"] if "error" in r)
    if errors:
        odd.append(f"{errors} rebuilds failed")
    not_reload = sum(1 for it in measured if it["seen"] and it.get("navigation") not in ("reload", "in place", None))
    if not_reload:
        odd.append(f"{not_reload} pages showed the edit through a navigation that was not a reload")

    summary = {
        "page": page_url,
        "post": rel,
        "saves": len(measured),
        "seen": len(lat),
        "latency_ms": {
            "median": statistics.median(lat) if lat else None,
            "p90": percentile(lat, 90) if lat else None,
            "max": max(lat) if lat else None,
            "min": min(lat) if lat else None,
        },
        "reload_start_ms_median": statistics.median(reload_start) if reload_start else None,
        "server_rebuild_ms_median": statistics.median(server) if server else None,
        "odd": odd,
        "iterations": iterations,
    }
    if a.json:
        text = json.dumps(summary, ensure_ascii=False, indent=1)
        with open(a.json, "w", encoding="utf-8") as f:
            f.write(text)
    fmt = lambda v: "-" if v is None else f"{v:.1f}"
    L = summary["latency_ms"]
    print(f"save→browser ms: median {fmt(L['median'])}, p90 {fmt(L['p90'])}, max {fmt(L['max'])}"
          f" ({len(lat)}/{len(measured)} seen); reload started after {fmt(summary['reload_start_ms_median'])} ms;"
          f" server rebuild median {fmt(summary['server_rebuild_ms_median'])} ms")
    for o in odd:
        print(f"odd: {o}")
    return 0 if lat else 1


if __name__ == "__main__":
    sys.exit(main())
