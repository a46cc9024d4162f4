//! Writing and reading threads: first contact, follow-up, opening a thread, and staff replies.
//!
//! Callers name a ticket by its ticket ref; the key file turns it into the ticket's slot (ticket id and
//! storage key), and every row written here is sealed under that key.

use porten_protocol::ExpiryKey;
use redb::{ReadableDatabase, ReadableTable, Table, WriteTransaction};

use super::keys::TicketSlot;
use super::sealed::{self, TicketState};
use super::tables::{
    append_outbox, get_ticket, put_ticket, thread_range, EntryKey, EntryValue, TicketId, ENTRIES,
    REPLIES, TICKETS,
};
use super::{NewEntry, QueuedEnvelope, ReplyOutcome, Store, StoreError, StoredEntry, ThreadRecord};

impl Store {
    /// Records a first contact: the ticket, the visitor's first entry (seq 0) and its sealed envelope in the
    /// outbox, all in one transaction. Returns the outbox seq.
    ///
    /// The ticket's slot is written to the key file (and synced) before the transaction; if the transaction
    /// fails, the slot is erased again, and a crash in between leaves a slot without rows, which the next
    /// start erases.
    ///
    /// [`StoreError::TicketExists`] if the ref is taken (nothing is written; make a new code).
    ///
    /// `seal` makes the envelope once the slot exists, from the ticket's expiry key (which the first contact
    /// hands to the internal side); if it fails, nothing is written and its error is returned.
    pub fn first_contact<E: From<StoreError>>(
        &self,
        ticket: &[u8; 32],
        now: i64,
        entry: NewEntry,
        seal: impl FnOnce(&ExpiryKey) -> Result<QueuedEnvelope, E>,
    ) -> Result<u64, E> {
        let slot = self
            .keys
            .create(ticket)
            .map_err(StoreError::KeyFile)?
            .ok_or(StoreError::TicketExists)?;
        let committed = (|| {
            let expiry_key = slot
                .expiry_key()
                .ok_or(StoreError::Corrupt("no expiry key could be derived"))?;
            let envelope = seal(&expiry_key)?;
            let db = self.db();
            let txn = db.begin_write().map_err(StoreError::from)?;
            let outbox_seq = {
                let mut tickets = txn.open_table(TICKETS).map_err(StoreError::from)?;
                let mut state = TicketState::new(now);
                let outbox_seq = append_visitor_entry(&txn, &slot, &mut state, &entry, &envelope)?;
                put_ticket(&mut tickets, &slot, &state)?;
                outbox_seq
            };
            txn.commit().map_err(StoreError::from)?;
            Ok(outbox_seq)
        })();
        if committed.is_err() {
            self.keys.erase(slot.index);
        }
        committed
    }

    /// A live ticket's expiry key, for the sweeper to prove the ticket's expiry close with. `None` if there
    /// is no such ticket.
    pub fn expiry_key(&self, ticket: &[u8; 32]) -> Option<ExpiryKey> {
        self.keys.by_ref(ticket)?.expiry_key()
    }

    /// Records a visitor's follow-up: a new entry at the end of the thread and its sealed envelope, and the
    /// ticket's last activity. Returns the outbox seq.
    ///
    /// [`StoreError::NoSuchTicket`] if the ticket is gone (nothing is written).
    pub fn follow_up(
        &self,
        ticket: &[u8; 32],
        now: i64,
        entry: NewEntry,
        envelope: &QueuedEnvelope,
    ) -> Result<u64, StoreError> {
        let slot = self.keys.by_ref(ticket).ok_or(StoreError::NoSuchTicket)?;
        let db = self.db();
        let txn = db.begin_write()?;
        let outbox_seq = {
            let mut tickets = txn.open_table(TICKETS)?;
            let mut state = get_ticket(&tickets, &slot)?.ok_or(StoreError::NoSuchTicket)?;
            state.last_activity = now;
            let outbox_seq = append_visitor_entry(&txn, &slot, &mut state, &entry, envelope)?;
            put_ticket(&mut tickets, &slot, &state)?;
            outbox_seq
        };
        txn.commit()?;
        Ok(outbox_seq)
    }

    /// Reads a ticket and its whole thread, and records this open: `last_opened` and `last_activity` become
    /// `now`. The record holds the values from before this call, so `previous_open` is the open before.
    /// `None` (and nothing written) if there is no such ticket.
    pub fn open_thread(
        &self,
        ticket: &[u8; 32],
        now: i64,
    ) -> Result<Option<ThreadRecord>, StoreError> {
        let Some(slot) = self.keys.by_ref(ticket) else {
            return Ok(None);
        };
        let db = self.db();
        let txn = db.begin_write()?;
        let record = {
            let mut tickets = txn.open_table(TICKETS)?;
            let Some(mut state) = get_ticket(&tickets, &slot)? else {
                return Ok(None);
            };
            let entries = read_entries(&txn.open_table(ENTRIES)?, &slot)?;
            let record = ThreadRecord {
                created: state.created,
                last_activity: state.last_activity,
                previous_open: state.last_opened,
                entries,
            };
            state.last_opened = Some(now);
            state.last_activity = now;
            put_ticket(&mut tickets, &slot, &state)?;
            record
        };
        txn.commit()?;
        Ok(Some(record))
    }

    /// Reads a ticket and its whole thread without recording an open (for showing the thread again within
    /// one visit). `previous_open` is the last recorded open. `None` if there is no such ticket.
    pub fn read_thread(&self, ticket: &[u8; 32]) -> Result<Option<ThreadRecord>, StoreError> {
        let Some(slot) = self.keys.by_ref(ticket) else {
            return Ok(None);
        };
        let db = self.db();
        let txn = db.begin_read()?;
        let Some(state) = get_ticket(&txn.open_table(TICKETS)?, &slot)? else {
            return Ok(None);
        };
        let entries = read_entries(&txn.open_table(ENTRIES)?, &slot)?;
        Ok(Some(ThreadRecord {
            created: state.created,
            last_activity: state.last_activity,
            previous_open: state.last_opened,
            entries,
        }))
    }

    /// Stores a staff reply (already encrypted under the ticket's reply key by the internal side) at the
    /// end of the thread, delivered. `reply.id` is the reply id: a reply id seen before is
    /// [`ReplyOutcome::Duplicate`] and nothing is written, so the internal side may retry a push safely.
    /// The reply counts as activity: the visitor gets the full idle time to read it.
    pub fn add_reply(
        &self,
        ticket: &[u8; 32],
        now: i64,
        reply: NewEntry,
    ) -> Result<ReplyOutcome, StoreError> {
        let db = self.db();
        let txn = db.begin_write()?;
        {
            let mut replies = txn.open_table(REPLIES)?;
            if replies.get(&reply.id)?.is_some() {
                return Ok(ReplyOutcome::Duplicate);
            }
            let Some(slot) = self.keys.by_ref(ticket) else {
                return Ok(ReplyOutcome::NoSuchTicket);
            };
            let mut tickets = txn.open_table(TICKETS)?;
            let Some(mut state) = get_ticket(&tickets, &slot)? else {
                return Ok(ReplyOutcome::NoSuchTicket);
            };
            let entry_seq = state.take_entry_seq()?;
            state.last_activity = now;
            put_ticket(&mut tickets, &slot, &state)?;
            insert_entry(
                &mut txn.open_table(ENTRIES)?,
                &slot,
                entry_seq,
                &reply,
                (true, None),
            )?;
            replies.insert(&reply.id, &slot.id)?;
        }
        txn.commit()?;
        Ok(ReplyOutcome::Stored)
    }
}

/// A ticket's entries in order, opened from their storage seal. An entry that fails to open (altered or
/// moved in the file) comes back with no ciphertext, so the thread counts it as unreadable and shows the rest.
fn read_entries<T>(table: &T, slot: &TicketSlot) -> Result<Vec<StoredEntry>, StoreError>
where
    T: ReadableTable<EntryKey, EntryValue>,
{
    let mut entries = Vec::new();
    let id: &TicketId = &slot.id;
    for item in table.range(thread_range(id))? {
        let (key, value) = item?;
        let (_, seq) = key.value();
        let (entry_id, author, delivered, _, stored) = value.value();
        let ciphertext =
            sealed::open_entry(slot, seq, entry_id, author, stored).unwrap_or_default();
        entries.push(StoredEntry {
            seq,
            id: *entry_id,
            author,
            delivered,
            ciphertext,
        });
    }
    Ok(entries)
}

/// Seals an entry under the ticket's storage key and writes it with its (delivered, outbox seq) flags.
fn insert_entry(
    entries: &mut Table<EntryKey, EntryValue>,
    slot: &TicketSlot,
    seq: u32,
    entry: &NewEntry,
    (delivered, outbox_seq): (bool, Option<u64>),
) -> Result<(), StoreError> {
    let stored = sealed::seal_entry(slot, seq, &entry.id, entry.author, &entry.ciphertext)?;
    entries.insert(
        (&slot.id, seq),
        (
            &entry.id,
            entry.author,
            delivered,
            outbox_seq,
            stored.as_slice(),
        ),
    )?;
    Ok(())
}

/// Appends a visitor's entry at the end of the thread, not yet delivered, with its envelope in the outbox.
/// Returns the outbox seq. The ticket's state (its entry counter) is the caller's to write back.
fn append_visitor_entry(
    txn: &WriteTransaction,
    slot: &TicketSlot,
    state: &mut TicketState,
    entry: &NewEntry,
    envelope: &QueuedEnvelope,
) -> Result<u64, StoreError> {
    let entry_seq = state.take_entry_seq()?;
    let outbox_seq = append_outbox(txn, &slot.id, Some(entry_seq), envelope)?;
    insert_entry(
        &mut txn.open_table(ENTRIES)?,
        slot,
        entry_seq,
        entry,
        (false, Some(outbox_seq)),
    )?;
    Ok(outbox_seq)
}
