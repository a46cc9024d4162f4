//! The mix: which cases there are, when they came, how long their conversations run, and where each ends
//! up, as a plan of steps per case (visitor messages, staff acts, the visitor side's end) with their times.
//! Deterministic for a seed, so every run fills the same desk.

use porten_inbox::AccountId;
use porten_protocol::envelope::{ClosedReason, Group};
use porten_protocol::TicketRef;

use super::staff::Staff;
use super::{Args, Failure};

/// A day in seconds.
pub(crate) const DAY: i64 = 24 * 3600;
/// How far back the first contacts go.
pub(crate) const YEAR: i64 = 365 * DAY;
/// Long conversations, as shares of all visitor messages (per mille).
const LONG_PER_MILLE: [u64; 10] = [10, 5, 5, 3, 3, 2, 2, 2, 2, 2];
/// The most visitor messages an ordinary case gets.
const MAX_ORDINARY: u32 = 40;

/// The reply languages visitors ask for, as often as they come up here.
const LANGUAGES: [&str; 20] = [
    "sv", "sv", "sv", "sv", "sv", "sv", "ar", "ar", "ar", "ar", "fa", "fa", "prs", "so", "so",
    "ti", "ckb", "kmr", "tr", "en",
];

/// A small deterministic generator (SplitMix64), so that a seed gives the same mix every time.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Where a case ends up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Nobody has taken it.
    Unassigned,
    /// Done.
    Closed,
    /// We replied; the visitor's turn.
    WaitingForVisitor,
    /// The visitor wrote after our reply; the worker has opened it.
    OursOpened,
    /// The visitor wrote after our reply; not opened yet.
    OursNew,
    /// Our last reply's push failed.
    PushFailed,
}

/// One thing that happens to a case, in order.
pub(crate) enum Step {
    /// A visitor's message (the first one is the first contact).
    Visitor { urgent: bool },
    /// The visitor's side ends.
    End(ClosedReason),
    /// A staff member acts.
    Act(Act),
}

pub(crate) enum Act {
    Take(AccountId),
    Assign { lead: AccountId, to: AccountId },
    Move { lead: AccountId, team: usize },
    View(AccountId),
    Note(AccountId),
    Reply { by: AccountId, pushed: bool },
    ClearUrgency(AccountId),
    Refer(AccountId),
    Remind(AccountId),
    Close(AccountId),
}

/// A case to make: its ticket, first contact, and every step with its time.
pub(crate) struct Plan {
    pub(crate) ticket: TicketRef,
    pub(crate) group: Group,
    pub(crate) language: &'static str,
    pub(crate) fate: Fate,
    pub(crate) messages: u32,
    pub(crate) worker: Option<AccountId>,
    pub(crate) steps: Vec<(i64, Step)>,
}

pub(crate) fn plan(
    args: &Args,
    staff: &Staff,
    rng: &mut Rng,
    end: i64,
) -> Result<Vec<Plan>, Failure> {
    let counts = message_counts(args, rng);
    let spacing = YEAR / args.cases as i64;
    let mut plans = Vec::with_capacity(args.cases);
    for (index, &messages) in counts.iter().enumerate() {
        // Long conversations (the first counts) are spread over the oldest fifth, so they run all year.
        let created = if index < LONG_PER_MILLE.len() {
            end - YEAR + (index as i64) * YEAR / 50
        } else {
            end - YEAR + index as i64 * spacing
        };
        plans.push(plan_case(staff, rng, created, end, messages)?);
    }
    Ok(plans)
}

/// Visitor messages per case: the long conversations first, then the rest, adding up to the total.
fn message_counts(args: &Args, rng: &mut Rng) -> Vec<u32> {
    let long: Vec<u32> = LONG_PER_MILLE
        .iter()
        .map(|per_mille| (args.messages * per_mille / 1000).max(2) as u32)
        .collect();
    let mut counts = long.clone();
    while counts.len() < args.cases {
        let tier = rng.between(0, 99);
        let count = match tier {
            0..=24 => rng.between(1, 2),
            25..=59 => rng.between(3, 8),
            60..=84 => rng.between(9, 20),
            _ => rng.between(21, MAX_ORDINARY.into()),
        };
        counts.push(count as u32);
    }
    let target = args.messages;
    let ordinary = long.len()..counts.len();
    let mut total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    while total != target {
        let at = rng.between(ordinary.start as u64, ordinary.end as u64 - 1) as usize;
        if total > target && counts[at] > 1 {
            counts[at] -= 1;
            total -= 1;
        } else if total < target && counts[at] < MAX_ORDINARY {
            counts[at] += 1;
            total += 1;
        }
    }
    counts
}

fn plan_case(
    staff: &Staff,
    rng: &mut Rng,
    created: i64,
    end: i64,
    messages: u32,
) -> Result<Plan, Failure> {
    let age = end - created;
    let group = match rng.between(0, 99) {
        0..=44 => Group::Exposed,
        45..=64 => Group::Relative,
        65..=79 => Group::UsedViolence,
        80..=91 => Group::Professional,
        _ => Group::Other,
    };
    let long = messages > MAX_ORDINARY;
    let fate = if long {
        Fate::WaitingForVisitor
    } else {
        fate_by_age(age, rng)
    };
    let shape = Shape {
        fate,
        urgent: rng.chance(0.04),
        long,
        routed: staff.routes[group_index(group)],
        messages,
    };
    let mut ticket = [0u8; 32];
    porten_protocol::fill_random(&mut ticket);
    let ticket = TicketRef::from_bytes(ticket);
    let (mut steps, worker) = conversation(&shape, staff, rng);
    wind_up(&shape, worker, rng, &mut steps);

    // Times: the first contact at `created`, the rest spread over the case's span, never after `end`.
    let span = match fate {
        _ if long => age,
        Fate::Unassigned => age.min(rng.between(600, 2 * DAY as u64) as i64),
        Fate::Closed => age.min(rng.between(DAY as u64, 45 * DAY as u64) as i64),
        _ => age * rng.between(50, 100) as i64 / 100,
    };
    let count = steps.len().max(2) as i64 - 1;
    let steps = steps
        .into_iter()
        .enumerate()
        .map(|(n, step)| (created + span * n as i64 / count, step))
        .collect();
    Ok(Plan {
        ticket,
        group,
        language: rng.pick(&LANGUAGES),
        fate,
        messages,
        worker,
        steps,
    })
}

/// What decides a case's steps.
struct Shape {
    fate: Fate,
    /// The first contact says "in danger now".
    urgent: bool,
    /// One of the long conversations.
    long: bool,
    /// The team its group goes to; `None`: no team takes it, the first team's lead routes it.
    routed: Option<usize>,
    messages: u32,
}

/// The conversation: the visitor's bursts of messages, each opened and answered by the worker who has the
/// case (the last one as its fate says); and who has it at the end.
fn conversation(shape: &Shape, staff: &Staff, rng: &mut Rng) -> (Vec<Step>, Option<AccountId>) {
    let mut steps: Vec<Step> = Vec::new();
    let mut worker = None;
    let bursts = bursts(shape.messages, if shape.long { 5 } else { 3 }, rng);
    let team = shape.routed.unwrap_or(0);
    for (round, &burst) in bursts.iter().enumerate() {
        for n in 0..burst {
            let urgent = if round == 0 && n == 0 {
                shape.urgent
            } else {
                rng.chance(0.01)
            };
            steps.push(Step::Visitor { urgent });
        }
        if shape.fate == Fate::Unassigned {
            continue;
        }
        let last = round + 1 == bursts.len();
        if round == 0 {
            worker = Some(first_hands(shape.routed, staff, rng, &mut steps));
        } else if rng.chance(0.02) {
            // Handed on to a colleague by the team's lead.
            let to = staff.worker(team, rng);
            steps.push(Step::Act(Act::Assign {
                lead: staff.lead(team),
                to,
            }));
            worker = Some(to);
        }
        let Some(who) = worker else { continue };
        if last {
            match shape.fate {
                Fate::OursNew => continue,
                Fate::OursOpened => {
                    steps.push(Step::Act(Act::View(who)));
                    if rng.chance(0.3) {
                        steps.push(Step::Act(Act::Note(who)));
                    }
                    continue;
                }
                Fate::PushFailed => {
                    steps.push(Step::Act(Act::View(who)));
                    steps.push(Step::Act(Act::Reply {
                        by: who,
                        pushed: false,
                    }));
                    continue;
                }
                _ => {}
            }
        }
        if round == 0 || last || rng.chance(0.5) {
            steps.push(Step::Act(Act::View(who)));
        }
        if rng.chance(0.25) {
            steps.push(Step::Act(Act::Note(who)));
        }
        steps.push(Step::Act(Act::Reply {
            by: who,
            pushed: true,
        }));
    }
    (steps, worker)
}

/// Who first has the case: someone in its team takes it or is given it by the lead; a case no team takes
/// is moved to the first team by its lead, or given to someone there directly.
fn first_hands(
    routed: Option<usize>,
    staff: &Staff,
    rng: &mut Rng,
    steps: &mut Vec<Step>,
) -> AccountId {
    let team = routed.unwrap_or(0);
    let who = staff.worker(team, rng);
    let lead = staff.lead(team);
    if routed.is_none() {
        if rng.chance(0.7) {
            steps.push(Step::Act(Act::Move { lead, team }));
            steps.push(Step::Act(Act::Take(who)));
        } else {
            steps.push(Step::Act(Act::Assign { lead, to: who }));
        }
    } else if who == lead || rng.chance(0.6) {
        steps.push(Step::Act(Act::Take(who)));
    } else {
        steps.push(Step::Act(Act::Assign { lead, to: who }));
    }
    who
}

/// The end of the story so far: closing, clearing urgency, a referral or a reminder, and the visitor's
/// side ending for half the closed cases and a few open ones.
fn wind_up(shape: &Shape, worker: Option<AccountId>, rng: &mut Rng, steps: &mut Vec<Step>) {
    if let Some(who) = worker {
        match shape.fate {
            Fate::Closed => {
                if shape.urgent || rng.chance(0.01) {
                    steps.push(Step::Act(Act::ClearUrgency(who)));
                }
                if rng.chance(0.08) {
                    steps.push(Step::Act(Act::Refer(who)));
                }
                steps.push(Step::Act(Act::Close(who)));
            }
            Fate::WaitingForVisitor | Fate::OursOpened | Fate::OursNew | Fate::PushFailed => {
                if shape.urgent && rng.chance(0.5) {
                    steps.push(Step::Act(Act::ClearUrgency(who)));
                }
                if rng.chance(0.03) {
                    steps.push(Step::Act(Act::Refer(who)));
                }
                if rng.chance(0.15) {
                    steps.push(Step::Act(Act::Remind(who)));
                }
            }
            Fate::Unassigned => {}
        }
    }
    let ends = match shape.fate {
        Fate::Closed => rng.chance(0.5),
        Fate::Unassigned => false,
        _ => !shape.long && rng.chance(0.05),
    };
    if ends {
        let reason = if rng.chance(0.7) {
            ClosedReason::Expired
        } else {
            ClosedReason::Visitor
        };
        steps.push(Step::End(reason));
    }
}

fn group_index(group: Group) -> usize {
    Group::ALL.iter().position(|g| *g == group).unwrap_or(0)
}

fn fate_by_age(age: i64, rng: &mut Rng) -> Fate {
    let (unassigned, closed) = match age {
        a if a < 2 * DAY => (0.70, 0.0),
        a if a < 14 * DAY => (0.10, 0.15),
        a if a < 60 * DAY => (0.02, 0.45),
        _ => (0.01, 0.65),
    };
    let roll = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    if roll < unassigned {
        return Fate::Unassigned;
    }
    if roll < unassigned + closed {
        return Fate::Closed;
    }
    match rng.between(0, 99) {
        0..=44 => Fate::WaitingForVisitor,
        45..=69 => Fate::OursOpened,
        70..=96 => Fate::OursNew,
        _ => Fate::PushFailed,
    }
}

/// Splits `messages` into bursts of 1 to `most`.
fn bursts(messages: u32, most: u64, rng: &mut Rng) -> Vec<u32> {
    let mut left = messages;
    let mut bursts = Vec::new();
    while left > 0 {
        let burst = (rng.between(1, most) as u32).min(left);
        bursts.push(burst);
        left -= burst;
    }
    bursts
}
