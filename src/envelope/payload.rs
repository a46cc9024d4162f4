//! The payload inside an envelope: the versioned JSON document the internal side reads.
//!
//! The gateway builds a [`Payload`] with one of its constructors (which fill in the envelope id, the version
//! and the received time rounded down to the minute), and `porten-inbox` gets one back from
//! [`open`](super::open). Both sides run the same [`Payload::validate`] (in `validate.rs`), so a payload the
//! gateway can seal is exactly a payload the inbox accepts. The message, the reply key and the ticket ref are
//! secrets: they are zeroized on drop and never shown by `Debug`.

use std::fmt;

use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::EnvelopeError;

/// The payload version this build writes and the only one it reads.
pub const PAYLOAD_VERSION: u32 = 1;

/// What an envelope tells the internal side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvelopeKind {
    /// A visitor's first message: opens a new case and carries the reply key.
    FirstContact,
    /// A later message from a visitor who came back with their code.
    FollowUp,
    /// The ticket is gone: the visitor deleted the conversation or it expired.
    Closed,
}

/// Who the visitor says they are, chosen on the first-contact form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// Why a ticket was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClosedReason {
    /// The visitor chose "delete my conversation".
    Visitor,
    /// The ticket saw no activity for the configured time and was swept.
    Expired,
}

/// What a visitor sent with a first contact or a follow-up; borrowed, so the caller keeps ownership of
/// (and zeroizes) its own copy of the text.
#[derive(Clone, Copy)]
pub struct VisitorMessage<'a> {
    /// The visitor's text.
    pub message: &'a str,
    /// The visitor's preferred language for replies, a BCP 47 tag such as `sv`, `en` or `ar`.
    pub language: Option<&'a str>,
    /// The visitor ticked "I am in danger now".
    pub urgent: bool,
}

impl fmt::Debug for VisitorMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VisitorMessage")
            .field("message", &"[redacted]")
            .field("language", &self.language)
            .field("urgent", &self.urgent)
            .finish()
    }
}

/// The document sealed inside every envelope (JSON, version [`PAYLOAD_VERSION`]).
///
/// Which optional fields are present depends on [`kind`](Self::kind); [`Payload::validate`] states the rules.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// Format version; always [`PAYLOAD_VERSION`] for payloads this build makes.
    pub version: u32,
    /// 32 lowercase hex characters (16 random bytes), unique per envelope: the inbox deduplicates on it.
    pub envelope_id: String,
    /// What this envelope tells the internal side.
    pub kind: EnvelopeKind,
    /// The ticket ref, 64 lowercase hex characters: keeps a visitor's thread together.
    pub ticket_ref: String,
    /// Who the visitor says they are (first contact only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// The visitor's preferred language for replies, BCP 47 (first contact and follow-up, optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// "I am in danger now" (false on closed).
    pub urgent: bool,
    /// The visitor's text (first contact and follow-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The thread entry this message is stored as, 32 lowercase hex characters (first contact and follow-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_id: Option<String>,
    /// The reply key, base64 of 32 bytes (first contact only): lets staff encrypt replies for this ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_key: Option<String>,
    /// Why the ticket was closed (closed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_reason: Option<ClosedReason>,
    /// When the gateway received it: RFC 3339 in UTC, rounded down to the minute (less timing metadata).
    pub received: String,
}

impl Payload {
    /// A visitor's first message. `reply_key` is the reply key in base64 (32 bytes).
    ///
    /// Fails if a field has the wrong shape (see [`Payload::validate`]) or the system random number generator
    /// fails.
    pub fn first_contact(
        ticket_ref: &[u8; 32],
        entry_id: &[u8; 16],
        group: Group,
        visitor: VisitorMessage<'_>,
        reply_key: &str,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let mut payload = Payload::bare(EnvelopeKind::FirstContact, ticket_ref, now)?;
        payload.group = Some(group);
        payload.reply_key = Some(reply_key.to_owned());
        payload.fill_visitor(entry_id, visitor);
        payload.validate()?;
        Ok(payload)
    }

    /// A later message from a visitor who came back with their code.
    ///
    /// Fails if a field has the wrong shape (see [`Payload::validate`]) or the system random number generator
    /// fails.
    pub fn follow_up(
        ticket_ref: &[u8; 32],
        entry_id: &[u8; 16],
        visitor: VisitorMessage<'_>,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let mut payload = Payload::bare(EnvelopeKind::FollowUp, ticket_ref, now)?;
        payload.fill_visitor(entry_id, visitor);
        payload.validate()?;
        Ok(payload)
    }

    /// Tells the internal side that the ticket and its thread are gone.
    ///
    /// Fails only if the system random number generator fails or `now` cannot be written as RFC 3339.
    pub fn closed(
        ticket_ref: &[u8; 32],
        reason: ClosedReason,
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        let mut payload = Payload::bare(EnvelopeKind::Closed, ticket_ref, now)?;
        payload.closed_reason = Some(reason);
        payload.validate()?;
        Ok(payload)
    }

    fn bare(
        kind: EnvelopeKind,
        ticket_ref: &[u8; 32],
        now: OffsetDateTime,
    ) -> Result<Payload, EnvelopeError> {
        Ok(Payload {
            version: PAYLOAD_VERSION,
            envelope_id: random_envelope_id()?,
            kind,
            ticket_ref: hex::encode(ticket_ref),
            group: None,
            language: None,
            urgent: false,
            message: None,
            entry_id: None,
            reply_key: None,
            closed_reason: None,
            received: received_at(now)?,
        })
    }

    fn fill_visitor(&mut self, entry_id: &[u8; 16], visitor: VisitorMessage<'_>) {
        self.entry_id = Some(hex::encode(entry_id));
        self.message = Some(visitor.message.to_owned());
        self.language = visitor.language.map(str::to_owned);
        self.urgent = visitor.urgent;
    }
}

impl Zeroize for Payload {
    /// Wipes the secrets: the message, the reply key and the ticket ref.
    fn zeroize(&mut self) {
        self.ticket_ref.zeroize();
        self.message.zeroize();
        self.reply_key.zeroize();
    }
}

impl Drop for Payload {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Payload {}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |present: bool| if present { "[redacted]" } else { "None" };
        f.debug_struct("Payload")
            .field("version", &self.version)
            .field("envelope_id", &self.envelope_id)
            .field("kind", &self.kind)
            .field("ticket_ref", &"[redacted]")
            .field("group", &self.group)
            .field("language", &self.language)
            .field("urgent", &self.urgent)
            .field("message", &redacted(self.message.is_some()))
            .field("entry_id", &self.entry_id)
            .field("reply_key", &redacted(self.reply_key.is_some()))
            .field("closed_reason", &self.closed_reason)
            .field("received", &self.received)
            .finish()
    }
}

/// `now` in UTC, rounded down to the minute, as RFC 3339 (`2025-03-01T14:07:00Z`).
pub(super) fn received_at(now: OffsetDateTime) -> Result<String, EnvelopeError> {
    let seconds = now.unix_timestamp();
    let minute = seconds - seconds.rem_euclid(60);
    OffsetDateTime::from_unix_timestamp(minute)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .ok_or(EnvelopeError::InvalidField {
            field: "received",
            reason: "cannot be written: the clock is outside the years 0 to 9999",
        })
}

fn random_envelope_id() -> Result<String, EnvelopeError> {
    let mut id = [0u8; 16];
    SystemRandom::new()
        .fill(&mut id)
        .map_err(|_| EnvelopeError::Random)?;
    Ok(hex::encode(id))
}
