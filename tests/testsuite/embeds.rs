//! Videos in a post (issue 26, item 5): a paragraph that is only a YouTube or Vimeo address
//! becomes a privacy-enhanced, lazy embed that keeps a link (in the page and in the Atom
//! feed), other addresses stay links, a `.mp4` referenced as an image becomes a `<video>`,
//! and the page fits a 390 px phone (checked in Chromium when it is installed).
//!
//! The site is `tests/fixtures/embeds/videos/`: one bundle post with YouTube (`watch?v=`
//! with a start time, `youtu.be` as an autolink), Vimeo, a channel address, addresses in a
//! sentence and in a list, a video file and a pasted 560-pixel `<iframe>`.

use serde_json::json;

use crate::support::chromium::Browser;
use crate::support::serve::{Serve, START_TIMEOUT};
use crate::support::Site;

const ATOM: &str = "http://www.w3.org/2005/Atom";

const WATCH_AT_90: &str = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=90s";

fn video_site() -> Site {
    Site::fixture("embeds/videos")
}

/// The embeds the body shows, in order: each player's address and its link.
fn embeds(html: &str) -> Vec<(String, String)> {
    html.split("<figure class=\"video-embed\">")
        .skip(1)
        .map(|figure| {
            let attr = |name: &str| {
                let at = figure.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
                figure[at..]
                    .split('"')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            };
            (attr("src"), attr("href"))
        })
        .collect()
}

#[test]
fn video_lines_become_embeds_and_other_addresses_stay_links() {
    let site = video_site();
    site.build().run();
    let html = site.page("/posts/videos/");
    assert_eq!(
        embeds(&html),
        [
            (
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90",
                WATCH_AT_90
            ),
            (
                "https://www.youtube-nocookie.com/embed/9bZkp7q19f0",
                "https://www.youtube.com/watch?v=9bZkp7q19f0"
            ),
            (
                "https://player.vimeo.com/video/76979871?dnt=1",
                "https://vimeo.com/76979871"
            ),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned())),
        "{html}"
    );
    for attribute in [
        "title=\"YouTube video\" loading=\"lazy\"",
        "title=\"Vimeo video\" loading=\"lazy\"",
        "allowfullscreen></iframe><p class=\"video-link\">",
    ] {
        assert!(html.contains(attribute), "{attribute}: {html}");
    }
    assert!(!html.contains("si=tracking"), "{html}");
    for link in [
        "<p><a href=\"https://www.youtube.com/@shopchannel\">https://www.youtube.com/@shopchannel</a></p>",
        "링크입니다: <a href=\"https://youtu.be/dQw4w9WgXcQ\">",
        "<li><a href=\"https://youtu.be/dQw4w9WgXcQ\">",
    ] {
        assert!(html.contains(link), "{link}: {html}");
    }
    assert!(
        html.contains(
            "<video controls preload=\"metadata\" playsinline src=\"clip.mp4\">\
             <a href=\"clip.mp4\">원두를 저울에 다는 모습</a></video>"
        ),
        "{html}"
    );
    assert!(site.has("posts/videos/clip.mp4"));
    // A video is not a social card's picture, and a player is not a summary.
    assert!(!html.contains("og:image"), "{html}");
    let home = site.page("/");
    assert!(home.contains("포장하는 과정을 영상으로"), "{home}");
    assert!(!home.contains("<iframe"), "{home}");
}

#[test]
fn the_feed_keeps_the_links_to_the_videos() {
    let site = video_site();
    site.build().run();
    let atom = site.read("atom.xml");
    let feed = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let content = feed
        .descendants()
        .find(|n| n.has_tag_name((ATOM, "content")))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_owned();
    for link in [
        format!("<a href=\"{WATCH_AT_90}\">"),
        "<a href=\"https://www.youtube.com/watch?v=9bZkp7q19f0\">".to_owned(),
        "<a href=\"https://vimeo.com/76979871\">".to_owned(),
        "<a href=\"clip.mp4\">원두를 저울에 다는 모습</a>".to_owned(),
    ] {
        assert!(content.contains(&link), "{link}: {content}");
    }
    let base = feed
        .descendants()
        .find(|n| n.has_tag_name((ATOM, "content")))
        .and_then(|n| n.attribute(("http://www.w3.org/XML/1998/namespace", "base")));
    assert_eq!(base, Some("https://example.org/posts/videos/"));
}

#[test]
fn a_phone_shows_the_videos_without_sideways_scrolling() {
    let site = video_site();
    // The post in a 390-pixel frame: its document lays out at a phone's width (less the
    // frame's scroll bar, where a phone's overlays the page).
    site.write(
        "static/phone.html",
        "<!doctype html><title>phone</title><style>body{margin:0}</style>\
         <iframe src=\"/posts/videos/\" style=\"width:390px;height:844px;border:0\"></iframe>",
    );
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let mut tab = browser.open(&format!("{}phone.html", serve.url));
    let doc = "document.querySelector('iframe').contentDocument";
    let loaded = format!(
        "!!{doc} && {doc}.readyState === 'complete' && !!{doc}.querySelector('.video-embed')"
    );
    tab.wait_for(&loaded, &json!(true), START_TIMEOUT);
    assert_eq!(
        tab.eval("document.querySelector('iframe').contentWindow.innerWidth"),
        json!(390),
        "the frame is not a 390-pixel viewport"
    );
    assert_eq!(
        tab.eval(&format!(
            "{doc}.documentElement.scrollWidth <= {doc}.documentElement.clientWidth"
        )),
        json!(true),
        "the page scrolls sideways at 390 px"
    );
    let sizes = format!(
        "(() => {{ const column = {doc}.querySelector('.content').getBoundingClientRect(); \
         return [...{doc}.querySelectorAll('.video-embed iframe')].map(e => {{ \
         const r = e.getBoundingClientRect(); \
         return [r.left >= column.left - 1 && r.right <= column.right + 1, \
                 r.width > 300, Math.abs(r.height - r.width * 9 / 16) <= 1]; }}); }})()"
    );
    assert_eq!(
        tab.eval(&sizes),
        json!([[true, true, true], [true, true, true], [true, true, true]]),
        "each embed: [inside the column, wider than 300 px, 16:9]"
    );
    let fits = format!(
        "(() => {{ const right = {doc}.querySelector('.content').getBoundingClientRect().right; \
         const all = [...{doc}.querySelectorAll('.content iframe, .content video')]; \
         return all.length === 5 && all.every(e => e.getBoundingClientRect().right <= right + 1); }})()"
    );
    assert_eq!(
        tab.eval(&fits),
        json!(true),
        "a frame or video (the pasted 560-pixel one too) is wider than the text"
    );
}
