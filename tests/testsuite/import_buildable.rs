//! `ilji import` gives a site that builds with no hand edit (issue 25, item 3): posts that
//! would share an address (`LDA` and `lda`, four posts titled `honorification`, a post named
//! like one already in the site, a page named like ilji's archive) each get one of their own,
//! listed in the notes; the old blog's copies of files ilji writes itself (robots.txt, the
//! sitemap, 404.html) or of a page are not copied, with a note. And the build's own message
//! for a static file on such an address tells what to do with a file, not a `slug:`.
//!
//! The old blogs are in `tests/fixtures/import_buildable/`, with the golden notes beside them.

use crate::support::{fixture, post, Site};

/// The path of the old blog `tests/fixtures/import_buildable/<name>`.
fn old_blog(name: &str) -> String {
    fixture("import_buildable").join(name).display().to_string()
}

/// A new ilji site with nothing in it yet.
fn empty_site() -> Site {
    Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    )
}

/// The value of `key:` in the front matter of a written file.
fn front_value(site: &Site, rel: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(site.root().join(rel))
        .unwrap_or_else(|e| panic!("{rel} was not written: {e}"));
    let yaml = text.strip_prefix("---\n")?.split_once("\n---\n")?.0;
    let front: serde_yaml::Mapping =
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{rel}: {e}\n{yaml}"));
    front.get(key).and_then(|v| v.as_str()).map(str::to_owned)
}

/// Whether the page at the old address `old` redirects to `new` (a site-relative path).
fn redirects(site: &Site, old: &str, new: &str) -> bool {
    let html = if old.ends_with('/') {
        site.page(old)
    } else {
        site.read(old.trim_start_matches('/'))
    };
    html.contains(&format!("url=https://example.org/{new}\""))
}

#[test]
fn hugo_posts_sharing_a_slug_get_addresses_of_their_own_and_build() {
    // Already in the site: a post at /posts/hello/, as the imported `hello.md` wants.
    let site = empty_site().file(
        "content/posts/2017-01-01-hello.md",
        post("안녕", "2017-01-01", "일지", "", "이미 있는 글."),
    );
    site.ilji(["import", &old_blog("hugo")])
        .stdout_has("imported 7 posts and 1 page from Hugo (4 old addresses kept as aliases, 3 files copied); 5 addresses changed, 1 old address not kept, 4 files not copied (see the notes)")
        .stderr_golden("import_buildable/hugo.stderr")
        .run();

    // The earlier post keeps the slug; the later one gets its date (the old paths differ
    // only in case), the part of its old path that differs, or its date when that is all.
    for (file, slug) in [
        ("content/posts/2019-01-01-LDA.md", None),
        ("content/posts/2020-02-02-lda.md", Some("lda-2020-02-02")),
        ("content/posts/2019-05-05-topic.md", None),
        (
            "content/posts/2019-06-06-topic-stats.md",
            Some("topic-stats"),
        ),
        (
            "content/posts/2018-01-01-hello.md",
            Some("hello-2018-01-01"),
        ),
        ("content/posts/bundle-posts/index.md", Some("bundle-posts")),
        ("content/archive-2.md", Some("archive-2")),
    ] {
        assert_eq!(front_value(&site, file, "slug").as_deref(), slug, "{file}");
    }
    assert!(site
        .root()
        .join("content/posts/bundle-posts/photo.jpg")
        .is_file());
    for ilji_own in [
        "robots.txt",
        "sitemap.xml",
        "404.html",
        "posts/topic/index.html",
    ] {
        assert!(
            !site.root().join("static").join(ilji_own).exists(),
            "{ilji_own}"
        );
    }
    assert!(site.root().join("static/index.xml").is_file());

    site.build().run();
    assert!(site.page("/posts/lda/").contains("첫 LDA 글."));
    assert!(site.page("/posts/lda-2020-02-02/").contains("둘째 lda 글."));
    assert!(site.page("/posts/hello/").contains("이미 있는 글."));
    assert!(site
        .page("/posts/hello-2018-01-01/")
        .contains("이미 있는 글과 같은 이름."));
    assert!(site.page("/posts/topic/").contains("ml 쪽 토픽."));
    assert!(site.page("/archive-2/").contains("옛 보관함 페이지."));
    assert!(site.has("posts/bundle-posts/photo.jpg"));
    // Every old address leads to its post.
    assert!(redirects(&site, "/ml/topic/", "posts/topic/"));
    assert!(redirects(&site, "/stats/topic/", "posts/topic-stats/"));
    assert!(redirects(&site, "/notes/bundle/", "posts/bundle/"));
    assert!(redirects(&site, "/memo/", "posts/bundle/"));
    // ilji's own robots.txt, not the old one.
    assert!(!site.read("robots.txt").contains("Disallow"));

    // A second import writes nothing and renames nothing again.
    let before = site.snapshot();
    site.ilji(["import", &old_blog("hugo")])
        .stdout_has("imported 0 posts and 0 pages from Hugo")
        .stderr_lacks("is taken by")
        .run();
    assert_eq!(site.snapshot(), before);
}

#[test]
fn four_jekyll_posts_with_one_title_are_told_apart_by_their_dates() {
    let site = empty_site();
    site.ilji(["import", &old_blog("jekyll")])
        .stdout_has("imported 6 posts and 0 pages from Jekyll (6 old addresses kept as aliases, 0 files copied); 4 addresses changed (see the notes)")
        .stderr_golden("import_buildable/jekyll.stderr")
        .run();
    site.build().run();
    assert!(redirects(
        &site,
        "/2017/03/01/honorification.html",
        "posts/honorification/"
    ));
    for date in ["2017-09-10", "2018-05-02", "2019-11-30"] {
        let file = format!("content/posts/{date}-honorification.md");
        let slug = format!("honorification-{date}");
        assert_eq!(front_value(&site, &file, "slug"), Some(slug.clone()));
        let old = format!("/{}/honorification.html", date.replace('-', "/"));
        assert!(redirects(&site, &old, &format!("posts/{slug}/")), "{old}");
        assert!(site
            .page(&format!("/posts/{slug}/"))
            .contains(&format!("{date} 에 쓴 글.")));
    }
    // `LDA` and `lda` of one day: the later gets the date, and a file name that differs from
    // `2019-01-01-LDA.md` by more than case (macOS and Windows take those for one file).
    let lower = "content/posts/2019-01-01-lda-2019-01-01.md";
    assert_eq!(
        front_value(&site, lower, "slug").as_deref(),
        Some("lda-2019-01-01")
    );
    assert!(!site.root().join("content/posts/2019-01-01-lda.md").exists());
    assert!(redirects(&site, "/2019/01/01/LDA.html", "posts/lda/"));
    assert!(redirects(
        &site,
        "/2019/01/01/lda.html",
        "posts/lda-2019-01-01/"
    ));
    assert!(site.page("/posts/lda/").contains("대문자 LDA."));
    assert!(site.page("/posts/lda-2019-01-01/").contains("소문자 lda."));

    // A second import changes nothing: the files exist, and no post is renamed around them.
    let before = site.snapshot();
    site.ilji(["import", &old_blog("jekyll")])
        .stdout_has("imported 0 posts and 0 pages from Jekyll")
        .stderr_lacks("is taken by")
        .run();
    assert_eq!(site.snapshot(), before);
}

#[test]
fn a_static_file_where_ilji_writes_its_own_is_an_error_telling_what_to_do() {
    let site = empty_site()
        .file(
            "content/posts/2024-01-01-a.md",
            post("가", "2024-01-01", "일지", "", "본문"),
        )
        .file("static/robots.txt", "User-agent: *\nDisallow: /x/\n")
        .file("static/sitemap.xml", "<urlset/>\n")
        .file("static/posts/a/index.html", "<p>옛 사본</p>\n");
    site.build()
        .failure()
        .stderr_golden("import_buildable/static-clash.stderr")
        .run();
}

#[test]
fn an_old_address_the_site_already_redirects_is_not_given_to_an_imported_post() {
    let site = empty_site().file(
        "content/posts/2016-01-01-old.md",
        post(
            "옛 소식",
            "2016-01-01",
            "일지",
            "aliases: [/posts/news/]",
            "옛 글.",
        ),
    );
    let old = Site::new().file(
        "content/posts/news.md",
        "---\ntitle: 소식\ndate: 2020-01-01\n---\n새 소식.\n",
    );
    site.ilji(["import", &old.root().display().to_string()])
        .stderr_has("note: content/posts/news.md: its address /posts/news/ is taken by an alias of this site's content/posts/2016-01-01-old.md; published at /posts/news-2020-01-01/ instead")
        .run();
    site.build().run();
    assert!(redirects(&site, "/posts/news/", "posts/old/"));
    assert!(site.page("/posts/news-2020-01-01/").contains("새 소식."));
}

/// A Hugo blog filed by a taxonomy of its own (`[taxonomies] topic = "topics"`) and no
/// `categories:`: its first topic becomes the category, the others tags, and the site builds.
#[test]
fn a_hugo_sites_own_taxonomy_gives_the_category_when_there_is_none() {
    let site = empty_site();
    site.ilji(["import", &old_blog("hugo-topics")])
        .stderr_has("its `topics:` (a taxonomy of the Hugo site) gives its category")
        .run();
    let packing = "content/posts/2021-03-04-packing.md";
    assert_eq!(
        front_value(&site, packing, "category").as_deref(),
        Some("배송")
    );
    let filed = "content/posts/2021-03-05-filed.md";
    assert_eq!(
        front_value(&site, filed, "category").as_deref(),
        Some("일지")
    );
    site.build().run();
    let page = site.page("/posts/packing/");
    assert!(page.contains("배송"), "{page}");
    assert!(site.has_page("/category/배송/"));
}

/// Into a site `ilji init` made, import carries the old blog's name and address into
/// site.yaml (the settings init wrote, not the writer's), keeping its comments; the built
/// pages use them.
#[test]
fn the_old_blogs_name_and_address_replace_what_init_wrote() {
    let tmp = tempfile::TempDir::new().expect("temp dir");
    crate::support::Run::new(tmp.path())
        .args(["init", "."])
        .run();
    let before = std::fs::read_to_string(tmp.path().join("site.yaml")).expect("site.yaml");
    let samples = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir.join("content/posts"))
            .expect("posts")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with("-hello.md"))
            .collect()
    };
    assert_eq!(samples(tmp.path()).len(), 1, "init writes a sample post");
    crate::support::Run::new(tmp.path())
        .args(["import", &old_blog("hugo-topics")])
        .stderr_has("ilji init's example, never edited, removed to make way for the imported blog")
        .stderr_has("`title` set to `주제로 나눈 블로그` from config.toml")
        .stderr_has("`base_url` set to `https://old.example.org/` from config.toml")
        .run();
    let after = std::fs::read_to_string(tmp.path().join("site.yaml")).expect("site.yaml");
    assert!(
        samples(tmp.path()).is_empty(),
        "the untouched sample post made way"
    );
    let about = std::fs::read_to_string(tmp.path().join("content/about.md")).expect("about");
    assert!(
        about.contains("가게 소개"),
        "the old blog's about page replaced init's: {about}"
    );
    assert!(after.contains("title: \"주제로 나눈 블로그\"\n"), "{after}");
    assert!(
        after.contains("base_url: \"https://old.example.org/\"\n"),
        "{after}"
    );
    let comments = |t: &str| t.lines().filter(|l| l.starts_with('#')).count();
    assert_eq!(comments(&after), comments(&before), "{after}");
    // A second import changes nothing more.
    crate::support::Run::new(tmp.path())
        .args(["import", &old_blog("hugo-topics")])
        .run();
    let again = std::fs::read_to_string(tmp.path().join("site.yaml")).expect("site.yaml");
    assert_eq!(again, after);
    crate::support::Run::new(tmp.path()).args(["build"]).run();
    let home = std::fs::read_to_string(tmp.path().join("public/index.html")).expect("home");
    assert!(home.contains("주제로 나눈 블로그"), "{home}");
    assert!(home.contains("https://old.example.org/"), "{home}");
}

/// A sample post or about page the writer edited is theirs: import leaves it, and reports
/// the imported page's file as already there.
#[test]
fn an_edited_init_sample_is_kept() {
    let tmp = tempfile::TempDir::new().expect("temp dir");
    crate::support::Run::new(tmp.path())
        .args(["init", "."])
        .run();
    let about = tmp.path().join("content/about.md");
    std::fs::write(&about, "---\ntitle: 우리 가게\n---\n고친 소개.\n").expect("write");
    crate::support::Run::new(tmp.path())
        .args(["import", &old_blog("hugo-topics")])
        .run();
    let kept = std::fs::read_to_string(&about).expect("about");
    assert!(kept.contains("고친 소개"), "{kept}");
}

#[test]
fn folders_the_posts_link_into_are_copied_and_others_are_not() {
    let site = empty_site();
    site.ilji(["import", &old_blog("jekyll-folders")])
        .stdout_has("imported 1 post and 0 pages from Jekyll (1 old address kept as an alias, 2 files copied)")
        .run();
    // Linked as `/public/img/shop.png` and `{{ site.baseurl }}/downloads/menu.pdf`.
    let copied = |rel: &str| std::fs::read_to_string(site.root().join(rel)).ok();
    assert_eq!(copied("static/public/img/shop.png").as_deref(), Some("PNG"));
    assert_eq!(copied("static/downloads/menu.pdf").as_deref(), Some("PDF"));
    // A page Jekyll renders (front matter), a folder no post links into, Jekyll's output.
    assert!(!site.root().join("static/public/feed.xml").exists());
    assert!(!site.root().join("static/notes").exists());
    assert!(!site.root().join("static/_site").exists());
    // What `exclude:` of _config.yml leaves out, Jekyll did not publish: the theme's demo
    // post under /docs and a `*.bak` file.
    assert!(!site
        .root()
        .join("content/posts/2010-01-01-demo.md")
        .exists());
    assert!(!site.root().join("static/public/img/shop.png.bak").exists());
    site.build().run();
    assert_eq!(site.read("public/img/shop.png"), "PNG");
    let post = site.page("/posts/photos/");
    assert!(post.contains(r#"src="/public/img/shop.png""#), "{post}");
    assert!(post.contains(r#"href="/downloads/menu.pdf""#), "{post}");
}
