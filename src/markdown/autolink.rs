//! Bare addresses as links, by GitHub's "autolink literal" rules (GFM 6.9): `https://…`,
//! `http://…` and `www.…` addresses and e-mail addresses in a post's text become links, as
//! writers paste them; not in code, nor inside a link or a raw `<a>`.
//!
//! Two rules are Korean-first: an address ends where Korean text follows an ASCII letter or
//! digit of it (`https://shop.example.com/123에서` links `…/123`, while
//! `https://ko.wikipedia.org/wiki/대한민국` keeps its Hangul path), and it may start right
//! after a Korean character or a colon (`주소:https://…`), where GFM wants a space.

use std::collections::VecDeque;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// `events` with the bare addresses of their text made links.
pub(super) struct Autolinks<'a, I> {
    events: I,
    /// Whether the Markdown may hold an address at all: most posts have none, and their
    /// events pass through untouched.
    active: bool,
    pending: VecDeque<Event<'a>>,
    place: Place,
}

/// Where in a page's events a text is, as far as making links of its addresses goes (the
/// build's Markdown and `ilji check` follow the events alike).
#[derive(Debug, Default)]
pub struct Place {
    /// Inside a link or an image (whose text is the alt text): no links in links.
    in_link: usize,
    /// Inside a raw `<a …>` … `</a>` of the writer.
    in_html_link: usize,
    in_code_block: bool,
}

impl Place {
    /// Keeps track of where the text is; `true` when `event` is a text whose bare addresses
    /// become links.
    pub fn see(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.in_link = self.in_link.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::InlineHtml(html) => match html.as_bytes() {
                [b'<', b'a' | b'A', b' ' | b'>', ..] => self.in_html_link += 1,
                [b'<', b'/', b'a' | b'A', ..] => {
                    self.in_html_link = self.in_html_link.saturating_sub(1);
                }
                _ => {}
            },
            Event::Text(_) => {
                return self.in_link == 0 && self.in_html_link == 0 && !self.in_code_block;
            }
            _ => {}
        }
        false
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Autolinks<'a, I> {
    /// The events of `source` with its addresses made links.
    pub(super) fn new(source: &str, events: I) -> Self {
        Autolinks {
            events,
            active: may_hold_address(source),
            pending: VecDeque::new(),
            place: Place::default(),
        }
    }

    /// Whether the Markdown may hold an address at all (a video line holds one: see
    /// `embeds.rs`).
    pub(super) fn may_hold_address(&self) -> bool {
        self.active
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Autolinks<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if !self.active {
            return self.events.next();
        }
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        let event = self.events.next()?;
        if !self.place.see(&event) {
            return Some(event);
        }
        let Event::Text(text) = event else {
            return Some(event);
        };
        if !may_hold_address(&text) {
            return Some(Event::Text(text));
        }
        // pulldown-cmark splits text where emphasis might have started (`a_b`): an address
        // runs on through the pieces that follow.
        let mut joined = text.into_string();
        let mut after = None;
        for event in self.events.by_ref() {
            match event {
                Event::Text(more) => joined.push_str(&more),
                other => {
                    self.place.see(&other);
                    after = Some(other);
                    break;
                }
            }
        }
        let mut at = 0;
        for found in addresses(&joined) {
            if found.start > at {
                self.pending
                    .push_back(Event::Text(joined[at..found.start].to_owned().into()));
            }
            let shown = &joined[found.start..found.end];
            self.pending.push_back(Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(found.href(&joined)),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
            self.pending.push_back(Event::Text(shown.to_owned().into()));
            self.pending.push_back(Event::End(TagEnd::Link));
            at = found.end;
        }
        if at < joined.len() {
            self.pending
                .push_back(Event::Text(joined[at..].to_owned().into()));
        }
        self.pending.extend(after);
        self.pending.pop_front()
    }
}

/// Whether `text` has what every bare address has: `://`, `www.` or `@`. (One vectorised
/// search for the three bytes that start them; Korean text has few.)
fn may_hold_address(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'@', b':', b'w', bytes).any(|i| match bytes[i] {
        b'@' => true,
        b':' => bytes[i + 1..].starts_with(b"//"),
        _ => bytes[i..].starts_with(b"www."),
    })
}

/// An address found in a text: its bytes, and what its link puts before them.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) start: usize,
    end: usize,
    scheme: &'static str,
}

impl Found {
    /// The address of its link, in `text` where it was found.
    pub(super) fn href(&self, text: &str) -> String {
        [self.scheme, &text[self.start..self.end]].concat()
    }
}

/// The addresses of `text`, in order.
pub(super) fn addresses(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let Some(next) = next_address(text, from) else {
            break;
        };
        from = next.end;
        found.push(next);
    }
    found
}

/// The first address of `text` that starts at or after byte `from`.
fn next_address(text: &str, from: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let rest = &text[i..];
        let starts_word = i == 0 || may_precede(text[..i].chars().next_back());
        if starts_word {
            if let Some(found) = url_at(text, i) {
                return Some(found);
            }
        }
        if bytes[i] == b'@' {
            if let Some(found) = email_around(text, from, i) {
                return Some(found);
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Whether an address may start after `c`: GFM's start of line, white space, `*`, `_`,
/// `~` and `(`, and also a Korean (any non-ASCII) character and `:` `"` `'` `[`.
fn may_precede(c: Option<char>) -> bool {
    c.is_none_or(|c| {
        c.is_whitespace()
            || !c.is_ascii()
            || matches!(c, '*' | '_' | '~' | '(' | ':' | '"' | '\'' | '[')
    })
}

/// An `http://`, `https://` or `www.` address starting at byte `i`.
fn url_at(text: &str, i: usize) -> Option<Found> {
    let rest = &text[i..];
    let starts = |prefix: &str| {
        rest.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let (domain_at, scheme) = if starts("https://") {
        (i + 8, "")
    } else if starts("http://") {
        (i + 7, "")
    } else if starts("www.") {
        (i, "http://")
    } else {
        return None;
    };
    let domain_end = valid_domain(text, domain_at)?;
    let end = trim_end(text, i, path_end(text, domain_end));
    Some(Found {
        start: i,
        end,
        scheme,
    })
}

/// The end of a valid domain starting at byte `at`: parts of ASCII letters, digits, `_` and
/// `-` joined by dots, at least one dot, no `_` in the last two parts.
fn valid_domain(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = at;
    while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || b"._-".contains(&bytes[end]))
    {
        end += 1;
    }
    let domain = text[at..end].trim_end_matches('.');
    let parts: Vec<&str> = domain.split('.').collect();
    let last_two = &parts[parts.len().saturating_sub(2)..];
    let valid = parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty())
        && !last_two.iter().any(|p| p.contains('_'));
    valid.then_some(end)
}

/// Where the address's path ends: at white space or `<`, at CJK punctuation, and at Korean
/// (any non-ASCII) text unless it goes on from more of it or starts a part of the path
/// (after `/ = # ? & + % - _`): `…/wiki/대한민국` is kept, `…/123에서` and `…)를` end before it.
fn path_end(text: &str, from: usize) -> usize {
    let mut previous = text[..from].chars().next_back();
    for (k, c) in text[from..].char_indices() {
        let starts_part = |p: char| !p.is_ascii() || "/=#?&+%-_".contains(p);
        let ends = c.is_whitespace()
            || c == '<'
            || is_cjk_punctuation(c)
            || (!c.is_ascii() && !previous.is_some_and(starts_part));
        if ends {
            return from + k;
        }
        previous = Some(c);
    }
    text.len()
}

/// Ideographic punctuation and full-width forms (`、。「」（），`), which no address holds.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}' | '\u{2018}'..='\u{201F}')
}

/// GFM's trailing punctuation: `?!.,:*_~` and `'"` are not the address's end, nor a `)`
/// without its `(`, nor an entity reference (`&hl;`).
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let link = &text[start..end];
        let Some(last) = link.chars().next_back() else {
            return end;
        };
        let unmatched = || link.matches(')').count() > link.matches('(').count();
        if matches!(
            last,
            '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"'
        ) || (last == ')' && unmatched())
        {
            end -= 1;
        } else if last == ';' {
            let entity = link.rfind('&').filter(|&amp| {
                link[amp + 1..link.len() - 1]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric())
            });
            match entity {
                Some(amp) if amp > 0 => end = start + amp,
                _ => return end,
            }
        } else {
            return end;
        }
    }
}

/// The e-mail address around the `@` at byte `at` (not reaching back before `from`).
fn email_around(text: &str, from: usize, at: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b".+-_".contains(&b);
    let mut start = at;
    while start > from && local(bytes[start - 1]) {
        start -= 1;
    }
    if start == at || !may_precede(text[..start].chars().next_back()) {
        return None;
    }
    let mut end = at + 1;
    while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || b".-_".contains(&bytes[end]))
    {
        end += 1;
    }
    while end > at + 1 && bytes[end - 1] == b'.' {
        end -= 1;
    }
    let domain = &text[at + 1..end];
    let valid = domain.contains('.')
        && !domain.ends_with(['-', '_'])
        && !domain.starts_with('.')
        && !domain.contains("..");
    // A Korean particle may follow (`shop@example.com으로`); a letter of a longer word may not.
    let followed = text[end..].chars().next();
    let ends = followed.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '@');
    (valid && ends).then_some(Found {
        start,
        end,
        scheme: "mailto:",
    })
}

#[cfg(test)]
mod tests {
    use super::super::render_fragment;

    fn linked(markdown: &str) -> String {
        render_fragment(markdown)
    }

    #[test]
    fn a_pasted_address_becomes_a_link() {
        assert_eq!(
            linked("자세한 안내는 https://smartstore.example.com/shop/123 에서"),
            "<p>자세한 안내는 <a href=\"https://smartstore.example.com/shop/123\">https://smartstore.example.com/shop/123</a> 에서</p>\n"
        );
        assert_eq!(
            linked("www.example.com/가게"),
            "<p><a href=\"http://www.example.com/%EA%B0%80%EA%B2%8C\">www.example.com/가게</a></p>\n"
        );
    }

    #[test]
    fn korean_right_after_the_address_ends_it() {
        assert_eq!(
            linked("https://smartstore.example.com/shop/123에서 확인하세요"),
            "<p><a href=\"https://smartstore.example.com/shop/123\">https://smartstore.example.com/shop/123</a>에서 확인하세요</p>\n"
        );
        assert_eq!(
            linked("주소:https://a.example.com/x。"),
            "<p>주소:<a href=\"https://a.example.com/x\">https://a.example.com/x</a>。</p>\n"
        );
        assert_eq!(
            linked("사이트(https://a.example.com)를 보세요"),
            "<p>사이트(<a href=\"https://a.example.com\">https://a.example.com</a>)를 보세요</p>\n"
        );
    }

    #[test]
    fn a_korean_path_is_kept() {
        assert_eq!(
            linked("https://ko.wikipedia.org/wiki/대한민국 참고"),
            "<p><a href=\"https://ko.wikipedia.org/wiki/%EB%8C%80%ED%95%9C%EB%AF%BC%EA%B5%AD\">https://ko.wikipedia.org/wiki/대한민국</a> 참고</p>\n"
        );
    }

    #[test]
    fn trailing_punctuation_and_an_unmatched_parenthesis_are_left_out() {
        assert_eq!(
            linked("See https://example.com/a. And www.example.com/b?!"),
            "<p>See <a href=\"https://example.com/a\">https://example.com/a</a>. And <a href=\"http://www.example.com/b\">www.example.com/b</a>?!</p>\n"
        );
        assert_eq!(
            linked("(https://en.wikipedia.org/wiki/Rust_(language))"),
            "<p>(<a href=\"https://en.wikipedia.org/wiki/Rust_(language)\">https://en.wikipedia.org/wiki/Rust_(language)</a>)</p>\n"
        );
        assert_eq!(
            linked("https://a.example.com/search?q=x&hl;"),
            "<p><a href=\"https://a.example.com/search?q=x\">https://a.example.com/search?q=x</a>&amp;hl;</p>\n"
        );
    }

    #[test]
    fn an_address_split_by_underscores_is_one_link() {
        assert_eq!(
            linked("https://example.com/a_b_c_d"),
            "<p><a href=\"https://example.com/a_b_c_d\">https://example.com/a_b_c_d</a></p>\n"
        );
    }

    #[test]
    fn an_email_address_becomes_a_mailto_link() {
        assert_eq!(
            linked("문의는 shop.owner+blog@example.co.kr으로 주세요."),
            "<p>문의는 <a href=\"mailto:shop.owner+blog@example.co.kr\">shop.owner+blog@example.co.kr</a>으로 주세요.</p>\n"
        );
        assert_eq!(linked("a@b, @멘션, x@y.z_"), "<p>a@b, @멘션, x@y.z_</p>\n");
    }

    #[test]
    fn what_is_not_an_address_stays_text() {
        for text in [
            "`https://example.com` 코드",
            "xhttps://example.com",
            "https://localhost/x",
            "https://a.b_c.com",
            "파일.txt 와 www.",
        ] {
            let html = linked(text);
            assert!(!html.contains("<a "), "{text}: {html}");
        }
    }

    #[test]
    fn no_link_is_made_inside_a_link_code_or_raw_html_link() {
        assert_eq!(
            linked("[https://a.example.com](https://b.example.com)"),
            "<p><a href=\"https://b.example.com\">https://a.example.com</a></p>\n"
        );
        assert_eq!(
            linked("보기 https://a.example.com [https://b.example.com](/y/)"),
            "<p>보기 <a href=\"https://a.example.com\">https://a.example.com</a> <a href=\"/y/\">https://b.example.com</a></p>\n"
        );
        assert_eq!(
            linked("<a href=\"/x\">https://a.example.com</a>"),
            "<p><a href=\"/x\">https://a.example.com</a></p>\n"
        );
        assert_eq!(
            linked("```\nhttps://a.example.com\n```"),
            "<pre><code>https://a.example.com\n</code></pre>\n"
        );
        assert_eq!(
            linked("<https://a.example.com>"),
            "<p><a href=\"https://a.example.com\">https://a.example.com</a></p>\n"
        );
    }
}
