//! The desk's database: one redb file in `<state_dir>/desk/`, every value sealed by the [`Vault`].
//!
//! Each table maps a byte key to a sealed value and is declared once as a [`SealedTable`]; reads and writes
//! go through [`Reader`] and [`Writer`], which seal and open with the table's name and the row's key as
//! associated data, so code outside this file never handles a sealed byte. A later table (cases, messages,
//! notes, referrals) is one more `SealedTable` constant in [`TABLES`] and a serde type for its rows.
//!
//! Row keys are random ids, SHA-256 hashes of high-entropy secrets (session ids, enrolment codes), or
//! [`Vault::index_key`]s of looked-up values (login names): none of them reveals a value to someone with a
//! copy of the file. Every call is one redb transaction with the default durable commit: when it returns
//! `Ok` its writes are on disk, when it returns an error none of them are. The API is blocking.
//!
//! | table | key | sealed value |
//! |---|---|---|
//! | `meta` | `&str` | not sealed: `schema` → 1 (u64 LE); `key-check` → a record sealed under the data key |
//! | `accounts` | account id (16 random bytes) | the account (`accounts::AccountRecord`) |
//! | `login_names` | index key of the login name | the account id |
//! | `enrolments` | SHA-256 of the enrolment code | account id, expiry, the TOTP secret being enrolled |
//! | `sessions` | SHA-256 of the session id | account id, times, CSRF token |
//! | `cases` | index key of the ticket ref | the case's summary (`cases::CaseRecord`), read by the queue |
//! | `case_entries` | case key, then the entry's number (u32 BE) | a visitor message, reply or note |
//! | `case_envelopes` | index key of the envelope id | the case key: each envelope is recorded once |

use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

use super::vault::{Vault, VaultError, DATA_KEY_FILE};

/// The schema version this build reads and writes.
pub(super) const DESK_SCHEMA_VERSION: u64 = 1;
/// The database file inside the desk's directory.
const DB_FILE: &str = "desk.redb";
/// Page cache: a desk's accounts and sessions are small; cases will be read a page at a time.
const CACHE_BYTES: usize = 32 * 1024 * 1024;

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const SCHEMA_KEY: &str = "schema";
const KEY_CHECK_KEY: &str = "key-check";
const KEY_CHECK_TEXT: &[u8] = b"porten desk data key";

/// A table whose values are sealed under the data key. `what` names a row in error messages.
#[derive(Debug, Clone, Copy)]
pub(super) struct SealedTable {
    name: &'static str,
    what: &'static str,
}

impl SealedTable {
    const fn new(name: &'static str, what: &'static str) -> SealedTable {
        SealedTable { name, what }
    }

    fn definition(&self) -> TableDefinition<'static, &'static [u8], &'static [u8]> {
        TableDefinition::new(self.name)
    }

    /// The table's name, for [`Vault::index_key`].
    pub(super) fn name(&self) -> &'static str {
        self.name
    }
}

/// Accounts by account id.
pub(super) const ACCOUNTS: SealedTable = SealedTable::new("accounts", "account");
/// Account ids by the index key of their login name.
pub(super) const LOGIN_NAMES: SealedTable = SealedTable::new("login_names", "login name");
/// Pending enrolments by the SHA-256 of their code.
pub(super) const ENROLMENTS: SealedTable = SealedTable::new("enrolments", "enrolment");
/// Login sessions by the SHA-256 of their id.
pub(super) const SESSIONS: SealedTable = SealedTable::new("sessions", "session");
/// Cases (their summaries) by the index key of their ticket ref.
pub(super) const CASES: SealedTable = SealedTable::new("cases", "case");
/// A case's conversation, one row per entry, by case key and entry number.
pub(super) const CASE_ENTRIES: SealedTable = SealedTable::new("case_entries", "case entry");
/// The case each recorded envelope went to, by the index key of the envelope id.
pub(super) const CASE_ENVELOPES: SealedTable =
    SealedTable::new("case_envelopes", "recorded envelope");
/// A visitor's message as it came from the gateway, still sealed to the inbox's identity (base64), by the
/// same key as its entry: what a worker exports to open with the `age` tool.
pub(super) const CASE_ORIGINALS: SealedTable =
    SealedTable::new("case_originals", "sealed original");
/// Every sealed table, created when the file is opened.
const TABLES: [SealedTable; 8] = [
    ACCOUNTS,
    LOGIN_NAMES,
    ENROLMENTS,
    SESSIONS,
    CASES,
    CASE_ENTRIES,
    CASE_ENVELOPES,
    CASE_ORIGINALS,
];

/// Why the desk's database could not be opened or used. No variant carries a stored value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeskStoreError {
    /// Opening: the desk's directory or database file could not be made or opened.
    #[error("cannot create or open {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// Opening: another process holds the database (is `porten-inbox run` using this state directory?).
    #[error("the desk's database is open in another porten-inbox process; stop it and try again")]
    AlreadyOpen,
    /// Opening: the file was written by a build with another schema version.
    #[error("the desk's database has schema version {found}; this build reads version {expected}")]
    Schema {
        /// The version in the file.
        found: u64,
        /// The version this build reads.
        expected: u64,
    },
    /// Opening: the database holds data but the data key beside it is missing.
    #[error(
        "the desk's data key {0} is missing while its database holds data; restore it from the same backup \
         as the database"
    )]
    DataKeyMissing(PathBuf),
    /// Opening: the data key opens, but it is not the key this database was sealed with.
    #[error(
        "the desk's data key does not belong to its database (restored from different backups?); restore \
         both from the same one"
    )]
    DataKeyMismatch,
    /// The data key could not be opened, or a record could not be sealed or opened.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// A record opened but is not what this build writes: damaged, or written by another version.
    #[error("the desk's database is damaged: {0}")]
    Corrupt(&'static str),
    /// The database engine failed (I/O error, full disk, damaged file).
    #[error("database error: {0}")]
    Database(#[source] redb::Error),
}

macro_rules! from_redb {
    ($($error:ty),+) => {
        $(impl From<$error> for DeskStoreError {
            fn from(error: $error) -> Self {
                DeskStoreError::Database(error.into())
            }
        })+
    };
}

from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

impl From<redb::DatabaseError> for DeskStoreError {
    fn from(error: redb::DatabaseError) -> Self {
        match error {
            redb::DatabaseError::DatabaseAlreadyOpen => DeskStoreError::AlreadyOpen,
            other => DeskStoreError::Database(other.into()),
        }
    }
}

/// The desk's database and the vault that seals its values.
pub struct DeskStore {
    db: Database,
    vault: Arc<Vault>,
    /// Write transactions begun: lets tests show which requests cost no disk write.
    #[cfg(test)]
    writes: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for DeskStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeskStore")
    }
}

impl DeskStore {
    /// The desk's directory inside the inbox's state directory.
    pub fn dir(state_dir: &Path) -> PathBuf {
        state_dir.join("desk")
    }

    /// Opens (or makes) the desk's database and data key in `<state_dir>/desk/`, unwrapping the data key
    /// with `identities`.
    ///
    /// The database is opened first: redb allows one process per file, so two processes cannot both make
    /// a data key for the same database.
    pub fn open(
        state_dir: &Path,
        identities: &[age::x25519::Identity],
    ) -> Result<DeskStore, DeskStoreError> {
        let dir = DeskStore::dir(state_dir);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| DeskStoreError::Io { path, source }
        };
        porten_protocol::fsutil::create_private_dir(&dir).map_err(io(&dir))?;
        let db_path = dir.join(DB_FILE);
        create_private_file(&db_path).map_err(io(&db_path))?;
        let db = Database::builder()
            .set_check_integrity_on_open(true)
            .set_cache_size(CACHE_BYTES)
            .create(&db_path)?;

        let key_path = dir.join(DATA_KEY_FILE);
        let initialised = schema(&db)?.is_some();
        if initialised && !key_path.try_exists().map_err(io(&key_path))? {
            return Err(DeskStoreError::DataKeyMissing(key_path));
        }
        let vault = Arc::new(Vault::open_or_create(&dir, identities)?);
        initialise(&db, &vault)?;
        Ok(DeskStore {
            db,
            vault,
            #[cfg(test)]
            writes: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The vault, for index keys.
    pub(super) fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Runs `work` in one read transaction.
    pub(super) fn read<T>(
        &self,
        work: impl FnOnce(&Reader<'_>) -> Result<T, DeskStoreError>,
    ) -> Result<T, DeskStoreError> {
        let txn = self.db.begin_read()?;
        work(&Reader {
            txn,
            vault: &self.vault,
        })
    }

    /// How many write transactions have begun.
    #[cfg(test)]
    pub(super) fn writes(&self) -> usize {
        self.writes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `work` in one write transaction and commits it if `work` returns `Ok`. The returned error
    /// type lets `work` refuse for a domain reason, which then commits nothing.
    pub(super) fn write<T, E: From<DeskStoreError>>(
        &self,
        work: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        #[cfg(test)]
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let txn = self.db.begin_write().map_err(DeskStoreError::from)?;
        let value = work(&Writer {
            txn: &txn,
            vault: &self.vault,
        })?;
        txn.commit().map_err(DeskStoreError::from)?;
        Ok(value)
    }
}

/// Reads sealed rows inside one read transaction.
pub(super) struct Reader<'a> {
    txn: ReadTransaction,
    vault: &'a Vault,
}

impl Reader<'_> {
    /// The row `key` of `table`, opened, if it exists.
    pub(super) fn get<T: DeserializeOwned>(
        &self,
        table: SealedTable,
        key: &[u8],
    ) -> Result<Option<T>, DeskStoreError> {
        let opened = self.txn.open_table(table.definition())?;
        let sealed = opened.get(key)?;
        sealed
            .map(|sealed| decode(self.vault, table, key, sealed.value()))
            .transpose()
    }

    /// Every row of `table`, opened, in key order.
    pub(super) fn rows<T: DeserializeOwned>(
        &self,
        table: SealedTable,
    ) -> Result<Vec<(Vec<u8>, T)>, DeskStoreError> {
        let opened = self.txn.open_table(table.definition())?;
        collect_rows(self.vault, table, opened.iter()?)
    }
}

/// Reads and writes sealed rows inside one write transaction.
pub(super) struct Writer<'a> {
    txn: &'a redb::WriteTransaction,
    vault: &'a Vault,
}

impl Writer<'_> {
    /// The row `key` of `table`, opened, if it exists.
    pub(super) fn get<T: DeserializeOwned>(
        &self,
        table: SealedTable,
        key: &[u8],
    ) -> Result<Option<T>, DeskStoreError> {
        let opened = self.txn.open_table(table.definition())?;
        let sealed = opened.get(key)?;
        sealed
            .map(|sealed| decode(self.vault, table, key, sealed.value()))
            .transpose()
    }

    /// Seals `value` and writes it as the row `key` of `table`, replacing what was there.
    pub(super) fn put<T: Serialize>(
        &self,
        table: SealedTable,
        key: &[u8],
        value: &T,
    ) -> Result<(), DeskStoreError> {
        let plain = Zeroizing::new(
            serde_json::to_vec(value)
                .map_err(|_| DeskStoreError::Corrupt("a record could not be encoded"))?,
        );
        let sealed = self.vault.seal(table.name, key, &plain)?;
        self.txn
            .open_table(table.definition())?
            .insert(key, sealed.as_slice())?;
        Ok(())
    }

    /// Deletes the row `key` of `table`; `true` if there was one.
    pub(super) fn remove(&self, table: SealedTable, key: &[u8]) -> Result<bool, DeskStoreError> {
        let mut opened = self.txn.open_table(table.definition())?;
        let removed = opened.remove(key)?.is_some();
        Ok(removed)
    }

    /// Every row of `table`, opened, in key order.
    pub(super) fn rows<T: DeserializeOwned>(
        &self,
        table: SealedTable,
    ) -> Result<Vec<(Vec<u8>, T)>, DeskStoreError> {
        let opened = self.txn.open_table(table.definition())?;
        collect_rows(self.vault, table, opened.iter()?)
    }
}

/// Reads a row in either kind of transaction, for checks that run before a write and again inside it.
pub(super) trait Rows {
    /// The row `key` of `table`, opened, if it exists.
    fn row<T: DeserializeOwned>(
        &self,
        table: SealedTable,
        key: &[u8],
    ) -> Result<Option<T>, DeskStoreError>;
}

impl Rows for Reader<'_> {
    fn row<T: DeserializeOwned>(
        &self,
        table: SealedTable,
        key: &[u8],
    ) -> Result<Option<T>, DeskStoreError> {
        self.get(table, key)
    }
}

impl Rows for Writer<'_> {
    fn row<T: DeserializeOwned>(
        &self,
        table: SealedTable,
        key: &[u8],
    ) -> Result<Option<T>, DeskStoreError> {
        self.get(table, key)
    }
}

type RowGuards<'a> = redb::Range<'a, &'static [u8], &'static [u8]>;

fn collect_rows<T: DeserializeOwned>(
    vault: &Vault,
    table: SealedTable,
    rows: RowGuards<'_>,
) -> Result<Vec<(Vec<u8>, T)>, DeskStoreError> {
    let mut out = Vec::new();
    for row in rows {
        let (key, sealed) = row?;
        let value = decode(vault, table, key.value(), sealed.value())?;
        out.push((key.value().to_vec(), value));
    }
    Ok(out)
}

fn decode<T: DeserializeOwned>(
    vault: &Vault,
    table: SealedTable,
    key: &[u8],
    sealed: &[u8],
) -> Result<T, DeskStoreError> {
    let plain = vault.open(table.name, key, sealed, table.what)?;
    serde_json::from_slice(&plain)
        .map_err(|_| DeskStoreError::Corrupt("a record opened but is not in this build's format"))
}

fn schema(db: &Database) -> Result<Option<u64>, DeskStoreError> {
    let txn = db.begin_read()?;
    let meta = match txn.open_table(META) {
        Ok(meta) => meta,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    match meta.get(SCHEMA_KEY)? {
        None => Ok(None),
        Some(guard) => <[u8; 8]>::try_from(guard.value())
            .map(|bytes| Some(u64::from_le_bytes(bytes)))
            .map_err(|_| DeskStoreError::Corrupt("the schema version has the wrong length")),
    }
}

/// Checks the schema version and that the data key is this database's; on a new file, writes both and
/// creates every table, so read transactions never meet a missing table.
fn initialise(db: &Database, vault: &Vault) -> Result<(), DeskStoreError> {
    let txn = db.begin_write()?;
    {
        let mut meta = txn.open_table(META)?;
        let found = match meta.get(SCHEMA_KEY)? {
            None => None,
            Some(guard) => Some(
                <[u8; 8]>::try_from(guard.value())
                    .map(u64::from_le_bytes)
                    .map_err(|_| {
                        DeskStoreError::Corrupt("the schema version has the wrong length")
                    })?,
            ),
        };
        match found {
            Some(found) if found != DESK_SCHEMA_VERSION => {
                return Err(DeskStoreError::Schema {
                    found,
                    expected: DESK_SCHEMA_VERSION,
                })
            }
            Some(_) => {
                let check = meta
                    .get(KEY_CHECK_KEY)?
                    .ok_or(DeskStoreError::Corrupt("the data key check is missing"))?;
                let opened =
                    vault.open("meta", KEY_CHECK_KEY.as_bytes(), check.value(), "key check");
                if !matches!(opened, Ok(ref text) if &text[..] == KEY_CHECK_TEXT) {
                    return Err(DeskStoreError::DataKeyMismatch);
                }
            }
            None => {
                meta.insert(SCHEMA_KEY, &DESK_SCHEMA_VERSION.to_le_bytes()[..])?;
                let check = vault.seal("meta", KEY_CHECK_KEY.as_bytes(), KEY_CHECK_TEXT)?;
                meta.insert(KEY_CHECK_KEY, check.as_slice())?;
            }
        }
        for table in TABLES {
            txn.open_table(table.definition())?;
        }
    }
    txn.commit()?;
    Ok(())
}

/// Makes the database file with mode 0600 before redb opens it (redb would use the umask).
fn create_private_file(path: &Path) -> io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
