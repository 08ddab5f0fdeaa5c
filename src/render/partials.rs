//! The theme's optional partials (README "Templates"), each rendered once per variant it
//! can show and handed to pages as HTML: the category navigation, the site menu, an entry of
//! a list page, an item of a post's "other posts" list.
//!
//! A page of a big blog shows the same navigation as thousands of others, and a post is
//! listed on many pages: rendering each once, not once per page that shows it, is most of
//! what keeps a themed build fast.

use std::cell::RefCell;
use std::sync::OnceLock;

use tera::Context;

use super::jobs::Job;
use super::renderer::Renderer;
use super::templates::{
    Templates, CATEGORY_NAV_TEMPLATE, ENTRY_TEMPLATE, OTHER_POST_TEMPLATE, SITE_NAV_TEMPLATE,
};
use crate::error::Result;
use crate::site::Site;

/// Which partials the theme has, and the navigations rendered so far.
pub struct Partials {
    /// With a [`CATEGORY_NAV_TEMPLATE`]: its HTML for each variant (see [`NavVariant`]),
    /// rendered when first needed.
    category_nav: Option<Vec<OnceLock<tera::Value>>>,
    /// With a [`SITE_NAV_TEMPLATE`]: its HTML for each [`MenuVariant`], rendered when first
    /// needed.
    site_nav: Option<Vec<OnceLock<tera::Value>>>,
    /// Whether the theme has an [`ENTRY_TEMPLATE`].
    entry: bool,
    /// Whether the theme has an [`OTHER_POST_TEMPLATE`].
    other_post: bool,
}

impl Partials {
    pub fn new(templates: &Templates, site: &Site) -> Self {
        let slots = |n: usize| (0..n).map(|_| OnceLock::new()).collect();
        Partials {
            category_nav: templates
                .has(CATEGORY_NAV_TEMPLATE)
                .then(|| slots(1 + 2 * site.categories.len())),
            site_nav: templates
                .has(SITE_NAV_TEMPLATE)
                .then(|| slots(4 + site.pages.len())),
            entry: templates.has(ENTRY_TEMPLATE),
            other_post: templates.has(OTHER_POST_TEMPLATE),
        }
    }

    pub fn has_category_nav(&self) -> bool {
        self.category_nav.is_some()
    }

    pub fn has_site_nav(&self) -> bool {
        self.site_nav.is_some()
    }
}

/// Which version of the category navigation a page shows: none of the categories is
/// current, or one is, on its own (first) list page or elsewhere (a post, a later page).
#[derive(Debug, Clone, Copy)]
pub enum NavVariant {
    NoCategory,
    Category { index: usize, own_page: bool },
}

impl NavVariant {
    pub fn of(site: &Site, job: Job) -> NavVariant {
        match job {
            Job::Post(i) => NavVariant::Category {
                index: site.post_category[i],
                own_page: false,
            },
            Job::Category(c, n) => NavVariant::Category {
                index: c,
                own_page: n == 1,
            },
            _ => NavVariant::NoCategory,
        }
    }

    /// The slug of the current category, or `""`.
    pub fn slug(self, site: &Site) -> &str {
        match self {
            NavVariant::NoCategory => "",
            NavVariant::Category { index, .. } => &site.categories[index].slug,
        }
    }

    fn slot(self) -> usize {
        match self {
            NavVariant::NoCategory => 0,
            NavVariant::Category { index, own_page } => 1 + 2 * index + usize::from(own_page),
        }
    }
}

/// Which version of the site menu a page shows: the page is one that a menu may link to (the
/// first home page, a standalone page, the archive, the search page), which it may mark as
/// current, or it is elsewhere.
#[derive(Debug, Clone, Copy)]
pub enum MenuVariant {
    Elsewhere,
    Home,
    Archive,
    Search,
    Page(usize),
}

impl MenuVariant {
    pub fn of(job: Job) -> MenuVariant {
        match job {
            Job::Home(1) => MenuVariant::Home,
            Job::Archive => MenuVariant::Archive,
            Job::Search => MenuVariant::Search,
            Job::Page(i) => MenuVariant::Page(i),
            _ => MenuVariant::Elsewhere,
        }
    }

    fn slot(self) -> usize {
        match self {
            MenuVariant::Elsewhere => 0,
            MenuVariant::Home => 1,
            MenuVariant::Archive => 2,
            MenuVariant::Search => 3,
            MenuVariant::Page(i) => 4 + i,
        }
    }
}

impl Renderer<'_> {
    /// The category navigation of `variant`, rendered from [`CATEGORY_NAV_TEMPLATE`] the first
    /// time it is asked for (with `site`, `t`, `current_category` and `current_category_page`).
    pub(super) fn category_nav(&self, variant: NavVariant) -> Result<tera::Value> {
        let Some(cache) = &self.partials.category_nav else {
            return Ok(tera::Value::none());
        };
        self.cached_partial(&cache[variant.slot()], CATEGORY_NAV_TEMPLATE, |ctx| {
            let own_page = matches!(variant, NavVariant::Category { own_page: true, .. });
            ctx.insert("current_category", variant.slug(self.site));
            ctx.insert("current_category_page", &own_page);
        })
    }

    /// The site menu of `variant`, rendered from [`SITE_NAV_TEMPLATE`] the first time it is
    /// asked for (with `site`, `t` and `current_path`: the page's own link, `path`, unless the
    /// variant is [`MenuVariant::Elsewhere`], where it is `""`).
    pub(super) fn site_nav(&self, variant: MenuVariant, path: &str) -> Result<tera::Value> {
        let Some(cache) = &self.partials.site_nav else {
            return Ok(tera::Value::none());
        };
        self.cached_partial(&cache[variant.slot()], SITE_NAV_TEMPLATE, |ctx| {
            let path = if matches!(variant, MenuVariant::Elsewhere) {
                ""
            } else {
                path
            };
            ctx.insert("current_path", path);
        })
    }

    /// The HTML in `slot`, or partial `name` rendered into it with `site` and what `fill`
    /// adds to the context.
    fn cached_partial(
        &self,
        slot: &OnceLock<tera::Value>,
        name: &str,
        fill: impl FnOnce(&mut Context),
    ) -> Result<tera::Value> {
        if let Some(html) = slot.get() {
            return Ok(html.clone());
        }
        let mut ctx = self.partial_context();
        fill(&mut ctx);
        let html = self.render_partial(name, &ctx)?;
        // Two threads may render the same variant at once; both get the same HTML.
        Ok(slot.get_or_init(|| html).clone())
    }

    /// Post `i` as an entry of a list page (of its own category when `own_category`), with
    /// the HTML of the theme's [`ENTRY_TEMPLATE`] if it has one: rendered with `site`, `t`, the
    /// entry as `e` and, on its category's pages, `category`, so that it is the same on
    /// every page of one kind and is made once.
    pub(super) fn entry(&self, i: usize, own_category: bool) -> Result<tera::Value> {
        let (meta, post) = (self.meta(i), &self.site.posts[i]);
        if !self.partials.entry {
            return Ok(meta.entry_value(post));
        }
        meta.listed_value(post, own_category, |e| {
            let mut ctx = self.partial_context();
            ctx.insert_value("e", e);
            if own_category {
                ctx.insert_value("category", self.category_view(self.site.post_category[i]));
            }
            self.render_partial(ENTRY_TEMPLATE, &ctx)
        })
    }

    /// Post `i` as a link in another post's lists (`page.prev`, `page.next`, `page.others`),
    /// with the HTML of the theme's [`OTHER_POST_TEMPLATE`] if it has one: rendered with
    /// `site`, `t` and the link as `o`, so that it is the same in every list and is made once.
    pub(super) fn link(&self, i: usize) -> Result<tera::Value> {
        let (meta, post) = (self.meta(i), &self.site.posts[i]);
        let render = self.partials.other_post.then_some(|o| {
            let mut ctx = self.partial_context();
            ctx.insert_value("o", o);
            self.render_partial(OTHER_POST_TEMPLATE, &ctx)
        });
        meta.link_value(post, render)
    }

    /// Partial `name` rendered in `ctx`, as HTML marked safe.
    fn render_partial(&self, name: &str, ctx: &Context) -> Result<tera::Value> {
        thread_local! {
            static HTML: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        HTML.with_borrow_mut(|out| {
            out.clear();
            self.templates.render_to(name, ctx, out)?;
            // Tera writes strings, which are UTF-8 (checked here many times faster than by
            // `String::from_utf8`).
            Ok(simdutf8::basic::from_utf8(out).map_or_else(
                |_| tera::Value::safe_string(&String::from_utf8_lossy(out)),
                tera::Value::safe_string,
            ))
        })
    }
}
