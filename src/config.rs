//! `site.yaml` → a validated [`Config`]: defaults filled in, unknown keys rejected by name,
//! the time zone, date format and base URL checked before any content is read.
//!
//! It does not know about content or templates; `extra:` is passed through untouched.

mod redirects;

use std::path::Path;
use std::str::FromStr;

use chrono::format::{Item, StrftimeItems};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::yaml::error_at;
pub use redirects::Redirect;

pub const CONFIG_FILE: &str = "site.yaml";

/// The site's settings, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub author: String,
    /// See [`Config::base_url`].
    base_url: BaseUrl,
    pub language: String,
    pub timezone: Tz,
    pub theme: String,
    pub date_format: String,
    pub paginate: usize,
    pub other_posts: usize,
    /// Entries in each Atom feed.
    pub feed_limit: usize,
    pub extra: serde_json::Value,
    /// Old addresses of the site and where each leads now (`redirects:`), in the order
    /// written.
    pub redirects: Vec<Redirect>,
}

/// `site.yaml` as written; every key optional, no others allowed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    author: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    date_format: Option<String>,
    paginate: Option<usize>,
    other_posts: Option<usize>,
    feed_limit: Option<usize>,
    extra: Option<crate::yaml::Value>,
    redirects: Option<crate::yaml::Value>,
}

impl Config {
    /// Reads `site.yaml` in `root`; a site without one gets every default.
    pub fn load(root: &Path) -> Result<Config> {
        crate::inputs::check_inside(root, [CONFIG_FILE])?;
        let path = root.join(CONFIG_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = crate::text::decode_utf8(Path::new(CONFIG_FILE), &bytes)?;
                Config::parse(Path::new(CONFIG_FILE), &text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Config::parse(Path::new(CONFIG_FILE), "")
            }
            Err(e) => Err(Error::io(&path, &e)),
        }
    }

    /// Parses and validates the text of a `site.yaml`; `path` is only used in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            crate::yaml_nesting::check(path, text, 0)?;
            crate::yaml::from_str(text).map_err(|e| error_at(path, &e, 0))?
        };
        let key_at = |key: &str| crate::text::key_position(text, key).unwrap_or((1, 1));
        let invalid = |key: &str, message: String, help: &str| -> Error {
            let (line, column) = key_at(key);
            Diagnostic::new(path, message)
                .at(line, column)
                .help(help)
                .into()
        };

        let timezone_name = raw.timezone.unwrap_or_else(|| "Asia/Seoul".to_owned());
        let timezone = Tz::from_str(&timezone_name).map_err(|_| {
            invalid(
                "timezone",
                format!("`timezone: {timezone_name}` is not a known time zone"),
                "use an IANA name such as Asia/Seoul, UTC or America/New_York",
            )
        })?;

        let date_format = raw.date_format.unwrap_or_else(|| "%Y.%m.%d".to_owned());
        if StrftimeItems::new(&date_format).any(|item| matches!(item, Item::Error)) {
            return Err(invalid(
                "date_format",
                format!("`date_format: {date_format}` is not a valid strftime format"),
                "use % codes such as %Y.%m.%d or %Y년 %m월 %d일",
            ));
        }

        let base_url = raw
            .base_url
            .unwrap_or_else(|| "http://127.0.0.1:4000".to_owned());
        let base_url = BaseUrl::parse(&base_url).ok_or_else(|| {
            invalid(
                "base_url",
                format!("`base_url: {base_url}` is not an http(s) address"),
                "write the address readers use, such as https://blog.example.com/",
            )
        })?;

        let paginate = raw.paginate.unwrap_or(10);
        if paginate == 0 {
            return Err(invalid(
                "paginate",
                "`paginate` must be at least 1".to_owned(),
                "set it to the number of posts per list page, e.g. 10",
            ));
        }

        let theme = raw.theme.unwrap_or_else(|| "default".to_owned());
        // One folder under themes/: a path here would read templates from anywhere.
        let one_folder = !theme.is_empty()
            && !theme.contains('/')
            && !theme.starts_with('.')
            && crate::site_path::SitePath::new(&theme).is_ok();
        if !one_folder {
            return Err(invalid(
                "theme",
                format!(
                    "`theme: {}` is not the name of a folder under themes/",
                    crate::site_path::shortened(&theme.escape_debug().to_string(), 60)
                ),
                "write the name of one folder under themes/, such as `theme: default`",
            ));
        }

        let extra = match raw.extra {
            None | Some(crate::yaml::Value::Null) => serde_json::Value::Object(Default::default()),
            Some(v) => serde_json::to_value(v).map_err(|e| {
                invalid(
                    "extra",
                    format!("`extra` cannot be passed to templates: {e}"),
                    "use plain strings, numbers, lists and maps under extra:",
                )
            })?,
        };

        let redirects = redirects::parse(path, text, raw.redirects)?;

        Ok(Config {
            title: raw.title.unwrap_or_default(),
            description: raw.description.unwrap_or_default(),
            author: raw.author.unwrap_or_default(),
            base_url,
            language: raw.language.unwrap_or_else(|| "ko".to_owned()),
            timezone,
            theme,
            date_format,
            paginate,
            other_posts: raw.other_posts.unwrap_or(8),
            feed_limit: raw.feed_limit.unwrap_or(20),
            extra,
            redirects,
        })
    }

    /// The address readers use, as the URL standard writes it (host in lower case, a Hangul
    /// domain in punycode), always ending with `/`: `https://example.org/blog/`.
    pub fn base_url(&self) -> &str {
        &self.base_url.text
    }

    /// The path part of `base_url` (`/` or `/blog/`): the prefix of every root-relative link.
    pub fn base_path(&self) -> &str {
        &self.base_url.text[self.base_url.path_start..]
    }

    /// `scheme://host[:port]` of `base_url`, without the path.
    pub fn origin(&self) -> &str {
        &self.base_url.text[..self.base_url.path_start]
    }

    /// Replaces `base_url`, as `--base-url` does.
    pub fn with_base_url(mut self, url: &str) -> Result<Config> {
        self.base_url = BaseUrl::parse(url).ok_or_else(|| {
            Diagnostic::new("--base-url", format!("`{url}` is not an http(s) address"))
                .help("pass an address such as https://blog.example.com/")
        })?;
        Ok(self)
    }
}

/// `base_url`, parsed once: its text, and where its path starts (asked for on every link).
#[derive(Debug, Clone)]
struct BaseUrl {
    text: String,
    path_start: usize,
}

impl BaseUrl {
    /// An absolute http(s) address with a host and no query, fragment or user, as the
    /// URL standard serialises it, with a `/` added at the end if it has none.
    fn parse(text: &str) -> Option<BaseUrl> {
        let text = text.trim();
        // `https:///blog` would parse (as host `blog`): an address needs its host written.
        let (_, rest) = text.split_once("://")?;
        if rest.is_empty() || rest.starts_with('/') || text.contains(char::is_whitespace) {
            return None;
        }
        let url = url::Url::parse(text).ok()?;
        let plain = url.query().is_none() && url.fragment().is_none() && url.username().is_empty();
        if !matches!(url.scheme(), "http" | "https") || !url.has_host() || !plain {
            return None;
        }
        let path_start = url[..url::Position::BeforePath].len();
        let mut text = String::from(url);
        if !text.ends_with('/') {
            text.push('/');
        }
        Some(BaseUrl { text, path_start })
    }
}

/// A site's settings with only `base_url` set, for tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn with_base_url(base: &str) -> Config {
    Config::parse(
        Path::new(CONFIG_FILE),
        &format!("title: t\nbase_url: {base}\n"),
    )
    .expect("a test's base_url")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_path() {
        let c = Config::parse(Path::new("site.yaml"), "base_url: https://ex.org/blog").unwrap();
        assert_eq!(c.base_url(), "https://ex.org/blog/");
        assert_eq!(c.base_path(), "/blog/");
        assert_eq!(c.origin(), "https://ex.org");
        assert_eq!(c.paginate, 10);
        assert_eq!(c.timezone, chrono_tz::Asia::Seoul);
    }

    #[test]
    fn the_base_url_is_written_as_the_url_standard_does() {
        let parse = |url: &str| Config::parse(Path::new("site.yaml"), &format!("base_url: {url}"));
        let c = parse("HTTPS://Blog.Example.com:443/일지").unwrap();
        assert_eq!(c.base_url(), "https://blog.example.com/%EC%9D%BC%EC%A7%80/");
        assert_eq!(c.origin(), "https://blog.example.com");
        assert_eq!(c.base_path(), "/%EC%9D%BC%EC%A7%80/");
        let c = parse("http://가게.한국:8080").unwrap();
        assert_eq!(c.base_url(), "http://xn--o39akk.xn--3e0b707e:8080/");
        assert_eq!(c.base_path(), "/");
        for bad in [
            "ftp://ex.org/",
            "https:///blog",
            "https://",
            "ex.org",
            "https://ex.org/a b",
            "https://ex.org/?page=1",
            "https://ex.org/#top",
            "https://me:secret@ex.org/",
            "https://me@ex.org/",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.diagnostics[0].line, Some(1), "{bad}");
        }
    }

    #[test]
    fn a_theme_is_one_folder_under_themes() {
        for bad in [
            "../../etc",
            "/etc",
            "a/b",
            ".",
            "..",
            ".hidden",
            "a\\b",
            "\"\"",
        ] {
            let text = format!("title: a\ntheme: {bad}\n");
            let e = Config::parse(Path::new("site.yaml"), &text).unwrap_err();
            assert_eq!(e.diagnostics[0].line, Some(2), "{bad}: {e}");
        }
        let c = Config::parse(Path::new("site.yaml"), "theme: 나의-테마\n").unwrap();
        assert_eq!(c.theme, "나의-테마");
    }

    #[test]
    fn deep_nesting_is_refused_where_it_passes_the_limit() {
        let text = format!("title: a\nextra: {}\n", "[".repeat(100));
        let e = Config::parse(Path::new("site.yaml"), &text).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(2), Some(8 + 63)), "{e}");
        assert!(d.message.contains("nested more than 64 deep"), "{e}");
    }

    #[test]
    fn unknown_key_is_named_with_line() {
        let e = Config::parse(Path::new("site.yaml"), "title: a\ntitel: b\n").unwrap_err();
        let d = &e.diagnostics[0];
        assert!(d.message.contains("titel"), "{}", d.message);
        assert_eq!(d.line, Some(2));
    }
}
