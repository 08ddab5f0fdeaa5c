//! Reading `content/`: walking the tree, telling posts, pages, bundles and comment files
//! apart, and parsing each into a [`Page`] in parallel.
//!
//! It does not sort, group or filter pages (that is `site`), and writes nothing.

pub mod comments;
pub mod dates;
pub mod frontmatter;
mod html;
mod images;
pub mod page;
mod quick_yaml;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::fsutil::is_ignored_name;
pub use html::Html;
pub use page::{Page, PageKind};

pub const CONTENT_DIR: &str = "content";
const POSTS_DIR: &str = "posts";
const COMMENTS_SUFFIX: &str = ".comments.yaml";

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Shared from the start: each is put behind its `Arc` on the thread that read it, rather
    /// than all of them moved one by one in a serial step afterwards.
    pub pages: Vec<Arc<Page>>,
    /// Comment files that belong to no post.
    pub warnings: Vec<Diagnostic>,
}

/// The files of `content/` other than Markdown, classified; paths relative to the site root.
#[derive(Debug, Default)]
struct Inventory {
    comments: HashSet<PathBuf>,
    others: Vec<PathBuf>,
}

/// Reads and parses every content file of the site at `root`; all broken files are
/// reported together.
pub fn load(root: &Path, config: &Config) -> Result<Content> {
    // Each Markdown file is read and parsed as soon as the walk finds it, on another thread,
    // while the walk goes on (one core would otherwise wait for it); its comments and bundle
    // files, known once the walk is over, are added after.
    // (Each page behind its `Arc` already: the list holds a pointer, not a whole page.)
    let found: Mutex<Vec<(PathBuf, Result<Arc<Page>>)>> = Mutex::new(Vec::new());
    let inventory = rayon::scope(|scope| {
        walk(root, |source| {
            let found = &found;
            scope.spawn(move |_| {
                let page = page::load(root, &source, None, Vec::new(), config).map(Arc::new);
                lock(found).push((source, page));
            });
        })
    })?;
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    // In path order, as the walk would give them sorted: errors are then reported in order.
    found.par_sort_by_cached_key(|(source, _)| path_order(source));

    let bundles: HashSet<PathBuf> = found
        .iter()
        .filter_map(|(source, _)| bundle_of(source).map(Path::to_path_buf))
        .collect();
    let mut assets: BTreeMap<&Path, Vec<PathBuf>> = BTreeMap::new();
    for file in &inventory.others {
        if let Some(bundle) = file.ancestors().skip(1).find(|a| bundles.contains(*a)) {
            assets.entry(bundle).or_default().push(file.clone());
        }
    }
    // Each file with the comments file it uses, if any.
    let results: Vec<(Result<Arc<Page>>, Option<PathBuf>)> = found
        .into_par_iter()
        .map(|(source, page)| {
            let comments = comments_file_of(&source).filter(|c| inventory.comments.contains(c));
            let page = page.and_then(|mut shared| {
                // (Not shared yet: this makes no copy.)
                let page = Arc::make_mut(&mut shared);
                if let Some(c) = &comments {
                    page.comments = page::load_comments(root, c, config)?;
                }
                page.assets = bundle_of(&source)
                    .and_then(|dir| assets.get(dir))
                    .cloned()
                    .unwrap_or_default();
                Ok(shared)
            });
            (page, comments)
        })
        .collect();

    let mut pages = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut used_comments = HashSet::new();
    for (r, comments) in results {
        used_comments.extend(comments);
        match r {
            Ok(p) => pages.push(p),
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    let mut warnings: Vec<Diagnostic> = inventory
        .comments
        .iter()
        .filter(|c| !used_comments.contains(*c))
        .map(|c| {
            Diagnostic::new(c, "this comments file belongs to no post and is ignored")
                .help("name it after its post: `<post file name without .md>.comments.yaml`")
        })
        .collect();
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Content { pages, warnings })
}

/// A lock that a panic elsewhere cannot poison for good (what it guards is pushed whole).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Re-reads one content file (`source`, relative to `root`) with its comments file and, for a
/// bundle, the files beside it; `None` when the file no longer exists.
pub fn load_one(root: &Path, source: &Path, config: &Config) -> Result<Option<Page>> {
    if !root.join(source).is_file() {
        return Ok(None);
    }
    let comments = comments_file_of(source).filter(|c| root.join(c).is_file());
    let mut assets = Vec::new();
    if let Some(dir) = bundle_of(source) {
        for (_, rel) in crate::fsutil::files_below(&root.join(dir))? {
            let path = dir.join(&rel);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !name.ends_with(".md") && !name.ends_with(COMMENTS_SUFFIX) {
                assets.push(path);
            }
        }
    }
    page::load(root, source, comments.as_deref(), assets, config).map(Some)
}

/// The content file a changed path belongs to: itself for Markdown, the post for its comments
/// file, the bundle's `index.md` for a file beside it; `None` for anything else.
pub fn owner_of(root: &Path, changed: &Path) -> Option<PathBuf> {
    let name = changed.file_name()?.to_str()?;
    if !changed.starts_with(CONTENT_DIR) {
        return None;
    }
    if name.ends_with(".md") {
        return Some(changed.to_path_buf());
    }
    if let Some(stem) = name.strip_suffix(COMMENTS_SUFFIX) {
        return Some(changed.with_file_name(format!("{stem}.md")));
    }
    changed
        .ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(CONTENT_DIR))
        .map(|a| a.join("index.md"))
        .find(|index| is_post(index) && root.join(index).is_file())
}

/// Walks `content/` into an [`Inventory`]; each Markdown file goes to `markdown` as it is
/// found (and not into the inventory).
fn walk(root: &Path, mut markdown: impl FnMut(PathBuf)) -> Result<Inventory> {
    let dir = root.join(CONTENT_DIR);
    let mut inv = Inventory::default();
    if !dir.is_dir() {
        return Ok(inv);
    }
    // Walked in the file system's order and sorted after, by a key made once per path: walkdir's
    // sort, and comparing paths, take them apart into components at every comparison.
    let entries = WalkDir::new(&dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in entries {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&dir).to_path_buf();
            let io = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("a symbolic link loops"));
            Error::io(&path, &io)
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative_to_root(&dir, entry.path());
        let name = entry.file_name().to_string_lossy();
        if name.ends_with(COMMENTS_SUFFIX) {
            inv.comments.insert(rel);
        } else if name.ends_with(".md") {
            markdown(rel);
        } else {
            inv.others.push(rel);
        }
    }
    inv.others.sort_by_cached_key(|p| path_order(p));
    Ok(inv)
}

/// `path` (found under the content folder `dir`) relative to the site root:
/// `content/posts/x.md`. Cut from its text where it can be, which is cheaper than taking both
/// paths apart into components.
fn relative_to_root(dir: &Path, path: &Path) -> PathBuf {
    if let (Some(d), Some(p)) = (dir.to_str(), path.to_str()) {
        if let Some(rest) = p.strip_prefix(d) {
            if rest.starts_with(std::path::is_separator) {
                return PathBuf::from([CONTENT_DIR, rest].concat());
            }
        }
    }
    let rest = path.strip_prefix(dir).unwrap_or(path);
    Path::new(CONTENT_DIR).join(rest)
}

/// A sort key that puts paths in path order (a folder's files by name, a folder's contents
/// right after its name): the path's bytes, each separator made the smallest byte. Comparing
/// keys then compares the paths component by component, as `Path`'s order does.
fn path_order(path: &Path) -> Vec<u8> {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&b| {
            if std::path::is_separator(char::from(b)) {
                0
            } else {
                b
            }
        })
        .collect()
}

/// Whether `path` (relative to the site root) is under `content/posts/`.
fn is_post(path: &Path) -> bool {
    path.strip_prefix(CONTENT_DIR)
        .is_ok_and(|p| p.starts_with(POSTS_DIR))
}

/// The folder of a post bundle whose `index.md` is `source`; `None` for any other file.
fn bundle_of(source: &Path) -> Option<&Path> {
    // The name first: most posts are files of their own, and it is the cheapest test.
    if source.file_name().is_some_and(|n| n == "index.md") && is_post(source) {
        source.parent()
    } else {
        None
    }
}

/// `x.md` → `x.comments.yaml` beside it.
fn comments_file_of(md: &Path) -> Option<PathBuf> {
    let stem = md.file_stem()?.to_str()?;
    Some(md.with_file_name([stem, COMMENTS_SUFFIX].concat()))
}

#[cfg(test)]
mod tests {
    use super::{path_order, relative_to_root};
    use std::path::{Path, PathBuf};

    #[test]
    fn path_order_is_the_order_of_paths() {
        let mut paths: Vec<PathBuf> = [
            "content/posts/a-b/index.md",
            "content/posts/a/index.md",
            "content/posts/a.md",
            "content/posts/a b.md",
            "content/posts/a/b/c.md",
            "content/posts/가.md",
            "content/posts/A.md",
            "content/about.md",
            "content/posts.md",
            "content/posts/a.b/x.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut by_key = paths.clone();
        by_key.sort_by_cached_key(|p| path_order(p));
        paths.sort();
        assert_eq!(by_key, paths);
    }

    #[test]
    fn paths_are_made_relative_to_the_site_root() {
        for (dir, path) in [
            ("./content", "./content/posts/가.md"),
            ("site/content", "site/content/posts/a/index.md"),
            ("/abs/site/content", "/abs/site/content/about.md"),
        ] {
            let expected = Path::new(path)
                .strip_prefix(Path::new(dir).parent().unwrap())
                .unwrap()
                .to_path_buf();
            assert_eq!(relative_to_root(Path::new(dir), Path::new(path)), expected);
        }
    }
}
