//! The files a Jekyll post includes with `{% include_relative %}` and `{% include %}`
//! (from `_includes/`), read for `liquid/`: only files inside the old blog's folder, by
//! their path as written (relative to the including file's folder, or to `_includes/`) or
//! through symbolic links; never anything outside it.

use std::path::{Component, Path, PathBuf};

use crate::import::liquid::Included;

/// The text of the file `target` names from the folder `dir` of the old blog at `root`
/// (`dir` relative to it): its path relative to `root`, and its text; or why not, to end
/// a note ("… is missing").
pub(super) fn read_relative(root: &Path, dir: &Path, target: &str) -> Included {
    let target = target.trim().trim_matches(['"', '\'']);
    if target.is_empty() || target.contains("{{") {
        return Err("names its file through a variable, which ilji cannot follow".to_owned());
    }
    let rel = inside(dir, Path::new(target))
        .ok_or_else(|| "names a file outside the old blog's folder".to_owned())?;
    read_inside(root, rel)
}

/// The text of `_includes/NAME` of the old blog at `root`, as [`read_relative`]'s; a name
/// with `..` or an absolute one is refused, as Jekyll refuses it.
pub(super) fn read_include(root: &Path, name: &str) -> Included {
    let name = name.trim().trim_matches(['"', '\'']);
    if name.is_empty() || name.contains("{{") {
        return Err("names its file through a variable, which ilji cannot follow".to_owned());
    }
    let target = Path::new(name);
    if target
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err("names a file outside the old blog's _includes/ folder".to_owned());
    }
    let rel = inside(Path::new("_includes"), target)
        .ok_or_else(|| "names a file outside the old blog's folder".to_owned())?;
    read_inside(root, rel)
}

/// The file `rel` (relative to `root`, with no `..`) when it is a file inside `root`.
fn read_inside(root: &Path, rel: PathBuf) -> Included {
    let path = root.join(&rel);
    if !path.is_file() {
        return Err("names a file that does not exist".to_owned());
    }
    // A symbolic link inside may lead outside.
    if crate::inputs::check_inside(root, [&rel]).is_err() {
        return Err("names a file outside the old blog's folder".to_owned());
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("names a file ilji cannot read ({e})"))?;
    let text = String::from_utf8(bytes).map_err(|_| "names a file that is not UTF-8".to_owned())?;
    Ok((rel, text))
}

/// `dir` joined with `target`, its `.` and `..` resolved; `None` when it leaves the folder
/// they are relative to or is absolute.
fn inside(dir: &Path, target: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in dir.components().chain(target.components()) {
        match c {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_resolved_inside_the_folder_or_refused() {
        let dir = Path::new("_posts/notes");
        let got = |t: &str| inside(dir, Path::new(t));
        assert_eq!(got("a.md"), Some(PathBuf::from("_posts/notes/a.md")));
        assert_eq!(got("./../b/./c.md"), Some(PathBuf::from("_posts/b/c.md")));
        assert_eq!(got("../../x.md"), Some(PathBuf::from("x.md")));
        assert_eq!(got("../../../x.md"), None);
        assert_eq!(got("/etc/passwd"), None);
        assert_eq!(got("../.."), None);
    }
}
