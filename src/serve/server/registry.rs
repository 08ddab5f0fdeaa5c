//! The open connections, and the cap on them: a newcomer to a full server gets the place of
//! the connection that has waited longest for a request head, never that of one about to
//! be answered.

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::peek::{unread, Unread};
use super::Limits;

/// How many connections closed to make room may still hold their sockets (their threads
/// are ending) beyond the cap; within [`super::FILE_HEADROOM`].
const MAX_CLOSING: usize = 16;
/// A connection waiting for a request head this briefly is never closed to make room: a
/// client sends its request as soon as it has connected.
const EVICTION_GRACE: Duration = Duration::from_millis(20);
/// How often a newcomer to a full server looks again for a connection it may close.
const ROOM_RECHECK: Duration = Duration::from_millis(2);

/// The open connections under [`Limits`], shared by the accept thread (which admits them)
/// and the connections' threads (which say when they wait for a request, and end).
pub(super) struct Connections {
    limits: Limits,
    registry: Mutex<Registry>,
    /// Notified whenever a connection is closed and its slot free.
    slot_freed: Condvar,
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

impl Connections {
    pub(super) fn new(limits: Limits) -> Self {
        Connections {
            limits,
            registry: Mutex::new(Registry::default()),
            slot_freed: Condvar::new(),
        }
    }

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
    pub(super) fn admit(&self, stream: &Arc<TcpStream>) -> Option<u64> {
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
    pub(super) fn set_waiting(&self, id: u64, waiting: bool) {
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
    pub(super) fn forget(&self, id: u64) {
        let removed = self.registry().connections.remove(&id);
        drop(removed);
        self.slot_freed.notify_all();
    }

    /// Closes the connection idle the longest, if one may go (see [`Registry::make_room`]):
    /// the accept thread, out of files, gets one back.
    pub(super) fn make_room(&self) {
        self.registry().make_room();
    }

    /// Shuts every connection down: the server is stopping.
    pub(super) fn shut_down_all(&self) {
        for connection in self.registry().connections.values() {
            let _ = connection.stream.shutdown(Shutdown::Both);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::thread;

    /// Room for two connections and a short wait for room.
    fn two_slots() -> Connections {
        Connections::new(Limits {
            max_connections: 2,
            slot_wait: Duration::from_millis(10),
        })
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
