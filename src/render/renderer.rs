//! [`Renderer`]: any page of one site rendered to bytes, a [`Job`] at a time. The pages of
//! the theme get their variables (the views of `views.rs`) and their template; the
//! machine-read files and the redirect pages are written directly (`feeds.rs`, `search.rs`,
//! `redirect.rs`).

use std::path::Path;
use std::sync::OnceLock;

use tera::Context;

use super::jobs::{category_path, copied_feed, job_path, jobs, pager_count, Job};
use super::linker::Linker;
use super::partials::{MenuVariant, NavVariant, Partials};
use super::post_meta::PostMeta;
use super::redirect::Moved;
use super::templates::{Templates, SEARCH_TEMPLATE};
use super::terms::TermLinks;
use super::views::{self, PageView, PaginatorView, SiteView, TermView};
use super::{feeds, redirect, search};
use crate::error::{Diagnostic, Error, Result};
use crate::site::{Destination, Site};
use crate::site_path::layout::{self, Taxonomy};

/// Variables given to some templates only (README "Templates").
const PAGE_VARIABLES: [&str; 6] = [
    "page",
    "paginator",
    "category",
    "tag",
    "archive",
    "search_index",
];

/// Loaded templates, ready to render any job of one site.
pub struct Renderer<'a> {
    pub(super) site: &'a Site,
    /// Makes the links of every page (the config's base path and origin taken apart once).
    pub(super) linker: Linker<'a>,
    pub(super) templates: Templates,
    /// Links and dates of `site.posts` and `site.pages`, computed once.
    /// Filled on first use: a rebuild that renders a few pages needs a few of them.
    post_meta: Vec<OnceLock<PostMeta>>,
    page_meta: Vec<PostMeta>,
    /// The categories and tags the posts name, shared by their metas.
    terms: TermLinks,
    /// `site`, as a Tera value; each [`Renderer::context`] gets its own copy.
    pub(super) site_view: tera::Value,
    /// The theme's words in the site's language, if it has any: `t`, shared by every
    /// context (most words are written into the templates, so few pages read it).
    words: Option<tera::Value>,
    /// The theme's optional partials, and what they made.
    pub(super) partials: Partials,
    /// Each category as its pages and the entry partial see it (see
    /// [`Renderer::category_view`]).
    category_views: Vec<OnceLock<tera::Value>>,
    /// Every post, newest first: the list of the home pages and the site's feed.
    all_posts: Vec<usize>,
}

impl<'a> Renderer<'a> {
    pub fn new(root: &Path, site: &'a Site) -> Result<Self> {
        Renderer::with_templates(Templates::load(root, &site.config)?, site)
    }

    /// A renderer of `site` with templates loaded before.
    pub fn with_templates(templates: Templates, site: &'a Site) -> Result<Self> {
        let linker = Linker::new(&site.config);
        let site_view = tera::Value::try_from_serializable(&SiteView::new(site, &linker))
            .map_err(|e| view_error("site", &e))?;
        let post_meta = site.posts.iter().map(|_| OnceLock::new()).collect();
        let words = templates.words().cloned();
        let terms = TermLinks::new(&linker, site);
        let page_meta = site
            .pages
            .iter()
            .map(|p| PostMeta::new(&linker, &terms, p))
            .collect();
        Ok(Renderer {
            site,
            partials: Partials::new(&templates, site),
            linker,
            category_views: site.categories.iter().map(|_| OnceLock::new()).collect(),
            templates,
            post_meta,
            page_meta,
            terms,
            site_view,
            words,
            all_posts: (0..site.posts.len()).collect(),
        })
    }

    /// Renders one page to HTML.
    pub fn render(&self, job: Job) -> Result<Vec<u8>> {
        self.render_in(&mut self.context(), job)
    }

    /// A context to reuse across [`Renderer::render_in`] calls on one thread, holding `site`.
    ///
    /// Each context has its own copy of `site`, not one shared through Tera's global context:
    /// Tera counts references to the values it reads (atomically), and threads that read the
    /// same values would pass their counters back and forth between cores.
    pub fn context(&self) -> Context {
        let mut ctx = Context::new();
        // A value made from a view serialises again; were it not to, a shared copy renders
        // the same.
        let site = tera::Value::try_from_serializable(&self.site_view)
            .unwrap_or_else(|_| self.site_view.clone());
        ctx.insert_value("site", site);
        if let Some(words) = &self.words {
            ctx.insert_value("t", words.clone());
        }
        ctx
    }

    /// A context for a partial rendered once and shown on many pages: `site` and `t`,
    /// shared.
    pub(super) fn partial_context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_view.clone());
        if let Some(words) = &self.words {
            ctx.insert_value("t", words.clone());
        }
        ctx
    }

    /// Renders one page to HTML in `ctx` (from [`Renderer::context`]); the variables of the
    /// previous page rendered in it are removed first.
    pub fn render_in(&self, ctx: &mut Context, job: Job) -> Result<Vec<u8>> {
        if let Some(bytes) = self.written_directly(job) {
            return Ok(bytes);
        }
        for key in PAGE_VARIABLES {
            ctx.remove(key);
        }
        self.insert_navigation(ctx, job)?;
        let template = self.insert_page_variables(ctx, job)?;
        let mut html = Vec::with_capacity(16 * 1024);
        self.templates.render_to(template, ctx, &mut html)?;
        Ok(html)
    }

    /// The page of `job` if no template makes it: the feeds, the sitemap, `robots.txt`, the
    /// search index and the redirect pages.
    fn written_directly(&self, job: Job) -> Option<Vec<u8>> {
        let site = self.site;
        let meta = |i: usize| self.meta(i);
        // A feed's own link is where `job_path` publishes it.
        Some(match job {
            Job::Feed => {
                let path = job_path(site, job);
                let (title, home) = (&site.config.title, layout::HOME);
                feeds::atom(site, &meta, &self.all_posts, &path, title, home)
            }
            Job::CategoryFeed(c) => {
                let cat = &site.categories[c];
                let title = format!("{} · {}", cat.name, site.config.title);
                let (path, home) = (job_path(site, job), category_path(site, c));
                feeds::atom(site, &meta, &cat.posts, &path, &title, &home)
            }
            Job::Sitemap => feeds::sitemap(site, self.has_search_page()),
            Job::SearchIndex => search::index(site, &meta),
            Job::Alias(a) => redirect::page(&self.linker, &site.aliases[a].1, Moved::Post),
            // An old feed address gets the feed's own bytes: feed readers do not follow a
            // redirect page.
            Job::Redirect(r) => match &site.redirects[r].to {
                Destination::Page(to) => redirect::page(&self.linker, to, Moved::Page),
                _ => return copied_feed(site, r).and_then(|feed| self.written_directly(feed)),
            },
            Job::Robots => feeds::robots(site),
            _ => return None,
        })
    }

    /// What every themed page is given about where it is: `current_url`, `current_path`,
    /// `current_category`, and the navigation partials' HTML for it.
    fn insert_navigation(&self, ctx: &mut Context, job: Job) -> Result<()> {
        let (site, linker) = (self.site, &self.linker);
        // A post's or page's links are made once, in its meta.
        let own_meta = match job {
            Job::Post(i) => Some(self.meta(i)),
            Job::Page(i) => Some(&self.page_meta[i]),
            _ => None,
        };
        let made;
        let current_path = match own_meta {
            Some(m) => {
                ctx.insert("current_url", &m.permalink);
                &m.url
            }
            None => {
                made = linker.url(&job_path(site, job));
                ctx.insert("current_url", &linker.absolute_url(&made));
                &made
            }
        };
        ctx.insert("current_path", current_path);
        if self.partials.has_site_nav() {
            let nav = self.site_nav(MenuVariant::of(job), current_path)?;
            ctx.insert_value("site_nav", nav);
        }
        let nav = NavVariant::of(site, job);
        ctx.insert("current_category", nav.slug(site));
        if self.partials.has_category_nav() {
            ctx.insert_value("category_nav", self.category_nav(nav)?);
        }
        Ok(())
    }

    /// The variables of `job`'s own template (`page`, `paginator`, `category`…), and that
    /// template's name.
    fn insert_page_variables(&self, ctx: &mut Context, job: Job) -> Result<&'static str> {
        let (site, linker) = (self.site, &self.linker);
        Ok(match job {
            Job::Home(n) => {
                let paginator = self.paginator(layout::HOME, &self.all_posts, n, false)?;
                put(ctx, "paginator", &paginator)?;
                "index.html"
            }
            Job::Post(i) => {
                let content = site.posts[i].body.html.get();
                let view =
                    PageView::post(linker, self.meta(i), site, i, content, |j| self.link(j))?;
                put(ctx, "page", &view)?;
                "post.html"
            }
            Job::Page(i) => {
                let page = &site.pages[i];
                let content = page.body.html.get();
                let view = PageView::new(linker, &self.page_meta[i], page, content);
                put(ctx, "page", &view)?;
                "page.html"
            }
            Job::Category(c, n) => {
                ctx.insert_value("category", self.category_view(c));
                let (first, posts) = (category_path(site, c), &site.categories[c].posts);
                put(ctx, "paginator", &self.paginator(&first, posts, n, true)?)?;
                "category.html"
            }
            Job::Tag(t, n) => {
                let tag = &site.tags[t];
                put(ctx, "tag", &TermView::new(linker, Taxonomy::Tag, tag))?;
                let first = layout::term(Taxonomy::Tag, &tag.slug);
                put(
                    ctx,
                    "paginator",
                    &self.paginator(&first, &tag.posts, n, false)?,
                )?;
                "tag.html"
            }
            Job::Archive => {
                put(ctx, "archive", &views::archive(|j| self.meta(j), site))?;
                "archive.html"
            }
            Job::NotFound => "404.html",
            Job::Search => {
                ctx.insert("search_index", &linker.url(layout::SEARCH_INDEX));
                SEARCH_TEMPLATE
            }
            Job::Feed
            | Job::CategoryFeed(_)
            | Job::Sitemap
            | Job::Robots
            | Job::SearchIndex
            | Job::Alias(_)
            | Job::Redirect(_) => unreachable!("written directly, before any template"),
        })
    }

    /// Whether the theme (or the site) has a search page template.
    pub fn has_search_page(&self) -> bool {
        self.templates.has_search_page()
    }

    /// Every page this site publishes with these templates.
    pub fn jobs(&self) -> Vec<Job> {
        jobs(self.site, self.has_search_page())
    }

    /// The search index, as [`Job::SearchIndex`] renders it, in consecutive parts to be
    /// written one after the other.
    pub fn search_index(&self) -> Vec<Vec<u8>> {
        search::index_parts(self.site, &|i| self.meta(i))
    }

    /// Links and dates of post `i`, computed once.
    pub(super) fn meta(&self, i: usize) -> &PostMeta {
        self.post_meta[i]
            .get_or_init(|| PostMeta::new(&self.linker, &self.terms, &self.site.posts[i]))
    }

    /// Page `n` of the list `posts`, whose first page is at `first`; `own_category` on the
    /// pages of a category.
    fn paginator(
        &self,
        first: &str,
        posts: &[usize],
        n: usize,
        own_category: bool,
    ) -> Result<PaginatorView> {
        let linker = &self.linker;
        let per = self.site.config.paginate;
        let total = pager_count(posts.len(), per);
        let start = ((n - 1) * per).min(posts.len());
        let end = (start + per).min(posts.len());
        Ok(PaginatorView {
            pages: posts[start..end]
                .iter()
                .map(|&i| self.entry(i, own_category))
                .collect::<Result<_>>()?,
            current: n,
            number_pagers: total,
            previous: (n > 1).then(|| linker.url(&layout::pager(first, n - 1))),
            next: (n < total).then(|| linker.url(&layout::pager(first, n + 1))),
            first: linker.url(first),
            last: linker.url(&layout::pager(first, total)),
        })
    }

    /// Category `c` as `category` (a [`TermView`]) for its pages and the entry partial, made
    /// once.
    pub(super) fn category_view(&self, c: usize) -> tera::Value {
        self.category_views[c]
            .get_or_init(|| {
                let category = &self.site.categories[c];
                views::to_value(&TermView::new(&self.linker, Taxonomy::Category, category))
            })
            .clone()
    }
}

/// Hands a view to the templates. Views are plain structs that always serialise; should one
/// not, the build fails with an error instead of a panic.
fn put<T: serde::Serialize>(ctx: &mut Context, key: &'static str, view: &T) -> Result<()> {
    let value = tera::Value::try_from_serializable(view).map_err(|e| view_error(key, &e))?;
    ctx.insert_value(key, value);
    Ok(())
}

fn view_error(key: &str, err: &tera::Error) -> Error {
    Diagnostic::new(
        "templates",
        format!("`{key}` could not be handed to the templates: {err}"),
    )
    .help("this is a bug in ilji; please report it with the site that shows it")
    .into()
}
