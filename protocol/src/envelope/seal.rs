//! Sealing envelopes with age (X25519 recipients, binary v1 format).
//!
//! This crate holds only [`Recipients`] (public keys) and can [`seal`] but not open: the opening code lives in
//! `porten-inbox`, the only side with an identity. The output is a standard age file, so `age -d -i key.txt`
//! opens it as well.

use std::io::{self, Write};

use age::x25519::Recipient;
use zeroize::Zeroizing;

use super::payload::Payload;
use super::EnvelopeError;
use crate::secret::Sensitive;

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

/// Serializes `payload` to JSON in a buffer that is wiped afterwards, and encrypts it to every recipient in
/// the binary (not armored) age v1 format.
///
/// Fails if the result would exceed [`MAX_SEALED_LEN`].
pub fn seal(payload: &Payload, recipients: &Recipients) -> Result<Vec<u8>, EnvelopeError> {
    // Sized exactly first, so the buffer never reallocates and leaves unwiped copies of the message behind.
    let mut counter = ByteCounter(0);
    serde_json::to_writer(&mut counter, payload).map_err(|_| EnvelopeError::Encode)?;
    let mut json = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *json, payload).map_err(|_| EnvelopeError::Encode)?;

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

/// A fresh age X25519 identity, as the line an identity file holds (`AGE-SECRET-KEY-1…`), and its recipient
/// line (`age1…`). For `porten-inbox keygen` and the gateway's development key; the identity is only ever
/// text here, so nothing on this side can open an envelope with it.
pub fn generate_identity() -> (Sensitive<String>, String) {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let line = Sensitive::new(identity.to_string().expose_secret().to_owned());
    (line, recipient)
}
