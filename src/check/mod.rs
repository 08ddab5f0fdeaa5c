//! `ilji check`: everything `ilji build` would do, in memory, plus what a build forgives:
//! links and images that lead nowhere, `#anchors` without their heading, links to drafts
//! and scheduled posts, duplicate titles in a category, posts dated in the future, and
//! (with `--external`) links to other sites that are gone; images without alt text and
//! image files whose header does not read as an image.
//!
//! It writes nothing. Problems that would stop a build come back as `Err`, like `build`'s;
//! findings come back in a [`CheckReport`], each naming the file and line.

pub mod external;
mod images;
pub mod links;
mod own_anchors;
mod redirects;
mod targets;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{claim_paths, load_config, BuildOptions};
use crate::content::{frontmatter, Page};
use crate::error::{line_col, Diagnostic, Error, Result};
use crate::render::{self, Job, Renderer};
use crate::site::Site;
use crate::site_path::{layout, SitePath};
use crate::text::decode_utf8;
use links::Target;
use redirects::{Detour, Redirects};
use targets::{candidate_files, element_ids, Targets};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site, and what counts as published (`drafts`, `future`, `now`).
    pub build: BuildOptions,
    /// Also request every link to another site.
    pub external: Option<external::Options>,
}

/// What a check found. Errors make `ilji check` exit 1; warnings do not.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Pages rendered (every page `ilji build` would write).
    pub pages: usize,
    /// Links and images to this site that were followed.
    pub internal_links: usize,
    pub external: Option<external::Summary>,
    pub elapsed: Duration,
}

/// A link found in a content file, located.
struct Found<'a> {
    page: &'a Page,
    published: bool,
    text: Arc<String>,
    body_start: usize,
    link: links::Link,
}

impl Found<'_> {
    fn diagnostic(&self, message: String) -> Diagnostic {
        let (line, column) = line_col(&self.text, self.body_start + self.link.offset);
        Diagnostic::new(&self.page.source, message).at(line, column)
    }

    /// A link to `url`, a root-relative address outside the site's base path `base`.
    fn outside_base(&self, url: &str, base: &str) -> Diagnostic {
        self.diagnostic(format!(
            "the {} {url} points outside the site, which is published under {base}",
            self.link.kind.noun()
        ))
        .help(format!(
            "write {base}{} (every address of this site starts with {base})",
            url.trim_start_matches('/')
        ))
    }

    /// A link whose `..` climb above the site's root.
    fn above_root(&self) -> Diagnostic {
        self.diagnostic(format!(
            "the {} {} climbs above the site's root with `..`",
            self.link.kind.noun(),
            self.link.url
        ))
        .help("use fewer `../`, or an address that starts with /")
    }
}

/// Checks the site of `opts`; see the module documentation.
pub fn check(opts: &CheckOptions) -> Result<CheckReport> {
    let started = Instant::now();
    let root = &opts.build.root;
    let config = load_config(&opts.build)?;
    let content = crate::content::load(root, &config)?;
    let all: Vec<Arc<Page>> = content.pages;
    let site = Site::new(config, all.clone(), opts.build.selection());
    let renderer = Renderer::new(root, &site)?;
    let jobs = renderer.jobs();
    let copies = claim_paths(root, &site, &jobs)?;

    let published = published_sources(&site);
    let unpublished = unpublished_by_path(&all, &published);
    let found = find_links(root, &all, &published)?;
    let mut resolved: Vec<Target> = found
        .iter()
        .map(|f| links::resolve(&f.link.url, &f.page.path, &site.config))
        .collect();
    let redirects = Redirects::new(&site);
    let detours: Vec<Option<Detour>> = found
        .iter()
        .zip(&mut resolved)
        .map(|(f, target)| redirects.follow(f.link.kind, target))
        .collect();
    let need_ids = fragment_targets(&resolved);
    let image_warnings = [
        images::without_alt(&found),
        images::unreadable(root, &found, &resolved, &copies),
    ];
    let outputs = render_outputs(&site, &renderer, &jobs, &copies, &need_ids)?;

    let mut report = CheckReport {
        pages: jobs.len(),
        warnings: content.warnings,
        ..CheckReport::default()
    };
    let own_ids = own_anchors::rendered_ids(
        root,
        &site.config,
        &all,
        opts.build.selection(),
        (&found, &resolved),
    );
    let targets = Targets {
        site: &site,
        files: &outputs.files,
        ids: &outputs.ids,
        unpublished: &unpublished,
        own_ids: &own_ids,
    };
    report.warnings.extend(image_warnings.into_iter().flatten());
    let external_links = check_links(&targets, &found, resolved, &detours, &mut report);
    report
        .warnings
        .extend(redirects::leading_nowhere(&site.config, &outputs.files));
    duplicate_titles(root, &site, &mut report.warnings);
    future_dates(root, &site, &mut report.warnings);
    if let Some(options) = &opts.external {
        report.external = Some(check_external(&external_links, options, &mut report));
    }
    report.errors = Error::many(report.errors).diagnostics;
    report.warnings = Error::many(report.warnings).diagnostics;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The content files that `site` publishes: its posts and pages.
fn published_sources(site: &Site) -> HashSet<&Path> {
    site.posts
        .iter()
        .chain(&site.pages)
        .map(|p| p.source.as_path())
        .collect()
}

/// Drafts and scheduled posts by their path and their old addresses (`aliases:`), to tell
/// a link to one from a link to nothing.
fn unpublished_by_path<'a>(
    all: &'a [Arc<Page>],
    published: &HashSet<&Path>,
) -> HashMap<&'a str, &'a Page> {
    all.iter()
        .filter(|p| !published.contains(p.source.as_path()))
        .flat_map(|p| {
            let addresses = std::iter::once(&p.path).chain(&p.aliases);
            addresses.map(|a| (a.as_str(), p.as_ref()))
        })
        .collect()
}

/// The output files that links with a `#fragment` lead to: only those pages' ids are
/// collected.
fn fragment_targets(resolved: &[Target]) -> HashSet<String> {
    resolved
        .iter()
        .filter_map(|t| match t {
            Target::Internal {
                path,
                fragment: Some(_),
            } => Some(path),
            _ => None,
        })
        .flat_map(|path| candidate_files(path))
        .collect()
}

/// What a build would write, as far as links care.
struct Outputs {
    /// Every output file (site-relative: `posts/가/index.html`, `style.css`).
    files: HashSet<String>,
    /// The `id`s of the HTML output files that links with a `#fragment` lead to.
    ids: HashMap<String, HashSet<String>>,
}

/// Renders every page as a build would (template errors stop here too), keeping the
/// element ids of the files in `need_ids`; `copies` are the files copied as they are.
fn render_outputs(
    site: &Site,
    renderer: &Renderer,
    jobs: &[Job],
    copies: &[(PathBuf, SitePath)],
    need_ids: &HashSet<String>,
) -> Result<Outputs> {
    let rendered = jobs
        .par_iter()
        .map_init(
            || renderer.context(),
            |ctx, &job| -> Result<(String, Vec<String>)> {
                let html = renderer.render_in(ctx, job)?;
                let file = layout::output_file(&render::job_path(site, job));
                let ids = if need_ids.contains(&file) {
                    element_ids(&String::from_utf8_lossy(&html))
                } else {
                    Vec::new()
                };
                Ok((file, ids))
            },
        )
        .collect::<Result<Vec<_>>>()?;
    let mut files: HashSet<String> = copies.iter().map(|(_, rel)| rel.to_string()).collect();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    for (file, page_ids) in rendered {
        if need_ids.contains(&file) {
            ids.insert(file.clone(), page_ids.into_iter().collect());
        }
        files.insert(file);
    }
    Ok(Outputs { files, ids })
}

/// Files a finding for every link into this site that leads nowhere or through a redirect
/// (`detours`: where a redirect sent the link on, parallel to `found`; `resolved` is then
/// where it leads), and returns the links to other sites, which only `--external` requests.
fn check_links<'f, 'p>(
    targets: &Targets,
    found: &'f [Found<'p>],
    resolved: Vec<Target>,
    detours: &[Option<Detour>],
    report: &mut CheckReport,
) -> Vec<(&'f Found<'p>, String)> {
    let base = targets.site.config.base_path();
    let mut external_links = Vec::new();
    for ((f, target), detour) in found.iter().zip(resolved).zip(detours) {
        if let Some(detour) = *detour {
            let d = redirects::warning(f, detour, &targets.site.config);
            file_finding(report, f, false, d);
        }
        let finding = match target {
            Target::Internal { path, fragment } => {
                report.internal_links += 1;
                targets.problem(f, &path, fragment.as_deref())
            }
            Target::OutsideBase(url) => Some((true, f.outside_base(&url, base))),
            Target::AboveRoot => Some((true, f.above_root())),
            Target::External(url) => {
                external_links.push((f, url));
                None
            }
            Target::Other => None,
        };
        if let Some((is_error, d)) = finding {
            file_finding(report, f, is_error, d);
        }
    }
    external_links
}

/// Scheduled posts, at their `date:`: right for a post meant to wait, a slip otherwise.
fn future_dates(root: &Path, site: &Site, warnings: &mut Vec<Diagnostic>) {
    for s in &site.scheduled {
        warnings.push(
            at_key(
                root,
                &s.source,
                "date",
                format!(
                    "dated {}, in the future: `ilji build` leaves it out until then",
                    s.goes_live.format("%Y-%m-%d %H:%M %Z")
                ),
            )
            .help("that is right for a scheduled post; otherwise fix its `date:`"),
        );
    }
}

/// Findings in a draft or scheduled post are warnings: they stop nothing yet.
fn file_finding(report: &mut CheckReport, f: &Found, is_error: bool, d: Diagnostic) {
    if is_error && f.published {
        report.errors.push(d);
    } else if is_error {
        let note = "; it is not published yet, so this does not fail the check";
        report.warnings.push(Diagnostic {
            message: format!("{}{note}", d.message),
            ..d
        });
    } else {
        report.warnings.push(d);
    }
}

/// Every link and image in the Markdown of every content file, located.
fn find_links<'a>(
    root: &Path,
    pages: &'a [Arc<Page>],
    published: &HashSet<&Path>,
) -> Result<Vec<Found<'a>>> {
    let per_page = pages
        .par_iter()
        .map(|page| -> Result<Vec<Found<'a>>> {
            let bytes =
                std::fs::read(root.join(&page.source)).map_err(|e| Error::io(&page.source, &e))?;
            let text = Arc::new(decode_utf8(&page.source, &bytes)?);
            let split = frontmatter::split(&page.source, &text)?;
            let body_start = text.len() - split.body.len();
            let found = links::extract(split.body)
                .into_iter()
                .map(|link| Found {
                    page: page.as_ref(),
                    published: published.contains(page.source.as_path()),
                    text: Arc::clone(&text),
                    body_start,
                    link,
                })
                .collect();
            Ok(found)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(per_page.into_iter().flatten().collect())
}

/// A finding about a front-matter key of a content file, at that key's line.
fn at_key(root: &Path, source: &Path, key: &str, message: String) -> Diagnostic {
    let line = std::fs::read(root.join(source))
        .ok()
        .and_then(|bytes| decode_utf8(source, &bytes).ok())
        .and_then(|text| {
            let split = frontmatter::split(source, &text).ok()?;
            let (line, column) = crate::text::key_position(split.yaml, key)?;
            Some((line + split.yaml_line_offset, column))
        });
    let d = Diagnostic::new(source, message);
    match line {
        Some((l, c)) => d.at(l, c),
        None => d,
    }
}

/// Published posts of one category that share a title.
fn duplicate_titles(root: &Path, site: &Site, warnings: &mut Vec<Diagnostic>) {
    for category in &site.categories {
        let mut first: HashMap<&str, &Page> = HashMap::new();
        // Oldest first, so the later post is the one named.
        for &i in category.posts.iter().rev() {
            let post = &site.posts[i];
            if let Some(earlier) = first.get(post.title.trim()) {
                warnings.push(
                    at_key(
                        root,
                        &post.source,
                        "title",
                        format!(
                            "has the same title as {} in category '{}': \"{}\"",
                            earlier.source.display(),
                            category.name,
                            post.title
                        ),
                    )
                    .help("readers tell posts apart by title; give one of them another"),
                );
            } else {
                first.insert(post.title.trim(), post);
            }
        }
    }
}

/// Requests every distinct external address once and files a finding for each failure.
fn check_external(
    found: &[(&Found, String)],
    options: &external::Options,
    report: &mut CheckReport,
) -> external::Summary {
    let mut urls: Vec<String> = found
        .iter()
        .map(|(_, url)| external::request_url(url))
        .collect();
    urls.sort();
    urls.dedup();
    let started = Instant::now();
    let outcomes: HashMap<String, external::Outcome> =
        external::check_all(&urls, options).into_iter().collect();
    let mut summary = external::Summary {
        checked: urls.len(),
        elapsed: Duration::ZERO,
        ..external::Summary::default()
    };
    for outcome in outcomes.values() {
        match outcome {
            external::Outcome::Ok(_) => summary.ok += 1,
            external::Outcome::Broken(_) | external::Outcome::Unreachable(_) => summary.broken += 1,
            external::Outcome::Doubtful(_) => summary.doubtful += 1,
            external::Outcome::TimedOut => summary.timed_out += 1,
        }
    }
    for (f, url) in found {
        let Some(outcome) = outcomes.get(&external::request_url(url)) else {
            continue;
        };
        let noun = f.link.kind.noun();
        let (is_error, message, help) = match outcome {
            external::Outcome::Ok(_) => continue,
            external::Outcome::Broken(status) => (
                true,
                format!("the {noun} {url} is gone: the site answered {status}"),
                "find where it moved, link to an archived copy (web.archive.org), or remove it",
            ),
            external::Outcome::Unreachable(why) => (
                true,
                format!("the {noun} {url} could not be reached: {why}"),
                "check the address; if the site is down for now, try again later",
            ),
            external::Outcome::Doubtful(status) => (
                false,
                format!("the {noun} {url} answered {status}"),
                "open it in a browser: some sites refuse programs but serve people",
            ),
            external::Outcome::TimedOut => (
                false,
                format!(
                    "the {noun} {url} did not answer within {} s",
                    options.timeout.as_secs_f32()
                ),
                "try again later, or raise --timeout",
            ),
        };
        let d = f.diagnostic(message).help(help);
        file_finding(report, f, is_error, d);
    }
    summary.elapsed = started.elapsed();
    summary
}
