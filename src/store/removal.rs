//! Deleting tickets: when the visitor asks (burn) and when they have been idle too long (expiry).
//!
//! Either way the thread goes and a closed envelope is queued in the same transaction, while the ticket's
//! envelopes still in the outbox stay: the centre must still receive what the visitor sent. Once that
//! transaction is durable, the ticket's slot in the key file is overwritten with zeros: from then on the
//! rows redb may still hold in freed pages are sealed under a key that no longer exists. The order matters:
//! erasing the slot first and crashing before the commit would leave rows that nothing can open and no
//! closed envelope for the centre; this order can only leave a slot without rows, which the next start
//! erases.

use std::sync::atomic::Ordering;

use redb::{ReadableDatabase, ReadableTable};

use super::keys::TicketSlot;
use super::sealed::open_state;
use super::tables::{append_outbox, delete_thread, get_ticket, TICKETS};
use super::{QueuedEnvelope, Store, StoreError};

impl Store {
    /// The visitor deleted the conversation: removes the ticket, its entries and its reply ids, queues the
    /// closed envelope, and erases the ticket's key slot. Envelopes of this ticket still in the outbox stay
    /// there: the centre must still receive them. `false` (and nothing written) if there is no such ticket.
    pub fn burn(&self, ticket: &[u8; 32], envelope: &QueuedEnvelope) -> Result<bool, StoreError> {
        let Some(slot) = self.keys.by_ref(ticket) else {
            return Ok(false);
        };
        {
            let db = self.db();
            let txn = db.begin_write()?;
            {
                if txn.open_table(TICKETS)?.remove(&slot.id)?.is_none() {
                    return Ok(false);
                }
                delete_thread(&txn, &slot.id)?;
                append_outbox(&txn, &slot.id, None, envelope)?;
            }
            txn.commit()?;
        }
        self.forget(&slot);
        Ok(true)
    }

    /// Up to `limit` ticket refs of tickets idle since before `now - idle_secs`, that is with a last
    /// activity strictly earlier than that cutoff. Pass the same cutoff to [`Store::expire`]. Scans the whole
    /// tickets table, which is meant for a periodic sweeper.
    pub fn expired(
        &self,
        now: i64,
        idle_secs: i64,
        limit: usize,
    ) -> Result<Vec<[u8; 32]>, StoreError> {
        let cutoff = now.saturating_sub(idle_secs);
        let db = self.db();
        let txn = db.begin_read()?;
        let tickets = txn.open_table(TICKETS)?;
        let mut found = Vec::new();
        for item in tickets.iter()? {
            if found.len() >= limit {
                break;
            }
            let (key, value) = item?;
            // A row without a live slot is being deleted right now.
            let Some(slot) = self.keys.by_id(key.value()) else {
                continue;
            };
            if open_state(&slot, value.value())?.last_activity < cutoff {
                found.push(slot.ticket_ref);
            }
        }
        Ok(found)
    }

    /// Deletes an idle ticket like [`Store::burn`] and queues the closed envelope, but only if its last
    /// activity is still earlier than `idle_before`: the visitor may have come back since
    /// [`Store::expired`] listed it. `false` (and nothing written) if it is gone or active again.
    pub fn expire(
        &self,
        ticket: &[u8; 32],
        idle_before: i64,
        envelope: &QueuedEnvelope,
    ) -> Result<bool, StoreError> {
        let Some(slot) = self.keys.by_ref(ticket) else {
            return Ok(false);
        };
        {
            let db = self.db();
            let txn = db.begin_write()?;
            {
                let mut tickets = txn.open_table(TICKETS)?;
                let still_idle = get_ticket(&tickets, &slot)?
                    .is_some_and(|state| state.last_activity < idle_before);
                if !still_idle {
                    return Ok(false);
                }
                tickets.remove(&slot.id)?;
                delete_thread(&txn, &slot.id)?;
                append_outbox(&txn, &slot.id, None, envelope)?;
            }
            txn.commit()?;
        }
        self.forget(&slot);
        Ok(true)
    }

    /// After the commit that deleted a ticket's rows: erases its slot and asks for a compaction.
    fn forget(&self, slot: &TicketSlot) {
        // A failed overwrite is logged and retried at the next compaction and at start; the rows are gone
        // either way, so the visitor's request did succeed.
        self.keys.erase(slot.index);
        self.compaction_due.store(true, Ordering::Relaxed);
    }
}
