//! The two navigations of the default theme: the category navigation (which category a
//! page is of, `aria-current`) and the site menu (which page of the menu this is), each a
//! partial a site may override, and a copy of the theme without one told it is missing.

use crate::lists::twenty_three_posts;
use crate::support::{percent, post, repo_root, Site};

/// The links of the category navigation, each with its `aria-current` (if any).
fn category_nav(html: &str) -> Vec<(String, Option<String>)> {
    let start = html
        .find(r#"<nav class="category-nav""#)
        .expect("category nav");
    let end = start + html[start..].find("</nav>").expect("nav closes");
    html[start..end]
        .split("<a href=\"")
        .skip(1)
        .map(|a| {
            let href = a[..a.find('"').expect("href closes")].to_owned();
            let tag = &a[..a.find('>').expect("tag closes")];
            let current = tag.find("aria-current=\"").map(|i| {
                let rest = &tag[i + 14..];
                rest[..rest.find('"').expect("attribute closes")].to_owned()
            });
            (href, current)
        })
        .collect()
}

#[test]
fn category_navigation_marks_the_current_category() {
    let site = twenty_three_posts();
    site.build().run();
    // Categories by name: 기록, 장사.
    let (record, trade) = (
        format!("/category/{}/", percent("기록")),
        format!("/category/{}/", percent("장사")),
    );
    let nav = |current: [Option<&str>; 2]| -> Vec<(String, Option<String>)> {
        vec![
            (record.clone(), current[0].map(str::to_owned)),
            (trade.clone(), current[1].map(str::to_owned)),
        ]
    };
    // Its own list page is the page; a later page of it and its posts are in it.
    assert_eq!(
        category_nav(&site.page("/category/장사/")),
        nav([None, Some("page")])
    );
    assert_eq!(
        category_nav(&site.page("/category/장사/page/2/")),
        nav([None, Some("true")])
    );
    assert_eq!(
        category_nav(&site.page("/posts/p03/")),
        nav([None, Some("true")])
    );
    assert_eq!(
        category_nav(&site.page("/posts/p20/")),
        nav([Some("true"), None])
    );
    assert_eq!(
        category_nav(&site.page("/category/기록/")),
        nav([Some("page"), None])
    );
    for page in ["/", "/page/2/", "/archive/"] {
        assert_eq!(category_nav(&site.page(page)), nav([None, None]), "{page}");
    }
}

#[test]
fn a_site_can_override_the_category_navigation_partial() {
    let site = twenty_three_posts().file(
        "templates/partials/category_nav.html",
        "<nav class=\"mine\">{{ current_category }}|{{ current_category_page }}|{{ site.categories | length }}</nav>",
    );
    site.build().run();
    assert!(site
        .page("/category/장사/")
        .contains(r#"<nav class="mine">장사|true|2</nav>"#));
    assert!(site
        .page("/posts/p03/")
        .contains(r#"<nav class="mine">장사|false|2</nav>"#));
    assert!(site
        .page("/")
        .contains(r#"<nav class="mine">|false|2</nav>"#));
}

/// The site menu's items of a page of the default theme: (text, aria-current).
fn site_menu(html: &str) -> Vec<(String, Option<String>)> {
    let start = html.find(r#"<nav class="site-nav""#).expect("a site menu");
    let nav = &html[start..start + html[start..].find("</nav>").expect("the menu closes")];
    nav.split("<li>")
        .skip(1)
        .map(|item| {
            let current = item
                .split_once(r#"aria-current=""#)
                .map(|(_, rest)| rest[..rest.find('"').expect("a value")].to_owned());
            let text =
                &item[item.find('>').expect("a link") + 1..item.find("</a>").expect("a link")];
            (text.to_owned(), current)
        })
        .collect()
}

#[test]
fn the_site_menu_marks_the_page_it_links_to_and_nothing_elsewhere() {
    let site =
        twenty_three_posts().file("content/about.md", "---\ntitle: 소개\n---\n안녕하세요.\n");
    site.build().run();
    let menu = |current: Option<&str>| -> Vec<(String, Option<String>)> {
        ["홈", "소개", "아카이브", "검색"]
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    (Some(*t) == current).then(|| "page".to_owned()),
                )
            })
            .collect()
    };
    assert_eq!(site_menu(&site.page("/")), menu(Some("홈")));
    assert_eq!(site_menu(&site.page("/about/")), menu(Some("소개")));
    assert_eq!(site_menu(&site.page("/archive/")), menu(Some("아카이브")));
    assert_eq!(site_menu(&site.page("/search/")), menu(Some("검색")));
    for page in ["/page/2/", "/posts/p03/", "/category/장사/"] {
        assert_eq!(site_menu(&site.page(page)), menu(None), "{page}");
    }
    assert_eq!(site_menu(&site.read("404.html")), menu(None));
}

#[test]
fn a_site_can_override_the_site_menu_partial() {
    let site = twenty_three_posts()
        .file("content/about.md", "---\ntitle: 소개\n---\n안녕하세요.\n")
        .file(
            "templates/partials/site_nav.html",
            "<nav class=\"mine\">[{{ current_path }}]{{ site.pages | length }}</nav>",
        );
    site.build().run();
    for (page, shown) in [
        ("/", "[/]"),
        ("/about/", "[/about/]"),
        ("/archive/", "[/archive/]"),
        ("/search/", "[/search/]"),
        ("/page/2/", "[]"),
        ("/posts/p03/", "[]"),
        ("/category/장사/", "[]"),
    ] {
        assert!(
            site.page(page)
                .contains(&format!(r#"<nav class="mine">{shown}1</nav>"#)),
            "{page}"
        );
    }
}

#[test]
fn a_copy_of_the_default_theme_without_a_navigation_partial_is_told_it_is_missing() {
    let templates = repo_root().join("themes/default/templates");
    for (partial, nav, golden) in [
        (
            "partials/category_nav.html",
            r#"<nav class="category-nav""#,
            "navigation/no-category-nav.stderr",
        ),
        (
            "partials/site_nav.html",
            r#"<nav class="site-nav""#,
            "navigation/no-site-nav.stderr",
        ),
    ] {
        let mut site = Site::new()
            .file("site.yaml", "title: 쪽\ntheme: copy\n")
            .file(
                "content/posts/a.md",
                post("가", "2025-03-01", "일지", "", "본문."),
            );
        // Every template of the default theme but the partial.
        for dir in [templates.clone(), templates.join("partials")] {
            for entry in std::fs::read_dir(&dir).expect("the default theme's templates") {
                let path = entry.expect("a template").path();
                if path.is_dir() || path.ends_with(partial) {
                    continue;
                }
                let rel = path.strip_prefix(&templates).expect("below templates/");
                let text = std::fs::read_to_string(&path).expect("a template's text");
                site = site.file(&format!("themes/copy/templates/{}", rel.display()), text);
            }
        }
        let words = std::fs::read(repo_root().join("themes/default/strings/ko.yaml"));
        site = site.file("themes/copy/strings/ko.yaml", words.expect("the words"));
        site.build().failure().stderr_golden(golden).run();
        assert!(!site.has("public"), "a failed build writes no output");

        // With the partial back, the header has it.
        site.write(
            &format!("themes/copy/templates/{partial}"),
            std::fs::read_to_string(templates.join(partial)).expect("the partial"),
        );
        site.build().run();
        assert!(site.page("/").contains(nav), "{partial}");
    }
}
