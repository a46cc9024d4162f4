//! The payload's JSON form: one flat object, written in a fixed field order, read with every rule checked.
//!
//! Fields: `version`, `envelope_id`, `kind`, `ticket_ref`, `group`, `language`, `urgent`, `message`,
//! `entry_id`, `reply_key`, `expiry_key`, `closed_reason`, `received`, `proof`; absent ones are left out.
//! Reading checks, in this order: the version; the shape of `envelope_id` (32) and `ticket_ref` (64
//! lowercase hex characters); `received` is RFC 3339 UTC on a whole minute; `entry_id` 32 lowercase hex
//! characters, `message` not blank, `reply_key`, `expiry_key` and `proof` base64 of 32 bytes, `language`
//! shaped like BCP 47; then that the kind has exactly its fields. An error names the field and the rule,
//! never the value. Whether a proof holds is not a question of format: see [`Payload::proof_holds`].

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use zeroize::{Zeroize, Zeroizing};

use super::payload::{
    ClosedReason, Content, EnvelopeId, EnvelopeKind, Group, Language, Payload, Visitor,
};
use super::proof::Proof;
use super::EnvelopeError;
use crate::keys::{decode_any_base64, ExpiryKey, ReplyKey, TicketRef};
use crate::secret::Sensitive;
use crate::thread::EntryId;
use crate::time::minute_of;

/// The payload version this build writes and the only one it reads.
///
/// Version 2 added the first contact's `expiry_key` and the `proof` of follow-ups and closes.
pub const PAYLOAD_VERSION: u32 = 2;

/// The object as written: borrowed from the payload, so no secret is copied except into wiping buffers.
#[derive(Serialize)]
struct Written<'a> {
    version: u32,
    envelope_id: &'a str,
    kind: EnvelopeKind,
    ticket_ref: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<Group>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    urgent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_reason: Option<ClosedReason>,
    received: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    proof: Option<&'a str>,
}

/// `time` (already on a whole minute, in UTC) as RFC 3339: `2025-03-01T14:07:00Z`.
pub(super) fn received_text(time: OffsetDateTime) -> Result<String, EnvelopeError> {
    time.format(&Rfc3339)
        .map_err(|_| EnvelopeError::InvalidField {
            field: "received",
            reason: "cannot be written: the clock is outside the years 0 to 9999",
        })
}

/// Whether the keys and the proof go into the JSON: yes inside the envelope, no in the case system's copy
/// (it needs none of them, and every copy of a key is one more place it could leak from).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyFields {
    Include,
    Leave,
}

/// Serializes `payload` with `serializer`, field by field in the fixed order.
pub(super) fn write<S: serde::Serializer>(
    payload: &Payload,
    key_fields: KeyFields,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let envelope_id = payload.envelope_id.to_hex();
    let ticket_ref = Zeroizing::new(payload.ticket_ref.to_hex());
    let received = received_text(payload.received).map_err(serde::ser::Error::custom)?;
    let visitor = payload.visitor();
    let entry_id = visitor.map(|v| v.entry_id.to_hex());
    let include = key_fields == KeyFields::Include;
    let (group, keys, closed_reason, proof) = match &payload.content {
        Content::FirstContact {
            group,
            reply_key,
            expiry_key,
            ..
        } => (
            Some(*group),
            include.then(|| (reply_key.to_base64(), expiry_key.to_base64())),
            None,
            None,
        ),
        Content::FollowUp { proof, .. } => (None, None, None, include.then_some(proof)),
        Content::Closed { reason, proof } => (None, None, Some(*reason), include.then_some(proof)),
    };
    let proof = proof.map(|p| STANDARD.encode(p.as_bytes()));
    Written {
        version: PAYLOAD_VERSION,
        envelope_id: &envelope_id,
        kind: payload.kind(),
        ticket_ref: &ticket_ref,
        group,
        language: visitor.and_then(|v| v.language.as_ref().map(Language::as_str)),
        urgent: payload.urgent(),
        message: visitor.map(|v| v.message.expose().as_str()),
        entry_id: entry_id.as_deref(),
        reply_key: keys.as_ref().map(|(reply, _)| reply.as_str()),
        expiry_key: keys.as_ref().map(|(_, expiry)| expiry.as_str()),
        closed_reason,
        received: &received,
        proof: proof.as_deref(),
    }
    .serialize(serializer)
}

impl Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write(self, KeyFields::Include, serializer)
    }
}

/// The object as read, before any rule is checked; its secrets are wiped when it is dropped.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Read {
    version: u32,
    envelope_id: String,
    kind: EnvelopeKind,
    ticket_ref: String,
    #[serde(default)]
    group: Option<Group>,
    #[serde(default)]
    language: Option<String>,
    urgent: bool,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    entry_id: Option<String>,
    #[serde(default)]
    reply_key: Option<String>,
    #[serde(default)]
    expiry_key: Option<String>,
    #[serde(default)]
    closed_reason: Option<ClosedReason>,
    received: String,
    #[serde(default)]
    proof: Option<String>,
}

impl Drop for Read {
    fn drop(&mut self) {
        self.ticket_ref.zeroize();
        self.message.zeroize();
        self.reply_key.zeroize();
        self.expiry_key.zeroize();
    }
}

impl Payload {
    /// Parses and checks a payload: the version first, so a newer payload is refused as such and not as
    /// unknown fields; then every rule in this module's description.
    pub fn from_json(json: &[u8]) -> Result<Payload, EnvelopeError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }

        let probe: VersionOnly = serde_json::from_slice(json).map_err(json_error)?;
        if probe.version != PAYLOAD_VERSION {
            return Err(EnvelopeError::UnsupportedVersion(probe.version));
        }
        let mut read: Read = serde_json::from_slice(json).map_err(json_error)?;
        read.check()
    }

    /// The received time as the JSON writes it (RFC 3339, UTC, on a whole minute).
    pub fn received_text(&self) -> Result<String, EnvelopeError> {
        received_text(self.received)
    }

    /// The JSON the case system receives (spool file and webhook body): the payload without its reply key,
    /// expiry key and proof, indented, with a final newline. The buffer is wiped when dropped.
    pub fn case_document(&self) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
        let mut json = Zeroizing::new(Vec::new());
        let mut serializer = serde_json::Serializer::pretty(&mut *json);
        write(self, KeyFields::Leave, &mut serializer).map_err(|_| EnvelopeError::Encode)?;
        json.push(b'\n');
        Ok(json)
    }
}

impl Read {
    fn check(&mut self) -> Result<Payload, EnvelopeError> {
        if self.version != PAYLOAD_VERSION {
            return Err(EnvelopeError::UnsupportedVersion(self.version));
        }
        let envelope_id = EnvelopeId::from_lower_hex(&self.envelope_id).ok_or(invalid(
            "envelope_id",
            "must be 32 lowercase hex characters",
        ))?;
        let ticket_ref = TicketRef::from_lower_hex(&self.ticket_ref)
            .ok_or(invalid("ticket_ref", "must be 64 lowercase hex characters"))?;
        let received = parse_received(&self.received)?;
        let entry_id = self
            .entry_id
            .as_deref()
            .map(|id| {
                EntryId::from_lower_hex(id)
                    .ok_or(invalid("entry_id", "must be 32 lowercase hex characters"))
            })
            .transpose()?;
        if self.message.as_ref().is_some_and(|m| m.trim().is_empty()) {
            return Err(invalid("message", "is blank"));
        }
        let reply_key = self
            .reply_key
            .as_deref()
            .map(|key| {
                ReplyKey::from_any_base64(key)
                    .ok_or(invalid("reply_key", "must be base64 of 32 bytes"))
            })
            .transpose()?;
        let expiry_key = self
            .expiry_key
            .as_deref()
            .map(|key| {
                ExpiryKey::from_any_base64(key)
                    .ok_or(invalid("expiry_key", "must be base64 of 32 bytes"))
            })
            .transpose()?;
        let proof = self
            .proof
            .as_deref()
            .map(|proof| {
                decode_any_base64(proof, |bytes| {
                    <[u8; 32]>::try_from(bytes).ok().map(Proof::from_bytes)
                })
                .ok_or(invalid("proof", "must be base64 of 32 bytes"))
            })
            .transpose()?;
        let language = self.language.as_deref().map(Language::parse).transpose()?;

        let content = match self.kind {
            EnvelopeKind::FirstContact => {
                let group = self.group.ok_or(required("group"))?;
                let visitor = self.visitor(entry_id, language)?;
                let reply_key = reply_key.ok_or(required("reply_key"))?;
                let expiry_key = expiry_key.ok_or(required("expiry_key"))?;
                forbid("closed_reason", self.closed_reason.is_some())?;
                forbid("proof", proof.is_some())?;
                Content::FirstContact {
                    group,
                    visitor,
                    reply_key,
                    expiry_key,
                }
            }
            EnvelopeKind::FollowUp => {
                let visitor = self.visitor(entry_id, language)?;
                let proof = proof.ok_or(required("proof"))?;
                forbid("group", self.group.is_some())?;
                forbid("reply_key", reply_key.is_some())?;
                forbid("expiry_key", expiry_key.is_some())?;
                forbid("closed_reason", self.closed_reason.is_some())?;
                Content::FollowUp { visitor, proof }
            }
            EnvelopeKind::Closed => {
                let reason = self.closed_reason.ok_or(required("closed_reason"))?;
                if self.urgent {
                    return Err(invalid("urgent", "must be false on a closed envelope"));
                }
                forbid("group", self.group.is_some())?;
                forbid("language", language.is_some())?;
                forbid("message", self.message.is_some())?;
                forbid("entry_id", entry_id.is_some())?;
                forbid("reply_key", reply_key.is_some())?;
                forbid("expiry_key", expiry_key.is_some())?;
                let proof = proof.ok_or(required("proof"))?;
                Content::Closed { reason, proof }
            }
        };
        Ok(Payload {
            envelope_id,
            ticket_ref,
            received,
            content,
        })
    }

    /// The visitor's part: the message is moved out, not copied.
    fn visitor(
        &mut self,
        entry_id: Option<EntryId>,
        language: Option<Language>,
    ) -> Result<Visitor, EnvelopeError> {
        let message = self.message.take().ok_or(required("message"))?;
        let entry_id = entry_id.ok_or(required("entry_id"))?;
        Ok(Visitor {
            entry_id,
            message: Sensitive::new(message),
            language,
            urgent: self.urgent,
        })
    }
}

fn invalid(field: &'static str, reason: &'static str) -> EnvelopeError {
    EnvelopeError::InvalidField { field, reason }
}

fn required(field: &'static str) -> EnvelopeError {
    invalid(field, "is required for this kind of envelope")
}

fn forbid(field: &'static str, present: bool) -> Result<(), EnvelopeError> {
    if present {
        Err(invalid(field, "must be absent for this kind of envelope"))
    } else {
        Ok(())
    }
}

fn parse_received(value: &str) -> Result<OffsetDateTime, EnvelopeError> {
    let parsed = OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|_| invalid("received", "is not an RFC 3339 time"))?;
    // Re-rounding and re-formatting must give the same text: UTC, a whole minute, canonical form.
    let canonical = parsed.offset() == UtcOffset::UTC
        && received_text(minute_of(parsed)).ok().as_deref() == Some(value);
    if canonical {
        Ok(parsed)
    } else {
        Err(invalid(
            "received",
            "must be UTC, rounded down to the minute (like 2025-03-01T14:07:00Z)",
        ))
    }
}

/// Only the position and class of a JSON error: serde's message may quote the (secret) value.
fn json_error(error: serde_json::Error) -> EnvelopeError {
    EnvelopeError::InvalidJson {
        category: crate::wire::json_error_class(&error),
        line: error.line(),
        column: error.column(),
    }
}
