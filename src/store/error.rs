//! The store's error type. No variant carries a ticket ref, a ciphertext or any other stored value.

/// Why a store operation failed. When one is returned, the operation committed nothing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opening: the database file could not be created or opened (permissions, missing data directory).
    #[error("cannot create or open the database file: {0}")]
    Io(#[source] std::io::Error),
    /// Opening: another process holds the database file (is another gateway running on the same data
    /// directory?).
    #[error("the database file is already open in another process")]
    AlreadyOpen,
    /// Opening: the file was written by a build with another schema version.
    #[error(
        "the database has schema version {found}; this build reads version {expected}. Let the internal side \
         pull every envelope, stop the gateway, and move porten.redb out of the data directory (README, \
         \"Upgrading the storage\"); tickets of the old file become unreachable"
    )]
    Schema {
        /// The version found in the file.
        found: u64,
        /// The version this build reads.
        expected: u64,
    },
    /// Opening: the database holds tickets but the ticket key file beside it is missing, so none of them
    /// could be opened (restored from a backup without its key file?).
    #[error(
        "the ticket key file {} is missing while the database holds tickets; restore it from the same backup \
         as the database",
        .0.display()
    )]
    KeyFileMissing(std::path::PathBuf),
    /// The ticket key file could not be read or written (an overwrite that failed is retried later).
    #[error("the ticket key file could not be read or written")]
    KeyFile(#[source] std::io::Error),
    /// The file's own bookkeeping is inconsistent: it was damaged or edited outside the gateway.
    #[error("the database is damaged: {0}")]
    Corrupt(&'static str),
    /// First contact: the ticket ref is already taken; make a new code and try again.
    #[error("a ticket with this ref already exists")]
    TicketExists,
    /// Follow-up: the ticket does not exist (it expired or was deleted).
    #[error("no such ticket")]
    NoSuchTicket,
    /// A sequence number would overflow (a thread with four billion entries, or the outbox after
    /// 2^64 envelopes).
    #[error("the {0} sequence number is exhausted")]
    CounterExhausted(&'static str),
    /// Opening a new file: the system random number generator failed to make the salt.
    #[error("the system random number generator failed")]
    Random,
    /// The database engine failed (I/O error, full disk, damaged file, compaction blocked by a reader).
    #[error("database error: {0}")]
    Database(#[source] redb::Error),
}

macro_rules! from_redb {
    ($($error:ty),+) => {
        $(impl From<$error> for StoreError {
            fn from(error: $error) -> Self {
                StoreError::Database(error.into())
            }
        })+
    };
}

from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::CompactionError
);

impl From<redb::DatabaseError> for StoreError {
    fn from(error: redb::DatabaseError) -> Self {
        match error {
            redb::DatabaseError::DatabaseAlreadyOpen => StoreError::AlreadyOpen,
            other => StoreError::Database(other.into()),
        }
    }
}
