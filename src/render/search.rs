//! The search index the default theme's `/search/` page queries in the browser: every
//! published post's title, link, date, category and text, compact enough to download.
//!
//! The text is stored as word numbers into one shared vocabulary, most frequent words
//! first (so their numbers are short). The browser finds each query word inside the
//! vocabulary's words (so `충성` finds `충성`, `인간관계` finds `인간관계를`), then the posts
//! that use them, and rebuilds a snippet from the numbers.

use std::collections::HashMap;

use serde::Serialize;

use super::views::{plain_text, PostMeta};
use crate::site::Site;

/// Where the index is published.
pub const INDEX_PATH: &str = "search/index.json";

#[derive(Serialize)]
struct Index<'a> {
    /// The vocabulary: `w[n]` is word number `n`.
    w: Vec<&'a str>,
    /// Posts, newest first: `[title, url, date, category, [word numbers…]]`.
    p: Vec<(&'a str, &'a str, &'a str, &'a str, Vec<u32>)>,
}

/// The index of every published (non-draft) post of `site`, as JSON.
pub fn index<'a>(site: &'a Site, meta: &dyn Fn(usize) -> &'a PostMeta) -> Vec<u8> {
    let posts: Vec<usize> = (0..site.posts.len())
        .filter(|&i| !site.posts[i].draft)
        .collect();
    let texts: Vec<String> = posts
        .iter()
        .map(|&i| plain_text(&site.posts[i].body.html, usize::MAX))
        .collect();

    let mut counts: HashMap<&str, u32> = HashMap::new();
    for text in &texts {
        for word in text.split_whitespace() {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut vocabulary: Vec<&str> = counts.keys().copied().collect();
    vocabulary.sort_by(|a, b| counts[b].cmp(&counts[a]).then_with(|| a.cmp(b)));
    let number: HashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(n, w)| (*w, n as u32))
        .collect();

    let entries = posts
        .iter()
        .zip(&texts)
        .map(|(&i, text)| {
            let post = &site.posts[i];
            let m = meta(i);
            let words = text.split_whitespace().map(|w| number[w]).collect();
            (
                post.title.as_str(),
                m.url.as_str(),
                m.date_display.as_deref().unwrap_or(""),
                m.category.as_ref().map_or("", |c| c.name.as_str()),
                words,
            )
        })
        .collect();
    let index = Index {
        w: vocabulary,
        p: entries,
    };
    serde_json::to_vec(&index).unwrap_or_else(|_| b"{\"w\":[],\"p\":[]}".to_vec())
}
