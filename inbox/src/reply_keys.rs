//! The keys the inbox holds, one small JSON file per open ticket in `<state_dir>/reply-keys/`.
//!
//! A first contact carries the ticket's reply key and expiry key; the inbox keeps them so staff can answer
//! later and so it can check the proofs of the ticket's follow-ups and closes (the reply key for follow-ups
//! and visitor closes, the expiry key for the expiry close), and deletes them when a proved close says the
//! ticket is gone. A ticket whose keys the inbox does not hold gets no follow-up and no close delivered.
//! Files are 0600 in a 0700 directory, written atomically and fsynced. The keys never go to the spool or the
//! webhook: the case system does not need them, and every copy is one more place they could leak from.
//!
//! Key files written before payload version 2 have no expiry key: such a ticket's expiry close is refused
//! (and kept for a person to look at); forget its key with the close in hand.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::durable::PendingWrites;
use porten_protocol::envelope::InboxKeys;
use porten_protocol::{ExpiryKey, ReplyKey, TicketRef};

/// Why a reply key could not be found or read.
#[derive(Debug, thiserror::Error)]
pub enum ReplyKeyError {
    /// The argument is not a ticket ref or a prefix of one.
    #[error(
        "`{0}` is not a ticket ref: give the 64 hex characters from the spool file, or at least the first 16"
    )]
    BadForm(String),
    /// No key for this ticket.
    #[error("no reply key for ticket {0}: the ticket was closed, or its first contact was not delivered by this inbox")]
    NotFound(String),
    /// The prefix matches several tickets.
    #[error("ticket prefix {prefix} matches {count} tickets; give more characters")]
    Ambiguous {
        /// The prefix given.
        prefix: String,
        /// How many tickets it matches.
        count: usize,
    },
    /// The key file could not be read or written.
    #[error("reply key store {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The key file does not hold a key.
    #[error("reply key file {0} is damaged")]
    Damaged(PathBuf),
}

/// What is kept per ticket.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredKey {
    /// Standard base64 of the 32-byte reply key.
    reply_key: String,
    /// Standard base64 of the 32-byte expiry key; absent in files written before payload version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expiry_key: Option<String>,
    /// The language the visitor asked replies in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    /// When the first contact was received (RFC 3339, to the minute).
    received: String,
}

impl Drop for StoredKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.reply_key);
        zeroize::Zeroize::zeroize(&mut self.expiry_key);
    }
}

/// A ticket's reply key with what staff need to answer.
pub struct TicketKey {
    /// The ticket ref.
    pub ticket_ref: TicketRef,
    /// The reply key.
    pub reply_key: ReplyKey,
    /// The expiry key; `None` for a ticket kept before payload version 2.
    pub expiry_key: Option<ExpiryKey>,
    /// The language the visitor asked replies in.
    pub language: Option<String>,
}

/// The directory of reply keys.
#[derive(Debug, Clone)]
pub struct ReplyKeys {
    dir: PathBuf,
}

fn is_lower_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl ReplyKeys {
    /// The store in `<state_dir>/reply-keys`, made (0700) if missing.
    pub fn open(state_dir: &Path) -> Result<ReplyKeys, ReplyKeyError> {
        let dir = state_dir.join("reply-keys");
        porten_protocol::fsutil::create_private_dir(&dir).map_err(|source| ReplyKeyError::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(ReplyKeys { dir })
    }

    fn path(&self, ticket_ref: &TicketRef) -> PathBuf {
        self.dir.join(format!("{}.json", ticket_ref.to_hex()))
    }

    /// Keeps a first contact's keys (idempotent: the same first contact delivered twice writes the same).
    /// The file is staged in `writes` and appears when the batch is committed.
    pub fn remember(
        &self,
        ticket_ref: &TicketRef,
        keys: InboxKeys<'_>,
        language: Option<&str>,
        received: &str,
        writes: &mut PendingWrites,
    ) -> Result<(), ReplyKeyError> {
        let path = self.path(ticket_ref);
        let stored = StoredKey {
            reply_key: keys.reply_key.to_base64().to_string(),
            expiry_key: Some(keys.expiry_key.to_base64().to_string()),
            language: language.map(str::to_owned),
            received: received.to_owned(),
        };
        let json =
            Zeroizing::new(
                serde_json::to_vec_pretty(&stored).map_err(|e| ReplyKeyError::Io {
                    path: path.clone(),
                    source: io::Error::other(e),
                })?,
            );
        writes
            .stage(&path, &json)
            .map_err(|source| ReplyKeyError::Io { path, source })
    }

    /// Whether a reply key other than `reply_key` is kept for `ticket_ref`, counting one staged by an
    /// earlier envelope of the same batch. The same key again is the same first contact delivered again
    /// (after a failed webhook, say), not a second one.
    pub fn holds_another(
        &self,
        ticket_ref: &TicketRef,
        reply_key: &ReplyKey,
        writes: &PendingWrites,
    ) -> bool {
        match self.held(ticket_ref, writes) {
            Ok(Some(kept)) => kept.reply_key != *reply_key,
            Ok(None) => false,
            // A key file that cannot be read is not replaced either.
            Err(_) => true,
        }
    }

    /// The keys kept for `ticket_ref`, including ones staged in `writes` by an earlier envelope of the same
    /// batch (a first contact and its follow-up are often pulled together). `None` if none are kept.
    pub fn held(
        &self,
        ticket_ref: &TicketRef,
        writes: &PendingWrites,
    ) -> Result<Option<TicketKey>, ReplyKeyError> {
        let path = self.path(ticket_ref);
        let bytes = match writes.read_staged(&path) {
            Some(read) => read,
            None => std::fs::read(&path),
        };
        match bytes {
            Ok(bytes) => load(ticket_ref.clone(), &path, &Zeroizing::new(bytes)).map(Some),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ReplyKeyError::Io { path, source }),
        }
    }

    /// Deletes a ticket's reply key, including one staged in `writes` by the same batch. `true` if there was
    /// one.
    pub fn forget(
        &self,
        ticket_ref: &TicketRef,
        writes: &mut PendingWrites,
    ) -> Result<bool, ReplyKeyError> {
        let path = self.path(ticket_ref);
        let staged = writes.unstage(&path);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                porten_protocol::fsutil::sync_dir(&self.dir).map_err(|source| {
                    ReplyKeyError::Io {
                        path: self.dir.clone(),
                        source,
                    }
                })?;
                Ok(true)
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(staged),
            Err(source) => Err(ReplyKeyError::Io { path, source }),
        }
    }

    /// Finds a ticket by its full ref or a unique prefix of at least 16 hex characters, and loads its key.
    pub fn find(&self, ticket: &str) -> Result<TicketKey, ReplyKeyError> {
        let wanted = ticket.trim().to_ascii_lowercase();
        if wanted.len() < 16 || wanted.len() > 64 || !is_lower_hex(&wanted) {
            return Err(ReplyKeyError::BadForm(ticket.chars().take(80).collect()));
        }
        let entries = std::fs::read_dir(&self.dir).map_err(|source| ReplyKeyError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let mut matches = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| ReplyKeyError::Io {
                path: self.dir.clone(),
                source,
            })?;
            let name = entry.file_name();
            let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            if stem.len() == 64 && is_lower_hex(stem) && stem.starts_with(&wanted) {
                matches.push(stem.to_owned());
            }
        }
        let full = match matches.len() {
            0 => return Err(ReplyKeyError::NotFound(wanted)),
            1 => matches.remove(0),
            count => {
                return Err(ReplyKeyError::Ambiguous {
                    prefix: wanted,
                    count,
                })
            }
        };
        let ticket_ref =
            TicketRef::from_hex(&full).ok_or_else(|| ReplyKeyError::BadForm(full.clone()))?;
        let path = self.path(&ticket_ref);
        let bytes = Zeroizing::new(std::fs::read(&path).map_err(|source| ReplyKeyError::Io {
            path: path.clone(),
            source,
        })?);
        load(ticket_ref, &path, &bytes)
    }
}

/// Reads a key file's content.
fn load(ticket_ref: TicketRef, path: &Path, bytes: &[u8]) -> Result<TicketKey, ReplyKeyError> {
    let damaged = || ReplyKeyError::Damaged(path.to_owned());
    let stored: StoredKey = serde_json::from_slice(bytes).map_err(|_| damaged())?;
    let reply_key = ReplyKey::from_base64(&stored.reply_key).ok_or_else(damaged)?;
    let expiry_key = stored
        .expiry_key
        .as_deref()
        .map(|key| ExpiryKey::from_any_base64(key).ok_or_else(damaged))
        .transpose()?;
    Ok(TicketKey {
        ticket_ref,
        reply_key,
        expiry_key,
        language: stored.language.clone(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn remember_now(keys: &ReplyKeys, ticket: &TicketRef, key: &ReplyKey, language: Option<&str>) {
        let mut writes = PendingWrites::new();
        let expiry_key = ExpiryKey::from_bytes([9; 32]);
        let both = InboxKeys {
            reply_key: key,
            expiry_key: &expiry_key,
        };
        keys.remember(ticket, both, language, "2025-03-01T14:07:00Z", &mut writes)
            .expect("remember");
        writes.commit().expect("commit");
    }

    #[test]
    fn a_key_is_found_by_full_ref_or_unique_prefix_and_forgotten_on_close() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = ReplyKeys::open(dir.path()).expect("open");
        let ticket = TicketRef::from_bytes([0xab; 32]);
        let key = ReplyKey::from_bytes([7; 32]);
        remember_now(&keys, &ticket, &key, Some("ar"));
        let found = keys.find(&ticket.to_hex()).expect("full ref");
        assert!(found.reply_key == key);
        assert_eq!(found.language.as_deref(), Some("ar"));
        let found = keys
            .find(&ticket.to_hex()[..16].to_uppercase())
            .expect("prefix");
        assert!(found.ticket_ref == ticket);
        let mut writes = PendingWrites::new();
        assert!(keys.forget(&ticket, &mut writes).expect("forget"));
        assert!(!keys.forget(&ticket, &mut writes).expect("forget again"));
        assert!(matches!(
            keys.find(&ticket.to_hex()),
            Err(ReplyKeyError::NotFound(_))
        ));
    }

    #[test]
    fn a_key_kept_and_forgotten_in_the_same_batch_never_lands() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = ReplyKeys::open(dir.path()).expect("open");
        let ticket = TicketRef::from_bytes([0x42; 32]);
        let mut writes = PendingWrites::new();
        let both = InboxKeys {
            reply_key: &ReplyKey::from_bytes([1; 32]),
            expiry_key: &ExpiryKey::from_bytes([2; 32]),
        };
        keys.remember(&ticket, both, None, "2025-03-01T14:07:00Z", &mut writes)
            .expect("remember");
        let staged = keys.held(&ticket, &writes).expect("read").expect("held");
        assert!(
            staged.expiry_key == Some(ExpiryKey::from_bytes([2; 32])),
            "a later envelope of the batch sees the staged keys"
        );
        assert!(keys.forget(&ticket, &mut writes).expect("forget"));
        writes.commit().expect("commit");
        assert!(!keys.path(&ticket).exists());
    }

    #[test]
    fn a_short_or_ambiguous_prefix_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = ReplyKeys::open(dir.path()).expect("open");
        let mut a = [0x11; 32];
        a[31] = 1;
        let mut b = [0x11; 32];
        b[31] = 2;
        for bytes in [a, b] {
            remember_now(
                &keys,
                &TicketRef::from_bytes(bytes),
                &ReplyKey::from_bytes([1; 32]),
                None,
            );
        }
        assert!(matches!(keys.find("1111"), Err(ReplyKeyError::BadForm(_))));
        assert!(matches!(
            keys.find(&"1".repeat(20)),
            Err(ReplyKeyError::Ambiguous { count: 2, .. })
        ));
    }

    #[test]
    fn key_files_are_owner_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = ReplyKeys::open(dir.path()).expect("open");
        let ticket = TicketRef::from_bytes([3; 32]);
        remember_now(&keys, &ticket, &ReplyKey::from_bytes([1; 32]), None);
        assert!(!porten_protocol::fsutil::is_shared(&keys.path(&ticket)).expect("stat"));
    }

    #[test]
    fn a_key_file_from_before_expiry_keys_still_reads_without_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = ReplyKeys::open(dir.path()).expect("open");
        let ticket = TicketRef::from_bytes([4; 32]);
        std::fs::write(
            keys.path(&ticket),
            r#"{"reply_key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","received":"2025-03-01T14:07:00Z"}"#,
        )
        .expect("write");
        let kept = keys
            .held(&ticket, &PendingWrites::new())
            .expect("read")
            .expect("held");
        assert!(kept.expiry_key.is_none());
        assert!(keys
            .held(&TicketRef::from_bytes([5; 32]), &PendingWrites::new())
            .expect("read")
            .is_none());
    }
}
