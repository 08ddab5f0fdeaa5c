//! One Tistory post page, as a browser saves it or as Tistory's backup writes it, read
//! into an [`Entry`]. Skins differ, so what every Tistory page holds comes first and the
//! skins' markup after: the address from `og:url`, `dg:plink`, `<link rel=canonical>` or
//! the JSON-LD `BlogPosting`; the title from `og:title`, the JSON-LD `headline` or the
//! backup's `.title-article`; the date from `article:published_time`, `datePublished` or
//! the backup's `.date`; the number and category from the page script's
//! `window.T.entryInfo` (`entryId`, `categoryLabel`), the comment box's `entry8Comment` or
//! the backup's `.category`; the tags from the skin's `rel="tag"` links (or the backup's
//! `.tags`); the body from the article `div` (`.tt_article_useless_p_margin`,
//! `.contents_style`, `.entry-content`…); the comments Tistory's comment box rendered
//! (`li.tt-item-reply` with `.tt-link-user`, `.tt_date`, `.tt_desc`) and their count
//! (`.tt-box-total .tt_num_g`), when the page was saved with them.

use scraper::{ElementRef, Html, Selector};

use crate::markdown::from_html;
use serde_json::Value as Json;

use super::{address, Comment, Entry};

/// The article's `div`, most specific first: Tistory's editor wraps the body in
/// `.tt_article_useless_p_margin` inside the skin's `.contents_style` / `.entry-content`;
/// the backup has `.article-view`.
const BODY: [&str; 6] = [
    "div.tt_article_useless_p_margin",
    "div.contents_style",
    "div.entry-content",
    "div.article-view",
    "div.article",
    "article",
];

/// What a protected post shows instead of its body.
const PROTECTED: [&str; 2] = ["보호되어 있는 글입니다", "This is a protected post"];

/// Reads a page's HTML into an entry (`source`, `from` and `files` are the caller's).
pub(super) fn read(html: &str) -> Entry {
    let doc = Html::parse_document(html);
    let info = entry_info(&doc);
    let ld = json_ld(&doc);
    let ld_text = |k: &str| ld.as_ref().and_then(|v| v.get(k)).and_then(Json::as_str);
    let link = ["og:url", "dg:plink"]
        .iter()
        .find_map(|p| meta(&doc, p))
        .or_else(|| attr(&doc, "link[rel=canonical]", "href"))
        .or_else(|| ld_text("url").map(str::to_owned));
    let address = link.as_deref().and_then(address::path_of);
    let plink = meta(&doc, "dg:plink").and_then(|l| address::path_of(&l));
    let number = [address.as_deref(), plink.as_deref()]
        .into_iter()
        .flatten()
        .find_map(address::number_of)
        .or_else(|| info.as_ref().and_then(|i| i.get("entryId")?.as_u64()))
        .or_else(|| comment_box_number(&doc));
    let title = meta(&doc, "og:title")
        .or_else(|| ld_text("headline").map(str::to_owned))
        .or_else(|| text(&doc, ".title-article"))
        .or_else(|| text(&doc, "title").map(|t| page_title(&t)))
        .unwrap_or_default();
    let date = meta(&doc, "article:published_time")
        .or_else(|| ld_text("datePublished").map(str::to_owned))
        .or_else(|| text(&doc, ".titleWrap .date").or_else(|| text(&doc, "p.date")));
    let category = info
        .as_ref()
        .and_then(|i| i.get("categoryLabel")?.as_str().map(str::to_owned))
        .or_else(|| text(&doc, ".titleWrap .category").or_else(|| text(&doc, "p.category")))
        .filter(|c| !c.is_empty());
    let body = BODY
        .iter()
        .find_map(|s| first(&doc, s))
        .map(|e| e.inner_html())
        .unwrap_or_default();
    Entry {
        title,
        number,
        address,
        date,
        category,
        tags: tags(&doc),
        draft: is_protected(&body) || doc_has(&doc, "input[type=password]"),
        body,
        comments: comments(&doc),
        origin: link.as_deref().and_then(address::origin_of),
        comment_count: text(&doc, ".tt-box-total .tt_num_g").and_then(|n| n.parse().ok()),
        ..Entry::default()
    }
}

/// The `src` of every image of a body, in order.
pub(super) fn image_sources(body: &str) -> Vec<String> {
    let Ok(img) = Selector::parse("img[src]") else {
        return Vec::new();
    };
    Html::parse_fragment(body)
        .select(&img)
        .filter_map(|e| e.value().attr("src").map(str::to_owned))
        .collect()
}

/// A page's `<title>` without the blog's name Tistory adds (`제목 :: 블로그`).
fn page_title(title: &str) -> String {
    title
        .split(" :: ")
        .next()
        .unwrap_or(title)
        .trim()
        .to_owned()
}

/// Whether a body is what Tistory shows in place of a protected post's.
pub(super) fn is_protected(body: &str) -> bool {
    PROTECTED.iter().any(|p| body.contains(p)) && body.len() < 4096
}

fn first<'d>(doc: &'d Html, selector: &str) -> Option<ElementRef<'d>> {
    let s = Selector::parse(selector).ok()?;
    doc.select(&s).next()
}

fn doc_has(doc: &Html, selector: &str) -> bool {
    first(doc, selector).is_some()
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    let v = first(doc, selector)?.value().attr(name)?.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// `<meta property=... content=...>` (or `name=`).
fn meta(doc: &Html, property: &str) -> Option<String> {
    attr(doc, &format!("meta[property=\"{property}\"]"), "content")
        .or_else(|| attr(doc, &format!("meta[name=\"{property}\"]"), "content"))
}

fn text(doc: &Html, selector: &str) -> Option<String> {
    first(doc, selector)
        .map(|e| element_text(&e))
        .filter(|t| !t.is_empty())
}

/// An element's text, whitespace folded.
fn element_text(e: &ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The object of `window.T.entryInfo = {...};` in the page's scripts.
fn entry_info(doc: &Html) -> Option<Json> {
    let s = Selector::parse("script").ok()?;
    doc.select(&s).find_map(|script| {
        let code = script.text().collect::<String>();
        let after = &code[code.find("entryInfo")?..];
        let start = after.find('{')?;
        let end = after[start..].find('}')?;
        serde_json::from_str(&after[start..=start + end]).ok()
    })
}

/// The page's JSON-LD `BlogPosting` (or the first JSON-LD object).
fn json_ld(doc: &Html) -> Option<Json> {
    let s = Selector::parse(r#"script[type="application/ld+json"]"#).ok()?;
    let objects: Vec<Json> = doc
        .select(&s)
        .filter_map(|e| serde_json::from_str(&e.text().collect::<String>()).ok())
        .collect();
    let is_post = |v: &&Json| v.get("@type").and_then(Json::as_str) == Some("BlogPosting");
    objects.iter().find(is_post).or(objects.first()).cloned()
}

/// The post's tags: the skin's `rel="tag"` links (`/tag/<name>`), or the backup's `.tags`
/// (`#태그1 #태그2` or `태그1, 태그2`).
fn tags(doc: &Html) -> Vec<String> {
    let mut tags: Vec<String> = Selector::parse(r#"a[rel="tag"]"#)
        .map(|s| doc.select(&s).map(|e| element_text(&e)).collect())
        .unwrap_or_default();
    if tags.is_empty() {
        // The backup writes `#태그1 #태그2`; a skin's `.tags` with no link holds its label.
        if let Some(t) = text(doc, ".tags").filter(|t| t.contains('#')) {
            tags = t.split('#').skip(1).map(str::to_owned).collect();
        }
    }
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches('#').trim().to_owned();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The post number in the id of Tistory's comment box, `<div id="entry8Comment">`.
fn comment_box_number(doc: &Html) -> Option<u64> {
    let s = Selector::parse(r#"div[id^="entry"][id$="Comment"]"#).ok()?;
    doc.select(&s).find_map(|e| {
        let id = e.value().id()?;
        id.strip_prefix("entry")?
            .strip_suffix("Comment")?
            .parse()
            .ok()
    })
}

/// The comments Tistory's comment box rendered into the page (replies included, in page
/// order): `.tt-item-reply` with `.tt-link-user`, `.tt_date` and `.tt_desc` (its HTML as
/// Markdown).
fn comments(doc: &Html) -> Vec<Comment> {
    let (Ok(item), Ok(user), Ok(date), Ok(desc)) = (
        Selector::parse(".tt-item-reply"),
        Selector::parse(".tt-link-user"),
        Selector::parse(".tt_date"),
        Selector::parse(".tt_desc"),
    ) else {
        return Vec::new();
    };
    doc.select(&item)
        .filter_map(|c| {
            // A reply's box sits inside its parent's: take each box's own first fields.
            let author = c.select(&user).next().map(|e| element_text(&e))?;
            // Markdown, as ilji's comments are: line breaks and bold kept.
            let body = c.select(&desc).next().map(|e| {
                let html = e.inner_html();
                from_html::to_markdown(&html, &mut |_| None)
                    .markdown
                    .trim()
                    .to_owned()
            })?;
            let date = c
                .select(&date)
                .next()
                .and_then(|e| comment_date(&element_text(&e)));
            Some(Comment { author, date, body })
        })
        .filter(|c| !c.author.is_empty() && !c.body.is_empty())
        .collect()
}

/// A comment's date as Tistory shows it (`2023. 5. 1. 12:34`, `2023.05.01 12:34`) in a form
/// ilji reads (`2023-05-01 12:34`, the site's zone); `None` for `3시간 전` and the like.
fn comment_date(shown: &str) -> Option<String> {
    let numbers: Vec<u32> = shown
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let [y, m, d, rest @ ..] = numbers.as_slice() else {
        return None;
    };
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d)?;
    let (h, min) = match rest {
        [h, min, ..] if *h < 24 && *min < 60 => (*h, *min),
        _ => (0, 0),
    };
    Some(format!("{date} {h:02}:{min:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_dates_as_tistory_shows_them() {
        assert_eq!(
            comment_date("2023. 5. 1. 12:34").as_deref(),
            Some("2023-05-01 12:34")
        );
        assert_eq!(
            comment_date("2023.05.01").as_deref(),
            Some("2023-05-01 00:00")
        );
        assert_eq!(comment_date("3시간 전"), None);
        assert_eq!(comment_date("2023. 13. 1."), None);
    }

    #[test]
    fn a_page_gives_meta_script_and_skin_values() {
        let html = r#"<html><head>
<meta property="og:title" content="제목 &amp; 부제">
<meta property="og:url" content="https://a.tistory.com/entry/%EC%A0%9C%EB%AA%A9">
<meta property="dg:plink" content="https://a.tistory.com/17">
<meta property="article:published_time" content="2023-05-01T12:00:00+09:00">
<script>window.T.entryInfo = {"entryId":17,"isAuthor":false,"categoryId":3,"categoryLabel":"개발/Rust"};</script>
</head><body><div class="contents_style"><div class="tt_article_useless_p_margin">
<p data-ke-size="size16">본문</p></div></div>
<div class="tags"><a href="/tag/a" rel="tag">a</a><a href="/tag/b" rel="tag">b</a></div>
</body></html>"#;
        let e = read(html);
        assert_eq!(e.title, "제목 & 부제");
        assert_eq!(e.number, Some(17));
        assert_eq!(e.category.as_deref(), Some("개발/Rust"));
        assert_eq!(e.tags, ["a", "b"]);
        assert!(e.body.contains("본문") && !e.body.contains("tt_article"));
        assert!(!e.draft);
        let boxed = read(
            r#"<div id="entry8Comment"><div class="tt-box-total"><span class="tt_num_g">2</span></div></div>"#,
        );
        assert_eq!((boxed.number, boxed.comment_count), (Some(8), Some(2)));
        let bare = read("<title>제목 :: 소소한 공방</title>");
        assert_eq!(bare.title, "제목");
    }
}
