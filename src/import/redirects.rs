//! The old blog's own list and feed addresses, kept working through `redirects:` in
//! `site.yaml`: Hugo's term pages (`/categories/<term>/`, `/tags/<term>/`, any taxonomy of
//! its config) and their feeds, its lists of all terms (`/tags/`, to ilji's archive), its
//! home and section feeds and section lists; Jekyll's feed
//! (jekyll-feed) and jekyll-archives pages (see `jekyll/archives.rs`). Each leads to the
//! ilji page of the same category or tag (a category that became a tag, to the tag), a feed
//! to the feed.
//!
//! Only addresses that no page, alias, copied file or ilji's own file holds are kept, so the
//! site still builds. It reads the old posts' front matter again (the converted posts no
//! longer tell a category from a tag that was a second category) and writes nothing:
//! `settings.rs` writes the entries into `site.yaml`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::front_matter::{list, read_front_matter, text};
use super::Post;
use crate::site_path::layout::{self, Taxonomy};
use crate::site_path::SitePath;
use crate::slug::slugify;
use crate::yaml::Value;

/// Old address → new address, both written as site paths with their leading `/`.
pub(super) type Entries = BTreeMap<String, String>;

/// What the ilji site publishes for the imported posts' categories and tags, to lead old
/// term addresses to.
pub(super) struct Terms {
    categories: HashSet<String>,
    tags: HashSet<String>,
}

impl Terms {
    /// The category and tag slugs of the imported posts that will be published.
    pub(super) fn of(posts: &[Post]) -> Terms {
        let mut terms = Terms {
            categories: HashSet::new(),
            tags: HashSet::new(),
        };
        for post in posts.iter().filter(|p| is_published_post(p)) {
            if let Some(c) = post.front.get("category").and_then(text) {
                terms.categories.insert(slugify(&c));
            }
            for t in list(post.front.get("tags"), false) {
                terms.tags.insert(slugify(&t));
            }
        }
        terms.categories.remove("");
        terms.tags.remove("");
        terms
    }

    /// The page of the category or tag named `name` (by slug): of the kind the old blog
    /// filed it as (`prefer`) when ilji publishes one, else of the other kind (a category
    /// that became a tag, as a post's second category does).
    pub(super) fn page(&self, prefer: Taxonomy, name: &str) -> Option<(Taxonomy, String)> {
        let slug = slugify(name);
        let other = match prefer {
            Taxonomy::Category => Taxonomy::Tag,
            Taxonomy::Tag => Taxonomy::Category,
        };
        [prefer, other]
            .into_iter()
            .find(|&t| match t {
                Taxonomy::Category => self.categories.contains(&slug),
                Taxonomy::Tag => self.tags.contains(&slug),
            })
            .map(|t| (t, slug))
    }

    /// Whether `path` (site-relative) is a category's or tag's page ilji publishes: its
    /// first page, another page of it or its feed (`category/창업/고객 응대/`, Tistory's
    /// sub-category below it, is not).
    fn publishes(&self, path: &str) -> bool {
        let is = |taxonomy: Taxonomy, slugs: &HashSet<String>| {
            slugs.iter().any(|s| {
                let first = layout::term(taxonomy, s);
                path.strip_prefix(first.as_str()).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with("page/") || rest == "atom.xml"
                })
            })
        };
        is(Taxonomy::Category, &self.categories) || is(Taxonomy::Tag, &self.tags)
    }
}

/// Whether a converted post is a post that will be published (not a page, not a draft).
pub(super) fn is_published_post(post: &Post) -> bool {
    post.to.starts_with("content/posts") && post.front.get("draft") != Some(&Value::Bool(true))
}

/// `/<first page>` of a term's list: `/category/<slug>/`, `/tags/<slug>/`.
pub(super) fn term_address(taxonomy: Taxonomy, slug: &str) -> String {
    ["/", &layout::term(taxonomy, slug)].concat()
}

/// `/<feed>` of a list whose first page is `first` (`/`, `/category/<slug>/`).
pub(super) fn feed_address(first: &str) -> String {
    ["/", &layout::feed(first.trim_start_matches('/'))].concat()
}

/// The front matter of the old file of `post`, as its engine read it.
pub(super) fn old_front(post: &Post) -> Option<crate::yaml::Mapping> {
    read_front_matter(&post.source, &post.from)
        .ok()
        .map(|(front, _)| front)
}

/// Hugo's old list and feed addresses for the imported `posts` of the Hugo site at `site`.
fn hugo(site: &Path, posts: &[Post]) -> Entries {
    let (lower, taxonomies) = super::hugo::list_addressing(site);
    let terms = Terms::of(posts);
    let mut entries = Entries::new();
    let home = feed_address("/");
    for post in posts.iter().filter(|p| is_published_post(p)) {
        entries.insert("/index.xml".to_owned(), home.clone());
        if let Some(section) = hugo_section(&post.from) {
            let section = urlize(&section, lower);
            entries.insert(format!("/{section}/"), "/".to_owned());
            entries.insert(format!("/{section}/index.xml"), home.clone());
        }
        let Some(front) = old_front(post) else {
            continue;
        };
        for taxonomy in &taxonomies {
            let listed = list(front.get(taxonomy.as_str()), false);
            if !listed.is_empty() {
                // The list of all its terms: ilji's nearest is the archive of every post.
                let all = format!("/{}/", urlize(taxonomy, lower));
                entries.insert(all, ["/", layout::ARCHIVE].concat());
            }
            for term in listed {
                let filed_as = if taxonomy == "tags" {
                    Taxonomy::Tag
                } else {
                    Taxonomy::Category
                };
                let Some((kind, slug)) = terms.page(filed_as, &term) else {
                    continue;
                };
                let old = format!("/{}/{}/", urlize(taxonomy, lower), urlize(&term, lower));
                let new = term_address(kind, &slug);
                if kind == Taxonomy::Category {
                    entries.insert(format!("{old}index.xml"), feed_address(&new));
                }
                entries.insert(old, new);
            }
        }
    }
    entries
}

/// Tistory's list addresses, which a blog on its own domain keeps: its feed `/rss`, each
/// category `/category/상위/하위` and the ones above it (`/category/상위`, now a tag), and
/// each tag `/tag/<tag>`, written as Tistory writes them (spaces and all).
fn tistory(posts: &[Post]) -> Entries {
    let terms = Terms::of(posts);
    let mut entries = Entries::new();
    for post in posts.iter().filter(|p| is_published_post(p)) {
        entries.insert("/rss".to_owned(), feed_address("/"));
        let old = post.old_category.as_deref().unwrap_or_default();
        let parts: Vec<&str> = old
            .split('/')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        for (i, name) in parts.iter().enumerate() {
            if let Some((kind, slug)) = terms.page(Taxonomy::Category, name) {
                let old = format!("/category/{}", parts[..=i].join("/"));
                entries.insert(old, term_address(kind, &slug));
            }
        }
        for tag in list(post.front.get("tags"), false) {
            if let Some((kind, slug)) = terms.page(Taxonomy::Tag, &tag) {
                entries.insert(format!("/tag/{tag}"), term_address(kind, &slug));
            }
        }
    }
    entries
}

/// The section of a Hugo post (`content/posts/x.md` → `posts`), the first folder below
/// `content/`.
fn hugo_section(from: &Path) -> Option<String> {
    let inner = from.strip_prefix("content").unwrap_or(from);
    let mut parts = inner.components();
    let first = parts.next()?;
    // A file right in content/ has no section.
    parts.next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

/// Hugo's `urlize` of a term, as Hugo 0.1xx publishes it: each white-space character
/// becomes `-`, letters, digits, marks and `. / \ _ # + ~ - @` (and `%XX` escapes) stay, the
/// rest goes; lower-cased unless the site sets `disablePathToLower`. (Checked with Hugo
/// 0.168: `C++ & Rust!` → `c++--rust`, `a, b` → `a-b`, `(괄호) 안` → `괄호-안`.)
pub(super) fn urlize(term: &str, lower: bool) -> String {
    let chars: Vec<char> = term.chars().collect();
    let mut out = String::with_capacity(term.len());
    for (i, &c) in chars.iter().enumerate() {
        let escape = c == '%'
            && chars.get(i + 1).is_some_and(char::is_ascii_hexdigit)
            && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit);
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || is_mark(c) || escape || ".\\/_#+~-@".contains(c) {
            out.push(c);
        }
    }
    if lower {
        out.to_lowercase()
    } else {
        out
    }
}

/// Whether `c` is a combining mark (Hangul jamo written decomposed come with none; accents
/// do).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{20d0}'..='\u{20ff}')
}

/// The old list and feed addresses of the blog at `source` for its imported `posts`, each
/// leading to its new address, except those where something else is published: a page or
/// alias, ilji's own file (`taken`), a copied file (`statics`, destinations under `static/`).
pub(super) fn old_lists(
    source: &Path,
    dialect: super::Dialect,
    posts: &[Post],
    own_pages: Entries,
    held: &Held,
) -> Entries {
    let mut entries = match dialect {
        super::Dialect::Hugo => hugo(&super::hugo::site_and_content(source).0, posts),
        super::Dialect::Jekyll => {
            super::jekyll::archives::old_lists(&super::jekyll::site_root(source), posts)
        }
        super::Dialect::Tistory => tistory(posts),
    };
    entries.extend(own_pages);
    publishable(entries, posts, held)
}

/// What else holds an address in the site being made: pages, aliases, ilji's own files
/// (`taken`), and the copied files (`statics`, destinations under `static/`).
pub(super) struct Held<'a> {
    pub(super) taken: &'a super::unique::Taken,
    pub(super) statics: &'a [(PathBuf, PathBuf)],
}

/// The entries that can be published: old and new addresses inside the site, the old one
/// not where the new one is, nor where a page, an alias, a copied file, ilji's own file or
/// one of ilji's category and tag pages is (`posts`: the imported posts).
fn publishable(entries: Entries, posts: &[Post], held: &Held) -> Entries {
    let terms = Terms::of(posts);
    let statics: HashSet<String> = held
        .statics
        .iter()
        .map(|(_, to)| {
            let inner = to.strip_prefix("static").unwrap_or(to);
            inner.to_string_lossy().replace('\\', "/")
        })
        .collect();
    let mut seen = HashSet::new();
    entries
        .into_iter()
        .filter(|(old, new)| {
            let (Ok(from), Ok(to)) = (SitePath::from_alias(old), SitePath::from_alias(new)) else {
                return false;
            };
            from != to
                && !held.taken.holds(&from)
                && !statics.contains(&layout::output_file(&from))
                && !terms.publishes(&from)
                && seen.insert(from)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::urlize;

    #[test]
    fn terms_are_urlized_as_hugo_publishes_them() {
        // What Hugo 0.168 published for these terms.
        for (term, url) in [
            ("맛집 이야기", "맛집-이야기"),
            ("C++ & Rust!", "c++--rust"),
            ("a - b", "a---b"),
            ("a,b", "ab"),
            ("(괄호) 안", "괄호-안"),
            ("  spaced  ", "--spaced--"),
            ("100%", "100"),
            ("%41x", "%41x"),
            ("e#f", "e#f"),
            ("x/y", "x/y"),
            ("a@b~c", "a@b~c"),
            ("tab\there", "tab-here"),
            ("Ünïcode", "ünïcode"),
        ] {
            assert_eq!(urlize(term, true), url, "{term}");
        }
        assert_eq!(urlize("Dev Ops", false), "Dev-Ops");
    }
}
