//! What travels over the internal API: paths, limits and the JSON bodies, shared by the gateway and the inbox.
//!
//! Both sides compile this one file, so a field renamed here is renamed on both. Envelopes and reply
//! ciphertexts travel as standard base64 (with padding) of their bytes; ids and ticket refs as lowercase hex.
//! Requests refuse unknown fields; responses accept them, so a newer gateway can add fields without breaking
//! an older inbox.

use std::fmt;

use crate::envelope::{EnvelopeId, MAX_SEALED_LEN};
use crate::keys::TicketRef;
use crate::thread::EntryId;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// `GET` with `?after=SEQ&wait=SECONDS`: sealed envelopes with a sequence number above `after`, waiting up to
/// `wait` seconds (capped by the gateway's `max_wait_secs`) for one to arrive.
pub const PATH_OUTBOX: &str = "/v1/outbox";
/// `POST` an [`AckRequest`]: the gateway deletes those envelopes.
pub const PATH_ACK: &str = "/v1/outbox/ack";
/// `POST` a [`ReplyRequest`]: the gateway stores a staff reply in the ticket's thread.
pub const PATH_REPLIES: &str = "/v1/replies";
/// `GET`: a [`Health`] document; 200 when the store answers.
pub const PATH_HEALTH: &str = "/v1/health";
/// `GET`: Prometheus text format, counts only.
pub const PATH_METRICS: &str = "/metrics";

/// The largest request body the gateway reads, in bytes.
pub const MAX_REQUEST_BODY: usize = 256 * 1024;
/// The largest reply ciphertext the gateway stores, in bytes (a long letter, several times over).
pub const MAX_REPLY_CIPHERTEXT: usize = 128 * 1024;
/// The most envelopes one ack may name.
pub const MAX_ACKS: usize = 10_000;
/// Sealed bytes one pull returns at most; a single envelope larger than this is still returned alone.
pub const MAX_BATCH_BYTES: usize = 8 * 1024 * 1024;
/// The largest response body the inbox reads: a full batch plus one envelope, base64-encoded, plus framing.
pub const MAX_RESPONSE_BODY: usize = (MAX_BATCH_BYTES + MAX_SEALED_LEN) / 3 * 4 + 1024 * 1024;
/// Length in bytes of a reply id (it is also the reply's thread entry id).
pub const REPLY_ID_LEN: usize = 16;

/// Why a wire document could not be used. No variant quotes a value: ids, refs and ciphertexts stay out of
/// logs and error bodies.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WireError {
    /// The body is not JSON of the expected shape.
    #[error("the body is not valid JSON for this request ({category} error at line {line}, column {column})")]
    Json {
        /// The class of error.
        category: &'static str,
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
    /// A field has the wrong form.
    #[error("field `{field}` {reason}")]
    Field {
        /// The JSON name of the field.
        field: &'static str,
        /// The rule it breaks.
        reason: &'static str,
    },
}

/// The class of a JSON error, for messages that must not quote the input (serde's own message can).
pub(crate) fn json_error_class(error: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match error.classify() {
        Category::Io => "read",
        Category::Syntax => "syntax",
        Category::Data => "field type or name",
        Category::Eof => "unexpected end",
    }
}

/// Parses a JSON body, reporting only the position and class of an error (serde's own message can quote the
/// value, which may be secret).
pub fn from_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WireError> {
    serde_json::from_slice(body).map_err(|error| WireError::Json {
        category: json_error_class(&error),
        line: error.line(),
        column: error.column(),
    })
}

/// One sealed envelope as pulled from the outbox.
#[derive(Clone, Serialize, Deserialize)]
pub struct OutboxEnvelope {
    /// Its place in the outbox; acked by this number.
    pub seq: u64,
    /// The age file (binary format), standard base64.
    pub envelope: String,
}

impl OutboxEnvelope {
    /// Wraps sealed bytes for the wire.
    pub fn new(seq: u64, sealed: &[u8]) -> OutboxEnvelope {
        OutboxEnvelope {
            seq,
            envelope: STANDARD.encode(sealed),
        }
    }

    /// The sealed bytes.
    pub fn sealed(&self) -> Result<Vec<u8>, WireError> {
        if self.envelope.len() > MAX_SEALED_LEN / 3 * 4 + 4 {
            return Err(WireError::Field {
                field: "envelope",
                reason: "is larger than the largest sealed envelope",
            });
        }
        STANDARD
            .decode(&self.envelope)
            .map_err(|_| WireError::Field {
                field: "envelope",
                reason: "must be standard base64",
            })
    }
}

impl fmt::Debug for OutboxEnvelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxEnvelope")
            .field("seq", &self.seq)
            .field("envelope_base64_len", &self.envelope.len())
            .finish()
    }
}

/// The answer to a pull.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutboxBatch {
    /// Envelopes in outbox order, possibly none (the wait ran out).
    pub envelopes: Vec<OutboxEnvelope>,
    /// True when the batch was cut short by a limit: more envelopes are waiting, pull again at once.
    pub more: bool,
}

/// Envelopes the inbox has delivered; the gateway deletes them.
///
/// Each one is named by its sequence number and by the envelope id sealed inside it, which the pull does not
/// send: only a holder of the age identity can name it. So a stolen TLS client key alone cannot delete the
/// first contacts waiting in the outbox. One wrong id refuses the whole ack and deletes nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    /// The delivered envelopes, at most [`MAX_ACKS`]. Unknown or already deleted sequence numbers are
    /// ignored (an ack may be repeated).
    pub acks: Vec<EnvelopeAck>,
}

/// One delivered envelope in an [`AckRequest`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeAck {
    /// Its sequence number, from the pull.
    pub seq: u64,
    /// The `envelope_id` from inside the opened envelope, 32 lowercase hex characters.
    pub envelope_id: String,
}

impl EnvelopeAck {
    /// Names a delivered envelope.
    pub fn new(seq: u64, envelope_id: &EnvelopeId) -> EnvelopeAck {
        EnvelopeAck {
            seq,
            envelope_id: envelope_id.to_hex(),
        }
    }
}

impl AckRequest {
    /// Checks the count and every id's form; returns (seq, envelope id) pairs in request order.
    pub fn parse(&self) -> Result<Vec<(u64, EnvelopeId)>, WireError> {
        if self.acks.len() > MAX_ACKS {
            return Err(WireError::Field {
                field: "acks",
                reason: "holds more envelopes than one ack may name (10000)",
            });
        }
        self.acks
            .iter()
            .map(|ack| {
                EnvelopeId::from_lower_hex(&ack.envelope_id)
                    .map(|id| (ack.seq, id))
                    .ok_or(WireError::Field {
                        field: "envelope_id",
                        reason: "must be 32 lowercase hex characters",
                    })
            })
            .collect()
    }
}

/// The answer to an ack.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AckResponse {
    /// How many envelopes this ack deleted (repeats of an earlier ack delete nothing).
    pub deleted: usize,
}

/// A staff reply, sealed by the inbox with the ticket's reply key; the gateway stores it unread.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// 32 lowercase hex characters; the reply's thread entry id. Sending the same id again stores nothing.
    pub reply_id: String,
    /// The ticket ref, 64 lowercase hex characters.
    pub ticket_ref: String,
    /// The sealed thread entry (ChaCha20-Poly1305 under the reply key), standard base64.
    pub ciphertext: String,
}

/// A [`ReplyRequest`] checked and decoded.
pub struct ParsedReply {
    /// The reply id, which is also the reply's thread entry id.
    pub reply_id: EntryId,
    /// The ticket it answers.
    pub ticket_ref: TicketRef,
    /// The sealed entry.
    pub ciphertext: Vec<u8>,
}

impl fmt::Debug for ParsedReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParsedReply")
            .field("reply_id", &self.reply_id)
            .field("ticket_ref", &self.ticket_ref)
            .field("ciphertext_len", &self.ciphertext.len())
            .finish()
    }
}

impl ReplyRequest {
    /// Builds the request from its parts.
    pub fn new(
        reply_id: &[u8; REPLY_ID_LEN],
        ticket_ref: &[u8; 32],
        ciphertext: &[u8],
    ) -> ReplyRequest {
        ReplyRequest {
            reply_id: hex::encode(reply_id),
            ticket_ref: hex::encode(ticket_ref),
            ciphertext: STANDARD.encode(ciphertext),
        }
    }

    /// Checks every field's form and decodes it.
    pub fn parse(&self) -> Result<ParsedReply, WireError> {
        let reply_id = EntryId::from_lower_hex(&self.reply_id).ok_or(WireError::Field {
            field: "reply_id",
            reason: "must be 32 lowercase hex characters",
        })?;
        let ticket_ref = TicketRef::from_lower_hex(&self.ticket_ref).ok_or(WireError::Field {
            field: "ticket_ref",
            reason: "must be 64 lowercase hex characters",
        })?;
        if self.ciphertext.len() > MAX_REPLY_CIPHERTEXT / 3 * 4 + 4 {
            return Err(WireError::Field {
                field: "ciphertext",
                reason: "is larger than the largest reply the gateway stores",
            });
        }
        let ciphertext = STANDARD
            .decode(&self.ciphertext)
            .map_err(|_| WireError::Field {
                field: "ciphertext",
                reason: "must be standard base64",
            })?;
        if ciphertext.is_empty() || ciphertext.len() > MAX_REPLY_CIPHERTEXT {
            return Err(WireError::Field {
                field: "ciphertext",
                reason: "must be between 1 byte and the reply size limit",
            });
        }
        Ok(ParsedReply {
            reply_id,
            ticket_ref,
            ciphertext,
        })
    }
}

impl fmt::Debug for ReplyRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyRequest")
            .field("reply_id", &self.reply_id)
            .field("ticket_ref", &"[redacted]")
            .field("ciphertext_base64_len", &self.ciphertext.len())
            .finish()
    }
}

/// What happened to a pushed reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplyOutcome {
    /// Stored now (HTTP 201).
    Stored,
    /// A reply with this id was stored before; nothing was stored now (HTTP 200).
    Duplicate,
}

/// The answer to a pushed reply.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReplyResponse {
    /// Stored or duplicate.
    pub outcome: ReplyOutcome,
}

/// The answer to a health check.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when the store answers.
    pub status: String,
    /// The gateway's version.
    pub version: String,
}

/// Every error answer: a stable code for programs and a sentence for people. Never holds a secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable, kebab-case code such as `no-such-ticket` or `bad-request`.
    pub error: String,
    /// What went wrong, for a person.
    pub message: String,
}

/// Error codes the gateway sends in [`ErrorBody::error`].
pub mod codes {
    /// The request was malformed; the message names the field.
    pub const BAD_REQUEST: &str = "bad-request";
    /// No ticket with this ref: the visitor deleted it or it expired.
    pub const NO_SUCH_TICKET: &str = "no-such-ticket";
    /// No such path.
    pub const NOT_FOUND: &str = "not-found";
    /// The path exists but not for this method.
    pub const METHOD_NOT_ALLOWED: &str = "method-not-allowed";
    /// The body is over the limit.
    pub const TOO_LARGE: &str = "too-large";
    /// The body must be `application/json`.
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported-media-type";
    /// The body did not arrive in time.
    pub const TIMEOUT: &str = "timeout";
    /// The store failed; try again later.
    pub const UNAVAILABLE: &str = "unavailable";
    /// An ack named an envelope id that is not the one sealed in the envelope with that sequence number;
    /// nothing was deleted.
    pub const WRONG_ENVELOPE_ID: &str = "wrong-envelope-id";
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_reply_request_round_trips_and_its_debug_hides_the_ticket_ref() {
        let request = ReplyRequest::new(&[7; 16], &[9; 32], b"sealed");
        let parsed = request.parse().expect("valid");
        assert_eq!(parsed.reply_id, EntryId::from_bytes([7; 16]));
        assert_eq!(parsed.ticket_ref, TicketRef::from_bytes([9; 32]));
        assert_eq!(parsed.ciphertext, b"sealed");
        let shown = format!("{request:?} {parsed:?}");
        assert!(!shown.contains(&hex::encode([9u8; 32])), "{shown}");
    }

    #[test]
    fn malformed_reply_fields_are_named_without_their_values() {
        let mut request = ReplyRequest::new(&[7; 16], &[0xab; 32], b"sealed");
        request.ticket_ref = request.ticket_ref.to_uppercase();
        assert!(matches!(
            request.parse(),
            Err(WireError::Field {
                field: "ticket_ref",
                ..
            })
        ));
        let mut request = ReplyRequest::new(&[7; 16], &[9; 32], b"sealed");
        request.reply_id.pop();
        assert!(matches!(
            request.parse(),
            Err(WireError::Field {
                field: "reply_id",
                ..
            })
        ));
        let mut request = ReplyRequest::new(&[7; 16], &[9; 32], b"sealed");
        request.ciphertext = "not base64!".into();
        assert!(matches!(
            request.parse(),
            Err(WireError::Field {
                field: "ciphertext",
                ..
            })
        ));
        let request = ReplyRequest::new(&[7; 16], &[9; 32], &vec![0; MAX_REPLY_CIPHERTEXT + 1]);
        assert!(matches!(
            request.parse(),
            Err(WireError::Field {
                field: "ciphertext",
                ..
            })
        ));
    }

    #[test]
    fn json_errors_never_quote_the_offending_value() {
        let body = br#"{"reply_id": 5, "ticket_ref": "secret-ref-value", "ciphertext": ""}"#;
        let error = from_json::<ReplyRequest>(body).expect_err("wrong type");
        assert!(!error.to_string().contains("secret-ref-value"), "{error}");
        let body = br#"{"acks": [], "extra": "secret-value"}"#;
        let error = from_json::<AckRequest>(body).expect_err("unknown field");
        assert!(!error.to_string().contains("secret-value"), "{error}");
    }

    #[test]
    fn an_ack_must_name_each_envelope_by_its_sealed_id() {
        let id = EnvelopeId::from_bytes([0xab; 16]);
        let request = AckRequest {
            acks: vec![EnvelopeAck::new(7, &id)],
        };
        let body = serde_json::to_vec(&request).expect("json");
        let parsed = from_json::<AckRequest>(&body).expect("parses");
        assert_eq!(parsed.parse(), Ok(vec![(7, id)]));

        // Sequence numbers alone (the older form) are refused, and so is an entry without its id.
        assert!(from_json::<AckRequest>(br#"{"seqs": [1, 2]}"#).is_err());
        assert!(from_json::<AckRequest>(br#"{"acks": [{"seq": 1}]}"#).is_err());
        let mut bad = request.clone();
        bad.acks[0].envelope_id = bad.acks[0].envelope_id.to_uppercase();
        assert!(matches!(
            bad.parse(),
            Err(WireError::Field {
                field: "envelope_id",
                ..
            })
        ));
        let too_many = AckRequest {
            acks: vec![EnvelopeAck::new(1, &id); MAX_ACKS + 1],
        };
        assert!(matches!(
            too_many.parse(),
            Err(WireError::Field { field: "acks", .. })
        ));
    }

    #[test]
    fn a_response_with_an_added_field_still_parses() {
        let body = br#"{"envelopes": [], "more": false, "added_later": 1}"#;
        let batch: OutboxBatch = from_json(body).expect("forward compatible");
        assert!(batch.envelopes.is_empty());
    }

    #[test]
    fn envelopes_round_trip_through_base64() {
        let wire = OutboxEnvelope::new(3, b"age-encryption.org/v1 ...");
        assert_eq!(
            wire.sealed().expect("decodes"),
            b"age-encryption.org/v1 ..."
        );
    }
}
