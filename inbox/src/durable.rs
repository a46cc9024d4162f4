//! Durable writes for a batch: every file complete and fsynced before it appears under its name, and the
//! whole batch made durable with a handful of fsyncs rather than several per envelope.
//!
//! [`PendingWrites::stage`] writes each file to a temporary dot-name next to its place. [`PendingWrites::commit`]
//! then fsyncs every temporary file, renames each into place, and fsyncs each directory once. A file is
//! therefore never visible under its final name before its content is on disk (a crash leaves the old state
//! or the new, never an empty or half file), and the journal commits that the fsyncs force are shared by the
//! whole batch. The inbox commits before it acks, so nothing is acked that a crash could still take back.
//! Files staged and not committed are removed when the batch is dropped.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// One staged file.
#[derive(Debug)]
struct Staged {
    file: File,
    temp: PathBuf,
    path: PathBuf,
}

/// Files written but not yet in place.
#[derive(Debug, Default)]
pub struct PendingWrites {
    staged: Vec<Staged>,
}

impl PendingWrites {
    /// Nothing staged.
    pub fn new() -> PendingWrites {
        PendingWrites::default()
    }

    /// Writes `bytes` for `path` (mode 0600) to a temporary name beside it. It replaces `path` on
    /// [`commit`](Self::commit); staging the same path again replaces the earlier staging.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.unstage(path);
        let (temp, file) = porten_protocol::fsutil::write_temp(path, bytes)?;
        self.staged.push(Staged {
            file,
            temp,
            path: path.to_owned(),
        });
        Ok(())
    }

    /// Drops a staged write for `path`; `true` if there was one.
    pub fn unstage(&mut self, path: &Path) -> bool {
        let Some(at) = self.staged.iter().position(|s| s.path == path) else {
            return false;
        };
        let staged = self.staged.swap_remove(at);
        let _ = fs::remove_file(&staged.temp);
        true
    }

    /// Whether a write for `path` is staged.
    pub fn is_staged(&self, path: &Path) -> bool {
        self.staged.iter().any(|s| s.path == path)
    }

    /// The content staged for `path`, if any: what the file will hold once the batch is committed. Lets a
    /// later envelope of the same batch see what an earlier one wrote.
    pub fn read_staged(&self, path: &Path) -> Option<io::Result<Vec<u8>>> {
        let staged = self.staged.iter().find(|s| s.path == path)?;
        Some(fs::read(&staged.temp))
    }

    /// Fsyncs every staged file, renames each into place, and fsyncs each directory once. On error, what was
    /// not yet renamed is removed and nothing may be acked.
    pub fn commit(&mut self) -> io::Result<()> {
        let described = |what: &str, path: &Path, e: io::Error| {
            io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
        };
        for staged in &self.staged {
            staged
                .file
                .sync_all()
                .map_err(|e| described("fsync of", &staged.temp, e))?;
        }
        let mut dirs = BTreeSet::new();
        while let Some(staged) = self.staged.pop() {
            fs::rename(&staged.temp, &staged.path)
                .map_err(|e| described("renaming into", &staged.path, e))?;
            dirs.insert(parent(&staged.path).to_owned());
        }
        for dir in dirs {
            porten_protocol::fsutil::sync_dir(&dir).map_err(|e| described("fsync of", &dir, e))?;
        }
        Ok(())
    }
}

impl Drop for PendingWrites {
    fn drop(&mut self) {
        for staged in self.staged.drain(..) {
            let _ = fs::remove_file(&staged.temp);
        }
    }
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn staged_files_appear_whole_only_on_commit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a.json");
        let mut pending = PendingWrites::new();
        pending.stage(&a, b"one").expect("stage");
        pending.stage(&a, b"two").expect("stage again");
        pending
            .stage(&dir.path().join("b.json"), b"three")
            .expect("stage");
        assert!(!a.exists(), "not visible before the commit");
        pending.commit().expect("commit");
        assert_eq!(fs::read(&a).expect("read"), b"two");
        assert!(!porten_protocol::fsutil::is_shared(&a).expect("stat"));
        assert_eq!(
            names(dir.path()),
            ["a.json", "b.json"],
            "no temporary file left"
        );
    }

    #[test]
    fn an_unstaged_or_dropped_write_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a.json");
        let mut pending = PendingWrites::new();
        pending.stage(&a, b"key").expect("stage");
        assert!(pending.is_staged(&a));
        assert!(pending.unstage(&a));
        assert!(!pending.unstage(&a));
        pending
            .stage(&dir.path().join("b.json"), b"x")
            .expect("stage");
        drop(pending);
        assert!(names(dir.path()).is_empty());
    }
}
