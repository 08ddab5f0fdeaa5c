//! Links and dates as text, the same way on every page: [`Linker`] makes site-relative paths
//! into links (the config's base path and origin, percent-encoded) and dates into the
//! config's `date_format`; [`rfc3339_numeric_offset`] and [`rfc3339_z_for_utc`] print the
//! dates machines read.

use chrono::format::{Item, StrftimeItems};
use chrono::DateTime;
use chrono_tz::Tz;

use crate::config::Config;
use crate::slug::encode_path;

/// Turns site-relative paths into links and dates into text, the same way everywhere.
pub struct Linker<'a> {
    pub config: &'a Config,
    /// The config's base path and origin, taken apart once: every link needs them.
    base_path: &'a str,
    origin: &'a str,
    /// The config's date format, parsed once (checked when the config was read).
    date_items: Vec<Item<'a>>,
}

impl<'a> Linker<'a> {
    pub fn new(config: &'a Config) -> Self {
        Linker {
            config,
            base_path: config.base_path(),
            origin: config.origin(),
            date_items: StrftimeItems::new(&config.date_format).collect(),
        }
    }

    /// Root-relative, percent-encoded: `posts/가/` → `/posts/%EA%B0%80/` (with the base path).
    pub fn url(&self, path: &str) -> String {
        encode_path(&[self.base_path, path].concat())
    }

    /// Absolute: `https://example.org/posts/%EA%B0%80/`.
    pub fn permalink(&self, path: &str) -> String {
        self.absolute_url(&self.url(path))
    }

    /// A link made by [`Linker::url`], made absolute.
    pub fn absolute_url(&self, url: &str) -> String {
        [self.origin, url].concat()
    }

    pub fn date(&self, d: &DateTime<Tz>) -> String {
        d.format_with_items(self.date_items.iter()).to_string()
    }
}

/// A moment as RFC 3339 with its offset in numbers, `+00:00` in UTC too
/// (`2025-09-08T07:00:00+09:00`): the dates templates are given (`page.date`, a comment's
/// `date`) and the JSON-LD's.
pub fn rfc3339_numeric_offset(d: &DateTime<Tz>) -> String {
    d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// A moment as RFC 3339 with `Z` for UTC and its offset in numbers elsewhere
/// (`2025-09-07T22:00:00Z`, `2025-09-08T07:00:00+09:00`): the dates of the feeds and the
/// sitemap. Both forms are RFC 3339; each file keeps the one it has always printed.
pub fn rfc3339_z_for_utc(d: &DateTime<Tz>) -> String {
    d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
