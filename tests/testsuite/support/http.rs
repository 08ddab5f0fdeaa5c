//! Raw HTTP/1.1 to the preview server, with no client library, so that odd request
//! targets go out byte for byte and the server's limits can be pushed: one request per
//! connection ([`request`], [`exchange`]), kept-alive connections ([`read_one_reply`]), and
//! whether the server closed a connection ([`closed_by_server`]).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

/// How long an ordinary request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection that never completes a request head may stay open: the server's
/// head timeout (5 s) with room for a busy machine.
pub const CLOSE_WAIT: Duration = Duration::from_secs(20);

/// One HTTP answer.
pub struct Reply {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn is_html(&self) -> bool {
        self.header("content-type") == Some("text/html; charset=utf-8")
    }
}

/// Sends one request over a fresh connection (`Connection: close`) and reads the answer.
/// No client library: the request target goes out byte for byte, unnormalised.
pub fn request(port: u16, method: &str, target: &str, timeout: Duration) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("connect to 127.0.0.1:{port}: {e}"));
    stream
        .set_read_timeout(Some(timeout))
        .expect("read timeout");
    stream
        .set_write_timeout(Some(timeout))
        .expect("write timeout");
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: ilji-tests\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .unwrap_or_else(|e| panic!("send {method} {target}: {e}"));
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("read the answer to {method} {target}: {e}"));
    parse_reply(&raw).unwrap_or_else(|| {
        panic!(
            "malformed answer to {method} {target}: {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

pub fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Reply {
        status,
        headers,
        body,
    })
}

pub fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// A new connection to the server on 127.0.0.1.
pub fn connect(port: u16) -> TcpStream {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let stream = TcpStream::connect_timeout(&addr, REQUEST_TIMEOUT)
        .unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    stream
        .set_read_timeout(Some(REQUEST_TIMEOUT))
        .expect("read timeout");
    stream
}

/// Everything the server sends until it closes the connection (a reset after its answer
/// counts as closing); fails if it is still open after [`REQUEST_TIMEOUT`].
pub fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return raw,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if is_timeout(&e) => panic!(
                "the server kept the connection open {REQUEST_TIMEOUT:?} after {:?}",
                String::from_utf8_lossy(&raw)
            ),
            Err(_) => return raw,
        }
    }
}

pub fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Sends `bytes` on a new connection (on a thread, so that the answer is read while a long
/// request still goes out; the server may stop reading early) and reads the answer until
/// the server closes the connection.
pub fn exchange(port: u16, bytes: Vec<u8>) -> Reply {
    let mut stream = connect(port);
    let mut writer = stream.try_clone().expect("clone the connection");
    let sender = thread::spawn(move || {
        // The server may close before it has read everything: not this test's failure.
        let _ = writer.write_all(&bytes);
    });
    let raw = read_until_closed(&mut stream);
    let _ = sender.join();
    parse_reply(&raw)
        .unwrap_or_else(|| panic!("malformed answer: {:?}", String::from_utf8_lossy(&raw)))
}

/// One answer on a kept-alive connection: the head, then `Content-Length` bytes of body
/// (none for HEAD).
pub fn read_one_reply(stream: &mut TcpStream, head_request: bool) -> Reply {
    let mut raw = Vec::new();
    let mut byte = [0; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => raw.push(byte[0]),
            other => panic!(
                "the answer's head ended early ({other:?}): {:?}",
                String::from_utf8_lossy(&raw)
            ),
        }
    }
    let mut reply = parse_reply(&raw).expect("an answer's head");
    let length: usize = reply
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no Content-Length: {:?}", reply.headers));
    if !head_request {
        reply.body = vec![0; length];
        stream
            .read_exact(&mut reply.body)
            .expect("the answer's body");
    }
    reply
}

/// Whether the server closes `stream` within [`CLOSE_WAIT`] (an answer to a partial head,
/// such as 408, may come first).
pub fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(CLOSE_WAIT))
        .expect("read timeout");
    let mut buf = [0; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if is_timeout(&e) => return false,
            Err(_) => return true,
        }
    }
}
