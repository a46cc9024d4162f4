//! The gateway's storage: tickets, their threads and the outbox, in one crash-safe redb file and a key file.
//!
//! Every operation is a single redb transaction with the default (immediate, durable) commit: when a call
//! returns `Ok`, its writes are on disk; when it returns an error, none of them are. That is what makes "a
//! code shown is a request kept" true: the ticket, the visitor's entry and the sealed envelope are written
//! together or not at all. The store holds only ciphertext (entries under the reply key, envelopes sealed for
//! the internal side) and, in the key file, ticket refs; it never sees a code or a reply key. The API is
//! blocking: async callers use `spawn_blocking`.
//!
//! Erasure that holds on disk: redb is copy-on-write and keeps old versions of rows in freed pages, so the
//! store never lets a row be worth anything on its own. Tickets are found through the **key file** beside the
//! database (`porten.keys` next to `porten.redb`): one fixed-size slot per live ticket holds its ticket ref,
//! a random ticket id (the key of its rows) and a random storage key that seals its rows. Deleting a ticket
//! overwrites its slot with zeros in place; what redb still holds of it afterwards, in live or freed pages,
//! names no ticket ref and opens with no key that exists. Compaction ([`Store::compact`]) then gives the
//! freed space back. See `keys` for the slot format and the order of writes.
//!
//! Tables (keys and values are redb tuples, so their types are checked on open):
//!
//! | table | key | value |
//! |---|---|---|
//! | `meta` | `&str` | bytes: `schema` → 3 (u64 LE), `salt` → the 16-byte installation salt for the KDF, `outbox_next` → the next outbox seq (u64 LE) |
//! | `tickets` | ticket id `[u8; 16]` | (created, last activity, last opened, next entry seq) sealed under the storage key |
//! | `entries` | (ticket id, entry seq `u32`) | (entry id `[u8; 16]`, author `u8`, delivered `bool`, outbox seq `Option<u64>`, the entry's ciphertext sealed again under the storage key) |
//! | `outbox` | outbox seq `u64` | (ticket id, entry seq `Option<u32>`, envelope id `[u8; 16]`, sealed envelope) |
//! | `replies` | reply id `[u8; 16]` | ticket id: which staff replies were already stored |
//!
//! Outbox seqs start at 1 and come from the `outbox_next` counter, so a seq is never reused, even after
//! acknowledged items are deleted. A staff reply is stored as an entry whose entry id is its reply id.
//!
//! Schema version 1 (before the key file) is refused, not converted: converting in place would leave every
//! deleted version-1 row in the file's freed pages, which is what version 2 exists to prevent. Version 3 adds
//! the envelope id to outbox rows (an ack must name it); a version-2 file is converted when its outbox is
//! empty, since only the outbox's row type changed, and refused otherwise: the ids of its waiting envelopes
//! are sealed inside them.

mod error;
mod keys;
mod outbox;
mod removal;
mod sealed;
mod tables;
#[cfg(test)]
mod tests;
mod threads;

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata};
use ring::rand::{SecureRandom, SystemRandom};

pub use error::StoreError;
use keys::KeyFile;
use tables::{
    delete_thread, meta_u64, TicketId, ENTRIES, META, OUTBOX, OUTBOX_NEXT_KEY, REPLIES, SALT_KEY,
    SCHEMA_KEY, TICKETS,
};

/// The schema version this build reads and writes: 2 brought the key file, 3 thread entries padded to size
/// buckets (thread-entry format 2), which an older file does not hold.
pub const SCHEMA_VERSION: u64 = 3;

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

/// A sealed envelope to be queued in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedEnvelope {
    /// The envelope id sealed inside it (`Payload::envelope_id`): kept beside the row, never handed out with
    /// it, and required to ack it.
    pub id: [u8; 16],
    /// The sealed envelope.
    pub sealed: Vec<u8>,
}

/// What [`Store::ack`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckOutcome {
    /// Every named envelope that was still in the outbox matched its id and is deleted now (how many).
    Deleted(usize),
    /// An envelope still in the outbox was named with another id: nothing was deleted.
    WrongEnvelopeId,
}

/// One sealed envelope waiting in the outbox. Its envelope id is deliberately not here: it is never handed out.
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

/// The gateway's database: one redb file and the ticket key file beside it. Share it between threads behind
/// an `Arc`.
pub struct Store {
    /// Every operation holds a read guard for its transaction's life; compaction takes it exclusively,
    /// because redb compacts only when no transaction is open.
    db: RwLock<Database>,
    keys: KeyFile,
    salt: [u8; 16],
    /// Something was deleted since the last compaction.
    compaction_due: AtomicBool,
}

/// What [`Store::open`] had to settle after an unclean stop; counts only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Reconciled {
    /// Key slots erased because no ticket rows belong to them (a crash between writing a new ticket's slot
    /// and committing its rows, or between deleting a ticket's rows and erasing its slot), or because they
    /// were torn.
    slots_erased: usize,
    /// Tickets whose rows were deleted because no key slot opens them (a key file from another backup).
    rows_deleted: usize,
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
    ///
    /// The key file is [`Store::key_file_path`]. Slots without rows are erased and rows without a slot are
    /// deleted (a crash between the two writes of a first contact or a deletion); a key file that is missing
    /// while the database holds tickets is [`StoreError::KeyFileMissing`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        create_private_file(path).map_err(StoreError::Io)?;
        let db = Database::builder()
            .set_check_integrity_on_open(true)
            .set_cache_size(CACHE_BYTES)
            .create(path)?;
        let salt = initialise(&db)?;
        let keys_path = Store::key_file_path(path);
        if !keys_path.try_exists().map_err(StoreError::KeyFile)? && has_tickets(&db)? {
            return Err(StoreError::KeyFileMissing(keys_path));
        }
        let (keys, found, _) = KeyFile::open(&keys_path).map_err(StoreError::KeyFile)?;
        let reconciled = reconcile(&db, &keys, found)?;
        if reconciled != Reconciled::default() {
            tracing::warn!(
                slots_erased = reconciled.slots_erased,
                rows_deleted = reconciled.rows_deleted,
                "the ticket key file and the database were brought back in step after an unclean stop"
            );
        }
        Ok(Store {
            db: RwLock::new(db),
            keys,
            salt,
            compaction_due: AtomicBool::new(false),
        })
    }

    /// The key file of the database at `path`: the same name with the extension `keys`.
    pub fn key_file_path(path: &Path) -> PathBuf {
        path.with_extension("keys")
    }

    fn db(&self) -> RwLockReadGuard<'_, Database> {
        // A panic while compacting leaves redb's own state consistent; the lock's flag adds nothing.
        match self.db.read() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The installation salt for the KDF: 16 random bytes made when the file was created, stable after.
    pub fn salt(&self) -> [u8; 16] {
        self.salt
    }

    /// How many tickets, entries and pending envelopes there are, for counts-only metrics.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let db = self.db();
        let txn = db.begin_read()?;
        Ok(Counts {
            tickets: txn.open_table(TICKETS)?.len()?,
            entries: txn.open_table(ENTRIES)?.len()?,
            outbox_pending: txn.open_table(OUTBOX)?.len()?,
        })
    }

    /// Compacts the file, giving back the space freed by acknowledged and deleted items, retries the
    /// erasure of key slots whose overwrite failed, and cuts free slots off the end of the key file. `true` if it shrank something. Waits for the store calls
    /// in flight; every other store call waits while it runs.
    pub fn compact(&self) -> Result<bool, StoreError> {
        let db = match self.db.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        self.compact_locked(db)
    }

    /// Compacts if a ticket was deleted or an envelope acknowledged since the last compaction, and no store
    /// call is running at this moment (a quiet moment). `None` if there was nothing to do or it was busy.
    pub fn compact_if_due(&self) -> Result<Option<bool>, StoreError> {
        if !self.compaction_due.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let db = match self.db.try_write() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
        };
        self.compact_locked(db).map(Some)
    }

    fn compact_locked(&self, mut db: RwLockWriteGuard<'_, Database>) -> Result<bool, StoreError> {
        self.keys.retry_erasures().map_err(StoreError::KeyFile)?;
        self.keys
            .truncate_free_tail()
            .map_err(StoreError::KeyFile)?;
        self.compaction_due.store(false, Ordering::Relaxed);
        match db.compact() {
            Ok(shrank) => Ok(shrank),
            Err(error) => {
                self.compaction_due.store(true, Ordering::Relaxed);
                Err(error.into())
            }
        }
    }
}

/// Whether the tickets table holds any row (false for a new file).
fn has_tickets(db: &Database) -> Result<bool, StoreError> {
    let txn = db.begin_read()?;
    Ok(!txn.open_table(TICKETS)?.is_empty()?)
}

/// Brings the key file and the database in step after an unclean stop: erases slots whose ticket has no
/// rows, and deletes rows whose ticket has no slot.
fn reconcile(db: &Database, keys: &KeyFile, found: keys::Found) -> Result<Reconciled, StoreError> {
    let mut rows: HashSet<TicketId> = HashSet::new();
    {
        let txn = db.begin_read()?;
        for item in txn.open_table(TICKETS)?.iter()? {
            rows.insert(*item?.0.value());
        }
    }
    let live: HashSet<TicketId> = keys.live_ids().into_iter().collect();
    let mut erase: Vec<u32> = found.damaged;
    erase.extend(found.duplicates);
    erase.extend(
        live.iter()
            .filter(|id| !rows.contains(*id))
            .filter_map(|id| keys.by_id(id).map(|slot| slot.index)),
    );
    // Erased slots first: a duplicate slot's ticket id may also be live in the slot that won.
    let slots_erased = keys.erase_many(&erase).map_err(StoreError::KeyFile)?;
    let orphans: Vec<TicketId> = rows.difference(&live).copied().collect();
    if !orphans.is_empty() {
        let txn = db.begin_write()?;
        {
            let mut tickets = txn.open_table(TICKETS)?;
            for id in &orphans {
                tickets.remove(id)?;
                delete_thread(&txn, id)?;
            }
        }
        txn.commit()?;
    }
    Ok(Reconciled {
        slots_erased,
        rows_deleted: orphans.len(),
    })
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
