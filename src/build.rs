//! `ilji build` as one short pipeline: config → content → site → render → output.
//!
//! Also where every published path is claimed once, so that two things landing on the same
//! URL are an error naming both.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::fsutil::files_below;
use crate::output::Staging;
use crate::render::{self, Job, Renderer, Templates};
use crate::site::{Scheduled, Selection, Site};
use crate::site_path::{shortened, Refusal, SitePath};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holds site.yaml, content/, themes/).
    pub root: PathBuf,
    /// Defaults to `public/` in the site's folder.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
    /// The present moment: later posts are scheduled.
    pub now: DateTime<Utc>,
    /// Record a digest of every page written (for `serve`, to tell which pages changed).
    pub record_digests: bool,
    /// Counts the pages as they are rendered, for a progress bar.
    pub progress: Option<Arc<Progress>>,
    /// Print each phase's time on stderr (as the `ILJI_TIMINGS` environment variable does).
    pub timings: bool,
    /// The process ends after this build (the `ilji build` command): each post's body is
    /// freed as soon as its page is written, and the site is left to the operating system at
    /// exit instead of being freed piece by piece.
    pub one_shot: bool,
    /// Set (by Ctrl-C, in `ilji build`) to stop the build before its next page: it then fails
    /// like any other, cleaning up and leaving the output as it was.
    pub interrupt: Option<Arc<AtomicBool>>,
}

/// How far a build is: pages rendered out of pages in all (0 of 0 while reading content).
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// (pages rendered, pages in all).
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            future: false,
            base_url: None,
            now: Utc::now(),
            record_digests: false,
            progress: None,
            timings: false,
            one_shot: false,
            interrupt: None,
        }
    }

    /// An error once the build has been interrupted.
    fn check_interrupt(&self) -> Result<()> {
        match &self.interrupt {
            Some(flag) if flag.load(Ordering::Relaxed) => {
                Err(Diagnostic::new(self.output_dir(), "the build was interrupted").into())
            }
            _ => Ok(()),
        }
    }

    /// What this build publishes besides finished, past-dated posts.
    pub fn selection(&self) -> Selection {
        Selection {
            drafts: self.drafts,
            future: self.future,
            now: self.now,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did, for the summary line and warnings.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages_written: usize,
    pub files_copied: usize,
    pub posts: usize,
    pub categories: usize,
    pub tags: usize,
    /// The files of the drafts left out, sorted.
    pub drafts_left_out: Vec<PathBuf>,
    pub scheduled: Vec<Scheduled>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// With `record_digests`: each page's root-relative URL path (not encoded, e.g.
    /// `/posts/가/`) and a digest of its HTML.
    pub digests: HashMap<String, u64>,
}

/// Builds the site; on any error the previous output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let config = load_config(opts)?;
    let timer = PhaseTimer::new(opts.timings);
    // First, so that a spare output is listed while the content is read.
    let staging = Staging::new(&opts.output_dir())?;
    // The templates are read and parsed beside the content (errors in the content first).
    let (content, templates) = rayon::join(
        || crate::content::load(&opts.root, &config),
        || Templates::load(&opts.root, &config.theme),
    );
    let content = content?;
    let templates = templates?;
    opts.check_interrupt()?;
    timer.mark("content and templates");
    let site = Site::new(config, content.pages, opts.selection());
    timer.mark("site model");
    let published = publish(opts, &site, templates, staging, &timer)?;
    let report = BuildReport::new(opts, &site, published, content.warnings, started);
    if opts.one_shot {
        // Freeing a big blog's hundreds of thousands of strings takes longer than exiting.
        std::mem::forget(site);
    }
    Ok(report)
}

impl BuildReport {
    pub(crate) fn new(
        opts: &BuildOptions,
        site: &Site,
        published: Published,
        warnings: Vec<Diagnostic>,
        started: Instant,
    ) -> BuildReport {
        BuildReport {
            output: opts.output_dir(),
            pages_written: published.pages,
            files_copied: published.copies,
            posts: site.posts.len(),
            categories: site.categories.len(),
            tags: site.tags.len(),
            drafts_left_out: site.drafts_left_out.clone(),
            scheduled: site.scheduled.clone(),
            warnings,
            elapsed: started.elapsed(),
            digests: published.digests,
        }
    }
}

/// Reads and checks site.yaml (with `--base-url` applied) and the output folder.
pub(crate) fn load_config(opts: &BuildOptions) -> Result<Config> {
    let root = &opts.root;
    if !root.is_dir() {
        return Err(Diagnostic::new(root, "this folder does not exist")
            .help("run ilji in your site's folder, or pass it with -C DIR")
            .into());
    }
    let mut config = Config::load(root)?;
    if let Some(url) = &opts.base_url {
        config = config.with_base_url(url)?;
    }
    crate::inputs::check_all_inside(root, &config.theme)?;
    check_output_dir(opts)?;
    Ok(config)
}

/// What [`publish`] wrote.
pub(crate) struct Published {
    pub pages: usize,
    pub copies: usize,
    /// The copied files: (source, output path).
    pub copied: Vec<(PathBuf, SitePath)>,
    pub digests: HashMap<String, u64>,
}

/// Renders every page of `site` and copies its files into a staging folder, then swaps it
/// in as the output.
///
/// With [`BuildOptions::one_shot`], each post's body is released once its page is
/// written, unless a feed prints it: a big blog then never holds all its bodies while it
/// renders.
///
/// `templates` are those of the site's theme (see [`Templates::load`]); `staging` is for
/// `opts`'s output.
pub(crate) fn publish(
    opts: &BuildOptions,
    site: &Site,
    templates: Templates,
    staging: Staging,
    timer: &PhaseTimer,
) -> Result<Published> {
    let root = &opts.root;
    let one_shot = opts.one_shot;
    let jobs = render::jobs(site, templates.has_search_page());
    // Two serial steps, side by side; what a reused staging folder holds that no page
    // claims goes with the claims.
    let (renderer, copies) = rayon::join(
        || Renderer::with_templates(templates, site),
        || -> Result<_> {
            let (copies, claims) = claim_all(root, site, &jobs)?;
            staging.sweep(|file| claims.contains_key(file))?;
            Ok(copies)
        },
    );
    let (renderer, copies) = (renderer?, copies?);
    timer.mark("views and claims");

    if let Some(p) = &opts.progress {
        p.total.store(jobs.len(), Ordering::Relaxed);
    }
    // Writes a page (given in consecutive parts); its digest when they are recorded.
    let emit = |job: Job, html: &[&[u8]]| -> Result<Option<(String, u64)>> {
        let path = render::job_path(site, job);
        let file = render::job_file(site, job).map_err(|r| refused_job(site, job, r))?;
        staging.write(&file, html)?;
        if let Some(p) = &opts.progress {
            p.done.fetch_add(1, Ordering::Relaxed);
        }
        Ok(opts
            .record_digests
            .then(|| (format!("/{path}"), digest(html))))
    };
    let keep = if one_shot {
        render::feeds::fed(site)
    } else {
        vec![true; site.posts.len()]
    };

    // The posts' pages first, releasing their bodies; then the search index beside the other
    // pages, so that the index (tens of megabytes for a big blog) takes the memory the bodies
    // left, and its few serial steps overlap with the pages.
    let (posts, others): (Vec<Job>, Vec<Job>) = jobs
        .iter()
        .filter(|j| !matches!(j, Job::SearchIndex))
        .partition(|j| matches!(j, Job::Post(_)));
    let render = |jobs: &[Job]| -> Result<Vec<Option<(String, u64)>>> {
        // In runs of at most 16 pages: rayon otherwise hands each core a quarter of the list
        // in one piece that no idle core can take a part of, and one core rendered the last
        // list pages alone for 60-80 ms while the other waited.
        jobs.par_iter()
            .with_max_len(16)
            .map_init(
                || renderer.context(),
                |ctx, &job| {
                    opts.check_interrupt()?;
                    let digest = emit(job, &[&renderer.render_in(ctx, job)?])?;
                    if let Job::Post(i) = job {
                        if !keep[i] {
                            site.posts[i].body.html.release();
                        }
                    }
                    Ok(digest)
                },
            )
            .collect()
    };
    let mut digests: HashMap<String, u64> = render(&posts)?.into_iter().flatten().collect();
    timer.mark("posts");
    let (index, others) = rayon::join(
        || -> Result<Option<(String, u64)>> {
            if !jobs.contains(&Job::SearchIndex) {
                return Ok(None);
            }
            let index = renderer.search_index();
            let parts: Vec<&[u8]> = index.iter().map(Vec::as_slice).collect();
            emit(Job::SearchIndex, &parts)
        },
        || render(&others),
    );
    digests.extend(index?);
    digests.extend(others?.into_iter().flatten());
    timer.mark("other pages and index");
    copies
        .par_iter()
        .try_for_each(|(from, to)| staging.copy(from, to))?;
    staging.commit()?;
    timer.mark("commit");
    if one_shot {
        // Its cached views are many small values; the process ends soon.
        std::mem::forget(renderer);
    }
    Ok(Published {
        pages: jobs.len(),
        copies: copies.len(),
        copied: copies,
        digests,
    })
}

/// Refuses an output folder that is, holds or lies inside one of the site's own inputs (a
/// build replaces its output, and would delete them): with `--output`, a usage error.
fn check_output_dir(opts: &BuildOptions) -> Result<()> {
    let output = opts.output_dir();
    let Some(input) = crate::inputs::clash_with_output(&opts.root, &output) else {
        return Ok(());
    };
    let what = if input == Path::new(".") {
        "the site's own folder".to_owned()
    } else if input == Path::new(crate::config::CONFIG_FILE) {
        format!("the site's {}", input.display())
    } else {
        format!("the site's {}/ folder", input.display())
    };
    let help = "choose a folder apart from the site's sources, such as public/ (the default) \
                or ../site-output";
    match &opts.output {
        Some(given) => Err(Error::usage(
            Diagnostic::new(
                format!("--output {}", given.display()),
                format!("this folder is, holds or lies inside {what}, which a build would replace"),
            )
            .help(help),
        )),
        None => Err(Diagnostic::new(
            &output,
            format!("this output folder is a link to {what}, which a build would replace"),
        )
        .help("point the link at a folder apart from the site's sources, or remove it")
        .into()),
    }
}

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
enum Claimant {
    Job(Job),
    Copy(usize),
}

/// Every output file, with who claimed it.
type Claims = FxHashMap<SitePath, Claimant>;

/// [`claim_paths`], also returning every output file with who claimed it.
fn claim_all(root: &Path, site: &Site, jobs: &[Job]) -> Result<(Vec<(PathBuf, SitePath)>, Claims)> {
    // Who claimed each file, named in words only when two claim the same file.
    let mut claims: Claims = Default::default();
    claims.reserve(jobs.len());
    let mut collisions: Vec<(SitePath, Claimant, Claimant)> = Vec::new();
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

    // Theme files first; the site's static/ overrides them file by file.
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
    let shown = |abs: &Path| abs.strip_prefix(root).unwrap_or(abs).to_path_buf();
    let mut copies: Vec<(PathBuf, SitePath)> = Vec::with_capacity(found.len());
    for (abs, rel) in found {
        match SitePath::new(&rel) {
            Ok(to) => copies.push((abs, to)),
            Err(r) => refused.push(
                Diagnostic::new(
                    shown(&abs),
                    format!("this file cannot be published under its name: {r}"),
                )
                .help("rename the file"),
            ),
        }
    }
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
    let origin = |c: Claimant| match c {
        Claimant::Job(job) => job_origin(site, job),
        Claimant::Copy(k) => shown(&copies[k].0).display().to_string(),
    };
    // Named by a file of the site where one of the two comes from one.
    let source = |c: Claimant| -> Option<PathBuf> {
        match c {
            Claimant::Job(Job::Post(i)) => Some(site.posts[i].source.clone()),
            Claimant::Job(Job::Page(i)) => Some(site.pages[i].source.clone()),
            Claimant::Job(Job::Alias(a)) => alias_owner(site, a).map(Path::to_path_buf),
            Claimant::Copy(k) => Some(shown(&copies[k].0)),
            Claimant::Job(_) => None,
        }
    };
    let in_the_way = blocking.into_iter().map(|(file, inner)| {
        let (outer, below) = (claims[&file], claims[&inner]);
        let d = match (source(outer), source(below)) {
            (None, Some(path)) => Diagnostic::new(
                path,
                format!(
                    "{} needs a folder at /{file} (for /{inner}), where {} publishes a file",
                    match below {
                        Claimant::Job(Job::Alias(a)) =>
                            format!("its alias `/{}`", site.aliases[a].0),
                        _ => "it".to_owned(),
                    },
                    origin(outer)
                ),
            ),
            (path, _) => Diagnostic::new(
                path.map_or_else(|| origin(outer), |p| p.display().to_string()),
                format!(
                    "publishes a file at /{file}, where {} needs a folder (for /{inner})",
                    origin(below)
                ),
            ),
        };
        d.help("rename one of them, or give the page another `slug:`")
    });
    let errors: Vec<Diagnostic> = collisions
        .into_iter()
        .map(|(file, first, second)| match second {
            // Named by its post's file, which is where to fix it.
            Claimant::Job(Job::Alias(a)) => Diagnostic::new(
                source(second).map_or_else(|| origin(second), |p| p.display().to_string()),
                format!(
                    "its alias `/{}` publishes to /{file}, as {} does",
                    site.aliases[a].0,
                    origin(first)
                ),
            )
            .help("remove the alias, or change it to the old address it stands for"),
            _ => Diagnostic::new(
                origin(second),
                format!("publishes to /{file}, as {} does", origin(first)),
            )
            .help("give one of them another `slug:` (or rename the file)"),
        })
        .chain(in_the_way)
        .collect();
    Err(Error::many(errors))
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

/// Prints how long each phase took when `ILJI_TIMINGS` is set (for profiling, not tests).
pub(crate) struct PhaseTimer(Option<std::cell::Cell<Instant>>);

impl PhaseTimer {
    pub(crate) fn new(enabled: bool) -> Self {
        let enabled = enabled || std::env::var_os("ILJI_TIMINGS").is_some();
        PhaseTimer(enabled.then(|| std::cell::Cell::new(Instant::now())))
    }

    pub(crate) fn mark(&self, phase: &str) {
        if let Some(last) = &self.0 {
            eprintln!("timing: {phase} {} ms", last.get().elapsed().as_millis());
            last.set(Instant::now());
        }
    }
}

/// A digest of a page's bytes (given in consecutive parts), to tell which pages a rebuild
/// changed. It depends on the bytes only, not on how they are split.
pub(crate) fn digest(parts: &[&[u8]]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        h.write(part);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn a_digest_depends_on_the_bytes_not_on_their_parts() {
        let whole = digest(&["{\"w\":[\"고객\"],\"p\":[]}".as_bytes()]);
        let parts = digest(&[b"{\"w\":[", "\"고객\"".as_bytes(), b"],\"p\":[", b"]}"]);
        assert_eq!(whole, parts);
        assert_ne!(whole, digest(&[b"{}"]));
    }
}
