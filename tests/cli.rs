//! Integration tests of the `ilji` binary: each test makes one small site for one behaviour
//! (SPEC.md), runs the real binary on it and reads what it published.
//!
//! The harness (site builder, fluent runner, HTML readers) is in `support/`.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use support::{
    category_others, links_to, others_titles, percent, post, rel_link, repo_root,
    tool_is_installed, OtherPost, Run, Site,
};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// The "other posts in this category" list
// ---------------------------------------------------------------------------------------

/// `글 01` … `글 12` in category 일지, one a day in January 2025 (file `pNN.md`, URL
/// `/posts/pNN/`), plus a draft of the same category between 06 and 07 and a post of
/// another category on the same day.
fn twelve_posts(site_yaml: &str) -> Site {
    let mut site = Site::new().file("site.yaml", site_yaml);
    for n in 1..=12 {
        site = site.file(
            &format!("content/posts/p{n:02}.md"),
            post(
                &format!("글 {n:02}"),
                &format!("2025-01-{n:02}T09:00:00+09:00"),
                "일지",
                "",
                "본문입니다.",
            ),
        );
    }
    site.file(
        "content/posts/draft.md",
        post(
            "초안 글",
            "2025-01-06T12:00:00+09:00",
            "일지",
            "draft: true",
            "아직 쓰는 중.",
        ),
    )
    .file(
        "content/posts/other.md",
        post(
            "다른 카테고리 글",
            "2025-01-06T18:00:00+09:00",
            "기타",
            "",
            "다른 이야기.",
        ),
    )
}

fn titles(numbers: &[u32]) -> Vec<String> {
    numbers.iter().map(|n| format!("글 {n:02}")).collect()
}

#[test]
fn others_list_takes_half_newer_and_half_older_newest_first() {
    let site = twelve_posts("title: 목록\n");
    site.build().run();

    let middle = site.page("/posts/p06/");
    assert_eq!(others_titles(&middle), titles(&[10, 9, 8, 7, 5, 4, 3, 2]));

    let newest = site.page("/posts/p12/");
    assert_eq!(others_titles(&newest), titles(&[11, 10, 9, 8, 7, 6, 5, 4]));

    let oldest = site.page("/posts/p01/");
    assert_eq!(others_titles(&oldest), titles(&[9, 8, 7, 6, 5, 4, 3, 2]));

    let second = site.page("/posts/p11/");
    assert_eq!(others_titles(&second), titles(&[12, 10, 9, 8, 7, 6, 5, 4]));
}

#[test]
fn others_list_entries_link_and_show_count_and_date() {
    let site = twelve_posts("title: 목록\n");
    site.build().run();
    let entries = category_others(&site.page("/posts/p06/"));
    assert_eq!(
        entries[0],
        OtherPost {
            title: "글 10".into(),
            url: "/posts/p10/".into(),
            comments: "(0)".into(),
            datetime: "2025-01-10T09:00:00+09:00".into(),
            date: "2025.01.10".into(),
        }
    );
}

#[test]
fn others_list_never_shows_drafts_even_when_they_are_published() {
    let site = twelve_posts("title: 목록\n");
    site.build().arg("--drafts").run();

    assert!(
        site.has_page("/posts/draft/"),
        "--drafts publishes the draft"
    );
    for n in 1..=12 {
        let list = others_titles(&site.page(&format!("/posts/p{n:02}/")));
        assert_eq!(list.len(), 8, "p{n:02}: {list:?}");
        assert!(!list.contains(&"초안 글".to_owned()), "p{n:02}: {list:?}");
    }
    assert_eq!(
        others_titles(&site.page("/posts/p06/")),
        titles(&[10, 9, 8, 7, 5, 4, 3, 2])
    );
    // The draft's own page lists the category around its date.
    assert_eq!(
        others_titles(&site.page("/posts/draft/")),
        titles(&[10, 9, 8, 7, 6, 5, 4, 3])
    );
}

#[test]
fn others_list_never_shows_other_categories() {
    let site = twelve_posts("title: 목록\n");
    site.build().run();
    for n in 1..=12 {
        let list = others_titles(&site.page(&format!("/posts/p{n:02}/")));
        assert!(
            !list.contains(&"다른 카테고리 글".to_owned()),
            "p{n:02}: {list:?}"
        );
    }
    // Alone in its category, the other post has nothing to list.
    assert_eq!(
        others_titles(&site.page("/posts/other/")),
        Vec::<String>::new()
    );
}

#[test]
fn others_list_length_follows_other_posts() {
    let site = twelve_posts("title: 목록\nother_posts: 4\n");
    site.build().run();
    assert_eq!(
        others_titles(&site.page("/posts/p06/")),
        titles(&[8, 7, 5, 4])
    );
    assert_eq!(
        others_titles(&site.page("/posts/p12/")),
        titles(&[11, 10, 9, 8])
    );
    assert_eq!(
        others_titles(&site.page("/posts/p01/")),
        titles(&[5, 4, 3, 2])
    );
}

#[test]
fn prev_and_next_link_the_adjacent_posts_of_the_category() {
    let site = twelve_posts("title: 목록\n");
    site.build().arg("--drafts").run();

    let middle = site.page("/posts/p06/");
    assert_eq!(rel_link(&middle, "prev").as_deref(), Some("/posts/p05/"));
    assert_eq!(rel_link(&middle, "next").as_deref(), Some("/posts/p07/"));

    let newest = site.page("/posts/p12/");
    assert_eq!(rel_link(&newest, "prev").as_deref(), Some("/posts/p11/"));
    assert_eq!(rel_link(&newest, "next"), None);

    let oldest = site.page("/posts/p01/");
    assert_eq!(rel_link(&oldest, "prev"), None);
    assert_eq!(rel_link(&oldest, "next").as_deref(), Some("/posts/p02/"));
}

// ---------------------------------------------------------------------------------------
// The repository's sample blog and the seeds' lists
// ---------------------------------------------------------------------------------------

/// Builds the repository's own site into a temporary folder (the repository is not
/// written to) and returns that folder.
fn build_sample_blog() -> TempDir {
    let out = TempDir::new().expect("temporary output folder");
    let public = out.path().join("public");
    Run::new(out.path())
        .arg("-C")
        .arg(repo_root().to_str().expect("UTF-8 repository path"))
        .args(["build", "--output"])
        .arg(public.to_str().expect("UTF-8 temporary path"))
        .run();
    out
}

/// The published page of the sample post titled `title` (found under content/posts).
fn sample_post_page(out: &TempDir, title: &str) -> String {
    let posts = repo_root().join("content/posts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&posts)
        .expect("list content/posts")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let (file, text) = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).expect("read a sample post")))
        .find(|(_, text)| {
            text.lines().any(|l| {
                l.strip_prefix("title:")
                    .is_some_and(|v| v.trim().trim_matches('"') == title)
            })
        })
        .unwrap_or_else(|| panic!("no post titled {title:?} under content/posts"));
    let slug = text
        .lines()
        .find_map(|l| l.strip_prefix("slug:"))
        .map(|v| v.trim().trim_matches('"').to_owned())
        .unwrap_or_else(|| {
            let stem = file.file_stem().expect("stem").to_string_lossy();
            stem.get(11..).unwrap_or(&stem).to_owned()
        });
    let path = out
        .path()
        .join("public/posts")
        .join(slug)
        .join("index.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (title, comment count as printed, date) of each entry.
fn listed(html: &str) -> Vec<(String, String, String)> {
    category_others(html)
        .into_iter()
        .map(|o| (o.title, o.comments, o.date))
        .collect()
}

fn expected(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(t, c, d)| (t.to_string(), c.to_string(), d.to_string()))
        .collect()
}

#[test]
fn sample_blog_complaints_post_lists_what_seed_000_prints() {
    let out = build_sample_blog();
    let html = sample_post_page(&out, "고객 불만이 기회가 된 순간들");
    assert_eq!(
        listed(&html),
        expected(&[
            ("퇴사 전 나에게 꼭 해주고 싶은 충고", "(1)", "2025.09.09"),
            ("브랜드를 알리기 위해 선택한 홍보 전략", "(0)", "2025.09.08"),
            (
                "온라인 플랫폼에 의존하면서 겪은 장단점",
                "(1)",
                "2025.09.08"
            ),
            (
                "갑작스러운 매출 하락, 나를 지켜낸 대처법",
                "(0)",
                "2025.09.08"
            ),
            ("재고 관리의 실패가 가르쳐준 교훈", "(0)", "2025.09.07"),
            (
                "1년 운영 후 돌아본 마이크로 비즈니스 성과와 반성",
                "(0)",
                "2025.09.07"
            ),
            (
                "작은 비즈니스에서 브랜드를 만들어가는 과정",
                "(0)",
                "2025.09.07"
            ),
            (
                "퇴사 후 얻은 가장 큰 자산은 ‘관계’ 였다",
                "(0)",
                "2025.09.07"
            ),
        ])
    );
    assert!(
        html.contains("'퇴사 후 마이크로 비즈니스 운영 일지' 카테고리의 다른 글")
            || html.contains("&#x27;퇴사 후 마이크로 비즈니스 운영 일지&#x27; 카테고리의 다른 글"),
        "the list is headed with its category"
    );
}

#[test]
fn sample_blog_relationships_post_lists_what_seed_001_prints() {
    let out = build_sample_blog();
    let html = sample_post_page(&out, "퇴사 후 다시 정의된 인간관계");
    assert_eq!(
        listed(&html),
        expected(&[
            ("꾸준함이 결국 결과를 만들어낸 순간", "(0)", "2025.09.11"),
            (
                "마이크로 비즈니스 1년, 앞으로의 도전 과제",
                "(0)",
                "2025.09.10"
            ),
            (
                "작은 비즈니스가 내 삶의 태도를 바꾼 방식",
                "(0)",
                "2025.09.10"
            ),
            ("마이크로 비즈니스로 얻은 첫 성취감", "(0)", "2025.09.09"),
            ("퇴사 전 나에게 꼭 해주고 싶은 충고", "(1)", "2025.09.09"),
            ("브랜드를 알리기 위해 선택한 홍보 전략", "(0)", "2025.09.08"),
            (
                "온라인 플랫폼에 의존하면서 겪은 장단점",
                "(1)",
                "2025.09.08"
            ),
            (
                "갑작스러운 매출 하락, 나를 지켜낸 대처법",
                "(0)",
                "2025.09.08"
            ),
        ])
    );
}

/// Where the W3C Nu HTML checker is: `$ILJI_VNU_JAR`, else `target/vnu/vnu.jar`, which
/// `.ci/run` downloads.
fn vnu_jar() -> PathBuf {
    std::env::var_os("ILJI_VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/vnu/vnu.jar"))
}

/// The default theme's pages are valid HTML: the W3C Nu checker finds no error in the sample
/// blog (posts with comments and a table of contents, pages, category, tag, archive, search
/// and 404 pages, the home page's second page) nor in a small site with what the sample lacks
/// (a draft, a table, footnotes, a task list, struck text, an image, a Latin title). A page
/// broken on purpose checked beside them shows that the checker reads and reports them.
#[test]
fn default_theme_pages_pass_the_w3c_nu_checker() {
    let jar = vnu_jar();
    if !tool_is_installed(
        "java",
        "install it with `apt-get install -y default-jre-headless`",
    ) || !tool_is_installed(
        &jar.to_string_lossy(),
        "download it as .ci/run does (the pinned vnu.jar of npm's registry) or set \
         ILJI_VNU_JAR to a vnu.jar",
    ) {
        return;
    }
    let sample = build_sample_blog();
    let features = Site::new()
        .file("site.yaml", "title: 문법 검사\npaginate: 2\n")
        .file(
            "content/posts/a.md",
            post(
                "표와 각주",
                "2025-09-01T09:00:00+09:00",
                "일지",
                "tags: [표, 각주]",
                "## 표\n\n| 항목 | 값 |\n|---|---|\n| 매출 | 10 |\n\n각주가 있는 문장[^1].\n\n\
                 [^1]: 각주 내용.\n\n- [x] 끝낸 일\n- [ ] 남은 일\n\n~~지운 말~~\n\n\
                 ![가게 사진](shop.png)\n\n```rust\nfn main() {}\n```\n",
            ),
        )
        .file(
            "content/posts/a.comments.yaml",
            "- author: 손님\n  date: 2025-09-02T10:00:00+09:00\n  body: 좋은 **글** 감사합니다\n",
        )
        .file(
            "content/posts/b.md",
            post(
                "Plain English title",
                "2025-09-02T09:00:00+09:00",
                "일지",
                "",
                "Some text.",
            ),
        )
        .file(
            "content/posts/c.md",
            post(
                "쓰는 중인 글",
                "2025-09-03T09:00:00+09:00",
                "일지",
                "draft: true",
                "초안.",
            ),
        );
    features.ilji(["build", "--drafts"]).run();
    assert!(
        features.page("/posts/c/").contains("초안"),
        "the draft was published"
    );

    let broken = TempDir::new().expect("temporary folder");
    let broken_page = broken.path().join("broken.html");
    std::fs::write(
        &broken_page,
        "<!DOCTYPE html><html lang=\"ko\"><head><title>깨진 쪽</title></head>\
         <body><p>닫히지 않은 <span>문단</div></body></html>",
    )
    .expect("write the broken page");

    let checked = [
        sample.path().join("public"),
        features.root().join("public"),
        broken_page.clone(),
    ];
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .args(&checked)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run java ({e}): install it with apt-get install -y default-jre-headless")
        });
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = report.lines().filter(|l| !l.trim().is_empty()).collect();
    let broken_name = broken_page.to_string_lossy().into_owned();
    assert!(
        errors.iter().any(|l| l.contains(&broken_name)),
        "the checker did not report the page broken on purpose, so it checked nothing:\n{report}"
    );
    let ours: Vec<&str> = errors
        .into_iter()
        .filter(|l| !l.contains(&broken_name))
        .collect();
    assert!(
        ours.is_empty(),
        "the Nu checker found errors:\n{}",
        ours.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Dates and time zones
// ---------------------------------------------------------------------------------------

/// A post at `date` and a later one of the same category, whose list shows the first.
fn dated_pair(site_yaml: &str, date: &str) -> Site {
    Site::new()
        .file("site.yaml", site_yaml)
        .file(
            "content/posts/late.md",
            post("늦은 밤 글", date, "일지", "", "본문."),
        )
        .file(
            "content/posts/later.md",
            post("다음 글", "2025-09-20T09:00:00+09:00", "일지", "", "본문."),
        )
}

/// (datetime, shown date) of the first post as listed on the second's page.
fn listed_date(site: &Site) -> (String, String) {
    let entries = category_others(&site.page("/posts/later/"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    (entries[0].datetime.clone(), entries[0].date.clone())
}

#[test]
fn dates_are_shown_in_asia_seoul_by_default() {
    let site = dated_pair("title: 시간\n", "2025-09-08T23:30:00Z");
    site.build().run();
    assert_eq!(
        listed_date(&site),
        (
            "2025-09-09T08:30:00+09:00".to_owned(),
            "2025.09.09".to_owned()
        )
    );
    let html = site.page("/posts/late/");
    assert!(html.contains(r#"datetime="2025-09-09T08:30:00+09:00""#));
    assert!(html.contains(">2025.09.09<"));
    assert!(!html.contains("2025.09.08"));
}

#[test]
fn dates_follow_the_timezone_setting() {
    let site = dated_pair("title: 시간\ntimezone: UTC\n", "2025-09-08T23:30:00Z");
    site.build().run();
    let (datetime, shown) = listed_date(&site);
    assert_eq!(shown, "2025.09.08");
    assert!(
        matches!(
            datetime.as_str(),
            "2025-09-08T23:30:00+00:00" | "2025-09-08T23:30:00Z"
        ),
        "{datetime}"
    );
    assert!(site.page("/posts/late/").contains(">2025.09.08<"));
}

#[test]
fn a_date_without_offset_is_read_in_the_site_zone() {
    let seoul = dated_pair("title: 시간\n", "2025-09-08 23:30");
    seoul.build().run();
    assert_eq!(
        listed_date(&seoul),
        (
            "2025-09-08T23:30:00+09:00".to_owned(),
            "2025.09.08".to_owned()
        )
    );

    let new_york = dated_pair(
        "title: 시간\ntimezone: America/New_York\n",
        "2025-09-08 23:30",
    );
    new_york.build().run();
    assert_eq!(
        listed_date(&new_york),
        (
            "2025-09-08T23:30:00-04:00".to_owned(),
            "2025.09.08".to_owned()
        )
    );
}

#[test]
fn date_format_is_honoured() {
    let site = dated_pair(
        "title: 시간\ndate_format: \"%Y년 %m월 %d일\"\n",
        "2025-09-08T23:30:00Z",
    );
    site.build().run();
    assert_eq!(listed_date(&site).1, "2025년 09월 09일");
    assert!(site.page("/posts/late/").contains("2025년 09월 09일"));
}

// ---------------------------------------------------------------------------------------
// Hangul slugs and percent-encoded links
// ---------------------------------------------------------------------------------------

#[test]
fn hangul_slugs_keep_hangul_on_disk_and_are_encoded_in_links() {
    let site = Site::new().file("site.yaml", "title: 한글\n").file(
        "content/posts/고객 불만 사례.md",
        post(
            "고객 불만 사례",
            "2025-09-08",
            "퇴사 후 일지",
            "tags: [신뢰 회복]",
            "본문.",
        ),
    );
    site.build().run();

    assert!(site.has("posts/고객-불만-사례/index.html"));
    assert!(site.has("category/퇴사-후-일지/index.html"));
    assert!(site.has("tags/신뢰-회복/index.html"));

    let post_url = percent("/posts/고객-불만-사례/");
    assert!(post_url.starts_with("/posts/%EA%B3%A0"), "{post_url}");
    let home = site.page("/");
    assert!(
        home.contains(&format!(r#"href="{post_url}""#)),
        "the home page links {post_url}"
    );
    assert!(
        home.contains(&format!(r#"href="{}""#, percent("/category/퇴사-후-일지/"))),
        "the home page links the category, encoded"
    );
    let page = site.page("/posts/고객-불만-사례/");
    assert!(
        page.contains(&format!(r#"href="{}""#, percent("/tags/신뢰-회복/"))),
        "the post links its tag, encoded"
    );
    for html in [&home, &page] {
        for raw in ["href=\"/posts/고", "href=\"/category/퇴", "href=\"/tags/신"] {
            assert!(!html.contains(raw), "a link is not encoded: {raw}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------

/// 23 posts `p01`…`p23` a day apart: p01–p12 in 장사, p13–p23 in 기록.
fn twenty_three_posts() -> Site {
    let mut site = Site::new().file("site.yaml", "title: 쪽\npaginate: 10\n");
    for n in 1..=23 {
        let category = if n <= 12 { "장사" } else { "기록" };
        site = site.file(
            &format!("content/posts/p{n:02}.md"),
            post(
                &format!("글 {n:02}"),
                &format!("2025-03-{n:02}"),
                category,
                "",
                "본문.",
            ),
        );
    }
    site
}

fn post_urls(numbers: impl IntoIterator<Item = u32>) -> Vec<String> {
    numbers
        .into_iter()
        .map(|n| format!("/posts/p{n:02}/"))
        .collect()
}

#[test]
fn home_is_paginated() {
    let site = twenty_three_posts();
    site.build().run();
    assert!(site.has_page("/"));
    assert!(site.has_page("/page/2/"));
    assert!(site.has_page("/page/3/"));
    assert!(!site.has_page("/page/4/"));

    let first = site.page("/");
    assert_eq!(links_to(&first, "/posts/"), post_urls((14..=23).rev()));
    assert!(first.contains(r#"href="/page/2/""#));
    assert_eq!(
        links_to(&site.page("/page/2/"), "/posts/"),
        post_urls((4..=13).rev())
    );
    assert_eq!(
        links_to(&site.page("/page/3/"), "/posts/"),
        post_urls([3, 2, 1])
    );
}

#[test]
fn categories_are_paginated() {
    let site = twenty_three_posts();
    site.build().run();
    assert!(site.has_page("/category/장사/"));
    assert!(site.has_page("/category/장사/page/2/"));
    assert!(!site.has_page("/category/장사/page/3/"));
    assert_eq!(
        links_to(&site.page("/category/장사/"), "/posts/"),
        post_urls((3..=12).rev())
    );
    assert_eq!(
        links_to(&site.page("/category/장사/page/2/"), "/posts/"),
        post_urls([2, 1])
    );
    assert_eq!(
        links_to(&site.page("/category/기록/page/2/"), "/posts/"),
        post_urls([13])
    );
}

/// The links of the category navigation, each with its `aria-current` (if any).
fn category_nav(html: &str) -> Vec<(String, Option<String>)> {
    let start = html
        .find(r#"<nav class="category-nav""#)
        .expect("category nav");
    let end = start + html[start..].find("</nav>").expect("nav closes");
    html[start..end]
        .split("<a href=\"")
        .skip(1)
        .map(|a| {
            let href = a[..a.find('"').expect("href closes")].to_owned();
            let tag = &a[..a.find('>').expect("tag closes")];
            let current = tag.find("aria-current=\"").map(|i| {
                let rest = &tag[i + 14..];
                rest[..rest.find('"').expect("attribute closes")].to_owned()
            });
            (href, current)
        })
        .collect()
}

#[test]
fn category_navigation_marks_the_current_category() {
    let site = twenty_three_posts();
    site.build().run();
    // Categories by name: 기록, 장사.
    let (record, trade) = (
        format!("/category/{}/", percent("기록")),
        format!("/category/{}/", percent("장사")),
    );
    let nav = |current: [Option<&str>; 2]| -> Vec<(String, Option<String>)> {
        vec![
            (record.clone(), current[0].map(str::to_owned)),
            (trade.clone(), current[1].map(str::to_owned)),
        ]
    };
    // Its own list page is the page; a later page of it and its posts are in it.
    assert_eq!(
        category_nav(&site.page("/category/장사/")),
        nav([None, Some("page")])
    );
    assert_eq!(
        category_nav(&site.page("/category/장사/page/2/")),
        nav([None, Some("true")])
    );
    assert_eq!(
        category_nav(&site.page("/posts/p03/")),
        nav([None, Some("true")])
    );
    assert_eq!(
        category_nav(&site.page("/posts/p20/")),
        nav([Some("true"), None])
    );
    assert_eq!(
        category_nav(&site.page("/category/기록/")),
        nav([Some("page"), None])
    );
    for page in ["/", "/page/2/", "/archive/"] {
        assert_eq!(category_nav(&site.page(page)), nav([None, None]), "{page}");
    }
}

#[test]
fn a_site_can_override_the_category_navigation_partial() {
    let site = twenty_three_posts().file(
        "templates/partials/category_nav.html",
        "<nav class=\"mine\">{{ current_category }}|{{ current_category_page }}|{{ site.categories | length }}</nav>",
    );
    site.build().run();
    assert!(site
        .page("/category/장사/")
        .contains(r#"<nav class="mine">장사|true|2</nav>"#));
    assert!(site
        .page("/posts/p03/")
        .contains(r#"<nav class="mine">장사|false|2</nav>"#));
    assert!(site
        .page("/")
        .contains(r#"<nav class="mine">|false|2</nav>"#));
}

#[test]
fn the_entry_partial_prints_each_entry_of_every_list_and_knows_a_category_page() {
    let site = twenty_three_posts()
        .file("content/posts/p23.md", post("글 23", "2025-03-23", "기록", "tags: [태그]", "본문."))
        .file(
            "templates/partials/entry.html",
            "<p class=\"mine\">{{ e.title }}|{% if category %}{{ category.name }} {{ category.count }}{% else %}-{% endif %}|{{ site.title }}</p>\n",
        );
    site.build().run();
    let entries = |page: &str| -> Vec<String> {
        let html = site.page(page);
        html.match_indices("<p class=\"mine\">")
            .map(|(i, _)| {
                let rest = &html[i + 16..];
                rest[..rest.find("</p>").expect("entry closes")].to_owned()
            })
            .collect()
    };
    assert_eq!(
        entries("/")[..2],
        ["글 23|-|쪽".to_owned(), "글 22|-|쪽".to_owned()]
    );
    assert_eq!(
        entries("/page/3/"),
        ["글 03|-|쪽", "글 02|-|쪽", "글 01|-|쪽"]
    );
    // On its category's pages, the same post is printed with the category.
    assert_eq!(entries("/category/기록/")[0], "글 23|기록 11|쪽");
    assert_eq!(
        entries("/category/장사/page/2/"),
        ["글 02|장사 12|쪽", "글 01|장사 12|쪽"]
    );
    assert_eq!(entries("/tags/태그/"), ["글 23|-|쪽"]);
    // Each entry sits in the default list's markup.
    assert!(site.page("/").contains(
        "<ol class=\"entry-list\">\n  <li>\n    <p class=\"mine\">글 23|-|쪽</p>\n  </li>"
    ));
}

/// A site of theme `plain`, whose required templates print nothing but a doctype (a test
/// writes the ones it looks at again).
fn plain_theme_site() -> Site {
    let mut site = Site::new().file("site.yaml", "title: 쪽\ntheme: plain\n");
    for name in ilji::render::REQUIRED_TEMPLATES {
        site = site.file(
            &format!("themes/plain/templates/{name}"),
            "<!DOCTYPE html>\n",
        );
    }
    site
}

/// [`plain_theme_site`] with `template` (a file of its templates/) set to `text`, and two
/// posts of one category: 가 (2025-03-01) and 나 (2025-03-02).
fn plain_theme_with_two_posts(template: &str, text: &str) -> Site {
    plain_theme_site()
        .file(&format!("themes/plain/templates/{template}"), text)
        .file(
            "content/posts/a.md",
            post("가", "2025-03-01", "일지", "", "본문."),
        )
        .file(
            "content/posts/b.md",
            post("나", "2025-03-02", "일지", "", "본문."),
        )
}

#[test]
fn a_theme_without_the_entry_partial_lists_entries_itself_or_is_told_it_is_missing() {
    let site = plain_theme_with_two_posts(
        "index.html",
        "{% for e in paginator.pages %}[{{ e.title }}|{% if e.html %}html{% else %}none{% endif %}]{% endfor %}",
    );
    site.build().run();
    assert_eq!(site.page("/"), "[나|none][가|none]");

    // The default theme's list without the entry partial: an error naming both, not empty
    // entries.
    let default_list = std::fs::read_to_string(
        repo_root().join("themes/default/templates/partials/entry_list.html"),
    )
    .expect("the default theme's entry list");
    site.write(
        "themes/plain/templates/index.html",
        "{% include \"partials/entry_list.html\" %}",
    );
    site.write(
        "themes/plain/templates/partials/entry_list.html",
        &default_list,
    );
    site.build()
        .failure()
        .stderr_has("error: themes/plain/templates/partials/entry_list.html:")
        .stderr_has("partials/entry.html")
        .run();
}

#[test]
fn the_other_post_partial_prints_each_item_of_the_others_list() {
    let site = twelve_posts("title: 목록\n").file(
        "templates/partials/other_post.html",
        "<li class=\"mine\">{{ o.title }}|{{ o.comment_count }}|{{ site.title }}</li>",
    );
    site.build().run();
    let page = site.page("/posts/p06/");
    // Each item sits in the default list's markup, in the list's order.
    assert!(page.contains(
        "<ul>\n    <li class=\"mine\">글 10|0|목록</li>\n    <li class=\"mine\">글 09|0|목록</li>"
    ));
    let items: Vec<&str> = page
        .match_indices("<li class=\"mine\">")
        .map(|(i, _)| &page[i + 17..i + 17 + page[i + 17..].find('|').expect("a title")])
        .collect();
    assert_eq!(items, titles(&[10, 9, 8, 7, 5, 4, 3, 2]));
    // The same post in another post's list is printed the same.
    assert!(site
        .page("/posts/p01/")
        .contains("<li class=\"mine\">글 09|0|목록</li>"));
}

#[test]
fn a_theme_without_the_other_post_partial_lists_others_itself_or_is_told_it_is_missing() {
    let site = plain_theme_with_two_posts(
        "post.html",
        "{% for o in page.others %}[{{ o.title }}|{% if o.html %}html{% else %}none{% endif %}]{% endfor %}",
    );
    site.build().run();
    assert_eq!(site.page("/posts/a/"), "[나|none]");

    // The default theme's post page without the partial: an error naming both, not empty
    // items.
    let templates = repo_root().join("themes/default/templates");
    for name in [
        "base.html",
        "post.html",
        "partials/tags.html",
        "partials/toc.html",
        "partials/comments.html",
        "partials/category_nav.html",
        "partials/site_nav.html",
    ] {
        let text = std::fs::read_to_string(templates.join(name)).expect("a default template");
        site.write(&format!("themes/plain/templates/{name}"), &text);
    }
    site.build()
        .failure()
        .stderr_has("error: themes/plain/templates/post.html:")
        .stderr_has("partials/other_post.html")
        .run();
    assert!(!site.has("public"), "a failed build writes no output");

    // With the partial back, the list is the SPEC's markup.
    site.write(
        "themes/plain/templates/partials/other_post.html",
        std::fs::read_to_string(templates.join("partials/other_post.html"))
            .expect("the other post partial"),
    );
    site.build().run();
    assert_eq!(
        category_others(&site.page("/posts/a/")),
        [OtherPost {
            title: "나".into(),
            url: "/posts/b/".into(),
            comments: "(0)".into(),
            datetime: "2025-03-02T00:00:00+09:00".into(),
            date: "2025.03.02".into(),
        }]
    );
    // And each link carries what the partial made of it.
    site.write(
        "themes/plain/templates/post.html",
        "{% for o in page.others %}{{ o.html }}{% endfor %}",
    );
    site.build().run();
    assert!(site
        .page("/posts/a/")
        .starts_with(r#"<li><a href="/posts/b/">나</a> "#));
}

/// The site menu's items of a page of the default theme: (text, aria-current).
fn site_menu(html: &str) -> Vec<(String, Option<String>)> {
    let start = html.find(r#"<nav class="site-nav""#).expect("a site menu");
    let nav = &html[start..start + html[start..].find("</nav>").expect("the menu closes")];
    nav.split("<li>")
        .skip(1)
        .map(|item| {
            let current = item
                .split_once(r#"aria-current=""#)
                .map(|(_, rest)| rest[..rest.find('"').expect("a value")].to_owned());
            let text =
                &item[item.find('>').expect("a link") + 1..item.find("</a>").expect("a link")];
            (text.to_owned(), current)
        })
        .collect()
}

#[test]
fn the_site_menu_marks_the_page_it_links_to_and_nothing_elsewhere() {
    let site =
        twenty_three_posts().file("content/about.md", "---\ntitle: 소개\n---\n안녕하세요.\n");
    site.build().run();
    let menu = |current: Option<&str>| -> Vec<(String, Option<String>)> {
        ["홈", "소개", "아카이브", "검색"]
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    (Some(*t) == current).then(|| "page".to_owned()),
                )
            })
            .collect()
    };
    assert_eq!(site_menu(&site.page("/")), menu(Some("홈")));
    assert_eq!(site_menu(&site.page("/about/")), menu(Some("소개")));
    assert_eq!(site_menu(&site.page("/archive/")), menu(Some("아카이브")));
    assert_eq!(site_menu(&site.page("/search/")), menu(Some("검색")));
    for page in ["/page/2/", "/posts/p03/", "/category/장사/"] {
        assert_eq!(site_menu(&site.page(page)), menu(None), "{page}");
    }
    assert_eq!(site_menu(&site.read("404.html")), menu(None));
}

#[test]
fn a_site_can_override_the_site_menu_partial() {
    let site = twenty_three_posts()
        .file("content/about.md", "---\ntitle: 소개\n---\n안녕하세요.\n")
        .file(
            "templates/partials/site_nav.html",
            "<nav class=\"mine\">[{{ current_path }}]{{ site.pages | length }}</nav>",
        );
    site.build().run();
    for (page, shown) in [
        ("/", "[/]"),
        ("/about/", "[/about/]"),
        ("/archive/", "[/archive/]"),
        ("/search/", "[/search/]"),
        ("/page/2/", "[]"),
        ("/posts/p03/", "[]"),
        ("/category/장사/", "[]"),
    ] {
        assert!(
            site.page(page)
                .contains(&format!(r#"<nav class="mine">{shown}1</nav>"#)),
            "{page}"
        );
    }
}

#[test]
fn a_copy_of_the_default_theme_without_a_navigation_partial_is_told_it_is_missing() {
    let templates = repo_root().join("themes/default/templates");
    for (partial, nav) in [
        ("partials/category_nav.html", r#"<nav class="category-nav""#),
        ("partials/site_nav.html", r#"<nav class="site-nav""#),
    ] {
        let mut site = Site::new()
            .file("site.yaml", "title: 쪽\ntheme: copy\n")
            .file(
                "content/posts/a.md",
                post("가", "2025-03-01", "일지", "", "본문."),
            );
        // Every template of the default theme but the partial.
        for dir in [templates.clone(), templates.join("partials")] {
            for entry in std::fs::read_dir(&dir).expect("the default theme's templates") {
                let path = entry.expect("a template").path();
                if path.is_dir() || path.ends_with(partial) {
                    continue;
                }
                let rel = path.strip_prefix(&templates).expect("below templates/");
                let text = std::fs::read_to_string(&path).expect("a template's text");
                site = site.file(&format!("themes/copy/templates/{}", rel.display()), text);
            }
        }
        site.build()
            .failure()
            .stderr_has("error: themes/copy/templates/base.html:")
            .stderr_has(partial)
            .run();
        assert!(!site.has("public"), "a failed build writes no output");

        // With the partial back, the header has it.
        site.write(
            &format!("themes/copy/templates/{partial}"),
            std::fs::read_to_string(templates.join(partial)).expect("the partial"),
        );
        site.build().run();
        assert!(site.page("/").contains(nav), "{partial}");
    }
}

// ---------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------

#[test]
fn a_site_template_overrides_the_theme_file_by_file() {
    let site = Site::new()
        .file("site.yaml", "title: 덮어쓰기\n")
        .file(
            "content/posts/a.md",
            post("덮어쓴 글", "2025-09-01", "일지", "", "본문."),
        )
        .file(
            "templates/post.html",
            "<!DOCTYPE html>\n<p id=\"override\">{{ page.title }}</p>\n",
        );
    site.build().run();

    let post_page = site.page("/posts/a/");
    assert!(post_page.contains(r#"<p id="override">덮어쓴 글</p>"#));
    assert!(
        !post_page.contains("category-others") && !post_page.contains("site-header"),
        "the theme's post.html is not used:\n{post_page}"
    );

    let theme_base =
        std::fs::read_to_string(repo_root().join("themes/default/templates/base.html"))
            .expect("read the theme's base.html");
    assert!(
        theme_base.contains("site-header"),
        "the marker below comes from base.html"
    );
    let home = site.page("/");
    assert!(
        home.contains("site-header"),
        "index.html still comes from the theme"
    );
    assert!(!home.contains("override"));
}

#[test]
fn html_from_ilji_prints_as_it_is_with_or_without_safe_and_text_is_escaped() {
    let site = Site::new()
        .file("site.yaml", "title: 안전\n")
        .file(
            "content/posts/a.md",
            post("<b>제목</b> & 꼴", "2025-09-01", "일지", "", "**굵은** 본문."),
        )
        .file(
            "content/posts/a.comments.yaml",
            "- author: 손님\n  date: 2025-09-02\n  body: \"*좋은* 글\"\n",
        )
        .file(
            "templates/post.html",
            "<!DOCTYPE html>\n<h1>{{ page.title }}</h1>\n<div id=\"plain\">{{ page.content }}</div>\n\
             <div id=\"safe\">{{ page.content | safe }}</div>\n<p id=\"summary\">{{ page.summary }}</p>\n\
             {% for c in page.comments %}<p id=\"comment\">{{ c.body }}</p>{% endfor %}\n\
             <script>{{ page.json_ld }}</script>\n",
        )
        .file(
            "templates/index.html",
            "<!DOCTYPE html>\n{% for e in paginator.pages %}<li>{{ e.summary }}</li>{% endfor %}\n",
        );
    site.build().run();

    let page = site.page("/posts/a/");
    assert!(
        page.contains("<h1>&lt;b&gt;제목&lt;/b&gt; &amp; 꼴</h1>"),
        "text is escaped:\n{page}"
    );
    let body = "<p><strong>굵은</strong> 본문.</p>";
    assert!(
        page.contains(&format!("<div id=\"plain\">{body}\n</div>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<div id=\"safe\">{body}\n</div>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<p id=\"summary\">{body}\n</p>")),
        "{page}"
    );
    assert!(
        page.contains("<p id=\"comment\"><p><em>좋은</em> 글</p>"),
        "{page}"
    );
    assert!(
        page.contains("<script>{\"@context\":\"https://schema.org\""),
        "{page}"
    );
    assert!(site.page("/").contains(&format!("<li>{body}\n</li>")));
}

// ---------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------

#[test]
fn summaries_come_from_front_matter_more_marker_or_first_paragraph() {
    let site = Site::new()
        .file("site.yaml", "title: 요약\n")
        .file(
            "content/posts/given.md",
            post(
                "요약이 있는 글",
                "2025-09-03",
                "일지",
                "summary: 손으로 쓴 요약입니다",
                "본문의 첫 문단입니다.\n\n둘째 문단.",
            ),
        )
        .file(
            "content/posts/marked.md",
            post(
                "더보기가 있는 글",
                "2025-09-02",
                "일지",
                "",
                "앞부분 하나.\n\n앞부분 둘.\n\n<!-- more -->\n\n뒷부분은 요약이 아닙니다.",
            ),
        )
        .file(
            "content/posts/plain.md",
            post(
                "그냥 글",
                "2025-09-01",
                "일지",
                "",
                "첫 문단만 요약입니다.\n\n둘째 문단은 아닙니다.",
            ),
        );
    site.build().run();
    let home = site.page("/");
    assert!(home.contains("손으로 쓴 요약입니다"));
    assert!(!home.contains("본문의 첫 문단입니다"));
    assert!(home.contains("앞부분 하나.") && home.contains("앞부분 둘."));
    assert!(!home.contains("뒷부분은 요약이 아닙니다"));
    assert!(home.contains("첫 문단만 요약입니다."));
    assert!(!home.contains("둘째 문단은 아닙니다"));
}

#[test]
fn headings_get_hangul_ids_and_a_table_of_contents() {
    let site = Site::new().file("site.yaml", "title: 목차\n").file(
        "content/posts/toc.md",
        post(
            "목차가 있는 글",
            "2025-09-01",
            "일지",
            "",
            "## 1. 고객 불만\n\n내용.\n\n### 세부 사항\n\n더 많은 내용.\n",
        ),
    );
    site.build().run();
    let html = site.page("/posts/toc/");
    assert!(html.contains(r#"id="1-고객-불만""#), "{html}");
    assert!(html.contains(r#"id="세부-사항""#));
    assert!(
        html.contains(r##"href="#1-고객-불만""##) || html.contains(&percent("#1-고객-불만")),
        "the table of contents links the heading"
    );
}

/// The default theme's `partials/toc.html` as it was before ilji made `page.toc_html`: three
/// nested loops over `page.toc`.
const TOC_BY_LOOPS: &str = r##"{#- Table of contents: `page.toc`, three levels deep. -#}
<ol>
{%- for a in page.toc %}
  <li><a href="#{{ a.id }}">{{ a.title }}</a>
  {%- if a.children %}
    <ol>
    {%- for b in a.children %}
      <li><a href="#{{ b.id }}">{{ b.title }}</a>
      {%- if b.children %}
        <ol>
        {%- for c in b.children %}
          <li><a href="#{{ c.id }}">{{ c.title }}</a></li>
        {%- endfor %}
        </ol>
      {%- endif %}
      </li>
    {%- endfor %}
    </ol>
  {%- endif %}
  </li>
{%- endfor %}
</ol>
"##;

#[test]
fn the_table_of_contents_html_is_what_the_loops_over_toc_print() {
    let body = "## 1. 고객 <불만> & \"답\"\n\n내용.\n\n### 세부 '사항'\n\n#### 넷째 단계\n\n##### 다섯째는 목록에 없음\n\n### 둘째 세부\n\n## 2. 관계\n\n## 3. 교훈\n\n### 끝\n";
    let site = Site::new().file("site.yaml", "title: 목차\n").file(
        "content/posts/toc.md",
        post("목차가 있는 글", "2025-09-01", "일지", "", body),
    );
    site.build().run();
    let made = site.page("/posts/toc/");
    assert!(
        made.contains(
            "<li><a href=\"#1-고객-불만-답\">1. 고객 &lt;불만&gt; &amp; &quot;답&quot;</a>"
        ),
        "{made}"
    );
    assert!(
        made.contains("\n          <li><a href=\"#넷째-단계\">넷째 단계</a></li>"),
        "{made}"
    );
    assert!(
        !made.contains("href=\"#다섯째는-목록에-없음\""),
        "three levels deep"
    );

    site.write("templates/partials/toc.html", TOC_BY_LOOPS);
    site.build().run();
    assert_eq!(site.page("/posts/toc/"), made);
}

#[test]
fn reading_time_counts_hangul_characters() {
    let site = Site::new()
        .file("site.yaml", "title: 분량\n")
        .file(
            "content/posts/long.md",
            post(
                "긴 글",
                "2025-09-02",
                "일지",
                "",
                &"가나다라마 ".repeat(300),
            ),
        )
        .file(
            "content/posts/short.md",
            post("짧은 글", "2025-09-01", "일지", "", "짧은 글입니다."),
        );
    site.build().run();
    let long = site.page("/posts/long/");
    assert!(
        long.contains("3분"),
        "1500 Hangul characters read in 3 minutes"
    );
    assert!(!long.contains("1분"));
    assert!(site.page("/posts/short/").contains("1분"));
}

#[test]
fn tables_footnotes_strikethrough_and_task_lists_render() {
    let site = Site::new().file("site.yaml", "title: 마크다운\n").file(
        "content/posts/gfm.md",
        post(
            "확장 문법",
            "2025-09-01",
            "일지",
            "",
            "| 품목 | 수량 |\n|---|---|\n| 비누 | 3 |\n\n\
             각주가 있는 문장[^1].\n\n[^1]: 각주 내용.\n\n\
             ~~취소된 계획~~\n\n\
             - [x] 끝난 일\n- [ ] 남은 일\n",
        ),
    );
    site.build().run();
    let html = site.page("/posts/gfm/");
    assert!(
        html.contains("<table>") && html.contains("<td>비누</td>"),
        "table"
    );
    assert!(html.contains("footnote-reference"), "footnote reference");
    assert!(
        html.contains("footnote-definition") && html.contains("각주 내용."),
        "footnote"
    );
    assert!(html.contains("<del>취소된 계획</del>"), "strikethrough");
    assert!(
        html.contains(r#"type="checkbox""#) && html.contains("checked"),
        "task list"
    );
}

// ---------------------------------------------------------------------------------------
// Content forms
// ---------------------------------------------------------------------------------------

#[test]
fn a_file_with_bom_and_crlf_builds() {
    let site = Site::new().file("site.yaml", "title: 윈도우\r\n").file(
        "content/posts/windows.md",
        "\u{feff}---\r\ntitle: 메모장에서 쓴 글\r\ndate: 2025-09-01\r\ncategory: 일지\r\n---\r\n첫 줄.\r\n\r\n둘째 문단.\r\n",
    );
    site.build().run();
    let html = site.page("/posts/windows/");
    assert!(html.contains("메모장에서 쓴 글"));
    assert!(html.contains("<p>첫 줄.</p>"));
    assert!(!html.contains('\u{feff}') && !html.contains('\r'));
}

#[test]
fn categories_list_gives_its_first_entry_as_the_category() {
    let site = Site::new().file("site.yaml", "title: 지킬\n").file(
        "content/posts/jekyll.md",
        "---\ntitle: 지킬에서 온 글\ndate: 2025-09-01\ncategories: [장사, 기타]\n---\n본문.\n",
    );
    site.build().run();
    assert!(site.has_page("/category/장사/"));
    assert!(!site.has_page("/category/기타/"));
    assert_eq!(
        links_to(&site.page("/category/장사/"), "/posts/"),
        ["/posts/jekyll/"]
    );
}

#[test]
fn a_dated_file_name_gives_the_date_and_not_the_slug() {
    let site = Site::new()
        .file("site.yaml", "title: 파일 이름\n")
        .file(
            "content/posts/2025-03-04-hello.md",
            "---\ntitle: 안녕\ncategory: 일지\n---\n본문.\n",
        )
        .file(
            "content/posts/next.md",
            post("다음", "2025-03-05", "일지", "", "본문."),
        );
    site.build().run();
    assert!(site.has_page("/posts/hello/"));
    let listed = category_others(&site.page("/posts/next/"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].datetime, "2025-03-04T00:00:00+09:00");
    assert_eq!(listed[0].date, "2025.03.04");
}

#[test]
fn drafts_are_built_only_with_drafts() {
    let site = Site::new()
        .file("site.yaml", "title: 초안\n")
        .file(
            "content/posts/done.md",
            post("완성된 글", "2025-09-01", "일지", "", "본문."),
        )
        .file(
            "content/posts/wip.md",
            post("쓰는 중", "2025-09-02", "일지", "draft: true", "본문."),
        );
    site.build().stderr_has("draft").run();
    assert!(site.has_page("/posts/done/"));
    assert!(!site.has_page("/posts/wip/"));
    assert!(!site.page("/").contains("쓰는 중"));

    site.build().arg("--drafts").stderr_lacks("draft").run();
    assert!(site.has_page("/posts/wip/"));
    assert!(site.page("/posts/wip/").contains("쓰는 중"));
}

#[test]
fn scheduled_posts_are_named_and_built_only_with_future() {
    let site = Site::new()
        .file("site.yaml", "title: 예약\n")
        .file(
            "content/posts/today.md",
            post("지난 글", "2025-09-01", "일지", "", "본문."),
        )
        .file(
            "content/posts/someday.md",
            post(
                "먼 미래의 글",
                "2099-01-01T09:00:00+09:00",
                "일지",
                "",
                "본문.",
            ),
        );
    let out = site.build().stderr_has("scheduled").run();
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("scheduled"))
        .expect("a scheduled line");
    assert!(
        line.contains("content/posts/someday.md"),
        "names the file: {line}"
    );
    assert!(line.contains("2099"), "says when it goes live: {line}");
    assert!(!site.has_page("/posts/someday/"));
    assert!(!site.page("/").contains("먼 미래의 글"));

    site.build().arg("--future").stderr_lacks("scheduled").run();
    assert!(site.has_page("/posts/someday/"));
}

#[test]
fn a_bundle_publishes_its_files_beside_the_post() {
    let image: &[u8] = b"\x89PNG\r\n\x1a\n not really a picture";
    let site = Site::new()
        .file("site.yaml", "title: 묶음\n")
        .file(
            "content/posts/shop-tour/index.md",
            post("가게 구경", "2025-09-01", "일지", "", "![가게](photo.png)"),
        )
        .file("content/posts/shop-tour/photo.png", image);
    site.build().run();
    assert!(site.has_page("/posts/shop-tour/"));
    let copied = std::fs::read(site.root().join("public/posts/shop-tour/photo.png"))
        .expect("the bundle's image is published");
    assert_eq!(copied, image);
}

#[test]
fn a_standalone_page_is_published_at_its_own_address() {
    let site = Site::new()
        .file("site.yaml", "title: 소개\n")
        .file(
            "content/about.md",
            "---\ntitle: 가게 소개\n---\n작은 가게입니다.\n",
        )
        .file(
            "content/posts/a.md",
            post("글", "2025-09-01", "일지", "", "본문."),
        );
    site.build().run();
    let about = site.page("/about/");
    assert!(about.contains("가게 소개") && about.contains("작은 가게입니다."));
    assert!(!site.has_page("/posts/about/"));
}

#[test]
fn comments_are_counted_and_rendered_escaped() {
    let site = Site::new()
        .file("site.yaml", "title: 댓글\n")
        .file(
            "content/posts/a.md",
            post("댓글 많은 글", "2025-09-01", "일지", "", "본문."),
        )
        .file(
            "content/posts/a.comments.yaml",
            "- author: 손님\n  date: 2025-09-02T10:00:00+09:00\n  body: 좋은 **글** 감사합니다\n\
             - author: 나쁜 손님\n  date: 2025-09-03\n  body: \"<script>alert(1)</script>\"\n",
        )
        .file(
            "content/posts/b.md",
            post("다음 글", "2025-09-05", "일지", "", "본문."),
        );
    site.build().run();

    let listed = category_others(&site.page("/posts/b/"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title, "댓글 많은 글");
    assert_eq!(listed[0].comments, "(2)");

    let html = site.page("/posts/a/");
    assert!(html.contains("손님") && html.contains("<strong>글</strong>"));
    assert!(
        !html.contains("<script>alert(1)"),
        "a comment's HTML is escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

// ---------------------------------------------------------------------------------------
// Errors: exit 1, the file and line named, public/ left as it was
// ---------------------------------------------------------------------------------------

/// A good site, built once; returns it with a snapshot of its `public/`.
fn built_good_site() -> (Site, BTreeMap<PathBuf, Vec<u8>>) {
    let site = Site::new()
        .file("site.yaml", "title: 좋은 사이트\n")
        .file(
            "content/posts/a.md",
            post("첫 글", "2025-09-01", "일지", "", "본문."),
        )
        .file(
            "content/posts/a.comments.yaml",
            "- author: 손님\n  date: 2025-09-02\n  body: 좋아요\n",
        )
        .file(
            "content/posts/b.md",
            post("둘째 글", "2025-09-02", "일지", "", "본문."),
        );
    site.build().run();
    let before = site.snapshot();
    assert!(before.contains_key(&PathBuf::from("posts/a/index.html")));
    (site, before)
}

/// The failed build left `public/` byte for byte as it was, and no staging folder.
fn assert_output_kept(site: &Site, before: &BTreeMap<PathBuf, Vec<u8>>) {
    let after = site.snapshot();
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "a failed build changed public/: {changed:?}"
    );
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

/// Asserts that stderr names `file` followed by `:<line>`.
fn assert_names_file_and_a_line(stderr: &str, file: &str) {
    let prefix = format!("error: {file}:");
    let found = stderr
        .match_indices(&prefix)
        .any(|(i, _)| stderr[i + prefix.len()..].starts_with(|c: char| c.is_ascii_digit()));
    assert!(found, "stderr does not name {file}:<line>\n{stderr}");
}

#[test]
fn yaml_syntax_error_is_located_in_the_users_file() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/broken.md",
        "---\ntitle: 고장 난 글\ndate: 2025-09-03\ncategory: 일지: 추가\n---\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:4:")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn missing_title_is_an_error() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/broken.md",
        "---\ndate: 2025-09-03\ncategory: 일지\n---\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:")
        .stderr_has("title")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn missing_date_is_an_error() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/broken.md",
        "---\ntitle: 날짜 없는 글\ncategory: 일지\n---\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:")
        .stderr_has("date")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn missing_category_is_an_error() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/broken.md",
        "---\ntitle: 분류 없는 글\ndate: 2025-09-03\n---\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:")
        .stderr_has("category")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn a_category_without_letters_is_an_error_at_its_line() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/broken.md",
        "---\ntitle: 기호만 있는 분류\ndate: 2025-09-03\ncategory: \"???\"\n---\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:4:")
        .stderr_has("letters or digits")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn invalid_date_is_located() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/broken.md",
        "---\ntitle: 이상한 날짜\ndate: 2025-13-45\ncategory: 일지\n---\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:3:")
        .stderr_has("2025-13-45")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/broken.md",
        "---\ntitle: 닫히지 않은 글\ndate: 2025-09-03\ncategory: 일지\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:1:")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn two_posts_on_one_url_are_an_error_naming_both() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/twin-one.md",
        post("쌍둥이 하나", "2025-09-03", "일지", "slug: twin", "본문."),
    );
    site.write(
        "content/posts/twin-two.md",
        post("쌍둥이 둘", "2025-09-04", "일지", "slug: twin", "본문."),
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/twin-")
        .stderr_has("content/posts/twin-one.md")
        .stderr_has("content/posts/twin-two.md")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn static_files_are_copied_and_the_sites_own_override_the_themes_file_by_file() {
    let site = one_post_site()
        .file("static/images/로고.png", [0x89, b'P', b'N', b'G', 0, 1, 2])
        .file("static/style.css", "body { color: red; }\n");
    site.build().run();
    let public = site.root().join("public");
    let read = |rel: &str| std::fs::read(public.join(rel)).expect("a copied file");
    assert_eq!(read("images/로고.png"), [0x89, b'P', b'N', b'G', 0, 1, 2]);
    assert_eq!(read("style.css"), b"body { color: red; }\n");
    // The theme's other files are there too.
    assert_eq!(
        read("search.js"),
        std::fs::read(repo_root().join("themes/default/static/search.js")).expect("theme file")
    );
    // Rebuilt (over the spare, the third time), a changed or removed file follows.
    site.write("static/style.css", "body { color: blue; }\n");
    std::fs::remove_file(site.root().join("static/images/로고.png")).expect("remove the logo");
    site.build().run();
    site.build().run();
    assert_eq!(read("style.css"), b"body { color: blue; }\n");
    assert!(!public.join("images").exists());
}

#[test]
fn a_static_file_on_a_pages_address_is_an_error_naming_both() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/clash.md",
        post("겹치는 글", "2025-09-03", "일지", "", "본문."),
    );
    site.write("static/posts/clash/index.html", "<p>손으로 쓴 쪽</p>\n");
    site.build()
        .failure()
        .stderr_has("error: static/posts/clash/index.html")
        .stderr_has("publishes to /posts/clash/index.html, as content/posts/clash.md does")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let (site, before) = built_good_site();
    let mut bytes = "---\ntitle: 깨진 글\ndate: 2025-09-03\ncategory: 일지\n---\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xff\xfe broken\n");
    site.write("content/posts/broken.md", bytes);
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:6:")
        .stderr_has("UTF-8")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let (site, before) = built_good_site();
    site.write(
        "templates/post.html",
        "<p>{{ page.title }}</p>\n<p>{{ page.title\n</p>\n",
    );
    let out = site.build().failure().stderr_has("  help: ").run();
    assert_names_file_and_a_line(&out.stderr, "templates/post.html");
    assert_output_kept(&site, &before);

    // The templates are parsed while the content is read; a broken post is still what the
    // build reports first, as it did when the templates came after.
    site.write(
        "content/posts/broken.md",
        "---\ntitle: [닫히지 않은\ncategory: 일지\n---\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md:3:")
        .stderr_lacks("templates/post.html")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn template_runtime_error_names_the_template_and_variable() {
    let (site, before) = built_good_site();
    site.write(
        "templates/post.html",
        "<p>{{ page.title }}</p>\n<p>{{ page.nope }}</p>\n",
    );
    site.build()
        .failure()
        .stderr_has("error: templates/post.html:2")
        .stderr_has("page.nope")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn an_include_of_a_missing_template_names_the_file_line_and_column() {
    let (site, before) = built_good_site();
    site.write(
        "templates/post.html",
        "<p>{{ page.title }}</p>\n{% include \"partials/nope.html\" %}\n",
    );
    site.build()
        .failure()
        .stderr_has("error: templates/post.html:2:12: Unknown template `partials/nope.html`")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn unknown_site_key_is_named_with_its_line() {
    let (site, before) = built_good_site();
    site.write("site.yaml", "title: 좋은 사이트\ntitel: 오타\n");
    site.build()
        .failure()
        .stderr_has("error: site.yaml:2:")
        .stderr_has("titel")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn malformed_comments_file_is_located() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/a.comments.yaml",
        "- author: 손님\n  date: 2025-09-02\n  body: 좋아요\n - author: 엇나간 줄\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/a.comments.yaml:4:")
        .stderr_has("  help: ")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn a_rebuild_replaces_the_whole_output_and_never_follows_links_out_of_it() {
    let (site, _) = built_good_site();
    // What a second build must clear away: a removed post's page, and files the writer put
    // into public/ by hand, folders deep.
    std::fs::remove_file(site.root().join("content/posts/b.md")).expect("remove b.md");
    site.write("public/stray/deep/er/note.txt", "손으로 넣은 파일");
    // A link inside public/ to a folder outside it: removed as a link, its folder untouched.
    site.write("keep/precious.txt", "지우면 안 되는 파일");
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.root().join("keep"), site.root().join("public/linked"))
        .expect("symlink");

    site.build().run();

    assert!(site.has_page("/posts/a/"));
    assert!(
        !site.has_page("/posts/b/"),
        "the removed post's page is gone"
    );
    assert!(
        !site.root().join("public/stray").exists(),
        "hand-made files are gone"
    );
    assert!(site
        .root()
        .join("public/linked")
        .symlink_metadata()
        .is_err());
    assert_eq!(
        std::fs::read_to_string(site.root().join("keep/precious.txt")).expect("still there"),
        "지우면 안 되는 파일"
    );
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

/// What is in a folder: each file's bytes, each folder, each link (not followed), by
/// `/`-separated path.
fn tree(dir: &std::path::Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(dir: &std::path::Path, prefix: &str, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for entry in std::fs::read_dir(dir).expect("list a folder") {
            let entry = entry.expect("read a folder entry");
            let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let kind = entry.file_type().expect("an entry's type");
            if kind.is_dir() {
                out.insert(format!("{rel}/"), None);
                walk(&entry.path(), &format!("{rel}/"), out);
            } else if kind.is_file() {
                out.insert(rel, Some(std::fs::read(entry.path()).expect("read a file")));
            } else {
                out.insert(format!("{rel} (link)"), None);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

const SPARE: &str = ".public.ilji-spare";

#[test]
fn a_rebuild_writes_over_the_previous_output_as_a_fresh_build_would() {
    let (site, _) = built_good_site();
    let root = site.root().to_path_buf();
    let public = root.join("public");
    site.build().run();
    // The output replaced is kept beside the new one, for the next build to write over.
    assert_eq!(tree(&root.join(SPARE)), tree(&public));

    // The third build writes over the first one's output, the fourth over the second's: put
    // into that one what a fresh build would not have, and some traps.
    site.write("public/stray/deep/er/note.txt", "손으로 넣은 파일");
    std::fs::remove_file(public.join("robots.txt")).expect("remove robots.txt");
    site.write("public/robots.txt/inside.txt", "파일 자리에 폴더");
    std::fs::remove_dir_all(public.join("posts/b")).expect("remove posts/b/");
    site.write("public/posts/b", "폴더 자리에 파일");
    site.write("keep/precious.txt", "지우면 안 되는 파일");
    site.write("keep/outside.html", "밖의 파일");
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(root.join("keep"), public.join("linked")).expect("symlink to a folder");
        // A link where a page goes, and a page that is also a file outside (a hard link):
        // neither outside file may be written through.
        std::fs::remove_file(public.join("posts/a/index.html")).expect("remove a's page");
        symlink(
            root.join("keep/outside.html"),
            public.join("posts/a/index.html"),
        )
        .expect("symlink to a file");
        std::fs::hard_link(public.join("index.html"), root.join("keep/home.html"))
            .expect("hard link");
    }
    let home_before = std::fs::read(public.join("index.html")).expect("read the home page");
    // Old times on what the fourth build writes over: each file must get the build's time.
    let y2k = std::time::UNIX_EPOCH + std::time::Duration::from_secs(946_684_800);
    for (rel, bytes) in tree(&public) {
        if bytes.is_some() {
            std::fs::File::options()
                .append(true)
                .open(public.join(rel))
                .and_then(|f| f.set_modified(y2k))
                .expect("set a file's time");
        }
    }
    // And the site changes: a post is edited, one is added, one goes.
    site.write(
        "content/posts/a.md",
        post("첫 글", "2025-09-01", "일지", "", "고친 본문."),
    );
    site.write(
        "content/posts/c.md",
        post("셋째 글", "2025-09-03", "새 분류", "", "본문."),
    );
    std::fs::remove_file(root.join("content/posts/b.md")).expect("remove b.md");

    site.build().run();
    site.build().run();

    site.ilji(["build", "--output", "fresh"]).run();
    assert_eq!(tree(&public), tree(&root.join("fresh")));
    assert!(site.page("/posts/a/").contains("고친 본문."));
    assert!(!site.has_page("/posts/b/"));
    for (rel, bytes) in tree(&public) {
        if bytes.is_some() {
            let modified = std::fs::metadata(public.join(&rel))
                .and_then(|m| m.modified())
                .expect("a file's time");
            assert!(
                modified > y2k,
                "{rel} kept the time of the file it replaced"
            );
        }
    }
    for (file, text) in [
        ("keep/precious.txt", "지우면 안 되는 파일"),
        ("keep/outside.html", "밖의 파일"),
    ] {
        assert_eq!(
            std::fs::read_to_string(root.join(file)).expect("kept"),
            text
        );
    }
    #[cfg(unix)]
    assert_eq!(
        std::fs::read(root.join("keep/home.html")).expect("the hard link"),
        home_before
    );
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn a_rebuild_that_fails_while_writing_keeps_the_output_and_the_spare() {
    let mut posts = Site::new().file("site.yaml", "title: 좋은 사이트\n");
    for k in 0..40 {
        let more = if k == 20 { "boom: true" } else { "" };
        posts = posts.file(
            &format!("content/posts/p{k}.md"),
            post(
                &format!("글 {k}"),
                &format!("2025-09-{:02}", k % 28 + 1),
                "일지",
                more,
                "본문.",
            ),
        );
    }
    let site = posts;
    site.build().run();
    site.build().run();
    let before = site.snapshot();
    // Fails at one post's page, while the others are written over the spare.
    site.write(
        "templates/post.html",
        "<p>{{ page.title }}</p>\n{% if page.extra.boom %}{{ page.nope }}{% endif %}\n",
    );
    site.build()
        .failure()
        .stderr_has("error: templates/post.html:2")
        .run();
    assert_output_kept(&site, &before);
    assert!(site.root().join(SPARE).is_dir(), "the spare is kept");

    std::fs::remove_file(site.root().join("templates/post.html")).expect("undo the break");
    site.build().run();
    site.ilji(["build", "--output", "fresh"]).run();
    assert_eq!(
        tree(&site.root().join("public")),
        tree(&site.root().join("fresh"))
    );
}

/// A site with 1,500 posts of a few hundred words: enough that its build takes a while, even
/// as builds get faster.
fn big_site(site_yaml: &str) -> Site {
    let mut site = Site::new().file("site.yaml", site_yaml);
    for i in 0..1500 {
        let body = "고객의 불만은 가게를 바꾸는 가장 정직한 목소리다. ".repeat(40);
        site = site.file(
            &format!("content/posts/p{i:03}.md"),
            post(&format!("글 {i}"), "2025-09-01", "일지", "", &body),
        );
    }
    site
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_build_which_leaves_the_output_and_the_spare_as_they_were() {
    let site = big_site("title: 큰 블로그\n");
    site.build().run();
    site.build().run();
    let before = site.snapshot();

    let child = std::process::Command::new(env!("CARGO_BIN_EXE_ilji"))
        .arg("build")
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start ilji build");
    // The build has started once it has taken the spare as its staging folder; reading
    // 1,500 posts and writing their pages is then still ahead of it.
    let staging = site
        .root()
        .join(format!(".public.ilji-staging-{}", child.id()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !staging.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    // Sent from here rather than by running `kill`, which a machine without procps lacks.
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).expect("send SIGINT");
    let out = child.wait_with_output().expect("wait for ilji");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(
        stdout.contains("build interrupted;") && stdout.contains("public was left as it was"),
        "{stdout}"
    );
    assert_output_kept(&site, &before);
    assert!(site.root().join(SPARE).is_dir(), "the spare is put back");
    site.build().run();
    assert_eq!(site.snapshot(), before);
}

#[test]
fn a_build_clears_away_what_interrupted_builds_left() {
    let (site, _) = built_good_site();
    let root = site.root().to_path_buf();
    // No process has such a number (Linux's largest is 4194304).
    let dead = |k: u32| format!(".public.ilji-staging-{}", 4_294_967_000 + k);
    let leave = |name: &str| {
        site.write(&format!("{name}/posts/gone/index.html"), "남은 조각");
        site.write(&format!("{name}/half-written.html"), "<p>반쯤");
    };
    // With no spare, the first left-over folder becomes it; the second is removed.
    leave(&dead(1));
    leave(&format!("{}.old", dead(2)));
    // A build still running keeps its folder.
    let running = format!(".public.ilji-staging-{}", std::process::id());
    leave(&running);

    site.build().run();

    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("list the site folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    assert_eq!(names, [SPARE.to_owned(), running.clone()]);
    site.ilji(["build", "--output", "fresh"]).run();
    assert_eq!(tree(&root.join("public")), tree(&root.join("fresh")));
    // And the next build, which writes over that spare, too.
    site.build().run();
    assert_eq!(tree(&root.join("public")), tree(&root.join("fresh")));
    std::fs::remove_dir_all(root.join(running)).expect("remove the live one's folder");
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_is_published_where_it_points() {
    let (site, _) = built_good_site();
    let root = site.root().to_path_buf();
    std::fs::remove_dir_all(root.join("public")).expect("remove public/");
    std::fs::create_dir_all(root.join("www/blog")).expect("make www/blog");
    std::os::unix::fs::symlink(root.join("www/blog"), root.join("public")).expect("symlink");
    for _ in 0..3 {
        site.build().run();
    }
    let link = std::fs::symlink_metadata(root.join("public")).expect("public");
    assert!(link.file_type().is_symlink(), "public/ is still the link");
    assert!(root.join("www/blog/posts/a/index.html").is_file());
    assert!(
        root.join("www/.blog.ilji-spare").is_dir(),
        "the spare is beside it"
    );
    site.ilji(["build", "--output", "fresh"]).run();
    assert_eq!(tree(&root.join("www/blog")), tree(&root.join("fresh")));
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn an_output_link_to_the_site_itself_is_refused() {
    let (site, before) = built_good_site();
    let root = site.root().to_path_buf();
    std::os::unix::fs::symlink(&root, root.join("out")).expect("symlink to the site");
    std::os::unix::fs::symlink(root.join("content"), root.join("into-content"))
        .expect("symlink to content/");
    for output in ["out", "into-content/site"] {
        site.ilji(["build", "--output", output])
            .status(2)
            .stderr_has("error: --output ")
            .stderr_has("which a build would replace")
            .run();
    }
    assert!(root.join("content/posts/a.md").is_file());
    assert_output_kept(&site, &before);
}

#[test]
fn a_failed_first_build_writes_nothing() {
    let site = Site::new().file("site.yaml", "title: 처음\n").file(
        "content/posts/broken.md",
        "---\ntitle: 분류 없는 글\ndate: 2025-09-03\n---\n본문.\n",
    );
    site.build()
        .failure()
        .stderr_has("error: content/posts/broken.md")
        .run();
    assert!(!site.root().join("public").exists());
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = Site::new().file("site.yaml", "title: 사용법\n");
    site.ilji(["build", "--bogus"])
        .status(2)
        .stderr_has("--bogus")
        .run();
    assert!(!site.root().join("public").exists());
}

// ---------------------------------------------------------------------------------------
// Command-line options
// ---------------------------------------------------------------------------------------

fn one_post_site() -> Site {
    Site::new()
        .file(
            "site.yaml",
            "title: 옵션\nbase_url: https://blog.example.com\n",
        )
        .file(
            "content/posts/a.md",
            post("옵션 글", "2025-09-01", "일지", "", "본문."),
        )
}

#[test]
fn output_writes_elsewhere() {
    let site = one_post_site();
    site.ilji(["build", "--output", "elsewhere"])
        .stdout_has("elsewhere")
        .run();
    assert!(site.root().join("elsewhere/posts/a/index.html").is_file());
    assert!(site.root().join("elsewhere/index.html").is_file());
    assert!(!site.root().join("public").exists());
}

#[test]
fn base_url_sets_absolute_and_root_relative_links() {
    let site = one_post_site();
    site.ilji(["build", "--base-url", "https://shop.example.org/blog/"])
        .run();
    // Files stay where they are; the links carry the base path.
    let html = site.page("/posts/a/");
    assert!(
        html.contains("https://shop.example.org/blog/posts/a/"),
        "{html}"
    );
    assert!(!html.contains("blog.example.com"));
    assert!(links_to(&site.page("/"), "/blog/posts/").contains(&"/blog/posts/a/".to_owned()));
}

#[test]
fn dash_c_runs_on_another_folder() {
    let site = one_post_site();
    let elsewhere = TempDir::new().expect("another folder");
    Run::new(elsewhere.path())
        .arg("-C")
        .arg(site.root().to_str().expect("UTF-8 path"))
        .arg("build")
        .run();
    assert!(site.has_page("/posts/a/"));
    assert!(!elsewhere.path().join("public").exists());
}

// ---------------------------------------------------------------------------------------
// Feeds, sitemap, robots.txt
// ---------------------------------------------------------------------------------------

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// 15 posts in 일지 (one a day from 2025-02-01) and 10 in 고객 응대 (from 2025-03-01), a
/// draft newer than all, and a Hangul-named post; the site lives under /blog/.
fn feed_site(extra_config: &str) -> Site {
    let mut site = Site::new().file(
        "site.yaml",
        format!(
            "title: 피드 시험\nauthor: 사장\nbase_url: https://example.org/blog\n{extra_config}"
        ),
    );
    for n in 1..=15 {
        site = site.file(
            &format!("content/posts/a{n:02}.md"),
            post(
                &format!("일지 {n:02}"),
                &format!("2025-02-{n:02}T09:00:00+09:00"),
                "일지",
                "",
                "<b>굵게</b> & 본문",
            ),
        );
    }
    for n in 1..=10 {
        site = site.file(
            &format!("content/posts/b{n:02}.md"),
            post(
                &format!("응대 {n:02}"),
                &format!("2025-03-{n:02}T09:00:00+09:00"),
                "고객 응대",
                "updated: 2025-04-01T10:00:00+09:00",
                "본문.",
            ),
        );
    }
    site.file(
        "content/posts/초안.md",
        post("초안", "2025-05-01", "일지", "draft: true", "미완성."),
    )
    .file(
        "content/posts/한글 주소.md",
        post("한글 주소 글", "2025-01-15", "일지", "", "본문."),
    )
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name((ATOM, name)))
}

fn entry_links(feed: &roxmltree::Document) -> Vec<String> {
    feed.root_element()
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            child(e, "link")
                .and_then(|l| l.attribute("href"))
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_site_feed_is_atom_with_the_newest_twenty_posts_and_no_drafts() {
    let site = feed_site("");
    site.build().run();
    let xml = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("atom.xml is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    // RFC 4287: a feed has id, title, updated, and an author (here at feed level).
    for required in ["id", "title", "updated", "author"] {
        assert!(child(feed, required).is_some(), "feed lacks <{required}>");
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 20);
    for e in &entries {
        for required in ["id", "title", "updated", "link"] {
            assert!(child(*e, required).is_some(), "entry lacks <{required}>");
        }
        let updated = child(*e, "updated")
            .and_then(|u| u.text())
            .unwrap_or_default();
        assert!(updated.ends_with("+09:00"), "{updated}");
    }
    let links = entry_links(&doc);
    assert_eq!(
        links[0], "https://example.org/blog/posts/b10/",
        "newest first"
    );
    assert!(
        !links.iter().any(|l| l.contains(&percent("초안"))),
        "no drafts"
    );
    // b10 was updated later than it was published.
    assert_eq!(
        child(entries[0], "updated").and_then(|u| u.text()),
        Some("2025-04-01T10:00:00+09:00")
    );
    assert_eq!(
        child(entries[0], "published").and_then(|u| u.text()),
        Some("2025-03-10T09:00:00+09:00")
    );
    // Content is the post's HTML, escaped once.
    let a15 = entries
        .iter()
        .find(|e| child(**e, "title").and_then(|t| t.text()) == Some("일지 15"))
        .expect("a15 in the feed");
    let content = child(*a15, "content").expect("content");
    assert_eq!(content.attribute("type"), Some("html"));
    // Unescaped once by the XML parser, it is the post's HTML again.
    let html = content.text().unwrap_or_default();
    assert!(html.contains("<b>굵게</b> &amp; 본문"), "{html}");
    assert!(
        site.page("/").contains("application/atom+xml"),
        "autodiscovery link on pages"
    );
}

#[test]
fn each_category_has_its_own_feed_and_feed_limit_is_honoured() {
    let site = feed_site("feed_limit: 5\n");
    site.build().run();
    let xml = site.read(&format!("category/{}/atom.xml", "고객-응대"));
    let doc = roxmltree::Document::parse(&xml).expect("category feed is XML");
    let links = entry_links(&doc);
    assert_eq!(links.len(), 5);
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("https://example.org/blog/posts/b")),
        "{links:?}"
    );
    let feed = doc.root_element();
    let title = child(feed, "title")
        .and_then(|t| t.text())
        .unwrap_or_default();
    assert!(title.contains("고객 응대"), "{title}");
    let page = site.page(&format!("/category/{}/", "고객-응대"));
    assert!(
        page.contains(&format!("/blog/category/{}/atom.xml", percent("고객-응대"))),
        "category page links its feed"
    );
    // Every entry of every feed carries its post's whole body, also posts that only their
    // category's feed carries (a build frees other posts' bodies once their pages are written).
    for feed in [
        "atom.xml",
        "category/고객-응대/atom.xml",
        "category/일지/atom.xml",
    ] {
        let xml = site.read(feed);
        let doc = roxmltree::Document::parse(&xml).expect("feed is XML");
        let entries: Vec<_> = doc
            .root_element()
            .children()
            .filter(|c| c.has_tag_name((ATOM, "entry")))
            .collect();
        assert_eq!(entries.len(), 5, "{feed}");
        for e in entries {
            let html = child(e, "content")
                .and_then(|c| c.text())
                .unwrap_or_default();
            assert!(html.contains("본문"), "{feed}: {html:?}");
        }
    }
}

#[test]
fn the_sitemap_lists_every_published_page_with_absolute_encoded_addresses() {
    let site = feed_site("");
    site.build().run();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let urls: BTreeMap<String, Option<String>> = doc
        .root_element()
        .children()
        .filter(|c| c.has_tag_name((SM, "url")))
        .map(|u| {
            let text = |name| {
                u.children()
                    .find(|c| c.has_tag_name((SM, name)))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            (text("loc").unwrap_or_default(), text("lastmod"))
        })
        .collect();
    assert!(
        urls.keys()
            .all(|u| u.starts_with("https://example.org/blog/") && u.is_ascii()),
        "{urls:?}"
    );
    assert_eq!(
        urls.get("https://example.org/blog/posts/b03/"),
        Some(&Some("2025-04-01T10:00:00+09:00".to_owned()))
    );
    let hangul = format!("https://example.org/blog/posts/{}/", percent("한글-주소"));
    assert!(urls.contains_key(&hangul), "{hangul} in {urls:?}");
    for expected in [
        "https://example.org/blog/",
        "https://example.org/blog/page/2/",
        "https://example.org/blog/archive/",
    ] {
        assert!(urls.contains_key(expected), "{expected}");
    }
    assert!(!urls
        .keys()
        .any(|u| u.contains("404") || u.contains(&percent("초안"))));
    // 26 posts + 3 home pages + category, tag pages and the archive; every post is there.
    assert_eq!(urls.keys().filter(|u| u.contains("/posts/")).count(), 26);
}

#[test]
fn robots_txt_names_the_sitemap() {
    let site = feed_site("");
    site.build().run();
    let robots = site.read("robots.txt");
    assert!(robots.contains("User-agent: *"));
    assert!(
        robots.contains("Sitemap: https://example.org/blog/sitemap.xml"),
        "{robots}"
    );
}

// ---------------------------------------------------------------------------------------
// Search engines and social cards
// ---------------------------------------------------------------------------------------

/// The content of `<meta {attr}="{name}" content="…">` in a page.
fn meta_content(html: &str, attr: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("<meta {attr}=\"{name}\" content=\""))?;
    let rest = &html[start..];
    let open = rest.find("content=\"")? + "content=\"".len();
    let len = rest[open..].find('"')?;
    Some(rest[open..open + len].to_owned())
}

#[test]
fn posts_carry_canonical_opengraph_twitter_and_json_ld_with_absolute_urls() {
    let site = Site::new()
        .file(
            "site.yaml",
            "title: 가게 일지\nauthor: 김사장\nbase_url: https://example.org/blog/\n",
        )
        .file(
            "content/posts/사진 글/index.md",
            post(
                "사진이 있는 글",
                "2025-09-08T07:00:00+09:00",
                "일지",
                "summary: \"포장을 바꾼 이야기 a</ b 입니다.\"\nupdated: 2025-09-10",
                "본문 앞.\n\n![포장 사진](포장.png)\n",
            ),
        )
        .file("content/posts/사진 글/포장.png", b"png")
        .file(
            "content/posts/plain.md",
            post("그림 없는 글", "2025-09-01", "일지", "", "본문."),
        );
    site.build().run();
    let html = site.page("/posts/사진-글/");
    let permalink = format!("https://example.org/blog/posts/{}/", percent("사진-글"));
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{permalink}\">")),
        "canonical"
    );
    assert_eq!(
        meta_content(&html, "property", "og:url").as_deref(),
        Some(permalink.as_str())
    );
    assert_eq!(
        meta_content(&html, "property", "og:type").as_deref(),
        Some("article")
    );
    assert_eq!(
        meta_content(&html, "property", "og:title").as_deref(),
        Some("사진이 있는 글")
    );
    let image = format!("{permalink}{}", percent("포장.png"));
    assert_eq!(
        meta_content(&html, "property", "og:image").as_deref(),
        Some(image.as_str())
    );
    assert_eq!(
        meta_content(&html, "name", "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    // X falls back to the OpenGraph tags; the theme does not repeat them as twitter:*.
    for twitter in ["twitter:title", "twitter:description", "twitter:image"] {
        assert!(meta_content(&html, "name", twitter).is_none(), "{twitter}");
    }
    let description = meta_content(&html, "name", "description").expect("meta description");
    assert!(
        description.starts_with("포장을 바꾼 이야기"),
        "{description}"
    );
    assert_eq!(
        meta_content(&html, "property", "article:published_time").as_deref(),
        Some("2025-09-08T07:00:00+09:00")
    );

    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").expect("script closes");
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "사진이 있는 글");
    assert_eq!(ld["url"], permalink.as_str());
    assert_eq!(ld["datePublished"], "2025-09-08T07:00:00+09:00");
    assert_eq!(ld["dateModified"], "2025-09-10T00:00:00+09:00");
    assert_eq!(ld["author"]["name"], "김사장");
    assert_eq!(ld["image"], image.as_str());
    // "</" may not appear raw inside the script element, yet the JSON keeps it.
    assert!(!html[start..end].contains("</"), "{}", &html[start..end]);
    assert!(
        ld["description"]
            .as_str()
            .unwrap_or_default()
            .contains("a</ b"),
        "{ld}"
    );

    let plain = site.page("/posts/plain/");
    assert_eq!(
        meta_content(&plain, "name", "twitter:card").as_deref(),
        Some("summary")
    );
    assert!(meta_content(&plain, "property", "og:image").is_none());
    let home = site.page("/");
    assert_eq!(
        meta_content(&home, "property", "og:type").as_deref(),
        Some("website")
    );
    assert!(!home.contains("application/ld+json"));
}

#[test]
fn the_search_index_holds_every_published_post_and_no_draft() {
    let site = Site::new()
        .file("site.yaml", "title: 검색\n")
        .file(
            "content/posts/a.md",
            post(
                "첫 글",
                "2025-09-01",
                "일지",
                "",
                "불만 고객이 충성 고객으로 바뀌었다.",
            ),
        )
        .file(
            "content/posts/b.md",
            post("둘째 글", "2025-09-02", "운영", "", "인간관계를 다시 본다."),
        )
        .file(
            "content/posts/c.md",
            post(
                "초안 글",
                "2025-09-03",
                "일지",
                "draft: true",
                "비밀 초안 낱말.",
            ),
        );
    site.build().run();
    assert!(
        site.has_page("/search/"),
        "the default theme has a search page"
    );
    // The index as JSON, its vocabulary and its posts' titles.
    let read_index = || {
        let index: serde_json::Value =
            serde_json::from_str(&site.read("search/index.json")).expect("the index is JSON");
        let words: Vec<String> = index["w"]
            .as_array()
            .expect("w")
            .iter()
            .filter_map(|w| w.as_str().map(str::to_owned))
            .collect();
        let titles: Vec<String> = index["p"]
            .as_array()
            .expect("p")
            .iter()
            .filter_map(|p| p[0].as_str().map(str::to_owned))
            .collect();
        (index, words, titles)
    };
    let (index, words, titles) = read_index();
    let posts = index["p"].as_array().expect("p");
    assert_eq!(titles, ["둘째 글", "첫 글"], "newest first, no draft");
    assert_eq!(posts[0][1], "/posts/b/");
    assert_eq!(posts[0][2], "2025.09.02");
    assert_eq!(posts[0][3], "운영");
    // The text comes back from the word numbers.
    let text: Vec<&str> = posts[1][4]
        .as_array()
        .expect("word numbers")
        .iter()
        .filter_map(|n| n.as_u64().map(|n| words[n as usize].as_str()))
        .collect();
    assert_eq!(text.join(" "), "불만 고객이 충성 고객으로 바뀌었다.");
    assert!(!words.iter().any(|w| w == "초안"), "nothing of the draft");

    // With --drafts the draft has its page, but the index still leaves it out.
    site.build().arg("--drafts").run();
    assert!(site.has_page("/posts/c/"), "the draft is published");
    let (_, words, titles) = read_index();
    assert_eq!(titles, ["둘째 글", "첫 글"], "no draft, even with --drafts");
    assert!(
        !words.iter().any(|w| w == "초안" || w == "낱말."),
        "nothing of the draft"
    );
}

#[test]
fn hostile_comments_lose_their_html_and_script_links_and_are_counted_in_lists() {
    let site = Site::new()
        .file("site.yaml", "title: 댓글\n")
        .file("content/posts/a.md", post("글", "2025-09-01", "일지", "", "본문."))
        .file(
            "content/posts/a.comments.yaml",
            "- author: \"<b>굵은 이름</b>\"\n  date: 2025-09-02\n  body: \"[눌러 보세요](javascript:alert(1)) <img src=x onerror=alert(2)> [좋은 곳](https://example.org/)\"\n",
        );
    site.build().run();
    let html = site.page("/posts/a/");
    assert!(!html.contains("javascript:"), "script links are dropped");
    assert!(!html.contains("<img src=x"), "raw HTML is shown as text");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(
        html.contains("&lt;b&gt;굵은 이름&lt;/b&gt;"),
        "the author is escaped too"
    );
    assert!(html.contains(r#"<a href="https://example.org/">좋은 곳</a>"#));
    assert!(html.contains("눌러 보세요"), "the link's text stays");
    assert!(
        site.page("/").contains("댓글 1"),
        "the count beside the post on the home page"
    );
}

#[test]
fn the_archive_groups_every_post_by_year_and_month_newest_first() {
    let site = Site::new()
        .file("site.yaml", "title: 보관\n")
        .file(
            "content/posts/a.md",
            post("2024년 글", "2024-12-31T23:00:00+09:00", "일지", "", "."),
        )
        .file(
            "content/posts/b.md",
            post("1월 글", "2025-01-15", "일지", "", "."),
        )
        .file(
            "content/posts/c.md",
            post("3월 첫 글", "2025-03-01", "운영", "", "."),
        )
        .file(
            "content/posts/d.md",
            post("3월 둘째 글", "2025-03-20", "일지", "", "."),
        );
    site.build().run();
    let html = site.page("/archive/");
    let order: Vec<usize> = [
        "heading\">2025년",
        "id=\"y2025m3\">3월",
        ">3월 둘째 글</a>",
        ">3월 첫 글</a>",
        "id=\"y2025m1\">1월",
        ">1월 글</a>",
        "heading\">2024년",
        "id=\"y2024m12\">12월",
        ">2024년 글</a>",
    ]
    .iter()
    .map(|t| {
        html.find(t)
            .unwrap_or_else(|| panic!("{t} not in the archive"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "order in the page: {order:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Aliases: old addresses keep working
// ---------------------------------------------------------------------------------------

#[test]
fn aliases_publish_redirects_at_the_old_addresses() {
    let site = Site::new()
        .file("site.yaml", "title: 이사\nbase_url: https://example.org/\n")
        .file(
            "content/posts/new.md",
            post(
                "옮긴 글",
                "2025-09-01",
                "일지",
                "aliases: [/entry/옛-주소, /123, /old.html]",
                "본문.",
            ),
        );
    site.build().run();
    let target = "https://example.org/posts/new/";
    for old in ["/entry/옛-주소/", "/123/"] {
        let html = site.page(old);
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")),
            "{old}: {html}"
        );
        assert!(
            html.contains(&format!("content=\"0; url={target}\"")),
            "{old}: meta refresh"
        );
    }
    assert!(site.read("old.html").contains(target));
    assert!(
        !site.read("sitemap.xml").contains("123"),
        "redirects are not in the sitemap"
    );
}

#[test]
fn an_alias_that_collides_with_a_page_names_both_files() {
    let (site, before) = built_good_site();
    site.write(
        "content/posts/mover.md",
        post(
            "옮긴 글",
            "2025-09-04",
            "일지",
            "aliases: [/about/]",
            "본문.",
        ),
    );
    site.write("content/about.md", "---\ntitle: 소개\n---\n소개.\n");
    site.build()
        .failure()
        .stderr_has(
            "error: content/posts/mover.md: its alias `/about/` publishes to /about/index.html, \
             as content/about.md does",
        )
        .run();
    assert_output_kept(&site, &before);
}

// ---------------------------------------------------------------------------------------
// ilji new
// ---------------------------------------------------------------------------------------

#[test]
fn new_writes_a_draft_with_its_front_matter_and_never_overwrites() {
    let site = Site::new().file("site.yaml", "title: 새 글\n");
    let out = site
        .ilji([
            "new",
            "고객 불만이 기회가 된 순간들",
            "--category",
            "운영 일지",
        ])
        .run();
    let rel = out.stdout.trim().to_owned();
    assert!(
        rel.starts_with("content/posts/20") && rel.ends_with("-고객-불만이-기회가-된-순간들.md"),
        "{rel}"
    );
    let text = std::fs::read_to_string(site.root().join(&rel)).expect("the new post");
    assert!(
        text.starts_with("---\ntitle: \"고객 불만이 기회가 된 순간들\"\ndate: 20"),
        "{text}"
    );
    assert!(
        text.contains("+09:00\ncategory: \"운영 일지\"\ntags: []\ndraft: true\n---\n"),
        "{text}"
    );
    // A draft: left out of a build, published with --drafts.
    site.build().stderr_has("drafts: 1").run();
    site.build().arg("--drafts").run();
    assert!(site.has_page(&format!("/posts/{}/", "고객-불만이-기회가-된-순간들")));
    // The same post again: refused, the file untouched.
    site.ilji(["new", "고객 불만이 기회가 된 순간들", "--category", "x"])
        .failure()
        .stderr_has("already exists")
        .run();
    assert_eq!(
        std::fs::read_to_string(site.root().join(&rel)).expect("still there"),
        text
    );
}

#[test]
fn new_takes_a_slug_and_publish_and_asks_nothing_without_a_terminal() {
    let site = Site::new().file("site.yaml", "title: 새 글\n");
    let out = site
        .ilji(["new", "첫 글", "--slug", "first", "--publish"])
        .run();
    let rel = out.stdout.trim().to_owned();
    assert!(rel.ends_with("-first.md"), "{rel}");
    let text = std::fs::read_to_string(site.root().join(&rel)).expect("the new post");
    assert!(text.contains("draft: false"), "{text}");
    assert!(
        text.contains("category: \"미분류\""),
        "no terminal: no question, a placeholder"
    );
    site.build().run();
    assert!(site.has_page("/posts/first/"));
}

#[test]
fn new_cuts_a_long_titles_address_and_refuses_a_long_slug() {
    let site = Site::new().file("site.yaml", "title: 긴 제목\n");
    let title = "고객 불만이 기회가 된 순간들을 정리하며 ".repeat(8);
    let out = site
        .ilji(["new", &title, "--category", "일지", "--publish"])
        .run();
    let rel = out.stdout.trim().to_owned();
    let name = std::path::Path::new(&rel).file_name().expect("a file name");
    assert!(name.len() < 140, "{rel}");
    assert!(rel.contains("-고객-불만이-기회가-"), "{rel}");
    site.build().run();
    let long = "가".repeat(90);
    site.ilji(["new", "짧은 제목", "--slug", &long])
        .status(2)
        .stderr_has("error: --slug: this address is 270 bytes long")
        .run();
}

// ---------------------------------------------------------------------------------------
// ilji init
// ---------------------------------------------------------------------------------------

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let tmp = TempDir::new().expect("temp dir");
    Run::new(tmp.path())
        .args(["init", "블로그"])
        .stdout_has("created a site")
        .run();
    let site_dir = tmp.path().join("블로그");
    let yaml = std::fs::read_to_string(site_dir.join("site.yaml")).expect("site.yaml");
    for key in [
        "title:",
        "base_url:",
        "timezone:",
        "date_format:",
        "paginate:",
        "other_posts:",
        "feed_limit:",
        "extra:",
    ] {
        assert!(yaml.contains(key), "site.yaml explains {key}");
    }
    assert!(
        yaml.contains("시간대") && yaml.contains("time zone"),
        "comments in Korean and English"
    );
    Run::new(&site_dir).arg("build").stdout_has("built").run();
    Run::new(&site_dir).arg("build").stdout_has("built").run();
    // What the builds wrote is kept out of git: the output and the spare beside it.
    let ignored = std::fs::read_to_string(site_dir.join(".gitignore")).expect(".gitignore");
    assert_eq!(
        ignored.lines().collect::<Vec<_>>(),
        ["/public", "/.public.ilji-*"]
    );
    assert!(site_dir.join(".public.ilji-spare").is_dir());
    let public = site_dir.join("public");
    assert!(
        public.join("posts/hello/index.html").is_file(),
        "the example post"
    );
    assert!(public.join("about/index.html").is_file(), "the about page");
    assert!(public.join("style.css").is_file(), "the theme's files");
}

#[test]
fn init_refuses_a_folder_with_files_and_force_never_overwrites() {
    let tmp = TempDir::new().expect("temp dir");
    std::fs::write(tmp.path().join("site.yaml"), "title: 내 것\n").expect("write");
    Run::new(tmp.path())
        .args(["init", "."])
        .failure()
        .stderr_has("not empty")
        .run();
    assert!(!tmp.path().join("content").exists(), "nothing written");
    Run::new(tmp.path())
        .args(["init", ".", "--force"])
        .stderr_has("kept: site.yaml")
        .run();
    let yaml = std::fs::read_to_string(tmp.path().join("site.yaml")).expect("site.yaml");
    assert_eq!(
        yaml, "title: 내 것\n",
        "an existing file is never overwritten"
    );
    assert!(tmp
        .path()
        .join("themes/default/templates/post.html")
        .is_file());
}

// ---------------------------------------------------------------------------------------
// Output for people: summary, warnings, colour, --quiet, --verbose, progress bar
// ---------------------------------------------------------------------------------------

/// A site whose build succeeds with one warning (a comments file of no post) and one draft.
fn site_with_a_warning() -> Site {
    Site::new()
        .file("site.yaml", "title: 출력\nbase_url: https://example.org/\n")
        .file(
            "content/posts/a.md",
            post("가", "2025-09-01", "일지", "", "본문."),
        )
        .file(
            "content/posts/b.md",
            post("나", "2025-09-02", "일지", "draft: true", "초안."),
        )
        .file("content/posts/stray.comments.yaml", "[]\n")
}

/// How to get util-linux `script`, which [`in_terminal`] runs (Debian's bsdutils).
const SCRIPT_INSTALL: &str = "install it with `apt-get install -y bsdutils`";

/// `ilji <args>` in `dir` under a pseudo-terminal (util-linux `script`), so that the
/// binary sees a terminal on stdout and stderr; returns everything it printed.
fn in_terminal(dir: &std::path::Path, args: &str, env: &[(&str, &str)]) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_ilji"));
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    for (k, v) in env {
        script.env(k, v);
    }
    let out = script.output().expect("run ilji under `script`");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_build_ends_with_its_warnings_together_then_one_summary_line() {
    let site = site_with_a_warning();
    let out = site
        .build()
        .stdout_has("built ")
        .stdout_has("(1 post, 1 category, 0 tags)")
        .stdout_has(", 1 warning")
        .stderr_has(
            "warning: content/posts/stray.comments.yaml: this comments file belongs to no post",
        )
        .stderr_has("drafts: 1 left out (use --drafts to include them)")
        .run();
    assert_eq!(
        out.stdout.lines().count(),
        1,
        "one summary line: {}",
        out.stdout
    );
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stderr.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
}

#[test]
fn colour_is_used_on_a_terminal_unless_no_color_is_set_or_never_is_asked() {
    if !tool_is_installed("script", SCRIPT_INSTALL) {
        return;
    }
    let site = site_with_a_warning();
    let shown = in_terminal(site.root(), "build", &[]);
    assert!(shown.contains("\u{1b}[1;33mwarning:"), "{shown:?}");
    assert!(shown.contains("\u{1b}[1;32mbuilt"), "{shown:?}");

    let plain = in_terminal(site.root(), "build", &[("NO_COLOR", "1")]);
    assert!(
        plain.contains("warning:") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
    let never = in_terminal(site.root(), "build --color never", &[]);
    assert!(!never.contains('\u{1b}'), "{never:?}");

    // And forced on for a pipe.
    site.build()
        .args(["--color", "always"])
        .env("NO_COLOR", None)
        .stderr_has("\u{1b}[1;33mwarning:")
        .run();
}

#[test]
fn quiet_keeps_only_warnings_and_errors_and_verbose_adds_timings_and_drafts() {
    let site = site_with_a_warning();
    let out = site
        .build()
        .arg("--quiet")
        .stderr_has("warning: content/posts/stray.comments.yaml")
        .stderr_lacks("drafts:")
        .run();
    assert_eq!(out.stdout, "", "no summary with --quiet");

    site.build()
        .arg("--verbose")
        .stderr_has("timing: content")
        .stderr_has("timing: posts")
        .stderr_has("timing: other pages and index")
        .stderr_has("  draft: content/posts/b.md")
        .stdout_has("built ")
        .run();

    site.ilji(["build", "--quiet", "--verbose"]).status(2).run();
}

#[test]
fn a_long_build_on_a_terminal_shows_a_progress_bar() {
    if !tool_is_installed("script", SCRIPT_INSTALL) {
        return;
    }
    // Enough posts that writing the pages takes a tenth of a second or more: the bar is
    // drawn once the pages are counted.
    let site = big_site("title: 큰 블로그\nbase_url: https://example.org/\n");
    let shown = in_terminal(site.root(), "build", &[("ILJI_PROGRESS_AFTER_MS", "0")]);
    assert!(shown.contains("building ["), "a progress bar: {shown:?}");
    assert!(shown.contains("built"), "{shown:?}");
    // Not for a pipe, and not with --quiet.
    site.build()
        .env("ILJI_PROGRESS_AFTER_MS", Some("0"))
        .stderr_lacks("building [")
        .run();
    let quiet = in_terminal(
        site.root(),
        "build --quiet",
        &[("ILJI_PROGRESS_AFTER_MS", "0")],
    );
    assert!(!quiet.contains("building ["), "{quiet:?}");
}
