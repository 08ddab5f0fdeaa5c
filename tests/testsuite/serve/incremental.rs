//! Incremental rebuilds equal a full build: after every kind of edit to the fixture site
//! `serve/incremental`, each file of a fresh `ilji build` is what the preview serves (its
//! pages without the reload script), and what the fresh build lacks is not served.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::support::serve::{without_reload_script, Serve};
use crate::support::{post, snapshot, Site};

fn dated(n: u32) -> String {
    format!("2025-02-{n:02}T09:00:00+09:00")
}

#[test]
fn rebuilds_after_edits_equal_a_fresh_full_build() {
    let site = Site::fixture("serve/incremental");
    let mut serve = Serve::start(&site);
    assert_eq!(serve.page("/old.txt").status, 200);
    // Before the edits: /page/4/ (8 posts, 2 a page) and the lone tag's page exist.
    assert_eq!(serve.page("/page/4/").status, 200);
    assert_eq!(serve.page("/tags/단독태그/").status, 200);
    assert_eq!(serve.page("/category/기타/").status, 200);

    edit_every_kind_of_source(&site, &mut serve);
    let late = serve.settle();
    assert!(
        late.iter().all(|l| !l.contains("→ error")),
        "{late:?}\n{}",
        serve.shown()
    );

    // A fresh full build of the same sources.
    let fresh = TempDir::new().expect("a folder for the fresh build");
    let out = fresh.path().join("public");
    site.ilji(["build", "--output", out.to_str().expect("UTF-8 path")])
        .run();
    let files = snapshot(&out);
    assert!(files.contains_key(Path::new("posts/델타-새이름/index.html")));
    assert!(files.len() >= 20, "a fresh build of {} files", files.len());

    // Every file of the fresh build, fetched from the preview, is the same (pages without
    // the reload script).
    let differing = differences_from(&files, &serve);
    assert!(
        differing.is_empty(),
        "after the edits, the preview differs from a fresh build ({} files):\n{}",
        files.len(),
        differing.join("\n\n")
    );
}

/// Edits the site as a writer would, waiting for each rebuild: settings, a body, a title,
/// comments, a post added (with a new tag), deleted (the last of its tag) and renamed, a
/// post moved to another category (the last of its own) with a date that reorders the lists,
/// and static files edited, deleted and added in a new folder.
fn edit_every_kind_of_source(site: &Site, serve: &mut Serve) {
    // The site's settings.
    site.write(
        "site.yaml",
        "title: 증분 블로그\npaginate: 2\nother_posts: 4\n",
    );
    serve.rebuilt("site.yaml");
    // A body.
    site.write(
        "content/posts/가을.md",
        post(
            "가을 이야기",
            &dated(1),
            "일지",
            "tags: [계절, 여행]",
            "고친 가을 본문.\n\n둘째 문단.",
        ),
    );
    serve.rebuilt("content/posts/가을.md");
    // A title (shown in lists, prev/next links and other posts' lists).
    site.write(
        "content/posts/bravo.md",
        post(
            "브라보 (고침)",
            &dated(2),
            "일지",
            "tags: [여행]",
            "브라보 본문.",
        ),
    );
    serve.rebuilt("content/posts/bravo.md");
    // Comments (the count shows wherever the post is listed).
    site.write(
        "content/posts/bravo.comments.yaml",
        "- author: 손님\n  date: 2025-02-03\n  body: 좋은 글이네요\n",
    );
    serve.rebuilt("content/posts/bravo.comments.yaml");
    // A post added, with a new tag.
    site.write(
        "content/posts/foxtrot.md",
        post(
            "폭스트롯",
            &dated(9),
            "일지",
            "tags: [새태그, 여행]",
            "새 글.",
        ),
    );
    serve.rebuilt("content/posts/foxtrot.md");
    // A post deleted (its tag had no other post), and another.
    fs::remove_file(site.root().join("content/posts/charlie.md")).expect("delete charlie");
    serve.rebuilt("content/posts/charlie.md");
    fs::remove_file(site.root().join("content/posts/p7.md")).expect("delete p7");
    serve.rebuilt("content/posts/p7.md");
    fs::remove_file(site.root().join("content/posts/p8.md")).expect("delete p8");
    serve.rebuilt("content/posts/p8.md");
    // A post renamed (new URL).
    fs::rename(
        site.root().join("content/posts/delta.md"),
        site.root().join("content/posts/델타-새이름.md"),
    )
    .expect("rename delta");
    serve.rebuilt("content/posts/델타-새이름.md");
    // The last post of a category moved to another (the category goes away), with a date
    // change that reorders the lists.
    site.write(
        "content/posts/echo.md",
        post(
            "에코",
            "2025-01-15T09:00:00+09:00",
            "일지",
            "tags: [계절]",
            "에코 본문.",
        ),
    );
    serve.rebuilt("content/posts/echo.md");
    // Static files: one edited, one deleted, one added in a new folder.
    site.write("static/keep.txt", "고침");
    serve.rebuilt("static/keep.txt");
    fs::remove_file(site.root().join("static/old.txt")).expect("delete a static file");
    serve.rebuilt("static/old.txt");
    site.write("static/새-폴더/새.txt", "새 파일");
    serve.wait_page("/새-폴더/새.txt", "the new static file", |r| {
        r.status == 200
    });
}

/// What the preview serves unlike the fresh build `files` (every file of it, pages without
/// the reload script), and what it still serves that the fresh build does not have.
fn differences_from(files: &BTreeMap<PathBuf, Vec<u8>>, serve: &Serve) -> Vec<String> {
    let mut differing = Vec::new();
    for (rel, bytes) in files {
        let rel = rel.to_str().expect("UTF-8 output path");
        let path = match rel.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => format!("/{rel}"),
        };
        let reply = serve.page(&path);
        if reply.status != 200 {
            differing.push(format!("{path}: status {}", reply.status));
            continue;
        }
        let served = if rel.ends_with(".html") {
            without_reload_script(&reply.text()).into_bytes()
        } else {
            reply.body.clone()
        };
        if &served != bytes {
            differing.push(format!(
                "{path}: differs\n--- served ---\n{}\n--- fresh build ---\n{}",
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(bytes)
            ));
        }
    }

    // And what the fresh build does not have, the preview does not serve.
    for gone in [
        "/posts/charlie/",
        "/posts/p7/",
        "/posts/p8/",
        "/posts/delta/",
        "/tags/단독태그/",
        "/category/기타/",
        "/category/기타/atom.xml",
        "/page/4/",
        "/old.txt",
    ] {
        let on_disk = gone.trim_start_matches('/');
        assert!(
            !files.contains_key(Path::new(&format!("{on_disk}index.html")))
                && !files.contains_key(Path::new(on_disk)),
            "the fresh build has {gone}: fix the test"
        );
        let status = serve.page(gone).status;
        if status != 404 {
            differing.push(format!(
                "{gone}: status {status}, still served after its source went away (the fresh build has no such file)"
            ));
        }
    }
    differing
}
