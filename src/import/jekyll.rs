//! Jekyll: `_posts/YYYY-MM-DD-name.md` (also below category folders, `cat/_posts/`) become
//! posts, `_drafts/` drafts, Markdown pages at the site's top standalone pages. Old
//! addresses follow Jekyll's rules: `permalink:`, else `_config.yml`'s `permalink` style
//! (`date` by default: `/:categories/:year/:month/:day/:title.html`).

use std::path::{Path, PathBuf};

use crate::yaml::{Mapping, Value};

use super::front_matter::{list, read_front_matter, text};
use super::{
    clean_url, is_markdown, template_syntax_note, Converted, Dialect, Fields, ImportOptions, Post,
};
use crate::content::dates::split_date_prefix;
use crate::error::{Diagnostic, Result};
use crate::slug::slugify;

/// Keys Jekyll uses that mean nothing to ilji once converted.
const DROPPED: [&str; 2] = ["layout", "permalink"];

/// Folders of files a Jekyll site commonly links to; copied into `static/`.
const ASSET_FOLDERS: [&str; 6] = ["assets", "images", "img", "files", "uploads", "media"];

/// Folders of a Jekyll site that hold no writing: its output and its tools' packages.
const NOT_SOURCES: [&str; 3] = ["_site", "node_modules", "vendor"];

/// Top-level Markdown files that are not pages of the blog.
const NOT_PAGES: [&str; 5] = ["index", "README", "readme", "CHANGELOG", "LICENSE"];

pub fn convert(opts: &ImportOptions, skipped: &mut Vec<Diagnostic>) -> Result<Converted> {
    let site = if opts.source.file_name().is_some_and(|n| n == "_posts") {
        opts.source.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        opts.source.clone()
    };
    let mut reads = vec!["_config.yml"];
    reads.extend(ASSET_FOLDERS);
    super::check_source_inside(&site, &reads)?;
    let style = permalink_style(&site);
    let mut posts = Vec::new();
    for (_, rel) in crate::fsutil::files_below_skipping(&site, &NOT_SOURCES)? {
        let rel = PathBuf::from(rel);
        if !is_markdown(&rel) {
            continue;
        }
        let dirs: Vec<String> = rel
            .parent()
            .unwrap_or(Path::new(""))
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let kind = if let Some(i) = dirs.iter().position(|d| d == "_posts") {
            Kind::Post {
                categories: dirs[..i].to_vec(),
            }
        } else if dirs.first().is_some_and(|d| d == "_drafts") {
            Kind::Draft
        } else if dirs.is_empty() {
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if NOT_PAGES.contains(&stem.as_str()) {
                continue;
            }
            Kind::Page
        } else {
            continue;
        };
        match convert_one(&site, &rel, kind, &style) {
            Ok(Some(post)) => posts.push(post),
            Ok(None) => {}
            Err(e) => skipped.extend(e.diagnostics),
        }
    }
    let mut statics = Vec::new();
    for folder in ASSET_FOLDERS {
        let dir = site.join(folder);
        if dir.is_dir() {
            for (abs, rel) in crate::fsutil::files_below(&dir)? {
                statics.push((abs, Path::new("static").join(folder).join(rel)));
            }
        }
    }
    Ok((posts, statics))
}

enum Kind {
    /// With the categories given by the folders above `_posts/`.
    Post {
        categories: Vec<String>,
    },
    Draft,
    Page,
}

fn convert_one(site: &Path, rel: &Path, kind: Kind, style: &str) -> Result<Option<Post>> {
    let (mut front, body) = read_front_matter(&site.join(rel), rel)?;
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (name_date, name) = match split_date_prefix(&stem) {
        Some((d, rest)) => (Some(d.format("%Y-%m-%d").to_string()), rest.to_owned()),
        None => (None, stem.clone()),
    };
    let mut notes = Vec::new();
    let mut fields = known_fields(&mut front, &kind, name_date);
    let permalink = front.remove("permalink").as_ref().and_then(text);
    for k in DROPPED {
        front.remove(k);
    }
    fields.rest = front;
    if fields.title.is_none() {
        // Jekyll's own rule: the title comes from the file name.
        fields.title = Some(name.replace('-', " "));
        notes.push("had no title; took it from the file name".to_owned());
    }
    if matches!(kind, Kind::Draft) && fields.date.is_none() {
        // As `jekyll build --drafts` does: a draft is dated by its file's modification time.
        let modified = std::fs::metadata(site.join(rel))
            .and_then(|m| m.modified())
            .ok();
        if let Some(t) = modified {
            let t: chrono::DateTime<chrono::Utc> = t.into();
            fields.date = Some(t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string());
            notes.push("a draft without a date; dated by the file's modification time".to_owned());
        }
    }

    let is_page = matches!(kind, Kind::Page);
    let old = match (&permalink, &kind) {
        (Some(p), _) => Some(p.clone()),
        // Drafts were never published: no old address to keep.
        (None, Kind::Draft) => None,
        (None, Kind::Page) => Some(if style.ends_with('/') {
            format!("/{name}/")
        } else {
            format!("/{name}.html")
        }),
        (None, Kind::Post { .. }) => Some(expand(style, &fields, &name)),
    };
    fields.keep_old_address(old.as_deref(), !is_page, &name);
    if let Some(n) = template_syntax_note(&body, Dialect::Jekyll) {
        notes.push(n);
    }

    let to = if is_page {
        Path::new("content").join(format!("{name}.md"))
    } else {
        post_destination(&stem, &name, fields.date.as_deref())
    };
    Ok(Some(Post {
        source: site.join(rel),
        from: rel.to_path_buf(),
        to,
        front: fields.into_front(&mut notes),
        body,
        assets: Vec::new(),
        notes,
    }))
}

/// The fields ilji knows, taken out of a Jekyll front matter (the rest stays in it); a
/// post's folder categories come first, and the date in its file's name is its date unless
/// the front matter gives one.
fn known_fields(front: &mut Mapping, kind: &Kind, name_date: Option<String>) -> Fields {
    let mut take = |k: &str| front.remove(k);
    let folder_categories = match kind {
        Kind::Post { categories } => categories.clone(),
        _ => Vec::new(),
    };
    let mut categories = folder_categories;
    categories.extend(list(take("category").as_ref(), false));
    categories.extend(list(take("categories").as_ref(), true));
    let mut tags = list(take("tags").as_ref(), true);
    tags.extend(list(take("tag").as_ref(), false));
    let published = take("published")
        .as_ref()
        .and_then(Value::as_bool)
        .unwrap_or(true);
    Fields {
        title: take("title").as_ref().and_then(text),
        date: take("date").as_ref().and_then(text).or(name_date),
        updated: ["last_modified_at", "updated", "modified"]
            .iter()
            .find_map(|k| take(k).as_ref().and_then(text)),
        categories,
        tags,
        slug: take("slug").as_ref().and_then(text),
        summary: take("excerpt")
            .as_ref()
            .and_then(text)
            .or_else(|| take("description").as_ref().and_then(text)),
        draft: !published || matches!(kind, Kind::Draft),
        aliases: list(take("redirect_from").as_ref(), false)
            .iter()
            .map(|a| clean_url(a))
            .collect(),
        rest: Mapping::new(),
    }
}

/// Where a post goes: `content/posts/<stem>.md` when its file name is dated, else with the
/// date of its front matter (if any) before its name.
fn post_destination(stem: &str, name: &str, date: Option<&str>) -> PathBuf {
    let date = date.and_then(|d| d.get(..10)).unwrap_or("");
    let file = if split_date_prefix(stem).is_some() {
        format!("{stem}.md")
    } else if date.is_empty() {
        format!("{name}.md")
    } else {
        format!("{date}-{name}.md")
    };
    Path::new("content/posts").join(file)
}

/// The `permalink` of `_config.yml` as a pattern (Jekyll's named styles expanded).
fn permalink_style(site: &Path) -> String {
    let configured = std::fs::read_to_string(site.join("_config.yml"))
        .ok()
        // Read like a broken one when nested too deep for serde_yaml to read in time.
        .filter(|t| crate::yaml_nesting::too_deep(t, crate::yaml_nesting::MAX_DEPTH).is_none())
        .and_then(|t| crate::yaml::from_str::<Value>(&t).ok())
        .and_then(|v| {
            v.get("permalink")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    match configured.as_deref().unwrap_or("date") {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".to_owned(),
        "pretty" => "/:categories/:year/:month/:day/:title/".to_owned(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".to_owned(),
        "none" => "/:categories/:title:output_ext".to_owned(),
        custom => custom.to_owned(),
    }
}

/// A Jekyll permalink pattern filled in for one post.
fn expand(pattern: &str, f: &Fields, name: &str) -> String {
    let date = f.date.as_deref().unwrap_or("");
    let part = |from: usize, to: usize| date.get(from..to).unwrap_or("").to_owned();
    let unpadded = |s: String| s.trim_start_matches('0').to_owned();
    let y_day = chrono::NaiveDate::parse_from_str(&part(0, 10), "%Y-%m-%d")
        .map(|d| d.format("%j").to_string())
        .unwrap_or_default();
    let categories = f
        .categories
        .iter()
        .map(|c| c.to_lowercase().replace(' ', "-"))
        .collect::<Vec<_>>()
        .join("/");
    let title = f.slug.clone().unwrap_or_else(|| name.to_owned());
    // Longest tokens first, so that `:month` is not read as `:mo…`.
    let tokens: [(&str, String); 12] = [
        (":categories", categories),
        (":output_ext", ".html".to_owned()),
        (":short_year", part(2, 4)),
        (":i_month", unpadded(part(5, 7))),
        (":i_day", unpadded(part(8, 10))),
        (":y_day", y_day),
        (":month", part(5, 7)),
        (":title", title),
        (":slug", slugify(f.slug.as_deref().unwrap_or(name))),
        (":year", part(0, 4)),
        (":day", part(8, 10)),
        (":name", name.to_owned()),
    ];
    let mut out = pattern.to_owned();
    for (token, value) in &tokens {
        out = out.replace(token, value);
    }
    out
}
