//! The site's inputs: the files and folders a build reads (site.yaml, `content/`, `static/`,
//! `templates/`, `themes/`), where they really are once links are followed, and the two
//! rules that keep a site from reaching beyond itself: an input may not lead outside the
//! site's folder (a link in a stranger's repository to `~/.ssh` would be published), and the
//! output may not be, hold or lie inside an input (a build replaces its output).
//!
//! It reads no file's contents; `config`, `content` and `render` do.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};

/// Where each input is, relative to the site's folder. `themes/` covers every theme.
pub const INPUTS: [&str; 5] = ["site.yaml", "content", "static", "templates", "themes"];

/// Where `path` really is: links followed, and a path that does not exist yet taken where
/// its parent really is (the output folder of a first build does not exist).
pub fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|e| match path.file_name() {
            Some(name) => {
                let parent = path.parent().filter(|d| !d.as_os_str().is_empty());
                std::fs::canonicalize(parent.unwrap_or(Path::new("."))).map(|d| d.join(name))
            }
            None => Err(e),
        })
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Refuses each of `rels` (inputs, relative to the site at `root`) that is a link, or lies in
/// a linked folder, leading outside the site's folder; all of them at once. What does not
/// exist passes.
pub fn check_inside<P: AsRef<Path>>(root: &Path, rels: impl IntoIterator<Item = P>) -> Result<()> {
    // Where the site really is, found once, and only if an input exists.
    let site = std::cell::OnceCell::new();
    let errors: Vec<Diagnostic> = rels
        .into_iter()
        .filter_map(|rel| {
            let (rel, path) = (rel.as_ref(), root.join(rel.as_ref()));
            path.symlink_metadata().ok()?;
            let real = real_path(&path);
            if real.starts_with(site.get_or_init(|| real_path(root))) {
                return None;
            }
            Some(
                Diagnostic::new(
                    rel,
                    format!(
                        "this leads outside the site's folder (to {}), through a symbolic link",
                        real.display()
                    ),
                )
                .help(
                    "ilji reads only what is inside the site's folder: copy the files into the \
                     site instead of linking to them",
                ),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::many(errors))
    }
}

/// [`check_inside`] for every input of the site at `root` that uses `theme`.
pub fn check_all_inside(root: &Path, theme: &str) -> Result<()> {
    let theme_dir = Path::new("themes").join(theme);
    let theme_parts = [
        theme_dir.join("templates"),
        theme_dir.join("static"),
        theme_dir.join("strings"),
        theme_dir,
    ];
    check_inside(root, INPUTS.iter().map(PathBuf::from).chain(theme_parts))
}

/// What an output folder would swallow: `None` if it is apart from every input of the site
/// at `root`, else the input (relative to the site, `.` for the site's folder itself) that it
/// is, holds or lies inside.
pub fn clash_with_output(root: &Path, output: &Path) -> Option<PathBuf> {
    let (site, out) = (real_path(root), real_path(output));
    if site.starts_with(&out) {
        return Some(PathBuf::from("."));
    }
    INPUTS.iter().map(Path::new).find_map(|rel| {
        let input = real_path(&root.join(rel));
        (out.starts_with(&input) || input.starts_with(&out)).then(|| rel.to_path_buf())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_apart_from_the_inputs_passes_and_others_name_the_input() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for d in [
            "content/posts",
            "static",
            "templates",
            "themes/default/templates",
        ] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("site.yaml"), "").unwrap();
        for ok in ["public", "../elsewhere", "public/deeper", "content-out"] {
            assert_eq!(clash_with_output(&root, &root.join(ok)), None, "{ok}");
        }
        for (out, input) in [
            (".", "."),
            ("..", "."),
            ("templates", "templates"),
            ("static", "static"),
            ("themes", "themes"),
            ("themes/default", "themes"),
            ("content/posts", "content"),
            ("content/new-folder", "content"),
            ("site.yaml", "site.yaml"),
        ] {
            assert_eq!(
                clash_with_output(&root, &root.join(out)),
                Some(PathBuf::from(input)),
                "{out}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("templates"), root.join("public")).unwrap();
            assert_eq!(
                clash_with_output(&root, &root.join("public")),
                Some(PathBuf::from("templates"))
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_that_lead_outside_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("themes/mine")).unwrap();
        std::fs::create_dir_all(dir.path().join("secrets")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secrets"), root.join("static")).unwrap();
        // A link inside the site is fine.
        std::os::unix::fs::symlink(root.join("themes/mine"), root.join("themes/linked")).unwrap();
        assert!(check_inside(&root, ["themes/linked"]).is_ok());
        assert!(check_inside(&root, ["content"]).is_ok(), "absent");
        let e = check_all_inside(&root, "mine").unwrap_err();
        assert_eq!(e.diagnostics.len(), 1, "{e}");
        assert_eq!(e.diagnostics[0].path, Path::new("static"));
        assert!(e.to_string().contains("outside the site's folder"), "{e}");
    }
}
