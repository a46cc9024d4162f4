//! The spool: the directory the case system reads, one JSON file per delivered envelope.
//!
//! A file is named `<envelope id>.json` and written atomically (a temporary dot-file, fsynced, then renamed
//! into place and the directory fsynced, once per pulled batch and before the ack: see
//! [`super::durable`]), so the case system sees either no file or the whole file; it should ignore names
//! that start with a dot. The file's existence is the record that the envelope was delivered: the gateway may
//! hand the same envelope out again (it is at-least-once), and the inbox then finds the file and only acks.
//!
//! The document is the envelope's payload without the reply key, which stays with the inbox
//! (see [`super::reply_keys`]).

use std::io;
use std::path::{Path, PathBuf};

use super::durable::PendingWrites;
use porten_protocol::envelope::EnvelopeId;

/// The spool directory.
#[derive(Debug, Clone)]
pub struct Spool {
    dir: PathBuf,
}

impl Spool {
    /// The spool at `dir`, made (0700) if missing.
    pub fn open(dir: &Path) -> io::Result<Spool> {
        porten_protocol::fsutil::create_private_dir(dir)?;
        Ok(Spool {
            dir: dir.to_owned(),
        })
    }

    /// The file for an envelope id: 32 lowercase hex characters, so it cannot name anything outside the
    /// directory.
    pub fn path_for(&self, envelope_id: &EnvelopeId) -> PathBuf {
        self.dir.join(format!("{}.json", envelope_id.to_hex()))
    }

    /// Whether the envelope was delivered before.
    pub fn contains(&self, envelope_id: &EnvelopeId) -> io::Result<bool> {
        match std::fs::symlink_metadata(self.path_for(envelope_id)) {
            Ok(_) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Stages the envelope's case document (`Payload::case_document`); it appears, whole and durable, when
    /// the batch is committed.
    pub fn write(
        &self,
        envelope_id: &EnvelopeId,
        document: &[u8],
        writes: &mut PendingWrites,
    ) -> io::Result<PathBuf> {
        let path = self.path_for(envelope_id);
        writes.stage(&path, document)?;
        Ok(path)
    }
}
