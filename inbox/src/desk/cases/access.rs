//! Who may see a case and who may hand it on. The rule, in full:
//!
//! - **Who works cases**: staff and team leads; an administrator only if they also belong to a team (then
//!   as staff). An administrator without a team manages accounts and sees no case.
//! - **Seeing and working a case** (reading it, notes, replies, status, referrals, reminders, clearing
//!   urgency, taking it when nobody has it): with `teams_restricted` off, everyone who works cases may, on
//!   every case. With it on, only on the cases of their own teams and the cases assigned to them; a case
//!   without a team (its group is routed to none) is seen by team leads, who route it. Outside that, a case
//!   does not exist for them: the answer is the same as for a key no case has.
//! - **Handing a case on** (assigning it to someone else, taking it from the worker who has it, moving it to
//!   a team): the worker who has it, anyone who may see it while nobody has it, and team leads.
//!
//! The acting account is read again inside each transaction, so a worker removed from a team or disabled
//! loses access at once, even with a login session still open.

use super::super::accounts::{AccountId, AccountRecord, AccountState};
use super::super::names::{Role, TeamName};
use super::super::store::{Rows, ACCOUNTS};
use super::{CaseError, CaseRecord};

/// The acting account as stored now.
pub(super) struct Actor {
    pub(super) id: AccountId,
    role: Role,
    teams: Vec<TeamName>,
}

impl Actor {
    /// Reads `id`'s account; refuses one that is gone or not active.
    pub(super) fn load(rows: &impl Rows, id: AccountId) -> Result<Actor, CaseError> {
        let record: AccountRecord = rows
            .row(ACCOUNTS, id.as_bytes())?
            .ok_or(CaseError::AccountInactive)?;
        if record.state != AccountState::Active {
            return Err(CaseError::AccountInactive);
        }
        Ok(Actor {
            id,
            role: record.role,
            teams: record.teams.clone(),
        })
    }

    /// Staff and leads work cases; an administrator only as a member of a team.
    pub(super) fn works_cases(&self) -> bool {
        self.role != Role::Administrator || !self.teams.is_empty()
    }

    pub(super) fn is_lead(&self) -> bool {
        self.role == Role::TeamLead
    }

    pub(super) fn in_team(&self, team: &TeamName) -> bool {
        self.teams.contains(team)
    }

    /// Whether the case exists for this account at all.
    pub(super) fn may_see(&self, case: &CaseRecord, restricted: bool) -> bool {
        if !self.works_cases() {
            return false;
        }
        if case.assignee == Some(self.id) || !restricted {
            return true;
        }
        match &case.team {
            Some(team) => self.in_team(team),
            None => self.is_lead(),
        }
    }

    /// Whether this account may give the case to someone else or move it (it may already see it).
    pub(super) fn may_hand_on(&self, case: &CaseRecord) -> bool {
        self.is_lead() || case.assignee.is_none() || case.assignee == Some(self.id)
    }
}

/// Checks that `id` can be given cases: an active account that works cases.
pub(super) fn assignable(rows: &impl Rows, id: AccountId) -> Result<(), CaseError> {
    match Actor::load(rows, id) {
        Ok(actor) if actor.works_cases() => Ok(()),
        Ok(_) | Err(CaseError::AccountInactive) => Err(CaseError::NotAssignable),
        Err(other) => Err(other),
    }
}
