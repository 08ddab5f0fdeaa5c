//! How the binary talks to a person: errors and warnings on stderr (coloured on a terminal
//! unless `NO_COLOR` is set), one summary line on stdout, `--quiet` and `--verbose`, and a
//! progress bar for builds long enough to need one.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
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
    /// The site's folder, which relative paths of diagnostics start from.
    root: PathBuf,
}

const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default();
const BOLD: Style = Style::new().bold();

impl Term {
    pub fn new(choice: ColorChoice, verbosity: Verbosity, root: &Path) -> Term {
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
            root: root.to_owned(),
        }
    }

    fn paint(&self, on: bool, style: Style, text: &str) -> String {
        if on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn diagnostic(&self, label: &str, style: Style, d: &Diagnostic) {
        let c = self.color_err;
        let mut text = format!(
            "{} {}: {}",
            self.paint(c, style, &format!("{label}:")),
            self.paint(c, BOLD, &d.location()),
            d.message
        );
        if let Some(excerpt) = self.excerpt(d) {
            text.push_str(&excerpt.paint(|t| self.paint(c, CYAN, t)));
        }
        if let Some(help) = &d.help {
            text.push_str(&format!("\n  {} {help}", self.paint(c, CYAN, "help:")));
        }
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    /// The line a diagnostic points at, read again from the site's file.
    fn excerpt(&self, d: &Diagnostic) -> Option<Excerpt> {
        let line = d.line?;
        let path = self.root.join(&d.path);
        // Only a file of the site: not a template name, nor a folder or a device.
        if !std::fs::metadata(&path).ok()?.is_file() {
            return None;
        }
        let file = std::io::BufReader::new(std::fs::File::open(&path).ok()?);
        let text = std::io::BufRead::split(file, b'\n')
            .nth(line.checked_sub(1)?)?
            .ok()?;
        Some(Excerpt::new(
            line,
            &String::from_utf8_lossy(&text),
            d.column,
        ))
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

/// A source line under a diagnostic, as rustc and `just` show it, with a caret under the
/// column when there is one:
///
/// ```text
///   |
/// 3 | date: 2024-13-01
///   |       ^
/// ```
#[derive(Debug, PartialEq, Eq)]
struct Excerpt {
    number: String,
    /// The line as a terminal may show it: tabs as four spaces, other control characters
    /// (which a stranger's post may hold, to move the cursor or recolour the screen) as `�`.
    shown: String,
    /// Terminal cells before the caret (Hangul and other wide characters take two).
    caret_at: Option<usize>,
}

/// Terminal cells of a long line shown on each side of the column; a line of up to twice as
/// many is shown whole.
const EXCERPT_CONTEXT: usize = 50;

impl Excerpt {
    fn new(number: usize, line: &str, column: Option<usize>) -> Excerpt {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Each character as the terminal is sent it, with the cells it takes.
        let cells: Vec<(char, usize)> = line
            .chars()
            .map(|c| match c {
                '\t' => ('\t', 4),
                c if c.is_control() => ('\u{fffd}', 1),
                c => (c, unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)),
            })
            .collect();
        // Column 1 is the first character; a column past the end points just after it.
        let col = column.map(|c| c.max(1).min(cells.len() + 1) - 1);
        let width = |range: &[(char, usize)]| range.iter().map(|&(_, w)| w).sum::<usize>();
        let (mut start, mut end) = (0, cells.len());
        if width(&cells) > 2 * EXCERPT_CONTEXT {
            let at = col.unwrap_or(0);
            while start < at && width(&cells[start..at]) > EXCERPT_CONTEXT {
                start += 1;
            }
            end = at;
            while end < cells.len() && width(&cells[at..=end]) <= EXCERPT_CONTEXT {
                end += 1;
            }
        }
        let mut shown = String::from(if start > 0 { "…" } else { "" });
        let caret_at = col.map(|c| usize::from(start > 0) + width(&cells[start..c.max(start)]));
        for &(c, _) in &cells[start..end] {
            match c {
                '\t' => shown.push_str("    "),
                c => shown.push(c),
            }
        }
        if end < cells.len() {
            shown.push('…');
        }
        Excerpt {
            number: number.to_string(),
            shown,
            caret_at,
        }
    }

    /// The lines to print after the diagnostic's own, gutters styled by `gutter`.
    fn paint(&self, gutter: impl Fn(&str) -> String) -> String {
        let blank = " ".repeat(self.number.len());
        let bar = gutter(&format!("{blank} |"));
        let mut out = format!(
            "\n{bar}\n{} {}",
            gutter(&format!("{} |", self.number)),
            self.shown
        );
        if let Some(at) = self.caret_at {
            out.push_str(&format!("\n{bar} {}^", " ".repeat(at)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Excerpt;

    fn plain(e: &Excerpt) -> String {
        e.paint(str::to_owned)
    }

    #[test]
    fn a_caret_stands_under_the_column() {
        let e = Excerpt::new(3, "date: 2024-13-01", Some(7));
        assert_eq!(plain(&e), "\n  |\n3 | date: 2024-13-01\n  |       ^");
    }

    #[test]
    fn hangul_takes_two_cells_and_tabs_four() {
        let e = Excerpt::new(12, "제목:\t\"끝", Some(5));
        assert_eq!(plain(&e), "\n   |\n12 | 제목:    \"끝\n   |          ^");
    }

    #[test]
    fn control_characters_are_not_sent_to_the_terminal() {
        let e = Excerpt::new(1, "a\u{1b}[31mb\r", None);
        assert_eq!(plain(&e), "\n  |\n1 | a\u{fffd}[31mb");
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("{}X{}", "가".repeat(200), "b".repeat(200));
        let e = Excerpt::new(1, &line, Some(201));
        let text = plain(&e);
        let shown = text.lines().nth(2).unwrap();
        let expected = format!("1 | …{}X{}…", "가".repeat(25), "b".repeat(49));
        assert_eq!(shown, expected);
        let caret = text.lines().nth(3).unwrap();
        assert_eq!(caret, format!("  | {}^", " ".repeat(1 + 50)));
        // A line that fits is shown whole.
        let e = Excerpt::new(1, &"가".repeat(50), Some(50));
        assert!(!plain(&e).contains('…'));
    }

    #[test]
    fn a_column_past_the_end_points_after_the_line() {
        let e = Excerpt::new(1, "title: \"열림", Some(99));
        assert_eq!(plain(&e), "\n  |\n1 | title: \"열림\n  |             ^");
    }
}
