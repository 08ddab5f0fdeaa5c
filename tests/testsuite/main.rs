//! The integration tests of ilji: one binary that runs the real `ilji` on small sites, a
//! module per behaviour (SPEC.md and the README name each). A site is a fixture folder of
//! `tests/fixtures/` copied into a temporary folder (with the repository's `themes/`), or
//! written by the test when it is made of generated values; whole error messages and the
//! feeds are compared with golden files beside the fixtures, regenerated with
//! `ILJI_BLESS=1 cargo test` and reviewed in the diff.
//!
//! The harness (sites, the runner, golden files, the preview server, raw HTTP, Chromium)
//! is in `support/`.

mod support;

// The source tree itself.
mod architecture;

// `ilji build`: what a site publishes.
mod addresses;
mod content;
mod dates;
mod embeds;
mod feeds;
mod images;
mod lists;
mod markdown;
mod navigation;
mod others_list;
mod redirects;
mod sample_blog;
mod search;
mod social;
mod templates;
mod theme_strings;

// `ilji build`: how it writes, fails and talks.
mod errors;
mod options;
mod output;
mod terminal;

// The other commands.
mod check;
mod import;
mod import_buildable;
mod import_html;
mod import_hugo;
mod import_jekyll;
mod import_liquid;
mod import_shortcodes;
mod import_tistory;
mod init;
mod new;
mod serve;

// Sites made to escape, written by hand and generated.
mod hostile;
