//! Deleting tickets: when the visitor asks (burn) and when they have been idle too long (expiry).
//!
//! Either way the thread goes and a closed envelope is queued in the same transaction, while the ticket's
//! envelopes still in the outbox stay: the centre must still receive what the visitor sent.

use redb::{ReadableDatabase, ReadableTable};

use super::tables::{append_outbox, delete_thread, get_ticket, TICKETS};
use super::{Store, StoreError};

impl Store {
    /// The visitor deleted the conversation: removes the ticket, its entries and its reply ids, and queues
    /// the closed envelope. Envelopes of this ticket still in the outbox stay there: the centre must still
    /// receive them. `false` (and nothing written) if there is no such ticket.
    pub fn burn(&self, ticket: &[u8; 32], envelope: &[u8]) -> Result<bool, StoreError> {
        let txn = self.db.begin_write()?;
        {
            if txn.open_table(TICKETS)?.remove(ticket)?.is_none() {
                return Ok(false);
            }
            delete_thread(&txn, ticket)?;
            append_outbox(&txn, ticket, None, envelope)?;
        }
        txn.commit()?;
        Ok(true)
    }

    /// Up to `limit` tickets idle since before `now - idle_secs`, that is with a last activity strictly
    /// earlier than that cutoff. Pass the same cutoff to [`Store::expire`]. Scans the whole tickets table,
    /// which is meant for a periodic sweeper.
    pub fn expired(
        &self,
        now: i64,
        idle_secs: i64,
        limit: usize,
    ) -> Result<Vec<[u8; 32]>, StoreError> {
        let cutoff = now.saturating_sub(idle_secs);
        let txn = self.db.begin_read()?;
        let tickets = txn.open_table(TICKETS)?;
        let mut found = Vec::new();
        for item in tickets.iter()? {
            if found.len() >= limit {
                break;
            }
            let (key, value) = item?;
            let (_, last_activity, _, _) = value.value();
            if last_activity < cutoff {
                found.push(*key.value());
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
        envelope: &[u8],
    ) -> Result<bool, StoreError> {
        let txn = self.db.begin_write()?;
        {
            let mut tickets = txn.open_table(TICKETS)?;
            let still_idle =
                get_ticket(&tickets, ticket)?.is_some_and(|row| row.last_activity < idle_before);
            if !still_idle {
                return Ok(false);
            }
            tickets.remove(ticket)?;
            delete_thread(&txn, ticket)?;
            append_outbox(&txn, ticket, None, envelope)?;
        }
        txn.commit()?;
        Ok(true)
    }
}
