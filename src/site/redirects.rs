//! What the site publishes at the old addresses of `site.yaml`'s `redirects:`: a redirect
//! page to a page, or, at an old feed address, the feed itself (feed readers do not follow
//! a redirect page). A feed that the site does not publish (no such category) gets nothing:
//! `ilji check` warns about it, as about any redirect that leads nowhere.

use super::Term;
use crate::config::Config;
use crate::site_path::{layout, SitePath};

/// What is published at a redirect's old address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A redirect page to this path.
    Page(SitePath),
    /// The site's feed, written there too.
    Feed,
    /// The feed of this category (index into `Site::categories`), written there too.
    CategoryFeed(usize),
}

/// A redirect the site publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirected {
    /// Index into `config.redirects`.
    pub entry: usize,
    pub to: Destination,
}

/// The redirects of `config` that the site publishes, in the order written.
pub(super) fn published(config: &Config, categories: &[Term]) -> Vec<Redirected> {
    config
        .redirects
        .iter()
        .enumerate()
        .filter_map(|(entry, r)| {
            let to = match layout::feed_list(&r.to) {
                None => Destination::Page(r.to.clone()),
                Some(layout::HOME) => Destination::Feed,
                Some(list) => Destination::CategoryFeed(
                    categories
                        .iter()
                        .position(|c| layout::term(layout::Taxonomy::Category, &c.slug) == list)?,
                ),
            };
            Some(Redirected { entry, to })
        })
        .collect()
}
