//! The folders a build keeps beside its output `X`, named here and nowhere else: its staging
//! folder `.X.ilji-staging-<pid>` (with `.X.ilji-staging-<pid>.old`, the replaced output,
//! while a swap takes two renames) and the spare `.X.ilji-spare`. Also clearing away those
//! that a process left when it ended without cleaning up.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil::remove_tree;

/// The start of the name of every folder a build of the output `name` keeps beside it:
/// `.public.ilji-` (what `.gitignore` leaves out besides the output).
pub fn prefix(name: &str) -> String {
    format!(".{name}.ilji-")
}

/// The staging folder of process `pid` for the output `name` in `parent`.
pub(crate) fn staging(parent: &Path, name: &str, pid: u32) -> PathBuf {
    parent.join(format!("{}staging-{pid}", prefix(name)))
}

/// Where a swap that takes two renames keeps the replaced output of `staging` for a moment:
/// `.X.ilji-staging-<pid>.old`.
pub(crate) fn replaced(staging: &Path) -> PathBuf {
    let mut name = staging.as_os_str().to_owned();
    name.push(".old");
    PathBuf::from(name)
}

/// The spare of the output `name` in `parent`.
pub(crate) fn spare(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!("{}spare", prefix(name)))
}

/// The name of the output that a folder named `name` is kept beside, if it is one of those
/// folders: `.public.ilji-spare` → `public`.
pub fn output_of(name: &str) -> Option<&str> {
    Some(name.strip_prefix('.')?.rsplit_once(".ilji-")?.0)
}

/// Clears away the staging folders of builds that ended without cleaning up (interrupted by
/// Ctrl-C, killed, or cut off by a crash), each as big as the site: one becomes the spare if
/// there is none (a sweep makes any folder a good one), the others are removed. Those of
/// builds still running are left alone. Best effort: a build does not fail over them.
pub(crate) fn clear_leftovers(parent: &Path, name: &str, spare: &Path) {
    let prefix = format!("{}staging-", prefix(name));
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        // `<pid>`, or `<pid>.old` (the replaced output, where the swap takes two renames).
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        if !process_ended(pid) {
            continue;
        }
        let path = entry.path();
        let is_folder = path.symlink_metadata().is_ok_and(|m| m.is_dir());
        if !(is_folder && spare.symlink_metadata().is_err() && fs::rename(&path, spare).is_ok()) {
            let _ = remove_tree(&path);
        }
    }
}

/// Removes the output folder `dir` and every folder its builds keep beside it: a preview's
/// output when the preview ends, or one that an earlier process with the same id left. The
/// folders beside it are removed on a best-effort basis; an error names `dir`.
pub fn remove_with_leftovers(dir: &Path) -> Result<()> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    let name = dir.file_name().and_then(|n| n.to_str());
    if let (Some(parent), Some(name)) = (parent, name) {
        let prefix = prefix(name);
        for entry in fs::read_dir(parent).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix))
            {
                let _ = remove_tree(&entry.path());
            }
        }
    }
    if dir.exists() {
        remove_tree(dir).map_err(|e| Error::io(dir, &e))?;
    }
    Ok(())
}

/// Whether `text` (from a folder's name) is a process id: decimal digits.
pub fn is_process_id(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `pid`, taken from a folder's name, is the id of a process that no longer runs;
/// where that cannot be told, it is taken to run.
pub fn process_ended(pid: &str) -> bool {
    is_process_id(pid) && cfg!(target_os = "linux") && !Path::new("/proc").join(pid).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_kept_beside_an_output_names_the_output() {
        let parent = Path::new("/tmp");
        let staging = staging(parent, "public", 9);
        assert_eq!(
            replaced(&staging),
            Path::new("/tmp/.public.ilji-staging-9.old")
        );
        for kept in [&staging, &replaced(&staging), &spare(parent, "public")] {
            let name = kept.file_name().unwrap().to_str().unwrap();
            assert!(name.starts_with(&prefix("public")), "{name}");
            assert_eq!(output_of(name), Some("public"), "{name}");
        }
        assert_eq!(output_of("public"), None);
        assert_eq!(output_of(".public"), None);
    }
}
