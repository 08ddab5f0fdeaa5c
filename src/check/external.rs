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

/// What is sent for an address as written, as a browser would send it (the `url` crate
/// follows the WHATWG URL standard): a Hangul host in punycode, Hangul and spaces in the
/// path percent-encoded, and no `#fragment` (never sent to a server). An address that does
/// not parse is returned as written, and its request fails with the reason.
pub fn request_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_fragment(None);
            parsed.into()
        }
        Err(_) => url.split('#').next().unwrap_or(url).to_owned(),
    }
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

#[cfg(test)]
mod tests {
    use super::request_url;

    #[test]
    fn addresses_are_sent_as_browsers_send_them() {
        assert_eq!(
            request_url("https://한국.kr/위키 문서?q=가#절"),
            "https://xn--3e0b707e.kr/%EC%9C%84%ED%82%A4%20%EB%AC%B8%EC%84%9C?q=%EA%B0%80"
        );
        assert_eq!(
            request_url("http://127.0.0.1:8080/ok#a"),
            "http://127.0.0.1:8080/ok"
        );
        assert_eq!(request_url("https://example.com"), "https://example.com/");
    }
}
