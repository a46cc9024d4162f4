//! The internal side: `porten-inbox`, the only holder of the age identity.
//!
//! It connects out to the gateway's internal API (mutual TLS; the gateway never connects in), pulls sealed
//! envelopes, opens them, and delivers each exactly once into the spool directory the case system reads (and,
//! optionally, at least once to a webhook), then acks. It keeps each open ticket's reply key so that staff can
//! answer under a display name (`porten-inbox reply`), forgets the key when the ticket is closed, and writes
//! an append-only, hash-chained audit log of deliveries, closes and replies.
//!
//! Files: `<state_dir>/reply-keys/` (one 0600 JSON per open ticket), `<state_dir>/unopened/` (envelopes the
//! identity could not open, kept as age files), the audit log (`<state_dir>/audit.jsonl` and its `.head`),
//! and `<spool_dir>/<envelope id>.json`.

pub mod audit;
pub mod client;
pub mod config;
pub mod deliver;
pub mod durable;
pub mod endpoint;
pub mod reply;
pub mod reply_keys;
pub mod run;
pub mod setup;
pub mod spool;
pub mod webhook;

use std::path::PathBuf;

pub use config::InboxConfig;

/// Why an inbox command failed. Messages name the file or the field and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// The configuration is unusable.
    #[error("{0}")]
    Config(#[from] config::InboxConfigError),
    /// The identity file could not be read.
    #[error("cannot read the identity file {path}: {source}")]
    Identity {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The identity file holds no usable identity, or an envelope key is wrong.
    #[error("identity: {0}")]
    Envelope(#[from] crate::envelope::EnvelopeError),
    /// A directory could not be made or a file in it written.
    #[error("cannot write {path}: {source}")]
    Dir {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A spool file could not be checked or written.
    #[error("spool file {path}: {source}")]
    Spool {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The gateway could not be reached or refused.
    #[error("gateway: {0}")]
    Client(#[from] client::ClientError),
    /// The webhook did not take a delivery.
    #[error("{0}")]
    Webhook(#[from] webhook::WebhookError),
    /// A reply key could not be found, read or written.
    #[error("{0}")]
    ReplyKey(#[from] reply_keys::ReplyKeyError),
    /// The audit log could not be appended to.
    #[error("{0}")]
    Audit(#[from] audit::AuditError),
    /// An opened payload does not have the form `open` promises (a bug, not an attack).
    #[error("an opened envelope's ticket ref is not 64 hex characters")]
    Payload,
    /// A reply is unusable; the message says why.
    #[error("{0}")]
    BadReply(&'static str),
    /// A reply could not be sealed.
    #[error("sealing the reply failed: {0}")]
    Seal(#[from] crate::thread::ThreadError),
    /// The gateway no longer has the ticket: the visitor deleted the conversation or it expired.
    #[error("the ticket no longer exists at the gateway (the visitor deleted the conversation, or it expired); the reply was not delivered")]
    TicketGone,
}

impl InboxError {
    fn spool(spool: &spool::Spool, envelope_id: &str, source: std::io::Error) -> InboxError {
        InboxError::Spool {
            path: spool.path_for(envelope_id),
            source,
        }
    }
}
