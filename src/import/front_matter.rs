//! Reading a Hugo or Jekyll file's front matter: YAML, or TOML turned into YAML, split from
//! the body, with errors at the line of the old file; and taking its values as text or
//! lists, as the old engines allow them to be written.

use std::path::Path;

use crate::yaml::{Mapping, Value};

use crate::error::{Diagnostic, Error, Result};

/// The text of a file split into its front matter (YAML, or TOML turned into YAML) and body.
/// Errors name the file, with the line where the parser gives one.
pub(crate) fn read_front_matter(abs: &Path, shown: &Path) -> Result<(Mapping, String)> {
    let bytes = std::fs::read(abs).map_err(|e| Error::io(shown, &e))?;
    let text = crate::text::decode_utf8(shown, &bytes)?;
    split_front_matter(text, shown)
}

/// [`read_front_matter`] as Hugo reads it: blank lines before the front matter are
/// allowed (errors still point at the file's own lines).
pub(crate) fn read_hugo_front_matter(abs: &Path, shown: &Path) -> Result<(Mapping, String)> {
    let bytes = std::fs::read(abs).map_err(|e| Error::io(shown, &e))?;
    let text = crate::text::decode_utf8(shown, &bytes)?;
    let blank: Vec<&str> = text
        .split_inclusive('\n')
        .take_while(|l| l.trim().is_empty())
        .collect();
    let fenced = text[blank.iter().map(|l| l.len()).sum::<usize>()..].to_owned();
    if fenced.starts_with('{') {
        return json_front_matter(&fenced, shown, blank.len());
    }
    if blank.is_empty() || !(fenced.starts_with("---") || fenced.starts_with("+++")) {
        return split_front_matter(text, shown);
    }
    split_front_matter(fenced, shown).map_err(|mut e| {
        for d in &mut e.diagnostics {
            d.line = d.line.map(|l| l + blank.len());
        }
        e
    })
}

/// Hugo's JSON front matter: one JSON object at the top (after `blank` empty lines), the
/// body after it.
fn json_front_matter(text: &str, shown: &Path, blank: usize) -> Result<(Mapping, String)> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    let located = |line: usize, column: usize, message: String| {
        Diagnostic::new(shown, format!("JSON: {message}"))
            .at(line + blank, column)
            .help("fix the JSON front matter and import again")
    };
    let value = match values.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            // serde_json ends its message with its own (unshifted) position.
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            return Err(located(e.line(), e.column(), message.to_owned()).into());
        }
        None => return Ok((Mapping::new(), text.to_owned())),
    };
    let body = text[values.byte_offset()..]
        .trim_start_matches([' ', '\t'])
        .trim_start_matches(['\r', '\n']);
    let front = crate::yaml::to_string(&value)
        .ok()
        .and_then(|y| crate::yaml::from_str::<Value>(&y).ok());
    match front {
        Some(Value::Mapping(m)) => Ok((m, body.to_owned())),
        _ => Err(located(1, 1, "the front matter is not an object of keys".to_owned()).into()),
    }
}

fn split_front_matter(text: String, shown: &Path) -> Result<(Mapping, String)> {
    let fence = match text.lines().next().map(str::trim_end) {
        Some("---") => "---",
        Some("+++") => "+++",
        Some(line) if line.starts_with('{') => {
            return Err(Diagnostic::new(shown, "JSON front matter is not converted")
                .at(1, 1)
                .help("turn it into YAML between two `---` lines and import again")
                .into())
        }
        _ => return Ok((Mapping::new(), text)),
    };
    let (head, body) = crate::content::frontmatter::fenced(shown, &text, &[fence])?;
    let body = body.to_owned();
    let front = if fence == "+++" {
        let table: toml::Table = head.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|s| head[..s.start.min(head.len())].matches('\n').count() + 2);
            let d = Diagnostic::new(shown, format!("TOML: {}", e.message()))
                .help("fix the TOML front matter and import again");
            match line {
                Some(l) => d.at_line(l),
                None => d,
            }
        })?;
        match toml_to_yaml(toml::Value::Table(table)) {
            Value::Mapping(m) => m,
            _ => Mapping::new(),
        }
    } else if head.trim().is_empty() {
        Mapping::new()
    } else {
        // (TOML needs no such guard: the toml crate stops at 80 levels, at once.)
        crate::yaml_nesting::check(shown, head, 1)?;
        // Jekyll's YAML reader lets a repeated key's last value win (`permalink:` written
        // twice); serde_yaml refuses the text, so the earlier ones are left out first.
        let parsed = match crate::yaml::from_str::<Value>(head) {
            Err(e) if e.to_string().starts_with("duplicate entry") => {
                last_of_each_key(head).map_or(Err(e), |h| crate::yaml::from_str::<Value>(&h))
            }
            other => other,
        };
        match parsed {
            Ok(Value::Mapping(m)) => m,
            Ok(_) => {
                return Err(
                    Diagnostic::new(shown, "the front matter is not a list of keys")
                        .at(2, 1)
                        .help("write it as `key: value` lines")
                        .into(),
                )
            }
            Err(e) => return Err(crate::yaml::error_at(shown, &e, 1)),
        }
    };
    Ok((front, body))
}

pub(crate) fn toml_to_yaml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Sequence(a.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(t) => Value::Mapping(
            t.into_iter()
                .map(|(k, v)| (Value::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// A front-matter value as text (strings, numbers, booleans).
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list given as a YAML list or, as Jekyll allows, one string of space-separated words
/// (`split_words`) or a single item.
pub(crate) fn list(v: Option<&Value>, split_words: bool) -> Vec<String> {
    match v {
        Some(Value::Sequence(items)) => items.iter().filter_map(text).collect(),
        Some(v) => match text(v) {
            Some(s) if split_words => s.split_whitespace().map(str::to_owned).collect(),
            Some(s) if !s.trim().is_empty() => vec![s],
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// `yaml` with only the last of each top-level key that is written more than once (the
/// key's line and the indented lines under it); `None` when no key is.
fn last_of_each_key(yaml: &str) -> Option<String> {
    let mut entries: Vec<(Option<&str>, String)> = Vec::new();
    for line in yaml.split_inclusive('\n') {
        let starts_entry = !line.starts_with([' ', '\t', '-', '#', '\n', '\r']);
        let key = line.split_once(':').map(|(k, _)| k.trim());
        match (starts_entry, key, entries.last_mut()) {
            (true, Some(key), _) => entries.push((Some(key), line.to_owned())),
            (_, _, Some((_, text))) => text.push_str(line),
            _ => entries.push((None, line.to_owned())),
        }
    }
    let repeated = |i: usize, key: &str| entries[i + 1..].iter().any(|(k, _)| *k == Some(key));
    let kept: Vec<&str> = (0..entries.len())
        .filter(|&i| entries[i].0.is_none_or(|k| !repeated(i, k)))
        .map(|i| entries[i].1.as_str())
        .collect();
    (kept.len() < entries.len()).then(|| kept.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_front_matter_is_refused_in_yaml_and_in_toml() {
        let dir = tempfile::TempDir::new().unwrap();
        let yaml = dir.path().join("a.md");
        let deep = "[".repeat(100_000);
        std::fs::write(&yaml, format!("---\ntitle: a\ntags: {deep}\n---\nbody\n")).unwrap();
        let e = read_front_matter(&yaml, Path::new("a.md")).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(3), Some(7 + 63)), "{e}");
        assert!(d.message.contains("nested more than 64 deep"), "{e}");
        // The toml crate stops at its own limit (80 levels) at once.
        let toml = dir.path().join("b.md");
        std::fs::write(
            &toml,
            format!("+++\ntitle = 'a'\ntags = {deep}\n+++\nbody\n"),
        )
        .unwrap();
        let e = read_front_matter(&toml, Path::new("b.md")).unwrap_err();
        assert!(e.diagnostics[0].message.contains("recurs"), "{e}");
    }

    #[test]
    fn a_key_written_twice_keeps_its_last_value_as_jekyll_does() {
        let dir = tempfile::TempDir::new().unwrap();
        let post = dir.path().join("a.md");
        let text =
            "---\ntitle: 가\npermalink: /ko/old/\ntags:\n  - a\npermalink: /ko/new/\n---\n본문\n";
        std::fs::write(&post, text).unwrap();
        let (front, body) = read_front_matter(&post, Path::new("a.md")).unwrap();
        assert_eq!(
            front.get("permalink").and_then(Value::as_str),
            Some("/ko/new/")
        );
        assert_eq!(front.get("title").and_then(Value::as_str), Some("가"));
        assert_eq!(
            front.get("tags").and_then(Value::as_sequence).map(Vec::len),
            Some(1)
        );
        assert_eq!(body, "본문\n");
        assert_eq!(last_of_each_key("a: 1\nb: 2\n"), None);
    }
}
