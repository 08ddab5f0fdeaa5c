//! HTML turned into Markdown: the body of a Tistory post (its editor's `<p data-ke-size>`,
//! `figure.imageblock`, `pre[data-ke-type=codeblock]` markup), or Tistory HTML that a writer
//! pasted into a Markdown post of another blog. `ilji import` writes the Markdown; the build
//! reads a post that still holds such HTML through [`convert_pasted`] too, so that a blank
//! line inside the HTML (in a code block) cannot cut it in two, and its text is counted and
//! found by search like any other.
//!
//! The HTML is parsed by `scraper` (html5ever, the HTML5 parsing algorithm: the tag soup a
//! browser accepts is read as a browser reads it). `blocks` walks the tree, `inline` writes
//! a paragraph's Markdown (checked against ilji's own renderer), `escape` adds only the
//! escapes it needs, `figures` and `tables` handle Tistory's figures and tables. Every `style`, `class`, `id` and `data-ke-*` attribute
//! goes; what cannot be Markdown (an unknown frame, a table with merged cells) is kept as
//! clean HTML and named in the notes. Nothing here reads or writes a file: an image's new
//! address is the caller's to give.

mod blocks;
mod escape;
mod figures;
mod inline;
mod tables;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_blocks;

use std::ops::Range;

use inline::Mode;

/// A body converted to Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlMarkdown {
    pub markdown: String,
    /// Remarks for the writer (what could not be converted and was kept as HTML).
    pub notes: Vec<String>,
}

/// Converts `html` (a fragment: the inside of the post's article) to Markdown. `image` is
/// asked for the address each image (`<img src>`, and an attachment's `<a href>` in a
/// `figure.fileblock`) should have in the Markdown, given the address written in the HTML;
/// `None` keeps it as written.
pub fn to_markdown(html: &str, image: &mut dyn FnMut(&str) -> Option<String>) -> HtmlMarkdown {
    let document = scraper::Html::parse_fragment(html);
    let mut cx = Context {
        image,
        notes: Vec::new(),
        depth: 0,
    };
    let blocks = blocks::blocks(&mut cx, document.root_element(), Mode::Paragraph);
    let mut markdown = blocks::join_blocks(&blocks, false);
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    HtmlMarkdown {
        markdown,
        notes: cx.notes,
    }
}

/// Whether a Markdown body holds HTML from Tistory's editor (pasted when the blog moved),
/// which [`to_markdown`] should turn into Markdown.
/// The build asks this of every post, so a body without a tag (most) costs one byte scan.
pub fn looks_like_tistory(body: &str) -> bool {
    static MARKS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 4]> =
        std::sync::LazyLock::new(|| {
            [
                "data-ke-",
                "tt_article_useless_p_margin",
                "class=\"imageblock",
                "class=\"contents_style",
            ]
            .map(memchr::memmem::Finder::new)
        });
    let body = body.as_bytes();
    memchr::memchr(b'<', body).is_some_and(|first| {
        let tags = &body[first..];
        MARKS.iter().any(|m| m.find(tags).is_some())
    })
}

/// Converts the Tistory HTML pasted into a Markdown body: each run of HTML blocks (at the
/// top level, only blank lines between them) that [`looks_like_tistory`] becomes Markdown;
/// the Markdown around it, and HTML of other origins, are kept as written.
pub fn convert_pasted(
    markdown: &str,
    image: &mut dyn FnMut(&str) -> Option<String>,
) -> HtmlMarkdown {
    let mut out = String::with_capacity(markdown.len());
    let mut notes: Vec<String> = Vec::new();
    let mut done = 0;
    for run in html_runs(markdown) {
        let html = &markdown[run.clone()];
        if !looks_like_tistory(html) {
            continue;
        }
        let converted = to_markdown(html, image);
        let before = &markdown[done..run.start];
        out.push_str(before);
        // The Markdown must not run into the paragraph before or after it.
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(&converted.markdown);
        done = run.end;
        // One blank line before what follows.
        while let Some(line_end) = markdown[done..].find('\n') {
            if !markdown[done..done + line_end].trim().is_empty() {
                break;
            }
            done += line_end + 1;
        }
        if !markdown[done..].trim().is_empty() {
            out.push('\n');
        }
        for note in converted.notes {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    out.push_str(&markdown[done..]);
    HtmlMarkdown {
        markdown: out,
        notes,
    }
}

/// The byte ranges of `markdown` that are HTML blocks at the top level, those with only
/// white space between them joined into one.
fn html_runs(markdown: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut depth = 0usize;
    let parser = Parser::new_ext(markdown, crate::markdown::options()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(tag) => {
                if depth == 0 && tag == Tag::HtmlBlock {
                    match runs.last_mut() {
                        Some(last) if markdown[last.end..range.start].trim().is_empty() => {
                            last.end = range.end;
                        }
                        _ => runs.push(range),
                    }
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    close_open_code(markdown, runs)
}

/// The runs, each that opens a `<pre>` it does not close taken on to the line that closes
/// it: a blank line in the code ended the HTML block there under Markdown's rules, and the
/// rest of the code would be read as Markdown. Runs that then meet are joined.
fn close_open_code(markdown: &str, runs: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(runs.len());
    for mut run in runs {
        if let Some(last) = out.last_mut() {
            if run.start <= last.end || markdown[last.end..run.start].trim().is_empty() {
                last.end = last.end.max(run.end);
                run = last.clone();
                out.pop();
            }
        }
        while unclosed_pre(&markdown[run.clone()]) {
            let rest = markdown[run.end..].to_ascii_lowercase();
            let Some(close) = rest.find("</pre>") else {
                break;
            };
            let after = run.end + close + "</pre>".len();
            run.end = markdown[after..]
                .find('\n')
                .map_or(markdown.len(), |i| after + i + 1);
        }
        out.push(run);
    }
    out
}

/// Whether `html` opens more `<pre>` elements than it closes.
fn unclosed_pre(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let opened = lower
        .match_indices("<pre")
        .filter(|(i, _)| {
            lower[i + 4..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c.is_ascii_whitespace())
        })
        .count();
    opened > lower.matches("</pre>").count()
}

/// What the walk carries: the caller's image addresses and the notes.
pub(super) struct Context<'a> {
    image: &'a mut dyn FnMut(&str) -> Option<String>,
    notes: Vec<String>,
    /// Elements open around the one being walked.
    depth: usize,
}

impl Context<'_> {
    fn note(&mut self, note: &str) {
        if !self.notes.iter().any(|n| n == note) {
            self.notes.push(note.to_owned());
        }
    }
}

/// A link's or image's destination as Markdown writes it inside `(…)`: white space and
/// parentheses percent-encoded, line ends dropped, and the title quoted.
fn destination(url: &str, title: Option<&str>) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
        out.push_str(" \"");
        for c in title.chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(if c.is_whitespace() { ' ' } else { c });
        }
        out.push('"');
    }
    out
}
