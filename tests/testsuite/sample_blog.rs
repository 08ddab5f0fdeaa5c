//! The repository's own sample blog, built into a temporary folder (the repository is not
//! written to): the "other posts" lists its seeds print, and the default theme's pages
//! checked with the W3C Nu HTML checker beside the fixture `sample_blog/features` (what the
//! sample lacks) and a page broken on purpose (`sample_blog/broken.html`).

use std::path::PathBuf;

use tempfile::TempDir;

use crate::support::{category_others, fixture, repo_root, tool_is_installed, Run, Site};

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
    let features = Site::fixture("sample_blog/features");
    features.ilji(["build", "--drafts"]).run();
    assert!(
        features.page("/posts/c/").contains("초안"),
        "the draft was published"
    );

    // The theme's English words (theme_strings/en) must be valid HTML too.
    let english = Site::fixture("theme_strings/en");
    english.ilji(["build", "--drafts"]).run();
    let broken_page = fixture("sample_blog/broken.html");

    let checked = [
        sample.path().join("public"),
        features.root().join("public"),
        english.root().join("public"),
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
