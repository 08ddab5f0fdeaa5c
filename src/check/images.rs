//! What `check` says about a post's images beyond where they lead: an image without alt
//! text (readers who cannot see it get nothing), and an image file of this site whose header
//! does not read as a JPEG, PNG, GIF, WebP, AVIF or SVG (a truncated or mis-named file that
//! browsers show as broken).
//!
//! Both are warnings: the page is published all the same. Headers are read with
//! `imagesize`, which reads a few bytes of the file and decodes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::links::{Kind, Target};
use super::targets::candidate_files;
use super::Found;
use crate::error::Diagnostic;
use crate::site_path::SitePath;

/// A warning for every image in `found` written without alt text.
pub(super) fn without_alt(found: &[Found]) -> Vec<Diagnostic> {
    found
        .iter()
        .filter(|f| f.link.kind == Kind::Image && f.link.no_alt)
        .map(|f| {
            let url = &f.link.url;
            let help = if f.link.html {
                format!(
                    "describe the photo in an alt attribute: <img src=\"{url}\" alt=\"가게 앞 모습\">"
                )
            } else {
                format!("describe the photo in the brackets: ![가게 앞 모습]({url})")
            };
            f.diagnostic(format!(
                "the image {url} has no alt text: readers who cannot see it get nothing"
            ))
            .help(help)
        })
        .collect()
}

/// A warning for every image in `found` (parallel to `resolved`, where each leads) that is a
/// file of this site (`copies`: the files copied as they are, by their source) whose size
/// cannot be read from its header.
pub(super) fn unreadable(
    root: &Path,
    found: &[Found],
    resolved: &[Target],
    copies: &[(PathBuf, SitePath)],
) -> Vec<Diagnostic> {
    let sources: HashMap<String, &Path> = copies
        .iter()
        .map(|(source, rel)| (rel.to_string(), source.as_path()))
        .collect();
    // Each file is read once, however many posts show it.
    let mut verdicts: HashMap<&Path, Option<String>> = HashMap::new();
    let mut warnings = Vec::new();
    for (f, target) in found.iter().zip(resolved) {
        let Target::Internal { path, .. } = target else {
            continue;
        };
        if f.link.kind != Kind::Image {
            continue;
        }
        let Some(source) = candidate_files(path)
            .iter()
            .find_map(|c| sources.get(c).copied())
        else {
            continue;
        };
        let verdict = verdicts
            .entry(source)
            .or_insert_with(|| problem(&root.join(source)));
        if let Some(why) = verdict {
            let shown = source.strip_prefix(root).unwrap_or(source);
            warnings.push(
                f.diagnostic(format!(
                    "the image {} ({}) {why}",
                    f.link.url,
                    shown.display()
                ))
                .help(
                    "save the photo again as JPEG, PNG, WebP or AVIF (a file cut short by a \
                     copy or download is one to copy again), or fix its name",
                ),
            );
        }
    }
    warnings
}

/// What is wrong with the image file at `path`, if anything. SVG is text: it is taken as it
/// is when it has an `<svg` element.
fn problem(path: &Path) -> Option<String> {
    let is_svg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if is_svg {
        return match std::fs::read(path) {
            Ok(bytes) if memchr::memmem::find(&bytes, b"<svg").is_some() => None,
            Ok(_) => Some("has no <svg> element: it is not an SVG image".to_owned()),
            Err(e) => Some(format!("cannot be read: {e}")),
        };
    }
    match imagesize::size(path) {
        Ok(size) if size.width > 0 && size.height > 0 => None,
        Ok(_) => Some("says it is 0 pixels wide or high".to_owned()),
        Err(imagesize::ImageError::IoError(e)) if e.kind() != std::io::ErrorKind::UnexpectedEof => {
            Some(format!("cannot be read: {e}"))
        }
        Err(_) => Some(
            "is not a JPEG, PNG, GIF, WebP, AVIF or SVG image whose size can be read (a \
             truncated or mis-named file?)"
                .to_owned(),
        ),
    }
}
