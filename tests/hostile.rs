//! A site from a stranger: values in content that try to make ilji write, delete or read
//! outside the site and its output (aliases with `..`, an `--output` inside the sources,
//! links out of the site), run through the real binary in `build`, `check`, `serve` and
//! `import`. Two property tests generate such sites: one with hostile values in every field
//! that becomes a path, one with hostile YAML, Markdown and file names (a bounded fuzz
//! run; `bench/fuzz.sh` runs it longer). Each asserts that nothing outside the output
//! folder changes, that ilji never panics or hangs, and that errors name the user's file.

#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use support::{copy_dir, post, repo_root, Run};
use tempfile::TempDir;

/// A site four folders deep in a sandbox, with a file at every level above it that no build
/// may touch: `sandbox/victim.txt`, `sandbox/a/victim.txt`, … `sandbox/a/b/c/d/site/`.
struct Sandbox {
    dir: TempDir,
}

/// Every file and folder of a tree with what it holds and when it was last written: a
/// rewrite with the same bytes shows too.
type Tree = BTreeMap<PathBuf, (Vec<u8>, Option<SystemTime>)>;

impl Sandbox {
    fn new() -> Sandbox {
        let dir = TempDir::new().expect("a sandbox folder");
        let site = dir.path().join("a/b/c/d/site");
        copy_dir(
            &repo_root().join("themes/default"),
            &site.join("themes/default"),
        );
        let mut level = dir.path().to_path_buf();
        for part in ["", "a", "b", "c", "d"] {
            level.push(part);
            fs::write(level.join("victim.txt"), "아무도 건드리면 안 되는 파일\n").expect("victim");
        }
        fs::write(site.join("site.yaml"), "title: 낯선 사람의 블로그\n").expect("site.yaml");
        let sandbox = Sandbox { dir };
        sandbox.write("content/about.md", "---\ntitle: 소개\n---\n소개 글.\n");
        sandbox.write(
            "content/posts/fine.md",
            post("멀쩡한 글", "2025-01-01", "일지", "", "본문."),
        );
        sandbox
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("a/b/c/d/site")
    }

    /// Writes a file of the site (`rel` relative to the site's folder).
    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.site().join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        fs::write(path, contents).expect("a site file");
    }

    /// Everything in the sandbox but the output and what a build keeps beside it (its spare
    /// and staging folders).
    fn outside_output(&self) -> Tree {
        let site = self.site();
        let skip = |p: &Path| {
            p == site.join("public")
                || p.parent() == Some(site.as_path())
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(".public.ilji-"))
        };
        tree(self.dir.path(), &skip)
    }

    /// Everything in the sandbox, the output included (for `check`, which writes nothing).
    fn everything(&self) -> Tree {
        tree(self.dir.path(), &|_| false)
    }

    fn ilji<'a>(&self, args: impl IntoIterator<Item = &'a str>) -> Run {
        Run::new(&self.site()).args(args)
    }
}

fn tree(root: &Path, skip: &dyn Fn(&Path) -> bool) -> Tree {
    fn walk(root: &Path, dir: &Path, skip: &dyn Fn(&Path) -> bool, out: &mut Tree) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if skip(&path) {
                continue;
            }
            let meta = fs::symlink_metadata(&path).expect("metadata");
            let rel = path
                .strip_prefix(root)
                .expect("below the root")
                .to_path_buf();
            if meta.is_dir() {
                out.insert(rel, (Vec::new(), None));
                walk(root, &path, skip, out);
            } else {
                let bytes = if meta.is_file() {
                    fs::read(&path).expect("a file")
                } else {
                    fs::read_link(&path)
                        .map(|t| t.into_os_string().into_encoded_bytes())
                        .unwrap_or_default()
                };
                out.insert(rel, (bytes, meta.modified().ok()));
            }
        }
    }
    let mut out = Tree::new();
    walk(root, root, skip, &mut out);
    out
}

/// What changed between two trees, in a few lines.
fn changes(before: &Tree, after: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    for (path, v) in after {
        match before.get(path) {
            None => out.push(format!("new: {}", path.display())),
            Some(old) if old != v => out.push(format!("changed: {}", path.display())),
            _ => {}
        }
    }
    out.extend(
        before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .map(|p| format!("gone: {}", p.display())),
    );
    out
}

/// The issue's post: aliases that climb to site.yaml, another post, and a file four folders
/// above the site.
const CLIMBING: &str = "---\ntitle: A\ndate: 2025-01-01\ncategory: x\naliases: [\"../site.yaml\", \"../content/about.md\", \"../../../../victim.txt\"]\n---\n본문\n";

#[test]
fn aliases_that_climb_out_are_errors_and_nothing_outside_changes() {
    let sandbox = Sandbox::new();
    sandbox.ilji(["build", "-q"]).run();
    sandbox.write("content/posts/evil.md", CLIMBING);
    let before = sandbox.everything();
    let out = sandbox
        .ilji(["build"])
        .failure()
        .stderr_has(
            "error: content/posts/evil.md:5:12: the alias `../site.yaml` cannot be published",
        )
        .stderr_has("error: content/posts/evil.md:5:28: the alias `../content/about.md`")
        .stderr_has("error: content/posts/evil.md:5:51: the alias `../../../../victim.txt`")
        .stderr_has("`..` part")
        .stderr_lacks("ilji-staging")
        .run();
    assert!(out.stderr.len() < 1500, "brief: {}", out.stderr);
    assert_eq!(
        changes(&before, &sandbox.everything()),
        Vec::<String>::new()
    );

    // `check` says the same, and writes nothing either.
    sandbox
        .ilji(["check"])
        .failure()
        .stderr_has("error: content/posts/evil.md:5:12: the alias `../site.yaml`")
        .run();
    assert_eq!(
        changes(&before, &sandbox.everything()),
        Vec::<String>::new()
    );

    // A standalone page is held to the same rule, for every spelling of the climb.
    fs::remove_file(sandbox.site().join("content/posts/evil.md")).expect("remove");
    for alias in [
        "/%2e%2e/%2e%2e/victim.txt",
        "..\\\\..\\\\victim.txt",
        "/a/../../victim.txt",
    ] {
        sandbox.write(
            "content/company/history.md",
            format!("---\ntitle: 연혁\naliases:\n  - /old/\n  - \"{alias}\"\n---\n"),
        );
        let before = sandbox.everything();
        sandbox
            .ilji(["build"])
            .failure()
            .stderr_has("error: content/company/history.md:")
            .stderr_has(": the alias `")
            .run();
        assert_eq!(
            changes(&before, &sandbox.everything()),
            Vec::<String>::new(),
            "{alias}"
        );
    }
}

/// `ilji serve` in the sandbox's site, on a free port, until dropped.
struct Serve {
    child: Child,
    stderr: std::sync::mpsc::Receiver<String>,
}

impl Serve {
    fn start(site: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ilji"))
            .args(["serve", "--port", "0"])
            .current_dir(site)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ilji serve");
        let mut url = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut url)
            .expect("the preview's URL");
        assert!(url.starts_with("http://"), "{url}");
        let (tx, stderr) = std::sync::mpsc::channel();
        let pipe = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Serve { child, stderr }
    }

    /// Waits (at most 20 s) for a line of stderr that contains `text`; every line read.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = String::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                    if line.contains(text) {
                        return seen;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("serve never printed {text:?}; it printed:\n{seen}");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_refuses_climbing_aliases_at_start_and_on_a_save() {
    let sandbox = Sandbox::new();
    sandbox.write("content/posts/evil.md", CLIMBING);
    let before = sandbox.outside_output();
    let serve = Serve::start(&sandbox.site());
    serve.wait_for("content/posts/evil.md:5:12: the alias `../site.yaml` cannot be published");
    // Fixed, then broken again by a save while it serves.
    sandbox.write(
        "content/posts/evil.md",
        post("A", "2025-01-01", "x", "", "고친 본문."),
    );
    serve.wait_for("page(s) rendered");
    sandbox.write("content/posts/evil.md", CLIMBING);
    serve.wait_for("the alias `../../../../victim.txt` cannot be published");
    drop(serve);
    let after = sandbox.outside_output();
    let changed: Vec<String> = changes(&before, &after)
        .into_iter()
        .filter(|c| !c.ends_with("content/posts/evil.md"))
        .collect();
    assert_eq!(changed, Vec::<String>::new());
}

#[test]
fn import_refuses_old_addresses_that_climb_out() {
    let sandbox = Sandbox::new();
    let hugo = sandbox.dir.path().join("old-hugo");
    fs::create_dir_all(hugo.join("content/posts")).expect("a Hugo site");
    fs::write(
        hugo.join("content/posts/evil.md"),
        "+++\ntitle = \"A\"\ndate = 2021-03-04\nurl = \"../../../../victim.txt\"\n+++\n본문\n",
    )
    .expect("a Hugo post");
    fs::write(
        hugo.join("content/posts/evil2.md"),
        "---\ntitle: B\ndate: 2021-03-05\naliases:\n  - /fine/\n  - ../../../site.yaml\n---\n본문\n",
    )
    .expect("a Hugo post");
    fs::write(
        hugo.join("content/posts/good.md"),
        "---\ntitle: C\ndate: 2021-03-06\n---\n본문\n",
    )
    .expect("a Hugo post");
    let before = sandbox.outside_output();
    let hugo_arg = hugo.to_str().expect("UTF-8");
    sandbox
        .ilji(["import", hugo_arg])
        .failure()
        .stderr_has("error: content/posts/evil.md:4: the old address `/../../../../victim.txt` cannot be published")
        .stderr_has("error: content/posts/evil2.md:4: the old address `/posts/../../../site.yaml`")
        .stdout_has("2 values refused")
        .run();
    let changed = changes(&before, &sandbox.outside_output());
    assert_eq!(
        changed,
        ["new: a/b/c/d/site/content/posts/2021-03-06-good.md"],
        "only the sound post is written"
    );
    sandbox.ilji(["build", "-q"]).run();
    assert_eq!(
        changes(&before, &sandbox.outside_output()),
        ["new: a/b/c/d/site/content/posts/2021-03-06-good.md"]
    );
}

#[test]
fn an_old_blogs_config_nested_too_deep_is_read_as_unreadable_not_for_minutes() {
    let sandbox = Sandbox::new();
    for (dialect, config, post) in [
        ("jekyll", "_config.yml", "_posts/2021-01-02-a.md"),
        ("hugo", "config.yaml", "content/posts/a.md"),
    ] {
        let old = sandbox.dir.path().join(dialect);
        fs::create_dir_all(old.join(post).parent().expect("a folder")).expect("an old blog");
        // serde_yaml takes minutes over this; ilji's nesting check, a moment.
        let deep = format!("permalink: /x/\nx: {}\n", "[".repeat(300_000));
        fs::write(old.join(config), deep).expect("a config");
        fs::write(
            old.join(post),
            "---\ntitle: 글\ndate: 2021-01-02\n---\n본문\n",
        )
        .expect("a post");
        let (status, stderr) =
            run_bounded(&sandbox.site(), &["import", old.to_str().expect("UTF-8")]);
        assert_eq!(status, Some(0), "{dialect}: {stderr}");
    }
    assert!(sandbox
        .site()
        .join("content/posts/2021-01-02-a.md")
        .is_file());
}

#[test]
fn outputs_in_the_sites_own_inputs_are_usage_errors() {
    let sandbox = Sandbox::new();
    sandbox.write("static/logo.txt", "로고");
    sandbox.write("templates/partials/.keep", "");
    let before = sandbox.everything();
    for output in [
        "templates",
        "static",
        "themes",
        "themes/default",
        "content",
        "content/posts",
        "content/new",
        "site.yaml",
        ".",
        "..",
    ] {
        for _ in 0..2 {
            // Twice: the second build is the one that used to delete the folder's files.
            sandbox
                .ilji(["build", "--output", output])
                .status(2)
                .stderr_has("error: --output ")
                .stderr_has("which a build would replace")
                .run();
        }
        assert_eq!(
            changes(&before, &sandbox.everything()),
            Vec::<String>::new(),
            "{output}"
        );
    }
    #[cfg(unix)]
    for target in ["templates", "static", "themes/default/templates"] {
        let link = sandbox.site().join("public");
        std::os::unix::fs::symlink(sandbox.site().join(target), &link).expect("a link");
        let before = sandbox.everything();
        for _ in 0..2 {
            sandbox
                .ilji(["build"])
                .failure()
                .stderr_has("error: ./public: this output folder is a link to the site's")
                .run();
        }
        assert_eq!(
            changes(&before, &sandbox.everything()),
            Vec::<String>::new(),
            "{target}"
        );
        fs::remove_file(link).expect("remove the link");
    }
}

#[test]
fn names_no_file_system_holds_are_errors_naming_the_post_and_field() {
    let long = "가".repeat(100);
    for (front, located) in [
        (format!("slug: {long}"), "content/posts/x.md:5: the slug"),
        (format!("tags: [{long}]"), "content/posts/x.md:5:8: the tag"),
        (
            "aliases: [\"a\\0b\"]".to_owned(),
            "content/posts/x.md:5: the alias",
        ),
        (
            "aliases: [\".\"]".to_owned(),
            "content/posts/x.md:5:12: the alias `.`",
        ),
        (
            "aliases: [\"..\"]".to_owned(),
            "content/posts/x.md:5:12: the alias `..`",
        ),
        (
            "aliases: [/]".to_owned(),
            "content/posts/x.md: its alias `/` publishes to /index.html, as the home page",
        ),
        (
            "aliases: [/index.html/]".to_owned(),
            "content/posts/x.md: its alias `/index.html/` needs a folder at /index.html (for \
             /index.html/index.html), where the home page (page 1) publishes a file",
        ),
        (
            format!("aliases: [/{long}/]"),
            "content/posts/x.md:5:11: the alias",
        ),
    ] {
        let sandbox = Sandbox::new();
        sandbox.write(
            "content/posts/x.md",
            post("제목", "2025-01-01", "일지", &front, "본문"),
        );
        let out = sandbox
            .ilji(["build"])
            .failure()
            .stderr_has(format!("error: {located}"))
            .stderr_lacks("ilji-staging")
            .stderr_lacks("File name too long")
            .run();
        assert!(out.stderr.len() < 600, "brief: {}", out.stderr);
    }
    // Files whose names Linux holds but a published site cannot.
    for name in [
        "static/a\\..\\b.txt",
        "static/line\nbreak.txt",
        "content/posts/b/ph\u{1b}oto.jpg",
    ] {
        let sandbox = Sandbox::new();
        sandbox.write(
            "content/posts/b/index.md",
            post("묶음", "2025-01-02", "일지", "", "본문"),
        );
        sandbox.write(name, "파일");
        sandbox
            .ilji(["build"])
            .failure()
            .stderr_has(format!(
                "error: {name}: this file cannot be published under its name"
            ))
            .run();
    }
    let sandbox = Sandbox::new();
    sandbox.write(
        "content/posts/x.md",
        post("제목", "2025-01-01", &long, "", "본문"),
    );
    sandbox
        .ilji(["build"])
        .failure()
        .stderr_has("error: content/posts/x.md:4:11: the category `가가")
        .stderr_has("300 bytes")
        .run();
}

#[test]
fn a_file_where_a_page_needs_a_folder_is_a_clash_naming_both() {
    let sandbox = Sandbox::new();
    sandbox.write("static/company", "회사 소개 파일");
    sandbox.write("content/company/history.md", "---\ntitle: 연혁\n---\n");
    let before = sandbox.everything();
    sandbox
        .ilji(["build"])
        .failure()
        .stderr_has(
            "error: static/company: publishes a file at /company, where \
             content/company/history.md needs a folder (for /company/history/index.html)",
        )
        .stderr_lacks("Not a directory")
        .run();
    assert_eq!(
        changes(&before, &sandbox.everything()),
        Vec::<String>::new()
    );
}

#[cfg(unix)]
#[test]
fn inputs_linked_outside_the_site_are_refused() {
    let sandbox = Sandbox::new();
    let secrets = sandbox.dir.path().join("secrets");
    fs::create_dir_all(&secrets).expect("a folder outside");
    fs::write(secrets.join("id_rsa"), "PRIVATE KEY").expect("a secret");
    fs::write(secrets.join("site.yaml"), "title: 남의 설정\n").expect("a config");
    let link = |target: &Path, rel: &str| {
        let path = sandbox.site().join(rel);
        let _ = fs::remove_file(&path);
        let _ = fs::remove_dir_all(&path);
        std::os::unix::fs::symlink(target, path).expect("a link");
    };
    link(&secrets, "static");
    sandbox
        .ilji(["build"])
        .failure()
        .stderr_has("error: static: this leads outside the site's folder")
        .run();
    assert!(!sandbox.site().join("public").exists());
    fs::remove_file(sandbox.site().join("static")).expect("unlink");

    link(&secrets.join("site.yaml"), "site.yaml");
    sandbox
        .ilji(["build"])
        .failure()
        .stderr_has("error: site.yaml: this leads outside the site's folder")
        .run();
    fs::remove_file(sandbox.site().join("site.yaml")).expect("unlink");
    sandbox.write("site.yaml", "theme: ../../../../../secrets\n");
    sandbox
        .ilji(["build"])
        .failure()
        .stderr_has(
            "error: site.yaml:1: `theme: ../../../../../secrets` is not the name of a folder",
        )
        .run();
    assert!(!sandbox.site().join("public").exists());
}

// ---------------------------------------------------------------------------------------
// Generated sites
// ---------------------------------------------------------------------------------------

/// How many sites each property test builds: a few dozen in `cargo test`, thousands from
/// `bench/fuzz.sh` (`ILJI_FUZZ_CASES`).
fn cases() -> u32 {
    std::env::var("ILJI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

/// A proptest runner for `cases` sites, which keeps no file of failures (a failure prints
/// the smallest site it shrank to).
fn runner(cases: u32) -> TestRunner {
    TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    })
}

/// Pieces of hostile values: climbs, separators in every spelling, NUL and control
/// characters, names of the site's own files, and lengths no file name holds.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "..", ".", "/", "\\", "\0", "%2e%2e", "%2E%2e%2F", "%2f", "%00", "%5c", "//", "~",
            "site.yaml", "content", "public", "victim.txt", "index.html", ".public.ilji-spare",
            " ", "\n", "\t", "\r", ":", "#", "?", "*", "%", "'", "\"", "C:", "\u{202e}", "가",
            "-", "_", "themes", "..%2f", "%2e./", "\u{7f}", "\u{1b}[31m", "—", "a/../..",
        ])
        .prop_map(str::to_owned),
        2 => "[a-z0-9가-힣]{1,6}",
        1 => (84usize..90).prop_map(|n| "가".repeat(n)),
        1 => (250usize..262).prop_map(|n| "a".repeat(n)),
    ]
}

fn hostile_value() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_piece(), 1..6).prop_map(|v| v.concat())
}

/// A value as a YAML double-quoted scalar (JSON's escapes are YAML's).
fn quoted(value: &str) -> String {
    serde_json::to_string(value).expect("a JSON string")
}

/// `value` made into a name a Linux file can have (the test needs the file to exist; ilji
/// must cope with whatever such a name holds).
fn file_name(value: &str) -> String {
    let mut name: String = value
        .chars()
        .map(|c| if matches!(c, '/' | '\0') { '_' } else { c })
        .collect();
    while name.len() > 200 {
        name.pop();
    }
    if name.is_empty() || name == "." || name == ".." {
        name.push_str("_x");
    }
    name
}

#[derive(Debug, Clone)]
struct HostileSite {
    aliases: Vec<String>,
    slug: Option<String>,
    category: String,
    tags: Vec<String>,
    post_name: String,
    bundle: Option<(String, String)>,
    static_name: Option<String>,
    page_folder: Option<String>,
    page_aliases: Vec<String>,
    theme: Option<String>,
}

fn hostile_site() -> impl Strategy<Value = HostileSite> {
    (
        prop::collection::vec(hostile_value(), 0..4),
        prop::option::of(hostile_value()),
        hostile_value(),
        prop::collection::vec(hostile_value(), 0..3),
        hostile_value(),
        prop::option::of((hostile_value(), hostile_value())),
        prop::option::of(hostile_value()),
        prop::option::of(hostile_value()),
        prop::collection::vec(hostile_value(), 0..2),
        prop::option::weighted(0.15, hostile_value()),
    )
        .prop_map(
            |(
                aliases,
                slug,
                category,
                tags,
                post_name,
                bundle,
                static_name,
                page_folder,
                page_aliases,
                theme,
            )| {
                HostileSite {
                    aliases,
                    slug,
                    category,
                    tags,
                    post_name,
                    bundle,
                    static_name,
                    page_folder,
                    page_aliases,
                    theme,
                }
            },
        )
}

fn list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| quoted(v)).collect();
    format!("[{}]", items.join(", "))
}

impl HostileSite {
    /// Writes the site's generated files into `sandbox` (its fixed ones stay).
    fn write_into(&self, sandbox: &Sandbox) {
        let mut front = format!(
            "title: 낯선 글\ndate: 2025-02-03\ncategory: {}\ntags: {}\naliases: {}\n",
            quoted(&self.category),
            list(&self.tags),
            list(&self.aliases)
        );
        if let Some(slug) = &self.slug {
            front.push_str(&format!("slug: {}\n", quoted(slug)));
        }
        let text = format!("---\n{front}---\n본문과 [링크](../../../victim.txt).\n");
        let posts = sandbox.site().join("content/posts");
        match &self.bundle {
            Some((folder, asset)) => {
                let dir = posts.join(file_name(folder));
                fs::create_dir_all(&dir).expect("a bundle");
                fs::write(dir.join("index.md"), &text).expect("a bundle post");
                let asset = file_name(asset);
                if !asset.ends_with(".md") {
                    fs::write(dir.join(asset), "그림").expect("a bundle file");
                }
            }
            None => {
                let name = format!("{}.md", file_name(&self.post_name));
                fs::write(posts.join(name), &text).expect("a post");
            }
        }
        if let Some(name) = &self.static_name {
            let dir = sandbox.site().join("static");
            fs::create_dir_all(&dir).expect("static/");
            fs::write(dir.join(file_name(name)), "정적 파일").expect("a static file");
        }
        if let Some(folder) = &self.page_folder {
            let dir = sandbox.site().join("content").join(file_name(folder));
            fs::create_dir_all(&dir).expect("a page folder");
            fs::write(
                dir.join("page.md"),
                format!(
                    "---\ntitle: 쪽\naliases: {}\n---\n",
                    list(&self.page_aliases)
                ),
            )
            .expect("a page");
        }
        if let Some(theme) = &self.theme {
            sandbox.write(
                "site.yaml",
                format!("title: 테마\ntheme: {}\n", quoted(theme)),
            );
        }
    }
}

/// Runs `ilji <args>` in `site` and waits at most 60 s (a hang is a failure); the exit
/// status (`None`: killed by a signal) and stderr.
fn run_bounded(site: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ilji"))
        .args(args)
        .current_dir(site)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ilji");
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for ilji") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ilji {} ran for more than 60 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (status.code(), reader.join().expect("stderr"))
}

/// What every run must satisfy, whatever the site: a normal exit (0, or 1 with errors that
/// name the site's files and never the staging folder), nothing outside the output changed,
/// and no staging folder left.
fn check_run(
    sandbox: &Sandbox,
    args: &[&str],
    before: &Tree,
    after: Tree,
    status: Option<i32>,
    stderr: &str,
) -> Result<(), TestCaseError> {
    let shown = format!("ilji {}\n{stderr}", args.join(" "));
    prop_assert!(
        matches!(status, Some(0 | 1)),
        "exit status {status:?}: {shown}"
    );
    prop_assert!(!stderr.contains("panicked"), "{shown}");
    let changed = changes(before, &after);
    prop_assert!(changed.is_empty(), "{changed:?} changed: {shown}");
    prop_assert!(!stderr.contains("ilji-staging"), "{shown}");
    if status == Some(1) {
        let names_a_file = stderr.lines().any(|l| {
            [
                "error: content/",
                "error: static/",
                "error: site.yaml",
                "error: themes/",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        });
        prop_assert!(names_a_file, "no error names a file: {shown}");
    }
    let leftovers: Vec<_> = fs::read_dir(sandbox.site())
        .expect("the site")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("ilji-staging"))
        .collect();
    prop_assert!(leftovers.is_empty(), "staging left behind: {shown}");
    Ok(())
}

/// Builds and checks one generated site; `build` must leave everything outside the output
/// as it was, `check` everything at all.
fn build_and_check(sandbox: &Sandbox) -> Result<(), TestCaseError> {
    let before = sandbox.outside_output();
    let args = ["build", "-q"];
    let (status, stderr) = run_bounded(&sandbox.site(), &args);
    check_run(
        sandbox,
        &args,
        &before,
        sandbox.outside_output(),
        status,
        &stderr,
    )?;
    let before = sandbox.everything();
    let args = ["check", "-q"];
    let (status, stderr) = run_bounded(&sandbox.site(), &args);
    check_run(
        sandbox,
        &args,
        &before,
        sandbox.everything(),
        status,
        &stderr,
    )
}

/// Clears what the last case wrote: its content, static files and site.yaml.
fn reset(sandbox: &Sandbox) {
    let site = sandbox.site();
    for dir in ["content", "static"] {
        let _ = fs::remove_dir_all(site.join(dir));
    }
    fs::write(site.join("site.yaml"), "title: 낯선 사람의 블로그\n").expect("site.yaml");
    sandbox.write(
        "content/posts/fine.md",
        post("멀쩡한 글", "2025-01-01", "일지", "", "본문."),
    );
}

#[test]
fn hostile_values_in_every_path_field_change_nothing_outside_the_output() {
    let sandbox = Sandbox::new();
    let mut runner = runner(cases());
    runner
        .run(&hostile_site(), |site| {
            reset(&sandbox);
            site.write_into(&sandbox);
            build_and_check(&sandbox)
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn hostile_values_in_an_imported_blog_stay_inside_the_site() {
    let sandbox = Sandbox::new();
    let old = sandbox.dir.path().join("old-blog");
    let mut runner = runner(cases() / 2);
    runner
        .run(&(hostile_site(), hostile_value()), |(site, url)| {
            reset(&sandbox);
            let _ = fs::remove_dir_all(&old);
            // A Hugo blog whose every address-giving field is hostile.
            let posts = old.join("content/posts");
            let front = format!(
                "---\ntitle: 옛 글\ndate: 2021-03-04\nurl: {}\naliases: {}\ncategories: [{}]\ntags: {}\n{}---\n본문\n",
                quoted(&url),
                list(&site.aliases),
                quoted(&site.category),
                list(&site.tags),
                site.slug.as_ref().map_or(String::new(), |s| format!("slug: {}\n", quoted(s))),
            );
            let (file, asset) = match &site.bundle {
                Some((folder, asset)) => (
                    posts.join(file_name(folder)).join("index.md"),
                    Some(posts.join(file_name(folder)).join(file_name(asset))),
                ),
                None => (posts.join(format!("{}.md", file_name(&site.post_name))), None),
            };
            fs::create_dir_all(file.parent().expect("a folder")).expect("the old blog");
            fs::write(&file, front).expect("an old post");
            if let Some(asset) = asset.filter(|a| !a.to_string_lossy().ends_with(".md")) {
                fs::write(asset, "그림").expect("a bundle file");
            }
            if let Some(name) = &site.static_name {
                fs::create_dir_all(old.join("static")).expect("static/");
                fs::write(old.join("static").join(file_name(name)), "파일").expect("a file");
            }
            // Import writes into content/ and static/ only.
            let site_dir = sandbox.site();
            let written_by_import =
                |p: &Path| p.starts_with(site_dir.join("content")) || p.starts_with(site_dir.join("static"));
            let before = tree(sandbox.dir.path(), &written_by_import);
            let args = ["import", old.to_str().expect("UTF-8")];
            let (status, stderr) = run_bounded(&site_dir, &args);
            let after = tree(sandbox.dir.path(), &written_by_import);
            let shown = format!("ilji import\n{stderr}");
            prop_assert!(matches!(status, Some(0 | 1)), "exit status {status:?}: {shown}");
            prop_assert!(!stderr.contains("panicked"), "{shown}");
            let changed = changes(&before, &after);
            prop_assert!(changed.is_empty(), "{changed:?} changed: {shown}");
            // What it imported builds (or fails with an error), inside the output.
            let before = sandbox.outside_output();
            let args = ["build", "-q"];
            let (status, stderr) = run_bounded(&site_dir, &args);
            check_run(&sandbox, &args, &before, sandbox.outside_output(), status, &stderr)
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Pieces of Markdown that exercise its corners: emphasis runs, nesting, links, raw HTML,
/// fences, tables, footnotes, headings that repeat, and Korean.
fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "*", "**", "_", "__", "~~", "`", "```", "\n", "\n\n", "# ", "## 같은 제목\n", "> ",
            "- ", "1. ", "[", "]", "(", ")", "![", "<", ">", "&", "&amp;", "<!-- more -->",
            "<!--more-->", "<script>alert(1)</script>", "<a href=\"../../../x\">", "|", "| --- |",
            "[^1]", "[^1]: 각주", "{#id}", "\\", "    ", "\t", "\r\n", "---", "***", "http://",
            "https://example.com/가", "<https://a.b>", "[x](../../../../victim.txt)",
            "![a](/../../../etc/passwd)", "\u{200b}", "\u{feff}", "\0", "$$", "<!--", "-->",
        ])
        .prop_map(str::to_owned),
        2 => "[가-힣a-z ]{1,12}",
    ]
}

/// Front-matter lines, sound or broken.
fn yaml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "title: 제목\n", "date: 2025-01-01\n", "category: 일지\n", "tags: [a, 가]\n",
            "draft: true\n", "draft: maybe\n", "date: 2025-13-45\n", "date: [1]\n", "title:\n",
            "title: [\n", "aliases: /x\n", "aliases: [../x]\n", "slug: \"\"\n", "summary: **굵게**\n",
            "extra: {a: [1, {b: c}]}\n", "x: &a [1]\ny: *a\n", "x: !!binary aGk=\n",
            "- 목록\n", "\"unterminated\n", "key: value: other\n", "  indented: 1\n",
            "title: 'a''b'\n", "categories: [가, 나]\n", "updated: 2025-01-02T03:04:05Z\n",
            "? complex\n: key\n", "date: 1999-12-31 23:59\n", "tags: {}\n", "%YAML 1.2\n",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z가-힣]{1,6}: [a-z가-힣 ]{0,10}\n",
        1 => (1usize..40).prop_map(|n| format!("x: {}{}\n", "[".repeat(n), "]".repeat(n))),
    ]
}

#[derive(Debug, Clone)]
struct FuzzPost {
    name: String,
    front: Vec<String>,
    fenced: bool,
    body: Vec<String>,
}

fn fuzz_post() -> impl Strategy<Value = FuzzPost> {
    (
        hostile_value(),
        prop::collection::vec(yaml_piece(), 0..8),
        prop::bool::weighted(0.9),
        prop::collection::vec(markdown_piece(), 0..40),
    )
        .prop_map(|(name, front, fenced, body)| FuzzPost {
            name,
            front,
            fenced,
            body,
        })
}

#[test]
fn fuzzed_yaml_markdown_and_file_names_never_crash_or_escape() {
    let sandbox = Sandbox::new();
    let mut runner = runner(cases());
    runner
        .run(&prop::collection::vec(fuzz_post(), 1..4), |posts| {
            reset(&sandbox);
            for (i, p) in posts.iter().enumerate() {
                let mut text = String::new();
                if p.fenced {
                    text.push_str("---\n");
                    text.push_str(&p.front.concat());
                    text.push_str("---\n");
                }
                text.push_str(&p.body.concat());
                let dir = if i % 2 == 0 {
                    "content/posts"
                } else {
                    "content"
                };
                let name = format!("{}.md", file_name(&p.name));
                let path = sandbox.site().join(dir).join(name);
                fs::write(path, text).expect("a fuzzed post");
            }
            build_and_check(&sandbox)
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
