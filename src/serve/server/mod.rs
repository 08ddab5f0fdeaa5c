//! The preview's HTTP/1.1 server over `std::net`: it accepts connections, reads request
//! heads within limits of size and time, keeps connections alive between requests and
//! writes the answers. What to answer is [`super::http`]'s job; this file never looks at
//! the site.
//!
//! It exists so that `ilji serve` cannot be knocked over from outside (issue 23). tiny_http,
//! which it replaced, aborted the process when it ran out of files, stopped accepting for
//! good after one accept error, kept held connections forever, spawned a thread per request
//! without limit and read request lines of any length into memory. Here:
//! - one accept thread, which pauses and carries on after any accept error (out of files:
//!   it also closes the connection idle the longest, to get a file back);
//! - one thread per connection, at most [`Limits::max_connections`] (derived from the
//!   process's open-file limit); at capacity the connection that has waited longest for a
//!   request head is closed to make room, and only when none waits is the newcomer answered
//!   503;
//! - a request head must arrive whole within [`HEAD_TIMEOUT`] of the connection starting to
//!   wait for it (idle keep-alive time included), with a request line of at most
//!   [`MAX_REQUEST_LINE`] bytes (414 beyond) and a head of at most [`MAX_HEAD`] bytes and
//!   [`MAX_HEADERS`] headers (431 beyond);
//! - only GET and HEAD are served; a request with a body is answered and its connection
//!   closed, since the body is never read;
//! - an answer must be taken within [`response::WRITE_TIMEOUT`] (more for a large one),
//!   however slowly the client reads.
//!
//! This file holds the accept loop and each connection's thread; [`head`] reads and parses
//! request heads, [`response`] writes answers, [`registry`] keeps the open connections under
//! the cap, [`peek`] looks at a connection without reading it.

mod head;
mod peek;
mod registry;
mod response;

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use head::{read_head, Method, NoHead};
pub use head::{HEAD_TIMEOUT, MAX_HEAD, MAX_HEADERS, MAX_REQUEST_LINE};
pub use peek::Client;
use registry::Connections;
use response::{encode, linger, refusal, write_response};
pub use response::{Request, Response};

/// A connection thread's stack: it reads files into the heap and keeps little on its own.
const STACK_SIZE: usize = 256 * 1024;
/// Open files left for the build, the watcher and the files being served.
const FILE_HEADROOM: u64 = 64;
/// Connections are capped here even when the file limit would allow more: a writer's
/// browser opens a handful.
const CONNECTION_CEILING: usize = 1024;
/// Fewer connections than this are never the cap, whatever the file limit says.
const CONNECTION_FLOOR: usize = 16;
/// How long the accept thread pauses after an accept error.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);
/// How long a newcomer to a full server may wait for room (see [`Connections::admit`]),
/// before it is answered 503.
const SLOT_WAIT: Duration = Duration::from_millis(100);
/// Accept errors closer together than this are one burst, reported once.
const BURST_GAP: Duration = Duration::from_secs(10);

/// How many connections the server holds at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    /// How long a newcomer to a full server may wait for room, before it is answered 503.
    pub slot_wait: Duration,
}

impl Limits {
    /// The cap that fits this process's open-file limit (`ulimit -n`), with headroom.
    pub fn for_this_process() -> Limits {
        let max_connections = match open_file_limit() {
            Some(files) => usize::try_from(files.saturating_sub(FILE_HEADROOM))
                .unwrap_or(CONNECTION_CEILING)
                .clamp(CONNECTION_FLOOR, CONNECTION_CEILING),
            None => CONNECTION_CEILING,
        };
        Limits {
            max_connections,
            slot_wait: SLOT_WAIT,
        }
    }
}

#[cfg(target_os = "linux")]
fn open_file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(target_os = "linux"))]
fn open_file_limit() -> Option<u64> {
    // Unknown: the macOS default.
    Some(256)
}

/// What answers requests.
pub type Handler = dyn Fn(&Request<'_>, &Client<'_>) -> Response + Send + Sync;

/// The running server. Dropping it stops it: no new connections are taken, and every open
/// connection is closed.
pub struct Server {
    shared: Arc<Shared>,
    local: SocketAddr,
}

/// What the accept thread and every connection's thread share.
struct Shared {
    handler: Box<Handler>,
    log: Box<dyn Fn(String) + Send + Sync>,
    connections: Connections,
    stop: AtomicBool,
}

impl Server {
    /// Serves `listener` on a thread of its own: `handler` answers requests, `log` hears
    /// what the writer should know (accept errors).
    pub fn start(
        listener: TcpListener,
        limits: Limits,
        handler: Box<Handler>,
        log: Box<dyn Fn(String) + Send + Sync>,
    ) -> io::Result<Server> {
        let local = listener.local_addr()?;
        let shared = Arc::new(Shared {
            handler,
            log,
            connections: Connections::new(limits),
            stop: AtomicBool::new(false),
        });
        let accepting = Arc::clone(&shared);
        thread::Builder::new()
            .name("ilji-accept".into())
            .spawn(move || accept_loop(&listener, &accepting))?;
        Ok(Server { shared, local })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.connections.shut_down_all();
        // The accept thread sleeps in accept(): a connection of our own wakes it to stop.
        let ip = match self.local.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let _ = TcpStream::connect_timeout(
            &SocketAddr::new(ip, self.local.port()),
            Duration::from_millis(200),
        );
    }
}

/// Takes connections until the server stops; an accept error never ends it.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    let mut last_error: Option<Instant> = None;
    loop {
        let accepted = listener.accept();
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        match accepted {
            Ok((stream, _)) => start_connection(shared, stream),
            // The client gave up before it was taken: nothing to do.
            Err(e) if is_aborted(&e) => {}
            Err(e) => {
                if last_error.is_none_or(|t| t.elapsed() > BURST_GAP) {
                    (shared.log)(format!(
                        "cannot accept connections: {e}; pausing and trying again"
                    ));
                }
                last_error = Some(Instant::now());
                if is_out_of_files(&e) {
                    shared.connections.make_room();
                }
                thread::sleep(ACCEPT_PAUSE);
            }
        }
    }
}

fn is_aborted(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// EMFILE and ENFILE: a file can be had back by closing a connection.
#[cfg(target_os = "linux")]
fn is_out_of_files(e: &io::Error) -> bool {
    use rustix::io::Errno;
    matches!(Errno::from_io_error(e), Some(Errno::MFILE | Errno::NFILE))
}

#[cfg(not(target_os = "linux"))]
fn is_out_of_files(_: &io::Error) -> bool {
    false
}

/// Registers `stream` and gives it a thread; answers 503 where neither can be had.
fn start_connection(shared: &Arc<Shared>, stream: TcpStream) {
    // Answers go out in one write each, but a browser's delayed ACK would still hold the
    // first bytes of the next answer on a kept-alive connection for ~40 ms.
    let _ = stream.set_nodelay(true);
    let stream = Arc::new(stream);
    let Some(id) = shared.connections.admit(&stream) else {
        refuse(&stream, "every connection is busy");
        return;
    };
    let (thread_shared, thread_stream) = (Arc::clone(shared), Arc::clone(&stream));
    let spawned = thread::Builder::new()
        .name("ilji-http".into())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            serve_connection(&thread_shared, &thread_stream, id);
            // This handle first, so that forgetting the registry's closes the socket.
            drop(thread_stream);
            thread_shared.connections.forget(id);
        });
    if spawned.is_err() {
        shared.connections.forget(id);
        refuse(&stream, "no thread for this connection");
    }
}

/// 503 on the accept thread itself: never blocks (the answer fits the empty send buffer).
fn refuse(stream: &TcpStream, why: &str) {
    if stream.set_nonblocking(true).is_ok() {
        // What the client already sent, read so that closing does not reset the answer away;
        // a bounded amount, since the accept thread must not be held by a fast sender.
        let mut sink = [0; 4096];
        for _ in 0..16 {
            if !matches!((&*stream).read(&mut sink), Ok(n) if n > 0) {
                break;
            }
        }
        let _ = (&*stream).write_all(&encode(&Response::busy(why), false, true));
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Answers requests on one connection until it closes, breaks, idles out or asks to close.
fn serve_connection(shared: &Shared, stream: &TcpStream, id: u64) {
    // Bytes read past the end of the previous head: the start of the next one.
    let mut buffer = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        shared.connections.set_waiting(id, true);
        let head = read_head(stream, &mut buffer, Instant::now() + HEAD_TIMEOUT);
        shared.connections.set_waiting(id, false);
        let head = match head {
            Ok(head) => head,
            Err(NoHead::Closed) => return,
            Err(NoHead::Refuse(status)) => {
                let _ = write_response(stream, &refusal(status), false, true);
                linger(stream);
                return;
            }
        };
        let head_only = match head.method {
            Method::Get => false,
            Method::Head => true,
            Method::Other => {
                let refused = refusal(405).header("Allow", "GET, HEAD");
                let _ = write_response(stream, &refused, false, true);
                linger(stream);
                return;
            }
        };
        let request = Request {
            head_only,
            target: &head.target,
        };
        let response = (shared.handler)(&request, &Client::new(stream));
        let close = response.close || !head.keep_alive || head.has_body;
        if write_response(stream, &response, head_only, close).is_err() {
            return;
        }
        if close {
            if head.has_body {
                linger(stream);
            } else {
                let _ = stream.shutdown(Shutdown::Write);
            }
            return;
        }
    }
}
