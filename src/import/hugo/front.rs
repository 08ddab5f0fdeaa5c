//! The front matter of a Hugo page as ilji takes it: the fields ilji knows, a category
//! from the site's own taxonomy, a title for a page without one, and what tells that Hugo
//! would not publish it as the writer's page (an `expiryDate` passed, a theme's search or
//! archives page).

use std::path::Path;

use crate::error::Diagnostic;
use crate::yaml::{Mapping, Value};

use super::super::front_matter::{list, text};
use super::super::Fields;
use super::config::HugoConfig;

/// The page's `publishDate` (taken out of `front`) when it is still to come: Hugo has not
/// published the page yet (unless the config says `buildFuture`).
pub(super) fn publish_date_to_come(front: &mut Mapping) -> Option<String> {
    let date = ["publishDate", "publishdate", "pubdate", "published"]
        .iter()
        .find_map(|k| front.remove(*k).as_ref().and_then(text))?;
    crate::content::dates::parse_date(&date, chrono_tz::UTC)
        .is_some_and(|d| d > chrono::Utc::now())
        .then_some(date)
}

/// Whether the page's `expiryDate` (taken out of `front`) has passed.
pub(super) fn expired(front: &mut Mapping) -> bool {
    let date = ["expiryDate", "expirydate", "unpublishdate", "unpublishDate"]
        .iter()
        .find_map(|k| front.remove(*k).as_ref().and_then(text));
    date.and_then(|d| crate::content::dates::parse_date(&d, chrono_tz::UTC))
        .is_some_and(|d| d < chrono::Utc::now())
}

/// The layout of a page that only a theme's template fills in (`layout: search`,
/// `archives`) when it has no text of its own.
pub(super) fn theme_page(front: &Mapping, body: &str) -> Option<String> {
    let layout = front.get("layout").and_then(Value::as_str)?;
    let known = matches!(layout, "search" | "archives" | "archive");
    (known && body.trim().is_empty()).then(|| layout.to_owned())
}

/// The warning for a theme's page that is not imported, naming its old addresses, which
/// go into `redirects:` leading to ilji's own page `to`.
pub(super) fn theme_page_skipped(
    shown: &Path,
    layout: &str,
    old: &[String],
    to: &str,
) -> Diagnostic {
    Diagnostic::new(
        shown,
        format!("a page the Hugo theme fills in (`layout: {layout}`), with no text of its own; not imported"),
    )
    .help({
        let moved: Vec<&str> = old.iter().map(String::as_str).filter(|o| *o != to).collect();
        if moved.is_empty() {
            format!("ilji publishes its own {to} page at its old address")
        } else {
            format!(
                "ilji publishes its own {to} page; its old addresses ({}) lead there through `redirects:` in site.yaml",
                moved.join(", ")
            )
        }
    })
}

/// Why Hugo did not publish a page at all, when it did not: `headless: true`, or
/// `build.render` (`_build.render`) `never` or `false`.
pub(super) fn unpublished(front: &Mapping) -> Option<&'static str> {
    if front.get("headless").and_then(Value::as_bool) == Some(true) {
        return Some("headless: true");
    }
    let build = ["build", "_build"]
        .iter()
        .find_map(|k| front.get(*k).and_then(Value::as_mapping))?;
    let render = build.get("render")?;
    let never = render
        .as_str()
        .is_some_and(|r| r.eq_ignore_ascii_case("never"))
        || render.as_bool() == Some(false);
    never.then_some("build.render: never")
}

/// The notes of what the site's config changed in a page: a category from its own
/// taxonomy.
pub(super) fn config_notes(
    config: &HugoConfig,
    front: &mut Mapping,
    fields: &mut Fields,
) -> Vec<String> {
    category_from_taxonomy(&config.taxonomies, front, fields)
        .into_iter()
        .collect()
}

/// A title for a page that has none: its first Markdown heading, else its name with
/// spaces for `-` and `_`.
pub(super) fn title_from(body: &str, name: &str) -> String {
    body.lines()
        .find_map(|l| {
            l.strip_prefix('#')
                .map(|h| h.trim_start_matches('#').trim())
        })
        .filter(|h| !h.is_empty())
        .map_or_else(|| name.replace(['-', '_'], " "), str::to_owned)
}

/// The fields ilji knows, taken out of a Hugo front matter (the rest stays in it).
pub(super) fn known_fields(front: &mut Mapping) -> Fields {
    let mut take = |k: &str| front.remove(k);
    Fields {
        title: take("title").as_ref().and_then(text),
        date: ["date", "publishDate", "publishdate", "pubdate", "published"]
            .iter()
            .find_map(|k| take(k).as_ref().and_then(text)),
        updated: ["lastmod", "updated", "modified"]
            .iter()
            .find_map(|k| take(k).as_ref().and_then(text)),
        categories: {
            let mut c = list(take("categories").as_ref(), false);
            c.extend(list(take("category").as_ref(), false));
            c
        },
        tags: list(take("tags").as_ref(), false),
        slug: take("slug").as_ref().and_then(text),
        summary: take("summary")
            .as_ref()
            .and_then(text)
            .or_else(|| take("description").as_ref().and_then(text)),
        draft: take("draft")
            .as_ref()
            .and_then(Value::as_bool)
            .unwrap_or(false),
        aliases: Vec::new(),
        rest: Mapping::new(),
    }
}

/// A post without categories is filed under the first value of the first of the site's
/// own taxonomies it has (a blog of `topics:`); the note that says so.
pub(super) fn category_from_taxonomy(
    taxonomies: &[String],
    front: &mut Mapping,
    fields: &mut Fields,
) -> Option<String> {
    if !fields.categories.is_empty() {
        return None;
    }
    // The site's own taxonomies, not its categories and tags.
    let own = taxonomies
        .iter()
        .filter(|t| !matches!(t.as_str(), "tags" | "categories"));
    let (key, values) = own.into_iter().find_map(|t| {
        let values = list(front.get(t.as_str()), false);
        (!values.is_empty()).then(|| (t.clone(), values))
    })?;
    front.remove(key.as_str());
    fields.categories = values;
    Some(format!(
        "it has no categories: its `{key}:` (a taxonomy of the Hugo site) gives its category"
    ))
}
