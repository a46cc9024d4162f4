//! The reply keys the inbox holds, one small JSON file per open ticket in `<state_dir>/reply-keys/`.
//!
//! A first contact carries the ticket's reply key; the inbox keeps it so staff can answer later, and deletes
//! it when a closed envelope says the ticket is gone. Files are 0600 in a 0700 directory, written atomically
//! and fsynced. The reply key never goes to the spool or the webhook: the case system does not need it, and
//! every copy is one more place it could leak from.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::durable::PendingWrites;
use porten_protocol::{ReplyKey, TicketRef};

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
    /// The language the visitor asked replies in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    /// When the first contact was received (RFC 3339, to the minute).
    received: String,
}

impl Drop for StoredKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.reply_key);
    }
}

/// A ticket's reply key with what staff need to answer.
pub struct TicketKey {
    /// The ticket ref.
    pub ticket_ref: TicketRef,
    /// The reply key.
    pub reply_key: ReplyKey,
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

    /// Keeps a first contact's reply key (idempotent: the same first contact delivered twice writes the same).
    /// The file is staged in `writes` and appears when the batch is committed.
    pub fn remember(
        &self,
        ticket_ref: &TicketRef,
        reply_key: &ReplyKey,
        language: Option<&str>,
        received: &str,
        writes: &mut PendingWrites,
    ) -> Result<(), ReplyKeyError> {
        let path = self.path(ticket_ref);
        let stored = StoredKey {
            reply_key: reply_key.to_base64().to_string(),
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

    /// Whether a reply key other than `reply_key` is kept for `ticket_ref`. The same key again is the same
    /// first contact delivered again (after a failed webhook, say), not a second one.
    pub fn holds_another(&self, ticket_ref: &TicketRef, reply_key: &ReplyKey) -> bool {
        if !self.path(ticket_ref).exists() {
            return false;
        }
        match self.find(&ticket_ref.to_hex()) {
            Ok(kept) => kept.reply_key != *reply_key,
            // A key file that cannot be read is not replaced either.
            Err(_) => true,
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
        let stored: StoredKey =
            serde_json::from_slice(&bytes).map_err(|_| ReplyKeyError::Damaged(path.clone()))?;
        let reply_key =
            ReplyKey::from_base64(&stored.reply_key).ok_or(ReplyKeyError::Damaged(path))?;
        Ok(TicketKey {
            ticket_ref,
            reply_key,
            language: stored.language.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn remember_now(keys: &ReplyKeys, ticket: &TicketRef, key: &ReplyKey, language: Option<&str>) {
        let mut writes = PendingWrites::new();
        keys.remember(ticket, key, language, "2025-03-01T14:07:00Z", &mut writes)
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
        keys.remember(
            &ticket,
            &ReplyKey::from_bytes([1; 32]),
            None,
            "2025-03-01T14:07:00Z",
            &mut writes,
        )
        .expect("remember");
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
}
