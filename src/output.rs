//! The only writer of the output folder. A build writes into a fresh staging folder beside
//! the output and swaps it into place when everything succeeded, so a failed build leaves
//! the previous `public/` exactly as it was.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};

/// A staging folder that becomes the output on [`Staging::commit`] and disappears if dropped
/// before that.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares a staging folder for `target` (created next to it, on the same file system).
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_owned());
        let dir = parent.join(format!(".{name}.ilji-staging-{}", std::process::id()));
        if dir.exists() {
            remove_tree(&dir).map_err(|e| Error::io(&dir, &e))?;
        }
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, &e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// Writes `parts`, one after the other, to `rel` (a `/`-separated path inside the output).
    pub fn write(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        use std::io::Write;
        let path = self.dir.join(rel);
        create_parent(&path)?;
        let written = match parts {
            [bytes] => fs::write(&path, bytes),
            _ => fs::File::create(&path)
                .and_then(|mut f| parts.iter().try_for_each(|part| f.write_all(part))),
        };
        written.map_err(|e| Error::io(&self.target.join(rel), &e))
    }

    /// Copies the file `from` to `rel` inside the output.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        copy_file(from, &self.dir.join(rel))
    }

    /// Replaces the output with the staging folder.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_extension("old");
        let had_output = self.target.exists();
        if had_output {
            if !self.target.is_dir() {
                return Err(Diagnostic::new(
                    &self.target,
                    "the output path is a file, not a folder",
                )
                .help("remove it or choose another folder with --output")
                .into());
            }
            fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, &e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_output {
                // Put the previous output back rather than leave none.
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, &e));
        }
        self.committed = true;
        if had_output {
            remove_tree(&old).map_err(|e| Error::io(&old, &e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Removes a folder and everything in it, as `fs::remove_dir_all` does, with its subfolders
/// removed in parallel: removing a big blog's previous output takes a third of a build on one
/// core. Symbolic links are removed, never followed.
pub fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            folders.push(entry.path());
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    folders.par_iter().try_for_each(|f| remove_tree(f))?;
    fs::remove_dir(dir)
}

/// Creates the folders `path` needs.
pub fn create_parent(path: &Path) -> Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    // Nearly every page has a folder of its own, whose parent is there: one call makes it.
    // (`create_dir_all` takes the path apart before it tries.)
    if fs::create_dir(parent).is_ok() {
        return Ok(());
    }
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))
}

/// Copies `from` to `to`, creating the folders `to` needs.
pub fn copy_file(from: &Path, to: &Path) -> Result<()> {
    create_parent(to)?;
    fs::copy(from, to).map_err(|e| Error::io(from, &e))?;
    Ok(())
}

/// Writes a new file at `path` (named `shown` in errors), creating its folders; fails
/// rather than overwrite a file that exists, even one that appeared a moment ago.
pub fn write_new(path: &Path, shown: &Path, bytes: &[u8]) -> Result<()> {
    create_parent(path)?;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, bytes))
        .map_err(|e| Error::io(shown, &e))
}

/// Every file below `dir` as (absolute path, `/`-separated path relative to `dir`), hidden
/// and temporary files left out.
pub fn files_below(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    files_below_skipping(dir, &[])
}

/// [`files_below`], also leaving out the folders named in `skip`, at any depth.
pub fn files_below_skipping(dir: &Path, skip: &[&str]) -> Result<Vec<(PathBuf, String)>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(crate::content::is_ignored_name(&name)
                    || e.file_type().is_dir() && skip.contains(&name.as_ref()))
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            Error::io(
                dir,
                &e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("a link loops")),
            )
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.push((
                entry.path().to_path_buf(),
                rel.to_string_lossy().replace('\\', "/"),
            ));
        }
    }
    Ok(files)
}
