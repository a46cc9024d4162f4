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

use zeroize::Zeroizing;

use super::durable::PendingWrites;
use crate::envelope::Payload;

/// The spool directory.
#[derive(Debug, Clone)]
pub struct Spool {
    dir: PathBuf,
}

/// The JSON document the case system receives for `payload` (spool file and webhook body): the payload
/// without its reply key. The buffer is wiped when dropped.
pub fn case_document(payload: &Payload) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut document = payload.clone();
    document.reply_key = None;
    let mut json = serde_json::to_vec_pretty(&document).map_err(io::Error::other)?;
    json.push(b'\n');
    Ok(Zeroizing::new(json))
}

impl Spool {
    /// The spool at `dir`, made (0700) if missing.
    pub fn open(dir: &Path) -> io::Result<Spool> {
        crate::fsutil::create_private_dir(dir)?;
        Ok(Spool {
            dir: dir.to_owned(),
        })
    }

    /// The file for an envelope id. Ids are 32 lowercase hex characters (checked when the payload is opened),
    /// so they cannot name anything outside the directory.
    pub fn path_for(&self, envelope_id: &str) -> PathBuf {
        self.dir.join(format!("{envelope_id}.json"))
    }

    /// Whether the envelope was delivered before.
    pub fn contains(&self, envelope_id: &str) -> io::Result<bool> {
        match std::fs::symlink_metadata(self.path_for(envelope_id)) {
            Ok(_) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Stages the envelope's document; it appears, whole and durable, when the batch is committed.
    pub fn write(&self, payload: &Payload, writes: &mut PendingWrites) -> io::Result<PathBuf> {
        let path = self.path_for(&payload.envelope_id);
        let json = case_document(payload)?;
        writes.stage(&path, &json)?;
        Ok(path)
    }
}
