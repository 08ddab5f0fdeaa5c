//! What passes between the server and [`crate::serve::http`]: a [`Request`] in, a
//! [`Response`] out, and writing that answer to the connection within a time limit, or a
//! refusal followed by a short linger so that the client reads it.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// How long writing one answer may take in all, plus [`WRITE_TIME_PER_MIB`] for each MiB
/// of it: a client that reads slowly or not at all cannot hold its connection longer.
pub(super) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
const WRITE_TIME_PER_MIB: Duration = Duration::from_secs(1);
/// After refusing a request whose rest was never read, the connection is drained for at
/// most this long (and [`LINGER_BYTES`]) before it closes, so that the client reads the
/// refusal instead of a reset.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;

/// A request, as [`crate::serve::http`] sees it: only GET and HEAD get that far.
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

pub(super) fn refusal(status: u16) -> Response {
    let mut response = Response::text(status, reason(status));
    response.close = true;
    response
}

pub(super) fn write_response(
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
pub(super) fn encode(response: &Response, head_only: bool, close: bool) -> Vec<u8> {
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
pub(super) fn linger(stream: &TcpStream) {
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
