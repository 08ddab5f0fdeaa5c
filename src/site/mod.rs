//! The site model: published posts in date order, standalone pages, categories and tags,
//! and each post's neighbours in its category. Built once from parsed pages, then read-only.
//!
//! It decides what is published (drafts, scheduled posts) but renders and writes nothing.

pub mod listing;
mod redirects;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rayon::slice::ParallelSliceMut;

use crate::config::Config;
use crate::content::{Page, PageKind};
use crate::site_path::SitePath;
use crate::slug::slugify;
pub use listing::Neighbours;
pub use redirects::{Destination, Redirected};

/// What to publish besides the finished, dated-in-the-past posts.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    /// The build's present moment; posts after it are scheduled.
    pub now: DateTime<Utc>,
}

/// A category or a tag (see [`Taxonomy`](crate::site_path::layout::Taxonomy)) with its posts
/// (indices into [`Site::posts`], newest first).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub posts: Vec<usize>,
}

/// A post left out because it is dated after the build's present moment.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub source: std::path::PathBuf,
    pub title: String,
    pub goes_live: DateTime<Tz>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Published posts, newest first.
    pub posts: Vec<Arc<Page>>,
    /// Standalone pages, by title.
    pub pages: Vec<Arc<Page>>,
    /// By name.
    pub categories: Vec<Term>,
    /// By name.
    pub tags: Vec<Term>,
    /// Index of each post's category in `categories`, parallel to `posts`.
    pub post_category: Vec<usize>,
    /// Parallel to `posts`.
    pub neighbours: Vec<Neighbours>,
    pub scheduled: Vec<Scheduled>,
    /// The files of the drafts left out, sorted.
    pub drafts_left_out: Vec<std::path::PathBuf>,
    /// Old addresses that redirect to a post or page: (the alias, the target's path).
    pub aliases: Vec<(SitePath, SitePath)>,
    /// What is published at the old addresses of `redirects:` in site.yaml.
    pub redirects: Vec<Redirected>,
}

impl Site {
    pub fn new(config: Config, pages: Vec<Arc<Page>>, selection: Selection) -> Site {
        let mut posts = Vec::new();
        let mut standalone = Vec::new();
        let mut scheduled = Vec::new();
        let mut drafts_left_out = Vec::new();
        for page in pages {
            if page.draft && !selection.drafts {
                drafts_left_out.push(page.source.clone());
                continue;
            }
            match page.kind {
                PageKind::Standalone => standalone.push(page),
                PageKind::Post => match page.date {
                    Some(date) if date.with_timezone(&Utc) > selection.now && !selection.future => {
                        scheduled.push(Scheduled {
                            source: page.source.clone(),
                            title: page.title.clone(),
                            goes_live: date,
                        })
                    }
                    _ => posts.push(page),
                },
            }
        }
        posts.par_sort_by(|a, b| newest_first(a, b));
        standalone.sort_by(|a, b| a.title.cmp(&b.title).then(a.source.cmp(&b.source)));
        scheduled.sort_by_key(|s| s.goes_live);
        drafts_left_out.sort();

        // The categories with the listing rule on one core, the tags on the other.
        let ((categories, post_category, neighbours), tags) = rayon::join(
            || {
                let categories = group(&posts, |p| p.category.as_slice());
                let mut post_category = vec![0; posts.len()];
                for (ci, c) in categories.iter().enumerate() {
                    for &p in &c.posts {
                        post_category[p] = ci;
                    }
                }
                let neighbours = listing::category_neighbours(
                    &posts,
                    &categories,
                    &post_category,
                    config.other_posts,
                );
                (categories, post_category, neighbours)
            },
            || group(&posts, |p| &p.tags),
        );
        let aliases = posts
            .iter()
            .chain(&standalone)
            .flat_map(|p| p.aliases.iter().map(|a| (a.clone(), p.path.clone())))
            .collect();
        let redirects = redirects::published(&config, &categories);
        Site {
            config,
            posts,
            pages: standalone,
            categories,
            tags,
            post_category,
            neighbours,
            scheduled,
            drafts_left_out,
            aliases,
            redirects,
        }
    }
}

/// Newest first; posts at the same moment in a stable order (by file).
pub(crate) fn newest_first(a: &Page, b: &Page) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| a.source.cmp(&b.source))
}

/// Groups posts (already newest first) by the slugs of the names `names_of` gives; a group
/// is named as its newest post spells it.
fn group<'a>(posts: &'a [Arc<Page>], names_of: impl Fn(&'a Page) -> &'a [String]) -> Vec<Term> {
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    // Each name as written → its group (none when it has no slug): a big blog names the
    // same few categories and tags tens of thousands of times.
    let mut by_name: HashMap<&'a str, Option<usize>> = HashMap::new();
    let mut terms: Vec<Term> = Vec::new();
    for (i, post) in posts.iter().enumerate() {
        for name in names_of(post) {
            let t = match by_name.get(name.as_str()) {
                Some(&t) => t,
                None => {
                    let slug = slugify(name);
                    let t = (!slug.is_empty()).then(|| {
                        *by_slug.entry(slug.clone()).or_insert_with(|| {
                            terms.push(Term {
                                name: name.trim().to_owned(),
                                slug,
                                posts: Vec::new(),
                            });
                            terms.len() - 1
                        })
                    });
                    by_name.insert(name, t);
                    t
                }
            };
            let Some(t) = t else { continue };
            if terms[t].posts.last() != Some(&i) {
                terms[t].posts.push(i);
            }
        }
    }
    terms.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.slug.cmp(&b.slug)));
    terms
}
