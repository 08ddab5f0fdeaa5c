//! Splitting a content file into YAML front matter and Markdown body, and reading the
//! front-matter keys ilji understands; everything else is kept for templates as `extra`.
//!
//! Pure: text in, [`FrontMatter`] or a diagnostic located in the user's file out.

use std::path::Path;

use crate::yaml::{Mapping, Value};

use crate::error::{Diagnostic, Error, Result};
use crate::text::key_position;
use crate::yaml::scalar_text;

/// The parts of a content file.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (empty when the file has none).
    pub yaml: &'a str,
    /// Line of the file on which the YAML starts, minus one: add it to YAML line numbers.
    pub yaml_line_offset: usize,
    pub body: &'a str,
    pub has_front_matter: bool,
}

/// Line and column in the file of `key:`'s value in the front matter (line 1 of the YAML
/// when the key is not written there).
pub fn key_at(split: &Split, key: &str) -> (usize, usize) {
    let (line, column) = key_position(split.yaml, key).unwrap_or((1, 1));
    (line + split.yaml_line_offset, column)
}

/// A value to show in the help for `key:`.
fn example_of(key: &str) -> &'static str {
    match key {
        "date" | "updated" | "lastmod" => "2025-09-08",
        "slug" => "first-complaint",
        "category" | "categories" => "운영 일지",
        "tags" | "aliases" => "고객 응대",
        _ => "고객 불만이 기회가 된 순간들",
    }
}

/// Splits `text` (BOM removed, `\n` line ends) at its `---` front-matter fences.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() == "+++" {
        return Err(
            Diagnostic::new(path, "TOML front matter (+++) is not supported")
                .at(1, 1)
                .help("write the front matter in YAML between two `---` lines")
                .into(),
        );
    }
    if first_line.trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_line_offset: 0,
            body: text,
            has_front_matter: false,
        });
    }
    let (yaml, body) = fenced(path, text, &["---", "..."])?;
    Ok(Split {
        yaml,
        yaml_line_offset: 1,
        body,
        has_front_matter: true,
    })
}

/// A front matter opened by the first line of `text` and closed by the next line that is one
/// of `closers`: (the text between, the text after). The first closer is the one suggested
/// when none comes.
pub(crate) fn fenced<'a>(
    path: &Path,
    text: &'a str,
    closers: &[&str],
) -> Result<(&'a str, &'a str)> {
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if closers.contains(&line.trim_end()) {
            return Ok((&text[start..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    let fence = closers.first().copied().unwrap_or("---");
    Err(
        Diagnostic::new(path, "the front matter opened here is never closed")
            .at(1, 1)
            .help(format!(
                "add a line `{fence}` after the last front-matter key"
            ))
            .into(),
    )
}

/// Front-matter values as written, before they are checked against the kind of page.
#[derive(Debug, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub draft: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Reads the YAML of a [`Split`] into [`FrontMatter`].
pub fn parse(path: &Path, split: &Split) -> Result<FrontMatter> {
    if split.yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let map = mapping_of(path, split)?;
    let keys = Keys { path, split };
    let mut fm = FrontMatter::default();
    let mut categories = Vec::new();
    for (key, value) in map {
        let Some(key) = key.as_str().map(str::to_owned) else {
            continue;
        };
        match key.as_str() {
            "title" => fm.title = Some(keys.text(&key, &value)?),
            "date" => fm.date = Some(keys.text(&key, &value)?),
            "updated" | "lastmod" => fm.updated = Some(keys.text(&key, &value)?),
            "category" => fm.category = Some(keys.text(&key, &value)?),
            "categories" => categories = keys.list(&key, &value)?,
            "tags" => fm.tags = keys.list(&key, &value)?,
            "summary" | "description" if fm.summary.is_none() => {
                fm.summary = Some(keys.text(&key, &value)?);
            }
            "slug" => fm.slug = Some(keys.text(&key, &value)?),
            "aliases" => fm.aliases = keys.list(&key, &value)?,
            "draft" => fm.draft = keys.flag(&key, &value)?,
            _ => {
                let json = keys.for_templates(&key, &value)?;
                fm.extra.insert(key, json);
            }
        }
    }
    if fm.category.is_none() {
        fm.category = categories.into_iter().next();
    }
    fm.tags.retain(|t| !t.trim().is_empty());
    Ok(fm)
}

/// The front matter's YAML as a map of keys (the quick reader's, or serde_yaml's when the
/// quick one declines).
fn mapping_of(path: &Path, split: &Split) -> Result<Mapping> {
    let value: Value = match super::quick_yaml::mapping(split.yaml) {
        Some(map) => {
            debug_assert_eq!(
                crate::yaml::from_str::<Value>(split.yaml).ok(),
                Some(Value::Mapping(map.clone())),
                "the quick front-matter reader disagrees with serde_yaml on {path:?}"
            );
            Value::Mapping(map)
        }
        None => {
            crate::yaml_nesting::check(path, split.yaml, split.yaml_line_offset)?;
            crate::yaml::from_str(split.yaml)
                .map_err(|e| crate::yaml::error_at(path, &e, split.yaml_line_offset))?
        }
    };
    match value {
        Value::Mapping(map) => Ok(map),
        Value::Null => Ok(Mapping::new()),
        _ => Err(
            Diagnostic::new(path, "the front matter is not a list of `key: value` lines")
                .at(split.yaml_line_offset + 1, 1)
                .help("write it as `title: …`, `date: …`, one key per line")
                .into(),
        ),
    }
}

/// The values of a file's front-matter keys, read as the kind each key needs; a value of
/// another kind is an error at the key's value.
struct Keys<'a> {
    path: &'a Path,
    split: &'a Split<'a>,
}

impl Keys<'_> {
    fn error(&self, key: &str, message: String, help: &str) -> Error {
        let (line, column) = key_at(self.split, key);
        Diagnostic::new(self.path, message)
            .at(line, column)
            .help(help)
            .into()
    }

    /// One value (a number or date is read as its text).
    fn text(&self, key: &str, v: &Value) -> Result<String> {
        scalar_text(v).ok_or_else(|| {
            self.error(
                key,
                format!("`{key}` must be a single value"),
                &format!("write it on one line, e.g. `{key}: {}`", example_of(key)),
            )
        })
    }

    /// A list of values, or one value as a list of one.
    fn list(&self, key: &str, v: &Value) -> Result<Vec<String>> {
        let item = |v: &Value| {
            scalar_text(v).ok_or_else(|| {
                self.error(
                    key,
                    format!("each item of `{key}` must be a single value, not a list or a map"),
                    &format!("write the items as words, e.g. `{key}: [고객 응대, 배송]`"),
                )
            })
        };
        match v {
            Value::Sequence(items) => items.iter().map(item).collect(),
            Value::Null => Ok(Vec::new()),
            other => Ok(vec![self.text(key, other)?]),
        }
    }

    fn flag(&self, key: &str, v: &Value) -> Result<bool> {
        v.as_bool().ok_or_else(|| {
            self.error(
                key,
                format!("`{key}` must be true or false"),
                &format!("write `{key}: true` or remove the line"),
            )
        })
    }

    /// A key ilji does not know, for the templates as `page.extra`.
    fn for_templates(&self, key: &str, v: &Value) -> Result<serde_json::Value> {
        serde_json::to_value(v).map_err(|e| {
            self.error(
                key,
                format!("`{key}` cannot be passed to templates: {e}"),
                "use plain strings, numbers, lists and maps",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_parses() {
        let text = "---\ntitle: 가\ncategories: [일지, 기타]\ntags: 하나\nmood: good\n---\n본문\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.body, "본문\n");
        let fm = parse(Path::new("a.md"), &s).unwrap();
        assert_eq!(fm.title.as_deref(), Some("가"));
        assert_eq!(fm.category.as_deref(), Some("일지"));
        assert_eq!(fm.tags, vec!["하나"]);
        assert_eq!(fm.extra["mood"], "good");
    }

    #[test]
    fn yaml_errors_count_lines_in_the_file() {
        let text = "---\ntitle: ok\ndate: [unclosed\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let e = parse(Path::new("a.md"), &s).unwrap_err();
        assert!(e.diagnostics[0].line.unwrap() >= 3, "{e}");
    }

    #[test]
    fn front_matter_of_comments_only_is_empty() {
        let s = split(Path::new("a.md"), "---\n# nothing yet\n---\n본문\n").unwrap();
        let fm = parse(Path::new("a.md"), &s).unwrap();
        assert!(fm.title.is_none() && fm.extra.is_empty());
    }

    /// 100 levels fit serde_yaml's limit (128) but not ilji's (64), which keeps libyaml from
    /// quadratic time on deeper ones.
    #[test]
    fn deep_nesting_is_refused_where_it_passes_the_limit() {
        let text = format!("---\ntitle: 가\ntags: {}\n---\n본문\n", "[".repeat(100));
        let s = split(Path::new("a.md"), &text).unwrap();
        let e = parse(Path::new("a.md"), &s).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(3), Some(7 + 63)), "{e}");
        assert!(d.message.contains("nested more than 64 deep"), "{e}");
    }

    #[test]
    fn a_wrong_shape_is_named_with_its_key_and_column() {
        let error = |text: &str| {
            let s = split(Path::new("a.md"), text).unwrap();
            let e = parse(Path::new("a.md"), &s).unwrap_err();
            e.diagnostics.into_iter().next().unwrap()
        };
        let d = error("---\ntitle: 가\ntags: [하나, {a: b}]\n---\n");
        assert_eq!((d.line, d.column), (Some(3), Some(7)), "{d}");
        assert_eq!(
            d.message,
            "each item of `tags` must be a single value, not a list or a map"
        );
        assert!(d.help.unwrap().contains("`tags: [고객 응대, 배송]`"));
        let d = error("---\ntitle: 가\ndate:\n  - 2025-09-08\n---\n");
        assert_eq!((d.line, d.column), (Some(3), Some(1)), "{d}");
        assert_eq!(d.message, "`date` must be a single value");
        assert!(d.help.unwrap().contains("`date: 2025-09-08`"));
    }

    #[test]
    fn unclosed_front_matter() {
        let e = split(Path::new("a.md"), "---\ntitle: a\n본문\n").unwrap_err();
        assert!(e.to_string().contains("never closed"));
    }
}
