//! The key types both sides hold: the ticket ref, the reply key, the expiry key, and the randomness they and
//! the ids come from.
//!
//! The gateway derives the ticket ref and the reply key from a ticket code (`ticket::kdf` in the gateway),
//! and the expiry key from the ticket's random storage key (`store::keys` in the gateway); the internal side
//! receives all three inside a first-contact envelope and keeps the two keys: the reply key to answer and to
//! check follow-ups and visitor closes, the expiry key to check expiry closes (`envelope::proof`). All are
//! secrets: they print as `[redacted]`, compare in constant time and are wiped when dropped.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::secret::Sensitive;

/// Fills `out` from the operating system's random number generator.
///
/// Codes, keys, nonces and ids come from here. There is no safe fallback when the generator fails (on Linux
/// it does not once the kernel's pool is seeded), so the request that needed randomness ends instead of going
/// on with predictable bytes.
///
/// # Panics
///
/// If the operating system's random number generator fails.
pub fn fill_random(out: &mut [u8]) {
    if SystemRandom::new().fill(out).is_err() {
        panic!("the operating system's random number generator failed");
    }
}

/// The ticket ref: the key under which a ticket and its thread are stored.
///
/// Sensitive (whoever holds it can find the ticket's rows): never logged, `Debug` prints `[redacted]`, compared
/// in constant time, wiped when dropped.
#[derive(Clone, Debug)]
pub struct TicketRef(Sensitive<[u8; 32]>);

impl TicketRef {
    /// A ticket ref from its 32 bytes, as read back from storage.
    pub fn from_bytes(bytes: [u8; 32]) -> TicketRef {
        TicketRef(Sensitive::new(bytes))
    }

    /// A ticket ref from a slice of exactly 32 bytes; `None` for any other length.
    pub fn from_slice(bytes: &[u8]) -> Option<TicketRef> {
        let mut ticket_ref = TicketRef::from_bytes([0; 32]);
        ticket_ref
            .as_mut_bytes()
            .copy_from_slice(bytes.get(..32).filter(|_| bytes.len() == 32)?);
        Some(ticket_ref)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.expose()
    }

    /// The 32 bytes, to derive the ref in place so no copy is left behind.
    pub fn as_mut_bytes(&mut self) -> &mut [u8; 32] {
        self.0.expose_mut()
    }

    /// Lower-case hex, 64 characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.as_bytes())
    }

    /// Reads 64 hex characters; `None` for anything else.
    pub fn from_hex(input: &str) -> Option<TicketRef> {
        let mut ticket_ref = TicketRef::from_bytes([0; 32]);
        hex::decode_to_slice(input, ticket_ref.as_mut_bytes()).ok()?;
        Some(ticket_ref)
    }

    /// Reads exactly 64 lowercase hex characters, the only form the wire formats write.
    pub fn from_lower_hex(input: &str) -> Option<TicketRef> {
        if !is_lower_hex(input) {
            return None;
        }
        TicketRef::from_hex(input)
    }
}

impl PartialEq for TicketRef {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

impl Eq for TicketRef {}

/// The reply key: the ChaCha20-Poly1305 key that seals a ticket's thread. Never stored by the gateway.
///
/// `Debug` prints `[redacted]`; compared in constant time; wiped when dropped.
#[derive(Clone, Debug)]
pub struct ReplyKey(Sensitive<[u8; 32]>);

impl ReplyKey {
    /// A reply key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> ReplyKey {
        ReplyKey(Sensitive::new(bytes))
    }

    /// A reply key from a slice of exactly 32 bytes, copied straight into its wiping buffer; `None` for any
    /// other length.
    pub fn from_slice(bytes: &[u8]) -> Option<ReplyKey> {
        let mut key = ReplyKey::from_bytes([0; 32]);
        key.as_mut_bytes()
            .copy_from_slice(bytes.get(..32).filter(|_| bytes.len() == 32)?);
        Some(key)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.expose()
    }

    /// The 32 bytes, to derive the key in place so no copy is left behind.
    pub fn as_mut_bytes(&mut self) -> &mut [u8; 32] {
        self.0.expose_mut()
    }

    /// Standard base64 with padding (44 characters), as carried inside a sealed envelope.
    pub fn to_base64(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(44));
        STANDARD.encode_string(&self.as_bytes()[..], &mut out);
        out
    }

    /// Reads what [`ReplyKey::to_base64`] wrote; `None` for anything that is not 32 bytes in standard base64.
    pub fn from_base64(input: &str) -> Option<ReplyKey> {
        if input.len() != 44 {
            return None;
        }
        // The decoder wants room for its conservative length estimate.
        let mut buf = Zeroizing::new([0u8; 48]);
        let n = STANDARD.decode_slice(input, &mut buf[..]).ok()?;
        ReplyKey::from_slice(buf.get(..n)?)
    }

    /// Reads 32 bytes in any standard base64 alphabet, padded or not: what an envelope payload may carry.
    pub(crate) fn from_any_base64(input: &str) -> Option<ReplyKey> {
        decode_any_base64(input, ReplyKey::from_slice)
    }
}

impl PartialEq for ReplyKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

impl Eq for ReplyKey {}

/// The expiry key: lets the gateway's sweeper prove that an expiry close is about a ticket it stores.
///
/// The sweeper has no reply key (it never sees a code), so the gateway derives this key from the ticket's
/// random storage key, sends it once inside the first-contact envelope, and signs the expiry close with it.
/// It lives as long as the ticket's key slot and no longer. `Debug` prints `[redacted]`; compared in
/// constant time; wiped when dropped.
#[derive(Clone, Debug)]
pub struct ExpiryKey(Sensitive<[u8; 32]>);

impl ExpiryKey {
    /// An expiry key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> ExpiryKey {
        ExpiryKey(Sensitive::new(bytes))
    }

    /// An expiry key from a slice of exactly 32 bytes; `None` for any other length.
    pub fn from_slice(bytes: &[u8]) -> Option<ExpiryKey> {
        let mut key = ExpiryKey::from_bytes([0; 32]);
        key.as_mut_bytes()
            .copy_from_slice(bytes.get(..32).filter(|_| bytes.len() == 32)?);
        Some(key)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.expose()
    }

    /// The 32 bytes, to derive the key in place so no copy is left behind.
    pub fn as_mut_bytes(&mut self) -> &mut [u8; 32] {
        self.0.expose_mut()
    }

    /// Standard base64 with padding (44 characters), as carried inside a sealed envelope and kept by the inbox.
    pub fn to_base64(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(44));
        STANDARD.encode_string(&self.as_bytes()[..], &mut out);
        out
    }

    /// Reads 32 bytes in any standard base64 alphabet, padded or not; `None` for anything else.
    pub fn from_any_base64(input: &str) -> Option<ExpiryKey> {
        decode_any_base64(input, ExpiryKey::from_slice)
    }
}

impl PartialEq for ExpiryKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

impl Eq for ExpiryKey {}

/// Decodes at most 44 characters of base64 in any standard alphabet, padded or not, into a wiping buffer and
/// hands the bytes to `make`.
pub(crate) fn decode_any_base64<T>(input: &str, make: impl Fn(&[u8]) -> Option<T>) -> Option<T> {
    if input.len() > 44 {
        return None;
    }
    // The decoder wants room for its conservative length estimate.
    let mut buf = Zeroizing::new([0u8; 48]);
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode_slice(input, &mut buf[..]).ok())
        .and_then(|n| make(buf.get(..n)?))
}

/// Whether `text` is all lowercase hex digits.
pub(crate) fn is_lower_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_slices_of_exactly_32_bytes_only() {
        assert_eq!(
            TicketRef::from_slice(&[7; 32]),
            Some(TicketRef::from_bytes([7; 32]))
        );
        assert_eq!(
            ReplyKey::from_slice(&[7; 32]),
            Some(ReplyKey::from_bytes([7; 32]))
        );
        for len in [0, 31, 33] {
            assert_eq!(TicketRef::from_slice(&vec![7; len]), None);
            assert_eq!(ReplyKey::from_slice(&vec![7; len]), None);
        }
    }

    #[test]
    fn reply_key_base64_round_trip_and_refusals() {
        let key = ReplyKey::from_bytes([0x5a; 32]);
        let text = key.to_base64();
        assert_eq!(text.len(), 44);
        assert_eq!(ReplyKey::from_base64(&text), Some(key));
        assert_eq!(ReplyKey::from_base64(&text[..43]), None);
        assert_eq!(ReplyKey::from_base64(&format!("{}==", &text[..42])), None);
        // 33 bytes encode to 44 characters too.
        assert_eq!(ReplyKey::from_base64(&STANDARD.encode([1u8; 33])), None);
        assert_eq!(ReplyKey::from_base64(&"!".repeat(44)), None);
    }

    #[test]
    fn debug_prints_no_key() {
        let shown = format!(
            "{:?} {:?} {:?}",
            TicketRef::from_bytes([0xab; 32]),
            ReplyKey::from_bytes([0xcd; 32]),
            ExpiryKey::from_bytes([0xef; 32])
        );
        assert_eq!(
            shown,
            "TicketRef([redacted]) ReplyKey([redacted]) ExpiryKey([redacted])"
        );
    }
}
