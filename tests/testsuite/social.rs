//! What search engines and social networks read from a post (README "Search engines and
//! social cards"): the canonical link, OpenGraph and Twitter tags, and JSON-LD, with
//! absolute, percent-encoded addresses, on the fixture site `social/cards`.

use crate::support::{percent, Site};

/// The content of `<meta {attr}="{name}" content="…">` in a page.
fn meta_content(html: &str, attr: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("<meta {attr}=\"{name}\" content=\""))?;
    let rest = &html[start..];
    let open = rest.find("content=\"")? + "content=\"".len();
    let len = rest[open..].find('"')?;
    Some(rest[open..open + len].to_owned())
}

#[test]
fn posts_carry_canonical_opengraph_twitter_and_json_ld_with_absolute_urls() {
    let site = Site::fixture("social/cards");
    site.build().run();
    let html = site.page("/posts/사진-글/");
    let permalink = format!("https://example.org/blog/posts/{}/", percent("사진-글"));
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{permalink}\">")),
        "canonical"
    );
    assert_eq!(
        meta_content(&html, "property", "og:url").as_deref(),
        Some(permalink.as_str())
    );
    assert_eq!(
        meta_content(&html, "property", "og:type").as_deref(),
        Some("article")
    );
    assert_eq!(
        meta_content(&html, "property", "og:title").as_deref(),
        Some("사진이 있는 글")
    );
    let image = format!("{permalink}{}", percent("포장.png"));
    assert_eq!(
        meta_content(&html, "property", "og:image").as_deref(),
        Some(image.as_str())
    );
    assert_eq!(
        meta_content(&html, "name", "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    // X falls back to the OpenGraph tags; the theme does not repeat them as twitter:*.
    for twitter in ["twitter:title", "twitter:description", "twitter:image"] {
        assert!(meta_content(&html, "name", twitter).is_none(), "{twitter}");
    }
    let description = meta_content(&html, "name", "description").expect("meta description");
    assert!(
        description.starts_with("포장을 바꾼 이야기"),
        "{description}"
    );
    assert_eq!(
        meta_content(&html, "property", "article:published_time").as_deref(),
        Some("2025-09-08T07:00:00+09:00")
    );

    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").expect("script closes");
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "사진이 있는 글");
    assert_eq!(ld["url"], permalink.as_str());
    assert_eq!(ld["datePublished"], "2025-09-08T07:00:00+09:00");
    assert_eq!(ld["dateModified"], "2025-09-10T00:00:00+09:00");
    assert_eq!(ld["author"]["name"], "김사장");
    assert_eq!(ld["image"], image.as_str());
    // "</" may not appear raw inside the script element, yet the JSON keeps it.
    assert!(!html[start..end].contains("</"), "{}", &html[start..end]);
    assert!(
        ld["description"]
            .as_str()
            .unwrap_or_default()
            .contains("a</ b"),
        "{ld}"
    );

    let plain = site.page("/posts/plain/");
    assert_eq!(
        meta_content(&plain, "name", "twitter:card").as_deref(),
        Some("summary")
    );
    assert!(meta_content(&plain, "property", "og:image").is_none());
    let home = site.page("/");
    assert_eq!(
        meta_content(&home, "property", "og:type").as_deref(),
        Some("website")
    );
    assert!(!home.contains("application/ld+json"));
}
