//! The search index the default theme's `/search/` page queries in the browser: every
//! published post's title, link, date, category and text, compact enough to download.
//!
//! The text is stored as word numbers into one shared vocabulary, most frequent words
//! first (so their numbers are short). The browser finds each query word inside the
//! vocabulary's words (so `충성` finds `충성`, `인간관계` finds `인간관계를`), then the posts
//! that use them, and rebuilds a snippet from the numbers.

use rayon::prelude::*;

use std::borrow::Cow;

use super::views::{decode_entity, needs_a_look, PostMeta};
use crate::site::Site;

/// Where the index is published.
pub const INDEX_PATH: &str = "search/index.json";

/// The index of every published (non-draft) post of `site`, as JSON, reading their bodies.
pub fn index<'a>(site: &'a Site, meta: &(dyn Fn(usize) -> &'a PostMeta + Sync)) -> Vec<u8> {
    let posts: Vec<usize> = (0..site.posts.len())
        .filter(|&i| !site.posts[i].draft)
        .collect();
    // Each post's HTML is read once, in a few large chunks in parallel.
    let chunks: Vec<Words> = posts
        .par_chunks(piece_size(posts.len()))
        .map(|chunk| {
            let mut words = Words::default();
            for &i in chunk {
                words.add(i, &site.posts[i].body.html.get());
            }
            words
        })
        .collect();
    index_of(site, meta, chunks).concat()
}

/// The words of some posts, numbered in the order they first appear; `build` gathers them
/// while it writes the posts' pages, then makes the index with [`index_of`].
#[derive(Debug, Default)]
pub struct Words {
    /// Each word once, with its number.
    seen: Vocabulary,
    /// How often each word occurs, by its number.
    counts: Vec<u32>,
    /// Each post (index into `site.posts`) with its words in order, as numbers. One
    /// allocation of the exact size per post: a long list grown by doubling would be copied
    /// over and over into fresh memory.
    posts: Vec<(usize, Box<[u32]>)>,
    /// The post being read.
    scratch: Vec<u32>,
}

impl Words {
    /// Adds the words of post `post`, whose body is `html`.
    pub fn add(&mut self, post: usize, html: &str) {
        self.scratch.clear();
        let mut scratch = std::mem::take(&mut self.scratch);
        for_each_word(html, |word| scratch.push(self.count(&word, 1)));
        self.posts.push((post, scratch.as_slice().into()));
        self.scratch = scratch;
    }

    /// Counts `times` more occurrences of `word`; its number.
    fn count(&mut self, word: &str, times: u32) -> u32 {
        let n = self.seen.number(word);
        if n as usize == self.counts.len() {
            self.counts.push(0);
        }
        self.counts[n as usize] += times;
        n
    }
}

/// Distinct words, numbered from 0 in the order they were first given.
///
/// A hash table made for this one job (millions of lookups of a few thousand short words):
/// the words are kept end to end in one string, each with its hash, and the table holds
/// their numbers, so a lookup touches one slot and compares one word.
#[derive(Debug, Default)]
struct Vocabulary {
    /// The words end to end.
    text: String,
    /// Each word's hash and its place in `text`, by number.
    words: Vec<(u64, u32, u32)>,
    /// Open addressing with linear probing: a word's number + 1 in each used slot, 0 in the
    /// empty ones. Its length is a power of two, at least twice the number of words.
    slots: Vec<u32>,
}

impl Vocabulary {
    /// The number of `word`, given a new one if it is new.
    fn number(&mut self, word: &str) -> u32 {
        if self.words.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let hash = word_hash(word);
        let mask = self.slots.len() - 1;
        // The high bits of the hash are its best mixed.
        let mut slot = (hash >> 32) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    let n = self.words.len() as u32;
                    let start = self.text.len() as u32;
                    self.text.push_str(word);
                    self.words.push((hash, start, self.text.len() as u32));
                    self.slots[slot] = n + 1;
                    return n;
                }
                used => {
                    let n = used - 1;
                    let (h, start, end) = self.words[n as usize];
                    if h == hash
                        && same_bytes(
                            &self.text.as_bytes()[start as usize..end as usize],
                            word.as_bytes(),
                        )
                    {
                        return n;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Doubles the table (or makes the first one) and places every word again.
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(1024);
        self.slots = vec![0; len];
        for (n, &(hash, _, _)) in self.words.iter().enumerate() {
            let mut slot = (hash >> 32) as usize & (len - 1);
            while self.slots[slot] != 0 {
                slot = (slot + 1) & (len - 1);
            }
            self.slots[slot] = n as u32 + 1;
        }
    }

    /// Word number `n`.
    fn word(&self, n: u32) -> &str {
        let (_, start, end) = self.words[n as usize];
        &self.text[start as usize..end as usize]
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    /// Each word with its number.
    fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        (0..self.words.len() as u32).map(|n| (self.word(n), n))
    }
}

/// Whether `a` and `b` are the same bytes; a word of 4 to 16 bytes (most Korean words) is
/// compared in two overlapping loads each, without a call to `memcmp`.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let u64_at = |s: &[u8], i: usize| s[i..i + 8].try_into().map(u64::from_le_bytes).ok();
    let u32_at = |s: &[u8], i: usize| s[i..i + 4].try_into().map(u32::from_le_bytes).ok();
    match n {
        8..=16 => u64_at(a, 0) == u64_at(b, 0) && u64_at(a, n - 8) == u64_at(b, n - 8),
        4..=7 => u32_at(a, 0) == u32_at(b, 0) && u32_at(a, n - 4) == u32_at(b, n - 4),
        _ => a == b,
    }
}

fn word_hash(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(word.as_bytes());
    h.finish()
}

/// The index of the posts whose words are in `chunks` (the published ones: callers leave
/// drafts out), as JSON in consecutive parts: a big blog's index is tens of megabytes, written
/// part after part rather than copied into one string. The chunks' vocabularies are merged
/// and numbered by frequency, so the index is the same however the posts were split.
pub fn index_of<'a>(
    site: &'a Site,
    meta: &(dyn Fn(usize) -> &'a PostMeta + Sync),
    chunks: Vec<Words>,
) -> Vec<Vec<u8>> {
    // The chunks' words → one vocabulary, each word once with its count.
    let mut global = Words::default();
    let to_global: Vec<Vec<u32>> = chunks
        .iter()
        .map(|chunk| {
            chunk
                .seen
                .iter()
                .map(|(word, n)| global.count(word, chunk.counts[n as usize]))
                .collect()
        })
        .collect();
    let (vocabulary, counts) = (&global.seen, &global.counts);
    // Most frequent first (their numbers are the shortest), then alphabetical.
    let mut order: Vec<u32> = (0..vocabulary.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        counts[b as usize]
            .cmp(&counts[a as usize])
            .then_with(|| vocabulary.word(a).cmp(vocabulary.word(b)))
    });
    // Each word's rank as JSON text after a comma (`,17`), made once: the millions of numbers in
    // the posts' entries are then copied eight bytes at a time rather than formatted.
    let mut rank_text = vec![Decimal::default(); vocabulary.len()];
    for (r, &id) in order.iter().enumerate() {
        rank_text[id as usize] = Decimal::new(r as u32);
    }
    // Each chunk's word numbers → their ranks, as text.
    let numbering: Vec<Vec<Decimal>> = to_global
        .par_iter()
        .map(|t| t.iter().map(|&g| rank_text[g as usize]).collect())
        .collect();
    drop(to_global);

    // Each post with its chunk and its words, in site order.
    let mut listed: Vec<(usize, usize, &[u32])> = chunks
        .iter()
        .enumerate()
        .flat_map(|(c, chunk)| chunk.posts.iter().map(move |(i, n)| (*i, c, &n[..])))
        .collect();
    listed.sort_unstable_by_key(|&(i, _, _)| i);

    // The posts as JSON entries, in a few pieces in parallel; each but the first starts with
    // the comma that separates it from the one before.
    let entries: Vec<Vec<u8>> = listed
        .par_chunks(piece_size(listed.len()))
        .enumerate()
        .map(|(p, piece)| {
            let words: usize = piece.iter().map(|(_, _, n)| n.len()).sum();
            let mut json = Vec::with_capacity(words * 4 + piece.len() * 200);
            for (k, (i, c, numbers)) in piece.iter().enumerate() {
                if k > 0 || p > 0 {
                    json.push(b',');
                }
                let post = &site.posts[*i];
                let m = meta(*i);
                json.push(b'[');
                for field in [
                    post.title.as_str(),
                    m.url.as_str(),
                    m.date_display.as_deref().unwrap_or(""),
                    m.category.as_ref().map_or("", |c| c.name.as_str()),
                ] {
                    push_json_string(&mut json, field);
                    json.push(b',');
                }
                json.push(b'[');
                let number = &numbering[*c];
                if let Some((&first, rest)) = numbers.split_first() {
                    json.extend_from_slice(number[first as usize].digits());
                    for &local in rest {
                        number[local as usize].push_to(&mut json);
                    }
                }
                json.extend_from_slice(b"]]");
            }
            json
        })
        .collect();

    let size = vocabulary.iter().map(|(w, _)| w.len() + 3).sum::<usize>();
    let mut head = Vec::with_capacity(size + 16);
    head.extend_from_slice(b"{\"w\":[");
    for (k, &id) in order.iter().enumerate() {
        if k > 0 {
            head.push(b',');
        }
        push_json_string(&mut head, vocabulary.word(id));
    }
    head.extend_from_slice(b"],\"p\":[");
    let mut parts = Vec::with_capacity(entries.len() + 2);
    parts.push(head);
    parts.extend(entries);
    parts.push(b"]}".to_vec());
    parts
}

/// How many of `n` posts one parallel piece of work takes: a few pieces per thread, so that
/// threads even out, but not so small that their overhead shows.
fn piece_size(n: usize) -> usize {
    n.div_ceil(rayon::current_num_threads() * 4).max(64)
}

/// The word being read by [`for_each_word`], apart from the stretch of HTML it is in.
enum Word {
    None,
    /// A stretch of the HTML that a tag interrupted (`고객` in `<b>고객</b>을`).
    Raw(usize, usize),
    /// Pieces joined: the word is not one stretch of the HTML.
    Owned(String),
}

impl Word {
    /// Adds `html[start..end]` to the word.
    fn push_raw(&mut self, html: &str, start: usize, end: usize) {
        if end <= start {
            return;
        }
        *self = match std::mem::replace(self, Word::None) {
            Word::None => Word::Raw(start, end),
            word => Word::Owned(word.into_string(html) + &html[start..end]),
        }
    }

    fn push_char(&mut self, html: &str, c: char) {
        let mut w = std::mem::replace(self, Word::None).into_string(html);
        w.push(c);
        *self = Word::Owned(w);
    }

    fn into_string(self, html: &str) -> String {
        match self {
            Word::None => String::new(),
            Word::Raw(s, e) => html[s..e].to_owned(),
            Word::Owned(w) => w,
        }
    }
}

/// Calls `f` with each word of the text of an HTML fragment, in order: what
/// `plain_text(html)` splits into at white space (tags dropped, so `<b>고객</b>을` is one
/// word; entities decoded). A word is borrowed from the HTML unless a tag or an entity
/// interrupts it.
fn for_each_word<'a>(html: &'a str, mut f: impl FnMut(Cow<'a, str>)) {
    let bytes = html.as_bytes();
    // The word so far, and where the stretch of HTML that continues it starts.
    let mut word = Word::None;
    let mut run: Option<usize> = None;
    let mut end_word = |word: &mut Word, run: &mut Option<usize>, at: usize| {
        let mut word = std::mem::replace(word, Word::None);
        match (&word, run.take()) {
            // Most words: one stretch of the HTML, not interrupted.
            (Word::None, Some(s)) => word = Word::Raw(s, at),
            (_, Some(s)) => word.push_raw(html, s, at),
            (_, None) => {}
        }
        match word {
            Word::None => {}
            Word::Raw(s, e) => f(Cow::Borrowed(&html[s..e])),
            Word::Owned(w) => f(Cow::Owned(w)),
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !needs_a_look(b) {
            run.get_or_insert(i);
            i += 1;
            while i < bytes.len() {
                let b = bytes[i];
                // A character of U+A000..U+DFFF (Hangul syllables) is three bytes, none of
                // them looked at: stepped over whole.
                if (0xEA..=0xED).contains(&b) {
                    i += 3;
                } else if needs_a_look(b) {
                    break;
                } else {
                    i += 1;
                }
            }
            continue;
        }
        match b {
            b' ' | b'\n' | b'\t' | b'\r' | 0x0B | 0x0C => {
                end_word(&mut word, &mut run, i);
                i += 1;
            }
            b'<' => {
                if let Some(s) = run.take() {
                    word.push_raw(html, s, i);
                }
                i = bytes[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(bytes.len(), |end| i + end + 1);
            }
            b'&' => {
                if let Some(s) = run.take() {
                    word.push_raw(html, s, i);
                }
                let (c, skip) = decode_entity(&html[i + 1..]);
                word.push_char(html, c);
                i += 1 + skip;
            }
            _ => {
                // The first byte of a character that may be white space (U+00A0, U+3000, …).
                let c = html[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    end_word(&mut word, &mut run, i);
                } else {
                    run.get_or_insert(i);
                }
                i += c.len_utf8();
            }
        }
    }
    end_word(&mut word, &mut run, bytes.len());
}

/// A word's rank as it follows a comma in a JSON list (`,17`): a u32 needs at most eleven
/// bytes, so a rank is copied as one block of twelve and the list cut back to its length.
#[derive(Debug, Clone, Copy, Default)]
struct Decimal {
    text: [u8; 12],
    len: u8,
}

impl Decimal {
    fn new(n: u32) -> Self {
        let mut d = Decimal::default();
        let s = format!(",{n}");
        d.text[..s.len()].copy_from_slice(s.as_bytes());
        d.len = s.len() as u8;
        d
    }

    /// The number without its comma.
    fn digits(&self) -> &[u8] {
        &self.text[1..usize::from(self.len)]
    }

    /// Appends `,` and the number.
    fn push_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.text);
        out.truncate(out.len() - self.text.len() + usize::from(self.len));
    }
}

fn push_json_string(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes exactly as JSON requires; writing a &str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::{for_each_word, same_bytes, Decimal, Vocabulary};
    use crate::render::views::plain_text;

    fn words(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(html, |w| out.push(w.into_owned()));
        out
    }

    #[test]
    fn decimals_print_every_rank() {
        let mut out = b"[".to_vec();
        out.extend_from_slice(Decimal::new(0).digits());
        for n in [9, 10, 12_345, u32::MAX] {
            Decimal::new(n).push_to(&mut out);
        }
        assert_eq!(out, b"[0,9,10,12345,4294967295");
    }

    #[test]
    fn same_bytes_compares_every_length() {
        let text = "가나다라마바사아자차카타파하 abcdefghijklmnopqrstuvwxyz";
        let words: Vec<&str> = (0..text.len())
            .flat_map(|i| (i..=text.len()).map(move |j| (i, j)))
            .filter_map(|(i, j)| text.get(i..j))
            .filter(|w| w.len() <= 20)
            .collect();
        for a in &words {
            for b in words.iter().filter(|b| b.len() == a.len()) {
                assert_eq!(
                    same_bytes(a.as_bytes(), b.as_bytes()),
                    a == b,
                    "{a:?} {b:?}"
                );
            }
        }
        assert!(!same_bytes(b"abcd", b"abc"));
    }

    #[test]
    fn vocabulary_numbers_words_in_the_order_first_seen() {
        let mut v = Vocabulary::default();
        assert_eq!(v.number("고객"), 0);
        assert_eq!(v.number("응대"), 1);
        assert_eq!(v.number("고객"), 0);
        assert_eq!(v.number(""), 2);
        // Past several growths of the table, every word keeps its number.
        let words: Vec<String> = (0..5000).map(|i| format!("낱말{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.number(w), 3 + i as u32);
        }
        for (i, w) in words.iter().enumerate().rev() {
            assert_eq!(v.number(w), 3 + i as u32);
        }
        assert_eq!(v.number("응대"), 1);
        let listed: Vec<(&str, u32)> = v.iter().take(3).collect();
        assert_eq!(listed, [("고객", 0), ("응대", 1), ("", 2)]);
        assert_eq!(v.iter().count(), 5003);
    }

    #[test]
    fn words_are_those_of_the_plain_text() {
        for html in [
            "<h2 id=\"가\">고객 &amp; 응대</h2>\n<p><strong>고객</strong>을 R&amp;D는 <em>천천히</em>,\u{a0}\u{3000} 꾸준히&lt;3 &quot;끝&quot;</p>\n",
            "  <p>  a  b </p>  ",
            "x > y <br",
            "",
            "<p>a&copy;b</p><p>c</p>\n<ul>\n<li>하나</li>\n</ul>",
        ] {
            let expected: Vec<String> = plain_text(html, usize::MAX)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            assert_eq!(words(html), expected, "{html:?}");
        }
        assert_eq!(words("<b>고객</b>을 만나"), ["고객을", "만나"]);
    }
}
