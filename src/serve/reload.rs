//! The live-reload signal, by long-polling on the preview's own port: a page asks
//! `/__ilji/poll?since=N` and the answer comes when a rebuild newer than N has finished
//! (or after a while with nothing new), saying which pages changed.
//!
//! Long-polling keeps to plain request/response, which tiny_http serves reliably; the
//! script is injected only by the preview server, never into `ilji build`'s output.

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// The URL path pages poll.
pub const POLL_PATH: &str = "/__ilji/poll";

/// How many past rebuilds are remembered for pages that poll late.
const HISTORY: usize = 64;

/// The script injected before `</body>` of every HTML page the preview serves. `{GEN}` is
/// replaced by the generation the page was served at. A changed page is fetched again and
/// its body swapped in place (faster than a reload, and the scroll position stays); a page
/// with scripts of its own (the search page) is reloaded instead.
pub const SCRIPT: &str = r#"<script>(function(){
var gen={GEN};
function here(){try{return decodeURIComponent(location.pathname);}catch(e){return location.pathname;}}
function touched(d){var p=here();return d.all||d.pages.indexOf(p)>=0||d.pages.indexOf(p.replace(/index\.html$/,""))>=0;}
function swapCss(){document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){var u=new URL(l.href);u.searchParams.set("ilji",Date.now());l.href=u.toString();});}
function refresh(){fetch(location.href,{cache:"no-store"}).then(function(r){return r.text();}).then(function(html){
var doc=new DOMParser().parseFromString(html,"text/html");
if(doc.querySelector("body script[src]")){location.reload();return;}
document.title=doc.title;document.body.replaceWith(doc.body);}).catch(function(){location.reload();});}
function poll(){fetch("/__ilji/poll?since="+gen,{cache:"no-store"}).then(function(r){return r.json();}).then(function(d){
if(d.generation>gen){gen=d.generation;if(touched(d)){refresh();}else if(d.css_only){swapCss();}}
poll();}).catch(function(){setTimeout(poll,1000);});}
poll();})();</script>"#;

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
#[derive(Default)]
pub struct Signal {
    state: Mutex<State>,
    changed: Condvar,
}

impl Signal {
    /// The current generation (what a freshly served page starts from).
    pub fn generation(&self) -> u64 {
        self.state.lock().map_or(0, |s| s.generation)
    }

    /// Announces a finished rebuild.
    pub fn publish(&self, change: Change) {
        if let Ok(mut s) = self.state.lock() {
            s.generation += 1;
            let generation = s.generation;
            s.history.push_back((generation, change));
            while s.history.len() > HISTORY {
                s.history.pop_front();
            }
        }
        self.changed.notify_all();
    }

    /// Waits up to `timeout` for a rebuild after `since`; answers the JSON for the page:
    /// the newest generation and everything that changed after `since`.
    pub fn wait(&self, since: u64, timeout: Duration) -> String {
        let Ok(guard) = self.state.lock() else {
            return String::from("{}");
        };
        let (s, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation <= since)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
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
        serde_json::json!({
            "generation": s.generation,
            "all": merged.all,
            "css_only": merged.css_only,
            "pages": merged.pages,
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_pollers_get_every_change_since_their_generation() {
        let signal = Signal::default();
        let page = |p: &str| Change {
            pages: [p.to_owned()].into(),
            ..Change::default()
        };
        signal.publish(page("/a/"));
        signal.publish(page("/b/"));
        let json = signal.wait(0, Duration::from_millis(1));
        assert!(
            json.contains("\"/a/\"") && json.contains("\"/b/\""),
            "{json}"
        );
        assert!(json.contains("\"generation\":2"), "{json}");
        let json = signal.wait(1, Duration::from_millis(1));
        assert!(!json.contains("\"/a/\""), "{json}");
    }

    #[test]
    fn waiting_times_out_with_nothing_new() {
        let signal = Signal::default();
        let json = signal.wait(0, Duration::from_millis(10));
        assert!(json.contains("\"generation\":0"), "{json}");
    }
}
