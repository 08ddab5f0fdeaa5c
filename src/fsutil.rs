//! File-system helpers at the bottom of the tree (everything may use them; they use nothing
//! above them): which names are never content, walking a folder's files, creating folders,
//! copying and writing new files with errors that name the right side, removing a tree
//! without following links, the pixel size of an image file read from its header.
//!
//! What a build does with the output folder (staging, the spare, the swap) is `output`'s.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Error, Result};

/// The width and height in pixels of the image file at `path`, read from its header only
/// (PNG, JPEG, GIF, WebP, AVIF… as the `imagesize` crate knows them); `None` when the file
/// is missing, unreadable or not an image it knows.
pub fn image_size(path: &Path) -> Option<(u32, u32)> {
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// Hidden files and editors' temporary and swap files, never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Removes a folder and everything in it, as `fs::remove_dir_all` does, with its subfolders
/// removed in parallel: removing a big blog's previous output takes a third of a build on one
/// core. Symbolic links are removed, never followed; `dir` itself may be a link or a file,
/// removed as such.
pub fn remove_tree(dir: &Path) -> std::io::Result<()> {
    if !fs::symlink_metadata(dir)?.is_dir() {
        return fs::remove_file(dir);
    }
    remove_folder(dir)
}

/// [`remove_tree`] of a folder that is not a link.
fn remove_folder(dir: &Path) -> std::io::Result<()> {
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            folders.push(entry.path());
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    folders.par_iter().try_for_each(|f| remove_folder(f))?;
    fs::remove_dir(dir)
}

/// Creates the folders `path` needs.
pub fn create_parent(path: &Path) -> Result<()> {
    make_parent(path).map_err(|e| Error::io(path.parent().unwrap_or(path), &e))
}

/// [`create_parent`], with the error left to the caller to name.
pub(crate) fn make_parent(path: &Path) -> std::io::Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    // Nearly every page has a folder of its own, whose parent is there: one call makes it.
    // (`create_dir_all` takes the path apart before it tries.)
    if fs::create_dir(parent).is_ok() {
        return Ok(());
    }
    fs::create_dir_all(parent)
}

/// Copies `from` to `to`, creating the folders `to` needs, with its permissions, as
/// `fs::copy` does. A failure to read names `from`; a failure to create or write the copy
/// (a full disk) names `shown`, the copy where the user sees it (`public/style.css`, not
/// the staging folder it is written in).
///
/// A loop of its own rather than `fs::copy`, whose one error does not say which side failed:
/// on a full disk it named the theme's `style.css` instead of the file it could not write.
/// What a site copies is a few stylesheets and images, so the kernel's in-place copy it
/// gives up is not missed.
pub fn copy_file(from: &Path, to: &Path, shown: &Path) -> Result<()> {
    let read_error = |e: std::io::Error| Error::io(from, &e);
    let write_error = |e: std::io::Error| Error::io(shown, &e);
    let mut source = fs::File::open(from).map_err(read_error)?;
    let permissions = source.metadata().map_err(read_error)?.permissions();
    make_parent(to).map_err(|e| Error::io(shown.parent().unwrap_or(shown), &e))?;
    let mut copy = fs::File::create(to).map_err(write_error)?;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(e)),
        };
        copy.write_all(&buffer[..n]).map_err(write_error)?;
    }
    copy.set_permissions(permissions).map_err(write_error)
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
                || !(is_ignored_name(&name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_onto_a_full_disk_names_the_copy_not_its_source() {
        let dir = tempfile::TempDir::new().unwrap();
        let source = dir.path().join("style.css");
        fs::write(&source, "body { color: black }").unwrap();
        let shown = Path::new("public/style.css");
        let e = copy_file(&source, Path::new("/dev/full"), shown).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.path, shown, "{e}");
        assert!(d.message.contains("No space left"), "{e}");
    }

    #[test]
    fn a_source_that_cannot_be_read_is_named() {
        let dir = tempfile::TempDir::new().unwrap();
        // A folder opens, but reading it fails.
        let source = dir.path().join("style.css");
        fs::create_dir(&source).unwrap();
        let e = copy_file(
            &source,
            &dir.path().join("out.css"),
            Path::new("public/out.css"),
        )
        .unwrap_err();
        assert_eq!(e.diagnostics[0].path, source, "{e}");
    }
}
