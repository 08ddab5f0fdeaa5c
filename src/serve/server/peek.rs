//! Looking at a connection without reading from it: whether its client has gone, or has sent
//! something not read yet.

use std::net::TcpStream;

/// The connection a request came on, for a handler that waits long (the live-reload poll)
/// and should stop when the client has gone.
pub struct Client<'a> {
    stream: &'a TcpStream,
}

impl<'a> Client<'a> {
    pub(super) fn new(stream: &'a TcpStream) -> Self {
        Client { stream }
    }

    /// Whether the client closed the connection (or it broke, or the server is stopping).
    /// Never blocks.
    pub fn gone(&self) -> bool {
        // Something sent ahead (a pipelined request) means the client is still there.
        matches!(unread(self.stream), Unread::Closed)
    }
}

/// What a socket holds that its thread has not read yet.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Unread {
    Nothing,
    Data,
    /// The end of the stream, or an error: the client is gone.
    Closed,
}

/// Looks at a socket's receive queue without waiting and without taking anything; safe
/// while another thread reads it (no flag of the socket changes).
#[cfg(target_os = "linux")]
pub(super) fn unread(stream: &TcpStream) -> Unread {
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
pub(super) fn unread(stream: &TcpStream) -> Unread {
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
