//! `redirects:` of `site.yaml`: old addresses of the site as a whole (a moved blog's
//! `/categories/맛집/`, `/feed.xml`) and the address each leads to now, checked as a post's
//! `aliases:` are: both inside the output (see [`SitePath::from_alias`]), every refusal at
//! its line and column in `site.yaml`.
//!
//! It decides nothing about what is published there (a redirect page, or a feed's own
//! bytes): that is the site's and the renderer's, who know which feeds exist.

use std::path::Path;

use crate::error::{Diagnostic, Error, Result};
use crate::site_path::{layout, shortened, SitePath};
use crate::yaml::Value;

/// One entry of `redirects:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old address, as the path a web server maps it to (`categories/맛집/`, `feed.xml`).
    pub from: SitePath,
    /// Where it leads now (`category/맛집/`, `atom.xml`).
    pub to: SitePath,
    /// The old address as written, for messages.
    pub written: String,
    /// Line and column of the old address in `site.yaml`.
    pub at: (usize, usize),
    /// Line and column of the new address in `site.yaml`.
    pub to_at: (usize, usize),
}

/// The entries of `redirects:` (`value`, read from `text`), in the order written; `path` is
/// only used in errors. Every refused entry is reported at once.
pub(super) fn parse(path: &Path, text: &str, value: Option<Value>) -> Result<Vec<Redirect>> {
    let map = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Mapping(map)) => map,
        Some(_) => {
            let (line, column) = crate::text::key_position(text, "redirects").unwrap_or((1, 1));
            return Err(Diagnostic::new(path, "`redirects` must map old addresses to new ones")
                .at(line, column)
                .help("write one `old: new` per line below `redirects:`, e.g. `/feed.xml: /atom.xml`")
                .into());
        }
    };
    let mut redirects = Vec::with_capacity(map.len());
    let mut refused = Vec::new();
    for (key, target) in &map {
        let from = crate::yaml::scalar_text(key).unwrap_or_default();
        let to = crate::yaml::scalar_text(target).unwrap_or_default();
        let (key_at, value_at) = located(text, &from, &to);
        match entry(&from, &to) {
            Ok((from_path, to_path)) => redirects.push(Redirect {
                from: from_path,
                to: to_path,
                written: from,
                at: key_at,
                to_at: value_at,
            }),
            Err((on_value, message, help)) => {
                let (line, column) = if on_value { value_at } else { key_at };
                refused.push(Diagnostic::new(path, message).at(line, column).help(help));
            }
        }
    }
    if refused.is_empty() {
        Ok(redirects)
    } else {
        Err(Error::many(refused))
    }
}

/// A refused entry: whether the fault is in the new address (else the old), the message and
/// the help.
type Refused = (bool, String, String);

/// One entry checked: the old and the new address as paths in the site.
fn entry(from: &str, to: &str) -> std::result::Result<(SitePath, SitePath), Refused> {
    let shown = |s: &str| shortened(&s.escape_debug().to_string(), 60);
    let from_path = SitePath::from_alias(from).map_err(|r| {
        (
            false,
            format!("the old address `{}` cannot be published: {r}", shown(from)),
            "write an address of this site, such as /categories/맛집/".to_owned(),
        )
    })?;
    if to.trim().is_empty() || to.contains("://") || to.trim_start().starts_with("//") {
        return Err((
            true,
            format!("`{}` is not an address of this site", shown(to)),
            "write where the old address leads now, as a path: /category/맛집/, /atom.xml"
                .to_owned(),
        ));
    }
    if to.contains(['#', '?']) {
        return Err((
            true,
            format!("`{}` has a `#…` or `?…` part", shown(to)),
            "write the new address as a path alone, such as /category/맛집/".to_owned(),
        ));
    }
    let to_path = SitePath::from_alias(to).map_err(|r| {
        (
            true,
            format!("the address `{}` cannot be published: {r}", shown(to)),
            "write an address of this site, such as /category/맛집/".to_owned(),
        )
    })?;
    let names_feed = from_path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.to_ascii_lowercase().ends_with(".xml"));
    if names_feed && layout::feed_list(&to_path).is_none() {
        return Err((
            false,
            format!(
                "`{}` looks like an old feed's address, but it leads to /{}, which is not a feed",
                shown(from),
                shortened(&to_path, 60)
            ),
            format!(
                "lead it to /{} or a category's /{}: feed readers do not follow a redirect page, so ilji writes the feed itself there",
                layout::feed(layout::HOME),
                layout::feed("category/<slug>/")
            ),
        ));
    }
    Ok((from_path, to_path))
}

/// Where the entry `from: to` is written below `redirects:`: (line, column) of the old
/// address and of the new one, each the key's own position when it cannot be found (a
/// value written with escapes).
fn located(text: &str, from: &str, to: &str) -> ((usize, usize), (usize, usize)) {
    let key = crate::text::key_position(text, "redirects").unwrap_or((1, 1));
    let Some((start, _, _)) = crate::text::key_value(text, "redirects") else {
        return (key, key);
    };
    for (i, line) in text.lines().enumerate().skip(start) {
        let in_block = i == start || line.is_empty() || line.starts_with([' ', '\t', '#']);
        if !in_block {
            break;
        }
        // On `redirects:`'s own line (a `{…}` mapping) anywhere after it; below it, only
        // where a key starts, so that a new address is not taken for an old one.
        let found = if from.is_empty() {
            None
        } else if i == start {
            let skip = line.find(':').map_or(0, |c| c + 1);
            line[skip..].find(from).map(|a| a + skip)
        } else {
            let indent = line.len() - line.trim_start().len();
            let quote = usize::from(line[indent..].starts_with(['"', '\'']));
            let rest = line[indent + quote..].strip_prefix(from);
            // The whole key: `/old` is not the start of `/old/`.
            rest.map(|r| r.strip_prefix(['"', '\'']).unwrap_or(r).trim_start())
                .is_some_and(|r| r.starts_with(':'))
                .then_some(indent + quote)
        };
        let Some(at) = found else {
            continue;
        };
        let column = |byte: usize| line[..byte].chars().count() + 1;
        // A quoted key starts at its quote.
        let key_byte = match line[..at].chars().next_back() {
            Some(q @ ('"' | '\'')) => at - q.len_utf8(),
            _ => at,
        };
        let after = at + from.len();
        let value_byte = line[after..]
            .find(':')
            .map(|c| after + c + 1)
            .map(|v| v + (line[v..].len() - line[v..].trim_start().len()))
            .filter(|&v| v < line.len() && !to.is_empty())
            .unwrap_or(key_byte);
        return ((i + 1, column(key_byte)), (i + 1, column(value_byte)));
    }
    (key, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Vec<Redirect>> {
        let value: crate::yaml::Mapping = crate::yaml::from_str(text).expect("yaml");
        parse(
            Path::new("site.yaml"),
            text,
            value.get("redirects").cloned(),
        )
    }

    #[test]
    fn entries_become_paths_in_the_site() {
        let text = "title: a\nredirects:\n  /categories/맛집/: /category/맛집/\n  \"/feed.xml\": /atom.xml\n  /tags/%EA%B0%80: /tags/가/\n";
        let r = parse_text(text).unwrap();
        let pairs: Vec<(&str, &str)> = r.iter().map(|r| (r.from.as_str(), r.to.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("categories/맛집/", "category/맛집/"),
                ("feed.xml", "atom.xml"),
                ("tags/가/", "tags/가/")
            ]
        );
        assert_eq!(r[0].at, (3, 3));
        assert_eq!(r[1].at, (4, 3));
        assert!(parse_text("redirects:\n").unwrap().is_empty());
    }

    #[test]
    fn refusals_point_at_the_value_they_are_about() {
        let text = "redirects:\n  /a/: /b/\n  /../x/: /b/\n  /c/: \"/../../y\"\n  /index.xml: /about/\n  /d/: https://e.org/\n  /e/: /about/#contact\n";
        let e = parse_text(text).unwrap_err();
        let at: Vec<(Option<usize>, Option<usize>)> =
            e.diagnostics.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(
            at,
            [
                (Some(3), Some(3)),
                (Some(4), Some(8)),
                (Some(5), Some(3)),
                (Some(6), Some(8)),
                (Some(7), Some(8))
            ],
            "{e}"
        );
        assert!(e.diagnostics[2].message.contains("not a feed"), "{e}");
        let e = parse_text("redirects: [/a/]\n").unwrap_err();
        assert_eq!(e.diagnostics[0].line, Some(1));
    }

    #[test]
    fn old_feed_addresses_may_lead_to_a_feed() {
        let r = parse_text(
            "redirects: {/index.xml: /atom.xml, /categories/a/index.xml: /category/a/atom.xml}\n",
        )
        .unwrap();
        assert_eq!(r.len(), 2);
    }
}
