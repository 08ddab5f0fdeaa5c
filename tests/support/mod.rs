//! The harness of the integration tests: a throwaway site on disk ([`Site`]), a fluent
//! runner for the real `ilji` binary ([`Run`]) in the style of casey/just's `tests/test.rs`,
//! and readers for what a build publishes (files of `public/`, the category-others list,
//! the links of a page).
//!
//! It knows the default theme's markup only where SPEC.md fixes it (the
//! `<nav class="category-others">` list) and the `rel="prev"`/`rel="next"` links.
//!
//! Tests that need a program from outside Rust (Chromium, Java and the Nu checker,
//! util-linux `script`) ask [`tool_is_installed`] first, so that the README's `cargo test`
//! passes on a machine with only Rust installed, saying loudly what it skipped.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The repository: the sample blog and the default theme live here.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The environment variable that makes a missing outside tool a failure (`.ci/run` sets
/// it after installing them all), so that CI never skips a test unnoticed.
pub const REQUIRE_TOOLS: &str = "ILJI_REQUIRE_TOOLS";

/// Whether the outside tool a test needs is here: `tool` is a program looked up on PATH
/// (`chromium`), or a file when it is a path (`target/vnu/vnu.jar`); `get_it` says how to
/// get it (`install it with …`). A test returns at once when it is not: this prints `SKIPPED <test>: …` to the
/// terminal (past the harness's capture, which would hide it in a passing test). With
/// `ILJI_REQUIRE_TOOLS=1` it panics instead, failing the test.
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

/// A site in a temporary folder, with the repository's default theme copied in.
pub struct Site {
    dir: TempDir,
}

impl Site {
    /// An empty site (no site.yaml, no content) with `themes/default`.
    pub fn new() -> Site {
        let dir = TempDir::new().expect("create a temporary site folder");
        copy_dir(
            &repo_root().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        Site { dir }
    }

    /// Adds a file (`/`-separated path relative to the site root).
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Site {
        self.write(path, contents);
        self
    }

    /// Writes (or replaces) a file after the site was made, e.g. to break it.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let path = self.root().join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create the file's folder");
        }
        fs::write(&path, contents).expect("write a fixture file");
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `ilji <args>` run in the site's folder, expected to succeed unless told otherwise.
    pub fn ilji<'a>(&self, args: impl IntoIterator<Item = &'a str>) -> Run {
        Run::new(self.root()).args(args)
    }

    /// `ilji build`.
    pub fn build(&self) -> Run {
        self.ilji(["build"])
    }

    /// A published file (`/`-separated, relative to `public/`), as text.
    pub fn read(&self, rel: &str) -> String {
        read_text(&self.root().join("public").join(rel))
    }

    /// The HTML published for a root-relative URL path such as `/posts/a/` (not encoded).
    pub fn page(&self, url_path: &str) -> String {
        self.read(&index_file(url_path))
    }

    /// Whether a URL path such as `/page/4/` was published.
    pub fn has_page(&self, url_path: &str) -> bool {
        self.has(&index_file(url_path))
    }

    /// Whether a file (relative to `public/`) was published.
    pub fn has(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).is_file()
    }

    /// Every file of `public/` with its bytes, to compare two moments of the output.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.root().join("public"))
    }

    /// Names of the entries of the site's folder that a build left behind as staging.
    pub fn staging_leftovers(&self) -> Vec<String> {
        fs::read_dir(self.root())
            .expect("list the site folder")
            .map(|e| e.expect("read a folder entry").file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n.contains("ilji-staging"))
            .collect()
    }
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

fn index_file(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    format!("{trimmed}index.html")
}

fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Copies the folder `from` to `to`, what it holds included.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a theme folder");
    for entry in fs::read_dir(from).expect("list the theme") {
        let entry = entry.expect("read a theme entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a theme file");
        }
    }
}

/// Every file below `dir` (relative path → bytes); empty when `dir` does not exist.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("read an output entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("below base").to_path_buf();
                out.insert(rel, fs::read(&path).expect("read an output file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// One run of the binary and what is expected of it.
#[must_use = "call .run() to run the binary"]
pub struct Run {
    cwd: PathBuf,
    args: Vec<String>,
    status: i32,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    stderr_lacks: Vec<String>,
    env: Vec<(String, Option<String>)>,
}

/// What a run printed.
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn new(cwd: &Path) -> Run {
        Run {
            cwd: cwd.to_path_buf(),
            args: Vec::new(),
            status: 0,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            stderr_lacks: Vec::new(),
            env: vec![("NO_COLOR".to_owned(), Some("1".to_owned()))],
        }
    }

    /// Sets (`Some`) or removes (`None`) an environment variable for the run (by default
    /// `NO_COLOR=1` is set).
    pub fn env(mut self, key: &str, value: Option<&str>) -> Run {
        self.env.push((key.to_owned(), value.map(str::to_owned)));
        self
    }

    pub fn arg(mut self, arg: impl AsRef<str>) -> Run {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<'a>(mut self, args: impl IntoIterator<Item = &'a str>) -> Run {
        self.args.extend(args.into_iter().map(str::to_owned));
        self
    }

    /// The exit status expected (0 unless told).
    pub fn status(mut self, code: i32) -> Run {
        self.status = code;
        self
    }

    /// A site error: exit status 1.
    pub fn failure(self) -> Run {
        self.status(1)
    }

    pub fn stdout_has(mut self, text: impl Into<String>) -> Run {
        self.stdout_has.push(text.into());
        self
    }

    pub fn stderr_has(mut self, text: impl Into<String>) -> Run {
        self.stderr_has.push(text.into());
        self
    }

    pub fn stderr_lacks(mut self, text: impl Into<String>) -> Run {
        self.stderr_lacks.push(text.into());
        self
    }

    /// Runs the binary and checks every expectation, showing all it printed on a mismatch.
    pub fn run(self) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ilji"));
        command
            .args(&self.args)
            .current_dir(&self.cwd)
            .env_remove("ILJI_TIMINGS");
        for (key, value) in &self.env {
            match value {
                Some(v) => command.env(key, v),
                None => command.env_remove(key),
            };
        }
        let out = command.output().expect("run the ilji binary");
        let output = Output {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let shown = || {
            format!(
                "ilji {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                self.args.join(" "),
                output.stdout,
                output.stderr
            )
        };
        assert_eq!(
            out.status.code(),
            Some(self.status),
            "unexpected exit status\n{}",
            shown()
        );
        let quiet = self.args.iter().any(|a| a == "--quiet" || a == "-q");
        if self.status == 0 && !quiet {
            assert!(
                !output.stdout.trim().is_empty(),
                "a successful build prints a summary line\n{}",
                shown()
            );
            assert!(
                !output.stderr.contains("error:"),
                "a successful run printed an error\n{}",
                shown()
            );
        }
        for text in &self.stdout_has {
            assert!(
                output.stdout.contains(text.as_str()),
                "stdout lacks {text:?}\n{}",
                shown()
            );
        }
        for text in &self.stderr_has {
            assert!(
                output.stderr.contains(text.as_str()),
                "stderr lacks {text:?}\n{}",
                shown()
            );
        }
        for text in &self.stderr_lacks {
            assert!(
                !output.stderr.contains(text.as_str()),
                "stderr has {text:?}\n{}",
                shown()
            );
        }
        output
    }
}

/// A post's Markdown with the three required front-matter keys and `more` lines of front
/// matter (`"draft: true"`, `"slug: x"`, or "" for none).
pub fn post(title: &str, date: &str, category: &str, more: &str, body: &str) -> String {
    let mut front = format!("title: {title}\ndate: {date}\ncategory: {category}\n");
    if !more.is_empty() {
        front.push_str(more.trim_end());
        front.push('\n');
    }
    format!("---\n{front}---\n{body}\n")
}

/// One entry of the "other posts in this category" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherPost {
    pub title: String,
    pub url: String,
    /// As printed: `(1)`.
    pub comments: String,
    /// The `datetime` attribute.
    pub datetime: String,
    /// The date as shown.
    pub date: String,
}

/// The entries of the `<nav class="category-others">` list of a post page, in order;
/// empty when the page has none.
pub fn category_others(html: &str) -> Vec<OtherPost> {
    let Some(start) = html.find(r#"<nav class="category-others""#) else {
        return Vec::new();
    };
    let nav = &html[start..];
    let nav = &nav[..nav
        .find("</nav>")
        .expect("the category-others nav is closed")];
    nav.split("<li>")
        .skip(1)
        .map(|li| OtherPost {
            url: unescape(between(li, "<a href=\"", "\"")),
            title: unescape(between(li, "\">", "</a>")),
            comments: between(li, r#"<span class="comment-count">"#, "</span>").to_owned(),
            datetime: between(li, r#"<time datetime=""#, "\"").to_owned(),
            date: unescape(
                between(li, "<time", "</time>")
                    .split_once('>')
                    .map_or("", |(_, shown)| shown),
            ),
        })
        .collect()
}

/// The titles of the category-others list, in order.
pub fn others_titles(html: &str) -> Vec<String> {
    category_others(html).into_iter().map(|o| o.title).collect()
}

/// The `href` of the link marked `rel="<rel>"` (`prev`, `next`) that points at a post.
pub fn rel_link(html: &str, rel: &str) -> Option<String> {
    let marker = format!(r#"rel="{rel}""#);
    html.match_indices(&marker).find_map(|(i, _)| {
        let tag_start = html[..i].rfind('<')?;
        let tag = &html[tag_start..i];
        let href = tag.split("href=\"").nth(1)?.split('"').next()?;
        href.contains("/posts/").then(|| href.to_owned())
    })
}

/// Every distinct `href` of a page that starts with `prefix`, in order of appearance.
pub fn links_to(html: &str, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let href = part.split('"').next().unwrap_or("");
        if href.starts_with(prefix) && !found.iter().any(|f| f == href) {
            found.push(href.to_owned());
        }
    }
    found
}

/// `text` as it appears in an `href`: every byte outside printable ASCII, and space,
/// percent-encoded.
pub fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_graphic() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let Some(i) = text.find(open) else {
        return "";
    };
    let rest = &text[i + open.len()..];
    &rest[..rest.find(close).unwrap_or(rest.len())]
}

/// Undoes Tera's HTML escaping.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}
