//! Delivering pulled envelopes: open each, keep the reply key, hand it to the webhook, write it to the
//! spool; then, for the whole batch, make the directories durable and write the audit lines
//! ([`Deliverer::commit`]), and only then report the envelopes ready to ack.
//!
//! Every step is safe to repeat, because the gateway hands an envelope out again until it is acked:
//!
//! 1. open with the identity; an envelope that cannot be opened is kept as a file in `<state>/unopened/`
//!    (open it later with `age -d -i`), logged, and acked, so one stray envelope cannot stop the queue;
//! 2. if the spool already holds the envelope id, it was delivered before: finish a close that may have
//!    been cut short, and ack;
//! 3. first contact: keep the reply key (atomic write);
//! 4. webhook, if configured (at least once; a refusal stops here and the envelope comes back later);
//! 5. spool file (atomic, fsynced: exactly once);
//! 6. closed: forget the reply key;
//! 7. at the end of the batch, [`Deliverer::commit`]: every staged file fsynced and renamed into place, the
//!    directories fsynced, the audit lines appended in one write; the caller acks after that.

use std::path::PathBuf;

use ring::digest::{digest, SHA256};
use tokio::sync::watch;

use super::audit::{ticket_prefix, AuditEvent, AuditLog};
use super::durable::PendingWrites;
use super::reply_keys::ReplyKeys;
use super::spool::{case_document, Spool};
use super::webhook::Webhook;
use super::InboxError;
use crate::envelope::{self, ClosedReason, EnvelopeKind, Payload};
use crate::internal_api::wire::OutboxEnvelope;
use crate::ticket::{ReplyKey, TicketRef};

/// What became of an envelope; every outcome may be acked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Written to the spool now.
    New {
        /// Its id.
        envelope_id: String,
        /// Its kind.
        kind: EnvelopeKind,
    },
    /// The spool already held it.
    Again,
    /// It could not be opened and was kept in the state directory.
    KeptUnopened(PathBuf),
}

/// What a batch has written and not yet made durable or logged.
#[derive(Debug, Default)]
pub struct Batch {
    writes: PendingWrites,
    events: Vec<AuditEvent>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }
}

/// Everything delivery writes to.
pub struct Deliverer {
    identities: Vec<age::x25519::Identity>,
    spool: Spool,
    keys: ReplyKeys,
    audit: AuditLog,
    webhook: Option<Webhook>,
    unopened: PathBuf,
}

impl Deliverer {
    /// Ties the parts together; `state_dir/unopened` is made when first needed.
    pub fn new(
        identities: Vec<age::x25519::Identity>,
        spool: Spool,
        keys: ReplyKeys,
        audit: AuditLog,
        webhook: Option<Webhook>,
        state_dir: &std::path::Path,
    ) -> Deliverer {
        Deliverer {
            identities,
            spool,
            keys,
            audit,
            webhook,
            unopened: state_dir.join("unopened"),
        }
    }

    /// Delivers one envelope into `batch`. An error means: not delivered, do not ack, try again later.
    /// Envelopes delivered into a batch may be acked once [`Deliverer::commit`] has succeeded.
    pub async fn deliver(
        &self,
        envelope: &OutboxEnvelope,
        stop: &mut watch::Receiver<bool>,
        batch: &mut Batch,
    ) -> Result<Delivered, InboxError> {
        let sealed = match envelope.sealed() {
            Ok(sealed) => sealed,
            Err(error) => {
                return self.keep_unopened(envelope.envelope.as_bytes(), &error.to_string(), batch)
            }
        };
        let payload = match envelope::open_with_any(&sealed, &self.identities) {
            Ok(payload) => payload,
            Err(error) => return self.keep_unopened(&sealed, &error.to_string(), batch),
        };
        // `open` validated the payload: the ref is 64 hex characters and the id 32.
        let ticket_ref = TicketRef::from_hex(&payload.ticket_ref).ok_or(InboxError::Payload)?;
        let id = payload.envelope_id.clone();

        if self
            .spool
            .contains(&id)
            .map_err(|e| InboxError::spool(&self.spool, &id, e))?
        {
            if payload.kind == EnvelopeKind::Closed {
                self.keys.forget(&ticket_ref, &mut batch.writes)?;
            }
            tracing::info!(envelope_id = %id, "envelope delivered before; acking it again");
            return Ok(Delivered::Again);
        }

        if payload.kind == EnvelopeKind::FirstContact {
            self.remember_reply_key(&payload, &ticket_ref, &mut batch.writes)?;
        }
        if let Some(webhook) = &self.webhook {
            let document =
                case_document(&payload).map_err(|e| InboxError::spool(&self.spool, &id, e))?;
            webhook.deliver(&id, &document, stop).await?;
        }
        self.spool
            .write(&payload, &mut batch.writes)
            .map_err(|e| InboxError::spool(&self.spool, &id, e))?;

        let event = match payload.kind {
            EnvelopeKind::Closed => AuditEvent::Closed {
                envelope_id: id.clone(),
                ticket: ticket_prefix(&payload.ticket_ref),
                reason: payload.closed_reason.unwrap_or(ClosedReason::Visitor),
                reply_key_forgotten: self.keys.forget(&ticket_ref, &mut batch.writes)?,
            },
            kind => AuditEvent::Delivered {
                envelope_id: id.clone(),
                kind,
                ticket: ticket_prefix(&payload.ticket_ref),
            },
        };
        batch.events.push(event);
        tracing::info!(envelope_id = %id, kind = ?payload.kind, urgent = payload.urgent, "envelope delivered");
        Ok(Delivered::New {
            envelope_id: id,
            kind: payload.kind,
        })
    }

    /// Makes everything the batch wrote durable and appends its audit lines. Ack only after this succeeded.
    pub fn commit(&self, batch: &mut Batch) -> Result<(), InboxError> {
        batch.writes.commit().map_err(|source| InboxError::Dir {
            path: PathBuf::from("(spool or state directory)"),
            source,
        })?;
        self.audit.append_all(&batch.events)?;
        batch.events.clear();
        Ok(())
    }

    fn remember_reply_key(
        &self,
        payload: &Payload,
        ticket_ref: &TicketRef,
        writes: &mut PendingWrites,
    ) -> Result<(), InboxError> {
        let key = payload.reply_key.as_deref().and_then(ReplyKey::from_base64);
        match key {
            Some(key) => {
                self.keys.remember(
                    ticket_ref,
                    &key,
                    payload.language.as_deref(),
                    &payload.received,
                    writes,
                )?;
            }
            // The message still matters more than the reply: deliver it, and say why staff cannot answer.
            None => tracing::error!(
                envelope_id = %payload.envelope_id,
                "the first contact's reply key is not in the expected form; staff cannot reply to this ticket"
            ),
        }
        Ok(())
    }

    fn keep_unopened(
        &self,
        bytes: &[u8],
        reason: &str,
        batch: &mut Batch,
    ) -> Result<Delivered, InboxError> {
        crate::fsutil::create_private_dir(&self.unopened).map_err(|source| InboxError::Dir {
            path: self.unopened.clone(),
            source,
        })?;
        let path = self
            .unopened
            .join(format!("{}.age", hex::encode(digest(&SHA256, bytes))));
        if path.exists() {
            return Ok(Delivered::KeptUnopened(path));
        }
        batch
            .writes
            .stage(&path, bytes)
            .map_err(|source| InboxError::Dir {
                path: path.clone(),
                source,
            })?;
        batch.events.push(AuditEvent::Unopened {
            file: path.display().to_string(),
            reason: reason.to_owned(),
        });
        tracing::error!(
            file = %path.display(),
            %reason,
            "an envelope could not be opened; it is kept in this file (try `age -d -i IDENTITY FILE`) and acked"
        );
        Ok(Delivered::KeptUnopened(path))
    }
}
