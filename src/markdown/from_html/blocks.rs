//! The walk over the HTML tree: block elements become Markdown blocks (paragraphs,
//! headings, lists, quotes, code, rules), the inline elements between them are gathered
//! into one [`Inline`] per paragraph, and wrappers (`div.tt_article_useless_p_margin`,
//! `span style=…`) are walked through as if they were not there. Tistory's figures and
//! tables have modules of their own.

use scraper::{ElementRef, Node};

use super::escape::longest_run;
use super::figures;
use super::inline::{Inline, Mark, Mode};
use super::{destination, tables, Context};

/// Deeper than this, an element's text is taken as it is: a page of 100,000 nested `<div>`s
/// must not exhaust the stack.
const MAX_DEPTH: usize = 200;

/// Elements that are blocks of their own (the rest is inline content).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "menu"
            | "li"
            | "blockquote"
            | "pre"
            | "hr"
            | "figure"
            | "figcaption"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "nav"
            | "dl"
            | "dt"
            | "dd"
            | "details"
            | "summary"
            | "center"
            | "address"
            | "form"
            | "fieldset"
            | "iframe"
            | "video"
            | "audio"
            | "embed"
            | "object"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "hgroup"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "caption"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
    )
}

/// The Markdown blocks of `el`'s content, in `mode` (a table cell's are one line each).
pub(super) fn blocks(cx: &mut Context, el: ElementRef, mode: Mode) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = Inline::new(mode);
    children(cx, el, &mut line, &mut out, mode);
    flush(&mut line, &mut out);
    out
}

fn flush(line: &mut Inline, out: &mut Vec<String>) {
    if let Some(paragraph) = line.finish() {
        out.push(paragraph);
    }
}

fn children(
    cx: &mut Context,
    el: ElementRef,
    line: &mut Inline,
    out: &mut Vec<String>,
    mode: Mode,
) {
    if cx.depth > MAX_DEPTH {
        line.push_text(&el.text().collect::<String>());
        return;
    }
    cx.depth += 1;
    for child in el.children() {
        match child.value() {
            Node::Text(text) => line.push_text(text),
            Node::Element(e) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if mode != Mode::Paragraph && is_block(e.name()) {
                    // A heading or a table cell is one line: one Inline for all of it.
                    if !matches!(
                        e.name(),
                        "hr" | "script" | "style" | "noscript" | "template"
                    ) {
                        line.push_break();
                        children(cx, child, line, out, mode);
                        line.push_break();
                    }
                } else if is_block(e.name()) {
                    flush(line, out);
                    block(cx, child, out, mode);
                } else if has_block_child(child) {
                    // `<span style><p>…</p></span>`: the span goes, its paragraphs stay.
                    children(cx, child, line, out, mode);
                } else {
                    inline(cx, child, line);
                }
            }
            // The summary's end (`<!--more-->`) stays where the writer put it.
            Node::Comment(c) if mode == Mode::Paragraph && c.trim() == "more" => {
                flush(line, out);
                out.push("<!-- more -->".to_owned());
            }
            _ => {}
        }
    }
    cx.depth -= 1;
}

fn has_block_child(el: ElementRef) -> bool {
    el.children()
        .filter_map(ElementRef::wrap)
        .any(|c| is_block(c.value().name()) && c.value().name() != "iframe")
}

fn block(cx: &mut Context, el: ElementRef, out: &mut Vec<String>, mode: Mode) {
    let name = el.value().name();
    if mode != Mode::Paragraph && !matches!(name, "script" | "style" | "noscript" | "template") {
        // A heading or a table cell is one line: what is inside a block in it is its text.
        if name != "hr" {
            out.extend(blocks(cx, el, mode));
        }
        return;
    }
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let level = usize::from(name.as_bytes()[1] - b'0');
            out.extend(heading(cx, el, level));
        }
        "ul" | "ol" | "menu" => out.extend(list(cx, el, mode)),
        // An item outside a list (pasted alone) is a list of one.
        "li" => out.extend(render_list(vec![blocks(cx, el, mode)], None)),
        "blockquote" => out.extend(quote(cx, el, mode)),
        "pre" => out.extend(code_block(el)),
        "hr" => out.push("---".to_owned()),
        "figure" => figures::figure(cx, el, out, mode),
        "table" => tables::table(cx, el, out),
        "iframe" | "video" | "audio" | "embed" | "object" => figures::embed(cx, el, out),
        "script" => cx.note("dropped a <script> (ilji publishes no script from a post)"),
        "style" | "noscript" | "template" | "head" | "title" | "meta" | "link" => {}
        "div" if el.value().attr("data-ke-type") == Some("moreLess") => {
            figures::more_less(cx, el, out, mode);
        }
        _ => out.extend(blocks(cx, el, mode)),
    }
}

/// An inline element, gathered into the paragraph `line`.
pub(super) fn inline(cx: &mut Context, el: ElementRef, line: &mut Inline) {
    if cx.depth > MAX_DEPTH {
        line.push_text(&el.text().collect::<String>());
        return;
    }
    cx.depth += 1;
    let name = el.value().name();
    match name {
        "b" | "strong" => marked(cx, el, line, Mark::Strong),
        "i" | "em" | "cite" | "dfn" | "var" => marked(cx, el, line, Mark::Emphasis),
        "s" | "strike" | "del" => marked(cx, el, line, Mark::Strike),
        "u" | "ins" => tagged(cx, el, line, "u"),
        "sup" | "sub" | "mark" | "kbd" => tagged(cx, el, line, name),
        "a" => link(cx, el, line),
        "code" | "tt" | "samp" => line.push_code(&el.text().collect::<String>()),
        "br" => line.push_break(),
        "img" => {
            if let Some(image) = figures::image(cx, el, None) {
                line.push_verbatim(&image);
            }
        }
        "span" if el.value().classes().any(|c| c == "imageblock") => {
            figures::old_image_block(cx, el, line);
        }
        "iframe" => {
            let mut embedded = Vec::new();
            figures::embed(cx, el, &mut embedded);
            for e in embedded {
                line.push_break();
                line.push_verbatim(&e);
                line.push_break();
            }
        }
        "script" => cx.note("dropped a <script> (ilji publishes no script from a post)"),
        "style" | "noscript" | "template" | "input" | "select" | "textarea" | "button" => {}
        _ => inline_children(cx, el, line),
    }
    cx.depth -= 1;
}

pub(super) fn inline_children(cx: &mut Context, el: ElementRef, line: &mut Inline) {
    for child in el.children() {
        match child.value() {
            Node::Text(text) => line.push_text(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    inline(cx, child, line);
                }
            }
            _ => {}
        }
    }
}

fn marked(cx: &mut Context, el: ElementRef, line: &mut Inline, mark: Mark) {
    let opened = line.open(mark);
    inline_children(cx, el, line);
    line.close(mark, opened);
}

/// An element kept as an HTML tag of that name, without its attributes (`<u>`, `<sup>`).
fn tagged(cx: &mut Context, el: ElementRef, line: &mut Inline, tag: &str) {
    if el
        .text()
        .all(|t| t.trim_matches(|c: char| c.is_whitespace()).is_empty())
        && !el.children().any(|c| c.value().is_element())
    {
        inline_children(cx, el, line);
        return;
    }
    line.push_verbatim(&format!("<{tag}>"));
    inline_children(cx, el, line);
    line.push_verbatim(&format!("</{tag}>"));
}

fn link(cx: &mut Context, el: ElementRef, line: &mut Inline) {
    let href = el
        .value()
        .attr("href")
        .map(str::trim)
        .filter(|h| !h.is_empty() && !is_script_address(h));
    let Some(href) = href else {
        return inline_children(cx, el, line);
    };
    if line.in_link() {
        return inline_children(cx, el, line);
    }
    let text: String = el.text().collect();
    let is_web = href.starts_with("http://") || href.starts_with("https://");
    if is_web && text.trim() == href && !el.children().any(|c| c.value().is_element()) {
        // What a writer types for a bare address.
        line.push_verbatim(&format!("<{}>", href.replace(['<', '>', ' '], "")));
        return;
    }
    line.open_link();
    inline_children(cx, el, line);
    line.close_link(destination(href, el.value().attr("title")));
}

/// `javascript:` and `vbscript:` addresses (any case, any white space inside) are dropped.
pub(super) fn is_script_address(href: &str) -> bool {
    let squeezed: String = href
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:")
}

fn heading(cx: &mut Context, el: ElementRef, level: usize) -> Option<String> {
    let text = blocks(cx, el, Mode::Heading).join(" ");
    if text.is_empty() {
        return None;
    }
    // `## 샵 #` would lose its last `#` as a closing sequence.
    let text = match text.strip_suffix('#') {
        Some(rest) => format!("{}\\#", rest),
        None => text,
    };
    Some(format!("{} {}", "#".repeat(level), text))
}

fn list(cx: &mut Context, el: ElementRef, mode: Mode) -> Option<String> {
    let ordered = el.value().name() == "ol";
    let mut items: Vec<Vec<String>> = Vec::new();
    for child in el.children() {
        if let Some(child) = ElementRef::wrap(child) {
            let name = child.value().name();
            if name == "li" {
                items.push(blocks(cx, child, mode));
            } else if let (true, Some(last)) = (matches!(name, "ul" | "ol"), items.last_mut()) {
                // `<ul><li>a</li><ul>…</ul></ul>`: the inner list belongs to the item before.
                block(cx, child, last, mode);
            } else {
                let mut own = Vec::new();
                block(cx, child, &mut own, mode);
                items.push(own);
            }
        } else if let Some(text) = child.value().as_text() {
            let mut line = Inline::new(mode);
            line.push_text(text);
            items.extend(line.finish().map(|t| vec![t]));
        }
    }
    let start = el
        .value()
        .attr("start")
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|&n| n < 1_000_000_000)
        .unwrap_or(1);
    render_list(items, ordered.then_some(start))
}

/// Items written as a Markdown list, numbered from `start` when it is ordered.
fn render_list(items: Vec<Vec<String>>, start: Option<u32>) -> Option<String> {
    let mut out = String::new();
    let mut number = start;
    for item in items.into_iter().filter(|i| !i.is_empty()) {
        let marker = match number {
            Some(n) => format!("{n}."),
            None => "-".to_owned(),
        };
        number = number.map(|n| n.saturating_add(1));
        let mut body = join_blocks(&item, true);
        // `- ---` is a rule, not an item holding one (nor is `- - -`).
        if body == "---" || body.starts_with("---\n") {
            body.replace_range(..3, "***");
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&marker);
        let indent = " ".repeat(marker.len() + 1);
        for (n, line) in body.split('\n').enumerate() {
            if n == 0 {
                out.push(' ');
            } else {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(&indent);
                }
            }
            out.push_str(line);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn is_list_block(block: &str) -> bool {
    let digits = block.bytes().take_while(u8::is_ascii_digit).count();
    block.starts_with("- ") || (digits > 0 && block[digits..].starts_with(". "))
}

/// Blocks one after another: a blank line between them (none before a list that follows
/// a paragraph in a list item, when `tight`), and a comment between two lists so that they
/// stay two.
pub(super) fn join_blocks(blocks: &[String], tight: bool) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            let before = &blocks[i - 1];
            if is_list_block(before) && is_list_block(b) {
                out.push_str("\n\n<!-- -->\n\n");
            } else if tight
                && i == 1
                && is_list_block(b)
                && !before.contains(['\n', '|'])
                && !before.starts_with('<')
            {
                // Not after HTML, which would take the list in; nor after a `|` line, which
                // would be read as a table's head above `- |`.
                out.push('\n');
            } else {
                out.push_str("\n\n");
            }
        }
        out.push_str(b);
    }
    out
}

fn quote(cx: &mut Context, el: ElementRef, mode: Mode) -> Option<String> {
    let inner = join_blocks(&blocks(cx, el, mode), false);
    if inner.is_empty() {
        return None;
    }
    let lines: Vec<String> = inner
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                ">".to_owned()
            } else {
                format!("> {l}")
            }
        })
        .collect();
    Some(lines.join("\n"))
}

/// `pre[data-ke-type=codeblock]`: a fenced block with the code exact and its language.
fn code_block(el: ElementRef) -> Option<String> {
    let mut code = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => code.push_str(t),
            Node::Element(e) if e.name() == "br" => code.push('\n'),
            _ => {}
        }
    }
    // Tistory's editor writes a blank line of code as `&nbsp;`.
    let code: Vec<String> = code
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(|l| match l.trim_matches('\u{a0}') {
            "" => String::new(),
            _ => l.replace('\u{a0}', " "),
        })
        .collect();
    let code = code.join("\n");
    let code = code.strip_suffix('\n').unwrap_or(&code);
    if code.trim().is_empty() {
        return None;
    }
    let fence = "`".repeat((longest_run(code, '`') + 1).max(3));
    Some(format!("{fence}{}\n{code}\n{fence}", language(el)))
}

/// The language of a code block: Tistory's `data-ke-language`, else a `language-x` class,
/// else (Tistory's own) the class of the `<pre>`.
fn language(pre: ElementRef) -> String {
    let code = pre
        .children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name() == "code");
    let prefixed = |e: ElementRef| -> Option<String> {
        e.value().classes().find_map(|c| {
            c.strip_prefix("language-")
                .or_else(|| c.strip_prefix("lang-"))
                .map(str::to_owned)
        })
    };
    let named = pre
        .value()
        .attr("data-ke-language")
        .map(str::to_owned)
        .or_else(|| code.and_then(prefixed))
        .or_else(|| prefixed(pre))
        .or_else(|| {
            (pre.value().attr("data-ke-type") == Some("codeblock"))
                .then(|| pre.value().classes().next().map(str::to_owned))
                .flatten()
        })
        .unwrap_or_default();
    named
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '.' | '_' | '-'))
        .take(32)
        .collect()
}
