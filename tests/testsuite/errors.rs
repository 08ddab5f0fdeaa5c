//! Errors of `ilji build`: exit status 1, the whole message (the user's file and line, what
//! is wrong, a help line) as in a golden file, and `public/` left byte for byte as it was.
//!
//! Each case is a folder `tests/fixtures/errors/<case>/` laid over the good fixture site
//! `sites/good` after a first build, and its stderr is `tests/fixtures/errors/<case>.stderr`.

use crate::support::{assert_output_kept, built_good_site, Site};

/// Builds `sites/good`, lays `errors/<case>/` over it and builds again: the build fails with
/// the stderr of `errors/<case>.stderr` and leaves `public/` as it was. Returns the site.
#[track_caller]
fn broken_build(case: &str) -> Site {
    let (site, before) = built_good_site();
    site.overlay(&format!("errors/{case}"));
    site.build()
        .failure()
        .stderr_golden(&format!("errors/{case}.stderr"))
        .run();
    assert_output_kept(&site, &before);
    site
}

#[test]
fn yaml_syntax_error_is_located_in_the_users_file() {
    broken_build("yaml-syntax");
}

#[test]
fn missing_title_is_an_error() {
    broken_build("missing-title");
}

#[test]
fn missing_date_is_an_error() {
    broken_build("missing-date");
}

#[test]
fn missing_category_is_an_error() {
    broken_build("missing-category");
}

#[test]
fn a_category_without_letters_is_an_error_at_its_line() {
    broken_build("category-without-letters");
}

#[test]
fn invalid_date_is_located() {
    broken_build("invalid-date");
}

/// The line under the message is read from the site named by `-C`, not from the folder
/// ilji runs in.
#[test]
fn the_line_under_an_error_comes_from_the_site_named_by_dash_c() {
    let site = broken_build("invalid-date");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let out = crate::support::Run::new(elsewhere.path())
        .args(["-C", root, "build"])
        .failure()
        .run();
    assert!(
        out.stderr.contains("\n3 | date: 2025-13-45\n  |       ^\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn unclosed_front_matter_is_an_error() {
    broken_build("unclosed-front-matter");
}

#[test]
fn two_posts_on_one_url_are_an_error_naming_both() {
    broken_build("two-posts-one-url");
}

#[test]
fn a_static_file_on_a_pages_address_is_an_error_naming_both() {
    broken_build("static-file-on-a-page");
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    broken_build("not-utf8");
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = broken_build("template-syntax");
    // The templates are parsed while the content is read; a broken post is still what the
    // build reports first, as it did when the templates came after.
    let before = site.snapshot();
    site.overlay("errors/template-syntax-and-broken-post");
    site.build()
        .failure()
        .stderr_golden("errors/template-syntax-and-broken-post.stderr")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn template_runtime_error_names_the_template_and_variable() {
    broken_build("template-runtime");
}

#[test]
fn an_include_of_a_missing_template_names_the_file_line_and_column() {
    broken_build("include-missing");
}

#[test]
fn unknown_site_key_is_named_with_its_line() {
    broken_build("unknown-site-key");
}

#[test]
fn malformed_comments_file_is_located() {
    broken_build("malformed-comments");
}

#[test]
fn a_failed_first_build_writes_nothing() {
    let site = Site::fixture("errors/failed-first-build");
    site.build()
        .failure()
        .stderr_golden("errors/failed-first-build.stderr")
        .run();
    assert!(!site.root().join("public").exists());
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = Site::new().file("site.yaml", "title: 사용법\n");
    site.ilji(["build", "--bogus"])
        .status(2)
        .stderr_golden("errors/unknown-flag.stderr")
        .run();
    assert!(!site.root().join("public").exists());
}
