//! What a build prints for people: its warnings together, then one summary line; colour on
//! a terminal (util-linux `script` gives it one) unless `NO_COLOR` or `--color never`;
//! `--quiet` and `--verbose`; the progress bar of a long build on a terminal. The site is
//! the fixture `terminal/warning` (one warning, one draft).

use crate::output::big_site;
use crate::support::{tool_is_installed, Site};

/// A site whose build succeeds with one warning (a comments file of no post) and one draft.
fn site_with_a_warning() -> Site {
    Site::fixture("terminal/warning")
}

/// How to get util-linux `script`, which [`in_terminal`] runs (Debian's bsdutils).
const SCRIPT_INSTALL: &str = "install it with `apt-get install -y bsdutils`";

/// `ilji <args>` in `dir` under a pseudo-terminal (util-linux `script`), so that the
/// binary sees a terminal on stdout and stderr; returns everything it printed.
fn in_terminal(dir: &std::path::Path, args: &str, env: &[(&str, &str)]) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_ilji"));
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    for (k, v) in env {
        script.env(k, v);
    }
    let out = script.output().expect("run ilji under `script`");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_build_ends_with_its_warnings_together_then_one_summary_line() {
    let site = site_with_a_warning();
    let out = site
        .build()
        .stdout_has("built ")
        .stdout_has("(1 post, 1 category, 0 tags)")
        .stdout_has(", 1 warning")
        .stderr_golden("terminal/warning.stderr")
        .run();
    assert_eq!(
        out.stdout.lines().count(),
        1,
        "one summary line: {}",
        out.stdout
    );
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stderr.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
}

#[test]
fn colour_is_used_on_a_terminal_unless_no_color_is_set_or_never_is_asked() {
    if !tool_is_installed("script", SCRIPT_INSTALL) {
        return;
    }
    let site = site_with_a_warning();
    let shown = in_terminal(site.root(), "build", &[]);
    assert!(shown.contains("\u{1b}[1m\u{1b}[33mwarning:"), "{shown:?}");
    assert!(shown.contains("\u{1b}[1m\u{1b}[32mbuilt"), "{shown:?}");

    let plain = in_terminal(site.root(), "build", &[("NO_COLOR", "1")]);
    assert!(
        plain.contains("warning:") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
    let never = in_terminal(site.root(), "build --color never", &[]);
    assert!(!never.contains('\u{1b}'), "{never:?}");

    // And forced on for a pipe.
    site.build()
        .args(["--color", "always"])
        .env("NO_COLOR", None)
        .stderr_has("\u{1b}[1m\u{1b}[33mwarning:")
        .run();
}

#[test]
fn quiet_keeps_only_warnings_and_errors_and_verbose_adds_timings_and_drafts() {
    let site = site_with_a_warning();
    let out = site
        .build()
        .arg("--quiet")
        .stderr_golden("terminal/quiet.stderr")
        .run();
    assert_eq!(out.stdout, "", "no summary with --quiet");

    site.build()
        .arg("--verbose")
        .stderr_has("timing: content")
        .stderr_has("timing: posts")
        .stderr_has("timing: other pages and index")
        .stderr_has("  draft: content/posts/b.md")
        .stdout_has("built ")
        .run();

    site.ilji(["build", "--quiet", "--verbose"]).status(2).run();
}

#[test]
fn a_long_build_on_a_terminal_shows_a_progress_bar() {
    if !tool_is_installed("script", SCRIPT_INSTALL) {
        return;
    }
    // Enough posts that writing the pages takes a tenth of a second or more: the bar is
    // drawn once the pages are counted.
    let site = big_site("title: 큰 블로그\nbase_url: https://example.org/\n");
    let shown = in_terminal(site.root(), "build", &[("ILJI_PROGRESS_AFTER_MS", "0")]);
    assert!(shown.contains("building ["), "a progress bar: {shown:?}");
    assert!(shown.contains("built"), "{shown:?}");
    // Not for a pipe, and not with --quiet.
    site.build()
        .env("ILJI_PROGRESS_AFTER_MS", Some("0"))
        .stderr_lacks("building [")
        .run();
    let quiet = in_terminal(
        site.root(),
        "build --quiet",
        &[("ILJI_PROGRESS_AFTER_MS", "0")],
    );
    assert!(!quiet.contains("building ["), "{quiet:?}");
}
