//! Every published path claimed once: each page's file and each copied file (theme static,
//! site static over it, bundle assets) gets exactly one origin, so that two things landing
//! on the same URL, or a file standing where a page needs a folder, are an error naming
//! both in words a writer recognises.
//!
//! It decides nothing about where a page goes (that is [`render::job_file`]) and writes
//! nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::error::{Diagnostic, Error, Result};
use crate::fsutil::files_below;
use crate::render::{self, Job};
use crate::site::Site;
use crate::site_path::{shortened, Refusal, SitePath};

/// Claims every output file for exactly one origin; returns the files to copy
/// (theme static, then site static over it, then bundle assets).
pub(crate) fn claim_paths(
    root: &Path,
    site: &Site,
    jobs: &[Job],
) -> Result<Vec<(PathBuf, SitePath)>> {
    claim_all(root, site, jobs).map(|(copies, _)| copies)
}

/// Who claimed an output file: a job, or a copied file (its index among the copies).
#[derive(Clone, Copy)]
pub(crate) enum Claimant {
    Job(Job),
    Copy(usize),
}

/// Every output file, with who claimed it.
pub(crate) type Claims = FxHashMap<SitePath, Claimant>;

/// Two claimants of one file: (the file, the first, the second).
type Collision = (SitePath, Claimant, Claimant);

/// [`claim_paths`], also returning every output file with who claimed it.
pub(crate) fn claim_all(
    root: &Path,
    site: &Site,
    jobs: &[Job],
) -> Result<(Vec<(PathBuf, SitePath)>, Claims)> {
    // Who claimed each file, named in words only when two claim the same file.
    let mut claims: Claims = Default::default();
    claims.reserve(jobs.len());
    let mut collisions: Vec<Collision> = Vec::new();
    let mut claim = |file: SitePath, claimant: Claimant| match claims.get(&file) {
        Some(&first) => collisions.push((file, first, claimant)),
        None => {
            claims.insert(file, claimant);
        }
    };
    // The files are worked out in parallel; claiming them is a quick serial pass.
    let files: Vec<std::result::Result<SitePath, Refusal>> = jobs
        .par_iter()
        .map(|&job| render::job_file(site, job))
        .collect();
    let mut refused: Vec<Diagnostic> = Vec::new();
    for (file, &job) in files.into_iter().zip(jobs) {
        match file {
            Ok(file) => claim(file, Claimant::Job(job)),
            Err(r) => refused.extend(refused_job(site, job, r).diagnostics),
        }
    }
    let copies = files_to_copy(root, site, &mut refused)?;
    if !refused.is_empty() {
        return Err(Error::many(refused));
    }
    for (k, (_, rel)) in copies.iter().enumerate() {
        claim(rel.clone(), Claimant::Copy(k));
    }
    let blocking = files_in_the_way(&claims);
    if collisions.is_empty() && blocking.is_empty() {
        return Ok((copies, claims));
    }
    let namer = Namer {
        root,
        site,
        copies: &copies,
    };
    Err(Error::many(namer.clashes(&claims, collisions, blocking)))
}

/// The files a site publishes by copying, (source, output path): theme files first, the
/// site's static/ over them file by file, then the bundles' files. Those that cannot be
/// published under their names go to `refused`.
fn files_to_copy(
    root: &Path,
    site: &Site,
    refused: &mut Vec<Diagnostic>,
) -> Result<Vec<(PathBuf, SitePath)>> {
    let theme_static = Path::new("themes").join(&site.config.theme).join("static");
    let mut statics: HashMap<String, PathBuf> = HashMap::new();
    for dir in [theme_static, PathBuf::from("static")] {
        for (abs, rel) in files_below(&root.join(&dir))? {
            statics.insert(rel, abs);
        }
    }
    let mut found: Vec<(PathBuf, String)> =
        statics.into_iter().map(|(rel, abs)| (abs, rel)).collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    for post in site.posts.iter().chain(&site.pages) {
        for asset in &post.assets {
            let bundle = post.source.parent().unwrap_or(Path::new(""));
            let inner = asset.strip_prefix(bundle).unwrap_or(asset);
            let rel = [post.path.as_str(), &inner.to_string_lossy()].concat();
            found.push((root.join(asset), rel));
        }
    }
    let mut copies: Vec<(PathBuf, SitePath)> = Vec::with_capacity(found.len());
    for (abs, rel) in found {
        match SitePath::new(&rel) {
            Ok(to) => copies.push((abs, to)),
            Err(r) => refused.push(
                Diagnostic::new(
                    shown(root, &abs),
                    format!("this file cannot be published under its name: {r}"),
                )
                .help("rename the file"),
            ),
        }
    }
    Ok(copies)
}

/// A file of the site as the writer knows it: relative to the site's folder.
fn shown(root: &Path, abs: &Path) -> PathBuf {
    abs.strip_prefix(root).unwrap_or(abs).to_path_buf()
}

/// Names the claimants of clashing files for the errors.
struct Namer<'a> {
    root: &'a Path,
    site: &'a Site,
    copies: &'a [(PathBuf, SitePath)],
}

impl Namer<'_> {
    /// Who wants the file, in words.
    fn origin(&self, c: Claimant) -> String {
        match c {
            Claimant::Job(job) => job_origin(self.site, job),
            Claimant::Copy(k) => shown(self.root, &self.copies[k].0).display().to_string(),
        }
    }

    /// The file of the site that the claim comes from, where it comes from one.
    fn source(&self, c: Claimant) -> Option<PathBuf> {
        let site = self.site;
        match c {
            Claimant::Job(Job::Post(i)) => Some(site.posts[i].source.clone()),
            Claimant::Job(Job::Page(i)) => Some(site.pages[i].source.clone()),
            Claimant::Job(Job::Alias(a)) => alias_owner(site, a).map(Path::to_path_buf),
            Claimant::Copy(k) => Some(shown(self.root, &self.copies[k].0)),
            Claimant::Job(_) => None,
        }
    }

    /// Where to report a claim: its file of the site, else its origin in words.
    fn place(&self, c: Claimant) -> String {
        self.source(c)
            .map_or_else(|| self.origin(c), |p| p.display().to_string())
    }

    /// The errors of files claimed twice (`collisions`) and of files standing where another
    /// needs a folder (`blocking`), each named by a file of the site where one of the two
    /// comes from one.
    fn clashes(
        &self,
        claims: &Claims,
        collisions: Vec<Collision>,
        blocking: Vec<(SitePath, SitePath)>,
    ) -> Vec<Diagnostic> {
        let site = self.site;
        let in_the_way = blocking.into_iter().map(|(file, inner)| {
            let (outer, below) = (claims[&file], claims[&inner]);
            let d = match (self.source(outer), self.source(below)) {
                (None, Some(path)) => Diagnostic::new(
                    path,
                    format!(
                        "{} needs a folder at /{file} (for /{inner}), where {} publishes a file",
                        match below {
                            Claimant::Job(Job::Alias(a)) =>
                                format!("its alias `/{}`", site.aliases[a].0),
                            _ => "it".to_owned(),
                        },
                        self.origin(outer)
                    ),
                ),
                _ => Diagnostic::new(
                    self.place(outer),
                    format!(
                        "publishes a file at /{file}, where {} needs a folder (for /{inner})",
                        self.origin(below)
                    ),
                ),
            };
            d.help(match below {
                Claimant::Job(Job::Redirect(_)) => {
                    "rename the file, or remove the redirect from `redirects:` in site.yaml"
                }
                _ => "rename one of them, or give the page another `slug:`",
            })
        });
        collisions
            .into_iter()
            .map(|(file, first, second)| match (first, second) {
                (other, Claimant::Job(Job::Redirect(r)))
                | (Claimant::Job(Job::Redirect(r)), other) => self.redirect_clash(&file, r, other),
                _ => self.clash(&file, first, second),
            })
            .chain(in_the_way)
            .collect()
    }

    /// Two claims of `file`, named by the second one's file, which is where to fix it.
    fn clash(&self, file: &SitePath, first: Claimant, second: Claimant) -> Diagnostic {
        let site = self.site;
        match second {
            // Named by its post's file, which is where to fix it.
            Claimant::Job(Job::Alias(a)) => Diagnostic::new(
                self.place(second),
                format!(
                    "its alias `/{}` publishes to /{file}, as {} does",
                    site.aliases[a].0,
                    self.origin(first)
                ),
            )
            .help("remove the alias, or change it to the old address it stands for"),
            Claimant::Copy(_) => self.copy_clash(file, first, second),
            _ => Diagnostic::new(
                self.origin(second),
                format!("publishes to /{file}, as {} does", self.origin(first)),
            )
            .help("give one of them another `slug:` (or rename the file)"),
        }
    }

    /// Redirect `r` of site.yaml and `other` publish to `file`: named at the redirect's
    /// line, since the page, file or alias there is what the old address stands for.
    fn redirect_clash(&self, file: &SitePath, r: usize, other: Claimant) -> Diagnostic {
        let redirect = &self.site.config.redirects[self.site.redirects[r].entry];
        let (line, column) = redirect.at;
        let other = match other {
            Claimant::Job(Job::Redirect(o)) => {
                let o = &self.site.config.redirects[self.site.redirects[o].entry];
                format!("the redirect from `{}` on line {}", o.written, o.at.0)
            }
            _ => self.origin(other),
        };
        Diagnostic::new(
            crate::config::CONFIG_FILE,
            format!(
                "the redirect from `{}` publishes to /{file}, as {other} does",
                redirect.written
            ),
        )
        .at(line, column)
        .help("remove it from `redirects:` (something is published at that address now), or fix the old address")
    }
}

impl Namer<'_> {
    /// A copied file (static, or a bundle's) published where `first` publishes: named by the
    /// copied file, with what to do about a file that, unlike a page, has no `slug:`.
    fn copy_clash(&self, file: &SitePath, first: Claimant, copy: Claimant) -> Diagnostic {
        let shown = self.origin(copy);
        let (message, help) = match first {
            Claimant::Copy(_) => (
                format!("publishes to /{file}, as {} does", self.origin(first)),
                "rename or delete one of the two files".to_owned(),
            ),
            Claimant::Job(Job::Post(_) | Job::Page(_)) => (
                format!("publishes to /{file}, as {} does", self.origin(first)),
                format!(
                    "rename or delete {shown} (or give {} another `slug:`)",
                    self.origin(first)
                ),
            ),
            Claimant::Job(Job::Alias(_)) => (
                format!("publishes to /{file}, as {} does", self.origin(first)),
                format!(
                    "rename or delete {shown} (or remove the alias from {})",
                    self.place(first)
                ),
            ),
            Claimant::Job(_) => (
                format!(
                    "publishes to /{file}, where ilji writes {} itself",
                    self.origin(first)
                ),
                format!("delete {shown} (ilji makes /{file} from the site), or rename it"),
            ),
        };
        Diagnostic::new(shown, message).help(help)
    }
}

/// Claimed files that stand where another claimed file needs a folder (`static/a` and a page
/// at `a/b/`), each with one such file below it: their paths differ, yet both cannot be.
fn files_in_the_way(claims: &Claims) -> Vec<(SitePath, SitePath)> {
    let folders: rustc_hash::FxHashSet<&str> = claims
        .keys()
        .flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..i]))
        .collect();
    let mut found: Vec<(SitePath, SitePath)> = claims
        .keys()
        .filter(|f| folders.contains(f.as_str()))
        .filter_map(|f| {
            let below = claims
                .keys()
                .filter(|g| {
                    g.strip_prefix(f.as_str())
                        .is_some_and(|r| r.starts_with('/'))
                })
                .min()?;
            Some((f.clone(), below.clone()))
        })
        .collect();
    found.sort();
    found
}

/// A job whose page cannot be published where its name puts it (a category or tag name that
/// gives a part no file system holds).
pub(crate) fn refused_job(site: &Site, job: Job, refusal: Refusal) -> Error {
    let path = render::job_path(site, job);
    Diagnostic::new(
        job_origin(site, job),
        format!(
            "cannot be published at /{}: {refusal}",
            shortened(&path, 60)
        ),
    )
    .help("shorten the name it is published under")
    .into()
}

/// Who wants a job's page, in words a writer recognises.
fn job_origin(site: &Site, job: Job) -> String {
    match job {
        Job::Post(i) => site.posts[i].source.display().to_string(),
        Job::Page(i) => site.pages[i].source.display().to_string(),
        Job::Home(n) => format!("the home page (page {n})"),
        Job::Category(c, n) => format!(
            "the page of category '{}' (page {n})",
            site.categories[c].name
        ),
        Job::Tag(t, n) => format!("the page of tag '{}' (page {n})", site.tags[t].name),
        Job::Archive => "the archive page".to_owned(),
        Job::NotFound => "the 404 page".to_owned(),
        Job::Feed => "the site's Atom feed".to_owned(),
        Job::CategoryFeed(c) => format!("the Atom feed of category '{}'", site.categories[c].name),
        Job::Sitemap => "the sitemap".to_owned(),
        Job::Robots => "robots.txt".to_owned(),
        Job::SearchIndex => "the search index".to_owned(),
        Job::Search => "the search page".to_owned(),
        Job::Redirect(r) => {
            let redirect = &site.config.redirects[site.redirects[r].entry];
            format!(
                "the redirect from `{}` ({} line {})",
                redirect.written,
                crate::config::CONFIG_FILE,
                redirect.at.0
            )
        }
        Job::Alias(a) => {
            let (alias, target) = &site.aliases[a];
            let owner = alias_owner(site, a)
                .map_or_else(|| target.to_string(), |p| p.display().to_string());
            format!("the alias /{alias} of {owner}")
        }
    }
}

/// The content file whose `aliases:` gave alias `a`.
fn alias_owner(site: &Site, a: usize) -> Option<&Path> {
    let target = &site.aliases[a].1;
    site.posts
        .iter()
        .chain(&site.pages)
        .find(|p| &p.path == target)
        .map(|p| p.source.as_path())
}
