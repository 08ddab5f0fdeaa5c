//! `ilji check` on small sites in temporary folders: every kind of finding, where it is
//! reported (file:line:column), which are errors (exit 1) and which warnings (exit 0), that
//! nothing is written, and `--external` against a real HTTP server on 127.0.0.1.

#[allow(dead_code)]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use support::{post, Site};

const CONFIG: &str = "title: 점검\nbase_url: https://example.org/\n";

/// A site whose every link and image resolves: a bundle image, a static file, relative and
/// root-relative links, percent-encoded and Hangul anchors, raw HTML.
fn sound_site() -> Site {
    Site::new()
        .file("site.yaml", CONFIG)
        .file(
            "content/posts/first.md",
            post(
                "첫 글",
                "2025-09-01",
                "일지",
                "",
                "## 고객 응대\n\n본문.\n\n## 두 번째 제목\n\n끝.",
            ),
        )
        .file(
            "content/posts/second/index.md",
            post(
                "둘째 글",
                "2025-09-02",
                "일지",
                "",
                "![가게 사진](shop.png)\n\n[첫 글](/posts/first/#고객-응대), \
                 [인코딩](/posts/first/#%EB%91%90-%EB%B2%88%EC%A7%B8-%EC%A0%9C%EB%AA%A9), \
                 [상대](../first/), [소개](/about/), [맨 위](#top), [카테고리](/category/일지/), \
                 [슬래시 없이](/posts/first), [전체 주소](https://example.org/posts/first/)\n\n\
                 <a href=\"/files/menu.pdf\">메뉴판</a> <img src=\"/logo.png\" alt=\"\">\n\n\
                 [메일](mailto:me@example.org)",
            ),
        )
        .file("content/posts/second/shop.png", b"png")
        .file("static/logo.png", b"png")
        .file("static/files/menu.pdf", b"pdf")
        .file(
            "content/about.md",
            "---\ntitle: 소개\n---\n[첫 글](../posts/first/)\n",
        )
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
    let site = sound_site().file(
        "content/posts/broken.md",
        post(
            "깨진 글",
            "2025-09-03",
            "일지",
            "",
            // Line 6 of the file is the first body line.
            "[없는 글](/posts/no-such/)\n\
             앞 ![없는 사진](missing.png)\n\
             [앵커](/posts/first/#없는-제목)\n\
             <p><a href=\"/nowhere.html\">x</a></p>\n\n\
             [위로](../../../x)",
        ),
    );
    let out = site
        .ilji(["check"])
        .failure()
        .stderr_has("error: content/posts/broken.md:6:1: the link /posts/no-such/ leads nowhere")
        .stderr_has("error: content/posts/broken.md:7:3: the image missing.png leads nowhere: nothing is published at /posts/broken/missing.png")
        .stderr_has("error: content/posts/broken.md:8:1: the link /posts/first/#없는-제목 leads to /posts/first/, which has no element with id \"없는-제목\"")
        .stderr_has("help: use one of its headings' ids: #고객-응대, #두-번째-제목")
        .stderr_has("error: content/posts/broken.md:9:13: the link /nowhere.html leads nowhere")
        .stderr_has("content/posts/broken.md:11:1: the link ../../../x climbs above the site's root")
        .stdout_has("5 errors")
        .run();
    assert_eq!(out.stderr.matches("error:").count(), 5, "{}", out.stderr);
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_root_relative_link_outside_the_base_path_is_an_error() {
    let site = Site::new()
        .file(
            "site.yaml",
            "title: t\nbase_url: https://example.org/blog/\n",
        )
        .file(
            "content/posts/a.md",
            post(
                "가",
                "2025-09-01",
                "일지",
                "",
                "[b](/posts/b/) [b2](/blog/posts/b/)",
            ),
        )
        .file(
            "content/posts/b.md",
            post(
                "나",
                "2025-09-02",
                "일지",
                "",
                "[a](https://example.org/blog/posts/a/)",
            ),
        );
    site.ilji(["check"])
        .failure()
        .stderr_has("content/posts/a.md:6:1: the link /posts/b/ points outside the site, which is published under /blog/")
        .stderr_has("help: write /blog/posts/b/")
        .stdout_has("1 error")
        .run();
}

#[test]
fn drafts_scheduled_posts_and_duplicate_titles_are_warnings() {
    let site = sound_site()
        .file(
            "content/posts/draft.md",
            post(
                "쓰는 중",
                "2025-09-04",
                "일지",
                "draft: true",
                "[깨진](/x/)",
            ),
        )
        .file(
            "content/posts/later.md",
            post("예약 글", "2999-01-01", "일지", "", "미래."),
        )
        .file(
            "content/posts/linker.md",
            post(
                "첫 글",
                "2025-09-05",
                "일지",
                "",
                "[초안](/posts/draft/) [예약](/posts/later/)",
            ),
        );
    let out = site
        .ilji(["check"])
        .stderr_has("warning: content/posts/linker.md:6:1: links to content/posts/draft.md (a draft), which is not published")
        .stderr_has("warning: content/posts/linker.md:6:21: links to content/posts/later.md (a post scheduled for 2999-01-01")
        .stderr_has("warning: content/posts/linker.md:2: has the same title as content/posts/first.md in category '일지': \"첫 글\"")
        .stderr_has("warning: content/posts/later.md:3: dated 2999-01-01 00:00 KST, in the future")
        // A broken link inside a draft is reported, but stops nothing yet.
        .stderr_has("warning: content/posts/draft.md:7:1: the link /x/ leads nowhere")
        .stderr_has("it is not published yet")
        .stdout_has("5 warnings")
        .run();
    assert!(!out.stderr.contains("error:"), "{}", out.stderr);

    // With --drafts the draft is published, so its broken link is an error.
    site.ilji(["check", "--drafts"])
        .failure()
        .stderr_has("error: content/posts/draft.md:7:1: the link /x/ leads nowhere")
        .run();
}

#[test]
fn what_stops_a_build_stops_a_check() {
    let site = sound_site().file(
        "content/posts/bad.md",
        "---\ntitle: [깨진\ndate: 2025-09-01\n---\n본문\n",
    );
    site.ilji(["check"])
        .failure()
        .stderr_has("error: content/posts/bad.md:3:5:")
        .stdout_has("check failed")
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
        .failure()
        .stderr_has(format!(
            "error: content/posts/a.md:6:33: the link {base}/gone is gone: the site answered 404"
        ))
        .stderr_has(format!(
            "warning: content/posts/a.md:7:1: the link {base}/forbidden answered 403"
        ))
        .stderr_has(format!(
            "warning: content/posts/a.md:7:40: the link {base}/slow did not answer within 1 s"
        ))
        .stdout_has("6 external links")
        .stdout_has("3 ok, 1 broken, 1 doubtful, 1 timed out")
        .stdout_has("1 error, 2 warnings")
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
