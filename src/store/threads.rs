//! Writing and reading threads: first contact, follow-up, opening a thread, and staff replies.

use redb::{ReadableDatabase, ReadableTable};

use super::tables::{
    append_outbox, get_ticket, thread_range, TicketRow, ENTRIES, REPLIES, TICKETS,
};
use super::{NewEntry, ReplyOutcome, Store, StoreError, StoredEntry, ThreadRecord};

impl Store {
    /// Records a first contact: the ticket, the visitor's first entry (seq 0) and its sealed envelope in the
    /// outbox, all in one transaction. Returns the outbox seq.
    ///
    /// [`StoreError::TicketExists`] if the ref is taken (nothing is written; make a new code).
    pub fn first_contact(
        &self,
        ticket: &[u8; 32],
        now: i64,
        entry: NewEntry,
        envelope: &[u8],
    ) -> Result<u64, StoreError> {
        let txn = self.db.begin_write()?;
        let outbox_seq = {
            let mut tickets = txn.open_table(TICKETS)?;
            if tickets.get(ticket)?.is_some() {
                return Err(StoreError::TicketExists);
            }
            let mut row = TicketRow::new(now);
            let outbox_seq = append_visitor_entry(&txn, ticket, &mut row, &entry, envelope)?;
            tickets.insert(ticket, row.tuple())?;
            outbox_seq
        };
        txn.commit()?;
        Ok(outbox_seq)
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
        envelope: &[u8],
    ) -> Result<u64, StoreError> {
        let txn = self.db.begin_write()?;
        let outbox_seq = {
            let mut tickets = txn.open_table(TICKETS)?;
            let mut row = get_ticket(&tickets, ticket)?.ok_or(StoreError::NoSuchTicket)?;
            row.last_activity = now;
            let outbox_seq = append_visitor_entry(&txn, ticket, &mut row, &entry, envelope)?;
            tickets.insert(ticket, row.tuple())?;
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
        let txn = self.db.begin_write()?;
        let record = {
            let mut tickets = txn.open_table(TICKETS)?;
            let Some(mut row) = get_ticket(&tickets, ticket)? else {
                return Ok(None);
            };
            let entries = read_entries(&txn.open_table(ENTRIES)?, ticket)?;
            let record = ThreadRecord {
                created: row.created,
                last_activity: row.last_activity,
                previous_open: row.last_opened,
                entries,
            };
            row.last_opened = Some(now);
            row.last_activity = now;
            tickets.insert(ticket, row.tuple())?;
            record
        };
        txn.commit()?;
        Ok(Some(record))
    }

    /// Reads a ticket and its whole thread without recording an open (for showing the thread again within
    /// one visit). `previous_open` is the last recorded open. `None` if there is no such ticket.
    pub fn read_thread(&self, ticket: &[u8; 32]) -> Result<Option<ThreadRecord>, StoreError> {
        let txn = self.db.begin_read()?;
        let Some(row) = get_ticket(&txn.open_table(TICKETS)?, ticket)? else {
            return Ok(None);
        };
        let entries = read_entries(&txn.open_table(ENTRIES)?, ticket)?;
        Ok(Some(ThreadRecord {
            created: row.created,
            last_activity: row.last_activity,
            previous_open: row.last_opened,
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
        let txn = self.db.begin_write()?;
        {
            let mut replies = txn.open_table(REPLIES)?;
            if replies.get(&reply.id)?.is_some() {
                return Ok(ReplyOutcome::Duplicate);
            }
            let mut tickets = txn.open_table(TICKETS)?;
            let Some(mut row) = get_ticket(&tickets, ticket)? else {
                return Ok(ReplyOutcome::NoSuchTicket);
            };
            let entry_seq = row.take_entry_seq()?;
            row.last_activity = now;
            tickets.insert(ticket, row.tuple())?;
            txn.open_table(ENTRIES)?.insert(
                (ticket, entry_seq),
                (
                    &reply.id,
                    reply.author,
                    true,
                    None,
                    reply.ciphertext.as_slice(),
                ),
            )?;
            replies.insert(&reply.id, ticket)?;
        }
        txn.commit()?;
        Ok(ReplyOutcome::Stored)
    }
}

/// A ticket's entries in order.
fn read_entries<T>(table: &T, ticket: &[u8; 32]) -> Result<Vec<StoredEntry>, StoreError>
where
    T: ReadableTable<(&'static [u8; 32], u32), super::tables::EntryValue>,
{
    let mut entries = Vec::new();
    for item in table.range(thread_range(ticket))? {
        let (key, value) = item?;
        let (_, seq) = key.value();
        let (id, author, delivered, _, ciphertext) = value.value();
        entries.push(StoredEntry {
            seq,
            id: *id,
            author,
            delivered,
            ciphertext: ciphertext.to_vec(),
        });
    }
    Ok(entries)
}

/// Appends a visitor's entry at the end of the thread, not yet delivered, with its envelope in the outbox.
/// Returns the outbox seq. The ticket row (its entry counter) is the caller's to write back.
fn append_visitor_entry(
    txn: &redb::WriteTransaction,
    ticket: &[u8; 32],
    row: &mut TicketRow,
    entry: &NewEntry,
    envelope: &[u8],
) -> Result<u64, StoreError> {
    let entry_seq = row.take_entry_seq()?;
    let outbox_seq = append_outbox(txn, ticket, Some(entry_seq), envelope)?;
    txn.open_table(ENTRIES)?.insert(
        (ticket, entry_seq),
        (
            &entry.id,
            entry.author,
            false,
            Some(outbox_seq),
            entry.ciphertext.as_slice(),
        ),
    )?;
    Ok(outbox_seq)
}
