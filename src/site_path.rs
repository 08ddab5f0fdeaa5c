//! [`SitePath`]: a place inside the output folder, and the only way to name one. Every path
//! that content gives for the output (slugs, aliases, page folders, category and tag names,
//! bundle and static file names) becomes a `SitePath` through [`SitePath::new`] or
//! [`SitePath::from_alias`], which refuse what would lead out of the output folder (`.` and
//! `..` parts, backslashes) or what no file system can hold (NUL, parts over 255 bytes). The
//! writers of the output take nothing else.
//!
//! Which path each thing gets (the URL layout) is its child module [`layout`]'s. It writes
//! nothing.

use std::borrow::Borrow;
use std::fmt;

pub mod layout;

/// The longest part (file or folder name) that Linux, macOS and Windows file systems hold.
pub const MAX_PART: usize = 255;

/// The longest path inside the output: the output folder's own path comes before it, and
/// Linux refuses paths over 4,096 bytes.
pub const MAX_PATH: usize = 2048;

/// A `/`-separated path relative to the output folder, not percent-encoded: `posts/가/` (a
/// folder, published as its `index.html`), `posts/가/photo.jpg`, or `` (the site's root).
/// Never absolute, never with an empty, `.` or `..` part, a backslash or a control character.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SitePath(String);

/// Why a path was refused; its `Display` finishes the sentence "… cannot be published:".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A `.` or `..` part.
    DotPart(&'static str),
    Nul,
    Backslash,
    /// A control character other than NUL (a line break, a tab…).
    Control,
    /// `a//b`.
    EmptyPart,
    /// Starts with `/` (callers strip it where an address is meant).
    Absolute,
    /// A part of this many bytes.
    LongPart(usize),
    /// A whole path of this many bytes.
    LongPath(usize),
    /// Percent-escapes that decode to bytes that are not UTF-8.
    NotUtf8,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::DotPart(dots) => write!(
                f,
                "it has a `{dots}` part, which would lead out of its place in the site"
            ),
            Refusal::Nul => write!(f, "it contains a NUL character"),
            Refusal::Backslash => write!(f, "it contains a backslash (`\\`)"),
            Refusal::Control => write!(f, "it contains a control character (a line break, a tab…)"),
            Refusal::EmptyPart => write!(f, "it has an empty part (`//`)"),
            Refusal::Absolute => write!(f, "it starts with `/`"),
            Refusal::LongPart(n) => write!(
                f,
                "one of its parts is {n} bytes long, and a file name holds at most {MAX_PART} \
                 (a Hangul syllable takes 3)"
            ),
            Refusal::LongPath(n) => {
                write!(
                    f,
                    "it is {n} bytes long; ilji publishes paths of at most {MAX_PATH}"
                )
            }
            Refusal::NotUtf8 => write!(f, "its percent-escapes do not decode to UTF-8 text"),
        }
    }
}

impl SitePath {
    /// Checks `path`, a `/`-separated path relative to the output folder (a trailing `/`
    /// makes it a folder).
    pub fn new(path: &str) -> Result<SitePath, Refusal> {
        if path.len() > MAX_PATH {
            return Err(Refusal::LongPath(path.len()));
        }
        if path.starts_with('/') {
            return Err(Refusal::Absolute);
        }
        let body = path.strip_suffix('/').unwrap_or(path);
        if body.is_empty() {
            return Ok(SitePath(path.to_owned()));
        }
        // One pass over the bytes (every page of a build comes through here): each byte
        // checked, each part when its `/` (or the end) is reached.
        let mut start = 0;
        for (i, &b) in body.as_bytes().iter().enumerate() {
            match b {
                b'/' => {
                    check_part(&body[start..i])?;
                    start = i + 1;
                }
                0 => return Err(Refusal::Nul),
                b'\\' => return Err(Refusal::Backslash),
                1..=0x1f | 0x7f => return Err(Refusal::Control),
                _ => {}
            }
        }
        check_part(&body[start..])?;
        Ok(SitePath(path.to_owned()))
    }

    /// Whether this names a folder (ends with `/`, or is the root).
    pub fn is_folder(&self) -> bool {
        self.0.is_empty() || self.0.ends_with('/')
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One part of a path, its bytes already checked: not empty, `.` or `..`, and at most
/// [`MAX_PART`] bytes.
fn check_part(part: &str) -> Result<(), Refusal> {
    match part {
        "" => Err(Refusal::EmptyPart),
        "." => Err(Refusal::DotPart(".")),
        ".." => Err(Refusal::DotPart("..")),
        _ if part.len() > MAX_PART => Err(Refusal::LongPart(part.len())),
        _ => Ok(()),
    }
}

impl std::ops::Deref for SitePath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SitePath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `text` shortened for an error message: at most `max` characters, with `…` when cut.
pub fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => [&text[..i], "…"].concat(),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_pass() {
        for path in [
            "",
            "posts/고객-불만/",
            "posts/a/photo.jpg",
            "...x/",
            "a..b/",
        ] {
            assert_eq!(SitePath::new(path).unwrap().as_str(), path);
        }
    }

    #[test]
    fn refuses_what_leaves_the_folder_or_no_file_system_holds() {
        let long = "가".repeat(86);
        for (path, refusal) in [
            ("../x/", Refusal::DotPart("..")),
            ("a/../../x", Refusal::DotPart("..")),
            ("a/./x", Refusal::DotPart(".")),
            ("..", Refusal::DotPart("..")),
            ("/etc/passwd", Refusal::Absolute),
            ("a//b", Refusal::EmptyPart),
            ("a\\..\\b", Refusal::Backslash),
            ("a\0b/", Refusal::Nul),
            ("a\nb/", Refusal::Control),
            (&format!("posts/{long}/"), Refusal::LongPart(258)),
        ] {
            assert_eq!(SitePath::new(path), Err(refusal), "{path:?}");
        }
        let deep = "a/".repeat(1100);
        assert_eq!(SitePath::new(&deep), Err(Refusal::LongPath(2200)));
        // 85 syllables, 255 bytes: the longest part there is.
        assert!(SitePath::new(&format!("{}/", "가".repeat(85))).is_ok());
    }

    #[test]
    fn shortens_long_values_for_messages() {
        assert_eq!(shortened("가나다라", 2), "가나…");
        assert_eq!(shortened("ab", 2), "ab");
    }
}
