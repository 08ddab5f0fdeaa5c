//! The forms content comes in: files saved on Windows (BOM, CRLF), Jekyll's `categories:`,
//! a date in the file name, drafts and scheduled posts, post bundles, standalone pages, and
//! comments files (counted, rendered as Markdown, their HTML and script links dropped).

use crate::support::{category_others, fixture, links_to, Site};

#[test]
fn a_file_with_bom_and_crlf_builds() {
    let site = Site::fixture("content/bom-and-crlf");
    site.build().run();
    let html = site.page("/posts/windows/");
    assert!(html.contains("메모장에서 쓴 글"));
    assert!(html.contains("<p>첫 줄.</p>"));
    assert!(!html.contains('\u{feff}') && !html.contains('\r'));
}

#[test]
fn categories_list_gives_its_first_entry_as_the_category() {
    let site = Site::fixture("content/categories-list");
    site.build().run();
    assert!(site.has_page("/category/장사/"));
    assert!(!site.has_page("/category/기타/"));
    assert_eq!(
        links_to(&site.page("/category/장사/"), "/posts/"),
        ["/posts/jekyll/"]
    );
}

#[test]
fn a_dated_file_name_gives_the_date_and_not_the_slug() {
    let site = Site::fixture("content/dated-file-name");
    site.build().run();
    assert!(site.has_page("/posts/hello/"));
    let listed = category_others(&site.page("/posts/next/"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].datetime, "2025-03-04T00:00:00+09:00");
    assert_eq!(listed[0].date, "2025.03.04");
}

#[test]
fn drafts_are_built_only_with_drafts() {
    let site = Site::fixture("content/drafts");
    site.build().stderr_golden("content/drafts.stderr").run();
    assert!(site.has_page("/posts/done/"));
    assert!(!site.has_page("/posts/wip/"));
    assert!(!site.page("/").contains("쓰는 중"));

    site.build().arg("--drafts").stderr_lacks("draft").run();
    assert!(site.has_page("/posts/wip/"));
    assert!(site.page("/posts/wip/").contains("쓰는 중"));
}

#[test]
fn scheduled_posts_are_named_and_built_only_with_future() {
    let site = Site::fixture("content/scheduled");
    let out = site.build().stderr_golden("content/scheduled.stderr").run();
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("scheduled"))
        .expect("a scheduled line");
    assert!(
        line.contains("content/posts/someday.md"),
        "names the file: {line}"
    );
    assert!(line.contains("2099"), "says when it goes live: {line}");
    assert!(!site.has_page("/posts/someday/"));
    assert!(!site.page("/").contains("먼 미래의 글"));

    site.build().arg("--future").stderr_lacks("scheduled").run();
    assert!(site.has_page("/posts/someday/"));
}

#[test]
fn a_bundle_publishes_its_files_beside_the_post() {
    let site = Site::fixture("content/bundle");
    site.build().run();
    assert!(site.has_page("/posts/shop-tour/"));
    let copied = std::fs::read(site.root().join("public/posts/shop-tour/photo.png"))
        .expect("the bundle's image is published");
    let image = std::fs::read(fixture("content/bundle/content/posts/shop-tour/photo.png"))
        .expect("the fixture's image");
    assert_eq!(copied, image);
}

#[test]
fn a_standalone_page_is_published_at_its_own_address() {
    let site = Site::fixture("content/standalone-page");
    site.build().run();
    let about = site.page("/about/");
    assert!(about.contains("가게 소개") && about.contains("작은 가게입니다."));
    assert!(!site.has_page("/posts/about/"));
}

#[test]
fn comments_are_counted_and_rendered_escaped() {
    let site = Site::fixture("content/comments");
    site.build().run();

    let listed = category_others(&site.page("/posts/b/"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title, "댓글 많은 글");
    assert_eq!(listed[0].comments, "(2)");

    let html = site.page("/posts/a/");
    assert!(html.contains("손님") && html.contains("<strong>글</strong>"));
    assert!(
        !html.contains("<script>alert(1)"),
        "a comment's HTML is escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn hostile_comments_lose_their_html_and_script_links_and_are_counted_in_lists() {
    let site = Site::fixture("content/hostile-comments");
    site.build().run();
    let html = site.page("/posts/a/");
    assert!(!html.contains("javascript:"), "script links are dropped");
    assert!(!html.contains("<img src=x"), "raw HTML is shown as text");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(
        html.contains("&lt;b&gt;굵은 이름&lt;/b&gt;"),
        "the author is escaped too"
    );
    assert!(html.contains(r#"<a href="https://example.org/">좋은 곳</a>"#));
    assert!(html.contains("눌러 보세요"), "the link's text stays");
    assert!(
        site.page("/").contains("댓글 1"),
        "the count beside the post on the home page"
    );
}
