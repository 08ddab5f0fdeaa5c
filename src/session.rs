//! Rebuilding for a list of changed files, keeping the parsed site in memory between builds:
//! "rebuild for these changed paths", answered with the pages whose HTML changed.
//!
//! A body edit re-renders that post alone; a new title, summary or comment count also the
//! posts and list pages that show it; a new date or category the whole category and the home
//! pages; anything that changes what every page shows (categories and their counts, tags,
//! standalone pages, site.yaml, templates) renders every page again. Pages are written only
//! when their HTML changed. The result is always what a full build would write.
//!
//! Which pages those are is [`affected`]'s to tell. The session writes into the output folder
//! in place (serve's private folder, through [`InPlace`]), and only after every page of the
//! rebuild rendered without error.

mod affected;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use rayon::prelude::*;

use crate::build::{
    claim_paths, digest, load_config, publish, refused_job, BuildOptions, BuildReport, RunControl,
};
use crate::config::{Config, CONFIG_FILE};
use crate::content::{self, Page};
use crate::error::Result;
use crate::output::{InPlace, Staging};
use crate::render::{self, Job, Renderer, Templates};
use crate::site::{Selection, Site};
use crate::site_path::{layout, SitePath};
use affected::{affected_jobs, Shape};

/// A built site kept in memory for fast rebuilds.
pub struct Session {
    opts: BuildOptions,
    run: RunControl,
    /// `opts`'s output, written in place by rebuilds.
    output: InPlace,
    config: Config,
    pages: BTreeMap<PathBuf, Arc<Page>>,
    /// Root-relative URL path of every page (e.g. `/posts/가/`) → digest of its HTML.
    digests: HashMap<String, u64>,
    /// Output paths of the files published by copying.
    copies: BTreeSet<SitePath>,
    /// Every file published by copying: (source, output path).
    copy_list: Vec<(PathBuf, SitePath)>,
    shape: Shape,
    /// The search index is out of date (see [`Session::finish`]).
    search_index_stale: bool,
}

/// The content files a rebuild read again, and the pages they give.
struct Reloaded {
    /// The content files read again (relative to the site root).
    owners: BTreeSet<PathBuf>,
    /// Every page, with theirs replaced, added or removed.
    pages: BTreeMap<PathBuf, Arc<Page>>,
    /// A page came or went.
    added_or_removed: bool,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// URL paths (not encoded) of the pages whose HTML changed, appeared or went away.
    pub pages: BTreeSet<String>,
    /// How many pages were rendered to find them.
    pub rendered: usize,
    /// Static files copied or removed.
    pub copied: usize,
    /// Everything was reloaded and rendered (site.yaml, templates, or the site's shape changed).
    pub full: bool,
    pub elapsed: Duration,
}

impl Session {
    /// Builds the whole site into `opts`'s output and keeps it for [`Session::rebuild`]; of
    /// `run`, only the timings are heard.
    pub fn open(mut opts: BuildOptions, mut run: RunControl) -> Result<(Session, BuildReport)> {
        run.record_digests = true;
        // Rebuilds render pages again: their bodies must stay.
        run.one_shot = false;
        opts.now = Utc::now();
        let started = Instant::now();
        let config = load_config(&opts)?;
        let loaded = content::load(&opts.root, &config)?;
        let pages: BTreeMap<PathBuf, Arc<Page>> = loaded
            .pages
            .into_iter()
            .map(|p| (p.source.clone(), p))
            .collect();
        let site = Site::new(
            config.clone(),
            pages.values().cloned().collect(),
            opts.selection(),
        );
        let templates = Templates::load(&opts.root, &site.config)?;
        let staging = Staging::new(&opts.output_dir())?;
        let published = publish(&opts, &run, &site, templates, staging, &run.timer())?;
        let copied = published.copied.iter().map(|(_, to)| to.clone()).collect();
        let copy_list = published.copied.clone();
        let report = BuildReport::new(&opts, &site, published, loaded.warnings, started);
        let session = Session {
            shape: Shape::of(&site),
            output: InPlace::new(opts.output_dir()),
            opts,
            run,
            config,
            pages,
            digests: report.digests.clone(),
            copies: copied,
            copy_list,
            search_index_stale: false,
        };
        Ok((session, report))
    }

    /// Brings the output up to date with the changed source files (relative to the site
    /// root). On error nothing was written and the session is as before.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuild> {
        let started = Instant::now();
        let changed = &self.expand_folders(changed)?;
        self.opts.now = Utc::now();
        if changed
            .iter()
            .any(|p| needs_full_rebuild(p, &self.config.theme))
        {
            return self.full(started);
        }
        let mut result = Rebuild::default();

        // Read every changed content file first, so an error changes nothing.
        let Reloaded {
            owners,
            pages,
            added_or_removed,
        } = self.reload(changed)?;

        let timer = self.run.timer();
        let site = Site::new(
            self.config.clone(),
            pages.values().cloned().collect(),
            self.opts.selection(),
        );
        timer.mark("model");
        let renderer = Renderer::new(&self.opts.root, &site)?;
        timer.mark("renderer");
        let jobs = renderer.jobs();
        // Which page lands where can only change when a page comes, goes, moves or gains
        // files, or a static file changes; otherwise the last check still holds.
        let same_places = !added_or_removed && self.same_places(changed, &owners, &pages);
        let copies = if same_places {
            self.copy_list.clone()
        } else {
            claim_paths(&self.opts.root, &site, &jobs)?
        };
        timer.mark("claim paths");
        let shape = Shape::of(&site);
        let everything = added_or_removed || shape != self.shape;
        let selected: Vec<Job> = if everything {
            jobs.clone()
        } else {
            affected_jobs(&site, &self.pages, &owners)
        };
        // The search index covers every post and takes longest: it is brought up to date by
        // `finish`, after the pages a browser is waiting for.
        let selected: Vec<Job> = selected
            .into_iter()
            .filter(|j| *j != Job::SearchIndex)
            .collect();
        self.search_index_stale |= !owners.is_empty();

        let rendered: Vec<(String, SitePath, u64, Vec<u8>)> = selected
            .par_iter()
            .map_init(
                || renderer.context(),
                |ctx, &job| {
                    let html = renderer.render_in(ctx, job)?;
                    let file =
                        render::job_file(&site, job).map_err(|r| refused_job(&site, job, r))?;
                    Ok((render::job_path(&site, job), file, digest(&[&html]), html))
                },
            )
            .collect::<Result<_>>()?;

        timer.mark("render");
        // Everything rendered: now write.
        result.rendered = rendered.len();
        for (path, file, d, html) in rendered {
            let url = format!("/{path}");
            if self.digests.get(&url) != Some(&d) {
                self.output.write(&file, &html)?;
                result.pages.insert(url.clone());
            }
            self.digests.insert(url, d);
        }
        if everything {
            result.pages.extend(self.remove_gone_pages(&site, &jobs)?);
        }
        result.copied = self.sync_copies(changed, &copies)?;
        self.copy_list = copies;
        self.pages = pages;
        self.shape = shape;
        result.elapsed = started.elapsed();
        Ok(result)
    }

    /// Reads the content files that `changed` (relative to the site root) belong to, again:
    /// the session's pages with those replaced, added or removed.
    fn reload(&self, changed: &[PathBuf]) -> Result<Reloaded> {
        let owners: BTreeSet<PathBuf> = changed
            .iter()
            .filter_map(|p| content::owner_of(&self.opts.root, p))
            .collect();
        let mut reloaded = Vec::new();
        for owner in &owners {
            reloaded.push((
                owner,
                content::load_one(&self.opts.root, owner, &self.config)?,
            ));
        }
        let mut pages = self.pages.clone();
        let mut added_or_removed = false;
        for (owner, page) in reloaded {
            match page {
                Some(p) => added_or_removed |= pages.insert(owner.clone(), Arc::new(p)).is_none(),
                None => added_or_removed |= pages.remove(owner).is_some(),
            }
        }
        Ok(Reloaded {
            owners,
            pages,
            added_or_removed,
        })
    }

    /// Whether every page of `pages` is published where it was, with the same files, when
    /// only the content files `owners` (of the sources `changed`) were read again.
    fn same_places(
        &self,
        changed: &[PathBuf],
        owners: &BTreeSet<PathBuf>,
        pages: &BTreeMap<PathBuf, Arc<Page>>,
    ) -> bool {
        changed.iter().all(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".md") || name.ends_with(".comments.yaml")
        }) && owners
            .iter()
            .all(|o| match (self.pages.get(o), pages.get(o)) {
                (Some(a), Some(b)) => {
                    a.path == b.path && a.assets == b.assets && a.aliases == b.aliases
                }
                _ => false,
            })
    }

    /// Removes the pages the session wrote that none of `jobs` of `site` publishes any more;
    /// returns their URL paths.
    fn remove_gone_pages(&mut self, site: &Site, jobs: &[Job]) -> Result<Vec<String>> {
        let live: BTreeSet<String> = jobs
            .iter()
            .map(|&j| format!("/{}", render::job_path(site, j)))
            .collect();
        let gone: Vec<String> = self
            .digests
            .keys()
            .filter(|u| !live.contains(*u))
            .cloned()
            .collect();
        for url in &gone {
            self.remove_page(url)?;
            self.digests.remove(url);
        }
        Ok(gone)
    }

    /// The work [`Session::rebuild`] left for later, if any: the search index, which covers
    /// every post and takes longest. It may run on another thread while the session goes on;
    /// until it has run, the output differs from a full build in that one file.
    pub fn take_deferred(&mut self) -> Option<Deferred> {
        if !std::mem::take(&mut self.search_index_stale) {
            return None;
        }
        // A later rebuild recomputes it; its digest is no longer known.
        self.digests.remove(&format!("/{}", layout::SEARCH_INDEX));
        Some(Deferred {
            root: self.opts.root.clone(),
            output: self.output.clone(),
            selection: self.opts.selection(),
            config: self.config.clone(),
            pages: self.pages.values().cloned().collect(),
        })
    }

    /// A watcher may report a new folder without the files already in it, or a removed
    /// folder without its files: list them.
    fn expand_folders(&self, changed: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let mut all = Vec::with_capacity(changed.len());
        for rel in changed {
            let abs = self.opts.root.join(rel);
            if abs.is_dir() {
                for (_, inner) in crate::fsutil::files_below(&abs)? {
                    all.push(rel.join(inner));
                }
            } else if !abs.exists() {
                all.extend(
                    self.pages
                        .keys()
                        .filter(|src| src.starts_with(rel) && *src != rel)
                        .cloned(),
                );
            }
            all.push(rel.clone());
        }
        Ok(all)
    }

    /// Reloads everything and publishes the whole site again (atomically).
    fn full(&mut self, started: Instant) -> Result<Rebuild> {
        let (fresh, report) = Session::open(self.opts.clone(), self.run.clone())?;
        let mut pages: BTreeSet<String> = report
            .digests
            .iter()
            .filter(|(url, d)| self.digests.get(*url) != Some(*d))
            .map(|(url, _)| url.clone())
            .collect();
        pages.extend(
            self.digests
                .keys()
                .filter(|u| !report.digests.contains_key(*u))
                .cloned(),
        );
        *self = fresh;
        Ok(Rebuild {
            pages,
            rendered: report.pages_written,
            copied: report.files_copied,
            full: true,
            elapsed: started.elapsed(),
        })
    }

    /// Brings the copied files (static files, bundle files) in line with `copies`, every
    /// (source, output path) the site now publishes by copying: new ones and those whose
    /// source is among `changed` are copied, those no longer published removed.
    fn sync_copies(
        &mut self,
        changed: &[PathBuf],
        copies: &[(PathBuf, SitePath)],
    ) -> Result<usize> {
        let root = &self.opts.root;
        let changed_sources: HashSet<PathBuf> = changed.iter().map(|r| root.join(r)).collect();
        // A static file that changed, appeared or went away may hand its output path to the
        // theme's file of the same name (or take it back).
        let changed_outputs: HashSet<String> = changed
            .iter()
            .filter_map(|r| static_output_path(r, &self.config.theme))
            .collect();
        let mut count = 0;
        for (from, to) in copies {
            if !self.copies.contains(to)
                || changed_sources.contains(from)
                || changed_outputs.contains(to.as_str())
            {
                self.output.copy(from, to)?;
                count += 1;
            }
        }
        let now: BTreeSet<SitePath> = copies.iter().map(|(_, to)| to.clone()).collect();
        for gone in self.copies.difference(&now) {
            self.output.remove(gone)?;
            count += 1;
        }
        self.copies = now;
        Ok(count)
    }

    /// Removes the page at `url` from the output.
    fn remove_page(&self, url: &str) -> Result<()> {
        // (Every page written was at a `SitePath`: one that is not was never written.)
        match SitePath::new(url.trim_start_matches('/')) {
            Ok(path) => self.output.remove(&path.file()),
            Err(_) => Ok(()),
        }
    }
}

/// Work left by a rebuild for later: a snapshot of the site to write the search index from.
pub struct Deferred {
    root: PathBuf,
    output: InPlace,
    selection: Selection,
    config: Config,
    pages: Vec<Arc<Page>>,
}

impl Deferred {
    /// Writes the search index of the snapshot, using one thread (the other cores stay free
    /// for the browser that is reloading).
    pub fn run(self) -> Result<()> {
        let site = Site::new(self.config, self.pages, self.selection);
        let renderer = Renderer::new(&self.root, &site)?;
        let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
        let bytes = match one_thread {
            Some(pool) => pool.install(|| renderer.render(Job::SearchIndex))?,
            None => renderer.render(Job::SearchIndex)?,
        };
        self.output.write(&layout::search_index(), &bytes)
    }
}

/// site.yaml and templates change what every page is; theme static files do not.
fn needs_full_rebuild(rel: &Path, theme: &str) -> bool {
    rel == Path::new(CONFIG_FILE)
        || rel.starts_with("templates")
        || (rel.starts_with("themes") && static_output_path(rel, theme).is_none())
}

/// Where a static file is published: `static/a.css` and `themes/<theme>/static/a.css` → `a.css`.
fn static_output_path(rel: &Path, theme: &str) -> Option<String> {
    let inner = rel
        .strip_prefix("static")
        .or_else(|_| rel.strip_prefix(Path::new("themes").join(theme).join("static")))
        .ok()?;
    Some(inner.to_string_lossy().replace('\\', "/"))
}
