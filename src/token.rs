//! Form tokens: sealed, expiring, single-use values that every form carries instead of a cookie.
//!
//! A token proves that a POST comes from a form this gateway served a short while ago (anti-CSRF), and on the
//! return page it carries the visitor's session (ticket ref and reply key) from one request to the next without
//! anything being stored in the browser or on the server. Tokens are sealed with ChaCha20-Poly1305 under a
//! random key that exists only in this process's memory and is replaced every `lifetime`; a restart therefore
//! ends every session. Each token can be redeemed once.
//!
//! Token format (URL-safe base64 without padding): key id (4 bytes) ‖ nonce (12) ‖ ciphertext ‖ tag (16). The
//! plaintext is: purpose (1) ‖ issue time in Unix seconds (8, big-endian) ‖ token id (16) ‖ optionally the
//! ticket ref (32) and reply key (32). The associated data is `"porten token v1"` ‖ key id.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::ticket::{fill_random, ReplyKey, TicketKeys, TicketRef};

/// Longer input is refused as [`TokenError::Malformed`] before it is decoded.
pub const MAX_TOKEN_CHARS: usize = 512;

/// How many redeemed token ids are remembered at most; beyond that, redeeming answers [`TokenError::Busy`].
pub const DEFAULT_MAX_USED_IDS: usize = 200_000;

/// Associated data prefix: names the construction and its version.
const AAD_LABEL: &[u8] = b"porten token v1";
const KEY_ID_LEN: usize = 4;
const TAG_LEN: usize = 16;
const TOKEN_ID_LEN: usize = 16;
/// Purpose, issue time, token id.
const PLAIN_LEN: usize = 1 + 8 + TOKEN_ID_LEN;
/// Plus ticket ref and reply key.
const SESSION_PLAIN_LEN: usize = PLAIN_LEN + 32 + 32;
const HEADER_LEN: usize = KEY_ID_LEN + NONCE_LEN;

/// What a token is for; a token is only accepted for the purpose it was issued for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TokenPurpose {
    /// The first-contact form.
    FirstContact,
    /// The form where a visitor enters their code.
    Return,
    /// The follow-up form on the return page; carries the ticket's keys.
    Session,
}

impl TokenPurpose {
    fn as_byte(self) -> u8 {
        match self {
            TokenPurpose::FirstContact => 1,
            TokenPurpose::Return => 2,
            TokenPurpose::Session => 3,
        }
    }

    fn from_byte(byte: u8) -> Option<TokenPurpose> {
        match byte {
            1 => Some(TokenPurpose::FirstContact),
            2 => Some(TokenPurpose::Return),
            3 => Some(TokenPurpose::Session),
            _ => None,
        }
    }
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
    /// Older than the token lifetime.
    #[error("the form token has expired")]
    Expired,
    /// Already redeemed once.
    #[error("the form token was already used")]
    Replayed,
    /// Too many tokens were redeemed within one lifetime to remember them all; try again later.
    #[error("too many forms are being sent; try again shortly")]
    Busy,
}

/// What a valid token carried.
#[derive(Debug)]
pub struct Redeemed {
    /// The purpose it was issued for (the one asked for).
    pub purpose: TokenPurpose,
    /// The ticket's keys, when the token was issued with them (session tokens).
    pub session: Option<TicketKeys>,
}

/// One in-memory sealing key and the ids of the tokens it sealed that were already redeemed.
struct SealingKey {
    id: u32,
    bytes: Zeroizing<[u8; 32]>,
    created: Instant,
    /// Redeemed token id → the Unix second after which the token is expired anyway.
    used: HashMap<[u8; TOKEN_ID_LEN], u64>,
}

impl SealingKey {
    fn new(id: u32, created: Instant) -> SealingKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        fill_random(&mut bytes[..]);
        SealingKey {
            id,
            bytes,
            created,
            used: HashMap::new(),
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

    fn used_count(&self) -> usize {
        self.current.used.len() + self.previous.as_ref().map_or(0, |k| k.used.len())
    }

    /// Forgets redeemed ids whose tokens are expired at `now` and so are refused anyway.
    fn prune(&mut self, now: u64) {
        self.current.used.retain(|_, expires| *expires >= now);
        if let Some(previous) = self.previous.as_mut() {
            previous.used.retain(|_, expires| *expires >= now);
        }
    }
}

/// Issues and redeems form tokens. Shared by all connections (`&self` methods; an internal lock is held only
/// for the few microseconds of sealing or opening one token).
pub struct Tokens {
    lifetime: Duration,
    max_used: usize,
    state: Mutex<State>,
}

impl Tokens {
    /// Tokens that live `lifetime` (at least one second), with a fresh random key.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn new(lifetime: Duration) -> Tokens {
        Tokens::with_max_used(lifetime, DEFAULT_MAX_USED_IDS)
    }

    /// Like [`Tokens::new`], remembering at most `max_used` redeemed token ids (see [`TokenError::Busy`]).
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn with_max_used(lifetime: Duration, max_used: usize) -> Tokens {
        // A random first key id, so that a token from an earlier run names an unknown key.
        let mut id = [0u8; 4];
        fill_random(&mut id);
        Tokens {
            lifetime: lifetime.max(Duration::from_secs(1)),
            max_used,
            state: Mutex::new(State {
                current: SealingKey::new(u32::from_be_bytes(id), Instant::now()),
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

    /// A new token for `purpose`, carrying `session`'s ticket ref and reply key when given (for
    /// [`TokenPurpose::Session`]). URL-safe base64 without padding, at most 162 characters.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn issue(&self, purpose: TokenPurpose, session: Option<&TicketKeys>) -> String {
        let issued = unix_seconds(SystemTime::now());
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        let mut token_id = [0u8; TOKEN_ID_LEN];
        fill_random(&mut token_id);

        // The plaintext is written straight into the output and encrypted in place; the buffer never grows
        // past its capacity, so no copy of the reply key is left behind.
        let mut out = Zeroizing::new(Vec::with_capacity(HEADER_LEN + SESSION_PLAIN_LEN + TAG_LEN));
        let mut state = self.lock();
        state.rotate_if_due(self.lifetime, Instant::now());
        let key_id = state.current.id.to_be_bytes();
        out.extend_from_slice(&key_id);
        out.extend_from_slice(&nonce);
        out.push(purpose.as_byte());
        out.extend_from_slice(&issued.to_be_bytes());
        out.extend_from_slice(&token_id);
        if let Some(keys) = session {
            out.extend_from_slice(keys.ticket_ref.as_bytes());
            out.extend_from_slice(keys.reply_key.as_bytes());
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

    /// Accepts `token` for `purpose` once: checks its seal, purpose and age at `now`, and marks it used.
    ///
    /// # Errors
    ///
    /// [`TokenError::Malformed`], [`TokenError::Invalid`], [`TokenError::WrongPurpose`],
    /// [`TokenError::Expired`], [`TokenError::Replayed`] on a second redeem, and [`TokenError::Busy`] when the
    /// set of redeemed ids is full of unexpired ids (it is never emptied to make room, which would allow
    /// replays).
    pub fn redeem(
        &self,
        token: &str,
        purpose: TokenPurpose,
        now: SystemTime,
    ) -> Result<Redeemed, TokenError> {
        self.check(token, purpose, now, true)
    }

    /// Like [`Tokens::redeem`] but leaves the token unused, to render a form again with the same token after a
    /// validation error.
    ///
    /// # Errors
    ///
    /// As [`Tokens::redeem`], except [`TokenError::Busy`].
    pub fn peek(
        &self,
        token: &str,
        purpose: TokenPurpose,
        now: SystemTime,
    ) -> Result<Redeemed, TokenError> {
        self.check(token, purpose, now, false)
    }

    fn check(
        &self,
        token: &str,
        purpose: TokenPurpose,
        now: SystemTime,
        consume: bool,
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
        let now = unix_seconds(now);

        let mut state = self.lock();
        state.rotate_if_due(self.lifetime, Instant::now());
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
        let expires = payload.issued.saturating_add(self.lifetime.as_secs());
        if now > expires {
            return Err(TokenError::Expired);
        }
        if key.used.contains_key(&payload.token_id) {
            return Err(TokenError::Replayed);
        }
        if consume {
            if state.used_count() >= self.max_used {
                state.prune(now);
                if state.used_count() >= self.max_used {
                    return Err(TokenError::Busy);
                }
            }
            state
                .key_mut(u32::from_be_bytes(key_id))
                .ok_or(TokenError::Invalid)?
                .used
                .insert(payload.token_id, expires);
        }
        drop(state);
        Ok(Redeemed {
            purpose: payload.purpose,
            session: payload.session,
        })
    }
}

/// An opened token's plaintext.
struct Payload {
    purpose: TokenPurpose,
    issued: u64,
    token_id: [u8; TOKEN_ID_LEN],
    session: Option<TicketKeys>,
}

impl Payload {
    /// Reads a plaintext this code wrote; `None` for any other shape.
    fn read(plain: &[u8]) -> Option<Payload> {
        if plain.len() != PLAIN_LEN && plain.len() != SESSION_PLAIN_LEN {
            return None;
        }
        let purpose = TokenPurpose::from_byte(*plain.first()?)?;
        let issued = u64::from_be_bytes(plain.get(1..9)?.try_into().ok()?);
        let token_id = plain.get(9..PLAIN_LEN)?.try_into().ok()?;
        let session = match plain.get(PLAIN_LEN..) {
            Some(rest) if !rest.is_empty() => Some(TicketKeys {
                ticket_ref: TicketRef::from_slice(rest.get(..32)?)?,
                reply_key: ReplyKey::from_slice(rest.get(32..)?)?,
            }),
            _ => None,
        };
        Some(Payload {
            purpose,
            issued,
            token_id,
            session,
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

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("lifetime", &self.lifetime)
            .field("max_used", &self.max_used)
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

    fn now() -> SystemTime {
        SystemTime::now()
    }

    #[test]
    fn issued_token_redeems_for_its_purpose() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        for purpose in [TokenPurpose::FirstContact, TokenPurpose::Return] {
            let token = tokens.issue(purpose, None);
            let redeemed = tokens.redeem(&token, purpose, now())?;
            assert_eq!(redeemed.purpose, purpose);
            assert!(redeemed.session.is_none());
        }
        Ok(())
    }

    #[test]
    fn token_is_url_safe_and_short() {
        let tokens = Tokens::new(LIFETIME);
        let plain = tokens.issue(TokenPurpose::FirstContact, None);
        let session = tokens.issue(TokenPurpose::Session, Some(&keys()));
        for token in [&plain, &session] {
            assert!(
                token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{token}"
            );
        }
        assert_eq!(plain.len(), 76);
        assert_eq!(session.len(), 162);
        assert!(session.len() <= MAX_TOKEN_CHARS);
    }

    #[test]
    fn session_keys_survive_the_round_trip() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Session, Some(&keys()));
        let redeemed = tokens.redeem(&token, TokenPurpose::Session, now())?;
        assert_eq!(redeemed.session, Some(keys()));
        Ok(())
    }

    #[test]
    fn session_token_does_not_show_the_keys() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Session, Some(&keys()));
        let bytes = URL_SAFE_NO_PAD.decode(&token)?;
        assert!(!bytes.windows(8).any(|w| w == [0x11; 8] || w == [0x22; 8]));
        Ok(())
    }

    #[test]
    fn every_altered_byte_makes_the_token_invalid() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Session, Some(&keys()));
        let bytes = URL_SAFE_NO_PAD.decode(&token)?;
        for i in 0..bytes.len() {
            let mut altered = bytes.clone();
            altered[i] ^= 0x40;
            let altered = URL_SAFE_NO_PAD.encode(&altered);
            let result = tokens.redeem(&altered, TokenPurpose::Session, now());
            assert_eq!(result.map(|_| ()), Err(TokenError::Invalid), "byte {i}");
        }
        assert!(
            tokens.redeem(&token, TokenPurpose::Session, now()).is_ok(),
            "the original is untouched"
        );
        Ok(())
    }

    #[test]
    fn token_past_its_lifetime_is_expired() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Return, None);
        let later = now() + LIFETIME + Duration::from_secs(2);
        assert_eq!(
            tokens
                .redeem(&token, TokenPurpose::Return, later)
                .map(|_| ()),
            Err(TokenError::Expired)
        );
        assert_eq!(
            tokens.peek(&token, TokenPurpose::Return, later).map(|_| ()),
            Err(TokenError::Expired)
        );
        let just_in_time = now() + LIFETIME - Duration::from_secs(2);
        assert!(tokens
            .redeem(&token, TokenPurpose::Return, just_in_time)
            .is_ok());
        Ok(())
    }

    #[test]
    fn second_redeem_is_a_replay() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::FirstContact, None);
        tokens.redeem(&token, TokenPurpose::FirstContact, now())?;
        let again = tokens.redeem(&token, TokenPurpose::FirstContact, now());
        assert_eq!(again.map(|_| ()), Err(TokenError::Replayed));
        let peeked = tokens.peek(&token, TokenPurpose::FirstContact, now());
        assert_eq!(peeked.map(|_| ()), Err(TokenError::Replayed));
        Ok(())
    }

    #[test]
    fn peek_leaves_the_token_usable() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Session, Some(&keys()));
        assert_eq!(
            tokens.peek(&token, TokenPurpose::Session, now())?.session,
            Some(keys())
        );
        assert_eq!(
            tokens.peek(&token, TokenPurpose::Session, now())?.session,
            Some(keys())
        );
        assert_eq!(
            tokens.redeem(&token, TokenPurpose::Session, now())?.session,
            Some(keys())
        );
        Ok(())
    }

    #[test]
    fn token_from_another_instance_is_invalid() {
        // As after a restart: the in-memory key is gone.
        let before = Tokens::new(LIFETIME);
        let after = Tokens::new(LIFETIME);
        let token = before.issue(TokenPurpose::Session, Some(&keys()));
        assert_eq!(
            after
                .redeem(&token, TokenPurpose::Session, now())
                .map(|_| ()),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn token_for_another_form_is_refused_and_not_used_up() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Return, None);
        for wrong in [TokenPurpose::FirstContact, TokenPurpose::Session] {
            assert_eq!(
                tokens.redeem(&token, wrong, now()).map(|_| ()),
                Err(TokenError::WrongPurpose)
            );
        }
        assert!(tokens.redeem(&token, TokenPurpose::Return, now()).is_ok());
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
                tokens
                    .redeem(input, TokenPurpose::FirstContact, now())
                    .map(|_| ()),
                Err(TokenError::Malformed),
                "{input:?}"
            );
        }
        // Long enough and well-formed, but not sealed by us.
        let forged = URL_SAFE_NO_PAD.encode([0u8; 80]);
        assert_eq!(
            tokens
                .redeem(&forged, TokenPurpose::FirstContact, now())
                .map(|_| ()),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn full_set_of_used_ids_answers_busy_instead_of_forgetting() -> TestResult {
        let tokens = Tokens::with_max_used(LIFETIME, 3);
        let issued: Vec<String> = (0..4)
            .map(|_| tokens.issue(TokenPurpose::FirstContact, None))
            .collect();
        for token in &issued[..3] {
            tokens.redeem(token, TokenPurpose::FirstContact, now())?;
        }
        let fourth = tokens.redeem(&issued[3], TokenPurpose::FirstContact, now());
        assert_eq!(fourth.map(|_| ()), Err(TokenError::Busy));
        for token in &issued[..3] {
            let again = tokens.redeem(token, TokenPurpose::FirstContact, now());
            assert_eq!(
                again.map(|_| ()),
                Err(TokenError::Replayed),
                "still remembered"
            );
        }
        Ok(())
    }

    #[test]
    fn expired_ids_are_pruned_to_make_room() -> TestResult {
        let tokens = Tokens::with_max_used(LIFETIME, 2);
        let old: Vec<String> = (0..2)
            .map(|_| tokens.issue(TokenPurpose::FirstContact, None))
            .collect();
        for token in &old {
            tokens.redeem(token, TokenPurpose::FirstContact, now())?;
        }
        let fresh = tokens.issue(TokenPurpose::FirstContact, None);
        let busy = tokens.redeem(&fresh, TokenPurpose::FirstContact, now());
        assert_eq!(busy.map(|_| ()), Err(TokenError::Busy));
        // Let the remembered tokens expire, as they would one lifetime later.
        let mut state = tokens.lock();
        for expires in state.current.used.values_mut() {
            *expires = 0;
        }
        drop(state);
        assert!(tokens
            .redeem(&fresh, TokenPurpose::FirstContact, now())
            .is_ok());
        assert_eq!(tokens.lock().used_count(), 1);
        Ok(())
    }

    #[test]
    fn tokens_survive_one_key_rotation_and_no_more() -> TestResult {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Return, None);
        // One lifetime later the key is replaced and kept as the previous key.
        let start = Instant::now();
        tokens.lock().rotate_if_due(LIFETIME, start + LIFETIME);
        let other = tokens.issue(TokenPurpose::Return, None);
        assert!(
            tokens.peek(&token, TokenPurpose::Return, now()).is_ok(),
            "sealed under the previous key"
        );
        assert!(
            tokens.peek(&other, TokenPurpose::Return, now()).is_ok(),
            "sealed under the new key"
        );
        // One more lifetime: the first key is dropped; its tokens are expired anyway.
        tokens.lock().rotate_if_due(LIFETIME, start + LIFETIME * 2);
        assert_eq!(
            tokens.peek(&token, TokenPurpose::Return, now()).map(|_| ()),
            Err(TokenError::Invalid)
        );
        assert!(tokens.peek(&other, TokenPurpose::Return, now()).is_ok());
        Ok(())
    }

    #[test]
    fn a_key_idle_for_two_lifetimes_is_dropped_outright() {
        let tokens = Tokens::new(LIFETIME);
        let token = tokens.issue(TokenPurpose::Return, None);
        tokens
            .lock()
            .rotate_if_due(LIFETIME, Instant::now() + LIFETIME * 2);
        assert_eq!(
            tokens.peek(&token, TokenPurpose::Return, now()).map(|_| ()),
            Err(TokenError::Invalid)
        );
        assert!(tokens.lock().previous.is_none());
    }

    #[test]
    fn tokens_are_shared_safely_between_threads() -> TestResult {
        let tokens = std::sync::Arc::new(Tokens::new(LIFETIME));
        let token = tokens.issue(TokenPurpose::FirstContact, None);
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let tokens = std::sync::Arc::clone(&tokens);
                let token = token.clone();
                std::thread::spawn(move || {
                    tokens
                        .redeem(&token, TokenPurpose::FirstContact, SystemTime::now())
                        .is_ok()
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
        let token = tokens.issue(TokenPurpose::Return, None);
        let err = tokens
            .redeem(&token, TokenPurpose::Session, now())
            .map(|_| ())
            .err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(!text.is_empty() && !text.contains(&token[..10]), "{text}");
    }
}
