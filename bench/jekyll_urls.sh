#!/bin/sh
# Regenerates tests/fixtures/import_jekyll/urls/<style>.txt with the real Jekyll: for each
# configs/<style>.yml, a site made of posts/ and that _config.yml is built by `jekyll build`
# and every published post is listed as "<source file>\t<its url>" (Jekyll's post.url, as
# Jekyll links to it). Needs Jekyll 4 (Debian: apt-get install jekyll); made with 4.3.1.
# Sites without `timezone:` are built in UTC, as ilji import reads them.
set -eu
bench=$(cd "$(dirname "$0")" && pwd)
here=$(cd "$bench/../tests/fixtures/import_jekyll" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for config in "$here"/configs/*.yml; do
    style=$(basename "$config" .yml)
    site="$work/$style"
    mkdir -p "$site"
    cp -R "$here/posts/." "$site/"
    cp "$config" "$site/_config.yml"
    cp "$bench/jekyll_urls.liquid" "$site/urls.txt"
    (cd "$site" && TZ=UTC jekyll build --quiet --safe)
    grep . "$site/_site/urls.txt" | LC_ALL=C sort > "$here/urls/$style.txt"
    echo "$style: $(wc -l < "$here/urls/$style.txt") posts"
done
