#!/bin/sh
# Usage: bench/hugo_compare.sh HUGO_SITE [ILJI]
# How many of the addresses the real Hugo publishes for a blog's posts and pages (and their
# `aliases`) lead to the right post after `ilji init` + `ilji import` + `ilji build`, with
# no hand edit. Hugo's addresses come from bench/hugo_urls.sh (HUGO, else `hugo` on PATH).
# An address is kept when ilji's public/ has a file there that is the post itself or a
# redirect page leading to it, and the page it leads to bears the title Hugo gave that page
# (or one of its translations: a multilingual blog becomes one ilji blog in its default
# language). Also counts the literal `**` outside code that Hugo's HTML and ilji's show for
# the same posts, and times the import and the build. Prints the addresses that lead nowhere
# (or to another page), then one line of figures. ILJI defaults to target/release/ilji
# (build it first), else target/debug/ilji.
set -eu
blog=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
ilji=${2:-$root/target/release/ilji}
[ -x "$ilji" ] || ilji=$root/target/debug/ilji
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/bench/hugo_urls.sh" "$blog" > "$work/urls.txt" 2> "$work/hugo.log" \
    || { cat "$work/hugo.log" >&2; exit 1; }
now() { date +%s.%N; }
"$ilji" init "$work/new" > /dev/null
cd "$work/new"
t0=$(now)
"$ilji" import "$blog" > "$work/import.log" 2>&1 || true
t1=$(now)
"$ilji" build > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
t2=$(now)
grep -E '^(imported|built) ' "$work/import.log" "$work/build.log" | sed 's/^[^:]*://' >&2
python3 - "$work/urls.txt" "$work/new" "$t0" "$t1" "$t2" "$(basename "$blog")" <<'PY'
import html, os, re, sys, urllib.parse
urls, site, t0, t1, t2, name = sys.argv[1:]
public = os.path.join(site, "public")
base = re.search(r"^base_url:\s*['\"]?([^'\"\s]*)", open(os.path.join(site, "site.yaml")).read(), re.M)
base_path = urllib.parse.urlparse(base.group(1) if base else "/").path.rstrip("/")

def file_at(path):
    """The file ilji's public/ serves at an address path (no leading slash)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.endswith("/") or not path:
        rel = path + "index.html"
    elif "." in last:
        rel = path
    else:
        rel = path + "/index.html"
    full = os.path.join(public, rel)
    return full if os.path.isfile(full) else None

def follow(full):
    """The page a file is, following one redirect page."""
    text = open(full, encoding="utf-8", errors="replace").read()
    m = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
    if not m:
        return full, text
    path = urllib.parse.unquote(urllib.parse.urlparse(html.unescape(m.group(1))).path)
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path):]
    target = file_at(path.lstrip("/"))
    if not target:
        return None, None
    return target, open(target, encoding="utf-8", errors="replace").read()

def title_of(text):
    m = re.search(r"<title>(.*?)</title>", text, re.S)
    return " ".join(html.unescape(m.group(1)).split()) if m else ""

def stars(text):
    text = re.sub(r"(?s)<pre\b.*?</pre>|<code\b.*?</code>", "", text)
    return text.count("**")

def translation_key(source):
    return re.sub(r"\.[a-z]{2}(-[a-zA-Z]{2,4})?(\.(md|markdown|html))$", r"\2", source)

BUILT_IN = {"figure", "youtube", "vimeo", "gist", "x", "tweet", "twitter", "instagram",
            "highlight", "ref", "relref", "param", "details", "qr", "comment"}

def shortcodes_left(site):
    """Shortcodes still written `{{< name` or `{{% name` in content/, outside code, by name."""
    found = {}
    for root, _, files in os.walk(os.path.join(site, "content")):
        for f in files:
            if not f.endswith(".md"):
                continue
            text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
            text = re.sub(r"(?ms)^ {0,3}(```|~~~).*?^ {0,3}\1", "", text)
            text = re.sub(r"`[^`\n]*`", "", text)
            for m in re.finditer(r"\{\{[<%]\s*([A-Za-z0-9_.-][A-Za-z0-9_./-]*)", text):
                found[m.group(1)] = found.get(m.group(1), 0) + 1
    built = {k: v for k, v in found.items() if k in BUILT_IN}
    own = {k: v for k, v in found.items() if k not in BUILT_IN}
    show = lambda d: ", ".join(f"{k} x{v}" for k, v in sorted(d.items())) or "none"
    return f"Hugo's own: {show(built)}; the theme's: {show(own)}"

rows = [l.rstrip("\n").split("\t") for l in open(urls, encoding="utf-8") if l.strip()]
titles = {}
for path, kind, title, source, n, *_ in rows:
    if kind == "page":
        titles.setdefault(translation_key(source), set()).add(title)
kept = 0
pages = sum(1 for r in rows if r[1] == "page")
hugo_stars = ilji_stars = 0
counted = set()
empty_sources = {r[3] for r in rows if r[1] == "page" and r[5:] == ["empty"]}
theme_total = theme_kept = 0
for path, kind, title, source, n, *_ in rows:
    is_theme = source in empty_sources
    theme_total += is_theme
    full = file_at(path)
    target, text = follow(full) if full else (None, None)
    if not target:
        print(f"lost: /{path} ({source}: {title})")
        continue
    # A theme's search or archives page (no text of its own) is kept by leading to ilji's.
    if is_theme and os.path.relpath(target, public) in ("search/index.html", "archive/index.html"):
        kept += 1
        theme_kept += 1
        continue
    got = title_of(text)
    wanted = titles.get(translation_key(source), {title})
    named = {t for t in wanted if t} or {""}
    if not any(not t or got == t or got.startswith(t + " · ") for t in named):
        print(f"wrong: /{path} ({source}: {title}) leads to {os.path.relpath(target, public)}: {got}")
        continue
    kept += 1
    theme_kept += is_theme
    if kind == "page" and target not in counted and (got == title or got.startswith(title + " · ")):
        counted.add(target)
        hugo_stars += int(n)
        ilji_stars += stars(text)
total = len(rows)
pct = 100.0 * kept / total if total else 100.0
with_text = total - theme_total
pct_text = 100.0 * (kept - theme_kept) / with_text if with_text else 100.0
print(f"{name}: {pages} pages, addresses kept {kept}/{total} ({pct:.1f}%; of pages with "
      f"text {kept - theme_kept}/{with_text}, {pct_text:.1f}%), "
      f"literal ** Hugo {hugo_stars} / ilji {ilji_stars} (in {len(counted)} posts), "
      f"import {float(t1) - float(t0):.2f} s, build {float(t2) - float(t1):.2f} s")
print(f"{name}: shortcodes left as text in the imported Markdown: {shortcodes_left(site)}")
PY
