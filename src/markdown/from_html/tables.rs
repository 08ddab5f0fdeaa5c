//! Tables: a GFM table when every cell holds one line of inline content and no cell spans
//! rows or columns (the first row is its head, as GFM needs one), else the table kept as
//! HTML with only what structures it (`colspan`, `rowspan`, links and images), every
//! `style`, `class`, `width` and `data-ke-*` gone.

use scraper::{ElementRef, Node};

use super::blocks::{blocks, is_script_address};
use super::inline::Mode;
use super::Context;
use crate::html::escape_html;

/// The rows of a table (in its head, bodies and foot), not those of a table inside it.
fn rows(table: ElementRef) -> Vec<ElementRef> {
    let mut out = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => out.extend(
                child
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|r| r.value().name() == "tr"),
            ),
            _ => {}
        }
    }
    out
}

fn cells(row: ElementRef) -> impl Iterator<Item = ElementRef> {
    row.children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "td" | "th"))
}

/// Whether a cell can be one line of a GFM table.
fn is_simple(cell: ElementRef) -> bool {
    let spans = ["colspan", "rowspan"]
        .iter()
        .any(|a| cell.value().attr(a).is_some_and(|v| v.trim() != "1"));
    let blocks = cell.descendants().filter_map(ElementRef::wrap).any(|e| {
        matches!(
            e.value().name(),
            "table"
                | "ul"
                | "ol"
                | "pre"
                | "blockquote"
                | "figure"
                | "hr"
                | "iframe"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
        )
    });
    !spans && !blocks
}

pub(super) fn table(cx: &mut Context, el: ElementRef, out: &mut Vec<String>) {
    let rows = rows(el);
    if rows.is_empty() {
        return;
    }
    if rows.iter().all(|r| cells(*r).all(is_simple)) {
        out.extend(gfm(cx, &rows));
    } else {
        let mut html = String::new();
        clean_html(cx, el, &mut html, 0);
        out.push(html);
        cx.note("kept a table with merged cells or blocks in its cells as HTML (styles dropped)");
    }
}

fn gfm(cx: &mut Context, rows: &[ElementRef]) -> Option<String> {
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            cells(*r)
                .map(|c| blocks(cx, c, Mode::Cell).join("<br>"))
                .collect()
        })
        .collect();
    let width = lines.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return None;
    }
    let mut out = String::new();
    for (n, cells) in lines.iter().enumerate() {
        out.push('|');
        for i in 0..width {
            let cell = cells.get(i).map_or("", String::as_str);
            out.push(' ');
            out.push_str(cell);
            out.push_str(if cell.is_empty() { "|" } else { " |" });
        }
        out.push('\n');
        if n == 0 {
            out.push('|');
            out.push_str(&" --- |".repeat(width));
            out.push('\n');
        }
    }
    out.pop();
    Some(out)
}

/// Elements kept in a table written as HTML, and their attributes that are kept.
fn kept(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "table" | "thead" | "tbody" | "tfoot" | "tr" | "caption" | "p" | "br" | "b" | "strong"
        | "i" | "em" | "u" | "s" | "del" | "sup" | "sub" | "code" | "ul" | "ol" | "li" | "pre"
        | "blockquote" | "hr" => &[],
        "td" | "th" => &["colspan", "rowspan"],
        "a" => &["href", "title"],
        "img" => &["src", "alt", "title"],
        _ => return None,
    })
}

/// Writes `el` as HTML on one line: the kept elements with their kept attributes, the
/// others' content only, scripts and styles dropped.
fn clean_html(cx: &mut Context, el: ElementRef, out: &mut String, depth: usize) {
    let name = el.value().name();
    if matches!(name, "script" | "style" | "template" | "noscript") {
        return;
    }
    if depth > 100 {
        out.push_str(&escape_html(&el.text().collect::<String>()));
        return;
    }
    let attributes = kept(name);
    if let Some(attributes) = attributes {
        out.push('<');
        out.push_str(name);
        for a in attributes.iter() {
            let Some(v) = el.value().attr(a) else {
                continue;
            };
            let v = v.trim();
            if matches!(*a, "href" | "src") && is_script_address(v) {
                continue;
            }
            let v = match *a {
                "src" => (cx.image)(v).unwrap_or_else(|| v.to_owned()),
                _ => v.to_owned(),
            };
            out.push_str(&format!(" {a}=\"{}\"", escape_html(&v)));
        }
        out.push('>');
    }
    if matches!(name, "br" | "hr" | "img") {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                let folded: String = t
                    .chars()
                    .map(|c| if c.is_whitespace() { ' ' } else { c })
                    .collect();
                out.push_str(&escape_html(&folded));
            }
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    clean_html(cx, child, out, depth + 1);
                }
            }
            _ => {}
        }
    }
    if attributes.is_some() {
        out.push_str(&format!("</{name}>"));
    }
}
