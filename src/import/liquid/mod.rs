//! A Jekyll post's body made plain Markdown: Liquid's `{% highlight %}` becomes a fenced
//! code block, `{% raw %}` markers go, `{% post_url %}`/`{% link %}` become the imported
//! post's new address, `{% include_relative %}` the included file's text (converted in
//! turn), `{% include %}` the HTML Jekyll renders from `_includes/` (`include.rs`) as an
//! HTML block, `{{ site.key }}` its text or number in `_config.yml`, `{{ site.baseurl }}`/`{{ site.url }}` (and `relative_url`-style filters on a
//! literal path) are removed; kramdown's extras are `kramdown.rs`'s. Pure functions of
//! text: it reads no file, and knows the posts and the files to include only through the
//! [`Sources`] it is given.
//!
//! It never touches code (fenced or indented blocks, inline code spans); every other tag is
//! left as text and named in [`Liquid::left`], so that import's note lists only those.

mod include;
mod kramdown;

use std::path::{Path, PathBuf};

use kramdown::{
    display_math, dollar_math, escape_math, ial_note, inline_ial, inline_math, is_ial_line,
    is_toc_line, math_block,
};

/// How deep `{% include_relative %}` may nest: an included file's own includes are
/// followed this many levels down, then left as text (a file including itself stops too).
const MAX_INCLUDE_DEPTH: usize = 4;

/// A file to include: its path relative to the old blog's folder, and its text; or why it
/// cannot be, to end a note ("names a file that does not exist").
pub(crate) type Included = Result<(PathBuf, String), String>;

/// What a body can reach outside itself.
pub(crate) struct Sources<'a> {
    /// The new address of the post a `{% post_url %}` or `{% link %}` names (as written in
    /// the tag), `None` for a post that was not imported.
    pub address: &'a dyn Fn(&str) -> Option<String>,
    /// The file `{% include_relative TARGET %}` names in a file of the folder `dir`
    /// (relative to the old blog's folder).
    pub include: &'a dyn Fn(&Path, &str) -> Included,
    /// The file `{% include NAME %}` names (below `_includes/`).
    pub include_file: &'a dyn Fn(&str) -> Included,
    /// The site's settings (`_config.yml`), for `site.*` in an include.
    pub site: Option<&'a serde_yaml::Mapping>,
}

/// Where the text being converted is: its folder (relative to the old blog's), and how
/// many includes deep.
struct Place<'a> {
    sources: &'a Sources<'a>,
    dir: &'a Path,
    depth: usize,
    /// The post's front matter, for `page.*` in an include.
    page: &'a serde_yaml::Mapping,
}

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

/// Converts `body`, the text of a file of the folder `dir` (relative to the old blog's)
/// whose front matter is `page`.
pub(crate) fn convert(
    body: &str,
    dir: &Path,
    page: &serde_yaml::Mapping,
    sources: &Sources,
) -> Liquid {
    let place = Place {
        sources,
        dir,
        depth: 0,
        page,
    };
    convert_at(body, &place)
}

fn convert_at(body: &str, place: &Place) -> Liquid {
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
            raw = inline(line, true, place, &mut out);
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
        if include_line(content, place, &mut out) {
            prev_blank = true;
            // The block ends with a blank line already.
            i += usize::from(lines.get(i).is_some_and(|l| l.trim().is_empty()));
            continue;
        }
        raw = inline(line, false, place, &mut out);
    }
    out
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

/// Converts the tags of one line outside code blocks, skipping inline code spans; whether a
/// `{% raw %}` is still open at its end (`in_raw`: open at its start).
fn inline(line: &str, mut in_raw: bool, place: &Place, out: &mut Liquid) -> bool {
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
        let next = ["`", "{%", "{{", "{:", "$"]
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
            "{%" => tag(rest, place, out, &mut in_raw),
            "{{" => output(rest, place, out),
            "$" => dollar(rest, out),
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

/// Math at a `$` that starts `text` (`$$…$$` or `$…$`), escaped; else the `$`. Bytes used.
fn dollar(text: &str, out: &mut Liquid) -> usize {
    if text.starts_with("$$") {
        return inline_math(text, out);
    }
    match dollar_math(text, &out.body) {
        Some(len) => {
            out.body.push_str(&escape_math(&text[..len]));
            len
        }
        None => {
            out.body.push('$');
            1
        }
    }
}

/// A `{% … %}` tag at the start of `text`; bytes used.
fn tag(text: &str, place: &Place, out: &mut Liquid, in_raw: &mut bool) -> usize {
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
            match (place.sources.address)(&target) {
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
        "include_relative" => include_relative(words.next().unwrap_or(""), whole, place, out),
        "include" => match render_include(inner, whole, place, out) {
            Some(html) => out.body.push_str(&include::html_inline(&html)),
            None => out.body.push_str(whole),
        },
        _ => {
            out.body.push_str(whole);
            out.leave(name);
        }
    }
    end + 2
}

/// `{% include_relative TARGET %}` (`whole`): the file's text, converted in its own folder,
/// or the tag left as text with a note saying why.
fn include_relative(target: &str, whole: &str, place: &Place, out: &mut Liquid) {
    let found = if place.depth >= MAX_INCLUDE_DEPTH {
        Err(format!(
            "is nested more than {MAX_INCLUDE_DEPTH} includes deep"
        ))
    } else {
        (place.sources.include)(place.dir, target)
    };
    match found {
        Ok((path, text)) => {
            let dir = path.parent().unwrap_or(Path::new(""));
            let inner = Place {
                sources: place.sources,
                dir,
                depth: place.depth + 1,
                page: place.page,
            };
            let included = convert_at(&text, &inner);
            out.body
                .push_str(included.body.strip_suffix('\n').unwrap_or(&included.body));
            for name in &included.left {
                out.leave(name);
            }
            for note in included.notes {
                out.note(note);
            }
        }
        Err(why) => {
            out.body.push_str(whole);
            out.leave("include_relative");
            out.note(format!(
                "{{% include_relative {target} %}} {why}; left as text"
            ));
        }
    }
}

/// A line holding only `{% include … %}`, not indented (in a list item it stays inline):
/// the rendered HTML written as an HTML block with blank lines around; whether it was.
fn include_line(content: &str, place: &Place, out: &mut Liquid) -> bool {
    if content.starts_with(char::is_whitespace) {
        return false;
    }
    let Some((inner, rest)) = tag_at(content) else {
        return false;
    };
    if !rest.trim().is_empty() || inner.split_whitespace().next() != Some("include") {
        return false;
    }
    let whole = content.trim();
    match render_include(inner, whole, place, out) {
        Some(html) => {
            let block = include::html_block(&html);
            if !out.body.is_empty() && !out.body.ends_with("\n\n") {
                out.body.push_str(if out.body.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            if !block.is_empty() {
                out.body.push_str(&block);
                out.body.push_str("\n\n");
            }
        }
        None => {
            out.body.push_str(content);
            out.body.push('\n');
        }
    }
    true
}

/// `{% include ARGS %}` (`inner`, the tag `whole`) rendered; `None`, with the tag noted as
/// left and why, when it cannot be. A note says when the HTML holds a script.
fn render_include(inner: &str, whole: &str, place: &Place, out: &mut Liquid) -> Option<String> {
    let args = inner.strip_prefix("include").unwrap_or(inner);
    let scope = include::Scope {
        sources: place.sources,
        page: place.page,
    };
    match include::render(args, &scope) {
        Ok(html) => {
            if html.to_ascii_lowercase().contains("<script") {
                let name = args.split_whitespace().next().unwrap_or_default();
                out.note(format!(
                    "{{% include {name} %}} brings a <script> into the post, kept as Jekyll \
                     published it"
                ));
            }
            Some(html)
        }
        Err(why) => {
            out.leave("include");
            out.note(format!("{whole} {why}; left as text"));
            None
        }
    }
}

/// A `{{ … }}` output at the start of `text`; bytes used.
fn output(text: &str, place: &Place, out: &mut Liquid) -> usize {
    let Some(end) = text.find("}}") else {
        out.body.push_str("{{");
        return 2;
    };
    let inner = text[2..end].trim_matches('-').trim();
    let found = site_address(inner).or_else(|| include::site_value(inner, place.sources.site));
    match found {
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

#[cfg(test)]
mod tests;
