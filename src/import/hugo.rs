//! Hugo: `content/<section>/<name>.md` and page bundles (`<name>/index.md` with its files)
//! become posts, `content/<name>.md` standalone pages; `_index.md` list pages are skipped.
//! Old addresses follow Hugo's rules: `url:`, else the site config's `permalinks` for the
//! section, else `/<section>/<slug or name>/`, lower-cased.

use std::path::{Path, PathBuf};

use crate::yaml::{Mapping, Value};

use super::front_matter::{list, read_front_matter, text};
use super::shortcodes::{self, RefTable, ThemeImages};
use super::{clean_url, is_markdown, Converted, Fields, ImportOptions, Post};
use crate::error::{Diagnostic, Result};
use crate::slug::slugify;

/// Where a Hugo site keeps its configuration, in the order Hugo looks.
const CONFIG_FILES: [&str; 6] = [
    "hugo.toml",
    "config.toml",
    "hugo.yaml",
    "config.yaml",
    "hugo.yml",
    "config.yml",
];

/// Keys Hugo uses that mean nothing to ilji once converted.
const DROPPED: [&str; 4] = ["layout", "type", "weight", "url"];

pub fn convert(opts: &ImportOptions, skipped: &mut Vec<Diagnostic>) -> Result<Converted> {
    let (site, content) = site_and_content(&opts.source);
    let mut reads = vec!["static"];
    reads.extend(CONFIG_FILES);
    if content != opts.source {
        reads.push("content");
    }
    super::check_source_inside(&site, &reads)?;
    let config = HugoConfig::read(&site);
    let mut markdown = Vec::new();
    let mut others = Vec::new();
    for (_, rel) in crate::fsutil::files_below(&content)? {
        let rel = PathBuf::from(rel);
        if is_markdown(&rel) {
            markdown.push(rel);
        } else {
            others.push(rel);
        }
    }

    let bundles: Vec<PathBuf> = markdown
        .iter()
        .filter(|r| r.file_stem().is_some_and(|s| s == "index"))
        .filter_map(|r| r.parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    let mut posts = Vec::new();
    for rel in &markdown {
        let shown = Path::new("content").join(rel);
        let name = rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "_index" {
            skipped.push(
                Diagnostic::new(
                    &shown,
                    "a Hugo list page (_index.md); ilji makes its own lists",
                )
                .help(
                    "if its text matters, move it into a standalone page such as content/about.md",
                ),
            );
            continue;
        }
        let in_bundle = bundles
            .iter()
            .any(|b| rel.starts_with(b) && rel.parent() != Some(b));
        if in_bundle {
            skipped.push(
                Diagnostic::new(
                    &shown,
                    "a Markdown file inside a page bundle, not its index.md",
                )
                .help("merge it into the bundle's index.md if it should be published"),
            );
            continue;
        }
        match convert_one(&content, rel, &shown, &others, &config) {
            Ok(post) => posts.push(post),
            Err(e) => skipped.extend(e.diagnostics),
        }
    }
    let mut statics: Vec<(PathBuf, PathBuf)> = Vec::new();
    // Files in content/ outside bundles are published at their path by Hugo; static/ keeps that.
    for rel in &others {
        if !bundles.iter().any(|b| rel.starts_with(b)) {
            statics.push((content.join(rel), Path::new("static").join(rel)));
        }
    }
    let hugo_static = site.join("static");
    if hugo_static.is_dir() {
        for (abs, rel) in crate::fsutil::files_below(&hugo_static)? {
            statics.push((abs, Path::new("static").join(rel)));
        }
    }
    Ok((posts, statics))
}

/// The Hugo site's folder and its `content/`, from the folder imported (either of them).
pub(super) fn site_and_content(source: &Path) -> (PathBuf, PathBuf) {
    if source.join("content").is_dir() {
        return (source.to_path_buf(), source.join("content"));
    }
    let is_content = source.file_name().is_some_and(|n| n == "content");
    let site = match source.parent() {
        Some(parent) if is_content => parent.to_path_buf(),
        _ => source.to_path_buf(),
    };
    (site, source.to_path_buf())
}

fn convert_one(
    content: &Path,
    rel: &Path,
    shown: &Path,
    others: &[PathBuf],
    config: &HugoConfig,
) -> Result<Post> {
    let (mut front, body) = read_front_matter(&content.join(rel), shown)?;
    let is_bundle = rel.file_stem().is_some_and(|s| s == "index")
        && rel.parent().is_some_and(|p| !p.as_os_str().is_empty());
    // The name Hugo addresses it by: the bundle's folder, else the file's stem.
    let (folder, name) = if is_bundle {
        let dir = rel.parent().unwrap_or(Path::new(""));
        (
            dir.parent().unwrap_or(Path::new("")).to_path_buf(),
            dir.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    } else {
        (
            rel.parent().unwrap_or(Path::new("")).to_path_buf(),
            rel.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    let section = folder
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let is_post = section.is_some();

    let mut fields = known_fields(&mut front);
    let taxonomy_note = config.category_from_taxonomy(&mut front, &mut fields);
    let explicit_url = front.remove("url").as_ref().and_then(text);
    let folder_url = match slash_path(&folder).to_lowercase() {
        f if f.is_empty() => "/".to_owned(),
        f => format!("/{f}/"),
    };
    for alias in list(front.remove("aliases").as_ref(), false) {
        let absolute = if alias.starts_with('/') {
            alias
        } else {
            format!("{folder_url}{alias}")
        };
        fields.aliases.push(clean_url(&absolute));
    }
    for k in DROPPED {
        front.remove(k);
    }
    fields.rest = front;

    let mut notes: Vec<String> = taxonomy_note.into_iter().collect();
    let old = match explicit_url {
        Some(u) => Some(u),
        None => old_address(
            section.as_deref(),
            &config.permalinks,
            &fields,
            &name,
            &folder_url,
        )
        .unwrap_or_else(|note| {
            notes.push(note);
            None
        }),
    };
    fields.keep_old_address(old.as_deref(), is_post, &name);

    let (to, assets) = if !is_post {
        (Path::new("content").join(format!("{name}.md")), Vec::new())
    } else if is_bundle {
        bundle_destination(content, rel, &name, others)
    } else {
        (post_destination(&name, fields.date.as_deref()), Vec::new())
    };
    Ok(Post {
        source: content.join(rel),
        from: shown.to_path_buf(),
        to,
        front: fields.into_front(&mut notes),
        body,
        assets,
        notes,
        comments: None,
        old_category: None,
    })
}

/// Turns the Hugo shortcodes of every post imported from `source` into Markdown, `ref`s
/// into the addresses the posts are published at (so called once they are final), with a
/// note listing what is left as text.
pub(super) fn convert_shortcodes(posts: &mut [Post], source: &Path) {
    let images = theme_images(&site_and_content(source).0);
    let in_content = |p: &Post| {
        p.from
            .strip_prefix("content")
            .unwrap_or(&p.from)
            .to_path_buf()
    };
    let mut refs = RefTable::default();
    for post in posts.iter() {
        let slug = post.front.get("slug").and_then(text);
        let address = super::unique::address_of(&post.to, slug.as_deref());
        refs.insert(&in_content(post), format!("/{address}"));
    }
    let site = shortcodes::Site {
        refs: &refs,
        images: &images,
    };
    for post in posts.iter_mut() {
        let rel = in_content(post);
        let dir = rel.parent().map(slash_path).unwrap_or_default();
        let converted = shortcodes::convert(&post.body, &dir, &site);
        post.notes.extend(converted.note());
        post.body = converted.body;
    }
}

/// The shortcodes of the old site and of its themes (`layouts/shortcodes/<name>.html`) that
/// show an image, the site's own first as Hugo picks them.
fn theme_images(site: &Path) -> ThemeImages {
    let mut folders = vec![site.join("layouts/shortcodes")];
    if let Ok(themes) = std::fs::read_dir(site.join("themes")) {
        let mut themes: Vec<PathBuf> = themes.flatten().map(|e| e.path()).collect();
        themes.sort();
        folders.extend(themes.iter().map(|t| t.join("layouts/shortcodes")));
    }
    let mut images = ThemeImages::new();
    let mut seen = std::collections::HashSet::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".html"))
            else {
                continue;
            };
            if !seen.insert(name.to_owned()) {
                continue;
            }
            let template = std::fs::read_to_string(&path).unwrap_or_default();
            if let Some(shape) = shortcodes::image_shortcode(&template) {
                images.insert(name.to_owned(), shape);
            }
        }
    }
    images
}

/// The fields ilji knows, taken out of a Hugo front matter (the rest stays in it).
fn known_fields(front: &mut Mapping) -> Fields {
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

/// The address Hugo published a page without `url:` at: its section's permalink pattern
/// filled in, else its folder's address and its slug or name. An error is the note for the
/// writer when the pattern cannot be filled in.
fn old_address(
    section: Option<&str>,
    permalinks: &Mapping,
    fields: &Fields,
    name: &str,
    folder_url: &str,
) -> std::result::Result<Option<String>, String> {
    let pattern = section
        .and_then(|s| permalinks.get(s))
        .and_then(Value::as_str);
    match pattern {
        Some(p) => match expand(p, fields, section.unwrap_or(""), name) {
            Some(expanded) => Ok(Some(expanded)),
            None => Err(format!(
                "its old address could not be worked out from the permalink pattern `{p}`; add it to `aliases:` by hand"
            )),
        },
        None => {
            let last = fields.slug.as_deref().unwrap_or(name);
            Ok(Some(format!("{folder_url}{}/", urlize(last))))
        }
    }
}

/// Where a page bundle's post goes (`content/posts/<name>/index.md`), with the bundle's
/// other files beside it.
fn bundle_destination(
    content: &Path,
    rel: &Path,
    name: &str,
    others: &[PathBuf],
) -> (PathBuf, Vec<(PathBuf, PathBuf)>) {
    let dir = rel.parent().unwrap_or(Path::new(""));
    let to_dir = Path::new("content/posts").join(name);
    let assets = others
        .iter()
        .filter(|o| o.starts_with(dir))
        .map(|o| {
            let inner = o.strip_prefix(dir).unwrap_or(o);
            (content.join(o), to_dir.join(inner))
        })
        .collect();
    (to_dir.join("index.md"), assets)
}

/// Where a post of one file goes: `content/posts/<date>-<name>.md`, the date from its front
/// matter unless its name starts with one.
fn post_destination(name: &str, date: Option<&str>) -> PathBuf {
    let date_prefix = date
        .and_then(|d| d.get(..10))
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
    let dated = crate::content::dates::split_date_prefix(name).is_some();
    let file = match (date_prefix, dated) {
        (Some(d), false) => format!("{d}-{name}.md"),
        _ => format!("{name}.md"),
    };
    Path::new("content/posts").join(file)
}

/// What the Hugo site's config file says about its pages' addresses and taxonomies.
struct HugoConfig {
    /// The `permalinks` table: section → pattern.
    permalinks: Mapping,
    /// The front-matter keys of its own taxonomies (`[taxonomies] topic = "topics"` gives
    /// `topics`), besides `tags` and `categories`.
    taxonomies: Vec<String>,
}

impl HugoConfig {
    fn read(site: &Path) -> HugoConfig {
        let config = config_of(site);
        let table = |name: &str| {
            crate::yaml::get_any_case(&config, name)
                .and_then(|v| v.as_mapping().cloned())
                .unwrap_or_default()
        };
        let taxonomies = table("taxonomies")
            .values()
            .filter_map(Value::as_str)
            .filter(|t| !matches!(*t, "tags" | "categories"))
            .map(str::to_owned)
            .collect();
        HugoConfig {
            permalinks: table("permalinks"),
            taxonomies,
        }
    }

    /// A post without categories is filed under the first value of the first of the site's
    /// own taxonomies it has (a blog of `topics:`); the note that says so.
    fn category_from_taxonomy(&self, front: &mut Mapping, fields: &mut Fields) -> Option<String> {
        if !fields.categories.is_empty() {
            return None;
        }
        let (key, values) = self.taxonomies.iter().find_map(|t| {
            let values = list(front.get(t.as_str()), false);
            (!values.is_empty()).then(|| (t.clone(), values))
        })?;
        front.remove(key.as_str());
        fields.categories = values;
        Some(format!(
            "it has no categories: its `{key}:` (a taxonomy of the Hugo site) gives its category"
        ))
    }
}

/// The Hugo site's config file as a map (empty when it has none, or one ilji cannot read).
fn config_of(site: &Path) -> Mapping {
    config_file(site).map(|(_, m)| m).unwrap_or_default()
}

/// The Hugo site's config file and what it holds, when it has one ilji can read.
pub(super) fn config_file(site: &Path) -> Option<(PathBuf, Mapping)> {
    for name in CONFIG_FILES {
        let Ok(text) = std::fs::read_to_string(site.join(name)) else {
            continue;
        };
        let value: Option<Value> = if name.ends_with(".toml") {
            text.parse::<toml::Table>()
                .ok()
                .map(|t| super::front_matter::toml_to_yaml(toml::Value::Table(t)))
        } else {
            crate::yaml::config_value(&text)
        };
        return match value {
            Some(Value::Mapping(m)) => Some((site.join(name), m)),
            _ => None,
        };
    }
    None
}

/// A Hugo permalink pattern filled in for one page; `None` when it uses a token we do not
/// know.
fn expand(pattern: &str, f: &Fields, section: &str, name: &str) -> Option<String> {
    let date = f.date.as_deref().unwrap_or("");
    let part = |from: usize, to: usize| date.get(from..to).unwrap_or("").to_owned();
    let title = urlize(f.title.as_deref().unwrap_or(name));
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let token_len = rest[at + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(rest.len() - at - 1);
        let token = &rest[at + 1..at + 1 + token_len];
        let value = match token {
            "year" => part(0, 4),
            "month" => part(5, 7),
            "day" => part(8, 10),
            "section" => section.to_owned(),
            "sections" => section.to_owned(),
            "title" => title.clone(),
            "slug" => f.slug.as_deref().map_or_else(|| title.clone(), urlize),
            "slugorfilename" | "slugorcontentbasename" => {
                f.slug.as_deref().map_or_else(|| urlize(name), urlize)
            }
            "filename" | "contentbasename" => urlize(name),
            _ => return None,
        };
        out.push_str(&value);
        rest = &rest[at + 1 + token_len..];
    }
    out.push_str(rest);
    Some(out)
}

/// Hugo's `urlize`, near enough: lower-cased, spaces to `-`, Hangul kept.
fn urlize(s: &str) -> String {
    slugify(s)
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
