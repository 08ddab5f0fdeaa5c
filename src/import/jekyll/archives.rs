//! A Jekyll blog's list and feed addresses, for `redirects:` (see `import/redirects.rs`):
//! the feed of jekyll-feed (`/feed.xml`, or its `feed: path:`; its `feed: categories:` at
//! `/feed/<category>.xml`), a feed the site writes itself (a `feed.xml` or `rss.xml` page
//! at its top), and the category and tag pages of jekyll-archives when `_config.yml`
//! configures it (`/category/:name/`, `/tag/:name/` unless its `permalinks:` say otherwise,
//! `:name` slugified as Jekyll does).

use std::path::Path;

use super::slugify::{slugify, Mode};
use crate::import::front_matter::list;
use crate::import::redirects::{
    feed_address, is_published_post, old_front, term_address, Entries, Terms,
};
use crate::import::Post;
use crate::site_path::layout::Taxonomy;
use crate::yaml::{Mapping, Value};

/// The old list and feed addresses of the Jekyll site at `root` for its imported `posts`.
pub(in crate::import) fn old_lists(root: &Path, posts: &[Post]) -> Entries {
    let config = match super::read_config(root) {
        Some(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    };
    let terms = Terms::of(posts);
    let mut entries = Entries::new();
    if !posts.iter().any(is_published_post) {
        return entries;
    }
    let home = feed_address("/");
    let feed = config.get("feed").and_then(Value::as_mapping);
    if uses_jekyll_feed(root, &config) {
        let path = feed
            .and_then(|f| f.get("path"))
            .and_then(Value::as_str)
            .unwrap_or("feed.xml");
        entries.insert(format!("/{}", path.trim_start_matches('/')), home.clone());
        for category in list(feed.and_then(|f| f.get("categories")), false) {
            let slug = crate::slug::slugify(&category);
            let to = feed_address(&term_address(Taxonomy::Category, &slug));
            if let Some((Taxonomy::Category, _)) = terms.page(Taxonomy::Category, &category) {
                entries.insert(format!("/feed/{category}.xml"), to);
            }
        }
    }
    for name in ["feed.xml", "rss.xml"] {
        let text = std::fs::read_to_string(root.join(name)).unwrap_or_default();
        if text.starts_with("---") {
            entries.insert(format!("/{name}"), home.clone());
        }
    }
    if let Some(Value::Mapping(archives)) = config.get("jekyll-archives") {
        archive_pages(archives, posts, &terms, &mut entries);
    }
    entries
}

/// Whether the site uses the jekyll-feed plugin: in `plugins:` (`gems:` before Jekyll 3.5)
/// or in its Gemfile.
fn uses_jekyll_feed(root: &Path, config: &Mapping) -> bool {
    let named = ["plugins", "gems"].iter().any(|k| {
        list(config.get(*k), false)
            .iter()
            .any(|p| p == "jekyll-feed")
    });
    let in_gemfile = |g: String| {
        g.lines()
            .any(|l| l.trim_start().starts_with("gem") && l.contains("jekyll-feed"))
    };
    named || std::fs::read_to_string(root.join("Gemfile")).is_ok_and(in_gemfile)
}

/// jekyll-archives' category and tag pages, when `enabled` names them (or is `all`).
fn archive_pages(archives: &Mapping, posts: &[Post], terms: &Terms, entries: &mut Entries) {
    let enabled = match archives.get("enabled") {
        Some(Value::String(all)) if all == "all" => {
            vec!["categories".to_owned(), "tags".to_owned()]
        }
        other => list(other, false),
    };
    let permalinks = archives.get("permalinks").and_then(Value::as_mapping);
    let permalink = |kind: &str, default: &str| -> String {
        permalinks
            .and_then(|p| p.get(kind))
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    // The archive's `slug_mode` (Jekyll's `default` when unset).
    let mode = match archives.get("slug_mode").and_then(Value::as_str) {
        Some("pretty") => Mode::Pretty,
        _ => Mode::Default,
    };
    let kinds = [
        (
            "categories",
            "category",
            permalink("category", "/category/:name/"),
        ),
        ("tags", "tag", permalink("tag", "/tag/:name/")),
    ];
    for post in posts.iter().filter(|p| is_published_post(p)) {
        let Some(front) = old_front(post) else {
            continue;
        };
        for (plural, kind, pattern) in &kinds {
            if !enabled.iter().any(|e| e == plural) {
                continue;
            }
            for name in post_terms(post, &front, plural) {
                let filed_as = if *kind == "tag" {
                    Taxonomy::Tag
                } else {
                    Taxonomy::Category
                };
                let Some((taxonomy, slug)) = terms.page(filed_as, &name) else {
                    continue;
                };
                let old = pattern
                    .replace(":name", &slugify(&name, mode, false))
                    .replace(":type", kind);
                let old = format!("/{}", old.trim_start_matches('/'));
                entries.insert(old, term_address(taxonomy, &slug));
            }
        }
    }
}

/// A post's categories as Jekyll saw them (the folders above `_posts/`, then `category`
/// and `categories`), or its tags (`tags`, then `tag`).
fn post_terms(post: &Post, front: &Mapping, plural: &str) -> Vec<String> {
    if plural == "tags" {
        let mut tags = list(front.get("tags"), true);
        tags.extend(list(front.get("tag"), false));
        return tags;
    }
    let folders: Vec<String> = post
        .from
        .parent()
        .unwrap_or(Path::new(""))
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .take_while(|d| d != "_posts")
        .collect();
    let mut categories = folders;
    categories.extend(list(front.get("category"), false));
    categories.extend(list(front.get("categories"), true));
    categories
}
