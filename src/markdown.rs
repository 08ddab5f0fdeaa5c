//! Markdown → HTML with pulldown-cmark: heading ids that keep Hangul, the table of contents,
//! the summary, reading time and word count that count Korean by characters, and the words
//! for the search index.
//!
//! Functions of the text; nothing here reads files or knows about pages. (The search words
//! are numbered in the rendering thread's vocabulary: see `words::PageWords`.)

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::slug::slugify;
use crate::words::PageWords;

/// Korean is read at about 500 characters a minute; Latin-script text at about 230 words.
const HANGUL_CHARS_PER_MINUTE: usize = 500;
const WORDS_PER_MINUTE: usize = 230;

/// The marker that ends a hand-picked summary.
pub const MORE_MARKER: &str = "<!-- more -->";

/// One heading in the table of contents, with the headings below it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// What a post's Markdown turns into.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: Html,
    pub toc: Vec<TocEntry>,
    /// The text before `<!-- more -->`, else the first paragraph (HTML).
    pub summary_html: String,
    pub word_count: usize,
    pub reading_time: usize,
    /// The address of the first image, as written (for social cards).
    pub first_image: Option<String>,
    /// The words of its text, for the search index (see [`read_text`]).
    pub words: PageWords,
}

/// A page's body as HTML, held as the Tera value its page prints (a shared string, marked
/// safe), which the page takes without a copy. A one-shot build releases a post's body once
/// its page is written (see `build::publish`), so that a big blog never holds every body at
/// once; until then it is read through [`Html::get`].
#[derive(Debug)]
pub struct Html(Mutex<tera::Value>);

impl Html {
    pub fn new(html: &str) -> Self {
        Html(Mutex::new(tera::Value::safe_string(html)))
    }

    /// The HTML (empty once released), shared.
    pub fn get(&self) -> tera::Value {
        self.lock().clone()
    }

    /// Frees the HTML; later readers see an empty body.
    pub fn release(&self) {
        *self.lock() = tera::Value::safe_string("");
    }

    fn lock(&self) -> MutexGuard<'_, tera::Value> {
        // Nothing can panic while the lock is held, so even a poisoned one holds a whole value.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Html {
    fn default() -> Self {
        Html::new("")
    }
}

impl Clone for Html {
    fn clone(&self) -> Self {
        Html(Mutex::new(self.get()))
    }
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a writer's Markdown (raw HTML allowed: the writer owns the site).
///
/// In one pass over pulldown-cmark's events, each looked at as the HTML writer takes it:
/// no list of a page's events is kept. At 80 bytes an event, and up to an event per byte of
/// Markdown (`*a*a*a…`, one-letter lines), that list took 80 bytes per byte of such a page
/// beside pulldown-cmark's own 48 (a 10 MB paragraph took 2 GB to build).
pub fn render(text: &str) -> Rendered {
    // (memchr's vectorised search: a tenth of what `str::find` costs on a whole post.)
    let more = memchr::memmem::find(text.as_bytes(), MORE_MARKER.as_bytes());
    let mut headings = Vec::new();
    let mut first_image = None;
    let mut counts = Counts::default();
    let first_paragraph = FirstParagraph::default();
    let mut body = (Html::default(), String::new());
    let page_words = PageWords::collect(|mut number| {
        let mut reader = TextReader::new(|word: &str| number.push(word));
        let written = Cell::new(0);
        let events = WithHeadingIds::new(text, &mut headings).inspect(|event| {
            reader.read(event);
            if let (None, Event::Start(Tag::Image { dest_url, .. })) = (&first_image, event) {
                first_image = Some(dest_url.to_string());
            }
            first_paragraph.see(event, written.get());
        });
        body = to_html_with(events, text.len(), &written, |html| {
            let summary = match more {
                Some(_) => String::new(),
                None => first_paragraph.cut(html).to_owned(),
            };
            (Html::new(html), summary)
        });
        counts = reader.finish();
    });
    let (html, mut summary_html) = body;
    if let Some(i) = more {
        summary_html = to_html(Parser::new_ext(&text[..i], options()), i);
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

/// Renders a short Markdown text that has no headings (a front-matter summary).
pub fn render_fragment(text: &str) -> String {
    to_html(Parser::new_ext(text, options()), text.len())
}

/// Renders Markdown written by a stranger (a comment): raw HTML is shown as text, and links
/// and images whose address is not http(s), mailto or relative are dropped.
pub fn render_untrusted(text: &str) -> String {
    let mut in_unsafe_link = Vec::new();
    let events =
        Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH).filter_map(|event| match event {
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
        });
    to_html(events, text.len())
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

/// The HTML of `events` (from `len` bytes of Markdown) in a string of exactly its size.
fn to_html<'a>(events: impl Iterator<Item = Event<'a>>, len: usize) -> String {
    to_html_with(events, len, &Cell::new(0), str::to_owned)
}

/// What `keep` makes of the HTML of `events` (from `len` bytes of Markdown). `written` says
/// how much HTML is written at each moment: when the writer takes the next event, that of
/// all before it.
///
/// It is written into a buffer each thread reuses, which `keep` copies: a big blog keeps
/// every body until its page is written, and a string grown (or sized by guess) as it is
/// written would leave a third of it unused.
fn to_html_with<'a, T>(
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

/// Where the first paragraph is in a body's HTML, told by the events as the HTML writer
/// takes them: the summary, cut from the body rather than rendered again from a kept list of
/// its events.
#[derive(Default)]
struct FirstParagraph(Cell<ParagraphSeen>);

#[derive(Debug, Default, Clone, Copy)]
enum ParagraphSeen {
    #[default]
    NotYet,
    /// Its HTML starts at `start`; `depth` tags are open in it, itself included.
    In {
        start: usize,
        depth: usize,
    },
    /// Its end was taken: its HTML ends where the next event's begins.
    Closing {
        start: usize,
    },
    Done {
        start: usize,
        end: usize,
    },
}

impl FirstParagraph {
    /// Notes `event`, taken when `written` bytes of HTML were written.
    fn see(&self, event: &Event, written: usize) {
        use ParagraphSeen::*;
        let next = match (self.0.get(), event) {
            (NotYet, Event::Start(Tag::Paragraph)) => In {
                start: written,
                depth: 1,
            },
            (In { start, depth }, Event::Start(_)) => In {
                start,
                depth: depth + 1,
            },
            (In { start, depth: 1 }, Event::End(_)) => Closing { start },
            (In { start, depth }, Event::End(_)) => In {
                start,
                depth: depth - 1,
            },
            (Closing { start }, _) => Done {
                start,
                end: written,
            },
            (seen, _) => seen,
        };
        self.0.set(next);
    }

    /// Its HTML in `html`, the whole body, as it would be rendered alone (empty if there is
    /// none).
    fn cut<'h>(&self, html: &'h str) -> &'h str {
        let (start, end) = match self.0.get() {
            ParagraphSeen::Closing { start } => (start, html.len()),
            ParagraphSeen::Done { start, end } => (start, end),
            ParagraphSeen::NotYet | ParagraphSeen::In { .. } => return "",
        };
        // The writer puts a line break before a block that does not start a line; alone, the
        // paragraph starts one.
        let cut = html.get(start..end).unwrap_or("");
        cut.strip_prefix('\n').unwrap_or(cut)
    }
}

/// pulldown-cmark's events with an id on every heading (its text slugified, Hangul kept, made
/// unique) unless the writer set one with `{#id}`; (level, id, text) of each heading is
/// added to `headings` as it goes by. Only a heading's own events are held, until its text
/// is known.
struct WithHeadingIds<'a, 'h> {
    parser: Parser<'a>,
    source: &'a str,
    ids: HeadingIds,
    headings: &'h mut Vec<(u8, String, String)>,
    /// The rest of the heading being handed out.
    pending: VecDeque<Event<'a>>,
}

impl<'a, 'h> WithHeadingIds<'a, 'h> {
    fn new(source: &'a str, headings: &'h mut Vec<(u8, String, String)>) -> Self {
        WithHeadingIds {
            parser: Parser::new_ext(source, options()),
            source,
            ids: HeadingIds::new(given_heading_ids(source).into_iter()),
            headings,
            pending: VecDeque::new(),
        }
    }
}

impl<'a> Iterator for WithHeadingIds<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        let (level, id, classes, attrs) = match self.parser.next()? {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => (level, id, classes, attrs),
            other => return Some(other),
        };
        let mut title = String::new();
        for event in self.parser.by_ref() {
            if let Event::Text(t) | Event::Code(t) = &event {
                title.push_str(t);
            }
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            push_joined(&mut self.pending, event, self.source);
            if end {
                break;
            }
        }
        let id = match id {
            Some(given) => given.to_string(),
            None => self.ids.unique(&slugify(&title)),
        };
        self.headings
            .push((heading_level(level), id.clone(), title));
        Some(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes,
            attrs,
        }))
    }
}

/// The ids the writer gave headings with `{#id}`, so that no made-up id takes one, even one
/// set further down. A parse of their own, only for a text with a line that ends in `}`
/// after a `{` and a `#` (few have one).
fn given_heading_ids(text: &str) -> Vec<String> {
    // A `}` with `{` and then `#` before it on its line (most posts have no `}` at all, and
    // memchr finds that out at a fraction of what going through the lines costs).
    let bytes = text.as_bytes();
    let may_have = memchr::memchr_iter(b'}', bytes).any(|close| {
        let line_start = memchr::memrchr(b'\n', &bytes[..close]).map_or(0, |i| i + 1);
        let line = &bytes[line_start..close];
        memchr::memrchr(b'{', line).is_some_and(|open| line[open..].contains(&b'#'))
    });
    if !may_have {
        return Vec::new();
    }
    Parser::new_ext(text, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// Adds `event` to `events`, joined to the text before it when both are pieces of `source`
/// that follow each other (`*a*a*a…` in a heading is a piece per byte) and no word runs
/// across the join, so that each piece's counts stay as they were.
fn push_joined<'a>(events: &mut VecDeque<Event<'a>>, event: Event<'a>, source: &'a str) {
    if let (Some(Event::Text(CowStr::Borrowed(before))), Event::Text(CowStr::Borrowed(after))) =
        (events.back_mut(), &event)
    {
        if let Some(joined) = joined(source, before, after) {
            *before = joined;
            return;
        }
    }
    events.push_back(event);
}

/// `before` and `after` as one piece of `source`, if they are two that follow each other and
/// no word runs across them.
fn joined<'a>(source: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let offset = |piece: &str| (piece.as_ptr() as usize).checked_sub(source.as_ptr() as usize);
    let (start, middle) = (offset(before)?, offset(after)?);
    let splits_a_word = before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
        && after.chars().next().is_some_and(char::is_alphanumeric);
    if start.checked_add(before.len())? != middle || splits_a_word {
        return None;
    }
    source.get(start..middle.checked_add(after.len())?)
}

/// Ids the default theme gives its own elements; a heading must not take them.
const RESERVED_IDS: [&str; 4] = ["main", "comments", "comments-heading", "toc"];

/// The ids of a page's headings so far, and where to go on looking for a free `<base>-<n>`.
struct HeadingIds {
    used: rustc_hash::FxHashSet<String>,
    /// For each base id that was taken, the first suffix not yet tried: every smaller one
    /// is taken, and stays taken, so a page of n headings of one title tries n suffixes in
    /// all, not n²/2 (20,000 `## 같은 제목` took 16 s).
    next_suffix: rustc_hash::FxHashMap<String, usize>,
    /// Candidates looked at, for the test that keeps it linear.
    #[cfg(test)]
    tried: usize,
}

impl HeadingIds {
    fn new(given: impl Iterator<Item = String>) -> Self {
        HeadingIds {
            used: given.collect(),
            next_suffix: Default::default(),
            #[cfg(test)]
            tried: 0,
        }
    }

    fn taken(&self, id: &str) -> bool {
        self.used.contains(id) || RESERVED_IDS.contains(&id)
    }

    /// `base` (`section` when empty) if free, else the first free `<base>-1`, `<base>-2`, …;
    /// marked as used.
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let chosen = if self.taken(base) {
            let mut n = self.next_suffix.get(base).copied().unwrap_or(1);
            let free = loop {
                #[cfg(test)]
                {
                    self.tried += 1;
                }
                let candidate = format!("{base}-{n}");
                n += 1;
                if !self.taken(&candidate) {
                    break candidate;
                }
            };
            self.next_suffix.insert(base.to_owned(), n);
            free
        } else {
            base.to_owned()
        };
        self.used.insert(chosen.clone());
        chosen
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// Turns the flat heading list into a tree: each heading holds the deeper ones after it.
fn nest_toc(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for (level, id, title) in headings {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < level) {
            siblings = &mut siblings.last_mut().expect("checked non-empty").children;
        }
        siblings.push(entry);
    }
    roots
}

/// What the reading time counts: Hangul and other CJK characters, and words (runs of
/// letters or digits) of other scripts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    cjk: usize,
    words: usize,
}

/// [`Counts`] of one text on its own (a word does not go on from the text before it).
fn count_chars(t: &str) -> Counts {
    let mut cjk = 0;
    let mut words = 0;
    let bytes = t.as_bytes();
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // (CJK, letter or digit, length) of the character at `i`. Most of a Korean text
        // is Hangul syllables (U+AC00..U+D7A3), three bytes long in UTF-8; those led by
        // 0xEB or 0xEC (U+B000..U+CFFF) and ASCII need no decoding, and the other
        // three-byte characters (the rest of CJK among them) are decoded here directly.
        let (cjk_char, alnum, len) = if (0xEB..=0xEC).contains(&b) {
            (true, false, 3)
        } else if b < 0x80 {
            (false, b.is_ascii_alphanumeric(), 1)
        } else if (0xE0..0xF0).contains(&b) {
            let c = (u32::from(b & 0x0F) << 12)
                | (u32::from(bytes[i + 1] & 0x3F) << 6)
                | u32::from(bytes[i + 2] & 0x3F);
            let cjk_char = is_cjk(c);
            let alnum = !cjk_char && char::from_u32(c).is_some_and(char::is_alphanumeric);
            (cjk_char, alnum, 3)
        } else {
            let c = t[i..].chars().next().unwrap_or('\0');
            (is_cjk(u32::from(c)), c.is_alphanumeric(), c.len_utf8())
        };
        i += len;
        if cjk_char {
            cjk += 1;
            in_word = false;
        } else if alnum {
            words += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    Counts { cjk, words }
}

/// Reads the text a reader sees in events, one at a time: calls `f` with each of its words,
/// in order, and counts it ([`Counts`], from [`TextReader::finish`]).
///
/// A word is the text between white space. Inline markup does not end a word (`**고객**을` is
/// one word, as is `<b>고객</b>을` in raw HTML); blocks, line breaks and table cells do. An
/// image's alt text, footnote markers and task-list boxes are not words; raw HTML gives words
/// by the text between its tags, entities decoded.
///
/// The counts are those of the text and code of the events, alt text included and raw HTML
/// not, each event's text on its own.
struct TextReader<F> {
    words: TextWords<F>,
    in_image: usize,
}

impl<F: FnMut(&str)> TextReader<F> {
    fn new(f: F) -> Self {
        TextReader {
            words: TextWords {
                pending: String::new(),
                in_tag: false,
                f,
                counts: Counts::default(),
            },
            in_image: 0,
        }
    }

    fn read(&mut self, event: &Event) {
        let words = &mut self.words;
        match event {
            Event::Text(t) | Event::Code(t) if self.in_image == 0 => words.text(t, true),
            Event::Text(t) | Event::Code(t) => {
                let c = count_chars(t);
                words.counts.cjk += c.cjk;
                words.counts.words += c.words;
            }
            Event::Html(raw) | Event::InlineHtml(raw) => words.html(raw),
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link,
            )
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {}
            Event::Start(_) | Event::End(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => {
                words.end()
            }
            _ => {}
        }
    }

    /// Ends the last word; the counts of all that was read.
    fn finish(mut self) -> Counts {
        self.words.end();
        self.words.counts
    }
}

/// [`TextReader`] over a list of events.
#[cfg(test)]
fn read_text(events: &[Event], f: impl FnMut(&str)) -> Counts {
    let mut reader = TextReader::new(f);
    for event in events {
        reader.read(event);
    }
    reader.finish()
}

/// The state of [`TextReader`]: a word that may go on in the next event, and the counts.
struct TextWords<F> {
    pending: String,
    /// Inside a raw HTML tag that an event break cut (`<div` then `class="x">`).
    in_tag: bool,
    f: F,
    counts: Counts,
}

impl<F: FnMut(&str)> TextWords<F> {
    /// Ends the word being read, if any.
    fn end(&mut self) {
        if !self.pending.is_empty() {
            (self.f)(&self.pending);
            self.pending.clear();
        }
    }

    /// Reads plain text, counting it when `count`. A word that ends inside it is given
    /// straight from it, unless an earlier event began the word.
    fn text(&mut self, t: &str, count: bool) {
        let mut i = 0;
        while i < t.len() {
            let stretch = next_space(t, i);
            let end = stretch.end;
            if count {
                // Only a stretch with letters or digits outside Hangul needs a second look.
                if stretch.hangul_only {
                    self.counts.cjk += stretch.hangul;
                } else {
                    let c = count_chars(&t[i..end]);
                    self.counts.cjk += c.cjk;
                    self.counts.words += c.words;
                }
            }
            if end == t.len() {
                self.pending.push_str(&t[i..]);
                return;
            }
            if self.pending.is_empty() {
                if end > i {
                    (self.f)(&t[i..end]);
                }
            } else {
                self.pending.push_str(&t[i..end]);
                self.end();
            }
            i = end + stretch.space;
        }
    }

    /// Reads raw HTML: the text between its tags, entities decoded (not counted).
    fn html(&mut self, raw: &str) {
        let mut rest = raw;
        while !rest.is_empty() {
            if self.in_tag {
                match rest.find('>') {
                    Some(k) => {
                        self.in_tag = false;
                        rest = &rest[k + 1..];
                    }
                    None => return,
                }
                continue;
            }
            let stop = rest.find(['<', '&']).unwrap_or(rest.len());
            self.text(&rest[..stop], false);
            rest = &rest[stop..];
            if let Some(after) = rest.strip_prefix('&') {
                let (c, skip) = crate::text::decode_entity(after);
                self.text(c.encode_utf8(&mut [0; 4]), false);
                rest = &after[skip..];
            } else if !rest.is_empty() {
                self.in_tag = true;
                rest = &rest[1..];
            }
        }
    }
}

/// A stretch of text up to white space, as [`next_space`] finds it.
struct Stretch {
    /// Where the white space after it starts (the text's length if none).
    end: usize,
    /// The length of that white space in bytes (0 at the end).
    space: usize,
    /// Its Hangul syllables.
    hangul: usize,
    /// It has nothing but Hangul syllables and ASCII marks (no letters or digits otherwise):
    /// its [`Counts`] are `hangul` CJK characters and no words.
    hangul_only: bool,
}

/// The stretch from `i` in `t` up to the first white space. Hangul syllables (three bytes led
/// by 0xEA..=0xED) are stepped over whole, and counted.
fn next_space(t: &str, mut i: usize) -> Stretch {
    let bytes = t.as_bytes();
    let mut hangul = 0;
    let mut hangul_only = true;
    while i < bytes.len() {
        let b = bytes[i];
        // Most of a Korean text: syllables led by 0xEB or 0xEC (U+B000..U+CFFF, all Hangul),
        // tested before the general match (a jump through a table on every character).
        if b.wrapping_sub(0xEB) < 2 {
            hangul += 1;
            i += 3;
            continue;
        }
        match b {
            // U+A000..U+AFFF and U+D000..U+DFFF: Hangul from U+AC00 (0xEA 0xB0 ..) and up to
            // U+D7A3 (0xED 0x9E 0xA3).
            0xEA | 0xED => {
                let (b1, b2) = (bytes[i + 1], bytes[i + 2]);
                let syllable = if b == 0xEA {
                    b1 >= 0xB0
                } else {
                    b1 < 0x9E || (b1 == 0x9E && b2 <= 0xA3)
                };
                hangul += usize::from(syllable);
                hangul_only &= syllable;
                i += 3;
            }
            b' ' | b'\n' | b'\t' | b'\r' | 0x0B | 0x0C => {
                return Stretch {
                    end: i,
                    space: 1,
                    hangul,
                    hangul_only,
                }
            }
            // The lead bytes of the other white space: U+0085, U+00A0, U+1680, U+2000..U+205F
            // and U+3000.
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = t[i..].chars().next().unwrap_or('x');
                if c.is_whitespace() {
                    return Stretch {
                        end: i,
                        space: c.len_utf8(),
                        hangul,
                        hangul_only,
                    };
                }
                hangul_only = false;
                i += c.len_utf8();
            }
            0..0x80 => {
                hangul_only &= !b.is_ascii_alphanumeric();
                i += 1;
            }
            _ => {
                hangul_only = false;
                i += 1;
            }
        }
    }
    Stretch {
        end: bytes.len(),
        space: 0,
        hangul,
        hangul_only,
    }
}

fn is_cjk(c: u32) -> bool {
    matches!(c,
        0xAC00..=0xD7A3 // Hangul syllables
        | 0x1100..=0x11FF | 0x3130..=0x318F // Hangul jamo
        | 0x4E00..=0x9FFF | 0x3400..=0x4DBF // CJK ideographs (hanja)
        | 0x3040..=0x30FF) // kana
}

/// Minutes to read, rounded up, at least one.
fn reading_minutes(cjk: usize, words: usize) -> usize {
    let seconds = cjk * 60 / HANGUL_CHARS_PER_MINUTE + words * 60 / WORDS_PER_MINUTE;
    seconds.div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_keep_hangul_and_are_unique() {
        let r = render("## 1. 고객 불만\n\n## 1. 고객 불만\n\n### Details {#own}\n\n## Comments\n");
        let html = r.html.get();
        let html = html.as_str().unwrap_or_default();
        assert!(html.contains(r#"<h2 id="comments-1">"#), "{html}");
        assert!(html.contains(r#"<h2 id="1-고객-불만">"#), "{html}");
        assert!(html.contains(r#"<h2 id="1-고객-불만-1">"#));
        assert!(html.contains(r#"<h3 id="own">"#));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[1].children[0].id, "own");
    }

    /// The rules of unique ids, each as it was before they were found in linear time.
    #[test]
    fn heading_ids_avoid_the_writers_ids_made_up_ones_and_the_themes() {
        let ids = |markdown: &str| -> Vec<String> {
            render(markdown).toc.into_iter().map(|e| e.id).collect()
        };
        // A suffix written by hand is taken like any other id; a made-up one never takes it.
        assert_eq!(
            ids("## x\n## x\n## x-1\n## x\n"),
            ["x", "x-1", "x-1-1", "x-2"]
        );
        assert_eq!(
            ids("## x-1\n## x\n## x\n## x\n"),
            ["x-1", "x", "x-2", "x-3"]
        );
        // The writer's ids, even further down, and the theme's own.
        assert_eq!(
            ids("## a\n## b {#a}\n## a\n## Main\n## main\n## 목차 {#toc}\n"),
            ["a-1", "a", "a-2", "main-1", "main-2", "toc"]
        );
        // Empty titles become `section`.
        assert_eq!(ids("## !\n## ?\n"), ["section", "section-1"]);
    }

    #[test]
    fn many_headings_of_one_title_take_linear_time() {
        let n = 20_000;
        let mut ids = HeadingIds::new(std::iter::empty());
        let got: Vec<String> = (0..n).map(|_| ids.unique("같은-제목")).collect();
        assert_eq!(got[0], "같은-제목");
        assert_eq!(got[n - 1], format!("같은-제목-{}", n - 1));
        // Each made-up id looked at one candidate (the first takes the base itself).
        assert_eq!(ids.tried, n - 1);
        let markdown = "## 같은 제목\n\n".repeat(2000);
        let toc = render(&markdown).toc;
        assert_eq!(toc.len(), 2000);
        assert_eq!(toc[1999].id, "같은-제목-1999");
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
            render(&text);
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
    fn the_summary_is_the_first_paragraph_as_rendered_alone() {
        for markdown in [
            "첫 **문단**.\n\n둘째.",
            "# 제목\n\n첫 문단",
            "> 인용 *문단*\n> 둘째 줄\n\n본문\n",
            "- 하나\n\n- 둘\n\n  안쪽\n",
            "| a |\n|---|\n| 1 |\n\n끝 `코드`  \n줄\n",
            "<div>html</div>\n\n문단 ![그림](a.png)",
            "```\n코드\n```\n",
            "",
        ] {
            let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
            let alone = match events
                .iter()
                .position(|e| matches!(e, Event::Start(Tag::Paragraph)))
            {
                Some(start) => {
                    let len = events[start..]
                        .iter()
                        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                        .unwrap();
                    to_html(events[start..=start + len].iter().cloned(), 0)
                }
                None => String::new(),
            };
            assert_eq!(render(markdown).summary_html, alone, "{markdown:?}");
        }
    }

    #[test]
    fn summary_from_more_marker_or_first_paragraph() {
        assert_eq!(
            render("첫 문단.\n\n둘째.").summary_html,
            "<p>첫 문단.</p>\n"
        );
        let r = render("하나.\n\n둘.\n\n<!-- more -->\n\n셋.");
        assert_eq!(r.summary_html, "<p>하나.</p>\n<p>둘.</p>\n");
    }

    #[test]
    fn counts_korean_by_characters_and_latin_by_words() {
        let r = render("가나다 라마 hello world");
        assert_eq!(r.word_count, 5 + 2);
        assert_eq!(r.reading_time, 1);
        let long = "가".repeat(1500);
        assert_eq!(render(&long).reading_time, 3);
    }

    #[test]
    fn counting_by_bytes_matches_counting_by_characters() {
        // The plain definition: each CJK character counts; a run of other letters or
        // digits is one word.
        fn by_chars(text: &str) -> (usize, usize) {
            let (mut cjk, mut words, mut in_word) = (0, 0, false);
            for c in text.chars() {
                if is_cjk(u32::from(c)) {
                    cjk += 1;
                    in_word = false;
                } else if c.is_alphanumeric() {
                    words += usize::from(!in_word);
                    in_word = true;
                } else {
                    in_word = false;
                }
            }
            (cjk, words)
        }
        for text in [
            "고객 불만을 처리한 날, 3번째 ㄱㄴ ᄀᄁ 漢字 かな カナ",
            "café naïve Привет мир 123abc é",
            "emoji 🙂 between 가🙂나 and ①② ½ …— “quoted” 힣",
            "\u{3000}가\u{a0}나\u{2003}x",
        ] {
            let c = count_chars(text);
            assert_eq!((c.cjk, c.words), by_chars(text), "{text}");
        }
    }

    fn text_words(markdown: &str) -> Vec<String> {
        let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
        let mut out = Vec::new();
        read_text(&events, |w| out.push(w.to_owned()));
        out
    }

    #[test]
    fn words_are_the_text_a_reader_sees() {
        // Inline markup goes on with the word; white space of every kind ends it.
        assert_eq!(
            text_words("**고객**을 _천천히_,\u{a0}꾸준히\u{3000}[만나](/x)고 `code span`"),
            ["고객을", "천천히,", "꾸준히", "만나고", "code", "span"]
        );
        // Blocks, line breaks and table cells end a word.
        assert_eq!(
            text_words("## 제목 {#own}\n\n첫째\n둘째  \n셋째\n\n| 항목 | 이전 |\n|---|---|\n| 배송 | 2 |\n\n- 하나\n- 둘"),
            ["제목", "첫째", "둘째", "셋째", "항목", "이전", "배송", "2", "하나", "둘"]
        );
        // Entities are decoded; alt text, footnote markers and task boxes are not text.
        assert_eq!(
            text_words("R&amp;D ![대체 글](a.png) 말[^1]이다\n\n- [x] 끝\n\n[^1]: 주석"),
            ["R&D", "말이다", "끝", "주석"]
        );
        // Raw HTML counts by the text between its tags, even a tag cut across lines.
        assert_eq!(
            text_words("<b>고객</b>을 만나 &lt;3\n\n<div\nclass=\"x\">\n가 &amp; 나\n</div>"),
            ["고객을", "만나", "<3", "가", "&", "나"]
        );
        assert!(text_words("").is_empty());
        assert!(text_words("  \n\n ").is_empty());
    }

    #[test]
    fn counts_are_those_of_each_text_event_on_its_own() {
        // The old definition: every Text and Code event (alt text included, raw HTML not),
        // counted by characters, each on its own.
        for markdown in [
            "고객 **응대**를 hello**world** 3번째, R&amp;D 가나다라 힣 깋 가 퓨",
            "![대체 글 alt](a.png) 말[^1]이다\n\n[^1]: note 주석\n\n- [x] task 끝",
            "<b>raw 고객</b>을 `code 코드` 漢字 かな\u{a0}é\u{3000}x ꀀ 힤",
            "| a | 1 |\n|---|---|\n| 콘텐츠 | 43 |\n\n```\nfn 함수() {}\n```\n",
            "",
        ] {
            let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
            let mut expected = Counts::default();
            for e in &events {
                if let Event::Text(t) | Event::Code(t) = e {
                    let c = count_chars(t);
                    expected.cjk += c.cjk;
                    expected.words += c.words;
                }
            }
            assert_eq!(read_text(&events, |_| {}), expected, "{markdown}");
        }
    }

    #[test]
    fn a_page_keeps_its_words_for_the_search_index() {
        let r = render("고객 **응대**를 배웠다.\n\n고객");
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
