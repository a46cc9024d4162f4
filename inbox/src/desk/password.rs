//! Staff passwords: the length rule, Argon2id hashes in PHC format, and verification that takes the same
//! work whether or not the account exists.
//!
//! The rule follows NIST SP 800-63B: at least [`MIN_PASSWORD_CHARS`] characters, any characters, no
//! composition rules, and a maximum ([`MAX_PASSWORD_BYTES`]) high enough for any passphrase, there only so
//! that a request cannot make the hash run over megabytes. Hashes are Argon2id with the OWASP parameters
//! (19 MiB, 2 passes, 1 lane) and a random 128-bit salt; the PHC string carries its parameters, so a later
//! change of parameters still verifies older hashes.
//!
//! A login for a name that has no usable password still runs one Argon2id verification, against a dummy
//! hash made at start with the current parameters, so the time of the answer does not tell whether the name
//! belongs to an account.

use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use porten_protocol::secret::Sensitive;
use ring::rand::{SecureRandom, SystemRandom};

/// The shortest password accepted, in characters (Unicode scalar values).
pub(super) const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted, in bytes of UTF-8.
pub(super) const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a new password was refused, or a hash not made. Never carries the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    /// Setting a password: it has fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error(
        "the password is too short: use at least {min} characters (a few words make a good one)"
    )]
    TooShort {
        /// The minimum, in characters.
        min: usize,
    },
    /// Setting a password: it is over [`MAX_PASSWORD_BYTES`] bytes.
    #[error("the password is too long: at most {max} bytes")]
    TooLong {
        /// The maximum, in bytes.
        max: usize,
    },
    /// The system random number generator failed to make a salt.
    #[error("the system random number generator failed")]
    Random,
    /// Argon2 refused its parameters or failed (a bug or an impossible configuration).
    #[error("the password hash could not be made")]
    Hash,
}

/// A password that meets the rule, about to be hashed.
#[derive(Debug)]
pub(super) struct NewPassword(Sensitive<String>);

impl NewPassword {
    /// Checks the rule.
    pub(super) fn new(password: Sensitive<String>) -> Result<NewPassword, PasswordError> {
        let text = password.expose();
        if text.len() > MAX_PASSWORD_BYTES {
            return Err(PasswordError::TooLong {
                max: MAX_PASSWORD_BYTES,
            });
        }
        if text.chars().count() < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort {
                min: MIN_PASSWORD_CHARS,
            });
        }
        Ok(NewPassword(password))
    }
}

/// A PHC-format Argon2id hash as stored in an account.
pub(super) type PasswordHashText = String;

/// Makes and checks password hashes with one set of Argon2id parameters.
pub struct Passwords {
    params: Params,
    /// A hash of a random password nobody knows, with `params`: what an unknown name is checked against.
    dummy: PasswordHashText,
    /// Argon2id verifications run so far: lets tests show that every login does the same work.
    verifications: AtomicUsize,
    /// Argon2id hashes made so far: lets tests show which requests cost none.
    hashes: AtomicUsize,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("m_kib", &self.params.m_cost())
            .field("t", &self.params.t_cost())
            .finish()
    }
}

impl Passwords {
    /// Argon2id with the OWASP parameters: 19 MiB, 2 passes, 1 lane.
    pub fn recommended() -> Result<Passwords, PasswordError> {
        let params = Params::new(19 * 1024, 2, 1, None).map_err(|_| PasswordError::Hash)?;
        Passwords::with_params(params)
    }

    /// Argon2id with other parameters (tests use small ones to run fast).
    pub fn with_params(params: Params) -> Result<Passwords, PasswordError> {
        let mut unknown = [0u8; 32];
        SystemRandom::new()
            .fill(&mut unknown)
            .map_err(|_| PasswordError::Random)?;
        let mut passwords = Passwords {
            params,
            dummy: String::new(),
            verifications: AtomicUsize::new(0),
            hashes: AtomicUsize::new(0),
        };
        passwords.dummy = passwords.hash_bytes(&unknown)?;
        Ok(passwords)
    }

    /// Hashes a new password with a fresh salt.
    pub(super) fn hash(&self, password: &NewPassword) -> Result<PasswordHashText, PasswordError> {
        self.hash_bytes(password.0.expose().as_bytes())
    }

    fn hash_bytes(&self, password: &[u8]) -> Result<PasswordHashText, PasswordError> {
        let mut salt = [0u8; 16];
        SystemRandom::new()
            .fill(&mut salt)
            .map_err(|_| PasswordError::Random)?;
        let salt = SaltString::encode_b64(&salt).map_err(|_| PasswordError::Hash)?;
        self.hashes.fetch_add(1, Ordering::Relaxed);
        self.argon2()
            .hash_password(password, &salt)
            .map(|hash| hash.to_string())
            .map_err(|_| PasswordError::Hash)
    }

    /// Whether `password` matches `stored`. With no stored hash (an unknown name, an account without a
    /// password) the same verification runs against the dummy hash and the answer is `false`.
    pub(super) fn verify(&self, stored: Option<&str>, password: &[u8]) -> bool {
        // An over-long password cannot be an account's; it is cut before the same work is done, so its
        // length costs no more time than any other.
        let password = password.get(..MAX_PASSWORD_BYTES).unwrap_or(password);
        let (hash, real) = match stored.map(PasswordHash::new) {
            Some(Ok(hash)) => (hash, true),
            // A damaged stored hash verifies nothing, and costs the same as a wrong password.
            Some(Err(_)) | None => match PasswordHash::new(&self.dummy) {
                Ok(hash) => (hash, false),
                Err(_) => return false,
            },
        };
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let matched = self.argon2().verify_password(password, &hash).is_ok();
        matched && real
    }

    /// How many verifications have run.
    #[cfg(test)]
    pub(super) fn verifications(&self) -> usize {
        self.verifications.load(Ordering::Relaxed)
    }

    /// How many hashes have been made.
    #[cfg(test)]
    pub(super) fn hashes(&self) -> usize {
        self.hashes.load(Ordering::Relaxed)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// Small parameters, so that tests which hash many passwords stay fast.
    pub(crate) fn quick() -> Passwords {
        Passwords::with_params(Params::new(256, 1, 1, None).unwrap()).unwrap()
    }

    fn new(text: &str) -> Result<NewPassword, PasswordError> {
        NewPassword::new(Sensitive::new(text.to_string()))
    }

    #[test]
    fn eleven_characters_are_too_few_and_twelve_any_characters_are_enough() {
        assert_eq!(
            new("elevenchars").unwrap_err(),
            PasswordError::TooShort { min: 12 }
        );
        // Characters, not bytes: twelve letters of Arabic are twelve characters.
        assert!(new("كلمةالمرورهن").is_ok());
        assert!(new("åäöåäöåäöåä").is_err(), "eleven characters in 22 bytes");
        // No composition rules: twelve lower-case letters are fine.
        assert!(new("abcdefghijkl").is_ok());
    }

    #[test]
    fn a_long_passphrase_is_fine_up_to_1024_bytes() {
        assert!(new(&"a".repeat(1024)).is_ok());
        assert_eq!(
            new(&"a".repeat(1025)).unwrap_err(),
            PasswordError::TooLong { max: 1024 }
        );
    }

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let passwords = quick();
        let hash = passwords
            .hash(&new("correct horse battery").unwrap())
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{hash}");
        assert!(passwords.verify(Some(&hash), b"correct horse battery"));
        assert!(!passwords.verify(Some(&hash), b"correct horse batter"));
        assert!(!passwords.verify(Some("not a phc string"), b"correct horse battery"));
        assert!(!passwords.verify(None, b"correct horse battery"));
    }

    #[test]
    fn an_unknown_account_is_checked_against_a_hash_with_the_same_parameters() {
        let passwords = Passwords::recommended().unwrap();
        let real = passwords.hash(&new("a real password").unwrap()).unwrap();
        let params = |phc: &str| phc.split('$').nth(3).map(str::to_owned);
        assert_eq!(params(&passwords.dummy), params(&real));
        assert_eq!(params(&real).as_deref(), Some("m=19456,t=2,p=1"));
    }
}
