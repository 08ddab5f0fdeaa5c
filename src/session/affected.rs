//! Which pages a rebuild renders again: every page when the site's shape changed (what
//! every page may show about the whole site), else those that show something of the changed
//! content files, told by comparing the views the lists show of each post.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content::{Page, PageKind};
use crate::render::{self, Job, ListViews};
use crate::site::{Site, Term};
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
        let terms = |ts: &[Term]| {
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
    // A feed is also written at its old addresses (`redirects:` of site.yaml).
    for r in 0..site.redirects.len() {
        if render::copied_feed(site, r).is_some_and(|feed| jobs.contains(&feed)) {
            jobs.insert(Job::Redirect(r));
        }
    }
    jobs.into_iter().collect()
}
