//! The ticket key file: one fixed-size slot per live ticket, overwritten in place when the ticket goes.
//!
//! redb is copy-on-write: a deleted row stays in freed pages until they happen to be reused, so deleting rows
//! cannot promise that a copy of the database taken afterwards no longer holds them. What the store writes
//! into redb about a ticket is therefore useless without the ticket's slot here: rows are keyed by a random
//! ticket id, and their contents are sealed under a random per-ticket storage key. The slot is the only link
//! from the ticket ref (which the code derives) to the ticket id and the storage key; erasing a ticket
//! overwrites its slot with zeros in place (`pwrite` + `fdatasync`), after which nothing in the data
//! directory connects the code to anything, and the rows left in freed redb pages no longer open.
//!
//! Slot layout, [`SLOT_LEN`] bytes, so a slot never crosses a 512-byte sector:
//!
//! | bytes | content |
//! |---|---|
//! | 0 | format byte [`SLOT_FORMAT`] (0 with the rest zero: a free slot) |
//! | 1..16 | zero |
//! | 16..32 | ticket id (the key of the ticket's redb rows) |
//! | 32..64 | ticket ref (the lookup key; also needed to address the closed envelope on expiry) |
//! | 64..96 | storage key (ChaCha20-Poly1305) |
//! | 96..128 | SHA-256 of bytes 0..96, so a slot torn by a crash mid-write is recognised |
//!
//! The storage key also gives the ticket's **expiry key** ([`TicketSlot::expiry_key`], HKDF-SHA256 with its
//! own label): the gateway hands it to the internal side in the first contact and proves the expiry close
//! with it, since the sweeper that sends that close never sees a code. Erasing the slot ends it too.
//!
//! Slots are only ever written whole, from free to used (before the ticket's first redb commit) or from used
//! to zero (after the commit that deletes its rows), so after a crash a slot is either what it was, what it
//! was becoming, or torn; the store reconciles the file with the database at start.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use porten_protocol::ExpiryKey;
use ring::digest::{digest, SHA256};
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Bytes per slot.
pub(super) const SLOT_LEN: usize = 128;
/// The first byte of a used slot.
const SLOT_FORMAT: u8 = 1;
const ID_AT: usize = 16;
const REF_AT: usize = 32;
const KEY_AT: usize = 64;
const SUM_AT: usize = 96;
/// HKDF info of the expiry key derived from a storage key.
const EXPIRY_KEY_INFO: &[u8] = b"porten expiry key v1";

/// A live ticket's slot: where its rows are and what seals them. Wiped when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(super) struct TicketSlot {
    /// Position of the slot in the file.
    #[zeroize(skip)]
    pub(super) index: u32,
    /// The random ticket id that keys the ticket's redb rows.
    pub(super) id: [u8; 16],
    /// The ticket ref the visitor's code derives to.
    pub(super) ticket_ref: [u8; 32],
    /// The random key that seals the ticket's rows.
    pub(super) key: [u8; 32],
}

impl TicketSlot {
    /// The ticket's expiry key: HKDF-SHA256 of the storage key with its own label, so knowing it tells
    /// nothing about the storage key. `None` only if HKDF refuses to expand 32 bytes, which it does not.
    pub(super) fn expiry_key(&self) -> Option<ExpiryKey> {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[]).extract(&self.key);
        let mut key = ExpiryKey::from_bytes([0; 32]);
        prk.expand(&[EXPIRY_KEY_INFO], Len32)
            .and_then(|okm| okm.fill(key.as_mut_bytes()))
            .ok()?;
        Some(key)
    }

    fn encode(&self) -> Zeroizing<[u8; SLOT_LEN]> {
        let mut bytes = Zeroizing::new([0u8; SLOT_LEN]);
        bytes[0] = SLOT_FORMAT;
        bytes[ID_AT..REF_AT].copy_from_slice(&self.id);
        bytes[REF_AT..KEY_AT].copy_from_slice(&self.ticket_ref);
        bytes[KEY_AT..SUM_AT].copy_from_slice(&self.key);
        let sum = digest(&SHA256, &bytes[..SUM_AT]);
        bytes[SUM_AT..].copy_from_slice(sum.as_ref());
        bytes
    }
}

/// The output length for `hkdf::Prk::expand`.
struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// What a slot read from the file holds.
enum Read {
    Free,
    Used(TicketSlot),
    /// Neither zero nor a slot with a matching checksum: torn by a crash mid-write, or damaged.
    Damaged,
}

fn decode(index: u32, bytes: &[u8]) -> Read {
    if bytes.iter().all(|&b| b == 0) {
        return Read::Free;
    }
    let sum = digest(&SHA256, bytes.get(..SUM_AT).unwrap_or_default());
    let (Some(head), Some(id), Some(ticket_ref), Some(key), Some(stored_sum)) = (
        bytes.first(),
        bytes.get(ID_AT..REF_AT),
        bytes.get(REF_AT..KEY_AT),
        bytes.get(KEY_AT..SUM_AT),
        bytes.get(SUM_AT..SLOT_LEN),
    ) else {
        return Read::Damaged;
    };
    if *head != SLOT_FORMAT || stored_sum != sum.as_ref() {
        return Read::Damaged;
    }
    let mut slot = TicketSlot {
        index,
        id: [0; 16],
        ticket_ref: [0; 32],
        key: [0; 32],
    };
    slot.id.copy_from_slice(id);
    slot.ticket_ref.copy_from_slice(ticket_ref);
    slot.key.copy_from_slice(key);
    Read::Used(slot)
}

/// The state of one slot in memory.
enum SlotState {
    Free,
    Live(TicketSlot),
    /// The ticket's rows are deleted but zeroing the slot failed; retried by [`KeyFile::retry_erasures`] and
    /// at the next start.
    Erasing,
}

/// The slots in memory, with indexes by ticket ref and ticket id.
#[derive(Default)]
struct Slots {
    states: Vec<SlotState>,
    by_ref: HashMap<[u8; 32], u32>,
    by_id: HashMap<[u8; 16], u32>,
}

impl Slots {
    fn live(&self, index: u32) -> Option<&TicketSlot> {
        match self.states.get(index as usize) {
            Some(SlotState::Live(slot)) => Some(slot),
            _ => None,
        }
    }

    /// Takes a slot out of the indexes and marks it as being erased.
    fn retire(&mut self, index: u32) {
        if let Some(state) = self.states.get_mut(index as usize) {
            if let SlotState::Live(slot) = std::mem::replace(state, SlotState::Erasing) {
                self.by_ref.remove(&slot.ticket_ref);
                self.by_id.remove(&slot.id);
            }
        }
    }

    fn set_free(&mut self, index: u32) {
        if let Some(state) = self.states.get_mut(index as usize) {
            *state = SlotState::Free;
        }
    }
}

/// The key file, open for the life of the store. The file itself is guarded by redb's lock on the database
/// beside it: the store opens the database first.
pub(super) struct KeyFile {
    file: File,
    slots: Mutex<Slots>,
}

/// What [`KeyFile::open`] found that start-up must settle.
pub(super) struct Found {
    /// Slots neither free nor valid (torn or damaged).
    pub(super) damaged: Vec<u32>,
    /// Used slots that repeat a ticket ref or a ticket id of an earlier slot.
    pub(super) duplicates: Vec<u32>,
}

impl KeyFile {
    /// Opens (or creates, mode 0600) the key file and reads every slot. `existed` says whether the file was
    /// there before.
    pub(super) fn open(path: &Path) -> io::Result<(KeyFile, Found, bool)> {
        let existed = path.try_exists()?;
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true);
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .mode(0o600)
                .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
        }
        let file = options.open(path)?;
        if !existed {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            porten_protocol::fsutil::sync_dir(parent)?;
        }
        let len = file.metadata()?.len();
        let count = u32::try_from(len / SLOT_LEN as u64)
            .map_err(|_| io::Error::other("the ticket key file is too large"))?;
        let mut slots = Slots::default();
        let mut found = Found {
            damaged: Vec::new(),
            duplicates: Vec::new(),
        };
        let mut buffer = Zeroizing::new(vec![0u8; SLOT_LEN * 256]);
        let mut index = 0u32;
        while index < count {
            let batch = (count - index).min(256) as usize;
            let bytes = buffer.get_mut(..batch * SLOT_LEN).unwrap_or_default();
            file.read_exact_at(bytes, u64::from(index) * SLOT_LEN as u64)?;
            for chunk in bytes.chunks_exact(SLOT_LEN) {
                let state = match decode(index, chunk) {
                    Read::Free => SlotState::Free,
                    Read::Damaged => {
                        found.damaged.push(index);
                        SlotState::Erasing
                    }
                    Read::Used(slot) => {
                        if slots.by_ref.contains_key(&slot.ticket_ref)
                            || slots.by_id.contains_key(&slot.id)
                        {
                            found.duplicates.push(index);
                            SlotState::Erasing
                        } else {
                            slots.by_ref.insert(slot.ticket_ref, index);
                            slots.by_id.insert(slot.id, index);
                            SlotState::Live(slot)
                        }
                    }
                };
                slots.states.push(state);
                index += 1;
            }
        }
        // A partial slot at the end was being appended when a crash came: its ticket was never committed.
        if len % SLOT_LEN as u64 != 0 {
            file.set_len(u64::from(count) * SLOT_LEN as u64)?;
            file.sync_data()?;
        }
        let keys = KeyFile {
            file,
            slots: Mutex::new(slots),
        };
        Ok((keys, found, existed))
    }

    fn lock(&self) -> MutexGuard<'_, Slots> {
        // The state is consistent between statements; a panic elsewhere does not make it wrong.
        match self.slots.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The live slot of a ticket ref.
    pub(super) fn by_ref(&self, ticket_ref: &[u8; 32]) -> Option<TicketSlot> {
        let slots = self.lock();
        let index = *slots.by_ref.get(ticket_ref)?;
        slots.live(index).cloned()
    }

    /// The live slot of a ticket id.
    pub(super) fn by_id(&self, id: &[u8; 16]) -> Option<TicketSlot> {
        let slots = self.lock();
        let index = *slots.by_id.get(id)?;
        slots.live(index).cloned()
    }

    /// The ids of every live slot.
    pub(super) fn live_ids(&self) -> Vec<[u8; 16]> {
        self.lock().by_id.keys().copied().collect()
    }

    /// Makes a slot for a new ticket and writes it durably, before any row of the ticket is committed. `None`
    /// if the ticket ref already has a slot. If the write fails, the slot is given up again.
    pub(super) fn create(&self, ticket_ref: &[u8; 32]) -> io::Result<Option<TicketSlot>> {
        let rng = SystemRandom::new();
        let mut slot = TicketSlot {
            index: 0,
            id: [0; 16],
            ticket_ref: *ticket_ref,
            key: [0; 32],
        };
        rng.fill(&mut slot.id)
            .and_then(|()| rng.fill(&mut slot.key))
            .map_err(|_| io::Error::other("the system random number generator failed"))?;
        {
            let mut slots = self.lock();
            if slots.by_ref.contains_key(ticket_ref) || slots.by_id.contains_key(&slot.id) {
                return Ok(None);
            }
            // The lowest free slot keeps the file as small as the peak number of tickets.
            let free = slots
                .states
                .iter()
                .position(|state| matches!(state, SlotState::Free));
            let index = match free {
                Some(index) => index,
                None => {
                    slots.states.push(SlotState::Free);
                    slots.states.len() - 1
                }
            };
            slot.index = u32::try_from(index)
                .map_err(|_| io::Error::other("the ticket key file is full"))?;
            slots.by_ref.insert(slot.ticket_ref, slot.index);
            slots.by_id.insert(slot.id, slot.index);
            if let Some(state) = slots.states.get_mut(index) {
                *state = SlotState::Live(slot.clone());
            }
        }
        let written = self.write_slot(slot.index, &slot.encode()[..]);
        if let Err(error) = written {
            self.erase(slot.index);
            return Err(error);
        }
        Ok(Some(slot))
    }

    /// Overwrites a slot with zeros in place and syncs it. Call once the ticket's rows are deleted (or never
    /// committed). On failure the slot stays marked for erasure and is retried later.
    pub(super) fn erase(&self, index: u32) -> bool {
        self.lock().retire(index);
        match self.write_slot(index, &[0u8; SLOT_LEN]) {
            Ok(()) => {
                self.lock().set_free(index);
                true
            }
            Err(error) => {
                tracing::error!(
                    %error,
                    "a ticket key slot could not be overwritten; retrying later"
                );
                false
            }
        }
    }

    /// Erases slots in bulk with one sync: slots found damaged, slots that start-up found without rows, and
    /// slots whose erasure failed before. Returns how many were erased.
    pub(super) fn erase_many(&self, indexes: &[u32]) -> io::Result<usize> {
        if indexes.is_empty() {
            return Ok(0);
        }
        let mut slots = self.lock();
        for &index in indexes {
            slots.retire(index);
            self.file
                .write_all_at(&[0u8; SLOT_LEN], u64::from(index) * SLOT_LEN as u64)?;
        }
        self.file.sync_data()?;
        for &index in indexes {
            slots.set_free(index);
        }
        Ok(indexes.len())
    }

    /// Zeroes every slot whose erasure failed before.
    pub(super) fn retry_erasures(&self) -> io::Result<usize> {
        let pending: Vec<u32> = self
            .lock()
            .states
            .iter()
            .enumerate()
            .filter(|(_, state)| matches!(state, SlotState::Erasing))
            .filter_map(|(index, _)| u32::try_from(index).ok())
            .collect();
        self.erase_many(&pending)
    }

    /// Cuts free slots off the end of the file (they are zero already), so that the file shows how many
    /// tickets live now rather than how many lived at the peak. Returns how many slots were cut.
    pub(super) fn truncate_free_tail(&self) -> io::Result<usize> {
        let mut slots = self.lock();
        let keep = slots
            .states
            .iter()
            .rposition(|state| !matches!(state, SlotState::Free))
            .map_or(0, |last| last + 1);
        let cut = slots.states.len() - keep;
        if cut == 0 {
            return Ok(0);
        }
        self.file.set_len(keep as u64 * SLOT_LEN as u64)?;
        self.file.sync_data()?;
        slots.states.truncate(keep);
        Ok(cut)
    }

    fn write_slot(&self, index: u32, bytes: &[u8]) -> io::Result<()> {
        self.file
            .write_all_at(bytes, u64::from(index) * SLOT_LEN as u64)?;
        self.file.sync_data()
    }
}
