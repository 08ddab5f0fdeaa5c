//! `ilji build` as one short pipeline: config → content → site → render → output.
//!
//! [`BuildOptions`] say what to build; [`RunControl`] how the run is driven and watched.
//! The steps: [`claims`] gives every published path one origin, [`publish`] renders and
//! writes through the output's staging folder, [`run`] holds the run control.

mod claims;
mod publish;
mod run;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::output::Staging;
use crate::render::Templates;
use crate::site::{Scheduled, Selection, Site};

pub(crate) use claims::{claim_paths, refused_job};
pub(crate) use publish::{digest, publish, Published};
pub use run::{PhaseLog, Progress, RunControl};

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
            .unwrap_or_else(|| self.root.join(crate::output::DEFAULT_DIR))
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
    /// With [`RunControl::record_digests`]: each page's root-relative URL path (not encoded, e.g.
    /// `/posts/가/`) and a digest of its HTML.
    pub digests: HashMap<String, u64>,
}

/// Builds the site; on any error the previous output is left untouched.
pub fn build(opts: &BuildOptions, run: &RunControl) -> Result<BuildReport> {
    let started = Instant::now();
    let config = load_config(opts)?;
    let timer = run.timer();
    // First, so that a spare output is listed while the content is read.
    let staging = Staging::new(&opts.output_dir())?;
    // The templates are read and parsed beside the content (errors in the content first).
    let (content, templates) = rayon::join(
        || crate::content::load(&opts.root, &config),
        || Templates::load(&opts.root, &config),
    );
    let content = content?;
    let templates = templates?;
    run.check_interrupt(|| opts.output_dir())?;
    timer.mark("content and templates");
    let site = Site::new(config, content.pages, opts.selection());
    timer.mark("site model");
    let published = publish(opts, run, &site, templates, staging, &timer)?;
    let report = BuildReport::new(opts, &site, published, content.warnings, started);
    if run.one_shot {
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
