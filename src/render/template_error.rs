//! Tera's errors as diagnostics: the template's file, line and column, the variable that is
//! missing, and what to do (add the partial that would have made it, or the theme's word,
//! or see README "Templates").

use std::path::PathBuf;

use super::templates::{
    Sources, CATEGORY_NAV_TEMPLATE, ENTRY_TEMPLATE, OTHER_POST_TEMPLATE, SITE_NAV_TEMPLATE,
};
use crate::error::{Diagnostic, Error};

/// A Tera error as a diagnostic naming the template's file, with the line and column Tera
/// points at, and what to do.
pub(crate) fn template_error(err: &tera::Error, sources: &Sources) -> Error {
    let file = |name: &str| {
        sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |(p, _)| p.clone())
    };
    let d = match err.kind() {
        tera::ErrorKind::SyntaxError(report) => {
            let span = report.span();
            Diagnostic::new(
                file(report.filename()),
                format!("template syntax error: {}", report.message()),
            )
            .at(span.start_line, span.start_col + 1)
            .help("fix the Tera syntax at this place ({{ … }}, {% … %} and {# … #} must be closed)")
        }
        tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let message = report.message();
            // Tera lists what is available after the first sentence; keep the sentence.
            let first = message.split_inclusive(". ").next().unwrap_or(message);
            let first = first.trim_end().trim_end_matches('.');
            let var = between(first, '`')
                .map(|v| source_text(sources, report.filename(), span).unwrap_or(v.to_owned()));
            let d = Diagnostic::new(file(report.filename()), first.to_owned())
                .at(span.start_line, span.start_col + 1);
            match var {
                Some(var) if var == "t" || var.starts_with("t.") => d.help(theme_word_help(&var)),
                Some(var) => match made_by_partial(&var, sources) {
                    Some(partial) => d.help(format!(
                        "`{var}` is made by {partial}, which this theme lacks: add it (the default theme's is a start), or print what it shows here yourself"
                    )),
                    None => d.help(format!(
                        "`{var}` is not given to this template; see README \"Templates\" for the variables, or guard it with {{% if {var} %}}"
                    )),
                },
                None => d.help("see README \"Templates\" for what each template receives"),
            }
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            file(current),
            format!("extends {parent}, which does not exist"),
        )
        .help("fix the name in {% extends \"…\" %}, or add the template"),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::new(
            PathBuf::from("templates"),
            format!("the template {name} is missing"),
        )
        .help(format!("add templates/{name} to the site or to the theme")),
        _ => {
            let text = err.to_string();
            let found = reported(&text, &file);
            if !found.is_empty() {
                return Error::many(found);
            }
            Diagnostic::new(PathBuf::from("templates"), text).help("see README \"Templates\"")
        }
    };
    d.into()
}

/// What to do about `t` (the theme's words, `strings.rs`) or one of its words, missing.
fn theme_word_help(var: &str) -> String {
    match var.strip_prefix("t.") {
        None => "`t` holds the theme's words, from its strings/ folder (ko.yaml, en.yaml…), which \
                 this theme lacks: copy the default theme's strings/ folder into it (README \
                 \"Templates\")"
            .to_owned(),
        Some(key) => format!(
            "`{key}` is not a word of the theme's strings files: add `{key}:` to its \
             strings/ko.yaml (and the other languages), or fix the name (README \"Templates\")"
        ),
    }
}

/// The optional partial that would have made `var` (a variable as a template wrote it) and
/// that templates `sources` lack: a navigation, or what makes an entry's or a link's `html`.
fn made_by_partial(var: &str, sources: &Sources) -> Option<String> {
    let candidates: &[(&str, &str)] = match var.trim() {
        "category_nav" => &[(CATEGORY_NAV_TEMPLATE, "")],
        "site_nav" => &[(SITE_NAV_TEMPLATE, "")],
        v if v.ends_with(".html") => &[
            (ENTRY_TEMPLATE, " (for entries of list pages)"),
            (OTHER_POST_TEMPLATE, " (for links to other posts)"),
        ],
        _ => &[],
    };
    let missing: Vec<String> = candidates
        .iter()
        .filter(|(name, _)| !sources.contains_key(*name))
        .map(|(name, what)| format!("{name}{what}"))
        .collect();
    (!missing.is_empty()).then(|| missing.join(" or "))
}

/// The problems in Tera's rendered reports (`error: MESSAGE` then ` --> NAME:LINE:COL`), as
/// it gives them for checks across templates (an `{% include %}` of a missing template).
fn reported(text: &str, file: &dyn Fn(&str) -> PathBuf) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.trim_start().strip_prefix("error: ") {
            message = Some(m.to_owned());
        } else if let (Some(at), Some(m)) = (line.trim_start().strip_prefix("--> "), &message) {
            let mut parts = at.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok());
            let line_no = parts.next().and_then(|l| l.parse().ok());
            if let (Some(c), Some(l), Some(name)) = (column, line_no, parts.next()) {
                found.push(
                    Diagnostic::new(file(name), m.clone())
                        .at(l, c)
                        .help("fix the template at this place; see README \"Templates\""),
                );
            }
            message = None;
        }
    }
    found
}

/// The expression a span covers in its template (`page.nope`), for the help line.
fn source_text(sources: &Sources, name: &str, span: &tera::Span) -> Option<String> {
    let (_, text) = sources.get(name)?;
    // The span covers the last name (`nope`); widen it to the whole path (`page.nope`).
    let before = text.get(..span.range.start)?;
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |i| i + 1);
    let found = text.get(start..span.range.end)?.trim();
    (!found.is_empty() && found.len() < 80).then(|| found.to_owned())
}

fn between(text: &str, quote: char) -> Option<&str> {
    let start = text.find(quote)? + 1;
    let len = text[start..].find(quote)?;
    Some(&text[start..start + len])
}
