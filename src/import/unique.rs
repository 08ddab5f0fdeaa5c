//! Making the imported posts publishable together: every post and page gets an address no
//! other one has (compared as the build compares output files, after `slugify`, so `LDA` and
//! `lda` are one), old addresses that would land on another page are dropped, and files of
//! the old blog's static folder that would stand where ilji writes its own file (robots.txt,
//! the sitemap, the feed, 404.html) or a page are not copied. Each change is a note for the
//! writer: the old file and its new address.
//!
//! The names of ilji's own files come from [`layout`]; this module spells none. It reads the
//! site's existing content only to learn which addresses are taken, and writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::yaml::Value;

use super::front_matter::{read_front_matter, text};
use super::Post;
use crate::content::dates::split_date_prefix;
use crate::error::Diagnostic;
use crate::site_path::{layout, SitePath};
use crate::slug::slugify;

/// Who holds a published file, in words for the writer.
#[derive(Clone)]
struct Holder {
    who: String,
    /// One of ilji's own files, not a page of the site.
    ilji: bool,
}

/// The output files already claimed (folder addresses as their `index.html`), with who holds
/// them.
pub(super) struct Taken {
    files: HashMap<String, Holder>,
}

impl Taken {
    /// The files ilji writes by itself at fixed places, and the addresses (and aliases) of
    /// the posts and pages already in the site at `root`.
    pub(super) fn new(root: &Path) -> Taken {
        let mut files = HashMap::new();
        for path in ilji_files() {
            let holder = Holder {
                who: format!("ilji's own /{path}"),
                ilji: true,
            };
            files.insert(layout::output_file(&path), holder);
        }
        let mut taken = Taken { files };
        let content = root.join("content");
        for (abs, rel) in crate::fsutil::files_below(&content).unwrap_or_default() {
            let rel = Path::new("content").join(rel);
            if !super::is_markdown(&rel) {
                continue;
            }
            let front = read_front_matter(&abs, &rel).map(|(f, _)| f).ok();
            let slug = front.as_ref().and_then(|f| f.get("slug")).and_then(text);
            let address = address_of(&rel, slug.as_deref());
            taken.claim(&address, format!("this site's {}", rel.display()));
            let aliases =
                super::front_matter::list(front.as_ref().and_then(|f| f.get("aliases")), false);
            for path in aliases.iter().filter_map(|a| SitePath::from_alias(a).ok()) {
                let who = format!("an alias of this site's {}", rel.display());
                taken.claim(path.as_str(), who);
            }
        }
        taken
    }

    /// Whether a page, an alias or ilji's own file holds `address` (site-relative).
    pub(super) fn holds(&self, address: &str) -> bool {
        self.holder(address).is_some()
    }

    fn holder(&self, address: &str) -> Option<&Holder> {
        self.files.get(&layout::output_file(address))
    }

    fn claim(&mut self, address: &str, who: String) {
        let file = layout::output_file(address);
        let holder = Holder { who, ilji: false };
        self.files.entry(file).or_insert(holder);
    }
}

/// The fixed places ilji publishes its own pages and files at (site-relative, as
/// [`layout`] spells them).
fn ilji_files() -> Vec<String> {
    [
        layout::HOME,
        layout::ARCHIVE,
        layout::SEARCH_PAGE,
        layout::SEARCH_INDEX,
        layout::NOT_FOUND,
        layout::SITEMAP,
        layout::ROBOTS,
    ]
    .iter()
    .map(|&p| p.to_owned())
    .chain([layout::feed(layout::HOME)])
    .collect()
}

/// Gives every post and page an address nobody else has; the earliest post keeps the slug it
/// asked for, a later one gets the part of its old path that differs (usually its date), else
/// its date, else a number, and a note. Then drops each old address that another page holds.
/// Posts whose file exists in the site at `root` are left alone: they are not written.
/// Returns the notes of the posts given another address, then those of the dropped aliases.
pub(super) fn give_unique_addresses(
    root: &Path,
    posts: &mut [Post],
    taken: &mut Taken,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut order: Vec<usize> = (0..posts.len())
        .filter(|&i| !root.join(&posts[i].to).exists())
        .collect();
    order.sort_by(|&a, &b| {
        let date = |i: usize| posts[i].front.get("date").and_then(text);
        (date(a), &posts[a].from).cmp(&(date(b), &posts[b].from))
    });
    // The parts of the old paths that all the imported posts wanting an address share: the
    // rest tells them apart (the same on every run, whatever the site already holds).
    let mut shared: HashMap<String, Vec<String>> = HashMap::new();
    for post in posts.iter() {
        let address = address_of(&post.to, post.front.get("slug").and_then(text).as_deref());
        let parts = parts_of(&post.from);
        shared
            .entry(address)
            .and_modify(|common| common.retain(|p| parts.contains(p)))
            .or_insert(parts);
    }
    // The files written, lower-cased: a renamed file must not differ from another only in
    // case, which macOS and Windows take for the same file.
    // A list, not a set: two of them may already be one file but for case.
    let mut files: Vec<String> = posts.iter().map(|p| lower_case(&p.to)).collect();
    let mut notes = Vec::new();
    for i in order {
        let post = &mut posts[i];
        let slug = post.front.get("slug").and_then(text);
        let address = address_of(&post.to, slug.as_deref());
        let parts = parts_of(&post.from);
        let Some(holder) = taken.holder(&address).cloned() else {
            taken.claim(&address, post.from.display().to_string());
            continue;
        };
        let old_slug = slugify(&slug.unwrap_or_else(|| name_of(&post.to)));
        let is_post = is_post(&post.to);
        let own = lower_case(&post.to);
        if let Some(k) = files.iter().position(|f| *f == own) {
            files.swap_remove(k);
        }
        // The first free slug, or the one an earlier import of this post already wrote.
        let common = shared.get(&address).map_or(&[][..], Vec::as_slice);
        let (new_slug, renamed, imported_before) = candidates(&old_slug, &parts, common, post)
            .find_map(|s| {
                let renamed = renamed_file(&post.to, &s, &files);
                if root.join(&renamed).exists() {
                    Some((s, renamed, true))
                } else {
                    let free = taken.holder(&address_for(is_post, &post.to, &s)).is_none();
                    free.then_some((s, renamed, false))
                }
            })
            .unwrap_or_default();
        let new_address = address_for(is_post, &post.to, &new_slug);
        readdress(post, &new_slug, renamed);
        files.push(lower_case(&post.to));
        if imported_before {
            continue;
        }
        notes.push(Diagnostic::new(
            &post.from,
            format!(
                "its address /{address} is taken by {}; published at /{new_address} instead (`slug: {new_slug}`, written to {})",
                holder.who,
                post.to.display()
            ),
        ));
        taken.claim(&new_address, post.from.display().to_string());
    }
    let mut dropped = Vec::new();
    for post in posts.iter_mut().filter(|p| !root.join(&p.to).exists()) {
        drop_taken_aliases(post, taken, &mut dropped);
    }
    (notes, dropped)
}

/// The slugs to try for a post whose slug is taken: with the parts of its old path that not
/// every imported post wanting the slug has (`common` they all have), with its date, then
/// numbered.
fn candidates<'a>(
    slug: &'a str,
    parts: &[String],
    common: &[String],
    post: &Post,
) -> impl Iterator<Item = String> + 'a {
    let own: Vec<&String> = parts
        .iter()
        .filter(|p| !common.contains(p) && p.as_str() != slug)
        .collect();
    let differing = (!own.is_empty()).then(|| {
        let joined: Vec<&str> = own.iter().map(|s| s.as_str()).collect();
        format!("{slug}-{}", joined.join("-"))
    });
    let date = post
        .front
        .get("date")
        .and_then(text)
        .and_then(|d| d.get(..10).map(str::to_owned))
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .map(|d| format!("{slug}-{d}"));
    differing
        .into_iter()
        .chain(date)
        .chain((2..).map(move |n| format!("{slug}-{n}")))
}

/// Sets the post's `slug:` and moves it (and a bundle's files) to `renamed`.
fn readdress(post: &mut Post, slug: &str, renamed: PathBuf) {
    let value = Value::String(slug.to_owned());
    if post.front.contains_key("slug") {
        post.front.insert(Value::String("slug".to_owned()), value);
    } else {
        let front = std::mem::take(&mut post.front);
        post.front = super::checks::with_key_after(front, "tags", "slug", value);
    }
    if post.to.file_stem().is_some_and(|s| s == "index") {
        let old_dir = post.to.parent().unwrap_or(Path::new("")).to_path_buf();
        let new_dir = renamed.parent().unwrap_or(Path::new("")).to_path_buf();
        for (_, to) in &mut post.assets {
            if let Ok(inner) = to.strip_prefix(&old_dir) {
                *to = new_dir.join(inner);
            }
        }
    }
    post.to = renamed;
}

/// The file (or bundle's `index.md`) `to` renamed after `slug`, keeping its date prefix
/// and not repeating it unless another file (`other_files`, lower-cased) would then differ
/// from it only in case.
fn renamed_file(to: &Path, slug: &str, other_files: &[String]) -> PathBuf {
    let is_bundle = to.file_stem().is_some_and(|s| s == "index");
    let file = if is_bundle {
        to.parent().unwrap_or(Path::new(""))
    } else {
        to
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let date = split_date_prefix(&stem).map_or("", |_| &stem[..11]);
    // `2019-01-01-lda.md`, not `2019-01-01-lda-2019-01-01.md`.
    let name = date
        .strip_suffix('-')
        .and_then(|d| slug.strip_suffix(d))
        .and_then(|s| s.strip_suffix('-'))
        .filter(|s| !s.is_empty())
        .unwrap_or(slug);
    let ext = if is_bundle { "" } else { ".md" };
    let mut renamed = file.with_file_name(format!("{date}{name}{ext}"));
    let lower = lower_case(&renamed);
    let below = format!("{lower}/");
    if other_files
        .iter()
        .any(|f| *f == lower || f.starts_with(&below))
    {
        renamed = file.with_file_name(format!("{date}{slug}{ext}"));
    }
    if is_bundle {
        renamed.join("index.md")
    } else {
        renamed
    }
}

/// Removes the old addresses of a post that another page or ilji's own files hold (with a
/// note), and claims the rest.
fn drop_taken_aliases(post: &mut Post, taken: &mut Taken, notes: &mut Vec<Diagnostic>) {
    let Some(Value::Sequence(aliases)) = post.front.get_mut("aliases") else {
        return;
    };
    let me = post.from.display().to_string();
    aliases.retain(|alias| {
        let Some(path) = text(alias).and_then(|a| SitePath::from_alias(&a).ok()) else {
            return true;
        };
        match taken.holder(path.as_str()) {
            Some(h) if h.who != me => {
                notes.push(Diagnostic::new(
                    &post.from,
                    format!(
                        "its old address /{path} is taken by {}; not kept as an alias",
                        h.who
                    ),
                ));
                false
            }
            _ => {
                taken.claim(path.as_str(), me.clone());
                true
            }
        }
    });
    if aliases.is_empty() {
        post.front.remove("aliases");
    }
}

/// The static files (absolute source, destination under `static/`) that would publish where
/// ilji writes its own file or a page's: taken out of `statics`, each with a note naming the
/// file of the old blog (`shown`).
pub(super) fn drop_clashing_statics(
    statics: &mut Vec<(PathBuf, PathBuf)>,
    taken: &Taken,
    shown: impl Fn(&Path) -> PathBuf,
) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    statics.retain(|(from, to)| {
        let published = to.strip_prefix("static").unwrap_or(to).to_string_lossy();
        let Some(holder) = taken.files.get(published.as_ref()) else {
            return true;
        };
        let d = if holder.ilji {
            Diagnostic::new(
                shown(from),
                format!("ilji writes /{published} itself; not copied"),
            )
            .help("compare it with the one ilji writes if the old file said more")
        } else {
            Diagnostic::new(
                shown(from),
                format!(
                    "would publish at /{published}, where {} is published; not copied",
                    holder.who
                ),
            )
            .help("copy it into another folder of static/ if it is still needed")
        };
        notes.push(d);
        false
    });
    notes
}

fn lower_case(path: &Path) -> String {
    path.to_string_lossy().to_lowercase()
}

/// Whether a content file is a post (below `content/posts/`).
fn is_post(rel: &Path) -> bool {
    rel.starts_with("content/posts")
}

/// The name an address comes from when no `slug:` is given: the file's stem, or the
/// bundle's folder for an `index.md`, without a date prefix.
fn name_of(rel: &Path) -> String {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = if stem == "index" {
        rel.parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        stem
    };
    split_date_prefix(&name).map_or(name.clone(), |(_, rest)| rest.to_owned())
}

/// The address the build gives the content file `rel` (relative to the site root).
pub(super) fn address_of(rel: &Path, slug: Option<&str>) -> String {
    let slug = slugify(&slug.map_or_else(|| name_of(rel), str::to_owned));
    address_for(is_post(rel), rel, &slug)
}

fn address_for(is_post: bool, rel: &Path, slug: &str) -> String {
    if is_post {
        layout::post(slug)
    } else {
        let inner = rel.strip_prefix("content").unwrap_or(rel);
        let mut folders: Vec<String> = inner
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .map(|c| slugify(&c.as_os_str().to_string_lossy()))
            .collect();
        if inner.file_stem().is_some_and(|s| s == "index") {
            folders.pop();
        }
        layout::page(&folders, slug)
    }
}

/// The parts of an old file's path that can tell two posts apart: its folders and name
/// (slugified), a date prefix of its name as a part of its own; `content`, `_posts` and a
/// bundle's `index` left out.
fn parts_of(from: &Path) -> Vec<String> {
    let mut parts = Vec::new();
    for c in from.with_extension("").components() {
        let c = c.as_os_str().to_string_lossy();
        if matches!(c.as_ref(), "content" | "_posts" | "index") {
            continue;
        }
        let rest = match split_date_prefix(&c) {
            Some((date, rest)) => {
                parts.push(date.format("%Y-%m-%d").to_string());
                rest.to_owned()
            }
            None => c.into_owned(),
        };
        parts.push(slugify(&rest));
    }
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths_are_cut_into_the_parts_that_tell_posts_apart() {
        assert_eq!(
            parts_of(Path::new("_posts/2017-03-01-Honorification.md")),
            ["2017-03-01", "honorification"]
        );
        assert_eq!(
            parts_of(Path::new("content/ml/LDA/index.md")),
            ["ml", "lda"]
        );
    }

    #[test]
    fn renamed_files_keep_their_date_once_and_differ_by_more_than_case() {
        let hello = Path::new("content/posts/2018-01-01-hello.md");
        let renamed = renamed_file(hello, "hello-2018-01-01", &[]);
        assert_eq!(renamed, Path::new("content/posts/2018-01-01-hello.md"));
        let lda = Path::new("content/posts/2019-01-01-lda.md");
        let others = ["content/posts/2019-01-01-lda.md".to_owned()];
        let renamed = renamed_file(lda, "lda-2019-01-01", &others);
        assert_eq!(
            renamed,
            Path::new("content/posts/2019-01-01-lda-2019-01-01.md")
        );
        let bundle = Path::new("content/posts/x/index.md");
        let renamed = renamed_file(bundle, "x-posts", &[]);
        assert_eq!(renamed, Path::new("content/posts/x-posts/index.md"));
    }

    #[test]
    fn addresses_are_the_builds() {
        let post = Path::new("content/posts/2019-01-01-LDA.md");
        assert_eq!(address_of(post, None), "posts/lda/");
        assert_eq!(address_of(post, Some("Other Name")), "posts/other-name/");
        let bundle = Path::new("content/posts/2019-01-01-x/index.md");
        assert_eq!(address_of(bundle, None), "posts/x/");
        assert_eq!(address_of(Path::new("content/About.md"), None), "about/");
        assert_eq!(
            address_of(Path::new("content/shop/faq/index.md"), None),
            "shop/faq/"
        );
    }
}
