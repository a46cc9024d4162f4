//! What staff do to a case. Each action is one transaction that reads the acting account and the case,
//! checks the rule in `access`, changes the case, and returns the [`CaseFact`] for the audit log.
//!
//! A reply is recorded in two steps around the push that the caller makes: [`Cases::record_reply`] stores
//! it (the intent), then [`Cases::reply_pushed`] or [`Cases::reply_failed`] records the outcome. Only a
//! pushed reply makes it the visitor's turn: a failed push leaves the visitor waiting for us, as they are.

use porten_protocol::secret::Sensitive;
use porten_protocol::thread::EntryId;
use porten_protocol::TicketRef;

use super::super::accounts::{AccountId, AccountRecord};
use super::super::names::{DisplayName, TeamName};
use super::super::store::{DeskStoreError, Writer, ACCOUNTS, CASES, CASE_ENTRIES, CASE_ORIGINALS};
use super::access::{assignable, Actor};
use super::facts::{CaseAction, CaseFact, FactBy};
use super::intake::Original;
use super::{
    check_text, CaseError, CaseKey, CaseRecord, CaseView, Cases, Delivery, EntryRecord,
    ReferralRecord, SecretText, Status, StoredBody, Turn, UrgencyCleared,
};

/// A reply recorded and ready to be pushed.
#[derive(Debug)]
pub struct ReplyIntent {
    /// The reply's id: the entry id it gets in the visitor's thread.
    pub reply_id: EntryId,
    /// The ticket to push it to (its reply key is found by it).
    pub ticket_ref: TicketRef,
    /// The name the visitor sees on it: the author's display name when it was written.
    pub display_name: DisplayName,
    /// The text.
    pub text: Sensitive<String>,
    /// For the audit log, before the push.
    pub fact: CaseFact,
}

impl Cases {
    /// Runs `work` on the case `key` as `actor`, if the case exists for them, and stores the case.
    fn act<T>(
        &self,
        actor: AccountId,
        key: &CaseKey,
        work: impl FnOnce(
            &Writer<'_>,
            &Actor,
            &mut CaseRecord,
            i64,
        ) -> Result<(T, CaseAction), CaseError>,
    ) -> Result<(T, CaseFact), CaseError> {
        let now = self.clock.now();
        self.store.write(|w| {
            let actor = Actor::load(w, actor)?;
            let mut case = w
                .get::<CaseRecord>(CASES, &key.0)?
                .filter(|case| actor.may_see(case, self.restricted))
                .ok_or(CaseError::NotFound)?;
            let (value, action) = work(w, &actor, &mut case, now)?;
            w.put(CASES, &key.0, &case)?;
            let fact = CaseFact {
                by: FactBy::Account(actor.id),
                case: *key,
                ticket: case.ticket.clone(),
                action,
            };
            Ok((value, fact))
        })
    }

    /// [`Cases::act`] for the actions whose only outcome is their fact.
    fn act_only(
        &self,
        actor: AccountId,
        key: &CaseKey,
        work: impl FnOnce(&Writer<'_>, &Actor, &mut CaseRecord, i64) -> Result<CaseAction, CaseError>,
    ) -> Result<CaseFact, CaseError> {
        self.act(actor, key, |w, actor, case, now| {
            Ok(((), work(w, actor, case, now)?))
        })
        .map(|((), fact)| fact)
    }

    /// The case and its conversation, for the case page. Opened by the worker who has it, a new case
    /// becomes open.
    pub fn view(&self, actor: AccountId, key: &CaseKey) -> Result<(CaseView, CaseFact), CaseError> {
        self.act(actor, key, |w, actor, case, _| {
            if case.assignee == Some(actor.id) && case.status == Status::New {
                case.status = Status::Open;
            }
            let mut entries = Vec::with_capacity(case.entries as usize);
            if case.erased.is_none() {
                for number in 0..case.entries {
                    if let Some(entry) =
                        w.get::<EntryRecord>(CASE_ENTRIES, &key.entry_key(number))?
                    {
                        entries.push(entry.entry(number)?);
                    }
                }
            }
            // By the minute, stable: a visitor's message carries only the minute the gateway received it
            // (its seconds are not kept), so within one minute the order the desk learnt of the entries
            // holds, and a reply sent at 12:00:40 stays before a follow-up received "12:00" after it.
            entries.sort_by_key(|entry| entry.at.div_euclid(60));
            let view = CaseView {
                case: case.case(*key),
                entries,
            };
            Ok((view, CaseAction::Viewed))
        })
    }

    /// The case's summary for `actor`'s audit trail page, read without recording a view:
    /// [`CaseError::NotFound`] for a case they may not see, as for a key no case has.
    pub fn summary(&self, actor: AccountId, key: &CaseKey) -> Result<super::Case, CaseError> {
        self.store
            .read(|r| {
                Ok(Actor::load(r, actor).and_then(|actor| {
                    r.get::<CaseRecord>(CASES, &key.0)?
                        .filter(|case| actor.may_see(case, self.restricted))
                        .map(|case| case.case(*key))
                        .ok_or(CaseError::NotFound)
                }))
            })
            .map_err(CaseError::from)?
    }

    /// The key prefixes (as the audit log names cases) of every case `actor` may see: what an account's
    /// audit trail shows them of the case actions in it.
    pub fn visible_prefixes(
        &self,
        actor: AccountId,
    ) -> Result<std::collections::HashSet<String>, CaseError> {
        self.store
            .read(|r| {
                Ok(Actor::load(r, actor).and_then(|actor| {
                    let mut visible = std::collections::HashSet::new();
                    for (key, case) in r.rows::<CaseRecord>(CASES)? {
                        let Ok(key) = <[u8; 32]>::try_from(key.as_slice()).map(CaseKey) else {
                            continue;
                        };
                        if actor.may_see(&case, self.restricted) {
                            visible.insert(key.prefix());
                        }
                    }
                    Ok(visible)
                }))
            })
            .map_err(CaseError::from)?
    }

    /// The sealed original of the visitor's message `number`, for export: its envelope id (hex), the age
    /// file as it came from the gateway, and the fact for the audit log. [`CaseError::NotFound`] when that
    /// entry is not a visitor's message with a kept original.
    pub fn sealed_original(
        &self,
        actor: AccountId,
        key: &CaseKey,
        number: u32,
    ) -> Result<(String, Vec<u8>, CaseFact), CaseError> {
        let ((envelope, bytes), fact) = self.act(actor, key, |w, _, case, _| {
            if case.erased.is_some() {
                return Err(CaseError::Erased);
            }
            let entry_key = key.entry_key(number);
            let Some(EntryRecord {
                body:
                    StoredBody::Visitor {
                        envelope,
                        original: true,
                        ..
                    },
                ..
            }) = w.get::<EntryRecord>(CASE_ENTRIES, &entry_key)?
            else {
                return Err(CaseError::NotFound);
            };
            let bytes = w
                .get::<Original>(CASE_ORIGINALS, &entry_key)?
                .and_then(|original| original.bytes())
                .ok_or(DeskStoreError::Corrupt(
                    "a sealed original is missing or damaged",
                ))?;
            let action = CaseAction::Exported {
                envelope: envelope.clone(),
            };
            Ok(((envelope, bytes), action))
        })?;
        Ok((envelope, bytes, fact))
    }

    /// `actor` takes the case. From a colleague who has it, only a team lead may.
    pub fn take(&self, actor: AccountId, key: &CaseKey) -> Result<CaseFact, CaseError> {
        self.act_only(actor, key, |_, actor, case, _| {
            if !actor.may_hand_on(case) {
                return Err(CaseError::NotAllowed);
            }
            case.assign(actor.id);
            Ok(CaseAction::Took)
        })
    }

    /// Gives the case to the colleague `to`, for whom it becomes new. The conversation stays one: it is
    /// the case that changes hands, not its entries.
    pub fn assign(
        &self,
        actor: AccountId,
        key: &CaseKey,
        to: AccountId,
    ) -> Result<CaseFact, CaseError> {
        self.act_only(actor, key, |w, actor, case, _| {
            if !actor.may_hand_on(case) {
                return Err(CaseError::NotAllowed);
            }
            assignable(w, to)?;
            case.assign(to);
            if to != actor.id && case.status != Status::Closed {
                case.status = Status::New;
            }
            Ok(CaseAction::Assigned { to })
        })
    }

    /// Moves the case to a configured team. The worker who has it keeps it.
    pub fn move_to_team(
        &self,
        actor: AccountId,
        key: &CaseKey,
        team: &TeamName,
    ) -> Result<CaseFact, CaseError> {
        if self.teams.get(team).is_none() {
            return Err(CaseError::UnknownTeam(team.clone()));
        }
        self.act_only(actor, key, |_, actor, case, _| {
            if !actor.may_hand_on(case) {
                return Err(CaseError::NotAllowed);
            }
            case.team = Some(team.clone());
            Ok(CaseAction::MovedToTeam { team: team.clone() })
        })
    }

    /// Sets the status.
    pub fn set_status(
        &self,
        actor: AccountId,
        key: &CaseKey,
        status: Status,
    ) -> Result<CaseFact, CaseError> {
        self.act_only(actor, key, |_, _, case, _| {
            case.status = status;
            Ok(CaseAction::StatusSet { status })
        })
    }

    /// Adds an internal note: kept with the conversation, never sent.
    pub fn add_note(
        &self,
        actor: AccountId,
        key: &CaseKey,
        text: &Sensitive<String>,
    ) -> Result<CaseFact, CaseError> {
        check_text(text.expose())?;
        self.act_only(actor, key, |w, actor, case, now| {
            let body = StoredBody::Note {
                author: actor.id,
                text: SecretText(text.expose().clone()),
            };
            append(w, key, case, now, body)?;
            Ok(CaseAction::NoteAdded)
        })
    }

    /// Stores a reply under the author's current display name, before it is pushed.
    pub fn record_reply(
        &self,
        actor: AccountId,
        key: &CaseKey,
        text: &Sensitive<String>,
    ) -> Result<ReplyIntent, CaseError> {
        self.record_reply_as(actor, key, text, random_entry_id()?)
    }

    /// [`Cases::record_reply`] under a reply id the reply form was given when it was shown, so the same
    /// form sent twice (a double click, a resend from history) records one reply:
    /// [`CaseError::ReplyExists`] the second time.
    pub fn record_reply_as(
        &self,
        actor: AccountId,
        key: &CaseKey,
        text: &Sensitive<String>,
        reply_id: EntryId,
    ) -> Result<ReplyIntent, CaseError> {
        check_text(text.expose())?;
        let wanted = reply_id.to_hex();
        let ((ticket_ref, display_name), fact) = self.act(actor, key, |w, actor, case, now| {
            if case.erased.is_some() {
                return Err(CaseError::Erased);
            }
            for number in 0..case.entries {
                if let Some(EntryRecord {
                    body: StoredBody::Reply { reply_id, .. },
                    ..
                }) = w.get::<EntryRecord>(CASE_ENTRIES, &key.entry_key(number))?
                {
                    if reply_id == wanted {
                        return Err(CaseError::ReplyExists);
                    }
                }
            }
            if case.visitor_end.is_some() {
                return Err(CaseError::VisitorGone);
            }
            let ticket_ref = ticket_ref_of(case)?;
            let author: AccountRecord = w
                .get(ACCOUNTS, actor.id.as_bytes())?
                .ok_or(CaseError::AccountInactive)?;
            let body = StoredBody::Reply {
                reply_id: reply_id.to_hex(),
                author: actor.id,
                display_name: author.display_name.clone(),
                text: SecretText(text.expose().clone()),
                delivery: Delivery::Recorded,
            };
            append(w, key, case, now, body)?;
            case.unsent = case.unsent.saturating_add(1);
            Ok((
                (ticket_ref, author.display_name.clone()),
                CaseAction::ReplyRecorded { reply_id },
            ))
        })?;
        Ok(ReplyIntent {
            reply_id,
            ticket_ref,
            display_name,
            text: Sensitive::new(text.expose().clone()),
            fact,
        })
    }

    /// Every reply recorded and neither pushed nor failed (the inbox stopped between the two), oldest
    /// first, to push again under its own reply id: the gateway stores a reply id once, so a reply that did
    /// reach it is not posted twice.
    pub fn unsent_replies(&self) -> Result<Vec<ReplyIntent>, CaseError> {
        self.store
            .read(|r| {
                let mut unsent = Vec::new();
                for (key, case) in r.rows::<CaseRecord>(CASES)? {
                    if case.unsent == 0 || case.erased.is_some() {
                        continue;
                    }
                    let Ok(key) = <[u8; 32]>::try_from(key.as_slice()).map(CaseKey) else {
                        continue;
                    };
                    let Some(ticket_ref) = case
                        .ticket_ref
                        .as_ref()
                        .and_then(|text| TicketRef::from_lower_hex(&text.0))
                    else {
                        continue;
                    };
                    for number in 0..case.entries {
                        let Some(EntryRecord {
                            at,
                            body:
                                StoredBody::Reply {
                                    reply_id,
                                    author,
                                    display_name,
                                    text,
                                    delivery: Delivery::Recorded,
                                },
                        }) = r.get::<EntryRecord>(CASE_ENTRIES, &key.entry_key(number))?
                        else {
                            continue;
                        };
                        let Some(reply_id) = EntryId::from_hex(&reply_id) else {
                            continue;
                        };
                        unsent.push((
                            at,
                            ReplyIntent {
                                reply_id,
                                ticket_ref: ticket_ref.clone(),
                                display_name,
                                text: text.sensitive(),
                                fact: CaseFact {
                                    by: FactBy::Account(author),
                                    case: key,
                                    ticket: case.ticket.clone(),
                                    action: CaseAction::ReplyRecorded { reply_id },
                                },
                            },
                        ));
                    }
                }
                unsent.sort_by_key(|(at, _)| *at);
                Ok(unsent.into_iter().map(|(_, intent)| intent).collect())
            })
            .map_err(CaseError::from)
    }

    /// A reply whose push failed, recorded again as about to be pushed: the same reply id, text and
    /// display name (the visitor meets the name the reply was written under), by any worker who may act
    /// on the case.
    pub fn retry_reply(
        &self,
        actor: AccountId,
        key: &CaseKey,
        reply_id: EntryId,
    ) -> Result<ReplyIntent, CaseError> {
        let wanted = reply_id.to_hex();
        let ((ticket_ref, display_name, text), fact) = self.act(actor, key, |w, _, case, _| {
            if case.erased.is_some() {
                return Err(CaseError::Erased);
            }
            if case.visitor_end.is_some() {
                return Err(CaseError::VisitorGone);
            }
            let ticket_ref = ticket_ref_of(case)?;
            for number in 0..case.entries {
                let entry_key = key.entry_key(number);
                let Some(mut entry) = w.get::<EntryRecord>(CASE_ENTRIES, &entry_key)? else {
                    continue;
                };
                let StoredBody::Reply {
                    reply_id: stored,
                    display_name,
                    text,
                    delivery,
                    ..
                } = &mut entry.body
                else {
                    continue;
                };
                if *stored != wanted {
                    continue;
                }
                if !matches!(delivery, Delivery::Failed { .. }) {
                    return Err(CaseError::NoSuchReply);
                }
                *delivery = Delivery::Recorded;
                let found = (ticket_ref, display_name.clone(), text.sensitive());
                w.put(CASE_ENTRIES, &entry_key, &entry)?;
                case.unsent = case.unsent.saturating_add(1);
                return Ok((found, CaseAction::ReplyRetried { reply_id }));
            }
            Err(CaseError::NoSuchReply)
        })?;
        Ok(ReplyIntent {
            reply_id,
            ticket_ref,
            display_name,
            text,
            fact,
        })
    }

    /// Records a push's outcome on the case, whoever may see it now: the author may have been disabled,
    /// or the case moved out of their teams, while the reply was on its way, and the outcome is a fact all
    /// the same. The fact names the author.
    fn record_outcome(
        &self,
        author: AccountId,
        key: &CaseKey,
        work: impl FnOnce(&Writer<'_>, &mut CaseRecord, i64) -> Result<CaseAction, CaseError>,
    ) -> Result<CaseFact, CaseError> {
        let now = self.clock.now();
        self.store.write(|w| {
            let mut case = w
                .get::<CaseRecord>(CASES, &key.0)?
                .ok_or(CaseError::NotFound)?;
            let action = work(w, &mut case, now)?;
            w.put(CASES, &key.0, &case)?;
            Ok(CaseFact {
                by: FactBy::Account(author),
                case: *key,
                ticket: case.ticket.clone(),
                action,
            })
        })
    }

    /// Records that the gateway stored the reply: now we wait for the visitor.
    pub fn reply_pushed(
        &self,
        author: AccountId,
        key: &CaseKey,
        reply_id: EntryId,
    ) -> Result<CaseFact, CaseError> {
        self.record_outcome(author, key, |w, case, now| {
            set_delivery(w, key, case, reply_id, Delivery::Pushed { at: now })?;
            case.last_staff_reply = Some(now);
            case.turn = Turn::Visitors { since: now };
            if case.status != Status::Closed {
                case.status = Status::WaitingForVisitor;
            }
            Ok(CaseAction::ReplyPushed { reply_id })
        })
    }

    /// Records that the push failed: the visitor has not got the reply, and still waits for us.
    pub fn reply_failed(
        &self,
        author: AccountId,
        key: &CaseKey,
        reply_id: EntryId,
    ) -> Result<CaseFact, CaseError> {
        self.record_outcome(author, key, |w, case, now| {
            set_delivery(w, key, case, reply_id, Delivery::Failed { at: now })?;
            Ok(CaseAction::ReplyFailed { reply_id })
        })
    }

    /// Records that the case was passed on to a configured partner, with an optional note.
    pub fn refer(
        &self,
        actor: AccountId,
        key: &CaseKey,
        partner: &str,
        note: Option<&Sensitive<String>>,
    ) -> Result<CaseFact, CaseError> {
        let partner = self
            .partners
            .iter()
            .find(|known| known.name == partner)
            .ok_or_else(|| CaseError::UnknownPartner(partner.to_owned()))?
            .name
            .clone();
        if let Some(note) = note {
            check_text(note.expose())?;
        }
        self.act_only(actor, key, |_, actor, case, now| {
            if case.erased.is_some() {
                return Err(CaseError::Erased);
            }
            case.referrals.push(ReferralRecord {
                partner: partner.clone(),
                at: now,
                note: note.map(|note| SecretText(note.expose().clone())),
                by: actor.id,
            });
            Ok(CaseAction::Referred { partner })
        })
    }

    /// Sets (`Some`, Unix seconds) or clears (`None`) the follow-up reminder.
    pub fn set_reminder(
        &self,
        actor: AccountId,
        key: &CaseKey,
        at: Option<i64>,
    ) -> Result<CaseFact, CaseError> {
        self.act_only(actor, key, |_, _, case, _| {
            case.reminder = at;
            let action = match at {
                Some(at) => CaseAction::ReminderSet { at },
                None => CaseAction::ReminderCleared,
            };
            Ok(action)
        })
    }

    /// Clears the case's urgency, recording who did and when.
    pub fn clear_urgency(&self, actor: AccountId, key: &CaseKey) -> Result<CaseFact, CaseError> {
        self.act_only(actor, key, |_, actor, case, now| {
            if case.urgent {
                case.urgent = false;
                case.urgency_cleared.push(UrgencyCleared {
                    by: actor.id,
                    at: now,
                });
            }
            Ok(CaseAction::UrgencyCleared)
        })
    }
}

/// Appends an entry to the case's conversation.
fn append(
    w: &Writer<'_>,
    key: &CaseKey,
    case: &mut CaseRecord,
    at: i64,
    body: StoredBody,
) -> Result<(), CaseError> {
    if case.erased.is_some() {
        return Err(CaseError::Erased);
    }
    w.put(
        CASE_ENTRIES,
        &key.entry_key(case.entries),
        &EntryRecord { at, body },
    )?;
    case.entries = case
        .entries
        .checked_add(1)
        .ok_or(DeskStoreError::Corrupt("a case has too many entries"))?;
    Ok(())
}

/// Sets the delivery state of the reply `reply_id`. Replies are near the end, so the search starts there.
fn set_delivery(
    w: &Writer<'_>,
    key: &CaseKey,
    case: &mut CaseRecord,
    reply_id: EntryId,
    delivery: Delivery,
) -> Result<(), CaseError> {
    if case.erased.is_some() {
        return Err(CaseError::Erased);
    }
    let wanted = reply_id.to_hex();
    for number in (0..case.entries).rev() {
        let entry_key = key.entry_key(number);
        let Some(mut entry) = w.get::<EntryRecord>(CASE_ENTRIES, &entry_key)? else {
            continue;
        };
        if let StoredBody::Reply {
            reply_id: stored,
            delivery: state,
            ..
        } = &mut entry.body
        {
            if *stored == wanted {
                if *state == Delivery::Recorded {
                    case.unsent = case.unsent.saturating_sub(1);
                }
                *state = delivery;
                w.put(CASE_ENTRIES, &entry_key, &entry)?;
                return Ok(());
            }
        }
    }
    Err(CaseError::NoSuchReply)
}

/// The case's full ticket ref, to push a reply to.
fn ticket_ref_of(case: &CaseRecord) -> Result<TicketRef, CaseError> {
    Ok(case
        .ticket_ref
        .as_ref()
        .and_then(|text| TicketRef::from_lower_hex(&text.0))
        .ok_or(DeskStoreError::Corrupt("a case's ticket ref is damaged"))?)
}

/// A fresh reply id, for a reply form.
pub(crate) fn random_entry_id() -> Result<EntryId, CaseError> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| DeskStoreError::Vault(super::super::vault::VaultError::Random))?;
    Ok(EntryId::from_bytes(bytes))
}
