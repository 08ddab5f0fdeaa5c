//! `ilji init`'s sample post and about page, left as init wrote them, make way for the
//! imported blog: the sample post goes when posts come in, and the about page when the old
//! blog has one. A file the writer changed is never touched.

use std::path::{Path, PathBuf};

use super::{ImportOptions, Post};
use crate::error::{Diagnostic, Error, Result};

/// Removes init's untouched placeholders that `posts` replace (not with `--dry-run`); the
/// notes say which.
pub(super) fn make_way(opts: &ImportOptions, posts: &[Post]) -> Result<Vec<Diagnostic>> {
    let brings_posts = posts.iter().any(|p| p.to.starts_with("content/posts"));
    let brings_about = posts.iter().any(|p| p.to == Path::new("content/about.md"));
    let mut candidates: Vec<PathBuf> = Vec::new();
    if brings_posts {
        let dir = opts.root.join("content/posts");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            candidates.extend(entries.filter_map(|e| {
                let name = e.ok()?.file_name();
                Some(Path::new("content/posts").join(name))
            }));
        }
    }
    if brings_about {
        candidates.push(PathBuf::from("content/about.md"));
    }
    candidates.sort();
    let mut notes = Vec::new();
    for rel in candidates {
        let path = opts.root.join(&rel);
        // A link or a folder is the writer's, whatever it holds.
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        let Some(text) = is_file
            .then(|| std::fs::read_to_string(&path).ok())
            .flatten()
        else {
            continue;
        };
        if !crate::init::is_untouched_sample(&rel, &text) {
            continue;
        }
        if !opts.dry_run {
            std::fs::remove_file(&path).map_err(|e| Error::io(&rel, &e))?;
        }
        notes.push(Diagnostic::new(
            &rel,
            "ilji init's example, never edited, removed to make way for the imported blog",
        ));
    }
    Ok(notes)
}
