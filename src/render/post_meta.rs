//! What every view of a post or page shows about it ([`PostMeta`]), computed once per build:
//! its links and dates as text, its category and tags as shared links, its description and
//! social image, and its views as Tera values once made.

use std::sync::{Arc, OnceLock};

use super::linker::{rfc3339_numeric_offset, Linker};
use super::terms::{SharedTermLink, TermLinks};
use super::views::{to_value, EntryView, LinkView};
use crate::content::Page;
use crate::html::plain_text;
use crate::slug::encode_path;

/// What every view of a page shows about it, computed once per build: its links and dates as
/// text, its category and tags as links.
pub struct PostMeta {
    pub url: String,
    pub permalink: String,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub category: Option<Arc<SharedTermLink>>,
    pub tags: Vec<Arc<SharedTermLink>>,
    /// The summary as plain text, at most 160 characters (meta description).
    pub description: String,
    /// Absolute address of the first image of the body, for social cards.
    pub image: Option<String>,
    /// This post as a [`LinkView`] and as an [`EntryView`], made into Tera values once: a
    /// post is listed on many pages, and Tera copies a cached value by reference count. The
    /// link has its `html` when the theme has the partial for it (see
    /// [`PostMeta::link_value`]).
    link: OnceLock<tera::Value>,
    entry: OnceLock<tera::Value>,
    /// The [`EntryView`] with its `html`, for the lists of other pages than its category's
    /// (see [`PostMeta::listed_value`]).
    listed: OnceLock<tera::Value>,
}

impl PostMeta {
    /// This post (`p`, whose meta this is) as a link in another post's lists, with `html`
    /// when `render` is given: what the theme's partial for an item of the "other posts"
    /// list made of it. `render` is given the link without it and returns that HTML, marked
    /// safe. The partial is rendered once per post, not once for every post that lists it.
    pub fn link_value<E>(
        &self,
        p: &Page,
        render: Option<impl FnOnce(tera::Value) -> Result<tera::Value, E>>,
    ) -> Result<tera::Value, E> {
        if let Some(value) = self.link.get() {
            return Ok(value.clone());
        }
        let link = LinkView::new(self, p);
        let value = match render {
            // Made twice, which costs less than taking the map of the first apart.
            Some(render) => to_value(&LinkView {
                html: Some(render(to_value(&link))?),
                ..link
            }),
            None => to_value(&link),
        };
        // Two threads may make the same link at once; both made the same value.
        Ok(self.link.get_or_init(|| value).clone())
    }

    /// This post (`p`, whose meta this is) as an entry of a list page.
    pub fn entry_value(&self, p: &Page) -> tera::Value {
        self.entry
            .get_or_init(|| to_value(&EntryView::new(self, p)))
            .clone()
    }

    /// This post as an entry of a list page with `html`, what the theme's entry partial made
    /// of it: `render` is given the entry without it and returns that HTML, marked safe.
    /// The partial is rendered once for all the lists other than the post's category's
    /// (home, tags), and kept, not once for every page that lists the post. The post's own
    /// category (`own_category`) lists it once, so that entry is made when asked for and not
    /// kept: a big blog would hold a second copy of every entry until the build ends.
    pub fn listed_value<E>(
        &self,
        p: &Page,
        own_category: bool,
        render: impl FnOnce(tera::Value) -> Result<tera::Value, E>,
    ) -> Result<tera::Value, E> {
        if !own_category {
            if let Some(value) = self.listed.get() {
                return Ok(value.clone());
            }
        }
        let made = render(self.entry_value(p))?;
        let value = to_value(&EntryView {
            html: Some(made),
            ..EntryView::new(self, p)
        });
        if own_category {
            return Ok(value);
        }
        // Two threads may make the same entry at once; both made the same value.
        Ok(self.listed.get_or_init(|| value).clone())
    }

    /// Its category and tags as the shared Tera values that views hand to templates.
    pub(super) fn term_values(&self) -> (Option<&tera::Value>, Vec<&tera::Value>) {
        (
            self.category.as_ref().map(|c| &c.value),
            self.tags.iter().map(|t| &t.value).collect(),
        )
    }

    pub fn new(linker: &Linker, terms: &TermLinks, p: &Page) -> Self {
        let url = linker.url(&p.path);
        PostMeta {
            permalink: linker.absolute_url(&url),
            url,
            date: p.date.as_ref().map(rfc3339_numeric_offset),
            date_display: p.date.as_ref().map(|d| linker.date(d)),
            updated: p.updated.as_ref().map(rfc3339_numeric_offset),
            updated_display: p.updated.as_ref().map(|d| linker.date(d)),
            category: p.category.as_deref().map(|c| terms.category(linker, c)),
            tags: p.tags.iter().map(|t| terms.tag(linker, t)).collect(),
            description: plain_text(&p.summary_html, 160),
            image: p
                .body
                .first_image
                .as_deref()
                .map(|src| absolute(linker, &p.path, src)),
            link: OnceLock::new(),
            entry: OnceLock::new(),
            listed: OnceLock::new(),
        }
    }
}

/// An image address as written in a page at `page_path`, made absolute.
fn absolute(linker: &Linker, page_path: &str, src: &str) -> String {
    if src.starts_with("http://") || src.starts_with("https://") {
        src.to_owned()
    } else if let Some(rooted) = src.strip_prefix('/') {
        linker.permalink(rooted)
    } else {
        format!("{}{}", linker.permalink(page_path), encode_path(src))
    }
}
