//! A running `ilji serve` ([`Serve`]): started on a free port of 127.0.0.1 (under limits a
//! test sets on the child, never on this process), its URL, its log read line by line, the
//! polls of the reload signal, and readers of what the preview injects into pages.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::http::{request, Reply, REQUEST_TIMEOUT};
use super::{percent, send_signal, Site};

/// How long the first build and the URL may take (debug binary, tests in parallel).
pub const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a rebuild may take to show up in the log or on a page.
pub const REBUILD_TIMEOUT: Duration = Duration::from_secs(15);
/// A poll answers within 25 s even with nothing new; a little more than that.
pub const POLL_TIMEOUT: Duration = Duration::from_secs(35);
/// Quiet time after which no further rebuild is expected from an edit.
pub const SETTLE: Duration = Duration::from_millis(600);

/// What a server is started under, beside its arguments.
#[derive(Default)]
pub struct Limits {
    /// `ulimit -n`: how many files (and so connections) the process may hold open.
    pub open_files: Option<u32>,
    /// The temporary folder (`TMPDIR`) it writes its preview to.
    pub tmpdir: Option<PathBuf>,
}

/// A running `ilji -C <site> serve --port 0`; killed when dropped.
pub struct Serve {
    child: Child,
    pub port: u16,
    pub url: String,
    stderr: Receiver<String>,
    /// Every stderr line read so far, for failure messages.
    pub log: Vec<String>,
}

impl Serve {
    /// Starts the preview of `site` on a free port and waits until it serves.
    pub fn start(site: &Site) -> Serve {
        Serve::start_with(site, &[])
    }

    pub fn start_with(site: &Site, extra: &[&str]) -> Serve {
        Serve::launch(site.root(), extra, &Limits::default())
    }

    /// Starts the preview with `extra` arguments (`--port 0` unless they name a port) under
    /// `limits`.
    pub fn launch(site: &Path, extra: &[&str], limits: &Limits) -> Serve {
        let binary = env!("CARGO_BIN_EXE_ilji");
        let mut command = match limits.open_files {
            // `exec`, so that the process id is the server's own.
            Some(n) => {
                let mut sh = Command::new("sh");
                sh.args([
                    "-c",
                    &format!("ulimit -n {n} && exec \"$0\" \"$@\""),
                    binary,
                ]);
                sh
            }
            None => Command::new(binary),
        };
        command.arg("-C").arg(site).arg("serve");
        if !extra.contains(&"--port") {
            command.args(["--port", "0"]);
        }
        if let Some(tmp) = &limits.tmpdir {
            command.env("TMPDIR", tmp);
        }
        let mut child = command
            .args(extra)
            .env_remove("ILJI_TIMINGS")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ilji serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let stdout = lines_of(stdout);
        let stderr = lines_of(stderr);
        let mut serve = Serve {
            child,
            port: 0,
            url: String::new(),
            stderr,
            log: Vec::new(),
        };
        match stdout.recv_timeout(START_TIMEOUT) {
            Ok(first) => serve.url = first,
            Err(_) => {
                let status = serve.child.try_wait().ok().flatten();
                serve.drain_log(Duration::from_millis(200));
                panic!(
                    "ilji serve printed no URL on stdout within {START_TIMEOUT:?} (exit: {status:?})\n--- stderr ---\n{}",
                    serve.log.join("\n")
                );
            }
        }
        serve.port = port_of(&serve.url)
            .unwrap_or_else(|| panic!("the first stdout line is not the URL: {:?}", serve.url));
        serve
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `GET target` (sent exactly as written).
    pub fn get(&self, target: &str) -> Reply {
        request(self.port, "GET", target, REQUEST_TIMEOUT)
    }

    pub fn head(&self, target: &str) -> Reply {
        request(self.port, "HEAD", target, REQUEST_TIMEOUT)
    }

    /// The page at a decoded URL path such as `/posts/첫-글/`, requested percent-encoded.
    pub fn page(&self, path: &str) -> Reply {
        self.get(&percent(path))
    }

    /// Starts a long poll `GET /__ilji/poll?since=N` on a thread; join it for the JSON.
    pub fn poll(&self, since: u64) -> JoinHandle<Value> {
        let port = self.port;
        thread::spawn(move || {
            let reply = request(
                port,
                "GET",
                &format!("/__ilji/poll?since={since}"),
                POLL_TIMEOUT,
            );
            assert_eq!(reply.status, 200, "poll answered {}", reply.text());
            assert!(
                reply
                    .header("content-type")
                    .is_some_and(|t| t.starts_with("application/json")),
                "poll content type: {:?}",
                reply.header("content-type")
            );
            serde_json::from_slice(&reply.body)
                .unwrap_or_else(|e| panic!("poll answered no JSON ({e}): {}", reply.text()))
        })
    }

    /// Waits for the next stderr line that satisfies `pred`; fails, showing the log, after
    /// `timeout`.
    pub fn wait_log(
        &mut self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.log.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no log line {what} within {timeout:?}\n{}", self.shown())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("ilji serve closed stderr before {what}\n{}", self.shown())
                }
            }
        }
    }

    /// The rebuild line for an edit of `source` (a path relative to the site, as logged);
    /// fails if that rebuild failed.
    pub fn rebuilt(&mut self, source: &str) -> String {
        let line = self.change_line(source);
        assert!(
            line.contains(" → ") && !line.contains("→ error"),
            "the rebuild after editing {source} failed: {line}\n{}",
            self.shown()
        );
        line
    }

    /// The log line of the rebuild after an edit of `source`, whatever its outcome.
    pub fn change_line(&mut self, source: &str) -> String {
        self.wait_log(
            &format!("`changed … {source} …`"),
            REBUILD_TIMEOUT,
            |l| l.starts_with("changed ") && l.contains(source),
        )
    }

    /// The line of a failed rebuild after an edit of `source`.
    pub fn failed(&mut self, source: &str) -> String {
        let line = self.change_line(source);
        assert!(
            line.contains("→ error"),
            "editing {source} was expected to break the build: {line}\n{}",
            self.shown()
        );
        line
    }

    /// Reads the log for `quiet` and returns the lines that arrived.
    pub fn drain_log(&mut self, quiet: Duration) -> Vec<String> {
        let mut lines = Vec::new();
        while let Ok(line) = self.stderr.recv_timeout(quiet) {
            self.log.push(line.clone());
            lines.push(line);
        }
        lines
    }

    /// Waits until no rebuild has been logged for [`SETTLE`]; returns the rebuild lines read.
    pub fn settle(&mut self) -> Vec<String> {
        self.drain_log(SETTLE)
            .into_iter()
            .filter(|l| l.starts_with("changed "))
            .collect()
    }

    /// GETs `path` (decoded) until `pred` holds for the reply; fails after the timeout.
    pub fn wait_page(&mut self, path: &str, what: &str, pred: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + REBUILD_TIMEOUT;
        loop {
            let reply = self.page(path);
            if pred(&reply) {
                return reply;
            }
            if Instant::now() > deadline {
                self.drain_log(Duration::from_millis(100));
                panic!(
                    "{path} never showed {what} within {REBUILD_TIMEOUT:?}; last answer {}:\n{}\n{}",
                    reply.status,
                    reply.text(),
                    self.shown()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits for the process to end.
    pub fn interrupt(&mut self) -> ExitStatus {
        send_signal(self.pid(), rustix::process::Signal::INT).expect("send SIGINT");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for ilji serve") {
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "ilji serve did not stop within 10 s of SIGINT\n{}",
                    self.shown()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Fails, showing the log, if the server has exited.
    pub fn assert_alive(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            self.drain_log(Duration::from_millis(200));
            panic!("ilji serve exited ({status:?})\n{}", self.shown());
        }
    }

    pub fn shown(&self) -> String {
        format!("--- ilji serve stderr ---\n{}", self.log.join("\n"))
    }
}

impl Drop for Serve {
    /// Stops the server as Ctrl-C would, so that it removes its preview folder; kills it
    /// if it does not stop.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = send_signal(self.pid(), rustix::process::Signal::INT);
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The lines of a child's pipe, read on a thread into a channel.
pub fn lines_of(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// `http://127.0.0.1:4321/` → 4321.
pub fn port_of(url: &str) -> Option<u16> {
    let rest = url.strip_prefix("http://")?;
    let host_port = rest.strip_suffix('/')?;
    host_port.rsplit_once(':')?.1.parse().ok()
}

/// The generation a page was served at (the `var gen=N` of the injected script).
pub fn generation(html: &str) -> u64 {
    let at = html
        .find("var gen=")
        .unwrap_or_else(|| panic!("no reload script in the page:\n{html}"));
    html[at + "var gen=".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a generation number")
}

/// The number of changed pages a rebuild line reports (`… 3 page(s) changed …` or
/// `… 3 changed …`).
pub fn changed_count(line: &str) -> Option<usize> {
    let (_, outcome) = line.split_once(" → ")?;
    let words: Vec<&str> = outcome
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| *w == "changed")?;
    let number = match words.get(at.checked_sub(1)?)? {
        &"page(s)" => words.get(at.checked_sub(2)?)?,
        n => n,
    };
    number.parse().ok()
}

/// The `pages` of a poll answer.
pub fn poll_pages(answer: &Value) -> BTreeSet<String> {
    answer["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("no pages list in {answer}"))
        .iter()
        .map(|p| p.as_str().expect("a page path").to_owned())
        .collect()
}

pub fn join<T>(handle: JoinHandle<T>) -> T {
    handle.join().expect("the polling thread panicked")
}

/// The folder the preview writes its pages to: in the temporary folder, named with the
/// server's process id.
pub fn preview_folder(pid: u32) -> PathBuf {
    let pid = pid.to_string();
    let tmp = std::env::temp_dir();
    fs::read_dir(&tmp)
        .expect("list the temporary folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.split(|c: char| !c.is_ascii_digit()).any(|t| t == pid))
                && p.join("index.html").is_file()
        })
        .unwrap_or_else(|| {
            panic!(
                "no preview folder of process {pid} in {} (a folder named with the pid)",
                tmp.display()
            )
        })
}

/// A served page as `ilji build` would have written it: the live-reload script that the
/// preview injects before `</body>` taken out (it must be there, exactly once).
pub fn without_reload_script(html: &str) -> String {
    assert_eq!(
        html.matches("/__ilji/poll").count(),
        1,
        "one reload script per page:\n{html}"
    );
    let end = html.rfind("</body>").expect("the page has </body>");
    let start = html[..end]
        .rfind("<script>")
        .expect("the reload script sits before </body>");
    let script = &html[start..end];
    assert!(
        script.contains("/__ilji/poll") && script.ends_with("</script>"),
        "the reload script is right before </body>: {script}"
    );
    format!("{}{}", &html[..start], &html[end..])
}

/// A number from the server's `/proc/<pid>/status`: `VmHWM` (peak memory, kB), `Threads`.
pub fn proc_status(pid: u32, field: &str) -> u64 {
    let path = format!("/proc/{pid}/status");
    let status = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {path}: {e} (has the server exited?)"));
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {path}:\n{status}"))
}

/// The instance id a page's reload script sends with its polls.
pub fn instance(html: &str) -> String {
    let at = html
        .find("var inst=\"")
        .unwrap_or_else(|| panic!("no instance id in the reload script:\n{html}"));
    html[at + "var inst=\"".len()..]
        .chars()
        .take_while(|c| *c != '"')
        .collect()
}
