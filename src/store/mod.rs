//! The gateway's storage: tickets, their threads and the outbox, in one crash-safe redb file.
//!
//! Every operation is a single redb transaction with the default (immediate, durable) commit: when a call
//! returns `Ok`, its writes are on disk; when it returns an error, none of them are. That is what makes "a
//! code shown is a request kept" true: the ticket, the visitor's entry and the sealed envelope are written
//! together or not at all. The store holds only ciphertext (entries under the reply key, envelopes sealed for
//! the internal side) and ticket refs; it never sees a code or a key. The API is blocking: async callers use
//! `spawn_blocking`.
//!
//! Tables (keys and values are redb tuples, so their types are checked on open):
//!
//! | table | key | value |
//! |---|---|---|
//! | `meta` | `&str` | bytes: `schema` → 1 (u64 LE), `salt` → the 16-byte installation salt for the KDF, `outbox_next` → the next outbox seq (u64 LE) |
//! | `tickets` | ticket ref `[u8; 32]` | (created, last activity, last opened, next entry seq): `(i64, i64, Option<i64>, u32)`, times in unix seconds |
//! | `entries` | (ticket ref, entry seq `u32`) | (entry id `[u8; 16]`, author `u8`, delivered `bool`, outbox seq `Option<u64>`, ciphertext) |
//! | `outbox` | outbox seq `u64` | (ticket ref, entry seq `Option<u32>`, sealed envelope) |
//! | `replies` | reply id `[u8; 16]` | ticket ref: which staff replies were already stored |
//!
//! Outbox seqs start at 1 and come from the `outbox_next` counter, so a seq is never reused, even after
//! acknowledged items are deleted. A staff reply is stored as an entry whose entry id is its reply id.

mod error;
mod outbox;
mod removal;
mod tables;
#[cfg(test)]
mod tests;
mod threads;

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata};
use ring::rand::{SecureRandom, SystemRandom};

pub use error::StoreError;
use tables::{
    meta_u64, ENTRIES, META, OUTBOX, OUTBOX_NEXT_KEY, REPLIES, SALT_KEY, SCHEMA_KEY, TICKETS,
};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

/// Page cache limit: the file is small, and the KDF needs the memory more.
const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// A thread entry to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// The entry id, bound into the ciphertext's associated data. For a staff reply: the reply id.
    pub id: [u8; 16],
    /// Who wrote it (the thread module's author byte).
    pub author: u8,
    /// The entry, encrypted under the ticket's reply key.
    pub ciphertext: Vec<u8>,
}

/// A thread entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntry {
    /// Position in the thread, from 0.
    pub seq: u32,
    /// The entry id.
    pub id: [u8; 16],
    /// Who wrote it (the thread module's author byte).
    pub author: u8,
    /// For a visitor's entry: the internal side has acknowledged its envelope. Staff entries are always
    /// delivered.
    pub delivered: bool,
    /// The entry, encrypted under the ticket's reply key.
    pub ciphertext: Vec<u8>,
}

/// A ticket and its thread, as [`Store::open_thread`] found them before recording this open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadRecord {
    /// When the ticket was made (unix seconds).
    pub created: i64,
    /// The last activity before this open (unix seconds).
    pub last_activity: i64,
    /// When the thread was opened before this time, if ever (unix seconds): lets the page mark what is new.
    pub previous_open: Option<i64>,
    /// All entries, in thread order.
    pub entries: Vec<StoredEntry>,
}

/// One sealed envelope waiting in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxItem {
    /// Its outbox seq: increasing, never reused.
    pub seq: u64,
    /// The sealed envelope.
    pub envelope: Vec<u8>,
}

/// What [`Store::add_reply`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyOutcome {
    /// The reply is now in the thread.
    Stored,
    /// A reply with this id was stored before; nothing was written.
    Duplicate,
    /// The ticket does not exist (expired or deleted); nothing was written.
    NoSuchTicket,
}

/// How much the store holds, for counts-only metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Tickets.
    pub tickets: u64,
    /// Thread entries over all tickets.
    pub entries: u64,
    /// Envelopes not yet acknowledged by the internal side.
    pub outbox_pending: u64,
}

/// The gateway's database: one redb file. Share it between threads behind an `Arc`.
pub struct Store {
    db: Database,
    salt: [u8; 16],
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl Store {
    /// Opens the database at `path`, creating the file (mode 0600) and its salt if it does not exist. The
    /// directory must exist. The file's integrity is checked on open, so a damaged file is an error rather
    /// than a crash later.
    ///
    /// Errors: [`StoreError::Io`] if the file cannot be created, [`StoreError::AlreadyOpen`] if another
    /// process has it, [`StoreError::Schema`] for a file of another schema version.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        create_private_file(path).map_err(StoreError::Io)?;
        let db = Database::builder()
            .set_check_integrity_on_open(true)
            .set_cache_size(CACHE_BYTES)
            .create(path)?;
        let salt = initialise(&db)?;
        Ok(Store { db, salt })
    }

    /// The installation salt for the KDF: 16 random bytes made when the file was created, stable after.
    pub fn salt(&self) -> [u8; 16] {
        self.salt
    }

    /// How many tickets, entries and pending envelopes there are, for counts-only metrics.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let txn = self.db.begin_read()?;
        Ok(Counts {
            tickets: txn.open_table(TICKETS)?.len()?,
            entries: txn.open_table(ENTRIES)?.len()?,
            outbox_pending: txn.open_table(OUTBOX)?.len()?,
        })
    }

    /// Compacts the file, giving back the space freed by acknowledged and deleted items. `true` if it
    /// shrank something. Fails with [`StoreError::Database`] while a read transaction is running.
    pub fn compact(&mut self) -> Result<bool, StoreError> {
        Ok(self.db.compact()?)
    }
}

/// Creates the file readable by the owner alone; an existing file is left as it is.
fn create_private_file(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// Checks the schema of an existing file, or sets up a new one: schema, salt, outbox counter and every
/// table, so that read transactions always find them. Returns the salt.
fn initialise(db: &Database) -> Result<[u8; 16], StoreError> {
    let txn = db.begin_write()?;
    let salt = {
        let mut meta = txn.open_table(META)?;
        // The schema is checked before any other table is opened: another version may type them differently.
        match meta_u64(&meta, SCHEMA_KEY)? {
            Some(SCHEMA_VERSION) => {}
            Some(found) => {
                return Err(StoreError::Schema {
                    found,
                    expected: SCHEMA_VERSION,
                })
            }
            None if meta.get(SALT_KEY)?.is_some() => {
                return Err(StoreError::Corrupt("the schema version is missing"))
            }
            None => {
                let mut salt = [0u8; 16];
                SystemRandom::new()
                    .fill(&mut salt)
                    .map_err(|_| StoreError::Random)?;
                meta.insert(SCHEMA_KEY, SCHEMA_VERSION.to_le_bytes().as_slice())?;
                meta.insert(SALT_KEY, salt.as_slice())?;
                meta.insert(OUTBOX_NEXT_KEY, 1u64.to_le_bytes().as_slice())?;
            }
        }
        let salt = meta
            .get(SALT_KEY)?
            .and_then(|guard| <[u8; 16]>::try_from(guard.value()).ok())
            .ok_or(StoreError::Corrupt(
                "the salt is missing or has the wrong length",
            ))?;
        if meta_u64(&meta, OUTBOX_NEXT_KEY)?.is_none() {
            return Err(StoreError::Corrupt("the outbox counter is missing"));
        }
        txn.open_table(TICKETS)?;
        txn.open_table(ENTRIES)?;
        txn.open_table(OUTBOX)?;
        txn.open_table(REPLIES)?;
        salt
    };
    txn.commit()?;
    Ok(salt)
}
