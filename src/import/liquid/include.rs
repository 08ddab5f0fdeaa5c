//! Jekyll's `{% include NAME key="value" %}` rendered as Jekyll 4 renders it: the file
//! `_includes/NAME` of the old blog, through the `liquid` crate (Liquid's standard tags and
//! filters, Jekyll's `slugify`, `push`, `pop`…), with `include.key` from the tag's
//! parameters, `site.*` from `_config.yml` and `page.*` from the post's front matter.
//! Includes inside an include are rendered first, up to [`MAX_DEPTH`] deep.
//!
//! It reads no file itself (the [`Sources`] it is given does) and decides nothing about
//! where the result goes in the Markdown beyond [`html_block`].

use liquid::model::{Object, Value};

use super::Sources;

/// How deep includes may nest (an include's own includes count one more).
pub(super) const MAX_DEPTH: usize = 4;

/// The value of a parameter as written: quoted text, or a bare name looked up in the
/// variables (`page.title`), or a bare number or word kept as it is when it names nothing.
#[derive(Debug, PartialEq, Eq)]
enum Param {
    Text(String),
    Bare(String),
}

/// What an include renders in: the site's settings and the post's front matter.
pub(super) struct Scope<'a> {
    pub sources: &'a Sources<'a>,
    pub page: &'a serde_yaml::Mapping,
}

/// `NAME key="v" …` (the inside of the tag after `include`) rendered to HTML; or why not,
/// to end a note ("names a file that does not exist").
pub(super) fn render(args: &str, scope: &Scope) -> Result<String, String> {
    render_at(args, scope, &Object::new(), 0)
}

fn render_at(args: &str, scope: &Scope, outer: &Object, depth: usize) -> Result<String, String> {
    if depth >= MAX_DEPTH {
        return Err(format!("is nested more than {MAX_DEPTH} includes deep"));
    }
    let (name, params) = parse(args)?;
    let (_, text) = (scope.sources.include_file)(&name)?;
    let mut include = Object::new();
    for (key, param) in params {
        let value = match param {
            Param::Text(t) => Value::scalar(t),
            Param::Bare(b) => lookup(&b, scope, outer).unwrap_or(Value::scalar(b)),
        };
        include.insert(key.into(), value);
    }
    let text = without_url_filters(&expand_nested(&text, scope, &include, depth)?);
    let parser = liquid::ParserBuilder::with_stdlib()
        .filter(liquid_lib::jekyll::Slugify)
        .filter(liquid_lib::jekyll::Push)
        .filter(liquid_lib::jekyll::Pop)
        .filter(liquid_lib::jekyll::Shift)
        .filter(liquid_lib::jekyll::Unshift)
        .filter(liquid_lib::jekyll::ArrayToSentenceString)
        .build()
        .map_err(|e| format!("could not be rendered ({})", first_line(&e.to_string())))?;
    let template = parser
        .parse(&text)
        .map_err(|e| format!("could not be rendered ({})", first_line(&e.to_string())))?;
    let mut globals = Object::new();
    globals.insert("site".into(), Value::Object(site(scope)));
    globals.insert("page".into(), Value::Object(to_object(scope.page)));
    globals.insert("include".into(), Value::Object(include));
    absent_as_nil(&text, &mut globals);
    template
        .render(&globals)
        .map_err(|e| format!("could not be rendered ({})", first_line(&e.to_string())))
}

/// Jekyll's Liquid takes a missing `include.x`, `page.x` or `site.x` for nil where the
/// `liquid` crate stops with "Unknown index": every such name the text uses is set to nil
/// when it is not there.
fn absent_as_nil(text: &str, globals: &mut Object) {
    for head in ["include", "page", "site"] {
        let Some(Value::Object(object)) = globals.get_mut(head) else {
            continue;
        };
        let dotted = format!("{head}.");
        let mut from = 0;
        while let Some(at) = text[from..].find(&dotted) {
            let start = from + at;
            from = start + dotted.len();
            let before = text[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let key: String = text[from..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !key.is_empty() && !object.contains_key(key.as_str()) {
                object.insert(key.into(), Value::Nil);
            }
        }
    }
}

/// A `liquid` error in one line: its message and what it asked for ("Unknown filter,
/// requested filter=markdownify").
fn first_line(s: &str) -> String {
    s.lines()
        .map(|l| l.trim().trim_start_matches("liquid:").trim())
        .filter(|l| !l.is_empty())
        .take_while(|l| !l.starts_with("from:"))
        .filter(|l| *l != "with:" && !l.starts_with("available"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `relative_url` and `absolute_url` (Jekyll's, not `liquid`'s) taken out of an include:
/// they only put the old blog's base address before a path, and ilji's addresses are
/// relative to the site, as for `{{ "/x.png" | relative_url }}` in a post.
fn without_url_filters(text: &str) -> String {
    let mut out = text.to_owned();
    for filter in ["relative_url", "absolute_url"] {
        for written in [format!("| {filter}"), format!("|{filter}")] {
            out = out.replace(&written, "");
        }
    }
    out
}

fn site(scope: &Scope) -> Object {
    scope.sources.site.map(to_object).unwrap_or_default()
}

fn to_object(map: &serde_yaml::Mapping) -> Object {
    liquid::model::to_object(map).unwrap_or_default()
}

/// A bare parameter value `page.title` / `site.x` / `include.y`, looked up as Jekyll does.
fn lookup(path: &str, scope: &Scope, outer: &Object) -> Option<Value> {
    let mut parts = path.split('.');
    let head = parts.next()?;
    let mut value = match head {
        "include" => Value::Object(outer.clone()),
        "page" => Value::Object(to_object(scope.page)),
        "site" => Value::Object(site(scope)),
        _ => return None,
    };
    for part in parts {
        value = match value {
            Value::Object(mut o) => o.remove(part)?,
            _ => return None,
        };
    }
    Some(value)
}

/// `{% include … %}` tags inside an include's text replaced by what they render to (kept
/// from Liquid's second look by `{% raw %}`).
fn expand_nested(
    text: &str,
    scope: &Scope,
    outer: &Object,
    depth: usize,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{%") {
        let Some(len) = rest[at..].find("%}") else {
            break;
        };
        let inner = rest[at + 2..at + len].trim_matches('-').trim();
        out.push_str(&rest[..at]);
        match inner.strip_prefix("include") {
            Some(args) if args.starts_with(char::is_whitespace) => {
                let html = render_at(args, scope, outer, depth + 1)
                    .map_err(|why| format!("includes {}, which {why}", args.trim()))?;
                out.push_str("{% raw %}");
                out.push_str(
                    &html.replace("{% endraw %}", "{% endraw %}{{ '{% endraw %}' }}{% raw %}"),
                );
                out.push_str("{% endraw %}");
            }
            _ => out.push_str(&rest[at..at + len + 2]),
        }
        rest = &rest[at + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// What `{{ site.key }}` (`inner`, no filter) stands for when `_config.yml` gives `key` a
/// text or a number, as Jekyll writes it into the post: `{{ site.image_url }}/a.png`.
pub(super) fn site_value(inner: &str, site: Option<&serde_yaml::Mapping>) -> Option<String> {
    let key = inner.strip_prefix("site.")?;
    if !key
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    match site?.get(key)? {
        serde_yaml::Value::String(text) => Some(text.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `NAME key="v" key='v' key=v`: the file's name and the parameters, as Jekyll 4 reads them.
fn parse(args: &str) -> Result<(String, Vec<(String, Param)>), String> {
    let args = args.trim();
    if args.starts_with("{{") {
        return Err("names its file through a variable, which ilji cannot follow".to_owned());
    }
    let end = args.find(char::is_whitespace).unwrap_or(args.len());
    let name = args[..end].to_owned();
    let mut rest = args[end..].trim_start();
    let mut params = Vec::new();
    while !rest.is_empty() {
        let bad = || format!("has parameters ilji cannot read ({rest})");
        let eq = rest.find('=').ok_or_else(bad)?;
        let key = rest[..eq].trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return Err(bad());
        }
        let value = rest[eq + 1..].trim_start();
        let (param, used) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = value[1..].find(q).ok_or_else(bad)?;
                (Param::Text(value[1..1 + close].to_owned()), close + 2)
            }
            Some(_) => {
                let len = value.find(char::is_whitespace).unwrap_or(value.len());
                (Param::Bare(value[..len].to_owned()), len)
            }
            None => return Err(bad()),
        };
        params.push((key.to_owned(), param));
        rest = value[used..].trim_start();
    }
    Ok((name, params))
}

/// Rendered HTML as a Markdown HTML block standing on its own lines: `<html>`, `<head>`,
/// `<body>` wrappers, indentation and blank lines gone (so that Markdown takes none of it
/// for code or cuts the block), held in a `<div>` when it does not open with a block tag.
pub(super) fn html_block(html: &str) -> String {
    let lines = content_lines(html);
    if lines.is_empty() {
        return String::new();
    }
    let block = lines.join("\n");
    if opens_block(&block) {
        block
    } else {
        format!("<div>\n{block}\n</div>")
    }
}

/// Inline: the rendered HTML on one line.
pub(super) fn html_inline(html: &str) -> String {
    content_lines(html).join(" ")
}

/// The lines of rendered HTML that hold something: trimmed, page wrappers gone.
fn content_lines(html: &str) -> Vec<&str> {
    html.lines()
        .map(str::trim)
        .map(strip_wrappers)
        .filter(|l| !l.is_empty())
        .collect()
}

fn strip_wrappers(line: &str) -> &str {
    let mut line = line;
    loop {
        let lower = line
            .get(..line.len().min(10))
            .unwrap_or("")
            .to_ascii_lowercase();
        let wrapper = [
            "<!doctype",
            "<html",
            "</html",
            "<head",
            "</head",
            "<body",
            "</body",
        ]
        .iter()
        .any(|w| {
            lower.starts_with(w)
                && !lower[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        });
        let Some(close) = line.find('>').filter(|_| wrapper) else {
            break;
        };
        line = line[close + 1..].trim();
    }
    let lower = line.to_ascii_lowercase();
    for w in ["</body>", "</head>", "</html>"] {
        if lower.ends_with(w) {
            return strip_wrappers(line[..line.len() - w.len()].trim_end());
        }
    }
    line
}

/// Whether `html` starts with a tag that opens a CommonMark HTML block of kinds 1 to 6.
fn opens_block(html: &str) -> bool {
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "iframe",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "script",
        "section",
        "style",
        "table",
        "ul",
        "!--",
    ];
    let Some(tag) = html.strip_prefix('<') else {
        return false;
    };
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK.contains(&name.as_str()) || name.starts_with("!--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_read_as_jekyll_reads_them() {
        let (name, params) = parse(r#" a/b.html x="1 2" y='z' n=page.title "#).unwrap();
        assert_eq!(name, "a/b.html");
        assert_eq!(
            params,
            vec![
                ("x".to_owned(), Param::Text("1 2".to_owned())),
                ("y".to_owned(), Param::Text("z".to_owned())),
                ("n".to_owned(), Param::Bare("page.title".to_owned())),
            ]
        );
        assert!(parse("{{ page.x }}").is_err());
        assert!(parse("a.html x=\"open").is_err());
    }

    #[test]
    fn wrappers_indentation_and_blank_lines_go() {
        let html =
            "<html>\n    <body>\n        <hr>\n\n        <span>x</span>\n    </body>\n</html>\n";
        assert_eq!(html_block(html), "<hr>\n<span>x</span>");
        assert_eq!(
            html_block("<br><br>\n<b>x</b>"),
            "<div>\n<br><br>\n<b>x</b>\n</div>"
        );
        assert_eq!(html_block("<p>a</p></body></html>"), "<p>a</p>");
    }
}
