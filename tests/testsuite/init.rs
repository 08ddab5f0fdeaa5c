//! `ilji init`: a new site that builds at once, with a site.yaml that explains every key
//! and a .gitignore of what builds write; a folder with files refused, and `--force` that
//! never writes over a file.

use tempfile::TempDir;

use crate::support::Run;

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
        .stderr_golden("init/not-empty.stderr")
        .run();
    assert!(!tmp.path().join("content").exists(), "nothing written");
    Run::new(tmp.path())
        .args(["init", ".", "--force"])
        .stderr_golden("init/force.stderr")
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
