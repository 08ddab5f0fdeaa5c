//! The folders of a Jekyll site that its posts link into. Jekyll publishes every folder of
//! the site that is not hidden or `_`-named; writers keep their pictures in `public/`,
//! `static/` or a folder named after the blog, and link them as `/public/x.png`. Besides the
//! usual asset folders (always copied), a top-level folder is copied into ilji's `static/`
//! when a post or page links into it, so those links keep working.

use std::path::Path;

use crate::import::Post;

/// Files Jekyll itself turns into something else: not copied as they are.
const PROCESSED: [&str; 4] = ["md", "markdown", "scss", "sass"];

/// The top-level folders of the site at `root` that a body of `posts` links into
/// (`](/public/…`, `src="/public/…"`), leaving out those in `skip`, sorted by name.
pub(super) fn linked_folders(root: &Path, posts: &[Post], skip: &[&str]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut folders: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with(['_', '.']) && !skip.contains(&name.as_str()))
        .filter(|name| posts.iter().any(|p| links_into(&p.body, name)))
        .collect();
    folders.sort();
    folders
}

/// Whether `body` holds a site-relative link into the top-level folder `name`: `/name/`
/// right after `(`, a quote, `=`, `<` or white space (so `https://name/` and `a/name/` do
/// not count).
fn links_into(body: &str, name: &str) -> bool {
    let needle = format!("/{name}/");
    body.match_indices(&needle).any(|(at, _)| {
        at == 0
            || matches!(
                body.as_bytes()[at - 1],
                b'(' | b'"' | b'\'' | b'=' | b'<' | b' ' | b'\t' | b'\n'
            )
    })
}

/// Whether a file of a linked folder is published as it is: not a file Jekyll converts
/// (Markdown, Sass) nor one with front matter (a page Jekyll renders).
pub(super) fn is_plain_file(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if PROCESSED.iter().any(|p| ext.eq_ignore_ascii_case(p)) {
        return false;
    }
    let mut head = [0u8; 4];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    !head[..read].starts_with(b"---")
}

/// Whether Jekyll leaves out the file at `rel` (relative to the site, `/`-separated) by the
/// `exclude:` list of `_config.yml`, as its `EntryFilter` does while it walks the site from
/// the top: a folder or file whose path starts with an entry (`/test` and `test` alike, as
/// strings, so `test` also leaves out `test.js`) or matches it as a `File.fnmatch` pattern
/// (`*.sublime-project`; `*` also crosses `/`) is skipped with everything below it.
pub(super) fn excluded(rel: &str, exclude: &[String]) -> bool {
    let ancestors = rel
        .match_indices('/')
        .map(|(i, _)| &rel[..i])
        .chain(std::iter::once(rel));
    let patterns: Vec<&str> = exclude
        .iter()
        .map(|p| p.trim().trim_start_matches("./").trim_start_matches('/'))
        .filter(|p| !p.is_empty())
        .collect();
    ancestors.into_iter().any(|path| {
        patterns
            .iter()
            .any(|p| path.starts_with(p) || fnmatch(p, path))
    })
}

/// Ruby's `File.fnmatch(pattern, path)` without flags, for `*` and `?` (a `[...]` class is
/// taken literally).
fn fnmatch(pattern: &str, path: &str) -> bool {
    let (p, s): (Vec<char>, Vec<char>) = (pattern.chars().collect(), path.chars().collect());
    // The classic greedy match with one backtrack point.
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(at) = star {
            pi = at + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::{excluded, links_into};

    #[test]
    fn exclude_leaves_out_what_jekylls_entry_filter_does() {
        let exclude: Vec<String> = ["/docs", "test", "*.sublime-project", "assets/js/plugins"]
            .map(str::to_owned)
            .to_vec();
        for rel in [
            "docs/_posts/2010-01-01-a.md",
            "test/_posts/2010-01-01-b.md",
            "test.js",
            "my.sublime-project",
            "assets/js/plugins/x.js",
        ] {
            assert!(excluded(rel, &exclude), "{rel}");
        }
        for rel in [
            "_posts/2020-01-01-c.md",
            "assets/js/main.js",
            "mydocs/x.md",
            "a/test/x.md",
        ] {
            assert!(!excluded(rel, &exclude), "{rel}");
        }
    }

    #[test]
    fn a_link_into_the_folder_counts_only_from_the_sites_root() {
        assert!(links_into("![그림](/public/a.png)", "public"));
        assert!(links_into("<img src=\"/public/a.png\">", "public"));
        assert!(links_into("[a]: /public/x.pdf", "public"));
        assert!(links_into("/public/a.png 참고", "public"));
        assert!(!links_into("https://public/a.png", "public"));
        assert!(!links_into("](blog/public/a.png)", "public"));
        assert!(!links_into("](/publication/a.png)", "public"));
    }
}
