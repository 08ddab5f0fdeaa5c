//! Helpers for the text of the user's files, at the bottom of the tree (everything may use
//! them; they use nothing above them): decoding a file's bytes, and finding a front-matter
//! key's line and column. (HTML entities are `html.rs`'s; YAML values and errors `yaml.rs`'s.)
//!
//! It reads and writes no file.

use std::path::Path;

use crate::error::{Diagnostic, Result};

/// "1 post", "3 posts".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Decodes a file's bytes: UTF-8 required (the error points at the first bad byte), BOM
/// dropped, CRLF and CR line ends turned into `\n`.
pub fn decode_utf8(path: &Path, bytes: &[u8]) -> Result<String> {
    decoded(path, bytes).map(std::borrow::Cow::into_owned)
}

/// [`decode_utf8`] without a copy unless line ends change: the text borrows `bytes`.
pub fn decoded<'a>(path: &Path, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, str>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // simdutf8 checks Korean text many times faster than std; std's slower check runs only
    // on a broken file, to tell where it breaks.
    let text = simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes))
        .map_err(|e| {
            let good = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(good);
            let (line, col) = crate::error::line_col(&text, text.len());
            Diagnostic::new(path, "this file is not UTF-8 text")
                .at(line, col)
                .help("save it as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)")
        })?;
    // (memchr's search is vectorised; `str::contains` looks at a word at a time.)
    Ok(if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    })
}

/// 1-based line and column of the first top-level `key:` in a YAML text: the column of its
/// value (`date: 2025-13-01` → 7), or of the key when the value starts on a later line.
pub fn key_position(yaml: &str, key: &str) -> Option<(usize, usize)> {
    let (i, line, value) = key_value(yaml, key)?;
    let column = if value.is_empty() || value.starts_with('#') {
        1
    } else {
        line[..line.len() - value.len()].chars().count() + 1
    };
    Some((i + 1, column))
}

/// The first top-level `key:` line of a YAML text: its 0-based index, the line, and the
/// value as written after the colon (white space before it left out; a comment kept).
pub fn key_value<'t>(yaml: &'t str, key: &str) -> Option<(usize, &'t str, &'t str)> {
    yaml.lines().enumerate().find_map(|(i, l)| {
        let after = l.strip_prefix(key)?.trim_start().strip_prefix(':')?;
        Some((i, l, after.trim_start()))
    })
}

#[cfg(test)]
mod tests {
    use super::key_position;

    #[test]
    fn a_key_is_found_at_its_value() {
        let yaml = "title: 제목\ndate:   2025-13-01\ntags:\n  - a\nslug: # later\n";
        assert_eq!(key_position(yaml, "title"), Some((1, 8)));
        assert_eq!(key_position(yaml, "date"), Some((2, 9)));
        assert_eq!(key_position(yaml, "tags"), Some((3, 1)));
        assert_eq!(key_position(yaml, "slug"), Some((5, 1)));
        assert_eq!(key_position(yaml, "a"), None);
        assert_eq!(key_position("제목: 가", "제목"), Some((1, 5)));
    }
}
