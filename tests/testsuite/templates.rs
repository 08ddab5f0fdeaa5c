//! Templates: the partials that print one entry of a list (`partials/entry.html`) and one
//! item of the others list (`partials/other_post.html`), what a theme without them does or
//! is told, the site's own `templates/` overriding the theme file by file, and how HTML that
//! ilji made prints (as it is) beside text (escaped).

use crate::lists::twenty_three_posts;
use crate::others_list::{titles, twelve_posts};
use crate::support::{category_others, post, repo_root, OtherPost, Site};

#[test]
fn the_entry_partial_prints_each_entry_of_every_list_and_knows_a_category_page() {
    let site = twenty_three_posts()
        .file("content/posts/p23.md", post("글 23", "2025-03-23", "기록", "tags: [태그]", "본문."))
        .file(
            "templates/partials/entry.html",
            "<p class=\"mine\">{{ e.title }}|{% if category %}{{ category.name }} {{ category.count }}{% else %}-{% endif %}|{{ site.title }}</p>\n",
        );
    site.build().run();
    let entries = |page: &str| -> Vec<String> {
        let html = site.page(page);
        html.match_indices("<p class=\"mine\">")
            .map(|(i, _)| {
                let rest = &html[i + 16..];
                rest[..rest.find("</p>").expect("entry closes")].to_owned()
            })
            .collect()
    };
    assert_eq!(
        entries("/")[..2],
        ["글 23|-|쪽".to_owned(), "글 22|-|쪽".to_owned()]
    );
    assert_eq!(
        entries("/page/3/"),
        ["글 03|-|쪽", "글 02|-|쪽", "글 01|-|쪽"]
    );
    // On its category's pages, the same post is printed with the category.
    assert_eq!(entries("/category/기록/")[0], "글 23|기록 11|쪽");
    assert_eq!(
        entries("/category/장사/page/2/"),
        ["글 02|장사 12|쪽", "글 01|장사 12|쪽"]
    );
    assert_eq!(entries("/tags/태그/"), ["글 23|-|쪽"]);
    // Each entry sits in the default list's markup.
    assert!(site.page("/").contains(
        "<ol class=\"entry-list\">\n  <li>\n    <p class=\"mine\">글 23|-|쪽</p>\n  </li>"
    ));
}

/// The fixture site `sites/plain-theme`: theme `plain`, whose required templates print
/// nothing but a doctype, and two posts of one category, 가 (2025-03-01) and 나
/// (2025-03-02); with `template` (a file of the theme's templates/) set to `text`.
fn plain_theme_with_two_posts(template: &str, text: &str) -> Site {
    Site::fixture("sites/plain-theme").file(&format!("themes/plain/templates/{template}"), text)
}

#[test]
fn a_theme_without_the_entry_partial_lists_entries_itself_or_is_told_it_is_missing() {
    let site = plain_theme_with_two_posts(
        "index.html",
        "{% for e in paginator.pages %}[{{ e.title }}|{% if e.html %}html{% else %}none{% endif %}]{% endfor %}",
    );
    site.build().run();
    assert_eq!(site.page("/"), "[나|none][가|none]");

    // The default theme's list without the entry partial: an error naming both, not empty
    // entries.
    let default_list = std::fs::read_to_string(
        repo_root().join("themes/default/templates/partials/entry_list.html"),
    )
    .expect("the default theme's entry list");
    site.write(
        "themes/plain/templates/index.html",
        "{% include \"partials/entry_list.html\" %}",
    );
    site.write(
        "themes/plain/templates/partials/entry_list.html",
        &default_list,
    );
    let words = repo_root().join("themes/default/strings/ko.yaml");
    site.write(
        "themes/plain/strings/ko.yaml",
        std::fs::read(words).expect("words"),
    );
    site.build()
        .failure()
        .stderr_golden("templates/no-entry-partial.stderr")
        .run();
}

#[test]
fn the_other_post_partial_prints_each_item_of_the_others_list() {
    let site = twelve_posts().file(
        "templates/partials/other_post.html",
        "<li class=\"mine\">{{ o.title }}|{{ o.comment_count }}|{{ site.title }}</li>",
    );
    site.build().run();
    let page = site.page("/posts/p06/");
    // Each item sits in the default list's markup, in the list's order.
    assert!(page.contains(
        "<ul>\n    <li class=\"mine\">글 10|0|목록</li>\n    <li class=\"mine\">글 09|0|목록</li>"
    ));
    let items: Vec<&str> = page
        .match_indices("<li class=\"mine\">")
        .map(|(i, _)| &page[i + 17..i + 17 + page[i + 17..].find('|').expect("a title")])
        .collect();
    assert_eq!(items, titles(&[10, 9, 8, 7, 5, 4, 3, 2]));
    // The same post in another post's list is printed the same.
    assert!(site
        .page("/posts/p01/")
        .contains("<li class=\"mine\">글 09|0|목록</li>"));
}

#[test]
fn a_theme_without_the_other_post_partial_lists_others_itself_or_is_told_it_is_missing() {
    let site = plain_theme_with_two_posts(
        "post.html",
        "{% for o in page.others %}[{{ o.title }}|{% if o.html %}html{% else %}none{% endif %}]{% endfor %}",
    );
    site.build().run();
    assert_eq!(site.page("/posts/a/"), "[나|none]");

    // The default theme's post page without the partial: an error naming both, not empty
    // items.
    let templates = repo_root().join("themes/default/templates");
    for name in [
        "base.html",
        "post.html",
        "partials/tags.html",
        "partials/toc.html",
        "partials/comments.html",
        "partials/category_nav.html",
        "partials/site_nav.html",
        "../strings/ko.yaml",
    ] {
        let text = std::fs::read_to_string(templates.join(name)).expect("a default template");
        site.write(&format!("themes/plain/templates/{name}"), &text);
    }
    site.build()
        .failure()
        .stderr_golden("templates/no-other-post-partial.stderr")
        .run();
    assert!(!site.has("public"), "a failed build writes no output");

    // With the partial back, the list is the SPEC's markup.
    site.write(
        "themes/plain/templates/partials/other_post.html",
        std::fs::read_to_string(templates.join("partials/other_post.html"))
            .expect("the other post partial"),
    );
    site.build().run();
    assert_eq!(
        category_others(&site.page("/posts/a/")),
        [OtherPost {
            title: "나".into(),
            url: "/posts/b/".into(),
            comments: "(0)".into(),
            datetime: "2025-03-02T00:00:00+09:00".into(),
            date: "2025.03.02".into(),
        }]
    );
    // And each link carries what the partial made of it.
    site.write(
        "themes/plain/templates/post.html",
        "{% for o in page.others %}{{ o.html }}{% endfor %}",
    );
    site.build().run();
    assert!(site
        .page("/posts/a/")
        .starts_with(r#"<li><a href="/posts/b/">나</a> "#));
}

#[test]
fn a_site_template_overrides_the_theme_file_by_file() {
    let site = Site::fixture("templates/site-override");
    site.build().run();

    let post_page = site.page("/posts/a/");
    assert!(post_page.contains(r#"<p id="override">덮어쓴 글</p>"#));
    assert!(
        !post_page.contains("category-others") && !post_page.contains("site-header"),
        "the theme's post.html is not used:\n{post_page}"
    );

    let theme_base =
        std::fs::read_to_string(repo_root().join("themes/default/templates/base.html"))
            .expect("read the theme's base.html");
    assert!(
        theme_base.contains("site-header"),
        "the marker below comes from base.html"
    );
    let home = site.page("/");
    assert!(
        home.contains("site-header"),
        "index.html still comes from the theme"
    );
    assert!(!home.contains("override"));
}

#[test]
fn html_from_ilji_prints_as_it_is_with_or_without_safe_and_text_is_escaped() {
    let site = Site::fixture("templates/html-from-ilji");
    site.build().run();

    let page = site.page("/posts/a/");
    assert!(
        page.contains("<h1>&lt;b&gt;제목&lt;/b&gt; &amp; 꼴</h1>"),
        "text is escaped:\n{page}"
    );
    let body = "<p><strong>굵은</strong> 본문.</p>";
    assert!(
        page.contains(&format!("<div id=\"plain\">{body}\n</div>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<div id=\"safe\">{body}\n</div>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<p id=\"summary\">{body}\n</p>")),
        "{page}"
    );
    assert!(
        page.contains("<p id=\"comment\"><p><em>좋은</em> 글</p>"),
        "{page}"
    );
    assert!(
        page.contains("<script>{\"@context\":\"https://schema.org\""),
        "{page}"
    );
    assert!(site.page("/").contains(&format!("<li>{body}\n</li>")));
}
