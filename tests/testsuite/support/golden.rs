//! Golden files: what a run printed or published, compared whole with a file under
//! `tests/fixtures/` and shown as a line diff when it differs.
//!
//! `ILJI_BLESS=1 cargo test` writes the files instead of comparing (only those that
//! differ, and only for the tests that ran), so that a change of an error message or of the
//! feeds is one command and then a review of `git diff tests/fixtures/`. Paths of the run's
//! temporary folders are written as `[ROOT]` and the like (see [`crate::support::Run::redact`]),
//! so that a golden file is the same on every machine.

use std::fs;

use super::fixture;

/// The environment variable that turns comparing into writing.
pub const BLESS: &str = "ILJI_BLESS";

fn blessing() -> bool {
    std::env::var_os(BLESS).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Asserts that `actual` is the text of the golden file `name` (relative to
/// `tests/fixtures/`); with `ILJI_BLESS=1` it writes `actual` there instead.
#[track_caller]
pub fn assert_golden(name: &str, actual: &str) {
    let path = fixture(name);
    let expected = fs::read_to_string(&path).ok();
    if expected.as_deref() == Some(actual) {
        return;
    }
    if blessing() {
        fs::create_dir_all(path.parent().expect("a golden file's folder"))
            .expect("create a golden file's folder");
        fs::write(&path, actual).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        return;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("the test")
        .to_owned();
    let bless = format!(
        "If the change is meant, run `{BLESS}=1 cargo test --test testsuite {test}` and review \
         `git diff tests/fixtures/`."
    );
    match expected {
        None => panic!(
            "the golden file tests/fixtures/{name} does not exist; it would hold:\n{actual}\n{bless}"
        ),
        Some(expected) => panic!(
            "tests/fixtures/{name} differs from what the run gave (-golden +actual):\n{}\n{bless}",
            diff(&expected, actual)
        ),
    }
}

/// The output of several runs in one golden file, each under its command line, like a
/// terminal session (the form of cobalt's trycmd cases).
#[derive(Default)]
pub struct Transcript {
    text: String,
}

impl Transcript {
    pub fn new() -> Transcript {
        Transcript::default()
    }

    /// Adds a run: `$ ilji <args>`, then its (redacted) stderr.
    pub fn push(&mut self, run: &super::Output) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text
            .push_str(&format!("$ {}\n{}", run.command, run.stderr_redacted));
    }

    /// Compares the whole transcript with the golden file `name`.
    #[track_caller]
    pub fn assert(&self, name: &str) {
        assert_golden(name, &self.text);
    }
}

/// A line diff of `old` and `new` (longest common subsequence), with two lines of context
/// around each change.
fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', a[i]));
            i += 1;
        } else {
            lines.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        lines[k.saturating_sub(2)..(k + 3).min(lines.len())]
            .iter()
            .any(|(c, _)| *c != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (mark, line)) in lines.iter().enumerate() {
        if !near_change(k) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("   …\n");
            skipped = false;
        }
        out.push(*mark);
        out.push(' ');
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("⏎ (no newline at the end)\n");
        }
    }
    out
}

#[test]
fn the_diff_marks_changed_lines_with_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\n";
    let new = "a\nb\nc\nD\ne\nf\ng\nh";
    assert_eq!(
        diff(old, new),
        "   …\n  b\n  c\n- d\n+ D\n  e\n  f\n  g\n+ h⏎ (no newline at the end)\n"
    );
}
