//! A real browser for the tests: a headless Chromium (Debian's `chromium`) started with its
//! own profile and driven over the DevTools protocol (a WebSocket, through `tungstenite`):
//! open a tab ([`Browser::open`]), evaluate JavaScript in it and wait for a value
//! ([`Tab::eval`], [`Tab::wait_for`]).

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;

use super::http::REQUEST_TIMEOUT;
use super::serve::{lines_of, START_TIMEOUT};
use super::tool_is_installed;

pub type Socket = tungstenite::WebSocket<TcpStream>;

/// A headless Chromium with its own profile; closed (and its process group killed) on drop.
pub struct Browser {
    child: Child,
    /// host:port of the DevTools endpoint.
    devtools: String,
    socket: Socket,
    next_id: u64,
    _profile: TempDir,
}

impl Browser {
    /// `None` (the test is skipped, loudly) when Chromium is not installed.
    pub fn launch() -> Option<Browser> {
        let get_it = "install it with `apt-get install -y chromium`";
        if !tool_is_installed("chromium", get_it) {
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
    pub fn open(&mut self, url: &str) -> Tab {
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
pub struct Tab {
    socket: Socket,
    next_id: u64,
}

impl Tab {
    /// `Runtime.evaluate(expression)` → its value; `Null` while the page is between
    /// documents or the expression threw.
    pub fn eval(&mut self, expression: &str) -> Value {
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
    pub fn wait_for(&mut self, expression: &str, want: &Value, timeout: Duration) {
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
