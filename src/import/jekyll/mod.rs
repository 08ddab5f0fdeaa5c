//! Jekyll: `_posts/YYYY-MM-DD-name.md` (also below category folders, `cat/_posts/`) become
//! posts, `_drafts/` drafts, Markdown pages at the site's top standalone pages. A post's
//! old address is computed as Jekyll 4 does (`permalink.rs`, with its slugs in
//! `slugify.rs` and its reading of dates in `date.rs`) and kept as an alias.

pub(super) mod archives;
mod date;
mod defaults;
mod folders;
mod include;
mod permalink;
mod slugify;

use std::path::{Path, PathBuf};

use chrono::DateTime;
use chrono_tz::Tz;

use crate::yaml::{Mapping, Value};

use super::front_matter::{list, read_front_matter, text};
use super::{clean_url, is_markdown, Converted, Fields, ImportOptions, Post};
use crate::error::{Diagnostic, Result};

/// Keys Jekyll uses that mean nothing to ilji once converted.
const DROPPED: [&str; 2] = ["layout", "permalink"];

/// Folders of files a Jekyll site commonly links to; copied into `static/`.
const ASSET_FOLDERS: [&str; 6] = ["assets", "images", "img", "files", "uploads", "media"];

/// Folders of a Jekyll site that hold no writing: its output and its tools' packages.
const NOT_SOURCES: [&str; 3] = ["_site", "node_modules", "vendor"];

/// Top-level Markdown files that are not pages of the blog.
const NOT_PAGES: [&str; 5] = ["index", "README", "readme", "CHANGELOG", "LICENSE"];

/// What of `_config.yml` the addresses depend on.
struct Site {
    root: PathBuf,
    /// The template of the posts' addresses (see [`permalink::posts_template`]).
    posts_template: String,
    /// Whether pages end in `/` (the `pretty` style, or a pattern ending in `/`).
    pretty_pages: bool,
    /// `timezone:`, in which Jekyll reads dates; UTC without one, as GitHub Pages builds.
    timezone: Tz,
    /// `defaults:`, whose values a post's address may take.
    defaults: defaults::Defaults,
    /// `exclude:`, what Jekyll leaves out (see [`folders::excluded`]).
    exclude: Vec<String>,
}

/// The Jekyll site's folder: `source`, or the folder around it when it is `_posts/`.
pub(super) fn site_root(source: &Path) -> PathBuf {
    if source.file_name().is_some_and(|n| n == "_posts") {
        source.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        source.to_path_buf()
    }
}

/// The site's `_config.yml`, when it has one ilji can read.
pub(super) fn read_config(root: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(root.join("_config.yml")).ok()?;
    crate::yaml::config_value(&text)
}

pub fn convert(opts: &ImportOptions, skipped: &mut Vec<Diagnostic>) -> Result<Converted> {
    let root = site_root(&opts.source);
    let mut reads = vec!["_config.yml"];
    reads.extend(ASSET_FOLDERS);
    super::check_source_inside(&root, &reads)?;
    let site = read_site(root);
    let mut posts = Vec::new();
    for (_, rel) in crate::fsutil::files_below_skipping(&site.root, &NOT_SOURCES)? {
        if folders::excluded(&rel, &site.exclude) {
            continue;
        }
        let rel = PathBuf::from(rel);
        if !is_markdown(&rel) {
            continue;
        }
        let Some(kind) = kind_of(&rel) else { continue };
        match convert_one(&site, &rel, kind) {
            Ok(Some(dated)) => posts.push(dated),
            Ok(None) => {}
            Err(e) => skipped.extend(e.diagnostics),
        }
    }
    let mut statics = Vec::new();
    for folder in ASSET_FOLDERS {
        let dir = site.root.join(folder);
        if dir.is_dir() {
            for (abs, rel) in crate::fsutil::files_below(&dir)? {
                if folders::excluded(&format!("{folder}/{rel}"), &site.exclude) {
                    continue;
                }
                statics.push((abs, Path::new("static").join(folder).join(rel)));
            }
        }
    }
    let mut posts = drop_shadowed_aliases(posts);
    convert_liquid(&site.root, &mut posts);
    let mut skip = ASSET_FOLDERS.to_vec();
    skip.extend(NOT_SOURCES);
    let linked = folders::linked_folders(&site.root, &posts, &skip);
    let names: Vec<&str> = linked.iter().map(String::as_str).collect();
    super::check_source_inside(&site.root, &names)?;
    for folder in names {
        for (abs, rel) in crate::fsutil::files_below(&site.root.join(folder))? {
            let published = !folders::excluded(&format!("{folder}/{rel}"), &site.exclude);
            if published && folders::is_plain_file(&abs) {
                statics.push((abs, Path::new("static").join(folder).join(rel)));
            }
        }
    }
    Ok((posts, statics, Default::default()))
}

/// Converts the Liquid of every body (`liquid.rs`), with `{% post_url %}` and `{% link %}`
/// pointing at the posts' (and pages') new addresses and `{% include_relative %}` reading
/// files of the old blog at `root` (`include.rs`); what is left is noted per post.
fn convert_liquid(root: &Path, posts: &mut [Post]) {
    let mut addresses: Vec<(String, Option<String>)> = posts
        .iter()
        .map(|p| {
            let stem = p.to.file_stem().unwrap_or_default().to_string_lossy();
            let slug = p.front.get("slug").and_then(Value::as_str);
            let from = p.from.to_string_lossy().replace('\\', "/");
            let url = if p.to.starts_with("content/posts") {
                super::new_post_url(slug, &stem)
            } else {
                let slug = crate::slug::slugify(slug.unwrap_or(&stem));
                ["/", &crate::site_path::layout::page(&[], &slug)].concat()
            };
            (from, Some(url))
        })
        .collect();
    // Posts that would share a new address get another one later (`unique.rs`), not known
    // yet: a link to one of them goes to its old address, whose redirect leads to it.
    let shared: Vec<bool> = addresses
        .iter()
        .map(|(_, a)| {
            let a = a.as_deref().unwrap_or_default().to_lowercase();
            addresses
                .iter()
                .filter(|(_, b)| b.as_deref().unwrap_or_default().to_lowercase() == a)
                .count()
                > 1
        })
        .collect();
    for ((from, url), shared) in addresses.iter_mut().zip(shared) {
        if shared {
            let post = posts
                .iter()
                .find(|p| p.from.to_string_lossy().replace('\\', "/") == *from);
            *url = post.and_then(|p| match p.front.get("aliases") {
                Some(Value::Sequence(a)) => a.first().and_then(Value::as_str).map(str::to_owned),
                _ => None,
            });
        }
    }
    let address = |target: &str| -> Option<String> {
        let target = target
            .trim()
            .trim_matches(['"', '\''])
            .trim_start_matches('/');
        let post = addresses.iter().find_map(|(from, url)| {
            // `{% link %}` names the file from the site's root; `{% post_url %}` names it
            // below `_posts/`, without its extension.
            let below = from
                .rsplit_once("_posts/")
                .map_or(from.as_str(), |(_, b)| b);
            let bare = below.rsplit_once('.').map_or(below, |(b, _)| b);
            (from == target || bare == target).then(|| url.clone())
        });
        if let Some(found) = post {
            return found;
        }
        // A file of a copied asset folder keeps its address.
        let asset = || {
            let folder = target.split('/').next().unwrap_or_default();
            (ASSET_FOLDERS.contains(&folder) && target.contains('/')).then(|| format!("/{target}"))
        };
        asset()
    };
    let include = |dir: &Path, target: &str| include::read_relative(root, dir, target);
    let include_file = |name: &str| include::read_include(root, name);
    let config = read_config(root);
    let sources = super::liquid::Sources {
        address: &address,
        include: &include,
        include_file: &include_file,
        site: config.as_ref().and_then(Value::as_mapping),
    };
    for post in posts.iter_mut() {
        let dir = post.from.parent().unwrap_or(Path::new(""));
        let converted = super::liquid::convert(&post.body, dir, &post.front, &sources);
        post.body = converted.body;
        post.notes.extend(converted.notes);
        post.notes.extend(super::liquid::left_note(&converted.left));
    }
}

enum Kind {
    /// With the categories given by the folders above `_posts/`.
    Post {
        categories: Vec<String>,
    },
    Draft,
    Page,
}

/// What a Markdown file of the site is by its place; `None` for one that is not imported.
fn kind_of(rel: &Path) -> Option<Kind> {
    let dirs: Vec<String> = rel
        .parent()
        .unwrap_or(Path::new(""))
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(i) = dirs.iter().position(|d| d == "_posts") {
        Some(Kind::Post {
            categories: dirs[..i].to_vec(),
        })
    } else if dirs.first().is_some_and(|d| d == "_drafts") {
        Some(Kind::Draft)
    } else if dirs.is_empty() {
        let stem = rel
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        (!NOT_PAGES.contains(&stem.as_ref())).then_some(Kind::Page)
    } else {
        None
    }
}

/// A post and the instant Jekyll gave it (the order in which Jekyll wrote the posts).
type Dated = (Post, Option<DateTime<Tz>>);

fn convert_one(site: &Site, rel: &Path, kind: Kind) -> Result<Option<Dated>> {
    let (mut front, body) = read_front_matter(&site.root.join(rel), rel)?;
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file_date = date::file_name_date(&stem);
    let name = file_date.map_or(stem.as_str(), |(_, rest)| rest).to_owned();
    let mut notes = Vec::new();
    let relative_path = rel.to_string_lossy().replace('\\', "/");
    // What Jekyll saw: the front matter over the `defaults:` of `_config.yml`.
    let seen = site.defaults.apply(&relative_path, &front);
    let jekyll_date = jekyll_date(site, rel, &seen, &mut notes);
    let jekyll_categories = match &kind {
        Kind::Post { categories } => permalink::categories(categories, &seen),
        _ => Vec::new(),
    };
    let jekyll_slug = seen.get("slug").and_then(text);
    let jekyll_permalink = seen.get("permalink").and_then(text);
    let name_date = file_date.map(|(d, _)| d.format("%Y-%m-%d").to_string());
    let mut fields = known_fields(&mut front, &kind, name_date);
    let permalink = front.remove("permalink").as_ref().and_then(text);
    for k in DROPPED {
        front.remove(k);
    }
    fields.rest = front;
    settle_date(&mut fields, jekyll_date.as_ref(), site.timezone, &mut notes);
    if fields.title.is_none() {
        // Jekyll's own rule (`Utils.titleize_slug`): the title comes from the file name.
        fields.title = Some(titleize(name.trim_end_matches('.')));
        notes.push("had no title; took it from the file name".to_owned());
    }
    if matches!(kind, Kind::Draft) && fields.date.is_none() {
        // As `jekyll build --drafts` does: a draft is dated by its file's modification time.
        let modified = std::fs::metadata(site.root.join(rel))
            .and_then(|m| m.modified())
            .ok();
        if let Some(t) = modified {
            let t: chrono::DateTime<chrono::Utc> = t.into();
            fields.date = Some(t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string());
            notes.push("a draft without a date; dated by the file's modification time".to_owned());
        }
    }

    let is_page = matches!(kind, Kind::Page);
    let old = match &kind {
        Kind::Page => Some(permalink.clone().unwrap_or_else(|| {
            if site.pretty_pages {
                format!("/{name}/")
            } else {
                format!("/{name}.html")
            }
        })),
        // Drafts were never published: no old address to keep.
        Kind::Draft => None,
        // Jekyll publishes only the posts whose file name starts with a date.
        Kind::Post { .. } => jekyll_date.zip(file_date).and_then(|(date, _)| {
            let post = permalink::Post {
                relative_path: &relative_path,
                slug: &jekyll_slug.unwrap_or_else(|| name.trim_end_matches('.').to_owned()),
                categories: &jekyll_categories,
                date,
            };
            let template = jekyll_permalink.as_deref().unwrap_or(&site.posts_template);
            permalink::url(template, &post)
                .map_err(|unknown| {
                    notes.push(format!(
                        "its permalink uses `:{unknown}`, which Jekyll does not know; no old address kept"
                    ));
                })
                .ok()
        }),
    };
    fields.keep_old_address(old.as_deref(), !is_page, &name);

    let to = if is_page {
        Path::new("content").join(format!("{name}.md"))
    } else {
        let file_date = file_date.map(|(d, _)| d.format("%Y-%m-%d").to_string());
        post_destination(&name, file_date.as_deref(), fields.date.as_deref())
    };
    let post = Post {
        source: site.root.join(rel),
        from: rel.to_path_buf(),
        to,
        front: fields.into_front(&mut notes),
        body,
        assets: Vec::new(),
        notes,
        comments: None,
        old_category: None,
    };
    Ok(Some((post, jekyll_date)))
}

/// Jekyll writes its posts in date order (then by path), so of posts sharing an address
/// (`-ko` and `-en` copies with one `slug:`) readers saw the last one there: the others
/// lose that alias, with a note, instead of the build refusing the clash.
fn drop_shadowed_aliases(mut posts: Vec<Dated>) -> Vec<Post> {
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by(|&i, &j| {
        let ((a, ad), (b, bd)) = (&posts[i], &posts[j]);
        ad.cmp(bd).then_with(|| a.from.cmp(&b.from))
    });
    let mut taken = std::collections::HashSet::new();
    for &i in order.iter().rev() {
        let post = &mut posts[i].0;
        let key = Value::String("aliases".to_owned());
        let Some(Value::Sequence(aliases)) = post.front.get_mut(&key) else {
            continue;
        };
        aliases.retain(|a| {
            let alias = a.as_str().unwrap_or_default();
            if taken.insert(alias.to_owned()) {
                return true;
            }
            post.notes.push(format!(
                "Jekyll published another post at {alias}; that alias is left to it"
            ));
            false
        });
        if aliases.is_empty() {
            post.front.remove(&key);
        }
    }
    posts.into_iter().map(|(post, _)| post).collect()
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

/// The instant Jekyll gives the post: the front matter's `date:` as Jekyll reads it, else
/// midnight of the date in the file name (in the site's time zone).
fn jekyll_date(
    site: &Site,
    rel: &Path,
    front: &Mapping,
    notes: &mut Vec<String>,
) -> Option<DateTime<Tz>> {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let from_name = date::file_name_date(&stem).and_then(|(d, _)| date::midnight(d, site.timezone));
    let Some(written) = front.get("date").and_then(text) else {
        return from_name;
    };
    // YAML reads `2018-07-08 23:30:00` unquoted as UTC, but in quotes as local time.
    let raw = std::fs::read_to_string(site.root.join(rel)).unwrap_or_default();
    let quoted = raw
        .lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("date:"))
        .is_some_and(|v| v.trim_start().starts_with(['"', '\'']));
    let read = date::front_matter_date(&written, quoted, site.timezone);
    if read.is_none() {
        notes.push(format!(
            "its date `{written}` is not one Jekyll reads; the date in its file name is used"
        ));
    }
    read.or(from_name)
}

/// Writes the date as Jekyll read it where ilji would read the text otherwise (or not at
/// all): an unquoted YAML timestamp, `Sep 13 2018`, `2018/9/11`.
fn settle_date(
    fields: &mut Fields,
    jekyll: Option<&DateTime<Tz>>,
    tz: Tz,
    notes: &mut Vec<String>,
) {
    let Some(jekyll) = jekyll else { return };
    let written = fields.date.clone().unwrap_or_default();
    if crate::content::dates::parse_date(&written, tz).as_ref() == Some(jekyll) {
        return;
    }
    let settled = jekyll.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    if !written.is_empty() {
        notes.push(format!(
            "date `{written}` written as `{settled}`, the time Jekyll read in it"
        ));
    }
    fields.date = Some(settled);
}

/// `Utils.titleize_slug`: `hello-big-world` → `Hello Big World`.
fn titleize(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a post goes: `content/posts/<date>-<name>.md` with the date of its file's name
/// (written `YYYY-MM-DD`), else the date it has, else none.
fn post_destination(name: &str, file_date: Option<&str>, date: Option<&str>) -> PathBuf {
    let file = match file_date.or_else(|| date.and_then(|d| d.get(..10))) {
        Some(date) => format!("{date}-{name}.md"),
        None => format!("{name}.md"),
    };
    Path::new("content/posts").join(file)
}

/// The settings of `_config.yml` that addresses depend on (defaults when it is missing or
/// broken, as Jekyll would refuse to build with a broken one anyway).
fn read_site(root: PathBuf) -> Site {
    let config = read_config(&root);
    let timezone = config
        .as_ref()
        .and_then(|c| c.get("timezone"))
        .and_then(Value::as_str)
        .and_then(|t| t.parse().ok())
        .unwrap_or(Tz::UTC);
    let style = config
        .as_ref()
        .and_then(|c| c.get("permalink"))
        .and_then(Value::as_str);
    Site {
        posts_template: permalink::posts_template(config.as_ref()),
        pretty_pages: style.is_some_and(|s| s == "pretty" || s.ends_with('/')),
        timezone,
        defaults: defaults::Defaults::from_config(config.as_ref()),
        exclude: config
            .as_ref()
            .and_then(|c| c.get("exclude"))
            .and_then(Value::as_sequence)
            .map(|s| {
                s.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        root,
    }
}
