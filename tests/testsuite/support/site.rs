//! A site in a temporary folder ([`Site`]): made from a fixture folder of
//! `tests/fixtures/` (with the repository's `themes/` beside it unless the fixture brings its
//! own) or file by file, changed by the test, built by the real binary, and read back from
//! `public/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::{fixture, repo_root, Run};

/// A site in a temporary folder, removed when dropped.
pub struct Site {
    dir: TempDir,
}

impl Site {
    /// An empty site (no site.yaml, no content) with the repository's `themes/`.
    pub fn new() -> Site {
        let dir = TempDir::new().expect("create a temporary site folder");
        copy_dir(&repo_root().join("themes"), &dir.path().join("themes"));
        Site { dir }
    }

    /// A copy of the fixture site `tests/fixtures/<name>/`, with the repository's `themes/`
    /// when the fixture has none of its own.
    pub fn fixture(name: &str) -> Site {
        let from = fixture(name);
        assert!(from.is_dir(), "no fixture site {}", from.display());
        let dir = TempDir::new().expect("create a temporary site folder");
        copy_dir(&from, dir.path());
        if !from.join("themes").exists() {
            copy_dir(&repo_root().join("themes"), &dir.path().join("themes"));
        }
        Site { dir }
    }

    /// Adds a file (`/`-separated path relative to the site root).
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Site {
        self.write(path, contents);
        self
    }

    /// Writes (or replaces) a file after the site was made, e.g. to break it.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let path = self.root().join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create the file's folder");
        }
        fs::write(&path, contents).expect("write a fixture file");
    }

    /// Adds `text` at the end of a file of the site (a setting to site.yaml).
    pub fn append(self, path: &str, text: &str) -> Site {
        let mut contents = fs::read_to_string(self.root().join(path)).unwrap_or_default();
        contents.push_str(text);
        self.file(path, contents)
    }

    /// Lays the files of the fixture folder `tests/fixtures/<name>/` over the site, replacing
    /// those of the same name (a case that breaks a good site).
    pub fn overlay(&self, name: &str) {
        let from = fixture(name);
        assert!(from.is_dir(), "no fixture folder {}", from.display());
        copy_dir(&from, self.root());
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `ilji <args>` run in the site's folder, expected to succeed unless told otherwise.
    pub fn ilji<'a>(&self, args: impl IntoIterator<Item = &'a str>) -> Run {
        Run::new(self.root()).args(args)
    }

    /// `ilji build`.
    pub fn build(&self) -> Run {
        self.ilji(["build"])
    }

    /// A published file (`/`-separated, relative to `public/`), as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.root().join("public").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The HTML published for a root-relative URL path such as `/posts/a/` (not encoded).
    pub fn page(&self, url_path: &str) -> String {
        self.read(&index_file(url_path))
    }

    /// Whether a URL path such as `/page/4/` was published.
    pub fn has_page(&self, url_path: &str) -> bool {
        self.has(&index_file(url_path))
    }

    /// Whether a file (relative to `public/`) was published.
    pub fn has(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).is_file()
    }

    /// Every file of `public/` with its bytes, to compare two moments of the output.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.root().join("public"))
    }

    /// Names of the entries of the site's folder that a build left behind as staging.
    pub fn staging_leftovers(&self) -> Vec<String> {
        fs::read_dir(self.root())
            .expect("list the site folder")
            .map(|e| e.expect("read a folder entry").file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n.contains("ilji-staging"))
            .collect()
    }
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

fn index_file(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    format!("{trimmed}index.html")
}

/// Copies the folder `from` to `to`, what it holds included.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder of the copy");
    for entry in fs::read_dir(from).expect("list a folder to copy") {
        let entry = entry.expect("read a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// Every file below `dir` (relative path → bytes); empty when `dir` does not exist.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("read an output entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("below base").to_path_buf();
                out.insert(rel, fs::read(&path).expect("read an output file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The fixture site `sites/good` (two posts, a comments file), built once; returns it with a
/// snapshot of its `public/`, for a test that breaks it and checks the output was kept.
pub fn built_good_site() -> (Site, BTreeMap<PathBuf, Vec<u8>>) {
    let site = Site::fixture("sites/good");
    site.build().run();
    let before = site.snapshot();
    assert!(before.contains_key(&PathBuf::from("posts/a/index.html")));
    (site, before)
}

/// The failed build left `public/` byte for byte as it was, and no staging folder.
pub fn assert_output_kept(site: &Site, before: &BTreeMap<PathBuf, Vec<u8>>) {
    let after = site.snapshot();
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "a failed build changed public/: {changed:?}"
    );
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}
