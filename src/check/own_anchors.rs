//! The ids of the drafts and scheduled posts that link to their own `#anchors`. A check
//! does not render what it does not publish, so such a link is first looked for among the
//! ids of the page's own text (headings, footnotes, raw HTML); only the pages where one is
//! missing there (it may be one the theme gives every page, `#main`) are rendered here, as
//! `--drafts --future` would publish them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::links::Target;
use super::targets::element_ids;
use super::Found;
use crate::config::Config;
use crate::content::Page;
use crate::render::{Job, Renderer};
use crate::site::{Selection, Site};

/// The ids a page's own text gives (the body's HTML, as rendered when it was read).
pub(super) fn body_ids(page: &Page) -> Vec<String> {
    element_ids(page.body.html.get().as_str().unwrap_or_default())
}

/// Whether `path`, where the link `f` leads, is the page it is on.
fn is_self_link(f: &Found, path: &str) -> bool {
    path.trim_end_matches('/') == f.page.path.as_str().trim_end_matches('/')
}

/// The unpublished pages with a link to an anchor of their own that their text lacks.
fn lacking<'a>(found: &[Found<'a>], resolved: &[Target]) -> HashSet<&'a Path> {
    found
        .iter()
        .zip(resolved)
        .filter(|(f, _)| !f.published)
        .filter_map(|(f, target)| match target {
            Target::Internal {
                path,
                fragment: Some(fragment),
            } if !fragment.is_empty() && fragment != "top" && is_self_link(f, path) => {
                let missing = !body_ids(f.page).contains(fragment);
                missing.then_some(f.page.source.as_path())
            }
            _ => None,
        })
        .collect()
}

/// The ids of each unpublished page that links to an anchor its text lacks, rendered whole.
/// A page that does not render is left out (its own text's ids are used): `check --drafts`
/// reports why.
pub(super) fn rendered_ids(
    root: &Path,
    config: &Config,
    all: &[Arc<Page>],
    selection: Selection,
    (found, resolved): (&[Found], &[Target]),
) -> HashMap<PathBuf, HashSet<String>> {
    let sources = lacking(found, resolved);
    if sources.is_empty() {
        return HashMap::new();
    }
    let everything = Selection {
        drafts: true,
        future: true,
        ..selection
    };
    let site = Site::new(config.clone(), all.to_vec(), everything);
    let Ok(renderer) = Renderer::new(root, &site) else {
        return HashMap::new();
    };
    let posts = site
        .posts
        .iter()
        .enumerate()
        .map(|(i, p)| (Job::Post(i), p));
    let pages = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (Job::Page(i), p));
    posts
        .chain(pages)
        .filter(|(_, p)| sources.contains(p.source.as_path()))
        .filter_map(|(job, p)| {
            let html = renderer.render(job).ok()?;
            let ids = element_ids(&String::from_utf8_lossy(&html));
            Some((p.source.clone(), ids.into_iter().collect()))
        })
        .collect()
}
