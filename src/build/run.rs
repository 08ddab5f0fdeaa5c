//! Run control: how one build is driven and watched, kept apart from what it builds
//! ([`super::BuildOptions`]). Whoever starts a build may stop it (a flag Ctrl-C sets), count
//! its pages (for a progress bar) and hear how long each phase took.
//!
//! The library neither reads the environment nor prints: the binary decides all of this and
//! shows what it hears.

use std::cell::Cell;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Result};

/// Hears each phase of a build as it ends, with how long it took.
pub type PhaseLog = dyn Fn(&str, Duration) + Send + Sync;

/// How a build runs, beside what it builds.
#[derive(Clone, Default)]
pub struct RunControl {
    /// Set (by Ctrl-C, in `ilji build`) to stop the build before its next page: it then fails
    /// like any other, cleaning up and leaving the output as it was.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// Counts the pages as they are rendered, for a progress bar.
    pub progress: Option<Arc<Progress>>,
    /// Hears each phase's time (`ilji build --verbose` prints them).
    pub timings: Option<Arc<PhaseLog>>,
    /// The process ends after this build (the `ilji build` command): each post's body is
    /// freed as soon as its page is written, and the site is left to the operating system at
    /// exit instead of being freed piece by piece.
    pub one_shot: bool,
    /// Record a digest of every page written (for `serve`, to tell which pages changed).
    pub record_digests: bool,
}

impl fmt::Debug for RunControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunControl")
            .field("interrupt", &self.interrupt)
            .field("progress", &self.progress)
            .field("timings", &self.timings.is_some())
            .field("one_shot", &self.one_shot)
            .field("record_digests", &self.record_digests)
            .finish()
    }
}

impl RunControl {
    /// An error, naming the build's output (`output`), once the build has been interrupted.
    pub(crate) fn check_interrupt(&self, output: impl FnOnce() -> PathBuf) -> Result<()> {
        match &self.interrupt {
            Some(flag) if flag.load(Ordering::Relaxed) => {
                Err(Diagnostic::new(output(), "the build was interrupted").into())
            }
            _ => Ok(()),
        }
    }

    /// The build has `total` pages to render.
    pub(crate) fn pages_to_render(&self, total: usize) {
        if let Some(p) = &self.progress {
            p.total.store(total, Ordering::Relaxed);
        }
    }

    /// One more page was written.
    pub(crate) fn page_written(&self) {
        if let Some(p) = &self.progress {
            p.done.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A timer of the phases of one build, from now.
    pub(crate) fn timer(&self) -> PhaseTimer<'_> {
        PhaseTimer {
            log: self.timings.as_deref(),
            last: Cell::new(Instant::now()),
        }
    }
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

/// Tells [`RunControl::timings`] how long each phase took since the one before.
pub(crate) struct PhaseTimer<'a> {
    log: Option<&'a PhaseLog>,
    last: Cell<Instant>,
}

impl PhaseTimer<'_> {
    pub(crate) fn mark(&self, phase: &str) {
        if let Some(log) = self.log {
            log(phase, self.last.get().elapsed());
            self.last.set(Instant::now());
        }
    }
}
