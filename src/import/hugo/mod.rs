//! Hugo: `content/<section>/<name>.md` and page bundles (`<name>/index.md` with its files)
//! become posts, `content/<name>.md` standalone pages; `_index.md` list pages are skipped.
//! Old addresses are Hugo's own (see `address`): `url:`, else the config's `permalinks`
//! for the section, else the page's folders and slug or name. On a multilingual site the
//! default language's pages are imported and their translations' addresses lead to them
//! (a page with no default-language version is imported in its own language).

mod address;
mod config;
mod files;
mod front;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::yaml::{Mapping, Value};

use super::front_matter::{list, read_hugo_front_matter, text};
use super::shortcodes::{self, RefTable, ThemeImages};
use super::{clean_url, Converted, Fields, ImportOptions, Post};
use crate::error::{Diagnostic, Result};
use address::Facts;
pub(super) use config::config_file;
use config::{HugoConfig, CONFIG_FILES};
use files::{Files, Source};
use front::{
    config_notes, expired, known_fields, publish_date_to_come, theme_page, theme_page_skipped,
    title_from, unpublished,
};

/// Keys Hugo uses that mean nothing to ilji once converted.
const DROPPED: [&str; 4] = ["layout", "type", "weight", "url"];

pub fn convert(opts: &ImportOptions, skipped: &mut Vec<Diagnostic>) -> Result<Converted> {
    let (site, mut content) = site_and_content(&opts.source);
    let config = HugoConfig::read(&site);
    // A site whose `contentDir` is not `content/`.
    let own_dir = site.join(&config.content_dir);
    if content == site && files::is_inside(&config.content_dir) && own_dir.is_dir() {
        content = own_dir;
    }
    let roots = files::roots(&site, &content, &config);
    let mut reads: Vec<String> = vec!["static".to_owned(), "config".to_owned()];
    reads.extend(CONFIG_FILES.iter().map(|s| (*s).to_owned()));
    reads.extend(
        roots
            .iter()
            .filter(|r| !r.shown.as_os_str().is_empty())
            .map(|r| r.shown.to_string_lossy().into_owned()),
    );
    let reads: Vec<&str> = reads.iter().map(String::as_str).collect();
    super::check_source_inside(&site, &reads)?;
    let files = files::gather(roots, &config)?;
    let bundles = files.bundles();
    let mut pages: BTreeMap<PathBuf, Vec<&Source>> = BTreeMap::new();
    for src in &files.markdown {
        if src.base == "_index" {
            skipped.push(
                Diagnostic::new(
                    &src.shown,
                    "a Hugo list page (_index.md); ilji makes its own lists",
                )
                .help(
                    "if its text matters, move it into a standalone page such as content/about.md",
                ),
            );
        } else if files.inside_bundle(src, &bundles) {
            skipped.push(
                Diagnostic::new(
                    &src.shown,
                    "a Markdown file inside a page bundle, not its index.md",
                )
                .help("merge it into the bundle's index.md if it should be published"),
            );
        } else {
            pages.entry(src.key()).or_default().push(src);
        }
    }
    let mut posts = Vec::new();
    let mut own_pages = super::redirects::Entries::new();
    for mut versions in pages.into_values() {
        versions.sort_by_key(|s| language_rank(&config, &s.lang));
        let (first, translations) = versions.split_at(1);
        match convert_one(&files, first[0], translations, &config) {
            Ok(One::Page(post)) => posts.push(*post),
            Ok(One::ThemePage { warning, old, to }) => {
                skipped.push(warning);
                own_pages.extend(old.into_iter().map(|o| (o, to.to_owned())));
            }
            Err(e) => skipped.extend(e.diagnostics),
        }
    }
    keep_shared_addresses_on_the_last(&mut posts);
    let mut statics: Vec<(PathBuf, PathBuf)> = Vec::new();
    // Files in content/ outside bundles are published at their path by Hugo; static/ keeps that.
    for (root, rel) in &files.others {
        if !bundles.iter().any(|(r, b)| r == root && rel.starts_with(b)) {
            statics.push((
                files.roots[*root].abs.join(rel),
                Path::new("static").join(rel),
            ));
        }
    }
    let hugo_static = site.join("static");
    if hugo_static.is_dir() {
        for (abs, rel) in crate::fsutil::files_below(&hugo_static)? {
            statics.push((abs, Path::new("static").join(rel)));
        }
    }
    Ok((posts, statics, own_pages))
}

/// An old address two pages had (two translations without a title share `/en/p/`) leads
/// to the one Hugo wrote last, the last by path (real Hugo v0.168); the others lose it.
fn keep_shared_addresses_on_the_last(posts: &mut [Post]) {
    let mut holder: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, post) in posts.iter().enumerate() {
        if let Some(Value::Sequence(aliases)) = post.front.get("aliases") {
            for a in aliases.iter().filter_map(Value::as_str) {
                holder.insert(a.to_owned(), i);
            }
        }
    }
    let names: Vec<String> = posts.iter().map(|p| p.from.display().to_string()).collect();
    for (i, post) in posts.iter_mut().enumerate() {
        let Some(Value::Sequence(aliases)) = post.front.get_mut("aliases") else {
            continue;
        };
        let mut lost = Vec::new();
        aliases.retain(
            |a| match a.as_str().and_then(|a| holder.get(a).map(|h| (a, *h))) {
                Some((a, h)) if h != i => {
                    lost.push(format!(
                        "its old address {a} leads to {}, as in Hugo",
                        names[h]
                    ));
                    false
                }
                _ => true,
            },
        );
        if aliases.is_empty() {
            post.front.remove("aliases");
        }
        post.notes.extend(lost);
    }
}

/// The default language first, then the others by weight; files of a language the
/// config does not list last.
fn language_rank(config: &HugoConfig, lang: &str) -> usize {
    if lang == config.default_language {
        return 0;
    }
    config
        .languages
        .iter()
        .position(|l| l.key == lang)
        .map_or(usize::MAX, |i| i + 1)
}

/// The Hugo site's folder and its `content/`, from the folder imported (either of them).
/// What the addresses of the Hugo site's lists depend on: whether they are lower-cased (no
/// `disablePathToLower`), and the front-matter keys of its taxonomies.
pub(in crate::import) fn list_addressing(site: &Path) -> (bool, Vec<String>) {
    let config = HugoConfig::read(site);
    (config.shape.lower_case, config.taxonomies)
}

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

/// Where a page sits in its content folder, as Hugo names it.
struct Place {
    is_bundle: bool,
    /// The folders from the content folder to the page (a bundle's parent, for a bundle).
    folders: Vec<String>,
    /// The bundle's folder name, or the file's name without language.
    name: String,
    section_depth: usize,
}

impl Place {
    fn of(files: &Files, src: &Source) -> Place {
        let is_bundle = src.is_bundle();
        let dir = src.rel.parent().unwrap_or(Path::new(""));
        let (folder, name) = if is_bundle {
            (
                dir.parent().unwrap_or(Path::new("")),
                dir.file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
        } else {
            (dir, src.base.clone())
        };
        let folders: Vec<String> = folder
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let section_depth = files.section_depth(src, &folders);
        Place {
            is_bundle,
            folders,
            name,
            section_depth,
        }
    }
}

/// What one content file gives: a post or page, or a page the theme fills in, whose old
/// addresses (`old`) lead to ilji's own page (`to`: `/search/`, `/archive/`).
enum One {
    Page(Box<Post>),
    ThemePage {
        warning: Diagnostic,
        old: Vec<String>,
        to: &'static str,
    },
}

fn convert_one(
    files: &Files,
    src: &Source,
    translations: &[&Source],
    config: &HugoConfig,
) -> Result<One> {
    let abs = files.roots[src.root].abs.join(&src.rel);
    let (mut front, body) = read_hugo_front_matter(&abs, &src.shown)?;
    let place = Place::of(files, src);
    if let Some(why) = unpublished(&front) {
        return Err(Diagnostic::new(
            &src.shown,
            format!("Hugo did not publish this page (`{why}`); not imported"),
        )
        .help("if its text should be a page of the blog, remove that key and import again")
        .into());
    }
    let theme_layout = theme_page(&front, &body);
    let mut fields = known_fields(&mut front);
    date_from_file_name(config, &place, &mut fields);
    let mut notes: Vec<String> = config_notes(config, &mut front, &mut fields);
    let is_post = !place.folders.is_empty() && fields.date.is_some();
    if !place.folders.is_empty() && !is_post {
        notes.push("it has no date: imported as a standalone page".to_owned());
    }
    let old = addresses(
        &mut front,
        &mut fields,
        &place,
        &src.lang,
        config,
        &mut notes,
    );
    for other in translations {
        match translation_addresses(files, other, config) {
            Ok(found) => fields.aliases.extend(found),
            Err(e) => notes.extend(e.diagnostics.into_iter().map(|d| d.message)),
        }
    }
    fields.keep_old_address(old.as_deref(), is_post, &place.name);
    if let Some(layout) = theme_layout {
        let olds = old_addresses(old.as_deref(), std::mem::take(&mut fields.aliases));
        let to = if layout == "search" {
            "/search/"
        } else {
            "/archive/"
        };
        let warning = theme_page_skipped(&src.shown, &layout, &olds, to);
        return Ok(One::ThemePage {
            warning,
            old: olds,
            to,
        });
    }
    if let Some(later) = publish_date_to_come(&mut front).filter(|_| !config.build_future) {
        notes.push(format!(
            "its publishDate {later} is still to come, so Hugo had not published it: ilji publishes it then"
        ));
        fields.date = Some(later);
    }
    if expired(&mut front) {
        fields.draft = true;
        notes.push(
            "its expiryDate has passed, so Hugo no longer published it: imported as a draft"
                .to_owned(),
        );
    }
    if !translations.is_empty() {
        let shown: Vec<String> = translations
            .iter()
            .map(|t| t.shown.display().to_string())
            .collect();
        notes.push(format!(
            "its translations ({}) are not imported: their old addresses lead to this post",
            shown.join(", ")
        ));
    }
    if fields.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        fields.title = Some(title_from(&body, &place.name));
        notes.push(
            "it has no title (Hugo showed none): its first heading or name gives one".to_owned(),
        );
    }
    for k in DROPPED {
        front.remove(k);
    }
    fields.rest = front;
    let (to, assets) = destination(files, src, &place, is_post, fields.date.as_deref());
    Ok(One::Page(Box::new(Post {
        source: abs,
        from: src.shown.clone(),
        to,
        front: fields.into_front(&mut notes),
        body,
        assets,
        notes,
        comments: None,
        old_category: None,
    })))
}

/// Where a page goes in the ilji site, with the files of its bundle.
fn destination(
    files: &Files,
    src: &Source,
    place: &Place,
    is_post: bool,
    date: Option<&str>,
) -> (PathBuf, Vec<(PathBuf, PathBuf)>) {
    if !is_post {
        (
            Path::new("content").join(format!("{}.md", place.name)),
            Vec::new(),
        )
    } else if place.is_bundle {
        bundle_destination(files, src, &place.name)
    } else {
        (post_destination(&place.name, date), Vec::new())
    }
}

/// The date of a dated file name (`2020-01-02-day.md`, or a bundle's folder) when the
/// config's `[frontmatter] date` lists `:filename`: before the front matter's date when it
/// comes first there, else when the front matter has none.
fn date_from_file_name(config: &HugoConfig, place: &Place, fields: &mut Fields) {
    let Some(first) = config.date_from_file_name else {
        return;
    };
    if let Some((date, _)) = crate::content::dates::split_date_prefix(&place.name) {
        if first || fields.date.is_none() {
            fields.date = Some(date.format("%Y-%m-%d").to_string());
        }
    }
}

/// The address Hugo published a page at (`None` when it cannot be worked out, with a note),
/// its `aliases` taken out of `front` into `fields`.
fn addresses(
    front: &mut Mapping,
    fields: &mut Fields,
    place: &Place,
    lang: &str,
    config: &HugoConfig,
    notes: &mut Vec<String>,
) -> Option<String> {
    let prefix = config.language_folder(lang);
    let old = own_address(front, fields, place, prefix, config, notes);
    // A relative alias is relative to the folder of the page's address (real Hugo v0.168:
    // `old` on the page /2024/first/ is /2024/old/), an absolute one to the language's.
    let parent = match old
        .as_deref()
        .and_then(|o| o.trim_end_matches('/').rsplit_once('/'))
    {
        Some((dir, _)) => format!("{dir}/"),
        None => format!("/{}/", sanitized(&place.folders)),
    };
    for alias in list(front.remove("aliases").as_ref(), false) {
        let absolute = match alias.strip_prefix('/') {
            Some(_) if prefix.is_empty() => alias,
            Some(_) => format!("/{prefix}{alias}"),
            None => format!("{parent}{alias}"),
        };
        // With uglyURLs Hugo writes an alias without an ending as `<alias>.html`.
        let last = absolute.rsplit('/').next().unwrap_or("");
        let absolute = if config.shape.ugly && !last.is_empty() && !last.contains('.') {
            format!("{absolute}.html")
        } else {
            absolute
        };
        fields.aliases.push(clean_url(&absolute));
    }
    old
}

/// The page's own address: `url:` as written, else its section's permalink pattern filled
/// in, else its folders and name; under its language's folder.
fn own_address(
    front: &Mapping,
    fields: &Fields,
    place: &Place,
    prefix: &str,
    config: &HugoConfig,
    notes: &mut Vec<String>,
) -> Option<String> {
    if let Some(url) = front.get("url").and_then(text) {
        return Some(url);
    }
    // With `:filename` dates, Hugo takes the rest of a dated name as the slug.
    let named_slug = config
        .date_from_file_name
        .and_then(|_| crate::content::dates::split_date_prefix(&place.name))
        .map(|(_, rest)| rest);
    let facts = Facts {
        title: fields.title.as_deref().unwrap_or(""),
        slug: fields.slug.as_deref().or(named_slug),
        date: fields.date.as_deref(),
        base_name: &place.name,
        folders: &place.folders,
        section_depth: place.section_depth,
    };
    let expanded = match config.permalink_for(&place.folders) {
        Some(pattern) => match address::expand(pattern, &facts) {
            Some(e) => e,
            None => {
                notes.push(format!(
                    "its old address could not be worked out from the permalink pattern `{pattern}`; add it to `aliases:` by hand"
                ));
                return None;
            }
        },
        None => address::default_path(&facts),
    };
    Some(address::finish(&expanded, &config.shape, prefix))
}

/// The folders of a path, each as Hugo writes it in an address, joined by `/`.
fn sanitized(folders: &[String]) -> String {
    folders
        .iter()
        .map(|f| address::sanitize(f))
        .collect::<Vec<_>>()
        .join("/")
}

/// The old addresses of a translation that is not imported: its own and its aliases.
fn translation_addresses(files: &Files, src: &Source, config: &HugoConfig) -> Result<Vec<String>> {
    let abs = files.roots[src.root].abs.join(&src.rel);
    let (mut front, _) = read_hugo_front_matter(&abs, &src.shown)?;
    let place = Place::of(files, src);
    let mut fields = known_fields(&mut front);
    date_from_file_name(config, &place, &mut fields);
    let mut notes = Vec::new();
    let old = addresses(
        &mut front,
        &mut fields,
        &place,
        &src.lang,
        config,
        &mut notes,
    );
    Ok(old_addresses(old.as_deref(), fields.aliases))
}

/// Every address a page Hugo published answered at: its own (`old`) and its `aliases`.
fn old_addresses(old: Option<&str>, aliases: Vec<String>) -> Vec<String> {
    old.map(clean_url).into_iter().chain(aliases).collect()
}

/// Turns the Hugo shortcodes of every post imported from `source` into Markdown, `ref`s
/// into the addresses the posts are published at (so called once they are final), with a
/// note listing what is left as text.
pub(super) fn convert_shortcodes(posts: &mut [Post], source: &Path) {
    let (site, content) = site_and_content(source);
    let images = theme_images(&site);
    let roots = files::roots(&site, &content, &HugoConfig::read(&site));
    // A page's path as `ref` names it: below its content folder (a language's own too).
    let in_content = |p: &Post| {
        roots
            .iter()
            .filter(|r| !r.shown.as_os_str().is_empty())
            .find_map(|r| p.from.strip_prefix(&r.shown).ok())
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

/// Where a page bundle's post goes (`content/posts/<name>/index.md`), with the bundle's
/// other files beside it.
fn bundle_destination(
    files: &Files,
    src: &Source,
    name: &str,
) -> (PathBuf, Vec<(PathBuf, PathBuf)>) {
    let dir = src.rel.parent().unwrap_or(Path::new(""));
    let root = &files.roots[src.root].abs;
    let to_dir = Path::new("content/posts").join(name);
    let assets = files
        .others
        .iter()
        .filter(|(r, o)| *r == src.root && o.starts_with(dir))
        .map(|(_, o)| {
            let inner = o.strip_prefix(dir).unwrap_or(o);
            (root.join(o), to_dir.join(inner))
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

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
