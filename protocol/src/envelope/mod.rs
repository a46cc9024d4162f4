//! Envelopes: what the internal side receives, sealed so that only it can read them.
//!
//! Every first contact, follow-up and closed ticket becomes one envelope: a versioned JSON [`Payload`]
//! encrypted with age (binary v1 format) to the internal side's X25519 [`Recipients`]. Follow-ups and closes
//! carry a [`Proof`] under the ticket's own keys, because anyone who holds the recipients can seal. The gateway seals and
//! queues envelopes in the outbox without being able to open them; `porten-inbox`, which alone holds an
//! identity, opens them and reads the payload with [`Payload::from_json`]. Both share this one definition,
//! and a security reviewer can open any envelope with the standard tool: `age -d -i key.txt envelope.age`.

mod json;
mod payload;
mod proof;
mod seal;
#[cfg(test)]
mod tests;

pub use payload::{
    ClosedReason, Content, EnvelopeId, EnvelopeKind, Group, InboxKeys, Language, Payload, Visitor,
    VisitorMessage, PAYLOAD_VERSION,
};
pub use proof::Proof;
pub use seal::{
    generate_identity, seal, Recipients, LARGEST_PADDED_JSON, MAX_SEALED_LEN, SMALLEST_PADDED_JSON,
};

/// Why an envelope could not be made, sealed or read.
///
/// No variant carries a secret: field errors name the field and the rule, never the value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// Configuration: no recipient was given.
    #[error(
        "no envelope recipients configured: at least one age X25519 recipient (age1…) is required"
    )]
    NoRecipients,
    /// Configuration: a recipient line is not an age X25519 recipient.
    #[error("envelope recipient {index} (counting from 0) is not an age X25519 recipient (age1…): {reason}")]
    BadRecipient {
        /// Position of the bad entry in the list.
        index: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Configuration: the same recipient is listed twice.
    #[error("envelope recipient {index} repeats recipient {first} (counting from 0)")]
    DuplicateRecipient {
        /// Position of the repeated entry.
        index: usize,
        /// Position of its first occurrence.
        first: usize,
    },
    /// Sealing: the sealed envelope would be over [`MAX_SEALED_LEN`].
    #[error("sealed envelope is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// Sealing: the payload's JSON is longer than the largest size bucket, [`LARGEST_PADDED_JSON`].
    #[error("envelope payload is {size} bytes, over the largest size bucket of {max}")]
    PayloadTooLarge {
        /// Its JSON's size in bytes.
        size: usize,
        /// The largest bucket in bytes.
        max: usize,
    },
    /// Reading: the payload is not JSON of this format.
    #[error(
        "the envelope payload is not valid ({category} error at line {line}, column {column})"
    )]
    InvalidJson {
        /// The class of error.
        category: &'static str,
        /// Line of the error in the JSON text.
        line: usize,
        /// Column of the error in the JSON text.
        column: usize,
    },
    /// Reading: the payload has a version this build does not read.
    #[error(
        "envelope payload version {0} is not supported: this build reads version {PAYLOAD_VERSION}"
    )]
    UnsupportedVersion(u32),
    /// Making or reading a payload: a field breaks a rule (see [`Payload::from_json`]).
    #[error("envelope payload field `{field}` {reason}")]
    InvalidField {
        /// The JSON name of the field.
        field: &'static str,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// Sealing: the payload could not be written as JSON (only a clock outside the years 0 to 9999 does this).
    #[error("the envelope payload could not be written as JSON")]
    Encode,
    /// Sealing: encryption failed (this does not happen with X25519 recipients writing to memory).
    #[error("sealing the envelope failed")]
    Encrypt,
}
