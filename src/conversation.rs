//! What a visitor can do with a ticket — open one, read its thread, write again, delete it — and the sweeper
//! that deletes idle tickets.
//!
//! This is where the domain pieces meet: a ticket code gives keys (`ticket`), messages are sealed for the
//! thread (`thread`) and for the internal side (`envelope`), and each change is one transaction in the store.
//! No HTTP type is seen here. Storage calls block (redb commits with fsync), so they run on tokio's blocking
//! pool.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::outbox::OutboxSignal;
use crate::store::{NewEntry, QueuedEnvelope, Store, StoreError, ThreadRecord};
use crate::ticket::{KdfError, KdfPool, TicketCode, TicketKeys, TicketRef};
use porten_protocol::envelope::{
    self, EnvelopeError, Group, InboxKeys, Payload, Recipients, VisitorMessage,
};
use porten_protocol::thread::{self, AuthorKind, EntryId, EntryPlain, ThreadError};
use porten_protocol::time::minute;

/// Why a visitor's action could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    /// Too many codes are being derived at once; the visitor should try again shortly.
    #[error("key derivation is busy")]
    Busy,
    /// Key derivation failed.
    #[error("key derivation failed: {0}")]
    Kdf(KdfError),
    /// The store refused or failed.
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    /// An envelope could not be sealed.
    #[error("sealing the envelope failed: {0}")]
    Seal(#[from] EnvelopeError),
    /// A thread entry could not be sealed.
    #[error("sealing the thread entry failed: {0}")]
    Thread(#[from] ThreadError),
    /// A new code collided with an existing ticket several times in a row (practically impossible).
    #[error("no free ticket code found")]
    NoFreeCode,
    /// A blocking task did not finish.
    #[error("a storage task failed")]
    Task,
}

impl From<KdfError> for ConversationError {
    fn from(error: KdfError) -> Self {
        match error {
            KdfError::Busy => ConversationError::Busy,
            other => ConversationError::Kdf(other),
        }
    }
}

/// A first contact as the visitor wrote it.
pub struct NewContact {
    /// Who the visitor is.
    pub group: Group,
    /// "I am in danger now".
    pub urgent: bool,
    /// The language the visitor wants replies in.
    pub language: String,
    /// The message.
    pub message: Zeroizing<String>,
}

/// A follow-up as the visitor wrote it on the conversation page.
pub struct FollowUp {
    /// The message.
    pub message: Zeroizing<String>,
    /// "I am in danger now", as on a first contact.
    pub urgent: bool,
}

/// One entry of an opened thread.
pub struct OpenedEntry {
    /// Who wrote it.
    pub author: AuthorKind,
    /// The decrypted entry.
    pub plain: EntryPlain,
    /// Whether the centre has received it (the visitor's entries) — staff entries always are.
    pub delivered: bool,
}

/// A thread opened with the ticket's keys.
pub struct OpenedThread {
    /// When the thread was opened before this time, if ever.
    pub previous_open: Option<i64>,
    /// The entries in order. Entries that fail to open are left out and counted in `unreadable`.
    pub entries: Vec<OpenedEntry>,
    /// Entries that failed to authenticate (moved, altered, or written under another key).
    pub unreadable: usize,
}

/// Tickets, threads and the outbox, as a visitor uses them.
pub struct Conversations {
    store: Arc<Store>,
    outbox_signal: OutboxSignal,
    kdf: KdfPool,
    recipients: Recipients,
    code_length: usize,
    idle_expiry: Duration,
}

/// A visitor's message as a new thread entry, sealed under the ticket's reply key.
fn visitor_entry(
    keys: &TicketKeys,
    text: &str,
    now: OffsetDateTime,
) -> Result<(EntryId, NewEntry), ConversationError> {
    let id = EntryId::random();
    let plain = EntryPlain {
        author_name: None,
        written: minute(now),
        text: text.to_owned(),
    };
    let ciphertext = thread::seal_entry(
        &keys.reply_key,
        &keys.ticket_ref,
        &id,
        AuthorKind::Visitor,
        &plain,
    )?;
    let entry = NewEntry {
        id: *id.as_bytes(),
        author: AuthorKind::Visitor.as_byte(),
        ciphertext,
    };
    Ok((id, entry))
}

impl Conversations {
    /// Ties the pieces together; `outbox_signal` is woken after every commit that may add to the outbox.
    pub fn new(
        store: Arc<Store>,
        outbox_signal: OutboxSignal,
        kdf: KdfPool,
        recipients: Recipients,
        code_length: usize,
        idle_expiry: Duration,
    ) -> Conversations {
        Conversations {
            store,
            outbox_signal,
            kdf,
            recipients,
            code_length,
            idle_expiry,
        }
    }

    /// Runs blocking store work off the async threads. Every write here may add to the outbox, so waiting
    /// pulls are woken afterwards; a spurious wake-up only makes a pull look again.
    async fn blocking<T, E, F>(&self, work: F) -> Result<T, ConversationError>
    where
        F: FnOnce(&Store) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Into<ConversationError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let result = match tokio::task::spawn_blocking(move || work(&store)).await {
            Ok(result) => result.map_err(Into::into),
            Err(_) => Err(ConversationError::Task),
        };
        self.outbox_signal.notify_waiters();
        result
    }

    /// Opens a ticket: makes a code, derives its keys, and commits the ticket, the visitor's first entry and the
    /// sealed envelope in one transaction. The code is returned only once all of it is durable.
    ///
    /// The envelope is sealed inside the store call, once the ticket's key slot exists: it carries the
    /// ticket's expiry key, which comes from the slot's storage key.
    pub async fn open_ticket(
        &self,
        contact: NewContact,
        now: OffsetDateTime,
    ) -> Result<TicketCode, ConversationError> {
        let contact = Arc::new(contact);
        // A collision needs two equal 15-digit codes; three tries make a failure a sign of a broken RNG.
        for _ in 0..3 {
            let code = TicketCode::generate(self.code_length);
            let keys = self.kdf.derive(code.clone()).await?;
            let (entry_id, entry) = visitor_entry(&keys, &contact.message, now)?;
            let ticket = *keys.ticket_ref.as_bytes();
            let at = minute(now);
            let (contact, recipients) = (Arc::clone(&contact), self.recipients.clone());
            let seal = move |expiry_key: &_| -> Result<QueuedEnvelope, ConversationError> {
                let payload = Payload::first_contact(
                    &keys.ticket_ref,
                    entry_id,
                    contact.group,
                    VisitorMessage {
                        message: &contact.message,
                        language: Some(&contact.language),
                        urgent: contact.urgent,
                    },
                    InboxKeys {
                        reply_key: &keys.reply_key,
                        expiry_key,
                    },
                    now,
                )?;
                Ok(QueuedEnvelope {
                    id: *payload.envelope_id.as_bytes(),
                    sealed: envelope::seal(&payload, &recipients)?,
                })
            };
            match self
                .blocking(move |store| store.first_contact(&ticket, at, entry, seal))
                .await
            {
                Ok(_) => return Ok(code),
                Err(ConversationError::Store(StoreError::TicketExists)) => continue,
                Err(other) => return Err(other),
            }
        }
        Err(ConversationError::NoFreeCode)
    }

    /// Seals `payload` for the internal side and keeps its envelope id beside it: an ack must name that id.
    fn seal(&self, payload: &Payload) -> Result<QueuedEnvelope, ConversationError> {
        Ok(QueuedEnvelope {
            id: *payload.envelope_id.as_bytes(),
            sealed: envelope::seal(payload, &self.recipients)?,
        })
    }

    /// Derives a code's keys. The same work is done whether or not a ticket exists for the code.
    pub async fn keys_for(&self, code: TicketCode) -> Result<TicketKeys, ConversationError> {
        Ok(self.kdf.derive(code).await?)
    }

    /// Opens a thread with its keys and records this opening. `None`: no such ticket (never made, deleted,
    /// or expired — deliberately indistinguishable).
    pub async fn open_thread(
        &self,
        keys: &TicketKeys,
        now: OffsetDateTime,
    ) -> Result<Option<OpenedThread>, ConversationError> {
        let ticket = *keys.ticket_ref.as_bytes();
        let at = minute(now);
        let Some(record) = self
            .blocking(move |store| store.open_thread(&ticket, at))
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(self.decrypt(keys, record)))
    }

    /// Opens every entry of a thread record with the ticket's keys.
    fn decrypt(&self, keys: &TicketKeys, record: ThreadRecord) -> OpenedThread {
        let mut entries = Vec::with_capacity(record.entries.len());
        let mut unreadable = 0;
        for stored in record.entries {
            let Some(author) = AuthorKind::from_byte(stored.author) else {
                unreadable += 1;
                continue;
            };
            let id = EntryId::from_bytes(stored.id);
            match thread::open_entry(
                &keys.reply_key,
                &keys.ticket_ref,
                &id,
                author,
                &stored.ciphertext,
            ) {
                Ok(plain) => entries.push(OpenedEntry {
                    author,
                    plain,
                    delivered: stored.delivered,
                }),
                Err(_) => unreadable += 1,
            }
        }
        if unreadable > 0 {
            tracing::warn!(
                unreadable,
                "thread entries failed to authenticate and were left out"
            );
        }
        OpenedThread {
            previous_open: record.previous_open,
            entries,
            unreadable,
        }
    }

    /// Reads a thread again within a visit, without recording an open. `None`: no such ticket.
    pub async fn read_thread(
        &self,
        keys: &TicketKeys,
    ) -> Result<Option<OpenedThread>, ConversationError> {
        let ticket = *keys.ticket_ref.as_bytes();
        let record = self
            .blocking(move |store| store.read_thread(&ticket))
            .await?;
        Ok(record.map(|record| self.decrypt(keys, record)))
    }

    /// Adds a visitor's follow-up to the thread and queues it for the centre, its urgency sealed (and proved)
    /// with it. `false`: the ticket is gone.
    pub async fn follow_up(
        &self,
        keys: &TicketKeys,
        follow_up: FollowUp,
        now: OffsetDateTime,
    ) -> Result<bool, ConversationError> {
        let (entry_id, entry) = visitor_entry(keys, &follow_up.message, now)?;
        let payload = Payload::follow_up(
            &keys.ticket_ref,
            entry_id,
            VisitorMessage {
                message: &follow_up.message,
                language: None,
                urgent: follow_up.urgent,
            },
            &keys.reply_key,
            now,
        )?;
        let sealed = self.seal(&payload)?;
        let ticket = *keys.ticket_ref.as_bytes();
        let at = minute(now);
        match self
            .blocking(move |store| store.follow_up(&ticket, at, entry, &sealed))
            .await
        {
            Ok(_) => Ok(true),
            Err(ConversationError::Store(StoreError::NoSuchTicket)) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// Deletes a ticket and its thread at the visitor's wish and tells the centre. `false`: already gone.
    pub async fn burn(
        &self,
        keys: &TicketKeys,
        now: OffsetDateTime,
    ) -> Result<bool, ConversationError> {
        let payload = Payload::closed_by_visitor(&keys.ticket_ref, &keys.reply_key, now)?;
        let sealed = self.seal(&payload)?;
        let ticket = *keys.ticket_ref.as_bytes();
        self.blocking(move |store| store.burn(&ticket, &sealed))
            .await
    }

    /// Compacts the database if something was deleted since the last time and no call is running; see
    /// [`Store::compact_if_due`].
    pub async fn compact_if_due(&self) -> Result<Option<bool>, ConversationError> {
        self.blocking(|store| store.compact_if_due()).await
    }

    /// Deletes tickets idle past the expiry time, each with a "closed: expired" envelope. Returns how many.
    pub async fn sweep(&self, now: OffsetDateTime) -> Result<usize, ConversationError> {
        let idle = i64::try_from(self.idle_expiry.as_secs()).unwrap_or(i64::MAX);
        let cutoff = minute(now).saturating_sub(idle);
        let mut deleted = 0;
        loop {
            let at = minute(now);
            let batch = self
                .blocking(move |store| store.expired(at, idle, 100))
                .await?;
            if batch.is_empty() {
                return Ok(deleted);
            }
            let batch_len = batch.len();
            for ticket in batch {
                // The sweeper has no code and so no reply key: the close is proved under the expiry key
                // from the ticket's slot instead. A ticket gone since it was listed has none.
                let Some(expiry_key) = self.store.expiry_key(&ticket) else {
                    continue;
                };
                let payload = Payload::expired(&TicketRef::from_bytes(ticket), &expiry_key, now)?;
                let sealed = self.seal(&payload)?;
                if self
                    .blocking(move |store| store.expire(&ticket, cutoff, &sealed))
                    .await?
                {
                    deleted += 1;
                }
            }
            if batch_len < 100 {
                return Ok(deleted);
            }
        }
    }
}
