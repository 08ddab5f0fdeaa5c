//! Readers of published HTML: the `<nav class="category-others">` list, the
//! `rel="prev"`/`rel="next"` links and the links of a page — only markup SPEC.md fixes for
//! the default theme — and [`percent`], a URL path as an `href` carries it.

/// One entry of the "other posts in this category" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherPost {
    pub title: String,
    pub url: String,
    /// As printed: `(1)`.
    pub comments: String,
    /// The `datetime` attribute.
    pub datetime: String,
    /// The date as shown.
    pub date: String,
}

/// The entries of the `<nav class="category-others">` list of a post page, in order;
/// empty when the page has none.
pub fn category_others(html: &str) -> Vec<OtherPost> {
    let Some(start) = html.find(r#"<nav class="category-others""#) else {
        return Vec::new();
    };
    let nav = &html[start..];
    let nav = &nav[..nav
        .find("</nav>")
        .expect("the category-others nav is closed")];
    nav.split("<li>")
        .skip(1)
        .map(|li| OtherPost {
            url: unescape(between(li, "<a href=\"", "\"")),
            title: unescape(between(li, "\">", "</a>")),
            comments: between(li, r#"<span class="comment-count">"#, "</span>").to_owned(),
            datetime: between(li, r#"<time datetime=""#, "\"").to_owned(),
            date: unescape(
                between(li, "<time", "</time>")
                    .split_once('>')
                    .map_or("", |(_, shown)| shown),
            ),
        })
        .collect()
}

/// The titles of the category-others list, in order.
pub fn others_titles(html: &str) -> Vec<String> {
    category_others(html).into_iter().map(|o| o.title).collect()
}

/// The `href` of the link marked `rel="<rel>"` (`prev`, `next`) that points at a post.
pub fn rel_link(html: &str, rel: &str) -> Option<String> {
    let marker = format!(r#"rel="{rel}""#);
    html.match_indices(&marker).find_map(|(i, _)| {
        let tag_start = html[..i].rfind('<')?;
        let tag = &html[tag_start..i];
        let href = tag.split("href=\"").nth(1)?.split('"').next()?;
        href.contains("/posts/").then(|| href.to_owned())
    })
}

/// Every distinct `href` of a page that starts with `prefix`, in order of appearance.
pub fn links_to(html: &str, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let href = part.split('"').next().unwrap_or("");
        if href.starts_with(prefix) && !found.iter().any(|f| f == href) {
            found.push(href.to_owned());
        }
    }
    found
}

/// `text` as it appears in an `href`: every byte outside printable ASCII, and space,
/// percent-encoded.
pub fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_graphic() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let Some(i) = text.find(open) else {
        return "";
    };
    let rest = &text[i + open.len()..];
    &rest[..rest.find(close).unwrap_or(rest.len())]
}

/// Undoes Tera's HTML escaping.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}
