//! The thread: a visitor's conversation with staff, stored so that the gateway cannot read it.
//!
//! Each entry (the visitor's messages and the staff's replies) is sealed with ChaCha20-Poly1305 under the
//! ticket's reply key, which the gateway holds only while the visitor who knows the code is being served, and
//! which the internal side received inside the first-contact envelope. The associated data binds each entry to
//! its ticket ref, its entry id and its author, so an entry cannot be moved to another ticket, swapped with
//! another entry or relabelled from staff to visitor without failing to open.
//!
//! Sealed format (version 2): version byte `2` ‖ 96-bit random nonce ‖ ciphertext ‖ 16-byte tag. The
//! plaintext is the JSON form of [`EntryPlain`] padded as ISO/IEC 7816-4 does it (one `0x80` byte, then zeros)
//! so that the whole sealed entry is exactly a size bucket long: a power of two, at least
//! [`SMALLEST_SEALED_LEN`] bytes (the buckets and why: `crate::padding`). JSON never ends in `0x80` or `0x00`,
//! so the padding comes off unambiguously; opening refuses a length that is not a bucket and padding other than
//! what sealing writes. Version 1 (unpadded) is refused as unsupported.

use std::fmt;

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use time::OffsetDateTime;

use crate::keys::{fill_random, is_lower_hex, ReplyKey, TicketRef};
use crate::padding::{self, ByteCounter};
use crate::time::minute;

/// The sealed format this code writes and the only one it opens: 2 pads to a size bucket, 1 did not.
const VERSION: u8 = 2;
/// The Poly1305 tag's length.
const TAG_LEN: usize = 16;
/// Version byte and nonce.
const HEADER_LEN: usize = 1 + NONCE_LEN;
/// Prefix of the associated data: names the construction and its version.
const AAD_LABEL: &[u8] = b"porten entry v2";
/// The smallest sealed entry, in bytes: the floor of the size buckets. It holds about 430 bytes of text
/// (the JSON's field names and the padding mark take the rest), so every short message looks alike.
pub const SMALLEST_SEALED_LEN: usize = 512;
/// The first byte of the padding (ISO/IEC 7816-4); zeros follow it up to the bucket.
const PAD_MARK: u8 = 0x80;
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
    /// The sealed length is not a size bucket, or the padding inside is not what sealing writes.
    #[error("the stored entry is not padded to a size bucket")]
    Padding,
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

/// The sealed length of an entry whose JSON is `json_len` bytes: the bucket that holds the header, the JSON,
/// the padding mark and the tag. `None` only for lengths no machine holds.
pub fn sealed_len(json_len: usize) -> Option<usize> {
    let needed = json_len.checked_add(HEADER_LEN + 1 + TAG_LEN)?;
    padding::bucket(needed, SMALLEST_SEALED_LEN)
}

/// Checks what can be checked without the reply key: the format version and that the length is a size
/// bucket. The gateway runs it on every staff reply before storing it, so nothing unpadded is ever stored.
///
/// # Errors
///
/// [`ThreadError::Malformed`] for empty input, [`ThreadError::UnsupportedVersion`] for another version,
/// [`ThreadError::Padding`] for a length that is not a bucket.
pub fn check_shape(sealed: &[u8]) -> Result<(), ThreadError> {
    let version = *sealed.first().ok_or(ThreadError::Malformed)?;
    if version != VERSION {
        return Err(ThreadError::UnsupportedVersion(version));
    }
    if !padding::is_bucket(sealed.len(), SMALLEST_SEALED_LEN) {
        return Err(ThreadError::Padding);
    }
    Ok(())
}

/// The length of the content before its padding: the bytes before the last non-zero byte, which must be the
/// padding mark. `None` when it is not.
fn unpadded_len(padded: &[u8]) -> Option<usize> {
    let mark = padded.iter().rposition(|&byte| byte != 0)?;
    (padded.get(mark) == Some(&PAD_MARK)).then_some(mark)
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
    let mut counter = ByteCounter::default();
    serde_json::to_writer(&mut counter, plain).map_err(|_| ThreadError::Seal)?;
    let total = sealed_len(counter.0).ok_or(ThreadError::Seal)?;
    // Sized exactly, so it never reallocates and leaves the plaintext behind in freed memory. Wiped on every
    // early return; handed out (then holding only ciphertext) on success.
    let mut out = Zeroizing::new(Vec::with_capacity(total));
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    serde_json::to_writer(&mut *out, plain).map_err(|_| ThreadError::Seal)?;
    out.push(PAD_MARK);
    out.resize(total - TAG_LEN, 0);
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
/// [`ThreadError::Malformed`] for empty input or a plaintext that is not an entry,
/// [`ThreadError::UnsupportedVersion`] for an unknown version byte, [`ThreadError::Padding`] for a length that
/// is not a size bucket or padding that is not what [`seal_entry`] writes, [`ThreadError::Open`] when
/// authentication fails.
pub fn open_entry(
    key: &ReplyKey,
    ticket: &TicketRef,
    id: &EntryId,
    author: AuthorKind,
    sealed: &[u8],
) -> Result<EntryPlain, ThreadError> {
    check_shape(sealed)?;
    let rest = sealed.get(1..).ok_or(ThreadError::Malformed)?;
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
    // Authentic, so only a faulty writer gets here with bad padding; it is refused all the same. So is padding
    // longer than needed (the content fits a smaller bucket): each entry has one sealed length, the one that
    // says no more than its bucket.
    let content_len = unpadded_len(plaintext).ok_or(ThreadError::Padding)?;
    if sealed_len(content_len) != Some(sealed.len()) {
        return Err(ThreadError::Padding);
    }
    let content = plaintext.get(..content_len).ok_or(ThreadError::Padding)?;
    serde_json::from_slice(content).map_err(|_| ThreadError::Malformed)
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
        assert_eq!(sealed.first(), Some(&2));
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
        assert_eq!(open(&[VERSION]), Err(ThreadError::Padding));
        for len in 1..sealed.len() {
            assert_eq!(
                open(&sealed[..len]),
                Err(ThreadError::Padding),
                "length {len}"
            );
        }
        let mut longer = sealed.clone();
        longer.resize(2 * sealed.len(), 0);
        assert_eq!(
            open(&longer),
            Err(ThreadError::Open),
            "a bucket, but not sealed so"
        );
        assert_eq!(open(&[3; 512]), Err(ThreadError::UnsupportedVersion(3)));
        assert_eq!(open(&[0; 64]), Err(ThreadError::UnsupportedVersion(0)));
        let mut garbage = vec![VERSION];
        garbage.extend((0..511u16).map(|b| (b as u8).wrapping_mul(37)));
        assert_eq!(open(&garbage), Err(ThreadError::Open));
        Ok(())
    }

    /// Seals `plaintext` exactly as given, padded or not, as a faulty writer holding the reply key might.
    fn seal_raw(id: &EntryId, plaintext: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let key = aead_key(&reply_key(1)).map_err(|()| "key")?;
        let nonce = [7u8; NONCE_LEN];
        let mut body = plaintext.to_vec();
        let aad = associated_data(&ticket(2), id, AuthorKind::Staff);
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
        Ok(sealed)
    }

    /// `content`, padded with `padding` up to the plaintext length of a `sealed`-byte entry.
    fn padded(content: &[u8], padding: &[u8], sealed: usize) -> Vec<u8> {
        let mut plain = content.to_vec();
        plain.extend_from_slice(padding);
        plain.resize(sealed - HEADER_LEN - TAG_LEN, 0);
        plain
    }

    #[test]
    fn an_authentic_ciphertext_that_is_not_an_entry_is_malformed() -> TestResult {
        // Sealed and padded correctly but with a plaintext that is not an entry's JSON.
        let id = EntryId::random();
        let sealed = seal_raw(&id, &padded(b"not json", &[PAD_MARK], 512))?;
        let opened = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &sealed);
        assert_eq!(opened.map(|_| ()), Err(ThreadError::Malformed));
        Ok(())
    }

    #[test]
    fn entries_of_different_lengths_within_a_bucket_seal_to_exactly_the_same_length() -> TestResult
    {
        let seal_text = |text: &str| {
            let plain = EntryPlain::new(None, OffsetDateTime::now_utc(), text.to_owned());
            seal_entry(
                &reply_key(1),
                &ticket(2),
                &EntryId::random(),
                AuthorKind::Visitor,
                &plain,
            )
        };
        let short = seal_text("Hej")?;
        let longer = seal_text(&"Jag behöver prata med någon. ".repeat(12))?;
        assert_eq!(short.len(), SMALLEST_SEALED_LEN);
        assert_eq!(
            longer.len(),
            short.len(),
            "one word and a paragraph look alike"
        );
        let a = seal_text(&"x".repeat(1500))?;
        let b = seal_text(&"x".repeat(1900))?;
        assert_eq!((a.len(), b.len()), (2048, 2048));
        Ok(())
    }

    #[test]
    fn entries_in_different_buckets_seal_to_different_lengths_each_a_power_of_two() -> TestResult {
        let mut seen = Vec::new();
        for len in (0..40_000).step_by(97) {
            let text = "å".repeat(len / 2);
            let plain = EntryPlain::new(Some("Sara".into()), OffsetDateTime::now_utc(), text);
            let id = EntryId::random();
            let sealed = seal_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &plain)?;
            assert!(
                sealed.len().is_power_of_two() && sealed.len() >= SMALLEST_SEALED_LEN,
                "{} bytes for {len}",
                sealed.len()
            );
            assert_eq!(check_shape(&sealed), Ok(()));
            let opened = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &sealed)?;
            assert_eq!(opened.text.len(), plain.text.len());
            if seen.last() != Some(&sealed.len()) {
                seen.push(sealed.len());
            }
        }
        assert_eq!(
            seen,
            [512, 1024, 2048, 4096, 8192, 16_384, 32_768, 65_536],
            "eight buckets from an empty message to 40,000 bytes"
        );
        Ok(())
    }

    #[test]
    fn authentic_entries_with_padding_other_than_sealing_writes_are_refused() -> TestResult {
        let id = EntryId::random();
        let json = serde_json::to_vec(&reply())?;
        let open = |sealed: &[u8]| {
            open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, sealed).map(|_| ())
        };
        // What sealing writes opens.
        assert_eq!(
            open(&seal_raw(&id, &padded(&json, &[PAD_MARK], 512))?),
            Ok(())
        );
        let refused = [
            ("no mark, only zeros", padded(&json, &[], 512)),
            ("another mark", padded(&json, &[0x81], 512)),
            (
                "a byte after the mark",
                padded(&json, &[PAD_MARK, 0, 1], 512),
            ),
            (
                "a bigger bucket than needed",
                padded(&json, &[PAD_MARK], 1024),
            ),
            ("a bucket but no padding", {
                let mut full = json.clone();
                full.resize(512 - HEADER_LEN - TAG_LEN, b' ');
                full
            }),
        ];
        for (what, plaintext) in refused {
            let sealed = seal_raw(&id, &plaintext)?;
            assert!(
                padding::is_bucket(sealed.len(), SMALLEST_SEALED_LEN),
                "{what}"
            );
            assert_eq!(open(&sealed), Err(ThreadError::Padding), "{what}");
        }
        // A second mark is content, not padding (only the last mark counts), and no entry's JSON ends so.
        let twice = seal_raw(&id, &padded(&json, &[PAD_MARK, PAD_MARK], 512))?;
        assert_eq!(open(&twice), Err(ThreadError::Malformed));
        // Right padding in a length that is not a bucket is refused before any decryption.
        let mut short = json.clone();
        short.push(PAD_MARK);
        assert_eq!(open(&seal_raw(&id, &short)?), Err(ThreadError::Padding));
        Ok(())
    }

    #[test]
    fn an_entry_in_the_unpadded_format_1_is_refused_as_unsupported() {
        // Version 1 was the JSON sealed as it is: version byte 1 ‖ nonce ‖ ciphertext ‖ tag.
        let mut old = vec![1u8];
        old.extend_from_slice(&[0x33; NONCE_LEN + 100 + TAG_LEN]);
        let id = EntryId::random();
        let opened = open_entry(&reply_key(1), &ticket(2), &id, AuthorKind::Staff, &old);
        assert_eq!(opened.map(|_| ()), Err(ThreadError::UnsupportedVersion(1)));
        assert_eq!(check_shape(&old), Err(ThreadError::UnsupportedVersion(1)));
    }

    #[test]
    fn the_shape_check_needs_no_key_and_refuses_what_is_not_a_padded_entry() -> TestResult {
        let sealed = seal_entry(
            &reply_key(1),
            &ticket(2),
            &EntryId::random(),
            AuthorKind::Staff,
            &reply(),
        )?;
        assert_eq!(check_shape(&sealed), Ok(()));
        assert_eq!(
            check_shape(&sealed[..sealed.len() - 1]),
            Err(ThreadError::Padding)
        );
        assert_eq!(check_shape(&[VERSION; 300]), Err(ThreadError::Padding));
        assert_eq!(
            check_shape(b"sealed"),
            Err(ThreadError::UnsupportedVersion(b's'))
        );
        assert_eq!(check_shape(&[]), Err(ThreadError::Malformed));
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
