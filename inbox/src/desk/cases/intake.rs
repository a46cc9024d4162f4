//! Envelopes into cases: what the delivery path calls once per delivered envelope.
//!
//! A first contact opens a case (status new, in the team that takes its visitor group). A follow-up lands
//! in its case, makes it new for the worker who has it, and makes it our turn. A close records the
//! visitor side's end and from it the date the case's content is erased. Each envelope id is recorded in
//! `case_envelopes` in the same transaction as its effect, so delivering an envelope twice changes
//! nothing. Envelopes may come in an unexpected order (a desk switched on after the first contact was
//! delivered): a follow-up without a case opens one whose group is unknown, and a first contact that
//! arrives later fills it in.

use porten_protocol::envelope::{Content, EnvelopeId, Payload, Visitor};

use super::super::store::{Writer, CASES, CASE_ENTRIES, CASE_ENVELOPES, CASE_ORIGINALS};
use super::{CaseError, CaseKey, CaseRecord, Cases, EntryRecord, SecretText, Status, StoredBody};
use super::{Turn, VisitorEnd};
use crate::audit::TICKET_PREFIX_LEN;

/// What recording an envelope did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// A first contact opened this case (or completed one a follow-up had opened).
    Opened(CaseKey),
    /// A follow-up was added to this case.
    Added(CaseKey),
    /// The visitor's side of this case ended.
    VisitorEnded(CaseKey),
    /// This envelope was recorded before: nothing changed.
    Duplicate,
    /// The case's content was erased already: the envelope was not kept.
    AfterErasure(CaseKey),
    /// A close for a ticket the desk never saw: nothing to record.
    UnknownTicket,
}

/// A delivered envelope: what it said, and the bytes it came in, still sealed to the inbox's identity.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The opened payload.
    pub payload: &'a Payload,
    /// The envelope as the gateway handed it out (age, binary); kept with a visitor's message so a worker
    /// can export it and open it with the `age` tool.
    pub sealed: Option<&'a [u8]>,
}

impl<'a> Incoming<'a> {
    /// A payload recorded without the bytes it came in.
    pub fn without_original(payload: &'a Payload) -> Incoming<'a> {
        Incoming {
            payload,
            sealed: None,
        }
    }
}

impl Cases {
    /// Records one delivered envelope in its case, in one transaction, without its sealed original.
    pub fn record_envelope(&self, payload: &Payload) -> Result<Recorded, CaseError> {
        self.store
            .write(|w| self.record_in(w, Incoming::without_original(payload)))
    }

    /// Records a batch of delivered envelopes in one transaction (one disk sync for all of them), in order,
    /// without their sealed originals.
    pub fn record_envelopes(&self, payloads: &[Payload]) -> Result<Vec<Recorded>, CaseError> {
        self.store.write(|w| {
            payloads
                .iter()
                .map(|payload| self.record_in(w, Incoming::without_original(payload)))
                .collect()
        })
    }

    /// Records a batch of delivered envelopes with their sealed originals in one transaction, in order:
    /// what the delivery path calls before it acks.
    pub fn record_delivered(&self, batch: &[Incoming<'_>]) -> Result<Vec<Recorded>, CaseError> {
        self.store.write(|w| {
            batch
                .iter()
                .map(|incoming| self.record_in(w, *incoming))
                .collect()
        })
    }

    /// Whether the envelope `id` was recorded (and its case not yet erased): how delivery without a spool
    /// recognises an envelope the gateway hands out again.
    pub fn recorded(&self, id: &EnvelopeId) -> Result<bool, CaseError> {
        let marker = self
            .store
            .vault()
            .index_key(CASE_ENVELOPES.name(), id.to_hex().as_bytes());
        Ok(self
            .store
            .read(|r| r.get::<CaseKey32>(CASE_ENVELOPES, &marker))?
            .is_some())
    }

    fn record_in(&self, w: &Writer<'_>, incoming: Incoming<'_>) -> Result<Recorded, CaseError> {
        let payload = incoming.payload;
        let envelope = payload.envelope_id.to_hex();
        let marker = self
            .store
            .vault()
            .index_key(CASE_ENVELOPES.name(), envelope.as_bytes());
        if w.get::<CaseKey32>(CASE_ENVELOPES, &marker)?.is_some() {
            return Ok(Recorded::Duplicate);
        }
        let key = self.key_for(&payload.ticket_ref);
        let received = payload.received.unix_timestamp();
        let existing: Option<CaseRecord> = w.get(CASES, &key.0)?;
        if let Some(case) = &existing {
            if case.erased.is_some() {
                return Ok(Recorded::AfterErasure(key));
            }
        }
        let (mut case, outcome) = match (&payload.content, existing) {
            (Content::Closed { .. }, None) => {
                // Marked all the same, so the same close handed out again is known as a repeat.
                w.put(CASE_ENVELOPES, &marker, &CaseKey32(key.0))?;
                return Ok(Recorded::UnknownTicket);
            }
            (Content::Closed { reason, .. }, Some(mut case)) => {
                case.visitor_end = Some(VisitorEnd {
                    reason: *reason,
                    at: received,
                });
                case.erase_after = Some(received.saturating_add(self.retention_secs));
                case.closing_envelope = Some(envelope.clone());
                (case, Recorded::VisitorEnded(key))
            }
            (Content::FirstContact { group, visitor, .. }, existing) => {
                let mut case = existing.unwrap_or_else(|| new_case(payload, received));
                if case.group.is_none() {
                    case.group = Some(*group);
                }
                if case.team.is_none() {
                    case.team = self.teams.route(*group).cloned();
                }
                add_message(
                    w,
                    key,
                    &mut case,
                    visitor,
                    &envelope,
                    incoming.sealed,
                    received,
                )?;
                (case, Recorded::Opened(key))
            }
            (Content::FollowUp { visitor, .. }, existing) => {
                let mut case = existing.unwrap_or_else(|| new_case(payload, received));
                add_message(
                    w,
                    key,
                    &mut case,
                    visitor,
                    &envelope,
                    incoming.sealed,
                    received,
                )?;
                (case, Recorded::Added(key))
            }
        };
        if case.created > received {
            case.created = received;
        }
        w.put(CASES, &key.0, &case)?;
        w.put(CASE_ENVELOPES, &marker, &CaseKey32(key.0))?;
        Ok(outcome)
    }
}

/// A sealed original as stored: the age file, base64 (rows are JSON before they are sealed again).
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Original {
    sealed: String,
}

impl Original {
    fn new(sealed: &[u8]) -> Original {
        use base64::Engine as _;
        Original {
            sealed: base64::engine::general_purpose::STANDARD.encode(sealed),
        }
    }

    /// The age file's bytes; `None` if the stored text is not base64 (a damaged row).
    pub(super) fn bytes(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(&self.sealed)
            .ok()
    }
}

/// The case key as a marker row's value.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct CaseKey32([u8; 32]);

fn new_case(payload: &Payload, received: i64) -> CaseRecord {
    let mut ticket = payload.ticket_ref.to_hex();
    let ticket_ref = SecretText(ticket.clone());
    ticket.truncate(TICKET_PREFIX_LEN);
    CaseRecord {
        ticket,
        ticket_ref: Some(ticket_ref),
        group: None,
        language: None,
        urgent: false,
        urgency_cleared: Vec::new(),
        status: Status::New,
        assignee: None,
        team: None,
        handlers: Vec::new(),
        created: received,
        last_visitor_message: None,
        last_staff_reply: None,
        turn: Turn::Ours { since: received },
        reminder: None,
        referrals: Vec::new(),
        visitor_end: None,
        closing_envelope: None,
        erase_after: None,
        erased: None,
        entries: 0,
        unsent: 0,
    }
}

/// Appends a visitor's message and what it means: new for its worker, our turn, urgent if they said so.
fn add_message(
    w: &Writer<'_>,
    key: CaseKey,
    case: &mut CaseRecord,
    visitor: &Visitor,
    envelope: &str,
    sealed: Option<&[u8]>,
    received: i64,
) -> Result<(), CaseError> {
    let entry_key = key.entry_key(case.entries);
    let entry = EntryRecord {
        at: received,
        body: StoredBody::Visitor {
            envelope: envelope.to_owned(),
            message: SecretText(visitor.message.expose().clone()),
            urgent: visitor.urgent,
            original: sealed.is_some(),
        },
    };
    w.put(CASE_ENTRIES, &entry_key, &entry)?;
    if let Some(sealed) = sealed {
        w.put(CASE_ORIGINALS, &entry_key, &Original::new(sealed))?;
    }
    case.entries =
        case.entries
            .checked_add(1)
            .ok_or(super::super::store::DeskStoreError::Corrupt(
                "a case has too many entries",
            ))?;
    // Once urgent, a case stays urgent until a worker clears it: a calmer follow-up does not.
    case.urgent |= visitor.urgent;
    if let Some(language) = &visitor.language {
        case.language = Some(language.as_str().to_owned());
    }
    case.last_visitor_message = Some(
        case.last_visitor_message
            .map_or(received, |t| t.max(received)),
    );
    case.status = Status::New;
    // The visitor waits since their first unanswered message, not their latest.
    if let Turn::Visitors { .. } = case.turn {
        case.turn = Turn::Ours { since: received };
    }
    Ok(())
}
