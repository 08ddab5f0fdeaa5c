//! Hugo shortcodes in an imported post's body, turned into the Markdown they stand for:
//! `figure` and a theme's image shortcodes into images, `youtube`/`vimeo` into a bare video
//! address on its own line, `gist`, `x`/`tweet`, `instagram` into links, `highlight` into a
//! fenced block, `ref`/`relref` into the imported post's new address. Both delimiters
//! (`{{< … >}}`, `{{% … %}}`) are read. Code blocks and code spans are left alone, except
//! that an escaped shortcode (`{{</* … */>}}`) becomes the literal text Hugo showed.
//!
//! Pure functions of text: the caller reads the files and builds the [`RefTable`] and the
//! [`ThemeImages`]; what is left as text is returned, for the post's note.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

mod call;
use call::Call;

/// Where each imported page is published now, by the names Hugo's `ref` accepts: its path
/// under `content/` (without `.md`, a bundle by its folder) and its bare name.
#[derive(Debug, Default)]
pub(crate) struct RefTable {
    by_path: HashMap<String, String>,
    /// Bare name → address; `None` when two pages share the name.
    by_name: HashMap<String, Option<String>>,
}

impl RefTable {
    /// Records the page at `content_rel` (a path under `content/`) as published at `address`.
    pub(crate) fn insert(&mut self, content_rel: &Path, address: String) {
        let path = normalize(&content_rel.to_string_lossy().replace('\\', "/"));
        let name = path.rsplit('/').next().unwrap_or(&path).to_owned();
        self.by_path.insert(path, address.clone());
        self.by_name
            .entry(name)
            .and_modify(|a| *a = None)
            .or_insert(Some(address));
    }

    /// The address `target` (as written in a `ref` of the page in content folder `dir`)
    /// leads to, anchor kept.
    fn resolve(&self, target: &str, dir: &str) -> Option<String> {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, format!("#{a}")),
            None => (target, String::new()),
        };
        if path.is_empty() {
            return (!anchor.is_empty()).then_some(anchor);
        }
        let wanted = normalize(path);
        let relative = normalize(&format!("{dir}/{path}"));
        let found = if path.starts_with('/') {
            self.by_path.get(&wanted).cloned()
        } else {
            self.by_path
                .get(&relative)
                .or_else(|| self.by_path.get(&wanted))
                .cloned()
                .or_else(|| {
                    let name = wanted.rsplit('/').next().unwrap_or(&wanted);
                    self.by_name.get(name).cloned().flatten()
                })
        };
        found.map(|a| a + &anchor)
    }
}

/// `posts/x/index.md`, `/posts/x.md`, `./x/` → `posts/x`, `x`: the key of a page.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if let Some(last) = parts.last_mut() {
        *last = last
            .strip_suffix(".md")
            .or_else(|| last.strip_suffix(".markdown"))
            .unwrap_or(last);
    }
    if matches!(parts.last(), Some(&("index" | "_index"))) {
        parts.pop();
    }
    parts.join("/")
}

/// A parameter of a shortcode call: by name, or by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Named(String),
    Position(usize),
}

/// A theme's shortcode whose template shows an image: which parameters hold what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageShortcode {
    src: Param,
    alt: Option<Param>,
    caption: Option<Param>,
}

/// The theme's image shortcodes by name.
pub(crate) type ThemeImages = HashMap<String, ImageShortcode>;

/// What a template (`layouts/shortcodes/<name>.html`) makes of its parameters, when it
/// shows an `<img>` whose `src` is one of them; `None` for every other template.
pub(crate) fn image_shortcode(template: &str) -> Option<ImageShortcode> {
    let img = template.find("<img")?;
    let tag = &template[img..];
    let tag = &tag[..tag.find('>').map_or(tag.len(), |e| e + 1)];
    let attribute = |name: &str| {
        let key = format!("{name}=");
        let at = tag.match_indices(&key).find_map(|(i, _)| {
            let before = tag[..i].chars().next_back()?;
            before.is_whitespace().then_some(i)
        })?;
        let value = tag[at + key.len()..].trim_start_matches(['"', '\'']);
        // The value's template action, whose quotes are not the attribute's.
        let end = match value.strip_prefix("{{") {
            Some(action) => action.find("}}").map_or(value.len(), |e| e + 4),
            None => value.find(['"', '\'', ' ', '>']).unwrap_or(value.len()),
        };
        param_in(&value[..end])
    };
    let src = attribute("src")?;
    let alt = attribute("alt");
    let caption = ["caption", "title"]
        .iter()
        .find(|c| template.contains(&format!(".Get \"{c}\"")))
        .map(|c| Param::Named((*c).to_owned()));
    Some(ImageShortcode { src, alt, caption })
}

/// The parameter a piece of template reads with `.Get "name"` or `.Get 0`.
fn param_in(text: &str) -> Option<Param> {
    let at = text.find(".Get ")?;
    let arg = text[at + 5..].trim_start();
    if let Some(quoted) = arg.strip_prefix('"') {
        return Some(Param::Named(quoted.split('"').next()?.to_owned()));
    }
    let digits: String = arg.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().map(Param::Position)
}

/// What the caller knows of the site: the new addresses and the theme's image shortcodes.
pub(crate) struct Site<'a> {
    pub(crate) refs: &'a RefTable,
    pub(crate) images: &'a ThemeImages,
}

/// A body converted, with what is left in it as text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Converted {
    pub(crate) body: String,
    /// Shortcode name → how many calls were left as text.
    pub(crate) left: BTreeMap<String, usize>,
    /// `ref`/`relref` targets that name no imported page.
    pub(crate) unresolved: Vec<String>,
    /// Whether a `highlight` of `{{<`, of `{{%`, was found never closed.
    unclosed_highlight: [bool; 2],
    /// Where the next `>}}`, `%}}` at or after the place looked from is (`usize::MAX`:
    /// none), so that a `{{<` with none near is passed over without reading on.
    closers: [Option<usize>; 2],
}

impl Converted {
    /// Where the next closing delimiter at or after `pos` is; each part of the body is
    /// searched once.
    fn next_closer(&mut self, body: &str, pos: usize, percent: bool) -> usize {
        let kind = usize::from(percent);
        match self.closers[kind] {
            Some(at) if at >= pos => at,
            _ => {
                let close = if percent { "%}}" } else { ">}}" };
                let at = body[pos..].find(close).map_or(usize::MAX, |i| pos + i);
                self.closers[kind] = Some(at);
                at
            }
        }
    }

    /// The note for the post's writer, when something is left as text.
    pub(crate) fn note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.left.is_empty() {
            let names: Vec<String> = self
                .left
                .iter()
                .map(|(n, c)| {
                    if *c > 1 {
                        format!("{n} ×{c}")
                    } else {
                        n.clone()
                    }
                })
                .collect();
            parts.push(format!(
                "Hugo shortcodes left as text (ilji shows them as written; replace them with Markdown or HTML): {}",
                names.join(", ")
            ));
        }
        if !self.unresolved.is_empty() {
            parts.push(format!(
                "`ref`/`relref` to pages not imported, left as text: {}",
                self.unresolved.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Converts the shortcodes of the body of the page in content folder `dir`.
pub(crate) fn convert(body: &str, dir: &str, site: &Site) -> Converted {
    let mut out = Converted::default();
    let mut pos = 0;
    let mut fence: Option<String> = None;
    let mut after_blank = true;
    let mut in_indented = false;
    while pos < body.len() {
        let end = body[pos..].find('\n').map_or(body.len(), |i| pos + i + 1);
        let line = &body[pos..end];
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let blank = trimmed.trim().is_empty();
        if let Some(f) = &fence {
            if closes_fence(trimmed, f) {
                fence = None;
            }
            out.body.push_str(&unescape(line));
            pos = end;
        } else if let Some(f) = opens_fence(trimmed) {
            fence = Some(f);
            out.body.push_str(&unescape(line));
            pos = end;
        } else if !blank && (after_blank || in_indented) && is_indented(trimmed) {
            in_indented = true;
            out.body.push_str(&unescape(line));
            pos = end;
        } else {
            in_indented = in_indented && blank;
            pos = convert_prose(body, pos, dir, site, &mut out);
        }
        after_blank = blank;
    }
    out
}

fn is_indented(line: &str) -> bool {
    line.starts_with("    ") || line.starts_with('\t')
}

/// The fence a line opens (its run of backticks or tildes), if it opens one.
fn opens_fence(line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = rest.len() - rest.trim_start_matches(c).len();
    let info = &rest[run..];
    (indent < 4 && run >= 3 && !(c == '`' && info.contains('`'))).then(|| rest[..run].to_owned())
}

fn closes_fence(line: &str, fence: &str) -> bool {
    let t = line.trim();
    let c = fence.chars().next().unwrap_or('`');
    t.len() >= fence.len() && t.chars().all(|x| x == c)
}

/// `{{</* x */>}}` → `{{< x >}}`, the same with `%`.
fn unescape(text: &str) -> String {
    text.replace("{{</*", "{{<")
        .replace("*/>}}", ">}}")
        .replace("{{%/*", "{{%")
        .replace("*/%}}", "%}}")
}

/// Converts prose from `pos` to the end of its line (further when a shortcode spans lines);
/// returns where it stopped, the start of a line.
fn convert_prose(body: &str, mut pos: usize, dir: &str, site: &Site, out: &mut Converted) -> usize {
    while pos < body.len() {
        let rest = &body[pos..];
        let Some(at) = rest.find(['\n', '`', '{']) else {
            out.body.push_str(rest);
            return body.len();
        };
        out.body.push_str(&rest[..at]);
        pos += at;
        let here = &body[pos..];
        if here.starts_with('\n') {
            out.body.push('\n');
            return pos + 1;
        }
        if here.starts_with('`') {
            let len = code_span_len(here);
            out.body.push_str(&unescape(&here[..len]));
            pos += len;
            continue;
        }
        if let Some(escaped) = escaped_len(here) {
            out.body.push_str(&unescape(&here[..escaped]));
            pos += escaped;
            continue;
        }
        let closer_near = out.next_closer(body, pos, here.starts_with("{{%")) - pos <= SPAN_WINDOW;
        let call = closer_near.then(|| Call::parse(window(here, SPAN_WINDOW)));
        match call.flatten() {
            Some(call) => pos += convert_call(body, pos, &call, dir, site, out),
            None => {
                out.body.push('{');
                pos += 1;
            }
        }
    }
    pos
}

/// How far a shortcode call or a code span is looked for, so that a hostile body of
/// unclosed ones is still read in linear time; a real one is far shorter.
const SPAN_WINDOW: usize = 4 * 1024;

/// The first `max` bytes of `text` at most, cut at a character boundary.
fn window(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The length of the code span (or lone backtick run) at the start of `text`.
fn code_span_len(text: &str) -> usize {
    let text = window(text, SPAN_WINDOW);
    let run = text.len() - text.trim_start_matches('`').len();
    let ticks = &text[..run];
    let paragraph_end = text.find("\n\n").unwrap_or(text.len());
    let mut from = run;
    while let Some(i) = text[from..paragraph_end].find(ticks) {
        let at = from + i;
        let after = text[at..].len() - text[at..].trim_start_matches('`').len();
        if after == run {
            return at + run;
        }
        from = at + after;
    }
    run
}

fn escaped_len(text: &str) -> Option<usize> {
    let (open, close) = if text.starts_with("{{</*") {
        ("{{</*", "*/>}}")
    } else if text.starts_with("{{%/*") {
        ("{{%/*", "*/%}}")
    } else {
        return None;
    };
    text[open.len()..]
        .find(close)
        .map(|i| open.len() + i + close.len())
}

/// Writes what the call at `pos` stands for; returns how much of the body it used.
fn convert_call(
    body: &str,
    pos: usize,
    call: &Call,
    dir: &str,
    site: &Site,
    out: &mut Converted,
) -> usize {
    let raw = &body[pos..pos + call.len];
    if call.closing {
        // Its opening call is the one listed.
        out.body.push_str(raw);
        return call.len;
    }
    if call.name == "highlight" {
        if let Some(used) = highlight(body, pos, call, out) {
            return used;
        }
    }
    let before = alone_until_newline(body[..pos].chars().rev());
    let after = alone_until_newline(body[pos + call.len..].chars());
    match replacement(call, dir, site, out) {
        Some(Block(text)) => {
            out.body.push_str(if before { "" } else { "\n\n" });
            out.body.push_str(&text);
            out.body.push_str(if after { "" } else { "\n\n" });
        }
        Some(Inline(text)) => out.body.push_str(&text),
        None => {
            out.body.push_str(raw);
            if !matches!(call.name.as_str(), "ref" | "relref") {
                *out.left.entry(call.name.clone()).or_default() += 1;
            }
        }
    }
    call.len
}

/// Whether only white space comes before the next line break; stops at the first other
/// character, so that a long line of calls stays linear.
fn alone_until_newline(mut chars: impl Iterator<Item = char>) -> bool {
    chars
        .find(|c| *c == '\n' || !c.is_whitespace())
        .is_none_or(|c| c == '\n')
}

enum Replacement {
    /// Alone on its line (a video address).
    Block(String),
    Inline(String),
}
use Replacement::{Block, Inline};

fn replacement(call: &Call, dir: &str, site: &Site, out: &mut Converted) -> Option<Replacement> {
    let get = |n: &str, i: usize| call.get(n, i);
    let text = match call.name.as_str() {
        "ref" | "relref" => {
            let target = get("path", 0)?;
            match site.refs.resolve(target, dir) {
                Some(address) => address,
                None => {
                    out.unresolved.push(target.to_owned());
                    return None;
                }
            }
        }
        "figure" if !site.images.contains_key("figure") => {
            let caption = match (get("title", usize::MAX), get("caption", usize::MAX)) {
                (Some(t), Some(c)) => Some(format!("{t} — {c}")),
                (t, c) => c.or(t).map(str::to_owned),
            };
            image(
                get("src", usize::MAX)?,
                get("alt", usize::MAX),
                caption.as_deref(),
                get("link", usize::MAX),
            )
        }
        "youtube" => {
            return Some(Block(format!(
                "https://www.youtube.com/watch?v={}",
                get("id", 0)?
            )))
        }
        "vimeo" => return Some(Block(format!("https://vimeo.com/{}", get("id", 0)?))),
        "gist" => {
            let file = get("file", 2)
                .map(|f| format!("?file={f}"))
                .unwrap_or_default();
            format!(
                "<https://gist.github.com/{}/{}{file}>",
                get("user", 0)?,
                get("id", 1)?
            )
        }
        "x" | "tweet" | "twitter" => match (get("user", usize::MAX), get("id", 0)) {
            (Some(u), Some(id)) => format!("<https://x.com/{u}/status/{id}>"),
            (None, Some(id)) => format!("<https://x.com/i/status/{id}>"),
            _ => return None,
        },
        "instagram" => format!("<https://www.instagram.com/p/{}/>", get("id", 0)?),
        name => {
            let shape = site.images.get(name)?;
            image(
                call.param(&shape.src)?,
                shape.alt.as_ref().and_then(|p| call.param(p)),
                shape.caption.as_ref().and_then(|p| call.param(p)),
                None,
            )
        }
    };
    Some(Inline(text))
}

/// `![alt](src "caption")`, linked to `link` when given.
fn image(src: &str, alt: Option<&str>, caption: Option<&str>, link: Option<&str>) -> String {
    let alt = alt.or(caption).unwrap_or("").replace(['[', ']'], "");
    let src = if src.contains([' ', '(', ')']) {
        format!("<{src}>")
    } else {
        src.to_owned()
    };
    let title = caption
        .map(|c| format!(" \"{}\"", c.replace('"', "\\\"")))
        .unwrap_or_default();
    let img = format!("![{alt}]({src}{title})");
    match link {
        Some(l) => format!("[{img}]({l})"),
        None => img,
    }
}

/// `{{< highlight go "opts" >}}…{{< /highlight >}}` → a fenced block, its lines intact;
/// `None` when it is never closed.
fn highlight(body: &str, pos: usize, call: &Call, out: &mut Converted) -> Option<usize> {
    let start = pos + call.len;
    let kind = usize::from(call.percent);
    if out.unclosed_highlight[kind] {
        return None;
    }
    let mut from = start;
    let (inner_end, close_len) = loop {
        let Some(i) = body[from..].find(if call.percent { "{{%" } else { "{{<" }) else {
            // None later on is closed either: not looked for again.
            out.unclosed_highlight[kind] = true;
            return None;
        };
        match Call::parse(window(&body[from + i..], SPAN_WINDOW)) {
            Some(c) if c.closing && c.name == "highlight" => break (from + i, c.len),
            _ => from += i + 3,
        }
    };
    let inner = body[start..inner_end]
        .strip_prefix('\n')
        .or_else(|| body[start..inner_end].strip_prefix("\r\n"))
        .unwrap_or(&body[start..inner_end]);
    let inner = inner.trim_end_matches([' ', '\t']);
    let inner = inner.strip_suffix('\n').unwrap_or(inner);
    let longest = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let lang = call.get("lang", 0).unwrap_or("");
    if !out.body.is_empty() && !out.body.ends_with('\n') {
        out.body.push('\n');
    }
    out.body
        .push_str(&format!("{fence}{lang}\n{inner}\n{fence}"));
    Some(inner_end + close_len - pos)
}

#[cfg(test)]
mod tests;
