//! The thread: a visitor's conversation with staff, stored so that the gateway cannot read it.
//!
//! Each entry (the visitor's messages and the staff's replies) is sealed with ChaCha20-Poly1305 under the
//! ticket's reply key, which the gateway holds only while the visitor who knows the code is being served, and
//! which the internal side received inside the first-contact envelope. The associated data binds each entry to
//! its ticket ref, its entry id and its author, so an entry cannot be moved to another ticket, swapped with
//! another entry or relabelled from staff to visitor without failing to open.
//!
//! Sealed format: version byte `1` ‖ 96-bit random nonce ‖ ciphertext ‖ 16-byte tag. The plaintext is the
//! JSON form of [`EntryPlain`].

use std::fmt;

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use time::OffsetDateTime;

use crate::keys::{fill_random, is_lower_hex, ReplyKey, TicketRef};
use crate::time::minute;

/// The sealed format this code writes.
const VERSION: u8 = 1;
/// The Poly1305 tag's length.
const TAG_LEN: usize = 16;
/// Version byte and nonce.
const HEADER_LEN: usize = 1 + NONCE_LEN;
/// Prefix of the associated data: names the construction and its version.
const AAD_LABEL: &[u8] = b"porten entry v1";
/// Associated data: label ‖ ticket ref ‖ entry id ‖ author byte.
const AAD_LEN: usize = AAD_LABEL.len() + 32 + 16 + 1;

/// Why an entry could not be sealed or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ThreadError {
    /// The sealed bytes are too short to hold a header and a tag.
    #[error("the stored entry is malformed")]
    Malformed,
    /// The sealed bytes start with a version this code does not know.
    #[error("the stored entry has unsupported format version {0}")]
    UnsupportedVersion(u8),
    /// Authentication failed: wrong reply key, another ticket, entry id or author, or altered bytes.
    #[error("the stored entry could not be opened")]
    Open,
    /// Encryption or encoding failed.
    #[error("the entry could not be sealed")]
    Seal,
}

/// An entry's id: random, unique within its thread. Not secret.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId([u8; 16]);

impl EntryId {
    /// A new random id.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn random() -> EntryId {
        let mut bytes = [0u8; 16];
        fill_random(&mut bytes);
        EntryId(bytes)
    }

    /// An id from its 16 bytes, as read back from storage.
    pub fn from_bytes(bytes: [u8; 16]) -> EntryId {
        EntryId(bytes)
    }

    /// The 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Lower-case hex, 32 characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads 32 hex characters; `None` for anything else.
    pub fn from_hex(input: &str) -> Option<EntryId> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(input, &mut bytes).ok()?;
        Some(EntryId(bytes))
    }

    /// Reads exactly 32 lowercase hex characters, the only form the wire formats write.
    pub fn from_lower_hex(input: &str) -> Option<EntryId> {
        if !is_lower_hex(input) {
            return None;
        }
        EntryId::from_hex(input)
    }
}

impl fmt::Debug for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryId({})", self.to_hex())
    }
}

/// Who wrote an entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AuthorKind {
    /// The visitor who holds the code.
    Visitor,
    /// Staff at the centre, under a display name.
    Staff,
}

impl AuthorKind {
    /// The byte that stands for the author in storage and in the associated data.
    pub fn as_byte(self) -> u8 {
        match self {
            AuthorKind::Visitor => 1,
            AuthorKind::Staff => 2,
        }
    }

    /// The author a byte stands for; `None` for an unknown byte.
    pub fn from_byte(byte: u8) -> Option<AuthorKind> {
        match byte {
            1 => Some(AuthorKind::Visitor),
            2 => Some(AuthorKind::Staff),
            _ => None,
        }
    }
}

/// An entry's readable content, only ever inside the ciphertext or in memory; wiped when dropped.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct EntryPlain {
    /// The staff member's display name (a pseudonym); `None` for the visitor.
    pub author_name: Option<String>,
    /// When it was written: Unix seconds, rounded down to the minute so the time says little about the writer.
    pub written: i64,
    /// The message.
    pub text: String,
}

impl EntryPlain {
    /// An entry written at `written`, with the time rounded down to the minute.
    pub fn new(author_name: Option<String>, written: OffsetDateTime, text: String) -> EntryPlain {
        EntryPlain {
            author_name,
            written: minute(written),
            text,
        }
    }
}

impl fmt::Debug for EntryPlain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntryPlain")
            .field(
                "author_name",
                &self.author_name.as_ref().map(|_| "[redacted]"),
            )
            .field("written", &self.written)
            .field("text", &"[redacted]")
            .finish()
    }
}

fn aead_key(reply_key: &ReplyKey) -> Result<LessSafeKey, ()> {
    UnboundKey::new(&CHACHA20_POLY1305, reply_key.as_bytes())
        .map(LessSafeKey::new)
        .map_err(|_| ())
}

fn associated_data(ticket: &TicketRef, id: &EntryId, author: AuthorKind) -> [u8; AAD_LEN] {
    let mut aad = [0u8; AAD_LEN];
    let parts = [
        AAD_LABEL,
        &ticket.as_bytes()[..],
        &id.as_bytes()[..],
        &[author.as_byte()],
    ];
    let mut at = 0;
    for part in parts {
        if let Some(slot) = aad.get_mut(at..at + part.len()) {
            slot.copy_from_slice(part);
        }
        at += part.len();
    }
    aad
}

/// Upper bound of the JSON length of `plain`, so the output buffer never reallocates and leaves plaintext
/// behind in freed memory. Every byte of a string becomes at most six (`\u00XX`).
fn json_len_bound(plain: &EntryPlain) -> usize {
    let name = plain.author_name.as_ref().map_or(0, String::len);
    64 + 6 * (name + plain.text.len())
}

/// Seals an entry of `ticket`'s thread under its reply key.
///
/// # Errors
///
/// [`ThreadError::Seal`] if encoding or encryption fails.
///
/// # Panics
///
/// If the operating system's random number generator fails.
pub fn seal_entry(
    key: &ReplyKey,
    ticket: &TicketRef,
    id: &EntryId,
    author: AuthorKind,
    plain: &EntryPlain,
) -> Result<Vec<u8>, ThreadError> {
    let key = aead_key(key).map_err(|()| ThreadError::Seal)?;
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce);
    // Wiped on every early return; handed out (then holding only ciphertext) on success.
    let mut out = Zeroizing::new(Vec::with_capacity(
        HEADER_LEN + json_len_bound(plain) + TAG_LEN,
    ));
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    serde_json::to_writer(&mut *out, plain).map_err(|_| ThreadError::Seal)?;
    let aad = associated_data(ticket, id, author);
    let body = out.get_mut(HEADER_LEN..).ok_or(ThreadError::Seal)?;
    let tag = key
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), body)
        .map_err(|_| ThreadError::Seal)?;
    out.extend_from_slice(tag.as_ref());
    Ok(std::mem::take(&mut *out))
}

/// Opens an entry sealed by [`seal_entry`] with the same reply key, ticket ref, entry id and author.
///
/// # Errors
///
/// [`ThreadError::Malformed`] for input too short or with a plaintext that is not an entry,
/// [`ThreadError::UnsupportedVersion`] for an unknown version byte, [`ThreadError::Open`] when authentication
/// fails.
pub fn open_entry(
    key: &ReplyKey,
    ticket: &TicketRef,
    id: &EntryId,
    author: AuthorKind,
    sealed: &[u8],
) -> Result<EntryPlain, ThreadError> {
    let (&version, rest) = sealed.split_first().ok_or(ThreadError::Malformed)?;
    if version != VERSION {
        return Err(ThreadError::UnsupportedVersion(version));
    }
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(ThreadError::Malformed);
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| ThreadError::Malformed)?;
    let key = aead_key(key).map_err(|()| ThreadError::Open)?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let plaintext = key
        .open_in_place(
            nonce,
            Aad::from(associated_data(ticket, id, author)),
            &mut buffer[..],
        )
        .map_err(|_| ThreadError::Open)?;
    serde_json::from_slice(plaintext).map_err(|_| ThreadError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn ticket(byte: u8) -> TicketRef {
        TicketRef::from_bytes([byte; 32])
    }

    fn reply_key(byte: u8) -> ReplyKey {
        ReplyKey::from_bytes([byte; 32])
    }

    fn reply() -> EntryPlain {
        EntryPlain::new(
            Some("Sara".to_owned()),
            time::macros::datetime!(2023-11-14 22:14:19 UTC),
            "Hej! Du kan ringa oss på vardagar. \"Citat\" och \u{0645}\u{0631}\u{062d}\u{0628}\u{0627}".to_owned(),
        )
    }

    #[test]
    fn sealed_entry_opens_to_the_same_content() -> TestResult {
        let id = EntryId::random();
        let plain = reply();
        let sealed = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &plain)?;
        assert_eq!(sealed.first(), Some(&1));
        let opened = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &sealed)?;
        assert_eq!(opened.author_name, plain.author_name);
        assert_eq!(opened.written, 1_700_000_040);
        assert_eq!(opened.text, plain.text);
        Ok(())
    }

    #[test]
    fn sealed_entry_does_not_contain_the_text() -> TestResult {
        let plain = EntryPlain::new(
            None,
            OffsetDateTime::now_utc(),
            "a secret message".to_owned(),
        );
        let sealed = seal_entry(
            &reply_key(1),
            &ticket(2),
            &EntryId::random(),
            AuthorKind::Visitor,
            &plain,
        )?;
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        Ok(())
    }

    #[test]
    fn the_same_entry_sealed_twice_differs() -> TestResult {
        let id = EntryId::random();
        let a = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &reply())?;
        let b = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &reply())?;
        assert_ne!(a, b, "a fresh nonce each time");
        Ok(())
    }

    #[test]
    fn entry_moved_to_another_ticket_fails_to_open() -> TestResult {
        let id = EntryId::random();
        let sealed = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &reply())?;
        let moved = open_entry(&reply_key(1), &ticket(3), &id, AuthorKind::Staff, &sealed);
        assert_eq!(moved.map(|_| ()), Err(ThreadError::Open));
        Ok(())
    }

    #[test]
    fn entry_under_another_id_fails_to_open() -> TestResult {
        let sealed = seal_entry(
            &reply_key(1),
            &ticket(2),
            &EntryId::random(),
            AuthorKind::Staff,
            &reply(),
        )?;
        let swapped = open_entry(
            &reply_key(1),
            &ticket(2),
            &EntryId::random(),
            AuthorKind::Staff,
            &sealed,
        );
        assert_eq!(swapped.map(|_| ()), Err(ThreadError::Open));
        Ok(())
    }

    #[test]
    fn entry_relabelled_to_another_author_fails_to_open() -> TestResult {
        let id = EntryId::random();
        let staff = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &reply())?;
        let relabelled = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Visitor, &staff);
        assert_eq!(relabelled.map(|_| ()), Err(ThreadError::Open));
        let visitor = seal_entry(
            &reply_key(1),
            &ticket(2),
            &id,
            AuthorKind::Visitor,
            &reply(),
        )?;
        let relabelled = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &visitor);
        assert_eq!(relabelled.map(|_| ()), Err(ThreadError::Open));
        Ok(())
    }

    #[test]
    fn wrong_reply_key_fails_to_open() -> TestResult {
        let id = EntryId::random();
        let sealed = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &reply())?;
        let opened = open_entry(&reply_key(9), &ticket(2), &id, AuthorKind::Staff, &sealed);
        assert_eq!(opened.map(|_| ()), Err(ThreadError::Open));
        Ok(())
    }

    #[test]
    fn every_altered_byte_fails_to_open() -> TestResult {
        let id = EntryId::random();
        let sealed = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &reply())?;
        for i in 1..sealed.len() {
            let mut altered = sealed.clone();
            altered[i] ^= 0x01;
            let opened = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &altered);
            assert_eq!(opened.map(|_| ()), Err(ThreadError::Open), "byte {i}");
        }
        Ok(())
    }

    #[test]
    fn truncated_or_garbage_input_is_an_error_not_a_panic() -> TestResult {
        let id = EntryId::random();
        let sealed = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &reply())?;
        let open = |bytes: &[u8]| {
            open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, bytes).map(|_| ())
        };
        assert_eq!(open(&[]), Err(ThreadError::Malformed));
        assert_eq!(open(&[1]), Err(ThreadError::Malformed));
        assert_eq!(
            open(&sealed[..HEADER_LEN + TAG_LEN - 1]),
            Err(ThreadError::Malformed)
        );
        for len in HEADER_LEN + TAG_LEN..sealed.len() {
            assert_eq!(open(&sealed[..len]), Err(ThreadError::Open), "length {len}");
        }
        assert_eq!(open(&[2; 64]), Err(ThreadError::UnsupportedVersion(2)));
        assert_eq!(open(&[0; 64]), Err(ThreadError::UnsupportedVersion(0)));
        let mut garbage = vec![1u8];
        garbage.extend((0..200u8).map(|b| b.wrapping_mul(37)));
        assert_eq!(open(&garbage), Err(ThreadError::Open));
        Ok(())
    }

    #[test]
    fn an_authentic_ciphertext_that_is_not_an_entry_is_malformed() -> TestResult {
        // Sealed correctly but with a plaintext that is not an entry's JSON, as a buggy writer might produce.
        let id = EntryId::random();
        let key = aead_key(&reply_key(1)).map_err(|()| "key")?;
        let nonce = [7u8; NONCE_LEN];
        let mut body = b"not json".to_vec();
        let aad = associated_data(&ticket(2), &id, AuthorKind::Staff);
        let tag = key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut body,
            )
            .map_err(|_| "seal")?;
        let mut sealed = vec![VERSION];
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&body);
        sealed.extend_from_slice(tag.as_ref());
        let opened = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &sealed);
        assert_eq!(opened.map(|_| ()), Err(ThreadError::Malformed));
        Ok(())
    }

    #[test]
    fn long_text_full_of_escapes_seals_and_opens() -> TestResult {
        let id = EntryId::random();
        let text: String = "\u{1}\"\\\n".repeat(5000);
        let plain = EntryPlain::new(None, OffsetDateTime::now_utc(), text.clone());
        let sealed = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Visitor, &plain)?;
        let opened = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Visitor, &sealed)?;
        assert_eq!(opened.text, text);
        assert_eq!(opened.author_name, None);
        Ok(())
    }

    #[test]
    fn entry_id_hex_round_trip_and_refusals() {
        let id = EntryId::random();
        assert_eq!(EntryId::from_hex(&id.to_hex()), Some(id));
        assert_eq!(EntryId::from_hex(&id.to_hex()[..30]), None);
        assert_eq!(EntryId::from_hex("zz"), None);
        assert_eq!(format!("{id:?}"), format!("EntryId({})", id.to_hex()));
    }

    #[test]
    fn author_byte_round_trip() {
        for author in [AuthorKind::Visitor, AuthorKind::Staff] {
            assert_eq!(AuthorKind::from_byte(author.as_byte()), Some(author));
        }
        assert_eq!(AuthorKind::from_byte(0), None);
        assert_eq!(AuthorKind::from_byte(3), None);
    }

    #[test]
    fn debug_never_shows_the_text_or_the_name() {
        let shown = format!("{:?}", reply());
        assert!(!shown.contains("Hej") && !shown.contains("Sara"), "{shown}");
    }
}
