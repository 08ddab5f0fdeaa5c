//! A post as the lists show it (home, category and tag pages, other posts' lists, the
//! archive), for `serve` to tell whether a changed post changes any list.

use super::linker::Linker;
use super::post_meta::PostMeta;
use super::terms::TermLinks;
use super::views::{to_value, EntryView, LinkView};
use crate::config::Config;
use crate::content::Page;

/// A post as every list shows it, in the views of the template contract: its entry (home,
/// category and tag pages) and its link (other posts' lists, the archive). A post whose
/// views are the same is listed the same way, whatever else of it changed.
pub struct ListViews<'a> {
    linker: Linker<'a>,
    terms: TermLinks,
}

impl<'a> ListViews<'a> {
    pub fn new(config: &'a Config) -> Self {
        // No terms made ahead: each one a view names is made when asked for. Those of the
        // whole site would take a big blog milliseconds to make.
        ListViews {
            linker: Linker::new(config),
            terms: TermLinks::none(),
        }
    }

    pub fn of(&self, p: &Page) -> [tera::Value; 2] {
        let meta = PostMeta::new(&self.linker, &self.terms, p);
        [
            to_value(&EntryView::new(&meta, p)),
            to_value(&LinkView::new(&meta, p)),
        ]
    }
}
