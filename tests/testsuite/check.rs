//! `ilji check` on small sites: every kind of finding, where it is reported
//! (file:line:column, the whole message as a golden file), which are errors (exit 1) and
//! which warnings (exit 0), that nothing is written, and `--external` against a real HTTP
//! server on 127.0.0.1; images without alt text or whose file is not an image. Most cases lay a folder of `tests/fixtures/check/` over the fixture
//! site `check/sound`, whose every link and image resolves.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use crate::support::{post, Site};

const CONFIG: &str = "title: 점검\nbase_url: https://example.org/\n";

/// A site whose every link and image resolves: a bundle image, a static file, relative and
/// root-relative links, percent-encoded and Hangul anchors, raw HTML.
fn sound_site() -> Site {
    Site::fixture("check/sound")
}

/// [`sound_site`] with the files of `tests/fixtures/check/<case>/` laid over it.
fn sound_site_with(case: &str) -> Site {
    let site = sound_site();
    site.overlay(&format!("check/{case}"));
    site
}

#[test]
fn a_sound_site_checks_clean_and_nothing_is_written() {
    let site = sound_site();
    let out = site.ilji(["check"]).stdout_has("no problems").run();
    assert!(out.stdout.contains("checked"), "{}", out.stdout);
    assert!(!site.root().join("public").exists(), "check writes nothing");
}

#[test]
fn broken_links_images_and_anchors_are_errors_with_file_line_and_column() {
    let site = sound_site_with("broken-links");
    let out = site
        .ilji(["check"])
        .failure()
        .stdout_has("5 errors")
        .stderr_golden("check/broken-links.stderr")
        .run();
    assert_eq!(out.stderr.matches("error:").count(), 5, "{}", out.stderr);
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_root_relative_link_outside_the_base_path_is_an_error() {
    let site = Site::fixture("check/outside-base-path");
    site.ilji(["check"])
        .failure()
        .stdout_has("1 error")
        .stderr_golden("check/outside-base-path.stderr")
        .run();
}

#[test]
fn drafts_scheduled_posts_and_duplicate_titles_are_warnings() {
    let site = sound_site_with("warnings");
    let out = site
        .ilji(["check"])
        .stdout_has("5 warnings")
        .stderr_golden("check/warnings.stderr")
        .run();
    assert!(!out.stderr.contains("error:"), "{}", out.stderr);

    // With --drafts the draft is published, so its broken link is an error.
    site.ilji(["check", "--drafts"])
        .failure()
        .stderr_golden("check/warnings-with-drafts.stderr")
        .run();
}

#[test]
fn what_stops_a_build_stops_a_check() {
    let site = sound_site_with("stops-a-build");
    site.ilji(["check"])
        .failure()
        .stdout_has("check failed")
        .stderr_golden("check/stops-a-build.stderr")
        .run();
}

/// A tiny HTTP server on 127.0.0.1: `/ok` 200, `/gone` 404, `/nohead` 405 to HEAD and 200
/// to GET, `/forbidden` 403, `/slow` answers after 5 s. Counts the requests it serves.
fn link_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let served = std::sync::Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let count = count.clone();
            std::thread::spawn(move || {
                let mut request_line = String::new();
                let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let mut parts = request_line.split_whitespace();
                let method = parts.next().unwrap_or("");
                let path = parts.next().unwrap_or("");
                let status = match (method, path) {
                    (_, "/ok") => "200 OK",
                    // `/위키 문서` as a browser sends it.
                    (_, "/%EC%9C%84%ED%82%A4%20%EB%AC%B8%EC%84%9C") => "200 OK",
                    (_, "/gone") => "404 Not Found",
                    ("HEAD", "/nohead") => "405 Method Not Allowed",
                    (_, "/nohead") => "200 OK",
                    (_, "/forbidden") => "403 Forbidden",
                    (_, "/slow") => {
                        std::thread::sleep(Duration::from_secs(5));
                        "200 OK"
                    }
                    _ => "404 Not Found",
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    (base, served)
}

#[test]
fn external_links_are_requested_with_a_timeout_and_summarised() {
    let (base, served) = link_server();
    let body = format!(
        "[좋음]({base}/ok) [없음]({base}/gone) [HEAD 안 됨]({base}/nohead)\n\
         [막힘]({base}/forbidden) [느림]({base}/slow) [또 좋음]({base}/ok#절)\n\n\
         <a href=\"{base}/위키 문서\">한글 주소</a>"
    );
    let site = Site::new().file("site.yaml", CONFIG).file(
        "content/posts/a.md",
        post("가", "2025-09-01", "일지", "", &body),
    );

    // Without --external nothing is requested.
    site.ilji(["check"]).stdout_has("no problems").run();
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 0);

    let started = std::time::Instant::now();
    let out = site
        .ilji(["check", "--external", "--timeout", "1", "--jobs", "2"])
        .redact(&base, "[SERVER]")
        .failure()
        .stdout_has("6 external links")
        .stdout_has("3 ok, 1 broken, 1 doubtful, 1 timed out")
        .stdout_has("1 error, 2 warnings")
        .stderr_golden("check/external.stderr")
        .run();
    assert!(
        !out.stderr.contains("/nohead"),
        "a server without HEAD is asked with GET: {}",
        out.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the slow link was given up after the timeout"
    );
}

#[test]
fn links_through_a_redirect_are_warnings_naming_the_direct_address() {
    let site = sound_site_with("redirects");
    let out = site
        .ilji(["check"])
        .stdout_has("7 warnings")
        .stderr_golden("check/redirects.stderr")
        .run();
    assert!(!out.stderr.contains("error:"), "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("leads through a redirect").count(),
        5,
        "{}",
        out.stderr
    );
    // The draft links to itself (`#소제목`, `/posts/draft/`): only the link to its old
    // address from a published post is a link to a draft.
    assert_eq!(out.stderr.matches("(a draft)").count(), 1, "{}", out.stderr);
}

#[test]
fn an_anchor_through_a_redirect_is_looked_for_on_the_page_it_leads_to() {
    let site = Site::new()
        .file(
            "site.yaml",
            "title: 점검\nbase_url: https://example.org/blog/\n",
        )
        .file(
            "content/posts/moved.md",
            post(
                "옮긴 글",
                "2025-09-01",
                "일지",
                "aliases: [/old/]",
                "## 제목\n\n본문.",
            ),
        )
        .file(
            "content/posts/linker.md",
            post(
                "잇는 글",
                "2025-09-02",
                "일지",
                "",
                "[가](/blog/old#제목)\n\n[나](/blog/old/#없음)",
            ),
        );
    let out = site
        .ilji(["check"])
        .failure()
        .stdout_has("1 error, 2 warnings")
        .stderr_has("help: link /blog/posts/moved/#제목 directly")
        .stderr_has(
            "linker.md:8:1: the link /blog/old/#없음 leads to /blog/posts/moved/, which has no element with id \"없음\"",
        )
        .run();
    assert_eq!(out.stderr.matches("error:").count(), 1, "{}", out.stderr);
}

#[test]
fn images_without_alt_text_and_unreadable_image_files_are_warnings() {
    let site = sound_site_with("images");
    let out = site
        .ilji(["check"])
        .stdout_has("4 warnings")
        .stderr_golden("check/images.stderr")
        .run();
    assert!(!out.stderr.contains("error:"), "{}", out.stderr);
    // Inside code (lines 13 and 16-17) nothing is an image; the good PNG reads.
    for line in [":13:", ":16:", ":17:"] {
        assert!(!out.stderr.contains(line), "{}", out.stderr);
    }
    assert!(
        !out.stderr.contains("(content/posts/photos/good.png)"),
        "{}",
        out.stderr
    );
    // A build publishes them all the same.
    site.build().run();
    assert!(site.has("posts/photos/broken.jpg"));
}
