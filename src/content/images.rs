//! The pixel sizes of a page's images, for the Markdown renderer (which reads no files):
//! an address as written is looked up beside a bundle's `index.md` (`front.jpg`) or in the
//! site's `static/` (`/x.jpg`). Nothing outside the site is read: an address with a scheme,
//! `//`, a `..` part or a backslash is not followed, and the relative addresses of a page
//! that is not a post bundle are not looked up (its folder's files are not published).

use std::path::{Path, PathBuf};

use crate::fsutil::image_size;

/// The file an image address of the page `source` (relative to `root`) stands for, if it is
/// one of the site's.
fn image_file(root: &Path, source: &Path, address: &str) -> Option<PathBuf> {
    let address = address.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(address)
        .decode_utf8()
        .ok()?;
    let scheme = decoded
        .find(':')
        .is_some_and(|i| !decoded[..i].contains('/'));
    let outside = decoded.contains('\\')
        || decoded.starts_with("//")
        || decoded.split('/').any(|part| part == "..");
    if decoded.is_empty() || scheme || outside {
        return None;
    }
    let relative = decoded.trim_start_matches("./");
    match relative.strip_prefix('/') {
        Some(in_static) => Some(root.join("static").join(in_static)),
        None => Some(root.join(super::bundle_of(source)?).join(relative)),
    }
}

/// The size of the image at `address` on the page `source` (relative to `root`), read from
/// the file's header; `None` when it is not a file of the site or not a known image.
pub(super) fn size_of(root: &Path, source: &Path, address: &str) -> Option<(u32, u32)> {
    image_size(&image_file(root, source, address)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_own_files_are_looked_up() {
        let (root, bundle) = (Path::new("/s"), Path::new("content/posts/a/index.md"));
        let file = |a: &str| image_file(root, bundle, a);
        assert_eq!(
            file("b.png"),
            Some(PathBuf::from("/s/content/posts/a/b.png"))
        );
        assert_eq!(
            file("./b%20c.png"),
            Some(PathBuf::from("/s/content/posts/a/b c.png"))
        );
        assert_eq!(
            file("/img/x.jpg?v=1"),
            Some(PathBuf::from("/s/static/img/x.jpg"))
        );
        for outside in [
            "../b.png",
            "/../../etc/x.png",
            "%2e%2e/x.png",
            "https://a.b/x.png",
            "//a.b/x.png",
            "C:\\x.png",
            "a\\..\\x.png",
            "file:/etc/x.png",
            "",
        ] {
            assert_eq!(file(outside), None, "{outside}");
        }
        for not_a_bundle in ["content/posts/2024-01-01-a.md", "content/about/index.md"] {
            assert_eq!(image_file(root, Path::new(not_a_bundle), "b.png"), None);
        }
    }
}
