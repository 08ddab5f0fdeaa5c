//! The only writer of the output folder. A build writes into a staging folder beside the
//! output and swaps it into place when everything succeeded, so a failed build leaves the
//! previous `public/` exactly as it was.
//!
//! The output it replaces is not deleted but kept beside it as the *spare*
//! (`.public.ilji-spare`), which the next build takes as its staging folder and writes over
//! in place. Creating and deleting a big blog's tens of thousands of files and folders is
//! most of what a rebuild costs on a disk (seconds on ext4); writing over files that are
//! there, and removing the few no page claims, is not.
//!
//! [`beside`] names the folders kept beside the output; [`InPlace`] brings a served output
//! up to date file by file (`ilji serve` between full builds).

pub mod beside;
mod in_place;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::error::{Diagnostic, Error, Result};
use crate::fsutil::{copy_file, make_parent, remove_tree};
use crate::site_path::SitePath;
pub use in_place::InPlace;

/// The output folder, in the site's folder, unless `--output` names another.
pub const DEFAULT_DIR: &str = "public";

/// A staging folder that becomes the output on [`Staging::commit`]. Dropped before that, it
/// disappears, or goes back to being the spare if it was one.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    spare: PathBuf,
    /// The folder is the spare, listed on a thread of its own from the start: its files are
    /// written over in place, and [`Staging::sweep`] removes those no page claims.
    reused: Option<Mutex<Option<Listing>>>,
    committed: bool,
}

/// What a spare holds: (`/`-separated path inside it, what it is), each folder before what
/// it holds.
type Listing = JoinHandle<std::io::Result<Vec<(String, Kind)>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Folder,
    /// A symbolic link or anything else that is not a plain file or folder.
    Other,
}

impl Staging {
    /// Prepares a staging folder for `target` (next to it, on the same file system): the
    /// spare if there is one, else a new folder.
    pub fn new(target: &Path) -> Result<Staging> {
        let target = &resolve_link(target)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| DEFAULT_DIR.to_owned());
        let dir = beside::staging(parent, &name, std::process::id());
        let spare = beside::spare(parent, &name);
        if dir.symlink_metadata().is_ok() {
            remove_tree(&dir).map_err(|e| Error::io(&dir, &e))?;
        }
        beside::clear_leftovers(parent, &name, &spare);
        // Taking the spare by renaming it: of two builds at once, one gets it.
        let reused = cfg!(unix)
            && fs::rename(&spare, &dir).is_ok()
            && match dir.symlink_metadata() {
                Ok(m) if m.is_dir() => true,
                // A link or a file by that name is not ours to write into.
                _ => {
                    remove_tree(&dir).map_err(|e| Error::io(&dir, &e))?;
                    false
                }
            };
        if !reused {
            fs::create_dir(&dir).map_err(|e| Error::io(&dir, &e))?;
        }
        let reused = reused.then(|| {
            let root = dir.clone();
            Mutex::new(Some(std::thread::spawn(move || list(&root))))
        });
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            spare,
            reused,
            committed: false,
        })
    }

    /// Removes from a reused spare everything that is not a plain file at a path
    /// `claimed`, and the folders left empty: after this, every file there is one this
    /// build writes over, and nothing stands where it puts a file or a folder. Call it
    /// before the first write.
    pub fn sweep(&self, claimed: impl Fn(&str) -> bool) -> Result<()> {
        let Some(listing) = self.take_listing() else {
            return Ok(());
        };
        let entries = match listing.join() {
            Ok(Ok(entries)) => entries,
            // Not listed whole: emptied instead.
            _ => {
                return remove_tree(&self.dir)
                    .and_then(|()| fs::create_dir(&self.dir))
                    .map_err(|e| Error::io(&self.dir, &e))
            }
        };
        // From the deepest up: a folder is kept if something kept is in it (and no file is
        // claimed at its own path).
        let mut kept_folders: rustc_hash::FxHashSet<&str> = Default::default();
        for (rel, kind) in entries.iter().rev() {
            let keep = match kind {
                Kind::File => claimed(rel),
                Kind::Folder => kept_folders.contains(rel.as_str()) && !claimed(rel),
                Kind::Other => false,
            };
            let done = if keep {
                if let Some((up, _)) = rel.rsplit_once('/') {
                    kept_folders.insert(up);
                }
                Ok(())
            } else {
                let path = self.dir.join(rel);
                match kind {
                    Kind::Folder if kept_folders.contains(rel.as_str()) => remove_tree(&path),
                    // (Emptied already.)
                    Kind::Folder => fs::remove_dir(&path),
                    _ => fs::remove_file(&path),
                }
            };
            done.map_err(|e| Error::io(&self.target.join(rel), &e))?;
        }
        Ok(())
    }

    fn take_listing(&self) -> Option<Listing> {
        let slot = self.reused.as_ref()?;
        slot.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// Writes `parts`, one after the other, to `rel` inside the output.
    pub fn write(&self, rel: &SitePath, parts: &[&[u8]]) -> Result<()> {
        let rel = rel.as_str();
        let path = self.dir.join(rel);
        let written = if self.reused.is_some() {
            write_over(&path, parts)
        } else {
            make_parent(&path).and_then(|()| write_new_file(&path, parts))
        };
        written.map_err(|e| Error::io(&self.target.join(rel), &e))
    }

    /// Copies the file `from` to `rel` inside the output.
    pub fn copy(&self, from: &Path, rel: &SitePath) -> Result<()> {
        let rel = rel.as_str();
        let to = self.dir.join(rel);
        if self.reused.is_some() {
            // Not written into: another name may share its data (a hard link).
            match fs::remove_file(&to) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io(&self.target.join(rel), &e))
                }
                _ => {}
            }
        }
        copy_file(from, &to, &self.target.join(rel))
    }

    /// Replaces the output with the staging folder; the output it replaces becomes the
    /// spare.
    pub fn commit(mut self) -> Result<()> {
        let old = beside::replaced(&self.dir);
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
            // One step where the file system can: the output is never missing.
            if exchange(&self.dir, &self.target).is_ok() {
                self.committed = true;
                self.keep_as_spare(&self.dir);
                return Ok(());
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
            self.keep_as_spare(&old);
        }
        Ok(())
    }

    /// Makes `dir` the spare, or removes it if another build left one meanwhile (or where
    /// no build would take it).
    fn keep_as_spare(&self, dir: &Path) {
        if !cfg!(unix)
            || self.spare.symlink_metadata().is_ok()
            || fs::rename(dir, &self.spare).is_err()
        {
            let _ = remove_tree(dir);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // The listing reads the folder: it ends before the folder moves.
        if let Some(listing) = self.take_listing() {
            let _ = listing.join();
        }
        if self.reused.is_some() {
            self.keep_as_spare(&self.dir.clone());
        } else {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Swaps two folders in one step (Linux's `renameat2` with `RENAME_EXCHANGE`); an error
/// where the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Everything below `root`, each folder before what it holds (links not followed).
fn list(root: &Path) -> std::io::Result<Vec<(String, Kind)>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Kind)>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let rel = format!("{prefix}{}", name.to_string_lossy());
            let t = entry.file_type()?;
            if t.is_dir() {
                out.push((rel.clone(), Kind::Folder));
                walk(&entry.path(), &format!("{rel}/"), out)?;
            } else {
                out.push((rel, if t.is_file() { Kind::File } else { Kind::Other }));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, "", &mut out)?;
    Ok(out)
}

/// Writes `parts` to a new file at `path`.
fn write_new_file(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    match parts {
        [bytes] => fs::write(path, bytes),
        _ => fs::File::create(path)
            .and_then(|mut f| parts.iter().try_for_each(|part| f.write_all(part))),
    }
}

/// Writes `parts` over the file at `path` in place, without truncating it first (which
/// frees its blocks only to take new ones), or creates it. A file that shares its data with
/// another name (a hard link) or cannot be opened for writing is replaced instead.
fn write_over(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::ErrorKind;
    match fs::OpenOptions::new().write(true).open(path) {
        Ok(mut file) => {
            if sole_name(&file.metadata()?) {
                let mut len = 0;
                for part in parts {
                    file.write_all(part)?;
                    len += part.len() as u64;
                }
                return file.set_len(len);
            }
            drop(file);
            fs::remove_file(path)?;
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
        }
        Err(e) if e.kind() == ErrorKind::PermissionDenied => fs::remove_file(path)?,
        Err(e) => return Err(e),
    }
    write_new_file(path, parts)
}

#[cfg(unix)]
fn sole_name(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.is_file() && meta.nlink() == 1
}

#[cfg(not(unix))]
fn sole_name(_: &fs::Metadata) -> bool {
    false
}

/// Where an output folder really is: when `path` is a symbolic link, the folder it points to,
/// so that the site is published there and the link stays. An error names a link that
/// leads nowhere.
pub fn resolve_link(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            Diagnostic::new(
                path,
                format!("this output folder is a link that leads nowhere: {e}"),
            )
            .help("point the link at a folder, or remove it")
            .into()
        }),
        _ => Ok(path.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/dev/full` fails every write with "No space left on device", as a full disk does,
    /// without a mount (and root, who may write anywhere, sees it fail too).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_copy_the_staging_folder_cannot_take_names_the_output_path() {
        let dir = tempfile::TempDir::new().unwrap();
        let source = dir.path().join("style.css");
        fs::write(&source, "body {}").unwrap();
        let target = dir.path().join("public");
        let staging = Staging::new(&target).unwrap();
        staging
            .write(
                &SitePath::new("css").unwrap(),
                &[b"a file where the copy needs a folder"],
            )
            .unwrap();
        let e = staging
            .copy(&source, &SitePath::new("css/style.css").unwrap())
            .unwrap_err();
        assert_eq!(e.diagnostics[0].path, target.join("css"), "{e}");
    }
}
