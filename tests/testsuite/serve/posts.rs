//! Posts added, deleted and renamed while serving, post bundles (a folder with its images)
//! added, renamed and deleted, and a `templates/` folder created while serving.

use std::fs;

use super::{blog, png, FIRST_URL};
use crate::support::serve::{generation, join, poll_pages, Serve};
use crate::support::{links_to, percent, post, Site};

#[test]
fn posts_added_deleted_and_renamed_while_serving() {
    let site = blog();
    let mut serve = Serve::start(&site);

    // Added: its page, and the home page lists it; a waiting page hears of both.
    let gen = generation(&serve.get("/").text());
    let pending = serve.poll(gen);
    site.write(
        "content/posts/새-글.md",
        post(
            "새로 쓴 글",
            "2025-01-05T09:00:00+09:00",
            "일지",
            "",
            "새 본문.",
        ),
    );
    serve.rebuilt("content/posts/새-글.md");
    let pages = poll_pages(&join(pending));
    assert!(
        pages.contains("/posts/새-글/") && pages.contains("/"),
        "{pages:?}"
    );
    assert!(serve.page("/posts/새-글/").text().contains("새 본문."));
    assert!(serve.get("/").text().contains("새로 쓴 글"));

    // Deleted: 404, and gone from the lists.
    let gen = generation(&serve.get("/").text());
    let pending = serve.poll(gen);
    fs::remove_file(site.root().join("content/posts/second.md")).expect("delete a post");
    serve.rebuilt("content/posts/second.md");
    let pages = poll_pages(&join(pending));
    assert!(
        pages.contains("/posts/second/"),
        "a removed page reloads: {pages:?}"
    );
    assert_eq!(serve.page("/posts/second/").status, 404);
    assert!(!serve.get("/").text().contains("두 번째 글"));
    assert!(!serve.page("/posts/새-글/").text().contains("두 번째 글"));

    // Renamed: the old address is gone, the new one serves it.
    fs::rename(
        site.root().join("content/posts/other.md"),
        site.root().join("content/posts/다른-이야기.md"),
    )
    .expect("rename a post");
    serve.rebuilt("content/posts/다른-이야기.md");
    serve.settle();
    assert_eq!(serve.page("/posts/other/").status, 404);
    let renamed = serve.page("/posts/다른-이야기/");
    assert_eq!(renamed.status, 200);
    assert!(renamed.text().contains("다른 카테고리의 본문."));
    let home = serve.get("/").text();
    assert!(links_to(&home, "/posts/").contains(&percent("/posts/다른-이야기/")));
    assert!(!links_to(&home, "/posts/").contains(&"/posts/other/".to_owned()));
}

fn bundle(title: &str) -> String {
    post(
        title,
        "2025-01-06T09:00:00+09:00",
        "일지",
        "",
        "![그림](그림.png)",
    )
}

#[test]
fn a_post_bundle_folder_added_while_serving_is_published() {
    let site = blog();
    let mut serve = Serve::start(&site);
    // A new folder with the post and an image beside it, as `cp -r` or a checkout makes it.
    site.write("content/posts/묶음/index.md", bundle("묶음 글"));
    site.write("content/posts/묶음/그림.png", png());
    serve.wait_page("/posts/묶음/", "the bundle's post", |r| r.status == 200);
    serve.wait_page("/posts/묶음/그림.png", "the bundle's image", |r| {
        r.status == 200 && r.body == png()
    });
    serve.wait_page("/", "the bundle listed", |r| r.text().contains("묶음 글"));
}

/// The blog with a post bundle `content/posts/묶음/` (index.md and an image), served.
fn serve_with_bundle() -> (Site, Serve) {
    let site = blog()
        .file("content/posts/묶음/index.md", bundle("묶음 글"))
        .file("content/posts/묶음/그림.png", png());
    let serve = Serve::start(&site);
    assert_eq!(serve.page("/posts/묶음/").status, 200);
    assert_eq!(serve.page("/posts/묶음/그림.png").body, png());
    (site, serve)
}

#[test]
fn a_post_bundle_folder_renamed_while_serving_moves_with_its_files() {
    let (site, mut serve) = serve_with_bundle();
    fs::rename(
        site.root().join("content/posts/묶음"),
        site.root().join("content/posts/새-묶음"),
    )
    .expect("rename the bundle folder");
    serve.wait_page("/posts/새-묶음/", "the renamed bundle", |r| {
        r.status == 200
    });
    serve.wait_page("/posts/새-묶음/그림.png", "the moved image", |r| {
        r.status == 200 && r.body == png()
    });
    serve.wait_page("/posts/묶음/", "the old address gone", |r| {
        r.status == 404
    });
    serve.settle();
    assert_eq!(
        serve.page("/posts/묶음/그림.png").status,
        404,
        "the old folder's image is still served (a fresh build has no such file)"
    );
}

#[test]
fn a_post_bundle_folder_deleted_while_serving_is_gone_with_its_files() {
    let (site, mut serve) = serve_with_bundle();
    fs::remove_dir_all(site.root().join("content/posts/묶음")).expect("delete the bundle");
    serve.wait_page("/posts/묶음/", "the deleted bundle gone", |r| {
        r.status == 404
    });
    serve.wait_page("/", "the bundle no longer listed", |r| {
        !r.text().contains("묶음 글")
    });
    serve.settle();
    assert_eq!(
        serve.page("/posts/묶음/그림.png").status,
        404,
        "the deleted bundle's image is still served (a fresh build has no such file)"
    );
}

#[test]
fn a_templates_folder_created_while_serving_is_watched() {
    let site = blog();
    let mut serve = Serve::start(&site);
    assert!(!site.root().join("templates").exists());
    let theme_post = fs::read_to_string(site.root().join("themes/default/templates/post.html"))
        .expect("the theme's post template");

    site.write(
        "templates/post.html",
        theme_post.replace(
            "<article class=\"post\">",
            "<article class=\"post\" data-override=\"1\">",
        ),
    );
    serve.wait_page(FIRST_URL, "the override", |r| {
        r.text().contains("data-override=\"1\"")
    });
    serve.settle();

    // The new folder's files are watched from now on.
    site.write(
        "templates/post.html",
        theme_post.replace(
            "<article class=\"post\">",
            "<article class=\"post\" data-override=\"2\">",
        ),
    );
    serve.rebuilt("templates/post.html");
    serve.wait_page(FIRST_URL, "the edited override", |r| {
        r.text().contains("data-override=\"2\"")
    });
}
