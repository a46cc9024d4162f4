//! The pepper: the installation's secret input to the key derivation, kept in its own file.
//!
//! Argon2id takes the pepper as its *secret* input, so a copy of the database without the pepper file cannot
//! test a single guessed code. The file lives outside the database (mode 0600) and is made once, on first
//! start; losing it makes every existing ticket unreachable, so operators back it up apart from the database.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use porten_protocol::Sensitive;
use ring::rand::{SecureRandom, SystemRandom};
use thiserror::Error;

/// Bytes in a pepper.
pub const PEPPER_LEN: usize = 32;

/// Why the pepper file could not be read or made. The texts name the file and what to do; never its content.
#[derive(Debug, Error)]
pub enum PepperError {
    /// Reading, creating, writing or syncing the file (or its directory) failed.
    #[error("pepper file {}: could not {action}: {source}", path.display())]
    Io {
        /// The pepper file.
        path: PathBuf,
        /// What was being done, for example "create the file".
        action: &'static str,
        /// The operating system's error.
        source: io::Error,
    },
    /// The path exists but is not a regular file.
    #[error("pepper file {} is not a regular file", path.display())]
    NotAFile {
        /// The pepper file.
        path: PathBuf,
    },
    /// The file does not hold exactly [`PEPPER_LEN`] bytes: it is damaged or not a pepper file.
    #[error(
        "pepper file {} holds {found} bytes, but a pepper is exactly {PEPPER_LEN}; restore it from the backup \
         (making a new one makes every existing ticket unreachable)",
        path.display()
    )]
    WrongLength {
        /// The pepper file.
        path: PathBuf,
        /// The file's size in bytes.
        found: u64,
    },
    /// Group or others may read or write the file.
    #[error(
        "pepper file {} is accessible to group or others (mode {mode:03o}); only its owner may read it: \
         run `chmod 600 {}`",
        path.display(),
        path.display()
    )]
    Permissions {
        /// The pepper file.
        path: PathBuf,
        /// The file's permission bits.
        mode: u32,
    },
    /// The operating system's random number generator failed while making a new pepper.
    #[error("pepper file {}: the operating system's random number generator failed", path.display())]
    Random {
        /// The pepper file.
        path: PathBuf,
    },
}

/// The installation's 32-byte secret pepper; wiped when dropped, never printed.
#[derive(Clone, Debug)]
pub struct Pepper(Sensitive<[u8; PEPPER_LEN]>);

impl Pepper {
    /// Reads the pepper from `path`, or makes a new one there on first start.
    ///
    /// An existing file must be a regular file of exactly 32 bytes that only its owner may access
    /// (`mode & 0o077 == 0`). A missing file is created with `create_new` and mode 0600, filled with 32 random
    /// bytes and synced together with its directory, so a crash never leaves a pepper that later differs.
    /// The directory must exist.
    ///
    /// # Errors
    ///
    /// [`PepperError`] naming the file and what is wrong with it.
    pub fn load_or_create(path: &Path) -> Result<Pepper, PepperError> {
        match File::open(path) {
            Ok(file) => Self::read(path, file),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match Self::create(path) {
                // Another process made it between our two calls: use theirs.
                Err(PepperError::Io { source, .. })
                    if source.kind() == io::ErrorKind::AlreadyExists =>
                {
                    let file = File::open(path)
                        .map_err(|source| io_error(path, "open the file", source))?;
                    Self::read(path, file)
                }
                other => other,
            },
            Err(source) => Err(io_error(path, "open the file", source)),
        }
    }

    /// A pepper from known bytes, for tests and tools.
    pub fn from_bytes(bytes: [u8; PEPPER_LEN]) -> Pepper {
        Pepper(Sensitive::new(bytes))
    }

    /// The secret bytes, for the key derivation.
    pub(crate) fn as_bytes(&self) -> &[u8; PEPPER_LEN] {
        self.0.expose()
    }

    fn read(path: &Path, mut file: File) -> Result<Pepper, PepperError> {
        // Checked on the open file, not the path, so the answer is about the file actually read.
        let meta = file
            .metadata()
            .map_err(|source| io_error(path, "read the file's metadata", source))?;
        if !meta.is_file() {
            return Err(PepperError::NotAFile {
                path: path.to_owned(),
            });
        }
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(PepperError::Permissions {
                path: path.to_owned(),
                mode,
            });
        }
        let wrong_length = |found| PepperError::WrongLength {
            path: path.to_owned(),
            found,
        };
        if meta.len() != PEPPER_LEN as u64 {
            return Err(wrong_length(meta.len()));
        }
        let mut bytes = Sensitive::new([0u8; PEPPER_LEN]);
        let mut read = 0;
        // Read one byte past the end too, so a file that grew since the metadata was taken is still refused.
        let mut extra = [0u8; 1];
        while read < PEPPER_LEN {
            let buf = bytes.expose_mut().get_mut(read..).unwrap_or_default();
            match file.read(buf) {
                Ok(0) => return Err(wrong_length(read as u64)),
                Ok(n) => read += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => return Err(io_error(path, "read the file", source)),
            }
        }
        match file.read(&mut extra) {
            Ok(0) => Ok(Pepper(bytes)),
            Ok(_) => Err(wrong_length(PEPPER_LEN as u64 + 1)),
            Err(source) => Err(io_error(path, "read the file", source)),
        }
    }

    fn create(path: &Path) -> Result<Pepper, PepperError> {
        let mut bytes = Sensitive::new([0u8; PEPPER_LEN]);
        SystemRandom::new()
            .fill(bytes.expose_mut())
            .map_err(|_| PepperError::Random {
                path: path.to_owned(),
            })?;
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|source| io_error(path, "create the file", source))?;
        let written = file
            .write_all(bytes.expose())
            .map_err(|source| io_error(path, "write the file", source))
            .and_then(|()| {
                file.sync_all()
                    .map_err(|source| io_error(path, "sync the file", source))
            });
        if let Err(e) = written {
            // Never leave a short pepper behind: the next start would refuse it.
            drop(file);
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        sync_parent_directory(path)?;
        Ok(Pepper(bytes))
    }
}

/// Makes the new directory entry durable, so that after a crash the file is either there in full or absent.
fn sync_parent_directory(path: &Path) -> Result<(), PepperError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|dir| dir.sync_all())
        .map_err(|source| io_error(path, "sync the directory that holds it", source))
}

fn io_error(path: &Path, action: &'static str, source: io::Error) -> PepperError {
    PepperError::Io {
        path: path.to_owned(),
        action,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn mode_of(path: &Path) -> io::Result<u32> {
        Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
    }

    /// The error for a pepper file that must be refused.
    fn refusal(path: &Path) -> PepperError {
        match Pepper::load_or_create(path) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e,
        }
    }

    #[test]
    fn first_start_creates_a_private_32_byte_file() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("pepper");
        let pepper = Pepper::load_or_create(&path)?;
        assert_eq!(std::fs::read(&path)?, pepper.as_bytes());
        assert_eq!(mode_of(&path)?, 0o600);
        assert_ne!(pepper.as_bytes(), &[0u8; 32]);
        Ok(())
    }

    #[test]
    fn next_start_reads_the_same_pepper() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("pepper");
        let first = Pepper::load_or_create(&path)?;
        let second = Pepper::load_or_create(&path)?;
        assert_eq!(first.as_bytes(), second.as_bytes());
        Ok(())
    }

    #[test]
    fn two_installations_get_different_peppers() -> TestResult {
        let dir = tempfile::tempdir()?;
        let a = Pepper::load_or_create(&dir.path().join("a"))?;
        let b = Pepper::load_or_create(&dir.path().join("b"))?;
        assert_ne!(a.as_bytes(), b.as_bytes());
        Ok(())
    }

    #[test]
    fn a_file_of_the_wrong_length_is_refused_and_left_alone() -> TestResult {
        let dir = tempfile::tempdir()?;
        for len in [0usize, 31, 33, 4096] {
            let path = dir.path().join(format!("pepper-{len}"));
            std::fs::write(&path, vec![7u8; len])?;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            let err = refusal(&path);
            assert!(
                matches!(err, PepperError::WrongLength { found, .. } if found == len as u64),
                "{err}"
            );
            let text = err.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(text.contains("exactly 32"), "{text}");
            assert_eq!(
                std::fs::read(&path)?.len(),
                len,
                "the file must not be replaced"
            );
        }
        Ok(())
    }

    #[test]
    fn a_file_readable_by_group_or_others_is_refused_with_the_fix() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("pepper");
        Pepper::load_or_create(&path)?;
        for mode in [0o640, 0o604, 0o660, 0o644, 0o602, 0o610] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
            let err = refusal(&path);
            assert!(
                matches!(err, PepperError::Permissions { .. }),
                "{mode:o}: {err}"
            );
            assert!(err.to_string().contains("chmod 600"), "{err}");
            assert!(
                err.to_string().contains(&path.display().to_string()),
                "{err}"
            );
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400))?;
        assert!(
            Pepper::load_or_create(&path).is_ok(),
            "read-only for the owner is fine"
        );
        Ok(())
    }

    #[test]
    fn a_directory_in_place_of_the_file_is_refused() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("pepper");
        std::fs::create_dir(&path)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))?;
        let err = refusal(&path);
        assert!(matches!(err, PepperError::NotAFile { .. }), "{err}");
        Ok(())
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("missing").join("pepper");
        let err = refusal(&path);
        assert!(matches!(err, PepperError::Io { .. }), "{err}");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        assert!(!path.exists());
        Ok(())
    }

    #[test]
    fn debug_never_shows_the_bytes() {
        let pepper = Pepper::from_bytes([0xab; 32]);
        let shown = format!("{pepper:?}");
        assert!(!shown.contains("ab") && !shown.contains("171"), "{shown}");
    }
}
