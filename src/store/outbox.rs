//! The outbox as the internal side sees it: read in order, acknowledge, count.

use std::ops::Bound;

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use super::tables::{ENTRIES, OUTBOX};
use super::{OutboxItem, Store, StoreError};

impl Store {
    /// Up to `limit` outbox items with a seq greater than `after`, in seq order (`after = 0` starts at the
    /// beginning).
    pub fn outbox_after(&self, after: u64, limit: usize) -> Result<Vec<OutboxItem>, StoreError> {
        let db = self.db();
        let txn = db.begin_read()?;
        let outbox = txn.open_table(OUTBOX)?;
        let mut items = Vec::new();
        for item in outbox
            .range((Bound::Excluded(after), Bound::Unbounded))?
            .take(limit)
        {
            let (key, value) = item?;
            let (_, _, envelope) = value.value();
            items.push(OutboxItem {
                seq: key.value(),
                envelope: envelope.to_vec(),
            });
        }
        Ok(items)
    }

    /// How many envelopes wait for the internal side.
    pub fn outbox_pending(&self) -> Result<u64, StoreError> {
        let db = self.db();
        let txn = db.begin_read()?;
        Ok(txn.open_table(OUTBOX)?.len()?)
    }

    /// The internal side has these envelopes: deletes them from the outbox and marks their entries
    /// delivered. Unknown seqs are skipped, so acknowledging twice is harmless. Returns how many items were
    /// removed.
    pub fn ack(&self, seqs: &[u64]) -> Result<usize, StoreError> {
        let db = self.db();
        let txn = db.begin_write()?;
        let removed = {
            let mut outbox = txn.open_table(OUTBOX)?;
            let mut entries = txn.open_table(ENTRIES)?;
            let mut removed = 0;
            for &seq in seqs {
                let Some((ticket, entry_seq)) = outbox.remove(seq)?.map(|guard| {
                    let (ticket, entry_seq, _) = guard.value();
                    (*ticket, entry_seq)
                }) else {
                    continue;
                };
                removed += 1;
                let Some(entry_seq) = entry_seq else {
                    continue;
                };
                // The entry may be gone (burned or expired before the ack); only the entry this envelope
                // carried is marked.
                let found = entries.get((&ticket, entry_seq))?.and_then(|guard| {
                    let (id, author, _, outbox_seq, stored) = guard.value();
                    (outbox_seq == Some(seq)).then(|| (*id, author, stored.to_vec()))
                });
                // The sealed entry is copied as it is: marking it delivered needs no key.
                if let Some((id, author, stored)) = found {
                    entries.insert(
                        (&ticket, entry_seq),
                        (&id, author, true, None, stored.as_slice()),
                    )?;
                }
            }
            removed
        };
        txn.commit()?;
        if removed > 0 {
            // The envelopes are sealed to the internal side, but a compaction still gives their space back.
            self.compaction_due
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(removed)
    }
}
