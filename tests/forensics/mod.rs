//! Searching a copy of a data directory as an attacker who holds a ticket's code, the pepper and the salt
//! would: for the ticket ref in every written form, for a key slot naming it, with the gateway's own reader,
//! and byte window by byte window for entries that open under the reply key or under a storage key such a
//! slot gives. Used by tests/erasure.rs.

#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::path::{Path, PathBuf};

use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};

use porten::store::Store;
use porten::ticket::{Kdf, TicketCode, TicketKeys};
use porten_protocol::thread::{self, AuthorKind, EntryId};

/// Bytes per slot of the key file.
const SLOT_LEN: usize = 128;

/// One entry as the test wrote it, to recognise it in a copy.
#[derive(Clone)]
pub struct Known {
    pub seq: u32,
    pub id: [u8; 16],
    pub author: u8,
    /// Length of the entry sealed under the reply key.
    pub inner_len: usize,
    pub text: String,
}

/// A conversation the test made: its code and what it holds.
pub struct Conversation {
    pub code: TicketCode,
    pub entries: Vec<Known>,
}

/// What one search of one copy found for one code.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Hits {
    /// Occurrences of the ticket ref in any written form, over all files.
    pub ref_forms: usize,
    /// Key slots naming the ticket ref.
    pub slots: usize,
    /// Entries the design's reader opened with the reply key.
    pub read_entries: usize,
    /// Byte windows that opened as a thread entry under the reply key alone.
    pub reply_key_windows: usize,
    /// Byte windows that opened as a stored entry under a storage key from a slot naming the ref.
    pub storage_key_windows: usize,
}

impl Hits {
    pub fn total(&self) -> usize {
        self.ref_forms
            + self.slots
            + self.read_entries
            + self.reply_key_windows
            + self.storage_key_windows
    }
}

/// A copy of the data directory.
pub struct DiskCopy {
    pub label: &'static str,
    pub dir: tempfile::TempDir,
}

impl DiskCopy {
    pub fn take(label: &'static str, data: &Path) -> DiskCopy {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(data, dir.path());
        DiskCopy { label, dir }
    }

    /// Every file of the copy, in every directory, with its bytes.
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        let mut pending = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("list") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let bytes = std::fs::read(&path).expect("read");
                    files.push((path, bytes));
                }
            }
        }
        files.sort();
        files
    }

    pub fn bytes(&self) -> usize {
        self.files().iter().map(|(_, b)| b.len()).sum()
    }

    pub fn file_len(&self, name: &str) -> usize {
        std::fs::metadata(self.dir.path().join(name))
            .map(|m| m.len() as usize)
            .unwrap_or(0)
    }
}

/// Copies every file under `from` to `to`, as a copy of the disk would hold them.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("list") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| w == &needle)
        .count()
}

/// The forms in which the ticket ref has been written by any version of the gateway: raw in redb keys and
/// slots, hex in logs and tools, base64 in JSON.
pub fn ref_forms(keys: &TicketKeys) -> Vec<Vec<u8>> {
    let raw = keys.ticket_ref.as_bytes().to_vec();
    vec![
        raw.clone(),
        hex::encode(&raw).into_bytes(),
        hex::encode_upper(&raw).into_bytes(),
        base64::engine::general_purpose::STANDARD
            .encode(&raw)
            .into_bytes(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(&raw)
            .into_bytes(),
    ]
}

/// The storage keys of every slot in a key file that names `ticket_ref`: (ticket id, key).
pub fn slots_naming(key_file: &[u8], ticket_ref: &[u8; 32]) -> Vec<([u8; 16], [u8; 32])> {
    key_file
        .chunks_exact(SLOT_LEN)
        .filter(|slot| &slot[32..64] == ticket_ref)
        .map(|slot| {
            (
                slot[16..32].try_into().expect("id"),
                slot[64..96].try_into().expect("key"),
            )
        })
        .collect()
}

/// Opens `window` as an entry stored under a slot's key: nonce ‖ ciphertext ‖ tag, with the associated data
/// the store binds (label, ticket id, seq, entry id, author).
pub fn opens_as_stored_entry(
    key: &LessSafeKey,
    ticket_id: &[u8; 16],
    e: &Known,
    window: &[u8],
) -> bool {
    let aad = [
        &b"porten stored entry v2"[..],
        &ticket_id[..],
        &e.seq.to_be_bytes()[..],
        &e.id[..],
        &[e.author][..],
    ]
    .concat();
    let Ok(nonce) = Nonce::try_assume_unique_for_key(&window[..12]) else {
        return false;
    };
    let mut buffer = window[12..].to_vec();
    key.open_in_place(nonce, Aad::from(aad), &mut buffer)
        .is_ok()
}

/// Searches one copy as someone holding `conversation`'s code, the pepper and the salt would.
pub fn search(copy: &DiskCopy, conversation: &Conversation, kdf: &Kdf) -> Hits {
    let keys = kdf.derive(&conversation.code).expect("derive");
    let forms = ref_forms(&keys);
    let files = copy.files();
    let mut hits = Hits::default();
    let mut storage_keys = Vec::new();
    for (path, bytes) in &files {
        hits.ref_forms += forms.iter().map(|form| count(bytes, form)).sum::<usize>();
        if path.extension().is_some_and(|e| e == "keys") {
            storage_keys.extend(slots_naming(bytes, keys.ticket_ref.as_bytes()));
        }
    }
    hits.slots = storage_keys.len();

    // The design's own reader, on a scratch copy (opening settles the files, which a searcher would not).
    let scratch = DiskCopy::take("scratch", copy.dir.path());
    let store = Store::open(&scratch.dir.path().join("porten.redb")).expect("the copy opens");
    if let Some(record) = store.read_thread(keys.ticket_ref.as_bytes()).expect("read") {
        for stored in record.entries {
            let opened = AuthorKind::from_byte(stored.author).and_then(|author| {
                thread::open_entry(
                    &keys.reply_key,
                    &keys.ticket_ref,
                    &EntryId::from_bytes(stored.id),
                    author,
                    &stored.ciphertext,
                )
                .ok()
            });
            if let Some(plain) = opened {
                assert!(conversation.entries.iter().any(|e| e.text == plain.text));
                hits.read_entries += 1;
            }
        }
    }

    let storage_keys: Vec<([u8; 16], LessSafeKey)> = storage_keys
        .iter()
        .map(|(id, key)| {
            let key = UnboundKey::new(&CHACHA20_POLY1305, key).expect("key");
            (*id, LessSafeKey::new(key))
        })
        .collect();
    for (_, bytes) in &files {
        for e in &conversation.entries {
            let author = AuthorKind::from_byte(e.author).expect("author");
            let id = EntryId::from_bytes(e.id);
            for window in bytes.windows(e.inner_len) {
                // Version byte 1 first: every other window cannot be an entry.
                if window[0] == 1
                    && thread::open_entry(&keys.reply_key, &keys.ticket_ref, &id, author, window)
                        .is_ok()
                {
                    hits.reply_key_windows += 1;
                }
            }
            for (ticket_id, key) in &storage_keys {
                for window in bytes.windows(e.inner_len + 28) {
                    if opens_as_stored_entry(key, ticket_id, e, window) {
                        hits.storage_key_windows += 1;
                    }
                }
            }
        }
    }
    hits
}

/// How many byte windows of a copy open under a storage key taken from an earlier copy: the old ciphertext
/// still in the file. Not a way in for a searcher of this copy (the key is gone from it); a measure of what
/// compaction leaves.
pub fn old_ciphertext(copy: &DiskCopy, slot: &([u8; 16], [u8; 32]), entries: &[Known]) -> usize {
    let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &slot.1).expect("key"));
    let mut found = 0;
    for (_, bytes) in copy.files() {
        for e in entries {
            found += bytes
                .windows(e.inner_len + 28)
                .filter(|w| opens_as_stored_entry(&key, &slot.0, e, w))
                .count();
        }
    }
    found
}

/// The entries of a conversation as a copy holds them, read with the design's reader and the code's keys.
pub fn entries_in(copy: &DiskCopy, keys: &TicketKeys) -> Vec<Known> {
    let scratch = DiskCopy::take("scratch", copy.dir.path());
    let store = Store::open(&scratch.dir.path().join("porten.redb")).expect("the copy opens");
    let record = store
        .read_thread(keys.ticket_ref.as_bytes())
        .expect("read")
        .expect("the thread is in the copy");
    record
        .entries
        .iter()
        .map(|stored| {
            let author = AuthorKind::from_byte(stored.author).expect("author");
            let plain = thread::open_entry(
                &keys.reply_key,
                &keys.ticket_ref,
                &EntryId::from_bytes(stored.id),
                author,
                &stored.ciphertext,
            )
            .expect("the entry opens with the reply key");
            Known {
                seq: stored.seq,
                id: stored.id,
                author: stored.author,
                inner_len: stored.ciphertext.len(),
                text: plain.text.clone(),
            }
        })
        .collect()
}
