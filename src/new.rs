//! `ilji new`: a new post file with its front matter filled in (title, the date and time now
//! in the site's time zone, category, empty tags, draft), never overwriting one.
//!
//! Asking the writer for a category is the command line's job; this only writes.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::error::{Diagnostic, Result};
use crate::slug::slugify;

/// What the new post should say.
#[derive(Debug, Clone)]
pub struct NewPost {
    pub title: String,
    pub category: String,
    pub slug: Option<String>,
    pub draft: bool,
    pub now: DateTime<Utc>,
}

/// Writes `content/posts/<date>-<slug>.md` in the site at `root`; returns its path
/// (relative to `root`).
pub fn new_post(root: &Path, post: &NewPost) -> Result<PathBuf> {
    let config = Config::load(root)?;
    let slug = slugify(post.slug.as_deref().unwrap_or(&post.title));
    if slug.is_empty() {
        return Err(
            Diagnostic::new("--slug", "the title gives an empty address")
                .help("pass an address with --slug, e.g. --slug first-post")
                .into(),
        );
    }
    let now = post.now.with_timezone(&config.timezone);
    let rel = Path::new(CONTENT_DIR)
        .join("posts")
        .join(format!("{}-{slug}.md", now.format("%Y-%m-%d")));
    let path = root.join(&rel);
    if path.exists() {
        return Err(
            Diagnostic::new(&rel, "this post already exists; nothing was written")
                .help("pick another address with --slug, or edit the existing file")
                .into(),
        );
    }
    let text = format!(
        "---\ntitle: {title}\ndate: {date}\ncategory: {category}\ntags: []\ndraft: {draft}\n---\n\n여기에 글을 쓰세요.\n",
        title = yaml_string(&post.title),
        date = now.format("%Y-%m-%dT%H:%M:%S%:z"),
        category = yaml_string(&post.category),
        draft = post.draft,
    );
    crate::output::write_new(&path, &rel, text.as_bytes())?;
    Ok(rel)
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
