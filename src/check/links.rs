//! The links and images a writer put in a Markdown body, where they are in the file, and
//! what each one points at.
//!
//! Pure: text in, links out. Which of them are broken is `check`'s business.

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Link,
    Image,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Link => "link",
            Kind::Image => "image",
        }
    }
}

/// A link or image as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub kind: Kind,
    /// Byte offset in the Markdown body where it is written.
    pub offset: usize,
    /// An image without alt text: `![](x.jpg)`, or an `<img>` without an `alt` attribute
    /// (`alt=""`, a photo said to be decoration, counts as one). Always false for links.
    pub no_alt: bool,
    /// Written as raw HTML (`<img src>`, `<a href>`) rather than Markdown.
    pub html: bool,
}

/// Every link and image of a Markdown body: Markdown links, images and autolinks, bare
/// addresses that the build makes links, and the `href` and `src` attributes of raw HTML.
pub fn extract(body: &str) -> Vec<Link> {
    let mut links = Vec::new();
    // Where the build makes links of bare addresses (not in links, code or a raw `<a>`).
    let mut place = crate::markdown::Place::default();
    // The text since the last event that was not text (pulldown-cmark splits it at `_`).
    let mut text: Option<std::ops::Range<usize>> = None;
    // The Markdown image being read (its index in `links`) and whether its alt text has words.
    let mut image: Option<(usize, bool)> = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        let linkable = place.see(&event);
        see_alt(&event, &mut image, &mut links);
        if let Event::Text(_) = event {
            if linkable {
                text = Some(text.map_or(range.clone(), |t| t.start..range.end));
            }
            continue;
        }
        if let Some(t) = text.take() {
            let addresses = crate::markdown::bare_addresses(&body[t.clone()]);
            // (E-mail addresses are not checked, as `<me@example.com>` is not.)
            for (at, url) in addresses
                .into_iter()
                .filter(|(_, u)| !u.starts_with("mailto:"))
            {
                links.push(Link {
                    url,
                    kind: Kind::Link,
                    offset: t.start + at,
                    no_alt: false,
                    html: false,
                });
            }
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if link_type != LinkType::Email => links.push(Link {
                url: dest_url.to_string(),
                kind: Kind::Link,
                offset: range.start,
                no_alt: false,
                html: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((links.len(), false));
                links.push(Link {
                    url: dest_url.to_string(),
                    kind: Kind::Image,
                    offset: range.start,
                    no_alt: false,
                    html: false,
                });
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                html_links(&body[range.clone()], range.start, &mut links);
            }
            _ => {}
        }
    }
    // An HTML piece's `href`s and `src`s are found attribute by attribute.
    links.sort_by_key(|l| l.offset);
    links
}

/// Follows the alt text of the Markdown image being read (`image`: its index in `links`,
/// whether it has words yet) and marks the image when it ends without any.
fn see_alt(event: &Event, image: &mut Option<(usize, bool)>, links: &mut [Link]) {
    let Some((at, words)) = image else {
        return;
    };
    match event {
        Event::End(TagEnd::Image) => {
            if let Some(link) = links.get_mut(*at) {
                link.no_alt = !*words;
            }
            *image = None;
        }
        Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) if !t.trim().is_empty() => {
            *words = true;
        }
        _ => {}
    }
}

/// `href="…"` (links) and `src="…"` (images) in a piece of raw HTML starting at `base`.
fn html_links(html: &str, base: usize, out: &mut Vec<Link>) {
    let lower = html.to_ascii_lowercase();
    for (attr, kind) in [("href=", Kind::Link), ("src=", Kind::Image)] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(attr) {
            let at = from + found;
            from = at + attr.len();
            // An attribute name starts after white space (not `data-href=`).
            if !lower[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let rest = &html[from..];
            let (value, skip) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                    Some(end) => (&rest[1..1 + end], 1),
                    None => continue,
                },
                _ => {
                    let end = rest
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(rest.len());
                    (&rest[..end], 0)
                }
            };
            out.push(Link {
                url: crate::html::decode_entities(value).into_owned(),
                kind,
                offset: base + from + skip,
                no_alt: kind == Kind::Image && img_without_alt(&lower, at),
                html: true,
            });
        }
    }
}

/// Whether the attribute at `at` of the lower-cased HTML `lower` is in an `<img>` tag that
/// has no `alt` attribute.
fn img_without_alt(lower: &str, at: usize) -> bool {
    let Some(open) = lower[..at].rfind('<') else {
        return false;
    };
    let tag = &lower[open..];
    let is_img = tag
        .strip_prefix("<img")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '/'));
    if !is_img {
        return false;
    }
    let end = tag.find('>').unwrap_or(tag.len());
    let tag = &tag[..end];
    // `alt` as an attribute name: after white space, followed by `=`, white space or the end.
    !tag.match_indices("alt").any(|(i, _)| {
        let after = tag[i + 3..].trim_start();
        tag[..i].ends_with(|c: char| c.is_ascii_whitespace())
            && (after.is_empty()
                || after.starts_with('=')
                || tag[i + 3..].len() > after.len()
                || after.starts_with('/'))
    })
}

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page or file of this site: its site-relative path (decoded, `posts/가/`, empty for
    /// the home page) and the `#fragment` (decoded), if any.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// Somewhere else on the web (http or https).
    External(String),
    /// A root-relative address outside the site's base path (`/x` when the site is at `/blog/`).
    OutsideBase(String),
    /// `..` above the site's root.
    AboveRoot,
    /// Not checked: mailto:, tel:, data:, javascript: and other schemes.
    Other,
}

/// Resolves `url`, written on the page published at `page_path` (site-relative, `posts/x/`).
pub fn resolve(url: &str, page_path: &str, config: &Config) -> Target {
    let url = url.trim();
    if let Some(scheme_end) = scheme_end(url) {
        let scheme = url[..scheme_end].to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Target::Other;
        }
        return match split_base_url(url, config) {
            Some((_, inside)) => internal(inside, ""),
            None => Target::External(url.to_owned()),
        };
    }
    if url.starts_with("//") {
        return Target::External(format!("https:{url}"));
    }
    if let Some(rooted) = url.strip_prefix('/') {
        let base = config.base_path().trim_start_matches('/');
        return match rooted.strip_prefix(base) {
            Some(inside) => internal(inside, ""),
            None => Target::OutsideBase(url.to_owned()),
        };
    }
    internal(url, page_path)
}

/// An absolute `url` split where the site's `base_url` ends in it (`https://example.org/blog/`
/// and `posts/가/`), when it is an address of this site: with http or https whatever
/// `base_url` says (a blog moved to https keeps its old links, and an imported `base_url`
/// may be the old `http://`), the host in any case.
pub fn split_base_url<'u>(url: &'u str, config: &Config) -> Option<(&'u str, &'u str)> {
    let origin = config.origin();
    let (_, base_host) = origin.split_once("://")?;
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let host = rest.get(..base_host.len())?;
    if !host.eq_ignore_ascii_case(base_host) {
        return None;
    }
    let inside = rest[base_host.len()..].strip_prefix(config.base_path())?;
    Some((&url[..url.len() - inside.len()], inside))
}

/// The end of a URL's scheme (`https` in `https://…`), when it has one.
fn scheme_end(url: &str) -> Option<usize> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(colon)
}

/// `relative` (path, query, fragment) resolved against the folder `dir` (site-relative).
fn internal(relative: &str, dir: &str) -> Target {
    let (rest, fragment) = match relative.split_once('#') {
        Some((r, f)) => (r, Some(decode(f))),
        None => (relative, None),
    };
    let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
    let mut segments: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if rest.is_empty() {
        let mut path = segments.join("/");
        if !path.is_empty() {
            path.push('/');
        }
        return Target::Internal { path, fragment };
    }
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Target::AboveRoot;
                }
            }
            p => segments.push(decode(p)),
        }
    }
    let mut path = segments.join("/");
    let ends_in_folder = matches!(rest.rsplit('/').next(), Some("" | "." | ".."));
    if ends_in_folder && !path.is_empty() {
        path.push('/');
    }
    Target::Internal { path, fragment }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> Config {
        crate::config::with_base_url(base)
    }

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.to_owned(),
            fragment: fragment.map(str::to_owned),
        }
    }

    #[test]
    fn marks_images_without_alt_text() {
        let body = "![](a.png) ![ ](b.png) ![설명](c.png) ![`코드`](d.png)\n\n<img src=e.png> <img alt src=f.png> <img src=j.png alt> <IMG SRC='g.png' ALT=\"\"> <img data-alt=x src=h.png> <video src=i.mp4></video>\n";
        let links = extract(body);
        let no_alt: Vec<(&str, bool)> = links.iter().map(|l| (l.url.as_str(), l.no_alt)).collect();
        assert_eq!(
            no_alt,
            [
                ("a.png", true),
                ("b.png", true),
                ("c.png", false),
                ("d.png", false),
                ("e.png", true),
                ("f.png", false),
                ("j.png", false),
                ("g.png", false),
                ("h.png", true),
                ("i.mp4", false),
            ]
        );
    }

    #[test]
    fn finds_markdown_links_images_and_raw_html_with_offsets() {
        let body = "앞 [글](/posts/a/) 그리고 ![사진](b.png)\n\n<a href=\"/c/#가\">c</a> <img src='d.jpg'>\n<https://example.com/x> <me@example.com>\n";
        let links = extract(body);
        let urls: Vec<(&str, Kind)> = links.iter().map(|l| (l.url.as_str(), l.kind)).collect();
        assert_eq!(
            urls,
            [
                ("/posts/a/", Kind::Link),
                ("b.png", Kind::Image),
                ("/c/#가", Kind::Link),
                ("d.jpg", Kind::Image),
                ("https://example.com/x", Kind::Link),
            ]
        );
        assert!(body[links[0].offset..].starts_with("[글](/posts/a/)"));
        assert!(body[links[2].offset..].starts_with("/c/#가"));
        assert!(body[links[3].offset..].starts_with("d.jpg"));
    }

    #[test]
    fn finds_bare_addresses_where_the_build_links_them() {
        let body = "주소는 https://example.com/a_b_c에서, www.example.org도\n\n`https://code.example.com` [https://x.example.com](/y/) me@example.com <a href=\"/z/\">https://raw.example.com</a>\n\n```\nhttps://block.example.com\n```\n";
        let links = extract(body);
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://example.com/a_b_c",
                "http://www.example.org",
                "/y/",
                "/z/"
            ]
        );
        assert!(body[links[0].offset..].starts_with("https://example.com/a_b_c에서"));
        assert!(body[links[1].offset..].starts_with("www.example.org도"));
    }

    #[test]
    fn resolves_against_the_page_and_the_base_path() {
        let c = config("https://example.org/blog/");
        let page = "posts/x/";
        assert_eq!(
            resolve("/blog/posts/a/", page, &c),
            internal("posts/a/", None)
        );
        assert_eq!(
            resolve("/posts/a/", page, &c),
            Target::OutsideBase("/posts/a/".to_owned())
        );
        assert_eq!(
            resolve("photo.png", page, &c),
            internal("posts/x/photo.png", None)
        );
        assert_eq!(
            resolve("../y/#끝", page, &c),
            internal("posts/y/", Some("끝"))
        );
        assert_eq!(
            resolve("#%EB%81%9D", page, &c),
            internal("posts/x/", Some("끝"))
        );
        assert_eq!(
            resolve("%EA%B0%80/?q=1", page, &c),
            internal("posts/x/가/", None)
        );
        assert_eq!(resolve("../../../z", page, &c), Target::AboveRoot);
        assert_eq!(
            resolve("https://example.org/blog/about/", page, &c),
            internal("about/", None)
        );
        for written in [
            "http://example.org/blog/about/",
            "HTTPS://Example.ORG/blog/about/",
        ] {
            assert_eq!(
                resolve(written, page, &c),
                internal("about/", None),
                "{written}"
            );
        }
        for elsewhere in [
            "https://example.org/about/",
            "https://example.org.evil.com/blog/about/",
            "https://example.org:8080/blog/about/",
            "ftp://example.org/blog/about/",
        ] {
            assert!(
                !matches!(resolve(elsewhere, page, &c), Target::Internal { .. }),
                "{elsewhere}"
            );
        }
        assert_eq!(
            resolve("https://other.org/", page, &c),
            Target::External("https://other.org/".to_owned())
        );
        assert_eq!(
            resolve("//cdn.org/a.js", page, &c),
            Target::External("https://cdn.org/a.js".to_owned())
        );
        assert_eq!(resolve("mailto:me@example.org", page, &c), Target::Other);
        assert_eq!(resolve("..", page, &c), internal("posts/", None));
        let root = config("https://example.org/");
        assert_eq!(resolve("/", page, &root), internal("", None));
        assert_eq!(resolve("/about", page, &root), internal("about", None));
    }
}
