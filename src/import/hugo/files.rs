//! The files of a Hugo site's content: which folders hold it (`content/`, or one
//! `contentDir` per language), each Markdown file with its language (`index.en.md` is the
//! `en` translation of `index.md`) and the page it translates, and the other files (a
//! bundle's images, or files Hugo publishes as they are). Reads folder listings only.

use std::path::{Component, Path, PathBuf};

use super::config::HugoConfig;
use crate::error::Result;

/// A content folder: its path and the language of its files, when it is a language's own.
#[derive(Debug, Clone)]
pub(super) struct Root {
    pub abs: PathBuf,
    /// As the writer knows it, relative to the site (`content/ko`).
    pub shown: PathBuf,
    pub lang: Option<String>,
}

/// One Markdown file of the content.
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub root: usize,
    /// Relative to its content folder.
    pub rel: PathBuf,
    /// As the writer knows it (`content/ko/post/x/index.md`).
    pub shown: PathBuf,
    pub lang: String,
    /// The file's name without extension and language (`index` for `index.en.md`).
    pub base: String,
}

impl Source {
    /// Whether it is the page of a bundle (`<name>/index.md`, in any language).
    pub fn is_bundle(&self) -> bool {
        self.base == "index" && self.rel.parent().is_some_and(|p| !p.as_os_str().is_empty())
    }

    /// The page it is a translation of: the same path without the language.
    pub fn key(&self) -> PathBuf {
        self.rel.parent().unwrap_or(Path::new("")).join(&self.base)
    }
}

/// What the content folders hold.
pub(super) struct Files {
    pub roots: Vec<Root>,
    pub markdown: Vec<Source>,
    /// Files that are not Markdown: (root, path relative to it).
    pub others: Vec<(usize, PathBuf)>,
}

/// The content folders: each language's `contentDir` (a folder inside the site: one that
/// leads outside it is ignored), and `content` itself unless every language has its own.
pub(super) fn roots(site: &Path, content: &Path, config: &HugoConfig) -> Vec<Root> {
    let mut roots: Vec<Root> = Vec::new();
    let mut all_own = !config.languages.is_empty();
    for lang in &config.languages {
        match lang.content_dir.as_deref().filter(|d| is_inside(d)) {
            Some(dir) => roots.push(Root {
                abs: site.join(dir),
                shown: dir.to_path_buf(),
                lang: Some(lang.key.clone()),
            }),
            None => all_own = false,
        }
    }
    if !all_own {
        let shown = content
            .strip_prefix(site)
            .unwrap_or(Path::new(""))
            .to_path_buf();
        roots.push(Root {
            abs: content.to_path_buf(),
            shown,
            lang: None,
        });
    }
    roots
}

/// A relative path that stays inside the folder it is relative to.
pub(super) fn is_inside(p: &Path) -> bool {
    p.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && p.components().next().is_some()
}

/// Every file of the content folders, Markdown with its language.
pub(super) fn gather(roots: Vec<Root>, config: &HugoConfig) -> Result<Files> {
    let mut files = Files {
        roots: Vec::new(),
        markdown: Vec::new(),
        others: Vec::new(),
    };
    for (index, root) in roots.iter().enumerate() {
        if !root.abs.is_dir() {
            continue;
        }
        for (abs, rel) in crate::fsutil::files_below(&root.abs)? {
            // A language's own folder inside content/ is read as that language's only.
            let elsewhere = roots
                .iter()
                .any(|r| r.lang.is_some() && r.abs != root.abs && abs.starts_with(&r.abs));
            if elsewhere {
                continue;
            }
            let rel = PathBuf::from(rel);
            if !super::super::is_markdown(&rel) {
                files.others.push((index, rel));
                continue;
            }
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (base, suffix) = match stem.rsplit_once('.') {
                Some((b, l)) if config.is_language(&l.to_lowercase()) => {
                    (b.to_owned(), Some(l.to_lowercase()))
                }
                _ => (stem, None),
            };
            let lang = suffix
                .or_else(|| root.lang.clone())
                .unwrap_or_else(|| config.default_language.clone());
            files.markdown.push(Source {
                root: index,
                shown: root.shown.join(&rel),
                rel,
                lang,
                base,
            });
        }
    }
    files.roots = roots;
    Ok(files)
}

impl Files {
    /// The bundles' folders: (root, folder relative to it).
    pub fn bundles(&self) -> Vec<(usize, PathBuf)> {
        self.markdown
            .iter()
            .filter(|s| s.is_bundle())
            .filter_map(|s| Some((s.root, s.rel.parent()?.to_path_buf())))
            .collect()
    }

    /// Whether a file lies inside a bundle without being its page.
    pub fn inside_bundle(&self, src: &Source, bundles: &[(usize, PathBuf)]) -> bool {
        bundles.iter().any(|(root, b)| {
            *root == src.root
                && src.rel.starts_with(b)
                && !(src.is_bundle() && src.rel.parent() == Some(b.as_path()))
        })
    }

    /// How many of the first folders of a page (`folders`, below its root) are sections: the
    /// first always is; one below it when it (and each above it) has an `_index` page.
    pub fn section_depth(&self, src: &Source, folders: &[String]) -> usize {
        let root = &self.roots[src.root].abs;
        let mut depth = usize::from(!folders.is_empty());
        for i in 1..folders.len() {
            let dir = folders[..=i].iter().fold(root.clone(), |p, f| p.join(f));
            let has_index = std::fs::read_dir(&dir).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with("_index.") && super::super::is_markdown(Path::new(&name))
                })
            });
            if !has_index {
                break;
            }
            depth += 1;
        }
        depth
    }
}
