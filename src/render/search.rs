//! The search index the default theme's `/search/` page queries in the browser: every
//! published post's title, link, date, category and text, compact enough to download.
//!
//! The text is stored as word numbers into one shared vocabulary, most frequent words
//! first (so their numbers are short). The browser finds each query word inside the
//! vocabulary's words (so `충성` finds `충성`, `인간관계` finds `인간관계를`), then the posts
//! that use them, and rebuilds a snippet from the numbers.

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use std::borrow::Cow;

use super::views::{decode_entity, needs_a_look, PostMeta};
use crate::site::Site;

/// Where the index is published.
pub const INDEX_PATH: &str = "search/index.json";

/// The index of every published (non-draft) post of `site`, as JSON.
pub fn index<'a>(site: &'a Site, meta: &(dyn Fn(usize) -> &'a PostMeta + Sync)) -> Vec<u8> {
    let posts: Vec<usize> = (0..site.posts.len())
        .filter(|&i| !site.posts[i].draft)
        .collect();

    // Count the words, then number them by frequency. The words are read straight from each
    // post's HTML twice (to count, then to number) rather than kept as text in between: the
    // texts of a big blog take more memory than the rest of the index. FxHash: millions of
    // short words, no untrusted keys to defend against.
    let counts = posts
        .par_iter()
        .fold(FxHashMap::<Cow<'a, str>, u32>::default, |mut counts, &i| {
            for_each_word(&site.posts[i].body.html, |word| {
                *counts.entry(word).or_default() += 1;
            });
            counts
        })
        .reduce(FxHashMap::default, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            for (word, n) in b {
                *a.entry(word).or_default() += n;
            }
            a
        });
    let mut vocabulary: Vec<(Cow<'a, str>, u32)> = counts.into_iter().collect();
    vocabulary.par_sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let number: FxHashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(rank, (word, _))| (word.as_ref(), rank as u32))
        .collect();

    let entries: Vec<String> = posts
        .par_iter()
        .map(|&i| {
            let post = &site.posts[i];
            let m = meta(i);
            let mut json = String::with_capacity(post.body.html.len() / 3 + 200);
            json.push('[');
            for field in [
                post.title.as_str(),
                m.url.as_str(),
                m.date_display.as_deref().unwrap_or(""),
                m.category.as_ref().map_or("", |c| c.name.as_str()),
            ] {
                push_json_string(&mut json, field);
                json.push(',');
            }
            json.push('[');
            let mut first = true;
            for_each_word(&post.body.html, |word| {
                if !first {
                    json.push(',');
                }
                first = false;
                push_number(&mut json, number.get(word.as_ref()).copied().unwrap_or(0));
            });
            json.push_str("]]");
            json
        })
        .collect();

    let size = vocabulary.iter().map(|(w, _)| w.len() + 3).sum::<usize>()
        + entries.iter().map(|e| e.len() + 1).sum::<usize>();
    let mut json = String::with_capacity(size + 16);
    json.push_str("{\"w\":[");
    for (k, (word, _)) in vocabulary.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        push_json_string(&mut json, word);
    }
    json.push_str("],\"p\":[");
    // Each entry is dropped once copied: a big blog's entries are tens of megabytes.
    for (k, entry) in entries.into_iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        json.push_str(&entry);
    }
    json.push_str("]}");
    json.into_bytes()
}

/// One piece of a word: a stretch of the HTML as it is, or a character decoded from an entity.
#[derive(Debug, Clone, Copy)]
enum Part {
    Raw(usize, usize),
    Char(char),
}

/// Calls `f` with each word of the text of an HTML fragment, in order: what
/// `plain_text(html)` splits into at white space (tags dropped, so `<b>고객</b>을` is one
/// word; entities decoded). A word is borrowed from the HTML unless a tag or an entity
/// interrupts it.
fn for_each_word<'a>(html: &'a str, mut f: impl FnMut(Cow<'a, str>)) {
    let bytes = html.as_bytes();
    let mut parts: Vec<Part> = Vec::new();
    let mut raw_start: Option<usize> = None;
    let mut emit = |parts: &mut Vec<Part>| {
        match parts.as_slice() {
            [] => {}
            [Part::Raw(s, e)] => f(Cow::Borrowed(&html[*s..*e])),
            many => {
                let mut word = String::new();
                for p in many {
                    match *p {
                        Part::Raw(s, e) => word.push_str(&html[s..e]),
                        Part::Char(c) => word.push(c),
                    }
                }
                f(Cow::Owned(word));
            }
        }
        parts.clear();
    };
    let close = |raw_start: &mut Option<usize>, parts: &mut Vec<Part>, end: usize| {
        if let Some(s) = raw_start.take() {
            if end > s {
                parts.push(Part::Raw(s, end));
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !needs_a_look(b) {
            raw_start.get_or_insert(i);
            while i < bytes.len() && !needs_a_look(bytes[i]) {
                i += 1;
            }
            continue;
        }
        match b {
            b'<' => {
                close(&mut raw_start, &mut parts, i);
                i = html[i..].find('>').map_or(bytes.len(), |end| i + end + 1);
            }
            b'&' => {
                close(&mut raw_start, &mut parts, i);
                let (c, skip) = decode_entity(&html[i + 1..]);
                parts.push(Part::Char(c));
                i += 1 + skip;
            }
            _ => {
                let c = html[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    close(&mut raw_start, &mut parts, i);
                    emit(&mut parts);
                } else {
                    raw_start.get_or_insert(i);
                }
                i += c.len_utf8();
            }
        }
    }
    close(&mut raw_start, &mut parts, bytes.len());
    emit(&mut parts);
}

fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

fn push_json_string(out: &mut String, s: &str) {
    // serde_json escapes exactly as JSON requires; a &str always serialises.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::for_each_word;
    use crate::render::views::plain_text;

    fn words(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(html, |w| out.push(w.into_owned()));
        out
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
