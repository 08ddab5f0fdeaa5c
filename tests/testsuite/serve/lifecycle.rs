//! Ports, addresses, starting and stopping: a port in use, a warning for a non-loopback
//! address, SIGINT that stops cleanly and removes the preview folder, the folders of servers
//! that died swept at start, and a page of another server instance told to reload.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};
use tempfile::TempDir;

use super::{blog, FIRST};
use crate::support::http::{request, REQUEST_TIMEOUT};
use crate::support::run_bounded;
use crate::support::serve::{
    generation, instance, preview_folder, Limits, Serve, POLL_TIMEOUT, START_TIMEOUT,
};

#[test]
fn a_port_in_use_is_an_error() {
    let site = blog();
    let taken = TcpListener::bind("127.0.0.1:0").expect("take a port");
    let port = taken.local_addr().expect("its address").port();
    let port_arg = port.to_string();
    let (status, stderr) = run_bounded(site.root(), &["serve", "--port", &port_arg], START_TIMEOUT);
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    drop(taken);
}

#[test]
fn a_non_loopback_bind_warns() {
    let site = blog();
    let mut serve = Serve::start_with(&site, &["--bind", "0.0.0.0"]);
    serve.wait_log("a warning about the address", START_TIMEOUT, |l| {
        l.starts_with("warning:") && l.contains("0.0.0.0")
    });
    // Served on loopback too (no other address is ever contacted).
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn quiet_still_tells_of_warnings_and_a_failed_rebuild() {
    let site = blog();
    let mut serve = Serve::start_with(&site, &["--quiet", "--bind", "0.0.0.0"]);
    serve.wait_log("a warning about the address", START_TIMEOUT, |l| {
        l.starts_with("warning:") && l.contains("0.0.0.0")
    });
    site.write(
        FIRST,
        "---\ntitle: 첫 글\ndate: 2025-01-01T09:00:00+09:00\ncategory: 일지: 둘\n---\n본문\n",
    );
    let line = serve.failed(FIRST);
    assert!(line.contains("content/posts/첫-글.md:"), "{line}");
    let said = serve.shown();
    assert!(
        !said.contains("built ") && !said.contains("serving http"),
        "--quiet prints no news:\n{said}"
    );
}

#[test]
fn sigint_stops_cleanly_and_removes_the_preview_folder() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let folder = preview_folder(serve.pid());
    assert!(folder.join("index.html").is_file());
    let port = serve.port;
    // A page waiting on a poll must not keep the server alive.
    let gen = generation(&serve.get("/").text());
    let _pending = thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let _ = write!(
            s,
            "GET /__ilji/poll?since={gen} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        );
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    });
    thread::sleep(Duration::from_millis(200));

    let status = serve.interrupt();
    assert_eq!(status.code(), Some(0), "{status:?}\n{}", serve.shown());
    serve.drain_log(Duration::from_millis(200));
    assert!(
        serve.log.iter().any(|l| l == "stopped"),
        "{}",
        serve.shown()
    );
    assert!(
        !folder.exists(),
        "the preview folder {} was left behind",
        folder.display()
    );
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the port is still open"
    );
    assert!(!site.root().join("public").exists());
}

#[test]
fn preview_folders_of_servers_that_died_are_swept_at_start() {
    let site = blog();
    let tmp = TempDir::new().expect("a temporary folder of the test's own");
    // A process id that ran and no longer does.
    let mut exited = Command::new("true").spawn().expect("run true");
    exited.wait().expect("wait for true");
    let dead = exited.id();
    let live = std::process::id();
    let leftovers = [
        format!("ilji-serve-{dead}"),
        format!(".ilji-serve-{dead}.ilji-spare"),
        format!(".ilji-serve-{dead}.ilji-staging-{dead}"),
    ];
    let kept = [format!("ilji-serve-{live}"), "ilji-serve-notes".to_owned()];
    for name in leftovers.iter().chain(&kept) {
        fs::create_dir_all(tmp.path().join(name).join("posts")).expect("a folder");
        fs::write(tmp.path().join(name).join("index.html"), "old").expect("a page");
    }
    let limits = Limits {
        tmpdir: Some(tmp.path().to_path_buf()),
        ..Limits::default()
    };
    let mut serve = Serve::launch(site.root(), &[], &limits);
    assert_eq!(serve.get("/").status, 200);
    for name in &leftovers {
        assert!(
            !tmp.path().join(name).exists(),
            "{name}, left by a server that died, was not swept"
        );
    }
    for name in &kept {
        assert!(
            tmp.path().join(name).join("index.html").is_file(),
            "{name} (a running process's, or no server's) was removed"
        );
    }
    let own = tmp.path().join(format!("ilji-serve-{}", serve.pid()));
    assert!(own.join("index.html").is_file(), "the preview is in TMPDIR");
    assert_eq!(serve.interrupt().code(), Some(0));
    assert!(!own.exists(), "the preview folder was left behind");
}

#[test]
fn a_poll_from_another_server_instance_answers_at_once_with_a_reload() {
    let site = blog();
    let serve = Serve::start(&site);
    let html = serve.get("/").text();
    let own = instance(&html);
    assert!(own.len() >= 8, "instance id {own:?}");
    let gen = generation(&html);

    // An open tab of an earlier server polls with that server's id and generation.
    let reply = request(
        serve.port,
        "GET",
        &format!("/__ilji/poll?since={}&instance=0123456789abcdef", gen + 5),
        REQUEST_TIMEOUT,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let answer: Value = serde_json::from_slice(&reply.body).expect("JSON");
    assert_eq!(answer["all"], json!(true), "{answer}");
    assert_eq!(answer["instance"], json!(own), "{answer}");

    // Its own pages' polls still wait for a change.
    let port = serve.port;
    let target = format!("/__ilji/poll?since={gen}&instance={own}");
    let pending = thread::spawn(move || request(port, "GET", &target, POLL_TIMEOUT));
    thread::sleep(Duration::from_millis(500));
    assert!(
        !pending.is_finished(),
        "a poll of this server answered at once"
    );
}
