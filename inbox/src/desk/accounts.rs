//! Staff accounts: who they are, what they may do, and the administrator's acts on them (create, reset,
//! disable, list).
//!
//! An account is made by an administrator and starts **invited**: it has no password and no TOTP secret,
//! only a one-time enrolment code (see `enrolment`) that the administrator hands over. Enrolling sets both
//! and makes the account **active**. A **reset** voids the password, the TOTP secret and every login session
//! and issues a new code, for a forgotten password or a lost phone; **disable** ends the sessions and stops
//! every login. The credentials are stored only inside the account's sealed row, never beside it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::attempts::Attempts;
use super::clock::Clock;
use super::enrolment::{self, Invitation};
use super::names::{DisplayName, LoginName, Role, TeamName};
use super::password::{PasswordHashText, Passwords};
use super::session;
use super::store::{DeskStore, DeskStoreError, Writer, ACCOUNTS, LOGIN_NAMES};
use super::totp::TotpSecret;

/// An account's id: 16 random bytes, shown as 32 hex characters. It never changes, so the audit log and
/// (later) cases name an account by it, while its login name and display name may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId([u8; 16]);

impl AccountId {
    pub(super) fn random() -> Result<AccountId, DeskStoreError> {
        use ring::rand::SecureRandom;
        let mut id = [0u8; 16];
        ring::rand::SystemRandom::new()
            .fill(&mut id)
            .map_err(|_| DeskStoreError::Vault(super::vault::VaultError::Random))?;
        Ok(AccountId(id))
    }

    pub(super) fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// Where an account is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountState {
    /// Made or reset by an administrator; waits for enrolment with its code. Cannot log in.
    Invited,
    /// Enrolled: can log in with password and TOTP code.
    Active,
    /// Stopped by an administrator. Cannot log in; a reset makes it invited again.
    Disabled,
}

impl AccountState {
    /// The state's name as shown: `invited`, `active`, `disabled`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Invited => "invited",
            AccountState::Active => "active",
            AccountState::Disabled => "disabled",
        }
    }
}

/// An account as the rest of the desk sees it: no credential in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// The name it logs in with.
    pub login: LoginName,
    /// The name visitors see on its replies.
    pub display_name: DisplayName,
    /// What it may do.
    pub role: Role,
    /// The teams it belongs to.
    pub teams: Vec<TeamName>,
    /// Invited, active or disabled.
    pub state: AccountState,
    /// When it was made (Unix seconds).
    pub created: i64,
}

/// What an administrator gives to make an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The login name; must not be taken.
    pub login: LoginName,
    /// The display name (the staff member can change it later).
    pub display_name: DisplayName,
    /// The role.
    pub role: Role,
    /// The teams.
    pub teams: Vec<TeamName>,
}

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// Creating: another account has this login name.
    #[error("the login name {0} is taken")]
    LoginTaken(LoginName),
    /// Reset, disable, change: no account has this login name.
    #[error("no account has the login name {0}")]
    NoSuchAccount(LoginName),
    /// The database failed; nothing was changed.
    #[error(transparent)]
    Store(#[from] DeskStoreError),
}

/// The credentials inside an account's row. Wiped from memory when dropped.
#[derive(Default, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub(super) struct Credentials {
    /// PHC-format Argon2id hash.
    pub(super) password_hash: Option<PasswordHashText>,
    /// The TOTP secret, base32.
    pub(super) totp_secret: Option<String>,
    /// The step of the last TOTP code accepted: no code of this step or an earlier one is accepted again.
    pub(super) last_totp_step: Option<u64>,
}

impl Credentials {
    pub(super) fn totp(&self) -> Option<TotpSecret> {
        self.totp_secret
            .as_deref()
            .and_then(TotpSecret::from_base32)
    }
}

/// An account's row.
#[derive(Serialize, Deserialize)]
pub(super) struct AccountRecord {
    pub(super) login: LoginName,
    pub(super) display_name: DisplayName,
    pub(super) role: Role,
    pub(super) teams: Vec<TeamName>,
    pub(super) state: AccountState,
    pub(super) created: i64,
    pub(super) credentials: Credentials,
    /// The key of the account's pending enrolment row, if any: only that code enrols it.
    pub(super) enrolment: Option<[u8; 32]>,
}

impl AccountRecord {
    pub(super) fn account(&self, id: AccountId) -> Account {
        Account {
            id,
            login: self.login.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            teams: self.teams.clone(),
            state: self.state,
            created: self.created,
        }
    }
}

/// The accounts, and the administrator's and staff member's acts on them. Cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    pub(super) store: Arc<DeskStore>,
    pub(super) passwords: Arc<Passwords>,
    pub(super) clock: Arc<dyn Clock>,
    /// How long an enrolment code stays valid, in seconds.
    pub(super) enrolment_secs: i64,
    /// The issuer name in TOTP URIs.
    pub(super) issuer: String,
    /// The overall limit on guessing, shared with login: enrolment steps with unknown codes take from it.
    pub(super) attempts: Arc<Attempts>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Accounts")
    }
}

impl Accounts {
    /// Makes an invited account and its one-time enrolment code.
    pub fn create(&self, new: NewAccount) -> Result<Invitation, AccountError> {
        let now = self.clock.now();
        let id = AccountId::random()?;
        self.store.write(|w| {
            let index = self.login_index(&new.login);
            if w.get::<AccountId>(LOGIN_NAMES, &index)?.is_some() {
                return Err(AccountError::LoginTaken(new.login.clone()));
            }
            let mut record = AccountRecord {
                login: new.login.clone(),
                display_name: new.display_name.clone(),
                role: new.role,
                teams: new.teams.clone(),
                state: AccountState::Invited,
                created: now,
                credentials: Credentials::default(),
                enrolment: None,
            };
            let invitation = enrolment::issue(w, id, &mut record, now, self.enrolment_secs)?;
            w.put(ACCOUNTS, id.as_bytes(), &record)?;
            w.put(LOGIN_NAMES, &index, &id)?;
            Ok(invitation)
        })
    }

    /// Voids the account's password, TOTP secret, sessions and any earlier enrolment code, makes it
    /// invited, and issues a new code.
    pub fn reset(&self, login: &LoginName) -> Result<Invitation, AccountError> {
        let now = self.clock.now();
        self.store.write(|w| {
            let (id, mut record) = self.by_login(w, login)?;
            record.credentials = Credentials::default();
            record.state = AccountState::Invited;
            session::end_all_for(w, id)?;
            let invitation = enrolment::issue(w, id, &mut record, now, self.enrolment_secs)?;
            w.put(ACCOUNTS, id.as_bytes(), &record)?;
            Ok(invitation)
        })
    }

    /// Stops the account: ends its sessions, voids a pending enrolment code; it can no longer log in.
    pub fn disable(&self, login: &LoginName) -> Result<Account, AccountError> {
        self.store.write(|w| {
            let (id, mut record) = self.by_login(w, login)?;
            record.state = AccountState::Disabled;
            session::end_all_for(w, id)?;
            enrolment::void(w, &mut record)?;
            w.put(ACCOUNTS, id.as_bytes(), &record)?;
            Ok(record.account(id))
        })
    }

    /// Changes the name visitors see on the account's replies.
    pub fn set_display_name(
        &self,
        id: AccountId,
        display_name: DisplayName,
    ) -> Result<Account, AccountError> {
        self.store.write(|w| {
            let mut record: AccountRecord =
                w.get(ACCOUNTS, id.as_bytes())?
                    .ok_or(DeskStoreError::Corrupt(
                        "a session names an account that is gone",
                    ))?;
            record.display_name = display_name;
            w.put(ACCOUNTS, id.as_bytes(), &record)?;
            Ok(record.account(id))
        })
    }

    /// Every account, by login name.
    pub fn list(&self) -> Result<Vec<Account>, AccountError> {
        let rows = self.store.read(|r| r.rows::<AccountRecord>(ACCOUNTS))?;
        let mut accounts: Vec<Account> = rows
            .into_iter()
            .filter_map(|(key, record)| {
                let id = AccountId(<[u8; 16]>::try_from(key.as_slice()).ok()?);
                Some(record.account(id))
            })
            .collect();
        accounts.sort_by(|a, b| a.login.cmp(&b.login));
        Ok(accounts)
    }

    /// The account with this id, if there is one.
    pub fn get(&self, id: AccountId) -> Result<Option<Account>, AccountError> {
        let record = self
            .store
            .read(|r| r.get::<AccountRecord>(ACCOUNTS, id.as_bytes()))?;
        Ok(record.map(|record| record.account(id)))
    }

    /// The row key of a login name in `login_names`.
    pub(super) fn login_index(&self, login: &LoginName) -> [u8; 32] {
        self.store
            .vault()
            .index_key(LOGIN_NAMES.name(), login.as_str().as_bytes())
    }

    fn by_login(
        &self,
        w: &Writer<'_>,
        login: &LoginName,
    ) -> Result<(AccountId, AccountRecord), AccountError> {
        let missing = || AccountError::NoSuchAccount(login.clone());
        let id: AccountId = w
            .get(LOGIN_NAMES, &self.login_index(login))?
            .ok_or_else(missing)?;
        let record = w.get(ACCOUNTS, id.as_bytes())?.ok_or_else(missing)?;
        Ok((id, record))
    }
}
