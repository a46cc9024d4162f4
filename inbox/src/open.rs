//! Opening envelopes: the one place in porten that decrypts one, and reads the age identity to do it.
//!
//! The gateway's crates can only seal (`porten_protocol::envelope`); this module, in the internal side's own
//! crate, holds what reverses it. An envelope is decrypted into a wiping buffer and read with
//! [`Payload::from_json`], which checks every rule, so what opens is a payload the gateway could have made.

use std::io::Read;

use age::x25519::Identity;
use age::DecryptError;
use porten_protocol::envelope::{EnvelopeError, Payload, MAX_SEALED_LEN};
use zeroize::Zeroizing;

/// Why an envelope could not be opened or an identity file not read. No variant quotes a key or a payload.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
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
    /// The sealed envelope is over [`MAX_SEALED_LEN`].
    #[error("sealed envelope is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The input is not an age file, or its header is truncated or malformed.
    #[error("not an age-encrypted envelope, or its header is damaged")]
    NotAge,
    /// The envelope was sealed to other recipients than the identities given.
    #[error(
        "none of the given identities can open this envelope: it was sealed to other recipients"
    )]
    NoMatchingIdentity,
    /// Authentication failed, so the envelope was altered or truncated after sealing.
    #[error("the envelope failed authentication: it was altered or truncated")]
    Damaged,
    /// It decrypted, but the payload breaks a rule of the format.
    #[error(transparent)]
    Payload(#[from] EnvelopeError),
}

/// Decrypts a sealed envelope with `identity` and reads its payload.
///
/// Refuses input over [`MAX_SEALED_LEN`] before any work; a payload of another version is
/// [`EnvelopeError::UnsupportedVersion`].
pub fn open(sealed: &[u8], identity: &Identity) -> Result<Payload, OpenError> {
    open_with_any(sealed, std::slice::from_ref(identity))
}

/// As [`open`], trying each identity (an identity file may hold more than one, e.g. during key rotation).
pub fn open_with_any(sealed: &[u8], identities: &[Identity]) -> Result<Payload, OpenError> {
    if sealed.len() > MAX_SEALED_LEN {
        return Err(OpenError::TooLarge {
            size: sealed.len(),
            max: MAX_SEALED_LEN,
        });
    }
    if identities.is_empty() {
        return Err(OpenError::NoIdentity);
    }

    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|e| match e {
        DecryptError::InvalidMac => OpenError::Damaged,
        _ => OpenError::NotAge,
    })?;
    let reader = decryptor
        .decrypt(identities.iter().map(|i| i as &dyn age::Identity))
        .map_err(|e| match e {
            DecryptError::NoMatchingKeys => OpenError::NoMatchingIdentity,
            DecryptError::InvalidHeader | DecryptError::UnknownFormat => OpenError::NotAge,
            _ => OpenError::Damaged,
        })?;

    // The plaintext is shorter than the ciphertext, so this buffer never reallocates.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(sealed.len()));
    reader
        .take(MAX_SEALED_LEN as u64)
        .read_to_end(&mut plaintext)
        .map_err(|_| OpenError::Damaged)?;
    Ok(Payload::from_json(&plaintext)?)
}

/// Reads an age identity file as `age-keygen` writes it: blank lines and lines starting with `#` are
/// skipped, every other line must be an `AGE-SECRET-KEY-1…` X25519 identity. At least one is required.
///
/// An error names the line (counting from 1) but never quotes it.
pub fn parse_identity_file(text: &str) -> Result<Vec<Identity>, OpenError> {
    let mut identities = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let identity: Identity = line.parse().map_err(|reason| OpenError::BadIdentity {
            line: number + 1,
            reason,
        })?;
        identities.push(identity);
    }
    if identities.is_empty() {
        return Err(OpenError::NoIdentity);
    }
    Ok(identities)
}

#[cfg(test)]
#[path = "open_tests.rs"]
mod tests;
