//! Helpers for the text of the user's files, at the bottom of the tree (everything may use
//! them; they use nothing above them): decoding a file's bytes, finding a front-matter key's
//! line, and a YAML error as a diagnostic. (HTML entities are `html.rs`'s.)
//!
//! It reads and writes no file.

use std::path::Path;

use crate::error::{Diagnostic, Error, Result};

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
    yaml.lines().enumerate().find_map(|(i, l)| {
        let rest = l.strip_prefix(key)?;
        let after = rest.trim_start().strip_prefix(':')?;
        let value = after.trim_start();
        let column = if value.is_empty() || value.starts_with('#') {
            1
        } else {
            l[..l.len() - value.len()].chars().count() + 1
        };
        Some((i + 1, column))
    })
}

/// A YAML scalar as text (`2025` → "2025"); `None` for lists and maps.
pub fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// A serde_yaml error as a diagnostic, its line shifted by `line_offset` (the lines of the
/// user's file that come before the YAML text).
pub(crate) fn yaml_error(path: &Path, err: &serde_yaml::Error, line_offset: usize) -> Error {
    let mut message = err.to_string();
    // serde_yaml appends " at line L column C"; we print the location ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut d = Diagnostic::new(path, message);
    if let Some(loc) = err.location() {
        d = d.at(loc.line() + line_offset, loc.column());
    }
    let help = if d.message.starts_with("unknown field") {
        "remove or correct this key; a theme's own settings go under `extra:`"
    } else {
        "fix the YAML here; quote values that contain `: ` or start with a quote or [ {"
    };
    d.help(help).into()
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
