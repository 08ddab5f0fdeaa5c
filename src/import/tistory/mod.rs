//! Tistory: a blog's RSS file (`https://<blog>.tistory.com/rss` saved), a folder of its post
//! pages saved by a browser (`제목.html` + `제목_files/`), or Tistory's own backup (one
//! folder per post number: `123/123-제목.html` and its attachments). Each source is read
//! into [`Entry`]s (`rss`, `page`, `folder`); this module turns an entry into a [`Post`]:
//! its body through `html_markdown`, its images copied into the post's bundle, its old
//! addresses (`/123`, `/entry/<title>`) kept as aliases, its comments beside it.
//!
//! It reads only below the folder (or the file) imported, and writes nothing itself.

mod address;
mod folder;
mod page;
mod rss;

use std::path::{Path, PathBuf};

use super::html_markdown;
use super::{Converted, Fields, ImportOptions, Post};
use crate::error::{Diagnostic, Result};
use crate::yaml::Value;

pub(super) use rss::settings;

/// One Tistory post as its source holds it, not yet converted.
#[derive(Debug, Default)]
pub(super) struct Entry {
    /// The file it came from (absolute), and as the writer is shown it.
    pub source: PathBuf,
    pub from: PathBuf,
    pub title: String,
    /// The post number (`/123`).
    pub number: Option<u64>,
    /// The path of its Tistory address as written (`/entry/%EC%A0%9C%EB%AA%A9`, `/123`).
    pub address: Option<String>,
    /// RFC 3339 (or a date ilji reads), with the offset Tistory wrote.
    pub date: Option<String>,
    /// As Tistory writes it: `상위/하위` for a sub-category.
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    /// The post's HTML (the inside of its article).
    pub body: String,
    pub comments: Vec<Comment>,
    /// How many comments Tistory showed (they may not all be in the page).
    pub comment_count: Option<u64>,
    /// A protected or private post (published as a draft).
    pub draft: bool,
    /// Where its images and attachments are, when they were saved with it.
    pub files: Option<Files>,
    /// The blog's `https://<blog>.tistory.com`, for images written from its root.
    pub origin: Option<String>,
}

/// A reader's comment found in a saved page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Comment {
    pub author: String,
    /// As ilji reads dates; `None` when the page showed none it could read.
    pub date: Option<String>,
    pub body: String,
}

/// Where a saved post's files are.
#[derive(Debug, Clone)]
pub(super) struct Files {
    /// The folder imported (canonical): nothing outside it is read.
    pub root: PathBuf,
    /// The folder of the post's HTML file: relative image addresses start there.
    pub dir: PathBuf,
    /// Tistory's backup: every file of `dir` is an attachment of the post, copied whole
    /// with its path inside `dir`; a saved page's `_files/` holds the skin's files too, so
    /// only the images its body shows are copied.
    pub all: bool,
}

/// Whether `path` is a Tistory source: an RSS file that says Tistory made it, or a folder
/// of numbered folders holding HTML (Tistory's backup). A folder of saved pages is not
/// told from other HTML; it needs `--from tistory`.
pub fn detect(path: &Path) -> bool {
    if path.is_file() {
        rss::is_tistory_rss(path)
    } else {
        folder::is_backup(path)
    }
}

/// Reads the RSS file or the folder at `opts.source` into posts (Tistory has no static
/// files to copy apart from a post's attachments, which go with the post).
pub(super) fn convert(opts: &ImportOptions, skipped: &mut Vec<Diagnostic>) -> Result<Converted> {
    let entries = if opts.source.is_file() {
        rss::read(&opts.source)?
    } else {
        folder::read(&opts.source, skipped)?
    };
    let posts = entries.into_iter().map(into_post).collect();
    Ok((posts, Vec::new(), Default::default()))
}

/// The ilji post of an entry.
fn into_post(entry: Entry) -> Post {
    let mut notes = Vec::new();
    let mut attachments = folder::Attachments::new(entry.files.clone(), entry.origin.clone());
    let converted = convert_body(&entry.body, &mut attachments);
    notes.extend(converted.notes);
    notes.extend(attachments.notes());

    let (category, mut tags) = split_category(entry.category.as_deref());
    if let (Some(c), true) = (&category, !tags.is_empty()) {
        notes.push(format!(
            "the sub-category `{}` became the category `{c}` and the tag `{}`",
            entry.category.as_deref().unwrap_or_default(),
            tags.join("`, `")
        ));
    }
    for t in entry.tags {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let mut aliases = Vec::new();
    if let Some(n) = entry.number {
        aliases.push(format!("/{n}"));
    }
    aliases.push(address::entry_alias(entry.address.as_deref(), &entry.title));
    aliases.dedup();
    if entry.draft {
        notes.push("a protected or private post on Tistory; imported as a draft".to_owned());
    }
    let mut rest = crate::yaml::Mapping::new();
    if let Some(a) = entry.author {
        rest.insert(Value::String("author".to_owned()), Value::String(a));
    }
    let read = entry.comments.len() as u64;
    if let Some(n) = entry.comment_count.filter(|n| *n > read) {
        rest.insert(Value::String("tistory_comments".to_owned()), Value::from(n));
        notes.push(format!(
            "Tistory showed {n} comments and the page held {read}; the count is kept as \
             `tistory_comments` (save the page with every comment shown to import them)"
        ));
    }
    let fields = Fields {
        title: Some(entry.title.clone()),
        date: entry.date.clone(),
        categories: category.into_iter().collect(),
        tags,
        draft: entry.draft,
        aliases,
        rest,
        ..Fields::default()
    };
    let name = address::file_name(&entry.title, entry.number);
    let (to, assets) = attachments.destination(&name, entry.date.as_deref());
    Post {
        source: entry.source,
        from: entry.from,
        to,
        front: fields.into_front(&mut notes),
        body: converted.markdown,
        assets,
        notes,
        comments: comments_yaml(&entry.comments, entry.date.as_deref()),
        old_category: entry.category,
    }
}

/// The body in Markdown, each image placed by `attachments` (copied into the bundle, or
/// left at its Tistory address). An image the conversion kept as HTML (a layout it has no
/// Markdown for) is placed too, and its `src` and `srcset` changed in that HTML.
fn convert_body(html: &str, attachments: &mut folder::Attachments) -> html_markdown::HtmlMarkdown {
    let mut asked = Vec::new();
    let mut converted = html_markdown::to_markdown(html, &mut |src| {
        asked.push(src.to_owned());
        attachments.place(src)
    });
    for src in page::image_sources(html) {
        if asked.contains(&src) {
            continue;
        }
        asked.push(src.clone());
        if let Some(new) = attachments.place(&src) {
            // `src="…"`, and `srcset="… 2x"` that would show the old file instead.
            for q in ['"', '\''] {
                let old = format!("={q}{src}");
                converted.markdown = converted.markdown.replace(&old, &format!("={q}{new}"));
            }
        }
    }
    converted
}

/// Tistory's category `상위/하위`: ilji gives a post one category, so the last part is the
/// category and the ones above it become tags (they still group the posts). A part with no
/// letter or digit (`..`) names nothing and is left out.
fn split_category(category: Option<&str>) -> (Option<String>, Vec<String>) {
    let mut parts: Vec<String> = category
        .unwrap_or_default()
        .split('/')
        .map(str::trim)
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .map(str::to_owned)
        .collect();
    let last = parts.pop();
    (last, parts)
}

/// The comments file of a post (`None` without comments); a comment whose date the page did
/// not show gets the post's.
fn comments_yaml(comments: &[Comment], post_date: Option<&str>) -> Option<String> {
    let list: Vec<Value> = comments
        .iter()
        .filter_map(|c| {
            let date = c.date.as_deref().or(post_date)?;
            let mut m = crate::yaml::Mapping::new();
            for (k, v) in [("author", &*c.author), ("date", date), ("body", &*c.body)] {
                m.insert(Value::String(k.to_owned()), Value::String(v.to_owned()));
            }
            Some(Value::Mapping(m))
        })
        .collect();
    if list.is_empty() {
        return None;
    }
    crate::yaml::to_string(&Value::Sequence(list)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_category_gives_its_last_part_and_tags_the_rest() {
        assert_eq!(
            split_category(Some("개발/ Rust ")),
            (Some("Rust".to_owned()), vec!["개발".to_owned()])
        );
        assert_eq!(
            split_category(Some("일상")),
            (Some("일상".to_owned()), vec![])
        );
        assert_eq!(split_category(Some("")), (None, vec![]));
        assert_eq!(
            split_category(Some("../../공지")),
            (Some("공지".to_owned()), vec![])
        );
    }

    #[test]
    fn comments_without_a_date_take_the_posts() {
        let c = Comment {
            author: "손님".to_owned(),
            date: None,
            body: "좋은 글".to_owned(),
        };
        let yaml = comments_yaml(&[c], Some("2023-05-01T12:00:00+09:00")).unwrap();
        assert!(yaml.contains("2023-05-01T12:00:00+09:00"), "{yaml}");
        assert_eq!(comments_yaml(&[], None), None);
    }
}
