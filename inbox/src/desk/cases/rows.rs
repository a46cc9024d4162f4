//! The rows a case is stored as: its summary (read by the queue) and its entries. Text inside them is wiped
//! from memory when a row is dropped; the pages get it as [`Sensitive`] values, wiped in turn (a copy, or
//! the text itself when the row is not kept).

use porten_protocol::envelope::Group;
use porten_protocol::secret::Sensitive;
use porten_protocol::thread::EntryId;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::super::accounts::AccountId;
use super::super::names::{DisplayName, TeamName};
use super::super::store::DeskStoreError;
use super::{
    Case, CaseKey, Delivery, Entry, EntryBody, Referral, Status, Turn, UrgencyCleared, VisitorEnd,
};

/// Text stored inside a sealed row: wiped from memory when dropped.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(transparent)]
pub(super) struct SecretText(pub(super) String);

impl SecretText {
    pub(super) fn sensitive(&self) -> Sensitive<String> {
        Sensitive::new(self.0.clone())
    }

    /// The text as a [`Sensitive`] value, moved rather than copied (what is left to wipe is empty).
    fn into_sensitive(mut self) -> Sensitive<String> {
        Sensitive::new(std::mem::take(&mut self.0))
    }
}

/// A referral as stored.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct ReferralRecord {
    pub(super) partner: String,
    pub(super) at: i64,
    pub(super) note: Option<SecretText>,
    pub(super) by: AccountId,
}

/// A case's summary row: everything the queue needs, and no conversation text.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct CaseRecord {
    pub(super) ticket: String,
    /// The full ticket ref (hex), erased with the content.
    pub(super) ticket_ref: Option<SecretText>,
    pub(super) group: Option<Group>,
    pub(super) language: Option<String>,
    pub(super) urgent: bool,
    pub(super) urgency_cleared: Vec<UrgencyCleared>,
    pub(super) status: Status,
    pub(super) assignee: Option<AccountId>,
    pub(super) team: Option<TeamName>,
    pub(super) handlers: Vec<AccountId>,
    pub(super) created: i64,
    pub(super) last_visitor_message: Option<i64>,
    pub(super) last_staff_reply: Option<i64>,
    pub(super) turn: Turn,
    pub(super) reminder: Option<i64>,
    pub(super) referrals: Vec<ReferralRecord>,
    pub(super) visitor_end: Option<VisitorEnd>,
    /// The id of the envelope that ended the visitor's side, so retention can forget it was recorded.
    pub(super) closing_envelope: Option<String>,
    pub(super) erase_after: Option<i64>,
    pub(super) erased: Option<i64>,
    pub(super) entries: u32,
    /// Replies recorded and not yet pushed or failed: pushed again when the inbox starts.
    #[serde(default)]
    pub(super) unsent: u32,
}

impl CaseRecord {
    pub(super) fn case(&self, key: CaseKey) -> Case {
        self.clone().into_case(key)
    }

    /// The case, made from this row without copying it: the queue turns thousands of rows into cases.
    pub(super) fn into_case(self, key: CaseKey) -> Case {
        let CaseRecord {
            ticket,
            ticket_ref,
            group,
            language,
            urgent,
            urgency_cleared,
            status,
            assignee,
            team,
            handlers,
            created,
            last_visitor_message,
            last_staff_reply,
            turn,
            reminder,
            referrals,
            visitor_end,
            closing_envelope: _,
            erase_after,
            erased,
            entries,
            unsent: _,
        } = self;
        Case {
            key,
            ticket,
            group,
            language,
            urgent,
            urgency_cleared,
            status,
            assignee,
            team,
            handlers,
            created,
            last_visitor_message,
            last_staff_reply,
            turn,
            reminder,
            referrals: referrals
                .into_iter()
                .map(|referral| Referral {
                    note: referral.note.map(SecretText::into_sensitive),
                    partner: referral.partner,
                    at: referral.at,
                    by: referral.by,
                })
                .collect(),
            visitor_end,
            erase_after,
            erased,
            entries,
            ticket_ref: ticket_ref.map(SecretText::into_sensitive),
        }
    }

    /// Gives the case to `account`, remembering every worker who has had it.
    pub(super) fn assign(&mut self, account: AccountId) {
        self.assignee = Some(account);
        if !self.handlers.contains(&account) {
            self.handlers.push(account);
        }
    }
}

/// An entry as stored.
#[derive(Serialize, Deserialize)]
pub(super) struct EntryRecord {
    pub(super) at: i64,
    pub(super) body: StoredBody,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub(super) enum StoredBody {
    Visitor {
        /// The envelope it came in (hex), so retention can forget it was recorded.
        envelope: String,
        message: SecretText,
        urgent: bool,
        /// Its sealed original is kept in `case_originals` under the entry's key.
        #[serde(default)]
        original: bool,
    },
    Reply {
        reply_id: String,
        author: AccountId,
        display_name: DisplayName,
        text: SecretText,
        delivery: Delivery,
    },
    Note {
        author: AccountId,
        text: SecretText,
    },
}

impl EntryRecord {
    pub(super) fn entry(&self, number: u32) -> Result<Entry, DeskStoreError> {
        let body = match &self.body {
            StoredBody::Visitor {
                envelope,
                message,
                urgent,
                original,
            } => EntryBody::Visitor {
                message: message.sensitive(),
                urgent: *urgent,
                envelope: envelope.clone(),
                original: *original,
            },
            StoredBody::Reply {
                reply_id,
                author,
                display_name,
                text,
                delivery,
            } => EntryBody::Reply {
                reply_id: EntryId::from_hex(reply_id).ok_or(DeskStoreError::Corrupt(
                    "a reply id is not 32 hex characters",
                ))?,
                author: *author,
                display_name: display_name.clone(),
                text: text.sensitive(),
                delivery: *delivery,
            },
            StoredBody::Note { author, text } => EntryBody::Note {
                author: *author,
                text: text.sensitive(),
            },
        };
        Ok(Entry {
            number,
            at: self.at,
            body,
        })
    }
}
