//! Rendering with Tera: loading the theme's templates (overridden file by file by the site's
//! `templates/`), deciding which pages a site has, and rendering one of them to HTML.
//!
//! It writes nothing; `build` hands the HTML to `output`.

pub mod feeds;
pub(crate) mod json;
pub mod search;
pub mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};
use crate::site::Site;
use crate::site_path::{Refusal, SitePath};
use views::{
    term_path, Linker, PageView, PaginatorView, PostMeta, SiteView, TermView, Terms, CATEGORY, TAG,
};

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 8] = [
    "base.html",
    "index.html",
    "post.html",
    "page.html",
    "category.html",
    "tag.html",
    "archive.html",
    "404.html",
];

/// The optional template of the `/search/` page.
pub const SEARCH_TEMPLATE: &str = "search.html";

/// The optional partial of the category navigation, rendered once per category (README
/// "Templates") and handed to every page as `category_nav`.
pub const CATEGORY_NAV_TEMPLATE: &str = "partials/category_nav.html";

/// The optional partial of the site menu, rendered once per page it can mark as current
/// (README "Templates") and handed to every page as `site_nav`.
pub const SITE_NAV_TEMPLATE: &str = "partials/site_nav.html";

/// The optional partial of one entry of a list page, rendered once per post and kind of list
/// (README "Templates") and handed to list pages as each entry's `html`.
pub const ENTRY_TEMPLATE: &str = "partials/entry.html";

/// The optional partial of one item of a post's "other posts in this category" list, rendered
/// once per post (README "Templates") and handed to post pages as each link's `html`.
pub const OTHER_POST_TEMPLATE: &str = "partials/other_post.html";

/// Variables given to some templates only (README "Templates").
const PAGE_VARIABLES: [&str; 6] = [
    "page",
    "paginator",
    "category",
    "tag",
    "archive",
    "search_index",
];

/// One page of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    /// Home, 1-based page number.
    Home(usize),
    Post(usize),
    Page(usize),
    Category(usize, usize),
    Tag(usize, usize),
    Archive,
    NotFound,
    /// `/atom.xml`
    Feed,
    /// `/category/<slug>/atom.xml`
    CategoryFeed(usize),
    Sitemap,
    Robots,
    /// `/search/index.json`
    SearchIndex,
    /// `/search/`, when the theme has a `search.html`
    Search,
    /// A redirect page at an old address (index into `site.aliases`).
    Alias(usize),
}

/// Every page the site publishes; `search_page` when the theme has `search.html`.
pub fn jobs(site: &Site, search_page: bool) -> Vec<Job> {
    let per = site.config.paginate;
    // The few pages that each cover the whole site come first, so that in a parallel
    // build they start at once instead of finishing last on one core.
    let mut jobs = vec![Job::SearchIndex, Job::Archive, Job::Sitemap, Job::Feed];
    jobs.extend((0..site.categories.len()).map(Job::CategoryFeed));
    jobs.extend((1..=pager_count(site.posts.len(), per)).map(Job::Home));
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (c, cat) in site.categories.iter().enumerate() {
        jobs.extend((1..=pager_count(cat.posts.len(), per)).map(|n| Job::Category(c, n)));
    }
    for (t, tag) in site.tags.iter().enumerate() {
        jobs.extend((1..=pager_count(tag.posts.len(), per)).map(|n| Job::Tag(t, n)));
    }
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    jobs.push(Job::NotFound);
    jobs.push(Job::Robots);
    if search_page {
        jobs.push(Job::Search);
    }
    jobs
}

/// How many pages a list of `items` takes (at least one, even when empty).
pub(crate) fn pager_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// Site-relative path of pager `n` of a list whose first page is at `first`.
fn pager_path(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_owned()
    } else {
        [first, "page/", &n.to_string(), "/"].concat()
    }
}

/// Where a job's page is published, relative to the site root and not encoded
/// (`posts/가/`, or `404.html` for a file).
pub fn job_path(site: &Site, job: Job) -> String {
    match job {
        Job::Home(n) => pager_path("", n),
        Job::Post(i) => site.posts[i].path.to_string(),
        Job::Page(i) => site.pages[i].path.to_string(),
        Job::Category(c, n) => pager_path(&term_path(CATEGORY, &site.categories[c].slug), n),
        Job::Tag(t, n) => pager_path(&term_path(TAG, &site.tags[t].slug), n),
        Job::Archive => "archive/".to_owned(),
        Job::NotFound => "404.html".to_owned(),
        Job::Feed => "atom.xml".to_owned(),
        Job::CategoryFeed(c) => term_path(CATEGORY, &site.categories[c].slug) + "atom.xml",
        Job::Sitemap => "sitemap.xml".to_owned(),
        Job::Robots => "robots.txt".to_owned(),
        Job::SearchIndex => search::INDEX_PATH.to_owned(),
        Job::Search => "search/".to_owned(),
        Job::Alias(a) => site.aliases[a].0.to_string(),
    }
}

/// The file a job's page is written to: `posts/가/` → `posts/가/index.html`. Refused only
/// for a category or tag whose name gives a part no file system holds (posts, pages and
/// aliases were checked when their files were read).
pub fn job_file(site: &Site, job: Job) -> std::result::Result<SitePath, Refusal> {
    match job {
        Job::Post(i) => Ok(site.posts[i].path.file()),
        Job::Page(i) => Ok(site.pages[i].path.file()),
        Job::Alias(a) => Ok(site.aliases[a].0.file()),
        _ => SitePath::new(&job_path(site, job)).map(|p| p.file()),
    }
}

/// The output file of a site-relative path: `posts/가/` → `posts/가/index.html`.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        [path, "index.html"].concat()
    } else {
        path.to_owned()
    }
}

/// Loaded templates, ready to render any job of one site.
pub struct Renderer<'a> {
    site: &'a Site,
    /// Makes the links of every page (the config's base path and origin taken apart once).
    linker: Linker<'a>,
    tera: Tera,
    /// Template name → (file, text), to locate runtime errors.
    sources: HashMap<String, (PathBuf, String)>,
    /// Links and dates of `site.posts` and `site.pages`, computed once.
    /// Filled on first use: a rebuild that renders a few pages needs a few of them.
    post_meta: Vec<OnceLock<PostMeta>>,
    page_meta: Vec<PostMeta>,
    /// The categories and tags the posts name, shared by their metas.
    terms: Terms,
    /// `site`, as a Tera value; each [`Renderer::context`] gets its own copy.
    site_view: tera::Value,
    /// With a [`CATEGORY_NAV_TEMPLATE`]: its HTML for each variant (see [`NavVariant`]),
    /// rendered when first needed.
    category_nav: Option<Vec<OnceLock<tera::Value>>>,
    /// With a [`SITE_NAV_TEMPLATE`]: its HTML for each [`MenuVariant`], rendered when first
    /// needed.
    site_nav: Option<Vec<OnceLock<tera::Value>>>,
    /// Whether the theme has an [`ENTRY_TEMPLATE`].
    entry_partial: bool,
    /// Whether the theme has an [`OTHER_POST_TEMPLATE`].
    other_post_partial: bool,
    /// Each category as its pages and the entry partial see it (see
    /// [`Renderer::category_view`]).
    category_views: Vec<OnceLock<tera::Value>>,
    /// Every post, newest first: the list of the home pages and the site's feed.
    all_posts: Vec<usize>,
}

/// Which version of the category navigation a page shows: none of the categories is
/// current, or one is, on its own (first) list page or elsewhere (a post, a later page).
#[derive(Debug, Clone, Copy)]
enum NavVariant {
    NoCategory,
    Category { index: usize, own_page: bool },
}

impl NavVariant {
    /// The slug of the current category, or `""`.
    fn slug(self, site: &Site) -> &str {
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
enum MenuVariant {
    Elsewhere,
    Home,
    Archive,
    Search,
    Page(usize),
}

impl MenuVariant {
    fn of(job: Job) -> MenuVariant {
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

/// The theme's templates with the site's over them, read and parsed; they do not depend on
/// the content, so a build makes them while it reads the content.
pub struct Templates {
    tera: Tera,
    /// Template name → (file, text), to locate runtime errors.
    sources: HashMap<String, (PathBuf, String)>,
}

impl Templates {
    /// Whether the theme (or the site) has a search page template.
    pub fn has_search_page(&self) -> bool {
        has_search_page(&self.sources)
    }

    /// Reads and parses the templates of `theme` and the site's own (at `root`).
    pub fn load(root: &Path, theme: &str) -> Result<Templates> {
        let sources = load_templates(root, theme)?;
        let mut tera = Tera::new();
        tera.set_escape_fn(escape_html_to);
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| template_error(&e, &sources))?;
        Ok(Templates { tera, sources })
    }
}

impl<'a> Renderer<'a> {
    pub fn new(root: &Path, site: &'a Site) -> Result<Self> {
        Renderer::with_templates(Templates::load(root, &site.config.theme)?, site)
    }

    /// A renderer of `site` with templates loaded before.
    pub fn with_templates(templates: Templates, site: &'a Site) -> Result<Self> {
        let Templates { tera, sources } = templates;
        let linker = Linker::new(&site.config);
        let site_view = tera::Value::try_from_serializable(&SiteView::new(site, &linker))
            .map_err(|e| view_error("site", &e))?;
        let post_meta = site.posts.iter().map(|_| OnceLock::new()).collect();
        let terms = Terms::new(&linker, site);
        let page_meta = site
            .pages
            .iter()
            .map(|p| PostMeta::new(&linker, &terms, p))
            .collect();
        let category_nav = sources.contains_key(CATEGORY_NAV_TEMPLATE).then(|| {
            (0..1 + 2 * site.categories.len())
                .map(|_| OnceLock::new())
                .collect()
        });
        let site_nav = sources
            .contains_key(SITE_NAV_TEMPLATE)
            .then(|| (0..4 + site.pages.len()).map(|_| OnceLock::new()).collect());
        Ok(Renderer {
            site,
            linker,
            site_nav,
            entry_partial: sources.contains_key(ENTRY_TEMPLATE),
            other_post_partial: sources.contains_key(OTHER_POST_TEMPLATE),
            category_views: site.categories.iter().map(|_| OnceLock::new()).collect(),
            tera,
            sources,
            post_meta,
            page_meta,
            terms,
            site_view,
            category_nav,
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
        ctx
    }

    /// Renders one page to HTML in `ctx` (from [`Renderer::context`]); the variables of the
    /// previous page rendered in it are removed first.
    pub fn render_in(&self, ctx: &mut Context, job: Job) -> Result<Vec<u8>> {
        let site = self.site;
        let meta = |i: usize| self.meta(i);
        match job {
            // A feed's own link is where `job_path` publishes it.
            Job::Feed => {
                let path = job_path(site, job);
                return Ok(feeds::atom(
                    site,
                    &meta,
                    &self.all_posts,
                    &path,
                    &site.config.title,
                    "",
                ));
            }
            Job::CategoryFeed(c) => {
                let cat = &site.categories[c];
                let title = format!("{} · {}", cat.name, site.config.title);
                let home = term_path(CATEGORY, &cat.slug);
                let path = job_path(site, job);
                return Ok(feeds::atom(site, &meta, &cat.posts, &path, &title, &home));
            }
            Job::Sitemap => return Ok(feeds::sitemap(site, self.has_search_page())),
            Job::SearchIndex => return Ok(search::index(site, &meta)),
            Job::Alias(a) => return Ok(redirect_page(&self.linker, &site.aliases[a].1)),
            Job::Robots => return Ok(feeds::robots(site)),
            _ => {}
        }
        for key in PAGE_VARIABLES {
            ctx.remove(key);
        }
        let site = self.site;
        let linker = &self.linker;
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
        if self.site_nav.is_some() {
            ctx.insert_value(
                "site_nav",
                self.site_nav(MenuVariant::of(job), current_path)?,
            );
        }
        let nav = match job {
            Job::Post(i) => NavVariant::Category {
                index: site.post_category[i],
                own_page: false,
            },
            Job::Category(c, n) => NavVariant::Category {
                index: c,
                own_page: n == 1,
            },
            _ => NavVariant::NoCategory,
        };
        ctx.insert("current_category", nav.slug(site));
        if self.category_nav.is_some() {
            ctx.insert_value("category_nav", self.category_nav(nav)?);
        }
        let template = match job {
            Job::Home(n) => {
                put(
                    ctx,
                    "paginator",
                    &self.paginator(linker, "", &self.all_posts, n, false)?,
                )?;
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
                put(
                    ctx,
                    "page",
                    &PageView::new(linker, &self.page_meta[i], page, content),
                )?;
                "page.html"
            }
            Job::Category(c, n) => {
                let cat = &site.categories[c];
                ctx.insert_value("category", self.category_view(c));
                let first = term_path(CATEGORY, &cat.slug);
                put(
                    ctx,
                    "paginator",
                    &self.paginator(linker, &first, &cat.posts, n, true)?,
                )?;
                "category.html"
            }
            Job::Tag(t, n) => {
                let tag = &site.tags[t];
                put(ctx, "tag", &TermView::new(linker, TAG, tag))?;
                let first = term_path(TAG, &tag.slug);
                put(
                    ctx,
                    "paginator",
                    &self.paginator(linker, &first, &tag.posts, n, false)?,
                )?;
                "tag.html"
            }
            Job::Archive => {
                put(ctx, "archive", &views::archive(|j| self.meta(j), site))?;
                "archive.html"
            }
            Job::NotFound => "404.html",
            Job::Search => {
                ctx.insert("search_index", &linker.url(search::INDEX_PATH));
                SEARCH_TEMPLATE
            }
            Job::Feed
            | Job::CategoryFeed(_)
            | Job::Sitemap
            | Job::Robots
            | Job::SearchIndex
            | Job::Alias(_) => {
                unreachable!("answered above")
            }
        };
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, ctx, &mut html)
            .map_err(|e| template_error(&e, &self.sources))?;
        Ok(html)
    }

    /// The category navigation of `variant`, rendered from [`CATEGORY_NAV_TEMPLATE`] the first
    /// time it is asked for (with `site`, `current_category` and `current_category_page`).
    fn category_nav(&self, variant: NavVariant) -> Result<tera::Value> {
        let Some(cache) = &self.category_nav else {
            return Ok(tera::Value::none());
        };
        self.cached_partial(&cache[variant.slot()], CATEGORY_NAV_TEMPLATE, |ctx| {
            let own_page = matches!(variant, NavVariant::Category { own_page: true, .. });
            ctx.insert("current_category", variant.slug(self.site));
            ctx.insert("current_category_page", &own_page);
        })
    }

    /// The site menu of `variant`, rendered from [`SITE_NAV_TEMPLATE`] the first time it is
    /// asked for (with `site` and `current_path`: the page's own link, `path`, unless the
    /// variant is [`MenuVariant::Elsewhere`], where it is `""`).
    fn site_nav(&self, variant: MenuVariant, path: &str) -> Result<tera::Value> {
        let Some(cache) = &self.site_nav else {
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
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_view.clone());
        fill(&mut ctx);
        let html = self.render_partial(name, &ctx)?;
        // Two threads may render the same variant at once; both get the same HTML.
        Ok(slot.get_or_init(|| html).clone())
    }

    /// Whether the theme (or the site) has a search page template.
    pub fn has_search_page(&self) -> bool {
        has_search_page(&self.sources)
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
    fn meta(&self, i: usize) -> &PostMeta {
        self.post_meta[i]
            .get_or_init(|| PostMeta::new(&self.linker, &self.terms, &self.site.posts[i]))
    }

    /// Page `n` of the list `posts`, whose first page is at `first`; `own_category` on the
    /// pages of a category.
    fn paginator(
        &self,
        linker: &Linker,
        first: &str,
        posts: &[usize],
        n: usize,
        own_category: bool,
    ) -> Result<PaginatorView> {
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
            previous: (n > 1).then(|| linker.url(&pager_path(first, n - 1))),
            next: (n < total).then(|| linker.url(&pager_path(first, n + 1))),
            first: linker.url(first),
            last: linker.url(&pager_path(first, total)),
        })
    }

    /// Post `i` as an entry of a list page (of its own category when `own_category`), with
    /// the HTML of the theme's [`ENTRY_TEMPLATE`] if it has one: rendered with `site`, the
    /// entry as `e` and, on its category's pages, `category`, so that it is the same on
    /// every page of one kind and is made once.
    fn entry(&self, i: usize, own_category: bool) -> Result<tera::Value> {
        let (meta, post) = (self.meta(i), &self.site.posts[i]);
        if !self.entry_partial {
            return Ok(meta.entry_value(post));
        }
        meta.listed_value(post, own_category, |e| {
            let mut ctx = Context::new();
            ctx.insert_value("site", self.site_view.clone());
            ctx.insert_value("e", e);
            if own_category {
                ctx.insert_value("category", self.category_view(self.site.post_category[i]));
            }
            self.render_partial(ENTRY_TEMPLATE, &ctx)
        })
    }

    /// Post `i` as a link in another post's lists (`page.prev`, `page.next`, `page.others`),
    /// with the HTML of the theme's [`OTHER_POST_TEMPLATE`] if it has one: rendered with
    /// `site` and the link as `o`, so that it is the same in every list and is made once.
    fn link(&self, i: usize) -> Result<tera::Value> {
        let (meta, post) = (self.meta(i), &self.site.posts[i]);
        let render = self.other_post_partial.then_some(|o| {
            let mut ctx = Context::new();
            ctx.insert_value("site", self.site_view.clone());
            ctx.insert_value("o", o);
            self.render_partial(OTHER_POST_TEMPLATE, &ctx)
        });
        meta.link_value(post, render)
    }

    /// Partial `name` rendered in `ctx`, as HTML marked safe.
    fn render_partial(&self, name: &str, ctx: &Context) -> Result<tera::Value> {
        thread_local! {
            static HTML: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        HTML.with_borrow_mut(|out| {
            out.clear();
            self.tera
                .render_to(name, ctx, &mut *out)
                .map_err(|e| template_error(&e, &self.sources))?;
            // Tera writes strings, which are UTF-8 (checked here many times faster than by
            // `String::from_utf8`).
            Ok(simdutf8::basic::from_utf8(out).map_or_else(
                |_| tera::Value::safe_string(&String::from_utf8_lossy(out)),
                tera::Value::safe_string,
            ))
        })
    }

    /// Category `c` as `category` (a [`TermView`]) for its pages and the entry partial, made
    /// once.
    fn category_view(&self, c: usize) -> tera::Value {
        self.category_views[c]
            .get_or_init(|| {
                views::to_value(&TermView::new(
                    &self.linker,
                    CATEGORY,
                    &self.site.categories[c],
                ))
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

/// Whether templates `sources` (name → (file, text)) have a search page: then the site gets
/// one, and the search index beside it.
fn has_search_page(sources: &HashMap<String, (PathBuf, String)>) -> bool {
    sources.contains_key(SEARCH_TEMPLATE)
}

/// Reads `themes/<theme>/templates/**` then the site's `templates/**` over it.
fn load_templates(root: &Path, theme: &str) -> Result<HashMap<String, (PathBuf, String)>> {
    let theme_dir = Path::new("themes").join(theme).join("templates");
    if !root.join(&theme_dir).is_dir() {
        return Err(Diagnostic::new(
            crate::config::CONFIG_FILE,
            format!("the theme `{theme}` has no folder {}", theme_dir.display()),
        )
        .help(
            "set `theme:` in site.yaml to a folder under themes/, or copy the default theme there",
        )
        .into());
    }
    let mut sources = HashMap::new();
    for dir in [theme_dir, PathBuf::from("templates")] {
        let abs = root.join(&dir);
        if !abs.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&abs).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Error::io(
                    &dir,
                    &e.into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("a link loops")),
                )
            })?;
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || crate::fsutil::is_ignored_name(&name) {
                continue;
            }
            let rel = entry.path().strip_prefix(&abs).unwrap_or(entry.path());
            let tname = rel.to_string_lossy().replace('\\', "/");
            let file = dir.join(rel);
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(&file, &e))?;
            let text = crate::text::decode_utf8(&file, &bytes)?;
            sources.insert(tname, (file, text));
        }
    }
    let missing: Vec<Diagnostic> = REQUIRED_TEMPLATES
        .iter()
        .filter(|t| !sources.contains_key(**t))
        .map(|t| {
            Diagnostic::new(
                Path::new("themes").join(theme).join("templates"),
                format!("the template {t} is missing"),
            )
            .help(format!("add templates/{t} to the site or to the theme"))
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::many(missing));
    }
    Ok(sources)
}

/// A Tera error as a diagnostic naming the template's file, with the line and column Tera
/// points at, and what to do.
fn template_error(err: &tera::Error, sources: &HashMap<String, (PathBuf, String)>) -> Error {
    let file = |name: &str| {
        sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |(p, _)| p.clone())
    };
    let d = match err.kind() {
        tera::ErrorKind::SyntaxError(report) => {
            let span = report.span();
            Diagnostic::new(
                file(report.filename()),
                format!("template syntax error: {}", report.message()),
            )
            .at(span.start_line, span.start_col + 1)
            .help("fix the Tera syntax at this place ({{ … }}, {% … %} and {# … #} must be closed)")
        }
        tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let message = report.message();
            // Tera lists what is available after the first sentence; keep the sentence.
            let first = message.split_inclusive(". ").next().unwrap_or(message);
            let first = first.trim_end().trim_end_matches('.');
            let var = between(first, '`')
                .map(|v| source_text(sources, report.filename(), span).unwrap_or(v.to_owned()));
            let d = Diagnostic::new(file(report.filename()), first.to_owned())
                .at(span.start_line, span.start_col + 1);
            match var {
                Some(var) => match made_by_partial(&var, sources) {
                    Some(partial) => d.help(format!(
                        "`{var}` is made by {partial}, which this theme lacks: add it (the default theme's is a start), or print what it shows here yourself"
                    )),
                    None => d.help(format!(
                        "`{var}` is not given to this template; see README \"Templates\" for the variables, or guard it with {{% if {var} %}}"
                    )),
                },
                None => d.help("see README \"Templates\" for what each template receives"),
            }
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            file(current),
            format!("extends {parent}, which does not exist"),
        )
        .help("fix the name in {% extends \"…\" %}, or add the template"),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::new(
            PathBuf::from("templates"),
            format!("the template {name} is missing"),
        )
        .help(format!("add templates/{name} to the site or to the theme")),
        _ => {
            let text = err.to_string();
            let found = reported(&text, &file);
            if !found.is_empty() {
                return Error::many(found);
            }
            Diagnostic::new(PathBuf::from("templates"), text).help("see README \"Templates\"")
        }
    };
    d.into()
}

/// The optional partial that would have made `var` (a variable as a template wrote it) and
/// that templates `sources` lack: a navigation, or what makes an entry's or a link's `html`.
fn made_by_partial(var: &str, sources: &HashMap<String, (PathBuf, String)>) -> Option<String> {
    let candidates: &[(&str, &str)] = match var.trim() {
        "category_nav" => &[(CATEGORY_NAV_TEMPLATE, "")],
        "site_nav" => &[(SITE_NAV_TEMPLATE, "")],
        v if v.ends_with(".html") => &[
            (ENTRY_TEMPLATE, " (for entries of list pages)"),
            (OTHER_POST_TEMPLATE, " (for links to other posts)"),
        ],
        _ => &[],
    };
    let missing: Vec<String> = candidates
        .iter()
        .filter(|(name, _)| !sources.contains_key(*name))
        .map(|(name, what)| format!("{name}{what}"))
        .collect();
    (!missing.is_empty()).then(|| missing.join(" or "))
}

/// The problems in Tera's rendered reports (`error: MESSAGE` then ` --> NAME:LINE:COL`), as
/// it gives them for checks across templates (an `{% include %}` of a missing template).
fn reported(text: &str, file: &dyn Fn(&str) -> PathBuf) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.trim_start().strip_prefix("error: ") {
            message = Some(m.to_owned());
        } else if let (Some(at), Some(m)) = (line.trim_start().strip_prefix("--> "), &message) {
            let mut parts = at.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok());
            let line_no = parts.next().and_then(|l| l.parse().ok());
            if let (Some(c), Some(l), Some(name)) = (column, line_no, parts.next()) {
                found.push(
                    Diagnostic::new(file(name), m.clone())
                        .at(l, c)
                        .help("fix the template at this place; see README \"Templates\""),
                );
            }
            message = None;
        }
    }
    found
}

/// The expression a span covers in its template (`page.nope`), for the help line.
fn source_text(
    sources: &HashMap<String, (PathBuf, String)>,
    name: &str,
    span: &tera::Span,
) -> Option<String> {
    let (_, text) = sources.get(name)?;
    // The span covers the last name (`nope`); widen it to the whole path (`page.nope`).
    let before = text.get(..span.range.start)?;
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |i| i + 1);
    let found = text.get(start..span.range.end)?.trim();
    (!found.is_empty() && found.len() < 80).then(|| found.to_owned())
}

fn between(text: &str, quote: char) -> Option<&str> {
    let start = text.find(quote)? + 1;
    let len = text[start..].find(quote)?;
    Some(&text[start..start + len])
}

/// The page at an old address: sends browsers and search engines to `target` (a
/// site-relative path). Not themed: it is seen for an instant, if at all.
fn redirect_page(linker: &Linker, target: &str) -> Vec<u8> {
    let url = escape_html(&linker.url(target));
    let permalink = escape_html(&linker.permalink(target));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>옮긴 글</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={permalink}\">\n</head>\n<body>\n<p>이 글은 <a href=\"{url}\">새 주소</a>로 옮겼습니다.</p>\n</body>\n</html>\n",
        lang = escape_html(&linker.config.language),
    )
    .into_bytes()
}

/// Tera's escape function: [`escape_html`] written straight into the page.
fn escape_html_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(out), input)
}

/// Escapes text for HTML content and quoted attributes (`&<>"'`, as pulldown-cmark does).
/// Unlike Tera's default it leaves `/` alone, so URLs print as written.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, input);
    out
}
