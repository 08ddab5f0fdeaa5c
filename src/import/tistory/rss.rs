//! A Tistory blog's RSS file (`https://<blog>.tistory.com/rss`, saved): each `<item>` a
//! post (title, link, `<description>` the HTML body, `<category>`s — the category first,
//! then the tags —, `<pubDate>`, `<author>`, and the post number in `<comments>`'s
//! `#entry123comment`); the `<channel>`'s title, description and language the blog's
//! settings. The images stay at their Tistory address: the file holds none.

use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use super::{address, Entry};
use crate::error::{Diagnostic, Error, Result};

/// The largest RSS file read (Tistory's holds at most the last 50 posts; a few MB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Whether `path` is an RSS file made by Tistory (`<rss` and `tistory` in its first 4 KB,
/// e.g. `<generator>TISTORY</generator>` or the blog's address).
pub(super) fn is_tistory_rss(path: &Path) -> bool {
    let Ok(bytes) = read_start(path, 4096) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes).to_lowercase();
    text.contains("<rss") && text.contains("tistory")
}

fn read_start(path: &Path, n: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(n).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The text of the file, or an error naming it.
fn read_text(path: &Path) -> Result<String> {
    let bytes = read_start(path, MAX_BYTES + 1).map_err(|e| Error::io(path, &e))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Diagnostic::new(path, "this RSS file is larger than 64 MB")
            .help("pass the RSS file saved from https://<blog>.tistory.com/rss")
            .into());
    }
    String::from_utf8(bytes).map_err(|_| {
        Diagnostic::new(path, "this RSS file is not UTF-8")
            .help("save it again from the browser, as UTF-8")
            .into()
    })
}

/// Parses the RSS file, or says where it is broken.
fn parse<'t>(path: &Path, text: &'t str) -> Result<Document<'t>> {
    Document::parse(text.trim_start_matches('\u{feff}')).map_err(|e| {
        let pos = e.pos();
        Diagnostic::new(path, format!("this RSS file is not well-formed XML: {e}"))
            .at(pos.row as usize, pos.col as usize)
            .help("save it again from https://<blog>.tistory.com/rss, whole")
            .into()
    })
}

/// The posts of the RSS file at `path`.
pub(super) fn read(path: &Path) -> Result<Vec<Entry>> {
    let text = read_text(path)?;
    let doc = parse(path, &text)?;
    let Some(channel) = child(doc.root_element(), "channel") else {
        return Err(Diagnostic::new(path, "this file has no RSS <channel>")
            .help("pass the RSS file saved from https://<blog>.tistory.com/rss")
            .into());
    };
    let name = path.file_name().map_or_else(PathBuf::new, PathBuf::from);
    let entries = channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| {
            let line = doc.text_pos_at(item.range().start).row;
            let mut entry = item_entry(item);
            entry.source = path.to_path_buf();
            entry.from = PathBuf::from(format!("{}:{line}", name.display()));
            entry
        })
        .collect();
    Ok(entries)
}

/// One `<item>` as an entry.
fn item_entry(item: Node) -> Entry {
    let field = |name: &str| child(item, name).map(text_of).filter(|t| !t.is_empty());
    let link = field("link").or_else(|| field("guid"));
    let address = link.as_deref().and_then(address::path_of);
    let number = address
        .as_deref()
        .and_then(address::number_of)
        .or_else(|| field("comments").and_then(|c| number_in_comments(&c)));
    let mut categories = item
        .children()
        .filter(|n| n.has_tag_name("category"))
        .map(text_of)
        .filter(|c| !c.is_empty());
    let category = categories.next();
    let tags = categories.collect();
    let body = field("description").unwrap_or_default();
    Entry {
        title: field("title").unwrap_or_default(),
        number,
        address,
        date: field("pubDate").and_then(|d| rfc2822(&d)),
        category,
        tags,
        author: field("author"),
        origin: link.as_deref().and_then(address::origin_of),
        draft: super::page::is_protected(&body),
        body,
        ..Entry::default()
    }
}

/// `Mon, 01 May 2023 12:00:00 +0900` as RFC 3339, the offset kept; as written when it is
/// not RFC 2822 (the import's date check then names it).
fn rfc2822(date: &str) -> Option<String> {
    Some(match chrono::DateTime::parse_from_rfc2822(date.trim()) {
        Ok(d) => d.to_rfc3339(),
        Err(_) => date.trim().to_owned(),
    })
}

/// The post number in Tistory's comments link: `https://x.tistory.com/entry/a#entry123comment`.
fn number_in_comments(link: &str) -> Option<u64> {
    let (_, rest) = link.split_once("#entry")?;
    rest.strip_suffix("comment")?.parse().ok()
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(name))
}

/// The text of an element (CDATA included), trimmed.
fn text_of(node: Node) -> String {
    node.children()
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The blog's settings in the RSS file: its title, description and language, and its
/// address when it is the blog's own domain (a `*.tistory.com` address stays Tistory's: the
/// ilji site will be published elsewhere).
pub(in crate::import) fn settings(source: &Path) -> Option<(PathBuf, Vec<(&'static str, String)>)> {
    if !source.is_file() {
        return None;
    }
    let text = read_text(source).ok()?;
    let doc = parse(source, &text).ok()?;
    let channel = child(doc.root_element(), "channel")?;
    let get = |name: &str| child(channel, name).map(text_of).filter(|t| !t.is_empty());
    let mut settings = Vec::new();
    settings.extend(get("title").map(|v| ("title", v)));
    settings.extend(get("description").map(|v| ("description", v)));
    settings.extend(get("language").map(|v| ("language", v)));
    let own_domain = get("link").filter(|l| {
        let host = l.split("://").nth(1).unwrap_or("").split('/').next();
        host.is_some_and(|h| !h.is_empty() && !h.ends_with("tistory.com"))
    });
    settings.extend(own_domain.map(|v| ("base_url", v)));
    Some((source.to_path_buf(), settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_gives_its_fields_and_the_number_from_the_comments_link() {
        let xml = r#"<rss version="2.0"><channel><title>t</title><item>
<title>첫 &amp; 글</title>
<link>https://a.tistory.com/entry/%EC%B2%AB-%EA%B8%80</link>
<description><![CDATA[<p data-ke-size="size16">본문</p>]]></description>
<category>개발/Rust</category><category>태그</category>
<comments>https://a.tistory.com/entry/%EC%B2%AB-%EA%B8%80#entry42comment</comments>
<pubDate>Mon, 01 May 2023 12:00:00 +0900</pubDate>
</item></channel></rss>"#;
        let doc = Document::parse(xml).unwrap();
        let channel = child(doc.root_element(), "channel").unwrap();
        let entry = item_entry(child(channel, "item").unwrap());
        assert_eq!(entry.title, "첫 & 글");
        assert_eq!(entry.number, Some(42));
        assert_eq!(entry.category.as_deref(), Some("개발/Rust"));
        assert_eq!(entry.tags, ["태그"]);
        assert_eq!(entry.date.as_deref(), Some("2023-05-01T12:00:00+09:00"));
        assert_eq!(entry.body, "<p data-ke-size=\"size16\">본문</p>");
    }
}
