//! `ilji import` keeps every address the real Jekyll 4 published: the posts of
//! `tests/fixtures/import_jekyll/posts/` (Hangul, spaces, brackets, upper case, category
//! folders, `slug:`, `permalink:`, dates with and without zones, in quotes or not, in odd
//! forms) are imported under each `_config.yml` of `configs/` (every permalink style, custom
//! patterns with every placeholder, `collections.posts.permalink`, `defaults:`), built, and
//! every address of `urls/<config>.txt` must lead to the post.
//!
//! The `urls/*.txt` lists were made once by the real Jekyll 4.3.1 (Debian's `jekyll`) with
//! `bench/jekyll_urls.sh`, which builds the same sites and lists each post's `post.url`;
//! run it again after changing a post or a config. These tests do not need Jekyll.

use std::path::Path;

use crate::support::site::copy_dir;
use crate::support::{fixture, Site};

/// The old Jekyll blog made of the fixture's posts and `configs/<config>.yml`.
fn old_blog(config: &str, into: &Path) {
    let here = fixture("import_jekyll");
    copy_dir(&here.join("posts"), into);
    std::fs::copy(
        here.join("configs").join(format!("{config}.yml")),
        into.join("_config.yml"),
    )
    .expect("copy the _config.yml");
}

/// The file `public/` must hold for an address Jekyll published (percent-escaped, as in
/// its links): the file itself when it names one, else the folder's `index.html`.
fn published_file(url: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(url)
        .decode_utf8()
        .expect("UTF-8 address")
        .into_owned();
    let path = decoded.trim_start_matches('/');
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || path.is_empty() {
        format!("{path}index.html")
    } else if last.contains('.') {
        path.to_owned()
    } else {
        format!("{path}/index.html")
    }
}

/// Imports and builds the blog of `config`; the addresses of Jekyll's list that lead
/// nowhere, and how many the list has.
fn missed_addresses(config: &str) -> (Vec<String>, usize) {
    let old = tempfile::TempDir::new().expect("a folder for the old blog");
    old_blog(config, old.path());
    let site = Site::new().file(
        "site.yaml",
        "title: 옛 블로그\nbase_url: https://example.org/\n",
    );
    site.ilji(["import", &old.path().display().to_string()])
        .run();
    site.build().run();
    let list = std::fs::read_to_string(fixture("import_jekyll/urls").join(format!("{config}.txt")))
        .expect("Jekyll's list of addresses");
    let mut missed = Vec::new();
    let mut total = 0;
    for line in list.lines().filter(|l| !l.is_empty()) {
        let (source, url) = line.split_once('\t').expect("source<TAB>url");
        total += 1;
        let file = published_file(url);
        let leads = site.has(&file) && site.read(&file).contains("example.org/posts/")
            || site.has(&file) && file.starts_with("posts/");
        if !leads {
            missed.push(format!("{source}: {url} (public/{file})"));
        }
    }
    (missed, total)
}

fn assert_all_kept(config: &str) {
    let (missed, total) = missed_addresses(config);
    assert!(total > 20, "{config}: Jekyll's list has {total} posts");
    assert!(
        missed.is_empty(),
        "{config}: {} of {total} addresses lead nowhere:\n{}",
        missed.len(),
        missed.join("\n")
    );
}

#[test]
fn the_date_style_addresses_are_jekylls() {
    assert_all_kept("date");
}

#[test]
fn the_pretty_style_addresses_are_jekylls() {
    assert_all_kept("pretty");
}

#[test]
fn the_ordinal_style_addresses_are_jekylls() {
    assert_all_kept("ordinal");
}

#[test]
fn the_weekdate_style_addresses_are_jekylls() {
    assert_all_kept("weekdate");
}

#[test]
fn the_none_style_addresses_in_utc_are_jekylls() {
    assert_all_kept("none");
}

#[test]
fn custom_patterns_with_every_placeholder_are_jekylls() {
    assert_all_kept("custom");
    assert_all_kept("custom2");
}

#[test]
fn the_posts_collection_permalink_wins_over_the_style() {
    assert_all_kept("collection");
}

#[test]
fn front_matter_defaults_give_permalinks_and_categories() {
    assert_all_kept("defaults");
}

/// Two posts at one address: Jekyll writes its posts in date order, then by path, so the
/// last one is what it published there (checked with Jekyll 4.3.1: `/shared/` held the
/// `-ko` post, `/moved/` the post whose front matter dates it later than its file name).
#[test]
fn an_address_two_posts_shared_goes_to_the_one_jekyll_wrote_last() {
    let old = tempfile::TempDir::new().expect("a folder for the old blog");
    let write = |rel: &str, text: &str| {
        let path = old.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create _posts");
        std::fs::write(path, text).expect("write a post");
    };
    write("_config.yml", "timezone: Asia/Seoul\n");
    write(
        "_posts/2021-01-01-a-ko.md",
        "---\ntitle: 가\npermalink: /shared/\n---\nko\n",
    );
    write(
        "_posts/2021-01-01-a-en.md",
        "---\ntitle: A\npermalink: /shared/\n---\nen\n",
    );
    write(
        "_posts/2020-12-31-x.md",
        "---\ntitle: X\npermalink: /moved/\n---\nx\n",
    );
    write(
        "_posts/2020-12-30-y.md",
        "---\ntitle: Y\npermalink: /moved/\ndate: 2021-02-01\n---\ny\n",
    );
    let site = Site::new().file(
        "site.yaml",
        "title: 옛 블로그\nbase_url: https://example.org/\n",
    );
    site.ilji(["import", &old.path().display().to_string()])
        .stderr_has("Jekyll published another post at /shared/; that alias is left to it")
        .run();
    site.build().run();
    assert!(site
        .page("/shared/")
        .contains("url=https://example.org/posts/a-ko/"));
    assert!(site
        .page("/moved/")
        .contains("url=https://example.org/posts/y/"));
}
