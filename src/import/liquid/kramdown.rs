//! kramdown's extras in a Jekyll post, made plain Markdown: math kept intact (display
//! `$$…$$` in a raw block, inline `$$…$$` and pandoc-style `$…$` escaped), `{:toc}`
//! removed, and attribute lists (`{: …}`) applied where ilji can say the same thing: a
//! width or height after an image makes it an `<img>`, `target` after a link goes (ilji
//! opens no new tabs), anything else is removed with a note. Pure functions of text.

use super::Liquid;

pub(super) fn ial_note() -> String {
    "kramdown attribute lists ({: …}) were removed: ilji has no such syntax".to_owned()
}

/// Display math opened at `lines[at]`: a line that is `$$…$$` alone, or that starts with a
/// `$$` it does not close; the index after the line that closes it, `None` when it is no
/// such block (`$$x$$ is …` is inline math in a paragraph).
pub(super) fn display_math(lines: &[&str], at: usize) -> Option<usize> {
    let first = lines[at].trim();
    let rest = first.strip_prefix("$$")?;
    match rest.matches("$$").count() {
        0 => (at + 1..lines.len())
            .find(|&j| lines[j].contains("$$"))
            .filter(|&j| {
                let l = lines[j].trim_end();
                l.ends_with("$$") && l.matches("$$").count() == 1
            })
            .map(|j| j + 1),
        1 if rest.ends_with("$$") => Some(at + 1),
        _ => None,
    }
}

/// Display math goes into a raw `<div class="math">`, where Markdown leaves it alone (no
/// emphasis from `*` or `_`, no backslash escapes eaten), so MathJax or KaTeX read the
/// TeX byte for byte. A block with a blank line would end the raw HTML early: left as is.
pub(super) fn math_block(lines: &[&str], out: &mut Liquid) {
    if lines.iter().any(|l| l.trim().is_empty()) {
        lines
            .iter()
            .for_each(|l| out.body.push_str(&escape_math(l)));
        return;
    }
    out.body.push_str("<div class=\"math\">\n");
    for l in lines {
        out.body.push_str(l);
    }
    if !out.body.ends_with('\n') {
        out.body.push('\n');
    }
    out.body.push_str("</div>\n");
}

/// `{:toc}` and the `* TOC` list item above it: ilji writes its own table of contents.
pub(super) fn is_toc_line(line: &str, next: Option<&str>) -> bool {
    let t = line.trim();
    let is_toc = |s: &str| s.replace(' ', "") == "{:toc}" || s.replace(' ', "") == "{:.toc}";
    is_toc(t) || (matches!(t, "* TOC" | "- TOC" | "1. TOC") && next.is_some_and(is_toc))
}

/// A kramdown block attribute list alone on its line: `{: .class}`, `{: width="150"}`.
pub(super) fn is_ial_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("{:") && t.ends_with('}') && !t[2..t.len() - 1].contains(['{', '}'])
}

/// Inline math `$$…$$` (kramdown's) at the start of `text`, escaped so that Markdown
/// gives its TeX back byte for byte; bytes used. Without a closing `$$` it is text.
pub(super) fn inline_math(text: &str, out: &mut Liquid) -> usize {
    match text[2..].find("$$") {
        Some(end) => {
            let math = &text[..end + 4];
            out.body.push_str(&escape_math(math));
            math.len()
        }
        None => {
            out.body.push_str("$$");
            2
        }
    }
}

/// TeX escaped for Markdown: a backslash before punctuation doubled (CommonMark would eat
/// it: `\{` would print `{`), and `*`, `_`, `<`, `[`, `]` escaped (no emphasis, no HTML,
/// no links), so the HTML holds the TeX as written. Used where math cannot go into a raw
/// HTML block (inline, or a display block with a blank line inside).
pub(super) fn escape_math(math: &str) -> String {
    let mut out = String::with_capacity(math.len() + 8);
    let mut chars = math.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => out.push_str("\\\\"),
            '*' | '_' | '<' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Inline math `$…$` at the start of `text` (after a `body` that ends where it starts), as
/// pandoc reads it: no space after the opening `$`, none before the closing one, no digit
/// right after it (`$5 and $10` is no math), on one line; escaped as [`inline_math`] is.
/// `None` when it is no math.
pub(super) fn dollar_math(text: &str, body: &str) -> Option<usize> {
    let inner = text.strip_prefix('$')?;
    if body.ends_with('\\') || inner.starts_with(|c: char| c.is_whitespace() || c == '$') {
        return None;
    }
    let line_end = inner.find('\n').unwrap_or(inner.len());
    let mut from = 0;
    while let Some(at) = inner[from..line_end].find('$') {
        let close = from + at;
        let before = inner[..close].chars().next_back();
        let after = inner[close + 1..].chars().next();
        let escaped = inner[..close].ends_with('\\');
        if before.is_some_and(|c| !c.is_whitespace())
            && !after.is_some_and(|c| c.is_ascii_digit())
            && !escaped
        {
            return Some(close + 2);
        }
        from = close + 1;
    }
    None
}

/// A kramdown span attribute list at the start of `text` (`{: width="150"}` after an
/// image): applied to the image or link that ends `out.body`, or removed with a note; a
/// `{:` that is not one is kept. Bytes used.
pub(super) fn inline_ial(text: &str, out: &mut Liquid) -> usize {
    let Some(end) = text
        .find('}')
        .filter(|&end| !text[2..end].contains(['{', '\n']))
    else {
        out.body.push_str("{:");
        return 2;
    };
    let attrs = attributes(&text[2..end]);
    let before = last_inline(&out.body);
    let (mut size, mut dropped) = (Vec::new(), false);
    for (key, value) in &attrs {
        match (key.as_str(), &before) {
            ("width" | "height", Some((_, Inline::Image { .. }))) if size_value(value) => {
                size.push((key.clone(), value.clone()));
            }
            ("target" | "rel", Some(_)) => {}
            _ => dropped = true,
        }
    }
    if let (Some((start, Inline::Image { src, alt, title })), false) = (&before, size.is_empty()) {
        let mut img = format!("<img src=\"{}\" alt=\"{}\"", attr(src), attr(alt));
        if let Some(title) = title {
            img.push_str(&format!(" title=\"{}\"", attr(title)));
        }
        let mut style = Vec::new();
        for (key, value) in &size {
            match value.trim_end_matches("px").parse::<u32>() {
                Ok(n) => img.push_str(&format!(" {key}=\"{n}\"")),
                Err(_) => style.push(format!("{key}: {value}")),
            }
        }
        if !style.is_empty() {
            img.push_str(&format!(" style=\"{}\"", style.join("; ")));
        }
        img.push('>');
        out.body.truncate(*start);
        out.body.push_str(&img);
    }
    if dropped || attrs.is_empty() {
        out.note(ial_note());
    }
    end + 1
}

/// A width or height ilji can write: a number, with `px`, `%`, `em` or `rem` or none.
fn size_value(value: &str) -> bool {
    let number = ["px", "%", "em", "rem"]
        .iter()
        .find_map(|unit| value.strip_suffix(unit))
        .unwrap_or(value);
    !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && number.chars().filter(|c| *c == '.').count() <= 1
        && !number.starts_with('.')
}

/// The attributes of an attribute list: `key="v"`, `key='v'`, `key=v`; `.class` and `#id`
/// as `class` and `id`; a bare name (a reference to a definition) as itself, no value.
fn attributes(list: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = list.trim();
    while !rest.is_empty() {
        let word_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        if let Some(value) = after.strip_prefix('=') {
            let (value, next) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = value[1..].find(q).map_or(value.len(), |i| i + 1);
                    (&value[1..close], value.get(close + 1..).unwrap_or(""))
                }
                _ => value.split_at(value.find(char::is_whitespace).unwrap_or(value.len())),
            };
            found.push((word.to_ascii_lowercase(), value.to_owned()));
            rest = next.trim_start();
        } else {
            let key = match word.chars().next() {
                Some('.') => "class",
                Some('#') => "id",
                _ => word,
            };
            found.push((key.to_owned(), word.to_owned()));
            rest = after.trim_start();
        }
    }
    found
}

/// What an attribute list can follow.
enum Inline {
    Image {
        src: String,
        alt: String,
        title: Option<String>,
    },
    Link,
}

/// The image `![alt](src "title")` or link `[text](url)` that ends `body`, and where it
/// starts.
fn last_inline(body: &str) -> Option<(usize, Inline)> {
    if !body.ends_with(')') {
        return None;
    }
    let line_start = body.rfind('\n').map_or(0, |i| i + 1);
    body[line_start..]
        .match_indices('[')
        .map(|(i, _)| line_start + i)
        .find_map(|open| {
            let image = open > 0 && body[..open].ends_with('!');
            let (inner, dest) = bracketed(&body[open..])?;
            let start = if image { open - 1 } else { open };
            if !image {
                return Some((start, Inline::Link));
            }
            let (src, title) = destination(dest)?;
            Some((
                start,
                Inline::Image {
                    src,
                    alt: inner.to_owned(),
                    title,
                },
            ))
        })
}

/// `[inner](dest)` filling `text` to its end: `inner` and `dest`.
fn bracketed(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0;
    let close = text.char_indices().find_map(|(i, c)| {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(i)
    })?;
    let dest = text[close + 1..].strip_prefix('(')?.strip_suffix(')')?;
    Some((&text[1..close], dest))
}

/// A link destination and its optional title: `src`, `src "title"`, `<src>`.
fn destination(dest: &str) -> Option<(String, Option<String>)> {
    let dest = dest.trim();
    let (src, rest) = match dest.strip_prefix('<') {
        Some(d) => {
            let close = d.find('>')?;
            (&d[..close], &d[close + 1..])
        }
        None => dest.split_at(dest.find(char::is_whitespace).unwrap_or(dest.len())),
    };
    let rest = rest.trim();
    let title = match rest.chars().next() {
        None => None,
        Some(q @ ('"' | '\'')) => Some(rest.strip_prefix(q)?.strip_suffix(q)?.to_owned()),
        Some(_) => return None,
    };
    (!src.is_empty() && !src.contains(['(', ')'])).then(|| (src.to_owned(), title))
}

/// Text for a quoted HTML attribute.
fn attr(text: &str) -> String {
    crate::html::escape_html(text)
}
