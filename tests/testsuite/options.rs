//! Options of `ilji build` on the fixture site `sites/one-post`: `--output` (publish
//! elsewhere), `--base-url` (absolute and root-relative links under another address) and
//! `-C` (run on another folder).

use tempfile::TempDir;

use crate::support::{links_to, Run, Site};

fn one_post_site() -> Site {
    Site::fixture("sites/one-post")
}

#[test]
fn output_writes_elsewhere() {
    let site = one_post_site();
    site.ilji(["build", "--output", "elsewhere"])
        .stdout_has("elsewhere")
        .run();
    assert!(site.root().join("elsewhere/posts/a/index.html").is_file());
    assert!(site.root().join("elsewhere/index.html").is_file());
    assert!(!site.root().join("public").exists());
}

#[test]
fn base_url_sets_absolute_and_root_relative_links() {
    let site = one_post_site();
    site.ilji(["build", "--base-url", "https://shop.example.org/blog/"])
        .run();
    // Files stay where they are; the links carry the base path.
    let html = site.page("/posts/a/");
    assert!(
        html.contains("https://shop.example.org/blog/posts/a/"),
        "{html}"
    );
    assert!(!html.contains("blog.example.com"));
    assert!(links_to(&site.page("/"), "/blog/posts/").contains(&"/blog/posts/a/".to_owned()));
}

#[test]
fn dash_c_runs_on_another_folder() {
    let site = one_post_site();
    let elsewhere = TempDir::new().expect("another folder");
    Run::new(elsewhere.path())
        .arg("-C")
        .arg(site.root().to_str().expect("UTF-8 path"))
        .arg("build")
        .run();
    assert!(site.has_page("/posts/a/"));
    assert!(!elsewhere.path().join("public").exists());
}
