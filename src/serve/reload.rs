//! The live-reload signal, by long-polling on the preview's own port: a page asks
//! `/__ilji/poll?since=N&instance=I` and the answer comes when a rebuild newer than N has
//! finished (or after a while with nothing new), saying which pages changed.
//!
//! Long-polling keeps to plain request/response, which any HTTP server serves; the script
//! is injected only by the preview server, never into `ilji build`'s output. Each server
//! has an instance id, so that a page left open from an earlier `ilji serve` (whose
//! generations mean nothing to this one) reloads once instead of waiting for a generation
//! that this server may take long to reach. A waiting poll holds a thread: at most
//! [`Signal::new`]'s number wait at once, and a poll whose page went away stops waiting
//! within [`GONE_CHECK`].

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The URL path pages poll.
pub const POLL_PATH: &str = "/__ilji/poll";

/// How many past rebuilds are remembered for pages that poll late.
const HISTORY: usize = 64;

/// How often a waiting poll checks whether its page is still there.
pub const GONE_CHECK: Duration = Duration::from_millis(200);

/// The script injected before `</body>` of every HTML page the preview serves. `{GEN}` is
/// replaced by the generation the page was served at, `{INSTANCE}` by the server's id. A
/// changed page is fetched again and its body swapped in place (faster than a reload, and
/// the scroll position stays); a page with scripts of its own (the search page) is reloaded
/// instead, and so is a page whose server was replaced by another. A failed poll (the
/// server restarting, or busy) is tried again a second later.
pub const SCRIPT: &str = concat!("<script>", include_str!("reload.js"), "</script>");

/// One finished rebuild, as pages see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Every page should reload (a template, site.yaml or an error changed).
    pub all: bool,
    /// Only stylesheets changed: swap them without reloading.
    pub css_only: bool,
    /// URL paths (decoded, e.g. `/posts/가/`) of the pages whose HTML changed.
    pub pages: BTreeSet<String>,
}

#[derive(Default)]
struct State {
    generation: u64,
    history: VecDeque<(u64, Change)>,
}

/// Rebuilds announced so far, and the pages waiting to hear of the next one.
pub struct Signal {
    instance: String,
    state: Mutex<State>,
    changed: Condvar,
    /// Polls waiting now, and how many may.
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// How a poll ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Poll {
    /// The JSON for the page.
    Answer(String),
    /// As many polls wait as may: the page should ask again shortly.
    Busy,
    /// The page went away while it waited.
    Gone,
}

impl Signal {
    /// A signal with a fresh instance id that lets `max_waiting` polls wait at once.
    pub fn new(max_waiting: usize) -> Signal {
        Signal {
            instance: instance_id(),
            state: Mutex::default(),
            changed: Condvar::new(),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// This server's id, which its pages send with their polls.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Every update of the state is a single step: a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current generation (what a freshly served page starts from).
    pub fn generation(&self) -> u64 {
        self.state().generation
    }

    /// Announces a finished rebuild.
    pub fn publish(&self, change: Change) {
        {
            let mut s = self.state();
            s.generation += 1;
            let generation = s.generation;
            s.history.push_back((generation, change));
            while s.history.len() > HISTORY {
                s.history.pop_front();
            }
        }
        self.changed.notify_all();
    }

    /// Waits up to `timeout` for a rebuild after `since`, asking `gone` every
    /// [`GONE_CHECK`] whether the page still waits; answers the newest generation and
    /// everything that changed after `since`. A page of another server instance (`instance`
    /// not this one's) is answered at once with a reload of everything.
    pub fn wait(
        &self,
        since: u64,
        instance: Option<&str>,
        timeout: Duration,
        gone: &dyn Fn() -> bool,
    ) -> Poll {
        {
            let s = self.state();
            if instance.is_some_and(|i| i != self.instance) {
                let reload = Change {
                    all: true,
                    ..Change::default()
                };
                return Poll::Answer(self.json(s.generation, &reload));
            }
            if s.generation > since {
                return Poll::Answer(self.answer(&s, since));
            }
        }
        let Some(_slot) = Slot::take(&self.waiting, self.max_waiting) else {
            return Poll::Busy;
        };
        let end = Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let (s, _) = self
                .changed
                .wait_timeout_while(self.state(), left.min(GONE_CHECK), |s| {
                    s.generation <= since
                })
                .unwrap_or_else(PoisonError::into_inner);
            if s.generation > since || left <= GONE_CHECK {
                return Poll::Answer(self.answer(&s, since));
            }
            // Asked without the lock: a slow check never holds up other polls.
            drop(s);
            if gone() {
                return Poll::Gone;
            }
        }
    }

    /// Everything that changed after `since`, merged.
    fn answer(&self, s: &State, since: u64) -> String {
        let mut merged = Change {
            // A page older than the remembered history reloads in full.
            all: s.history.front().is_some_and(|(g, _)| *g > since + 1),
            ..Change::default()
        };
        let mut any_css = false;
        let mut all_css = true;
        for (_, c) in s.history.iter().filter(|(g, _)| *g > since) {
            merged.all |= c.all;
            merged.pages.extend(c.pages.iter().cloned());
            any_css = true;
            all_css &= c.css_only;
        }
        merged.css_only = any_css && all_css;
        self.json(s.generation, &merged)
    }

    fn json(&self, generation: u64, change: &Change) -> String {
        serde_json::json!({
            "generation": generation,
            "instance": self.instance,
            "all": change.all,
            "css_only": change.css_only,
            "pages": change.pages,
        })
        .to_string()
    }
}

/// One of the places for waiting polls, given back when dropped.
struct Slot<'a>(&'a AtomicUsize);

impl<'a> Slot<'a> {
    fn take(waiting: &'a AtomicUsize, max: usize) -> Option<Slot<'a>> {
        waiting
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(waiting))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// An id for this server: different for every run, so that the pages of one server can
/// tell another's answers (hashed from the time, the process id and std's random keys).
fn instance_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(poll: Poll) -> serde_json::Value {
        match poll {
            Poll::Answer(json) => serde_json::from_str(&json).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    const STAYS: &dyn Fn() -> bool = &|| false;

    #[test]
    fn late_pollers_get_every_change_since_their_generation() {
        let signal = Signal::new(4);
        let page = |p: &str| Change {
            pages: [p.to_owned()].into(),
            ..Change::default()
        };
        signal.publish(page("/a/"));
        signal.publish(page("/b/"));
        let json = answer(signal.wait(0, None, Duration::from_millis(1), STAYS));
        assert_eq!(json["pages"], serde_json::json!(["/a/", "/b/"]));
        assert_eq!(json["generation"], 2);
        assert_eq!(json["instance"], signal.instance());
        let json = answer(signal.wait(1, None, Duration::from_millis(1), STAYS));
        assert_eq!(json["pages"], serde_json::json!(["/b/"]));
    }

    #[test]
    fn waiting_times_out_with_nothing_new() {
        let signal = Signal::new(4);
        let json = answer(signal.wait(0, None, Duration::from_millis(10), STAYS));
        assert_eq!(json["generation"], 0);
        assert_eq!(json["all"], false);
    }

    #[test]
    fn a_page_of_another_instance_reloads_at_once() {
        let signal = Signal::new(4);
        let own = signal.instance().to_owned();
        assert_ne!(own, Signal::new(4).instance());
        // An hour-long wait: only the instance check can end it.
        let json = answer(signal.wait(7, Some("other"), Duration::from_secs(3600), STAYS));
        assert_eq!(json["all"], true);
        assert_eq!(json["generation"], 0);
        assert_eq!(json["instance"], own.as_str());
        let json = answer(signal.wait(0, Some(&own), Duration::from_millis(10), STAYS));
        assert_eq!(json["all"], false);
    }

    #[test]
    fn a_page_that_went_away_stops_waiting_and_frees_its_place() {
        let signal = Signal::new(1);
        let gone = || true;
        assert_eq!(
            signal.wait(0, None, Duration::from_secs(3600), &gone),
            Poll::Gone
        );
        assert_eq!(signal.waiting.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn polls_beyond_the_cap_are_turned_away() {
        let signal = std::sync::Arc::new(Signal::new(1));
        let waiter = std::sync::Arc::clone(&signal);
        let first =
            std::thread::spawn(move || waiter.wait(0, None, Duration::from_secs(3600), STAYS));
        while signal.waiting.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        assert_eq!(
            signal.wait(0, None, Duration::from_secs(3600), STAYS),
            Poll::Busy
        );
        signal.publish(Change::default());
        assert!(matches!(first.join().unwrap(), Poll::Answer(_)));
        assert_eq!(signal.waiting.load(Ordering::SeqCst), 0);
    }
}
