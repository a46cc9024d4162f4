//! The redb tables of the store and the rows they hold, with the small helpers every transaction shares.
//!
//! Rows are redb tuples, so redb checks their types when a table is opened. The meta table's types never
//! change between schema versions: it is read first to find out which version the rest of the file has.
//! Tickets are keyed by their random ticket id, never by the ticket ref, and what a row says about a ticket is
//! sealed under the ticket's storage key (see `keys` and `sealed`).

use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};

use super::keys::TicketSlot;
use super::sealed::{open_state, seal_state, TicketState};
use super::{QueuedEnvelope, StoreError};

/// A ticket's id: random, the key of its rows; only its slot in the key file links it to a ticket ref.
pub(super) type TicketId = [u8; 16];
/// An entry key: (ticket id, entry seq).
pub(super) type EntryKey = (&'static TicketId, u32);
/// An entry row: (entry id, author, delivered, outbox seq, entry sealed under the storage key).
pub(super) type EntryValue = (&'static [u8; 16], u8, bool, Option<u64>, &'static [u8]);
/// An outbox row: (ticket id, entry seq, envelope id, sealed envelope). The envelope id is the one sealed
/// inside the envelope; it never leaves the gateway, and an ack must name it.
pub(super) type OutboxValue = (
    &'static TicketId,
    Option<u32>,
    &'static [u8; 16],
    &'static [u8],
);

/// `&str` → bytes: `schema` (u64 LE), `salt` (16 bytes), `outbox_next` (u64 LE).
pub(super) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// ticket id → the ticket's state sealed under its storage key.
pub(super) const TICKETS: TableDefinition<&TicketId, &[u8]> = TableDefinition::new("tickets");
/// [`EntryKey`] → [`EntryValue`].
pub(super) const ENTRIES: TableDefinition<EntryKey, EntryValue> = TableDefinition::new("entries");
/// outbox seq → [`OutboxValue`].
pub(super) const OUTBOX: TableDefinition<u64, OutboxValue> = TableDefinition::new("outbox");
/// reply id → ticket id.
pub(super) const REPLIES: TableDefinition<&[u8; 16], &TicketId> = TableDefinition::new("replies");

pub(super) const SCHEMA_KEY: &str = "schema";
pub(super) const SALT_KEY: &str = "salt";
pub(super) const OUTBOX_NEXT_KEY: &str = "outbox_next";

/// Reads and opens a ticket's state, if its row exists.
pub(super) fn get_ticket<T>(
    tickets: &T,
    slot: &TicketSlot,
) -> Result<Option<TicketState>, StoreError>
where
    T: ReadableTable<&'static TicketId, &'static [u8]>,
{
    match tickets.get(&slot.id)? {
        None => Ok(None),
        Some(guard) => open_state(slot, guard.value()).map(Some),
    }
}

/// Seals and writes a ticket's state.
pub(super) fn put_ticket(
    tickets: &mut Table<&'static TicketId, &'static [u8]>,
    slot: &TicketSlot,
    state: &TicketState,
) -> Result<(), StoreError> {
    let sealed = seal_state(slot, state)?;
    tickets.insert(&slot.id, sealed.as_slice())?;
    Ok(())
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
    ticket: &TicketId,
    entry_seq: Option<u32>,
    envelope: &QueuedEnvelope,
) -> Result<u64, StoreError> {
    let mut meta = txn.open_table(META)?;
    let seq = meta_u64(&meta, OUTBOX_NEXT_KEY)?
        .ok_or(StoreError::Corrupt("the outbox counter is missing"))?;
    let next = seq
        .checked_add(1)
        .ok_or(StoreError::CounterExhausted("outbox"))?;
    meta.insert(OUTBOX_NEXT_KEY, next.to_le_bytes().as_slice())?;
    txn.open_table(OUTBOX)?.insert(
        seq,
        (ticket, entry_seq, &envelope.id, envelope.sealed.as_slice()),
    )?;
    Ok(seq)
}

/// The key range holding every entry of one ticket, in seq order.
pub(super) fn thread_range(ticket: &TicketId) -> std::ops::RangeInclusive<(&TicketId, u32)> {
    (ticket, 0)..=(ticket, u32::MAX)
}

/// Deletes a ticket's entries and the reply ids that point at it. The ticket row is the caller's.
pub(super) fn delete_thread(txn: &WriteTransaction, ticket: &TicketId) -> Result<(), StoreError> {
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
