#!/bin/sh
# Usage: bench/jekyll_compare.sh JEKYLL_SITE [ILJI]
# How many of the post addresses the real Jekyll publishes for a blog lead to the post
# after `ilji import` + `ilji build`. The blog is copied; in the copy its Gemfile, layouts
# and plugins are dropped so that Debian's `jekyll` (4.3.1) builds it without its gems
# (layouts and plugins do not change post addresses). Prints the addresses that lead
# nowhere, then "kept K of N". ILJI defaults to target/release/ilji (build it first), else
# target/debug/ilji.
set -eu
blog=$1
root=$(cd "$(dirname "$0")/.." && pwd)
ilji=${2:-$root/target/release/ilji}
[ -x "$ilji" ] || ilji=$root/target/debug/ilji
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/old" "$work/new"
cp -R "$blog/." "$work/old/"
cd "$work/old"
rm -rf _site _layouts Gemfile Gemfile.lock .git
sed -i '/^theme:/d; /^remote_theme:/d' _config.yml
printf 'plugins: []\n' > _override.yml
cp "$root/bench/jekyll_urls.liquid" urls.txt
TZ=UTC jekyll build --quiet --safe --config _config.yml,_override.yml -d "$work/site" >&2
grep . "$work/site/urls.txt" > "$work/urls.txt"
rm -f _override.yml urls.txt
cd "$work/new"
cp -R "$root/themes" "$work/new/"
printf 'title: compare\nbase_url: https://example.org/\n' > site.yaml
"$ilji" import "$work/old" > "$work/import.log" 2>&1 || true
"$ilji" build > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
python3 - "$work/urls.txt" "$work/new/public" <<'PY'
import os, sys, urllib.parse
urls, public = sys.argv[1], sys.argv[2]
kept = total = 0
for line in open(urls, encoding="utf-8"):
    source, url = line.rstrip("\n").split("\t")
    total += 1
    path = urllib.parse.unquote(url).lstrip("/")
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.endswith("/") or not path:
        rel = path + "index.html"
    elif "." in last:
        rel = path
    else:
        rel = path + "/index.html"
    if os.path.isfile(os.path.join(public, rel)):
        kept += 1
    else:
        print(f"lost: {source}: {url}")
print(f"kept {kept} of {total}")
PY
