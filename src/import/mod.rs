//! `ilji import DIR`: moving a Hugo or Jekyll blog in. Each post becomes an ilji post with
//! its front matter in YAML (TOML converted), its first category as `category`, and its old
//! address kept as an alias so that links to it keep working. What cannot be converted is
//! reported, never guessed silently; no existing file is ever overwritten.
//!
//! The two dialects live in `hugo` and `jekyll`; they turn files into [`Post`]s (reading
//! their front matter with `front_matter`), `checks` refuses what ilji cannot publish,
//! `unique` gives each post an address of its own and keeps the old blog's static files off
//! ilji's own, and this module writes the rest.

mod checks;
mod front_matter;
pub mod hugo;
pub mod jekyll;
mod liquid;
mod placeholders;
mod redirects;
mod settings;
mod shortcodes;
mod tistory;
mod unique;

use std::path::{Path, PathBuf};

use crate::yaml::{Mapping, Value};

use crate::config::Config;
use crate::error::{Diagnostic, Result};
use crate::markdown::from_html as html_markdown;
use crate::slug::slugify;
use checks::{check_post, refused_values};

/// Which blog engine a folder comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Hugo,
    Jekyll,
    /// A Tistory blog's RSS file, saved post pages or backup folder.
    Tistory,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Hugo => "Hugo",
            Dialect::Jekyll => "Jekyll",
            Dialect::Tistory => "Tistory",
        }
    }

    /// A folder with `_posts/` (or named `_posts`) is Jekyll; a Tistory RSS file or backup
    /// folder is Tistory; anything else is taken for Hugo.
    pub fn detect(dir: &Path) -> Dialect {
        let is_posts = dir.file_name().is_some_and(|n| n == "_posts");
        if is_posts || dir.join("_posts").is_dir() || dir.join("_config.yml").is_file() {
            Dialect::Jekyll
        } else if !dir.join("content").is_dir() && tistory::detect(dir) {
            Dialect::Tistory
        } else {
            Dialect::Hugo
        }
    }
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The ilji site to write into.
    pub root: PathBuf,
    /// The Hugo site (or its `content/`) or the Jekyll site (or its `_posts/`).
    pub source: PathBuf,
    /// `None`: detected.
    pub dialect: Option<Dialect>,
    /// For posts without a category.
    pub default_category: String,
    /// Report what would be written, write nothing.
    pub dry_run: bool,
}

/// One post or page, converted, not yet written.
#[derive(Debug, Clone)]
pub struct Post {
    /// The file it came from, relative to the import folder.
    pub from: PathBuf,
    /// Where it goes, relative to the site root (`content/posts/2019-03-01-x.md`).
    pub to: PathBuf,
    /// Front matter, keys in the order they are written.
    pub front: Mapping,
    pub body: String,
    /// Files published beside it (a Hugo page bundle): (absolute source, destination
    /// relative to the site root).
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// Remarks for the writer (what changed, what to look at).
    pub notes: Vec<String>,
    /// The file it came from, to point at the line of a value ilji refuses.
    pub source: PathBuf,
    /// Its readers' comments (a `.comments.yaml` file's text), written beside it.
    pub comments: Option<String>,
    /// The category as the old blog wrote it, when the post is filed otherwise here
    /// (Tistory's `상위/하위`): its old category pages lead to the new lists.
    pub old_category: Option<String>,
}

/// What a dialect makes of a folder: the posts and pages, the files to copy as they are
/// (absolute source, destination relative to the site root), and the old addresses of
/// pages ilji makes itself (a Hugo theme's search page → `/search/`), for `redirects:`.
pub type Converted = (Vec<Post>, Vec<(PathBuf, PathBuf)>, redirects::Entries);

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub dialect: Option<Dialect>,
    /// Files written (or that would be, with `dry_run`), relative to the site root.
    pub written: Vec<PathBuf>,
    pub posts: usize,
    pub pages: usize,
    /// Old addresses kept as aliases.
    pub aliases: usize,
    /// Readers' comments, and the comments files they were written into (also in `written`).
    pub comments: usize,
    pub comment_files: usize,
    /// Files that could not be converted, with why and what to do (not written).
    pub skipped: Vec<Diagnostic>,
    /// Posts not imported because a value in them would be published outside the site or
    /// cannot be a file name (an alias with `..`, a slug of 300 bytes): errors.
    pub refused: Vec<Diagnostic>,
    /// Converted, with something the writer should look at.
    pub notes: Vec<Diagnostic>,
    /// Posts and pages given another address than the one they asked for, because another
    /// had it (each also a note).
    pub readdressed: usize,
    /// Old addresses not kept because another page (or ilji's own file) is published there
    /// (each also a note).
    pub aliases_dropped: usize,
    /// Files of the old blog not copied because ilji writes its own file, or a page, where
    /// they would be published (each also a note).
    pub not_copied: usize,
}

/// Imports the blog at `opts.source` into the ilji site at `opts.root`.
pub fn import(opts: &ImportOptions) -> Result<ImportReport> {
    if !opts.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Diagnostic::new(
            &opts.root,
            "this folder is not an ilji site (it has no site.yaml); nothing was written",
        )
        .help(
            "create a site first with `ilji init DIR`, then run the import in it (or pass -C DIR)",
        )
        .into());
    }
    let config = Config::load(&opts.root)?;
    crate::inputs::check_all_inside(&opts.root, &config.theme)?;
    let dialect = opts
        .dialect
        .unwrap_or_else(|| Dialect::detect(&opts.source));
    // Tistory's RSS is a file; every other source is a folder.
    let is_file_source = dialect == Dialect::Tistory && opts.source.is_file();
    if !opts.source.is_dir() && !is_file_source {
        return Err(Diagnostic::new(&opts.source, "this folder does not exist")
            .help("pass the folder of the Hugo site (or its content/) or of the Jekyll site (or its _posts/), or a Tistory blog's saved RSS file, pages or backup")
            .into());
    }
    let mut report = ImportReport {
        dialect: Some(dialect),
        ..ImportReport::default()
    };
    let (posts, mut statics, own_pages) = match dialect {
        Dialect::Hugo => hugo::convert(opts, &mut report.skipped)?,
        Dialect::Jekyll => jekyll::convert(opts, &mut report.skipped)?,
        Dialect::Tistory => tistory::convert(opts, &mut report.skipped)?,
    };
    let mut accepted = Vec::with_capacity(posts.len());
    for mut post in posts {
        if let Some(reason) = check_post(&mut post, &config, opts) {
            report.skipped.push(reason);
            continue;
        }
        let refused = refused_values(&post);
        if refused.is_empty() {
            accepted.push(post);
        } else {
            report.refused.extend(refused);
        }
    }
    report
        .notes
        .extend(placeholders::make_way(opts, &accepted)?);
    let mut taken = unique::Taken::new(&opts.root);
    let (readdressed, dropped) =
        unique::give_unique_addresses(&opts.root, &mut accepted, &mut taken);
    if dialect == Dialect::Hugo {
        hugo::convert_shortcodes(&mut accepted, &opts.source);
    }
    convert_pasted_tistory(&mut accepted);
    report.readdressed = readdressed.len();
    report.aliases_dropped = dropped.len();
    report.notes.extend(readdressed);
    report.notes.extend(dropped);
    let old_site = |from: &Path| old_site_path(&opts.source, from);
    let not_copied = unique::drop_clashing_statics(&mut statics, &taken, old_site);
    report.not_copied = not_copied.len();
    let held = redirects::Held {
        taken: &taken,
        statics: &statics,
    };
    let old_lists = redirects::old_lists(&opts.source, dialect, &accepted, own_pages, &held);
    let mut claimed = std::collections::HashSet::new();
    for post in accepted {
        if !claimed.insert(post.to.clone()) || opts.root.join(&post.to).exists() {
            report.skipped.push(
                Diagnostic::new(
                    &post.from,
                    format!("{} already exists; not written", post.to.display()),
                )
                .help("rename one of them (or remove the old file) and import again"),
            );
            continue;
        }
        write_post(opts, &post, &mut report)?;
    }
    report.notes.extend(not_copied);
    for (from, to) in statics {
        copy(opts, &from, &to, &mut report)?;
    }
    report
        .notes
        .extend(settings::carry_over(opts, dialect, &old_lists)?);
    Ok(report)
}

/// Writes a post (or page), its files and its comments file, and counts them.
fn write_post(opts: &ImportOptions, post: &Post, report: &mut ImportReport) -> Result<()> {
    if post.to.starts_with("content/posts") {
        report.posts += 1;
    } else {
        report.pages += 1;
    }
    if let Some(Value::Sequence(a)) = post.front.get("aliases") {
        report.aliases += a.len();
    }
    if !post.notes.is_empty() {
        let d = Diagnostic::new(&post.from, post.notes.join("; "));
        report.notes.push(d);
    }
    let text = format!("---\n{}---\n{}", yaml(&post.front), post.body);
    write(opts, &post.to, text.as_bytes(), report)?;
    for (from, to) in &post.assets {
        copy(opts, from, to, report)?;
    }
    if let Some(comments) = &post.comments {
        report.comments += comments.lines().filter(|l| l.starts_with("- ")).count();
        report.comment_files += 1;
        write(opts, &comments_file(&post.to), comments.as_bytes(), report)?;
    }
    Ok(())
}

/// The comments file of the post written at `to`: `x.md` → `x.comments.yaml`.
fn comments_file(to: &Path) -> PathBuf {
    let stem = to.file_stem().unwrap_or_default().to_string_lossy();
    to.with_file_name(format!("{stem}.comments.yaml"))
}

/// Tistory HTML pasted into a post's Markdown (how many Korean writers moved to Jekyll)
/// becomes Markdown; after Liquid and shortcodes, so that those inside it are converted
/// first and their Markdown is left alone.
fn convert_pasted_tistory(posts: &mut [Post]) {
    for post in posts {
        if !html_markdown::looks_like_tistory(&post.body) {
            continue;
        }
        let converted = html_markdown::convert_pasted(&post.body, &mut |_| None);
        if converted.markdown != post.body {
            post.body = converted.markdown;
            post.notes
                .push("Tistory HTML converted to Markdown".to_owned());
            post.notes.extend(converted.notes);
        }
    }
}

/// A file of the old blog as its writer knows it: relative to the folder imported (or, for
/// Jekyll's `_posts/` or Hugo's `content/`, to the site around it).
fn old_site_path(source: &Path, file: &Path) -> PathBuf {
    let site = source.parent().unwrap_or(source);
    file.strip_prefix(source)
        .or_else(|_| file.strip_prefix(site))
        .unwrap_or(file)
        .to_path_buf()
}

/// Refuses the import when a file or folder of the old blog that it reads (`rels`, relative
/// to the old site's folder `site`) is a link leading outside that folder: a stranger's
/// repository could link `static/` to the importer's `~/.ssh`, to be published.
pub(crate) fn check_source_inside(site: &Path, rels: &[&str]) -> Result<()> {
    crate::inputs::check_inside(site, rels).map_err(|mut e| {
        for d in &mut e.diagnostics {
            d.path = site.join(&d.path);
        }
        e
    })
}

fn write(opts: &ImportOptions, rel: &Path, bytes: &[u8], report: &mut ImportReport) -> Result<()> {
    if !opts.dry_run {
        crate::fsutil::write_new(&opts.root.join(rel), rel, bytes)?;
    }
    report.written.push(rel.to_path_buf());
    Ok(())
}

/// Copies a file unless its destination exists (then it is reported and left alone).
fn copy(opts: &ImportOptions, from: &Path, to: &Path, report: &mut ImportReport) -> Result<()> {
    let target = opts.root.join(to);
    if target.exists() {
        report.skipped.push(
            Diagnostic::new(from, format!("{} already exists; not copied", to.display()))
                .help("compare the two files and keep the one you want"),
        );
        return Ok(());
    }
    if !opts.dry_run {
        crate::fsutil::copy_file(from, &target, to)?;
    }
    report.written.push(to.to_path_buf());
    Ok(())
}

/// Front matter as YAML text (ends with a newline).
fn yaml(front: &Mapping) -> String {
    crate::yaml::to_string(front).unwrap_or_default()
}

/// The fields ilji knows, gathered from a foreign front matter.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    pub title: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub aliases: Vec<String>,
    /// Everything else, kept as it was (templates see it as `page.extra`).
    pub rest: Mapping,
}

impl Fields {
    /// Keeps `old`, the address the post or page had, as its first alias, unless ilji
    /// publishes it there anyway (`name`: the file or bundle name its new address comes from).
    pub fn keep_old_address(&mut self, old: Option<&str>, is_post: bool, name: &str) {
        let new_url = if is_post {
            new_post_url(self.slug.as_deref(), name)
        } else {
            let slug = slugify(self.slug.as_deref().unwrap_or(name));
            ["/", &crate::site_path::layout::page(&[], &slug)].concat()
        };
        // An alias where the page itself is published would clash with it.
        let same = |a: &str| a.trim_end_matches('/') == new_url.trim_end_matches('/');
        self.aliases.retain(|a| !same(a));
        if let Some(old) = old.map(clean_url) {
            if !same(&old) && !self.aliases.contains(&old) {
                self.aliases.insert(0, old);
            }
        }
    }

    /// The ilji front matter: the known keys in a fixed order, then the rest; the first
    /// category is the category, the others become tags (noted).
    pub fn into_front(mut self, notes: &mut Vec<String>) -> Mapping {
        let mut m = Mapping::new();
        let mut put = |k: &str, v: Value| {
            m.insert(Value::String(k.to_owned()), v);
        };
        if let Some(t) = self.title {
            put("title", Value::String(t));
        }
        if let Some(d) = self.date {
            put("date", Value::String(d));
        }
        if let Some(u) = self.updated {
            put("updated", Value::String(u));
        }
        let mut categories = self.categories.into_iter();
        if let Some(c) = categories.next() {
            put("category", Value::String(c));
        }
        let extra: Vec<String> = categories.collect();
        if !extra.is_empty() {
            notes.push(format!(
                "ilji gives a post one category; the others ({}) became tags",
                extra.join(", ")
            ));
            for c in extra {
                if !self.tags.contains(&c) {
                    self.tags.push(c);
                }
            }
        }
        put(
            "tags",
            Value::Sequence(self.tags.into_iter().map(Value::String).collect()),
        );
        if let Some(s) = self.slug {
            put("slug", Value::String(s));
        }
        if let Some(s) = self.summary {
            put("summary", Value::String(s));
        }
        if self.draft {
            put("draft", Value::Bool(true));
        }
        self.aliases.dedup();
        if !self.aliases.is_empty() {
            put(
                "aliases",
                Value::Sequence(self.aliases.into_iter().map(Value::String).collect()),
            );
        }
        for (k, v) in self.rest {
            m.insert(k, v);
        }
        m
    }
}

/// The address ilji will publish a post at, to tell whether its old one needs an alias:
/// `/posts/<slug>/` where the slug is the front matter's or the file name's.
fn new_post_url(slug: Option<&str>, stem: &str) -> String {
    let stem = crate::content::dates::split_date_prefix(stem).map_or(stem, |(_, rest)| rest);
    [
        "/",
        &crate::site_path::layout::post(&slugify(slug.unwrap_or(stem))),
    ]
    .concat()
}

/// Normalises an old address for comparison and for `aliases:`: leading `/`, percent-
/// decoded, `//` folded.
pub(crate) fn clean_url(url: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(url.trim()).decode_utf8_lossy();
    let mut out = String::from("/");
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        out.push_str(part);
        out.push('/');
    }
    if !decoded.ends_with('/') && out.len() > 1 {
        out.pop();
    }
    out
}

/// Whether a file is Markdown (`.md`, `.markdown`).
pub(crate) fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}
