//! Heading ids and the table of contents: every heading gets an id (its text slugified,
//! Hangul kept, made unique on the page) unless the writer gave one with `{#id}`, and the
//! headings are nested into [`TocEntry`] trees.
//!
//! It changes only the heading tags of pulldown-cmark's events; the HTML is written elsewhere.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::VecDeque;

use super::options;
use crate::slug::slugify;

/// One heading in the table of contents, with the headings below it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// pulldown-cmark's events with an id on every heading (its text slugified, Hangul kept, made
/// unique) unless the writer set one with `{#id}`; (level, id, text) of each heading is
/// added to `headings` as it goes by. Only a heading's own events are held, until its text
/// is known.
pub(super) struct WithHeadingIds<'a, 'h> {
    parser: Parser<'a>,
    source: &'a str,
    ids: HeadingIds,
    headings: &'h mut Vec<(u8, String, String)>,
    /// The rest of the heading being handed out.
    pending: VecDeque<Event<'a>>,
}

impl<'a, 'h> WithHeadingIds<'a, 'h> {
    pub(super) fn new(source: &'a str, headings: &'h mut Vec<(u8, String, String)>) -> Self {
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

    #[inline]
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
pub(super) fn nest_toc(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::render_to_string as render;

    #[test]
    fn heading_ids_keep_hangul_and_are_unique() {
        let r = render("## 1. 고객 불만\n\n## 1. 고객 불만\n\n### Details {#own}\n\n## Comments\n");
        let html = &r.html;
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
}
