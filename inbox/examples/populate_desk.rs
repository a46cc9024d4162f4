//! Fills a staff desk with a year of a busy centre's cases, for the desk benchmark (`benches/desk.sh`):
//! 10,000 cases and 100,000 visitor messages by default, with the centre's replies and notes. Everything
//! goes through the desk's own library API, as the running inbox would do it: envelopes are built as the
//! gateway builds them (`Payload::first_contact`, `Payload::follow_up`, `Payload::closed_by_visitor`,
//! `Payload::expired`) and recorded with `Cases::record_envelopes`; staff accounts are created and enrolled
//! (`Accounts::create`, `begin_enrolment`, `complete_enrolment` with a TOTP code computed here); every
//! staff act is one call of `Cases` (take, assign, move to a team, view, note, reply and its push,
//! referral, reminder, clearing urgency, closing). Nothing writes the database by hand.
//!
//! ```sh
//! porten-inbox desk add-account --login samordnare --role team-lead --team … --config inbox.toml
//! # … enrol `samordnare` through the desk's pages, stop `porten-inbox run`, then:
//! cargo run --release -p porten-inbox --example populate_desk -- --config inbox.toml --mine samordnare
//! ```
//!
//! The desk must be closed (`porten-inbox run` stopped: redb allows one process per file), and its
//! configuration must have at least one `[[desk.team]]`. `--state-dir` fills a copy of the state directory
//! elsewhere (the benchmark fills one in memory, where a commit does not wait for the disk, and copies it
//! back). `--mine` names an active account, which gets a share of the cases and acts as a team lead.
//!
//! The mix (the same for a given `--seed`; `benches/README.md` describes it too):
//!
//! - Staff: for each configured team a lead and a few staff (6, 3, 2, then 2), and an administrator
//!   without a team. Their passwords are random and never shown: nobody logs in as them.
//! - Cases: first contacts spread evenly over the last 365 days; groups exposed 45 %, relative 20 %,
//!   used violence 15 %, professional 12 %, other 8 % (a group no team takes: a lead routes it); about 4 %
//!   of first contacts and 1 % of follow-ups urgent; eleven reply languages.
//! - Messages: a few long conversations (1 %, 0.5 %, 0.5 %, 0.3 %, 0.3 % and five of 0.2 % of all messages:
//!   1,000 visitor messages for the longest at the default size) and the rest 1 to 40 per case, most
//!   short, adding up to exactly `--messages`. Visitors write in bursts of one to three messages (up to
//!   five in long conversations); staff open the case, sometimes note something, and reply after a burst.
//! - Where cases end up: most older cases are closed (about 60 % of all), half of those also ended on the
//!   visitor's side (deleted or expired); the open ones wait for the visitor, or for us (opened, or new
//!   since the visitor's last message), a few with a failed push; the newest are mostly unassigned. Some
//!   cases are handed to a colleague, referred to a partner, or carry a reminder; most urgent ones have
//!   their urgency cleared by the time they are closed.
//!
//! Prints one JSON object: what was made, how long it took, the size of each queue view for `--mine`
//! and how long the library took to read it, and the keys of two cases the benchmark opens (a typical
//! one and the longest). No password, TOTP secret, session or message text is printed.

use std::error::Error;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use data_encoding::BASE32_NOPAD;
use porten_inbox::{
    AccountId, CaseKey, Cases, Clock, Desk, DisplayName, InboxConfig, LoginName, ManualClock,
    NewAccount, Role, Status, TeamName, View,
};
use porten_protocol::envelope::{ClosedReason, Group, InboxKeys, Payload, VisitorMessage};
use porten_protocol::secret::Sensitive;
use porten_protocol::thread::EntryId;
use porten_protocol::{ExpiryKey, ReplyKey, TicketRef};
use ring::hmac;
use time::OffsetDateTime;

type Failure = Box<dyn Error>;

const DAY: i64 = 24 * 3600;
/// How far back the first contacts go.
const YEAR: i64 = 365 * DAY;
/// Cases worked together: their envelopes go into one transaction per round.
const CHUNK: usize = 250;
/// Long conversations, as shares of all visitor messages (per mille).
const LONG_PER_MILLE: [u64; 10] = [10, 5, 5, 3, 3, 2, 2, 2, 2, 2];
/// The most visitor messages an ordinary case gets.
const MAX_ORDINARY: u32 = 40;

const LANGUAGES: [&str; 20] = [
    "sv", "sv", "sv", "sv", "sv", "sv", "ar", "ar", "ar", "ar", "fa", "fa", "prs", "so", "so",
    "ti", "ckb", "kmr", "tr", "en",
];
const NAMES: [&str; 16] = [
    "sara", "omar", "lena", "kim", "amina", "johan", "leyla", "nils", "hanna", "dara", "maria",
    "yusuf", "elin", "reza", "frida", "ali",
];
const VISITOR_SENTENCES: [&str; 12] = [
    "Jag vet inte riktigt hur jag ska börja, men jag behöver prata med någon.",
    "Min familj bestämmer vem jag får träffa och när jag får gå ut.",
    "Min bror kontrollerar min telefon och läser mina meddelanden.",
    "De har pratat om att jag ska resa till släktingar i sommar och jag är rädd att jag inte får komma tillbaka.",
    "Jag bor hemma och kan bara skriva när de andra sover.",
    "I need to talk to someone about what is happening at home, but I cannot call.",
    "Skolan vet ingenting och jag vågar inte berätta för min mentor.",
    "Min pappa säger att jag har dragit skam över familjen.",
    "Kan ni hjälpa mig att förstå vilka möjligheter jag har?",
    "Jag skriver igen för att jag inte har fått svar ännu.",
    "Tack för svaret. Det hjälpte att läsa det, men jag är fortfarande orolig.",
    "Jag kan inte svara på några dagar, de tar telefonen ibland.",
];
const REPLY_SENTENCES: [&str; 10] = [
    "Tack för att du skriver till oss. Det du berättar låter mycket svårt, och du har rätt att få stöd.",
    "Du bestämmer själv vad du vill berätta och i vilken takt.",
    "Om du är i akut fara, ring 112. Du kan också söka skydd hos socialtjänsten, även utan familjens vetskap.",
    "Vi kan träffas på en plats där ingen känner igen dig, om du vill.",
    "Skolkuratorn har tystnadsplikt, men vi kan också prata först om vad det skulle innebära för dig.",
    "Det är inte ditt fel. Ingen har rätt att bestämma över din kropp eller dina relationer.",
    "Skriv gärna igen när det känns säkert. Vi svarar vardagar mellan 9 och 16.",
    "Om du blir tagen utomlands finns det hjälp att få genom ambassaden och UD.",
    "Vill du att vi hjälper dig att ta kontakt med socialtjänsten, eller vill du fundera först?",
    "Radera gärna webbläsarens historik efteråt om någon annan använder samma dator.",
];
const NOTE_SENTENCES: [&str; 6] = [
    "Risk för utlandsresa under sommarlovet; följ upp före juni.",
    "Besökaren vill inte att skolan kontaktas ännu.",
    "Diskuterat med teamledaren; avvaktar besökarens svar.",
    "Möjlig anmälan enligt 14 kap. SoL om besökaren är under 18.",
    "Besökaren svarar oftast sent på kvällen.",
    "Erbjudit möte; besökaren återkommer.",
];

fn main() -> Result<(), Failure> {
    let args = Args::parse()?;
    let started = Instant::now();
    let config = InboxConfig::load(&args.config)?;
    let state_dir = args.state_dir.clone().unwrap_or(config.state_dir.clone());
    let identities = porten_inbox::run::load_identities(&config.identity)?;
    let end = OffsetDateTime::now_utc().unix_timestamp() - 60;
    let clock = ManualClock::at(end - YEAR - DAY);
    let desk = Desk::open(
        &state_dir,
        &identities,
        &config.desk,
        Arc::new(clock.clone()),
    )?;
    let mine = desk
        .accounts
        .list()?
        .into_iter()
        .find(|account| account.login.as_str() == args.mine)
        .ok_or_else(|| format!("no account has the login name {:?}", args.mine))?
        .id;
    let staff = Staff::enrol(&desk, &clock, mine)?;
    let mut rng = Rng(args.seed);
    let plans = plan(&args, &staff, &mut rng, end)?;
    let planned = Instant::now();
    let mut done = Done::default();
    for chunk in plans.chunks(CHUNK) {
        work_chunk(&desk.cases, &clock, chunk, &mut rng, &mut done)?;
    }
    let filled = started.elapsed();
    clock.advance(end - clock.now());
    let report = Report::read(&desk.cases, &plans, mine)?;
    println!(
        "{{\"cases\": {}, \"visitor_messages\": {}, \"replies\": {}, \"notes\": {}, \"staff_acts\": {}, \
         \"envelope_transactions\": {}, \"staff_accounts\": {}, \"seconds\": {:.1}, \
         \"seconds_planning\": {:.1}, \"views\": {{{}}}, \"typical_case\": \"{}\", \"typical_messages\": {}, \
         \"typical_entries\": {}, \"longest_case\": \"{}\", \"longest_messages\": {}, \"longest_entries\": {}}}",
        plans.len(),
        done.messages,
        done.replies,
        done.notes,
        done.acts,
        done.batches,
        staff.count,
        filled.as_secs_f64(),
        (planned - started).as_secs_f64(),
        report.views.join(", "),
        report.typical.key,
        report.typical.messages,
        report.typical.entries,
        report.longest.key,
        report.longest.messages,
        report.longest.entries,
    );
    Ok(())
}

/// The command line.
struct Args {
    config: PathBuf,
    state_dir: Option<PathBuf>,
    mine: String,
    cases: usize,
    messages: u64,
    seed: u64,
}

impl Args {
    fn parse() -> Result<Args, Failure> {
        let mut args = Args {
            config: PathBuf::new(),
            state_dir: None,
            mine: String::new(),
            cases: 10_000,
            messages: 100_000,
            seed: 2026,
        };
        let mut given = std::env::args().skip(1);
        while let Some(name) = given.next() {
            let mut value = || given.next().ok_or(format!("{name} needs a value"));
            match name.as_str() {
                "--config" => args.config = PathBuf::from(value()?),
                "--state-dir" => args.state_dir = Some(PathBuf::from(value()?)),
                "--mine" => args.mine = value()?,
                "--cases" => args.cases = value()?.parse()?,
                "--messages" => args.messages = value()?.parse()?,
                "--seed" => args.seed = value()?.parse()?,
                _ => {
                    return Err(format!(
                        "unknown argument {name}; use --config FILE --mine LOGIN [--state-dir DIR] \
                         [--cases N] [--messages N] [--seed N]"
                    )
                    .into())
                }
            }
        }
        if args.config.as_os_str().is_empty() || args.mine.is_empty() {
            return Err("--config FILE and --mine LOGIN are needed".into());
        }
        if args.cases < 20 || args.messages < 2 * args.cases as u64 {
            return Err("at least 20 cases and twice as many messages as cases".into());
        }
        Ok(args)
    }
}

/// A small deterministic generator (SplitMix64), so that a seed gives the same mix every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// The centre's staff, by team.
struct Staff {
    /// The team each visitor group goes to (by its place in `Group::ALL`), as the configuration routes it.
    routes: Vec<Option<usize>>,
    /// Per team: its lead, then its staff.
    members: Vec<Vec<AccountId>>,
    mine: AccountId,
    count: usize,
}

impl Staff {
    /// Creates and enrols a lead and staff for each configured team, and an administrator.
    fn enrol(desk: &Desk, clock: &ManualClock, mine: AccountId) -> Result<Staff, Failure> {
        let teams: Vec<TeamName> = desk
            .cases
            .teams()
            .all()
            .iter()
            .map(|team| team.name.clone())
            .collect();
        if teams.is_empty() {
            return Err(
                "the configuration has no [[desk.team]]; the mix needs at least one".into(),
            );
        }
        let mut names = NAMES.iter().cycle().enumerate();
        let mut next_name = || {
            names
                .next()
                .map(|(n, name)| format!("{name}-{}", n / NAMES.len() + 1))
                .unwrap_or_default()
        };
        let mut members = Vec::new();
        let mut count = 0;
        for (index, team) in teams.iter().enumerate() {
            let size = [6, 3, 2].get(index).copied().unwrap_or(2);
            let mut people = vec![enrol_one(
                desk,
                clock,
                &next_name(),
                Role::TeamLead,
                vec![team.clone()],
            )?];
            for _ in 0..size {
                people.push(enrol_one(
                    desk,
                    clock,
                    &next_name(),
                    Role::Staff,
                    vec![team.clone()],
                )?);
            }
            count += people.len();
            members.push(people);
        }
        enrol_one(
            desk,
            clock,
            "administrator",
            Role::Administrator,
            Vec::new(),
        )?;
        let routes = Group::ALL
            .iter()
            .map(|&group| {
                let team = desk.cases.teams().route(group)?;
                teams.iter().position(|name| name == team)
            })
            .collect();
        Ok(Staff {
            routes,
            members,
            mine,
            count: count + 1,
        })
    }

    fn lead(&self, team: usize) -> AccountId {
        self.members[team][0]
    }

    /// Who works a case of `team`: now and then the account of `--mine`, else anyone in the team (its
    /// lead less often).
    fn worker(&self, team: usize, rng: &mut Rng) -> AccountId {
        if rng.chance(0.06) {
            return self.mine;
        }
        let people = &self.members[team];
        if rng.chance(0.1) {
            people[0]
        } else {
            rng.pick(&people[1..])
        }
    }
}

/// Creates one account and enrols it as its owner would: the code, the secret, a password and a code
/// from the authenticator (computed here, RFC 6238 with HMAC-SHA1).
fn enrol_one(
    desk: &Desk,
    clock: &ManualClock,
    login: &str,
    role: Role,
    teams: Vec<TeamName>,
) -> Result<AccountId, Failure> {
    let display = format!(
        "{}, kurator",
        capitalised(login.split('-').next().unwrap_or(login))
    );
    let invitation = desk.accounts.create(NewAccount {
        login: LoginName::parse(login)?,
        display_name: DisplayName::parse(&display)?,
        role,
        teams,
    })?;
    let start = desk.accounts.begin_enrolment(invitation.code.expose())?;
    let secret = BASE32_NOPAD.decode(start.secret_text().expose().as_bytes())?;
    let mut password = [0u8; 24];
    porten_protocol::fill_random(&mut password);
    let account = desk.accounts.complete_enrolment(
        invitation.code.expose(),
        Sensitive::new(hex::encode(password)),
        &totp(&secret, clock.now()),
    )?;
    Ok(account.id)
}

fn totp(secret: &[u8], now: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let step = (now.max(0) as u64) / 30;
    let mac = hmac::sign(&key, &step.to_be_bytes());
    let mac = mac.as_ref();
    let offset = usize::from(mac[19] & 0x0f);
    let mut four = [0u8; 4];
    four.copy_from_slice(&mac[offset..offset + 4]);
    format!(
        "{:06}",
        (u32::from_be_bytes(four) & 0x7fff_ffff) % 1_000_000
    )
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Where a case ends up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
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
enum Step {
    /// A visitor's message (the first one is the first contact).
    Visitor { urgent: bool },
    /// The visitor's side ends.
    End(ClosedReason),
    /// A staff member acts.
    Act(Act),
}

enum Act {
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
struct Plan {
    ticket: TicketRef,
    group: Group,
    language: &'static str,
    fate: Fate,
    messages: u32,
    worker: Option<AccountId>,
    steps: Vec<(i64, Step)>,
}

fn plan(args: &Args, staff: &Staff, rng: &mut Rng, end: i64) -> Result<Vec<Plan>, Failure> {
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
    let urgent = rng.chance(0.04);
    let mut ticket = [0u8; 32];
    porten_protocol::fill_random(&mut ticket);
    let ticket = TicketRef::from_bytes(ticket);

    // Who: the team that takes the group; a group no team takes is routed by the first team's lead.
    let routed = staff.routes[group_index(group)];
    let mut steps: Vec<Step> = Vec::new();
    let mut worker = None;
    let bursts = bursts(messages, if long { 5 } else { 3 }, rng);
    for (round, &burst) in bursts.iter().enumerate() {
        for n in 0..burst {
            let urgent = if round == 0 && n == 0 {
                urgent
            } else {
                rng.chance(0.01)
            };
            steps.push(Step::Visitor { urgent });
        }
        if fate == Fate::Unassigned {
            continue;
        }
        let last = round + 1 == bursts.len();
        if round == 0 {
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
            worker = Some(who);
        } else if rng.chance(0.02) {
            // Handed on to a colleague by the team's lead.
            let team = routed.unwrap_or(0);
            let to = staff.worker(team, rng);
            steps.push(Step::Act(Act::Assign {
                lead: staff.lead(team),
                to,
            }));
            worker = Some(to);
        }
        let Some(who) = worker else { continue };
        if last {
            match fate {
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
    if let Some(who) = worker {
        match fate {
            Fate::Closed => {
                if urgent || rng.chance(0.01) {
                    steps.push(Step::Act(Act::ClearUrgency(who)));
                }
                if rng.chance(0.08) {
                    steps.push(Step::Act(Act::Refer(who)));
                }
                steps.push(Step::Act(Act::Close(who)));
            }
            Fate::WaitingForVisitor | Fate::OursOpened | Fate::OursNew | Fate::PushFailed => {
                if urgent && rng.chance(0.5) {
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
    // Half the closed cases, and a few open ones, also ended on the visitor's side.
    let ends = match fate {
        Fate::Closed => rng.chance(0.5),
        Fate::Unassigned => false,
        _ => !long && rng.chance(0.05),
    };
    if ends {
        let reason = if rng.chance(0.7) {
            ClosedReason::Expired
        } else {
            ClosedReason::Visitor
        };
        steps.push(Step::End(reason));
    }

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

/// What was made.
#[derive(Default)]
struct Done {
    messages: u64,
    replies: u64,
    notes: u64,
    acts: u64,
    batches: u64,
}

/// Works the cases of one chunk together: each round records every case's next envelopes in one
/// transaction, then takes every case's next staff acts (one transaction each, as the desk does them).
fn work_chunk(
    cases: &Cases,
    clock: &ManualClock,
    chunk: &[Plan],
    rng: &mut Rng,
    done: &mut Done,
) -> Result<(), Failure> {
    let keys: Vec<CaseKey> = chunk
        .iter()
        .map(|plan| cases.key_for(&plan.ticket))
        .collect();
    let mut at = vec![0usize; chunk.len()];
    loop {
        let mut payloads = Vec::new();
        for (plan, next) in chunk.iter().zip(at.iter_mut()) {
            while let Some((when, step)) = plan.steps.get(*next) {
                let payload = match step {
                    Step::Visitor { urgent } => {
                        done.messages += 1;
                        visitor_message(plan, *next, *when, *urgent, rng)?
                    }
                    Step::End(reason) => closing(plan, *when, *reason)?,
                    Step::Act(_) => break,
                };
                payloads.push(payload);
                *next += 1;
            }
        }
        if !payloads.is_empty() {
            cases.record_envelopes(&payloads)?;
            done.batches += 1;
        }
        let mut acted = false;
        for ((plan, next), key) in chunk.iter().zip(at.iter_mut()).zip(&keys) {
            while let Some((when, Step::Act(act))) = plan.steps.get(*next) {
                clock.advance(when - clock.now());
                act_on(cases, key, act, *when, rng, done)?;
                *next += 1;
                acted = true;
            }
        }
        if payloads.is_empty() && !acted {
            return Ok(());
        }
    }
}

fn visitor_message(
    plan: &Plan,
    number: usize,
    when: i64,
    urgent: bool,
    rng: &mut Rng,
) -> Result<Payload, Failure> {
    let text = text(&VISITOR_SENTENCES, rng.between(1, 8) as usize, rng);
    let now = OffsetDateTime::from_unix_timestamp(when)?;
    let reply_key = ReplyKey::from_bytes([7; 32]);
    if number == 0 {
        let expiry_key = ExpiryKey::from_bytes([8; 32]);
        let message = VisitorMessage {
            message: &text,
            language: Some(plan.language),
            urgent,
        };
        let keys = InboxKeys {
            reply_key: &reply_key,
            expiry_key: &expiry_key,
        };
        return Ok(Payload::first_contact(
            &plan.ticket,
            EntryId::random(),
            plan.group,
            message,
            keys,
            now,
        )?);
    }
    let message = VisitorMessage {
        message: &text,
        language: None,
        urgent,
    };
    Ok(Payload::follow_up(
        &plan.ticket,
        EntryId::random(),
        message,
        &reply_key,
        now,
    )?)
}

fn closing(plan: &Plan, when: i64, reason: ClosedReason) -> Result<Payload, Failure> {
    let now = OffsetDateTime::from_unix_timestamp(when)?;
    Ok(match reason {
        ClosedReason::Visitor => {
            Payload::closed_by_visitor(&plan.ticket, &ReplyKey::from_bytes([7; 32]), now)?
        }
        ClosedReason::Expired => {
            Payload::expired(&plan.ticket, &ExpiryKey::from_bytes([8; 32]), now)?
        }
    })
}

fn act_on(
    cases: &Cases,
    key: &CaseKey,
    act: &Act,
    when: i64,
    rng: &mut Rng,
    done: &mut Done,
) -> Result<(), Failure> {
    done.acts += 1;
    // Each call's fact would go to the audit log in the running desk; here only the effect counts.
    match *act {
        Act::Take(who) => {
            cases.take(who, key)?;
        }
        Act::Assign { lead, to } => {
            cases.assign(lead, key, to)?;
        }
        Act::Move { lead, team } => {
            let name = cases.teams().all()[team].name.clone();
            cases.move_to_team(lead, key, &name)?;
        }
        Act::View(who) => {
            cases.view(who, key)?;
        }
        Act::Note(who) => {
            let note = Sensitive::new(text(&NOTE_SENTENCES, rng.between(1, 3) as usize, rng));
            cases.add_note(who, key, &note)?;
            done.notes += 1;
        }
        Act::Reply { by, pushed } => {
            let reply = Sensitive::new(text(&REPLY_SENTENCES, rng.between(2, 7) as usize, rng));
            let intent = cases.record_reply(by, key, &reply)?;
            if pushed {
                cases.reply_pushed(by, key, intent.reply_id)?;
            } else {
                cases.reply_failed(by, key, intent.reply_id)?;
            }
            done.replies += 1;
            done.acts += 1;
        }
        Act::ClearUrgency(who) => {
            cases.clear_urgency(who, key)?;
        }
        Act::Refer(who) => {
            if let Some(partner) = cases.partners().first().map(|p| p.name.clone()) {
                let note = Sensitive::new(text(&NOTE_SENTENCES, 1, rng));
                cases.refer(who, key, &partner, Some(&note))?;
            }
        }
        Act::Remind(who) => {
            cases.set_reminder(who, key, Some(when + 7 * DAY))?;
        }
        Act::Close(who) => {
            cases.set_status(who, key, Status::Closed)?;
        }
    }
    Ok(())
}

/// `sentences` sentences from `pool`, joined.
fn text(pool: &[&str], sentences: usize, rng: &mut Rng) -> String {
    let mut text = String::new();
    for n in 0..sentences.max(1) {
        if n > 0 {
            text.push(' ');
        }
        text.push_str(rng.pick(pool));
    }
    text
}

/// The queue as `--mine` sees it, and the two cases the benchmark opens.
struct Report {
    views: Vec<String>,
    typical: Opened,
    longest: Opened,
}

/// A case the benchmark opens: its key, visitor messages, and entries (messages, replies, notes).
struct Opened {
    key: String,
    messages: u32,
    entries: usize,
}

impl Report {
    fn read(cases: &Cases, plans: &[Plan], mine: AccountId) -> Result<Report, Failure> {
        let mut views = Vec::new();
        for (view, name) in [
            (View::Mine, "mine"),
            (View::MyTeams, "teams"),
            (View::Unassigned, "unassigned"),
            (View::Urgent, "urgent"),
            (View::WaitingForUs, "waiting"),
            (View::Closed, "closed"),
        ] {
            let started = Instant::now();
            let queue = cases.queue(mine, view)?;
            views.push(format!(
                "\"{name}\": {{\"cases\": {}, \"library_ms\": {:.1}}}",
                queue.cases.len(),
                started.elapsed().as_secs_f64() * 1000.0
            ));
        }
        // A typical case: one of `--mine`'s, opened and waiting for us, with about the median number of
        // messages; the longest: the one with the most.
        let typical = plans
            .iter()
            .find(|p| {
                p.fate == Fate::OursOpened
                    && p.worker == Some(mine)
                    && (8..=12).contains(&p.messages)
            })
            .or_else(|| plans.iter().find(|p| p.fate == Fate::OursOpened))
            .unwrap_or(&plans[plans.len() / 2]);
        let longest = plans.iter().max_by_key(|p| p.messages).unwrap_or(&plans[0]);
        let opened = |plan: &Plan| -> Result<Opened, Failure> {
            let key = cases.key_for(&plan.ticket);
            let (view, _) = cases.view(mine, &key)?;
            Ok(Opened {
                key: key.to_hex(),
                messages: plan.messages,
                entries: view.entries.len(),
            })
        };
        Ok(Report {
            views,
            typical: opened(typical)?,
            longest: opened(longest)?,
        })
    }
}
