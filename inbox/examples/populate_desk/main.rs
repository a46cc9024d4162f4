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
//! `plan` draws the mix, `staff` makes the accounts, `work` carries the plans out through the library.
//!
//! Prints one JSON object: what was made, how long it took, the size of each queue view for `--mine`
//! and how long the library took to read it, and the keys of two cases the benchmark opens (a typical
//! one and the longest). No password, TOTP secret, session or message text is printed.

mod plan;
mod staff;
mod work;

use std::error::Error;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use porten_inbox::{AccountId, Cases, Clock, Desk, InboxConfig, ManualClock, View};
use time::OffsetDateTime;

use plan::{plan, Fate, Plan, Rng, DAY, YEAR};
use staff::Staff;

/// Whatever stops the filling: its message says what and where.
type Failure = Box<dyn Error>;

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
    let done = work::carry_out(&desk.cases, &clock, &plans, &mut rng)?;
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
pub(crate) struct Args {
    pub(crate) config: PathBuf,
    pub(crate) state_dir: Option<PathBuf>,
    pub(crate) mine: String,
    pub(crate) cases: usize,
    pub(crate) messages: u64,
    pub(crate) seed: u64,
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
