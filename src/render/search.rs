//! The search index the default theme's `/search/` page queries in the browser: every
//! published post's title, link, date, category and text, compact enough to download.
//!
//! The text is stored as word numbers into one shared vocabulary, most frequent words
//! first (so their numbers are short). The browser finds each query word inside the
//! vocabulary's words (so `충성` finds `충성`, `인간관계` finds `인간관계를`), then the posts
//! that use them, and rebuilds a snippet from the numbers.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::json::push_string_bytes;
use super::post_meta::PostMeta;
use crate::site::Site;
use crate::words::{lock, Numbers, SharedVocabulary, Vocabulary, Words};

/// The index of every published (non-draft) post of `site`, as JSON.
pub fn index<'a>(site: &'a Site, meta: &(dyn Fn(usize) -> &'a PostMeta + Sync)) -> Vec<u8> {
    index_parts(site, meta).concat()
}

/// [`index`] in consecutive parts: a big blog's index is tens of megabytes, written part
/// after part rather than copied into one string. The vocabularies the posts' words are
/// numbered in are merged, counting the words of the published posts only, and numbered by
/// frequency.
pub fn index_parts<'a>(
    site: &'a Site,
    meta: &(dyn Fn(usize) -> &'a PostMeta + Sync),
) -> Vec<Vec<u8>> {
    let listed = Listed::of(site);
    // (The counts are a temporary, freed once merged, as `to_merged` is once ranked.)
    let (merged, to_merged) = merge(&listed.vocabularies, &listed.word_counts());
    let order = by_frequency(&merged);
    let ranks = ranks_as_text(to_merged, &order);
    let entries = post_entries(site, meta, &listed.posts, &ranks);
    let mut parts = Vec::with_capacity(entries.len() + 2);
    parts.push(head(&merged.seen, &order));
    parts.extend(entries);
    parts.push(b"]}".to_vec());
    parts
}

/// The published posts, in site order, and the vocabularies their words are numbered in.
struct Listed<'a> {
    /// Each vocabulary once, in the order the posts first use it.
    vocabularies: Vec<&'a SharedVocabulary>,
    posts: Vec<ListedPost<'a>>,
}

/// A published post's place in `site.posts`, its vocabulary's place in
/// [`Listed::vocabularies`] (`usize::MAX` if it has none), and its words' numbers there.
struct ListedPost<'a> {
    index: usize,
    vocabulary: usize,
    numbers: &'a Numbers,
}

impl<'a> Listed<'a> {
    fn of(site: &'a Site) -> Self {
        let mut vocabularies: Vec<&SharedVocabulary> = Vec::new();
        let mut place: FxHashMap<*const Mutex<Vocabulary>, usize> = FxHashMap::default();
        let posts = (0..site.posts.len())
            .filter(|&i| !site.posts[i].draft)
            .map(|i| {
                let words = &site.posts[i].body.words;
                let vocabulary = words.vocabulary.as_ref().map_or(usize::MAX, |v| {
                    *place.entry(Arc::as_ptr(v)).or_insert_with(|| {
                        vocabularies.push(v);
                        vocabularies.len() - 1
                    })
                });
                ListedPost {
                    index: i,
                    vocabulary,
                    numbers: &words.numbers,
                }
            })
            .collect();
        Listed {
            vocabularies,
            posts,
        }
    }

    /// How often the listed posts use each word of each vocabulary (which may also hold
    /// words of drafts and of other builds).
    fn word_counts(&self) -> Vec<Vec<u32>> {
        self.vocabularies
            .par_iter()
            .enumerate()
            .map(|(c, v)| {
                let mut counts = vec![0u32; lock(v).len()];
                for post in self.posts.iter().filter(|post| post.vocabulary == c) {
                    post.numbers.each(|n| counts[n as usize] += 1);
                }
                counts
            })
            .collect()
    }
}

/// The words of `vocabularies` the listed posts use (`counts`, by vocabulary) as one
/// vocabulary, each word once with its count; and each vocabulary's word numbers → their
/// numbers in it (`u32::MAX` for a word no listed post uses).
fn merge(vocabularies: &[&SharedVocabulary], counts: &[Vec<u32>]) -> (Words, Vec<Vec<u32>>) {
    let mut merged = Words::default();
    let to_merged = vocabularies
        .iter()
        .zip(counts)
        .map(|(v, counts)| {
            let v = lock(v);
            counts
                .iter()
                .enumerate()
                .map(|(n, &times)| {
                    if times == 0 {
                        u32::MAX
                    } else {
                        merged.count(v.word(n as u32), times)
                    }
                })
                .collect()
        })
        .collect();
    (merged, to_merged)
}

/// The merged words' numbers in rank order: most frequent first (their ranks are the
/// shortest numbers), then alphabetical.
fn by_frequency(merged: &Words) -> Vec<u32> {
    let (vocabulary, counts) = (&merged.seen, &merged.counts);
    let mut order: Vec<u32> = (0..vocabulary.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        counts[b as usize]
            .cmp(&counts[a as usize])
            .then_with(|| vocabulary.word(a).cmp(vocabulary.word(b)))
    });
    order
}

/// Each vocabulary's word numbers → their ranks in `order`, as text. (Words no listed post
/// uses have no rank.)
fn ranks_as_text(to_merged: Vec<Vec<u32>>, order: &[u32]) -> Vec<Vec<Decimal>> {
    // Each word's rank as JSON text after a comma (`,17`), made once: the millions of numbers in the posts' entries
    // are then copied eight bytes at a time rather than formatted.
    let mut rank_text = vec![Decimal::default(); order.len()];
    for (r, &id) in order.iter().enumerate() {
        rank_text[id as usize] = Decimal::new(r as u32);
    }
    to_merged
        .par_iter()
        .map(|t| {
            t.iter()
                .map(|&g| rank_text.get(g as usize).copied().unwrap_or_default())
                .collect()
        })
        .collect()
}

/// The posts as JSON entries, in a few pieces made in parallel; each piece but the first
/// starts with the comma that separates it from the one before.
fn post_entries<'a>(
    site: &'a Site,
    meta: &(dyn Fn(usize) -> &'a PostMeta + Sync),
    posts: &[ListedPost<'_>],
    ranks: &[Vec<Decimal>],
) -> Vec<Vec<u8>> {
    posts
        .par_chunks(piece_size(posts.len()))
        .enumerate()
        .map(|(p, piece)| {
            let words: usize = piece.iter().map(|post| post.numbers.len()).sum();
            let mut json = Vec::with_capacity(words * 4 + piece.len() * 200);
            for (k, post) in piece.iter().enumerate() {
                if k > 0 || p > 0 {
                    json.push(b',');
                }
                // (A page without a vocabulary has no words.)
                let vocabulary_ranks = ranks.get(post.vocabulary).map_or(&[][..], Vec::as_slice);
                let title = &site.posts[post.index].title;
                push_entry(
                    &mut json,
                    title,
                    meta(post.index),
                    post.numbers,
                    vocabulary_ranks,
                );
            }
            json
        })
        .collect()
}

/// Appends a post's entry: `["title","url","date","category",[its words' ranks]]`, the
/// ranks found by the words' `numbers` in `ranks`.
#[inline]
fn push_entry(
    json: &mut Vec<u8>,
    title: &str,
    meta: &PostMeta,
    numbers: &Numbers,
    ranks: &[Decimal],
) {
    json.push(b'[');
    for field in [
        title,
        meta.url.as_str(),
        meta.date_display.as_deref().unwrap_or(""),
        meta.category.as_ref().map_or("", |c| c.name.as_str()),
    ] {
        push_string_bytes(json, field);
        json.push(b',');
    }
    json.push(b'[');
    let mut first = true;
    numbers.each(|n| {
        let rank = &ranks[n as usize];
        if first {
            json.extend_from_slice(rank.digits());
            first = false;
        } else {
            rank.push_to(json);
        }
    });
    json.extend_from_slice(b"]]");
}

/// The index up to its first post: `{"w":[` the merged words in rank order `],"p":[`.
fn head(vocabulary: &Vocabulary, order: &[u32]) -> Vec<u8> {
    let size = vocabulary.iter().map(|(w, _)| w.len() + 3).sum::<usize>();
    let mut head = Vec::with_capacity(size + 16);
    head.extend_from_slice(b"{\"w\":[");
    for (k, &id) in order.iter().enumerate() {
        if k > 0 {
            head.push(b',');
        }
        push_string_bytes(&mut head, vocabulary.word(id));
    }
    head.extend_from_slice(b"],\"p\":[");
    head
}

/// How many of `n` posts one parallel piece of work takes: a few pieces per thread, so that
/// threads even out, but not so small that their overhead shows.
fn piece_size(n: usize) -> usize {
    n.div_ceil(rayon::current_num_threads() * 4).max(64)
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

#[cfg(test)]
mod tests {
    use super::Decimal;

    #[test]
    fn decimals_print_every_rank() {
        let mut out = b"[".to_vec();
        out.extend_from_slice(Decimal::new(0).digits());
        for n in [9, 10, 12_345, u32::MAX] {
            Decimal::new(n).push_to(&mut out);
        }
        assert_eq!(out, b"[0,9,10,12345,4294967295");
    }
}
