#!/usr/bin/env bash
# The longer run of tests/hostile.rs's two property tests: sites with hostile values in every
# field that becomes a path, and fuzzed YAML, Markdown and file names, each built and checked
# by the real binary. `cargo test` runs 40 of each; this runs CASES (default 2000) of each.
#
#   bench/fuzz.sh [CASES]
#
# A debug build, so that its checks run too (the quick front-matter reader is compared with
# serde_yaml on every post). A failure prints the smallest site proptest could shrink it to.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-2000}"
started=$(date +%s)
ILJI_FUZZ_CASES="$cases" cargo test --test hostile -- \
  hostile_values_in_every_path_field_change_nothing_outside_the_output \
  fuzzed_yaml_markdown_and_file_names_never_crash_or_escape
echo "fuzz: $cases sites per property, 2 properties, $(( $(date +%s) - started )) s"
