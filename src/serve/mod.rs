//! `ilji serve`: build, serve the result over HTTP, watch the sources, rebuild on change and
//! tell open pages to reload. Serve wraps build; the build knows nothing of HTTP.
//!
//! Layout: [`http`] answers requests, [`watch`] turns file events into batches, [`reload`]
//! carries "this rebuild changed these pages" to the browsers.

pub mod http;
pub mod reload;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Condvar, Mutex};

use crate::build::BuildOptions;
use crate::error::{Diagnostic, Error, Result};
use crate::session::{Deferred, Rebuild, Session};
use reload::{Change, Signal};
use watch::{Message, Watcher};

/// What `ilji serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
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
    let preview = Arc::clone(preview);
    std::thread::spawn(move || {
        let serial = preview.index.running.lock();
        if let Err(e) = deferred.run() {
            preview.set_error(Some(e.to_string()));
        }
        drop(serial);
        preview.index.end();
    });
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
pub fn serve(
    opts: &ServeOptions,
    log: &mut dyn FnMut(&str),
    on_ready: impl FnOnce(&str, Sender<Message>),
) -> Result<()> {
    let output = preview_dir()?;
    let _cleanup = RemoveOnDrop(output.clone());
    let preview = Arc::new(Preview {
        output: output.clone(),
        signal: Signal::default(),
        index: Gate::default(),
        error: Mutex::new(None),
    });
    let build_opts = BuildOptions {
        output: Some(output.clone()),
        drafts: opts.drafts,
        future: false,
        ..BuildOptions::new(&opts.root)
    };

    let mut session = None;
    match Session::open(build_opts.clone()) {
        Ok((opened, report)) => {
            log(&format!(
                "built {} pages ({} posts) in {} ms",
                report.pages_written,
                report.posts,
                report.elapsed.as_millis()
            ));
            session = Some(opened);
        }
        Err(e) => {
            preview.set_error(Some(e.to_string()));
            log(&e.to_string());
        }
    }

    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = listen(addr).map_err(|e| listen_error(addr, &e))?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| listen_error(addr, &std::io::Error::other(e.to_string())))?;
    let local = server
        .server_addr()
        .to_ip()
        .map_or_else(|| addr.to_string(), |a| a.to_string());
    let url = format!("http://{local}/");
    if !opts.bind.is_loopback() {
        log(&format!(
            "warning: serving on {} makes the preview (drafts included) reachable from other machines",
            opts.bind
        ));
    }
    spawn_http(Arc::new(server), &preview);

    let (tx, rx) = channel();
    let _watcher = Watcher::start(&opts.root, tx.clone())?;
    log(&format!("serving {url} (Ctrl-C stops)"));
    on_ready(&url, tx);

    while let Ok(message) = rx.recv() {
        let Message::Changed(paths) = message else {
            break;
        };
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let result = match session.as_mut() {
            Some(s) => s.rebuild(&paths),
            // The first build failed: try again from scratch.
            None => Session::open(build_opts.clone()).map(|(opened, report)| {
                session = Some(opened);
                Rebuild {
                    pages: report.digests.into_keys().collect(),
                    rendered: report.pages_written,
                    full: true,
                    elapsed: report.elapsed,
                    ..Rebuild::default()
                }
            }),
        };
        match result {
            Ok(rebuild) => {
                let was_broken = preview.error().is_some();
                preview.set_error(None);
                let change = change_for(&rebuild, &paths, was_broken);
                // The search index is marked as being rebuilt before anyone hears of this
                // rebuild, so nobody can fetch the old one in between.
                let deferred = session.as_mut().and_then(Session::take_deferred);
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
                    spawn_deferred(&preview, deferred);
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
    log("stopped");
    Ok(())
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

fn spawn_http(server: Arc<tiny_http::Server>, preview: &Arc<Preview>) {
    let preview = Arc::clone(preview);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let preview = Arc::clone(&preview);
            // One thread a request: polls wait for minutes, pages must not wait for them.
            std::thread::spawn(move || http::handle(&preview, request));
        }
    });
}

/// A listening socket with TCP_NODELAY, which accepted connections inherit: tiny_http writes
/// a response's headers and body separately, and without it the body of a second request
/// on a kept-alive connection waits ~40 ms for the browser's delayed ACK.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
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

/// A fresh folder for the preview's output: never `public/`, so that `ilji build`'s output
/// is not overwritten by pages carrying the reload script.
fn preview_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("ilji-serve-{}", std::process::id()));
    if dir.exists() {
        crate::output::remove_tree(&dir).map_err(|e| Error::io(&dir, &e))?;
    }
    Ok(dir)
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = crate::output::remove_tree(&self.0);
        let _ = remove_staging_leftovers(&self.0);
    }
}

fn remove_staging_leftovers(output: &Path) -> std::io::Result<()> {
    let Some(parent) = output.parent() else {
        return Ok(());
    };
    let Some(name) = output.file_name().and_then(|n| n.to_str()) else {
        return Ok(());
    };
    for entry in std::fs::read_dir(parent)? {
        let entry = entry?;
        if entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&format!(".{name}.ilji-")))
        {
            let _ = crate::output::remove_tree(&entry.path());
        }
    }
    Ok(())
}
