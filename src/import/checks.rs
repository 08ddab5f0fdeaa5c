//! What ilji requires of a converted post before it is written: a title, a date it reads, a
//! category (the default one filled in), and values that can be published (the same rules
//! as a build's), each refusal pointing at the line of the old file that gave the value.

use crate::yaml::{Mapping, Value};

use super::front_matter::text;
use super::{ImportOptions, Post};
use crate::config::Config;
use crate::content::dates::parse_date;
use crate::error::Diagnostic;
use crate::site_path::{shortened, SitePath};
use crate::slug::slugify;

/// Fills a missing category and checks what ilji requires; the reason it cannot be
/// imported otherwise.
pub(super) fn check_post(
    post: &mut Post,
    config: &Config,
    opts: &ImportOptions,
) -> Option<Diagnostic> {
    let is_post = post.to.starts_with("content/posts");
    let title = post
        .front
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("");
    // A Tistory page or RSS file has no front matter to add a value to.
    let markdown = post
        .from
        .extension()
        .is_some_and(|e| e == "md" || e == "markdown");
    if title.trim().is_empty() {
        return Some(
            Diagnostic::new(&post.from, "has no title").help(if markdown {
                "add `title:` to its front matter and import again"
            } else {
                "give it a title in the saved file (the page's `og:title` or `<title>`, an RSS item's `<title>`) and import again"
            }),
        );
    }
    if !is_post {
        let no_tags = matches!(post.front.get("tags"), Some(Value::Sequence(t)) if t.is_empty());
        if no_tags {
            post.front.remove("tags");
        }
        return None;
    }
    match post.front.get("date").and_then(Value::as_str) {
        None => {
            return Some(
                Diagnostic::new(&post.from, "has no date, and ilji's posts need one").help(
                    if markdown {
                        "add `date: YYYY-MM-DD` to its front matter (or name it YYYY-MM-DD-name.md) and import again"
                    } else {
                        "add `<meta property=\"article:published_time\" content=\"YYYY-MM-DDTHH:MM:SS+09:00\">` to the saved page (an RSS item needs a `<pubDate>`) and import again"
                    },
                ),
            )
        }
        Some(d) if parse_date(d, config.timezone).is_none() => {
            return Some(
                Diagnostic::new(&post.from, format!("its date `{d}` is not one ilji reads"))
                    .help("write the date as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+09:00 and import again"),
            )
        }
        Some(_) => {}
    }
    if !post.front.contains_key("category") {
        post.front = with_key_after(
            std::mem::take(&mut post.front),
            "date",
            "category",
            Value::String(opts.default_category.clone()),
        );
        post.notes.push(format!(
            "had no category; filed under '{}'",
            opts.default_category
        ));
    }
    None
}

/// The keys of a converted post whose values become addresses: (key, what a writer calls
/// it, the keys of the old file that give it, whether it is an address rather than a name).
const CHECKED: [(&str, &str, &[&str], bool); 4] = [
    (
        "aliases",
        "the old address",
        &["aliases", "url", "redirect_from", "permalink"],
        true,
    ),
    ("slug", "the slug", &["slug"], false),
    (
        "category",
        "the category",
        &["categories", "category"],
        false,
    ),
    ("tags", "the tag", &["tags", "categories"], false),
];

/// What ilji would refuse to publish in a converted post: the same rules as a build's (see
/// [`SitePath`]), each an error at the line of the old file that gave the value.
pub(super) fn refused_values(post: &Post) -> Vec<Diagnostic> {
    let texts = |key: &str| -> Vec<String> {
        match post.front.get(key) {
            Some(Value::Sequence(items)) => items.iter().filter_map(text).collect(),
            Some(v) => text(v).into_iter().collect(),
            None => Vec::new(),
        }
    };
    // The old file is read again only to point at a refused value's line.
    let read = std::cell::OnceCell::new();
    let old_text = || {
        read.get_or_init(|| std::fs::read_to_string(&post.source).unwrap_or_default())
            .as_str()
    };
    let mut errors = Vec::new();
    for (key, what, old_keys, is_address) in CHECKED {
        for value in texts(key) {
            let checked = if is_address {
                SitePath::from_alias(&value)
            } else {
                SitePath::new(&slugify(&value))
            };
            let Err(refusal) = checked else {
                continue;
            };
            let line = old_keys
                .iter()
                .find_map(|k| front_matter_line(old_text(), k));
            let shown = shortened(&value.escape_debug().to_string(), 60);
            let d = Diagnostic::new(
                &post.from,
                format!("{what} `{shown}` cannot be published: {refusal}; not imported"),
            )
            .help("correct it in the old blog's file and import again");
            errors.push(match line {
                Some(l) => d.at_line(l),
                None => d,
            });
        }
    }
    errors
}

/// The line of `key` (`key:` in YAML, `key =` in TOML) in the front matter at the start of
/// `text`, counting the file's lines from 1.
fn front_matter_line(text: &str, key: &str) -> Option<usize> {
    let mut lines = text.lines().enumerate();
    let fence = lines.next()?.1.trim_end();
    for (i, line) in lines {
        if line.trim_end() == fence {
            return None;
        }
        let rest = line.strip_prefix(key).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with(':') || r.starts_with('=')) {
            return Some(i + 1);
        }
    }
    None
}

/// `front` with `key: value` inserted after `after` (or at the end).
pub(super) fn with_key_after(front: Mapping, after: &str, key: &str, value: Value) -> Mapping {
    let mut out = Mapping::new();
    let mut pending = Some(value);
    for (k, v) in front {
        let is_anchor = k.as_str() == Some(after);
        out.insert(k, v);
        if is_anchor {
            if let Some(v) = pending.take() {
                out.insert(Value::String(key.to_owned()), v);
            }
        }
    }
    if let Some(v) = pending {
        out.insert(Value::String(key.to_owned()), v);
    }
    out
}
