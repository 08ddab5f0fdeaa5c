//! `ilji serve`, the live-reload preview: each test starts the real binary on a free port of
//! 127.0.0.1 on its own copy of a site and talks to it as a browser would — over raw
//! HTTP/1.1 (so odd request paths go out exactly as written) and, for the live reload
//! itself, through a real headless Chromium. The harness is `support::{serve, http,
//! chromium}`; most tests serve the fixture site `sites/preview`.

mod browser;
mod editors;
mod files;
mod incremental;
mod lifecycle;
mod load;
mod posts;
mod reload;

use crate::support::{fixture, post, Site};

const FIRST: &str = "content/posts/첫-글.md";
const FIRST_URL: &str = "/posts/첫-글/";

/// Three posts in two categories (one with a Hangul file name, so a Hangul URL), a
/// standalone page and a static image with a Hangul name, `images/로고.png`.
fn blog() -> Site {
    Site::fixture("sites/preview")
}

/// The bytes of the smallest valid PNG (1×1), the blog's `images/로고.png`.
fn png() -> Vec<u8> {
    std::fs::read(fixture("sites/preview/static/images/로고.png")).expect("the fixture's PNG")
}

/// The blog's first post with another title and body.
fn first_post(title: &str, body: &str) -> String {
    post(
        title,
        "2025-01-01T09:00:00+09:00",
        "일지",
        "tags: [시작]",
        body,
    )
}
