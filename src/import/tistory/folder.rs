//! A folder of Tistory pages: Tistory's backup (`123/123-제목.html` with the post's
//! attachments beside it) or pages a browser saved (`제목.html` + `제목_files/`), read with
//! `page`; and a post's [`Attachments`]: the images its body shows (and, for a backup,
//! every file of its folder) copied into its bundle. No file outside the folder imported
//! is read, whatever an address or a link on disk says.

use std::path::{Component, Path, PathBuf};

use super::Files;
use crate::error::{Diagnostic, Error, Result};

/// The largest page read: a saved page with its inline scripts is rarely 5 MB.
const MAX_PAGE: u64 = 32 * 1024 * 1024;

/// Whether `dir` is Tistory's backup: a folder holding numbered folders with HTML in them.
pub(super) fn is_backup(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let numbered = e.file_name().to_str().is_some_and(is_number);
        numbered && e.path().is_dir() && has_html(&e.path())
    })
}

fn is_number(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())
}

fn has_html(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|es| es.flatten().any(|e| is_html(&e.path())))
}

fn is_html(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "htm")
    )
}

/// The entries of every page below `source` (the saved pages' `_files/` folders skipped).
pub(super) fn read(source: &Path, skipped: &mut Vec<Diagnostic>) -> Result<Vec<super::Entry>> {
    let root = source.canonicalize().map_err(|e| Error::io(source, &e))?;
    let mut entries = Vec::new();
    for (abs, rel) in crate::fsutil::files_below(source)? {
        let in_files = rel.split('/').rev().skip(1).any(|d| d.ends_with("_files"));
        if !is_html(&abs) || in_files {
            continue;
        }
        let shown = PathBuf::from(&rel);
        let Some(real) = inside(&root, &abs) else {
            skipped.push(outside(&shown));
            continue;
        };
        let html = match read_page(&real) {
            Ok(h) => h,
            Err(d) => {
                skipped.push(
                    d.help("save the page again as UTF-8 HTML")
                        .into_shown(&shown),
                );
                continue;
            }
        };
        let dir = real.parent().unwrap_or(&root).to_path_buf();
        // A backup's post folder is named after its number, and holds only that post.
        let backup = dir != root
            && dir
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_number);
        let mut entry = super::page::read(&html);
        if entry.number.is_none() && backup {
            entry.number = dir.file_name().and_then(|n| n.to_str()?.parse().ok());
        }
        if entry.title.is_empty() {
            entry.title = title_from_file_name(&abs, entry.number);
        }
        entry.source = abs;
        entry.from = shown;
        entry.files = Some(Files {
            root: root.clone(),
            dir,
            all: backup,
        });
        entries.push(entry);
    }
    Ok(entries)
}

trait Shown {
    fn into_shown(self, shown: &Path) -> Diagnostic;
}

impl Shown for Diagnostic {
    fn into_shown(mut self, shown: &Path) -> Diagnostic {
        self.path = shown.to_path_buf();
        self
    }
}

fn read_page(path: &Path) -> std::result::Result<String, Diagnostic> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_PAGE {
        return Err(Diagnostic::new(
            path,
            "this page is larger than 32 MB; not imported",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(path, e.to_string()))?;
    String::from_utf8(bytes)
        .map_err(|_| Diagnostic::new(path, "this page is not UTF-8; not imported"))
}

/// The backup's `123-제목.html` → `제목`; a saved page's `제목.html` → `제목`.
fn title_from_file_name(path: &Path, number: Option<u64>) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match number.map(|n| format!("{n}-")) {
        Some(prefix) => stem.strip_prefix(&prefix).unwrap_or(&stem).to_owned(),
        None => stem,
    }
}

fn outside(shown: &Path) -> Diagnostic {
    Diagnostic::new(
        shown,
        "this file is a link leading outside the folder imported; not read",
    )
    .help("copy the file itself into the folder if it belongs to the blog")
}

/// `path` as it really is, when it is inside `root` (canonical) and a file.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

/// A post's files on their way into its bundle.
pub(super) struct Attachments {
    files: Option<Files>,
    origin: Option<String>,
    /// (absolute source, path inside the bundle).
    copied: Vec<(PathBuf, String)>,
    remote: usize,
    missing: Vec<String>,
}

impl Attachments {
    pub(super) fn new(files: Option<Files>, origin: Option<String>) -> Attachments {
        let mut a = Attachments {
            files,
            origin,
            copied: Vec::new(),
            remote: 0,
            missing: Vec::new(),
        };
        a.take_whole_folder();
        a
    }

    /// A backup's post folder is the post's: every file in it (but the page) goes along.
    fn take_whole_folder(&mut self) {
        let Some(files) = self.files.clone().filter(|f| f.all) else {
            return;
        };
        for (abs, rel) in crate::fsutil::files_below(&files.dir).unwrap_or_default() {
            let (Some(real), Some(name)) = (inside(&files.root, &abs), bundle_path(&rel)) else {
                continue;
            };
            if !is_html(&real) && !self.copied.iter().any(|(_, n)| *n == name) {
                self.copied.push((real, name));
            }
        }
    }

    /// The address an image of the body gets: its path in the bundle when the file was
    /// saved with the page (copied), the blog's own address for one written from its root
    /// (`/attachment/…`), else as written (`None`).
    pub(super) fn place(&mut self, src: &str) -> Option<String> {
        let src = src.trim();
        let lower = src.to_ascii_lowercase();
        if lower.starts_with("data:") {
            return None;
        }
        if ["http:", "https:", "//"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            self.remote += 1;
            return None;
        }
        if src.starts_with('/') {
            let Some(origin) = &self.origin else {
                self.missing.push(src.to_owned());
                return None;
            };
            self.remote += 1;
            return Some(format!("{origin}{src}"));
        }
        let Some(files) = self.files.clone() else {
            self.missing.push(src.to_owned());
            return None;
        };
        let path = src.split(['?', '#']).next().unwrap_or(src);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let rel = Path::new(decoded.as_ref());
        let plain = rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        let real = plain
            .then(|| inside(&files.root, &files.dir.join(rel)))
            .flatten();
        let Some(real) = real else {
            self.missing.push(src.to_owned());
            return None;
        };
        if let Some((_, name)) = self.copied.iter().find(|(p, _)| *p == real) {
            return Some(address(name));
        }
        let file_name = real.file_name()?.to_string_lossy().into_owned();
        let name = self.free_name(&bundle_path(&file_name).unwrap_or_else(|| "image".to_owned()));
        let shown = address(&name);
        self.copied.push((real, name));
        Some(shown)
    }

    /// `name`, or `name-2`… when another file of the bundle has it.
    fn free_name(&self, name: &str) -> String {
        let taken = |n: &str| self.copied.iter().any(|(_, c)| c.eq_ignore_ascii_case(n));
        if !taken(name) {
            return name.to_owned();
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
            _ => (name, String::new()),
        };
        (2..)
            .map(|n| format!("{stem}-{n}{ext}"))
            .find(|n| !taken(n))
            .unwrap_or_default()
    }

    /// What the writer should know: images left at their Tistory address, images not found.
    pub(super) fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.remote > 0 {
            notes.push(format!(
                "{} at their Tistory address (ilji does not download them; save them \
                 beside the post and change the addresses to keep them)",
                if self.remote == 1 {
                    "1 image stays".to_owned()
                } else {
                    format!("{} images stay", self.remote)
                }
            ));
        }
        if !self.missing.is_empty() {
            notes.push(format!(
                "not found in the folder imported (or leading outside it), left as written: {}",
                self.missing.join(", ")
            ));
        }
        notes
    }

    /// Where the post goes (`content/posts/<date>-<name>.md`, or a bundle's `index.md` when
    /// it has files) and its files' destinations, relative to the site root.
    pub(super) fn destination(
        self,
        name: &str,
        date: Option<&str>,
    ) -> (PathBuf, Vec<(PathBuf, PathBuf)>) {
        let prefix = date
            .and_then(|d| d.get(..10))
            .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
            .map(|d| format!("{d}-"))
            .unwrap_or_default();
        let posts = Path::new("content/posts");
        if self.copied.is_empty() {
            return (posts.join(format!("{prefix}{name}.md")), Vec::new());
        }
        let bundle = posts.join(format!("{prefix}{name}"));
        let assets = self
            .copied
            .into_iter()
            .map(|(abs, rel)| (abs, bundle.join(rel)))
            .collect();
        (bundle.join("index.md"), assets)
    }
}

/// A path inside a bundle made of `rel` (`/`-separated): no `.` or `..` part, no hidden
/// name, no character a file system refuses (`\\ : * ? " < > |`, control characters);
/// `None` for nothing left.
fn bundle_path(rel: &str) -> Option<String> {
    let parts: Vec<String> = rel
        .split(['/', '\\'])
        .map(|p| {
            let clean: String = p
                .chars()
                .map(|c| {
                    if c.is_control() || ":*?\"<>|".contains(c) {
                        '-'
                    } else {
                        c
                    }
                })
                .collect();
            clean.trim().trim_start_matches('.').to_owned()
        })
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A bundle path as a Markdown address: the characters that end or break one (space,
/// parentheses, `<>`, `%`, `#`) percent-encoded.
fn address(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '%' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_paths_keep_names_and_drop_what_leads_away() {
        assert_eq!(
            bundle_path("img/사진 1.png").as_deref(),
            Some("img/사진 1.png")
        );
        assert_eq!(address("img/사진 (1).png"), "img/사진%20%281%29.png");
        assert_eq!(
            bundle_path("../../etc/passwd").as_deref(),
            Some("etc/passwd")
        );
        assert_eq!(bundle_path(".hidden:x").as_deref(), Some("hidden-x"));
        assert_eq!(bundle_path("../"), None);
    }

    #[test]
    fn backup_page_names_lose_their_number() {
        assert_eq!(
            title_from_file_name(Path::new("12/12-첫 글.html"), Some(12)),
            "첫 글"
        );
        assert_eq!(title_from_file_name(Path::new("첫 글.html"), None), "첫 글");
    }
}
