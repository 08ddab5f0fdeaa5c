//! An output folder brought up to date file by file where it is, while a server reads it:
//! `ilji serve`'s private folder between full builds. Each page is written beside its place
//! and renamed over it, so that a reader never sees half of one.
//!
//! A full build never writes this way: it writes a staging folder and swaps it in
//! (see [`super::Staging`]).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil::{copy_file, create_parent};
use crate::site_path::SitePath;

/// The output folder at `dir`, written in place.
#[derive(Debug, Clone)]
pub struct InPlace {
    dir: PathBuf,
}

impl InPlace {
    pub fn new(dir: PathBuf) -> InPlace {
        InPlace { dir }
    }

    /// Writes `bytes` to `rel` inside the output, replacing the file there in one step.
    pub fn write(&self, rel: &SitePath, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel.as_str());
        create_parent(&path)?;
        // The temporary name keeps the whole file name: `search/index.html` and the search
        // index `search/index.json`, written at the same time by another thread, must not
        // share one.
        let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
        tmp_name.push(".ilji-tmp");
        let tmp = path.with_file_name(tmp_name);
        fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, &e))?;
        fs::rename(&tmp, &path).map_err(|e| Error::io(&path, &e))
    }

    /// Copies the file `from` to `rel` inside the output.
    pub fn copy(&self, from: &Path, rel: &SitePath) -> Result<()> {
        let to = self.dir.join(rel.as_str());
        copy_file(from, &to, &to)
    }

    /// Removes `rel` from the output, and the folders it leaves empty, as a full build would
    /// not have them. A file already gone is no error.
    pub fn remove(&self, rel: &SitePath) -> Result<()> {
        let file = self.dir.join(rel.as_str());
        match fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&file, &e)),
        }
        for dir in file
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(&self.dir) && *d != self.dir)
        {
            if fs::remove_dir(dir).is_err() {
                break;
            }
        }
        Ok(())
    }
}
