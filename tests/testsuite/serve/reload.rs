//! An edit and the reload signal: waiting pages hear which pages changed, a stylesheet
//! change is CSS only, an error is shown as an overlay over the last good page (escaped),
//! the fix reloads every page, and a site broken at start is served once fixed.

use std::fs;
use std::thread;
use std::time::Duration;

use serde_json::json;

use super::{blog, first_post, FIRST, FIRST_URL};
use crate::support::post;
use crate::support::serve::{changed_count, generation, join, poll_pages, Serve, START_TIMEOUT};

#[test]
fn an_edit_is_announced_to_waiting_pages_and_served() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let before = serve.page(FIRST_URL);
    assert_eq!(before.status, 200);
    let gen = generation(&before.text());

    // A page's poll waits while nothing changes; pages are served meanwhile.
    let pending = serve.poll(gen);
    thread::sleep(Duration::from_millis(300));
    assert!(
        !pending.is_finished(),
        "a poll with nothing new answered at once"
    );
    assert_eq!(serve.get("/").status, 200, "a pending poll blocks pages");

    site.write(FIRST, first_post("첫 글", "고친 본문입니다."));
    let line = serve.rebuilt(FIRST);

    let answer = join(pending);
    let new_gen = answer["generation"].as_u64().expect("a generation");
    assert!(new_gen > gen, "{answer}");
    assert_eq!(answer["all"], json!(false), "{answer}");
    assert_eq!(answer["css_only"], json!(false), "{answer}");
    let pages = poll_pages(&answer);
    assert!(
        pages.contains(FIRST_URL),
        "the edited post (decoded path) is among the pages: {answer}"
    );
    assert!(
        !pages.contains("/posts/other/"),
        "a post of another category did not change: {answer}"
    );
    assert_eq!(
        changed_count(&line),
        Some(pages.len()),
        "the log counts the changed pages: {line} vs {answer}"
    );

    let after = serve.page(FIRST_URL);
    assert_eq!(after.status, 200);
    let html = after.text();
    assert!(html.contains("고친 본문입니다."), "{html}");
    assert!(!html.contains("첫 번째 본문입니다."), "{html}");
    assert_eq!(
        generation(&html),
        new_gen,
        "a page served now starts from the new generation"
    );

    // A page that polls late hears of the same change at once.
    let late = join(serve.poll(gen));
    assert_eq!(late["generation"], json!(new_gen));
    assert!(poll_pages(&late).contains(FIRST_URL));
}

#[test]
fn a_stylesheet_change_is_css_only() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let gen = generation(&serve.get("/").text());
    let pending = serve.poll(gen);
    let css_path = site.root().join("themes/default/static/style.css");
    let mut css = fs::read_to_string(&css_path).expect("theme css");
    css.push_str("\nh1 { color: rgb(1, 2, 3); }\n");
    site.write("themes/default/static/style.css", &css);
    let line = serve.rebuilt("themes/default/static/style.css");
    assert!(line.contains("stylesheet swapped"), "{line}");

    let answer = join(pending);
    assert_eq!(answer["css_only"], json!(true), "{answer}");
    assert_eq!(answer["all"], json!(false), "{answer}");
    assert!(poll_pages(&answer).is_empty(), "no page changed: {answer}");
    assert_eq!(serve.get("/style.css").text(), css);
}

#[test]
fn an_error_shows_an_overlay_over_the_last_good_page_and_recovery_reloads_all() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let gen = generation(&serve.page(FIRST_URL).text());
    let pending = serve.poll(gen);

    site.write(
        FIRST,
        "---\ntitle: 첫 글\ndate: 2025-01-01T09:00:00+09:00\ncategory: 일지: 둘\n---\n본문\n",
    );
    let line = serve.failed(FIRST);
    assert!(
        line.contains("content/posts/첫-글.md:"),
        "names the file and line: {line}"
    );
    let broken = join(pending);
    assert_eq!(
        broken["all"],
        json!(true),
        "every page shows the error: {broken}"
    );
    let broken_gen = broken["generation"].as_u64().expect("a generation");

    // The last good page, with the overlay naming the file.
    let page = serve.page(FIRST_URL);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("첫 번째 본문입니다."),
        "the last good page: {html}"
    );
    let overlay = html
        .find(r#"<div id="ilji-error" role="alert""#)
        .unwrap_or_else(|| panic!("no error overlay:\n{html}"));
    let overlay = &html[overlay..];
    let pre = &overlay[overlay.find("<pre").expect("the error text in <pre>")..];
    let pre = &pre[..pre.find("</pre>").expect("</pre>")];
    assert!(pre.contains("content/posts/첫-글.md:"), "{pre}");
    assert!(pre.contains("error"), "{pre}");
    // Every HTML page carries it, the 404 page too.
    for other in ["/", "/posts/other/", "/posts/nothing/"] {
        assert!(
            serve.page(other).text().contains(r#"id="ilji-error""#),
            "{other} lacks the overlay"
        );
    }
    assert!(!serve.get("/style.css").text().contains("ilji-error"));

    // The fix: every page reloads, the overlay is gone, the fix is shown.
    let pending = serve.poll(broken_gen);
    site.write(FIRST, first_post("첫 글", "고쳐진 본문입니다."));
    serve.rebuilt(FIRST);
    let recovered = join(pending);
    assert_eq!(
        recovered["all"],
        json!(true),
        "recovery reloads every page: {recovered}"
    );
    let html = serve.page(FIRST_URL).text();
    assert!(!html.contains("ilji-error"), "{html}");
    assert!(html.contains("고쳐진 본문입니다."), "{html}");
    assert!(!serve.page("/").text().contains("ilji-error"));
}

#[test]
fn the_error_overlay_escapes_the_error_text() {
    let site = blog();
    let mut serve = Serve::start(&site);
    site.write("site.yaml", "title: 미리보기\n<b>oops</b>: 1\n");
    let line = serve.failed("site.yaml");
    assert!(
        line.contains("<b>oops</b>"),
        "the unknown key is named: {line}"
    );
    let html = serve.get("/").text();
    assert!(html.contains(r#"id="ilji-error""#), "{html}");
    assert!(
        html.contains("&lt;b&gt;oops&lt;/b&gt;"),
        "escaped in the overlay: {html}"
    );
    assert!(
        !html.contains("<b>oops</b>"),
        "raw HTML from the error: {html}"
    );

    site.write("site.yaml", "title: 미리보기\n");
    serve.rebuilt("site.yaml");
    assert!(!serve.get("/").text().contains("ilji-error"));
}

#[test]
fn a_site_broken_at_start_is_served_once_fixed() {
    let site = blog().file(
        "content/posts/second.md",
        "---\ntitle: 두 번째 글\ndate: 2025-01-02\n---\n분류가 없다.\n",
    );
    let mut serve = Serve::start(&site);
    serve.wait_log("naming the broken file", START_TIMEOUT, |l| {
        l.contains("content/posts/second.md")
    });
    let home = serve.get("/");
    assert!(home.is_html());
    let html = home.text();
    assert!(
        html.contains(r#"id="ilji-error""#),
        "the error is shown: {html}"
    );
    assert!(html.contains("content/posts/second.md"), "{html}");
    assert!(
        html.contains("/__ilji/poll"),
        "and the page waits for the fix"
    );

    site.write(
        "content/posts/second.md",
        post(
            "두 번째 글",
            "2025-01-02T09:00:00+09:00",
            "일지",
            "",
            "고쳤다.",
        ),
    );
    serve.rebuilt("content/posts/second.md");
    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert!(!home.text().contains("ilji-error"));
    assert!(serve.page("/posts/second/").text().contains("고쳤다."));
}

#[test]
fn a_broken_template_shows_the_overlay_and_fixing_it_recovers() {
    let site = blog();
    let mut serve = Serve::start(&site);
    site.write(
        "templates/post.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title {% endblock main %}\n",
    );
    let line = serve.failed("templates/post.html");
    assert!(
        line.contains("templates/post.html:2"),
        "names the template and line: {line}"
    );
    let html = serve.page(FIRST_URL).text();
    assert!(html.contains(r#"id="ilji-error""#), "{html}");
    assert!(
        html.contains("첫 번째 본문입니다."),
        "over the last good page"
    );

    site.write("templates/post.html", "{% extends \"base.html\" %}\n{% block main %}<p class=\"fixed\">{{ page.title }}</p>{% endblock main %}\n");
    serve.rebuilt("templates/post.html");
    let html = serve.page(FIRST_URL).text();
    assert!(!html.contains("ilji-error"), "{html}");
    assert!(html.contains(r#"<p class="fixed">첫 글</p>"#), "{html}");
}
