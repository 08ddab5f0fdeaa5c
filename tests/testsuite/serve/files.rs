//! Files over HTTP: the URL printed first, pages served with the live-reload script,
//! other files as built, the site's 404 page, Hangul paths percent-encoded, traversal
//! attempts refused, symbolic links never followed, and `public/` never written.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::{blog, first_post, png, FIRST};
use crate::support::serve::{
    generation, preview_folder, without_reload_script, Serve, START_TIMEOUT,
};
use crate::support::{links_to, percent, snapshot};

#[test]
fn prints_the_url_first_and_serves_pages_with_the_reload_script() {
    let site = blog();
    let mut serve = Serve::start(&site);
    assert!(
        serve.url.starts_with("http://127.0.0.1:") && serve.port != 0,
        "{}",
        serve.url
    );

    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert!(home.is_html(), "{:?}", home.header("content-type"));
    let html = home.text();
    assert!(
        html.contains("첫 글") && html.contains("두 번째 글"),
        "{html}"
    );
    let script = html.find("/__ilji/poll").expect("the reload script");
    let body_end = html.rfind("</body>").expect("</body>");
    assert!(script < body_end, "the script is injected before </body>");
    assert_eq!(generation(&html), 0, "nothing was rebuilt yet");

    // index.html of a folder, also asked for by name.
    let about = serve.get("/about/");
    assert_eq!(about.status, 200);
    assert!(about.is_html());
    assert!(about.text().contains("소개 페이지입니다."));
    let by_name = serve.get("/about/index.html");
    assert_eq!(by_name.status, 200);
    assert_eq!(by_name.body, about.body);

    // Not HTML: served as built, nothing injected.
    let css = serve.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|t| t.starts_with("text/css")),
        "{:?}",
        css.header("content-type")
    );
    assert!(!css.text().contains("__ilji"));
    assert_eq!(
        css.body,
        fs::read(site.root().join("themes/default/static/style.css")).expect("theme css")
    );

    // HEAD: the same status and type, no body.
    let head = serve.head("/");
    assert_eq!(head.status, 200);
    assert!(head.is_html());
    assert!(head.body.is_empty(), "HEAD sent a body");

    // The log: built, then serving the URL; no warning on loopback.
    let url = serve.url.clone();
    serve.wait_log("`serving <url>`", START_TIMEOUT, |l| {
        l.starts_with("serving ") && l.contains(&url)
    });
    assert!(
        serve.log.iter().any(|l| l.starts_with("built ")),
        "{}",
        serve.shown()
    );
    assert!(
        !serve.log.iter().any(|l| l.contains("warning")),
        "{}",
        serve.shown()
    );
}

#[test]
fn a_missing_page_is_the_sites_404_page_with_status_404() {
    let site = blog();
    let serve = Serve::start(&site);
    for missing in [
        "/posts/nothing-here/",
        "/no/such/file.css",
        &percent("/posts/없는-글/"),
    ] {
        let reply = serve.get(missing);
        assert_eq!(reply.status, 404, "{missing}");
        assert!(
            reply.is_html(),
            "{missing}: {:?}",
            reply.header("content-type")
        );
        let html = reply.text();
        assert!(
            html.contains("페이지를 찾을 수 없습니다"),
            "{missing}: the theme's 404 page\n{html}"
        );
        assert!(html.contains("/__ilji/poll"), "the 404 page reloads too");
    }
    // /404.html itself is a page of the site.
    assert_eq!(serve.get("/404.html").status, 200);
}

#[test]
fn hangul_paths_are_served_percent_encoded() {
    let site = blog();
    let serve = Serve::start(&site);

    let first = serve.get("/posts/%EC%B2%AB-%EA%B8%80/");
    assert_eq!(first.status, 200);
    assert!(first.text().contains("첫 번째 본문입니다."));
    // Lower-case escapes name the same page.
    let lower = serve.get("/posts/%ec%b2%ab-%ea%b8%80/");
    assert_eq!(lower.status, 200);
    assert_eq!(
        without_reload_script(&lower.text()),
        without_reload_script(&first.text())
    );

    // Every link of the home page that stays on the site leads to a page (the links are
    // percent-encoded; the server decodes them).
    let home = serve.get("/").text();
    let links = links_to(&home, "/");
    assert!(
        links.contains(&"/posts/%EC%B2%AB-%EA%B8%80/".to_owned()),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("/category/%EC%9D%BC%EC%A7%80/")),
        "{links:?}"
    );
    for link in &links {
        let reply = serve.get(link);
        assert_eq!(reply.status, 200, "{link}");
    }
    assert_eq!(serve.page("/category/일지/").status, 200);
    assert_eq!(serve.page("/tags/시작/").status, 200);

    // A static file with a Hangul name: the bytes, with its type.
    let logo = serve.page("/images/로고.png");
    assert_eq!(logo.status, 200);
    assert_eq!(logo.header("content-type"), Some("image/png"));
    assert_eq!(logo.body, png());
}

#[test]
fn traversal_attempts_are_refused() {
    let site = blog();
    let serve = Serve::start(&site);
    // A file beside the preview folder (both in the temporary folder): what a traversal
    // from the served root would reach.
    let mut secret = tempfile::Builder::new()
        .prefix("ilji-secret-")
        .suffix(".txt")
        .tempfile()
        .expect("a secret file");
    secret
        .write_all(b"TOP-SECRET-CONTENT")
        .expect("write the secret");
    let name = secret
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 name")
        .to_owned();
    let attempts = [
        format!("/../{name}"),
        format!("/posts/../../{name}"),
        format!("//../{name}"),
        format!("/%2e%2e/{name}"),
        format!("/%2E%2E/{name}"),
        format!("/.%2e/{name}"),
        format!("/posts/%2e%2e/%2e%2e/{name}"),
        format!("/%2e%2e%2f{name}"),
        format!("/posts/..%2f..%2f{name}"),
        format!("/posts%2f..%2f..%2f{name}"),
        format!("/%252e%252e/{name}"),
        format!("/%252e%252e%252f{name}"),
        format!("/posts/%252e%252e/%252e%252e/{name}"),
        format!("/..\\{name}"),
        format!("/posts\\..\\..\\{name}"),
        format!("/..%5c{name}"),
        format!("/%2e%2e%5c{name}"),
        format!("/posts%5c..%5c..%5c{name}"),
        format!("/%255c..%255c{name}"),
    ];
    for target in &attempts {
        let reply = serve.get(target);
        assert_eq!(reply.status, 403, "GET {target}: {}", reply.text());
        assert!(
            !reply.text().contains("TOP-SECRET"),
            "GET {target} leaked the file"
        );
    }
    // The site itself is still served.
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn symbolic_links_are_never_followed() {
    let site = blog();
    site.write("secret.txt", "TOP-SECRET-CONTENT");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("secret.txt"),
        site.root().join("static/link.txt"),
    )
    .expect("a symlink in static/");
    let serve = Serve::start(&site);

    // A link among the sources: not published, or refused.
    let reply = serve.get("/link.txt");
    assert!(
        matches!(reply.status, 403 | 404),
        "a symlinked static file answered {}",
        reply.status
    );
    assert!(!reply.text().contains("TOP-SECRET"));

    // Links inside the served folder itself: a file and a folder pointing outside.
    let served = preview_folder(serve.pid());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.root().join("secret.txt"), served.join("leak.txt"))
            .expect("a file symlink in the preview folder");
        std::os::unix::fs::symlink(site.root(), served.join("outside"))
            .expect("a folder symlink in the preview folder");
    }
    for target in ["/leak.txt", "/outside/secret.txt", "/outside/"] {
        let reply = serve.get(target);
        assert_eq!(reply.status, 403, "GET {target}: {}", reply.text());
        assert!(!reply.text().contains("TOP-SECRET"), "GET {target} leaked");
    }
}

#[test]
fn ilji_build_output_has_no_reload_script() {
    let site = blog();
    site.build().run();
    let public = snapshot(&site.root().join("public"));
    assert!(public.contains_key(Path::new("index.html")));
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("__ilji") && !text.contains("ilji-error"),
            "{} carries the preview's script",
            path.display()
        );
    }
}

#[test]
fn serve_never_writes_public() {
    let site = blog();
    let mut serve = Serve::start(&site);
    site.write(FIRST, first_post("첫 글", "고친 본문."));
    serve.rebuilt(FIRST);
    assert!(
        !site.root().join("public").exists(),
        "ilji serve wrote public/ (pages with the reload script would be published)"
    );
}
