//! The template contract: borrowed, serialisable views of the site model. Templates see
//! exactly these fields (README "Templates"); the model itself never reaches Tera.

use chrono::format::{Item, StrftimeItems};
use chrono::DateTime;
use chrono_tz::Tz;
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Page, PageKind};
use crate::markdown::TocEntry;
use crate::site::{Site, Taxon};
use crate::slug::{encode_path, slugify};
use crate::text::decode_entity;

/// Turns site-relative paths into links and dates into text, the same way everywhere.
pub struct Linker<'a> {
    pub config: &'a Config,
    /// The config's base path and origin, taken apart once: every link needs them.
    base_path: &'a str,
    origin: &'a str,
    /// The config's date format, parsed once (checked when the config was read).
    date_items: Vec<Item<'a>>,
}

impl<'a> Linker<'a> {
    pub fn new(config: &'a Config) -> Self {
        Linker {
            config,
            base_path: config.base_path(),
            origin: config.origin(),
            date_items: StrftimeItems::new(&config.date_format).collect(),
        }
    }

    /// Root-relative, percent-encoded: `posts/가/` → `/posts/%EA%B0%80/` (with the base path).
    pub fn url(&self, path: &str) -> String {
        encode_path(&[self.base_path, path].concat())
    }

    /// Absolute: `https://example.org/posts/%EA%B0%80/`.
    pub fn permalink(&self, path: &str) -> String {
        self.absolute_url(&self.url(path))
    }

    /// A link made by [`Linker::url`], made absolute.
    pub fn absolute_url(&self, url: &str) -> String {
        [self.origin, url].concat()
    }

    pub fn date(&self, d: &DateTime<Tz>) -> String {
        d.format_with_items(self.date_items.iter()).to_string()
    }
}

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

fn rfc3339(d: &DateTime<Tz>) -> String {
    d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// What every view of a page shows about it, computed once per build: its links and dates as
/// text, its category and tags as links.
pub struct PostMeta {
    pub url: String,
    pub permalink: String,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub category: Option<Arc<Term>>,
    pub tags: Vec<Arc<Term>>,
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
    fn term_values(&self) -> (Option<&tera::Value>, Vec<&tera::Value>) {
        (
            self.category.as_ref().map(|c| &c.value),
            self.tags.iter().map(|t| &t.value).collect(),
        )
    }

    pub fn new(linker: &Linker, terms: &Terms, p: &Page) -> Self {
        let url = linker.url(&p.path);
        PostMeta {
            permalink: linker.absolute_url(&url),
            url,
            date: p.date.as_ref().map(rfc3339),
            date_display: p.date.as_ref().map(|d| linker.date(d)),
            updated: p.updated.as_ref().map(rfc3339),
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
        format!(
            "{}{}",
            linker.permalink(page_path),
            crate::slug::encode_path(src)
        )
    }
}

/// JSON-LD `BlogPosting` of a post, safe to put inside `<script>`.
fn json_ld(config: &Config, meta: &PostMeta, p: &Page) -> String {
    use super::json::push_string;
    let author = if config.author.is_empty() {
        &config.title
    } else {
        &config.author
    };
    // Written by hand, the fields in alphabetical order as a JSON map prints them; a missing
    // date is `null`, a missing image left out.
    let mut json = String::with_capacity(512 + 2 * meta.description.len());
    json.push_str(r#"{"@context":"https://schema.org","@type":"BlogPosting","author":{"@type":"Person","name":"#);
    push_string(&mut json, author);
    let date = |json: &mut String, key: &str, value: Option<&str>| {
        json.push_str(key);
        match value {
            Some(d) => push_string(json, d),
            None => json.push_str("null"),
        }
    };
    date(
        &mut json,
        r#"},"dateModified":"#,
        meta.updated.as_deref().or(meta.date.as_deref()),
    );
    date(&mut json, r#","datePublished":"#, meta.date.as_deref());
    for (key, value) in [
        (r#","description":"#, Some(meta.description.as_str())),
        (r#","headline":"#, Some(p.title.as_str())),
        (r#","image":"#, meta.image.as_deref()),
        (r#","mainEntityOfPage":"#, Some(meta.permalink.as_str())),
        (r#","url":"#, Some(meta.permalink.as_str())),
    ] {
        if let Some(value) = value {
            json.push_str(key);
            push_string(&mut json, value);
        }
    }
    json.push('}');
    // "</" would end the script element early.
    if json.contains("</") {
        json.replace("</", "<\\/")
    } else {
        json
    }
}

/// The text of an HTML fragment, entities decoded, white space folded, cut at `max` characters.
pub fn plain_text(html: &str, max: usize) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len().min(max.saturating_mul(4)));
    let mut last_space = true;
    let mut count: usize = 0;
    let mut i = 0;
    'text: while i < bytes.len() {
        // Most of a post is a run of bytes that are copied as they are.
        let start = i;
        while i < bytes.len() && !needs_a_look(bytes[i]) {
            i += 1;
        }
        if i > start {
            let run = &html[start..i];
            last_space = false;
            if count.saturating_add(run.len()) < max {
                out.push_str(run);
                // No count is needed without a limit (the search index's whole texts).
                if max != usize::MAX {
                    count += run.chars().count();
                }
            } else {
                for c in run.chars() {
                    out.push(c);
                    count += 1;
                    if count >= max {
                        out.push('…');
                        break 'text;
                    }
                }
            }
            continue;
        }
        let c = match bytes[i] {
            b'<' => {
                i = html[i..].find('>').map_or(bytes.len(), |end| i + end + 1);
                continue;
            }
            b'&' => {
                let (c, skip) = decode_entity(&html[i + 1..]);
                i += 1 + skip;
                c
            }
            _ => {
                let c = html[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                c
            }
        };
        if c.is_whitespace() {
            if last_space {
                continue;
            }
            last_space = true;
            out.push(' ');
        } else {
            last_space = false;
            out.push(c);
        }
        count += 1;
        if count >= max {
            out.push('…');
            break;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether `plain_text` must look at a byte on its own: markup, white space, and the first
/// bytes of the only non-ASCII characters that can be white space (U+0085, U+00A0, U+1680,
/// U+2000–U+205F, U+3000). Hangul (U+AC00–U+D7A3) starts with 0xEA–0xED and passes.
fn needs_a_look(b: u8) -> bool {
    LOOK[usize::from(b)]
}

/// [`needs_a_look`] as a table: one load per byte in the loops that copy text.
static LOOK: [bool; 256] = {
    let mut table = [false; 256];
    let special = *b"<&\t\n\x0B\x0C\r \xC2\xE1\xE2\xE3";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// The folder of category pages, and the kind of a [`Term`].
pub const CATEGORY: &str = "category";
/// The folder of tag pages, and the kind of a [`Term`].
pub const TAG: &str = "tags";

/// The site-relative path of the first list page of a category or tag (`kind` is
/// [`CATEGORY`] or [`TAG`]): `category/운영-일지/`.
pub fn term_path(kind: &str, slug: &str) -> String {
    [kind, "/", slug, "/"].concat()
}

/// A category or a tag as a link, with the same as a Tera value: made once per build and
/// shared by every post that names it (a big blog's posts name tens of thousands).
pub struct Term {
    pub link: TermLink,
    pub value: tera::Value,
}

impl std::ops::Deref for Term {
    type Target = TermLink;

    fn deref(&self) -> &TermLink {
        &self.link
    }
}

/// Every category and tag the posts and pages of a site name, by name as written.
pub struct Terms {
    categories: FxHashMap<String, Arc<Term>>,
    tags: FxHashMap<String, Arc<Term>>,
}

impl Terms {
    pub fn new(linker: &Linker, site: &Site) -> Self {
        let mut terms = Terms {
            categories: FxHashMap::default(),
            tags: FxHashMap::default(),
        };
        for p in site.posts.iter().chain(&site.pages) {
            if let Some(c) = &p.category {
                remember(&mut terms.categories, linker, CATEGORY, c);
            }
            for t in &p.tags {
                remember(&mut terms.tags, linker, TAG, t);
            }
        }
        terms
    }

    fn category(&self, linker: &Linker, name: &str) -> Arc<Term> {
        shared(&self.categories, linker, CATEGORY, name)
    }

    fn tag(&self, linker: &Linker, name: &str) -> Arc<Term> {
        shared(&self.tags, linker, TAG, name)
    }
}

/// Adds the term `name` of `kind` to `map` unless it is there.
fn remember(map: &mut FxHashMap<String, Arc<Term>>, linker: &Linker, kind: &str, name: &str) {
    if !map.contains_key(name) {
        map.insert(name.to_owned(), Arc::new(Term::new(linker, kind, name)));
    }
}

/// The term `name` of `kind` from `map` (made anew for a name the site's pages never gave).
fn shared(
    map: &FxHashMap<String, Arc<Term>>,
    linker: &Linker,
    kind: &str,
    name: &str,
) -> Arc<Term> {
    map.get(name)
        .map_or_else(|| Arc::new(Term::new(linker, kind, name)), Arc::clone)
}

impl Term {
    fn new(linker: &Linker, kind: &str, name: &str) -> Self {
        let link = TermLink::new(linker, kind, name);
        Term {
            value: to_value(&link),
            link,
        }
    }
}

#[derive(Serialize)]
pub struct TermLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

impl TermLink {
    pub fn new(linker: &Linker, kind: &str, name: &str) -> Self {
        let slug = slugify(name);
        TermLink {
            url: linker.url(&term_path(kind, &slug)),
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
    pub fn new(linker: &Linker, kind: &str, t: &'a Taxon) -> Self {
        TermView {
            name: &t.name,
            slug: &t.slug,
            url: linker.url(&term_path(kind, &t.slug)),
            count: t.posts.len(),
        }
    }
}

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
            root: linker.url(""),
            categories: site
                .categories
                .iter()
                .map(|t| TermView::new(linker, "category", t))
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
    /// post (see [`html`]). Absent without it, so that printing it is an error.
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
    /// [`TermLink`]s, as shared Tera values.
    pub category: Option<&'a tera::Value>,
    pub tags: Vec<&'a tera::Value>,
    pub description: &'a str,
    /// HTML (see [`html`]).
    pub summary: tera::Value,
    pub reading_time: usize,
    pub word_count: usize,
    pub comment_count: usize,
    pub draft: bool,
    /// With the theme's entry partial: its HTML of this entry (see [`html`]). Absent without
    /// it, so that printing it is an error.
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

#[derive(Serialize)]
pub struct CommentView<'a> {
    pub author: &'a str,
    pub date: String,
    pub date_display: String,
    /// HTML (see [`html`]).
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
    /// [`TermLink`]s, as shared Tera values.
    pub category: Option<&'a tera::Value>,
    pub tags: Vec<&'a tera::Value>,
    /// HTML (see [`html`]), as are `json_ld` and `content`.
    pub summary: tera::Value,
    pub description: &'a str,
    pub image: Option<&'a str>,
    /// JSON-LD `BlogPosting` (posts only), ready to print inside a script.
    pub json_ld: Option<tera::Value>,
    pub content: tera::Value,
    pub toc: &'a [TocEntry],
    /// `toc` as HTML (see [`toc_html`]).
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
                PageKind::Page => "page",
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
                    date: rfc3339(&c.date),
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

/// A table of contents as HTML: nested `<ol>` lists of links, three levels deep, byte for byte
/// what the default theme's `partials/toc.html` once made of it with three nested loops,
/// at a tenth of the cost. Empty without headings.
pub fn toc_html(toc: &[TocEntry]) -> String {
    if toc.is_empty() {
        return String::new();
    }
    fn item(out: &mut String, indent: &str, e: &TocEntry) {
        out.push_str(indent);
        out.push_str("<li><a href=\"#");
        // Writing into a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut *out, &e.id);
        out.push_str("\">");
        let _ = pulldown_cmark_escape::escape_html(&mut *out, &e.title);
        out.push_str("</a>");
    }
    let mut out = String::with_capacity(128 * (toc.len() + 1));
    out.push_str("<ol>");
    for a in toc {
        item(&mut out, "\n  ", a);
        if !a.children.is_empty() {
            out.push_str("\n    <ol>");
            for b in &a.children {
                item(&mut out, "\n      ", b);
                if !b.children.is_empty() {
                    out.push_str("\n        <ol>");
                    for c in &b.children {
                        item(&mut out, "\n          ", c);
                        out.push_str("</li>");
                    }
                    out.push_str("\n        </ol>");
                }
                out.push_str("\n      </li>");
            }
            out.push_str("\n    </ol>");
        }
        out.push_str("\n  </li>");
    }
    out.push_str("\n</ol>");
    out
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

#[derive(Serialize)]
pub struct MonthView<'a> {
    pub month: u32,
    pub count: usize,
    pub posts: Vec<LinkView<'a>>,
}

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

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn plain_text_drops_tags_decodes_entities_and_folds_white_space() {
        let html = "<h2 id=\"가\">고객 &amp; 응대</h2>\n<p>R&amp;D는 <em>천천히</em>,\u{a0}\u{3000} 꾸준히&lt;3 &quot;끝&quot; &#39;</p>\n";
        assert_eq!(
            plain_text(html, usize::MAX),
            "고객 & 응대 R&D는 천천히, 꾸준히<3 \"끝\" '"
        );
        assert_eq!(plain_text("  <p>  a  b </p>  ", usize::MAX), "a b");
        assert_eq!(plain_text("a &copy; b", usize::MAX), "a &copy; b");
        assert_eq!(plain_text("x > y <br", usize::MAX), "x > y");
        assert_eq!(plain_text("", usize::MAX), "");
    }

    #[test]
    fn plain_text_cuts_at_a_number_of_characters() {
        assert_eq!(plain_text("<p>가나다라마</p>", 3), "가나다…");
        assert_eq!(plain_text("<p>가나</p>", 3), "가나");
        assert_eq!(plain_text("ab cd", 3), "ab …");
        assert_eq!(plain_text("a&amp;b&amp;c", 3), "a&b…");
    }
}
