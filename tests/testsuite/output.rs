//! Where and how a build writes (README "Where a build writes"): static files copied, the
//! site's over the theme's; a rebuild that replaces the whole output as a fresh build would,
//! over the spare it keeps beside it, never following a link out; a build that fails or is
//! interrupted (Ctrl-C) leaving the output and the spare as they were; what interrupted
//! builds left cleared away; an output that is a link.

use std::collections::BTreeMap;

use crate::support::{assert_output_kept, built_good_site, post, repo_root, Site, Transcript};

#[test]
fn static_files_are_copied_and_the_sites_own_override_the_themes_file_by_file() {
    let site = Site::fixture("sites/one-post")
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
        .stderr_golden("output/fails-while-writing.stderr")
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
pub(crate) fn big_site(site_yaml: &str) -> Site {
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
    let mut transcript = Transcript::new();
    for output in ["out", "into-content/site"] {
        transcript.push(&site.ilji(["build", "--output", output]).status(2).run());
    }
    transcript.assert("output/link-to-the-site.stderr");
    assert!(root.join("content/posts/a.md").is_file());
    assert_output_kept(&site, &before);
}
