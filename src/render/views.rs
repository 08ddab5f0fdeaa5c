//! The template contract: the borrowed, serialisable views of the site model that templates
//! see, field by field (SPEC.md "Templates", README "Templates"); the model itself never
//! reaches Tera. A field renamed or removed here breaks themes: change it only with the README.
//!
//! - `site`: [`SiteView`], its `categories` [`TermView`]s and its `pages` [`PageLinkView`]s;
//! - `page`: [`PageView`]: its `category` and `tags` [`TermLink`]s, its `comments`
//!   [`CommentView`]s, its `prev`, `next` and `others` [`LinkView`]s;
//! - `paginator`: [`PaginatorView`], its `pages` [`EntryView`]s;
//! - `category`, `tag`: [`TermView`];
//! - `archive`: [`YearView`]s of [`MonthView`]s of [`LinkView`]s.
//!
//! Each view is made from the model and from what [`PostMeta`] computed once per build;
//! the renderer decides which views a page gets.

use serde::Serialize;

use super::json_ld::json_ld;
use super::linker::{rfc3339_numeric_offset, Linker};
use super::post_meta::PostMeta;
use super::toc::toc_html;
use crate::content::{Page, PageKind};
use crate::markdown::TocEntry;
use crate::site::{Site, Term};
use crate::site_path::layout::{self, Taxonomy};
use crate::slug::slugify;

/// HTML for the templates: a string marked safe, which prints as it is. (Tera's `| safe`
/// filter would copy it on every print: a post's body, a list's summaries.)
fn html(s: &str) -> tera::Value {
    tera::Value::safe_string(s)
}

/// A view as a Tera value. Views are plain structs of strings, numbers and lists, which
/// always serialise.
pub(crate) fn to_value<T: Serialize>(view: &T) -> tera::Value {
    tera::Value::try_from_serializable(view).unwrap_or_else(|_| tera::Value::none())
}

/// A category or a tag as a post names it: `page.category`, each of `page.tags`, and the same
/// of a list's entries.
#[derive(Serialize)]
pub struct TermLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

impl TermLink {
    pub fn new(linker: &Linker, taxonomy: Taxonomy, name: &str) -> Self {
        let slug = slugify(name);
        TermLink {
            url: linker.url(&layout::term(taxonomy, &slug)),
            name: name.to_owned(),
            slug,
        }
    }
}

/// `category` / `tag` on their own pages, and the entries of `site.categories`.
#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

impl<'a> TermView<'a> {
    pub fn new(linker: &Linker, taxonomy: Taxonomy, t: &'a Term) -> Self {
        TermView {
            name: &t.name,
            slug: &t.slug,
            url: linker.url(&layout::term(taxonomy, &t.slug)),
            count: t.posts.len(),
        }
    }
}

/// A standalone page in `site.pages`, for menus.
#[derive(Serialize)]
pub struct PageLinkView<'a> {
    pub title: &'a str,
    pub url: String,
}

/// `site`: the configuration and the site-wide navigation.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub author: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    pub timezone: &'a str,
    pub date_format: &'a str,
    pub paginate: usize,
    pub other_posts: usize,
    pub extra: &'a serde_json::Value,
    pub root: String,
    pub categories: Vec<TermView<'a>>,
    pub pages: Vec<PageLinkView<'a>>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site, linker: &Linker) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            author: &c.author,
            base_url: c.base_url(),
            language: &c.language,
            timezone: c.timezone.name(),
            date_format: &c.date_format,
            paginate: c.paginate,
            other_posts: c.other_posts,
            extra: &c.extra,
            root: linker.url(layout::HOME),
            categories: site
                .categories
                .iter()
                .map(|t| TermView::new(linker, Taxonomy::Category, t))
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| PageLinkView {
                    title: &p.title,
                    url: linker.url(&p.path),
                })
                .collect(),
        }
    }
}

/// A post as an entry of another post's list, or of the archive.
#[derive(Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<&'a str>,
    pub date_display: Option<&'a str>,
    pub comment_count: usize,
    /// With the theme's partial for an item of the "other posts" list: its HTML of this
    /// post (marked safe, see `html()`). Absent without it, so that printing it is an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<tera::Value>,
}

impl<'a> LinkView<'a> {
    pub fn new(meta: &'a PostMeta, p: &'a Page) -> Self {
        LinkView {
            title: &p.title,
            url: &meta.url,
            date: meta.date.as_deref(),
            date_display: meta.date_display.as_deref(),
            comment_count: p.comments.len(),
            html: None,
        }
    }
}

/// A post in a paginated list.
#[derive(Serialize)]
pub struct EntryView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: &'a str,
    pub date: Option<&'a str>,
    pub date_display: Option<&'a str>,
    /// [`TermLink`]s, as shared Tera values (see `terms.rs`).
    pub category: Option<&'a tera::Value>,
    pub tags: Vec<&'a tera::Value>,
    pub description: &'a str,
    /// HTML (marked safe, see `html()`).
    pub summary: tera::Value,
    pub reading_time: usize,
    pub word_count: usize,
    pub comment_count: usize,
    pub draft: bool,
    /// With the theme's entry partial: its HTML of this entry (marked safe, see `html()`).
    /// Absent without it, so that printing it is an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<tera::Value>,
}

impl<'a> EntryView<'a> {
    pub fn new(meta: &'a PostMeta, p: &'a Page) -> Self {
        let (category, tags) = meta.term_values();
        EntryView {
            title: &p.title,
            url: &meta.url,
            permalink: &meta.permalink,
            date: meta.date.as_deref(),
            date_display: meta.date_display.as_deref(),
            category,
            tags,
            description: &meta.description,
            summary: html(&p.summary_html),
            reading_time: p.body.reading_time,
            word_count: p.body.word_count,
            comment_count: p.comments.len(),
            draft: p.draft,
            html: None,
        }
    }
}

/// A comment of `page.comments`.
#[derive(Serialize)]
pub struct CommentView<'a> {
    pub author: &'a str,
    pub date: String,
    pub date_display: String,
    /// HTML (marked safe, see `html()`).
    pub body: tera::Value,
}

/// `page`: a post or a standalone page with everything a template may show.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub permalink: &'a str,
    pub date: Option<&'a str>,
    pub date_display: Option<&'a str>,
    pub updated: Option<&'a str>,
    pub updated_display: Option<&'a str>,
    /// [`TermLink`]s, as shared Tera values (see `terms.rs`).
    pub category: Option<&'a tera::Value>,
    pub tags: Vec<&'a tera::Value>,
    /// HTML (marked safe, see `html()`), as are `json_ld` and `content`.
    pub summary: tera::Value,
    pub description: &'a str,
    pub image: Option<&'a str>,
    /// JSON-LD `BlogPosting` (posts only), ready to print inside a script.
    pub json_ld: Option<tera::Value>,
    pub content: tera::Value,
    pub toc: &'a [TocEntry],
    /// `toc` as HTML (see `toc.rs`).
    pub toc_html: tera::Value,
    pub reading_time: usize,
    pub word_count: usize,
    pub comments: Vec<CommentView<'a>>,
    pub comment_count: usize,
    pub draft: bool,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// [`LinkView`]s, as cached Tera values.
    pub prev: Option<tera::Value>,
    pub next: Option<tera::Value>,
    pub others: Vec<tera::Value>,
}

impl<'a> PageView<'a> {
    /// A standalone page, or a post without its neighbours; `content` is its body's HTML (as
    /// [`crate::content::Html::get`] shares it).
    pub fn new(linker: &Linker, meta: &'a PostMeta, p: &'a Page, content: tera::Value) -> Self {
        let (category, tags) = meta.term_values();
        PageView {
            kind: match p.kind {
                PageKind::Post => "post",
                PageKind::Standalone => "page",
            },
            title: &p.title,
            slug: &p.slug,
            url: &meta.url,
            permalink: &meta.permalink,
            date: meta.date.as_deref(),
            date_display: meta.date_display.as_deref(),
            updated: meta.updated.as_deref(),
            updated_display: meta.updated_display.as_deref(),
            category,
            tags,
            summary: html(&p.summary_html),
            description: &meta.description,
            image: meta.image.as_deref(),
            json_ld: (p.kind == PageKind::Post).then(|| html(&json_ld(linker.config, meta, p))),
            content,
            toc: &p.body.toc,
            toc_html: html(&toc_html(&p.body.toc)),
            reading_time: p.body.reading_time,
            word_count: p.body.word_count,
            comments: p
                .comments
                .iter()
                .map(|c| CommentView {
                    author: &c.author,
                    date: rfc3339_numeric_offset(&c.date),
                    date_display: linker.date(&c.date),
                    body: html(&c.body_html),
                })
                .collect(),
            comment_count: p.comments.len(),
            draft: p.draft,
            extra: &p.extra,
            prev: None,
            next: None,
            others: Vec::new(),
        }
    }

    /// Post `i` of the site, with its category neighbours as `link` gives each (a
    /// [`LinkView`] value); `content` is its body's HTML (as [`crate::content::Html::get`]
    /// shares it).
    pub fn post<E>(
        linker: &Linker,
        meta: &'a PostMeta,
        site: &'a Site,
        i: usize,
        content: tera::Value,
        link: impl Fn(usize) -> Result<tera::Value, E>,
    ) -> Result<Self, E> {
        let n = &site.neighbours[i];
        Ok(PageView {
            prev: n.prev.map(&link).transpose()?,
            next: n.next.map(&link).transpose()?,
            others: n
                .others
                .iter()
                .map(|&j| link(j))
                .collect::<Result<_, E>>()?,
            ..PageView::new(linker, meta, &site.posts[i], content)
        })
    }
}

/// `paginator` of home, category and tag pages.
#[derive(Serialize)]
pub struct PaginatorView {
    /// [`EntryView`]s, as cached Tera values.
    pub pages: Vec<tera::Value>,
    pub current: usize,
    pub number_pagers: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
}

/// A month of the archive, its posts newest first.
#[derive(Serialize)]
pub struct MonthView<'a> {
    pub month: u32,
    pub count: usize,
    pub posts: Vec<LinkView<'a>>,
}

/// A year of the archive, its months newest first.
#[derive(Serialize)]
pub struct YearView<'a> {
    pub year: i32,
    pub count: usize,
    pub months: Vec<MonthView<'a>>,
}

/// `archive`: every post by year and month, newest first.
pub fn archive<'a>(meta: impl Fn(usize) -> &'a PostMeta, site: &'a Site) -> Vec<YearView<'a>> {
    use chrono::Datelike;
    let mut years: Vec<YearView> = Vec::new();
    for (i, p) in site.posts.iter().enumerate() {
        let meta = meta(i);
        let Some(d) = p.date else { continue };
        if years.last().is_none_or(|y| y.year != d.year()) {
            years.push(YearView {
                year: d.year(),
                count: 0,
                months: Vec::new(),
            });
        }
        let Some(year) = years.last_mut() else {
            continue;
        };
        year.count += 1;
        if year.months.last().is_none_or(|m| m.month != d.month()) {
            year.months.push(MonthView {
                month: d.month(),
                count: 0,
                posts: Vec::new(),
            });
        }
        if let Some(month) = year.months.last_mut() {
            month.count += 1;
            month.posts.push(LinkView::new(meta, p));
        }
    }
    years
}
