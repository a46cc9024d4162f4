//! Sealing and opening envelopes with age (X25519 recipients, binary v1 format), and the age key files.
//!
//! The gateway holds only [`Recipients`] (public keys) and can [`seal`] but never [`open`]; `porten-inbox`
//! loads its identities with [`parse_identity_file`] and opens. The output is a standard age file, so
//! `age -d -i key.txt` opens it as well.

use std::io::{self, Read, Write};

use age::x25519::{Identity, Recipient};
use age::DecryptError;
use zeroize::Zeroizing;

use super::payload::{Payload, PAYLOAD_VERSION};
use super::EnvelopeError;

/// The largest sealed envelope [`seal`] produces and [`open`] accepts, in bytes.
pub const MAX_SEALED_LEN: usize = 1024 * 1024;

/// The internal side's age X25519 recipients: every envelope is sealed to all of them.
#[derive(Clone, Debug)]
pub struct Recipients(Vec<Recipient>);

impl Recipients {
    /// Parses recipient lines (`age1…`, surrounding whitespace ignored). At least one is required; the error
    /// names the first bad entry by its index (counting from 0) and says why.
    pub fn parse(lines: &[String]) -> Result<Recipients, EnvelopeError> {
        if lines.is_empty() {
            return Err(EnvelopeError::NoRecipients);
        }
        let mut recipients: Vec<Recipient> = Vec::with_capacity(lines.len());
        for (index, line) in lines.iter().enumerate() {
            let recipient: Recipient = line
                .trim()
                .parse()
                .map_err(|reason| EnvelopeError::BadRecipient { index, reason })?;
            if let Some(first) = recipients.iter().position(|r| *r == recipient) {
                return Err(EnvelopeError::DuplicateRecipient { index, first });
            }
            recipients.push(recipient);
        }
        Ok(Recipients(recipients))
    }

    /// How many recipients each envelope is sealed to.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: parsing refuses an empty list.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Validates `payload`, serializes it to JSON in a buffer that is wiped afterwards, and encrypts it to every
/// recipient in the binary (not armored) age v1 format.
///
/// Fails if the payload breaks a rule of [`Payload::validate`] or the result would exceed [`MAX_SEALED_LEN`].
pub fn seal(payload: &Payload, recipients: &Recipients) -> Result<Vec<u8>, EnvelopeError> {
    payload.validate()?;

    // Sized exactly first, so the buffer never reallocates and leaves unwiped copies of the message behind.
    let mut counter = ByteCounter(0);
    serde_json::to_writer(&mut counter, payload).map_err(|_| EnvelopeError::Encrypt)?;
    let mut json = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *json, payload).map_err(|_| EnvelopeError::Encrypt)?;

    let encryptor =
        age::Encryptor::with_recipients(recipients.0.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|_| EnvelopeError::Encrypt)?;
    let mut sealed = Vec::with_capacity(json.len() + 256 + 200 * recipients.0.len());
    let mut writer = encryptor
        .wrap_output(&mut sealed)
        .map_err(|_| EnvelopeError::Encrypt)?;
    writer
        .write_all(&json)
        .and_then(|()| writer.finish())
        .map_err(|_| EnvelopeError::Encrypt)?;

    if sealed.len() > MAX_SEALED_LEN {
        return Err(EnvelopeError::TooLarge {
            size: sealed.len(),
            max: MAX_SEALED_LEN,
        });
    }
    Ok(sealed)
}

/// Decrypts a sealed envelope with `identity`, parses it and checks it with [`Payload::validate`].
///
/// Refuses input over [`MAX_SEALED_LEN`] before any work; a payload of another version is
/// [`EnvelopeError::UnsupportedVersion`].
pub fn open(sealed: &[u8], identity: &Identity) -> Result<Payload, EnvelopeError> {
    open_with_any(sealed, std::slice::from_ref(identity))
}

/// As [`open`], trying each identity (an identity file may hold more than one, e.g. during key rotation).
pub fn open_with_any(sealed: &[u8], identities: &[Identity]) -> Result<Payload, EnvelopeError> {
    if sealed.len() > MAX_SEALED_LEN {
        return Err(EnvelopeError::TooLarge {
            size: sealed.len(),
            max: MAX_SEALED_LEN,
        });
    }
    if identities.is_empty() {
        return Err(EnvelopeError::NoIdentity);
    }

    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|e| match e {
        DecryptError::InvalidMac => EnvelopeError::Damaged,
        _ => EnvelopeError::NotAge,
    })?;
    let reader = decryptor
        .decrypt(identities.iter().map(|i| i as &dyn age::Identity))
        .map_err(|e| match e {
            DecryptError::NoMatchingKeys => EnvelopeError::NoMatchingIdentity,
            DecryptError::InvalidHeader | DecryptError::UnknownFormat => EnvelopeError::NotAge,
            _ => EnvelopeError::Damaged,
        })?;

    // The plaintext is shorter than the ciphertext, so this buffer never reallocates.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(sealed.len()));
    reader
        .take(MAX_SEALED_LEN as u64)
        .read_to_end(&mut plaintext)
        .map_err(|_| EnvelopeError::Damaged)?;
    decode(&plaintext)
}

/// Parses a payload: the version first, so a newer payload is refused as such and not as unknown fields.
pub(super) fn decode(json: &[u8]) -> Result<Payload, EnvelopeError> {
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        version: u32,
    }

    let probe: VersionOnly = serde_json::from_slice(json).map_err(json_error)?;
    if probe.version != PAYLOAD_VERSION {
        return Err(EnvelopeError::UnsupportedVersion(probe.version));
    }
    let payload: Payload = serde_json::from_slice(json).map_err(json_error)?;
    payload.validate()?;
    Ok(payload)
}

/// Only the position and class of a JSON error: serde's message may quote the (secret) value.
fn json_error(error: serde_json::Error) -> EnvelopeError {
    use serde_json::error::Category;
    EnvelopeError::InvalidJson {
        category: match error.classify() {
            Category::Io => "read",
            Category::Syntax => "syntax",
            Category::Data => "field type or name",
            Category::Eof => "unexpected end",
        },
        line: error.line(),
        column: error.column(),
    }
}

/// A fresh identity and its recipient line (`age1…`), for development and tests.
pub fn generate_identity() -> (Identity, String) {
    let identity = Identity::generate();
    let recipient = identity.to_public().to_string();
    (identity, recipient)
}

/// Reads an age identity file as `age-keygen` writes it: blank lines and lines starting with `#` are
/// skipped, every other line must be an `AGE-SECRET-KEY-1…` X25519 identity. At least one is required.
///
/// An error names the line (counting from 1) but never quotes it.
pub fn parse_identity_file(text: &str) -> Result<Vec<Identity>, EnvelopeError> {
    let mut identities = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let identity: Identity = line.parse().map_err(|reason| EnvelopeError::BadIdentity {
            line: number + 1,
            reason,
        })?;
        identities.push(identity);
    }
    if identities.is_empty() {
        return Err(EnvelopeError::NoIdentity);
    }
    Ok(identities)
}

/// Counts what would be written, to size the JSON buffer exactly.
struct ByteCounter(usize);

impl Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
