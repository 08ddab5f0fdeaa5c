//! One Hugo shortcode call read from the text it starts: `{{< name params >}}` or
//! `{{% /name %}}`, with its positional and named parameters (bare, in `"…"` with `\"`
//! escapes, or in backticks), and its length. It does not know what any shortcode means.

use super::Param;

/// One shortcode call: `{{< name params >}}`, `{{% /name %}}`.
#[derive(Debug)]
pub(super) struct Call {
    pub(super) name: String,
    pub(super) closing: bool,
    pub(super) positional: Vec<String>,
    pub(super) named: Vec<(String, String)>,
    /// Its length in the text, delimiters included.
    pub(super) len: usize,
    /// Its closing delimiter, to find the closing call of the same kind.
    pub(super) percent: bool,
}

impl Call {
    pub(super) fn parse(text: &str) -> Option<Call> {
        let percent = text.starts_with("{{%");
        if !percent && !text.starts_with("{{<") {
            return None;
        }
        let close = if percent { "%}}" } else { ">}}" };
        let mut rest = text[3..].trim_start();
        let closing = rest.starts_with('/');
        if closing {
            rest = rest[1..].trim_start();
        }
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(rest.len());
        let after_name = rest[name_len..].chars().next()?;
        if name_len == 0 || !(after_name.is_whitespace() || matches!(after_name, '>' | '%' | '/')) {
            return None;
        }
        let name = rest[..name_len].to_owned();
        let mut call = Call {
            name,
            closing,
            positional: Vec::new(),
            named: Vec::new(),
            len: 0,
            percent,
        };
        rest = &rest[name_len..];
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix(close) {
                call.len = text.len() - after.len();
                return Some(call);
            }
            if let Some(after) = rest
                .strip_prefix('/')
                .and_then(|r| r.trim_start().strip_prefix(close))
            {
                call.len = text.len() - after.len();
                return Some(call);
            }
            let (token, after) = token(rest)?;
            match token.split_once('=').filter(|(k, _)| is_key(k)) {
                Some((key, value)) => {
                    let (value, after_value) = if value.is_empty() {
                        token_value(after)?
                    } else {
                        (unquote(value), after)
                    };
                    call.named.push((key.to_owned(), value));
                    rest = after_value;
                    continue;
                }
                None => call.positional.push(unquote(token)),
            }
            rest = after;
        }
    }

    pub(super) fn get(&self, name: &str, position: usize) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| self.positional.get(position).map(String::as_str))
            .filter(|v| !v.is_empty())
    }

    pub(super) fn param(&self, p: &Param) -> Option<&str> {
        match p {
            Param::Named(n) => self
                .named
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str()),
            Param::Position(i) => self.positional.get(*i).map(String::as_str),
        }
        .filter(|v| !v.is_empty())
    }
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The next token: a quoted string (quotes kept), or up to white space (a `key="…"` whole).
fn token(text: &str) -> Option<(&str, &str)> {
    let chars = text.char_indices();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in chars {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '`' => quote = Some(c),
            None if c.is_whitespace() => return Some((&text[..i], &text[i..])),
            None if text[i..].starts_with(">}}") || text[i..].starts_with("%}}") => {
                return (i > 0).then(|| (&text[..i], &text[i..]));
            }
            None => {}
        }
    }
    None
}

/// A value written after `key=` and white space.
fn token_value(text: &str) -> Option<(String, &str)> {
    let (t, after) = token(text.trim_start())?;
    Some((unquote(t), after))
}

fn unquote(value: &str) -> String {
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        inner.replace("\\\"", "\"").replace("\\\\", "\\")
    } else if let Some(inner) = value.strip_prefix('`').and_then(|v| v.strip_suffix('`')) {
        inner.to_owned()
    } else {
        value.to_owned()
    }
}
