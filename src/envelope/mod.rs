//! Envelopes: what the internal side receives, sealed so that only it can read them.
//!
//! Every first contact, follow-up and closed ticket becomes one envelope: a versioned JSON [`Payload`]
//! encrypted with age (binary v1 format) to the internal side's X25519 [`Recipients`]. The gateway seals and
//! queues envelopes in the outbox without being able to open them; `porten-inbox`, which alone holds an
//! identity, opens them. Both share this one definition, and a security reviewer can open any envelope with
//! the standard tool: `age -d -i key.txt envelope.age`.

mod payload;
mod seal;
#[cfg(test)]
mod tests;
mod validate;

pub use payload::{ClosedReason, EnvelopeKind, Group, Payload, VisitorMessage, PAYLOAD_VERSION};
pub use seal::{
    generate_identity, open, open_with_any, parse_identity_file, seal, Recipients, MAX_SEALED_LEN,
};

/// Why an envelope could not be made, sealed or opened, or a key could not be read.
///
/// No variant carries a secret: field errors name the field and the rule, never the value.
#[derive(Debug, thiserror::Error)]
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
    /// Identity file: a line is neither blank, a comment nor an X25519 identity.
    #[error("line {line} of the identity file is not an age X25519 identity (AGE-SECRET-KEY-1…): {reason}")]
    BadIdentity {
        /// Line number, counting from 1.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Identity file: it holds no identity, or no identity was passed to open with.
    #[error("no age identity given: an identity file needs a line starting with AGE-SECRET-KEY-1")]
    NoIdentity,
    /// Sealing or opening: the sealed envelope is over [`MAX_SEALED_LEN`].
    #[error("sealed envelope is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// Opening: the input is not an age file, or its header is truncated or malformed.
    #[error("not an age-encrypted envelope, or its header is damaged")]
    NotAge,
    /// Opening: the envelope was sealed to other recipients than the identities given.
    #[error(
        "none of the given identities can open this envelope: it was sealed to other recipients"
    )]
    NoMatchingIdentity,
    /// Opening: authentication failed, so the envelope was altered or truncated after sealing.
    #[error("the envelope failed authentication: it was altered or truncated")]
    Damaged,
    /// Opening: the decrypted payload is not JSON of this format.
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
    /// Opening: the payload has a version this build does not read.
    #[error(
        "envelope payload version {0} is not supported: this build reads version {PAYLOAD_VERSION}"
    )]
    UnsupportedVersion(u32),
    /// Making, sealing or opening: a field breaks a rule of [`Payload::validate`].
    #[error("envelope payload field `{field}` {reason}")]
    InvalidField {
        /// The JSON name of the field.
        field: &'static str,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// Making a payload: the system random number generator failed.
    #[error("the system random number generator failed")]
    Random,
    /// Sealing: encryption failed (this does not happen with X25519 recipients writing to memory).
    #[error("sealing the envelope failed")]
    Encrypt,
}
