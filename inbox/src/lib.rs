#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
//!
//! # Files
//!
//! `<state_dir>/reply-keys/` (one 0600 JSON per open ticket: its reply key and expiry key),
//! `<state_dir>/unopened/` (envelopes the identity could not open, kept as age files), `<state_dir>/refused/`
//! (envelopes that opened but were refused: a first contact for a ticket already held, a follow-up or close
//! without a proof under the ticket's keys; kept as age files), the audit log (`<state_dir>/audit.jsonl` and
//! its `.head`), `<state_dir>/desk/` (the staff desk's sealed database `desk.redb` and its age-wrapped data
//! key `data-key.age`), and, when a spool is configured, `<spool_dir>/<envelope id>.json` (unsealed).

pub mod audit;
pub mod client;
pub mod config;
pub mod deliver;
mod desk;
pub mod durable;
pub mod endpoint;
pub mod open;
pub mod reply;
pub mod reply_keys;
pub mod run;
pub mod setup;
pub mod spool;
pub mod webhook;

use std::path::PathBuf;

pub use config::InboxConfig;
/// Why the staff desk's web pages could not be served.
pub use desk::web::{DeskTlsError, DeskWebError};
/// The staff desk's foundation: sealed storage, accounts, login and sessions (`desk` module).
pub use desk::{
    Account, AccountError, AccountId, AccountState, Accounts, AuthMethod, Authenticated, Clock,
    Credential, CsrfToken, Desk, DeskConfig, DeskError, DeskStore, DeskStoreError, DisplayName,
    EnrolmentCode, EnrolmentError, EnrolmentStart, Invitation, Login, LoginName, LoginRefused,
    ManualClock, NameError, NewAccount, NewSession, PasswordError, Passwords, Role, Session,
    SessionCookie, Sessions, SystemClock, TeamName, VaultError,
};
/// The staff desk's cases: a case per ticket, staff actions, the queue, teams and retention.
pub use desk::{
    Case, CaseAction, CaseError, CaseFact, CaseKey, CaseView, Cases, Counts, Delivery, Entry,
    EntryBody, FactBy, Incoming, Partner, Queue, Recorded, Referral, ReplyIntent, Status, Team,
    Teams, Turn, UrgencyCleared, View, VisitorEnd, MAX_TEXT_CHARS,
};

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
    /// The identity file holds no usable identity.
    #[error("identity: {0}")]
    IdentityFile(#[from] open::OpenError),
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
    /// A delivered batch's files could not be made durable; the message names the file.
    #[error("{0}")]
    Commit(std::io::Error),
    /// Something that cannot happen did: a bug in porten-inbox, not a problem with the input or the system.
    #[error("internal error (a bug in porten-inbox): {0}")]
    Bug(&'static str),
    /// A reply is unusable; the message says why.
    #[error("{0}")]
    BadReply(&'static str),
    /// A reply could not be sealed.
    #[error("sealing the reply failed: {0}")]
    Seal(#[from] porten_protocol::thread::ThreadError),
    /// The staff desk could not be opened.
    #[error("staff desk: {0}")]
    Desk(#[from] desk::DeskError),
    /// Delivered envelopes could not be recorded in the desk's cases; they are not acked and come back.
    #[error("staff desk: recording delivered envelopes in their cases failed: {0}")]
    Cases(#[from] desk::CaseError),
    /// An administrator's act on a desk account failed.
    #[error("staff desk: {0}")]
    Account(#[from] desk::AccountError),
    /// The staff desk's web pages could not be served.
    #[error(transparent)]
    DeskWeb(#[from] desk::web::DeskWebError),
    /// The gateway no longer has the ticket: the visitor deleted the conversation or it expired.
    #[error("the ticket no longer exists at the gateway (the visitor deleted the conversation, or it expired); the reply was not delivered")]
    TicketGone,
}

impl InboxError {
    fn spool(
        spool: &spool::Spool,
        envelope_id: &porten_protocol::envelope::EnvelopeId,
        source: std::io::Error,
    ) -> InboxError {
        InboxError::Spool {
            path: spool.path_for(envelope_id),
            source,
        }
    }
}
