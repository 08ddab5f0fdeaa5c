//! `ilji new`: a new post file with its front matter filled in (title, the date and time now
//! in the site's time zone, category, empty tags, draft), never overwriting one.
//!
//! With `bundle`, the post is a page bundle: `<date>-<slug>/index.md`, its photos beside it.
//!
//! Asking the writer for a category is the command line's job; this only writes.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::error::{Diagnostic, Error, Result};
use crate::slug::slugify;

/// What the new post should say.
#[derive(Debug, Clone)]
pub struct NewPost {
    pub title: String,
    pub category: String,
    pub slug: Option<String>,
    pub draft: bool,
    pub now: DateTime<Utc>,
    /// Write a page bundle, `<date>-<slug>/index.md`, instead of `<date>-<slug>.md`.
    pub bundle: bool,
}

/// Writes `content/posts/<date>-<slug>.md` (or `<date>-<slug>/index.md` for a bundle) in the
/// site at `root`; returns its path (relative to `root`).
pub fn new_post(root: &Path, post: &NewPost) -> Result<PathBuf> {
    let config = Config::load(root)?;
    let slug = match &post.slug {
        Some(given) => slugify(given),
        None => title_slug(&post.title),
    };
    // The file name is `<date>-<slug>.md`: 14 bytes around the slug.
    if slug.len() > crate::site_path::MAX_PART - 14 {
        return Err(Error::usage(
            Diagnostic::new(
                "--slug",
                format!(
                    "this address is {} bytes long, and a file name holds at most {}",
                    slug.len(),
                    crate::site_path::MAX_PART
                ),
            )
            .help("pass a shorter --slug (a Hangul syllable takes 3 bytes)"),
        ));
    }
    if slug.is_empty() {
        return Err(
            Diagnostic::new("--slug", "the title gives an empty address")
                .help("pass an address with --slug, e.g. --slug first-post")
                .into(),
        );
    }
    let now = post.now.with_timezone(&config.timezone);
    let stem = Path::new(CONTENT_DIR)
        .join("posts")
        .join(format!("{}-{slug}", now.format("%Y-%m-%d")));
    let file = stem.with_extension("md");
    let rel = if post.bundle {
        stem.join("index.md")
    } else {
        file.clone()
    };
    // Either form is refused when the other is there: both publish at the same address. A
    // bundle's folder is refused as a post file is: the writer's photos may be in it.
    let taken = [file, stem].into_iter().find(|p| root.join(p).exists());
    if let Some(taken) = taken {
        let edit = if taken.extension().is_some() {
            "the existing file"
        } else {
            "its index.md"
        };
        return Err(
            Diagnostic::new(&taken, "this post already exists; nothing was written")
                .help(format!("pick another address with --slug, or edit {edit}"))
                .into(),
        );
    }
    let path = root.join(&rel);
    let text = format!(
        "---\ntitle: {title}\ndate: {date}\ncategory: {category}\ntags: []\ndraft: {draft}\n---\n\n여기에 글을 쓰세요.\n",
        title = yaml_string(&post.title),
        date = now.format("%Y-%m-%dT%H:%M:%S%:z"),
        category = yaml_string(&post.category),
        draft = post.draft,
    );
    crate::fsutil::write_new(&path, &rel, text.as_bytes())?;
    Ok(rel)
}

/// The longest address a title gives, in bytes (40 Hangul syllables).
const MAX_TITLE_SLUG: usize = 120;

/// The slug of `title`, cut after its last whole word within [`MAX_TITLE_SLUG`] bytes: a long
/// title would give a file name no file system holds, and an address nobody reads.
fn title_slug(title: &str) -> String {
    let slug = slugify(title);
    if slug.len() <= MAX_TITLE_SLUG {
        return slug;
    }
    let mut end = MAX_TITLE_SLUG;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &slug[..end];
    // At a word's end unless that loses more than half of it.
    match cut.rfind('-') {
        Some(i) if i > MAX_TITLE_SLUG / 2 => cut[..i].to_owned(),
        _ => cut.trim_end_matches('-').to_owned(),
    }
}

/// A YAML double-quoted string.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The site's categories, most used first (for the writer to choose from).
pub fn existing_categories(root: &Path) -> Result<Vec<String>> {
    let config = Config::load(root)?;
    let content = crate::content::load(root, &config)?;
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for page in &content.pages {
        if let Some(c) = &page.category {
            *counts.entry(c.clone()).or_default() += 1;
        }
    }
    let mut categories: Vec<(String, usize)> = counts.into_iter().collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(categories.into_iter().map(|(c, _)| c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_give_addresses_cut_at_a_word() {
        assert_eq!(
            title_slug("고객 불만이 기회가 된 순간들"),
            "고객-불만이-기회가-된-순간들"
        );
        let long = "고객 불만이 기회가 된 순간들 ".repeat(10);
        let slug = title_slug(&long);
        assert!(slug.len() <= MAX_TITLE_SLUG, "{slug}");
        assert!(
            slug.ends_with("순간들")
                || slug.ends_with("불만이")
                || slug.ends_with("기회가")
                || slug.ends_with("된")
                || slug.ends_with("고객"),
            "{slug}"
        );
        assert!(slug.len() > MAX_TITLE_SLUG / 2, "{slug}");
        // One word longer than the limit is cut inside it, at a character.
        let word = title_slug(&"가".repeat(100));
        assert_eq!(word, "가".repeat(40));
    }
}
