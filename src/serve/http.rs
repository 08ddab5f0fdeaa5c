//! What the preview answers: files of the built site and nothing else, the live-reload
//! script and poll endpoint, and the error overlay while the site is broken. How requests
//! arrive and answers leave (connections, limits, timeouts) is [`super::server`]'s job.
//!
//! It never builds anything; it reads the output folder and the shared [`Preview`] state.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use super::reload::{Poll, POLL_PATH, SCRIPT};
use super::server::{Client, Request, Response};
use super::Preview;
use crate::site_path::layout;

/// How long a request for the search index waits for it to be rebuilt.
const INDEX_WAIT: Duration = Duration::from_secs(10);

/// How long a poll waits for a rebuild before answering "nothing new".
const POLL_TIMEOUT: Duration = Duration::from_secs(25);

/// Answers one GET or HEAD request.
pub fn handle(preview: &Preview, request: &Request<'_>, client: &Client<'_>) -> Response {
    let target = request.target;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path == POLL_PATH {
        poll(preview, query, client)
    } else {
        serve_file(preview, path)
    }
}

fn poll(preview: &Preview, query: &str, client: &Client<'_>) -> Response {
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    let since = param("since").and_then(|v| v.parse().ok()).unwrap_or(0);
    let instance = param("instance");
    match preview
        .signal
        .wait(since, instance, POLL_TIMEOUT, &|| client.gone())
    {
        Poll::Answer(json) => Response::new(200, "application/json", json.into_bytes())
            .header("Cache-Control", "no-store"),
        // The page's script asks again a second later.
        Poll::Busy => Response::busy("too many pages are waiting for a rebuild"),
        // Nobody reads this; the connection ends.
        Poll::Gone => {
            let mut response = Response::text(200, "");
            response.close = true;
            response
        }
    }
}

fn serve_file(preview: &Preview, raw_path: &str) -> Response {
    let root = &preview.output;
    if raw_path.trim_start_matches('/') == layout::SEARCH_INDEX {
        // Never hand out an index older than the pages.
        preview.index.wait(INDEX_WAIT);
    }
    let file = match resolve(root, raw_path) {
        Resolved::File(f) => f,
        Resolved::Refused => return Response::text(403, "forbidden"),
        Resolved::NotFound => return not_found(preview),
    };
    let bytes = match fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return not_found(preview),
        // Out of files, most likely: a moment later it works.
        Err(e) => return Response::busy(&format!("cannot read the page: {e}")),
    };
    let kind = content_type(&file);
    let body = if kind.starts_with("text/html") {
        inject(preview, bytes)
    } else {
        bytes
    };
    Response::new(200, kind, body).header("Cache-Control", "no-cache")
}

fn not_found(preview: &Preview) -> Response {
    let page = fs::read(preview.output.join(layout::NOT_FOUND))
        .unwrap_or_else(|_| b"<!DOCTYPE html><title>404</title><h1>404</h1>".to_vec());
    Response::new(404, "text/html; charset=utf-8", inject(preview, page))
}

/// Adds the live-reload script, and the error overlay while the last build failed, before
/// `</body>`.
fn inject(preview: &Preview, mut html: Vec<u8>) -> Vec<u8> {
    let mut extra = SCRIPT
        .replace("{GEN}", &preview.signal.generation().to_string())
        .replace("{INSTANCE}", preview.signal.instance());
    if let Some(error) = preview.error() {
        extra.insert_str(0, &overlay(&error));
    }
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, extra.into_bytes());
    html
}

/// The box shown over the last good page while the site has an error.
fn overlay(error: &str) -> String {
    let escaped = crate::html::escape_html(error);
    format!(
        "<div id=\"ilji-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffdede;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border-top:4px solid #ff5c5c;box-shadow:0 -4px 24px rgba(0,0,0,.4)\"><strong style=\"display:block;margin-bottom:.5rem;color:#fff\">ilji: the site has an error; showing the last good page. Fix the file and this page reloads.</strong><pre style=\"margin:0;white-space:pre-wrap\">{escaped}</pre></div>"
    )
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// Where a request path leads inside `root`.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// Outside the site, through a link, or malformed: never served.
    Refused,
    NotFound,
}

/// Maps a request path to a file under `root`: percent-decoded once, `..`, `.`, backslashes,
/// NUL, leftover escapes (double encoding) and symbolic links refused; folders serve their
/// `index.html`.
pub fn resolve(root: &Path, raw_path: &str) -> Resolved {
    let Some(raw) = raw_path.strip_prefix('/') else {
        return Resolved::Refused;
    };
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Resolved::Refused;
    };
    if decoded.contains(['\\', '\0', '%']) {
        return Resolved::Refused;
    }
    let mut path = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(name)), None) => path.push(name),
            _ => return Resolved::Refused,
        }
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Resolved::Refused,
            Ok(_) => {}
            Err(_) => return Resolved::NotFound,
        }
    }
    if path.is_dir() {
        path.push(layout::FOLDER_FILE);
    }
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => Resolved::Refused,
        Ok(meta) if meta.is_file() => Resolved::File(path),
        _ => Resolved::NotFound,
    }
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes_from_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("posts/가")).unwrap();
        fs::write(root.join("posts/가/index.html"), "x").unwrap();
        fs::write(dir.path().join("secret.txt"), "s").unwrap();
        assert_eq!(
            resolve(&root, "/posts/%EA%B0%80/"),
            Resolved::File(root.join("posts/가/index.html"))
        );
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%252e%252e/secret.txt",
            "/posts/..%2f..%2fsecret.txt",
            "/..\\secret.txt",
            "/posts%5c..%5c..%5csecret.txt",
            "relative",
        ] {
            assert_eq!(resolve(&root, bad), Resolved::Refused, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&root, "/link.txt"), Resolved::Refused);
        }
        assert_eq!(resolve(&root, "/nothing/"), Resolved::NotFound);
    }
}
