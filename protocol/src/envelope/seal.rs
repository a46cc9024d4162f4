//! Sealing envelopes with age (X25519 recipients, binary v1 format).
//!
//! This crate holds only [`Recipients`] (public keys) and can [`seal`] but not open: the opening code lives in
//! `porten-inbox`, the only side with an identity. The output is a standard age file, so `age -d -i key.txt`
//! opens it as well.
//!
//! Padding: the JSON is followed by spaces up to a size bucket (a power of two, at least
//! [`SMALLEST_PADDED_JSON`]; the buckets and why: `crate::padding`) before it is encrypted. Whitespace after
//! the value is part of a JSON text (RFC 8259, section 2), so what `age -d` prints is still one JSON document
//! that any parser reads, and [`Payload::from_json`] reads it as it reads the document alone. The age file's
//! payload section is then exactly the bucket plus a 16-byte nonce and a 16-byte tag per 64 KiB chunk; its
//! header holds one fixed-size stanza per recipient and one "grease" stanza that age adds to every file, of
//! random length (about 10 to 200 bytes, independent of the message). So the file's size tells which bucket
//! the message fell in, blurred by a little noise, and not its length. Whitespace is chosen over a length field or a padding member inside the object so the
//! document itself stays byte for byte version 1 and nothing in it changes meaning.

use std::io::Write;

use age::x25519::Recipient;
use zeroize::Zeroizing;

use super::payload::Payload;
use super::EnvelopeError;
use crate::padding::{self, ByteCounter};
use crate::secret::Sensitive;

/// The largest sealed envelope [`seal`] produces and [`open`] accepts, in bytes.
pub const MAX_SEALED_LEN: usize = 1024 * 1024;

/// The smallest padded payload, in bytes: a first contact of a few lines, a follow-up and a closed ticket
/// (about 200 to 400 bytes of JSON before the message) all fill it, so short envelopes look alike whatever
/// their kind.
pub const SMALLEST_PADDED_JSON: usize = 1024;

/// The largest padded payload, in bytes: the last bucket, below the power of two that would not fit. It
/// leaves 64 KiB of [`MAX_SEALED_LEN`] for age's header and tags, room for hundreds of recipients. Payloads
/// longer than this are refused; a visitor's message, even at the largest configurable length, is far shorter.
pub const LARGEST_PADDED_JSON: usize = MAX_SEALED_LEN - 64 * 1024;

/// The padded length of a payload of `json_len` bytes; `None` if it is over [`LARGEST_PADDED_JSON`].
fn padded_len(json_len: usize) -> Option<usize> {
    if json_len > LARGEST_PADDED_JSON {
        return None;
    }
    padding::bucket(json_len, SMALLEST_PADDED_JSON).map(|bucket| bucket.min(LARGEST_PADDED_JSON))
}

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

/// Serializes `payload` to JSON in a buffer that is wiped afterwards, pads it with spaces to its size bucket,
/// and encrypts it to every recipient in the binary (not armored) age v1 format.
///
/// Fails if the payload would exceed [`LARGEST_PADDED_JSON`] or the result [`MAX_SEALED_LEN`].
pub fn seal(payload: &Payload, recipients: &Recipients) -> Result<Vec<u8>, EnvelopeError> {
    // Sized exactly first, so the buffer never reallocates and leaves unwiped copies of the message behind.
    let mut counter = ByteCounter::default();
    serde_json::to_writer(&mut counter, payload).map_err(|_| EnvelopeError::Encode)?;
    let padded = padded_len(counter.0).ok_or(EnvelopeError::PayloadTooLarge {
        size: counter.0,
        max: LARGEST_PADDED_JSON,
    })?;
    let mut json = Zeroizing::new(Vec::with_capacity(padded));
    serde_json::to_writer(&mut *json, payload).map_err(|_| EnvelopeError::Encode)?;
    json.resize(padded, b' ');

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use time::macros::datetime;

    use super::*;
    use crate::envelope::{Group, InboxKeys, VisitorMessage};
    use crate::keys::{ExpiryKey, ReplyKey, TicketRef};
    use crate::thread::EntryId;

    fn recipients(count: usize) -> Recipients {
        let lines: Vec<String> = (0..count).map(|_| generate_identity().1).collect();
        Recipients::parse(&lines).unwrap()
    }

    fn first_contact(message: &str) -> Payload {
        Payload::first_contact(
            &TicketRef::from_bytes([0xab; 32]),
            EntryId::random(),
            Group::Exposed,
            VisitorMessage {
                message,
                language: Some("sv"),
                urgent: false,
            },
            InboxKeys {
                reply_key: &ReplyKey::from_bytes([7; 32]),
                expiry_key: &ExpiryKey::from_bytes([8; 32]),
            },
            datetime!(2025-03-01 14:07:00 UTC),
        )
        .unwrap()
    }

    /// The length of an age file's payload section: what follows the header's closing MAC line (`--- …\n`).
    /// The header before it holds one stanza per recipient and one "grease" stanza that age adds to every
    /// file, of random length (about 10 to 200 bytes) and independent of the message.
    fn payload_len(sealed: &[u8]) -> usize {
        let mac_line = sealed
            .windows(5)
            .position(|w| w == b"\n--- ")
            .expect("an age header");
        let end = sealed[mac_line + 1..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("the MAC line ends")
            + mac_line
            + 2;
        sealed.len() - end
    }

    /// The payload section's length for a first contact carrying `message`.
    fn sealed_len(message: &str, to: &Recipients) -> usize {
        payload_len(&seal(&first_contact(message), to).unwrap())
    }

    /// age's payload: a 16-byte nonce, then the plaintext in 64 KiB chunks with a 16-byte tag each.
    fn age_payload_len(plaintext: usize) -> usize {
        16 + plaintext + 16 * plaintext.div_ceil(64 * 1024).max(1)
    }

    #[test]
    fn envelopes_of_different_lengths_within_a_bucket_are_exactly_the_same_size() {
        let to = recipients(2);
        let short = sealed_len("Hej", &to);
        assert_eq!(short, age_payload_len(SMALLEST_PADDED_JSON));
        assert_eq!(short, sealed_len(&"Jag vill prata. ".repeat(30), &to));
        let closed = Payload::closed_by_visitor(
            &TicketRef::from_bytes([0xab; 32]),
            &ReplyKey::from_bytes([7; 32]),
            datetime!(2025-03-01 14:07:00 UTC),
        )
        .unwrap();
        assert_eq!(
            payload_len(&seal(&closed, &to).unwrap()),
            short,
            "a closed ticket looks like a short first contact"
        );
        assert_eq!(
            sealed_len(&"ب".repeat(1100), &to),
            sealed_len(&"x".repeat(3500), &to),
            "both in the 4 KiB bucket"
        );
    }

    #[test]
    fn envelopes_in_different_buckets_differ_in_size_by_the_bucket() {
        let to = recipients(1);
        let sizes: Vec<usize> = [10, 1500, 3000, 6000, 12_000, 24_000, 100_000]
            .iter()
            .map(|&len| sealed_len(&"x".repeat(len), &to))
            .collect();
        let buckets: Vec<usize> = [1024, 2048, 4096, 8192, 16_384, 32_768, 131_072]
            .iter()
            .map(|&bucket| age_payload_len(bucket))
            .collect();
        assert_eq!(sizes, buckets);
    }

    #[test]
    fn the_header_varies_only_by_ages_grease_far_less_than_a_bucket_step() {
        let to = recipients(1);
        let payload = first_contact("Hej");
        let totals: Vec<usize> = (0..40)
            .map(|_| seal(&payload, &to).unwrap().len())
            .collect();
        let spread = totals.iter().max().unwrap() - totals.iter().min().unwrap();
        assert!(spread < 256, "{spread}");
    }

    #[test]
    fn the_largest_bucket_holds_the_longest_message_and_fits_the_sealed_limit() {
        let to = recipients(100);
        let top = seal(&first_contact(&"x".repeat(LARGEST_PADDED_JSON - 1000)), &to).unwrap();
        assert!(top.len() <= MAX_SEALED_LEN, "{}", top.len());
        assert_eq!(payload_len(&top), age_payload_len(LARGEST_PADDED_JSON));
        assert_eq!(
            sealed_len(&"x".repeat(600_000), &to),
            payload_len(&top),
            "everything over 512 KiB is one bucket"
        );
        assert!(matches!(
            seal(&first_contact(&"x".repeat(LARGEST_PADDED_JSON)), &to),
            Err(EnvelopeError::PayloadTooLarge { .. })
        ));
    }
}
