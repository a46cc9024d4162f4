//! The outbox as the internal side sees it: read in order, acknowledge (by seq and the envelope id sealed
//! inside), count.

use std::ops::Bound;

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use super::tables::{ENTRIES, OUTBOX};
use subtle::ConstantTimeEq;

use super::{AckOutcome, OutboxItem, Store, StoreError};

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
            let (_, _, _, envelope) = value.value();
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

    /// The internal side has these envelopes, each named by (seq, envelope id): deletes them from the outbox
    /// and marks their entries delivered. Unknown seqs are skipped, so acknowledging twice is harmless. If an
    /// envelope still in the outbox is named with another id than the one sealed in it, nothing at all is
    /// deleted: the acker could not open that envelope, and may not have opened the others either.
    pub fn ack(&self, acks: &[(u64, [u8; 16])]) -> Result<AckOutcome, StoreError> {
        let db = self.db();
        let txn = db.begin_write()?;
        let removed = {
            let mut outbox = txn.open_table(OUTBOX)?;
            let mut entries = txn.open_table(ENTRIES)?;
            let mut removed = 0;
            for &(seq, claimed) in acks {
                let Some((ticket, entry_seq, id)) = outbox.get(seq)?.map(|guard| {
                    let (ticket, entry_seq, id, _) = guard.value();
                    (*ticket, entry_seq, *id)
                }) else {
                    continue;
                };
                // Constant-time, so no timing tells how much of a guessed id was right.
                if !bool::from(id.ct_eq(&claimed)) {
                    // Returning before the commit drops the transaction, which undoes the deletions so far.
                    return Ok(AckOutcome::WrongEnvelopeId);
                }
                outbox.remove(seq)?;
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
        Ok(AckOutcome::Deleted(removed))
    }
}
