//! The redb tables of the store and the rows they hold, with the small helpers every transaction shares.
//!
//! Rows are redb tuples, so redb checks their types when a table is opened. The meta table's types never
//! change between schema versions: it is read first to find out which version the rest of the file has.

use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};

use super::StoreError;

/// A ticket row: (created, last activity, last opened, next entry seq); times in unix seconds.
pub(super) type TicketValue = (i64, i64, Option<i64>, u32);
/// An entry key: (ticket ref, entry seq).
pub(super) type EntryKey = (&'static [u8; 32], u32);
/// An entry row: (entry id, author, delivered, outbox seq, ciphertext).
pub(super) type EntryValue = (&'static [u8; 16], u8, bool, Option<u64>, &'static [u8]);
/// An outbox row: (ticket ref, entry seq, sealed envelope).
pub(super) type OutboxValue = (&'static [u8; 32], Option<u32>, &'static [u8]);

/// `&str` → bytes: `schema` (u64 LE), `salt` (16 bytes), `outbox_next` (u64 LE).
pub(super) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// ticket ref → [`TicketValue`].
pub(super) const TICKETS: TableDefinition<&[u8; 32], TicketValue> = TableDefinition::new("tickets");
/// [`EntryKey`] → [`EntryValue`].
pub(super) const ENTRIES: TableDefinition<EntryKey, EntryValue> = TableDefinition::new("entries");
/// outbox seq → [`OutboxValue`].
pub(super) const OUTBOX: TableDefinition<u64, OutboxValue> = TableDefinition::new("outbox");
/// reply id → ticket ref.
pub(super) const REPLIES: TableDefinition<&[u8; 16], &[u8; 32]> = TableDefinition::new("replies");

pub(super) const SCHEMA_KEY: &str = "schema";
pub(super) const SALT_KEY: &str = "salt";
pub(super) const OUTBOX_NEXT_KEY: &str = "outbox_next";

/// A row of the tickets table, owned.
#[derive(Clone, Copy)]
pub(super) struct TicketRow {
    pub(super) created: i64,
    pub(super) last_activity: i64,
    pub(super) last_opened: Option<i64>,
    pub(super) next_entry_seq: u32,
}

impl TicketRow {
    pub(super) fn new(now: i64) -> TicketRow {
        TicketRow {
            created: now,
            last_activity: now,
            last_opened: None,
            next_entry_seq: 0,
        }
    }

    pub(super) fn tuple(&self) -> TicketValue {
        (
            self.created,
            self.last_activity,
            self.last_opened,
            self.next_entry_seq,
        )
    }

    /// Reserves the next entry seq.
    pub(super) fn take_entry_seq(&mut self) -> Result<u32, StoreError> {
        let seq = self.next_entry_seq;
        self.next_entry_seq = seq
            .checked_add(1)
            .ok_or(StoreError::CounterExhausted("thread entry"))?;
        Ok(seq)
    }
}

/// Reads a ticket row, if the ticket exists.
pub(super) fn get_ticket<T>(tickets: &T, ticket: &[u8; 32]) -> Result<Option<TicketRow>, StoreError>
where
    T: ReadableTable<&'static [u8; 32], TicketValue>,
{
    Ok(tickets.get(ticket)?.map(|guard| {
        let (created, last_activity, last_opened, next_entry_seq) = guard.value();
        TicketRow {
            created,
            last_activity,
            last_opened,
            next_entry_seq,
        }
    }))
}

/// Reads a u64 from the meta table; a value of the wrong length means the file is damaged.
pub(super) fn meta_u64(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<u64>, StoreError> {
    match meta.get(key)? {
        None => Ok(None),
        Some(guard) => <[u8; 8]>::try_from(guard.value())
            .map(|bytes| Some(u64::from_le_bytes(bytes)))
            .map_err(|_| StoreError::Corrupt("a counter in the meta table has the wrong length")),
    }
}

/// Appends an envelope to the outbox under the next seq, which is never handed out again.
pub(super) fn append_outbox(
    txn: &WriteTransaction,
    ticket: &[u8; 32],
    entry_seq: Option<u32>,
    envelope: &[u8],
) -> Result<u64, StoreError> {
    let mut meta = txn.open_table(META)?;
    let seq = meta_u64(&meta, OUTBOX_NEXT_KEY)?
        .ok_or(StoreError::Corrupt("the outbox counter is missing"))?;
    let next = seq
        .checked_add(1)
        .ok_or(StoreError::CounterExhausted("outbox"))?;
    meta.insert(OUTBOX_NEXT_KEY, next.to_le_bytes().as_slice())?;
    txn.open_table(OUTBOX)?
        .insert(seq, (ticket, entry_seq, envelope))?;
    Ok(seq)
}

/// The key range holding every entry of one ticket, in seq order.
pub(super) fn thread_range(ticket: &[u8; 32]) -> std::ops::RangeInclusive<(&[u8; 32], u32)> {
    (ticket, 0)..=(ticket, u32::MAX)
}

/// Deletes a ticket's entries and the reply ids that point at it. The ticket row is the caller's.
pub(super) fn delete_thread(txn: &WriteTransaction, ticket: &[u8; 32]) -> Result<(), StoreError> {
    let mut entries: Table<EntryKey, EntryValue> = txn.open_table(ENTRIES)?;
    let mut ids = Vec::new();
    for item in entries.range(thread_range(ticket))? {
        let (_, value) = item?;
        ids.push(*value.value().0);
    }
    entries.retain_in(thread_range(ticket), |_, _| false)?;

    // Staff entries are stored under their reply id; visitor entry ids are simply not found here.
    let mut replies = txn.open_table(REPLIES)?;
    for id in &ids {
        let points_here = replies
            .get(id)?
            .is_some_and(|owner| owner.value() == ticket);
        if points_here {
            replies.remove(id)?;
        }
    }
    Ok(())
}
