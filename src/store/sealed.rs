//! The storage seal: what the store writes into redb about a ticket, sealed under the ticket's storage key.
//!
//! The storage key is random and lives only in the ticket's slot of the key file ([`super::keys`]); erasing
//! the slot makes every row of the ticket, including the copies redb leaves in freed pages, unreadable. It is
//! a layer around what is already there, not a replacement: a thread entry inside is still sealed under the
//! reply key, which only the visitor's code gives, so a copy of a live data directory without the code reads
//! no more than before.
//!
//! Format: 96-bit random nonce ‖ ChaCha20-Poly1305 ciphertext ‖ 16-byte tag. The associated data names what
//! is sealed and binds it to its ticket id (and for an entry its seq, id and author), so rows cannot be moved
//! between tickets or places.
//!
//! Lengths: this layer adds a fixed 28 bytes and pads nothing itself, because nothing it seals varies in a way
//! that would tell: a ticket's state is always [`STATE_LEN`] bytes (an absent time is written as zeros, not
//! left out), and a thread entry arrives already padded to a size bucket under the reply key
//! (`porten_protocol::thread`), so its row is the bucket plus 28 bytes.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use super::keys::TicketSlot;
use super::StoreError;

const TAG_LEN: usize = 16;
const STATE_LABEL: &[u8] = b"porten stored ticket v2";
const ENTRY_LABEL: &[u8] = b"porten stored entry v2";

/// A ticket's state as the store keeps it: times in unix seconds and the next entry seq.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TicketState {
    pub(super) created: i64,
    pub(super) last_activity: i64,
    pub(super) last_opened: Option<i64>,
    pub(super) next_entry_seq: u32,
}

/// Encoded length of a [`TicketState`]: created, last activity, opened flag, last opened, next seq.
const STATE_LEN: usize = 8 + 8 + 1 + 8 + 4;

impl TicketState {
    pub(super) fn new(now: i64) -> TicketState {
        TicketState {
            created: now,
            last_activity: now,
            last_opened: None,
            next_entry_seq: 0,
        }
    }

    /// Reserves the next entry seq.
    pub(super) fn take_entry_seq(&mut self) -> Result<u32, StoreError> {
        let seq = self.next_entry_seq;
        self.next_entry_seq = seq
            .checked_add(1)
            .ok_or(StoreError::CounterExhausted("thread entry"))?;
        Ok(seq)
    }

    fn encode(&self) -> [u8; STATE_LEN] {
        let mut out = [0u8; STATE_LEN];
        out[0..8].copy_from_slice(&self.created.to_le_bytes());
        out[8..16].copy_from_slice(&self.last_activity.to_le_bytes());
        out[16] = u8::from(self.last_opened.is_some());
        out[17..25].copy_from_slice(&self.last_opened.unwrap_or(0).to_le_bytes());
        out[25..29].copy_from_slice(&self.next_entry_seq.to_le_bytes());
        out
    }

    fn decode(bytes: &[u8]) -> Option<TicketState> {
        let i64_at = |at: usize| -> Option<i64> {
            Some(i64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
        };
        if bytes.len() != STATE_LEN {
            return None;
        }
        let opened = match bytes.get(16)? {
            0 => None,
            1 => Some(i64_at(17)?),
            _ => return None,
        };
        Some(TicketState {
            created: i64_at(0)?,
            last_activity: i64_at(8)?,
            last_opened: opened,
            next_entry_seq: u32::from_le_bytes(bytes.get(25..29)?.try_into().ok()?),
        })
    }
}

/// Seals a ticket's state for its row.
pub(super) fn seal_state(slot: &TicketSlot, state: &TicketState) -> Result<Vec<u8>, StoreError> {
    let plain = Zeroizing::new(state.encode());
    seal(slot, &state_aad(slot), &plain[..])
}

/// Opens a ticket's row.
pub(super) fn open_state(slot: &TicketSlot, sealed: &[u8]) -> Result<TicketState, StoreError> {
    let plain = open(slot, &state_aad(slot), sealed)
        .ok_or(StoreError::Corrupt("a ticket row failed to authenticate"))?;
    TicketState::decode(&plain).ok_or(StoreError::Corrupt("a ticket row is malformed"))
}

/// Seals a thread entry (already sealed under the reply key) for its row.
pub(super) fn seal_entry(
    slot: &TicketSlot,
    seq: u32,
    id: &[u8; 16],
    author: u8,
    ciphertext: &[u8],
) -> Result<Vec<u8>, StoreError> {
    seal(slot, &entry_aad(slot, seq, id, author), ciphertext)
}

/// Opens an entry's row; `None` if it fails to authenticate.
pub(super) fn open_entry(
    slot: &TicketSlot,
    seq: u32,
    id: &[u8; 16],
    author: u8,
    sealed: &[u8],
) -> Option<Vec<u8>> {
    open(slot, &entry_aad(slot, seq, id, author), sealed).map(|plain| plain.to_vec())
}

fn state_aad(slot: &TicketSlot) -> Vec<u8> {
    [STATE_LABEL, &slot.id[..]].concat()
}

fn entry_aad(slot: &TicketSlot, seq: u32, id: &[u8; 16], author: u8) -> Vec<u8> {
    [
        ENTRY_LABEL,
        &slot.id[..],
        &seq.to_be_bytes()[..],
        &id[..],
        &[author][..],
    ]
    .concat()
}

fn aead_key(slot: &TicketSlot) -> Option<LessSafeKey> {
    UnboundKey::new(&CHACHA20_POLY1305, &slot.key)
        .ok()
        .map(LessSafeKey::new)
}

fn seal(slot: &TicketSlot, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, StoreError> {
    let key = aead_key(slot).ok_or(StoreError::Corrupt("a storage key is unusable"))?;
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| StoreError::Random)?;
    let mut out = Zeroizing::new(Vec::with_capacity(NONCE_LEN + plain.len() + TAG_LEN));
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plain);
    let body = out
        .get_mut(NONCE_LEN..)
        .ok_or(StoreError::Corrupt("sealing a row"))?;
    let tag = key
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), body)
        .map_err(|_| StoreError::Corrupt("sealing a row"))?;
    out.extend_from_slice(tag.as_ref());
    Ok(std::mem::take(&mut *out))
}

fn open(slot: &TicketSlot, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return None;
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let key = aead_key(slot)?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let len = key
        .open_in_place(nonce, Aad::from(aad), &mut buffer[..])
        .ok()?
        .len();
    buffer.truncate(len);
    Some(buffer)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn slot(byte: u8) -> TicketSlot {
        TicketSlot {
            index: 0,
            id: [byte; 16],
            ticket_ref: [byte; 32],
            key: [byte; 32],
        }
    }

    #[test]
    fn a_ticket_state_round_trips_and_only_under_its_own_slot() {
        let state = TicketState {
            created: 60,
            last_activity: 120,
            last_opened: Some(180),
            next_entry_seq: 7,
        };
        let sealed = seal_state(&slot(1), &state).unwrap();
        assert_eq!(open_state(&slot(1), &sealed).unwrap(), state);
        assert!(open_state(&slot(2), &sealed).is_err());
        let fresh = TicketState::new(5);
        let sealed = seal_state(&slot(1), &fresh).unwrap();
        assert_eq!(open_state(&slot(1), &sealed).unwrap(), fresh);
    }

    #[test]
    fn every_ticket_state_seals_to_the_same_length_whatever_it_holds() {
        let fresh = seal_state(&slot(1), &TicketState::new(0)).unwrap();
        let busy = seal_state(
            &slot(1),
            &TicketState {
                created: i64::MIN,
                last_activity: i64::MAX,
                last_opened: Some(1_700_000_040),
                next_entry_seq: u32::MAX,
            },
        )
        .unwrap();
        assert_eq!(fresh.len(), NONCE_LEN + STATE_LEN + TAG_LEN);
        assert_eq!(busy.len(), fresh.len());
    }

    #[test]
    fn an_entry_row_adds_a_fixed_overhead_so_the_bucket_shows_and_nothing_more() {
        for inner in [512, 1024, 65_536] {
            let sealed = seal_entry(&slot(1), 0, &[9; 16], 2, &vec![0x5a; inner]).unwrap();
            assert_eq!(sealed.len(), inner + NONCE_LEN + TAG_LEN);
        }
    }

    #[test]
    fn an_entry_opens_only_in_its_place() {
        let sealed = seal_entry(&slot(1), 3, &[9; 16], 1, b"inner").unwrap();
        assert!(!sealed.windows(5).any(|w| w == b"inner"));
        assert_eq!(
            open_entry(&slot(1), 3, &[9; 16], 1, &sealed).unwrap(),
            b"inner"
        );
        assert!(open_entry(&slot(2), 3, &[9; 16], 1, &sealed).is_none());
        assert!(open_entry(&slot(1), 4, &[9; 16], 1, &sealed).is_none());
        assert!(open_entry(&slot(1), 3, &[8; 16], 1, &sealed).is_none());
        assert!(open_entry(&slot(1), 3, &[9; 16], 2, &sealed).is_none());
        assert!(open_entry(&slot(1), 3, &[9; 16], 1, &sealed[..10]).is_none());
    }
}
