//! The default theme's own words in the site's language (README "Templates", the theme's
//! `strings/ko.yaml` and `strings/en.yaml`, printed as `t`): English on a `language: en`
//! site (`theme_strings/en`, written in English, so no Hangul may be left anywhere in its
//! pages), Korean on a site of any other language and for a word English lacks, clear
//! errors for a broken strings file or a word no file has, and the words of the search
//! page's script too, in a real Chromium.

use serde_json::json;

use crate::support::chromium::Browser;
use crate::support::serve::{Serve, START_TIMEOUT};
use crate::support::Site;

/// The English fixture site with `language:` set to `language`.
fn site_in(language: &str) -> Site {
    let site = Site::fixture("theme_strings/en");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write(
        "site.yaml",
        yaml.replace("language: en", &format!("language: {language}")),
    );
    site
}

fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

#[test]
fn an_english_site_has_no_korean_word_of_the_theme() {
    let site = english_site();
    let pages: Vec<_> = site
        .snapshot()
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .collect();
    // Every kind of page: home and its second page, posts (one a draft), a page, category
    // and tag pages, the archive, search and 404.
    assert_eq!(
        pages.len(),
        14,
        "{:?}",
        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    for (path, bytes) in &pages {
        let html = String::from_utf8_lossy(bytes);
        let korean: Vec<&str> = html.lines().filter(|l| has_hangul(l)).collect();
        assert!(
            korean.is_empty(),
            "{}:\n{}",
            path.display(),
            korean.join("\n")
        );
    }
}

/// The English fixture site, built with its draft.
fn english_site() -> Site {
    let site = Site::fixture("theme_strings/en");
    site.build().arg("--drafts").run();
    site
}

/// Asserts that the page at `url` holds each of `texts`.
fn assert_page_has(site: &Site, url: &str, texts: &[&str]) {
    let html = site.page(url);
    for text in texts {
        assert!(html.contains(text), "{url} lacks {text}:\n{html}");
    }
}

#[test]
fn an_english_post_says_each_word_in_english() {
    let site = english_site();
    let has = |url: &str, texts: &[&str]| assert_page_has(&site, url, texts);
    has(
        "/posts/prices/",
        &[
            r##"<a class="skip-link" href="#main">Skip to content</a>"##,
            r#"<nav class="category-nav" aria-label="Categories">"#,
            r#"<nav class="site-nav" aria-label="Site menu">"#,
            r#"<li><a href="/">Home</a></li>"#,
            r#"<li><a href="/archive/">Archive</a></li>"#,
            r#"<li><a href="/search/">Search</a></li>"#,
            "<span>1 min read</span> <span>Updated <time",
            r#"<nav class="toc" aria-label="Contents">"#,
            r#"<h2 id="comments-heading">2 comments</h2>"#,
            r#"<nav class="post-nav" aria-label="Previous and next post">"#,
            "</span> Previous post</span>",
            r#"<span class="label">Next post <span"#,
            r#"<nav class="category-others" aria-label="Other posts in 'release'">"#,
            "<h2>Other posts in 'release'</h2>",
            r#"<li><a href="/archive/">All posts</a></li>"#,
            r#"<li><a href="/atom.xml">Subscribe to the feed</a></li>"#,
            r#"<meta property="og:locale" content="en_US">"#,
        ],
    );
    has(
        "/posts/opening/",
        &[r#"<h2 id="comments-heading">1 comment</h2>"#],
    );
    has(
        "/posts/hours/",
        &["<p class=\"empty\">No comments yet. The first word could be yours.</p>"],
    );
    has("/posts/notes/", &[r#"<span class="badge">Draft</span>"#]);
    has(
        "/about/",
        &[
            "<span>Updated <time",
            r#"<nav class="toc" aria-label="Contents">"#,
        ],
    );
}

#[test]
fn english_lists_say_each_word_in_english() {
    let site = english_site();
    let has = |url: &str, texts: &[&str]| assert_page_has(&site, url, texts);
    has(
        "/",
        &[
            r#"<span class="comment-count">0 comments</span>"#,
            r#"<nav class="pager" aria-label="Pages">"#,
            r#"rel="next">Next <span"#,
            r#"<span class="badge">Draft</span>"#,
        ],
    );
    has(
        "/page/2/",
        &[
            "<title>Page 2 · Corner Shop Notes</title>",
            "</span> Previous</a>",
            r#"<span class="comment-count">2 comments</span>"#,
            r#"<span class="comment-count">1 comment</span>"#,
        ],
    );
    has(
        "/category/release/page/2/",
        &[
            "<title>release (Page 2) · Corner Shop Notes</title>",
            r#"<p class="eyebrow">Category</p>"#,
            r#"<h1>release <span class="count">4 posts</span></h1>"#,
            "Subscribe to this category</a>",
        ],
    );
    has(
        "/tags/shop/",
        &[
            r#"<p class="eyebrow">Tag</p>"#,
            r#"<h1>#shop <span class="count">2 posts</span></h1>"#,
        ],
    );
    has(
        "/tags/prices/",
        &[r#"<h1>#prices <span class="count">1 post</span></h1>"#],
    );
}

#[test]
fn the_english_archive_search_and_404_pages_say_each_word_in_english() {
    let site = english_site();
    let has = |url: &str, texts: &[&str]| assert_page_has(&site, url, texts);
    has(
        "/archive/",
        &[
            "<title>Archive · Corner Shop Notes</title>",
            r#"<nav class="year-nav" aria-label="Jump to a year">"#,
            r##"<li><a href="#y2025">2025</a></li>"##,
            r#"<h2 id="y2025-heading">2025 <span class="count">4 posts</span></h2>"#,
            r#"<h3 id="y2025m9">September <span class="count">3</span></h3>"#,
            r#"<h3 id="y2025m8">August <span class="count">1</span></h3>"#,
        ],
    );
    has(
        "/search/",
        &[
            "<title>Search · Corner Shop Notes</title>",
            r#"<label for="search-input">Words to find</label>"#,
            r#"placeholder="e.g. customer complaints, relationships""#,
            r#"<button type="submit">Search</button>"#,
            "Search runs on your browser's JavaScript. Every post is listed in the \
             <a href=\"/archive/\">archive</a>.</p>",
        ],
    );
    let not_found = site.read("404.html");
    for text in [
        "<title>Page not found · Corner Shop Notes</title>",
        r#"<h1 id="not-found-heading">Page not found</h1>"#,
        ">Go to the home page</a>",
        ">Browse the archive</a>",
    ] {
        assert!(not_found.contains(text), "404.html lacks {text}");
    }
}

#[test]
fn english_is_chosen_by_the_language_before_its_region() {
    let site = site_in("en-GB");
    site.build().run();
    let html = site.page("/posts/prices/");
    assert!(html.contains(r#"<html lang="en-GB">"#));
    assert!(html.contains("<h2>Other posts in 'release'</h2>"), "{html}");
    assert!(!has_hangul(&html), "{html}");
}

#[test]
fn a_site_in_a_language_without_words_gets_the_korean_ones() {
    for language in ["ja", "ko"] {
        let site = site_in(language);
        site.build().run();
        let html = site.page("/posts/prices/");
        assert!(html.contains(&format!(r#"<html lang="{language}">"#)));
        for text in [
            "<h2>'release' 카테고리의 다른 글</h2>",
            "<span>1분 분량</span> <span>수정 <time",
            r#"<h2 id="comments-heading">댓글 2</h2>"#,
            r#"<li><a href="/">홈</a></li>"#,
        ] {
            assert!(html.contains(text), "{language}: no {text}:\n{html}");
        }
        let archive = site.page("/archive/");
        assert!(
            archive.contains(r#"<h3 id="y2025m9">9월 <span class="count">2</span></h3>"#),
            "{language}: {archive}"
        );
    }
}

#[test]
fn a_theme_speaks_a_language_it_has_a_strings_file_for() {
    // Japanese words for one key: the others are the Korean ones.
    let site = site_in("ja-JP").file(
        "themes/default/strings/ja.yaml",
        "other_posts: \"「{name}」の他の記事\"\n",
    );
    site.build().run();
    let html = site.page("/posts/prices/");
    assert!(html.contains("<h2>「release」の他の記事</h2>"), "{html}");
    assert!(html.contains(r#"<li><a href="/">홈</a></li>"#), "{html}");
}

#[test]
fn a_word_the_english_file_lacks_is_said_in_korean() {
    let site = Site::fixture("theme_strings/en");
    let path = site.root().join("themes/default/strings/en.yaml");
    let english = std::fs::read_to_string(&path).expect("en.yaml");
    assert!(
        english.contains("\narchive: Archive\n"),
        "en.yaml moved its archive"
    );
    site.write(
        "themes/default/strings/en.yaml",
        english.replace("\narchive: Archive\n", "\n"),
    );
    site.build().run();
    let html = site.page("/posts/prices/");
    assert!(
        html.contains(r#"<li><a href="/archive/">아카이브</a></li>"#),
        "{html}"
    );
    assert!(html.contains(r#"<li><a href="/">Home</a></li>"#), "{html}");
}

#[test]
fn a_word_no_strings_file_has_is_an_error_naming_it() {
    let site = Site::fixture("theme_strings/en")
        .file("templates/partials/tags.html", "<p>{{ t.tag_cloud }}</p>\n");
    site.build()
        .failure()
        .stderr_has("templates/partials/tags.html:1:9: Field `tag_cloud` is not defined")
        .stderr_has("`tag_cloud` is not a word of the theme's strings files: add `tag_cloud:`")
        .run();
}

#[test]
fn a_broken_strings_file_is_an_error_at_its_line() {
    let site = Site::fixture("theme_strings/en").file(
        "themes/default/strings/en.yaml",
        "home: Home\nposts:\n  - one\n  - two\n",
    );
    site.build()
        .failure()
        .stderr_has("themes/default/strings/en.yaml:3:3: posts: invalid type: sequence")
        .stderr_has("each key of a strings file is a word")
        .run();
}

#[test]
fn a_number_a_word_has_no_form_for_is_an_error() {
    let site = Site::fixture("theme_strings/en").file(
        "themes/default/strings/en.yaml",
        "posts:\n  one: \"{n} post\"\n",
    );
    site.build()
        .failure()
        .stderr_has("this word has no form for ")
        .stderr_has("give it an `other:`")
        .run();
}

#[test]
fn the_search_page_of_an_english_site_reports_in_english() {
    let site = Site::fixture("theme_strings/en");
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let status = "document.querySelector('#search-status').textContent";
    let mut tab = browser.open(&format!("{}search/?q=prices", serve.url));
    tab.wait_for(status, &json!("1 result for ‘prices’"), START_TIMEOUT);
    let mut tab = browser.open(&format!("{}search/?q=at", serve.url));
    tab.wait_for(status, &json!("3 results for ‘at’"), START_TIMEOUT);
    let mut tab = browser.open(&format!("{}search/?q=zebra", serve.url));
    tab.wait_for(status, &json!("No results for ‘zebra’."), START_TIMEOUT);
}

#[test]
fn a_theme_copying_a_default_template_without_its_words_is_told_to_copy_them() {
    let site = plain_theme_site();
    let menu = std::fs::read(
        site.root()
            .join("themes/default/templates/partials/site_nav.html"),
    )
    .expect("the default site menu");
    site.write("themes/plain/templates/partials/site_nav.html", menu);
    site.build()
        .failure()
        .stderr_golden("theme_strings/no-strings.stderr")
        .run();
}

#[test]
fn a_theme_without_words_builds_as_before() {
    let site = plain_theme_site();
    site.build().run();
    assert_eq!(site.page("/"), "Plain");
}

/// The English fixture site with a theme `plain` of the required templates, each printing
/// only the site's title, and no strings/ folder.
fn plain_theme_site() -> Site {
    let site = Site::fixture("theme_strings/en")
        .file("site.yaml", "title: Plain\nlanguage: en\ntheme: plain\n");
    for name in ilji::render::REQUIRED_TEMPLATES {
        site.write(
            &format!("themes/plain/templates/{name}"),
            "{{ site.title }}",
        );
    }
    site
}

#[cfg(unix)]
#[test]
fn strings_linked_from_outside_the_site_are_not_read() {
    let outside = Site::new();
    outside.write("strings/ko.yaml", "home: 바깥\n");
    outside.write("en.yaml", "home: Leaked\n");
    let link = |from: &str, to: &str| {
        let at = Site::fixture("theme_strings/en");
        let path = at.root().join(to);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).expect("remove the strings folder");
        } else {
            std::fs::remove_file(&path).expect("remove a strings file");
        }
        std::os::unix::fs::symlink(outside.root().join(from), path).expect("a link");
        at
    };
    // A linked folder is refused; a linked file is passed over, as a linked template is.
    let folder = link("strings", "themes/default/strings");
    folder
        .build()
        .failure()
        .stderr_has("themes/default/strings: this leads outside the site's folder")
        .run();
    let file = link("en.yaml", "themes/default/strings/en.yaml");
    file.build().run();
    let html = file.page("/posts/prices/");
    assert!(!html.contains("Leaked"), "{html}");
    assert!(html.contains(r#"<li><a href="/">홈</a></li>"#), "{html}");
}
