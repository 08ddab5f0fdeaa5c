//! Markup text written and read by hand, at the bottom of the tree (everything may use it; it
//! uses nothing above it): escaping for HTML (Tera's escape function, the redirect page, the
//! table of contents, the preview's error overlay) and for XML (the feeds and the sitemap),
//! decoding the few entities HTML writers use, and the plain text of an HTML fragment.
//!
//! It parses no HTML document: pulldown-cmark writes the HTML, Tera prints it.

use std::borrow::Cow;

/// Escapes text for HTML content and quoted attributes (`&<>"'`, as pulldown-cmark does).
/// Unlike Tera's default it leaves `/` alone, so URLs print as written.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    push_escaped_html(&mut out, text);
    out
}

/// [`escape_html`] appended to `out`.
pub fn push_escaped_html(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// Tera's escape function: [`escape_html`] written straight into the page.
pub fn escape_html_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(out), text)
}

/// Escapes text for XML content and attribute values. It differs from [`escape_html`] on
/// purpose: XML 1.0 forbids control characters other than tab and line ends even when
/// escaped (a feed reader refuses the whole feed), so they are dropped; and `'` is the
/// named `&apos;`, as the feeds have always printed it.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // Every byte it replaces or drops is ASCII, so the text between them is copied whole.
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            b'\t' | b'\n' | b'\r' => continue,
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
    out
}

/// The character of the entity after a `&` and its length, for the five entities HTML
/// writers use (pulldown-cmark's and [`escape_html`]'s); `('&', 0)` for anything else.
pub fn decode_entity(rest: &str) -> (char, usize) {
    for (name, c) in [
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("#39;", '\''),
    ] {
        if rest.starts_with(name) {
            return (c, name.len());
        }
    }
    ('&', 0)
}

/// An attribute value as the browser reads it: the entities of [`decode_entity`] decoded in
/// one pass (so that `&amp;lt;` stays `&lt;`), anything else left as written.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find('&') else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let (c, skip) = decode_entity(&rest[at + 1..]);
        out.push(c);
        rest = &rest[at + 1 + skip..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The text of an HTML fragment, entities decoded, white space folded, cut at `max` characters.
pub fn plain_text(html: &str, max: usize) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len().min(max.saturating_mul(4)));
    let mut last_space = true;
    let mut count: usize = 0;
    let mut i = 0;
    'text: while i < bytes.len() {
        // Most of a post is a run of bytes that are copied as they are.
        let start = i;
        while i < bytes.len() && !needs_a_look(bytes[i]) {
            i += 1;
        }
        if i > start {
            let run = &html[start..i];
            last_space = false;
            if count.saturating_add(run.len()) < max {
                out.push_str(run);
                // No count is needed without a limit (the search index's whole texts).
                if max != usize::MAX {
                    count += run.chars().count();
                }
            } else {
                for c in run.chars() {
                    out.push(c);
                    count += 1;
                    if count >= max {
                        out.push('…');
                        break 'text;
                    }
                }
            }
            continue;
        }
        let c = match bytes[i] {
            b'<' => {
                i = html[i..].find('>').map_or(bytes.len(), |end| i + end + 1);
                continue;
            }
            b'&' => {
                let (c, skip) = decode_entity(&html[i + 1..]);
                i += 1 + skip;
                c
            }
            _ => {
                let c = html[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                c
            }
        };
        if c.is_whitespace() {
            if last_space {
                continue;
            }
            last_space = true;
            out.push(' ');
        } else {
            last_space = false;
            out.push(c);
        }
        count += 1;
        if count >= max {
            out.push('…');
            break;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether `plain_text` must look at a byte on its own: markup, white space, and the first
/// bytes of the only non-ASCII characters that can be white space (U+0085, U+00A0, U+1680,
/// U+2000–U+205F, U+3000). Hangul (U+AC00–U+D7A3) starts with 0xEA–0xED and passes.
fn needs_a_look(b: u8) -> bool {
    LOOK[usize::from(b)]
}

/// [`needs_a_look`] as a table: one load per byte in the loops that copy text.
static LOOK: [bool; 256] = {
    let mut table = [false; 256];
    let special = *b"<&\t\n\x0B\x0C\r \xC2\xE1\xE2\xE3";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html_as_pulldown_cmark_does_and_leaves_slashes() {
        assert_eq!(
            escape_html("<a href=\"/x/\">R&D '가'</a>"),
            "&lt;a href=&quot;/x/&quot;&gt;R&amp;D &#39;가&#39;&lt;/a&gt;"
        );
        let mut out = Vec::new();
        escape_html_to("<b>&</b>", &mut out).unwrap();
        assert_eq!(out, b"&lt;b&gt;&amp;&lt;/b&gt;");
    }

    #[test]
    fn escape_xml_replaces_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape_xml("고객 <b>&</b> \"말\" 'x'\u{1}\u{8}\t\n\r끝"),
            "고객 &lt;b&gt;&amp;&lt;/b&gt; &quot;말&quot; &apos;x&apos;\t\n\r끝"
        );
        assert_eq!(escape_xml(""), "");
        assert_eq!(escape_xml("한글만"), "한글만");
    }

    #[test]
    fn decodes_the_entities_html_writers_use_in_one_pass() {
        for (text, decoded) in [
            ("a &amp; b", "a & b"),
            ("&quot;x&quot; &#39;y&#39; &lt;z&gt;", "\"x\" 'y' <z>"),
            ("&amp;lt;", "&lt;"),
            ("&amp;quot;", "&quot;"),
            ("&&quot;", "&\""),
            ("&copy; &", "&copy; &"),
            ("&am&lt;p;", "&am<p;"),
            ("없음", "없음"),
            ("", ""),
        ] {
            assert_eq!(decode_entities(text), decoded, "{text}");
            // As the chain of replacements it was written as before.
            let chained = text
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert_eq!(decode_entities(text), chained, "{text}");
        }
        assert!(matches!(decode_entities("no entity"), Cow::Borrowed(_)));
    }

    #[test]
    fn plain_text_drops_tags_decodes_entities_and_folds_white_space() {
        let html = "<h2 id=\"가\">고객 &amp; 응대</h2>\n<p>R&amp;D는 <em>천천히</em>,\u{a0}\u{3000} 꾸준히&lt;3 &quot;끝&quot; &#39;</p>\n";
        assert_eq!(
            plain_text(html, usize::MAX),
            "고객 & 응대 R&D는 천천히, 꾸준히<3 \"끝\" '"
        );
        assert_eq!(plain_text("  <p>  a  b </p>  ", usize::MAX), "a b");
        assert_eq!(plain_text("a &copy; b", usize::MAX), "a &copy; b");
        assert_eq!(plain_text("x > y <br", usize::MAX), "x > y");
        assert_eq!(plain_text("", usize::MAX), "");
    }

    #[test]
    fn plain_text_cuts_at_a_number_of_characters() {
        assert_eq!(plain_text("<p>가나다라마</p>", 3), "가나다…");
        assert_eq!(plain_text("<p>가나</p>", 3), "가나");
        assert_eq!(plain_text("ab cd", 3), "ab …");
        assert_eq!(plain_text("a&amp;b&amp;c", 3), "a&b…");
    }
}
