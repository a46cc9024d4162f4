//! The queue page (`/{lang}/cases?view=…`): the six views of the queue as links, and the cases of one
//! view as a table, urgent ones on top and marked in words. Also the helpers the case page shares with it:
//! names of accounts and teams, and the words for a status, a group, a turn and a time.
//!
//! The handler reads the queue and the accounts, and [`render`] turns them into HTML; the template reads
//! nothing itself. Under a narrow screen the table's rows become cards (see `style.rs`), each cell
//! carrying its column's name, so the page works at 320 px without scrolling sideways.

use hyper::StatusCode;
use maud::{html, Markup};
use porten_protocol::envelope::Group;

use super::http::Reply;
use super::pages::{layout, Here, Viewer};
use super::router::{store_failure, viewer};
use super::text::{CaseText, Lang};
use super::Web;
use crate::desk::{
    Account, AccountId, AccountState, Case, Partner, Queue, Role, Session, Status, Teams, Turn,
    View,
};

/// The views in the order the page lists them, with their name in the address.
const VIEWS: [(View, &str); 6] = [
    (View::Mine, "mine"),
    (View::MyTeams, "teams"),
    (View::Unassigned, "unassigned"),
    (View::Urgent, "urgent"),
    (View::WaitingForUs, "waiting"),
    (View::Closed, "closed"),
];

/// The view a query asks for. Without one (or with one the page does not know) it is "waiting for us":
/// every case where a visitor waits, urgent first, which is where a shift starts.
fn view_of(query: &str) -> (View, &'static str) {
    let wanted = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("view="))
        .unwrap_or("waiting");
    VIEWS
        .into_iter()
        .find(|(_, name)| *name == wanted)
        .unwrap_or((View::WaitingForUs, "waiting"))
}

fn view_name(c: &CaseText, view: View) -> &'static str {
    match view {
        View::Mine => c.view_mine,
        View::MyTeams => c.view_teams,
        View::Unassigned => c.view_unassigned,
        View::Urgent => c.view_urgent,
        View::WaitingForUs => c.view_waiting,
        View::Closed => c.view_closed,
    }
}

/// The names pages show for account ids and team names.
pub(super) struct Names {
    pub(super) accounts: Vec<Account>,
    pub(super) teams: Teams,
    pub(super) partners: Vec<Partner>,
}

impl Names {
    pub(super) fn read(web: &Web) -> Result<Names, crate::desk::AccountError> {
        Ok(Names {
            accounts: web.desk.accounts.list()?,
            teams: web.desk.cases.teams().clone(),
            partners: web.desk.cases.partners().to_vec(),
        })
    }

    /// An account's display name; an id no account has any more is shown as it is.
    pub(super) fn account(&self, id: AccountId) -> String {
        self.accounts
            .iter()
            .find(|account| account.id == id)
            .map_or_else(
                || id.to_string(),
                |account| account.display_name.as_str().to_owned(),
            )
    }

    /// A team's display name.
    pub(super) fn team(&self, name: &crate::desk::TeamName) -> String {
        self.teams.get(name).map_or_else(
            || name.as_str().to_owned(),
            |team| team.display_name.clone(),
        )
    }

    /// The accounts a case can be given to: active, and working cases (the rule of `cases::access`).
    pub(super) fn assignable(&self) -> impl Iterator<Item = &Account> {
        self.accounts.iter().filter(|account| {
            account.state == AccountState::Active
                && (account.role != Role::Administrator || !account.teams.is_empty())
        })
    }
}

pub(super) fn status_name(c: &CaseText, status: Status) -> &'static str {
    match status {
        Status::New => c.status_new,
        Status::Open => c.status_open,
        Status::WaitingForVisitor => c.status_waiting,
        Status::Closed => c.status_closed,
    }
}

pub(super) fn group_name(c: &CaseText, group: Option<Group>) -> &'static str {
    match group {
        Some(Group::Exposed) => c.group_exposed,
        Some(Group::Relative) => c.group_relative,
        Some(Group::UsedViolence) => c.group_used_violence,
        Some(Group::Professional) => c.group_professional,
        Some(Group::Other) => c.group_other,
        None => c.unknown,
    }
}

/// Whose turn it is and for how long: "The visitor waits for us, for 3 h".
pub(super) fn turn(c: &CaseText, case: &Case, now: i64) -> String {
    let (who, since) = match case.turn {
        Turn::Ours { since } => (c.turn_ours, since),
        Turn::Visitors { since } => (c.turn_visitors, since),
    };
    format!("{who}, {}", (c.lasted)(now.saturating_sub(since).max(0)))
}

/// A time as `2026-11-30 11:25 UTC`; a date as `2026-11-30`.
pub(super) fn when(at: i64, date_only: bool) -> String {
    let Ok(time) = time::OffsetDateTime::from_unix_timestamp(at) else {
        return String::new();
    };
    let formatted = if date_only {
        time.format(time::macros::format_description!("[year]-[month]-[day]"))
    } else {
        time.format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC"
        ))
    };
    formatted.unwrap_or_default()
}

/// The short name of a case people say and see: the first 8 characters of its key.
pub(super) fn short(case: &Case) -> String {
    let mut hex = case.key.to_hex();
    hex.truncate(8);
    hex
}

/// The queue page.
pub(super) fn page(web: &Web, lang: Lang, session: &Session, query: &str) -> Reply {
    let (view, _) = view_of(query);
    let queue = match web.desk.cases.queue(session.account.id, view) {
        Ok(queue) => queue,
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let names = match Names::read(web) {
        Ok(names) => names,
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let mut viewer = viewer(web, session);
    // The counts just read are the freshest; the navigation shows the same as the table.
    if viewer.counts.is_some() {
        viewer.counts = Some(queue.counts);
    }
    Reply::page(
        StatusCode::OK,
        render(lang, &viewer, view, &queue, &names, web.now()),
    )
}

fn render(
    lang: Lang,
    viewer: &Viewer<'_>,
    view: View,
    queue: &Queue,
    names: &Names,
    now: i64,
) -> String {
    let c = lang.cases();
    let l = lang.code();
    let content = html! {
        nav aria-label=(c.views) {
            ul.views {
                @for (each, name) in VIEWS {
                    li {
                        a href={ "/" (l) "/cases?view=" (name) } aria-current=[(each == view).then_some("page")] {
                            (view_name(c, each))
                        }
                    }
                }
            }
        }
        @if queue.cases.is_empty() {
            p { (c.queue_empty) }
        } @else {
            (table(lang, view, queue, names, now))
        }
    };
    layout(
        &Here {
            lang,
            path: "/cases",
        },
        c.queue_title,
        Some(viewer),
        content,
    )
}

fn table(lang: Lang, view: View, queue: &Queue, names: &Names, now: i64) -> Markup {
    let c = lang.cases();
    let t = lang.text();
    let l = lang.code();
    html! {
        table.cards {
            caption { (view_name(c, view)) ": " ((c.how_many)(queue.cases.len())) }
            thead {
                tr {
                    th scope="col" { (c.col_case) }
                    th scope="col" { (c.col_status) }
                    th scope="col" { (c.col_turn) }
                    th scope="col" { (c.col_group) }
                    th scope="col" { (c.col_language) }
                    th scope="col" { (c.col_assignee) }
                    th scope="col" { (c.col_team) }
                }
            }
            tbody {
                @for case in &queue.cases {
                    tr.urgent[case.urgent] {
                        th scope="row" data-label=(c.col_case) {
                            @if case.urgent {
                                strong.flag { (c.urgent) }
                                " "
                            }
                            a href={ "/" (l) "/cases/" (case.key.to_hex()) } {
                                (c.case_title) " " (short(case))
                            }
                        }
                        td data-label=(c.col_status) { (status_name(c, case.status)) }
                        td data-label=(c.col_turn) { (turn(c, case, now)) }
                        td data-label=(c.col_group) { (group_name(c, case.group)) }
                        td data-label=(c.col_language) {
                            (case.language.as_deref().unwrap_or(c.unknown))
                        }
                        td data-label=(c.col_assignee) {
                            @match case.assignee {
                                Some(id) => (names.account(id)),
                                None => (c.nobody),
                            }
                        }
                        td data-label=(c.col_team) {
                            @match &case.team {
                                Some(team) => (names.team(team)),
                                None => (t.no_teams),
                            }
                        }
                    }
                }
            }
        }
    }
}
