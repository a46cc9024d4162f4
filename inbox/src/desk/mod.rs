//! The staff desk as a library: sealed storage, accounts, login and sessions, and the cases staff work.
//! The web pages are built on top of it.
//!
//! Everything the desk stores lives in `<state_dir>/desk/`: a redb database whose every value is sealed
//! under a data key ([`vault`]), and the data key itself wrapped with age to the inbox's own recipient, so
//! a copy of the state directory without the age identity reveals no account secret, no session and no
//! message, reply or note of a case. See `docs/DESIGN.md`, "The staff desk", for the whole design.
//!
//! - [`accounts`] and [`enrolment`]: an administrator creates, resets, disables; a staff member enrols
//!   with a one-time code, setting a password ([`password`]) and a TOTP secret ([`totp`]).
//! - [`login`]: a [`Credential`] becomes an [`Authenticated`], throttled without revealing which accounts
//!   exist.
//! - [`session`]: an `Authenticated` becomes a fresh login session with its CSRF token.
//! - [`web`]: the HTTPS pages staff use, served by `porten-inbox run`; [`push`]: the replies written
//!   there, sealed and pushed to the gateway.
//! - [`cases`]: a case per ticket with its conversation, staff actions on it, the queue and retention;
//!   [`teams`]: the configured teams, their routing by visitor group, and the partner instances.

mod accounts;
mod attempts;
mod cases;
mod clock;
mod config;
mod enrolment;
mod login;
mod names;
mod password;
pub(crate) mod push;
mod session;
mod store;
mod teams;
#[cfg(test)]
pub(crate) mod tests;
mod totp;
mod vault;
pub(crate) mod web;

use std::path::Path;
use std::sync::Arc;

pub use accounts::{Account, AccountError, AccountId, AccountState, Accounts, NewAccount};
pub use cases::{
    Case, CaseAction, CaseError, CaseFact, CaseKey, CaseView, Cases, Counts, Delivery, Entry,
    EntryBody, FactBy, Incoming, Queue, Recorded, Referral, ReplyIntent, Status, Turn,
    UrgencyCleared, View, VisitorEnd, MAX_TEXT_CHARS,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::DeskConfig;
pub use enrolment::{EnrolmentCode, EnrolmentError, EnrolmentStart, Invitation};
pub use login::{AuthMethod, Authenticated, Credential, Login, LoginRefused};
pub use names::{DisplayName, LoginName, NameError, Role, TeamName};
pub use password::{PasswordError, Passwords};
pub use session::{CsrfToken, NewSession, Session, SessionCookie, Sessions};
pub use store::{DeskStore, DeskStoreError};
pub use teams::{Partner, Team, Teams};
pub use vault::VaultError;

/// Why the desk could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeskError {
    /// The database or the data key could not be opened.
    #[error(transparent)]
    Store(#[from] DeskStoreError),
    /// The password hasher could not be set up.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// The system random number generator failed while setting up the login.
    #[error("the system random number generator failed")]
    Random,
    /// The `[desk]` configuration's teams or partners are not usable (`porten-inbox check-config` says
    /// the same before start).
    #[error("{field}: {reason}")]
    Config {
        /// The field, `desk.…`.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// The desk: accounts, login, sessions and cases over one sealed store.
#[derive(Debug, Clone)]
pub struct Desk {
    /// Administrators' and staff members' acts on accounts, and enrolment.
    pub accounts: Accounts,
    /// Login.
    pub login: Arc<Login>,
    /// Login sessions.
    pub sessions: Sessions,
    /// Cases, the queue and retention.
    pub cases: Cases,
}

impl Desk {
    /// Opens the desk in `<state_dir>/desk/` (making it on first use), unwrapping its data key with the
    /// inbox's `identities`. Passwords are hashed with [`Passwords::recommended`].
    pub fn open(
        state_dir: &Path,
        identities: &[age::x25519::Identity],
        config: &DeskConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Desk, DeskError> {
        Desk::open_with(
            state_dir,
            identities,
            config,
            clock,
            Passwords::recommended()?,
        )
    }

    /// As [`Desk::open`], with other Argon2id parameters (tests use small ones).
    pub fn open_with(
        state_dir: &Path,
        identities: &[age::x25519::Identity],
        config: &DeskConfig,
        clock: Arc<dyn Clock>,
        passwords: Passwords,
    ) -> Result<Desk, DeskError> {
        let config_error =
            |(field, reason): (&'static str, String)| DeskError::Config { field, reason };
        let setup = cases::CasesSetup {
            teams: config.teams().map_err(config_error)?,
            partners: config.partners().map_err(config_error)?,
            restricted: config.teams_restricted,
            retention_days: config.retention_days,
        };
        let store = Arc::new(DeskStore::open(state_dir, identities)?);
        let accounts = Accounts {
            store: Arc::clone(&store),
            passwords: Arc::new(passwords),
            clock: Arc::clone(&clock),
            enrolment_secs: i64::from(config.enrolment_hours) * 3600,
            issuer: config.totp_issuer.trim().to_owned(),
            attempts: Arc::new(attempts::Attempts::new(config, clock.now())),
        };
        let login = Login::new(accounts.clone(), config).ok_or(DeskError::Random)?;
        Ok(Desk {
            accounts,
            login: Arc::new(login),
            cases: cases::Cases::new(Arc::clone(&store), Arc::clone(&clock), setup),
            sessions: Sessions {
                store,
                clock,
                idle_secs: i64::from(config.idle_minutes) * 60,
                lifetime_secs: i64::from(config.session_hours) * 3600,
            },
        })
    }
}
