//! Login: from a credential to the proof that an account authenticated, with throttling and lockout that
//! tell nobody which accounts exist.
//!
//! The boundary is [`Credential`] → [`Authenticated`]: sessions and pages take an `Authenticated` and never
//! look at how it was made, so single sign-on (an OIDC variant of `Credential`) can be added here later
//! without touching them.
//!
//! A password login takes login name, password and TOTP code in one step and gives **one answer** for every
//! failure, [`LoginRefused::Refused`], after **the same work**: one Argon2id verification (against a dummy
//! hash when the name has no usable password: unknown, invited or disabled) and one TOTP check (against a
//! dummy secret likewise). Neither the answer nor its timing says whether the name, the password or the code
//! was wrong.
//!
//! Guessing is slowed twice:
//! - **per name**: failures are counted per login name, known or not, under an HMAC of the name with a key
//!   made at start, so the table holds no names and an attacker cannot aim many names at one slot. The
//!   name counted is the parsed [`LoginName`], the one the account is found by, so no other spelling of it
//!   (case, surrounding Unicode spaces) gets a count of its own; typed text that is no login name counts in
//!   one shared slot. After `desk.lockout_after` failures (default 5) the name is locked for
//!   `desk.lockout_minutes` (default 1), each further lock twice as long, up to a day; a lock answers
//!   [`LoginRefused::Locked`] whether or not the name is an account's, and while it lasts even the right
//!   password is refused. A login that succeeds clears the name's count. The table holds at most
//!   [`MAX_TRACKED_NAMES`] names; names with no lock are forgotten first. Counts live in memory: a restart
//!   clears them.
//! - **overall**: a token bucket of `desk.attempts_per_minute` (default 30) over all names, so spraying many
//!   names is as slow as guessing one; when empty the answer is [`LoginRefused::Busy`]. Enrolment steps
//!   with a code the desk does not hold take from the same bucket (see `attempts`).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use porten_protocol::secret::Sensitive;
use ring::hmac;
use ring::rand::SystemRandom;

use super::accounts::{Account, AccountId, AccountRecord, AccountState, Accounts};
use super::config::{DeskConfig, MAX_LOCK_MINUTES};
use super::names::LoginName;
use super::store::{DeskStoreError, ACCOUNTS, LOGIN_NAMES};
use super::totp::{self, TotpSecret};

/// The most login names whose failures are counted at one time.
pub(super) const MAX_TRACKED_NAMES: usize = 10_000;
/// The most bytes of a typed login name that are looked at; a real one has at most 64.
const MAX_TYPED_LOGIN: usize = 256;
/// A name with no lock and no failure for this long is forgotten, its lock doubling with it.
const FORGET_AFTER_SECS: i64 = 24 * 3600;

/// What a person shows to log in.
#[derive(Debug)]
#[non_exhaustive]
pub enum Credential {
    /// Login name, password and the current code of the authenticator app, in one step.
    PasswordTotp {
        /// The login name as typed.
        login: String,
        /// The password as typed.
        password: Sensitive<String>,
        /// The TOTP code as typed.
        totp_code: Sensitive<String>,
    },
}

/// How a login was proved, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthMethod {
    /// Password and TOTP code.
    PasswordTotp,
}

/// The proof that an account has just authenticated: what [`super::Sessions::start`] takes. Only this
/// module makes one.
// The private field, not `#[non_exhaustive]`, which would still let every module of this crate make one.
#[allow(clippy::manual_non_exhaustive)]
#[derive(Debug)]
pub struct Authenticated {
    /// Who.
    pub account: Account,
    /// How.
    pub method: AuthMethod,
    _proof: (),
}

/// Why a login was refused. The messages are the ones to show: none names which part was wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoginRefused {
    /// The login name, the password or the code was wrong, or the account cannot log in.
    #[error("the login name, password or code is not right")]
    Refused,
    /// Too many failed logins for this login name: it is locked for a while, known or not.
    #[error("too many failed logins with this name; try again in {} minutes", (retry_after_secs + 59) / 60)]
    Locked {
        /// Seconds until the lock ends.
        retry_after_secs: i64,
    },
    /// Too many logins over all names at once; try again shortly.
    #[error("too many logins at the moment; try again in a minute")]
    Busy,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] DeskStoreError),
}

/// The desk's login. Share it behind an `Arc`.
pub struct Login {
    accounts: Accounts,
    throttle: Mutex<Throttle>,
    /// What a TOTP code is checked against when the name has no usable secret.
    dummy_totp: TotpSecret,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Login")
    }
}

/// What the store holds for a login name that an account has.
struct Candidate {
    id: AccountId,
    record: AccountRecord,
}

impl Login {
    pub(super) fn new(accounts: Accounts, config: &DeskConfig) -> Option<Login> {
        Some(Login {
            throttle: Mutex::new(Throttle::new(config)?),
            dummy_totp: TotpSecret::generate()?,
            accounts,
        })
    }

    /// Checks a credential. On success the TOTP code's step is stored as used before this returns.
    pub fn authenticate(&self, credential: Credential) -> Result<Authenticated, LoginRefused> {
        match credential {
            Credential::PasswordTotp {
                login,
                password,
                totp_code,
            } => self.password_totp(&login, &password, &totp_code),
        }
    }

    fn password_totp(
        &self,
        login: &str,
        password: &Sensitive<String>,
        totp_code: &Sensitive<String>,
    ) -> Result<Authenticated, LoginRefused> {
        let now = self.accounts.clock.now();
        let name = parse_typed(login);
        let name_key = self.throttle().name_key(name.as_ref());
        self.throttle().admit(name_key, now)?;

        if !self.accounts.attempts.take(now) {
            return Err(LoginRefused::Busy);
        }

        let candidate = match &name {
            Some(name) => self.candidate(name)?,
            None => None,
        };
        let usable = candidate
            .as_ref()
            .filter(|c| c.record.state == AccountState::Active);
        let stored_hash = usable.and_then(|c| c.record.credentials.password_hash.as_deref());
        let password_ok = self
            .accounts
            .passwords
            .verify(stored_hash, password.expose().as_bytes());
        let secret = usable.and_then(|c| c.record.credentials.totp());
        let last_step = usable.and_then(|c| c.record.credentials.last_totp_step);
        let step = totp::check(
            secret.as_ref().unwrap_or(&self.dummy_totp),
            totp_code.expose(),
            now,
            last_step,
        );

        let accepted = match (usable, password_ok, step, secret.is_some()) {
            (Some(candidate), true, Some(step), true) => self.use_step(candidate.id, step)?,
            _ => None,
        };
        match accepted {
            Some(account) => {
                self.throttle().succeeded(name_key);
                Ok(Authenticated {
                    account,
                    method: AuthMethod::PasswordTotp,
                    _proof: (),
                })
            }
            None => {
                self.throttle().failed(name_key, now);
                Err(LoginRefused::Refused)
            }
        }
    }

    fn candidate(&self, name: &LoginName) -> Result<Option<Candidate>, DeskStoreError> {
        let index = self.accounts.login_index(name);
        self.accounts.store.read(|r| {
            let Some(id) = r.get::<AccountId>(LOGIN_NAMES, &index)? else {
                return Ok(None);
            };
            let record = r.get::<AccountRecord>(ACCOUNTS, id.as_bytes())?;
            Ok(record.map(|record| Candidate { id, record }))
        })
    }

    /// Stores `step` as the account's last used TOTP step, unless it is not later than the stored one (the
    /// same code used by a concurrent login) or the account stopped being active meanwhile. One write
    /// transaction, so of two logins racing with one code only one gets through.
    fn use_step(&self, id: AccountId, step: u64) -> Result<Option<Account>, DeskStoreError> {
        self.accounts.store.write(|w| {
            let Some(mut record) = w.get::<AccountRecord>(ACCOUNTS, id.as_bytes())? else {
                return Ok(None);
            };
            let fresh = record
                .credentials
                .last_totp_step
                .is_none_or(|last| step > last);
            if !fresh || record.state != AccountState::Active {
                return Ok(None);
            }
            record.credentials.last_totp_step = Some(step);
            w.put(ACCOUNTS, id.as_bytes(), &record)?;
            Ok(Some(record.account(id)))
        })
    }

    fn throttle(&self) -> MutexGuard<'_, Throttle> {
        // The throttle's state is consistent after every statement; a panic elsewhere cannot break it.
        match self.throttle.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// The login name a typed name stands for, if any. Text longer than any login name is not looked at.
fn parse_typed(login: &str) -> Option<LoginName> {
    if login.len() > MAX_TYPED_LOGIN {
        return None;
    }
    LoginName::parse(login).ok()
}

/// A name's failures.
#[derive(Debug, Clone, Copy, Default)]
struct NameFailures {
    /// Failures since the last lock (or success).
    failures: u32,
    /// How many times the name has been locked: the next lock lasts 2^locks times the first.
    locks: u32,
    /// Locked until this time (Unix seconds); 0 when never locked.
    locked_until: i64,
    /// The last failure (Unix seconds).
    last_failure: i64,
}

/// Per-name counters.
struct Throttle {
    name_key: hmac::Key,
    names: HashMap<[u8; 16], NameFailures>,
    lockout_after: u32,
    first_lock_secs: i64,
}

impl Throttle {
    fn new(config: &DeskConfig) -> Option<Throttle> {
        Some(Throttle {
            name_key: hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new()).ok()?,
            names: HashMap::new(),
            lockout_after: config.lockout_after,
            first_lock_secs: i64::from(config.lockout_minutes) * 60,
        })
    }

    /// The slot of a typed name: the parsed login name, the very form an account is found by, so every
    /// spelling that reaches an account (`Sara`, `sara\u{a0}`) counts in that account's slot. Every typed
    /// name that is not a login name shares one slot: it can never log in, and junk cannot buy fresh counts.
    fn name_key(&self, name: Option<&LoginName>) -> [u8; 16] {
        // A login name is never empty, so the empty message is no name's.
        let bytes = name.map_or(&b""[..], |name| name.as_str().as_bytes());
        let tag = hmac::sign(&self.name_key, bytes);
        let mut key = [0u8; 16];
        key.copy_from_slice(&tag.as_ref()[..16]);
        key
    }

    /// Refuses a locked name; checked before the overall bucket, so a locked name costs no token.
    fn admit(&self, name: [u8; 16], now: i64) -> Result<(), LoginRefused> {
        if let Some(entry) = self.names.get(&name) {
            if entry.locked_until > now {
                return Err(LoginRefused::Locked {
                    retry_after_secs: entry.locked_until - now,
                });
            }
        }
        Ok(())
    }

    fn failed(&mut self, name: [u8; 16], now: i64) {
        if !self.names.contains_key(&name) && self.names.len() >= MAX_TRACKED_NAMES {
            self.make_room(now);
        }
        // With the table full of locked names the failure goes uncounted for this name; the overall
        // bucket still counts it.
        if !self.names.contains_key(&name) && self.names.len() >= MAX_TRACKED_NAMES {
            return;
        }
        let entry = self.names.entry(name).or_default();
        entry.failures += 1;
        entry.last_failure = now;
        if entry.failures >= self.lockout_after {
            let factor = 1i64 << entry.locks.min(20);
            let secs = self
                .first_lock_secs
                .saturating_mul(factor)
                .min(i64::from(MAX_LOCK_MINUTES) * 60);
            entry.locked_until = now.saturating_add(secs);
            entry.locks = entry.locks.saturating_add(1);
            entry.failures = 0;
        }
    }

    fn succeeded(&mut self, name: [u8; 16]) {
        self.names.remove(&name);
    }

    /// Forgets names that are not locked: first those quiet for a day, then, if still full, all of them.
    fn make_room(&mut self, now: i64) {
        self.names
            .retain(|_, e| e.locked_until > now || now - e.last_failure < FORGET_AFTER_SECS);
        if self.names.len() >= MAX_TRACKED_NAMES {
            self.names.retain(|_, e| e.locked_until > now);
        }
    }
}

#[cfg(test)]
#[path = "login_tests.rs"]
mod tests;
