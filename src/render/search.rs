//! The search index the default theme's `/search/` page queries in the browser: every
//! published post's title, link, date, category and text, compact enough to download.
//!
//! The text is stored as word numbers into one shared vocabulary, most frequent words
//! first (so their numbers are short). The browser finds each query word inside the
//! vocabulary's words (so `충성` finds `충성`, `인간관계` finds `인간관계를`), then the posts
//! that use them, and rebuilds a snippet from the numbers.

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::views::{plain_text, PostMeta};
use crate::site::Site;

/// Where the index is published.
pub const INDEX_PATH: &str = "search/index.json";

/// The index of every published (non-draft) post of `site`, as JSON.
pub fn index<'a>(site: &'a Site, meta: &(dyn Fn(usize) -> &'a PostMeta + Sync)) -> Vec<u8> {
    let posts: Vec<usize> = (0..site.posts.len())
        .filter(|&i| !site.posts[i].draft)
        .collect();
    let texts: Vec<String> = posts
        .par_iter()
        .map(|&i| plain_text(&site.posts[i].body.html, usize::MAX))
        .collect();

    // Count the words, then number them by frequency. FxHash: millions of short words, no
    // untrusted keys to defend against. `plain_text` leaves single spaces between words.
    let counts = texts
        .par_iter()
        .fold(FxHashMap::<&str, u32>::default, |mut counts, text| {
            for word in words(text) {
                *counts.entry(word).or_default() += 1;
            }
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
    let mut vocabulary: Vec<(&str, u32)> = counts.into_iter().collect();
    vocabulary.par_sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let number: FxHashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(rank, &(word, _))| (word, rank as u32))
        .collect();

    let entries: Vec<String> = posts
        .par_iter()
        .zip(&texts)
        .map(|(&i, text)| {
            let post = &site.posts[i];
            let m = meta(i);
            let mut json = String::with_capacity(text.len() / 2 + 200);
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
            for (j, word) in words(text).enumerate() {
                if j > 0 {
                    json.push(',');
                }
                push_number(&mut json, number[word]);
            }
            json.push_str("]]");
            json
        })
        .collect();

    let size = vocabulary.iter().map(|(w, _)| w.len() + 3).sum::<usize>()
        + entries.iter().map(|e| e.len() + 1).sum::<usize>();
    let mut json = String::with_capacity(size + 16);
    json.push_str("{\"w\":[");
    for (k, &(word, _)) in vocabulary.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        push_json_string(&mut json, word);
    }
    json.push_str("],\"p\":[");
    json.push_str(&entries.join(","));
    json.push_str("]}");
    json.into_bytes()
}

/// The words of a text from `plain_text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ').filter(|w| !w.is_empty())
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
