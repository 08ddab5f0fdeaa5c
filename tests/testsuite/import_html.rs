//! Tistory's editor HTML (issue 25, item 4): pasted into a Jekyll post, `ilji import`
//! turns it into Markdown (Liquid inside converted first) and the site builds; left in a
//! Markdown post as it is, the build reads it as the same Markdown (a blank line in its code
//! block cuts nothing), and the page fits a phone (checked in Chromium when it is
//! installed).
//!
//! The old blog is `tests/fixtures/import_html/jekyll/`; `raw-post.md` is a post that still
//! holds Tistory's markup.

use serde_json::json;

use crate::support::chromium::Browser;
use crate::support::serve::{Serve, START_TIMEOUT};
use crate::support::{fixture, Site};

fn written(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn pasted_tistory_html_is_imported_as_markdown_and_the_site_builds() {
    let site = Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    );
    let old = fixture("import_html/jekyll").display().to_string();
    let run = site.ilji(["import", &old]).run();
    let moved = written(&site, "content/posts/2019-05-01-moved.md");
    let body = moved.split_once("\n---\n").map_or("", |(_, b)| b);
    let want = "고객의 **불만**은 피할 수 없다. 지난 글은 [첫 글](/posts/first/)에 있다.

## 1. 예기치 못한 고객 불만

![가게 앞](/assets/shop.png \"가게 앞\")

```python
def late(days):
    return days > 3

print(late(5))
```

> 다음에는 더 나아질 것 같네요

- 사과한다
- 원인을 밝힌다

---

https://www.youtube.com/watch?v=dQw4w9WgXcQ

## 옮긴 뒤에 덧붙인 마크다운

이 문단은 *마크다운*으로 썼다.
";
    assert_eq!(body, want, "{moved}");
    // The plain Markdown post is left as it was.
    let first = written(&site, "content/posts/2019-04-01-first.md");
    assert!(
        first.ends_with("---\n블로그를 옮겨 왔습니다. **마크다운**으로 씁니다.\n"),
        "{first}"
    );
    let stderr = &run.stderr;
    assert!(
        stderr.contains(
            "2019-05-01-moved.md: Tistory HTML converted to Markdown; dropped a <script>"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("Tistory HTML").count(), 1, "{stderr}");

    site.build().run();
    let page = site.page("/posts/moved/");
    for html in [
        "<p>고객의 <strong>불만</strong>은 피할 수 없다. 지난 글은 <a href=\"/posts/first/\">첫 글</a>에 있다.</p>",
        "<figure><img src=\"/assets/shop.png\" alt=\"가게 앞\" width=",
        "<figcaption>가게 앞</figcaption></figure>",
        "<code class=\"language-python\">def late(days):\n    return days &gt; 3\n\nprint(late(5))\n</code>",
        "<blockquote>\n<p>다음에는 더 나아질 것 같네요</p>\n</blockquote>",
        "<li>원인을 밝힌다</li>",
        "<p>이 문단은 <em>마크다운</em>으로 썼다.</p>",
    ] {
        assert!(page.contains(html), "{html} not in {page}");
    }
    let article = page
        .split_once("<div class=\"content\">")
        .and_then(|(_, a)| a.split_once("</article>"))
        .map_or("", |(a, _)| a);
    for gone in [
        "data-ke",
        "style=",
        "<script",
        "tt_article",
        "&amp;nbsp;",
        "\u{a0}",
    ] {
        assert!(!article.contains(gone), "{gone} in {article}");
    }
    assert!(site.has("assets/shop.png"));
}

/// A post that holds Tistory's markup as it was pasted, built with the default theme.
fn raw_site() -> Site {
    Site::new()
        .file("site.yaml", "title: 가게\nbase_url: https://example.org/\n")
        .file(
            "content/posts/2024-05-01-raw.md",
            std::fs::read(fixture("import_html/raw-post.md")).expect("raw-post.md"),
        )
        .file(
            "static/wide.svg",
            std::fs::read(fixture("import_html/wide.svg")).expect("wide.svg"),
        )
}

#[test]
fn a_post_holding_tistory_html_is_built_from_the_markdown_it_stands_for() {
    let site = raw_site();
    site.build().run();
    let page = site.page("/posts/raw/");
    let article = page
        .split_once("<div class=\"content\">")
        .and_then(|(_, rest)| rest.split_once("<section class=\"comments\""))
        .map_or(page.as_str(), |(article, _)| article);
    // The blank line inside the code block does not cut it in two.
    assert!(
        article.contains(
            "<pre><code class=\"language-python\">def late(days):\n    return days &gt; 3\n\nprint(late(5))\n</code></pre>"
        ),
        "{article}"
    );
    for markup in [
        "<strong>불만</strong>은 피할 수 없다.",
        "1. 예기치 못한 고객 불만</h2>",
        "<img src=\"/wide.svg\" alt=\"가게 앞 넓은 사진\"",
        "<blockquote>",
        "<li>사과한다</li>",
        "<td><strong>포장 방식</strong> 변경</td>",
        "쿠폰은 다음 구매 때 10% 할인이다.",
    ] {
        assert!(article.contains(markup), "{markup} in {article}");
    }
    for gone in ["data-ke-", "style=", "tt_article", "onerror", "&amp;nbsp;"] {
        assert!(!article.contains(gone), "{gone} in {article}");
    }
    // Its words are the post's: counted for the reading time and found by search.
    let index = site.read("search/index.json");
    assert!(
        index.contains("포장"),
        "the search index lacks the post's words"
    );
}

#[test]
fn a_browser_shows_tistory_html_without_overflow() {
    let site = raw_site();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let mut tab = browser.open(&format!("{}posts/raw/", serve.url));
    let loaded = "document.readyState === 'complete' && !!document.querySelector('.content img')";
    tab.wait_for(loaded, &json!(true), START_TIMEOUT);
    // The 1600-pixel image and the 700-pixel one of the old editor fit the column: nothing
    // scrolls sideways.
    assert_eq!(
        tab.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        json!(true),
        "the page scrolls sideways"
    );
    let fits = "[...document.querySelectorAll('.content img, .content iframe')].every(e => \
                e.getBoundingClientRect().right <= document.querySelector('.content').getBoundingClientRect().right + 1)";
    assert_eq!(
        tab.eval(fits),
        json!(true),
        "an image or frame is wider than the text"
    );
}

#[test]
fn pasted_tistory_html_in_a_hugo_post_is_converted_after_its_shortcodes() {
    let site = Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    );
    let old = fixture("import_html/hugo").display().to_string();
    let run = site.ilji(["import", &old]).run();
    let moved = written(&site, "content/posts/2020-02-01-moved.md");
    let body = moved.split_once("\n---\n").map_or("", |(_, b)| b);
    assert_eq!(
        body,
        "지난 글은 [첫 글](/posts/first/)에 있다. **크게** 썼다.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n끝.\n",
        "{moved}"
    );
    assert!(
        run.stderr
            .contains("moved.md: Tistory HTML converted to Markdown"),
        "{}",
        run.stderr
    );
    site.build().run();
    let page = site.page("/posts/moved/");
    assert!(
        page.contains("<a href=\"/posts/first/\">첫 글</a>"),
        "{page}"
    );
}
