//! What a staff action on a case tells the audit log: who, which case, what. Never message, reply or note
//! text: the log is not sealed, and it must be safe to hand to whoever checks the centre's work.

use std::fmt;

use super::super::accounts::AccountId;
use super::super::names::TeamName;
use super::{CaseKey, Status};
use crate::audit::AuditEvent;
use porten_protocol::thread::EntryId;

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactBy {
    /// A staff member, by their account id.
    Account(AccountId),
    /// The desk itself, erasing content after the retention period.
    Retention,
}

impl fmt::Display for FactBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactBy::Account(id) => write!(f, "{id}"),
            FactBy::Retention => f.write_str("retention"),
        }
    }
}

/// What was done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CaseAction {
    /// The case page was opened.
    Viewed,
    /// The worker took the case.
    Took,
    /// The case was given to this account.
    Assigned {
        /// The account now holding it.
        to: AccountId,
    },
    /// The case was moved to this team.
    MovedToTeam {
        /// The team.
        team: TeamName,
    },
    /// The status was set.
    StatusSet {
        /// The new status.
        status: Status,
    },
    /// An internal note was added.
    NoteAdded,
    /// A reply was stored; it is about to be pushed (the intent, written before the push).
    ReplyRecorded {
        /// The reply's id.
        reply_id: EntryId,
    },
    /// The gateway stored the reply.
    ReplyPushed {
        /// The reply's id.
        reply_id: EntryId,
    },
    /// The push failed.
    ReplyFailed {
        /// The reply's id.
        reply_id: EntryId,
    },
    /// A worker asked for a reply whose push failed to be sent again.
    ReplyRetried {
        /// The reply's id.
        reply_id: EntryId,
    },
    /// The case was recorded as passed on to a partner.
    Referred {
        /// The partner's configured name.
        partner: String,
    },
    /// A follow-up reminder was set.
    ReminderSet {
        /// For when (Unix seconds).
        at: i64,
    },
    /// The reminder was cleared.
    ReminderCleared,
    /// The urgency was cleared.
    UrgencyCleared,
    /// The content was erased after the retention period; the summary stays.
    ContentErased,
    /// A visitor's message was exported as its sealed original (to open with the `age` tool).
    Exported {
        /// The envelope id (hex).
        envelope: String,
    },
}

impl CaseAction {
    /// The action's name in the log, and its detail if it has one.
    fn parts(&self) -> (&'static str, Option<String>) {
        match self {
            CaseAction::Viewed => ("viewed", None),
            CaseAction::Took => ("took", None),
            CaseAction::Assigned { to } => ("assigned", Some(to.to_string())),
            CaseAction::MovedToTeam { team } => ("moved-to-team", Some(team.as_str().to_owned())),
            CaseAction::StatusSet { status } => ("status-set", Some(status.as_str().to_owned())),
            CaseAction::NoteAdded => ("note-added", None),
            CaseAction::ReplyRecorded { reply_id } => ("reply-recorded", Some(reply_id.to_hex())),
            CaseAction::ReplyPushed { reply_id } => ("reply-pushed", Some(reply_id.to_hex())),
            CaseAction::ReplyFailed { reply_id } => ("reply-failed", Some(reply_id.to_hex())),
            CaseAction::ReplyRetried { reply_id } => ("reply-retried", Some(reply_id.to_hex())),
            CaseAction::Referred { partner } => ("referred", Some(partner.clone())),
            CaseAction::ReminderSet { at } => ("reminder-set", Some(at.to_string())),
            CaseAction::ReminderCleared => ("reminder-cleared", None),
            CaseAction::UrgencyCleared => ("urgency-cleared", None),
            CaseAction::ContentErased => ("content-erased", None),
            CaseAction::Exported { envelope } => ("exported", Some(envelope.clone())),
        }
    }
}

/// One thing done to a case, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    /// Who did it.
    pub by: FactBy,
    /// The case.
    pub case: CaseKey,
    /// The ticket ref's prefix, as delivery lines name the ticket.
    pub ticket: String,
    /// What was done.
    pub action: CaseAction,
}

impl CaseFact {
    /// The audit log's line for it.
    pub fn audit_event(&self) -> AuditEvent {
        let (action, detail) = self.action.parts();
        AuditEvent::Case {
            account: self.by.to_string(),
            case: self.case.prefix(),
            ticket: self.ticket.clone(),
            action: action.to_owned(),
            detail,
        }
    }
}
