//! Under load (issue 23): request lines and heads over the limits, connections that never
//! finish a request, more connections than the process may hold, polls beyond the cap,
//! running out of files, and HTTP/1.1 as it is written (keep-alive, HEAD, 1.0, methods).

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use super::blog;
use crate::support::http::{
    closed_by_server, connect, exchange, is_timeout, parse_reply, read_one_reply, Reply,
    CLOSE_WAIT, REQUEST_TIMEOUT,
};
use crate::support::serve::{generation, instance, join, proc_status, Limits, Serve};

#[test]
fn an_overlong_request_line_gets_414_without_the_server_growing() {
    let site = blog();
    let mut serve = Serve::start(&site);
    assert_eq!(serve.get("/").status, 200);
    let before = proc_status(serve.pid(), "VmHWM");

    // A 16 MiB request target: the server stops reading at its limit (8 KiB).
    let mut line = b"GET /".to_vec();
    line.resize(16 << 20, b'a');
    line.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let reply = exchange(serve.port, line);

    serve.assert_alive();
    // The allocator may take a fresh 2 MiB page or two for the connection's thread; the
    // line itself, held whole, would be 16 MiB and more (tiny_http took 26 MiB for 4).
    let grown = proc_status(serve.pid(), "VmHWM").saturating_sub(before);
    assert!(
        grown < 8192,
        "the server's peak memory grew by {grown} kB for one long request line"
    );
    assert_eq!(reply.status, 414, "{}", reply.text());
    assert_eq!(reply.header("connection"), Some("close"));
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn an_oversized_or_crowded_request_head_gets_431() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let filler = |count: usize, value: &str| -> String {
        (0..count)
            .map(|i| format!("X-Filler-{i}: {value}\r\n"))
            .collect()
    };
    // 20 KiB of headers (over 16 KiB), then 200 short ones (2 KiB, but too many).
    let oversized = filler(200, &"a".repeat(100));
    let crowded = filler(200, "y");
    for headers in [oversized, crowded] {
        let head = format!("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n");
        let reply = exchange(serve.port, head.into_bytes());
        assert_eq!(reply.status, 431, "{}", reply.text());
        assert_eq!(reply.header("connection"), Some("close"));
    }
    serve.assert_alive();
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn connections_without_a_request_are_closed_after_the_head_timeout() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let port = serve.port;
    let silent = thread::spawn(move || closed_by_server(&mut connect(port)));
    // One byte a second never finishes a head, however long it goes on.
    let trickle = thread::spawn(move || {
        let mut stream = connect(port);
        stream
            .set_read_timeout(Some(Duration::from_secs(1)))
            .expect("read timeout");
        let start = Instant::now();
        let head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        let mut buf = [0; 1024];
        for at in 0.. {
            if start.elapsed() > CLOSE_WAIT {
                return false;
            }
            let byte = head.get(at).copied().unwrap_or(b'a');
            if stream.write_all(&[byte]).is_err() {
                return true;
            }
            match stream.read(&mut buf) {
                Err(e) if is_timeout(&e) => {}
                // An answer (408) or the end of the connection.
                _ => return true,
            }
        }
        false
    });
    // A kept-alive connection answers a second request, then idles until closed.
    let idle = thread::spawn(move || {
        let mut stream = connect(port);
        for _ in 0..2 {
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect("send a request");
            assert_eq!(read_one_reply(&mut stream, false).status, 200);
        }
        closed_by_server(&mut stream)
    });
    assert!(
        join(silent),
        "a connection that sent nothing was open after {CLOSE_WAIT:?}"
    );
    assert!(
        join(trickle),
        "a connection sending one byte a second was open after {CLOSE_WAIT:?}"
    );
    assert!(
        join(idle),
        "an idle kept-alive connection was open after {CLOSE_WAIT:?}"
    );
    serve.assert_alive();
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn held_connections_beyond_the_cap_do_not_shut_out_a_page() {
    let site = blog();
    let limits = Limits {
        open_files: Some(256),
        ..Limits::default()
    };
    let mut serve = Serve::launch(site.root(), &[], &limits);
    // More connections than the process may hold files; half start a request and stop.
    let held: Vec<TcpStream> = (0..400)
        .map(|i| {
            let mut stream = connect(serve.port);
            if i % 2 == 0 {
                stream
                    .write_all(b"GET / HTTP/1.1\r\n")
                    .expect("start a request");
            }
            stream
        })
        .collect();
    serve.assert_alive();
    let reply = serve.get("/");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.text().contains("첫 글"));
    serve.assert_alive();
    drop(held);
}

#[test]
fn dropped_polls_are_released_and_polls_beyond_the_cap_turned_away() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let html = serve.get("/").text();
    let poll = format!(
        "GET /__ilji/poll?since={}&instance={} HTTP/1.1\r\nHost: x\r\n\r\n",
        generation(&html),
        instance(&html)
    );
    thread::sleep(Duration::from_millis(200));
    let baseline = proc_status(serve.pid(), "Threads");

    let mut polls: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut stream = connect(serve.port);
            stream.write_all(poll.as_bytes()).expect("send a poll");
            stream.set_nonblocking(true).expect("nonblocking");
            stream
        })
        .collect();
    // The polls beyond the cap are answered 503 at once; the others wait.
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let mut answers: Vec<Vec<u8>> = vec![Vec::new(); polls.len()];
    loop {
        for (stream, answer) in polls.iter_mut().zip(&mut answers) {
            let mut buf = [0; 4096];
            if let Ok(n) = stream.read(&mut buf) {
                answer.extend_from_slice(&buf[..n]);
            }
        }
        let answered = answers.iter().filter(|a| parse_reply(a).is_some()).count();
        if answered >= 150 - 64 || Instant::now() > deadline {
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let turned_away: Vec<Reply> = answers.iter().filter_map(|a| parse_reply(a)).collect();
    assert!(
        turned_away.len() >= 150 - 64,
        "{} of 150 polls were answered while nothing changed (at most 64 may wait)",
        turned_away.len()
    );
    for reply in &turned_away {
        assert_eq!(reply.status, 503, "{}", reply.text());
        assert_eq!(reply.header("retry-after"), Some("1"));
    }
    let waiting = proc_status(serve.pid(), "Threads");
    assert!(
        waiting > baseline + 32,
        "the waiting polls hold no threads ({waiting} threads, {baseline} before)"
    );

    // The pages went away: their polls stop waiting.
    drop(polls);
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    loop {
        serve.assert_alive();
        let threads = proc_status(serve.pid(), "Threads");
        if threads <= baseline + 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{threads} threads {REQUEST_TIMEOUT:?} after 150 polls went away ({baseline} before)"
        );
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(serve.get("/").status, 200);
    // Their places are free again: a new poll waits.
    let mut again = connect(serve.port);
    again.write_all(poll.as_bytes()).expect("send a poll");
    again
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("read timeout");
    let mut buf = [0; 64];
    assert!(
        again.read(&mut buf).is_err_and(|e| is_timeout(&e)),
        "a poll after the others went away did not wait"
    );
}

#[test]
fn running_out_of_files_pauses_accepting_and_recovers() {
    let site = blog();
    let mut serve = Serve::start(&site);
    assert_eq!(serve.get("/").status, 200);
    let pid = serve.pid();
    let open = fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("list the server's files")
        .count();
    // Room for four more files: the fifth connection cannot be accepted.
    {
        use rustix::process::{getrlimit, prlimit, Pid, Resource, Rlimit};
        let server = i32::try_from(pid).ok().and_then(Pid::from_raw);
        let limit = Rlimit {
            current: Some(open as u64 + 4),
            maximum: getrlimit(Resource::Nofile).maximum,
        };
        prlimit(server, Resource::Nofile, limit).expect("lower the server's open-file limit");
    }
    let held: Vec<TcpStream> = (0..40).map(|_| connect(serve.port)).collect();
    serve.wait_log("about accepting", REQUEST_TIMEOUT, |l| {
        l.contains("cannot accept") && l.contains("Too many open files")
    });
    serve.assert_alive();

    drop(held);
    let reply = serve.get("/");
    assert_eq!(reply.status, 200, "{}", reply.text());
    serve.assert_alive();
}

#[test]
fn requests_follow_http_1_1() {
    let site = blog();
    let serve = Serve::start(&site);
    let port = serve.port;
    let full = serve.get("/about/");

    // Kept alive between requests; HEAD gives the length without the body; a request with
    // `Connection: close` is answered, then the connection ends.
    let mut stream = connect(port);
    stream
        .write_all(b"HEAD /about/ HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send HEAD");
    let head = read_one_reply(&mut stream, true);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(full.body.len().to_string().as_str())
    );
    stream
        .write_all(b"GET /about/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("send GET");
    let reply = read_one_reply(&mut stream, false);
    assert_eq!(reply.body, full.body);
    assert!(closed_by_server(&mut stream));

    // HTTP/1.0 closes unless asked to keep the connection.
    let reply = exchange(port, b"GET /about/ HTTP/1.0\r\n\r\n".to_vec());
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, full.body);

    // Other methods are refused; a GET with a body is answered, then the connection ends.
    let reply = exchange(
        port,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".to_vec(),
    );
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET, HEAD"));
    let reply = exchange(
        port,
        b"GET /about/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".to_vec(),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("connection"), Some("close"));

    // Garbage is a bad request.
    let reply = exchange(port, b"\x01\x02 nonsense\r\n\r\n".to_vec());
    assert_eq!(reply.status, 400);
}
