//! The vault: the desk's data key, and sealing and opening every record the desk stores with it.
//!
//! Everything the desk keeps about accounts, sessions and (later) cases lives in its redb file, and a copy of
//! the state directory must not give any of it away. So each record is sealed with ChaCha20-Poly1305 under a
//! random 256-bit **data key**, which is stored beside the database only wrapped with age to the inbox's own
//! recipients (`data-key.age`). Only the age identity, kept outside the state directory, unwraps it; the inbox
//! does so at start and holds the key in memory that is wiped when the vault is dropped.
//!
//! Record format: 96-bit random nonce ‖ ciphertext ‖ 16-byte tag. The associated data names the table and
//! the row's key, so a sealed value copied to another row or another table fails to open. Random nonces are
//! safe for far more records than a desk ever writes under one key (the bound is around 2^32 seals).
//!
//! From the data key two subkeys are derived (HKDF-SHA256): one seals records, the other makes **index keys**
//! (HMAC-SHA256), so a table can be looked up by a value, a login name for instance, without the value
//! appearing in the file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use age::x25519::Identity;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::hkdf;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// Length of the data key and of the subkeys, in bytes.
const KEY_LEN: usize = 32;
/// Length of the Poly1305 tag.
const TAG_LEN: usize = 16;
/// The wrapped data key is a small age file; anything much larger is not one.
const MAX_WRAPPED_LEN: u64 = 4096;
/// Names the format in every record's associated data.
const RECORD_LABEL: &[u8] = b"porten desk record v1";
const SEAL_KEY_INFO: &[u8] = b"porten desk seal key v1";
const INDEX_KEY_INFO: &[u8] = b"porten desk index key v1";

/// The file the wrapped data key is kept in, inside the desk's directory.
pub(super) const DATA_KEY_FILE: &str = "data-key.age";

/// Why the vault could not be opened or a record not sealed or opened. No variant carries a key or a value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// Opening: the data key file could not be read or written.
    #[error("cannot read or write the desk's data key {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// Opening: the data key file was sealed to other recipients than the configured identity.
    #[error(
        "the desk's data key {0} was sealed to another age identity than the configured one; \
         configure the identity this state directory was made with"
    )]
    WrongIdentity(PathBuf),
    /// Opening: the data key file is not an age file holding a 256-bit key (altered or truncated).
    #[error(
        "the desk's data key {0} is damaged; restore it from the backup of this state directory"
    )]
    Damaged(PathBuf),
    /// Opening: no identity was given to open with.
    #[error("no age identity given to open the desk's data key with")]
    NoIdentity,
    /// The system random number generator failed.
    #[error("the system random number generator failed")]
    Random,
    /// Something that cannot happen did: a bug in porten-inbox, not a problem with the stored data.
    #[error("internal error (a bug in porten-inbox): {0}")]
    Bug(&'static str),
    /// A record failed to authenticate: it was altered, moved to another row, or sealed under another key.
    #[error(
        "a stored {0} record failed to authenticate (altered, moved, or from another installation)"
    )]
    Tampered(&'static str),
}

/// The unwrapped data key and what is derived from it. Share it behind an `Arc`.
pub(super) struct Vault {
    seal_key: Zeroizing<[u8; KEY_LEN]>,
    index_key: Zeroizing<[u8; KEY_LEN]>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault")
    }
}

impl Vault {
    /// Opens the data key in `dir` with `identities`, or, when there is none yet, makes a new one and stores
    /// it wrapped to their recipients. `dir` must exist.
    ///
    /// An existing key file is never replaced: losing it would make every stored record unreadable. If two
    /// processes make a key at the same moment, one of them wins and the other opens the winner's.
    pub(super) fn open_or_create(dir: &Path, identities: &[Identity]) -> Result<Vault, VaultError> {
        if identities.is_empty() {
            return Err(VaultError::NoIdentity);
        }
        let path = dir.join(DATA_KEY_FILE);
        let io = |source| VaultError::Io {
            path: path.clone(),
            source,
        };
        if !path.try_exists().map_err(io)? {
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            SystemRandom::new()
                .fill(&mut key[..])
                .map_err(|_| VaultError::Random)?;
            let wrapped = wrap(&key[..], identities).map_err(io)?;
            create_only(&path, &wrapped).map_err(io)?;
        }
        let key = unwrap(&path, identities)?;
        Ok(Vault::from_data_key(&key))
    }

    fn from_data_key(data_key: &[u8; KEY_LEN]) -> Vault {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[]).extract(data_key);
        let derive = |info: &[u8]| {
            let mut out = Zeroizing::new([0u8; KEY_LEN]);
            let infos = [info];
            // Expanding 32 bytes of HKDF-SHA256 is always within its limit of 255 blocks.
            if let Ok(okm) = prk.expand(&infos, hkdf::HKDF_SHA256) {
                let _ = okm.fill(&mut out[..]);
            }
            out
        };
        Vault {
            seal_key: derive(SEAL_KEY_INFO),
            index_key: derive(INDEX_KEY_INFO),
        }
    }

    /// Seals `plain` for the row `row_key` of `table`.
    pub(super) fn seal(
        &self,
        table: &str,
        row_key: &[u8],
        plain: &[u8],
    ) -> Result<Vec<u8>, VaultError> {
        let key = self.aead_key()?;
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| VaultError::Random)?;
        let mut out = Vec::with_capacity(NONCE_LEN + plain.len() + TAG_LEN);
        out.extend_from_slice(&nonce);
        let mut body = Zeroizing::new(plain.to_vec());
        let tag = key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad(table, row_key)),
                &mut body[..],
            )
            .map_err(|_| VaultError::Bug("sealing a record failed"))?;
        out.extend_from_slice(&body);
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Opens what [`Vault::seal`] sealed for the same table and row. `what` names the record in the error.
    pub(super) fn open(
        &self,
        table: &str,
        row_key: &[u8],
        sealed: &[u8],
        what: &'static str,
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let tampered = || VaultError::Tampered(what);
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(tampered());
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| tampered())?;
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        let len = self
            .aead_key()?
            .open_in_place(nonce, Aad::from(aad(table, row_key)), &mut buffer[..])
            .map_err(|_| tampered())?
            .len();
        buffer.truncate(len);
        Ok(buffer)
    }

    /// A keyed hash of `value` for looking rows up by it in `table`: stable for this data key, and without
    /// the data key no guess of `value` can be checked against it.
    pub(super) fn index_key(&self, table: &str, value: &[u8]) -> [u8; 32] {
        let key = hmac::Key::new(hmac::HMAC_SHA256, &self.index_key[..]);
        let mut context = hmac::Context::with_key(&key);
        context.update(&aad(table, &[]));
        context.update(value);
        let mut out = [0u8; 32];
        out.copy_from_slice(context.sign().as_ref());
        out
    }

    fn aead_key(&self) -> Result<LessSafeKey, VaultError> {
        // ring keeps its own copy of the key while this value lives; the long-lived copy is the zeroizing one.
        UnboundKey::new(&CHACHA20_POLY1305, &self.seal_key[..])
            .map(LessSafeKey::new)
            .map_err(|_| VaultError::Bug("ChaCha20-Poly1305 refused a 32-byte key"))
    }
}

/// The associated data: format label, table name (length-prefixed, so table and key cannot run into each
/// other), row key.
fn aad(table: &str, row_key: &[u8]) -> Vec<u8> {
    let table = table.as_bytes();
    let mut out = Vec::with_capacity(RECORD_LABEL.len() + 2 + table.len() + row_key.len());
    out.extend_from_slice(RECORD_LABEL);
    out.extend_from_slice(&u16::try_from(table.len()).unwrap_or(u16::MAX).to_be_bytes());
    out.extend_from_slice(table);
    out.extend_from_slice(row_key);
    out
}

fn wrap(key: &[u8], identities: &[Identity]) -> std::io::Result<Vec<u8>> {
    let recipients: Vec<_> = identities.iter().map(Identity::to_public).collect();
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(std::io::Error::other)?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out)?;
    writer.write_all(key)?;
    writer.finish()?;
    Ok(out)
}

fn unwrap(path: &Path, identities: &[Identity]) -> Result<[u8; KEY_LEN], VaultError> {
    let io = |source| VaultError::Io {
        path: path.to_owned(),
        source,
    };
    let mut wrapped = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_WRAPPED_LEN).read_to_end(&mut wrapped))
        .map_err(io)?;
    let damaged = || VaultError::Damaged(path.to_owned());
    let decryptor = age::Decryptor::new_buffered(&wrapped[..]).map_err(|_| damaged())?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i as &dyn age::Identity))
        .map_err(|error| match error {
            age::DecryptError::NoMatchingKeys => VaultError::WrongIdentity(path.to_owned()),
            _ => damaged(),
        })?;
    let mut key = Zeroizing::new(Vec::with_capacity(KEY_LEN + 1));
    reader
        .by_ref()
        .take(KEY_LEN as u64 + 1)
        .read_to_end(&mut key)
        .map_err(|_| damaged())?;
    <[u8; KEY_LEN]>::try_from(&key[..]).map_err(|_| damaged())
}

/// Writes a new private file at `path` and fails if anything is there already: the temporary file is
/// linked to the final name, which, unlike a rename, never replaces.
fn create_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (temp, file) = porten_protocol::fsutil::write_temp(path, bytes)?;
    let linked = file
        .sync_all()
        .and_then(|()| std::fs::hard_link(&temp, path));
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => porten_protocol::fsutil::sync_dir(path.parent().unwrap_or(Path::new("."))),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_record_opens_only_in_its_own_table_and_row() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open_or_create(dir.path(), &[Identity::generate()]).unwrap();
        let sealed = vault.seal("accounts", b"row-1", b"the record").unwrap();
        assert_eq!(
            &vault.open("accounts", b"row-1", &sealed, "test").unwrap()[..],
            b"the record"
        );
        assert!(vault.open("accounts", b"row-2", &sealed, "test").is_err());
        assert!(vault.open("sessions", b"row-1", &sealed, "test").is_err());
        // The length prefix keeps ("ab", "c…") and ("a", "bc…") apart.
        assert!(vault.open("account", b"srow-1", &sealed, "test").is_err());
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(vault.open("accounts", b"row-1", &flipped, "test").is_err());
        assert!(vault
            .open("accounts", b"row-1", &sealed[..10], "test")
            .is_err());
    }

    #[test]
    fn the_same_record_seals_differently_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open_or_create(dir.path(), &[Identity::generate()]).unwrap();
        let one = vault.seal("t", b"k", b"same").unwrap();
        let two = vault.seal("t", b"k", b"same").unwrap();
        assert_ne!(one, two, "a fresh nonce per record");
    }

    #[test]
    fn the_data_key_survives_a_restart_and_needs_the_identity() {
        let dir = tempfile::tempdir().unwrap();
        let identity = Identity::generate();
        let first = Vault::open_or_create(dir.path(), std::slice::from_ref(&identity)).unwrap();
        let sealed = first.seal("t", b"k", b"kept").unwrap();
        let wrapped_before = std::fs::read(dir.path().join(DATA_KEY_FILE)).unwrap();

        let again = Vault::open_or_create(dir.path(), std::slice::from_ref(&identity)).unwrap();
        assert_eq!(
            &again.open("t", b"k", &sealed, "test").unwrap()[..],
            b"kept"
        );
        assert_eq!(
            std::fs::read(dir.path().join(DATA_KEY_FILE)).unwrap(),
            wrapped_before,
            "an existing data key is never replaced"
        );
        assert!(matches!(
            Vault::open_or_create(dir.path(), &[Identity::generate()]),
            Err(VaultError::WrongIdentity(_))
        ));
        assert!(!porten_protocol::fsutil::is_shared(&dir.path().join(DATA_KEY_FILE)).unwrap());
    }

    #[test]
    fn a_damaged_data_key_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DATA_KEY_FILE), b"not an age file").unwrap();
        assert!(matches!(
            Vault::open_or_create(dir.path(), &[Identity::generate()]),
            Err(VaultError::Damaged(_))
        ));
        assert_eq!(
            std::fs::read(dir.path().join(DATA_KEY_FILE)).unwrap(),
            b"not an age file"
        );
    }

    #[test]
    fn index_keys_are_stable_and_differ_between_tables_and_installations() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let vault = Vault::open_or_create(dir.path(), &[Identity::generate()]).unwrap();
        let foreign = Vault::open_or_create(other.path(), &[Identity::generate()]).unwrap();
        assert_eq!(vault.index_key("a", b"sara"), vault.index_key("a", b"sara"));
        assert_ne!(vault.index_key("a", b"sara"), vault.index_key("b", b"sara"));
        assert_ne!(
            vault.index_key("a", b"sara"),
            foreign.index_key("a", b"sara")
        );
    }
}
