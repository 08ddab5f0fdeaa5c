//! [`SitePath`]: a place inside the output folder, and the only way to name one. Every path
//! that content gives for the output (slugs, aliases, page folders, category and tag names,
//! bundle and static file names) becomes a `SitePath` through [`SitePath::new`] or
//! [`SitePath::from_alias`], which refuse what would lead out of the output folder (`.` and
//! `..` parts, backslashes) or what no file system can hold (NUL, parts over 255 bytes). The
//! writers of the output take nothing else.
//!
//! It knows nothing of the URL layout (which address a post gets) and writes nothing.

use std::borrow::Borrow;
use std::fmt;

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

    /// An old address from `aliases:` (`/entry/옛-주소`, `123`, `/old.html`,
    /// `/entry/%EC%98%9B`), as the path a web server maps it to: percent-escapes decoded, no
    /// leading `/`, repeated `/` folded, and a trailing `/` unless the last part names a file
    /// (has a `.`). `/` is the site's root.
    pub fn from_alias(alias: &str) -> Result<SitePath, Refusal> {
        let decoded = percent_encoding::percent_decode_str(alias.trim())
            .decode_utf8()
            .map_err(|_| Refusal::NotUtf8)?;
        let mut path = String::with_capacity(decoded.len() + 1);
        for part in decoded.split('/').filter(|p| !p.is_empty()) {
            path.push_str(part);
            path.push('/');
        }
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        // `.` and `..` are parts to refuse, not file names.
        let names_file = last.contains('.') && !last.trim_matches('.').is_empty();
        if names_file && !decoded.ends_with('/') {
            path.pop();
        }
        SitePath::new(&path)
    }

    /// The file published for this path: a folder's `index.html`, else the path itself.
    pub fn file(&self) -> SitePath {
        if self.is_folder() {
            SitePath([self.0.as_str(), "index.html"].concat())
        } else {
            self.clone()
        }
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
    fn plain_paths_pass_and_name_their_file() {
        for (path, file) in [
            ("", "index.html"),
            ("posts/고객-불만/", "posts/고객-불만/index.html"),
            ("posts/a/photo.jpg", "posts/a/photo.jpg"),
            ("archive/", "archive/index.html"),
            ("...x/", "...x/index.html"),
            ("a..b/", "a..b/index.html"),
        ] {
            assert_eq!(SitePath::new(path).unwrap().file().as_str(), file, "{path}");
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
    fn aliases_become_the_paths_web_servers_map_them_to() {
        for (alias, path) in [
            ("/entry/옛-주소", "entry/옛-주소/"),
            ("123", "123/"),
            ("/old.html", "old.html"),
            ("/old.html/", "old.html/"),
            ("//a///b//", "a/b/"),
            ("/entry/%EC%98%9B", "entry/옛/"),
            ("/", ""),
            ("  /a  ", "a/"),
            ("/v1.2/notes", "v1.2/notes/"),
        ] {
            assert_eq!(
                SitePath::from_alias(alias).unwrap().as_str(),
                path,
                "{alias}"
            );
        }
        for (alias, refusal) in [
            ("../site.yaml", Refusal::DotPart("..")),
            ("../../../../victim.txt", Refusal::DotPart("..")),
            ("/%2e%2e/%2e%2e/x", Refusal::DotPart("..")),
            ("/a/%2E%2E%2F%2E%2E%2Fx", Refusal::DotPart("..")),
            ("/.", Refusal::DotPart(".")),
            ("/a/..", Refusal::DotPart("..")),
            ("..\\..\\x", Refusal::Backslash),
            ("/a%5c..%5cb", Refusal::Backslash),
            ("/a%00b", Refusal::Nul),
            ("/a\0b", Refusal::Nul),
            ("/%ff", Refusal::NotUtf8),
        ] {
            assert_eq!(SitePath::from_alias(alias), Err(refusal), "{alias:?}");
        }
    }

    #[test]
    fn shortens_long_values_for_messages() {
        assert_eq!(shortened("가나다라", 2), "가나…");
        assert_eq!(shortened("ab", 2), "ab");
    }
}
