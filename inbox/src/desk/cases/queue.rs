//! The queue: the cases an account may see, in one of six views, with the counts the navigation shows.
//!
//! It reads the summary rows only (one read transaction over the `cases` table), never a conversation,
//! so its cost grows with the number of cases and not of messages. Every view is in the same order:
//! urgent first, then the visitors who have waited longest for us, then the rest by their last activity.

use std::cmp::Reverse;

use super::super::accounts::AccountId;
use super::super::store::CASES;
use super::access::Actor;
use super::{Case, CaseError, CaseKey, CaseRecord, Cases, Status, Turn};

/// A view of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Open cases assigned to me.
    Mine,
    /// Open cases of my teams.
    MyTeams,
    /// Open cases nobody has.
    Unassigned,
    /// Open urgent cases.
    Urgent,
    /// Open cases where the visitor waits for us.
    WaitingForUs,
    /// Closed cases.
    Closed,
}

/// Counts for the navigation and the page title, over every open case the account may see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cases with a message their worker has not opened (or that nobody has taken).
    pub new: usize,
    /// Urgent cases.
    pub urgent: usize,
    /// New cases assigned to the account.
    pub mine_new: usize,
}

/// One view of the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// The cases in the view, in order.
    pub cases: Vec<Case>,
    /// The counts over all the account's open cases.
    pub counts: Counts,
}

impl Cases {
    /// The cases of `view` that `actor` may see, urgent first, then longest waiting.
    pub fn queue(&self, actor: AccountId, view: View) -> Result<Queue, CaseError> {
        let (actor, rows) = self.store.read(|r| {
            let actor = Actor::load(r, actor);
            Ok((actor, r.rows::<CaseRecord>(CASES)?))
        })?;
        let actor = actor?;
        let mut counts = Counts::default();
        let mut cases = Vec::new();
        for (key, record) in rows {
            let Ok(key) = <[u8; 32]>::try_from(key.as_slice()) else {
                continue;
            };
            if !actor.may_see(&record, self.restricted) {
                continue;
            }
            let open = record.status != Status::Closed;
            if open && record.status == Status::New {
                counts.new += 1;
                if record.assignee == Some(actor.id) {
                    counts.mine_new += 1;
                }
            }
            if open && record.urgent {
                counts.urgent += 1;
            }
            let wanted = match view {
                View::Mine => open && record.assignee == Some(actor.id),
                View::MyTeams => open && record.team.as_ref().is_some_and(|t| actor.in_team(t)),
                View::Unassigned => open && record.assignee.is_none(),
                View::Urgent => open && record.urgent,
                View::WaitingForUs => {
                    open && record.visitor_end.is_none() && matches!(record.turn, Turn::Ours { .. })
                }
                View::Closed => !open,
            };
            if wanted {
                cases.push(record.into_case(CaseKey(key)));
            }
        }
        // Every key is different (the case key comes last), so an unstable sort gives the same order.
        cases.sort_unstable_by_key(order);
        Ok(Queue { cases, counts })
    }
}

/// Urgent first; then those waiting for us, longest first; then by last activity, oldest first.
fn order(case: &Case) -> (Reverse<bool>, Reverse<bool>, i64, CaseKey) {
    let waiting = case.waiting_since();
    let activity = [case.last_visitor_message, case.last_staff_reply]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(case.created);
    (
        Reverse(case.urgent),
        Reverse(waiting.is_some()),
        waiting.unwrap_or(activity),
        case.key,
    )
}
