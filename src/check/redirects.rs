//! Links that reach a post or page through one of its old addresses (`aliases:`), or any
//! page through an old address of the site (`redirects:` of site.yaml). They work, but
//! through a redirect page: one more request, a blink of an empty page, and a link that
//! search engines see going to a page they are told not to index. A moved blog has many
//! (`ilji import` keeps every old address as an alias while the posts still link to each
//! other by the old ones), so `check` warns and names the address to write instead. Also
//! here: the redirects of site.yaml that lead nowhere.

use std::collections::{HashMap, HashSet};

use super::links::{split_base_url, Kind, Target};
use super::targets::candidate_files;
use super::Found;
use crate::config::Config;
use crate::config::Redirect;
use crate::content::Page;
use crate::error::Diagnostic;
use crate::site::{Destination, Site};
use crate::site_path::layout;
use crate::slug::encode_path;

/// The redirect pages a site publishes.
pub(super) struct Redirects<'a> {
    /// Each redirect page's output file (`2017/03/01/old/index.html`, `old.html`) and what
    /// it leads to.
    by_file: HashMap<String, Detour<'a>>,
}

/// Where a link through a redirect was sent on.
#[derive(Clone, Copy)]
pub(super) enum Detour<'a> {
    /// To a post or page, by one of its `aliases:`.
    Alias(&'a Page),
    /// By an entry of site.yaml's `redirects:`.
    Site(&'a Redirect),
}

impl Detour<'_> {
    /// The site-relative path the redirect leads to.
    fn to(&self) -> &str {
        match self {
            Detour::Alias(page) => page.path.as_str(),
            Detour::Site(r) => r.to.as_str(),
        }
    }
}

impl<'a> Redirects<'a> {
    pub(super) fn new(site: &'a Site) -> Self {
        // Only the redirect pages of site.yaml: a link to an old feed address gets the feed.
        let pages = site.redirects.iter().filter_map(|r| {
            let redirect = &site.config.redirects[r.entry];
            matches!(r.to, Destination::Page(_))
                .then(|| (redirect.from.file().to_string(), Detour::Site(redirect)))
        });
        let by_file = site
            .posts
            .iter()
            .chain(&site.pages)
            .flat_map(|p| {
                p.aliases
                    .iter()
                    .map(|a| (a.file().to_string(), Detour::Alias(p.as_ref())))
            })
            .chain(pages)
            .collect();
        Redirects { by_file }
    }

    /// When the link `kind` to `target` lands on a redirect page, points `target` at the page
    /// the redirect leads to (its `#fragment` kept) and returns that page. `/old` finds the
    /// redirect at `/old/`, as web servers add the `/`. Images are not followed: a redirect
    /// page is no image, and what is wrong with that is not a redirect.
    pub(super) fn follow(&self, kind: Kind, target: &mut Target) -> Option<Detour<'a>> {
        let Target::Internal { path, .. } = target else {
            return None;
        };
        if kind != Kind::Link {
            return None;
        }
        let detour = candidate_files(path)
            .iter()
            .find_map(|file| self.by_file.get(file).copied())?;
        *path = detour.to().to_owned();
        Some(detour)
    }
}

/// A warning for each redirect of site.yaml (`redirects:`) whose new address leads nowhere:
/// its old address then leads nowhere too (a feed of a category that does not exist is not
/// written at all). `files` are every output file.
pub(super) fn leading_nowhere(config: &Config, files: &HashSet<String>) -> Vec<Diagnostic> {
    config
        .redirects
        .iter()
        .filter(|r| !candidate_files(&r.to).iter().any(|f| files.contains(f)))
        .map(|r| {
            let (line, column) = r.to_at;
            let what = if layout::feed_list(&r.to).is_some() {
                "no such feed, so nothing is written there"
            } else {
                "its redirect page leads nowhere"
            };
            Diagnostic::new(
                crate::config::CONFIG_FILE,
                format!(
                    "the redirect from `{}` leads to {}{}, where nothing is published: {what}",
                    r.written,
                    config.base_path(),
                    r.to
                ),
            )
            .at(line, column)
            .help("lead it to an address the site publishes (a post, page, category, tag or feed), or remove it")
        })
        .collect()
}

/// The warning for the link `f`, which leads through a redirect (`detour`).
pub(super) fn warning(f: &Found, detour: Detour, config: &Config) -> Diagnostic {
    let whose = match detour {
        Detour::Alias(page) => format!("it is an old address of {}", page.source.display()),
        Detour::Site(r) => format!(
            "`redirects:` of {} sends it on (line {})",
            crate::config::CONFIG_FILE,
            r.at.0
        ),
    };
    f.diagnostic(format!(
        "the link {} leads through a redirect: {whose}",
        f.link.url
    ))
    .help(format!(
        "link {} directly",
        direct_address(&f.link.url, detour.to(), config)
    ))
}

/// The address of `path` (site-relative) written the way `url` was: with the whole
/// `base_url` when it was (as `base_url` spells it: `http://` to an `https://` site is one
/// more redirect), percent-encoded when it was, and with its `#fragment`.
fn direct_address(url: &str, path: &str, config: &Config) -> String {
    let url = url.trim();
    let site = match split_base_url(url, config) {
        Some(_) => config.base_url(),
        None => config.base_path(),
    };
    let mut address = site.to_owned();
    if url.contains('%') {
        address.push_str(&encode_path(path));
    } else {
        address.push_str(path);
    }
    if let Some((_, fragment)) = url.split_once('#') {
        address.push('#');
        address.push_str(fragment);
    }
    address
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> Config {
        crate::config::with_base_url(base)
    }

    #[test]
    fn the_direct_address_is_written_as_the_link_was() {
        let c = config("https://example.org/blog/");
        let post = "posts/새-글/";
        for (url, direct) in [
            ("/blog/2017/03/01/old/", "/blog/posts/새-글/"),
            ("../old", "/blog/posts/새-글/"),
            (
                "/blog/entry/%EC%98%9B#끝",
                "/blog/posts/%EC%83%88-%EA%B8%80/#끝",
            ),
            (
                "https://example.org/blog/old.html#a",
                "https://example.org/blog/posts/새-글/#a",
            ),
            (
                "http://Example.org/blog/old/",
                "https://example.org/blog/posts/새-글/",
            ),
        ] {
            assert_eq!(direct_address(url, post, &c), direct, "{url}");
        }
    }
}
