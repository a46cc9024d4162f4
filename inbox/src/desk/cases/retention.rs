//! Retention: a case's content is erased a configured time after the visitor's side ended
//! (`desk.retention_days`, 90 by default; the reasons are with the setting).
//!
//! Erasing deletes every entry row (messages, replies, notes) and the messages' sealed originals, the
//! referral notes, the ticket ref and the
//! record of which envelopes went to the case, and closes it. The summary row stays as a tombstone for
//! the audit trail: its dates, status, group, team, who handled it, where it was passed on to, and when
//! its content was erased. redb reuses the freed pages; the values were sealed in any case, so a page not
//! yet overwritten holds nothing readable without the data key.

use super::super::store::{Writer, CASES, CASE_ENTRIES, CASE_ENVELOPES, CASE_ORIGINALS};
use super::facts::{CaseAction, CaseFact, FactBy};
use super::{CaseError, CaseKey, CaseRecord, Cases, EntryRecord, Status, StoredBody};

impl Cases {
    /// Erases the content of every case whose erasure date has passed, in one transaction, and returns
    /// the facts for the audit log.
    pub fn sweep(&self) -> Result<Vec<CaseFact>, CaseError> {
        let now = self.clock.now();
        self.store.write(|w| {
            let mut facts = Vec::new();
            for (key, mut case) in w.rows::<CaseRecord>(CASES)? {
                let due = case.erased.is_none() && case.erase_after.is_some_and(|at| at <= now);
                let Ok(key) = <[u8; 32]>::try_from(key.as_slice()) else {
                    continue;
                };
                if !due {
                    continue;
                }
                let key = CaseKey(key);
                erase(self, w, key, &mut case, now)?;
                w.put(CASES, &key.0, &case)?;
                facts.push(CaseFact {
                    by: FactBy::Retention,
                    case: key,
                    ticket: case.ticket.clone(),
                    action: CaseAction::ContentErased,
                });
            }
            Ok(facts)
        })
    }
}

fn erase(
    cases: &Cases,
    w: &Writer<'_>,
    key: CaseKey,
    case: &mut CaseRecord,
    now: i64,
) -> Result<(), CaseError> {
    let forget = |envelope: &str| {
        let marker = cases
            .store
            .vault()
            .index_key(CASE_ENVELOPES.name(), envelope.as_bytes());
        w.remove(CASE_ENVELOPES, &marker)
    };
    for number in 0..case.entries {
        let entry_key = key.entry_key(number);
        if let Some(entry) = w.get::<EntryRecord>(CASE_ENTRIES, &entry_key)? {
            if let StoredBody::Visitor { envelope, .. } = &entry.body {
                forget(envelope)?;
            }
        }
        w.remove(CASE_ENTRIES, &entry_key)?;
        w.remove(CASE_ORIGINALS, &entry_key)?;
    }
    if let Some(envelope) = case.closing_envelope.take() {
        forget(&envelope)?;
    }
    case.ticket_ref = None;
    case.language = None;
    case.reminder = None;
    for referral in &mut case.referrals {
        referral.note = None;
    }
    case.status = Status::Closed;
    case.erased = Some(now);
    Ok(())
}
