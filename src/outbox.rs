//! The outbox as the internal side uses it: pull sealed envelopes, ack them (by the envelope ids sealed inside,
//! which a pull never hands out), store a staff reply, count.
//!
//! This is the only way the internal API reaches storage. Visitors add to the outbox through
//! [`Conversations`](crate::conversation::Conversations), which wakes waiting pulls after every commit through
//! the shared [`OutboxSignal`]; the internal side takes envelopes out here. Nothing here sees an HTTP type or
//! can read what it hands out: envelopes are sealed to the internal side, replies to the visitor.
//! Storage calls block (redb commits with fsync), so they run on tokio's blocking pool.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use crate::store::{AckOutcome, Counts, NewEntry, OutboxItem, ReplyOutcome, Store, StoreError};
use porten_protocol::envelope::EnvelopeId;
use porten_protocol::thread::{AuthorKind, EntryId};
use porten_protocol::TicketRef;

/// Woken (`notify_waiters`) after every commit that may add to the outbox, so long-polls answer at once.
pub type OutboxSignal = Arc<Notify>;

/// Why an outbox operation failed. Store errors carry no secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutboxError {
    /// The store refused or failed.
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    /// The blocking task that ran the store call panicked or was cancelled.
    #[error("a storage task did not finish")]
    Task,
}

/// How much one pull may return.
#[derive(Debug, Clone, Copy)]
pub struct PullLimits {
    /// Envelopes at most.
    pub max_envelopes: usize,
    /// Sealed bytes at most; a single envelope larger than this is still returned alone.
    pub max_bytes: usize,
    /// How long to wait for the first envelope.
    pub wait: Duration,
}

/// The answer to a pull.
#[derive(Debug)]
pub struct Pulled {
    /// Sealed envelopes in outbox order, possibly none (the wait ran out, or the gateway is stopping).
    pub envelopes: Vec<OutboxItem>,
    /// True when a limit cut the batch short: more envelopes are waiting.
    pub more: bool,
}

/// A staff reply as the internal side pushed it: already sealed under the ticket's reply key.
#[derive(Debug)]
pub struct StaffReply {
    /// The reply id, which is also its thread entry id: a repeated push stores nothing.
    pub id: EntryId,
    /// The ticket it answers.
    pub ticket_ref: TicketRef,
    /// The sealed thread entry.
    pub ciphertext: Vec<u8>,
}

/// The outbox and the replies coming back, over the shared store.
pub struct Outbox {
    store: Arc<Store>,
    signal: OutboxSignal,
}

impl Outbox {
    /// The outbox in `store`, woken by `signal`.
    pub fn new(store: Arc<Store>, signal: OutboxSignal) -> Outbox {
        Outbox { store, signal }
    }

    /// Envelopes after `after`, waiting up to `limits.wait` for the first one. Returns at once, with what
    /// there is, when `stop` turns true or its sender goes away.
    pub async fn pull(
        &self,
        after: u64,
        limits: PullLimits,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<Pulled, OutboxError> {
        let deadline = tokio::time::Instant::now() + limits.wait;
        let max = limits.max_envelopes;
        let items = loop {
            // Registered before the store is read, so a commit between the read and the wait still wakes us.
            let notified = self.signal.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let items = self
                .blocking(move |store| store.outbox_after(after, max))
                .await?;
            let stopping = *stop.borrow();
            if !items.is_empty() || stopping || tokio::time::Instant::now() >= deadline {
                break items;
            }
            tokio::select! {
                _ = &mut notified => {}
                _ = tokio::time::sleep_until(deadline) => {}
                // A closed channel means the gateway is going away as well.
                _ = stop.changed() => {}
            }
        };
        Ok(cut_to_bytes(items, max, limits.max_bytes))
    }

    /// Deletes delivered envelopes, each named by its seq and the envelope id sealed inside it; unknown or
    /// already deleted seqs are ignored. One wrong id and nothing is deleted.
    pub async fn ack(&self, acks: Vec<(u64, EnvelopeId)>) -> Result<AckOutcome, OutboxError> {
        let acks: Vec<(u64, [u8; 16])> = acks
            .into_iter()
            .map(|(seq, id)| (seq, *id.as_bytes()))
            .collect();
        self.blocking(move |store| store.ack(&acks)).await
    }

    /// Stores a staff reply at the end of its ticket's thread, once per reply id.
    pub async fn store_reply(
        &self,
        reply: StaffReply,
        now: time::OffsetDateTime,
    ) -> Result<ReplyOutcome, OutboxError> {
        let at = porten_protocol::time::minute(now);
        let ticket = *reply.ticket_ref.as_bytes();
        let entry = NewEntry {
            id: *reply.id.as_bytes(),
            author: AuthorKind::Staff.as_byte(),
            ciphertext: reply.ciphertext,
        };
        self.blocking(move |store| store.add_reply(&ticket, at, entry))
            .await
    }

    /// How many tickets, entries and waiting envelopes there are: counts only, never per ticket.
    pub async fn counts(&self) -> Result<Counts, OutboxError> {
        self.blocking(|store| store.counts()).await
    }

    async fn blocking<T, F>(&self, work: F) -> Result<T, OutboxError>
    where
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || work(&store)).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(OutboxError::Task),
        }
    }
}

/// Keeps envelopes in order while they fit in `max_bytes` (the first always does). `more` is set when
/// anything was left out, or when the store returned a full batch of `max_envelopes`.
fn cut_to_bytes(items: Vec<OutboxItem>, max_envelopes: usize, max_bytes: usize) -> Pulled {
    let mut more = items.len() >= max_envelopes;
    let mut envelopes = Vec::with_capacity(items.len());
    let mut bytes = 0usize;
    for item in items {
        if !envelopes.is_empty() && bytes.saturating_add(item.envelope.len()) > max_bytes {
            more = true;
            break;
        }
        bytes = bytes.saturating_add(item.envelope.len());
        envelopes.push(item);
    }
    Pulled { envelopes, more }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(sizes: &[usize]) -> Vec<OutboxItem> {
        sizes
            .iter()
            .enumerate()
            .map(|(seq, &size)| OutboxItem {
                seq: seq as u64 + 1,
                envelope: vec![0; size],
            })
            .collect()
    }

    #[test]
    fn a_batch_stops_before_the_envelope_that_would_pass_the_byte_limit() {
        let pulled = cut_to_bytes(items(&[40, 40, 40]), 10, 100);
        assert_eq!(pulled.envelopes.len(), 2);
        assert!(pulled.more, "the third is still waiting");
    }

    #[test]
    fn one_envelope_over_the_byte_limit_is_still_handed_out_alone() {
        let pulled = cut_to_bytes(items(&[500, 1]), 10, 100);
        assert_eq!(pulled.envelopes.len(), 1);
        assert!(pulled.more);
    }

    #[test]
    fn a_full_batch_says_more_may_be_waiting() {
        assert!(cut_to_bytes(items(&[1, 1]), 2, 100).more);
        assert!(!cut_to_bytes(items(&[1, 1]), 3, 100).more);
    }
}
