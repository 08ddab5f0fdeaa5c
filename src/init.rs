//! `ilji init DIR`: a new site that builds at once — site.yaml with every key explained in
//! Korean and English, the default theme (built into the binary), an example post and an
//! about page. It refuses a folder with files in it unless forced, and never overwrites.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::{Diagnostic, Error, Result};

/// The default theme, as the binary carries it (a test checks it matches themes/default/).
pub const DEFAULT_THEME: &[(&str, &str)] = &[
    (
        "static/search.js",
        include_str!("../themes/default/static/search.js"),
    ),
    (
        "static/style.css",
        include_str!("../themes/default/static/style.css"),
    ),
    (
        "strings/en.yaml",
        include_str!("../themes/default/strings/en.yaml"),
    ),
    (
        "strings/ko.yaml",
        include_str!("../themes/default/strings/ko.yaml"),
    ),
    (
        "templates/404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "templates/archive.html",
        include_str!("../themes/default/templates/archive.html"),
    ),
    (
        "templates/base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "templates/category.html",
        include_str!("../themes/default/templates/category.html"),
    ),
    (
        "templates/index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "templates/page.html",
        include_str!("../themes/default/templates/page.html"),
    ),
    (
        "templates/partials/category_nav.html",
        include_str!("../themes/default/templates/partials/category_nav.html"),
    ),
    (
        "templates/partials/comments.html",
        include_str!("../themes/default/templates/partials/comments.html"),
    ),
    (
        "templates/partials/entry.html",
        include_str!("../themes/default/templates/partials/entry.html"),
    ),
    (
        "templates/partials/entry_list.html",
        include_str!("../themes/default/templates/partials/entry_list.html"),
    ),
    (
        "templates/partials/other_post.html",
        include_str!("../themes/default/templates/partials/other_post.html"),
    ),
    (
        "templates/partials/pager.html",
        include_str!("../themes/default/templates/partials/pager.html"),
    ),
    (
        "templates/partials/site_nav.html",
        include_str!("../themes/default/templates/partials/site_nav.html"),
    ),
    (
        "templates/partials/tags.html",
        include_str!("../themes/default/templates/partials/tags.html"),
    ),
    (
        "templates/partials/toc.html",
        include_str!("../themes/default/templates/partials/toc.html"),
    ),
    (
        "templates/post.html",
        include_str!("../themes/default/templates/post.html"),
    ),
    (
        "templates/search.html",
        include_str!("../themes/default/templates/search.html"),
    ),
    (
        "templates/tag.html",
        include_str!("../themes/default/templates/tag.html"),
    ),
];

pub(crate) const SITE_YAML: &str = r#"# ilji 사이트 설정 / site settings. Every key is optional; the values shown are the defaults
# unless noted. 모든 항목은 생략할 수 있습니다.

# 블로그 이름 / the blog's name
title: "나의 운영 일지"
# 한 줄 소개 / one-line description (meta description, feeds)
description: "작은 가게를 꾸리며 배운 것들을 기록합니다."
# 글쓴이 / author (feeds, JSON-LD)
author: "글쓴이"
# 독자가 접속하는 주소 / the address readers use (feeds, sitemap, canonical links)
base_url: "http://127.0.0.1:4000"
# 언어 / language of the pages
language: ko
# 시간대: 오프셋 없는 날짜는 이 시간대로 읽고, 모든 날짜를 이 시간대로 보여 줍니다
# time zone: dates without an offset are read, and every date is shown, in this zone
timezone: Asia/Seoul
# 테마 (themes/ 아래 폴더) / theme (a folder under themes/)
theme: default
# 날짜 표시 형식 (strftime) / how dates are shown
date_format: "%Y.%m.%d"
# 목록 한 쪽의 글 수 / posts per list page
paginate: 10
# '카테고리의 다른 글' 목록 길이 / length of the "other posts in this category" list
other_posts: 8
# 피드에 넣을 글 수 / entries in each Atom feed
feed_limit: 20
# 테마가 쓰는 설정 / the theme's own settings, passed to templates as site.extra
extra: {}
# 옮겨 온 블로그의 옛 주소와 새 주소 (ilji import가 채웁니다)
# a moved blog's old addresses and where each leads now (ilji import fills them in)
# redirects:
#   /categories/맛집/: /category/맛집/
#   /feed.xml: /atom.xml
"#;

const ABOUT: &str = "---\ntitle: 소개\n---\n\n이 블로그를 소개하는 페이지입니다. `content/about.md`를 고쳐 쓰세요.\n";

/// The sample post `init` writes, dated `date`.
fn sample_post(date: &str) -> String {
    format!(
        "---\ntitle: \"첫 글: ilji로 블로그를 시작했습니다\"\ndate: {date}\ncategory: \"운영 일지\"\ntags: [시작]\n---\n\n예시 글입니다. `ilji new \"제목\"`으로 새 글을 쓰고, `ilji serve`로 쓰는 동안 미리 보세요.\n\n## 다음에 할 일\n\n- [ ] `site.yaml`의 제목과 주소 고치기\n- [ ] 첫 진짜 글 쓰기\n"
    )
}

/// Whether `text`, the content file at `rel` (relative to the site), is `init`'s sample post
/// or about page exactly as `init` wrote it: a placeholder an import may replace.
pub fn is_untouched_sample(rel: &Path, text: &str) -> bool {
    if rel == Path::new("content/about.md") {
        return text == ABOUT;
    }
    let is_sample_name = rel.parent() == Some(Path::new("content/posts"))
        && rel
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with("-hello.md"));
    let date = text.lines().nth(2).and_then(|l| l.strip_prefix("date: "));
    is_sample_name && date.is_some_and(|d| text == sample_post(d))
}

/// What `init` wrote and what it left alone.
#[derive(Debug, Default)]
pub struct InitReport {
    pub written: Vec<PathBuf>,
    /// Files that already existed and were kept (with `force`).
    pub kept: Vec<PathBuf>,
}

/// What a build writes, kept out of version control: the output and the folders its builds
/// keep beside it (`/public` and `/.public.ilji-*`).
fn gitignore() -> String {
    let output = crate::output::DEFAULT_DIR;
    format!("/{output}\n/{}*\n", crate::output::beside::prefix(output))
}

/// Creates a new site in `dir`.
pub fn init(dir: &Path, force: bool, now: DateTime<Utc>) -> Result<InitReport> {
    if dir.exists() && !force {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::new(dir, "this folder is not empty; nothing was written")
                .help("choose a new or empty folder, or pass --force to add the missing files (existing files are never overwritten)")
                .into());
        }
    }
    let date = now.with_timezone(&chrono_tz::Asia::Seoul);
    let post_name = format!("content/posts/{}-hello.md", date.format("%Y-%m-%d"));
    let post = sample_post(&date.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    let gitignore = gitignore();
    let mut files: Vec<(String, &str)> = vec![
        ("site.yaml".to_owned(), SITE_YAML),
        ("content/about.md".to_owned(), ABOUT),
        (post_name, post.as_str()),
        (".gitignore".to_owned(), gitignore.as_str()),
    ];
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(rel, text)| (format!("themes/default/{rel}"), *text)),
    );

    let mut report = InitReport::default();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if path.exists() {
            report.kept.push(PathBuf::from(rel));
            continue;
        }
        crate::fsutil::write_new(&path, &path, text.as_bytes())?;
        report.written.push(PathBuf::from(rel));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inits_own_sample_post_and_about_page_are_told_from_edited_ones() {
        let dir = tempfile::TempDir::new().unwrap();
        init(dir.path(), false, Utc::now()).unwrap();
        let posts = dir.path().join("content/posts");
        let name = std::fs::read_dir(&posts)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .file_name();
        let rel = Path::new("content/posts").join(&name);
        let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        assert!(is_untouched_sample(&rel, &text));
        assert!(!is_untouched_sample(
            &rel,
            &text.replace("예시 글", "진짜 글")
        ));
        assert!(!is_untouched_sample(Path::new("content/posts/x.md"), &text));
        assert!(is_untouched_sample(Path::new("content/about.md"), ABOUT));
        assert!(!is_untouched_sample(
            Path::new("content/about.md"),
            "---\ntitle: 소개\n---\n"
        ));
    }

    #[test]
    fn the_built_in_theme_is_the_repositorys_default_theme() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = crate::fsutil::files_below(&dir)
            .unwrap()
            .into_iter()
            .map(|(_, rel)| rel)
            .collect();
        let built_in: Vec<String> = DEFAULT_THEME
            .iter()
            .map(|(rel, _)| (*rel).to_owned())
            .collect();
        assert_eq!(built_in, on_disk, "update DEFAULT_THEME in src/init.rs");
    }

    #[test]
    fn git_ignores_the_output_and_what_its_builds_keep_beside_it() {
        assert_eq!(gitignore(), "/public\n/.public.ilji-*\n");
    }
}
