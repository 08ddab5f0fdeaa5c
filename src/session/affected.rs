//! Which pages a rebuild renders again: every page when the site's shape changed (what
//! every page may show about the whole site), else those that show something of the changed
//! content files, told by comparing the views the lists show of each post.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;

use crate::config::Config;
use crate::content::{Page, PageKind};
use crate::render::views::{to_value, EntryView, LinkView, Linker, PostMeta, Terms};
use crate::render::{self, Job};
use crate::site::{Selection, Site, Taxon};
use crate::site_path::SitePath;

/// What every page of the default theme may show about the whole site.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Shape {
    categories: Vec<(String, String, usize)>,
    tags: Vec<(String, String, usize)>,
    pages: Vec<(String, SitePath)>,
    posts: usize,
    aliases: Vec<(SitePath, SitePath)>,
}

impl Shape {
    pub(super) fn of(site: &Site) -> Shape {
        let terms = |ts: &[Taxon]| {
            ts.iter()
                .map(|t| (t.name.clone(), t.slug.clone(), t.posts.len()))
                .collect()
        };
        Shape {
            categories: terms(&site.categories),
            tags: terms(&site.tags),
            pages: site
                .pages
                .iter()
                .map(|p| (p.title.clone(), p.path.clone()))
                .collect(),
            posts: site.posts.len(),
            aliases: site.aliases.clone(),
        }
    }
}

/// The pages that show something of the changed content files, when the site's shape (its
/// categories, tags, pages and their counts) is unchanged.
pub(super) fn affected_jobs(
    site: &Site,
    old: &BTreeMap<PathBuf, Arc<Page>>,
    owners: &BTreeSet<PathBuf>,
) -> Vec<Job> {
    let per = site.config.paginate;
    let views = ListViews::new(&site.config);
    let mut jobs = BTreeSet::new();
    let index: HashMap<&Path, usize> = site
        .posts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.as_path(), i))
        .collect();
    for owner in owners {
        if let Some(k) = site.pages.iter().position(|p| &p.source == owner) {
            jobs.insert(Job::Page(k));
        }
        let Some(&i) = index.get(owner.as_path()) else {
            continue;
        };
        let post = &site.posts[i];
        jobs.insert(Job::Post(i));
        let before = old.get(owner);
        if before.is_some_and(|b| b.kind == PageKind::Post && views.of(b) == views.of(post)) {
            continue;
        }
        let moved = before.is_none_or(|b| {
            b.date != post.date || b.category != post.category || b.draft != post.draft
        });
        let category = site.post_category[i];
        if moved {
            // Its place in date order changed: every list it is in, and its whole category.
            for &j in &site.categories[category].posts {
                jobs.insert(Job::Post(j));
            }
            jobs.extend((1..=render::pager_count(site.posts.len(), per)).map(Job::Home));
            let cat = &site.categories[category];
            jobs.extend(
                (1..=render::pager_count(cat.posts.len(), per)).map(|n| Job::Category(category, n)),
            );
            for (t, tag) in site.tags.iter().enumerate() {
                if tag.posts.contains(&i) {
                    jobs.extend(
                        (1..=render::pager_count(tag.posts.len(), per)).map(|n| Job::Tag(t, n)),
                    );
                }
            }
        } else {
            // Same place, new text: the posts that list it, and the one page of each list.
            for (j, n) in site.neighbours.iter().enumerate() {
                if n.prev == Some(i) || n.next == Some(i) || n.others.contains(&i) {
                    jobs.insert(Job::Post(j));
                }
            }
            let pager_of =
                |list: &[usize]| list.iter().position(|&p| p == i).map(|at| at / per + 1);
            // Home lists every post in the site's order.
            jobs.insert(Job::Home(i / per + 1));
            if let Some(n) = pager_of(&site.categories[category].posts) {
                jobs.insert(Job::Category(category, n));
            }
            for (t, tag) in site.tags.iter().enumerate() {
                if let Some(n) = pager_of(&tag.posts) {
                    jobs.insert(Job::Tag(t, n));
                }
            }
        }
        // Feeds carry whole posts; the sitemap their dates.
        jobs.insert(Job::Feed);
        jobs.insert(Job::CategoryFeed(site.post_category[i]));
        jobs.insert(Job::Sitemap);
        // The archive shows title, date and comment count.
        if before.is_none_or(|b| {
            moved || b.title != post.title || b.comments.len() != post.comments.len()
        }) {
            jobs.insert(Job::Archive);
        }
    }
    jobs.into_iter().collect()
}

/// A post as every list shows it, in the views of the template contract: its entry (home,
/// category and tag pages) and its link (other posts' lists, the archive). A post whose
/// views are the same is listed the same way, whatever else of it changed.
struct ListViews<'a> {
    linker: Linker<'a>,
    terms: Terms,
}

impl<'a> ListViews<'a> {
    fn new(config: &'a Config) -> Self {
        let linker = Linker::new(config);
        // The terms of a site without posts: each one a view names is made when asked for.
        // Those of the whole site would take a big blog milliseconds to make.
        let no_posts = Site::new(
            config.clone(),
            Vec::new(),
            Selection {
                drafts: false,
                future: false,
                now: Utc::now(),
            },
        );
        let terms = Terms::new(&linker, &no_posts);
        ListViews { linker, terms }
    }

    fn of(&self, p: &Page) -> [tera::Value; 2] {
        let meta = PostMeta::new(&self.linker, &self.terms, p);
        [
            to_value(&EntryView::new(&meta, p)),
            to_value(&LinkView::new(&meta, p)),
        ]
    }
}
