//! A Jekyll post's body made plain Markdown: Liquid's `{% highlight %}` becomes a fenced
//! code block, `{% raw %}` markers go, `{% post_url %}`/`{% link %}` become the imported
//! post's new address, `{{ site.baseurl }}`/`{{ site.url }}` (and `relative_url`-style
//! filters on a literal path) are removed, kramdown's attribute lists and `{:toc}` are
//! removed, and display math `$$…$$` is kept intact. Pure functions of text: it reads no
//! file and knows the posts only through the `address` function it is given.
//!
//! It never touches code (fenced or indented blocks, inline code spans); every other tag is
//! left as text and named in [`Liquid::left`], so that import's note lists only those.

/// What became of a body.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Liquid {
    pub body: String,
    /// The Liquid tags left as text, by name (`include`, `{{ page.title }}` as `page.title`),
    /// each once, in order of appearance.
    pub left: Vec<String>,
    /// Remarks for the writer (attribute lists removed, a link to a post not imported).
    pub notes: Vec<String>,
}

impl Liquid {
    fn leave(&mut self, name: &str) {
        if !self.left.iter().any(|l| l == name) {
            self.left.push(name.to_owned());
        }
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// The note for what is left as text, naming the tags; `None` when nothing is.
pub(crate) fn left_note(left: &[String]) -> Option<String> {
    (!left.is_empty()).then(|| {
        format!(
            "uses Liquid ({}), which ilji shows as text: replace it with Markdown or HTML",
            left.join(", ")
        )
    })
}

/// Converts `body`; `address` answers the new address of the post a `{% post_url %}` or
/// `{% link %}` names (as written in the tag), `None` for a post that was not imported.
pub(crate) fn convert(body: &str, address: &dyn Fn(&str) -> Option<String>) -> Liquid {
    let mut out = Liquid::default();
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut fence: Option<(char, usize)> = None;
    let mut raw = false;
    let mut prev_blank = true;
    let mut in_indented = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let content = line.trim_end_matches(['\n', '\r']);
        i += 1;
        if let Some((ch, len)) = fence {
            if is_fence_close(content, ch, len) {
                fence = None;
            }
            out.body.push_str(line);
            continue;
        }
        let blank = content.trim().is_empty();
        let indented = content.starts_with("    ") || content.starts_with('\t');
        if !raw && indented && (prev_blank || in_indented) && !blank {
            in_indented = true;
            out.body.push_str(line);
            prev_blank = false;
            continue;
        }
        if !blank {
            in_indented = false;
        }
        prev_blank = blank;
        if raw {
            raw = inline(line, true, address, &mut out);
            continue;
        }
        if let Some(opened) = fence_open(content) {
            fence = Some(opened);
            out.body.push_str(line);
            continue;
        }
        if let Some(lang) = highlight_open(content) {
            i = highlight(&lines, i, content, &lang, &mut out);
            continue;
        }
        if let Some(end) = display_math(&lines, i - 1) {
            math_block(&lines[i - 1..end], &mut out);
            if lines.get(end).is_some_and(|l| !l.trim().is_empty()) {
                // Raw HTML runs to a blank line: keep the text after out of it.
                out.body.push('\n');
            }
            i = end;
            continue;
        }
        if is_toc_line(content, lines.get(i).map(|l| l.trim())) {
            continue;
        }
        if is_ial_line(content) {
            out.note(ial_note());
            continue;
        }
        raw = inline(line, false, address, &mut out);
    }
    out
}

fn ial_note() -> String {
    "kramdown attribute lists ({: …}) were removed: ilji has no such syntax".to_owned()
}

/// A line opening a fenced code block: its character and length.
fn fence_open(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = t.chars().take_while(|c| *c == ch).count();
    (len >= 3 && !(ch == '`' && t[len..].contains('`'))).then_some((ch, len))
}

fn is_fence_close(line: &str, ch: char, len: usize) -> bool {
    let t = line.trim();
    t.len() >= len && t.chars().all(|c| c == ch)
}

/// The inside of a `{% … %}` tag starting `line` (after spaces), and the rest of the line.
fn tag_at(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start().strip_prefix("{%")?;
    let end = t.find("%}")?;
    let inner = t[..end]
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    Some((inner, &t[end + 2..]))
}

/// `{% highlight ruby linenos %}`: the language (empty when none).
fn highlight_open(line: &str) -> Option<String> {
    let (inner, _) = tag_at(line)?;
    let mut words = inner.split_whitespace();
    (words.next()? == "highlight").then(|| words.next().unwrap_or("").to_owned())
}

/// Where `{% endhighlight %}` stands in a line: the text before it and after it.
fn endhighlight(line: &str) -> Option<(&str, &str)> {
    let mut from = 0;
    while let Some(at) = line[from..].find("{%") {
        let start = from + at;
        let rest = &line[start + 2..];
        let end = rest.find("%}")?;
        let inner = rest[..end].trim_matches('-').trim();
        if inner == "endhighlight" {
            return Some((&line[..start], &rest[end + 2..]));
        }
        from = start + 2;
    }
    None
}

/// Writes the highlight block opened at `lines[open - 1]` as a fenced block; the index of
/// the line after it. Without `{% endhighlight %}` the tag is left as text.
fn highlight(lines: &[&str], open: usize, first: &str, lang: &str, out: &mut Liquid) -> usize {
    let indent = &first[..first.len() - first.trim_start().len()];
    let after_tag = tag_at(first).map_or("", |(_, rest)| rest);
    let mut code: Vec<String> = Vec::new();
    if !after_tag.trim().is_empty() {
        code.push(format!("{after_tag}\n"));
    }
    let mut j = open;
    let mut tail = None;
    while j < lines.len() {
        let l = lines[j];
        j += 1;
        if let Some((before, after)) = endhighlight(l) {
            if !before.trim().is_empty() {
                code.push(format!("{before}\n"));
            }
            tail = Some(after.trim_end_matches(['\n', '\r']).to_owned());
            break;
        }
        let mut l = l.to_owned();
        if !l.ends_with('\n') {
            l.push('\n');
        }
        code.push(l);
    }
    let Some(tail) = tail else {
        out.leave("highlight");
        out.body.push_str(lines[open - 1]);
        return open;
    };
    let longest = code.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    out.body.push_str(&format!("{indent}{fence}{lang}\n"));
    for l in &code {
        out.body.push_str(l);
    }
    out.body.push_str(&format!("{indent}{fence}\n"));
    if !tail.trim().is_empty() {
        out.body.push_str(&tail);
        out.body.push('\n');
    }
    j
}

fn longest_run(s: &str, ch: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == ch { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Display math opened at `lines[at]`: a line that is `$$…$$` alone, or that starts with a
/// `$$` it does not close; the index after the line that closes it, `None` when it is no
/// such block (`$$x$$ is …` is inline math in a paragraph).
fn display_math(lines: &[&str], at: usize) -> Option<usize> {
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
fn math_block(lines: &[&str], out: &mut Liquid) {
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
fn is_toc_line(line: &str, next: Option<&str>) -> bool {
    let t = line.trim();
    let is_toc = |s: &str| s.replace(' ', "") == "{:toc}" || s.replace(' ', "") == "{:.toc}";
    is_toc(t) || (matches!(t, "* TOC" | "- TOC" | "1. TOC") && next.is_some_and(is_toc))
}

/// A kramdown block attribute list alone on its line: `{: .class}`, `{: width="150"}`.
fn is_ial_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("{:") && t.ends_with('}') && !t[2..t.len() - 1].contains(['{', '}'])
}

/// Converts the tags of one line outside code blocks, skipping inline code spans; whether a
/// `{% raw %}` is still open at its end (`in_raw`: open at its start).
fn inline(
    line: &str,
    mut in_raw: bool,
    address: &dyn Fn(&str) -> Option<String>,
    out: &mut Liquid,
) -> bool {
    let mut rest = line;
    while !rest.is_empty() {
        if in_raw {
            match find_tag(rest, "endraw") {
                Some((start, end)) => {
                    out.body.push_str(&rest[..start]);
                    rest = &rest[end..];
                    in_raw = false;
                }
                None => {
                    out.body.push_str(rest);
                    return true;
                }
            }
            continue;
        }
        let next = ["`", "{%", "{{", "{:", "$$"]
            .iter()
            .filter_map(|m| rest.find(m).map(|at| (at, *m)))
            .min();
        let Some((at, mark)) = next else {
            out.body.push_str(rest);
            break;
        };
        out.body.push_str(&rest[..at]);
        rest = &rest[at..];
        let used = match mark {
            "`" => code_span(rest, out),
            "{%" => tag(rest, address, out, &mut in_raw),
            "{{" => output(rest, out),
            "$$" => inline_math(rest, out),
            _ => inline_ial(rest, out),
        };
        rest = &rest[used..];
    }
    in_raw
}

/// The span of `{% name %}` in `text`, with `-` trims.
fn find_tag(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{%") {
        let start = from + at;
        let end = text[start..].find("%}")? + start + 2;
        if text[start + 2..end - 2].trim_matches('-').trim() == name {
            return Some((start, end));
        }
        from = start + 2;
    }
    None
}

/// Copies an inline code span (or a lone run of backticks) as it is; bytes used.
fn code_span(text: &str, out: &mut Liquid) -> usize {
    let run = text.chars().take_while(|c| *c == '`').count();
    let ticks = &text[..run];
    let mut from = run;
    while let Some(at) = text[from..].find(ticks) {
        let start = from + at;
        let len = text[start..].chars().take_while(|c| *c == '`').count();
        if len == run {
            out.body.push_str(&text[..start + run]);
            return start + run;
        }
        from = start + len;
    }
    out.body.push_str(ticks);
    run
}

/// A `{% … %}` tag at the start of `text`; bytes used.
fn tag(
    text: &str,
    address: &dyn Fn(&str) -> Option<String>,
    out: &mut Liquid,
    in_raw: &mut bool,
) -> usize {
    let Some(end) = text.find("%}") else {
        out.body.push_str("{%");
        return 2;
    };
    let whole = &text[..end + 2];
    let inner = text[2..end].trim_matches('-').trim();
    let mut words = inner.split_whitespace();
    let name = words.next().unwrap_or("");
    match name {
        "raw" => *in_raw = true,
        "endraw" => {}
        "post_url" | "link" => {
            let target = words.collect::<Vec<_>>().join(" ");
            match address(&target) {
                Some(url) => out.body.push_str(&url),
                None => {
                    out.body.push_str(whole);
                    out.leave(name);
                    out.note(format!(
                        "{{% {name} {target} %}} names no imported post; left as text"
                    ));
                }
            }
        }
        _ => {
            out.body.push_str(whole);
            out.leave(name);
        }
    }
    end + 2
}

/// A `{{ … }}` output at the start of `text`; bytes used.
fn output(text: &str, out: &mut Liquid) -> usize {
    let Some(end) = text.find("}}") else {
        out.body.push_str("{{");
        return 2;
    };
    let inner = text[2..end].trim_matches('-').trim();
    match site_address(inner) {
        Some(replacement) => out.body.push_str(&replacement),
        None => {
            out.body.push_str(&text[..end + 2]);
            let name = inner.split(['|', ' ']).next().unwrap_or(inner);
            out.leave(name);
        }
    }
    end + 2
}

/// What an output that only makes addresses absolute stands for, relative to the site:
/// `site.baseurl`, `site.url` → nothing; `"/x.png" | relative_url` → `/x.png`.
fn site_address(inner: &str) -> Option<String> {
    let mut parts = inner.split('|').map(str::trim);
    let head = parts.next()?;
    let filters: Vec<&str> = parts.collect();
    let literal = head
        .strip_prefix('"')
        .and_then(|h| h.strip_suffix('"'))
        .or_else(|| head.strip_prefix('\'').and_then(|h| h.strip_suffix('\'')));
    let base = matches!(head, "site.baseurl" | "site.url");
    let known = |f: &&str| {
        let f = f.replace(' ', "");
        matches!(
            f.as_str(),
            "relative_url" | "absolute_url" | "prepend:site.baseurl" | "prepend:site.url"
        )
    };
    match (literal, base) {
        (Some(path), _) if filters.iter().all(known) && !filters.is_empty() => {
            Some(path.to_owned())
        }
        (None, true) if filters.is_empty() => Some(String::new()),
        _ => None,
    }
}

/// Inline math `$$…$$` (kramdown's) at the start of `text`, escaped so that Markdown
/// gives its TeX back byte for byte; bytes used. Without a closing `$$` it is text.
fn inline_math(text: &str, out: &mut Liquid) -> usize {
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
fn escape_math(math: &str) -> String {
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

/// A kramdown span attribute list inside a line (`![a](b.png){: width="150"}`): removed,
/// with a note; a `{:` that is not one is kept.
fn inline_ial(text: &str, out: &mut Liquid) -> usize {
    match text.find('}') {
        Some(end) if !text[2..end].contains(['{', '\n']) => {
            out.note(ial_note());
            end + 1
        }
        _ => {
            out.body.push_str("{:");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts(target: &str) -> Option<String> {
        let name = target.trim_start_matches('/').rsplit('/').next()?;
        let name = name.trim_end_matches(".md");
        (name == "2010-07-21-hello").then(|| "/posts/hello/".to_owned())
    }

    fn conv(body: &str) -> Liquid {
        convert(body, &posts)
    }

    #[test]
    fn highlight_becomes_a_fence_with_lines_and_indentation_intact() {
        let body =
            "a\n\n{% highlight ruby linenos %}\ndef f\n  ``` x\nend\n{% endhighlight %}\nb\n";
        let got = conv(body);
        assert_eq!(got.body, "a\n\n````ruby\ndef f\n  ``` x\nend\n````\nb\n");
        assert!(got.left.is_empty());
        let trimmed = conv("{%- highlight python -%}\nx = 1\n{%- endhighlight -%}\n");
        assert_eq!(trimmed.body, "```python\nx = 1\n```\n");
    }

    #[test]
    fn raw_markers_go_and_their_inside_stays() {
        let got = conv("a {% raw %}{{ x }}{% endraw %} b\n{% raw %}\n{% if %}\n{% endraw %}\n");
        assert_eq!(got.body, "a {{ x }} b\n\n{% if %}\n\n");
        assert!(got.left.is_empty());
    }

    #[test]
    fn post_links_become_new_addresses_or_stay_with_a_note() {
        let got = conv("[a]({% post_url 2010-07-21-hello %}) [b]({% link _posts/2010-07-21-hello.md %}) [c]({% post_url 2000-01-01-gone %})\n");
        assert_eq!(
            got.body,
            "[a](/posts/hello/) [b](/posts/hello/) [c]({% post_url 2000-01-01-gone %})\n"
        );
        assert_eq!(got.left, ["post_url"]);
        assert_eq!(got.notes.len(), 1);
    }

    #[test]
    fn site_addresses_are_removed() {
        let got = conv("![x]({{ site.baseurl }}/a.png) {{site.url}}{{site.baseurl}}/b {{ \"/c.png\" | relative_url }} {{ '/d' | prepend: site.baseurl }}\n");
        assert_eq!(got.body, "![x](/a.png) /b /c.png /d\n");
        assert!(got.left.is_empty());
    }

    #[test]
    fn other_tags_are_left_and_named() {
        let got = conv("{% include note.html %}\n{{ page.title | upcase }}\n");
        assert_eq!(
            got.body,
            "{% include note.html %}\n{{ page.title | upcase }}\n"
        );
        assert_eq!(got.left, ["include", "page.title"]);
    }

    #[test]
    fn attribute_lists_and_toc_are_removed() {
        let got = conv("* TOC\n{:toc}\n\n![a](b.png){: width=\"150\"}\n\npara\n{: .note}\n");
        assert_eq!(got.body, "\n![a](b.png)\n\npara\n");
        assert_eq!(got.notes.len(), 1);
    }

    #[test]
    fn code_is_never_touched() {
        let body = "```\n{% include x %}\n{{ site.url }}\n```\n\n    {% raw %}\n\n`{{ site.url }}` and ``{% link a %}``\n";
        let got = conv(body);
        assert_eq!(got.body, body);
        assert!(got.left.is_empty());
    }

    #[test]
    fn inline_math_is_escaped_and_kept_apart_from_display_math() {
        let got = conv("$$P(x_1)$$를 보면 $$a*b_c \\{y\\}$$ 입니다.\n");
        assert_eq!(
            got.body,
            "$$P(x\\_1)$$를 보면 $$a\\*b\\_c \\\\{y\\\\}$$ 입니다.\n"
        );
    }

    #[test]
    fn display_math_is_wrapped_byte_for_byte() {
        let got = conv("a\n\n$$\nx_1 * y_2 * \\{z\\}\n$$\n\n$$a_b*c_d$$\n");
        assert_eq!(
            got.body,
            "a\n\n<div class=\"math\">\n$$\nx_1 * y_2 * \\{z\\}\n$$\n</div>\n\n<div class=\"math\">\n$$a_b*c_d$$\n</div>\n"
        );
    }
}
