//! `ilji check --external`: requesting links to other sites, a few at a time, each with a
//! time limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How to request external links.
#[derive(Debug, Clone)]
pub struct Options {
    /// The longest one request (redirects included) may take.
    pub timeout: Duration,
    /// How many requests run at once.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            concurrency: 8,
        }
    }
}

/// What became of one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx, after redirects.
    Ok(u16),
    /// 404 or 410: the page is gone.
    Broken(u16),
    /// Any other status (401, 403, 429, 5xx): maybe gone, maybe refusing programs.
    Doubtful(u16),
    /// No answer within the time limit.
    TimedOut,
    /// No connection: unknown host, refused, TLS failure.
    Unreachable(String),
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub checked: usize,
    pub ok: usize,
    pub broken: usize,
    pub doubtful: usize,
    pub timed_out: usize,
    pub elapsed: Duration,
}

/// Requests every address (at most `options.concurrency` at once) and tells what became of
/// each, in no particular order.
pub fn check_all(urls: &[String], options: &Options) -> Vec<(String, Outcome)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("ilji/", env!("CARGO_PKG_VERSION"), " (link check)"))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(urls.len()));
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, urls.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(i) else {
                    break;
                };
                let outcome = request(&agent, url);
                if let Ok(mut r) = results.lock() {
                    r.push((url.clone(), outcome));
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// What is sent for an address as written: without its `#fragment` (never sent to a
/// server), with Hangul and other non-ASCII characters and spaces percent-encoded (HTTP
/// needs ASCII; browsers do the same).
pub fn request_url(url: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const UNSAFE: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'|')
        .add(b'\\')
        .add(b'^');
    let without_fragment = url.split('#').next().unwrap_or(url);
    utf8_percent_encode(without_fragment, UNSAFE).to_string()
}

/// HEAD first (cheap); GET when the server does not do HEAD.
fn request(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = match agent.head(url).call() {
        Ok(r) if matches!(r.status().as_u16(), 403 | 405 | 501) => agent.get(url).call(),
        other => other,
    };
    match status {
        Ok(r) => match r.status().as_u16() {
            s @ 200..=399 => Outcome::Ok(s),
            s @ (404 | 410) => Outcome::Broken(s),
            s => Outcome::Doubtful(s),
        },
        Err(ureq::Error::Timeout(_)) => Outcome::TimedOut,
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => Outcome::TimedOut,
        Err(e) => Outcome::Unreachable(e.to_string()),
    }
}
