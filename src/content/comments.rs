//! `<name>.comments.yaml`: the comments readers left on a post, parsed and rendered safely.
//!
//! Comments come from readers, so their Markdown is rendered with every bit of raw HTML
//! escaped and links other than http(s), mailto and relative ones dropped.

use std::path::Path;

use chrono::DateTime;
use chrono_tz::Tz;
use serde::Deserialize;

use crate::content::dates::parse_date;
use crate::error::{Diagnostic, Result};

/// One reader's comment, ready for templates.
#[derive(Debug, Clone)]
pub struct Comment {
    pub author: String,
    pub date: DateTime<Tz>,
    /// Sanitised HTML.
    pub body_html: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComment {
    author: String,
    date: crate::yaml::Value,
    body: String,
}

/// How a comments file is written: the help of its YAML errors.
const COMMENTS_HELP: &str = "a comments file is a YAML list of entries with author, date and \
body, e.g.\n  - author: 손님\n    date: 2025-09-09T10:00:00+09:00\n    body: 좋은 글 감사합니다";

/// Parses the text of a comments file; `path` is used in errors only.
pub fn parse_comments(path: &Path, text: &str, tz: Tz) -> Result<Vec<Comment>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    // The quick reader's maps go through serde like serde_yaml's; should they not fit
    // `RawComment`, serde_yaml reads the file again and says where.
    let quick = super::quick_yaml::list_of_maps(text).and_then(|items| {
        debug_assert_eq!(
            crate::yaml::from_str::<crate::yaml::Value>(text).ok(),
            Some(crate::yaml::Value::Sequence(items.clone())),
            "the quick comments reader disagrees with serde_yaml on {path:?}"
        );
        crate::yaml::from_value::<Vec<RawComment>>(crate::yaml::Value::Sequence(items)).ok()
    });
    let raw: Vec<RawComment> = match quick {
        Some(raw) => raw,
        None => {
            crate::yaml_nesting::check(path, text, 0)?;
            crate::yaml::from_str(text).map_err(|e| {
                let mut err = crate::yaml::error_at(path, &e, 0);
                err.diagnostics[0].help = Some(COMMENTS_HELP.to_owned());
                err
            })?
        }
    };
    let mut comments = Vec::with_capacity(raw.len());
    for (i, c) in raw.into_iter().enumerate() {
        let date_text = crate::yaml::scalar_text(&c.date).unwrap_or_default();
        let date = parse_date(&date_text, tz).ok_or_else(|| {
            let (line, column) = nth_key_position(text, "date", i).unwrap_or((1, 1));
            Diagnostic::new(
                path,
                format!("comment {} has an invalid date `{date_text}`", i + 1),
            )
            .at(line, column)
            .help("write dates as 2025-09-09 or 2025-09-09T10:00:00+09:00")
        })?;
        comments.push(Comment {
            author: c.author,
            date,
            body_html: crate::markdown::render_untrusted(&c.body),
        });
    }
    comments.sort_by_key(|c| c.date);
    Ok(comments)
}

/// Line and column of the value of the `n`-th `key:` in a YAML list of maps.
fn nth_key_position(text: &str, key: &str, n: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let indent = l.len() - l.trim_start().trim_start_matches("- ").trim_start().len();
            let (_, column) = crate::text::key_position(&l[indent..], key)?;
            Some((i + 1, l[..indent].chars().count() + column))
        })
        .nth(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_where_it_passes_the_limit() {
        let text = format!(
            "- author: 손님\n  date: 2025-09-02\n  body: {}\n",
            "{a: ".repeat(100)
        );
        let e = parse_comments(Path::new("a.comments.yaml"), &text, chrono_tz::UTC).unwrap_err();
        let d = &e.diagnostics[0];
        // The list is level 1, the entry's map level 2: the 63rd `{` is level 65.
        assert_eq!((d.line, d.column), (Some(3), Some(9 + 62 * 4)), "{e}");
        assert!(d.message.contains("nested more than 64 deep"), "{e}");
    }

    #[test]
    fn a_bad_date_is_pointed_at_in_its_comment() {
        let text = "- author: 손님\n  date: 2025-09-02\n  body: 가\n-   date: 2025-13-40\n    author: 나\n    body: 다\n";
        let e = parse_comments(Path::new("a.comments.yaml"), text, chrono_tz::UTC).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(4), Some(11)), "{e}");
    }
}
