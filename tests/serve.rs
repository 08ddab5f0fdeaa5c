//! Integration tests of `ilji serve`, the live-reload preview: each test makes its own small
//! site, starts the real binary on a free port of 127.0.0.1 and talks to it as a browser
//! would — over raw HTTP/1.1 (so odd request paths go out exactly as written) and, for the
//! live reload itself, through a real headless Chromium driven by the DevTools protocol.
//!
//! The harness: [`Serve`] (the running server, its URL, its log), [`Reply`] (one HTTP
//! answer), [`Browser`]/[`Tab`] (Chromium). The site builder is `support::Site`.

#[allow(dead_code)] // shared with tests/cli.rs, which uses the rest of it
mod support;

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{links_to, percent, post, snapshot, Site};
use tempfile::TempDir;

/// How long the first build and the URL may take (debug binary, tests in parallel).
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a rebuild may take to show up in the log or on a page.
const REBUILD_TIMEOUT: Duration = Duration::from_secs(15);
/// How long an ordinary request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A poll answers within 25 s even with nothing new; a little more than that.
const POLL_TIMEOUT: Duration = Duration::from_secs(35);
/// Quiet time after which no further rebuild is expected from an edit.
const SETTLE: Duration = Duration::from_millis(600);

// ---------------------------------------------------------------------------------------
// The harness: the server
// ---------------------------------------------------------------------------------------

/// What a server is started under, beside its arguments.
#[derive(Default)]
struct Limits {
    /// `ulimit -n`: how many files (and so connections) the process may hold open.
    open_files: Option<u32>,
    /// The temporary folder (`TMPDIR`) it writes its preview to.
    tmpdir: Option<PathBuf>,
}

/// A running `ilji -C <site> serve --port 0`; killed when dropped.
struct Serve {
    child: Child,
    port: u16,
    url: String,
    stderr: Receiver<String>,
    /// Every stderr line read so far, for failure messages.
    log: Vec<String>,
}

impl Serve {
    /// Starts the preview of `site` on a free port and waits until it serves.
    fn start(site: &Site) -> Serve {
        Serve::start_with(site, &[])
    }

    fn start_with(site: &Site, extra: &[&str]) -> Serve {
        Serve::launch(site, extra, &Limits::default())
    }

    /// Starts the preview with `extra` arguments (`--port 0` unless they name a port) under
    /// `limits`.
    fn launch(site: &Site, extra: &[&str], limits: &Limits) -> Serve {
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
        command.arg("-C").arg(site.root()).arg("serve");
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

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `GET target` (sent exactly as written).
    fn get(&self, target: &str) -> Reply {
        request(self.port, "GET", target, REQUEST_TIMEOUT)
    }

    fn head(&self, target: &str) -> Reply {
        request(self.port, "HEAD", target, REQUEST_TIMEOUT)
    }

    /// The page at a decoded URL path such as `/posts/첫-글/`, requested percent-encoded.
    fn page(&self, path: &str) -> Reply {
        self.get(&percent(path))
    }

    /// Starts a long poll `GET /__ilji/poll?since=N` on a thread; join it for the JSON.
    fn poll(&self, since: u64) -> JoinHandle<Value> {
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
    fn wait_log(&mut self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
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
    fn rebuilt(&mut self, source: &str) -> String {
        let line = self.change_line(source);
        assert!(
            line.contains(" → ") && !line.contains("→ error"),
            "the rebuild after editing {source} failed: {line}\n{}",
            self.shown()
        );
        line
    }

    /// The log line of the rebuild after an edit of `source`, whatever its outcome.
    fn change_line(&mut self, source: &str) -> String {
        self.wait_log(
            &format!("`changed … {source} …`"),
            REBUILD_TIMEOUT,
            |l| l.starts_with("changed ") && l.contains(source),
        )
    }

    /// The line of a failed rebuild after an edit of `source`.
    fn failed(&mut self, source: &str) -> String {
        let line = self.change_line(source);
        assert!(
            line.contains("→ error"),
            "editing {source} was expected to break the build: {line}\n{}",
            self.shown()
        );
        line
    }

    /// Reads the log for `quiet` and returns the lines that arrived.
    fn drain_log(&mut self, quiet: Duration) -> Vec<String> {
        let mut lines = Vec::new();
        while let Ok(line) = self.stderr.recv_timeout(quiet) {
            self.log.push(line.clone());
            lines.push(line);
        }
        lines
    }

    /// Waits until no rebuild has been logged for [`SETTLE`]; returns the rebuild lines read.
    fn settle(&mut self) -> Vec<String> {
        self.drain_log(SETTLE)
            .into_iter()
            .filter(|l| l.starts_with("changed "))
            .collect()
    }

    /// GETs `path` (decoded) until `pred` holds for the reply; fails after the timeout.
    fn wait_page(&mut self, path: &str, what: &str, pred: impl Fn(&Reply) -> bool) -> Reply {
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
    fn interrupt(&mut self) -> ExitStatus {
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

    fn shown(&self) -> String {
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
fn lines_of(pipe: impl Read + Send + 'static) -> Receiver<String> {
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
fn port_of(url: &str) -> Option<u16> {
    let rest = url.strip_prefix("http://")?;
    let host_port = rest.strip_suffix('/')?;
    host_port.rsplit_once(':')?.1.parse().ok()
}

/// The generation a page was served at (the `var gen=N` of the injected script).
fn generation(html: &str) -> u64 {
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
fn changed_count(line: &str) -> Option<usize> {
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
fn poll_pages(answer: &Value) -> BTreeSet<String> {
    answer["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("no pages list in {answer}"))
        .iter()
        .map(|p| p.as_str().expect("a page path").to_owned())
        .collect()
}

fn join<T>(handle: JoinHandle<T>) -> T {
    handle.join().expect("the polling thread panicked")
}

/// The folder the preview writes its pages to: in the temporary folder, named with the
/// server's process id.
fn preview_folder(pid: u32) -> PathBuf {
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

// ---------------------------------------------------------------------------------------
// The harness: raw HTTP/1.1
// ---------------------------------------------------------------------------------------

/// One HTTP answer.
struct Reply {
    status: u16,
    /// Header names lower-cased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn is_html(&self) -> bool {
        self.header("content-type") == Some("text/html; charset=utf-8")
    }
}

/// Sends one request over a fresh connection (`Connection: close`) and reads the answer.
/// No client library: the request target goes out byte for byte, unnormalised.
fn request(port: u16, method: &str, target: &str, timeout: Duration) -> Reply {
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

fn parse_reply(raw: &[u8]) -> Option<Reply> {
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

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
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

/// A served page as `ilji build` would have written it: the live-reload script that the
/// preview injects before `</body>` taken out (it must be there, exactly once).
fn without_reload_script(html: &str) -> String {
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

// ---------------------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------------------

/// The smallest valid PNG (1×1), for a static file with a Hangul name.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

const FIRST: &str = "content/posts/첫-글.md";
const FIRST_URL: &str = "/posts/첫-글/";

/// Three posts in two categories (one with a Hangul file name, so a Hangul URL), a
/// standalone page and a static image with a Hangul name.
fn blog() -> Site {
    Site::new()
        .file("site.yaml", "title: 미리보기\n")
        .file(FIRST, first_post("첫 글", "첫 번째 본문입니다."))
        .file(
            "content/posts/second.md",
            post(
                "두 번째 글",
                "2025-01-02T09:00:00+09:00",
                "일지",
                "",
                "두 번째 본문입니다.",
            ),
        )
        .file(
            "content/posts/other.md",
            post(
                "다른 이야기",
                "2025-01-03T09:00:00+09:00",
                "기타",
                "",
                "다른 카테고리의 본문.",
            ),
        )
        .file(
            "content/about.md",
            "---\ntitle: 소개\n---\n소개 페이지입니다.\n",
        )
        .file("static/images/로고.png", PNG)
}

fn first_post(title: &str, body: &str) -> String {
    post(
        title,
        "2025-01-01T09:00:00+09:00",
        "일지",
        "tags: [시작]",
        body,
    )
}

// ---------------------------------------------------------------------------------------
// Files over HTTP
// ---------------------------------------------------------------------------------------

#[test]
fn prints_the_url_first_and_serves_pages_with_the_reload_script() {
    let site = blog();
    let mut serve = Serve::start(&site);
    assert!(
        serve.url.starts_with("http://127.0.0.1:") && serve.port != 0,
        "{}",
        serve.url
    );

    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert!(home.is_html(), "{:?}", home.header("content-type"));
    let html = home.text();
    assert!(
        html.contains("첫 글") && html.contains("두 번째 글"),
        "{html}"
    );
    let script = html.find("/__ilji/poll").expect("the reload script");
    let body_end = html.rfind("</body>").expect("</body>");
    assert!(script < body_end, "the script is injected before </body>");
    assert_eq!(generation(&html), 0, "nothing was rebuilt yet");

    // index.html of a folder, also asked for by name.
    let about = serve.get("/about/");
    assert_eq!(about.status, 200);
    assert!(about.is_html());
    assert!(about.text().contains("소개 페이지입니다."));
    let by_name = serve.get("/about/index.html");
    assert_eq!(by_name.status, 200);
    assert_eq!(by_name.body, about.body);

    // Not HTML: served as built, nothing injected.
    let css = serve.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|t| t.starts_with("text/css")),
        "{:?}",
        css.header("content-type")
    );
    assert!(!css.text().contains("__ilji"));
    assert_eq!(
        css.body,
        fs::read(site.root().join("themes/default/static/style.css")).expect("theme css")
    );

    // HEAD: the same status and type, no body.
    let head = serve.head("/");
    assert_eq!(head.status, 200);
    assert!(head.is_html());
    assert!(head.body.is_empty(), "HEAD sent a body");

    // The log: built, then serving the URL; no warning on loopback.
    let url = serve.url.clone();
    serve.wait_log("`serving <url>`", START_TIMEOUT, |l| {
        l.starts_with("serving ") && l.contains(&url)
    });
    assert!(
        serve.log.iter().any(|l| l.starts_with("built ")),
        "{}",
        serve.shown()
    );
    assert!(
        !serve.log.iter().any(|l| l.contains("warning")),
        "{}",
        serve.shown()
    );
}

#[test]
fn a_missing_page_is_the_sites_404_page_with_status_404() {
    let site = blog();
    let serve = Serve::start(&site);
    for missing in [
        "/posts/nothing-here/",
        "/no/such/file.css",
        &percent("/posts/없는-글/"),
    ] {
        let reply = serve.get(missing);
        assert_eq!(reply.status, 404, "{missing}");
        assert!(
            reply.is_html(),
            "{missing}: {:?}",
            reply.header("content-type")
        );
        let html = reply.text();
        assert!(
            html.contains("페이지를 찾을 수 없습니다"),
            "{missing}: the theme's 404 page\n{html}"
        );
        assert!(html.contains("/__ilji/poll"), "the 404 page reloads too");
    }
    // /404.html itself is a page of the site.
    assert_eq!(serve.get("/404.html").status, 200);
}

#[test]
fn hangul_paths_are_served_percent_encoded() {
    let site = blog();
    let serve = Serve::start(&site);

    let first = serve.get("/posts/%EC%B2%AB-%EA%B8%80/");
    assert_eq!(first.status, 200);
    assert!(first.text().contains("첫 번째 본문입니다."));
    // Lower-case escapes name the same page.
    let lower = serve.get("/posts/%ec%b2%ab-%ea%b8%80/");
    assert_eq!(lower.status, 200);
    assert_eq!(
        without_reload_script(&lower.text()),
        without_reload_script(&first.text())
    );

    // Every link of the home page that stays on the site leads to a page (the links are
    // percent-encoded; the server decodes them).
    let home = serve.get("/").text();
    let links = links_to(&home, "/");
    assert!(
        links.contains(&"/posts/%EC%B2%AB-%EA%B8%80/".to_owned()),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("/category/%EC%9D%BC%EC%A7%80/")),
        "{links:?}"
    );
    for link in &links {
        let reply = serve.get(link);
        assert_eq!(reply.status, 200, "{link}");
    }
    assert_eq!(serve.page("/category/일지/").status, 200);
    assert_eq!(serve.page("/tags/시작/").status, 200);

    // A static file with a Hangul name: the bytes, with its type.
    let logo = serve.page("/images/로고.png");
    assert_eq!(logo.status, 200);
    assert_eq!(logo.header("content-type"), Some("image/png"));
    assert_eq!(logo.body, PNG);
}

#[test]
fn traversal_attempts_are_refused() {
    let site = blog();
    let serve = Serve::start(&site);
    // A file beside the preview folder (both in the temporary folder): what a traversal
    // from the served root would reach.
    let mut secret = tempfile::Builder::new()
        .prefix("ilji-secret-")
        .suffix(".txt")
        .tempfile()
        .expect("a secret file");
    secret
        .write_all(b"TOP-SECRET-CONTENT")
        .expect("write the secret");
    let name = secret
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 name")
        .to_owned();
    let attempts = [
        format!("/../{name}"),
        format!("/posts/../../{name}"),
        format!("//../{name}"),
        format!("/%2e%2e/{name}"),
        format!("/%2E%2E/{name}"),
        format!("/.%2e/{name}"),
        format!("/posts/%2e%2e/%2e%2e/{name}"),
        format!("/%2e%2e%2f{name}"),
        format!("/posts/..%2f..%2f{name}"),
        format!("/posts%2f..%2f..%2f{name}"),
        format!("/%252e%252e/{name}"),
        format!("/%252e%252e%252f{name}"),
        format!("/posts/%252e%252e/%252e%252e/{name}"),
        format!("/..\\{name}"),
        format!("/posts\\..\\..\\{name}"),
        format!("/..%5c{name}"),
        format!("/%2e%2e%5c{name}"),
        format!("/posts%5c..%5c..%5c{name}"),
        format!("/%255c..%255c{name}"),
    ];
    for target in &attempts {
        let reply = serve.get(target);
        assert_eq!(reply.status, 403, "GET {target}: {}", reply.text());
        assert!(
            !reply.text().contains("TOP-SECRET"),
            "GET {target} leaked the file"
        );
    }
    // The site itself is still served.
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn symbolic_links_are_never_followed() {
    let site = blog();
    site.write("secret.txt", "TOP-SECRET-CONTENT");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("secret.txt"),
        site.root().join("static/link.txt"),
    )
    .expect("a symlink in static/");
    let serve = Serve::start(&site);

    // A link among the sources: not published, or refused.
    let reply = serve.get("/link.txt");
    assert!(
        matches!(reply.status, 403 | 404),
        "a symlinked static file answered {}",
        reply.status
    );
    assert!(!reply.text().contains("TOP-SECRET"));

    // Links inside the served folder itself: a file and a folder pointing outside.
    let served = preview_folder(serve.pid());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.root().join("secret.txt"), served.join("leak.txt"))
            .expect("a file symlink in the preview folder");
        std::os::unix::fs::symlink(site.root(), served.join("outside"))
            .expect("a folder symlink in the preview folder");
    }
    for target in ["/leak.txt", "/outside/secret.txt", "/outside/"] {
        let reply = serve.get(target);
        assert_eq!(reply.status, 403, "GET {target}: {}", reply.text());
        assert!(!reply.text().contains("TOP-SECRET"), "GET {target} leaked");
    }
}

#[test]
fn ilji_build_output_has_no_reload_script() {
    let site = blog();
    site.build().run();
    let public = snapshot(&site.root().join("public"));
    assert!(public.contains_key(Path::new("index.html")));
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("__ilji") && !text.contains("ilji-error"),
            "{} carries the preview's script",
            path.display()
        );
    }
}

#[test]
fn serve_never_writes_public() {
    let site = blog();
    let mut serve = Serve::start(&site);
    site.write(FIRST, first_post("첫 글", "고친 본문."));
    serve.rebuilt(FIRST);
    assert!(
        !site.root().join("public").exists(),
        "ilji serve wrote public/ (pages with the reload script would be published)"
    );
}

// ---------------------------------------------------------------------------------------
// Edits, the reload signal, errors
// ---------------------------------------------------------------------------------------

#[test]
fn an_edit_is_announced_to_waiting_pages_and_served() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let before = serve.page(FIRST_URL);
    assert_eq!(before.status, 200);
    let gen = generation(&before.text());

    // A page's poll waits while nothing changes; pages are served meanwhile.
    let pending = serve.poll(gen);
    thread::sleep(Duration::from_millis(300));
    assert!(
        !pending.is_finished(),
        "a poll with nothing new answered at once"
    );
    assert_eq!(serve.get("/").status, 200, "a pending poll blocks pages");

    site.write(FIRST, first_post("첫 글", "고친 본문입니다."));
    let line = serve.rebuilt(FIRST);

    let answer = join(pending);
    let new_gen = answer["generation"].as_u64().expect("a generation");
    assert!(new_gen > gen, "{answer}");
    assert_eq!(answer["all"], json!(false), "{answer}");
    assert_eq!(answer["css_only"], json!(false), "{answer}");
    let pages = poll_pages(&answer);
    assert!(
        pages.contains(FIRST_URL),
        "the edited post (decoded path) is among the pages: {answer}"
    );
    assert!(
        !pages.contains("/posts/other/"),
        "a post of another category did not change: {answer}"
    );
    assert_eq!(
        changed_count(&line),
        Some(pages.len()),
        "the log counts the changed pages: {line} vs {answer}"
    );

    let after = serve.page(FIRST_URL);
    assert_eq!(after.status, 200);
    let html = after.text();
    assert!(html.contains("고친 본문입니다."), "{html}");
    assert!(!html.contains("첫 번째 본문입니다."), "{html}");
    assert_eq!(
        generation(&html),
        new_gen,
        "a page served now starts from the new generation"
    );

    // A page that polls late hears of the same change at once.
    let late = join(serve.poll(gen));
    assert_eq!(late["generation"], json!(new_gen));
    assert!(poll_pages(&late).contains(FIRST_URL));
}

#[test]
fn a_stylesheet_change_is_css_only() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let gen = generation(&serve.get("/").text());
    let pending = serve.poll(gen);
    let css_path = site.root().join("themes/default/static/style.css");
    let mut css = fs::read_to_string(&css_path).expect("theme css");
    css.push_str("\nh1 { color: rgb(1, 2, 3); }\n");
    site.write("themes/default/static/style.css", &css);
    let line = serve.rebuilt("themes/default/static/style.css");
    assert!(line.contains("stylesheet swapped"), "{line}");

    let answer = join(pending);
    assert_eq!(answer["css_only"], json!(true), "{answer}");
    assert_eq!(answer["all"], json!(false), "{answer}");
    assert!(poll_pages(&answer).is_empty(), "no page changed: {answer}");
    assert_eq!(serve.get("/style.css").text(), css);
}

#[test]
fn an_error_shows_an_overlay_over_the_last_good_page_and_recovery_reloads_all() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let gen = generation(&serve.page(FIRST_URL).text());
    let pending = serve.poll(gen);

    site.write(
        FIRST,
        "---\ntitle: 첫 글\ndate: 2025-01-01T09:00:00+09:00\ncategory: 일지: 둘\n---\n본문\n",
    );
    let line = serve.failed(FIRST);
    assert!(
        line.contains("content/posts/첫-글.md:"),
        "names the file and line: {line}"
    );
    let broken = join(pending);
    assert_eq!(
        broken["all"],
        json!(true),
        "every page shows the error: {broken}"
    );
    let broken_gen = broken["generation"].as_u64().expect("a generation");

    // The last good page, with the overlay naming the file.
    let page = serve.page(FIRST_URL);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("첫 번째 본문입니다."),
        "the last good page: {html}"
    );
    let overlay = html
        .find(r#"<div id="ilji-error" role="alert""#)
        .unwrap_or_else(|| panic!("no error overlay:\n{html}"));
    let overlay = &html[overlay..];
    let pre = &overlay[overlay.find("<pre").expect("the error text in <pre>")..];
    let pre = &pre[..pre.find("</pre>").expect("</pre>")];
    assert!(pre.contains("content/posts/첫-글.md:"), "{pre}");
    assert!(pre.contains("error"), "{pre}");
    // Every HTML page carries it, the 404 page too.
    for other in ["/", "/posts/other/", "/posts/nothing/"] {
        assert!(
            serve.page(other).text().contains(r#"id="ilji-error""#),
            "{other} lacks the overlay"
        );
    }
    assert!(!serve.get("/style.css").text().contains("ilji-error"));

    // The fix: every page reloads, the overlay is gone, the fix is shown.
    let pending = serve.poll(broken_gen);
    site.write(FIRST, first_post("첫 글", "고쳐진 본문입니다."));
    serve.rebuilt(FIRST);
    let recovered = join(pending);
    assert_eq!(
        recovered["all"],
        json!(true),
        "recovery reloads every page: {recovered}"
    );
    let html = serve.page(FIRST_URL).text();
    assert!(!html.contains("ilji-error"), "{html}");
    assert!(html.contains("고쳐진 본문입니다."), "{html}");
    assert!(!serve.page("/").text().contains("ilji-error"));
}

#[test]
fn the_error_overlay_escapes_the_error_text() {
    let site = blog();
    let mut serve = Serve::start(&site);
    site.write("site.yaml", "title: 미리보기\n<b>oops</b>: 1\n");
    let line = serve.failed("site.yaml");
    assert!(
        line.contains("<b>oops</b>"),
        "the unknown key is named: {line}"
    );
    let html = serve.get("/").text();
    assert!(html.contains(r#"id="ilji-error""#), "{html}");
    assert!(
        html.contains("&lt;b&gt;oops&lt;/b&gt;"),
        "escaped in the overlay: {html}"
    );
    assert!(
        !html.contains("<b>oops</b>"),
        "raw HTML from the error: {html}"
    );

    site.write("site.yaml", "title: 미리보기\n");
    serve.rebuilt("site.yaml");
    assert!(!serve.get("/").text().contains("ilji-error"));
}

#[test]
fn a_site_broken_at_start_is_served_once_fixed() {
    let site = blog().file(
        "content/posts/second.md",
        "---\ntitle: 두 번째 글\ndate: 2025-01-02\n---\n분류가 없다.\n",
    );
    let mut serve = Serve::start(&site);
    serve.wait_log("naming the broken file", START_TIMEOUT, |l| {
        l.contains("content/posts/second.md")
    });
    let home = serve.get("/");
    assert!(home.is_html());
    let html = home.text();
    assert!(
        html.contains(r#"id="ilji-error""#),
        "the error is shown: {html}"
    );
    assert!(html.contains("content/posts/second.md"), "{html}");
    assert!(
        html.contains("/__ilji/poll"),
        "and the page waits for the fix"
    );

    site.write(
        "content/posts/second.md",
        post(
            "두 번째 글",
            "2025-01-02T09:00:00+09:00",
            "일지",
            "",
            "고쳤다.",
        ),
    );
    serve.rebuilt("content/posts/second.md");
    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert!(!home.text().contains("ilji-error"));
    assert!(serve.page("/posts/second/").text().contains("고쳤다."));
}

// ---------------------------------------------------------------------------------------
// How editors save
// ---------------------------------------------------------------------------------------

#[test]
fn editor_temp_and_swap_files_trigger_no_rebuild() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let posts = site.root().join("content/posts");
    let leftovers = [
        ".첫-글.md.swp",
        ".첫-글.md.swx",
        ".첫-글.md.swo",
        "첫-글.md~",
        "#첫-글.md#",
        "4913",
        ".첫-글.md.tmp",
    ];
    for name in leftovers {
        fs::write(posts.join(name), "임시").expect("an editor's file");
    }
    for name in leftovers {
        fs::write(posts.join(name), "임시 2").expect("edit it");
    }
    for name in leftovers {
        fs::remove_file(posts.join(name)).expect("remove it");
    }
    let rebuilds = serve.settle();
    assert!(
        rebuilds.is_empty(),
        "editor leftovers caused rebuilds: {rebuilds:?}"
    );

    // The real save is heard, and names only the post.
    site.write(FIRST, first_post("첫 글", "저장된 본문."));
    let line = serve.rebuilt(FIRST);
    for name in leftovers {
        assert!(!line.contains(name), "{line}");
    }
    assert!(serve.page(FIRST_URL).text().contains("저장된 본문."));
}

#[test]
fn atomic_saves_by_rename_are_picked_up() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let posts = site.root().join("content/posts");
    let target = posts.join("첫-글.md");

    // Write a hidden temporary file, then rename it over the post.
    let tmp = posts.join(".첫-글.md.tmp1234");
    fs::write(&tmp, first_post("첫 글", "임시 파일을 옮긴 본문.")).expect("temp file");
    fs::rename(&tmp, &target).expect("rename over the post");
    serve.rebuilt(FIRST);
    serve.wait_page(FIRST_URL, "the renamed-over text", |r| {
        r.text().contains("임시 파일을 옮긴 본문.")
    });
    serve.settle();

    // Vim (backupcopy=no): probe file 4913, the post renamed to a backup, a new file
    // written, the backup removed.
    fs::write(posts.join("4913"), "").expect("vim's probe");
    fs::remove_file(posts.join("4913")).expect("vim's probe removed");
    fs::rename(&target, posts.join("첫-글.md~")).expect("vim's backup");
    fs::write(&target, first_post("첫 글", "빔으로 저장한 본문.")).expect("vim's write");
    fs::remove_file(posts.join("첫-글.md~")).expect("vim removes the backup");
    serve.rebuilt(FIRST);
    serve.wait_page(FIRST_URL, "vim's text", |r| {
        r.status == 200 && r.text().contains("빔으로 저장한 본문.")
    });
    serve.settle();

    // JetBrains' safe write: a ___jb_tmp___ file, the post renamed to ___jb_old___, the
    // temp renamed to the post, the old one removed.
    let jb_tmp = posts.join("첫-글.md___jb_tmp___");
    let jb_old = posts.join("첫-글.md___jb_old___");
    fs::write(&jb_tmp, first_post("첫 글", "젯브레인즈로 저장한 본문.")).expect("jb tmp");
    fs::rename(&target, &jb_old).expect("jb old");
    fs::rename(&jb_tmp, &target).expect("jb tmp to the post");
    fs::remove_file(&jb_old).expect("jb removes the old");
    serve.rebuilt(FIRST);
    serve.wait_page(FIRST_URL, "JetBrains' text", |r| {
        r.status == 200 && r.text().contains("젯브레인즈로 저장한 본문.")
    });
    serve.settle();

    assert!(
        !serve.log.iter().any(|l| l.contains("→ error")),
        "a save by rename broke a build\n{}",
        serve.shown()
    );
    // Nothing of the editors' files was published.
    assert_eq!(serve.page("/posts/첫-글.md___jb_tmp___").status, 404);
    assert_eq!(serve.page("/posts/첫-글.md~").status, 404);
    assert!(serve.get("/").text().contains("젯브레인즈로 저장한 본문."));
}

#[test]
fn a_file_deleted_and_recreated_is_picked_up() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let target = site.root().join(FIRST);

    // At once, as some editors save.
    fs::remove_file(&target).expect("delete the post");
    fs::write(&target, first_post("첫 글", "바로 다시 만든 본문.")).expect("recreate it");
    serve.wait_page(FIRST_URL, "the recreated text", |r| {
        r.status == 200 && r.text().contains("바로 다시 만든 본문.")
    });
    serve.settle();

    // With a rebuild in between: the page goes, then comes back.
    fs::remove_file(&target).expect("delete the post");
    serve.rebuilt(FIRST);
    assert_eq!(serve.page(FIRST_URL).status, 404);
    assert!(!serve.get("/").text().contains("첫 글"));
    fs::write(&target, first_post("첫 글", "나중에 다시 만든 본문.")).expect("recreate it");
    serve.rebuilt(FIRST);
    let page = serve.page(FIRST_URL);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("나중에 다시 만든 본문."));
    assert!(serve.get("/").text().contains("첫 글"));
}

// ---------------------------------------------------------------------------------------
// Adding, deleting, renaming posts
// ---------------------------------------------------------------------------------------

#[test]
fn posts_added_deleted_and_renamed_while_serving() {
    let site = blog();
    let mut serve = Serve::start(&site);

    // Added: its page, and the home page lists it; a waiting page hears of both.
    let gen = generation(&serve.get("/").text());
    let pending = serve.poll(gen);
    site.write(
        "content/posts/새-글.md",
        post(
            "새로 쓴 글",
            "2025-01-05T09:00:00+09:00",
            "일지",
            "",
            "새 본문.",
        ),
    );
    serve.rebuilt("content/posts/새-글.md");
    let pages = poll_pages(&join(pending));
    assert!(
        pages.contains("/posts/새-글/") && pages.contains("/"),
        "{pages:?}"
    );
    assert!(serve.page("/posts/새-글/").text().contains("새 본문."));
    assert!(serve.get("/").text().contains("새로 쓴 글"));

    // Deleted: 404, and gone from the lists.
    let gen = generation(&serve.get("/").text());
    let pending = serve.poll(gen);
    fs::remove_file(site.root().join("content/posts/second.md")).expect("delete a post");
    serve.rebuilt("content/posts/second.md");
    let pages = poll_pages(&join(pending));
    assert!(
        pages.contains("/posts/second/"),
        "a removed page reloads: {pages:?}"
    );
    assert_eq!(serve.page("/posts/second/").status, 404);
    assert!(!serve.get("/").text().contains("두 번째 글"));
    assert!(!serve.page("/posts/새-글/").text().contains("두 번째 글"));

    // Renamed: the old address is gone, the new one serves it.
    fs::rename(
        site.root().join("content/posts/other.md"),
        site.root().join("content/posts/다른-이야기.md"),
    )
    .expect("rename a post");
    serve.rebuilt("content/posts/다른-이야기.md");
    serve.settle();
    assert_eq!(serve.page("/posts/other/").status, 404);
    let renamed = serve.page("/posts/다른-이야기/");
    assert_eq!(renamed.status, 200);
    assert!(renamed.text().contains("다른 카테고리의 본문."));
    let home = serve.get("/").text();
    assert!(links_to(&home, "/posts/").contains(&percent("/posts/다른-이야기/")));
    assert!(!links_to(&home, "/posts/").contains(&"/posts/other/".to_owned()));
}

fn bundle(title: &str) -> String {
    post(
        title,
        "2025-01-06T09:00:00+09:00",
        "일지",
        "",
        "![그림](그림.png)",
    )
}

#[test]
fn a_post_bundle_folder_added_while_serving_is_published() {
    let site = blog();
    let mut serve = Serve::start(&site);
    // A new folder with the post and an image beside it, as `cp -r` or a checkout makes it.
    site.write("content/posts/묶음/index.md", bundle("묶음 글"));
    site.write("content/posts/묶음/그림.png", PNG);
    serve.wait_page("/posts/묶음/", "the bundle's post", |r| r.status == 200);
    serve.wait_page("/posts/묶음/그림.png", "the bundle's image", |r| {
        r.status == 200 && r.body == PNG
    });
    serve.wait_page("/", "the bundle listed", |r| r.text().contains("묶음 글"));
}

/// The blog with a post bundle `content/posts/묶음/` (index.md and an image), served.
fn serve_with_bundle() -> (Site, Serve) {
    let site = blog()
        .file("content/posts/묶음/index.md", bundle("묶음 글"))
        .file("content/posts/묶음/그림.png", PNG);
    let serve = Serve::start(&site);
    assert_eq!(serve.page("/posts/묶음/").status, 200);
    assert_eq!(serve.page("/posts/묶음/그림.png").body, PNG);
    (site, serve)
}

#[test]
fn a_post_bundle_folder_renamed_while_serving_moves_with_its_files() {
    let (site, mut serve) = serve_with_bundle();
    fs::rename(
        site.root().join("content/posts/묶음"),
        site.root().join("content/posts/새-묶음"),
    )
    .expect("rename the bundle folder");
    serve.wait_page("/posts/새-묶음/", "the renamed bundle", |r| {
        r.status == 200
    });
    serve.wait_page("/posts/새-묶음/그림.png", "the moved image", |r| {
        r.status == 200 && r.body == PNG
    });
    serve.wait_page("/posts/묶음/", "the old address gone", |r| {
        r.status == 404
    });
    serve.settle();
    assert_eq!(
        serve.page("/posts/묶음/그림.png").status,
        404,
        "the old folder's image is still served (a fresh build has no such file)"
    );
}

#[test]
fn a_post_bundle_folder_deleted_while_serving_is_gone_with_its_files() {
    let (site, mut serve) = serve_with_bundle();
    fs::remove_dir_all(site.root().join("content/posts/묶음")).expect("delete the bundle");
    serve.wait_page("/posts/묶음/", "the deleted bundle gone", |r| {
        r.status == 404
    });
    serve.wait_page("/", "the bundle no longer listed", |r| {
        !r.text().contains("묶음 글")
    });
    serve.settle();
    assert_eq!(
        serve.page("/posts/묶음/그림.png").status,
        404,
        "the deleted bundle's image is still served (a fresh build has no such file)"
    );
}

#[test]
fn a_templates_folder_created_while_serving_is_watched() {
    let site = blog();
    let mut serve = Serve::start(&site);
    assert!(!site.root().join("templates").exists());
    let theme_post = fs::read_to_string(site.root().join("themes/default/templates/post.html"))
        .expect("the theme's post template");

    site.write(
        "templates/post.html",
        theme_post.replace(
            "<article class=\"post\">",
            "<article class=\"post\" data-override=\"1\">",
        ),
    );
    serve.wait_page(FIRST_URL, "the override", |r| {
        r.text().contains("data-override=\"1\"")
    });
    serve.settle();

    // The new folder's files are watched from now on.
    site.write(
        "templates/post.html",
        theme_post.replace(
            "<article class=\"post\">",
            "<article class=\"post\" data-override=\"2\">",
        ),
    );
    serve.rebuilt("templates/post.html");
    serve.wait_page(FIRST_URL, "the edited override", |r| {
        r.text().contains("data-override=\"2\"")
    });
}

// ---------------------------------------------------------------------------------------
// Incremental rebuilds equal a full build
// ---------------------------------------------------------------------------------------

fn dated(n: u32) -> String {
    format!("2025-02-{n:02}T09:00:00+09:00")
}

#[test]
fn rebuilds_after_edits_equal_a_fresh_full_build() {
    let mut site = Site::new()
        .file("site.yaml", "title: 증분\npaginate: 2\nother_posts: 4\n")
        .file("content/about.md", "---\ntitle: 소개\n---\n소개.\n")
        .file(
            "content/posts/가을.md",
            post(
                "가을 이야기",
                &dated(1),
                "일지",
                "tags: [계절, 여행]",
                "가을 본문.",
            ),
        )
        .file(
            "content/posts/bravo.md",
            post("브라보", &dated(2), "일지", "tags: [여행]", "브라보 본문."),
        )
        .file(
            "content/posts/charlie.md",
            post("찰리", &dated(3), "기타", "tags: [단독태그]", "찰리 본문."),
        )
        .file(
            "content/posts/delta.md",
            post("델타", &dated(4), "일지", "", "델타 본문."),
        )
        .file(
            "content/posts/echo.md",
            post("에코", &dated(5), "기타", "", "에코 본문."),
        );
    for n in 6..=8 {
        site = site.file(
            &format!("content/posts/p{n}.md"),
            post(&format!("글 {n}"), &dated(n), "일지", "", "본문."),
        );
    }
    let site = site
        .file("static/old.txt", "지울 파일")
        .file("static/keep.txt", "처음")
        .file("static/images/로고.png", PNG);
    let mut serve = Serve::start(&site);
    assert_eq!(serve.page("/old.txt").status, 200);
    // Before the edits: /page/4/ (8 posts, 2 a page) and the lone tag's page exist.
    assert_eq!(serve.page("/page/4/").status, 200);
    assert_eq!(serve.page("/tags/단독태그/").status, 200);
    assert_eq!(serve.page("/category/기타/").status, 200);

    // The site's settings.
    site.write(
        "site.yaml",
        "title: 증분 블로그\npaginate: 2\nother_posts: 4\n",
    );
    serve.rebuilt("site.yaml");
    // A body.
    site.write(
        "content/posts/가을.md",
        post(
            "가을 이야기",
            &dated(1),
            "일지",
            "tags: [계절, 여행]",
            "고친 가을 본문.\n\n둘째 문단.",
        ),
    );
    serve.rebuilt("content/posts/가을.md");
    // A title (shown in lists, prev/next links and other posts' lists).
    site.write(
        "content/posts/bravo.md",
        post(
            "브라보 (고침)",
            &dated(2),
            "일지",
            "tags: [여행]",
            "브라보 본문.",
        ),
    );
    serve.rebuilt("content/posts/bravo.md");
    // Comments (the count shows wherever the post is listed).
    site.write(
        "content/posts/bravo.comments.yaml",
        "- author: 손님\n  date: 2025-02-03\n  body: 좋은 글이네요\n",
    );
    serve.rebuilt("content/posts/bravo.comments.yaml");
    // A post added, with a new tag.
    site.write(
        "content/posts/foxtrot.md",
        post(
            "폭스트롯",
            &dated(9),
            "일지",
            "tags: [새태그, 여행]",
            "새 글.",
        ),
    );
    serve.rebuilt("content/posts/foxtrot.md");
    // A post deleted (its tag had no other post), and another.
    fs::remove_file(site.root().join("content/posts/charlie.md")).expect("delete charlie");
    serve.rebuilt("content/posts/charlie.md");
    fs::remove_file(site.root().join("content/posts/p7.md")).expect("delete p7");
    serve.rebuilt("content/posts/p7.md");
    fs::remove_file(site.root().join("content/posts/p8.md")).expect("delete p8");
    serve.rebuilt("content/posts/p8.md");
    // A post renamed (new URL).
    fs::rename(
        site.root().join("content/posts/delta.md"),
        site.root().join("content/posts/델타-새이름.md"),
    )
    .expect("rename delta");
    serve.rebuilt("content/posts/델타-새이름.md");
    // The last post of a category moved to another (the category goes away), with a date
    // change that reorders the lists.
    site.write(
        "content/posts/echo.md",
        post(
            "에코",
            "2025-01-15T09:00:00+09:00",
            "일지",
            "tags: [계절]",
            "에코 본문.",
        ),
    );
    serve.rebuilt("content/posts/echo.md");
    // Static files: one edited, one deleted, one added in a new folder.
    site.write("static/keep.txt", "고침");
    serve.rebuilt("static/keep.txt");
    fs::remove_file(site.root().join("static/old.txt")).expect("delete a static file");
    serve.rebuilt("static/old.txt");
    site.write("static/새-폴더/새.txt", "새 파일");
    serve.wait_page("/새-폴더/새.txt", "the new static file", |r| {
        r.status == 200
    });
    let late = serve.settle();
    assert!(
        late.iter().all(|l| !l.contains("→ error")),
        "{late:?}\n{}",
        serve.shown()
    );

    // A fresh full build of the same sources.
    let fresh = TempDir::new().expect("a folder for the fresh build");
    let out = fresh.path().join("public");
    site.ilji(["build", "--output", out.to_str().expect("UTF-8 path")])
        .run();
    let files = snapshot(&out);
    assert!(files.contains_key(Path::new("posts/델타-새이름/index.html")));
    assert!(files.len() >= 20, "a fresh build of {} files", files.len());

    // Every file of the fresh build, fetched from the preview, is the same (pages without
    // the reload script).
    let mut differing = Vec::new();
    for (rel, bytes) in &files {
        let rel = rel.to_str().expect("UTF-8 output path");
        let path = match rel.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => format!("/{rel}"),
        };
        let reply = serve.page(&path);
        if reply.status != 200 {
            differing.push(format!("{path}: status {}", reply.status));
            continue;
        }
        let served = if rel.ends_with(".html") {
            without_reload_script(&reply.text()).into_bytes()
        } else {
            reply.body.clone()
        };
        if &served != bytes {
            differing.push(format!(
                "{path}: differs\n--- served ---\n{}\n--- fresh build ---\n{}",
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(bytes)
            ));
        }
    }

    // And what the fresh build does not have, the preview does not serve.
    for gone in [
        "/posts/charlie/",
        "/posts/p7/",
        "/posts/p8/",
        "/posts/delta/",
        "/tags/단독태그/",
        "/category/기타/",
        "/category/기타/atom.xml",
        "/page/4/",
        "/old.txt",
    ] {
        let on_disk = gone.trim_start_matches('/');
        assert!(
            !files.contains_key(Path::new(&format!("{on_disk}index.html")))
                && !files.contains_key(Path::new(on_disk)),
            "the fresh build has {gone}: fix the test"
        );
        let status = serve.page(gone).status;
        if status != 404 {
            differing.push(format!(
                "{gone}: status {status}, still served after its source went away (the fresh build has no such file)"
            ));
        }
    }
    assert!(
        differing.is_empty(),
        "after the edits, the preview differs from a fresh build ({} files):\n{}",
        files.len(),
        differing.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------
// Ports, addresses, stopping
// ---------------------------------------------------------------------------------------

#[test]
fn a_port_in_use_is_an_error() {
    let site = blog();
    let taken = TcpListener::bind("127.0.0.1:0").expect("take a port");
    let port = taken.local_addr().expect("its address").port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ilji"))
        .arg("-C")
        .arg(site.root())
        .args(["serve", "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ilji serve");
    let deadline = Instant::now() + START_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ilji serve on a taken port {port} kept running");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert_eq!(status.code(), Some(1), "{stderr}");
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

// ---------------------------------------------------------------------------------------
// Under load: limits, timeouts, held connections, dropped polls (issue 23)
// ---------------------------------------------------------------------------------------

/// How long a connection that never completes a request head may stay open: the server's
/// head timeout (5 s) with room for a busy machine.
const CLOSE_WAIT: Duration = Duration::from_secs(20);

/// A number from the server's `/proc/<pid>/status`: `VmHWM` (peak memory, kB), `Threads`.
fn proc_status(pid: u32, field: &str) -> u64 {
    let path = format!("/proc/{pid}/status");
    let status = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {path}: {e} (has the server exited?)"));
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {path}:\n{status}"))
}

impl Serve {
    /// Fails, showing the log, if the server has exited.
    fn assert_alive(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            self.drain_log(Duration::from_millis(200));
            panic!("ilji serve exited ({status:?})\n{}", self.shown());
        }
    }
}

/// A new connection to the server on 127.0.0.1.
fn connect(port: u16) -> TcpStream {
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
fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
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

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Sends `bytes` on a new connection (on a thread, so that the answer is read while a long
/// request still goes out; the server may stop reading early) and reads the answer until
/// the server closes the connection.
fn exchange(port: u16, bytes: Vec<u8>) -> Reply {
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
fn read_one_reply(stream: &mut TcpStream, head_request: bool) -> Reply {
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
fn closed_by_server(stream: &mut TcpStream) -> bool {
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

/// The instance id a page's reload script sends with its polls.
fn instance(html: &str) -> String {
    let at = html
        .find("var inst=\"")
        .unwrap_or_else(|| panic!("no instance id in the reload script:\n{html}"));
    html[at + "var inst=\"".len()..]
        .chars()
        .take_while(|c| *c != '"')
        .collect()
}

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
    let mut serve = Serve::launch(&site, &[], &limits);
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
    let mut serve = Serve::launch(&site, &[], &limits);
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

// ---------------------------------------------------------------------------------------
// A real browser: headless Chromium over the DevTools protocol
// ---------------------------------------------------------------------------------------

type Socket = tungstenite::WebSocket<TcpStream>;

/// A headless Chromium with its own profile; closed (and its process group killed) on drop.
struct Browser {
    child: Child,
    /// host:port of the DevTools endpoint.
    devtools: String,
    socket: Socket,
    next_id: u64,
    _profile: TempDir,
}

impl Browser {
    /// `None` (the test is skipped, loudly) when Chromium is not installed.
    fn launch() -> Option<Browser> {
        let get_it = "install it with `apt-get install -y chromium`";
        if !support::tool_is_installed("chromium", get_it) {
            return None;
        }
        let profile = TempDir::new().expect("a Chromium profile folder");
        let mut command = Command::new("chromium");
        command
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--mute-audio",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "chromium is not installed: this test needs a real headless Chromium. \
                 Install Debian's package: apt-get update && apt-get install -y chromium \
                 (.ci/run installs it on CI)"
            ),
            Err(e) => panic!("cannot start chromium: {e}"),
        };
        let lines = lines_of(child.stderr.take().expect("piped stderr"));
        let deadline = Instant::now() + START_TIMEOUT;
        let mut seen = Vec::new();
        let ws_url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(at) = line.find("ws://") {
                        if line.contains("DevTools listening on") {
                            break line[at..].trim().to_owned();
                        }
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "chromium did not print `DevTools listening on ws://…` within {START_TIMEOUT:?}\n{}",
                        seen.join("\n")
                    );
                }
            }
        };
        // Keep reading Chromium's stderr so it never blocks on a full pipe.
        thread::spawn(move || for _ in lines.iter() {});
        let devtools = ws_url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .expect("host:port")
            .to_owned();
        let socket = connect_ws(&ws_url);
        Some(Browser {
            child,
            devtools,
            socket,
            next_id: 0,
            _profile: profile,
        })
    }

    /// Opens a new tab on `url` and connects to it.
    fn open(&mut self, url: &str) -> Tab {
        let result = call(
            &mut self.socket,
            &mut self.next_id,
            "Target.createTarget",
            json!({ "url": url }),
        )
        .unwrap_or_else(|e| panic!("Target.createTarget: {e}"));
        let target = result["targetId"]
            .as_str()
            .unwrap_or_else(|| panic!("no targetId in {result}"));
        let socket = connect_ws(&format!("ws://{}/devtools/page/{target}", self.devtools));
        Tab { socket, next_id: 0 }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = call(
            &mut self.socket,
            &mut self.next_id,
            "Browser.close",
            json!({}),
        );
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        // Whatever is left of the process group this test started.
        if let Some(group) = rustix::process::Pid::from_raw(self.child.id() as i32) {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One page of the browser.
struct Tab {
    socket: Socket,
    next_id: u64,
}

impl Tab {
    /// `Runtime.evaluate(expression)` → its value; `Null` while the page is between
    /// documents or the expression threw.
    fn eval(&mut self, expression: &str) -> Value {
        match call(
            &mut self.socket,
            &mut self.next_id,
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        ) {
            Ok(result) if result.get("exceptionDetails").is_none() => {
                result["result"]["value"].clone()
            }
            _ => Value::Null,
        }
    }

    /// Evaluates `expression` every 100 ms until it gives `want`; fails after `timeout`
    /// showing the last value.
    fn wait_for(&mut self, expression: &str, want: &Value, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.eval(expression);
            if &got == want {
                return;
            }
            if Instant::now() > deadline {
                panic!("`{expression}` is {got}, not {want}, after {timeout:?}");
            }
            thread::sleep(Duration::from_millis(100));
        }
    }
}

fn connect_ws(url: &str) -> Socket {
    let host_port = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .expect("host:port")
        .to_owned();
    let stream = TcpStream::connect(&host_port)
        .unwrap_or_else(|e| panic!("connect to the DevTools endpoint {host_port}: {e}"));
    stream
        .set_read_timeout(Some(REQUEST_TIMEOUT))
        .expect("read timeout");
    let (socket, _) =
        tungstenite::client(url, stream).unwrap_or_else(|e| panic!("WebSocket {url}: {e}"));
    socket
}

/// One DevTools command: sends it and reads messages (skipping events) until its answer.
fn call(
    socket: &mut Socket,
    next_id: &mut u64,
    method: &str,
    params: Value,
) -> Result<Value, String> {
    *next_id += 1;
    let id = *next_id;
    let message = json!({ "id": id, "method": method, "params": params }).to_string();
    socket
        .send(tungstenite::Message::text(message))
        .map_err(|e| format!("send {method}: {e}"))?;
    loop {
        let message = socket
            .read()
            .map_err(|e| format!("read the answer to {method}: {e}"))?;
        let tungstenite::Message::Text(text) = message else {
            continue;
        };
        let value: Value = serde_json::from_str(text.as_str())
            .map_err(|e| format!("DevTools sent no JSON: {e}"))?;
        if value["id"].as_u64() != Some(id) {
            continue;
        }
        if let Some(error) = value.get("error") {
            return Err(format!("{method}: {error}"));
        }
        return Ok(value["result"].clone());
    }
}

const H1: &str = "(document.querySelector('article h1') || {}).textContent || null";

#[test]
fn a_browser_shows_an_edit_without_the_test_reloading_it() {
    let site = blog();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let url = format!(
        "{}{}",
        serve.url,
        percent(FIRST_URL).trim_start_matches('/')
    );
    let mut tab = browser.open(&url);
    tab.wait_for(H1, &json!("첫 글"), START_TIMEOUT);
    tab.wait_for("document.readyState", &json!("complete"), START_TIMEOUT);
    // A mark on this document: a reload (which the test never asks for) wipes it.
    tab.eval("window.__iljiTestMark = 'same document'");

    // A stylesheet edit is swapped in without a reload.
    let css_path = site.root().join("themes/default/static/style.css");
    let mut css = fs::read_to_string(&css_path).expect("theme css");
    css.push_str("\narticle h1 { color: rgb(1, 2, 3) !important; }\n");
    site.write("themes/default/static/style.css", &css);
    tab.wait_for(
        "getComputedStyle(document.querySelector('article h1')).color",
        &json!("rgb(1, 2, 3)"),
        REBUILD_TIMEOUT,
    );
    assert_eq!(
        tab.eval("window.__iljiTestMark || null"),
        json!("same document"),
        "a CSS change reloaded the page"
    );

    // The post's title is edited in its Markdown: the page shows it by itself.
    site.write(
        FIRST,
        first_post("브라우저가 본 새 제목", "첫 번째 본문입니다."),
    );
    tab.wait_for(H1, &json!("브라우저가 본 새 제목"), REBUILD_TIMEOUT);
    // The page fetched itself again and swapped its body in place: same document, new
    // content, and the test never navigated.
    assert_eq!(
        tab.eval("window.__iljiTestMark || null"),
        json!("same document"),
        "the page was updated in place, not navigated away"
    );
    assert_eq!(
        tab.eval("document.title"),
        json!("브라우저가 본 새 제목 · 미리보기")
    );
    assert_eq!(
        tab.eval("decodeURIComponent(location.pathname)"),
        json!(FIRST_URL)
    );
}

#[test]
fn a_page_of_a_restarted_server_reloads_and_follows_edits() {
    let site = blog();
    let mut first = Serve::start(&site);
    let port = first.port.to_string();
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let url = format!(
        "{}{}",
        first.url,
        percent(FIRST_URL).trim_start_matches('/')
    );
    let mut tab = browser.open(&url);
    tab.wait_for(H1, &json!("첫 글"), START_TIMEOUT);
    // An edit, so that the page's generation is past what a new server starts from.
    site.write(FIRST, first_post("첫 서버의 제목", "본문."));
    first.rebuilt(FIRST);
    tab.wait_for(H1, &json!("첫 서버의 제목"), REBUILD_TIMEOUT);
    assert_eq!(first.interrupt().code(), Some(0));

    // A new server on the same port: the open page finds it and follows its edits.
    let mut second = Serve::start_with(&site, &["--port", &port]);
    site.write(FIRST, first_post("새 서버의 제목", "본문."));
    second.rebuilt(FIRST);
    tab.wait_for(H1, &json!("새 서버의 제목"), REBUILD_TIMEOUT);
}

#[test]
fn a_browser_shows_the_error_overlay_and_recovers() {
    let site = blog();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let mut tab = browser.open(&serve.url);
    tab.wait_for("document.readyState", &json!("complete"), START_TIMEOUT);
    tab.wait_for(
        "document.querySelector('h1') !== null && document.getElementById('ilji-error') === null",
        &json!(true),
        START_TIMEOUT,
    );

    site.write(
        FIRST,
        "---\ntitle: 첫 글\ndate: 2025-01-01T09:00:00+09:00\ncategory: 일지: 둘\n---\n본문\n",
    );
    let overlay = "(document.getElementById('ilji-error') || {}).textContent || null";
    let deadline = Instant::now() + REBUILD_TIMEOUT;
    let text = loop {
        if let Value::String(text) = tab.eval(overlay) {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "the home page never showed the error overlay"
        );
        thread::sleep(Duration::from_millis(100));
    };
    assert!(text.contains("content/posts/첫-글.md"), "{text}");
    assert_eq!(
        tab.eval("document.getElementById('ilji-error').getAttribute('role')"),
        json!("alert")
    );

    site.write(FIRST, first_post("다시 좋아진 글", "본문."));
    tab.wait_for(
        "document.getElementById('ilji-error') === null && document.body.textContent.includes('다시 좋아진 글')",
        &json!(true),
        REBUILD_TIMEOUT,
    );
}

// ---------------------------------------------------------------------------------------
// Search in the browser
// ---------------------------------------------------------------------------------------

/// Three posts whose words search must find inside longer Korean words.
fn search_site() -> Site {
    Site::new()
        .file("site.yaml", "title: 검색 시험\n")
        .file(
            "content/posts/loyal.md",
            post(
                "불만 고객 이야기",
                "2025-09-08",
                "일지",
                "",
                "불만 고객이 충성 고객으로 바뀐 경험을 적었다.",
            ),
        )
        .file(
            "content/posts/people.md",
            post(
                "사람 이야기",
                "2025-09-09",
                "일지",
                "",
                "퇴사 후 인간관계를 다시 생각했다. 고객도 사람이다.",
            ),
        )
        .file(
            "content/posts/loyalty-title.md",
            post(
                "충성도 높이는 법",
                "2025-09-01",
                "일지",
                "",
                "재구매를 늘리는 방법.",
            ),
        )
}

/// Titles of the results shown, in order.
const RESULT_TITLES: &str =
    "Array.from(document.querySelectorAll('#search-results h2')).map(h => h.textContent)";

#[test]
fn search_finds_korean_words_inside_longer_words_from_the_address() {
    let site = search_site();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let url = format!("{}search/?q={}", serve.url, percent("충성"));
    let mut tab = browser.open(&url);
    // Title hits first, then the newest; "충성" is inside "충성도" and before "고객으로".
    tab.wait_for(
        RESULT_TITLES,
        &json!(["충성도 높이는 법", "불만 고객 이야기"]),
        START_TIMEOUT,
    );
    let html = tab.eval("document.querySelector('#search-results').innerHTML");
    assert!(
        html.as_str()
            .unwrap_or_default()
            .contains("<mark>충성</mark>"),
        "{html}"
    );
    let status = tab.eval("document.querySelector('#search-status').textContent");
    assert!(
        status.as_str().unwrap_or_default().contains("2건"),
        "{status}"
    );
    let link = tab.eval("document.querySelector('#search-results a').getAttribute('href')");
    assert_eq!(link, json!("/posts/loyalty-title/"));
}

#[test]
fn search_answers_typed_queries_with_particles_all_words_and_misses() {
    let site = search_site();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let mut tab = browser.open(&format!("{}search/", serve.url));
    tab.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('#search-input')",
        &json!(true),
        START_TIMEOUT,
    );
    let type_query = |tab: &mut Tab, q: &str| {
        let typed = tab.eval(&format!(
            "(() => {{ const i = document.querySelector('#search-input'); i.value = {q}; \
             i.dispatchEvent(new Event('input')); return true; }})()",
            q = json!(q)
        ));
        assert_eq!(typed, json!(true), "typing into the search box");
    };
    // "인간관계" is found inside "인간관계를".
    type_query(&mut tab, "인간관계");
    tab.wait_for(RESULT_TITLES, &json!(["사람 이야기"]), START_TIMEOUT);
    // Every word must match: "고객" is in two posts, "충성" in one of them.
    type_query(&mut tab, "고객 충성");
    tab.wait_for(RESULT_TITLES, &json!(["불만 고객 이야기"]), REBUILD_TIMEOUT);
    // A miss says so.
    type_query(&mut tab, "없는낱말");
    tab.wait_for(RESULT_TITLES, &json!([]), REBUILD_TIMEOUT);
    let status = tab.eval("document.querySelector('#search-status').textContent");
    assert!(
        status
            .as_str()
            .unwrap_or_default()
            .contains("검색 결과가 없습니다"),
        "{status}"
    );
}

#[test]
fn a_broken_template_shows_the_overlay_and_fixing_it_recovers() {
    let site = blog();
    let mut serve = Serve::start(&site);
    site.write(
        "templates/post.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title {% endblock main %}\n",
    );
    let line = serve.failed("templates/post.html");
    assert!(
        line.contains("templates/post.html:2"),
        "names the template and line: {line}"
    );
    let html = serve.page(FIRST_URL).text();
    assert!(html.contains(r#"id="ilji-error""#), "{html}");
    assert!(
        html.contains("첫 번째 본문입니다."),
        "over the last good page"
    );

    site.write("templates/post.html", "{% extends \"base.html\" %}\n{% block main %}<p class=\"fixed\">{{ page.title }}</p>{% endblock main %}\n");
    serve.rebuilt("templates/post.html");
    let html = serve.page(FIRST_URL).text();
    assert!(!html.contains("ilji-error"), "{html}");
    assert!(html.contains(r#"<p class="fixed">첫 글</p>"#), "{html}");
}

/// Sends `signal` to the process `pid` (without the `kill` program, which a machine with only
/// Rust may lack).
fn send_signal(pid: u32, signal: rustix::process::Signal) -> std::io::Result<()> {
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or_else(|| std::io::Error::other("not a process id"))?;
    rustix::process::kill_process(pid, signal).map_err(std::io::Error::from)
}
