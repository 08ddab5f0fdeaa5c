//! `ilji serve`: build, serve the result over HTTP, watch the sources, rebuild on change and
//! tell open pages to reload. Serve wraps build; the build knows nothing of HTTP.
//!
//! Layout: [`server`] takes connections and requests within limits, [`http`] answers them,
//! [`watch`] turns file events into batches, [`reload`] carries "this rebuild changed these
//! pages" to the browsers.

pub mod http;
pub mod reload;
pub mod server;
pub mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Condvar, Mutex};

use crate::build::{BuildOptions, BuildReport, PhaseLog, RunControl};
use crate::error::{Diagnostic, Error, Result};
use crate::output::beside;
use crate::session::{Deferred, Rebuild, Session};
use reload::{Change, Signal};
use server::{Limits, Server};
use watch::{Message, Watcher};

/// Polls that may wait at once (each holds a connection and its thread).
const MAX_WAITING_POLLS: usize = 64;

/// What `ilji serve` was asked for.
#[derive(Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    /// Where the preview's output folder goes (the system's temporary folder).
    pub temp_dir: PathBuf,
    /// Hears the phase times of every build and rebuild.
    pub timings: Option<Arc<PhaseLog>>,
}

/// What the HTTP side reads: where the site is, the reload signal, the current error.
pub struct Preview {
    pub output: PathBuf,
    pub signal: Signal,
    /// Whether the search index awaits its rebuild; requests for it wait until it is done.
    pub index: Gate,
    error: Mutex<Option<String>>,
}

/// Counts deferred jobs (search index rebuilds) under way; readers of their output wait
/// until none is. Jobs run one at a time, in order.
#[derive(Default)]
pub struct Gate {
    pending: Mutex<u64>,
    done: Condvar,
    /// Held while a job runs, so that jobs never overlap or finish out of order.
    running: Mutex<()>,
}

impl Gate {
    fn begin(&self) {
        if let Ok(mut n) = self.pending.lock() {
            *n += 1;
        }
    }

    fn end(&self) {
        if let Ok(mut n) = self.pending.lock() {
            *n = n.saturating_sub(1);
        }
        self.done.notify_all();
    }

    /// Waits until no job is pending, at most `timeout`.
    pub fn wait(&self, timeout: std::time::Duration) {
        if let Ok(guard) = self.pending.lock() {
            let _ = self.done.wait_timeout_while(guard, timeout, |n| *n > 0);
        }
    }
}

/// Runs `deferred` on its own thread after the pages (the caller has called
/// `preview.index.begin()`); an error shows like a build error.
fn spawn_deferred(preview: &Arc<Preview>, deferred: Deferred) {
    let run = |preview: &Preview, deferred: Deferred| {
        let serial = preview.index.running.lock();
        if let Err(e) = deferred.run() {
            preview.set_error(Some(e.to_string()));
        }
        drop(serial);
        preview.index.end();
    };
    // Kept here until the thread takes it, so that it still runs if no thread can be had.
    let job = Arc::new(Mutex::new(Some(deferred)));
    let (thread_preview, thread_job) = (Arc::clone(preview), Arc::clone(&job));
    let spawned = std::thread::Builder::new().spawn(move || {
        if let Some(deferred) = take(&thread_job) {
            run(&thread_preview, deferred);
        }
    });
    if spawned.is_err() {
        if let Some(deferred) = take(&job) {
            run(preview, deferred);
        }
    }
}

fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().ok().and_then(|mut s| s.take())
}

impl Preview {
    /// The text of the last build's error, while the site is broken.
    pub fn error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    fn set_error(&self, error: Option<String>) {
        if let Ok(mut e) = self.error.lock() {
            *e = error;
        }
    }
}

/// Runs the preview until [`Message::Stop`] arrives on the sender handed to `on_ready`
/// (with the preview's URL) once it is serving; `log` hears every line to show the writer.
/// Whether a line of the preview's log tells of a problem: an error, a rebuild that failed
/// (`changed a.md → error: …`) or a warning. These are what `--quiet` still prints.
pub fn is_problem(line: &str) -> bool {
    line.starts_with("error") || line.starts_with("warning") || line.contains(" → error")
}

pub fn serve(
    opts: &ServeOptions,
    log: &mut dyn FnMut(&str),
    on_ready: impl FnOnce(&str, Sender<Message>),
) -> Result<()> {
    let output = preview_dir(&opts.temp_dir)?;
    let _cleanup = RemoveOnDrop(output.clone());
    let limits = Limits::for_this_process();
    let preview = Arc::new(Preview {
        output: output.clone(),
        // Waiting polls hold connections: most are left for the pages.
        signal: Signal::new((limits.max_connections / 4).min(MAX_WAITING_POLLS)),
        index: Gate::default(),
        error: Mutex::new(None),
    });
    let mut site = Previewed {
        session: None,
        opts: BuildOptions {
            output: Some(output.clone()),
            drafts: opts.drafts,
            future: false,
            ..BuildOptions::new(&opts.root)
        },
        run: RunControl {
            timings: opts.timings.clone(),
            ..RunControl::default()
        },
    };
    match site.open() {
        Ok(report) => log(&format!(
            "built {} ({}) in {} ms",
            crate::text::plural(report.pages_written, "page", "pages"),
            crate::text::plural(report.posts, "post", "posts"),
            report.elapsed.as_millis()
        )),
        Err(e) => {
            preview.set_error(Some(e.to_string()));
            log(&e.to_string());
        }
    }

    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = listen(addr).map_err(|e| listen_error(addr, &e))?;
    let (tx, rx) = channel();
    // Serves until dropped, when this function returns.
    let http_server =
        start_http(listener, limits, &preview, tx.clone()).map_err(|e| listen_error(addr, &e))?;
    let url = format!("http://{}/", http_server.local_addr());
    if !opts.bind.is_loopback() {
        log(&format!(
            "warning: serving on {} makes the preview (drafts included) reachable from other machines",
            opts.bind
        ));
    }

    let _watcher = Watcher::start(&opts.root, tx.clone())?;
    log(&format!("serving {url} (Ctrl-C stops)"));
    on_ready(&url, tx);

    while let Ok(message) = rx.recv() {
        let paths = match message {
            Message::Changed(paths) => paths,
            Message::Log(line) => {
                log(&line);
                continue;
            }
            Message::Stop => break,
        };
        rebuild_and_tell(&mut site, &preview, &paths, log);
    }
    log("stopped");
    Ok(())
}

/// The previewed site: its session once a build has succeeded, and how to open one.
struct Previewed {
    session: Option<Session>,
    opts: BuildOptions,
    run: RunControl,
}

impl Previewed {
    /// Builds the whole site into the preview's output, keeping the session.
    fn open(&mut self) -> Result<BuildReport> {
        let (opened, report) = Session::open(self.opts.clone(), self.run.clone())?;
        self.session = Some(opened);
        Ok(report)
    }

    /// Brings the output up to date with the changed sources `paths`; from scratch while
    /// no build has succeeded yet.
    fn rebuild(&mut self, paths: &[PathBuf]) -> Result<Rebuild> {
        match self.session.as_mut() {
            Some(s) => s.rebuild(paths),
            None => self.open().map(|report| Rebuild {
                pages: report.digests.into_keys().collect(),
                rendered: report.pages_written,
                full: true,
                elapsed: report.elapsed,
                ..Rebuild::default()
            }),
        }
    }
}

/// Rebuilds `site` for the changed sources `paths`, then tells the pages what changed (or
/// shows them the error) and the writer, through `log`, what happened.
fn rebuild_and_tell(
    site: &mut Previewed,
    preview: &Arc<Preview>,
    paths: &[PathBuf],
    log: &mut dyn FnMut(&str),
) {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    match site.rebuild(paths) {
        Ok(rebuild) => {
            let was_broken = preview.error().is_some();
            preview.set_error(None);
            let change = change_for(&rebuild, paths, was_broken);
            // The search index is marked as being rebuilt before anyone hears of this
            // rebuild, so nobody can fetch the old one in between.
            let deferred = site.session.as_mut().and_then(Session::take_deferred);
            if deferred.is_some() {
                preview.index.begin();
            }
            log(&format!(
                "changed {} → {} page(s) rendered, {} changed{}, in {} ms",
                names.join(", "),
                rebuild.rendered,
                rebuild.pages.len(),
                if change.css_only {
                    ", stylesheet swapped"
                } else {
                    ""
                },
                rebuild.elapsed.as_millis()
            ));
            preview.signal.publish(change);
            if let Some(deferred) = deferred {
                spawn_deferred(preview, deferred);
            }
        }
        Err(e) => {
            // The overlay is in place before the terminal says so.
            preview.set_error(Some(e.to_string()));
            log(&format!("changed {} → {e}", names.join(", ")));
            preview.signal.publish(Change {
                all: true,
                ..Change::default()
            });
        }
    }
}

/// What a rebuild changed, for the pages: those whose HTML differs, everything when the
/// site just recovered from an error, a stylesheet swap when only CSS changed.
fn change_for(rebuild: &Rebuild, sources: &[PathBuf], was_broken: bool) -> Change {
    let css_only = rebuild.pages.is_empty()
        && rebuild.copied > 0
        && sources
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
    Change {
        all: was_broken,
        css_only,
        pages: rebuild.pages.clone(),
    }
}

/// Serves the preview on `listener`; what the server has to tell the writer goes through
/// the preview loop's channel.
fn start_http(
    listener: std::net::TcpListener,
    limits: Limits,
    preview: &Arc<Preview>,
    tx: Sender<Message>,
) -> std::io::Result<Server> {
    let preview = Arc::clone(preview);
    Server::start(
        listener,
        limits,
        Box::new(move |request, client| http::handle(&preview, request, client)),
        Box::new(move |line| {
            let _ = tx.send(Message::Log(line));
        }),
    )
}

/// A listening socket. Its address is reused at once, so that a restarted preview gets the
/// port its open pages poll.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    // Room for a burst of connections while the accept thread is busy or paused.
    socket.listen(1024)?;
    Ok(socket.into())
}

fn listen_error(addr: SocketAddr, e: &std::io::Error) -> Error {
    let in_use = e.kind() == std::io::ErrorKind::AddrInUse;
    let (message, help) = if in_use {
        (
            format!("port {} is already in use", addr.port()),
            "stop the other program, or pass another port: ilji serve --port 4001",
        )
    } else {
        (
            format!("cannot listen on {addr}: {e}"),
            "pass an address of this machine with --bind, e.g. 127.0.0.1",
        )
    };
    Diagnostic::new("--port", message).help(help).into()
}

/// The prefix of preview folders in the temporary folder; the process id follows.
const PREVIEW_PREFIX: &str = "ilji-serve-";

/// A fresh folder for the preview's output in `tmp`: never `public/`, so that `ilji build`'s
/// output is not overwritten by pages carrying the reload script. The folders of previews
/// that ended without removing theirs (killed, or aborted) are swept first.
fn preview_dir(tmp: &Path) -> Result<PathBuf> {
    sweep_dead_previews(tmp);
    let dir = tmp.join(format!("{PREVIEW_PREFIX}{}", std::process::id()));
    beside::remove_with_leftovers(&dir)?;
    Ok(dir)
}

/// Removes the preview folders (`ilji-serve-<pid>`) of processes that no longer run, and the
/// folders their builds kept beside them. Best effort: a preview does not fail over a folder
/// it cannot remove.
fn sweep_dead_previews(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    let dead: BTreeSet<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let pid = name.to_str().and_then(preview_pid)?;
            beside::process_ended(pid).then(|| format!("{PREVIEW_PREFIX}{pid}"))
        })
        .collect();
    for preview in dead {
        let _ = beside::remove_with_leftovers(&tmp.join(preview));
    }
}

/// The process id in the name of a preview folder or of a folder its builds keep beside it.
fn preview_pid(name: &str) -> Option<&str> {
    let preview = beside::output_of(name).unwrap_or(name);
    let pid = preview.strip_prefix(PREVIEW_PREFIX)?;
    beside::is_process_id(pid).then_some(pid)
}

/// Removes the preview's output, and what its builds kept beside it, when the preview ends.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = beside::remove_with_leftovers(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_folders_are_told_by_their_process_id() {
        assert_eq!(preview_pid("ilji-serve-123"), Some("123"));
        assert_eq!(preview_pid(".ilji-serve-123.ilji-spare"), Some("123"));
        assert_eq!(preview_pid(".ilji-serve-123.ilji-staging-9"), Some("123"));
        for other in [
            "ilji-serve-",
            "ilji-serve-12a",
            "ilji-serve-notes",
            ".ilji-serve-123",
            ".ilji-serve-.ilji-spare",
            "public",
            "ilji-secret-1.txt",
        ] {
            assert_eq!(preview_pid(other), None, "{other}");
        }
    }
}
