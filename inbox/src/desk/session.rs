//! Login sessions: what the desk's cookie will point at once a staff member has logged in.
//!
//! A session id is 256 random bits, given to the browser as 64 hex characters and stored only as its
//! SHA-256, so a copy of the database holds no id that could be replayed as a cookie. Every login makes a
//! fresh id ([`Sessions::start`] takes the proof of a login, [`Authenticated`], and deletes whatever session
//! the browser came with), so an id planted in a browser before login is worth nothing after it.
//!
//! A session ends when it has been idle for `desk.idle_minutes` (default 15; its last use is stored to the
//! minute, so it may end up to a minute sooner), when it is
//! `desk.session_hours` old (default 8) however active, at logout, and when its account is reset or disabled.
//! Each session has its own CSRF token for the forms of its pages, compared in constant time.

use std::sync::Arc;

use porten_protocol::secret::Sensitive;
use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::accounts::{Account, AccountId, AccountRecord, AccountState};
use super::clock::Clock;
use super::login::Authenticated;
use super::store::{DeskStore, DeskStoreError, Writer, ACCOUNTS, SESSIONS};
use super::vault::VaultError;

/// Random bytes in a session id and in a CSRF token.
const SECRET_BYTES: usize = 32;

/// A session id as the browser's cookie carries it (64 hex characters).
#[derive(Debug)]
pub struct SessionCookie(Sensitive<String>);

impl SessionCookie {
    /// The cookie's value.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// A session's CSRF token as its forms carry it (64 hex characters).
#[derive(Debug, Clone)]
pub struct CsrfToken(Sensitive<String>);

impl CsrfToken {
    /// The token, for a form's hidden field.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Whether a form sent this token. Constant-time, so the answer's timing tells nothing of how much of
    /// a guess was right.
    pub fn matches(&self, presented: &str) -> bool {
        let expected = self.0.expose().as_bytes();
        let presented = presented.as_bytes();
        // Lengths are public (always 64); comparing them first leaks nothing.
        expected.len() == presented.len() && bool::from(expected.ct_eq(presented))
    }
}

/// A session just started by a login.
#[derive(Debug)]
pub struct NewSession {
    /// The value for the session cookie.
    pub cookie: SessionCookie,
    /// The CSRF token for the session's forms.
    pub csrf: CsrfToken,
    /// Who logged in.
    pub account: Account,
    /// When the session ends however active it is (Unix seconds): the cookie's lifetime.
    pub ends_by: i64,
}

/// A live session, as a request with its cookie finds it.
#[derive(Debug, Clone)]
pub struct Session {
    /// Whose session it is, as the account is now (a changed display name shows at once).
    pub account: Account,
    /// The CSRF token its forms must carry.
    pub csrf: CsrfToken,
    /// When it started (Unix seconds).
    pub started: i64,
}

/// A session's row.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct SessionRecord {
    #[zeroize(skip)]
    account: AccountId,
    started: i64,
    last_seen: i64,
    /// The CSRF token, hex.
    csrf: String,
}

impl SessionRecord {
    /// The session as a request sees it, with its account as it is now.
    fn session(&self, account: &AccountRecord) -> Session {
        Session {
            account: account.account(self.account),
            csrf: CsrfToken(Sensitive::new(self.csrf.clone())),
            started: self.started,
        }
    }
}

/// How stale a session's stored last use may be before a request writes it again: the most a session can
/// end before `desk.idle_minutes` have passed since its last use.
const LAST_SEEN_GRAIN_SECS: i64 = 60;

/// Starts, checks and ends login sessions. Cheap to clone.
#[derive(Clone)]
pub struct Sessions {
    pub(super) store: Arc<DeskStore>,
    pub(super) clock: Arc<dyn Clock>,
    /// Seconds without a request after which a session ends.
    pub(super) idle_secs: i64,
    /// Seconds after login after which a session ends.
    pub(super) lifetime_secs: i64,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sessions")
    }
}

impl Sessions {
    /// Starts a session for a login just made. `replacing` is the session cookie the browser sent with the
    /// login, if any: that session is deleted, whoever's it was, so no id from before the login survives it.
    pub fn start(
        &self,
        login: &Authenticated,
        replacing: Option<&str>,
    ) -> Result<NewSession, DeskStoreError> {
        let now = self.clock.now();
        let id = random_hex()?;
        let csrf = random_hex()?;
        self.store.write(|w| {
            if let Some(old) = replacing.and_then(row_key) {
                w.remove(SESSIONS, &old)?;
            }
            let key = row_key(id.expose()).ok_or(DeskStoreError::Corrupt("a new session id"))?;
            w.put(
                SESSIONS,
                &key,
                &SessionRecord {
                    account: login.account.id,
                    started: now,
                    last_seen: now,
                    csrf: csrf.expose().clone(),
                },
            )?;
            Ok::<_, DeskStoreError>(())
        })?;
        Ok(NewSession {
            cookie: SessionCookie(id),
            csrf: CsrfToken(csrf),
            account: login.account.clone(),
            ends_by: now.saturating_add(self.lifetime_secs),
        })
    }

    /// The live session the cookie names, its idle time restarted; `None` for an unknown, malformed, idle,
    /// too old or ended one, or one whose account is no longer active (such a session is deleted).
    ///
    /// Any request may carry any cookie, so a cookie is looked up in a read transaction, which costs no
    /// disk write: an unknown one ends there. A live session's last use is written only when the stored
    /// one is [`LAST_SEEN_GRAIN_SECS`] old or older, so a busy session costs a write a minute, not one a
    /// request. The idle limit counts from the stored time: a session ends at most `desk.idle_minutes`
    /// after its last use, and up to a minute sooner, never later.
    pub fn check(&self, cookie: &str) -> Result<Option<Session>, DeskStoreError> {
        let Some(key) = row_key(cookie) else {
            return Ok(None);
        };
        let now = self.clock.now();
        let found = self.store.read(|r| {
            let Some(record) = r.get::<SessionRecord>(SESSIONS, &key)? else {
                return Ok(None);
            };
            let account = r.get::<AccountRecord>(ACCOUNTS, record.account.as_bytes())?;
            Ok(Some((record, account)))
        })?;
        match found {
            None => Ok(None),
            Some((record, Some(account))) if self.usable(&record, &account, now) => {
                if now.saturating_sub(record.last_seen) >= LAST_SEEN_GRAIN_SECS {
                    // The row is read again inside the write: a logout or a reset meanwhile wins.
                    return self.store.write(|w| self.refresh(w, &key, now));
                }
                Ok(Some(record.session(&account)))
            }
            Some(_) => {
                self.store.write(|w| w.remove(SESSIONS, &key))?;
                Ok(None)
            }
        }
    }

    /// Whether `record` is a live session of an active account at `now`.
    fn usable(&self, record: &SessionRecord, account: &AccountRecord, now: i64) -> bool {
        now.saturating_sub(record.last_seen) < self.idle_secs
            && now.saturating_sub(record.started) < self.lifetime_secs
            && account.state == AccountState::Active
    }

    /// Inside a write: the session `key` with its last use set to `now`, or `None` (and the row deleted)
    /// if it is gone or no longer usable.
    fn refresh(
        &self,
        w: &Writer<'_>,
        key: &[u8; 32],
        now: i64,
    ) -> Result<Option<Session>, DeskStoreError> {
        let Some(mut record) = w.get::<SessionRecord>(SESSIONS, key)? else {
            return Ok(None);
        };
        match w.get::<AccountRecord>(ACCOUNTS, record.account.as_bytes())? {
            Some(account) if self.usable(&record, &account, now) => {
                record.last_seen = now;
                w.put(SESSIONS, key, &record)?;
                Ok(Some(record.session(&account)))
            }
            _ => {
                w.remove(SESSIONS, key)?;
                Ok(None)
            }
        }
    }

    /// Logout: deletes the session the cookie names. `true` if there was one.
    pub fn end(&self, cookie: &str) -> Result<bool, DeskStoreError> {
        match row_key(cookie) {
            Some(key) => self.store.write(|w| w.remove(SESSIONS, &key)),
            None => Ok(false),
        }
    }

    /// Deletes every session that has ended by time; returns how many. For a periodic sweep.
    pub fn sweep(&self) -> Result<usize, DeskStoreError> {
        let now = self.clock.now();
        self.store.write(|w| {
            let mut removed = 0;
            for (key, record) in w.rows::<SessionRecord>(SESSIONS)? {
                if now.saturating_sub(record.last_seen) >= self.idle_secs
                    || now.saturating_sub(record.started) >= self.lifetime_secs
                {
                    w.remove(SESSIONS, &key)?;
                    removed += 1;
                }
            }
            Ok(removed)
        })
    }
}

/// Deletes every session of `account` (a reset or a disable).
pub(super) fn end_all_for(w: &Writer<'_>, account: AccountId) -> Result<(), DeskStoreError> {
    for (key, record) in w.rows::<SessionRecord>(SESSIONS)? {
        if record.account == account {
            w.remove(SESSIONS, &key)?;
        }
    }
    Ok(())
}

/// The row key of a cookie: SHA-256 of the id's bytes; `None` if the cookie is not 64 hex characters.
fn row_key(cookie: &str) -> Option<[u8; 32]> {
    if cookie.len() != SECRET_BYTES * 2 {
        return None;
    }
    let mut id = Zeroizing::new([0u8; SECRET_BYTES]);
    hex::decode_to_slice(cookie, &mut id[..]).ok()?;
    let mut key = [0u8; 32];
    key.copy_from_slice(digest(&SHA256, &id[..]).as_ref());
    Some(key)
}

fn random_hex() -> Result<Sensitive<String>, DeskStoreError> {
    let mut bytes = Zeroizing::new([0u8; SECRET_BYTES]);
    SystemRandom::new()
        .fill(&mut bytes[..])
        .map_err(|_| DeskStoreError::Vault(VaultError::Random))?;
    Ok(Sensitive::new(hex::encode(&bytes[..])))
}
