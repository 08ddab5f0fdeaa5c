//! `ilji import --from tistory` (issue 25, item 4): a Tistory blog's RSS file, a folder of
//! its pages saved by a browser, and Tistory's own backup become posts that build, each
//! with its old addresses (`/123`, `/entry/<title>`) leading to it, its category, tags,
//! date and comments, and its saved images in its bundle; a value that would lead outside
//! the site is refused, a file outside the folder imported is never read.
//!
//! The old blogs are in `tests/fixtures/import_tistory/`, written in Tistory's markup (the
//! bodies are the seed posts). The bodies' Markdown itself is `html_markdown`'s, tested
//! there: these tests only ask that the text is there.

use crate::support::{fixture, Run, Site};

/// The path of the old blog `tests/fixtures/import_tistory/<name>`.
fn old_blog(name: &str) -> String {
    fixture("import_tistory").join(name).display().to_string()
}

/// A new ilji site with nothing in it yet.
fn empty_site() -> Site {
    Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    )
}

/// The front matter of a written file, and its body.
fn written(site: &Site, rel: &str) -> (serde_yaml::Mapping, String) {
    let text = std::fs::read_to_string(site.root().join(rel))
        .unwrap_or_else(|e| panic!("{rel} was not written: {e}"));
    let (yaml, body) = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .unwrap_or_else(|| panic!("{rel} has no front matter:\n{text}"));
    let front = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{rel}: {e}\n{yaml}"));
    (front, body.to_owned())
}

fn text_of<'m>(front: &'m serde_yaml::Mapping, key: &str) -> Option<&'m str> {
    front.get(key).and_then(|v| v.as_str())
}

fn list_of(front: &serde_yaml::Mapping, key: &str) -> Vec<String> {
    front
        .get(key)
        .and_then(|v| v.as_sequence())
        .map(|s| {
            s.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the page published at the old address `old` redirects to the post `slug`.
fn redirects(site: &Site, old: &str, slug: &str) -> bool {
    let encoded: String =
        percent_encoding::utf8_percent_encode(slug, percent_encoding::NON_ALPHANUMERIC)
            .to_string()
            .replace("%2D", "-");
    site.page(old)
        .contains(&format!("url=https://example.org/posts/{encoded}/\""))
}

/// Every file below `dir`, relative to it, `/`-separated.
fn files_below(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("below");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out.sort();
    out
}

const FIRST: &str = "content/posts/2025-09-02-고객-불만이-기회가-된-순간들";
const FIRST_SLUG: &str = "고객-불만이-기회가-된-순간들";

#[test]
fn an_rss_file_gives_posts_that_keep_their_old_addresses_and_build() {
    let site = empty_site();
    // Detected as Tistory's by its `<rss` and `tistory`; the item whose link leads out of
    // the site is refused (exit 1), the others are imported.
    site.ilji(["import", &old_blog("rss/rss.xml")])
        .status(1)
        .stdout_has("imported 3 posts and 0 pages from Tistory (6 old addresses kept as aliases, 0 files copied); 1 value refused (see the errors)")
        .stderr_has("error: rss.xml:103: the old address `/entry/../../../outside` cannot be published")
        .stderr_has("note: rss.xml:17: 1 image stays at their Tistory address")
        .stderr_has("the sub-category `창업/고객 응대` became the category `고객 응대` and the tag `창업`")
        .run();

    let (front, body) = written(&site, &format!("{FIRST}.md"));
    assert_eq!(
        text_of(&front, "title"),
        Some("고객 불만이 기회가 된 순간들")
    );
    assert_eq!(text_of(&front, "date"), Some("2025-09-02T09:30:00+09:00"));
    assert_eq!(text_of(&front, "category"), Some("고객 응대"));
    assert_eq!(
        list_of(&front, "tags"),
        ["창업", "고객 불만", "마이크로 비즈니스"]
    );
    assert_eq!(
        list_of(&front, "aliases"),
        ["/12", "/entry/고객-불만이-기회가-된-순간들"]
    );
    assert_eq!(text_of(&front, "author"), Some("공방지기"));
    assert!(body.contains("배송 지연, 상품 설명 부족"), "{body}");
    assert!(body.contains("blog.kakaocdn.net/dn/bXk3Qa"), "{body}");

    // A number link gives `/13` and the title address Tistory would give, `&` dropped;
    // entities in the title are read.
    let (front, body) = written(
        &site,
        "content/posts/2025-09-08-퇴사-후-달라진-인간관계-새로운-시작.md",
    );
    // An image written from the blog's root stays on the blog.
    assert!(
        body.contains("https://sosogongbang.tistory.com/attachment/cfile7.uf@99A1B2.jpg"),
        "{body}"
    );
    assert_eq!(
        text_of(&front, "title"),
        Some("퇴사 후 달라진 인간관계 & 새로운 시작")
    );
    assert_eq!(
        list_of(&front, "aliases"),
        ["/13", "/entry/퇴사-후-달라진-인간관계--새로운-시작"]
    );
    let (front, body) = written(&site, "content/posts/2025-09-10-공지-9월-휴무-안내.md");
    assert_eq!(text_of(&front, "title"), Some("<공지> 9월 휴무 안내"));
    // The category `../../공지사항`: its `..` parts name nothing.
    assert_eq!(text_of(&front, "category"), Some("공지사항"));
    assert!(list_of(&front, "tags").is_empty());
    assert_eq!(list_of(&front, "aliases")[0], "/14");
    assert!(body.contains("주문 확인"), "{body}");

    site.build().run();
    for old in ["/12/", "/entry/고객-불만이-기회가-된-순간들/"] {
        assert!(redirects(&site, old, FIRST_SLUG), "{old}");
    }
    assert!(redirects(
        &site,
        "/entry/퇴사-후-달라진-인간관계--새로운-시작/",
        "퇴사-후-달라진-인간관계-새로운-시작"
    ));
    // The blog's list and feed addresses (kept when it moves with its own domain): the
    // sub-category (below `창업`, whose own category page ilji publishes), a tag, and the
    // feed, whose bytes are written there since feed readers do not follow a redirect page.
    for (old, new) in [
        (
            "/category/창업/고객 응대/",
            "category/%EA%B3%A0%EA%B0%9D-%EC%9D%91%EB%8C%80/",
        ),
        (
            "/tag/고객 불만/",
            "tags/%EA%B3%A0%EA%B0%9D-%EB%B6%88%EB%A7%8C/",
        ),
    ] {
        let page = site.page(old);
        assert!(
            page.contains(&format!("url=https://example.org/{new}\"")),
            "{old}: {page}"
        );
    }
    assert_eq!(site.read("rss/index.html"), site.read("atom.xml"));
    // Nothing of the refused item was written anywhere.
    let everything = files_below(site.root());
    assert!(
        !everything.iter().any(|f| f.contains("outside")),
        "{everything:?}"
    );
}

#[test]
fn the_rss_channel_names_the_site_made_by_init() {
    let tmp = tempfile::TempDir::new().expect("temp dir");
    Run::new(tmp.path()).args(["init", "."]).run();
    Run::new(tmp.path())
        .args(["import", "--from", "tistory", &old_blog("rss/rss.xml")])
        .status(1)
        .stderr_has("`title` set to `소소한 공방 일지` from rss.xml")
        .stderr_has("`description` set to `작은 공방을 꾸려 가는 이야기` from rss.xml")
        .stderr_lacks("base_url")
        .run();
    let yaml = std::fs::read_to_string(tmp.path().join("site.yaml")).expect("site.yaml");
    assert!(yaml.contains("title: \"소소한 공방 일지\""), "{yaml}");
    // The blog's *.tistory.com address stays Tistory's: the new site is elsewhere.
    assert!(!yaml.contains("tistory.com"), "{yaml}");
}

#[test]
fn saved_pages_give_their_images_comments_and_drafts() {
    let site = empty_site();
    site.ilji(["import", "--from", "tistory", &old_blog("pages")])
        // `바깥.html` is a link to a file outside the folder: not read (3 posts, not 4).
        .stdout_has("imported 3 posts and 0 pages from Tistory (6 old addresses kept as aliases, 1 file copied, 3 comments). Next")
        .stderr_has("left as written: ../outside.png, ..%2Foutside.png")
        .stderr_has("비밀 레시피.html: a protected or private post on Tistory; imported as a draft")
        .stderr_has("Tistory showed 4 comments and the page held 0; the count is kept as `tistory_comments`")
        .run();

    // The image saved in `<title>_files/` is copied into the post's bundle, and the body
    // shows it there; the skin's CSS and scripts beside it are not copied, nor the image
    // the body reaches with `../`, outside the folder imported.
    let bundle = site.root().join(FIRST);
    assert_eq!(
        files_below(&bundle),
        ["img.png", "index.comments.yaml", "index.md"]
    );
    let (front, body) = written(&site, &format!("{FIRST}/index.md"));
    assert!(
        body.contains("img.png") && !body.contains("_files/img.png"),
        "{body}"
    );
    assert!(body.contains("배송 지연, 상품 설명 부족"), "{body}");
    // From the page's meta tags and its `window.T.entryInfo`.
    assert_eq!(text_of(&front, "date"), Some("2025-09-02T09:30:00+09:00"));
    assert_eq!(text_of(&front, "category"), Some("고객 응대"));
    assert_eq!(list_of(&front, "tags"), ["창업", "고객 불만", "포장"]);
    assert_eq!(
        list_of(&front, "aliases"),
        ["/12", "/entry/고객-불만이-기회가-된-순간들"]
    );
    let comments = std::fs::read_to_string(bundle.join("index.comments.yaml")).expect("comments");
    let comments: Vec<serde_yaml::Mapping> = serde_yaml::from_str(&comments).expect("YAML");
    let authors: Vec<&str> = comments
        .iter()
        .filter_map(|c| text_of(c, "author"))
        .collect();
    assert_eq!(authors, ["소소한손님", "공방지기", "지나가던 사람"]);
    assert_eq!(text_of(&comments[0], "date"), Some("2025-09-03 10:12"));
    // The comment's line break and bold stay, as Markdown.
    assert_eq!(
        text_of(&comments[0], "body"),
        Some("포장이 정말 좋아졌어요!\\\n다음에도 살게요.")
    );
    assert_eq!(text_of(&comments[2], "body"), Some("**굵게** 쓴 댓글"));
    assert_eq!(text_of(&comments[1], "body"), Some("감사합니다 <3"));
    // `3시간 전` is no date: the post's.
    assert_eq!(
        text_of(&comments[2], "date"),
        Some("2025-09-02T09:30:00+09:00")
    );

    // A skin with JSON-LD and `dg:plink` only, saved before its 4 comments were shown.
    let (front, _) = written(
        &site,
        "content/posts/2025-09-08-퇴사-후-달라진-인간관계-새로운-시작.md",
    );
    assert_eq!(list_of(&front, "aliases")[0], "/13");
    assert_eq!(
        front.get("tistory_comments").and_then(|v| v.as_u64()),
        Some(4)
    );
    assert_eq!(list_of(&front, "tags"), ["인간관계"]);
    let (front, _) = written(&site, "content/posts/2025-09-12-비밀-레시피.md");
    assert_eq!(front.get("draft").and_then(|v| v.as_bool()), Some(true));
    assert!(list_of(&front, "tags").is_empty(), "the skin's `Tag` label");

    site.build().run();
    assert!(site.has(&format!("posts/{FIRST_SLUG}/img.png")));
    let page = site.page(&format!("/posts/{FIRST_SLUG}/"));
    assert!(page.contains("소소한손님"), "{page}");
    assert!(page.contains("포장이 정말 좋아졌어요!<br"), "{page}");
    assert!(page.contains("<strong>굵게</strong> 쓴 댓글"), "{page}");
    assert!(redirects(&site, "/12/", FIRST_SLUG));
    assert!(!site.has_page("/posts/비밀-레시피/"), "a draft");
}

#[test]
fn a_backup_folder_brings_each_posts_attachments_into_its_bundle() {
    let site = empty_site();
    // Detected by its numbered folders.
    site.ilji(["import", &old_blog("backup")])
        .stdout_has("imported 3 posts and 0 pages from Tistory (6 old addresses kept as aliases, 2 files copied)")
        .stderr_has("13/13-퇴사 후 달라진 인간관계 & 새로운 시작.html: 1 image stays at their Tistory address")
        .stderr_has("14/14-링크 사진.html: not found in the folder imported (or leading outside it), left as written: ./leak.png")
        .run();
    let bundle = site.root().join(FIRST);
    assert_eq!(
        files_below(&bundle),
        ["img/photo 1.jpg", "index.md", "가격표.pdf"]
    );
    let (front, body) = written(&site, &format!("{FIRST}/index.md"));
    assert!(body.contains("img/photo%201.jpg"), "{body}");
    // The backup's title, `.category`, `.date` (the site's zone) and `#tags`.
    assert_eq!(
        text_of(&front, "title"),
        Some("고객 불만이 기회가 된 순간들")
    );
    assert_eq!(text_of(&front, "date"), Some("2025-09-02 09:30:00"));
    assert_eq!(text_of(&front, "category"), Some("고객 응대"));
    assert_eq!(list_of(&front, "tags"), ["창업", "고객 불만", "포장"]);
    // The number from the folder; the title address made from the title.
    assert_eq!(
        list_of(&front, "aliases"),
        ["/12", "/entry/고객-불만이-기회가-된-순간들"]
    );
    // `14/leak.png` is a link to a file outside the backup: not copied.
    assert!(!site
        .root()
        .join("content/posts/2025-09-10-링크-사진")
        .exists());

    site.build().run();
    assert!(site.has(&format!("posts/{FIRST_SLUG}/img/photo 1.jpg")));
    assert!(site.has(&format!("posts/{FIRST_SLUG}/가격표.pdf")));
    assert!(redirects(&site, "/14/", "링크-사진"));
}

#[test]
fn a_dry_run_writes_nothing_and_a_second_import_overwrites_nothing() {
    let site = empty_site();
    site.ilji(["import", "--dry-run", &old_blog("backup")])
        .stdout_has("would import 3 posts")
        .stdout_has("nothing was written (--dry-run)")
        .run();
    assert!(!site.root().join("content").exists());
    site.ilji(["import", &old_blog("backup")]).run();
    let before = files_below(site.root());
    site.ilji(["import", &old_blog("backup")])
        .stderr_has("already exists; not written")
        .run();
    assert_eq!(files_below(site.root()), before);
}

#[test]
fn a_saved_page_without_a_date_says_where_to_write_one() {
    let site = empty_site();
    site.ilji(["import", "--from", "tistory", &old_blog("undated")])
        .stdout_has("imported 0 posts and 0 pages from Tistory")
        .stderr_has("날짜 없는 글.html: has no date, and ilji's posts need one")
        .stderr_has("add `<meta property=\"article:published_time\"")
        .stderr_lacks("front matter")
        .run();
}
