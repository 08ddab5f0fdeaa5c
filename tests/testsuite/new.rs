//! `ilji new`: a draft with its front matter at a dated, slugged file name; never written
//! over; `--slug` and `--publish`; no question without a terminal; a long title's address
//! cut, a long slug refused; `--bundle`: a folder with index.md, its photos published beside
//! the post.

use crate::support::Site;

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
    let today = &rel["content/posts/".len()..][..10];
    site.ilji(["new", "고객 불만이 기회가 된 순간들", "--category", "x"])
        .redact(today, "[TODAY]")
        .failure()
        .stderr_golden("new/already-exists.stderr")
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
        .stderr_golden("new/long-slug.stderr")
        .run();
}

#[test]
fn new_bundle_writes_a_folder_for_photos_and_never_overwrites_it() {
    let site = Site::new().file("site.yaml", "title: 새 글\n");
    let out = site
        .ilji([
            "new",
            "--bundle",
            "가게 앞 풍경",
            "--category",
            "일지",
            "--publish",
        ])
        .stderr_has("![설명](photo.jpg)")
        .run();
    let folder = out.stdout.trim().to_owned();
    assert!(
        folder.starts_with("content/posts/20") && folder.ends_with("-가게-앞-풍경/"),
        "{folder}"
    );
    let text = std::fs::read_to_string(site.root().join(&folder).join("index.md"))
        .expect("the bundle's index.md");
    assert!(
        text.starts_with("---\ntitle: \"가게 앞 풍경\"\ndate: 20"),
        "{text}"
    );
    assert!(
        text.contains(
            "+09:00\ncategory: \"일지\"\ntags: []\ndraft: false\n---\n\n여기에 글을 쓰세요.\n"
        ),
        "{text}"
    );
    // A photo beside it is published beside the post.
    site.write(
        &format!("{folder}photo.jpg"),
        b"\xFF\xD8\xFF\xE0 not really",
    );
    site.write(
        &format!("{folder}index.md"),
        text.replace("여기에 글을 쓰세요.", "![가게 앞](photo.jpg)"),
    );
    site.build().run();
    assert!(site.has("posts/가게-앞-풍경/photo.jpg"));
    assert!(site
        .page("/posts/가게-앞-풍경/")
        .contains("src=\"photo.jpg\""));
    // Again, as a bundle or as a file: refused, the folder and its photo untouched.
    let today = &folder["content/posts/".len()..][..10];
    let content = site.root().join("content");
    let before = crate::support::site::snapshot(&content);
    site.ilji(["new", "--bundle", "가게 앞 풍경", "--category", "x"])
        .redact(today, "[TODAY]")
        .failure()
        .stderr_golden("new/bundle-exists.stderr")
        .run();
    site.ilji(["new", "가게 앞 풍경", "--category", "x"])
        .failure()
        .stderr_has("this post already exists")
        .run();
    assert_eq!(crate::support::site::snapshot(&content), before);
}
