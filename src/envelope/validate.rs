//! The rules a payload must follow, checked by both the gateway (before sealing) and the inbox (after
//! opening). An error names the field and the rule, never the value.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use zeroize::Zeroizing;

use super::payload::{received_at, EnvelopeKind, Payload, PAYLOAD_VERSION};
use super::EnvelopeError;

/// Length in bytes of a ChaCha20-Poly1305 reply key, as carried (base64) in a first-contact payload.
const REPLY_KEY_LEN: usize = 32;

impl Payload {
    /// Checks every field's shape and the rules of the kind:
    ///
    /// - always: `version` is 1; `envelope_id` 32 and `ticket_ref` 64 lowercase hex characters; `received` is
    ///   RFC 3339 UTC on a whole minute, as the constructors write it;
    /// - first contact: `group`, `message`, `entry_id` and `reply_key` present, no `closed_reason`;
    /// - follow-up: `message` and `entry_id` present, no `group`, `reply_key` or `closed_reason`;
    /// - closed: `closed_reason` present, `urgent` false, no `group`, `language`, `message`, `entry_id` or
    ///   `reply_key`;
    /// - when present: `message` not blank, `entry_id` 32 lowercase hex characters, `reply_key` base64 of 32
    ///   bytes, `language` shaped like a BCP 47 tag.
    ///
    /// The error names the field and the rule, never the value.
    pub fn validate(&self) -> Result<(), EnvelopeError> {
        if self.version != PAYLOAD_VERSION {
            return Err(EnvelopeError::UnsupportedVersion(self.version));
        }
        check_hex("envelope_id", &self.envelope_id, 16)?;
        check_hex("ticket_ref", &self.ticket_ref, 32)?;
        check_received(&self.received)?;
        if let Some(entry_id) = &self.entry_id {
            check_hex("entry_id", entry_id, 16)?;
        }
        if let Some(message) = &self.message {
            if message.trim().is_empty() {
                return Err(invalid("message", "is blank"));
            }
        }
        if let Some(reply_key) = &self.reply_key {
            check_reply_key(reply_key)?;
        }
        if let Some(language) = &self.language {
            check_language(language)?;
        }

        match self.kind {
            EnvelopeKind::FirstContact => {
                require("group", self.group.is_some())?;
                require("message", self.message.is_some())?;
                require("entry_id", self.entry_id.is_some())?;
                require("reply_key", self.reply_key.is_some())?;
                forbid("closed_reason", self.closed_reason.is_some())?;
            }
            EnvelopeKind::FollowUp => {
                require("message", self.message.is_some())?;
                require("entry_id", self.entry_id.is_some())?;
                forbid("group", self.group.is_some())?;
                forbid("reply_key", self.reply_key.is_some())?;
                forbid("closed_reason", self.closed_reason.is_some())?;
            }
            EnvelopeKind::Closed => {
                require("closed_reason", self.closed_reason.is_some())?;
                if self.urgent {
                    return Err(invalid("urgent", "must be false on a closed envelope"));
                }
                forbid("group", self.group.is_some())?;
                forbid("language", self.language.is_some())?;
                forbid("message", self.message.is_some())?;
                forbid("entry_id", self.entry_id.is_some())?;
                forbid("reply_key", self.reply_key.is_some())?;
            }
        }
        Ok(())
    }
}

fn invalid(field: &'static str, reason: &'static str) -> EnvelopeError {
    EnvelopeError::InvalidField { field, reason }
}

fn require(field: &'static str, present: bool) -> Result<(), EnvelopeError> {
    if present {
        Ok(())
    } else {
        Err(invalid(field, "is required for this kind of envelope"))
    }
}

fn forbid(field: &'static str, present: bool) -> Result<(), EnvelopeError> {
    if present {
        Err(invalid(field, "must be absent for this kind of envelope"))
    } else {
        Ok(())
    }
}

fn check_hex(field: &'static str, value: &str, bytes: usize) -> Result<(), EnvelopeError> {
    let lower_hex = value
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if value.len() == bytes * 2 && lower_hex {
        Ok(())
    } else if bytes == 16 {
        Err(invalid(field, "must be 32 lowercase hex characters"))
    } else {
        Err(invalid(field, "must be 64 lowercase hex characters"))
    }
}

fn check_received(value: &str) -> Result<(), EnvelopeError> {
    let parsed = OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|_| invalid("received", "is not an RFC 3339 time"))?;
    // Re-rounding and re-formatting must give the same text: UTC, a whole minute, canonical form.
    let canonical =
        parsed.offset() == UtcOffset::UTC && received_at(parsed).ok().as_deref() == Some(value);
    if canonical {
        Ok(())
    } else {
        Err(invalid(
            "received",
            "must be UTC, rounded down to the minute (like 2025-03-01T14:07:00Z)",
        ))
    }
}

fn check_reply_key(value: &str) -> Result<(), EnvelopeError> {
    // The key's own module picks the alphabet; any standard base64 of the right length is accepted here.
    let fits = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .any(|engine| {
            engine
                .decode(value)
                .map(|bytes| Zeroizing::new(bytes).len() == REPLY_KEY_LEN)
                .unwrap_or(false)
        });
    if fits {
        Ok(())
    } else {
        Err(invalid("reply_key", "must be base64 of 32 bytes"))
    }
}

/// The shape of a BCP 47 tag (`sv`, `en-GB`, `zh-Hant-TW`): not a registry check.
fn check_language(value: &str) -> Result<(), EnvelopeError> {
    let mut subtags = value.split('-');
    let primary_ok = subtags
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if value.len() <= 35 && primary_ok && rest_ok {
        Ok(())
    } else {
        Err(invalid(
            "language",
            "must be a BCP 47 language tag such as sv, en or ar",
        ))
    }
}
