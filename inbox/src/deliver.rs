//! Delivering pulled envelopes: open each, keep the reply key, hand it to the webhook, write it to the
//! spool; then, for the whole batch, make the directories durable and write the audit lines
//! ([`Deliverer::commit`]), and only then report the envelopes ready to ack.
//!
//! Every step is safe to repeat, because the gateway hands an envelope out again until it is acked:
//!
//! 1. open with the identity; an envelope that cannot be opened is kept as a file in `<state>/unopened/`
//!    (open it later with `age -d -i`) and logged, and the inbox moves past it. It cannot be acked (an ack
//!    names the id sealed inside), so it stays at the gateway until an identity that opens it is configured;
//! 2. a follow-up or close must carry a proof under the keys this inbox holds for its ticket (see
//!    `porten_protocol::envelope`'s proofs): one for a ticket it holds no keys for, or whose proof does not
//!    hold, could only come from a gateway that lies, and is refused: kept sealed in `<state>/refused/`,
//!    logged, and acked, and nothing of it reaches the webhook or the spool. So is a second first contact for
//!    a ticket already held;
//! 3. if the spool already holds the envelope id, it was delivered before: finish a close that may have
//!    been cut short, and ack;
//! 4. first contact: keep the reply key and the expiry key (atomic write);
//! 5. webhook, if configured (at least once; a refusal stops here and the envelope comes back later);
//! 6. spool file (atomic, fsynced: exactly once);
//! 7. closed: forget the keys;
//! 8. at the end of the batch, [`Deliverer::commit`]: every staged file fsynced and renamed into place, the
//!    directories fsynced, the audit lines appended in one write; the caller acks after that.

use std::path::{Path, PathBuf};

use ring::digest::{digest, SHA256};
use tokio::sync::watch;

use super::audit::{ticket_prefix, AuditEvent, AuditLog};
use super::durable::PendingWrites;
use super::reply_keys::{ReplyKeyError, ReplyKeys, TicketKey};
use super::spool::Spool;
use super::webhook::Webhook;
use super::InboxError;
use crate::desk::{Cases, Incoming};
use crate::open::open_with_any;
use porten_protocol::envelope::{
    ClosedReason, Content, EnvelopeId, EnvelopeKind, InboxKeys, Language, Payload,
};
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
    /// It could not be opened and was kept in the state directory; it stays at the gateway.
    KeptUnopened(PathBuf),
    /// It opened but was refused (see the module description) and was kept sealed in the state directory; it
    /// is acked all the same, so it does not come back.
    Refused {
        /// The file it was kept in.
        file: PathBuf,
        /// Its id, to ack it with.
        envelope_id: EnvelopeId,
    },
}

impl Delivered {
    /// The id to ack it with; `None` for an envelope that could not be opened, which stays at the gateway
    /// until an identity that opens it is configured.
    pub fn ack_id(&self) -> Option<EnvelopeId> {
        match self {
            Delivered::New { envelope_id, .. }
            | Delivered::Again(envelope_id)
            | Delivered::Refused { envelope_id, .. } => Some(*envelope_id),
            Delivered::KeptUnopened(_) => None,
        }
    }
}

/// What the keys held for a ticket say about a follow-up or close.
enum Proven {
    /// A first contact: it carries keys, not a proof.
    NotApplicable,
    /// The proof holds under the ticket's keys.
    Yes,
    /// This inbox holds no keys for the ticket.
    UnknownTicket,
    /// An expiry close for a ticket kept before expiry keys existed.
    NoExpiryKey,
    /// The ticket's key file is damaged, so nothing can be checked against it.
    KeysDamaged,
    /// The proof does not hold.
    No,
}

/// What a batch has written and not yet made durable or logged.
#[derive(Default)]
pub struct Batch {
    writes: PendingWrites,
    events: Vec<AuditEvent>,
    /// Envelopes delivered (now or before) for the desk's cases: each payload with its sealed bytes.
    for_desk: Vec<(Payload, Vec<u8>)>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("writes", &self.writes)
            .field("events", &self.events.len())
            .field("for_desk", &self.for_desk.len())
            .finish()
    }
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
    /// The spool for a case system outside the desk; `None`: the desk alone (which must then be set).
    spool: Option<Spool>,
    keys: ReplyKeys,
    audit: AuditLog,
    webhook: Option<Webhook>,
    unopened: PathBuf,
    refused: PathBuf,
    /// The staff desk's cases, which every delivered envelope is recorded in before it is acked.
    cases: Option<Cases>,
}

impl Deliverer {
    /// Ties the parts together; `state_dir/unopened` and `state_dir/refused` are made when first needed.
    pub fn new(
        identities: Vec<age::x25519::Identity>,
        spool: Option<Spool>,
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
            refused: state_dir.join("refused"),
            cases: None,
        }
    }

    /// Records every delivered envelope in the desk's `cases` as well, in [`Deliverer::commit`].
    pub fn with_desk(mut self, cases: Cases) -> Deliverer {
        self.cases = Some(cases);
        self
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
        let payload = match open_with_any(&sealed, &self.identities) {
            Ok(payload) => payload,
            Err(error) => return self.keep_unopened(&sealed, &error.to_string(), batch),
        };
        let ticket_ref = &payload.ticket_ref;
        let id = payload.envelope_id.to_hex();
        let proven = self.proven(&payload, &batch.writes)?;

        if self.delivered_before(&payload.envelope_id)? {
            // The same id with a proof that does not hold is not the envelope delivered before, but one made
            // to look like it, perhaps to close the ticket. With no keys held there is nothing left to close.
            if matches!(
                proven,
                Proven::No | Proven::NoExpiryKey | Proven::KeysDamaged
            ) {
                return self.refuse(&sealed, &payload, refusal(&proven), batch);
            }
            if payload.kind() == EnvelopeKind::Closed {
                self.keys.forget(ticket_ref, &mut batch.writes)?;
            }
            tracing::info!(envelope_id = %id, "envelope delivered before; acking it again");
            // The desk may not have recorded it (its write failed after the spool's, or it was added since):
            // recording is idempotent, so it is offered again.
            let envelope_id = payload.envelope_id;
            if self.cases.is_some() {
                batch.for_desk.push((payload, sealed));
            }
            return Ok(Delivered::Again(envelope_id));
        }
        if !matches!(proven, Proven::Yes | Proven::NotApplicable) {
            return self.refuse(&sealed, &payload, refusal(&proven), batch);
        }

        if let Content::FirstContact {
            visitor,
            reply_key,
            expiry_key,
            ..
        } = &payload.content
        {
            // A second first contact for a ticket already held can only come from a gateway that lies: taking it
            // would replace the reply key, so staff replies would be sealed to whoever made it and the visitor
            // could no longer read them. Refused, kept sealed for a person to look at, and acked.
            if self
                .keys
                .holds_another(ticket_ref, reply_key, &batch.writes)
            {
                return self.refuse(
                    &sealed,
                    &payload,
                    "a first contact for a ticket this inbox already holds: refused, the ticket's reply key kept",
                    batch,
                );
            }
            self.keys.remember(
                ticket_ref,
                InboxKeys {
                    reply_key,
                    expiry_key,
                },
                visitor.language.as_ref().map(Language::as_str),
                &payload.received_text().map_err(|_| {
                    InboxError::Bug("an opened payload's time could not be written")
                })?,
                &mut batch.writes,
            )?;
        }
        if self.webhook.is_some() || self.spool.is_some() {
            let document = payload
                .case_document()
                .map_err(|_| InboxError::Bug("an opened payload could not be written as JSON"))?;
            if let Some(webhook) = &self.webhook {
                webhook.deliver(&id, &document, stop).await?;
            }
            if let Some(spool) = &self.spool {
                spool
                    .write(&payload.envelope_id, &document, &mut batch.writes)
                    .map_err(|e| InboxError::spool(spool, &payload.envelope_id, e))?;
            }
        }

        let ticket = ticket_prefix(&ticket_ref.to_hex());
        let event = match payload.content {
            Content::Closed { reason, .. } => AuditEvent::Closed {
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
        let delivered = Delivered::New {
            envelope_id: payload.envelope_id,
            kind: payload.kind(),
        };
        if self.cases.is_some() {
            batch.for_desk.push((payload, sealed));
        }
        Ok(delivered)
    }

    /// Whether the envelope was delivered before: its spool file exists, or, without a spool, the desk
    /// recorded it.
    fn delivered_before(&self, id: &EnvelopeId) -> Result<bool, InboxError> {
        match (&self.spool, &self.cases) {
            (Some(spool), _) => spool
                .contains(id)
                .map_err(|e| InboxError::spool(spool, id, e)),
            (None, Some(cases)) => Ok(cases.recorded(id)?),
            (None, None) => Ok(false),
        }
    }

    /// Makes everything the batch wrote durable, records its envelopes in the desk's cases (one
    /// transaction) and appends its audit lines. Ack only after this succeeded: an envelope whose case
    /// could not be written comes back from the gateway, and its spool file makes it a repeat that is
    /// offered to the desk again.
    pub fn commit(&self, batch: &mut Batch) -> Result<(), InboxError> {
        batch.writes.commit().map_err(InboxError::Commit)?;
        // The audit lines first: an envelope whose case cannot be written comes back as a repeat, and a
        // repeat writes no line, so its line must not wait for the desk.
        self.audit.append_all(&batch.events)?;
        batch.events.clear();
        if let Some(cases) = &self.cases {
            let incoming: Vec<Incoming<'_>> = batch
                .for_desk
                .iter()
                .map(|(payload, sealed)| Incoming {
                    payload,
                    sealed: Some(sealed.as_slice()),
                })
                .collect();
            cases.record_delivered(&incoming)?;
            batch.for_desk.clear();
        }
        Ok(())
    }

    /// Checks a follow-up's or a close's proof against the keys held for its ticket.
    fn proven(&self, payload: &Payload, writes: &PendingWrites) -> Result<Proven, InboxError> {
        if payload.kind() == EnvelopeKind::FirstContact {
            return Ok(Proven::NotApplicable);
        }
        let held = match self.keys.held(&payload.ticket_ref, writes) {
            Ok(held) => held,
            // Refused rather than retried: retrying would stop the queue behind it for good.
            Err(ReplyKeyError::Damaged(_)) => return Ok(Proven::KeysDamaged),
            Err(other) => return Err(other.into()),
        };
        let Some(TicketKey {
            reply_key,
            expiry_key,
            ..
        }) = held
        else {
            return Ok(Proven::UnknownTicket);
        };
        let expiry_close = matches!(
            payload.content,
            Content::Closed {
                reason: ClosedReason::Expired,
                ..
            }
        );
        Ok(if payload.proof_holds(&reply_key, expiry_key.as_ref()) {
            Proven::Yes
        } else if expiry_close && expiry_key.is_none() {
            Proven::NoExpiryKey
        } else {
            Proven::No
        })
    }

    /// Keeps an envelope that could not be opened, sealed as it came, and logs it.
    fn keep_unopened(
        &self,
        bytes: &[u8],
        reason: &str,
        batch: &mut Batch,
    ) -> Result<Delivered, InboxError> {
        let Some(path) = self.keep(&self.unopened, bytes, batch)? else {
            return Ok(Delivered::KeptUnopened(
                self.kept_path(&self.unopened, bytes),
            ));
        };
        batch.events.push(AuditEvent::Unopened {
            file: path.display().to_string(),
            reason: reason.to_owned(),
        });
        // Without its id it cannot be acked: it stays at the gateway, and opens there once the identity it
        // was sealed to is added.
        tracing::error!(
            file = %path.display(),
            %reason,
            "an envelope could not be opened; it is kept in this file (try `age -d -i IDENTITY FILE`) and \
             stays at the gateway until an identity that opens it is configured"
        );
        Ok(Delivered::KeptUnopened(path))
    }

    /// Keeps an envelope that opened but is refused, sealed as it came, and logs it: none of it reaches the
    /// webhook or the spool, and no key is kept or forgotten because of it.
    fn refuse(
        &self,
        bytes: &[u8],
        payload: &Payload,
        reason: &str,
        batch: &mut Batch,
    ) -> Result<Delivered, InboxError> {
        let envelope_id = payload.envelope_id;
        let Some(path) = self.keep(&self.refused, bytes, batch)? else {
            return Ok(Delivered::Refused {
                file: self.kept_path(&self.refused, bytes),
                envelope_id,
            });
        };
        let ticket = ticket_prefix(&payload.ticket_ref.to_hex());
        batch.events.push(AuditEvent::Refused {
            file: path.display().to_string(),
            kind: payload.kind(),
            ticket: ticket.clone(),
            reason: reason.to_owned(),
        });
        tracing::error!(
            file = %path.display(),
            kind = ?payload.kind(),
            %ticket,
            %reason,
            "an envelope was refused: the gateway may be compromised; it is kept in this file and acked"
        );
        Ok(Delivered::Refused {
            file: path,
            envelope_id,
        })
    }

    fn kept_path(&self, dir: &Path, bytes: &[u8]) -> PathBuf {
        dir.join(format!("{}.age", hex::encode(digest(&SHA256, bytes))))
    }

    /// Stages `bytes` in `dir` under their SHA-256; `None` if that file exists already (the same envelope,
    /// kept before and handed out again).
    fn keep(
        &self,
        dir: &Path,
        bytes: &[u8],
        batch: &mut Batch,
    ) -> Result<Option<PathBuf>, InboxError> {
        porten_protocol::fsutil::create_private_dir(dir).map_err(|source| InboxError::Dir {
            path: dir.to_owned(),
            source,
        })?;
        let path = self.kept_path(dir, bytes);
        if path.exists() || batch.writes.is_staged(&path) {
            return Ok(None);
        }
        batch
            .writes
            .stage(&path, bytes)
            .map_err(|source| InboxError::Dir {
                path: path.clone(),
                source,
            })?;
        Ok(Some(path))
    }
}

/// The audit log's words for a refused follow-up or close.
fn refusal(proven: &Proven) -> &'static str {
    match proven {
        Proven::UnknownTicket => {
            "a follow-up or close for a ticket this inbox holds no keys for: refused"
        }
        Proven::NoExpiryKey => {
            "an expiry close for a ticket kept before expiry keys existed, so it cannot be proved: refused, \
             the ticket's keys kept (delete its file in reply-keys/ by hand if the ticket did expire)"
        }
        Proven::KeysDamaged => {
            "a follow-up or close for a ticket whose key file is damaged, so its proof cannot be checked: \
             refused"
        }
        Proven::No | Proven::Yes | Proven::NotApplicable => {
            "a follow-up or close whose proof does not hold under the ticket's keys: refused, the ticket's \
             keys kept"
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use porten_protocol::envelope::{seal, Group, Payload, Recipients, VisitorMessage};
    use porten_protocol::wire::OutboxEnvelope;
    use porten_protocol::{EntryId, ExpiryKey, ReplyKey, TicketRef};
    use time::OffsetDateTime;

    use super::*;

    const VISITOR: VisitorMessage<'static> = VisitorMessage {
        message: "hjälp",
        language: Some("sv"),
        urgent: false,
    };

    /// An inbox on a temporary state directory, and the recipients its envelopes are sealed to.
    struct World {
        dir: tempfile::TempDir,
        deliverer: Deliverer,
        recipients: Recipients,
        recipient: String,
        seq: u64,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public().to_string();
        let recipients = Recipients::parse(std::slice::from_ref(&recipient)).unwrap();
        let deliverer = Deliverer::new(
            vec![identity],
            Some(Spool::open(&dir.path().join("spool")).unwrap()),
            ReplyKeys::open(dir.path()).unwrap(),
            AuditLog::new(dir.path().join("audit.log")),
            None,
            dir.path(),
        );
        World {
            dir,
            deliverer,
            recipients,
            recipient,
            seq: 0,
        }
    }

    impl World {
        fn sealed(&mut self, payload: &Payload) -> OutboxEnvelope {
            self.seq += 1;
            OutboxEnvelope::new(self.seq, &seal(payload, &self.recipients).unwrap())
        }

        /// Delivers envelopes as one pulled batch and commits it.
        async fn deliver(&mut self, payloads: &[Payload]) -> Vec<Delivered> {
            let envelopes: Vec<_> = payloads.iter().map(|p| self.sealed(p)).collect();
            self.deliver_sealed(&envelopes).await
        }

        async fn deliver_sealed(&mut self, envelopes: &[OutboxEnvelope]) -> Vec<Delivered> {
            let (_tx, mut stop) = watch::channel(false);
            let mut batch = Batch::new();
            let mut outcomes = Vec::new();
            for envelope in envelopes {
                outcomes.push(
                    self.deliverer
                        .deliver(envelope, &mut stop, &mut batch)
                        .await
                        .unwrap(),
                );
            }
            self.deliverer.commit(&mut batch).unwrap();
            outcomes
        }

        fn keys(&self) -> ReplyKeys {
            ReplyKeys::open(self.dir.path()).unwrap()
        }

        fn held(&self, ticket: &TicketRef) -> Option<TicketKey> {
            self.keys().held(ticket, &PendingWrites::new()).unwrap()
        }

        fn spool_files(&self) -> Vec<String> {
            let mut names: Vec<_> = std::fs::read_dir(self.dir.path().join("spool"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        }

        fn refused_files(&self) -> usize {
            std::fs::read_dir(self.dir.path().join("refused"))
                .map(|entries| entries.count())
                .unwrap_or(0)
        }

        fn audit_events(&self) -> Vec<serde_json::Value> {
            std::fs::read_to_string(self.dir.path().join("audit.log"))
                .unwrap_or_default()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        }
    }

    struct Ticket {
        ticket_ref: TicketRef,
        reply_key: ReplyKey,
        expiry_key: ExpiryKey,
    }

    fn ticket(byte: u8) -> Ticket {
        Ticket {
            ticket_ref: TicketRef::from_bytes([byte; 32]),
            reply_key: ReplyKey::from_bytes([byte.wrapping_add(1); 32]),
            expiry_key: ExpiryKey::from_bytes([byte.wrapping_add(2); 32]),
        }
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn first_contact(ticket: &Ticket, reply_key: &ReplyKey) -> Payload {
        let keys = InboxKeys {
            reply_key,
            expiry_key: &ticket.expiry_key,
        };
        Payload::first_contact(
            &ticket.ticket_ref,
            EntryId::random(),
            Group::Exposed,
            VISITOR,
            keys,
            now(),
        )
        .unwrap()
    }

    fn follow_up(ticket: &Ticket, reply_key: &ReplyKey) -> Payload {
        Payload::follow_up(
            &ticket.ticket_ref,
            EntryId::random(),
            VISITOR,
            reply_key,
            now(),
        )
        .unwrap()
    }

    /// A follow-up whose JSON has no proof at all, sealed straight to the recipients (as a gateway that lies
    /// could); `Payload` itself cannot be made without one.
    fn unproved_follow_up(world: &World, ticket: &Ticket) -> OutboxEnvelope {
        let mut json = serde_json::to_value(follow_up(ticket, &ticket.reply_key)).unwrap();
        json.as_object_mut().unwrap().remove("proof");
        let recipient: age::x25519::Recipient = world.recipient.parse().unwrap();
        let sealed = age::encrypt(&recipient, json.to_string().as_bytes()).unwrap();
        OutboxEnvelope::new(99, &sealed)
    }

    /// Asserts that `outcome` is a refusal, flagged in the audit log with `reason`, kept sealed, and that
    /// neither the spool nor the ticket's keys changed.
    fn assert_refused(
        world: &World,
        outcome: &Delivered,
        reason: &str,
        spool_before: &[String],
        ticket: &Ticket,
    ) {
        let Delivered::Refused { file: path, .. } = outcome else {
            panic!("expected a refusal, got {outcome:?}");
        };
        assert!(path.exists(), "kept sealed for a person to look at");
        assert!(
            outcome.ack_id().is_some(),
            "a refused envelope is acked, so it does not come back"
        );
        assert!(
            std::fs::read(path)
                .unwrap()
                .starts_with(b"age-encryption.org/v1"),
            "kept as the age file it came as"
        );
        assert_eq!(world.spool_files(), spool_before, "the spool is unchanged");
        let last = world.audit_events().pop().expect("an audit line");
        assert_eq!(last["event"], "refused");
        assert_eq!(last["ticket"], &ticket.ticket_ref.to_hex()[..16]);
        assert!(last["reason"].as_str().unwrap().contains(reason), "{last}");
        if let Some(kept) = world.held(&ticket.ticket_ref) {
            assert!(kept.reply_key == ticket.reply_key, "the reply key is kept");
            assert!(kept.expiry_key == Some(ticket.expiry_key.clone()));
        }
    }

    #[tokio::test]
    async fn a_second_first_contact_for_a_held_ticket_is_refused_and_the_reply_key_kept() {
        let mut w = world();
        let t = ticket(5);
        let forged = ReplyKey::from_bytes([0xee; 32]);
        let first = w.deliver(&[first_contact(&t, &t.reply_key)]).await;
        assert!(matches!(first[0], Delivered::New { .. }));
        let spool = w.spool_files();

        let second = w.deliver(&[first_contact(&t, &forged)]).await;
        assert_refused(&w, &second[0], "already holds", &spool, &t);
        assert!(w.held(&t.ticket_ref).unwrap().reply_key == t.reply_key);
    }

    #[tokio::test]
    async fn a_second_first_contact_in_the_same_batch_is_refused_too() {
        let mut w = world();
        let t = ticket(6);
        let forged = ReplyKey::from_bytes([0xee; 32]);
        let outcomes = w
            .deliver(&[first_contact(&t, &t.reply_key), first_contact(&t, &forged)])
            .await;
        assert!(matches!(outcomes[0], Delivered::New { .. }));
        assert!(matches!(outcomes[1], Delivered::Refused { .. }));
        assert!(w.held(&t.ticket_ref).unwrap().reply_key == t.reply_key);
    }

    #[tokio::test]
    async fn a_follow_up_with_a_wrong_proof_is_refused_flagged_and_kept() {
        let mut w = world();
        let t = ticket(7);
        w.deliver(&[first_contact(&t, &t.reply_key)]).await;
        let spool = w.spool_files();
        // Sealed to the right recipient, but proved under a key that is not the ticket's reply key.
        let forged = follow_up(&t, &ReplyKey::from_bytes([0xee; 32]));
        let outcome = w.deliver(&[forged]).await;
        assert_refused(&w, &outcome[0], "proof does not hold", &spool, &t);
    }

    #[tokio::test]
    async fn a_follow_up_without_a_proof_is_refused_flagged_and_kept() {
        let mut w = world();
        let t = ticket(8);
        w.deliver(&[first_contact(&t, &t.reply_key)]).await;
        let spool = w.spool_files();
        let envelope = unproved_follow_up(&w, &t);
        let outcome = w.deliver_sealed(&[envelope]).await;
        // Without a proof the payload is not of this format: kept unopened, flagged, acked, not delivered.
        let Delivered::KeptUnopened(path) = &outcome[0] else {
            panic!("expected it kept, got {outcome:?}");
        };
        assert!(path.exists());
        assert_eq!(w.spool_files(), spool, "the spool is unchanged");
        let last = w.audit_events().pop().unwrap();
        assert_eq!(last["event"], "unopened");
        assert!(
            last["reason"].as_str().unwrap().contains("`proof`"),
            "{last}"
        );
        assert!(w.held(&t.ticket_ref).is_some(), "the keys are kept");
    }

    #[tokio::test]
    async fn a_follow_up_for_a_ticket_the_inbox_does_not_hold_is_refused() {
        let mut w = world();
        let t = ticket(9);
        // The gateway knows the reply key it claims, but this inbox never got the ticket's first contact.
        let outcome = w.deliver(&[follow_up(&t, &t.reply_key)]).await;
        assert_refused(&w, &outcome[0], "holds no keys", &[], &t);
        let closed = Payload::closed_by_visitor(&t.ticket_ref, &t.reply_key, now()).unwrap();
        let outcome = w.deliver(&[closed]).await;
        assert_refused(&w, &outcome[0], "holds no keys", &[], &t);
        assert_eq!(w.refused_files(), 2);
    }

    #[tokio::test]
    async fn a_forged_visitor_close_is_refused_and_the_keys_kept() {
        let mut w = world();
        let t = ticket(10);
        w.deliver(&[first_contact(&t, &t.reply_key)]).await;
        let spool = w.spool_files();
        let forged =
            Payload::closed_by_visitor(&t.ticket_ref, &ReplyKey::from_bytes([0xee; 32]), now())
                .unwrap();
        let outcome = w.deliver(&[forged]).await;
        assert_refused(&w, &outcome[0], "proof does not hold", &spool, &t);
        assert!(w.held(&t.ticket_ref).is_some(), "staff can still answer");
        // Under the expiry key, a visitor's close is no better.
        let mut json =
            serde_json::to_value(Payload::expired(&t.ticket_ref, &t.expiry_key, now()).unwrap())
                .unwrap();
        json["closed_reason"] = "visitor".into();
        let relabelled = Payload::from_json(json.to_string().as_bytes()).unwrap();
        let outcome = w.deliver(&[relabelled]).await;
        assert_refused(&w, &outcome[0], "proof does not hold", &spool, &t);
    }

    #[tokio::test]
    async fn a_forged_expiry_close_is_refused_and_the_keys_kept() {
        let mut w = world();
        let t = ticket(11);
        w.deliver(&[first_contact(&t, &t.reply_key)]).await;
        let spool = w.spool_files();
        for key in [
            ExpiryKey::from_bytes([0xee; 32]),
            ExpiryKey::from_bytes(*t.reply_key.as_bytes()),
        ] {
            let forged = Payload::expired(&t.ticket_ref, &key, now()).unwrap();
            let outcome = w.deliver(&[forged]).await;
            assert_refused(&w, &outcome[0], "proof does not hold", &spool, &t);
        }
        assert!(w.held(&t.ticket_ref).is_some(), "staff can still answer");
    }

    #[tokio::test]
    async fn a_forged_close_reusing_a_delivered_envelope_id_does_not_close_the_ticket() {
        let mut w = world();
        let t = ticket(12);
        let genuine = follow_up(&t, &t.reply_key);
        w.deliver(&[first_contact(&t, &t.reply_key), genuine.clone()])
            .await;
        let spool = w.spool_files();
        let mut forged =
            Payload::expired(&t.ticket_ref, &ExpiryKey::from_bytes([0xee; 32]), now()).unwrap();
        forged.envelope_id = genuine.envelope_id;
        let outcome = w.deliver(&[forged]).await;
        assert_refused(&w, &outcome[0], "proof does not hold", &spool, &t);
        assert!(w.held(&t.ticket_ref).is_some());
    }

    #[tokio::test]
    async fn proved_follow_ups_and_closes_are_delivered_even_in_the_first_contacts_batch() {
        let mut w = world();
        let (a, b) = (ticket(20), ticket(30));
        let outcomes = w
            .deliver(&[
                first_contact(&a, &a.reply_key),
                follow_up(&a, &a.reply_key),
                Payload::closed_by_visitor(&a.ticket_ref, &a.reply_key, now()).unwrap(),
                first_contact(&b, &b.reply_key),
                follow_up(&b, &b.reply_key),
            ])
            .await;
        assert!(
            outcomes.iter().all(|o| matches!(o, Delivered::New { .. })),
            "{outcomes:?}"
        );
        assert!(
            w.held(&a.ticket_ref).is_none(),
            "a's keys forgotten on close"
        );
        let expired = Payload::expired(&b.ticket_ref, &b.expiry_key, now()).unwrap();
        let again = expired.clone();
        let outcome = w.deliver(&[expired]).await;
        assert!(matches!(
            outcome[0],
            Delivered::New {
                kind: EnvelopeKind::Closed,
                ..
            }
        ));
        assert!(
            w.held(&b.ticket_ref).is_none(),
            "b's keys forgotten on expiry"
        );
        assert_eq!(w.spool_files().len(), 6);
        assert_eq!(w.refused_files(), 0);
        // The same close handed out again, after its keys are gone, is acked as delivered before.
        let outcome = w.deliver(&[again]).await;
        assert!(matches!(outcome[0], Delivered::Again(_)));
    }

    #[tokio::test]
    async fn an_expiry_close_for_a_ticket_kept_without_an_expiry_key_is_refused() {
        let mut w = world();
        let t = ticket(40);
        std::fs::write(
            w.dir
                .path()
                .join("reply-keys")
                .join(format!("{}.json", t.ticket_ref.to_hex())),
            format!(
                r#"{{"reply_key":"{}","received":"2025-03-01T14:07:00Z"}}"#,
                t.reply_key.to_base64().as_str()
            ),
        )
        .unwrap();
        let expired = Payload::expired(&t.ticket_ref, &t.expiry_key, now()).unwrap();
        let outcome = w.deliver(&[expired]).await;
        assert!(matches!(outcome[0], Delivered::Refused { .. }));
        let last = w.audit_events().pop().unwrap();
        assert!(last["reason"]
            .as_str()
            .unwrap()
            .contains("before expiry keys"));
        // Its follow-ups still prove themselves under the reply key.
        let outcome = w.deliver(&[follow_up(&t, &t.reply_key)]).await;
        assert!(matches!(outcome[0], Delivered::New { .. }));
    }

    #[tokio::test]
    async fn a_follow_up_for_a_ticket_with_a_damaged_key_file_is_refused_not_retried_forever() {
        let mut w = world();
        let t = ticket(50);
        w.deliver(&[first_contact(&t, &t.reply_key)]).await;
        let file = w
            .dir
            .path()
            .join("reply-keys")
            .join(format!("{}.json", t.ticket_ref.to_hex()));
        std::fs::write(&file, b"not a key file").unwrap();
        let outcome = w.deliver(&[follow_up(&t, &t.reply_key)]).await;
        assert!(
            matches!(outcome[0], Delivered::Refused { .. }),
            "{outcome:?}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), b"not a key file");
    }

    /// An inbox whose deliveries are recorded in a desk on the same state directory.
    fn world_with_desk(desk: &crate::desk::tests::Fixture, with_desk: bool) -> World {
        let dir = desk.dir.path();
        let recipient = desk.identity.to_public().to_string();
        let mut deliverer = Deliverer::new(
            vec![desk.identity.clone()],
            Some(Spool::open(&dir.join("spool")).unwrap()),
            ReplyKeys::open(dir).unwrap(),
            AuditLog::new(dir.join("audit.log")),
            None,
            dir,
        );
        if with_desk {
            deliverer = deliverer.with_desk(desk.desk.cases.clone());
        }
        World {
            dir: tempfile::tempdir().unwrap(),
            deliverer,
            recipients: Recipients::parse(std::slice::from_ref(&recipient)).unwrap(),
            recipient,
            seq: 0,
        }
    }

    #[tokio::test]
    async fn delivered_envelopes_land_in_their_case_with_their_sealed_originals() {
        let desk = crate::desk::tests::fixture();
        let sara = desk.staff("sara");
        let mut w = world_with_desk(&desk, true);
        let t = ticket(0x31);
        let envelopes = [
            w.sealed(&first_contact(&t, &t.reply_key)),
            w.sealed(&follow_up(&t, &t.reply_key)),
        ];
        w.deliver_sealed(&envelopes).await;

        let cases = &desk.desk.cases;
        let key = cases.key_for(&t.ticket_ref);
        let (view, _) = cases.view(sara.id, &key).unwrap();
        assert_eq!(view.entries.len(), 2);
        for (number, envelope) in envelopes.iter().enumerate() {
            let (_, bytes, _) = cases.sealed_original(sara.id, &key, number as u32).unwrap();
            assert_eq!(bytes, envelope.sealed().unwrap(), "entry {number}");
        }
        // Delivered again (the ack was lost): the case is as it was.
        w.deliver_sealed(&envelopes).await;
        assert_eq!(cases.view(sara.id, &key).unwrap().0.entries.len(), 2);
    }

    #[tokio::test]
    async fn an_envelope_the_spool_holds_but_the_desk_missed_is_recorded_when_it_comes_again() {
        let desk = crate::desk::tests::fixture();
        let sara = desk.staff("sara");
        let t = ticket(0x41);
        // Delivered once by an inbox that did not record it in the desk (its write failed, or it ran
        // without a desk), and not acked.
        let mut without = world_with_desk(&desk, false);
        let envelope = without.sealed(&first_contact(&t, &t.reply_key));
        assert!(matches!(
            without
                .deliver_sealed(std::slice::from_ref(&envelope))
                .await[0],
            Delivered::New { .. }
        ));
        let key = desk.desk.cases.key_for(&t.ticket_ref);
        assert!(desk.desk.cases.view(sara.id, &key).is_err());

        let mut with = world_with_desk(&desk, true);
        assert!(matches!(
            with.deliver_sealed(std::slice::from_ref(&envelope)).await[0],
            Delivered::Again(_)
        ));
        let (view, _) = desk.desk.cases.view(sara.id, &key).unwrap();
        assert_eq!(view.entries.len(), 1);
        assert_eq!(view.case.group, Some(Group::Exposed));
    }

    #[tokio::test]
    async fn without_a_spool_the_desk_alone_holds_deliveries_sealed_and_knows_repeats() {
        let desk = crate::desk::tests::fixture();
        let sara = desk.staff("sara");
        let dir = desk.dir.path();
        let mut w = world_with_desk(&desk, true);
        w.deliverer = Deliverer::new(
            vec![desk.identity.clone()],
            None,
            ReplyKeys::open(dir).unwrap(),
            AuditLog::new(dir.join("audit.log")),
            None,
            dir,
        )
        .with_desk(desk.desk.cases.clone());
        let t = ticket(0x51);
        let message = "Mamma har tagit mitt pass";
        let first = Payload::first_contact(
            &t.ticket_ref,
            EntryId::random(),
            Group::Exposed,
            VisitorMessage { message, ..VISITOR },
            InboxKeys {
                reply_key: &t.reply_key,
                expiry_key: &t.expiry_key,
            },
            now(),
        )
        .unwrap();
        let envelopes = [
            w.sealed(&first),
            w.sealed(&follow_up(&t, &t.reply_key)),
            w.sealed(&Payload::closed_by_visitor(&t.ticket_ref, &t.reply_key, now()).unwrap()),
        ];
        let outcomes = w.deliver_sealed(&envelopes).await;
        assert!(outcomes
            .iter()
            .all(|outcome| matches!(outcome, Delivered::New { .. })));
        // Handed out again (a lost ack): each is known as delivered before, and acked again.
        let again = w.deliver_sealed(&envelopes).await;
        assert!(
            again
                .iter()
                .all(|outcome| matches!(outcome, Delivered::Again(_))),
            "{again:?}"
        );
        let key = desk.desk.cases.key_for(&t.ticket_ref);
        let (view, _) = desk.desk.cases.view(sara.id, &key).unwrap();
        assert_eq!(view.entries.len(), 2);
        assert!(view.case.visitor_end.is_some());
        let spooled = std::fs::read_dir(dir.join("spool")).map_or(0, |files| files.count());
        assert_eq!(spooled, 0, "no spool file");
        for (path, bytes) in crate::desk::tests::all_files(dir) {
            assert!(
                !crate::desk::tests::contains(&bytes, message.as_bytes())
                    && !crate::desk::tests::contains(&bytes, VISITOR.message.as_bytes()),
                "{} holds a message in the clear",
                path.display()
            );
        }
    }
}
