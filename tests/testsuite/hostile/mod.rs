//! A site from a stranger: values in content that try to make ilji write, delete or read
//! outside the site and its output (aliases with `..`, an `--output` inside the sources,
//! links out of the site), run through the real binary in `build`, `check`, `serve` and
//! `import` in a [`Sandbox`], a site four folders deep with files above it that no run may
//! touch. Each test asserts that nothing outside the output folder changes, and compares the
//! whole error messages with golden files of `tests/fixtures/hostile/`. The property tests
//! that generate such sites are in [`generated`].

mod generated;

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::support::sandbox::{changes, Sandbox};
use crate::support::serve::{Limits, Serve, START_TIMEOUT};
use crate::support::{post, run_bounded, Transcript};

/// How long one run may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(60);

/// The post: aliases that climb to site.yaml, another post, and a file four folders
/// above the site.
const CLIMBING: &str = "---\ntitle: A\ndate: 2025-01-01\ncategory: x\naliases: [\"../site.yaml\", \"../content/about.md\", \"../../../../victim.txt\"]\n---\n본문\n";

#[test]
fn aliases_that_climb_out_are_errors_and_nothing_outside_changes() {
    let sandbox = Sandbox::new();
    sandbox.ilji(["build", "-q"]).run();
    sandbox.write("content/posts/evil.md", CLIMBING);
    let before = sandbox.everything();
    let out = sandbox
        .ilji(["build"])
        .failure()
        .stderr_golden("hostile/climbing-aliases.stderr")
        .run();
    assert!(out.stderr.len() < 1500, "brief: {}", out.stderr);
    assert_eq!(
        changes(&before, &sandbox.everything()),
        Vec::<String>::new()
    );

    // `check` says the same, and writes nothing either.
    sandbox
        .ilji(["check"])
        .failure()
        .stderr_golden("hostile/climbing-aliases-check.stderr")
        .run();
    assert_eq!(
        changes(&before, &sandbox.everything()),
        Vec::<String>::new()
    );

    // A standalone page is held to the same rule, for every spelling of the climb.
    fs::remove_file(sandbox.site().join("content/posts/evil.md")).expect("remove");
    let mut transcript = Transcript::new();
    for alias in [
        "/%2e%2e/%2e%2e/victim.txt",
        "..\\\\..\\\\victim.txt",
        "/a/../../victim.txt",
    ] {
        sandbox.write(
            "content/company/history.md",
            format!("---\ntitle: 연혁\naliases:\n  - /old/\n  - \"{alias}\"\n---\n"),
        );
        let before = sandbox.everything();
        transcript.push(&sandbox.ilji(["build"]).failure().run());
        assert_eq!(
            changes(&before, &sandbox.everything()),
            Vec::<String>::new(),
            "{alias}"
        );
    }
    transcript.assert("hostile/climbing-page-aliases.stderr");
}

#[test]
fn serve_refuses_climbing_aliases_at_start_and_on_a_save() {
    let sandbox = Sandbox::new();
    sandbox.write("content/posts/evil.md", CLIMBING);
    let before = sandbox.outside_output();
    let mut serve = Serve::launch(&sandbox.site(), &[], &Limits::default());
    let logged = |text: &'static str| move |line: &str| line.contains(text);
    serve.wait_log(
        "refusing the climbing alias at start",
        START_TIMEOUT,
        logged("content/posts/evil.md:5:12: the alias `../site.yaml` cannot be published"),
    );
    // Fixed, then broken again by a save while it serves.
    sandbox.write(
        "content/posts/evil.md",
        post("A", "2025-01-01", "x", "", "고친 본문."),
    );
    serve.wait_log(
        "the fixed post built",
        START_TIMEOUT,
        logged("page(s) rendered"),
    );
    sandbox.write("content/posts/evil.md", CLIMBING);
    serve.wait_log(
        "refusing the climbing alias on a save",
        START_TIMEOUT,
        logged("the alias `../../../../victim.txt` cannot be published"),
    );
    drop(serve);
    let after = sandbox.outside_output();
    let changed: Vec<String> = changes(&before, &after)
        .into_iter()
        .filter(|c| !c.ends_with("content/posts/evil.md"))
        .collect();
    assert_eq!(changed, Vec::<String>::new());
}

#[test]
fn import_refuses_old_addresses_that_climb_out() {
    let sandbox = Sandbox::new();
    let hugo = sandbox.dir().join("old-hugo");
    fs::create_dir_all(hugo.join("content/posts")).expect("a Hugo site");
    fs::write(
        hugo.join("content/posts/evil.md"),
        "+++\ntitle = \"A\"\ndate = 2021-03-04\nurl = \"../../../../victim.txt\"\n+++\n본문\n",
    )
    .expect("a Hugo post");
    fs::write(
        hugo.join("content/posts/evil2.md"),
        "---\ntitle: B\ndate: 2021-03-05\naliases:\n  - /fine/\n  - ../../../site.yaml\n---\n본문\n",
    )
    .expect("a Hugo post");
    fs::write(
        hugo.join("content/posts/good.md"),
        "---\ntitle: C\ndate: 2021-03-06\n---\n본문\n",
    )
    .expect("a Hugo post");
    let before = sandbox.outside_output();
    let hugo_arg = hugo.to_str().expect("UTF-8");
    sandbox
        .ilji(["import", hugo_arg])
        .failure()
        .stdout_has("2 values refused")
        .stderr_golden("hostile/import-climbing-addresses.stderr")
        .run();
    let changed = changes(&before, &sandbox.outside_output());
    assert_eq!(
        changed,
        [
            "new: a/b/c/d/site/content/posts/2021-03-06-good.md",
            // Its old feed and list addresses, under `redirects:`.
            "changed: a/b/c/d/site/site.yaml"
        ],
        "only the sound post is written"
    );
    sandbox.ilji(["build", "-q"]).run();
    assert_eq!(
        changes(&before, &sandbox.outside_output()),
        [
            "new: a/b/c/d/site/content/posts/2021-03-06-good.md",
            "changed: a/b/c/d/site/site.yaml"
        ]
    );
}

#[test]
fn an_old_blogs_config_nested_too_deep_is_read_as_unreadable_not_for_minutes() {
    let sandbox = Sandbox::new();
    for (dialect, config, post) in [
        ("jekyll", "_config.yml", "_posts/2021-01-02-a.md"),
        ("hugo", "config.yaml", "content/posts/a.md"),
    ] {
        let old = sandbox.dir().join(dialect);
        fs::create_dir_all(old.join(post).parent().expect("a folder")).expect("an old blog");
        // serde_yaml takes minutes over this; ilji's nesting check, a moment.
        let deep = format!("permalink: /x/\nx: {}\n", "[".repeat(300_000));
        fs::write(old.join(config), deep).expect("a config");
        fs::write(
            old.join(post),
            "---\ntitle: 글\ndate: 2021-01-02\n---\n본문\n",
        )
        .expect("a post");
        let (status, stderr) = run_bounded(
            &sandbox.site(),
            &["import", old.to_str().expect("UTF-8")],
            HANG,
        );
        assert_eq!(status, Some(0), "{dialect}: {stderr}");
    }
    assert!(sandbox
        .site()
        .join("content/posts/2021-01-02-a.md")
        .is_file());
}

#[test]
fn outputs_in_the_sites_own_inputs_are_usage_errors() {
    let sandbox = Sandbox::new();
    sandbox.write("static/logo.txt", "로고");
    sandbox.write("templates/partials/.keep", "");
    let before = sandbox.everything();
    let mut transcript = Transcript::new();
    for output in [
        "templates",
        "static",
        "themes",
        "themes/default",
        "content",
        "content/posts",
        "content/new",
        "site.yaml",
        ".",
        "..",
    ] {
        for _ in 0..2 {
            // Twice: the second build is the one that used to delete the folder's files.
            transcript.push(&sandbox.ilji(["build", "--output", output]).status(2).run());
        }
        assert_eq!(
            changes(&before, &sandbox.everything()),
            Vec::<String>::new(),
            "{output}"
        );
    }
    #[cfg(unix)]
    for target in ["templates", "static", "themes/default/templates"] {
        let link = sandbox.site().join("public");
        std::os::unix::fs::symlink(sandbox.site().join(target), &link).expect("a link");
        let before = sandbox.everything();
        for _ in 0..2 {
            transcript.push(&sandbox.ilji(["build"]).failure().run());
        }
        assert_eq!(
            changes(&before, &sandbox.everything()),
            Vec::<String>::new(),
            "{target}"
        );
        fs::remove_file(link).expect("remove the link");
    }
    transcript.assert("hostile/outputs-in-inputs.stderr");
}

#[test]
fn names_no_file_system_holds_are_errors_naming_the_post_and_field() {
    let long = "가".repeat(100);
    let mut transcript = Transcript::new();
    for front in [
        format!("slug: {long}"),
        format!("tags: [{long}]"),
        "aliases: [\"a\\0b\"]".to_owned(),
        "aliases: [\".\"]".to_owned(),
        "aliases: [\"..\"]".to_owned(),
        "aliases: [/]".to_owned(),
        "aliases: [/index.html/]".to_owned(),
        format!("aliases: [/{long}/]"),
    ] {
        let sandbox = Sandbox::new();
        sandbox.write(
            "content/posts/x.md",
            post("제목", "2025-01-01", "일지", &front, "본문"),
        );
        let out = sandbox.ilji(["build"]).failure().run();
        assert!(out.stderr.len() < 600, "brief: {}", out.stderr);
        transcript.push(&out);
    }
    // Files whose names Linux holds but a published site cannot.
    for name in [
        "static/a\\..\\b.txt",
        "static/line\nbreak.txt",
        "content/posts/b/ph\u{1b}oto.jpg",
    ] {
        let sandbox = Sandbox::new();
        sandbox.write(
            "content/posts/b/index.md",
            post("묶음", "2025-01-02", "일지", "", "본문"),
        );
        sandbox.write(name, "파일");
        transcript.push(&sandbox.ilji(["build"]).failure().run());
    }
    let sandbox = Sandbox::new();
    sandbox.write(
        "content/posts/x.md",
        post("제목", "2025-01-01", &long, "", "본문"),
    );
    transcript.push(&sandbox.ilji(["build"]).failure().run());
    transcript.assert("hostile/names-no-file-system-holds.stderr");
}

#[test]
fn a_file_where_a_page_needs_a_folder_is_a_clash_naming_both() {
    let sandbox = Sandbox::new();
    sandbox.write("static/company", "회사 소개 파일");
    sandbox.write("content/company/history.md", "---\ntitle: 연혁\n---\n");
    let before = sandbox.everything();
    sandbox
        .ilji(["build"])
        .failure()
        .stderr_golden("hostile/file-where-a-folder-is-needed.stderr")
        .run();
    assert_eq!(
        changes(&before, &sandbox.everything()),
        Vec::<String>::new()
    );
}

#[cfg(unix)]
#[test]
fn inputs_linked_outside_the_site_are_refused() {
    let sandbox = Sandbox::new();
    let secrets = sandbox.dir().join("secrets");
    fs::create_dir_all(&secrets).expect("a folder outside");
    fs::write(secrets.join("id_rsa"), "PRIVATE KEY").expect("a secret");
    fs::write(secrets.join("site.yaml"), "title: 남의 설정\n").expect("a config");
    let link = |target: &Path, rel: &str| {
        let path = sandbox.site().join(rel);
        let _ = fs::remove_file(&path);
        let _ = fs::remove_dir_all(&path);
        std::os::unix::fs::symlink(target, path).expect("a link");
    };
    let mut transcript = Transcript::new();
    link(&secrets, "static");
    transcript.push(&sandbox.ilji(["build"]).failure().run());
    assert!(!sandbox.site().join("public").exists());
    fs::remove_file(sandbox.site().join("static")).expect("unlink");

    link(&secrets.join("site.yaml"), "site.yaml");
    transcript.push(&sandbox.ilji(["build"]).failure().run());
    fs::remove_file(sandbox.site().join("site.yaml")).expect("unlink");
    sandbox.write("site.yaml", "theme: ../../../../../secrets\n");
    transcript.push(&sandbox.ilji(["build"]).failure().run());
    assert!(!sandbox.site().join("public").exists());
    transcript.assert("hostile/inputs-linked-outside.stderr");
}
