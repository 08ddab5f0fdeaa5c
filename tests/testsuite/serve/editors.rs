//! How editors save: their temporary and swap files trigger no rebuild, saves by rename
//! (Vim, JetBrains, a hidden temporary file) and a delete then re-create are picked up.

use std::fs;

use super::{blog, first_post, FIRST, FIRST_URL};
use crate::support::serve::Serve;

#[test]
fn editor_temp_and_swap_files_trigger_no_rebuild() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let posts = site.root().join("content/posts");
    let leftovers = [
        ".첫-글.md.swp",
        ".첫-글.md.swx",
        ".첫-글.md.swo",
        "첫-글.md~",
        "#첫-글.md#",
        "4913",
        ".첫-글.md.tmp",
    ];
    for name in leftovers {
        fs::write(posts.join(name), "임시").expect("an editor's file");
    }
    for name in leftovers {
        fs::write(posts.join(name), "임시 2").expect("edit it");
    }
    for name in leftovers {
        fs::remove_file(posts.join(name)).expect("remove it");
    }
    let rebuilds = serve.settle();
    assert!(
        rebuilds.is_empty(),
        "editor leftovers caused rebuilds: {rebuilds:?}"
    );

    // The real save is heard, and names only the post.
    site.write(FIRST, first_post("첫 글", "저장된 본문."));
    let line = serve.rebuilt(FIRST);
    for name in leftovers {
        assert!(!line.contains(name), "{line}");
    }
    assert!(serve.page(FIRST_URL).text().contains("저장된 본문."));
}

#[test]
fn atomic_saves_by_rename_are_picked_up() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let posts = site.root().join("content/posts");
    let target = posts.join("첫-글.md");

    // Write a hidden temporary file, then rename it over the post.
    let tmp = posts.join(".첫-글.md.tmp1234");
    fs::write(&tmp, first_post("첫 글", "임시 파일을 옮긴 본문.")).expect("temp file");
    fs::rename(&tmp, &target).expect("rename over the post");
    serve.rebuilt(FIRST);
    serve.wait_page(FIRST_URL, "the renamed-over text", |r| {
        r.text().contains("임시 파일을 옮긴 본문.")
    });
    serve.settle();

    // Vim (backupcopy=no): probe file 4913, the post renamed to a backup, a new file
    // written, the backup removed.
    fs::write(posts.join("4913"), "").expect("vim's probe");
    fs::remove_file(posts.join("4913")).expect("vim's probe removed");
    fs::rename(&target, posts.join("첫-글.md~")).expect("vim's backup");
    fs::write(&target, first_post("첫 글", "빔으로 저장한 본문.")).expect("vim's write");
    fs::remove_file(posts.join("첫-글.md~")).expect("vim removes the backup");
    serve.rebuilt(FIRST);
    serve.wait_page(FIRST_URL, "vim's text", |r| {
        r.status == 200 && r.text().contains("빔으로 저장한 본문.")
    });
    serve.settle();

    // JetBrains' safe write: a ___jb_tmp___ file, the post renamed to ___jb_old___, the
    // temp renamed to the post, the old one removed.
    let jb_tmp = posts.join("첫-글.md___jb_tmp___");
    let jb_old = posts.join("첫-글.md___jb_old___");
    fs::write(&jb_tmp, first_post("첫 글", "젯브레인즈로 저장한 본문.")).expect("jb tmp");
    fs::rename(&target, &jb_old).expect("jb old");
    fs::rename(&jb_tmp, &target).expect("jb tmp to the post");
    fs::remove_file(&jb_old).expect("jb removes the old");
    serve.rebuilt(FIRST);
    serve.wait_page(FIRST_URL, "JetBrains' text", |r| {
        r.status == 200 && r.text().contains("젯브레인즈로 저장한 본문.")
    });
    serve.settle();

    assert!(
        !serve.log.iter().any(|l| l.contains("→ error")),
        "a save by rename broke a build\n{}",
        serve.shown()
    );
    // Nothing of the editors' files was published.
    assert_eq!(serve.page("/posts/첫-글.md___jb_tmp___").status, 404);
    assert_eq!(serve.page("/posts/첫-글.md~").status, 404);
    assert!(serve.get("/").text().contains("젯브레인즈로 저장한 본문."));
}

#[test]
fn a_file_deleted_and_recreated_is_picked_up() {
    let site = blog();
    let mut serve = Serve::start(&site);
    let target = site.root().join(FIRST);

    // At once, as some editors save.
    fs::remove_file(&target).expect("delete the post");
    fs::write(&target, first_post("첫 글", "바로 다시 만든 본문.")).expect("recreate it");
    serve.wait_page(FIRST_URL, "the recreated text", |r| {
        r.status == 200 && r.text().contains("바로 다시 만든 본문.")
    });
    serve.settle();

    // With a rebuild in between: the page goes, then comes back.
    fs::remove_file(&target).expect("delete the post");
    serve.rebuilt(FIRST);
    assert_eq!(serve.page(FIRST_URL).status, 404);
    assert!(!serve.get("/").text().contains("첫 글"));
    fs::write(&target, first_post("첫 글", "나중에 다시 만든 본문.")).expect("recreate it");
    serve.rebuilt(FIRST);
    let page = serve.page(FIRST_URL);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("나중에 다시 만든 본문."));
    assert!(serve.get("/").text().contains("첫 글"));
}
