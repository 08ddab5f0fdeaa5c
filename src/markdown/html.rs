//! Writing pulldown-cmark's events as HTML, and keeping a stranger's Markdown safe: raw HTML
//! shown as text, links and images dropped unless their address is http(s), mailto or
//! relative.
//!
//! It writes what it is given: heading ids, the summary and the counts are the callers'.

use pulldown_cmark::{html, Event, Tag, TagEnd};
use std::cell::Cell;

/// The HTML of `events` (from `len` bytes of Markdown) in a string of exactly its size.
pub(super) fn to_html<'a>(events: impl Iterator<Item = Event<'a>>, len: usize) -> String {
    to_html_with(events, len, &Cell::new(0), str::to_owned)
}

/// What `keep` makes of the HTML of `events` (from `len` bytes of Markdown). `written` says
/// how much HTML is written at each moment: when the writer takes the next event, that of
/// all before it.
///
/// It is written into a buffer each thread reuses, which `keep` copies: a big blog keeps
/// every body until its page is written, and a string grown (or sized by guess) as it is
/// written would leave a third of it unused.
pub(super) fn to_html_with<'a, T>(
    events: impl Iterator<Item = Event<'a>>,
    len: usize,
    written: &Cell<usize>,
    keep: impl FnOnce(&str) -> T,
) -> T {
    thread_local! {
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    SCRATCH.with_borrow_mut(|out| {
        out.clear();
        out.reserve(len * 3 / 2);
        // (`push_html` is this same call on the bare string.)
        let _ = html::write_html_fmt(Counted { out, written }, events);
        keep(out)
    })
}

/// A string that says how long it is after each write, for [`to_html_with`].
struct Counted<'s> {
    out: &'s mut String,
    written: &'s Cell<usize>,
}

impl std::fmt::Write for Counted<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.push_str(s);
        self.written.set(self.out.len());
        Ok(())
    }
}

/// `events` of a stranger's Markdown, made safe to write: raw HTML becomes text, and a link
/// or image whose address is not [safe](is_safe_url) is dropped (its text is kept).
pub(super) fn untrusted<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    let mut in_unsafe_link = Vec::new();
    events.filter_map(move |event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { ref dest_url, .. })
        | Event::Start(Tag::Image { ref dest_url, .. }) => {
            let safe = is_safe_url(dest_url);
            in_unsafe_link.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            let was_unsafe = in_unsafe_link.pop().unwrap_or(false);
            (!was_unsafe).then_some(event)
        }
        other => Some(other),
    })
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        // A colon before any '/', '?' or '#' means a scheme.
        Some(i) if !lower[..i].contains(['/', '?', '#']) => {
            matches!(&lower[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}
