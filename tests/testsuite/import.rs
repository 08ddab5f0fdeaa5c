//! `ilji import` on the small Hugo and Jekyll blogs in `tests/fixtures/import/`: what is
//! written (front matter converted, old addresses kept as aliases, bundle and static files
//! copied), what is reported as not converted (the whole report as a golden file), that
//! nothing is ever overwritten, and that the result builds and keeps the old links working.

use std::path::{Path, PathBuf};

use crate::support::{fixture, Run, Site, Transcript};

/// The path of the old blog `tests/fixtures/import/<name>`.
fn old_blog(name: &str) -> String {
    fixture("import").join(name).display().to_string()
}

/// A new ilji site with nothing in it yet.
fn empty_site() -> Site {
    Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    )
}

/// The front matter of a written file, parsed.
fn front(site: &Site, rel: &str) -> serde_yaml::Mapping {
    let text = std::fs::read_to_string(site.root().join(rel))
        .unwrap_or_else(|e| panic!("{rel} was not written: {e}"));
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map(|(y, _)| y)
        .unwrap_or_else(|| panic!("{rel} has no YAML front matter: {text}"));
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{rel}: {e}\n{yaml}"))
}

fn strings(m: &serde_yaml::Mapping, key: &str) -> Vec<String> {
    match m.get(key) {
        Some(serde_yaml::Value::Sequence(s)) => s
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn string(m: &serde_yaml::Mapping, key: &str) -> Option<String> {
    m.get(key).and_then(|v| v.as_str()).map(str::to_owned)
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf())
        .collect();
    out.sort();
    out
}

#[test]
fn a_hugo_blog_is_imported_with_its_old_addresses_and_builds() {
    let site = empty_site();
    site.ilji(["import", &old_blog("hugo")])
        .stdout_has("imported 4 posts and 2 pages from Hugo (3 old addresses kept as aliases, 2 files copied); 2 files not converted")
        // Reported, with file, line where there is one, and what to do.
        .stderr_golden("import/hugo.stderr")
        .run();

    // TOML front matter → YAML; a TOML date → text ilji reads; extra keys kept.
    let first = front(&site, "content/posts/2023-05-01-first-post.md");
    assert_eq!(string(&first, "title").as_deref(), Some("첫 번째 글"));
    assert_eq!(
        string(&first, "date").as_deref(),
        Some("2023-05-01T09:00:00+09:00")
    );
    assert_eq!(string(&first, "category").as_deref(), Some("일지"));
    assert_eq!(strings(&first, "tags"), ["고객", "운영"]);
    assert_eq!(
        strings(&first, "aliases"),
        ["/old/first/"],
        "same address: only its own aliases"
    );
    assert_eq!(string(&first, "mood").as_deref(), Some("좋음"));
    // The section's permalink pattern gives the old address.
    let hello = front(&site, "content/posts/2022-01-02-hello-world.md");
    assert_eq!(strings(&hello, "aliases"), ["/2022/01/hello-world/"]);
    let second = front(&site, "content/posts/2023-06-01-second.md");
    assert_eq!(string(&second, "slug").as_deref(), Some("둘째-글"));
    assert_eq!(second.get("draft").and_then(|v| v.as_bool()), Some(true));
    let about = front(&site, "content/about.md");
    assert_eq!(
        string(&about, "summary").as_deref(),
        Some("작은 가게의 기록")
    );
    assert!(!about.contains_key("tags"));
    assert!(site
        .root()
        .join("content/posts/bundle-post/photo.jpg")
        .is_file());
    assert!(site.root().join("static/images/logo.png").is_file());
    // Hugo publishes a page without a date: it comes in as a standalone page.
    assert!(!site.root().join("content/posts/no-date.md").exists());
    let no_date = front(&site, "content/no-date.md");
    assert_eq!(strings(&no_date, "aliases"), ["/posts/no-date/"]);

    site.build().run();
    for old in ["/2022/01/hello-world/", "/old/first/"] {
        assert!(
            site.page(old).contains("url=https://example.org/posts/"),
            "{old} redirects"
        );
    }
    assert!(site
        .page("/2022/01/hello-world/")
        .contains("url=https://example.org/posts/hello-world/"));
    assert!(site.has("posts/bundle-post/photo.jpg"));
    assert!(site.page("/posts/first-post/").contains("첫 글입니다."));
}

#[test]
fn a_jekyll_blog_is_imported_with_its_old_addresses_and_builds() {
    let site = empty_site();
    site.ilji(["import", &old_blog("jekyll")])
        .stdout_has("imported 5 posts and 1 page from Jekyll (5 old addresses kept as aliases, 1 file copied); 1 file not converted")
        .stderr_golden("import/jekyll.stderr")
        .run();

    // Jekyll's default permalink: /:categories/:year/:month/:day/:title.html, plus redirect_from.
    let welcome = front(&site, "content/posts/2021-03-04-welcome.md");
    assert_eq!(string(&welcome, "category").as_deref(), Some("일지"));
    assert_eq!(
        strings(&welcome, "tags"),
        ["시작", "공지"],
        "space-separated categories"
    );
    assert_eq!(
        strings(&welcome, "aliases"),
        ["/일지/공지/2021/03/04/welcome.html", "/old-welcome/"]
    );
    assert!(!welcome.contains_key("layout"));
    // Categories from the folder above _posts/.
    let diary = front(&site, "content/posts/2021-05-06-diary.md");
    assert_eq!(string(&diary, "category").as_deref(), Some("일기"));
    assert_eq!(strings(&diary, "aliases"), ["/일기/2021/05/06/diary.html"]);
    let hidden = front(&site, "content/posts/2021-07-08-unpublished.md");
    assert_eq!(
        hidden.get("draft").and_then(|v| v.as_bool()),
        Some(true),
        "published: false"
    );
    let liquid = front(&site, "content/posts/2021-04-05-liquid.md");
    assert_eq!(
        string(&liquid, "date").as_deref(),
        Some("2021-04-05"),
        "date from the file name"
    );
    // A page whose permalink is already ilji's address needs no alias.
    let about = front(&site, "content/about.md");
    assert!(!about.contains_key("aliases"), "{about:?}");
    assert!(site.root().join("static/assets/img/a.png").is_file());
    assert!(
        !site.root().join("content/index.md").exists(),
        "the home page is not a page"
    );

    site.build().run();
    let old = site.read("일지/공지/2021/03/04/welcome.html");
    assert!(
        old.contains("url=https://example.org/posts/welcome/"),
        "{old}"
    );
    assert!(site
        .page("/old-welcome/")
        .contains("url=https://example.org/posts/welcome/"));
    assert!(site.has("assets/img/a.png"));
}

#[test]
fn importing_again_overwrites_nothing_and_dry_run_writes_nothing() {
    let site = empty_site();
    site.ilji(["import", "--dry-run", &old_blog("jekyll")])
        .stdout_has("would import 5 posts and 1 page")
        .stdout_has("nothing was written")
        .run();
    assert!(
        !site.root().join("content").exists(),
        "--dry-run wrote files"
    );

    site.ilji(["import", &old_blog("jekyll")]).run();
    let before = files_below(site.root());
    site.write("content/posts/2021-03-04-welcome.md", "내가 고친 글\n");
    // The draft without a date is dated by its file's time: the day the fixture was checked
    // out, which the golden file cannot know.
    let draft = before
        .iter()
        .filter_map(|p| p.to_str())
        .find(|p| p.starts_with("content/posts/") && p.ends_with("-wip.md"))
        .expect("the imported draft")
        .to_owned();
    site.ilji(["import", &old_blog("jekyll")])
        .redact(&draft, "content/posts/[FILE TIME]-wip.md")
        .stdout_has("imported 0 posts and 0 pages")
        .stderr_golden("import/jekyll-again.stderr")
        .run();
    assert_eq!(files_below(site.root()), before);
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/posts/2021-03-04-welcome.md"))
            .unwrap_or_default(),
        "내가 고친 글\n"
    );
}

#[test]
fn the_engine_can_be_named_and_a_missing_folder_is_an_error() {
    let site = empty_site();
    site.ilji(["import", "--from", "hugo", &old_blog("hugo/content")])
        .stdout_has("from Hugo")
        .run();
    let mut transcript = Transcript::new();
    transcript.push(&site.ilji(["import", "no-such-folder"]).failure().run());
    transcript.push(
        &site
            .ilji(["import", "--from", "wordpress", "x"])
            .status(2)
            .run(),
    );

    // Only into an ilji site.
    let bare = tempfile::TempDir::new().expect("temp dir");
    transcript.push(
        &Run::new(bare.path())
            .args(["import", &old_blog("hugo")])
            .failure()
            .run(),
    );
    transcript.assert("import/refused.stderr");
    assert!(!bare.path().join("content").exists());
}
