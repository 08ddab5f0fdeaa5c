//! The harness of the integration tests, one module per kind of help:
//!
//! - [`site`]: a site in a temporary folder, made from a fixture folder of
//!   `tests/fixtures/` or file by file, and what its build published;
//! - [`run`]: a fluent runner of the real `ilji` binary in the style of casey/just's
//!   `tests/test.rs` (`.args(..).failure().stderr_golden(..).run()`);
//! - [`golden`]: golden files (whole error messages, feeds, sitemap), regenerated with
//!   `ILJI_BLESS=1`;
//! - [`html`]: readers of the default theme's markup where SPEC.md fixes it;
//! - [`serve`], [`http`], [`chromium`]: a running `ilji serve`, raw HTTP/1.1 to it, and a
//!   headless Chromium driven over the DevTools protocol;
//! - [`sandbox`]: a site four folders deep with files above it that no run may touch.
//!
//! Tests that need a program from outside Rust (Chromium, Java and the Nu checker,
//! util-linux `script`) ask [`tool_is_installed`] first, so that the README's `cargo test`
//! passes on a machine with only Rust installed, saying loudly what it skipped.
//!
//! Every test runs in this one process: nothing here changes the process itself (its
//! environment, current folder or limits); what a test needs changed it sets on the child.

pub mod chromium;
pub mod golden;
pub mod html;
pub mod http;
pub mod run;
pub mod sandbox;
pub mod serve;
pub mod site;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use golden::{assert_golden, Transcript};
pub use html::{category_others, links_to, others_titles, percent, rel_link, OtherPost};
pub use run::{run_bounded, Output, Run};
pub use site::{assert_output_kept, built_good_site, copy_dir, snapshot, Site};

/// The repository: the sample blog and the default theme live here.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>`: fixture sites, old blogs to import and golden files.
pub fn fixture(rel: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(rel)
}

/// The environment variable that makes a missing outside tool a failure (`.ci/run` sets
/// it after installing them all), so that CI never skips a test unnoticed.
pub const REQUIRE_TOOLS: &str = "ILJI_REQUIRE_TOOLS";

/// Whether the outside tool a test needs is here: `tool` is a program looked up on PATH
/// (`chromium`), or a file when it is a path (`target/vnu/vnu.jar`); `get_it` says how to
/// get it (`install it with …`). A test returns at once when it is not: this prints
/// `SKIPPED <test>: …` to the terminal (past the harness's capture, which would hide it in a
/// passing test). With `ILJI_REQUIRE_TOOLS=1` it panics instead, failing the test.
pub fn tool_is_installed(tool: &str, get_it: &str) -> bool {
    let found = if tool.contains('/') {
        Path::new(tool).is_file()
    } else {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| is_program(&dir.join(tool))))
    };
    if found {
        return true;
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let missing = format!(
        "{tool} is missing; {get_it}, or run .ci/run (which installs every tool the tests use)"
    );
    let required = std::env::var_os(REQUIRE_TOOLS).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{test}: {missing} ({REQUIRE_TOOLS} is set: a missing tool is a failure)"
    );
    // `eprintln!` is captured by the test harness and shown only for failing tests.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {missing}");
    false
}

/// An executable file (or a link to one).
fn is_program(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// A post's Markdown with the three required front-matter keys and `more` lines of front
/// matter (`"draft: true"`, `"slug: x"`, or "" for none), for sites a test writes itself.
pub fn post(title: &str, date: &str, category: &str, more: &str, body: &str) -> String {
    let mut front = format!("title: {title}\ndate: {date}\ncategory: {category}\n");
    if !more.is_empty() {
        front.push_str(more.trim_end());
        front.push('\n');
    }
    format!("---\n{front}---\n{body}\n")
}

/// Sends `signal` to the process `pid` (without the `kill` program, which a machine with only
/// Rust may lack).
#[cfg(unix)]
pub fn send_signal(pid: u32, signal: rustix::process::Signal) -> std::io::Result<()> {
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or_else(|| std::io::Error::other("not a process id"))?;
    rustix::process::kill_process(pid, signal).map_err(std::io::Error::from)
}
