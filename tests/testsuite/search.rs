//! Search (README "Search"): the index a build publishes (every published post, no
//! draft, its text as word numbers), and the search page in a real headless Chromium
//! finding Korean words inside longer words, from the address and as typed.

use serde_json::json;

use crate::support::chromium::{Browser, Tab};
use crate::support::serve::{Serve, REBUILD_TIMEOUT, START_TIMEOUT};
use crate::support::{percent, Site};

#[test]
fn the_search_index_holds_every_published_post_and_no_draft() {
    let site = Site::fixture("search/index");
    site.build().run();
    assert!(
        site.has_page("/search/"),
        "the default theme has a search page"
    );
    // The index as JSON, its vocabulary and its posts' titles.
    let read_index = || {
        let index: serde_json::Value =
            serde_json::from_str(&site.read("search/index.json")).expect("the index is JSON");
        let words: Vec<String> = index["w"]
            .as_array()
            .expect("w")
            .iter()
            .filter_map(|w| w.as_str().map(str::to_owned))
            .collect();
        let titles: Vec<String> = index["p"]
            .as_array()
            .expect("p")
            .iter()
            .filter_map(|p| p[0].as_str().map(str::to_owned))
            .collect();
        (index, words, titles)
    };
    let (index, words, titles) = read_index();
    let posts = index["p"].as_array().expect("p");
    assert_eq!(titles, ["둘째 글", "첫 글"], "newest first, no draft");
    assert_eq!(posts[0][1], "/posts/b/");
    assert_eq!(posts[0][2], "2025.09.02");
    assert_eq!(posts[0][3], "운영");
    // The text comes back from the word numbers.
    let text: Vec<&str> = posts[1][4]
        .as_array()
        .expect("word numbers")
        .iter()
        .filter_map(|n| n.as_u64().map(|n| words[n as usize].as_str()))
        .collect();
    assert_eq!(text.join(" "), "불만 고객이 충성 고객으로 바뀌었다.");
    assert!(!words.iter().any(|w| w == "초안"), "nothing of the draft");

    // With --drafts the draft has its page, but the index still leaves it out.
    site.build().arg("--drafts").run();
    assert!(site.has_page("/posts/c/"), "the draft is published");
    let (_, words, titles) = read_index();
    assert_eq!(titles, ["둘째 글", "첫 글"], "no draft, even with --drafts");
    assert!(
        !words.iter().any(|w| w == "초안" || w == "낱말."),
        "nothing of the draft"
    );
}

/// Three posts whose words search must find inside longer Korean words.
fn search_site() -> Site {
    Site::fixture("search/blog")
}

/// Titles of the results shown, in order.
const RESULT_TITLES: &str =
    "Array.from(document.querySelectorAll('#search-results h2')).map(h => h.textContent)";

#[test]
fn search_finds_korean_words_inside_longer_words_from_the_address() {
    let site = search_site();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let url = format!("{}search/?q={}", serve.url, percent("충성"));
    let mut tab = browser.open(&url);
    // Title hits first, then the newest; "충성" is inside "충성도" and before "고객으로".
    tab.wait_for(
        RESULT_TITLES,
        &json!(["충성도 높이는 법", "불만 고객 이야기"]),
        START_TIMEOUT,
    );
    let html = tab.eval("document.querySelector('#search-results').innerHTML");
    assert!(
        html.as_str()
            .unwrap_or_default()
            .contains("<mark>충성</mark>"),
        "{html}"
    );
    let status = tab.eval("document.querySelector('#search-status').textContent");
    assert!(
        status.as_str().unwrap_or_default().contains("2건"),
        "{status}"
    );
    let link = tab.eval("document.querySelector('#search-results a').getAttribute('href')");
    assert_eq!(link, json!("/posts/loyalty-title/"));
}

#[test]
fn search_answers_typed_queries_with_particles_all_words_and_misses() {
    let site = search_site();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let mut tab = browser.open(&format!("{}search/", serve.url));
    tab.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('#search-input')",
        &json!(true),
        START_TIMEOUT,
    );
    let type_query = |tab: &mut Tab, q: &str| {
        let typed = tab.eval(&format!(
            "(() => {{ const i = document.querySelector('#search-input'); i.value = {q}; \
             i.dispatchEvent(new Event('input')); return true; }})()",
            q = json!(q)
        ));
        assert_eq!(typed, json!(true), "typing into the search box");
    };
    // "인간관계" is found inside "인간관계를".
    type_query(&mut tab, "인간관계");
    tab.wait_for(RESULT_TITLES, &json!(["사람 이야기"]), START_TIMEOUT);
    // Every word must match: "고객" is in two posts, "충성" in one of them.
    type_query(&mut tab, "고객 충성");
    tab.wait_for(RESULT_TITLES, &json!(["불만 고객 이야기"]), REBUILD_TIMEOUT);
    // A miss says so.
    type_query(&mut tab, "없는낱말");
    tab.wait_for(RESULT_TITLES, &json!([]), REBUILD_TIMEOUT);
    let status = tab.eval("document.querySelector('#search-status').textContent");
    assert!(
        status
            .as_str()
            .unwrap_or_default()
            .contains("검색 결과가 없습니다"),
        "{status}"
    );
}
