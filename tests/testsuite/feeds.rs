//! The feeds (Atom, one for the site and one per category), the sitemap and robots.txt, on
//! the fixture site `feeds/blog` (25 posts in two categories, a draft, a Hangul address,
//! published under /blog/): read as XML for what RFC 4287 and the sitemap protocol ask, and
//! compared whole with the golden files of `feeds/blog.public/`.

use std::collections::BTreeMap;

use crate::support::{assert_golden, percent, Site};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// 15 posts in 일지 (one a day from 2025-02-01) and 10 in 고객 응대 (from 2025-03-01), a
/// draft newer than all, and a Hangul-named post; the site lives under /blog/.
fn feed_site() -> Site {
    Site::fixture("feeds/blog")
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name((ATOM, name)))
}

fn entry_links(feed: &roxmltree::Document) -> Vec<String> {
    feed.root_element()
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            child(e, "link")
                .and_then(|l| l.attribute("href"))
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_site_feed_is_atom_with_the_newest_twenty_posts_and_no_drafts() {
    let site = feed_site();
    site.build().run();
    let xml = site.read("atom.xml");
    assert_golden("feeds/blog.public/atom.xml", &xml);
    let doc = roxmltree::Document::parse(&xml).expect("atom.xml is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    // RFC 4287: a feed has id, title, updated, and an author (here at feed level).
    for required in ["id", "title", "updated", "author"] {
        assert!(child(feed, required).is_some(), "feed lacks <{required}>");
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 20);
    for e in &entries {
        for required in ["id", "title", "updated", "link"] {
            assert!(child(*e, required).is_some(), "entry lacks <{required}>");
        }
        let updated = child(*e, "updated")
            .and_then(|u| u.text())
            .unwrap_or_default();
        assert!(updated.ends_with("+09:00"), "{updated}");
    }
    let links = entry_links(&doc);
    assert_eq!(
        links[0], "https://example.org/blog/posts/b10/",
        "newest first"
    );
    assert!(
        !links.iter().any(|l| l.contains(&percent("초안"))),
        "no drafts"
    );
    // b10 was updated later than it was published.
    assert_eq!(
        child(entries[0], "updated").and_then(|u| u.text()),
        Some("2025-04-01T10:00:00+09:00")
    );
    assert_eq!(
        child(entries[0], "published").and_then(|u| u.text()),
        Some("2025-03-10T09:00:00+09:00")
    );
    // Content is the post's HTML, escaped once.
    let a15 = entries
        .iter()
        .find(|e| child(**e, "title").and_then(|t| t.text()) == Some("일지 15"))
        .expect("a15 in the feed");
    let content = child(*a15, "content").expect("content");
    assert_eq!(content.attribute("type"), Some("html"));
    // Unescaped once by the XML parser, it is the post's HTML again.
    let html = content.text().unwrap_or_default();
    assert!(html.contains("<b>굵게</b> &amp; 본문"), "{html}");
    assert!(
        site.page("/").contains("application/atom+xml"),
        "autodiscovery link on pages"
    );
}

#[test]
fn each_category_has_its_own_feed_and_feed_limit_is_honoured() {
    let site = feed_site().append("site.yaml", "feed_limit: 5\n");
    site.build().run();
    let xml = site.read(&format!("category/{}/atom.xml", "고객-응대"));
    let doc = roxmltree::Document::parse(&xml).expect("category feed is XML");
    let links = entry_links(&doc);
    assert_eq!(links.len(), 5);
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("https://example.org/blog/posts/b")),
        "{links:?}"
    );
    let feed = doc.root_element();
    let title = child(feed, "title")
        .and_then(|t| t.text())
        .unwrap_or_default();
    assert!(title.contains("고객 응대"), "{title}");
    let page = site.page(&format!("/category/{}/", "고객-응대"));
    assert!(
        page.contains(&format!("/blog/category/{}/atom.xml", percent("고객-응대"))),
        "category page links its feed"
    );
    // Every entry of every feed carries its post's whole body, also posts that only their
    // category's feed carries (a build frees other posts' bodies once their pages are written).
    for feed in [
        "atom.xml",
        "category/고객-응대/atom.xml",
        "category/일지/atom.xml",
    ] {
        let xml = site.read(feed);
        let doc = roxmltree::Document::parse(&xml).expect("feed is XML");
        let entries: Vec<_> = doc
            .root_element()
            .children()
            .filter(|c| c.has_tag_name((ATOM, "entry")))
            .collect();
        assert_eq!(entries.len(), 5, "{feed}");
        for e in entries {
            let html = child(e, "content")
                .and_then(|c| c.text())
                .unwrap_or_default();
            assert!(html.contains("본문"), "{feed}: {html:?}");
        }
    }
}

#[test]
fn the_sitemap_lists_every_published_page_with_absolute_encoded_addresses() {
    let site = feed_site();
    site.build().run();
    let xml = site.read("sitemap.xml");
    assert_golden("feeds/blog.public/sitemap.xml", &xml);
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let urls: BTreeMap<String, Option<String>> = doc
        .root_element()
        .children()
        .filter(|c| c.has_tag_name((SM, "url")))
        .map(|u| {
            let text = |name| {
                u.children()
                    .find(|c| c.has_tag_name((SM, name)))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            (text("loc").unwrap_or_default(), text("lastmod"))
        })
        .collect();
    assert!(
        urls.keys()
            .all(|u| u.starts_with("https://example.org/blog/") && u.is_ascii()),
        "{urls:?}"
    );
    assert_eq!(
        urls.get("https://example.org/blog/posts/b03/"),
        Some(&Some("2025-04-01T10:00:00+09:00".to_owned()))
    );
    let hangul = format!("https://example.org/blog/posts/{}/", percent("한글-주소"));
    assert!(urls.contains_key(&hangul), "{hangul} in {urls:?}");
    for expected in [
        "https://example.org/blog/",
        "https://example.org/blog/page/2/",
        "https://example.org/blog/archive/",
    ] {
        assert!(urls.contains_key(expected), "{expected}");
    }
    assert!(!urls
        .keys()
        .any(|u| u.contains("404") || u.contains(&percent("초안"))));
    // 26 posts + 3 home pages + category, tag pages and the archive; every post is there.
    assert_eq!(urls.keys().filter(|u| u.contains("/posts/")).count(), 26);
}

#[test]
fn robots_txt_names_the_sitemap() {
    let site = feed_site();
    site.build().run();
    let robots = site.read("robots.txt");
    assert_golden("feeds/blog.public/robots.txt", &robots);
    assert!(robots.contains("User-agent: *"));
    assert!(
        robots.contains("Sitemap: https://example.org/blog/sitemap.xml"),
        "{robots}"
    );
}
