//! Enrolment: the one-time code an administrator hands to a new (or reset) staff member, and the two steps
//! that turn it into a password and a TOTP secret.
//!
//! The code is 160 random bits, written as 32 base32 characters in groups of four. It is shown once, when it
//! is issued; the store keeps only its SHA-256 (a guess cannot be checked against a copy of the database,
//! and 160 bits cannot be guessed online), and the account's row names that hash, so only the latest code
//! of an account enrols it. It expires after `desk.enrolment_hours` (default 72 h).
//!
//! 1. [`Accounts::begin_enrolment`]: the code is valid; a fresh TOTP secret is made and kept sealed in the
//!    enrolment's row, to be shown as text and QR code. Each call makes a new one and forgets the one
//!    before: a secret is shown once, so someone who sees the code later cannot read the secret a staff
//!    member has already put in their phone, and a secret shown earlier no longer enrols.
//! 2. [`Accounts::complete_enrolment`]: a password that meets the rule and a TOTP code from the latest
//!    secret. In one transaction the account gets both, becomes active, and the code is deleted: it works
//!    once. The confirmed code's step counts as used, so it cannot log in afterwards.
//!
//! Both steps look the code up in a read transaction before anything costly: a code the desk does not hold
//! costs no database write and no Argon2id hash, and takes a token from the overall bucket that login
//! uses too (`attempts`), so flooding these steps with made-up codes is throttled like guessing passwords.
//! The password is hashed only once the code and the TOTP code are right.

use data_encoding::BASE32_NOPAD;
use porten_protocol::secret::Sensitive;
use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::accounts::{Account, AccountId, AccountRecord, AccountState, Accounts};
use super::password::{NewPassword, PasswordError};
use super::store::{DeskStoreError, Rows, Writer, ACCOUNTS, ENROLMENTS};
use super::totp::{self, TotpSecret};
use super::vault::VaultError;

/// Random bytes in an enrolment code.
const CODE_BYTES: usize = 20;
/// Longest typed code looked at; a real one is 39 characters with its dashes.
const MAX_TYPED_CODE: usize = 128;

/// A one-time enrolment code as shown to the administrator: `ABCD-EFGH-…`, eight groups of four.
#[derive(Debug)]
pub struct EnrolmentCode(Sensitive<String>);

impl EnrolmentCode {
    /// The code's text, to be shown once.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// What issuing an enrolment code gives the administrator.
#[derive(Debug)]
pub struct Invitation {
    /// The account, invited.
    pub account: Account,
    /// The code, to hand to the staff member. It is not stored and cannot be shown again.
    pub code: EnrolmentCode,
    /// When the code stops working (Unix seconds).
    pub expires: i64,
}

/// Why an enrolment step was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnrolmentError {
    /// The code is not one this desk issued, was used, replaced by a reset, voided, or has expired.
    #[error("this enrolment code is not valid (mistyped, already used, replaced or expired); ask an administrator for a new one")]
    UnknownOrExpired,
    /// Completing: the password breaks the rule.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// Completing: the TOTP code does not match the latest secret at this time. The enrolment code still
    /// works.
    #[error("the code from the authenticator app does not match; check the phone's clock and try the next code")]
    WrongTotpCode,
    /// Too many attempts with unknown codes (and logins) over all at once; nothing was looked at.
    #[error("too many attempts at the moment; try again in a minute")]
    Busy,
    /// The database failed; nothing was changed.
    #[error(transparent)]
    Store(#[from] DeskStoreError),
}

/// The first step of enrolment done: the secret to put in the authenticator app.
pub struct EnrolmentStart {
    /// The account being enrolled.
    pub account: Account,
    secret: TotpSecret,
    issuer: String,
}

impl std::fmt::Debug for EnrolmentStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolmentStart")
            .field("account", &self.account.id)
            .finish_non_exhaustive()
    }
}

impl EnrolmentStart {
    /// The secret as text, for typing into an app.
    pub fn secret_text(&self) -> Sensitive<String> {
        self.secret.base32()
    }

    /// The secret as a QR code, inline SVG.
    pub fn qr_svg(&self) -> Option<Sensitive<String>> {
        self.secret
            .qr_svg(&self.issuer, self.account.login.as_str())
    }

    /// The `otpauth://` URI in the QR code.
    pub fn otpauth_uri(&self) -> Sensitive<String> {
        self.secret
            .otpauth_uri(&self.issuer, self.account.login.as_str())
    }
}

/// An enrolment's row.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct EnrolmentRecord {
    #[zeroize(skip)]
    account: AccountId,
    expires: i64,
    /// The TOTP secret being enrolled (base32), made anew at each first step.
    pending_totp: Option<String>,
}

/// Issues a new code for the account `id` whose row is `record`: voids its earlier code, deletes expired
/// codes of any account, and points `record` at the new one. The caller writes `record`.
pub(super) fn issue(
    w: &Writer<'_>,
    id: AccountId,
    record: &mut AccountRecord,
    now: i64,
    valid_secs: i64,
) -> Result<Invitation, DeskStoreError> {
    void(w, record)?;
    for (key, expired) in w.rows::<EnrolmentRecord>(ENROLMENTS)? {
        if expired.expires <= now {
            w.remove(ENROLMENTS, &key)?;
        }
    }
    let mut bytes = Zeroizing::new([0u8; CODE_BYTES]);
    SystemRandom::new()
        .fill(&mut bytes[..])
        .map_err(|_| DeskStoreError::Vault(VaultError::Random))?;
    let key = code_key(&bytes[..]);
    let expires = now.saturating_add(valid_secs);
    w.put(
        ENROLMENTS,
        &key,
        &EnrolmentRecord {
            account: id,
            expires,
            pending_totp: None,
        },
    )?;
    record.enrolment = Some(key);
    let text = Zeroizing::new(BASE32_NOPAD.encode(&bytes[..]));
    let grouped = text
        .as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join("-");
    Ok(Invitation {
        account: record.account(id),
        code: EnrolmentCode(Sensitive::new(grouped)),
        expires,
    })
}

/// Deletes the account's pending code, if any.
pub(super) fn void(w: &Writer<'_>, record: &mut AccountRecord) -> Result<(), DeskStoreError> {
    if let Some(key) = record.enrolment.take() {
        w.remove(ENROLMENTS, &key)?;
    }
    Ok(())
}

/// The row key of a code: SHA-256 of its bytes, so dashes, spaces and case do not matter.
fn code_key(bytes: &[u8]) -> [u8; 32] {
    let mut key = [0u8; 32];
    key.copy_from_slice(digest(&SHA256, bytes).as_ref());
    key
}

/// The row key of a typed code, or `None` if it cannot be a code.
fn typed_code_key(typed: &str) -> Option<[u8; 32]> {
    if typed.len() > MAX_TYPED_CODE {
        return None;
    }
    let text: Zeroizing<Vec<u8>> = Zeroizing::new(
        typed
            .bytes()
            .filter(|b| *b != b'-' && !b.is_ascii_whitespace())
            .map(|b| b.to_ascii_uppercase())
            .collect(),
    );
    let mut bytes = Zeroizing::new([0u8; CODE_BYTES]);
    if BASE32_NOPAD.decode_len(text.len()).ok()? != CODE_BYTES {
        return None;
    }
    BASE32_NOPAD.decode_mut(&text, &mut bytes[..]).ok()?;
    Some(code_key(&bytes[..]))
}

impl Accounts {
    /// The first step: checks the code and gives a fresh TOTP secret to enrol; the one any earlier call
    /// gave no longer works.
    pub fn begin_enrolment(&self, code: &str) -> Result<EnrolmentStart, EnrolmentError> {
        let now = self.clock.now();
        let (key, _) = self.known_code(code, now)?;
        let secret = TotpSecret::generate().ok_or(DeskStoreError::Vault(VaultError::Random))?;
        self.store.write(|w| {
            let (mut enrolment, record) = valid_enrolment(w, &key, now)?;
            enrolment.pending_totp = Some(secret.base32().expose().clone());
            w.put(ENROLMENTS, &key, &enrolment)?;
            Ok(EnrolmentStart {
                account: record.account(enrolment.account),
                secret,
                issuer: self.issuer.clone(),
            })
        })
    }

    /// The second step: sets the password and the TOTP secret, makes the account active and uses the code
    /// up. The TOTP code must come from the secret the latest [`Accounts::begin_enrolment`] gave.
    pub fn complete_enrolment(
        &self,
        code: &str,
        password: Sensitive<String>,
        totp_code: &str,
    ) -> Result<Account, EnrolmentError> {
        let now = self.clock.now();
        let (key, enrolment) = self.known_code(code, now)?;
        let password = NewPassword::new(password)?;
        // Only someone holding the code and the secret shown for it gets as far as the hash.
        latest_secret_step(&enrolment, totp_code, now)?;
        // Hashing takes a moment and much memory; it runs before the write transaction, not inside it.
        let hash = self.passwords.hash(&password)?;
        self.store.write(|w| {
            let (enrolment, mut record) = valid_enrolment(w, &key, now)?;
            // Checked again against the row as it is now: a first step meanwhile replaced the secret.
            let (secret, step) = latest_secret_step(&enrolment, totp_code, now)?;
            record.credentials.password_hash = Some(hash);
            record.credentials.totp_secret = Some(secret.base32().expose().clone());
            record.credentials.last_totp_step = Some(step);
            record.state = AccountState::Active;
            record.enrolment = None;
            w.remove(ENROLMENTS, &key)?;
            w.put(ACCOUNTS, enrolment.account.as_bytes(), &record)?;
            Ok(record.account(enrolment.account))
        })
    }

    /// The row key and row of a typed code the desk holds and that still enrols, looked up in a read
    /// transaction. Refused at once when the overall bucket is empty; a code that is not valid takes a
    /// token from it.
    fn known_code(
        &self,
        code: &str,
        now: i64,
    ) -> Result<([u8; 32], EnrolmentRecord), EnrolmentError> {
        if !self.attempts.has_room(now) {
            return Err(EnrolmentError::Busy);
        }
        let found = match typed_code_key(code) {
            Some(key) => self
                .store
                .read(|r| match valid_enrolment(r, &key, now) {
                    Ok((enrolment, _)) => Ok(Ok(enrolment)),
                    Err(EnrolmentError::Store(error)) => Err(error),
                    Err(refused) => Ok(Err(refused)),
                })?
                .map(|enrolment| (key, enrolment)),
            None => Err(EnrolmentError::UnknownOrExpired),
        };
        if found.is_err() {
            self.attempts.spend(now);
        }
        found
    }
}

/// The enrolment's latest secret and the step of `totp_code` in it, or [`EnrolmentError::WrongTotpCode`].
fn latest_secret_step(
    enrolment: &EnrolmentRecord,
    totp_code: &str,
    now: i64,
) -> Result<(TotpSecret, u64), EnrolmentError> {
    let secret = enrolment
        .pending_totp
        .as_deref()
        .and_then(TotpSecret::from_base32)
        .ok_or(EnrolmentError::WrongTotpCode)?;
    let step = totp::check(&secret, totp_code, now, None).ok_or(EnrolmentError::WrongTotpCode)?;
    Ok((secret, step))
}

/// The enrolment row `key` and its account's row, if the code is current: not expired, the account's latest
/// code, the account still invited.
fn valid_enrolment(
    rows: &impl Rows,
    key: &[u8; 32],
    now: i64,
) -> Result<(EnrolmentRecord, AccountRecord), EnrolmentError> {
    let enrolment: EnrolmentRecord = rows
        .row(ENROLMENTS, key)?
        .ok_or(EnrolmentError::UnknownOrExpired)?;
    if enrolment.expires <= now {
        return Err(EnrolmentError::UnknownOrExpired);
    }
    let record: AccountRecord = rows
        .row(ACCOUNTS, enrolment.account.as_bytes())?
        .ok_or(EnrolmentError::UnknownOrExpired)?;
    if record.enrolment.as_ref() != Some(key) || record.state != AccountState::Invited {
        return Err(EnrolmentError::UnknownOrExpired);
    }
    Ok((enrolment, record))
}
