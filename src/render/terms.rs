//! The categories and tags the posts name, each as a [`TermLink`] made once per build with
//! its Tera value and shared by every post that names it (a big blog's posts name them tens
//! of thousands of times).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::linker::Linker;
use super::views::{to_value, TermLink};
use crate::site::Site;
use crate::site_path::layout::Taxonomy;

/// A category or a tag as a link, with the same as a Tera value.
pub struct SharedTermLink {
    pub link: TermLink,
    pub value: tera::Value,
}

impl std::ops::Deref for SharedTermLink {
    type Target = TermLink;

    fn deref(&self) -> &TermLink {
        &self.link
    }
}

impl SharedTermLink {
    fn new(linker: &Linker, taxonomy: Taxonomy, name: &str) -> Self {
        let link = TermLink::new(linker, taxonomy, name);
        SharedTermLink {
            value: to_value(&link),
            link,
        }
    }
}

/// Every category and tag the posts and pages of a site name, by name as written.
pub struct TermLinks {
    categories: FxHashMap<String, Arc<SharedTermLink>>,
    tags: FxHashMap<String, Arc<SharedTermLink>>,
}

impl TermLinks {
    /// None made ahead: each link is made when a post names it.
    pub fn none() -> Self {
        TermLinks {
            categories: FxHashMap::default(),
            tags: FxHashMap::default(),
        }
    }

    pub fn new(linker: &Linker, site: &Site) -> Self {
        let mut links = TermLinks::none();
        for p in site.posts.iter().chain(&site.pages) {
            if let Some(c) = &p.category {
                remember(&mut links.categories, linker, Taxonomy::Category, c);
            }
            for t in &p.tags {
                remember(&mut links.tags, linker, Taxonomy::Tag, t);
            }
        }
        links
    }

    pub fn category(&self, linker: &Linker, name: &str) -> Arc<SharedTermLink> {
        shared(&self.categories, linker, Taxonomy::Category, name)
    }

    pub fn tag(&self, linker: &Linker, name: &str) -> Arc<SharedTermLink> {
        shared(&self.tags, linker, Taxonomy::Tag, name)
    }
}

/// Adds the link to `name` of `taxonomy` to `map` unless it is there.
fn remember(
    map: &mut FxHashMap<String, Arc<SharedTermLink>>,
    linker: &Linker,
    taxonomy: Taxonomy,
    name: &str,
) {
    if !map.contains_key(name) {
        let link = SharedTermLink::new(linker, taxonomy, name);
        map.insert(name.to_owned(), Arc::new(link));
    }
}

/// The link to `name` of `taxonomy` from `map` (made anew for a name the site's pages never
/// gave).
fn shared(
    map: &FxHashMap<String, Arc<SharedTermLink>>,
    linker: &Linker,
    taxonomy: Taxonomy,
    name: &str,
) -> Arc<SharedTermLink> {
    map.get(name).map_or_else(
        || Arc::new(SharedTermLink::new(linker, taxonomy, name)),
        Arc::clone,
    )
}
