//! Where a link into the site lands, and what is wrong with it: nothing published there, a
//! draft or scheduled post, or a `#fragment` the page has no element for.
//!
//! It looks links up in what `check` rendered; finding the links and following redirects
//! are done before (see `links.rs` and `redirects.rs`).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::links::Kind;
use super::own_anchors::body_ids;
use super::Found;
use crate::content::Page;
use crate::error::Diagnostic;
use crate::site::Site;
use crate::site_path::layout;

/// What a site publishes, to look links up in.
pub(super) struct Targets<'a> {
    pub(super) site: &'a Site,
    /// Every output file (site-relative: `posts/가/index.html`, `style.css`).
    pub(super) files: &'a HashSet<String>,
    /// The `id`s of the HTML output files that links with a `#fragment` lead to.
    pub(super) ids: &'a HashMap<String, HashSet<String>>,
    /// Drafts and scheduled posts by their path and by their old addresses.
    pub(super) unpublished: &'a HashMap<&'a str, &'a Page>,
    /// The ids of the drafts and scheduled posts that were rendered to look up a link to
    /// their own `#anchor` (see `own_anchors.rs`), by their file.
    pub(super) own_ids: &'a HashMap<PathBuf, HashSet<String>>,
}

impl Targets<'_> {
    /// What is wrong with a link to `path#fragment`, if anything: (is it an error, finding).
    pub(super) fn problem(
        &self,
        f: &Found,
        path: &str,
        fragment: Option<&str>,
    ) -> Option<(bool, Diagnostic)> {
        let noun = f.link.kind.noun();
        let shown = format!("{}{path}", self.site.config.base_path());
        let Some(file) = candidate_files(path)
            .into_iter()
            .find(|c| self.files.contains(c))
        else {
            if let Some(target) = self.unpublished_at(path) {
                return if target.source == f.page.source {
                    let rendered = self.own_ids.get(&target.source);
                    self_link(f, fragment, rendered).map(|d| (true, d))
                } else {
                    Some((false, to_unpublished(f, target)))
                };
            }
            let help = match f.link.kind {
                Kind::Image => "put the file in static/ (published at the site's root) or beside the post in its bundle folder, or fix the address",
                Kind::Link => "fix the address: posts are at /posts/<slug>/, pages at /<slug>/, files of static/ at the root",
            };
            let d = f
                .diagnostic(format!(
                    "the {noun} {} leads nowhere: nothing is published at {shown}",
                    f.link.url
                ))
                .help(help);
            return Some((true, d));
        };
        let fragment = fragment.filter(|f| !f.is_empty() && *f != "top")?;
        let ids = self.ids.get(&file)?;
        if ids.contains(fragment) {
            return None;
        }
        let d = f
            .diagnostic(format!(
                "the {noun} {} leads to {shown}, which has no element with id \"{fragment}\"",
                f.link.url
            ))
            .help(heading_help(&self.heading_ids(&file)));
        Some((true, d))
    }

    /// The draft or scheduled post published at `path` (or at `path/`) if it were published.
    fn unpublished_at(&self, path: &str) -> Option<&Page> {
        let folder = if path.is_empty() || path.ends_with('/') {
            path.to_owned()
        } else {
            format!("{path}/")
        };
        self.unpublished
            .get(folder.as_str())
            .or_else(|| self.unpublished.get(path))
            .copied()
    }

    /// The heading ids of the post or page published as `file`, in order.
    fn heading_ids(&self, file: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(page) = self
            .site
            .posts
            .iter()
            .chain(&self.site.pages)
            .find(|p| layout::output_file(&p.path) == file)
        {
            walk_toc(&page.body.toc, &mut out);
        }
        out
    }
}

/// The output files a link to `path` (site-relative) may mean: `x/` is `x/index.html`; `x`
/// is the file `x`, or `x/index.html` as web servers redirect it.
pub(super) fn candidate_files(path: &str) -> Vec<String> {
    let file = layout::output_file(path);
    if file == path {
        vec![file, layout::output_file(&[path, "/"].concat())]
    } else {
        vec![file]
    }
}

/// The values of the `id` attributes of an HTML page, entities decoded.
pub(super) fn element_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(" id=") {
        rest = &rest[at + 4..];
        let Some(quote @ ('"' | '\'')) = rest.chars().next() else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            ids.push(crate::html::decode_entities(&rest[1..1 + end]).into_owned());
            rest = &rest[1 + end..];
        }
    }
    ids
}

/// A link from a draft or scheduled post to a draft or scheduled post.
fn to_unpublished(f: &Found, target: &Page) -> Diagnostic {
    let (what, fix) = if target.draft {
        (
            "a draft".to_owned(),
            "publish it (`draft: false`) before this post, or remove the link",
        )
    } else {
        let when = target
            .date
            .map(|d| d.format("%Y-%m-%d %H:%M %Z").to_string())
            .unwrap_or_default();
        (
            format!("a post scheduled for {when}"),
            "the link works once it goes live; until then it leads nowhere",
        )
    };
    f.diagnostic(format!(
        "links to {} ({what}), which is not published",
        target.source.display()
    ))
    .help(fix)
}

/// A link from a draft or scheduled post to itself (`#section`): its `#fragment` is looked
/// for among the ids of its own text, or of the whole page when it was `rendered`.
fn self_link(
    f: &Found,
    fragment: Option<&str>,
    rendered: Option<&HashSet<String>>,
) -> Option<Diagnostic> {
    let fragment = fragment.filter(|f| !f.is_empty() && *f != "top")?;
    let found = match rendered {
        Some(ids) => ids.contains(fragment),
        None => body_ids(f.page).iter().any(|id| id == fragment),
    };
    if found {
        return None;
    }
    let mut headings = Vec::new();
    walk_toc(&f.page.body.toc, &mut headings);
    let d = f
        .diagnostic(format!(
            "the {} {} leads to an id \"{fragment}\" that this page does not have",
            f.link.kind.noun(),
            f.link.url
        ))
        .help(heading_help(&headings));
    Some(d)
}

/// What to write instead of an `#anchor` that is missing from a page with these headings.
fn heading_help(headings: &[String]) -> String {
    if headings.is_empty() {
        "link to the page without `#…`, or give the element that id".to_owned()
    } else {
        format!(
            "use one of its headings' ids: {}",
            headings
                .iter()
                .take(8)
                .map(|h| format!("#{h}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The ids of a table of contents, depth first.
fn walk_toc(entries: &[crate::markdown::TocEntry], out: &mut Vec<String>) {
    for e in entries {
        out.push(e.id.clone());
        walk_toc(&e.children, out);
    }
}
