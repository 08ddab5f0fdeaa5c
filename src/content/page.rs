//! One content file → one [`Page`]: a post (under `content/posts/`) or a standalone page.
//!
//! [`parse`] is pure (text in, page or located error out); [`load`] is the thin wrapper that
//! reads the file and its comments.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use chrono_tz::Tz;

use crate::config::Config;
use crate::content::comments::{parse_comments, Comment};
use crate::content::dates::{parse_date, split_date_prefix, start_of_day};
use crate::content::frontmatter::{self, key_at, FrontMatter, Split};
use crate::content::{is_post, Html, CONTENT_DIR};
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{self, Rendered};
use crate::site_path::{layout, shortened, Refusal, SitePath};
use crate::slug::slugify;
use crate::text::{decoded, key_position};

/// The two kinds of [`Page`]: a dated post of `content/posts/`, listed and categorised, or a
/// standalone page (`content/about.md`), published at its own address and listed nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Post,
    Standalone,
}

/// A parsed content file (a post or a standalone page: "page" in this code means a content
/// file; what the build writes is a job's output file), not yet placed in the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root, e.g. `content/posts/2025-09-08-complaints.md`.
    pub source: PathBuf,
    pub kind: PageKind,
    pub title: String,
    pub slug: String,
    /// Where it is published, relative to the site's base path and not encoded:
    /// `posts/고객-불만/` or `about/`.
    pub path: SitePath,
    pub date: Option<DateTime<Tz>>,
    pub updated: Option<DateTime<Tz>>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    /// The front matter's `summary`, else the body's (moved here from `body.summary_html`,
    /// which is left empty).
    pub summary_html: String,
    pub body: Rendered<Html>,
    pub draft: bool,
    /// Old addresses that redirect here, as paths in the site (see [`SitePath::from_alias`]).
    pub aliases: Vec<SitePath>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub comments: Vec<Comment>,
    /// Files of a post bundle, published beside the post (relative to the site root).
    pub assets: Vec<PathBuf>,
}

/// Reads `source` (relative to `root`) and its comments file, and parses them.
pub fn load(
    root: &Path,
    source: &Path,
    comments: Option<&Path>,
    assets: Vec<PathBuf>,
    config: &Config,
) -> Result<Page> {
    let mut page = with_text(root, source, |text| {
        let sizes = |address: &str| crate::content::images::size_of(root, source, address);
        parse_sized(source, text, config.timezone, &sizes)
    })?;
    if let Some(c) = comments {
        page.comments = load_comments(root, c, config)?;
    }
    page.assets = assets;
    Ok(page)
}

/// Reads and parses the comments file `path` (relative to `root`).
pub fn load_comments(root: &Path, path: &Path, config: &Config) -> Result<Vec<Comment>> {
    with_text(root, path, |text| {
        parse_comments(path, text, config.timezone)
    })
}

/// Calls `f` with the text of the file `path` (relative to `root`), read into a buffer the
/// thread keeps: a big blog's files are then read without an allocation, a copy or a size
/// lookup each.
fn with_text<T>(root: &Path, path: &Path, f: impl FnOnce(&str) -> Result<T>) -> Result<T> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        let len = read_into(&root.join(path), buffer).map_err(|e| Error::io(path, &e))?;
        f(&decoded(path, &buffer[..len])?)
    })
}

/// Reads the file at `path` into the start of `buffer`, which grows as it needs to (and stays
/// grown); the length read.
fn read_into(path: &Path, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut len = 0;
    loop {
        if len == buffer.len() {
            buffer.resize((buffer.len() * 2).max(64 * 1024), 0);
        }
        match file.read(&mut buffer[len..]) {
            Ok(0) => return Ok(len),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Parses the text of the content file at `source` (relative to the site root), its images'
/// sizes unknown.
pub fn parse(source: &Path, text: &str, tz: Tz) -> Result<Page> {
    parse_sized(source, text, tz, &|_| None)
}

/// [`parse`], with the sizes of its images (see `content/images.rs`).
fn parse_sized(source: &Path, text: &str, tz: Tz, sizes: markdown::Sizes) -> Result<Page> {
    let split = frontmatter::split(source, text)?;
    let fm = frontmatter::parse(source, &split)?;
    let kind = if is_post(source) {
        PageKind::Post
    } else {
        PageKind::Standalone
    };
    let name = file_name_stem(source);
    let name_date = split_date_prefix(&name);
    let title = fm
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| missing(source, &split, "title", "title: 글 제목"))?;
    let date = match &fm.date {
        Some(text) => Some(checked_date(source, &split, "date", text, tz)?),
        None => name_date.and_then(|(d, _)| start_of_day(d, tz)),
    };
    let updated = match &fm.updated {
        Some(text) => Some(checked_date(source, &split, "updated", text, tz)?),
        None => None,
    };
    if kind == PageKind::Post {
        check_post(source, &split, &fm, date.is_some())?;
    }
    let slug = match &fm.slug {
        Some(s) => slugify(s),
        None => slugify(name_date.map_or(name.as_str(), |(_, rest)| rest)),
    };
    let path = address(source, &split, &fm, kind, &slug)?;
    check_terms(source, &split, &fm)?;
    let aliases = aliases(source, &split, &fm)?;

    // Tistory's editor HTML pasted into the post is read as the Markdown it stands for.
    let pasted = markdown::from_html::looks_like_tistory(split.body)
        .then(|| markdown::from_html::convert_pasted(split.body, &mut |_| None).markdown);
    let mut body = markdown::render(pasted.as_deref().unwrap_or(split.body), sizes, Html::new);
    // The body's own summary moves to the page (and is left empty in `body`).
    let body_summary = std::mem::take(&mut body.summary_html);
    let summary_html = match &fm.summary {
        Some(s) => markdown::render_fragment(s),
        None => body_summary,
    };
    let FrontMatter {
        category,
        tags,
        draft,
        extra,
        ..
    } = fm;
    Ok(Page {
        source: source.to_path_buf(),
        kind,
        title,
        slug,
        path,
        date,
        updated,
        category: category.map(|c| c.trim().to_owned()),
        tags,
        summary_html,
        body,
        draft,
        aliases,
        extra,
        comments: Vec::new(),
        assets: Vec::new(),
    })
}

/// "The front matter has no `key`", with a line to add.
fn missing(source: &Path, split: &Split, key: &str, example: &str) -> Error {
    let d = Diagnostic::new(source, format!("the front matter has no `{key}`"));
    let d = if split.has_front_matter {
        d.at_line(2)
    } else {
        d.at(1, 1)
    };
    d.help(format!(
        "add a line `{example}` to the front matter (between the `---` lines)"
    ))
    .into()
}

/// What a post needs that a page does not: a date (`dated`: from the front matter or the
/// file name) and a category with letters or digits in its name.
fn check_post(source: &Path, split: &Split, fm: &FrontMatter, dated: bool) -> Result<()> {
    const CATEGORY: &str = "category: 퇴사 후 마이크로 비즈니스 운영 일지";
    if !dated {
        return Err(missing(source, split, "date", "date: 2025-09-08"));
    }
    match fm.category.as_deref() {
        None => Err(missing(source, split, "category", CATEGORY)),
        Some(c) if c.trim().is_empty() => Err(missing(source, split, "category", CATEGORY)),
        Some(c) if slugify(c).is_empty() => {
            let (line, column) = key_at(split, "category");
            Err(Diagnostic::new(
                source,
                format!("the category `{c}` has no letters or digits"),
            )
            .at(line, column)
            .help("name the category with words, e.g. `category: 운영 일지`")
            .into())
        }
        Some(_) => Ok(()),
    }
}

/// Where the page is published, from its `slug`: refused when the slug is empty or gives an
/// address no file system holds.
fn address(
    source: &Path,
    split: &Split,
    fm: &FrontMatter,
    kind: PageKind,
    slug: &str,
) -> Result<SitePath> {
    if slug.is_empty() {
        return Err(
            Diagnostic::new(source, "this file name gives an empty address")
                .help("add `slug: some-name` to the front matter")
                .into(),
        );
    }
    let path = match kind {
        PageKind::Post => SitePath::new(&layout::post(slug)),
        PageKind::Standalone => SitePath::new(&layout::page(&page_folders(source), slug)),
    };
    path.map_err(|refusal| {
        let (what, at, help) = match &fm.slug {
            Some(_) => (
                "the slug",
                located(split.yaml, "slug", None).map(|(l, c)| (l + split.yaml_line_offset, c)),
                "shorten `slug:`",
            ),
            None => (
                "the address",
                None,
                "give the page a shorter `slug:` (or rename the file)",
            ),
        };
        refused(source, at, what, slug, refusal, help)
    })
}

/// The page's `aliases:`; every refused one is reported at once (an imported post may have
/// several).
fn aliases(source: &Path, split: &Split, fm: &FrontMatter) -> Result<Vec<SitePath>> {
    let mut aliases = Vec::with_capacity(fm.aliases.len());
    let mut refusals = Vec::new();
    for alias in &fm.aliases {
        match SitePath::from_alias(alias) {
            // The same old address written twice (`/a/` and `/a`) is one redirect.
            Ok(path) if aliases.contains(&path) => {}
            Ok(path) => aliases.push(path),
            Err(refusal) => {
                let at = located(split.yaml, "aliases", Some(alias))
                    .map(|(l, c)| (l + split.yaml_line_offset, c));
                let help = "write the old address from the site's root, such as `/entry/옛-주소` or `/123`";
                let e = refused(source, at, "the alias", alias, refusal, help);
                refusals.extend(e.diagnostics);
            }
        }
    }
    if refusals.is_empty() {
        Ok(aliases)
    } else {
        Err(Error::many(refusals))
    }
}

/// Refuses a category or tag whose name gives an address no file system can hold.
fn check_terms(source: &Path, split: &Split, fm: &FrontMatter) -> Result<()> {
    let named = fm.category.iter().map(|c| ("category", c));
    for (key, name) in named.chain(fm.tags.iter().map(|t| ("tags", t))) {
        // Lower-casing lengthens a letter by half at most (İ → i̇) and nothing else in a slug
        // grows, so a name this short always gives a slug a file name holds.
        if name.len() <= crate::site_path::MAX_PART / 3 {
            continue;
        }
        if let Err(refusal) = SitePath::new(&slugify(name)) {
            // (`categories:` when `category:` is not there.)
            let at = located(split.yaml, key, Some(name))
                .or_else(|| located(split.yaml, "categories", Some(name)))
                .map(|(l, c)| (l + split.yaml_line_offset, c));
            let (what, help) = match key {
                "category" => ("the category", "shorten the category's name"),
                _ => ("the tag", "shorten the tag"),
            };
            return Err(refused(source, at, what, name, refusal, help));
        }
    }
    Ok(())
}

/// "`what` `value` cannot be published: `refusal`", at `at` (line and column).
fn refused(
    source: &Path,
    at: Option<(usize, usize)>,
    what: &str,
    value: &str,
    refusal: Refusal,
    help: &str,
) -> Error {
    let shown = shortened(&value.escape_debug().to_string(), 60);
    let d = Diagnostic::new(
        source,
        format!("{what} `{shown}` cannot be published: {refusal}"),
    )
    .help(help);
    match at {
        Some((line, column)) => d.at(line, column),
        None => d,
    }
    .into()
}

/// Where `key:` is in front-matter YAML, as (line, column) counted in the YAML; with `value`,
/// the first place at or after the key's line, within its block, where `value` is written
/// (a list may run over several lines); else the key's own position.
fn located(yaml: &str, key: &str, value: Option<&str>) -> Option<(usize, usize)> {
    let (key_line, key_column) = key_position(yaml, key)?;
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Some((key_line, key_column));
    };
    for (i, line) in yaml.lines().enumerate().skip(key_line - 1) {
        let in_block = i + 1 == key_line || line.starts_with([' ', '\t', '-']);
        if !in_block {
            break;
        }
        if let Some(at) = line.find(value) {
            return Some((i + 1, line[..at].chars().count() + 1));
        }
    }
    Some((key_line, key_column))
}

fn checked_date(
    source: &Path,
    split: &Split,
    key: &str,
    text: &str,
    tz: Tz,
) -> Result<DateTime<Tz>> {
    parse_date(text, tz).ok_or_else(|| {
        let (line, column) = key_at(split, key);
        Diagnostic::new(source, format!("`{key}: {text}` is not a valid date"))
            .at(line, column)
            .help("write it as 2025-09-08, 2025-09-08 07:00 or 2025-09-08T07:00:00+09:00")
            .into()
    })
}

/// The name a file gives its page: the file stem, or the folder of an `index.md`.
fn file_name_stem(source: &Path) -> String {
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned());
    match stem.as_deref() {
        Some("index") => source
            .parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        _ => stem.unwrap_or_default(),
    }
}

/// The folders (as slugs) a standalone page is published below: `content/company/history.md`
/// → `company`; a bundle's own folder (`content/company/index.md`) is not one.
fn page_folders(source: &Path) -> Vec<String> {
    let rel = source.strip_prefix(CONTENT_DIR).unwrap_or(source);
    let mut folders: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| slugify(&c.as_os_str().to_string_lossy()))
        .collect();
    if source.file_stem().is_some_and(|s| s == "index") {
        folders.pop();
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Seoul;

    #[test]
    fn files_of_any_size_are_read_whole_into_the_kept_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let mut buffer = Vec::new();
        // Empty, exactly the first buffer's size, past it, and a short one after a long one
        // (whose bytes stay in the buffer beyond what is read).
        for len in [0, 64 * 1024, 64 * 1024 + 1, 300_000, 5] {
            let bytes: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let path = dir.path().join(format!("{len}.md"));
            std::fs::write(&path, &bytes).unwrap();
            let n = read_into(&path, &mut buffer).unwrap();
            assert_eq!(&buffer[..n], &bytes[..], "{len} bytes");
        }
        assert!(read_into(&dir.path().join("missing.md"), &mut buffer).is_err());
    }

    #[test]
    fn post_from_dated_file_name() {
        let p = parse(
            Path::new("content/posts/2025-09-08-고객 불만.md"),
            "---\ntitle: 제목\ncategory: 일지\n---\n본문",
            Seoul,
        )
        .unwrap();
        assert_eq!(p.slug, "고객-불만");
        assert_eq!(p.path.as_str(), "posts/고객-불만/");
        assert_eq!(p.date.unwrap().to_rfc3339(), "2025-09-08T00:00:00+09:00");
    }

    #[test]
    fn an_alias_written_twice_is_one_redirect() {
        let p = parse(
            Path::new("content/posts/a.md"),
            "---\ntitle: 제목\ndate: 2025-09-08\ncategory: 일지\naliases: [/old/, \"/old/\", /old, /other/]\n---\n",
            Seoul,
        )
        .unwrap();
        let aliases: Vec<&str> = p.aliases.iter().map(SitePath::as_str).collect();
        assert_eq!(aliases, ["old/", "other/"]);
    }

    #[test]
    fn missing_category_is_named() {
        let e = parse(
            Path::new("content/posts/a.md"),
            "---\ntitle: 제목\ndate: 2025-09-08\n---\n",
            Seoul,
        )
        .unwrap_err();
        assert!(e.to_string().contains("`category`"), "{e}");
    }

    #[test]
    fn category_without_letters_is_refused() {
        let e = parse(
            Path::new("content/posts/a.md"),
            "---\ntitle: 제목\ndate: 2025-09-08\ncategory: \"!!\"\n---\n",
            Seoul,
        )
        .unwrap_err();
        assert_eq!(e.diagnostics[0].line, Some(4), "{e}");
    }

    #[test]
    fn invalid_date_points_at_its_line() {
        let e = parse(
            Path::new("content/posts/a.md"),
            "---\ntitle: 제목\ncategory: 일지\ndate: 2025-13-45\n---\n",
            Seoul,
        )
        .unwrap_err();
        assert_eq!(e.diagnostics[0].line, Some(4));
    }

    #[test]
    fn hostile_aliases_are_refused_at_their_line_and_column() {
        let text = "---\ntitle: A\ndate: 2025-01-01\ncategory: x\naliases:\n  - /old/\n  - ../../../../victim.txt\n---\n";
        let e = parse(Path::new("content/posts/a.md"), text, Seoul).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(7), Some(5)), "{e}");
        assert!(d.message.contains("`../../../../victim.txt`"), "{e}");
        assert!(d.message.contains("`..` part"), "{e}");
        for alias in ["\"../site.yaml\"", "/%2e%2e/x", "\"a\\\\b\"", "\"a\\0b\""] {
            let text =
                format!("---\ntitle: A\ndate: 2025-01-01\ncategory: x\naliases: [{alias}]\n---\n");
            let e = parse(Path::new("content/posts/a.md"), &text, Seoul).unwrap_err();
            assert_eq!(e.diagnostics[0].line, Some(5), "{alias}: {e}");
        }
        let ok = "---\ntitle: A\ndate: 2025-01-01\ncategory: x\naliases: [/entry/%EC%98%9B, /1.html]\n---\n";
        let p = parse(Path::new("content/posts/a.md"), ok, Seoul).unwrap();
        let aliases: Vec<&str> = p.aliases.iter().map(|a| a.as_str()).collect();
        assert_eq!(aliases, ["entry/옛/", "1.html"]);
    }

    #[test]
    fn names_too_long_for_a_file_system_are_refused_briefly() {
        let long = "가".repeat(100);
        for (key, line) in [("slug", 5), ("category", 4), ("tags", 5)] {
            let (category, extra) = match key {
                "category" => (long.clone(), String::new()),
                "tags" => ("x".to_owned(), format!("tags: [짧은, {long}]")),
                _ => ("x".to_owned(), format!("slug: {long}")),
            };
            let text =
                format!("---\ntitle: A\ndate: 2025-01-01\ncategory: {category}\n{extra}\n---\n");
            let e = parse(Path::new("content/posts/a.md"), &text, Seoul).unwrap_err();
            let d = &e.diagnostics[0];
            assert_eq!(d.line, Some(line), "{key}: {e}");
            assert!(d.message.contains("300 bytes"), "{key}: {e}");
            assert!(e.to_string().len() < 400, "{key}: a brief message: {e}");
        }
        // From the file name, without a line.
        let e = parse(
            Path::new(&format!("content/posts/{long}.md")),
            "---\ntitle: A\ndate: 2025-01-01\ncategory: x\n---\n",
            Seoul,
        )
        .unwrap_err();
        assert!(e.to_string().contains("slug:"), "{e}");
    }

    #[test]
    fn standalone_page_paths() {
        let p = parse(
            Path::new("content/about.md"),
            "---\ntitle: 소개\n---\n",
            Seoul,
        )
        .unwrap();
        assert_eq!(p.path.as_str(), "about/");
        assert_eq!(p.kind, PageKind::Standalone);
        let p = parse(
            Path::new("content/company/index.md"),
            "---\ntitle: 회사\n---\n",
            Seoul,
        )
        .unwrap();
        assert_eq!(p.path.as_str(), "company/");
    }
}
