//! The live reload in a real headless Chromium: an edit shown without the test reloading
//! the page (a stylesheet swapped in place), a page of a restarted server following its
//! edits, and the error overlay shown and cleared.

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{blog, first_post, FIRST, FIRST_URL};
use crate::support::chromium::Browser;
use crate::support::percent;
use crate::support::serve::{Serve, REBUILD_TIMEOUT, START_TIMEOUT};

const H1: &str = "(document.querySelector('article h1') || {}).textContent || null";

#[test]
fn a_browser_shows_an_edit_without_the_test_reloading_it() {
    let site = blog();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let url = format!(
        "{}{}",
        serve.url,
        percent(FIRST_URL).trim_start_matches('/')
    );
    let mut tab = browser.open(&url);
    tab.wait_for(H1, &json!("첫 글"), START_TIMEOUT);
    tab.wait_for("document.readyState", &json!("complete"), START_TIMEOUT);
    // A mark on this document: a reload (which the test never asks for) wipes it.
    tab.eval("window.__iljiTestMark = 'same document'");

    // A stylesheet edit is swapped in without a reload.
    let css_path = site.root().join("themes/default/static/style.css");
    let mut css = fs::read_to_string(&css_path).expect("theme css");
    css.push_str("\narticle h1 { color: rgb(1, 2, 3) !important; }\n");
    site.write("themes/default/static/style.css", &css);
    tab.wait_for(
        "getComputedStyle(document.querySelector('article h1')).color",
        &json!("rgb(1, 2, 3)"),
        REBUILD_TIMEOUT,
    );
    assert_eq!(
        tab.eval("window.__iljiTestMark || null"),
        json!("same document"),
        "a CSS change reloaded the page"
    );

    // The post's title is edited in its Markdown: the page shows it by itself.
    site.write(
        FIRST,
        first_post("브라우저가 본 새 제목", "첫 번째 본문입니다."),
    );
    tab.wait_for(H1, &json!("브라우저가 본 새 제목"), REBUILD_TIMEOUT);
    // The page fetched itself again and swapped its body in place: same document, new
    // content, and the test never navigated.
    assert_eq!(
        tab.eval("window.__iljiTestMark || null"),
        json!("same document"),
        "the page was updated in place, not navigated away"
    );
    assert_eq!(
        tab.eval("document.title"),
        json!("브라우저가 본 새 제목 · 미리보기")
    );
    assert_eq!(
        tab.eval("decodeURIComponent(location.pathname)"),
        json!(FIRST_URL)
    );
}

#[test]
fn a_page_of_a_restarted_server_reloads_and_follows_edits() {
    let site = blog();
    let mut first = Serve::start(&site);
    let port = first.port.to_string();
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let url = format!(
        "{}{}",
        first.url,
        percent(FIRST_URL).trim_start_matches('/')
    );
    let mut tab = browser.open(&url);
    tab.wait_for(H1, &json!("첫 글"), START_TIMEOUT);
    // An edit, so that the page's generation is past what a new server starts from.
    site.write(FIRST, first_post("첫 서버의 제목", "본문."));
    first.rebuilt(FIRST);
    tab.wait_for(H1, &json!("첫 서버의 제목"), REBUILD_TIMEOUT);
    assert_eq!(first.interrupt().code(), Some(0));

    // A new server on the same port: the open page finds it and follows its edits.
    let mut second = Serve::start_with(&site, &["--port", &port]);
    site.write(FIRST, first_post("새 서버의 제목", "본문."));
    second.rebuilt(FIRST);
    tab.wait_for(H1, &json!("새 서버의 제목"), REBUILD_TIMEOUT);
}

#[test]
fn a_browser_shows_the_error_overlay_and_recovers() {
    let site = blog();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let mut tab = browser.open(&serve.url);
    tab.wait_for("document.readyState", &json!("complete"), START_TIMEOUT);
    tab.wait_for(
        "document.querySelector('h1') !== null && document.getElementById('ilji-error') === null",
        &json!(true),
        START_TIMEOUT,
    );

    site.write(
        FIRST,
        "---\ntitle: 첫 글\ndate: 2025-01-01T09:00:00+09:00\ncategory: 일지: 둘\n---\n본문\n",
    );
    let overlay = "(document.getElementById('ilji-error') || {}).textContent || null";
    let deadline = Instant::now() + REBUILD_TIMEOUT;
    let text = loop {
        if let Value::String(text) = tab.eval(overlay) {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "the home page never showed the error overlay"
        );
        thread::sleep(Duration::from_millis(100));
    };
    assert!(text.contains("content/posts/첫-글.md"), "{text}");
    assert_eq!(
        tab.eval("document.getElementById('ilji-error').getAttribute('role')"),
        json!("alert")
    );

    site.write(FIRST, first_post("다시 좋아진 글", "본문."));
    tab.wait_for(
        "document.getElementById('ilji-error') === null && document.body.textContent.includes('다시 좋아진 글')",
        &json!(true),
        REBUILD_TIMEOUT,
    );
}
