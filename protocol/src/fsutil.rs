//! Small file-system helpers: private directories and files, written atomically and made durable.
//!
//! Used for everything the gateway and the inbox keep outside redb: development keys and certificates, spool
//! files, the audit log's siblings. A file is written to a temporary name, fsynced, renamed into place and its
//! directory fsynced, so a crash leaves either the old file or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Creates a directory (and its parents) readable only by the owner. An existing directory is left as it is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Writes `bytes` to a temporary file beside `path` (`.name.tmp`, mode 0600), not yet synced or renamed.
/// Returns the temporary path and the open file; on error nothing is left behind.
///
/// The temporary file is always a new file (`O_CREAT | O_EXCL | O_NOFOLLOW`): whatever is at its name — a file
/// a crash left behind, or a symbolic link someone with write access to the directory planted there to have
/// the bytes written elsewhere — is unlinked first, never opened.
pub fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "a file name is needed"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(".tmp");
    let temp = parent_dir(path).join(temp_name);
    let written = (|| {
        let open = || {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
                .mode(0o600)
                .open(&temp)
        };
        let mut file = match open() {
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                // Unlinking removes a symbolic link itself, not what it points to.
                fs::remove_file(&temp)?;
                open()?
            }
            other => other?,
        };
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        Ok::<File, io::Error>(file)
    })();
    match written {
        Ok(file) => Ok((temp, file)),
        Err(error) => {
            let _ = fs::remove_file(&temp);
            Err(error)
        }
    }
}

/// The directory a path lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `bytes` to `path` atomically with mode 0600, and makes the result durable.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (temp, file) = write_temp(path, bytes)?;
    let result = (|| {
        file.sync_all()?;
        fs::rename(&temp, path)?;
        sync_dir(parent_dir(path))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Fsyncs a directory so that a rename or a new file in it survives a crash.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Whether group or others may read or write the file.
pub fn is_shared(path: &Path) -> io::Result<bool> {
    Ok(fs::metadata(path)?.permissions().mode() & 0o077 != 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn private_files_are_owner_only_and_replace_atomically() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("secret.txt");
        write_private_file(&path, b"one").expect("write");
        write_private_file(&path, b"two").expect("rewrite");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert!(!is_shared(&path).expect("stat"));
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left behind");
    }
}
#[cfg(test)]
mod symlink_tests {
    use super::*;

    #[test]
    fn a_symbolic_link_at_the_temporary_name_is_never_written_through() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let victim = dir.path().join("victim");
        fs::write(&victim, b"untouched")?;
        let target = dir.path().join("secret.txt");
        std::os::unix::fs::symlink(&victim, dir.path().join(".secret.txt.tmp"))?;
        write_private_file(&target, b"the real content")?;
        assert_eq!(fs::read(&victim)?, b"untouched");
        assert_eq!(fs::read(&target)?, b"the real content");
        assert!(!fs::symlink_metadata(&target)?.file_type().is_symlink());
        Ok(())
    }

    #[test]
    fn a_file_left_at_the_temporary_name_by_a_crash_is_replaced() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("key");
        fs::write(dir.path().join(".key.tmp"), b"half of an old write")?;
        write_private_file(&target, b"new")?;
        assert_eq!(fs::read(&target)?, b"new");
        Ok(())
    }
}
