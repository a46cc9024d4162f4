//! Delivering pulled envelopes: open each, keep the reply key, hand it to the webhook, write it to the
//! spool; then, for the whole batch, make the directories durable and write the audit lines
//! ([`Deliverer::commit`]), and only then report the envelopes ready to ack.
//!
//! Every step is safe to repeat, because the gateway hands an envelope out again until it is acked:
//!
//! 1. open with the identity; an envelope that cannot be opened is kept as a file in `<state>/unopened/`
//!    (open it later with `age -d -i`) and logged, and the inbox moves past it. It cannot be acked (an ack
//!    names the id sealed inside), so it stays at the gateway until an identity that opens it is configured;
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
use super::spool::Spool;
use super::webhook::Webhook;
use super::InboxError;
use crate::open::open_with_any;
use porten_protocol::envelope::{Content, EnvelopeId, EnvelopeKind, Language};
use porten_protocol::wire::OutboxEnvelope;

/// What became of an envelope. The gateway deletes an envelope only for an ack that names the envelope id
/// sealed inside it, so only an envelope that was opened can be acked ([`Delivered::ack_id`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Written to the spool now.
    New {
        /// Its id.
        envelope_id: EnvelopeId,
        /// Its kind.
        kind: EnvelopeKind,
    },
    /// The spool already held it.
    Again(EnvelopeId),
    /// It could not be opened, or was opened and refused, and was kept in the state directory.
    KeptUnopened {
        /// The file it was kept in.
        file: PathBuf,
        /// Its id, if it could be opened: a refused envelope is acked all the same, so it does not come back.
        envelope_id: Option<EnvelopeId>,
    },
}

impl Delivered {
    /// The id to ack it with; `None` for an envelope that could not be opened, which stays at the gateway
    /// until an identity that opens it is configured.
    pub fn ack_id(&self) -> Option<EnvelopeId> {
        match self {
            Delivered::New { envelope_id, .. } | Delivered::Again(envelope_id) => {
                Some(*envelope_id)
            }
            Delivered::KeptUnopened { envelope_id, .. } => *envelope_id,
        }
    }
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
                return self.keep_unopened(
                    envelope.envelope.as_bytes(),
                    &error.to_string(),
                    None,
                    batch,
                )
            }
        };
        let payload = match open_with_any(&sealed, &self.identities) {
            Ok(payload) => payload,
            Err(error) => return self.keep_unopened(&sealed, &error.to_string(), None, batch),
        };
        let ticket_ref = &payload.ticket_ref;
        let id = payload.envelope_id.to_hex();

        if self
            .spool
            .contains(&payload.envelope_id)
            .map_err(|e| InboxError::spool(&self.spool, &payload.envelope_id, e))?
        {
            if payload.kind() == EnvelopeKind::Closed {
                self.keys.forget(ticket_ref, &mut batch.writes)?;
            }
            tracing::info!(envelope_id = %id, "envelope delivered before; acking it again");
            return Ok(Delivered::Again(payload.envelope_id));
        }

        if let Content::FirstContact {
            visitor, reply_key, ..
        } = &payload.content
        {
            // A second first contact for a ticket already held can only come from a gateway that lies: taking it
            // would replace the reply key, so staff replies would be sealed to whoever made it and the visitor
            // could no longer read them. Refused, kept sealed for a person to look at, and acked.
            if self.keys.holds_another(ticket_ref, reply_key) {
                return self.keep_unopened(
                    &sealed,
                    "a first contact for a ticket this inbox already holds: refused, the ticket's reply key kept",
                    Some(payload.envelope_id),
                    batch,
                );
            }
            self.keys.remember(
                ticket_ref,
                reply_key,
                visitor.language.as_ref().map(Language::as_str),
                &payload.received_text().map_err(|_| {
                    InboxError::Bug("an opened payload's time could not be written")
                })?,
                &mut batch.writes,
            )?;
        }
        let document = payload
            .case_document()
            .map_err(|_| InboxError::Bug("an opened payload could not be written as JSON"))?;
        if let Some(webhook) = &self.webhook {
            webhook.deliver(&id, &document, stop).await?;
        }
        self.spool
            .write(&payload.envelope_id, &document, &mut batch.writes)
            .map_err(|e| InboxError::spool(&self.spool, &payload.envelope_id, e))?;

        let ticket = ticket_prefix(&ticket_ref.to_hex());
        let event = match payload.content {
            Content::Closed { reason } => AuditEvent::Closed {
                envelope_id: id.clone(),
                ticket,
                reason,
                reply_key_forgotten: self.keys.forget(ticket_ref, &mut batch.writes)?,
            },
            Content::FirstContact { .. } | Content::FollowUp { .. } => AuditEvent::Delivered {
                envelope_id: id.clone(),
                kind: payload.kind(),
                ticket,
            },
        };
        batch.events.push(event);
        tracing::info!(envelope_id = %id, kind = ?payload.kind(), urgent = payload.urgent(), "envelope delivered");
        Ok(Delivered::New {
            envelope_id: payload.envelope_id,
            kind: payload.kind(),
        })
    }

    /// Makes everything the batch wrote durable and appends its audit lines. Ack only after this succeeded.
    pub fn commit(&self, batch: &mut Batch) -> Result<(), InboxError> {
        batch.writes.commit().map_err(InboxError::Commit)?;
        self.audit.append_all(&batch.events)?;
        batch.events.clear();
        Ok(())
    }

    fn keep_unopened(
        &self,
        bytes: &[u8],
        reason: &str,
        envelope_id: Option<EnvelopeId>,
        batch: &mut Batch,
    ) -> Result<Delivered, InboxError> {
        porten_protocol::fsutil::create_private_dir(&self.unopened).map_err(|source| {
            InboxError::Dir {
                path: self.unopened.clone(),
                source,
            }
        })?;
        let path = self
            .unopened
            .join(format!("{}.age", hex::encode(digest(&SHA256, bytes))));
        if path.exists() {
            return Ok(Delivered::KeptUnopened {
                file: path,
                envelope_id,
            });
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
        if envelope_id.is_some() {
            tracing::error!(
                file = %path.display(),
                %reason,
                "an envelope was refused; it is kept in this file (open it with `age -d -i IDENTITY FILE`) and acked"
            );
        } else {
            // Without its id it cannot be acked: it stays at the gateway, and opens there once the
            // identity it was sealed to is added.
            tracing::error!(
                file = %path.display(),
                %reason,
                "an envelope could not be opened; it is kept in this file (try `age -d -i IDENTITY FILE`) and \
                 stays at the gateway until an identity that opens it is configured"
            );
        }
        Ok(Delivered::KeptUnopened {
            file: path,
            envelope_id,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use porten_protocol::envelope::{seal, Group, Payload, Recipients, VisitorMessage};
    use porten_protocol::wire::OutboxEnvelope;
    use porten_protocol::{EntryId, ReplyKey, TicketRef};
    use time::OffsetDateTime;

    use super::*;

    fn first_contact(
        ticket: &TicketRef,
        key: &ReplyKey,
        recipients: &Recipients,
        seq: u64,
    ) -> OutboxEnvelope {
        let visitor = VisitorMessage {
            message: "hjälp",
            language: Some("sv"),
            urgent: false,
        };
        let payload = Payload::first_contact(
            ticket,
            EntryId::random(),
            Group::Exposed,
            visitor,
            key,
            OffsetDateTime::now_utc(),
        )
        .unwrap();
        OutboxEnvelope::new(seq, &seal(&payload, recipients).unwrap())
    }

    #[tokio::test]
    async fn a_second_first_contact_for_a_held_ticket_is_refused_and_the_reply_key_kept() {
        let dir = tempfile::tempdir().unwrap();
        let identity = age::x25519::Identity::generate();
        let recipients = Recipients::parse(&[identity.to_public().to_string()]).unwrap();
        let keys = ReplyKeys::open(dir.path()).unwrap();
        let deliverer = Deliverer::new(
            vec![identity],
            Spool::open(&dir.path().join("spool")).unwrap(),
            ReplyKeys::open(dir.path()).unwrap(),
            AuditLog::new(dir.path().join("audit.log")),
            None,
            dir.path(),
        );
        let (_tx, mut stop) = watch::channel(false);
        let ticket = TicketRef::from_bytes([5; 32]);
        let honest = ReplyKey::from_bytes([1; 32]);
        let forged = ReplyKey::from_bytes([2; 32]);

        let mut batch = Batch::new();
        let first = deliverer
            .deliver(
                &first_contact(&ticket, &honest, &recipients, 1),
                &mut stop,
                &mut batch,
            )
            .await
            .unwrap();
        assert!(matches!(first, Delivered::New { .. }));
        deliverer.commit(&mut batch).unwrap();

        let mut batch = Batch::new();
        let second = deliverer
            .deliver(
                &first_contact(&ticket, &forged, &recipients, 2),
                &mut stop,
                &mut batch,
            )
            .await
            .unwrap();
        assert!(
            matches!(
                second,
                Delivered::KeptUnopened {
                    envelope_id: Some(_),
                    ..
                }
            ),
            "refused and kept aside"
        );
        deliverer.commit(&mut batch).unwrap();
        let kept = keys.find(&ticket.to_hex()).unwrap();
        assert_eq!(
            kept.reply_key, honest,
            "the ticket's reply key is not replaced"
        );
        let audit = std::fs::read_to_string(dir.path().join("audit.log")).unwrap();
        assert!(audit.contains("already holds"), "flagged in the audit log");
    }
}
