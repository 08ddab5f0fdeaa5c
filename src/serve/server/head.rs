//! Reading a request head off a connection within limits of size and time, and parsing it
//! (httparse) into what the server needs: the method, the target, whether the connection
//! stays open and whether a body follows. Answering is not done here.

use std::io::{self, Read};
use std::net::TcpStream;
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

/// What a request head says, once parsed.
pub(super) struct Head {
    pub(super) method: Method,
    pub(super) target: String,
    pub(super) keep_alive: bool,
    /// A body follows (which is never read).
    pub(super) has_body: bool,
}

pub(super) enum Method {
    Get,
    Head,
    Other,
}

/// Why reading a head stopped without one.
pub(super) enum NoHead {
    /// The client closed, the connection broke, or it idled out before sending anything.
    Closed,
    /// Answer this status, then close.
    Refuse(u16),
}

/// Reads one request head into `buffer` (which may already hold its start) by `deadline`,
/// leaving in `buffer` whatever follows it.
pub(super) fn read_head(
    stream: &TcpStream,
    buffer: &mut Vec<u8>,
    deadline: Instant,
) -> Result<Head, NoHead> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
