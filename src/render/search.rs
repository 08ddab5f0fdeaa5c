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
pub fn index<'a>(site: &'a Site, meta: &dyn Fn(usize) -> &'a PostMeta) -> Vec<u8> {
    let posts: Vec<usize> = (0..site.posts.len())
        .filter(|&i| !site.posts[i].draft)
        .collect();
    let texts: Vec<String> = posts
        .par_iter()
        .map(|&i| plain_text(&site.posts[i].body.html, usize::MAX))
        .collect();

    // Number words in order of first sight, counting them; then renumber by frequency.
    // FxHash: millions of short words, no untrusted keys to defend against.
    let mut first_number: FxHashMap<&str, u32> = FxHashMap::default();
    let mut words: Vec<&str> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let provisional: Vec<Vec<u32>> = texts
        .iter()
        .map(|text| {
            text.split_whitespace()
                .map(|w| {
                    let n = *first_number.entry(w).or_insert_with(|| {
                        words.push(w);
                        counts.push(0);
                        (words.len() - 1) as u32
                    });
                    counts[n as usize] += 1;
                    n
                })
                .collect()
        })
        .collect();
    let mut by_frequency: Vec<u32> = (0..words.len() as u32).collect();
    by_frequency.sort_by(|&a, &b| {
        counts[b as usize]
            .cmp(&counts[a as usize])
            .then_with(|| words[a as usize].cmp(words[b as usize]))
    });
    let mut renumber = vec![0u32; words.len()];
    for (rank, &n) in by_frequency.iter().enumerate() {
        renumber[n as usize] = rank as u32;
    }

    let mut json = String::with_capacity(texts.iter().map(String::len).sum::<usize>() / 2);
    json.push_str("{\"w\":[");
    for (k, &n) in by_frequency.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        push_json_string(&mut json, words[n as usize]);
    }
    json.push_str("],\"p\":[");
    for (k, (&i, numbers)) in posts.iter().zip(&provisional).enumerate() {
        let post = &site.posts[i];
        let m = meta(i);
        if k > 0 {
            json.push(',');
        }
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
        for (j, &n) in numbers.iter().enumerate() {
            if j > 0 {
                json.push(',');
            }
            push_number(&mut json, renumber[n as usize]);
        }
        json.push_str("]]");
    }
    json.push_str("]}");
    json.into_bytes()
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
