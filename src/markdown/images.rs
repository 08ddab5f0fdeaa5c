//! Images as the HTML writer gets them: an image alone in its paragraph becomes a
//! `<figure>` (its title the `<figcaption>`, no longer a tooltip); one inside a sentence
//! stays an inline `<img>`. Both carry `width` and `height` when the caller knows the
//! file's size, `loading` (the page's first image `eager` with `fetchpriority="high"`, the
//! others `lazy`) and `decoding="async"`.
//!
//! This layer reads no files: the sizes come from a lookup the caller passes
//! (`content` knows the page's bundle folder and the site's `static/`).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

/// The pixel size of the image at an address as written in the Markdown, if known.
pub type Sizes<'s> = &'s dyn Fn(&str) -> Option<(u32, u32)>;

/// `events` with each image written as HTML (see the module's doc). It looks one event
/// ahead at a paragraph's start and after an image, to tell a figure from an inline image.
pub(super) struct Images<'a, 's, I> {
    inner: I,
    sizes: Sizes<'s>,
    /// An event taken from `inner` for a look ahead, not yet looked at.
    pending: Option<Event<'a>>,
    /// An event made ready, given out before `pending`.
    ready: Option<Event<'a>>,
    /// How many images were written (the first is loaded at once).
    seen: usize,
}

impl<'a, 's, I: Iterator<Item = Event<'a>>> Images<'a, 's, I> {
    pub(super) fn new(inner: I, sizes: Sizes<'s>) -> Self {
        Images {
            inner,
            sizes,
            pending: None,
            ready: None,
            seen: 0,
        }
    }

    fn take(&mut self) -> Option<Event<'a>> {
        self.pending.take().or_else(|| self.inner.next())
    }

    /// The plain text of an image's description, up to its end (as pulldown-cmark writes
    /// it in `alt`).
    fn alt(&mut self) -> String {
        let (mut alt, mut depth) = (String::new(), 0usize);
        while let Some(event) = self.take() {
            match event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                    alt.push_str(&t);
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        alt
    }

    /// The `<img>` of an image; `title`, if any, is written as its tooltip.
    fn img(&mut self, src: &str, alt: &str, title: Option<&str>) -> String {
        let mut out = String::with_capacity(src.len() + alt.len() + 120);
        out.push_str("<img src=\"");
        let _ = escape_href(&mut out, src);
        out.push_str("\" alt=\"");
        let _ = escape_html(&mut out, alt);
        out.push('"');
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            out.push_str(" title=\"");
            let _ = escape_html(&mut out, title);
            out.push('"');
        }
        if let Some((width, height)) = (self.sizes)(src) {
            out.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        }
        out.push_str(match self.seen {
            0 => " loading=\"eager\" fetchpriority=\"high\"",
            _ => " loading=\"lazy\"",
        });
        out.push_str(" decoding=\"async\" />");
        self.seen += 1;
        out
    }

    /// What a paragraph's start becomes: a figure when an image is all it holds, else the
    /// paragraph (its first event made ready).
    fn paragraph(&mut self) -> Event<'a> {
        let (src, title) = match self.take() {
            Some(Event::Start(Tag::Image {
                dest_url, title, ..
            })) => (dest_url, title),
            other => {
                self.pending = other;
                return Event::Start(Tag::Paragraph);
            }
        };
        // Whether the paragraph ends after the image is known only after its alt text.
        let alt = self.alt();
        match self.take() {
            Some(Event::End(TagEnd::Paragraph)) => {
                let img = self.img(&src, &alt, None);
                Event::Html(figure(img, &title).into())
            }
            after => {
                self.pending = after;
                let img = self.img(&src, &alt, Some(&title));
                self.ready = Some(Event::InlineHtml(img.into()));
                Event::Start(Tag::Paragraph)
            }
        }
    }
}

/// `<figure>` around `img`, with `title` as its caption when it has one.
fn figure(img: String, title: &CowStr) -> String {
    let mut out = String::with_capacity(img.len() + title.len() + 50);
    out.push_str("<figure>");
    out.push_str(&img);
    if !title.is_empty() {
        out.push_str("<figcaption>");
        let _ = escape_html(&mut out, title);
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>\n");
    out
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Images<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.ready.take() {
            return Some(event);
        }
        match self.take()? {
            Event::Start(Tag::Paragraph) => Some(self.paragraph()),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = self.alt();
                let img = self.img(&dest_url, &alt, Some(&title));
                Some(Event::InlineHtml(img.into()))
            }
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render;

    fn html(markdown: &str) -> String {
        render(
            markdown,
            &|src| (src == "a.png").then_some((3, 2)),
            str::to_owned,
        )
        .html
    }

    #[test]
    fn only_an_image_alone_in_its_paragraph_is_a_figure() {
        let eager = "loading=\"eager\" fetchpriority=\"high\" decoding=\"async\" />";
        assert_eq!(
            html("![x](a.png)"),
            format!(
                "<figure><img src=\"a.png\" alt=\"x\" width=\"3\" height=\"2\" {eager}</figure>\n"
            )
        );
        assert_eq!(
            html("> ![x](b.png \"t\")\n"),
            format!("<blockquote>\n<figure><img src=\"b.png\" alt=\"x\" {eager}<figcaption>t</figcaption></figure>\n</blockquote>\n")
        );
        // Two images, an image and text, an image in a link: inline, in the paragraph.
        let two = html("![x](a.png) ![y](b.png)");
        assert!(two.starts_with("<p><img src=\"a.png\""), "{two}");
        assert!(
            two.ends_with("alt=\"y\" loading=\"lazy\" decoding=\"async\" /></p>\n"),
            "{two}"
        );
        let text = html("![x](a.png \"t\")\n글");
        assert!(
            text.starts_with("<p><img src=\"a.png\" alt=\"x\" title=\"t\" width"),
            "{text}"
        );
        assert!(text.ends_with("/>\n글</p>\n"), "{text}");
        let linked = html("[![x](a.png)](/p/)");
        assert!(
            linked.starts_with("<p><a href=\"/p/\"><img src=\"a.png\""),
            "{linked}"
        );
    }

    #[test]
    fn an_image_in_an_alt_text_is_its_text() {
        let nested = html("![a ![b](c.png) *d*](e.png)");
        assert!(
            nested.contains("<img src=\"e.png\" alt=\"a b d\""),
            "{nested}"
        );
        assert_eq!(nested.matches("<img").count(), 1, "{nested}");
    }
}
