#!/usr/bin/env bash
# The longer run of the property tests of tests/testsuite/hostile/generated.rs: sites with
# hostile values in every field that becomes a path (built and checked), old Hugo blogs with
# such values (imported, then built), and fuzzed YAML, Markdown and file names, all through
# the real binary.
# `cargo test` runs 40 sites of each (20 imports); this runs CASES (default 2000) of each.
#
#   bench/fuzz.sh [CASES]
#
# A debug build, so that its checks run too (the quick front-matter reader is compared with
# serde_yaml on every post). A failure prints the smallest site proptest could shrink it to.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-2000}"
started=$(date +%s)
ILJI_FUZZ_CASES="$cases" cargo test --test testsuite -- \
  hostile_values_in_every_path_field_change_nothing_outside_the_output \
  hostile_values_in_an_imported_blog_stay_inside_the_site \
  fuzzed_yaml_markdown_and_file_names_never_crash_or_escape
# And the quick front-matter reader against serde_yaml, on ten times as many texts.
ILJI_FUZZ_CASES="$cases" cargo test --lib reads_as_serde_yaml_does_or_declines
echo "fuzz: $cases sites per property, 3 properties; $(( cases * 10 < 30000 ? 30000 : cases * 10 )) front matters; $(( $(date +%s) - started )) s"
