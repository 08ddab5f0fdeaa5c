//! A page's body as HTML, held for the build: made once from the Markdown renderer's buffer
//! in the form its template prints, and released once its page is written.
//!
//! It holds a Tera value rather than text so that the renderer takes the body without a copy:
//! a copy of every body made for its page cost 0.2% of a build's instructions.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A page's body as HTML, held as the Tera value its page prints (a shared string, marked
/// safe), which the page takes without a copy. A one-shot build releases a post's body once
/// its page is written (see `build::publish`), so that a big blog never holds every body at
/// once; until then it is read through [`Html::get`].
#[derive(Debug)]
pub struct Html(Mutex<tera::Value>);

impl Html {
    pub fn new(html: &str) -> Self {
        Html(Mutex::new(tera::Value::safe_string(html)))
    }

    /// The HTML (empty once released), shared.
    pub fn get(&self) -> tera::Value {
        self.lock().clone()
    }

    /// Frees the HTML; later readers see an empty body.
    pub fn release(&self) {
        *self.lock() = tera::Value::safe_string("");
    }

    fn lock(&self) -> MutexGuard<'_, tera::Value> {
        // Nothing can panic while the lock is held, so even a poisoned one holds a whole value.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Html {
    fn default() -> Self {
        Html::new("")
    }
}

impl Clone for Html {
    fn clone(&self) -> Self {
        Html(Mutex::new(self.get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_body_is_empty_and_a_clone_shares_it_until_then() {
        let html = Html::new("<p>본문이 스물한 바이트보다 길다</p>");
        let copy = html.clone();
        html.release();
        assert_eq!(html.get().as_str(), Some(""));
        assert_eq!(
            copy.get().as_str(),
            Some("<p>본문이 스물한 바이트보다 길다</p>")
        );
    }
}
