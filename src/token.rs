//! Form tokens: sealed, expiring, single-use values that every form carries instead of a cookie.
//!
//! A token proves that a POST comes from a form this gateway served a short while ago (anti-CSRF), and on the
//! return page it carries the visitor's session (ticket ref and reply key) from one request to the next without
//! anything being stored in the browser or on the server. Tokens are sealed with ChaCha20-Poly1305 under a
//! random key that exists only in this process's memory and is replaced every `lifetime`; a restart therefore
//! ends every session.
//!
//! A browser keeps every form it sent in its history, and whoever picks up the device can send one again. So a
//! token is used up by the first POST that carries it with a valid seal — whatever that POST then leads to, a
//! refusal included — and "used" is checked before "expired": a form sent again answers
//! [`TokenError::Replayed`] for as long as its key exists, and [`TokenError::Invalid`] after. Only a token that
//! was never sent can come back [`TokenError::Expired`], which is how a handler knows the visitor is still on
//! the page that holds it, and may keep what they wrote.
//!
//! Token format (URL-safe base64 without padding): key id (4 bytes) ‖ nonce (12) ‖ ciphertext ‖ tag (16). The
//! plaintext is: purpose (1) ‖ issue time in seconds since this process's start (8, big-endian) ‖ token number
//! under its key (8, big-endian) ‖ what the purpose carries: nothing, the ticket ref (32) and reply key (32), or a code (length (1) ‖ ASCII
//! digits). The associated data is `"porten token v2"` ‖ key id.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::ticket::{fill_random, ReplyKey, TicketKeys, TicketRef};

/// Longer input is refused as [`TokenError::Malformed`] before it is decoded.
pub const MAX_TOKEN_CHARS: usize = 512;

/// How many tokens one key seals at most before it is replaced early: the used marks take one bit per token
/// issued, so this bounds them (8 MiB per key). Only a flood of page loads reaches it; tokens of the key
/// retired early by it keep working, and those of the one before it are refused (they can show nothing).
pub const DEFAULT_MAX_ISSUED_PER_KEY: u64 = 1 << 26;

/// The longest code a token can carry, in digits.
const MAX_CARRIED_CODE: usize = 64;
/// In a carried code's length byte: the visitor said they are in danger.
const URGENT_BIT: u8 = 0x80;

/// Associated data prefix: names the construction and its version.
const AAD_LABEL: &[u8] = b"porten token v2";
const KEY_ID_LEN: usize = 4;
const TAG_LEN: usize = 16;
/// The token's number among those its key sealed (big-endian).
const TOKEN_ID_LEN: usize = 8;
/// Purpose, issue time, token id.
const PLAIN_LEN: usize = 1 + 8 + TOKEN_ID_LEN;
/// Plus ticket ref and reply key.
const SESSION_PLAIN_LEN: usize = PLAIN_LEN + 32 + 32;
const HEADER_LEN: usize = KEY_ID_LEN + NONCE_LEN;

/// What a token is for; a token is only accepted for the purpose it was issued for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum TokenPurpose {
    /// The first-contact form.
    FirstContact,
    /// The form where a visitor enters their code.
    Return,
    /// The write-again and delete forms on the conversation page; carries the ticket's keys.
    Session,
    /// The "check the code you wrote down" form on the code page; carries the code, so that a mistake can be
    /// shown beside the real code, and the page can change language without losing it.
    CodeCheck,
}

impl TokenPurpose {
    /// Every purpose.
    const ALL: [TokenPurpose; 4] = [
        TokenPurpose::FirstContact,
        TokenPurpose::Return,
        TokenPurpose::Session,
        TokenPurpose::CodeCheck,
    ];

    fn as_byte(self) -> u8 {
        match self {
            TokenPurpose::FirstContact => 1,
            TokenPurpose::Return => 2,
            TokenPurpose::Session => 3,
            TokenPurpose::CodeCheck => 4,
        }
    }

    fn from_byte(byte: u8) -> Option<TokenPurpose> {
        TokenPurpose::ALL
            .into_iter()
            .find(|purpose| purpose.as_byte() == byte)
    }
}

/// What a token carries besides its purpose.
pub enum Carried<'a> {
    /// Nothing: an anti-CSRF token only.
    Nothing,
    /// A return session: the ticket's keys ([`TokenPurpose::Session`]).
    Session(&'a TicketKeys),
    /// A code's digits and whether the visitor said they are in danger ([`TokenPurpose::CodeCheck`]); more
    /// than 64 digits are not carried.
    Code(&'a str, bool),
}

/// Why a token was not accepted. The texts never repeat the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TokenError {
    /// Too long, not base64, or too short to be a token.
    #[error("the form token is malformed")]
    Malformed,
    /// Not sealed by this process's current or previous key: forged, altered, or from before a restart.
    #[error("the form token is not valid")]
    Invalid,
    /// Issued for another form.
    #[error("the form token belongs to another form")]
    WrongPurpose,
    /// Never sent before, but older than the token lifetime: the visitor is on a page they opened long ago.
    /// The token is used up now all the same.
    #[error("the form token has expired")]
    Expired,
    /// Sent before: a second press of Send, or a form sent again from the browser's history.
    #[error("the form token was already used")]
    Replayed,
}

/// What a valid token carried.
pub struct Redeemed {
    /// The purpose it was issued for (the one asked for).
    pub purpose: TokenPurpose,
    /// The ticket's keys, when the token was issued with them (session tokens).
    pub session: Option<TicketKeys>,
    /// The code, when the token was issued with one (code-check tokens).
    pub code: Option<CarriedCode>,
}

/// A code carried by a code-check token.
pub struct CarriedCode {
    /// The digits.
    pub digits: Zeroizing<String>,
    /// Whether the visitor said they are in danger now.
    pub urgent: bool,
}

impl fmt::Debug for Redeemed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redeemed")
            .field("purpose", &self.purpose)
            .field("session", &self.session.as_ref().map(|_| "[keys]"))
            .field("code", &self.code.as_ref().map(|_| "[code]"))
            .finish()
    }
}

/// One in-memory sealing key, how many tokens it sealed, and which of them were used.
struct SealingKey {
    id: u32,
    bytes: Zeroizing<[u8; 32]>,
    created: Instant,
    /// The number the next token gets.
    issued: u64,
    /// One bit per token issued, set when it is used. Kept as long as the key: forgetting a mark earlier would
    /// turn a used token into an expired-but-unused one, whose text a handler may show again. A bit per token
    /// means there is no "full": no flood of posts can make a token be accepted without being marked.
    used: Vec<u64>,
}

impl SealingKey {
    fn new(id: u32, created: Instant) -> SealingKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        fill_random(&mut bytes[..]);
        SealingKey {
            id,
            bytes,
            created,
            issued: 0,
            used: Vec::new(),
        }
    }

    fn is_used(&self, number: u64) -> bool {
        let word = usize::try_from(number / 64).unwrap_or(usize::MAX);
        self.used
            .get(word)
            .is_some_and(|bits| bits & (1 << (number % 64)) != 0)
    }

    /// Marks `number` used; only numbers this key issued get here, so the vector grows to at most one bit per
    /// token issued.
    fn mark_used(&mut self, number: u64) {
        let Ok(word) = usize::try_from(number / 64) else {
            return;
        };
        if self.used.len() <= word {
            self.used.resize(word + 1, 0);
        }
        if let Some(bits) = self.used.get_mut(word) {
            *bits |= 1 << (number % 64);
        }
    }

    /// A ring key for one operation; built per use so that the long-lived copy is the wiping one.
    fn aead(&self) -> Option<LessSafeKey> {
        UnboundKey::new(&CHACHA20_POLY1305, &self.bytes[..])
            .ok()
            .map(LessSafeKey::new)
    }
}

struct State {
    current: SealingKey,
    previous: Option<SealingKey>,
}

impl State {
    /// Replaces the current key once it is `lifetime` old. Every token sealed under a key was issued before
    /// the key turned `lifetime` old, so keeping one previous key lets every token live its full lifetime; a
    /// key retired after two lifetimes sealed only expired tokens and is dropped at once.
    fn rotate_if_due(&mut self, lifetime: Duration, now: Instant) {
        let age = now.saturating_duration_since(self.current.created);
        if age < lifetime {
            return;
        }
        let next = SealingKey::new(self.current.id.wrapping_add(1), now);
        let retired = std::mem::replace(&mut self.current, next);
        self.previous = (age < lifetime.saturating_mul(2)).then_some(retired);
    }

    fn key_mut(&mut self, id: u32) -> Option<&mut SealingKey> {
        if self.current.id == id {
            return Some(&mut self.current);
        }
        self.previous.as_mut().filter(|k| k.id == id)
    }

    /// Replaces the current key now: it sealed as many tokens as its marks may take. The previous key, if any,
    /// is dropped, and with it every token it sealed (refused from then on, so they can show nothing).
    fn rotate_early(&mut self, now: Instant) {
        let next = SealingKey::new(self.current.id.wrapping_add(1), now);
        self.previous = Some(std::mem::replace(&mut self.current, next));
    }
}

/// Issues and redeems form tokens. Shared by all connections (`&self` methods; an internal lock is held only
/// for the few microseconds of sealing or opening one token).
pub struct Tokens {
    lifetime: Duration,
    max_issued: u64,
    /// Issue times count from here: a monotonic clock, so that a change of the wall clock neither revives nor
    /// kills tokens, and tokens from another process are refused anyway.
    epoch: Instant,
    state: Mutex<State>,
}

impl Tokens {
    /// Tokens that live `lifetime` (at least one second), with a fresh random key.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn new(lifetime: Duration) -> Tokens {
        Tokens::with_max_issued(lifetime, DEFAULT_MAX_ISSUED_PER_KEY)
    }

    /// Like [`Tokens::new`], replacing a key early once it sealed `max_issued` tokens.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn with_max_issued(lifetime: Duration, max_issued: u64) -> Tokens {
        // A random first key id, so that a token from an earlier run names an unknown key.
        let mut id = [0u8; 4];
        fill_random(&mut id);
        let epoch = Instant::now();
        Tokens {
            lifetime: lifetime.max(Duration::from_secs(1)),
            max_issued: max_issued.max(1),
            epoch,
            state: Mutex::new(State {
                current: SealingKey::new(u32::from_be_bytes(id), epoch),
                previous: None,
            }),
        }
    }

    /// How long a token is accepted after it was issued.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing under this lock can panic half-way through a change, so a poisoned state is still whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn seconds(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.epoch).as_secs()
    }

    /// A new token for `purpose`, carrying what `carried` gives (session keys for [`TokenPurpose::Session`],
    /// a code for [`TokenPurpose::CodeCheck`]). URL-safe base64 without padding, at most 162 characters.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn issue(&self, purpose: TokenPurpose, carried: Carried<'_>) -> String {
        self.issue_at(purpose, carried, Instant::now())
    }

    fn issue_at(&self, purpose: TokenPurpose, carried: Carried<'_>, now: Instant) -> String {
        let issued = self.seconds(now);
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);

        // The plaintext is written straight into the output and encrypted in place; the buffer never grows
        // past its capacity, so no copy of the reply key or the code is left behind.
        let mut out = Zeroizing::new(Vec::with_capacity(
            HEADER_LEN + PLAIN_LEN + 1 + MAX_CARRIED_CODE + 64 + TAG_LEN,
        ));
        let mut state = self.lock();
        state.rotate_if_due(self.lifetime, now);
        if state.current.issued >= self.max_issued {
            state.rotate_early(now);
        }
        let token_id = state.current.issued.to_be_bytes();
        state.current.issued += 1;
        let key_id = state.current.id.to_be_bytes();
        out.extend_from_slice(&key_id);
        out.extend_from_slice(&nonce);
        out.push(purpose.as_byte());
        out.extend_from_slice(&issued.to_be_bytes());
        out.extend_from_slice(&token_id);
        match carried {
            Carried::Nothing => {}
            Carried::Session(keys) => {
                out.extend_from_slice(keys.ticket_ref.as_bytes());
                out.extend_from_slice(keys.reply_key.as_bytes());
            }
            Carried::Code(digits, urgent) => {
                let digits = digits.as_bytes();
                let digits = &digits[..digits.len().min(MAX_CARRIED_CODE)];
                // The length fits in seven bits; the eighth says "in danger".
                out.push(digits.len() as u8 | if urgent { URGENT_BIT } else { 0 });
                out.extend_from_slice(digits);
            }
        }
        let sealed = state.current.aead().and_then(|key| {
            key.seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(associated_data(key_id)),
                out.get_mut(HEADER_LEN..)?,
            )
            .ok()
        });
        drop(state);
        match sealed {
            Some(tag) => {
                out.extend_from_slice(tag.as_ref());
                URL_SAFE_NO_PAD.encode(&out[..])
            }
            // ChaCha20-Poly1305 with a 32-byte key and a short message cannot fail; should it, the token is
            // one that every redeem refuses, never a token carrying plaintext.
            None => String::new(),
        }
    }

    /// Accepts `token` for `purpose` once, and uses it up: checks its seal and purpose, then whether it was
    /// used before, then its age.
    ///
    /// # Errors
    ///
    /// [`TokenError::Malformed`] and [`TokenError::Invalid`] for what this process did not seal,
    /// [`TokenError::WrongPurpose`] (the token stays usable for its own form), [`TokenError::Replayed`] for a
    /// token sent before, and [`TokenError::Expired`] for one never sent but too old (now used up too).
    pub fn redeem(&self, token: &str, purpose: TokenPurpose) -> Result<Redeemed, TokenError> {
        self.redeem_at(token, purpose, Instant::now())
    }

    fn redeem_at(
        &self,
        token: &str,
        purpose: TokenPurpose,
        now: Instant,
    ) -> Result<Redeemed, TokenError> {
        if token.len() > MAX_TOKEN_CHARS {
            return Err(TokenError::Malformed);
        }
        let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_TOKEN_CHARS));
        URL_SAFE_NO_PAD
            .decode_vec(token, &mut bytes)
            .map_err(|_| TokenError::Malformed)?;
        if bytes.len() < HEADER_LEN + PLAIN_LEN + TAG_LEN {
            return Err(TokenError::Malformed);
        }
        let (header, sealed) = bytes.split_at_mut(HEADER_LEN);
        let (key_id, nonce) = header.split_at(KEY_ID_LEN);
        let key_id: [u8; KEY_ID_LEN] = key_id.try_into().map_err(|_| TokenError::Malformed)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| TokenError::Malformed)?;
        let now_seconds = self.seconds(now);

        let mut state = self.lock();
        state.rotate_if_due(self.lifetime, now);
        let key = state
            .key_mut(u32::from_be_bytes(key_id))
            .ok_or(TokenError::Invalid)?;
        let plain = key
            .aead()
            .ok_or(TokenError::Invalid)?
            .open_in_place(nonce, Aad::from(associated_data(key_id)), sealed)
            .map_err(|_| TokenError::Invalid)?;
        let payload = Payload::read(plain).ok_or(TokenError::Invalid)?;
        if payload.purpose != purpose {
            return Err(TokenError::WrongPurpose);
        }
        if payload.number >= key.issued || key.is_used(payload.number) {
            // A number the key never gave cannot be in a token it sealed; refused like a replay all the same.
            return Err(TokenError::Replayed);
        }
        key.mark_used(payload.number);
        drop(state);
        if now_seconds > payload.issued.saturating_add(self.lifetime.as_secs()) {
            return Err(TokenError::Expired);
        }
        Ok(Redeemed {
            purpose: payload.purpose,
            session: payload.session,
            code: payload.code,
        })
    }
}

/// An opened token's plaintext.
struct Payload {
    purpose: TokenPurpose,
    issued: u64,
    number: u64,
    session: Option<TicketKeys>,
    code: Option<CarriedCode>,
}

impl Payload {
    /// Reads a plaintext this code wrote; `None` for any other shape.
    fn read(plain: &[u8]) -> Option<Payload> {
        let purpose = TokenPurpose::from_byte(*plain.first()?)?;
        let issued = u64::from_be_bytes(plain.get(1..9)?.try_into().ok()?);
        let number = u64::from_be_bytes(plain.get(9..PLAIN_LEN)?.try_into().ok()?);
        let rest = plain.get(PLAIN_LEN..)?;
        let (session, code) = match purpose {
            TokenPurpose::FirstContact | TokenPurpose::Return => {
                if !rest.is_empty() {
                    return None;
                }
                (None, None)
            }
            TokenPurpose::Session => {
                if plain.len() != SESSION_PLAIN_LEN {
                    return None;
                }
                let keys = TicketKeys {
                    ticket_ref: TicketRef::from_slice(rest.get(..32)?)?,
                    reply_key: ReplyKey::from_slice(rest.get(32..)?)?,
                };
                (Some(keys), None)
            }
            TokenPurpose::CodeCheck => {
                let (&first, digits) = rest.split_first()?;
                let len = usize::from(first & !URGENT_BIT);
                if digits.len() != len || !digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let mut code = Zeroizing::new(String::with_capacity(digits.len()));
                code.extend(digits.iter().map(|&d| char::from(d)));
                (
                    None,
                    Some(CarriedCode {
                        digits: code,
                        urgent: first & URGENT_BIT != 0,
                    }),
                )
            }
        };
        Some(Payload {
            purpose,
            issued,
            number,
            session,
            code,
        })
    }
}

fn associated_data(key_id: [u8; KEY_ID_LEN]) -> [u8; AAD_LABEL.len() + KEY_ID_LEN] {
    let mut aad = [0u8; AAD_LABEL.len() + KEY_ID_LEN];
    let (label, id) = aad.split_at_mut(AAD_LABEL.len());
    label.copy_from_slice(AAD_LABEL);
    id.copy_from_slice(&key_id);
    aad
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("lifetime", &self.lifetime)
            .field("max_issued", &self.max_issued)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const LIFETIME: Duration = Duration::from_secs(3600);

    fn keys() -> TicketKeys {
        TicketKeys {
            ticket_ref: TicketRef::from_bytes([0x11; 32]),
            reply_key: ReplyKey::from_bytes([0x22; 32]),
        }
    }

    fn plain(tokens: &Tokens, purpose: TokenPurpose) -> String {
        tokens.issue(purpose, Carried::Nothing)
    }

    fn error(result: Result<Redeemed, TokenError>) -> Option<TokenError> {
        result.err()
    }

    #[test]
    fn issued_token_redeems_for_its_purpose() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        for purpose in [TokenPurpose::FirstContact, TokenPurpose::Return] {
            let redeemed = tokens.redeem(&plain(&tokens, purpose), purpose)?;
            assert_eq!(redeemed.purpose, purpose);
            assert!(redeemed.session.is_none() && redeemed.code.is_none());
        }
        Ok(())
    }

    #[test]
    fn token_is_url_safe_and_short() {
        let tokens = Tokens::new(LIFETIME);
        let anti_csrf = plain(&tokens, TokenPurpose::FirstContact);
        let session = tokens.issue(TokenPurpose::Session, Carried::Session(&keys()));
        let code = tokens.issue(
            TokenPurpose::CodeCheck,
            Carried::Code("1234567890123452", false),
        );
        for token in [&anti_csrf, &session, &code] {
            assert!(
                token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{token}"
            );
        }
        assert_eq!(anti_csrf.len(), 66);
        assert_eq!(session.len(), 151);
        assert_eq!(code.len(), 88);
        assert!(session.len() <= MAX_TOKEN_CHARS);
    }

    #[test]
    fn session_keys_survive_the_round_trip() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Session, Carried::Session(&keys()));
        let redeemed = tokens.redeem(&token, TokenPurpose::Session)?;
        assert_eq!(redeemed.session, Some(keys()));
        Ok(())
    }

    #[test]
    fn a_code_survives_the_round_trip() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        for urgent in [false, true] {
            let token = tokens.issue(
                TokenPurpose::CodeCheck,
                Carried::Code("8123456789012347", urgent),
            );
            let code = tokens
                .redeem(&token, TokenPurpose::CodeCheck)?
                .code
                .ok_or("no code")?;
            assert_eq!(code.digits.as_str(), "8123456789012347");
            assert_eq!(code.urgent, urgent);
        }
        Ok(())
    }

    #[test]
    fn a_token_does_not_show_what_it_carries() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let session = tokens.issue(TokenPurpose::Session, Carried::Session(&keys()));
        let bytes = URL_SAFE_NO_PAD.decode(&session)?;
        assert!(!bytes.windows(8).any(|w| w == [0x11; 8] || w == [0x22; 8]));
        let code = tokens.issue(
            TokenPurpose::CodeCheck,
            Carried::Code("8123456789012347", true),
        );
        let bytes = URL_SAFE_NO_PAD.decode(&code)?;
        assert!(!bytes.windows(6).any(|w| w == b"123456"));
        assert!(!code.contains("8123"));
        Ok(())
    }

    #[test]
    fn every_altered_byte_makes_the_token_invalid() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Session, Carried::Session(&keys()));
        let bytes = URL_SAFE_NO_PAD.decode(&token)?;
        for i in 0..bytes.len() {
            let mut altered = bytes.clone();
            altered[i] ^= 0x40;
            let altered = URL_SAFE_NO_PAD.encode(&altered);
            let result = tokens.redeem(&altered, TokenPurpose::Session);
            assert_eq!(error(result), Some(TokenError::Invalid), "byte {i}");
        }
        assert!(
            tokens.redeem(&token, TokenPurpose::Session).is_ok(),
            "the original is untouched"
        );
        Ok(())
    }

    #[test]
    fn a_token_never_sent_but_too_old_is_expired_and_used_up() {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::Return);
        let later = Instant::now() + LIFETIME + Duration::from_secs(2);
        assert_eq!(
            error(tokens.redeem_at(&token, TokenPurpose::Return, later)),
            Some(TokenError::Expired)
        );
        assert_eq!(
            error(tokens.redeem_at(&token, TokenPurpose::Return, later)),
            Some(TokenError::Replayed),
            "an expired token sent again is a replay: only the first sending may keep the visitor's text"
        );
    }

    #[test]
    fn a_token_just_within_its_lifetime_is_accepted() {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::Return);
        let just_in_time = Instant::now() + LIFETIME - Duration::from_secs(2);
        assert!(tokens
            .redeem_at(&token, TokenPurpose::Return, just_in_time)
            .is_ok());
    }

    #[test]
    fn used_is_checked_before_expired() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::FirstContact);
        tokens.redeem(&token, TokenPurpose::FirstContact)?;
        let later = Instant::now() + LIFETIME + Duration::from_secs(60);
        assert_eq!(
            error(tokens.redeem_at(&token, TokenPurpose::FirstContact, later)),
            Some(TokenError::Replayed),
            "a used token sent after its lifetime must not look like a page the visitor is still on"
        );
        Ok(())
    }

    #[test]
    fn a_used_token_stays_used_until_its_key_is_gone() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::FirstContact);
        tokens.redeem(&token, TokenPurpose::FirstContact)?;
        let start = Instant::now();
        let one_later = start + LIFETIME + Duration::from_secs(1);
        assert_eq!(
            error(tokens.redeem_at(&token, TokenPurpose::FirstContact, one_later)),
            Some(TokenError::Replayed)
        );
        let two_later = start + LIFETIME * 2 + Duration::from_secs(2);
        assert_eq!(
            error(tokens.redeem_at(&token, TokenPurpose::FirstContact, two_later)),
            Some(TokenError::Invalid),
            "its key is dropped, and with it everything the token could open"
        );
        Ok(())
    }

    #[test]
    fn second_redeem_is_a_replay() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::FirstContact);
        tokens.redeem(&token, TokenPurpose::FirstContact)?;
        let again = tokens.redeem(&token, TokenPurpose::FirstContact);
        assert_eq!(error(again), Some(TokenError::Replayed));
        Ok(())
    }

    #[test]
    fn token_from_another_instance_is_invalid() {
        // As after a restart: the in-memory key is gone.
        let before = Tokens::new(LIFETIME);
        let after = Tokens::new(LIFETIME);
        let token = before.issue(TokenPurpose::Session, Carried::Session(&keys()));
        assert_eq!(
            error(after.redeem(&token, TokenPurpose::Session)),
            Some(TokenError::Invalid)
        );
    }

    #[test]
    fn token_for_another_form_is_refused_and_not_used_up() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::Return);
        for wrong in [
            TokenPurpose::FirstContact,
            TokenPurpose::Session,
            TokenPurpose::CodeCheck,
        ] {
            assert_eq!(
                error(tokens.redeem(&token, wrong)),
                Some(TokenError::WrongPurpose)
            );
        }
        assert!(tokens.redeem(&token, TokenPurpose::Return).is_ok());
        Ok(())
    }

    #[test]
    fn malformed_input_is_refused_before_any_work() {
        let tokens = Tokens::new(LIFETIME);
        for input in [
            "",
            "a",
            "not base64!",
            "AAAA",
            &"A".repeat(MAX_TOKEN_CHARS + 1),
            "ü",
        ] {
            assert_eq!(
                error(tokens.redeem(input, TokenPurpose::FirstContact)),
                Some(TokenError::Malformed),
                "{input:?}"
            );
        }
        // Long enough and well-formed, but not sealed by us.
        let forged = URL_SAFE_NO_PAD.encode([0u8; 80]);
        assert_eq!(
            error(tokens.redeem(&forged, TokenPurpose::FirstContact)),
            Some(TokenError::Invalid)
        );
    }

    #[test]
    fn no_flood_of_posts_makes_a_used_token_acceptable_again() -> TestResult {
        // One mark per token issued: there is no set to fill, so no "busy" that would leave a token unused.
        let tokens = Tokens::new(LIFETIME);
        let issued: Vec<String> = (0..5000)
            .map(|i| {
                let purpose = TokenPurpose::ALL[i % TokenPurpose::ALL.len()];
                let carried = match purpose {
                    TokenPurpose::Session => Carried::Session(&keys()),
                    TokenPurpose::CodeCheck => Carried::Code("1234", false),
                    _ => Carried::Nothing,
                };
                tokens.issue(purpose, carried)
            })
            .collect();
        for (i, token) in issued.iter().enumerate() {
            tokens.redeem(token, TokenPurpose::ALL[i % TokenPurpose::ALL.len()])?;
        }
        for (i, token) in issued.iter().enumerate() {
            let again = tokens.redeem(token, TokenPurpose::ALL[i % TokenPurpose::ALL.len()]);
            assert_eq!(error(again), Some(TokenError::Replayed));
        }
        let words = tokens.lock().current.used.len();
        assert!(
            words <= 5000 / 64 + 1,
            "one bit per token issued: {words} words"
        );
        Ok(())
    }

    #[test]
    fn a_key_that_sealed_its_share_is_replaced_early_and_the_one_before_dropped() -> TestResult {
        let tokens = Tokens::with_max_issued(LIFETIME, 2);
        let first: Vec<String> = (0..2)
            .map(|_| plain(&tokens, TokenPurpose::Return))
            .collect();
        let second: Vec<String> = (0..2)
            .map(|_| plain(&tokens, TokenPurpose::Return))
            .collect();
        assert!(
            tokens.redeem(&first[0], TokenPurpose::Return).is_ok(),
            "the first key is now the previous one and still opens its tokens"
        );
        let third = plain(&tokens, TokenPurpose::Return);
        assert_eq!(
            error(tokens.redeem(&first[1], TokenPurpose::Return)),
            Some(TokenError::Invalid),
            "two early rotations on, the first key is gone: its tokens open nothing"
        );
        assert_eq!(
            error(tokens.redeem(&first[0], TokenPurpose::Return)),
            Some(TokenError::Invalid)
        );
        assert!(tokens.redeem(&second[1], TokenPurpose::Return).is_ok());
        assert!(tokens.redeem(&third, TokenPurpose::Return).is_ok());
        Ok(())
    }

    #[test]
    fn tokens_survive_one_key_rotation_and_no_more() {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::Return);
        // One lifetime later the key is replaced and kept as the previous key.
        let start = Instant::now();
        tokens.lock().rotate_if_due(LIFETIME, start + LIFETIME);
        let other = plain(&tokens, TokenPurpose::Return);
        assert_eq!(
            error(tokens.redeem_at(&token, TokenPurpose::CodeCheck, start)),
            Some(TokenError::WrongPurpose),
            "sealed under the previous key, still opened"
        );
        // One more lifetime: the first key is dropped; its tokens are expired anyway.
        tokens.lock().rotate_if_due(LIFETIME, start + LIFETIME * 2);
        assert_eq!(
            error(tokens.redeem_at(&token, TokenPurpose::Return, start)),
            Some(TokenError::Invalid)
        );
        assert!(tokens
            .redeem_at(&other, TokenPurpose::Return, start)
            .is_ok());
    }

    #[test]
    fn a_key_idle_for_two_lifetimes_is_dropped_outright() {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::Return);
        tokens
            .lock()
            .rotate_if_due(LIFETIME, Instant::now() + LIFETIME * 2);
        assert_eq!(
            error(tokens.redeem(&token, TokenPurpose::Return)),
            Some(TokenError::Invalid)
        );
        assert!(tokens.lock().previous.is_none());
    }

    #[test]
    fn tokens_are_shared_safely_between_threads() -> TestResult {
        let tokens = std::sync::Arc::new(Tokens::new(LIFETIME));
        let token = plain(&tokens, TokenPurpose::FirstContact);
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let tokens = std::sync::Arc::clone(&tokens);
                let token = token.clone();
                std::thread::spawn(move || {
                    tokens.redeem(&token, TokenPurpose::FirstContact).is_ok()
                })
            })
            .collect();
        let mut accepted = 0;
        for handle in handles {
            if handle.join().map_err(|_| "thread panicked")? {
                accepted += 1;
            }
        }
        assert_eq!(accepted, 1, "exactly one of the racing redeems wins");
        Ok(())
    }

    #[test]
    fn error_texts_never_repeat_the_token() {
        let tokens = Tokens::new(LIFETIME);
        let token = plain(&tokens, TokenPurpose::Return);
        let text = error(tokens.redeem(&token, TokenPurpose::Session))
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!text.is_empty() && !text.contains(&token[..10]), "{text}");
    }

    #[test]
    fn a_redeemed_token_debug_shows_no_secret() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(
            TokenPurpose::CodeCheck,
            Carried::Code("8123456789012347", true),
        );
        let shown = format!("{:?}", tokens.redeem(&token, TokenPurpose::CodeCheck)?);
        assert!(!shown.contains("8123"), "{shown}");
        Ok(())
    }
}
