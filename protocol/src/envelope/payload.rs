//! The payload inside an envelope: the versioned JSON document the internal side reads.
//!
//! A [`Payload`] is parsed once into typed fields: a [`Content`] per kind (first contact, follow-up,
//! closed), so no later code meets a field that its kind does not have. The gateway builds one with a
//! constructor (which fills in the envelope id and the received time rounded down to the minute, and signs
//! follow-ups and closes: see `proof.rs`); the internal side gets one back from [`Payload::from_json`] after
//! opening, and checks a follow-up's or a close's proof with [`Payload::proof_holds`] before it acts on it.
//! The JSON is written field by field in one fixed order (`json.rs`). The message, the reply key, the expiry
//! key and the ticket ref are secrets: wiped on drop and never shown by `Debug`.

use std::fmt;

use time::OffsetDateTime;

use super::json;
use super::proof::{self, Proof, ProofKey};
use super::EnvelopeError;
use crate::keys::{fill_random, ExpiryKey, ReplyKey, TicketRef};
use crate::secret::Sensitive;
use crate::thread::EntryId;
use crate::time::minute_of;

pub use super::json::PAYLOAD_VERSION;

/// What an envelope tells the internal side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvelopeKind {
    /// A visitor's first message: opens a new case and carries the reply key.
    FirstContact,
    /// A later message from a visitor who came back with their code.
    FollowUp,
    /// The ticket is gone: the visitor deleted the conversation or it expired.
    Closed,
}

/// Who the visitor says they are, chosen on the first-contact form. All genders and ages alike. The same
/// names are the form values and the JSON values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// A person exposed to honour-related violence and oppression.
    Exposed,
    /// A relative or friend of such a person.
    Relative,
    /// A person who has used such violence and wants to stop.
    UsedViolence,
    /// A professional who needs consultation.
    Professional,
    /// None of the above, or the visitor would rather not say.
    Other,
}

impl Group {
    /// Every group, in the order the contact form lists them.
    pub const ALL: [Group; 5] = [
        Group::Exposed,
        Group::Relative,
        Group::UsedViolence,
        Group::Professional,
        Group::Other,
    ];

    /// The form and JSON value: `"exposed"`, `"relative"`, `"used-violence"`, `"professional"` or `"other"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Group::Exposed => "exposed",
            Group::Relative => "relative",
            Group::UsedViolence => "used-violence",
            Group::Professional => "professional",
            Group::Other => "other",
        }
    }

    /// The group for a form value; `None` for anything but exactly one of the [`Group::as_str`] values.
    pub fn from_str_opt(value: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|group| group.as_str() == value)
    }
}

/// Why a ticket was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClosedReason {
    /// The visitor chose "delete my conversation".
    Visitor,
    /// The ticket saw no activity for the configured time and was swept.
    Expired,
}

/// An envelope's id: 16 random bytes, unique per envelope; the inbox deduplicates on it. Sealed inside the
/// envelope and never sent beside it, so an ack that names it proves the acker opened the envelope
/// (`wire::AckRequest`). Not a key: it is logged on the internal side.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnvelopeId([u8; 16]);

impl EnvelopeId {
    /// A new random id.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn random() -> EnvelopeId {
        let mut bytes = [0u8; 16];
        fill_random(&mut bytes);
        EnvelopeId(bytes)
    }

    /// The 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Lower-case hex, 32 characters: the form on the wire and in spool file names.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads exactly 32 lowercase hex characters.
    pub fn from_lower_hex(text: &str) -> Option<EnvelopeId> {
        let mut bytes = [0u8; 16];
        if !crate::keys::is_lower_hex(text) {
            return None;
        }
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(EnvelopeId(bytes))
    }

    /// The id from its 16 bytes (as the gateway keeps it beside the outbox row).
    pub fn from_bytes(bytes: [u8; 16]) -> EnvelopeId {
        EnvelopeId(bytes)
    }
}

impl fmt::Debug for EnvelopeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EnvelopeId({})", self.to_hex())
    }
}

impl fmt::Display for EnvelopeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A language tag shaped like BCP 47 (`sv`, `en-GB`, `zh-Hant-TW`): checked for shape, not against a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    /// The tag, or [`EnvelopeError::InvalidField`] naming `language` if it is not shaped like one.
    pub fn parse(value: &str) -> Result<Language, EnvelopeError> {
        let mut subtags = value.split('-');
        let primary_ok = subtags.next().is_some_and(|p| {
            (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
        });
        let rest_ok = subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
        if value.len() <= 35 && primary_ok && rest_ok {
            Ok(Language(value.to_owned()))
        } else {
            Err(EnvelopeError::InvalidField {
                field: "language",
                reason: "must be a BCP 47 language tag such as sv, en or ar",
            })
        }
    }

    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a visitor sent with a first contact or a follow-up; borrowed, so the caller keeps ownership of
/// (and zeroizes) its own copy of the text.
///
/// It has no `Debug`, so it cannot be printed by mistake.
#[derive(Clone, Copy)]
pub struct VisitorMessage<'a> {
    /// The visitor's text.
    pub message: &'a str,
    /// The visitor's preferred language for replies, a BCP 47 tag such as `sv`, `en` or `ar`.
    pub language: Option<&'a str>,
    /// The visitor ticked "I am in danger now".
    pub urgent: bool,
}

/// A visitor's message as it travels: the part first contacts and follow-ups share.
#[derive(Clone, Debug)]
pub struct Visitor {
    /// The thread entry this message is stored as.
    pub entry_id: EntryId,
    /// The visitor's text; never blank.
    pub message: Sensitive<String>,
    /// The visitor's preferred language for replies.
    pub language: Option<Language>,
    /// "I am in danger now".
    pub urgent: bool,
}

impl Visitor {
    fn new(entry_id: EntryId, visitor: VisitorMessage<'_>) -> Result<Visitor, EnvelopeError> {
        if visitor.message.trim().is_empty() {
            return Err(EnvelopeError::InvalidField {
                field: "message",
                reason: "is blank",
            });
        }
        Ok(Visitor {
            entry_id,
            message: Sensitive::new(visitor.message.to_owned()),
            language: visitor.language.map(Language::parse).transpose()?,
            urgent: visitor.urgent,
        })
    }
}

/// The keys a first contact hands to the internal side, which keeps them as long as the ticket lives.
#[derive(Clone, Copy)]
pub struct InboxKeys<'a> {
    /// Lets staff encrypt replies, and proves follow-ups and visitor closes.
    pub reply_key: &'a ReplyKey,
    /// Proves expiry closes.
    pub expiry_key: &'a ExpiryKey,
}

/// What an envelope says, by kind: each kind has exactly its own fields.
#[derive(Clone, Debug)]
pub enum Content {
    /// A visitor's first message: who they are, and the keys the internal side keeps for the ticket.
    FirstContact {
        /// Who the visitor says they are.
        group: Group,
        /// The message.
        visitor: Visitor,
        /// Lets staff encrypt replies for this ticket; later follow-ups and visitor closes are proved under it.
        reply_key: ReplyKey,
        /// The ticket's expiry close is proved under it.
        expiry_key: ExpiryKey,
    },
    /// A later message from a visitor who came back with their code.
    FollowUp {
        /// The message.
        visitor: Visitor,
        /// Made under the ticket's reply key.
        proof: Proof,
    },
    /// The ticket and its thread are gone.
    Closed {
        /// Why.
        reason: ClosedReason,
        /// Made under the reply key when the visitor closed it, under the expiry key when it expired.
        proof: Proof,
    },
}

/// The document sealed inside every envelope (JSON, version [`PAYLOAD_VERSION`]).
#[derive(Clone, Debug)]
pub struct Payload {
    /// Unique per envelope: the inbox deduplicates on it.
    pub envelope_id: EnvelopeId,
    /// Keeps a visitor's thread together.
    pub ticket_ref: TicketRef,
    /// When the gateway received it, in UTC and on a whole minute (less timing metadata).
    pub received: OffsetDateTime,
    /// What it says.
    pub content: Content,
}

impl Payload {
    /// A visitor's first message.
    ///
    /// Fails if the message is blank, the language is not shaped like a BCP 47 tag, or `now` is outside the
    /// years 0 to 9999.
    pub fn first_contact(
        ticket_ref: &TicketRef,
        entry_id: EntryId,
        group: Group,
        visitor: VisitorMessage<'_>,
        keys: InboxKeys<'_>,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let content = Content::FirstContact {
            group,
            visitor: Visitor::new(entry_id, visitor)?,
            reply_key: keys.reply_key.clone(),
            expiry_key: keys.expiry_key.clone(),
        };
        Payload::new(ticket_ref, content, now)
    }

    /// A later message from a visitor who came back with their code, proved under the ticket's reply key.
    ///
    /// Fails as [`Payload::first_contact`] does.
    pub fn follow_up(
        ticket_ref: &TicketRef,
        entry_id: EntryId,
        visitor: VisitorMessage<'_>,
        reply_key: &ReplyKey,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let content = Content::FollowUp {
            visitor: Visitor::new(entry_id, visitor)?,
            proof: Proof::from_bytes([0; 32]),
        };
        Payload::new(ticket_ref, content, now).map(|p| p.signed(ProofKey::Visitor(reply_key)))
    }

    /// Tells the internal side that the visitor deleted the ticket and its thread, proved under the ticket's
    /// reply key.
    ///
    /// Fails only if `now` is outside the years 0 to 9999.
    pub fn closed_by_visitor(
        ticket_ref: &TicketRef,
        reply_key: &ReplyKey,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let content = Content::Closed {
            reason: ClosedReason::Visitor,
            proof: Proof::from_bytes([0; 32]),
        };
        Payload::new(ticket_ref, content, now).map(|p| p.signed(ProofKey::Visitor(reply_key)))
    }

    /// Tells the internal side that the ticket expired and is gone, proved under the ticket's expiry key.
    ///
    /// Fails only if `now` is outside the years 0 to 9999.
    pub fn expired(
        ticket_ref: &TicketRef,
        expiry_key: &ExpiryKey,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let content = Content::Closed {
            reason: ClosedReason::Expired,
            proof: Proof::from_bytes([0; 32]),
        };
        Payload::new(ticket_ref, content, now).map(|p| p.signed(ProofKey::Expiry(expiry_key)))
    }

    /// The payload with its proof made under `key` (the proof is not among the fields signed).
    pub(super) fn signed(mut self, key: ProofKey<'_>) -> Payload {
        let made = proof::sign(&self, key);
        match &mut self.content {
            Content::FollowUp { proof, .. } | Content::Closed { proof, .. } => *proof = made,
            Content::FirstContact { .. } => {}
        }
        self
    }

    /// Whether this follow-up or close was proved under the ticket's keys, as the internal side keeps them
    /// from the ticket's first contact: a follow-up and a visitor's close under the reply key, an expiry
    /// close under the expiry key (`None`: none is kept, so none holds). Compared in constant time.
    ///
    /// A first contact carries no proof and is always `false`: the internal side checks it against the keys
    /// it holds instead.
    pub fn proof_holds(&self, reply_key: &ReplyKey, expiry_key: Option<&ExpiryKey>) -> bool {
        match &self.content {
            Content::FirstContact { .. } => false,
            Content::FollowUp { proof, .. }
            | Content::Closed {
                reason: ClosedReason::Visitor,
                proof,
            } => proof::verify(self, proof, ProofKey::Visitor(reply_key)),
            Content::Closed {
                reason: ClosedReason::Expired,
                proof,
            } => expiry_key.is_some_and(|key| proof::verify(self, proof, ProofKey::Expiry(key))),
        }
    }

    fn new(
        ticket_ref: &TicketRef,
        content: Content,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let payload = Payload {
            envelope_id: EnvelopeId::random(),
            ticket_ref: ticket_ref.clone(),
            received: minute_of(now),
            content,
        };
        // Only a clock outside the years 0 to 9999 cannot be written.
        json::received_text(payload.received)?;
        Ok(payload)
    }

    /// Which kind of envelope this is.
    pub fn kind(&self) -> EnvelopeKind {
        match self.content {
            Content::FirstContact { .. } => EnvelopeKind::FirstContact,
            Content::FollowUp { .. } => EnvelopeKind::FollowUp,
            Content::Closed { .. } => EnvelopeKind::Closed,
        }
    }

    /// The visitor's message, for first contacts and follow-ups.
    pub fn visitor(&self) -> Option<&Visitor> {
        match &self.content {
            Content::FirstContact { visitor, .. } | Content::FollowUp { visitor, .. } => {
                Some(visitor)
            }
            Content::Closed { .. } => None,
        }
    }

    /// Whether the visitor said they are in danger now (never on a closed envelope).
    pub fn urgent(&self) -> bool {
        self.visitor().is_some_and(|v| v.urgent)
    }
}
