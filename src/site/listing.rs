//! "Other posts in this category" (Tistory's 카테고리의 다른 글) and previous/next links.
//!
//! The rule (SPEC): `n` posts of the post's own category, itself and drafts excluded, up to
//! half newer and half older, the other side filling where one runs short, newest first.
//! Each category is already in date order, so a post's place in it is found by binary
//! search and its list is a window around it: O(n log n) for the whole site.

use crate::content::Page;
use crate::site::{newest_first, Term};

/// A post's neighbours in its category (indices into the site's posts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    /// The next older post.
    pub prev: Option<usize>,
    /// The next newer post.
    pub next: Option<usize>,
    /// The other posts list, newest first.
    pub others: Vec<usize>,
}

/// Neighbours of every post, parallel to `posts`.
pub fn category_neighbours(
    posts: &[std::sync::Arc<Page>],
    categories: &[Term],
    post_category: &[usize],
    n: usize,
) -> Vec<Neighbours> {
    // Drafts (present only with --drafts) never appear in anyone's list.
    let listed: Vec<Vec<usize>> = categories
        .iter()
        .map(|c| {
            c.posts
                .iter()
                .copied()
                .filter(|&p| !posts[p].draft)
                .collect()
        })
        .collect();
    (0..posts.len())
        .map(|i| {
            let list = &listed[post_category[i]];
            // Number of listed posts newer than post i.
            let newer = list.partition_point(|&p| newest_first(&posts[p], &posts[i]).is_lt());
            let older_start = if list.get(newer) == Some(&i) {
                newer + 1
            } else {
                newer
            };
            let older = list.len() - older_start;
            let (take_newer, take_older) = window(newer, older, n);
            let mut others = Vec::with_capacity(take_newer + take_older);
            others.extend_from_slice(&list[newer - take_newer..newer]);
            others.extend_from_slice(&list[older_start..older_start + take_older]);
            Neighbours {
                prev: list.get(older_start).copied(),
                next: newer.checked_sub(1).map(|k| list[k]),
                others,
            }
        })
        .collect()
}

/// How many newer and older posts to show, given how many there are on each side.
pub fn window(newer: usize, older: usize, n: usize) -> (usize, usize) {
    let half_newer = n / 2;
    let mut take_older = n - half_newer;
    if newer < half_newer {
        take_older = n - newer;
    }
    let take_older = take_older.min(older);
    let take_newer = (n - take_older).min(newer);
    (take_newer, take_older)
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn window_splits_and_fills() {
        assert_eq!(window(10, 10, 8), (4, 4));
        assert_eq!(window(0, 10, 8), (0, 8));
        assert_eq!(window(2, 10, 8), (2, 6));
        assert_eq!(window(10, 1, 8), (7, 1));
        assert_eq!(window(2, 3, 8), (2, 3));
        assert_eq!(window(5, 5, 0), (0, 0));
    }
}
