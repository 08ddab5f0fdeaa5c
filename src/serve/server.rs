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
//! - an answer must be taken within [`WRITE_TIMEOUT`] (more for a large one), however
//!   slowly the client reads.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// The longest request line (method, target, version): a browser's are far shorter.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The longest request head, request line included.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most headers a request may have (browsers send about 20).
pub const MAX_HEADERS: usize = 64;
/// How long a connection may take to send a whole request head, counted from when it
/// starts waiting for one (its opening, or its previous answer): one byte a second cannot
/// hold a connection longer than this.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long writing one answer may take in all, plus [`WRITE_TIME_PER_MIB`] for each MiB
/// of it: a client that reads slowly or not at all cannot hold its connection longer.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
const WRITE_TIME_PER_MIB: Duration = Duration::from_secs(1);
/// After refusing a request whose rest was never read, the connection is drained for at
/// most this long (and [`LINGER_BYTES`]) before it closes, so that the client reads the
/// refusal instead of a reset.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;
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
/// How long a newcomer to a full server may wait for room (see [`Shared::admit`]), before
/// it is answered 503.
const SLOT_WAIT: Duration = Duration::from_millis(100);
/// How many connections closed to make room may still hold their sockets (their threads
/// are ending) beyond the cap; within [`FILE_HEADROOM`].
const MAX_CLOSING: usize = 16;
/// A connection waiting for a request head this briefly is never closed to make room: a
/// client sends its request as soon as it has connected.
const EVICTION_GRACE: Duration = Duration::from_millis(20);
/// How often a newcomer to a full server looks again for a connection it may close.
const ROOM_RECHECK: Duration = Duration::from_millis(2);
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

/// A request, as [`super::http`] sees it: only GET and HEAD get that far.
pub struct Request<'a> {
    /// HEAD: the answer's body is left out (its length is still sent).
    pub head_only: bool,
    /// The request target exactly as sent (path and query).
    pub target: &'a str,
}

/// An answer. `Content-Length` and `Connection` are added when it is written.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// Close the connection after this answer.
    pub close: bool,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_owned())],
            body,
            close: false,
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// A short plain-text answer.
    pub fn text(status: u16, body: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    /// 503 with `Retry-After: 1`, closing the connection: the server is at a limit.
    pub fn busy(why: &str) -> Response {
        let mut response = Response::text(503, why).header("Retry-After", "1");
        response.close = true;
        response
    }
}

/// The connection a request came on, for a handler that waits long (the live-reload poll)
/// and should stop when the client has gone.
pub struct Client<'a> {
    stream: &'a TcpStream,
}

impl Client<'_> {
    /// Whether the client closed the connection (or it broke, or the server is stopping).
    /// Never blocks.
    pub fn gone(&self) -> bool {
        // Something sent ahead (a pipelined request) means the client is still there.
        matches!(unread(self.stream), Unread::Closed)
    }
}

/// What a socket holds that its thread has not read yet.
#[derive(Debug, PartialEq, Eq)]
enum Unread {
    Nothing,
    Data,
    /// The end of the stream, or an error: the client is gone.
    Closed,
}

/// Looks at a socket's receive queue without waiting and without taking anything; safe
/// while another thread reads it (no flag of the socket changes).
#[cfg(target_os = "linux")]
fn unread(stream: &TcpStream) -> Unread {
    use rustix::io::Errno;
    use rustix::net::{recv, RecvFlags};
    let mut byte = [0u8; 1];
    match recv(stream, &mut byte[..], RecvFlags::PEEK | RecvFlags::DONTWAIT) {
        Ok((_, 0)) => Unread::Closed,
        Ok(_) => Unread::Data,
        Err(Errno::AGAIN | Errno::INTR) => Unread::Nothing,
        Err(_) => Unread::Closed,
    }
}

/// Without `MSG_DONTWAIT`, by making the socket nonblocking for a moment: a read of the
/// connection's own thread may then wake without data, which it takes as a timeout and
/// reads again.
#[cfg(not(target_os = "linux"))]
fn unread(stream: &TcpStream) -> Unread {
    if stream.set_nonblocking(true).is_err() {
        return Unread::Closed;
    }
    let mut byte = [0; 1];
    let found = match stream.peek(&mut byte) {
        Ok(0) => Unread::Closed,
        Ok(_) => Unread::Data,
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Unread::Nothing,
        Err(_) => Unread::Closed,
    };
    if stream.set_nonblocking(false).is_err() {
        return Unread::Closed;
    }
    found
}

/// What answers requests.
pub type Handler = dyn Fn(&Request<'_>, &Client<'_>) -> Response + Send + Sync;

/// The running server. Dropping it stops it: no new connections are taken, and every open
/// connection is closed.
pub struct Server {
    shared: Arc<Shared>,
    local: SocketAddr,
}

struct Shared {
    limits: Limits,
    handler: Box<Handler>,
    log: Box<dyn Fn(String) + Send + Sync>,
    registry: Mutex<Registry>,
    /// Notified whenever a connection is closed and its slot free.
    slot_freed: Condvar,
    stop: AtomicBool,
}

/// The open connections, so that at capacity the right one can be closed from outside its
/// thread.
#[derive(Default)]
struct Registry {
    next_id: u64,
    connections: HashMap<u64, Connection>,
}

/// What [`Registry::make_room`] did.
enum Room {
    /// A connection is closing to make room.
    Made,
    /// Every connection waiting for a request may be about to get one: none closed yet.
    Later,
    /// No connection is waiting for a request: all are answering one.
    None,
}

/// A connection counts against the cap until its socket is closed, closing included, so
/// that the server never holds more sockets than its cap.
struct Connection {
    stream: Arc<TcpStream>,
    state: State,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for a request head since then.
    Waiting(Instant),
    /// Answering a request.
    Busy,
    /// Shut down to make room; its thread is ending.
    Closing,
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
            limits,
            handler,
            log,
            registry: Mutex::new(Registry::default()),
            slot_freed: Condvar::new(),
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
        for connection in self.shared.registry().connections.values() {
            let _ = connection.stream.shutdown(Shutdown::Both);
        }
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

impl Shared {
    fn registry(&self) -> MutexGuard<'_, Registry> {
        // The registry is consistent after every statement: a panic elsewhere leaves it usable.
        self.registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a new connection. If the server is full, the connection that has waited
    /// longest for a request head is closed to make room; if the waiting ones may all be
    /// browsers about to be answered, the newcomer waits (at most [`Limits::slot_wait`])
    /// until one can go or a request ends; `None` if no room was made, at once if every
    /// connection is answering a request. Connections being closed still count until their
    /// sockets are closed: if [`MAX_CLOSING`] are, the newcomer waits for them too, so that
    /// the server never holds more sockets than that beyond its cap.
    fn admit(&self, stream: &Arc<TcpStream>) -> Option<u64> {
        let max = self.limits.max_connections;
        let deadline = Instant::now() + self.limits.slot_wait;
        let mut registry = self.registry();
        while registry.connections.len() - registry.closing() >= max {
            match registry.make_room() {
                Room::Made => break,
                Room::None => return None,
                Room::Later => {}
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            // Nothing announces that a connection has aged: look again shortly.
            registry = self
                .slot_freed
                .wait_timeout(registry, left.min(ROOM_RECHECK))
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        while registry.connections.len() >= max + MAX_CLOSING {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            registry = self
                .slot_freed
                .wait_timeout(registry, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        registry.next_id += 1;
        let id = registry.next_id;
        registry.connections.insert(
            id,
            Connection {
                stream: Arc::clone(stream),
                state: State::Waiting(Instant::now()),
            },
        );
        Some(id)
    }

    /// Marks a connection waiting for a request head (from now) or busy answering one; one
    /// being closed stays so.
    fn set_waiting(&self, id: u64, waiting: bool) {
        if let Some(connection) = self.registry().connections.get_mut(&id) {
            if connection.state != State::Closing {
                connection.state = if waiting {
                    State::Waiting(Instant::now())
                } else {
                    State::Busy
                };
            }
        }
    }

    /// Forgets a connection whose thread has ended; with the registry's handle of its
    /// socket gone, the socket closes and its slot is free.
    fn forget(&self, id: u64) {
        let removed = self.registry().connections.remove(&id);
        drop(removed);
        self.slot_freed.notify_all();
    }
}

impl Registry {
    /// Shuts down the connection idle the longest (its thread then ends and forgets it).
    /// Never one that may be a browser about to be answered, for which a reset is worse
    /// than a short wait for the newcomer: one whose request has arrived but not been read
    /// yet (its thread slow to run, on a busy machine), or one opened less than
    /// [`EVICTION_GRACE`] ago (its request on the way).
    fn make_room(&mut self) -> Room {
        let cutoff = Instant::now().checked_sub(EVICTION_GRACE);
        let mut waiting: Vec<(Instant, u64)> = self
            .connections
            .iter()
            .filter_map(|(id, c)| match c.state {
                State::Waiting(since) => Some((since, *id)),
                _ => None,
            })
            .collect();
        if waiting.is_empty() {
            return Room::None;
        }
        waiting.sort_unstable();
        let chosen = waiting
            .iter()
            .take_while(|(since, _)| cutoff.is_some_and(|c| *since <= c))
            .find(|(_, id)| {
                self.connections
                    .get(id)
                    .is_some_and(|c| unread(&c.stream) != Unread::Data)
            });
        let Some(connection) = chosen.and_then(|(_, id)| self.connections.get_mut(id)) else {
            return Room::Later;
        };
        connection.state = State::Closing;
        let _ = connection.stream.shutdown(Shutdown::Both);
        Room::Made
    }

    fn closing(&self) -> usize {
        self.connections
            .values()
            .filter(|c| c.state == State::Closing)
            .count()
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
                    shared.registry().make_room();
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
    let Some(id) = shared.admit(&stream) else {
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
            thread_shared.forget(id);
        });
    if spawned.is_err() {
        shared.forget(id);
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

/// What a request head says, once parsed.
struct Head {
    method: Method,
    target: String,
    keep_alive: bool,
    /// A body follows (which is never read).
    has_body: bool,
}

enum Method {
    Get,
    Head,
    Other,
}

/// Why reading a head stopped without one.
enum NoHead {
    /// The client closed, the connection broke, or it idled out before sending anything.
    Closed,
    /// Answer this status, then close.
    Refuse(u16),
}

/// Answers requests on one connection until it closes, breaks, idles out or asks to close.
fn serve_connection(shared: &Shared, stream: &TcpStream, id: u64) {
    // Bytes read past the end of the previous head: the start of the next one.
    let mut buffer = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        shared.set_waiting(id, true);
        let head = read_head(stream, &mut buffer, Instant::now() + HEAD_TIMEOUT);
        shared.set_waiting(id, false);
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
        let response = (shared.handler)(&request, &Client { stream });
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

/// Reads one request head into `buffer` (which may already hold its start) by `deadline`,
/// leaving in `buffer` whatever follows it.
fn read_head(stream: &TcpStream, buffer: &mut Vec<u8>, deadline: Instant) -> Result<Head, NoHead> {
    let mut chunk = [0; 4096];
    loop {
        if let Some((head, length)) = parse_head(buffer)? {
            buffer.drain(..length);
            return Ok(head);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if buffer.is_empty() {
                NoHead::Closed
            } else {
                NoHead::Refuse(408)
            });
        }
        // The time left, not a fixed timeout per read: trickling bytes gain nothing.
        if stream.set_read_timeout(Some(left)).is_err() {
            return Err(NoHead::Closed);
        }
        // Never more than a head can hold: a long line costs no more memory than a short.
        let room = (MAX_HEAD + 1).saturating_sub(buffer.len()).min(chunk.len());
        match (&*stream).read(&mut chunk[..room]) {
            Ok(0) => return Err(NoHead::Closed),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(_) => return Err(NoHead::Closed),
        }
    }
}

/// The head at the start of `buffer` and its length in bytes, `None` if it is not complete
/// yet, or the status to refuse it with. Pure: no I/O.
fn parse_head(buffer: &[u8]) -> Result<Option<(Head, usize)>, NoHead> {
    let line_end = buffer.iter().position(|&b| b == b'\n');
    if line_end.unwrap_or(buffer.len()) > MAX_REQUEST_LINE {
        return Err(NoHead::Refuse(414));
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let length = match request.parse(buffer) {
        Ok(httparse::Status::Complete(length)) if length <= MAX_HEAD => length,
        Ok(httparse::Status::Complete(_)) => return Err(NoHead::Refuse(431)),
        Ok(httparse::Status::Partial) if buffer.len() > MAX_HEAD => {
            return Err(NoHead::Refuse(431))
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(NoHead::Refuse(431)),
        Err(_) => return Err(NoHead::Refuse(400)),
    };
    let method = match request.method {
        Some("GET") => Method::Get,
        Some("HEAD") => Method::Head,
        _ => Method::Other,
    };
    let http_1_1 = request.version == Some(1);
    let mut connection_close = false;
    let mut connection_keep_alive = false;
    let mut has_body = false;
    for header in request.headers.iter() {
        let value = String::from_utf8_lossy(header.value);
        if header.name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                connection_close |= token.eq_ignore_ascii_case("close");
                connection_keep_alive |= token.eq_ignore_ascii_case("keep-alive");
            }
        } else if header.name.eq_ignore_ascii_case("content-length") {
            has_body |= value.trim() != "0";
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        }
    }
    let head = Head {
        method,
        target: request.path.unwrap_or("").to_owned(),
        keep_alive: !connection_close && (http_1_1 || connection_keep_alive),
        has_body,
    };
    Ok(Some((head, length)))
}

fn refusal(status: u16) -> Response {
    let mut response = Response::text(status, reason(status));
    response.close = true;
    response
}

fn write_response(
    stream: &TcpStream,
    response: &Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let bytes = encode(response, head_only, close);
    let mib = u32::try_from(bytes.len() >> 20).unwrap_or(u32::MAX);
    let deadline = Instant::now() + WRITE_TIMEOUT + WRITE_TIME_PER_MIB.saturating_mul(mib);
    let mut written = 0;
    while written < bytes.len() {
        // The time left for the whole answer, not a fixed timeout per write.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match (&*stream).write(&bytes[written..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The answer as bytes, head and body together so that they leave in one write.
fn encode(response: &Response, head_only: bool, close: bool) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    // An HTTP/1.0 client that asked to keep the connection is told it is kept.
    head.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        "Connection: keep-alive\r\n\r\n"
    });
    let body: &[u8] = if head_only { &[] } else { &response.body };
    let mut bytes = Vec::with_capacity(head.len() + body.len());
    bytes.extend_from_slice(head.as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// Closes after a refusal: stops sending, then reads and drops what the client still sends
/// for a moment, so that the client sees the answer rather than a connection reset.
fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut sink = [0; 4096];
    let mut drained = 0;
    while drained < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match (&*stream).read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server's shared state with room for two connections and a short wait for room.
    fn two_slots() -> Shared {
        Shared {
            limits: Limits {
                max_connections: 2,
                slot_wait: Duration::from_millis(10),
            },
            handler: Box::new(|_, _| Response::text(200, "")),
            log: Box::new(|_| {}),
            registry: Mutex::new(Registry::default()),
            slot_freed: Condvar::new(),
            stop: AtomicBool::new(false),
        }
    }

    fn parsed(raw: &str) -> Head {
        match parse_head(raw.as_bytes()) {
            Ok(Some((head, length))) => {
                assert_eq!(length, raw.find("\r\n\r\n").unwrap() + 4);
                head
            }
            Ok(None) => panic!("incomplete: {raw:?}"),
            Err(NoHead::Refuse(status)) => panic!("refused {status}: {raw:?}"),
            Err(NoHead::Closed) => panic!("closed"),
        }
    }

    fn refused(raw: &[u8]) -> u16 {
        match parse_head(raw) {
            Err(NoHead::Refuse(status)) => status,
            Ok(Some(_)) => panic!("accepted"),
            Ok(None) => panic!("incomplete"),
            Err(NoHead::Closed) => panic!("closed"),
        }
    }

    #[test]
    fn keep_alive_follows_the_version_and_the_connection_header() {
        assert!(parsed("GET / HTTP/1.1\r\nHost: x\r\n\r\n").keep_alive);
        assert!(!parsed("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive);
        assert!(!parsed("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(parsed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
        assert!(!parsed("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n").keep_alive);
    }

    #[test]
    fn a_body_is_noticed_and_methods_told_apart() {
        let head = parsed("GET /a?b HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(!head.has_body && matches!(head.method, Method::Get));
        assert_eq!(head.target, "/a?b");
        assert!(parsed("GET / HTTP/1.1\r\nContent-Length: 4\r\n\r\n").has_body);
        assert!(parsed("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").has_body);
        assert!(matches!(
            parsed("HEAD / HTTP/1.1\r\n\r\n").method,
            Method::Head
        ));
        assert!(matches!(
            parsed("DELETE / HTTP/1.1\r\n\r\n").method,
            Method::Other
        ));
    }

    #[test]
    fn heads_beyond_the_limits_are_refused_before_they_end() {
        assert!(matches!(parse_head(b"GET /abc HTTP/1.1\r\nHo"), Ok(None)));
        let mut line = b"GET /".to_vec();
        line.resize(MAX_REQUEST_LINE + 1, b'a');
        assert_eq!(refused(&line), 414);
        let mut head = b"GET / HTTP/1.1\r\nX: ".to_vec();
        head.resize(MAX_HEAD + 1, b'a');
        assert_eq!(refused(&head), 431);
        let crowded: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(
            refused(format!("GET / HTTP/1.1\r\n{crowded}\r\n").as_bytes()),
            431
        );
        assert_eq!(refused(b"\x01 nonsense\r\n\r\n"), 400);
    }

    #[test]
    fn at_capacity_the_longest_waiting_connection_makes_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let pair = || {
            let client = TcpStream::connect(addr).unwrap();
            let (server, _) = listener.accept().unwrap();
            (client, Arc::new(server))
        };
        let shared = two_slots();
        let (mut first_client, first) = pair();
        let (_second_client, second) = pair();
        let a = shared.admit(&first).unwrap();
        let b = shared.admit(&second).unwrap();
        // Connections this young are never closed: the newcomer waits for them to age, here
        // for less than that, and is turned away.
        let (_young_client, young) = pair();
        assert!(shared.admit(&young).is_none());
        thread::sleep(EVICTION_GRACE * 2);
        // The first waits longest: the third takes its place, and it is shut down.
        let (_third_client, third) = pair();
        assert!(shared.admit(&third).is_some());
        assert!(shared.registry().connections[&a].state == State::Closing);
        let mut byte = [0; 1];
        assert_eq!(first_client.read(&mut byte).unwrap(), 0);
        shared.forget(a);
        assert_eq!(shared.registry().connections.len(), 2);

        // Once every connection is busy, nobody is shut down for a newcomer.
        let ids: Vec<u64> = shared.registry().connections.keys().copied().collect();
        assert!(ids.contains(&b));
        for &id in &ids {
            shared.set_waiting(id, false);
        }
        let (_client, busy) = pair();
        assert!(shared.admit(&busy).is_none());
        assert_eq!(shared.registry().closing(), 0);

        // Sockets being closed count: once MAX_CLOSING are, newcomers wait for them.
        for &id in &ids {
            shared.set_waiting(id, true);
        }
        let mut clients = Vec::new();
        for _ in 0..MAX_CLOSING {
            thread::sleep(EVICTION_GRACE * 2);
            let (client, stream) = pair();
            assert!(shared.admit(&stream).is_some());
            clients.push(client);
        }
        assert_eq!(shared.registry().closing(), MAX_CLOSING);
        let (_client, late) = pair();
        assert!(shared.admit(&late).is_none());
    }

    #[test]
    fn a_request_not_yet_read_is_never_closed_to_make_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let pair = |request: &[u8]| {
            let mut client = TcpStream::connect(addr).unwrap();
            client.write_all(request).unwrap();
            let (server, _) = listener.accept().unwrap();
            // Until the request is there to be seen.
            while !request.is_empty() && unread(&server) != Unread::Data {
                thread::sleep(Duration::from_millis(1));
            }
            (client, Arc::new(server))
        };
        let shared = two_slots();
        let request = b"GET / HTTP/1.1\r\n\r\n";
        let (_browser, with_request) = pair(request);
        let (_held, silent) = pair(b"");
        let browser = shared.admit(&with_request).unwrap();
        let held = shared.admit(&silent).unwrap();
        thread::sleep(EVICTION_GRACE * 2);
        // The browser's connection waited longest, but its request is there to be read.
        let (_newcomer, newcomer) = pair(request);
        assert!(shared.admit(&newcomer).is_some());
        assert!(shared.registry().connections[&held].state == State::Closing);
        assert!(shared.registry().connections[&browser].state != State::Closing);
        shared.forget(held);
        // Only requests waiting to be read: the next newcomer waits, and is turned away.
        let (_another, another) = pair(b"");
        assert!(shared.admit(&another).is_none());
    }
}
