//! How the binary talks to a person: errors and warnings on stderr (coloured on a terminal
//! unless `NO_COLOR` is set), one summary line on stdout, `--quiet` and `--verbose`, and a
//! progress bar for builds long enough to need one.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ilji::build::Progress;
use ilji::error::{Diagnostic, Error};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless the NO_COLOR environment variable is set.
    Auto,
    Always,
    Never,
}

/// How much to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

pub struct Term {
    /// Colour on stderr and stdout.
    color_err: bool,
    color_out: bool,
    pub verbosity: Verbosity,
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const GREEN: &str = "\x1b[1;32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Term {
    pub fn new(choice: ColorChoice, verbosity: Verbosity) -> Term {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |is_terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        };
        Term {
            color_err: decide(std::io::stderr().is_terminal()),
            color_out: decide(std::io::stdout().is_terminal()),
            verbosity,
        }
    }

    fn paint(&self, on: bool, style: &str, text: &str) -> String {
        if on {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    fn diagnostic(&self, label: &str, style: &str, d: &Diagnostic) {
        let c = self.color_err;
        let mut text = format!(
            "{} {}: {}",
            self.paint(c, style, &format!("{label}:")),
            self.paint(c, BOLD, &d.location()),
            d.message
        );
        if let Some(help) = &d.help {
            text.push_str(&format!("\n  {} {help}", self.paint(c, CYAN, "help:")));
        }
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    pub fn errors(&self, err: &Error) {
        for d in &err.diagnostics {
            self.diagnostic("error", RED, d);
        }
    }

    pub fn warning(&self, d: &Diagnostic) {
        self.diagnostic("warning", YELLOW, d);
    }

    /// A line of information on stderr (`scheduled: …`), not shown with `--quiet`.
    pub fn info(&self, label: &str, text: &str) {
        if self.verbosity != Verbosity::Quiet {
            let label = self.paint(self.color_err, CYAN, &format!("{label}:"));
            let _ = writeln!(std::io::stderr().lock(), "{label} {text}");
        }
    }

    /// Details shown only with `--verbose`.
    pub fn detail(&self, text: &str) {
        if self.verbosity == Verbosity::Verbose {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }

    /// The one summary line on stdout (`built …`, `checked …`), not shown with `--quiet`;
    /// `verb` is coloured green, or red when `failed`.
    pub fn summary(&self, verb: &str, rest: &str, failed: bool) {
        if self.verbosity != Verbosity::Quiet {
            let style = if failed { RED } else { GREEN };
            let verb = self.paint(self.color_out, style, verb);
            let _ = writeln!(std::io::stdout().lock(), "{verb} {rest}");
        }
    }

    /// A progress bar on stderr for the pages of a build, drawn only on a terminal (not with
    /// `--quiet`) and only once the build has taken `after`; stopped by dropping the guard.
    pub fn progress(&self, progress: &Arc<Progress>, after: Duration) -> ProgressGuard {
        let done = Arc::new(AtomicBool::new(false));
        let draws = self.verbosity != Verbosity::Quiet && std::io::stderr().is_terminal();
        let thread = draws.then(|| {
            let progress = Arc::clone(progress);
            let done = Arc::clone(&done);
            std::thread::spawn(move || draw_progress(&progress, &done, after))
        });
        ProgressGuard { done, thread }
    }
}

pub struct ProgressGuard {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for ProgressGuard {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn draw_progress(progress: &Progress, done: &AtomicBool, after: Duration) {
    // Often enough that a build of a fraction of a second shows its bar; indicatif limits how
    // often it redraws.
    let tick = Duration::from_millis(10);
    let mut waited = Duration::ZERO;
    while waited < after {
        if done.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(tick);
        waited += tick;
    }
    let reading = indicatif::ProgressStyle::with_template("{prefix} {spinner} {msg}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    let rendering =
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} pages")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
    let bar = indicatif::ProgressBar::new(0).with_style(reading);
    bar.set_prefix("building");
    bar.set_message("reading posts");
    let mut counting = false;
    while !done.load(Ordering::Relaxed) {
        let (n, total) = progress.get();
        if total > 0 {
            if !counting {
                bar.set_style(rendering.clone());
                bar.set_length(total as u64);
                counting = true;
            }
            bar.set_position(n as u64);
        } else {
            bar.tick();
        }
        std::thread::sleep(tick);
    }
    bar.finish_and_clear();
}
