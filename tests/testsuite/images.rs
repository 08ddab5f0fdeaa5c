//! Images in posts (issue 26, item 1): an image alone in its paragraph is a `<figure>` with
//! its title as the caption, one inside a sentence an inline `<img>`; both carry the file's
//! `width` and `height` when the file is the site's (a bundle's, or `static/`'s for `/x`),
//! the first image of a page is loaded at once and the others lazily, and a figure fits a
//! phone's column (checked in Chromium when it is installed).
//!
//! The PNG files are `tests/fixtures/images/` (1200×800, 640×480, 40×30); the JPEG is a
//! header written by the test.

use serde_json::json;

use crate::support::chromium::Browser;
use crate::support::serve::{Serve, START_TIMEOUT};
use crate::support::{fixture, post, Site};

fn png(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("images/{name}"))).expect("a fixture image")
}

/// The start of a baseline JPEG file of `width`×`height` (its size is in the frame header).
fn jpeg_header(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    bytes.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
    bytes
}

const BODY: &str = r#"![가게 앞](front.png "봄날의 가게 앞")

문 옆의 ![아이콘](/img/icon.png "작은 간판") 간판을 보세요.

![선반](shelf.png)

![사진](photo.jpg)

![없는 사진](missing.png)

![밖](../outside.png)
"#;

/// A site whose post is a bundle holding the images (and one outside it).
fn site() -> Site {
    Site::new()
        .file("site.yaml", "title: 가게\nbase_url: https://example.org/\n")
        .file(
            "content/posts/spring/index.md",
            post("봄", "2024-05-01", "일지", "", BODY),
        )
        .file("content/posts/spring/front.png", png("front.png"))
        .file("content/posts/spring/shelf.png", png("shelf.png"))
        .file("content/posts/spring/photo.jpg", jpeg_header(300, 200))
        .file("content/posts/outside.png", png("shelf.png"))
        .file("static/img/icon.png", png("icon.png"))
}

/// The `<img …>` tags of `html`, in order.
fn imgs(html: &str) -> Vec<&str> {
    html.match_indices("<img ")
        .map(|(at, _)| {
            let rest = &html[at..];
            &rest[..rest.find('>').map_or(rest.len(), |end| end + 1)]
        })
        .collect()
}

#[test]
fn an_image_alone_is_a_figure_with_its_caption_and_sizes() {
    let site = site();
    site.build().run();
    let page = site.page("/posts/spring/");
    let want = "<figure><img src=\"front.png\" alt=\"가게 앞\" width=\"1200\" height=\"800\" \
                loading=\"eager\" fetchpriority=\"high\" decoding=\"async\" />\
                <figcaption>봄날의 가게 앞</figcaption></figure>";
    assert!(page.contains(want), "{want} not in {page}");
    // A figure without a title has no caption, and no paragraph holds a figure.
    let shelf = "<figure><img src=\"shelf.png\" alt=\"선반\" width=\"640\" height=\"480\" \
                 loading=\"lazy\" decoding=\"async\" /></figure>";
    assert!(page.contains(shelf), "{shelf} not in {page}");
    assert!(!page.contains("<p><figure>"), "{page}");
    assert!(!page.contains("title=\"봄날의 가게 앞\""), "{page}");
}

#[test]
fn an_image_in_a_sentence_stays_inline_with_its_sizes() {
    let site = site();
    site.build().run();
    let page = site.page("/posts/spring/");
    let want = "<p>문 옆의 <img src=\"/img/icon.png\" alt=\"아이콘\" title=\"작은 간판\" \
                width=\"40\" height=\"30\" loading=\"lazy\" decoding=\"async\" /> 간판을 보세요.</p>";
    assert!(page.contains(want), "{want} not in {page}");
}

#[test]
fn sizes_come_from_jpeg_and_png_headers_and_unknown_files_have_none() {
    let site = site();
    site.build().run();
    let page = site.page("/posts/spring/");
    let tags = imgs(&page);
    let of = |src: &str| {
        tags.iter()
            .find(|t| t.contains(&format!("src=\"{src}\"")))
            .copied()
            .unwrap_or_else(|| panic!("no <img> of {src} in {page}"))
    };
    assert!(
        of("photo.jpg").contains("width=\"300\" height=\"200\""),
        "{}",
        of("photo.jpg")
    );
    // A missing file, and one outside the bundle (`..` is not followed), have no sizes.
    for src in ["missing.png", "../outside.png"] {
        let tag = of(src);
        assert!(!tag.contains("width=") && !tag.contains("height="), "{tag}");
        assert!(tag.contains("loading=\"lazy\" decoding=\"async\""), "{tag}");
    }
}

#[test]
fn the_first_image_of_each_page_is_eager_and_the_others_lazy() {
    let site = site().file(
        "content/posts/2024-05-02-second.md",
        post(
            "둘째",
            "2024-05-02",
            "일지",
            "",
            "글 먼저.\n\n![a](/img/icon.png)\n\n![b](/img/icon.png)",
        ),
    );
    site.build().run();
    for path in ["/posts/spring/", "/posts/second/"] {
        let page = site.page(path);
        let tags = imgs(&page);
        assert!(tags.len() >= 2, "{page}");
        assert!(
            tags[0].contains("loading=\"eager\" fetchpriority=\"high\""),
            "{}",
            tags[0]
        );
        for tag in &tags[1..] {
            assert!(tag.contains("loading=\"lazy\""), "{tag}");
            assert!(
                !tag.contains("eager") && !tag.contains("fetchpriority"),
                "{tag}"
            );
        }
        assert!(
            tags.iter().all(|t| t.contains("decoding=\"async\"")),
            "{tags:?}"
        );
    }
}

#[test]
fn a_hostile_title_address_and_alt_are_escaped() {
    let body = "![<b>x</b> \"q\" & <script>](front.png \"\\\"><script>alert(1)</script>\")\n\n\
                쓴 ![\"><svg onload=alert(1)>](x.png?a=1&b=\"2\" \"<i>t</i>\") 글\n";
    let site = Site::new()
        .file("site.yaml", "title: 가게\nbase_url: https://example.org/\n")
        .file(
            "content/posts/bad/index.md",
            post("나쁨", "2024-05-01", "일지", "", body),
        )
        .file("content/posts/bad/front.png", png("icon.png"));
    site.build().run();
    let page = site.page("/posts/bad/");
    let article = page.split_once("<figure>").map_or("", |(_, a)| a);
    assert!(
        !article.contains("<script>") && !article.contains("<svg"),
        "{article}"
    );
    assert!(
        !article.contains("<b>x") && !article.contains("<i>t"),
        "{article}"
    );
    assert!(
        page.contains("alt=\"&lt;b&gt;x&lt;/b&gt; &quot;q&quot; &amp; &lt;script&gt;\""),
        "{page}"
    );
    assert!(
        page.contains("<figcaption>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</figcaption>"),
        "{page}"
    );
    assert!(page.contains("title=\"&lt;i&gt;t&lt;/i&gt;\""), "{page}");
}

#[test]
fn a_figure_fits_a_phone_screen() {
    let site = site();
    let serve = Serve::start(&site);
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let mut tab = browser.open(&format!("{}posts/spring/", serve.url));
    let loaded =
        "document.readyState === 'complete' && !!document.querySelector('.content figure img')";
    tab.wait_for(loaded, &json!(true), START_TIMEOUT);
    assert_eq!(
        tab.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        json!(true),
        "the page scrolls sideways"
    );
    let fits = "[...document.querySelectorAll('.content figure, .content figure img')].every(e => \
                e.getBoundingClientRect().right <= document.querySelector('.content').getBoundingClientRect().right + 1)";
    assert_eq!(
        tab.eval(fits),
        json!(true),
        "a figure is wider than the text"
    );
    // The 1200×800 image keeps its shape at the column's width.
    let ratio = "(() => { const r = document.querySelector('.content figure img').getBoundingClientRect(); \
                 return Math.abs(r.width / r.height - 1.5) < 0.02; })()";
    assert_eq!(
        tab.eval(ratio),
        json!(true),
        "the figure's image is stretched"
    );
    let caption = "getComputedStyle(document.querySelector('figcaption')).textAlign";
    assert_eq!(tab.eval(caption), json!("center"));
    // The image inside a sentence stays on its line.
    let inline = "getComputedStyle(document.querySelector('.content p img')).display";
    assert_eq!(tab.eval(inline), json!("inline"));
}
