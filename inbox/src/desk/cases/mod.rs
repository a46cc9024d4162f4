//! Cases: one per ticket, with its whole conversation, who has it, whose turn it is, and what became of
//! it. The desk's pages show them; the delivery path feeds them ([`Cases::record_envelope`]).
//!
//! A case is keyed by an index key (HMAC) of its ticket ref, never by the ref itself, and every row is
//! sealed. Each case has a small **summary** row (`cases` table: group, language, urgency, status,
//! assignee, team, times, whose turn, reminder, referrals, the visitor side's end) and one row per
//! **entry** of its conversation (`case_entries`: visitor messages, the centre's replies, internal notes).
//! The queue reads summaries only, so its cost grows with the number of cases, not of messages.
//!
//! - `intake` ([`Cases::record_envelope`]): a first contact opens a case in its group's team; a follow-up
//!   lands in its case, marks it new and makes it our turn; a close records the visitor side's end. Each
//!   envelope is recorded once, however often it is delivered.
//! - `actions`: what staff do to a case; each returns the [`CaseFact`] the caller writes to the audit log.
//! - `access`: who may see and do what (the rule is written out there and in `docs/DESIGN.md`).
//! - `queue`: the views of the queue, urgent first, then longest waiting.
//! - `retention`: erasing the content of cases whose visitor side ended long enough ago.

mod access;
mod actions;
mod facts;
mod intake;
mod queue;
mod retention;
mod rows;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;

use porten_protocol::envelope::{ClosedReason, Group};
use porten_protocol::secret::Sensitive;
use porten_protocol::thread::EntryId;
use porten_protocol::TicketRef;
use serde::{Deserialize, Serialize};

use super::accounts::AccountId;
use super::clock::Clock;
use super::names::{DisplayName, TeamName};
use super::store::{DeskStore, DeskStoreError, CASES};
use super::teams::{Partner, Teams};

pub use actions::ReplyIntent;
pub use facts::{CaseAction, CaseFact, FactBy};
pub use intake::{Incoming, Recorded};
pub use queue::{Counts, Queue, View};
use rows::{CaseRecord, EntryRecord, ReferralRecord, SecretText, StoredBody};

/// The longest note, reply or referral note, in characters: the reply command's limit.
pub const MAX_TEXT_CHARS: usize = crate::reply::MAX_REPLY_CHARS;
/// Hex characters of a case key written to the audit log.
const CASE_PREFIX_LEN: usize = 16;

/// A case's key: the index key of its ticket ref, shown as 64 hex characters (the case page's address).
/// It reveals nothing about the ticket ref to someone without the desk's data key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseKey([u8; 32]);

impl CaseKey {
    /// Reads exactly 64 lowercase hex characters; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<CaseKey> {
        if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        let mut key = [0u8; 32];
        hex::decode_to_slice(text, &mut key).ok()?;
        Some(CaseKey(key))
    }

    /// The 64 hex characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The prefix the audit log names the case by.
    pub fn prefix(&self) -> String {
        let mut hex = self.to_hex();
        hex.truncate(CASE_PREFIX_LEN);
        hex
    }

    fn entry_key(&self, number: u32) -> [u8; 36] {
        let mut key = [0u8; 36];
        key[..32].copy_from_slice(&self.0);
        key[32..].copy_from_slice(&number.to_be_bytes());
        key
    }
}

impl fmt::Debug for CaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaseKey({})", self.to_hex())
    }
}

impl fmt::Display for CaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Where a case stands, as staff set it (a visitor's message makes it new again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A visitor's message its worker has not opened yet (or nobody has taken the case).
    New,
    /// Being worked on.
    Open,
    /// Answered; the next move is the visitor's.
    WaitingForVisitor,
    /// Done. A later message from the visitor makes it new again.
    Closed,
}

impl Status {
    /// The name as shown and logged: `new`, `open`, `waiting-for-visitor`, `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::WaitingForVisitor => "waiting-for-visitor",
            Status::Closed => "closed",
        }
    }
}

/// Whose turn it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "turn")]
pub enum Turn {
    /// The visitor is waiting for us, since their first unanswered message (Unix seconds).
    Ours {
        /// Since when.
        since: i64,
    },
    /// We are waiting for the visitor, since our last reply reached the gateway.
    Visitors {
        /// Since when.
        since: i64,
    },
}

/// A worker cleared a case's urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgencyCleared {
    /// Who.
    pub by: AccountId,
    /// When (Unix seconds).
    pub at: i64,
}

/// How the visitor's side ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorEnd {
    /// Deleted by the visitor, or expired.
    pub reason: ClosedReason,
    /// When the gateway closed the ticket (Unix seconds).
    pub at: i64,
}

/// A record that the case was passed on to a partner instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    /// The partner's configured name.
    pub partner: String,
    /// When it was recorded (Unix seconds).
    pub at: i64,
    /// What was passed on, or agreed; erased with the case's content.
    pub note: Option<Sensitive<String>>,
    /// Who recorded it.
    pub by: AccountId,
}

/// Where a reply the centre wrote stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum Delivery {
    /// Stored here; the push to the gateway has not reported yet.
    Recorded,
    /// The gateway stored it: the visitor sees it when they come back.
    Pushed {
        /// When (Unix seconds).
        at: i64,
    },
    /// The push failed; the visitor has not got it.
    Failed {
        /// When (Unix seconds).
        at: i64,
    },
}

/// A case as the queue and the case page show it. No message text is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Its key.
    pub key: CaseKey,
    /// The ticket ref's prefix, as the delivery lines of the audit log name it.
    pub ticket: String,
    /// The visitor's group (unknown if the desk saw a follow-up before, or without, the first contact).
    pub group: Option<Group>,
    /// The language the visitor asked replies in.
    pub language: Option<String>,
    /// "I am in danger now", from the first contact or any follow-up, until a worker clears it.
    pub urgent: bool,
    /// Every time a worker cleared the urgency.
    pub urgency_cleared: Vec<UrgencyCleared>,
    /// Where it stands.
    pub status: Status,
    /// The worker who has it.
    pub assignee: Option<AccountId>,
    /// The team it belongs to.
    pub team: Option<TeamName>,
    /// Everyone who has had it, in order: who handled it, kept after erasure.
    pub handlers: Vec<AccountId>,
    /// When the first message arrived (Unix seconds).
    pub created: i64,
    /// When the visitor last wrote.
    pub last_visitor_message: Option<i64>,
    /// When a reply last reached the gateway.
    pub last_staff_reply: Option<i64>,
    /// Whose turn it is.
    pub turn: Turn,
    /// A follow-up reminder (Unix seconds; the pages pass midnight of the chosen day).
    pub reminder: Option<i64>,
    /// Where it was passed on to.
    pub referrals: Vec<Referral>,
    /// How and when the visitor's side ended.
    pub visitor_end: Option<VisitorEnd>,
    /// When its content is erased (set when the visitor's side ends).
    pub erase_after: Option<i64>,
    /// When its content was erased: only this summary is left.
    pub erased: Option<i64>,
    /// How many entries its conversation has had.
    pub entries: u32,
    /// The ticket ref in hex; `None` once the content is erased.
    ticket_ref: Option<Sensitive<String>>,
}

impl Case {
    /// The ticket ref, to find the reply key and push a reply; `None` once the content is erased.
    pub fn ticket_ref(&self) -> Option<TicketRef> {
        self.ticket_ref
            .as_ref()
            .and_then(|hex| TicketRef::from_lower_hex(hex.expose()))
    }

    /// Since when the visitor has been waiting for us, if they are and can still read a reply.
    pub fn waiting_since(&self) -> Option<i64> {
        match self.turn {
            Turn::Ours { since } if self.visitor_end.is_none() && self.status != Status::Closed => {
                Some(since)
            }
            _ => None,
        }
    }
}

/// One entry of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its number in the case, from 0.
    pub number: u32,
    /// When it was written (Unix seconds; a visitor's message: when the gateway received it).
    pub at: i64,
    /// What it is.
    pub body: EntryBody,
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryBody {
    /// A visitor's message.
    Visitor {
        /// The text.
        message: Sensitive<String>,
        /// They ticked "I am in danger now" on it.
        urgent: bool,
        /// The id of the envelope it came in (hex).
        envelope: String,
        /// Its sealed original is kept and can be exported ([`Cases::sealed_original`]).
        original: bool,
    },
    /// The centre's reply.
    Reply {
        /// The reply's id, also its entry id in the visitor's thread.
        reply_id: EntryId,
        /// Who wrote it.
        author: AccountId,
        /// The name the visitor sees on it.
        display_name: DisplayName,
        /// The text.
        text: Sensitive<String>,
        /// Where it stands.
        delivery: Delivery,
    },
    /// An internal note: never sent.
    Note {
        /// Who wrote it.
        author: AccountId,
        /// The text.
        text: Sensitive<String>,
    },
}

/// A case and its conversation in order, as the case page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    /// The case.
    pub case: Case,
    /// Its entries, oldest first; empty once erased.
    pub entries: Vec<Entry>,
}

/// Why a case could not be read or changed. No variant carries message or note text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// No case with this key that the account may see: it does not exist or is outside the account's
    /// teams (the two are not told apart, so the answer reveals nothing).
    #[error("no such case")]
    NotFound,
    /// The account may see the case, but handing it to someone else or moving it is for the worker who
    /// has it and for team leads.
    #[error("only the worker who has this case or a team lead may do that")]
    NotAllowed,
    /// The acting account is gone, disabled or reset since its login session began.
    #[error("this account is not active")]
    AccountInactive,
    /// Assigning: the colleague's account does not exist, is not active, or does not work cases.
    #[error("that account cannot be given cases")]
    NotAssignable,
    /// Moving: no team of this name is configured.
    #[error("no team {0} is configured")]
    UnknownTeam(TeamName),
    /// Referring: no partner of this name is configured.
    #[error("no partner {0:?} is configured")]
    UnknownPartner(String),
    /// A note, reply or referral note is blank or too long.
    #[error("{0}")]
    BadText(&'static str),
    /// Replying: the visitor deleted the conversation or it expired; a reply would never be read.
    #[error("the visitor's conversation has ended; a reply cannot reach them")]
    VisitorGone,
    /// The case's content was erased after its retention period.
    #[error("this case's content was erased after its retention period")]
    Erased,
    /// Recording a push's outcome: the case has no reply with this id.
    #[error("the case has no such reply")]
    NoSuchReply,
    /// Replying: a reply with this id is recorded already (the same form sent twice).
    #[error("this reply is recorded already")]
    ReplyExists,
    /// The database failed; nothing was changed.
    #[error(transparent)]
    Store(#[from] DeskStoreError),
}

/// The cases, and everything done to them. Cheap to clone.
#[derive(Clone)]
pub struct Cases {
    store: Arc<DeskStore>,
    clock: Arc<dyn Clock>,
    teams: Arc<Teams>,
    partners: Arc<Vec<Partner>>,
    restricted: bool,
    retention_secs: i64,
}

impl fmt::Debug for Cases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cases")
    }
}

/// What a [`Cases`] is set up with, from the configuration.
pub(super) struct CasesSetup {
    pub(super) teams: Teams,
    pub(super) partners: Vec<Partner>,
    pub(super) restricted: bool,
    pub(super) retention_days: u32,
}

impl Cases {
    pub(super) fn new(store: Arc<DeskStore>, clock: Arc<dyn Clock>, setup: CasesSetup) -> Cases {
        Cases {
            store,
            clock,
            teams: Arc::new(setup.teams),
            partners: Arc::new(setup.partners),
            restricted: setup.restricted,
            retention_secs: i64::from(setup.retention_days) * 24 * 3600,
        }
    }

    /// The configured teams.
    pub fn teams(&self) -> &Teams {
        &self.teams
    }

    /// The configured partner instances.
    pub fn partners(&self) -> &[Partner] {
        &self.partners
    }

    /// The key of the case of `ticket_ref` (whether or not there is one).
    pub fn key_for(&self, ticket_ref: &TicketRef) -> CaseKey {
        CaseKey(
            self.store
                .vault()
                .index_key(CASES.name(), ticket_ref.as_bytes()),
        )
    }
}

/// Checks a note's, reply's or referral note's text: not blank, at most [`MAX_TEXT_CHARS`] characters.
fn check_text(text: &str) -> Result<(), CaseError> {
    if text.trim().is_empty() {
        return Err(CaseError::BadText("the text is empty"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(CaseError::BadText(
            "the text is longer than 20000 characters; split it in two",
        ));
    }
    Ok(())
}
