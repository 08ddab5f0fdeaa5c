//! The URL layout of SPEC.md ("URLs and files in public/"): where each thing a site
//! publishes lives, as a site-relative path (`posts/가/`: not encoded, no leading `/`), and
//! which file holds a path. Every module asks here: `content` where a post or page goes,
//! `render` where the list pages, their pagers and the feeds go, `import` which address an
//! imported post will get, `check` and `session` which file a page is.
//!
//! Paths made of names the user wrote (slugs, category names, old addresses) become
//! [`SitePath`]s, which refuse what would leave the output folder, where they are read:
//! `content` checks posts, pages and aliases when it reads their file, `render` a category's
//! or tag's pages when it writes them. It encodes nothing (links are percent-encoded by
//! `render`'s linker) and writes nothing.

use super::{Refusal, SitePath};

/// The first home page.
pub const HOME: &str = "";
/// The archive, by year and month.
pub const ARCHIVE: &str = "archive/";
/// The page a web server shows for an address the site lacks.
pub const NOT_FOUND: &str = "404.html";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The search page, published when the theme has a template for it.
pub const SEARCH_PAGE: &str = "search/";
/// The search index the search page downloads.
pub const SEARCH_INDEX: &str = "search/index.json";

/// The folder of the posts.
const POSTS: &str = "posts/";
/// The name of a list's Atom feed, in the folder of the list's first page.
const FEED: &str = "atom.xml";
/// The file a folder is published as.
pub const FOLDER_FILE: &str = "index.html";

/// The two kinds of terms a post is filed under, each with a folder of pages of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    /// One per post: `/category/<slug>/`.
    Category,
    /// Any number per post: `/tags/<slug>/`.
    Tag,
}

/// A post: `posts/<slug>/`.
pub fn post(slug: &str) -> String {
    [POSTS, slug, "/"].concat()
}

/// A standalone page: `<slug>/`, below the folders (as slugs) its file is in under
/// `content/`: `about/`, `shop/faq/`.
pub fn page(folders: &[String], slug: &str) -> String {
    let mut path = String::with_capacity(slug.len() + 1 + folders.len() * 16);
    for folder in folders {
        path.push_str(folder);
        path.push('/');
    }
    path.push_str(slug);
    path.push('/');
    path
}

/// The first list page of a category or tag: `category/운영-일지/`, `tags/고객/`.
pub fn term(taxonomy: Taxonomy, slug: &str) -> String {
    let folder = match taxonomy {
        Taxonomy::Category => "category/",
        Taxonomy::Tag => "tags/",
    };
    [folder, slug, "/"].concat()
}

/// Page `n` (1-based) of a list whose first page is at `first`: `first` itself, then
/// `<first>page/<n>/`.
pub fn pager(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_owned()
    } else {
        [first, "page/", &n.to_string(), "/"].concat()
    }
}

/// The Atom feed of a list whose first page is at `first`: `atom.xml` for the home page's,
/// `category/<slug>/atom.xml` for a category's.
pub fn feed(first: &str) -> String {
    [first, FEED].concat()
}

/// The list whose Atom feed `path` is (`` for `atom.xml`, `category/<slug>/` for
/// `category/<slug>/atom.xml`), when `path` is one of the feeds the layout places; `None`
/// for any other path. Whether that category exists is the site's to say.
pub fn feed_list(path: &str) -> Option<&str> {
    let first = path.strip_suffix(FEED)?;
    let is_list = first.is_empty()
        || first
            .strip_prefix("category/")
            .and_then(|rest| rest.strip_suffix('/'))
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'));
    is_list.then_some(first)
}

/// The file published for a site-relative path: a folder's `index.html` (`posts/가/` →
/// `posts/가/index.html`, `` → `index.html`), else the path itself.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        [path, FOLDER_FILE].concat()
    } else {
        path.to_owned()
    }
}

/// [`SEARCH_INDEX`] as a [`SitePath`].
pub fn search_index() -> SitePath {
    // A constant of this file, which passes every check.
    SitePath(SEARCH_INDEX.to_owned())
}

impl SitePath {
    /// The file published for this path (see [`output_file`]).
    pub fn file(&self) -> SitePath {
        if self.is_folder() {
            SitePath([self.as_str(), FOLDER_FILE].concat())
        } else {
            self.clone()
        }
    }

    /// An old address from `aliases:` (`/entry/옛-주소`, `123`, `/old.html`,
    /// `/entry/%EC%98%9B`), as the path a web server maps it to: percent-escapes decoded, no
    /// leading `/`, repeated `/` folded, and a trailing `/` unless the last part names a file
    /// a static host serves by its type (see [`FILE_EXTENSIONS`]). `/` is the site's root.
    pub fn from_alias(alias: &str) -> Result<SitePath, Refusal> {
        let decoded = percent_encoding::percent_decode_str(alias.trim())
            .decode_utf8()
            .map_err(|_| Refusal::NotUtf8)?;
        let mut path = String::with_capacity(decoded.len() + 1);
        for part in decoded.split('/').filter(|p| !p.is_empty()) {
            path.push_str(part);
            path.push('/');
        }
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if names_file(last) && !decoded.ends_with('/') {
            path.pop();
        }
        SitePath::new(&path)
    }
}

/// Extensions that make the last part of an old address a file: pages and feeds, which a
/// static host serves as what they are. Any other dot is part of a name (`/entry/Node.js-시작`,
/// `/entry/Vue.js`, `/old.php`): published as a folder, whose `index.html` a host serves for
/// the address without its `/`.
pub const FILE_EXTENSIONS: [&str; 7] = ["html", "htm", "xhtml", "xml", "rss", "atom", "json"];

/// Whether the last part of an address names a file (see [`FILE_EXTENSIONS`]); `.` and
/// `..` are parts to refuse, not file names.
fn names_file(last: &str) -> bool {
    last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.trim_matches('.').is_empty()
            && FILE_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_the_layout_of_the_spec() {
        assert_eq!(post("고객-불만"), "posts/고객-불만/");
        assert_eq!(page(&[], "about"), "about/");
        assert_eq!(
            page(&["shop".into(), "help".into()], "faq"),
            "shop/help/faq/"
        );
        let category = term(Taxonomy::Category, "운영-일지");
        assert_eq!(category, "category/운영-일지/");
        assert_eq!(term(Taxonomy::Tag, "고객"), "tags/고객/");
        assert_eq!(pager(HOME, 1), "");
        assert_eq!(pager(HOME, 2), "page/2/");
        assert_eq!(pager(&category, 3), "category/운영-일지/page/3/");
        assert_eq!(feed(HOME), "atom.xml");
        assert_eq!(feed(&category), "category/운영-일지/atom.xml");
        assert_eq!(search_index().as_str(), SEARCH_INDEX);
        assert_eq!(feed_list("atom.xml"), Some(HOME));
        assert_eq!(feed_list(&feed(&category)), Some(category.as_str()));
        for other in [
            "tags/a/atom.xml",
            "category/atom.xml",
            "category/a/b/atom.xml",
            "x.xml",
        ] {
            assert_eq!(feed_list(other), None, "{other}");
        }
        assert_eq!(SitePath::new(SEARCH_INDEX), Ok(search_index()));
    }

    #[test]
    fn folders_are_published_as_their_index_file() {
        for (path, file) in [
            ("", "index.html"),
            ("posts/고객-불만/", "posts/고객-불만/index.html"),
            ("posts/a/photo.jpg", "posts/a/photo.jpg"),
            ("archive/", "archive/index.html"),
            ("404.html", "404.html"),
            ("...x/", "...x/index.html"),
            ("a..b/", "a..b/index.html"),
        ] {
            assert_eq!(output_file(path), file, "{path}");
            assert_eq!(SitePath::new(path).unwrap().file().as_str(), file, "{path}");
        }
    }

    #[test]
    fn aliases_become_the_paths_web_servers_map_them_to() {
        for (alias, path) in [
            ("/entry/옛-주소", "entry/옛-주소/"),
            ("123", "123/"),
            ("/old.html", "old.html"),
            ("/old.html/", "old.html/"),
            ("//a///b//", "a/b/"),
            ("/entry/%EC%98%9B", "entry/옛/"),
            ("/", ""),
            ("  /a  ", "a/"),
            ("/v1.2/notes", "v1.2/notes/"),
            ("/entry/Node.js-시작", "entry/Node.js-시작/"),
            ("/entry/Vue.js", "entry/Vue.js/"),
            ("/old.php", "old.php/"),
            ("/OLD.HTM", "OLD.HTM"),
            ("/feed.xml", "feed.xml"),
            ("/.html", ".html/"),
        ] {
            assert_eq!(
                SitePath::from_alias(alias).unwrap().as_str(),
                path,
                "{alias}"
            );
        }
        for (alias, refusal) in [
            ("../site.yaml", Refusal::DotPart("..")),
            ("../../../../victim.txt", Refusal::DotPart("..")),
            ("/%2e%2e/%2e%2e/x", Refusal::DotPart("..")),
            ("/a/%2E%2E%2F%2E%2E%2Fx", Refusal::DotPart("..")),
            ("/.", Refusal::DotPart(".")),
            ("/a/..", Refusal::DotPart("..")),
            ("..\\..\\x", Refusal::Backslash),
            ("/a%5c..%5cb", Refusal::Backslash),
            ("/a%00b", Refusal::Nul),
            ("/a\0b", Refusal::Nul),
            ("/%ff", Refusal::NotUtf8),
        ] {
            assert_eq!(SitePath::from_alias(alias), Err(refusal), "{alias:?}");
        }
    }
}
