//! Watching the site's sources (notify) and turning an editor's burst of file events into
//! one list of changed source files.
//!
//! Pure classification lives in [`relevant`] and [`Batch`]; only [`Watcher`] touches the OS.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::error::{Diagnostic, Error, Result};

/// Quiet time that ends a burst of events (an editor's save is several).
const DEBOUNCE: Duration = Duration::from_millis(15);
/// A burst never delays a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_millis(300);

/// What the preview loop hears.
pub enum Message {
    /// Source files changed (paths relative to the site root).
    Changed(Vec<PathBuf>),
    /// Ctrl-C.
    Stop,
    /// A line for the writer from another thread (the HTTP server's accept errors).
    Log(String),
}

/// Folders whose files are sources; `site.yaml` sits in the root.
const WATCHED_DIRS: [&str; 4] = ["content", "static", "templates", "themes"];

/// Watches the site at `root`, sending [`Message::Changed`] batches to `tx`.
pub struct Watcher {
    _inner: Arc<Mutex<notify::RecommendedWatcher>>,
}

impl Watcher {
    pub fn start(root: &Path, tx: Sender<Message>) -> Result<Watcher> {
        let root_abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let (raw_tx, raw_rx) = std::sync::mpsc::channel::<PathBuf>();
        let mut inner = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                if !is_edit(&event.kind) {
                    return;
                }
                for path in event.paths {
                    let _ = raw_tx.send(path);
                }
            }
        })
        .map_err(|e| watch_error(root, &e))?;
        // The root itself, not recursively: site.yaml, and folders created later.
        inner
            .watch(&root_abs, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, &e))?;
        for dir in WATCHED_DIRS {
            let dir = root_abs.join(dir);
            if dir.is_dir() {
                inner
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(&dir, &e))?;
            }
        }
        let inner = Arc::new(Mutex::new(inner));
        let watcher = Arc::clone(&inner);
        let thread_root = root_abs.clone();
        std::thread::Builder::new()
            .name("ilji-watch".into())
            .spawn(move || debounce(&thread_root, &raw_rx, &tx, &watcher))
            .map_err(|e| {
                Error::from(Diagnostic::new(
                    root,
                    format!("cannot start watching for changes: {e}"),
                ))
            })?;
        Ok(Watcher { _inner: inner })
    }
}

/// Whether an event changes a file's content or existence; reads (our own build reading the
/// sources) and metadata-only changes are not edits.
fn is_edit(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Any
    )
}

fn watch_error(path: &Path, e: &notify::Error) -> Error {
    Diagnostic::new(path, format!("cannot watch for changes: {e}"))
        .help("check the folder exists; on Linux, raise fs.inotify.max_user_watches if it is exhausted")
        .into()
}

/// Collects raw events into batches separated by quiet time, forwarding relevant ones; a
/// watched folder created after the start (say `templates/`) is watched from then on.
fn debounce(
    root: &Path,
    raw: &Receiver<PathBuf>,
    tx: &Sender<Message>,
    watcher: &Mutex<notify::RecommendedWatcher>,
) {
    let watch_new_dir = |path: &Path| {
        let is_new_source_dir = path.parent() == Some(root)
            && path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| WATCHED_DIRS.contains(&n))
            && path.is_dir();
        if is_new_source_dir {
            if let Ok(mut w) = watcher.lock() {
                let _ = w.watch(path, RecursiveMode::Recursive);
            }
        }
    };
    while let Ok(first) = raw.recv() {
        let mut batch = Batch::default();
        watch_new_dir(&first);
        batch.add(root, first);
        let started = Instant::now();
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed()).min(DEBOUNCE);
            match raw.recv_timeout(left) {
                Ok(path) => {
                    watch_new_dir(&path);
                    batch.add(root, path);
                    if started.elapsed() >= MAX_WAIT {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if !batch.paths.is_empty() && tx.send(Message::Changed(batch.paths)).is_err() {
            return;
        }
    }
}

/// One burst's changed sources, relative to the root, each once, in order of arrival.
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
}

impl Batch {
    pub fn add(&mut self, root: &Path, path: PathBuf) {
        let rel = path
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or(path);
        if relevant(&rel) && !self.paths.contains(&rel) {
            self.paths.push(rel);
        }
    }
}

/// Whether a changed path (relative to the site root) is a source of the site: under a
/// watched folder or `site.yaml`, and not an editor's temporary or swap file.
pub fn relevant(rel: &Path) -> bool {
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if crate::fsutil::is_ignored_name(name) || name.ends_with(".swo") || name == "4913" {
        return false;
    }
    if rel == Path::new(crate::config::CONFIG_FILE) {
        return true;
    }
    let first = rel.components().next().and_then(|c| c.as_os_str().to_str());
    first.is_some_and(|f| WATCHED_DIRS.contains(&f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_and_output_are_not_sources() {
        assert!(relevant(Path::new("content/posts/a.md")));
        assert!(relevant(Path::new("site.yaml")));
        assert!(relevant(Path::new("themes/default/static/style.css")));
        assert!(!relevant(Path::new("content/posts/.a.md.swp")));
        assert!(!relevant(Path::new("content/posts/a.md~")));
        assert!(!relevant(Path::new("content/posts/4913")));
        assert!(!relevant(Path::new("content/posts/#a.md#")));
        assert!(!relevant(Path::new("public/index.html")));
        assert!(!relevant(Path::new("target/debug/ilji")));
    }

    #[test]
    fn a_batch_lists_each_source_once() {
        let mut b = Batch::default();
        let root = Path::new("/site");
        b.add(root, PathBuf::from("/site/content/a.md"));
        b.add(root, PathBuf::from("/site/content/.a.md.swp"));
        b.add(root, PathBuf::from("/site/content/a.md"));
        assert_eq!(b.paths, vec![PathBuf::from("content/a.md")]);
    }
}
