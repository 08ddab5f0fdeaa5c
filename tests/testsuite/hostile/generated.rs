//! Generated hostile sites, through the real binary: one property test with hostile values
//! in every field that becomes a path, one with old Hugo blogs whose every address-giving
//! field is hostile (imported, then built), one with fuzzed YAML, Markdown and file names (a
//! bounded fuzz run; `bench/fuzz.sh` runs them longer). Each run must exit with 0 or 1 and no
//! panic within 60 s, change nothing outside the output, leave no staging folder, and name
//! the user's file in its errors.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};

use super::HANG;
use crate::support::sandbox::{changes, tree, Sandbox, Tree};
use crate::support::{post, run_bounded};

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
    let (status, stderr) = run_bounded(&sandbox.site(), &args, HANG);
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
    let (status, stderr) = run_bounded(&sandbox.site(), &args, HANG);
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
    let old = sandbox.dir().join("old-blog");
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
            // Import writes into content/ and static/ only, and the old lists' and feeds'
            // addresses into site.yaml's `redirects:`.
            let site_dir = sandbox.site();
            let written_by_import = |p: &Path| {
                p.starts_with(site_dir.join("content"))
                    || p.starts_with(site_dir.join("static"))
                    || p == site_dir.join("site.yaml")
            };
            let before = tree(sandbox.dir(), &written_by_import);
            let args = ["import", old.to_str().expect("UTF-8")];
            let (status, stderr) = run_bounded(&site_dir, &args, HANG);
            let after = tree(sandbox.dir(), &written_by_import);
            let shown = format!("ilji import\n{stderr}");
            prop_assert!(matches!(status, Some(0 | 1)), "exit status {status:?}: {shown}");
            prop_assert!(!stderr.contains("panicked"), "{shown}");
            let changed = changes(&before, &after);
            prop_assert!(changed.is_empty(), "{changed:?} changed: {shown}");
            // What it imported builds (or fails with an error), inside the output.
            let before = sandbox.outside_output();
            let args = ["build", "-q"];
            let (status, stderr) = run_bounded(&site_dir, &args, HANG);
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
            // Bare addresses next to Korean, and emphasis closed before a particle.
            "www.", "www.a.example.com/", "@", "me@shop.example.kr", "https://a.example.com/x_y(",
            ")에서", "**”", "(괄호)**를", "。", "\u{3000}", "&hl;",
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
