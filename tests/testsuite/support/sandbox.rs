//! A site four folders deep in a sandbox ([`Sandbox`]), with a file at every level above it
//! that no run may touch, and a record of a tree ([`Tree`]: every file's bytes and time) to
//! show what a run changed ([`changes`]).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tempfile::TempDir;

use super::{copy_dir, post, repo_root, Run};

/// A site four folders deep in a sandbox, with a file at every level above it that no build
/// may touch: `sandbox/victim.txt`, `sandbox/a/victim.txt`, … `sandbox/a/b/c/d/site/`.
pub struct Sandbox {
    dir: TempDir,
}

/// Every file and folder of a tree with what it holds and when it was last written: a
/// rewrite with the same bytes shows too.
pub type Tree = BTreeMap<PathBuf, (Vec<u8>, Option<SystemTime>)>;

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = TempDir::new().expect("a sandbox folder");
        let site = dir.path().join("a/b/c/d/site");
        copy_dir(
            &repo_root().join("themes/default"),
            &site.join("themes/default"),
        );
        let mut level = dir.path().to_path_buf();
        for part in ["", "a", "b", "c", "d"] {
            level.push(part);
            fs::write(level.join("victim.txt"), "아무도 건드리면 안 되는 파일\n").expect("victim");
        }
        fs::write(site.join("site.yaml"), "title: 낯선 사람의 블로그\n").expect("site.yaml");
        let sandbox = Sandbox { dir };
        sandbox.write("content/about.md", "---\ntitle: 소개\n---\n소개 글.\n");
        sandbox.write(
            "content/posts/fine.md",
            post("멀쩡한 글", "2025-01-01", "일지", "", "본문."),
        );
        sandbox
    }

    /// The sandbox's own folder, above the site.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn site(&self) -> PathBuf {
        self.dir.path().join("a/b/c/d/site")
    }

    /// Writes a file of the site (`rel` relative to the site's folder).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.site().join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        fs::write(path, contents).expect("a site file");
    }

    /// Everything in the sandbox but the output and what a build keeps beside it (its spare
    /// and staging folders).
    pub fn outside_output(&self) -> Tree {
        let site = self.site();
        let skip = |p: &Path| {
            p == site.join("public")
                || p.parent() == Some(site.as_path())
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(".public.ilji-"))
        };
        tree(self.dir.path(), &skip)
    }

    /// Everything in the sandbox, the output included (for `check`, which writes nothing).
    pub fn everything(&self) -> Tree {
        tree(self.dir.path(), &|_| false)
    }

    pub fn ilji<'a>(&self, args: impl IntoIterator<Item = &'a str>) -> Run {
        Run::new(&self.site())
            .redact(self.dir(), "[SANDBOX]")
            .args(args)
    }
}

pub fn tree(root: &Path, skip: &dyn Fn(&Path) -> bool) -> Tree {
    fn walk(root: &Path, dir: &Path, skip: &dyn Fn(&Path) -> bool, out: &mut Tree) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if skip(&path) {
                continue;
            }
            let meta = fs::symlink_metadata(&path).expect("metadata");
            let rel = path
                .strip_prefix(root)
                .expect("below the root")
                .to_path_buf();
            if meta.is_dir() {
                out.insert(rel, (Vec::new(), None));
                walk(root, &path, skip, out);
            } else {
                let bytes = if meta.is_file() {
                    fs::read(&path).expect("a file")
                } else {
                    fs::read_link(&path)
                        .map(|t| t.into_os_string().into_encoded_bytes())
                        .unwrap_or_default()
                };
                out.insert(rel, (bytes, meta.modified().ok()));
            }
        }
    }
    let mut out = Tree::new();
    walk(root, root, skip, &mut out);
    out
}

/// What changed between two trees, in a few lines.
pub fn changes(before: &Tree, after: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    for (path, v) in after {
        match before.get(path) {
            None => out.push(format!("new: {}", path.display())),
            Some(old) if old != v => out.push(format!("changed: {}", path.display())),
            _ => {}
        }
    }
    out.extend(
        before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .map(|p| format!("gone: {}", p.display())),
    );
    out
}
