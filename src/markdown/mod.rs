//! Markdown → HTML with pulldown-cmark: the entry points and what a post's Markdown turns
//! into ([`Rendered`]): its HTML with heading ids that keep Hangul, the table of contents,
//! the summary, reading time and word count that count Korean by characters, and the words
//! for the search index.
//!
//! Functions of the text; nothing here reads files, knows about pages or holds a body for a
//! build (the page model does: `content::Html`). It uses only the bottom layer (`slug`,
//! `text`, `words`). The search words are numbered in the rendering thread's vocabulary: see
//! `words::PageWords`.

mod autolink;
mod counting;
mod embeds;
pub mod from_html;
mod headings;
mod html;
mod images;
#[cfg(test)]
mod korean_emphasis;
mod summary;
mod text_reader;

use pulldown_cmark::{Event, Options, Parser, Tag};
use std::cell::Cell;

use crate::words::PageWords;
use autolink::Autolinks;
pub use autolink::Place;
use counting::{reading_minutes, Counts};
use embeds::Embeds;
pub use headings::TocEntry;
use headings::{nest_toc, WithHeadingIds};
use html::{to_html, to_html_with};
use images::Images;
pub use images::Sizes;
use summary::FirstParagraph;
use text_reader::TextReader;

/// Where the first marker that ends a hand-picked summary starts: `<!-- more -->`, also
/// written without spaces as Hugo's writers do (`<!--more-->`), or with more of them.
pub fn more_marker(text: &str) -> Option<usize> {
    let blank = |c: char| c.is_ascii_whitespace();
    memchr::memmem::find_iter(text.as_bytes(), b"<!--").find(|&i| {
        let rest = text[i + 4..].trim_start_matches(blank);
        rest.strip_prefix("more")
            .is_some_and(|r| r.trim_start_matches(blank).starts_with("-->"))
    })
}

/// What a post's Markdown turns into; `H` is what the caller keeps of its HTML (see
/// [`render`]).
#[derive(Debug, Clone, Default)]
pub struct Rendered<H> {
    pub html: H,
    pub toc: Vec<TocEntry>,
    /// The text before `<!-- more -->`, else the first paragraph (HTML).
    pub summary_html: String,
    pub word_count: usize,
    pub reading_time: usize,
    /// The address of the first image, as written (for social cards).
    pub first_image: Option<String>,
    /// The words of its text, for the search index (see `text_reader::TextReader`).
    pub words: PageWords,
}

/// The extensions a writer's Markdown may use (`check` reads links with the same).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_CJK_FRIENDLY_EMPHASIS
}

/// Renders a writer's Markdown (raw HTML allowed: the writer owns the site); `sizes` gives
/// the pixel size of an image at an address as written, when known (see `images.rs`). The
/// HTML is
/// written into a buffer the thread reuses, and `keep_html` makes what the caller holds of
/// it straight from that buffer: the body is copied once, into the form the caller keeps
/// (the page model's `content::Html`).
///
/// In one pass over pulldown-cmark's events, each looked at as the HTML writer takes it:
/// no list of a page's events is kept. At 80 bytes an event, and up to an event per byte of
/// Markdown (`*a*a*a…`, one-letter lines), that list took 80 bytes per byte of such a page
/// beside pulldown-cmark's own 48 (a 10 MB paragraph took 2 GB to build).
pub fn render<H: Default>(
    text: &str,
    sizes: Sizes,
    keep_html: impl FnOnce(&str) -> H,
) -> Rendered<H> {
    // (memchr's vectorised search: a tenth of what `str::find` costs on a whole post.)
    let more = more_marker(text);
    let mut headings = Vec::new();
    let mut first_image = None;
    let mut counts = Counts::default();
    let first_paragraph = FirstParagraph::default();
    let mut body = (H::default(), String::new());
    let page_words = PageWords::collect(|mut number| {
        let mut reader = TextReader::new(|word: &str| number.push(word));
        let written = Cell::new(0);
        let mut see = |event: &Event| {
            reader.read(event);
            if let (None, Event::Start(Tag::Image { dest_url, .. })) = (&first_image, event) {
                first_image = Some(dest_url.to_string());
            }
            first_paragraph.see(event, written.get());
        };
        let keep = |html: &str| {
            let summary = match more {
                Some(_) => String::new(),
                None => first_paragraph.cut(html).to_owned(),
            };
            (keep_html(html), summary)
        };
        let events = Autolinks::new(text, WithHeadingIds::new(text, &mut headings));
        let addresses = events.may_hold_address();
        // Each adapter runs only on a page that may need it: a video line needs an address
        // or a video file's name, an image its `![` (without these checks the adapters cost
        // about 1% each of the instructions of a build of 1000 posts with neither).
        let images = memchr::memmem::find(text.as_bytes(), b"![").is_some();
        let (len, written) = (text.len(), &written);
        body = match (embeds::may_hold_video(text, addresses), images) {
            (true, true) => {
                let events = Embeds::new(events, addresses).inspect(&mut see);
                to_html_with(Images::new(events, sizes), len, written, keep)
            }
            (true, false) => {
                let events = Embeds::new(events, addresses).inspect(&mut see);
                to_html_with(events, len, written, keep)
            }
            (false, true) => to_html_with(
                Images::new(events.inspect(&mut see), sizes),
                len,
                written,
                keep,
            ),
            (false, false) => to_html_with(events.inspect(&mut see), len, written, keep),
        };
        counts = reader.finish();
    });
    let (html, mut summary_html) = body;
    if let Some(i) = more {
        summary_html = render_fragment(&text[..i]);
    }
    let (hangul, words) = (counts.cjk, counts.words);

    Rendered {
        html,
        toc: nest_toc(headings),
        summary_html,
        word_count: hangul + words,
        reading_time: reading_minutes(hangul, words),
        first_image,
        words: page_words,
    }
}

/// The bare addresses of a piece of Markdown text that the build makes links (see
/// `autolink.rs`): each one's byte offset in `text` and its link.
pub fn bare_addresses(text: &str) -> Vec<(usize, String)> {
    autolink::addresses(text)
        .into_iter()
        .map(|found| (found.start, found.href(text)))
        .collect()
}

/// Renders a short Markdown text that has no headings (a front-matter summary).
pub fn render_fragment(text: &str) -> String {
    to_html(
        Autolinks::new(text, Parser::new_ext(text, options())),
        text.len(),
    )
}

/// Renders Markdown written by a stranger (a comment): raw HTML is shown as text, and links
/// and images whose address is not http(s), mailto or relative are dropped.
pub fn render_untrusted(text: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_CJK_FRIENDLY_EMPHASIS;
    let events = html::untrusted(Autolinks::new(text, Parser::new_ext(text, options)));
    to_html(events, text.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// [`render`], keeping the HTML as a string.
    pub(crate) fn render_to_string(text: &str) -> Rendered<String> {
        render(text, &|_| None, str::to_owned)
    }

    /// One-letter lines are an event per byte of Markdown. A list of a page's events took
    /// 80 bytes a byte beside pulldown-cmark's own parse; rendering now takes a few.
    #[cfg(target_os = "linux")]
    #[test]
    fn rendering_takes_little_more_memory_than_parsing() {
        let text = "a\n".repeat(1 << 20);
        let parsing = peak_memory_of(|| {
            Parser::new_ext(&text, options()).count();
        });
        let rendering = peak_memory_of(|| {
            render_to_string(&text);
        });
        let per_byte = rendering.saturating_sub(parsing) / text.len();
        assert!(
            per_byte < 40,
            "rendering took {per_byte} bytes a byte more than parsing ({rendering} B, {parsing} B)"
        );
    }

    /// The most memory the process held while `f` ran (Linux's high-water mark, reset first
    /// where the kernel allows).
    #[cfg(target_os = "linux")]
    fn peak_memory_of(f: impl FnOnce()) -> usize {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        f();
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let kib = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap();
        kib * 1024
    }

    #[test]
    fn a_page_keeps_its_words_for_the_search_index() {
        let r = render_to_string("고객 **응대**를 배웠다.\n\n고객");
        assert_eq!(r.words.words(), ["고객", "응대를", "배웠다.", "고객"]);
    }

    #[test]
    fn untrusted_markdown_is_escaped() {
        let html = render_untrusted(
            "hi <script>alert(1)</script> [x](javascript:alert(1)) [y](https://a.b)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains(r#"<a href="https://a.b">y</a>"#), "{html}");
    }
}
