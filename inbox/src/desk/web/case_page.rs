//! The case page's HTML: what the case is, its whole conversation in order (visitor messages, the
//! centre's replies with their author and delivery state, internal notes set apart and labelled as never
//! sent), then the forms that act on it, each a POST with the session's CSRF token. A pure function of
//! what the handler read; the print style sheet leaves out the menu and the forms, so the printed page
//! is the case to pass on.

use maud::{html, Markup};
use porten_protocol::envelope::ClosedReason;

use super::pages::{errors, layout, notice, token, Here, Viewer};
use super::queue::{group_name, short, status_name, turn, when, Names};
use super::text::Lang;
use crate::desk::{CaseKey, CaseView, Delivery, Entry, EntryBody, Role, Status};

/// Everything the case page shows besides the case.
pub(super) struct CasePage<'a> {
    pub(super) view: &'a CaseView,
    pub(super) names: &'a Names,
    pub(super) now: i64,
    /// A notice after an action: saved, or the reply stored.
    pub(super) notice: Option<&'a str>,
    /// An error and the id of the field it is about.
    pub(super) error: Option<(&'a str, &'a str)>,
    /// What was typed in the reply form when it was refused, shown again.
    pub(super) reply: &'a str,
    /// What was typed in the note form when it was refused, shown again.
    pub(super) note: &'a str,
    /// The id the reply form's reply gets: fresh for each page, the one posted when a reply is refused,
    /// so the same form sent twice records one reply.
    pub(super) reply_id: &'a str,
}

const STATUSES: [Status; 4] = [
    Status::New,
    Status::Open,
    Status::WaitingForVisitor,
    Status::Closed,
];

pub(super) fn render(lang: Lang, viewer: &Viewer<'_>, page: &CasePage<'_>) -> String {
    let c = lang.cases();
    let t = lang.text();
    let case = &page.view.case;
    let (error, field) = match page.error {
        Some((message, field)) => (Some(message), field),
        None => (None, ""),
    };
    let content = html! {
        (notice(page.notice))
        (errors(t, error, field))
        @if case.urgent {
            p.urgent-banner { strong.flag { (c.urgent) } " " (c.visitor_urgent) }
        }
        p.no-print {
            a href={ "/" (lang.code()) "/cases" } { (c.to_queue) }
            @if matches!(viewer.account.role, Role::TeamLead | Role::Administrator) {
                " · " a href={ "/" (lang.code()) "/trail?case=" (case.key.to_hex()) } { (c.trail_link) }
            }
        }
        p.hint.no-print { (c.print_hint) }
        h2 { (c.about) }
        (about(lang, page))
        h2 { (c.conversation) }
        @if case.erased.is_some() {
            p { (c.erased) }
        } @else if page.view.entries.is_empty() {
            p { (c.no_entries) }
        } @else {
            ol.conversation {
                @for entry in &page.view.entries {
                    (entry_markup(lang, viewer, &case.key, page.names, entry))
                }
            }
        }
        (forms(lang, viewer, page))
    };
    let title = format!("{} {}", c.case_title, short(case));
    layout(
        &Here {
            lang,
            path: &format!("/cases/{}", case.key.to_hex()),
        },
        &title,
        Some(viewer),
        content,
    )
}

fn about(lang: Lang, page: &CasePage<'_>) -> Markup {
    let c = lang.cases();
    let t = lang.text();
    let case = &page.view.case;
    html! {
        dl {
            dt { (c.col_status) }
            dd { (status_name(c, case.status)) }
            dt { (c.col_turn) }
            dd { (turn(c, case, page.now)) }
            dt { (c.col_group) }
            dd { (group_name(c, case.group)) }
            dt { (c.col_language) }
            dd { (case.language.as_deref().unwrap_or(c.unknown)) }
            dt { (c.col_assignee) }
            dd {
                @match case.assignee {
                    Some(id) => (page.names.account(id)),
                    None => (c.nobody),
                }
            }
            dt { (c.col_team) }
            dd {
                @match &case.team {
                    Some(team) => (page.names.team(team)),
                    None => (t.no_teams),
                }
            }
            dt { (c.opened) }
            dd { (when(case.created, false)) }
            dt { (c.reminder) }
            dd {
                @match case.reminder {
                    Some(at) => (when(at, true)),
                    None => (c.none),
                }
            }
            dt { (c.referrals) }
            dd {
                @if case.referrals.is_empty() {
                    (c.none)
                } @else {
                    ul {
                        @for referral in &case.referrals {
                            li {
                                (partner_name(page, &referral.partner)) ", " (when(referral.at, true))
                                ", " (c.by) " " (page.names.account(referral.by))
                                @if let Some(note) = &referral.note {
                                    ": " (note.expose())
                                }
                            }
                        }
                    }
                }
            }
            @if !case.urgency_cleared.is_empty() {
                dt { (c.urgency_cleared) }
                dd {
                    @for (i, cleared) in case.urgency_cleared.iter().enumerate() {
                        @if i > 0 { "; " }
                        (when(cleared.at, false)) ", " (c.by) " " (page.names.account(cleared.by))
                    }
                }
            }
            dt { (c.handlers) }
            dd {
                @if case.handlers.is_empty() { (c.nobody) }
                @for (i, id) in case.handlers.iter().enumerate() {
                    @if i > 0 { ", " }
                    (page.names.account(*id))
                }
            }
            @if let Some(end) = case.visitor_end {
                dt { (match end.reason { ClosedReason::Visitor => c.visitor_deleted, ClosedReason::Expired => c.visitor_expired }) }
                dd { (when(end.at, false)) }
            }
            @if let Some(at) = case.erase_after {
                dt { (c.erase_after) }
                dd { (when(at, true)) }
            }
        }
    }
}

fn partner_name(page: &CasePage<'_>, name: &str) -> String {
    // Partners come from the configuration the page's handler read; a partner since removed keeps its name.
    page.names
        .partners
        .iter()
        .find(|partner| partner.name == name)
        .map_or_else(|| name.to_owned(), |partner| partner.display_name.clone())
}

fn entry_markup(
    lang: Lang,
    viewer: &Viewer<'_>,
    key: &CaseKey,
    names: &Names,
    entry: &Entry,
) -> Markup {
    let c = lang.cases();
    let at = entry.at;
    html! {
        @match &entry.body {
            EntryBody::Visitor { message, urgent, original, .. } => {
                li.entry.visitor {
                    p.meta {
                        strong { (c.visitor) } " · " (when(at, false))
                        @if *urgent { " · " strong.flag { (c.urgent) } " " (c.visitor_urgent) }
                    }
                    p.text { (message.expose()) }
                    @if *original {
                        p.no-print {
                            a href={ "/" (lang.code()) "/cases/" (key.to_hex()) "/sealed/" (entry.number) } download {
                                (c.sealed_original)
                            }
                        }
                    }
                }
            }
            EntryBody::Reply { reply_id, display_name, author, text, delivery } => {
                li.entry.reply {
                    p.meta {
                        strong { (c.reply_from) " “" (display_name.as_str()) "”" }
                        // The author by today's name, when it is not the name the visitor saw.
                        @let author = names.account(*author);
                        @if author != display_name.as_str() { " (" (author) ")" }
                        " · " (when(at, false))
                    }
                    p.text { (text.expose()) }
                    p.delivery {
                        @match delivery {
                            Delivery::Recorded => { (c.delivery_recorded) }
                            Delivery::Pushed { at } => { (c.delivery_pushed) ", " (when(*at, false)) }
                            Delivery::Failed { at } => { strong { (c.delivery_failed) } ", " (when(*at, false)) }
                        }
                    }
                    @if matches!(delivery, Delivery::Failed { .. }) {
                        form.no-print method="post" action={ "/" (lang.code()) "/cases/" (key.to_hex()) "/resend" } {
                            (token(viewer.csrf))
                            input type="hidden" name="reply" value=(reply_id.to_hex());
                            button type="submit" { (c.resend) }
                        }
                    }
                }
            }
            EntryBody::Note { author, text } => {
                li.entry.note {
                    p.meta {
                        strong { (c.note) } " · " (c.by) " " (names.account(*author)) " · " (when(at, false))
                    }
                    p.text { (text.expose()) }
                }
            }
        }
    }
}

fn forms(lang: Lang, viewer: &Viewer<'_>, page: &CasePage<'_>) -> Markup {
    let c = lang.cases();
    let case = &page.view.case;
    let action = |name: &str| format!("/{}/cases/{}/{name}", lang.code(), case.key.to_hex());
    let open = case.erased.is_none();
    html! {
        div.no-print {
            @if open && case.visitor_end.is_none() {
                h2 { (c.reply_heading) }
                form method="post" action=(action("reply")) {
                    (token(viewer.csrf))
                    input type="hidden" name="reply_id" value=(page.reply_id);
                    div.field {
                        label for="reply-text" { (c.reply_text) }
                        p.hint #reply-hint { ((c.reply_hint)(viewer.account.display_name.as_str())) }
                        textarea #reply-text name="text" rows="8" aria-describedby="reply-hint" required { (page.reply) }
                    }
                    button type="submit" { (c.send_reply) }
                }
            }
            @if open {
                h2 { (c.note_heading) }
                form method="post" action=(action("note")) {
                    (token(viewer.csrf))
                    div.field {
                        label for="note-text" { (c.note_text) }
                        textarea #note-text name="text" rows="4" required { (page.note) }
                    }
                    button type="submit" { (c.add_note) }
                }
            }
            h2 { (c.handling_heading) }
            @if case.assignee != Some(viewer.account.id) {
                form method="post" action=(action("take")) {
                    (token(viewer.csrf))
                    button type="submit" { (c.take) }
                }
            }
            form method="post" action=(action("assign")) {
                (token(viewer.csrf))
                div.field {
                    label for="assign-to" { (c.assign_to) }
                    select #assign-to name="to" {
                        @for account in page.names.assignable() {
                            option value=(account.id.to_string()) selected[case.assignee == Some(account.id)] {
                                (account.display_name.as_str()) " (" (account.login.as_str()) ")"
                            }
                        }
                    }
                }
                button type="submit" { (c.assign) }
            }
            @if !page.names.teams.all().is_empty() {
                form method="post" action=(action("team")) {
                    (token(viewer.csrf))
                    div.field {
                        label for="team" { (c.move_to) }
                        select #team name="team" {
                            @for team in page.names.teams.all() {
                                option value=(team.name.as_str()) selected[case.team.as_ref() == Some(&team.name)] {
                                    (team.display_name)
                                }
                            }
                        }
                    }
                    button type="submit" { (c.move_button) }
                }
            }
            h2 { (c.status_heading) }
            form method="post" action=(action("status")) {
                (token(viewer.csrf))
                div.field {
                    label for="status" { (c.set_status) }
                    select #status name="status" {
                        @for status in STATUSES {
                            option value=(status.as_str()) selected[case.status == status] { (status_name(c, status)) }
                        }
                    }
                }
                button type="submit" { (c.set_status) }
            }
            @if open && !page.names.partners.is_empty() {
                h2 { (c.refer_heading) }
                form method="post" action=(action("refer")) {
                    (token(viewer.csrf))
                    div.field {
                        label for="partner" { (c.partner) }
                        p.hint #partner-hint { (c.refer_date) }
                        select #partner name="partner" aria-describedby="partner-hint" {
                            @for partner in &page.names.partners {
                                option value=(partner.name) { (partner.display_name) }
                            }
                        }
                    }
                    div.field {
                        label for="referral-note" { (c.refer_note) }
                        textarea #referral-note name="note" rows="3" {}
                    }
                    button type="submit" { (c.refer_button) }
                }
            }
            h2 { (c.reminder_heading) }
            form method="post" action=(action("reminder")) {
                (token(viewer.csrf))
                div.field {
                    label for="reminder-date" { (c.reminder_date) }
                    p.hint #reminder-hint { (c.reminder_hint) }
                    input #reminder-date.short type="date" name="date" aria-describedby="reminder-hint"
                        value=[case.reminder.map(|at| when(at, true))] required;
                }
                button type="submit" { (c.set_reminder) }
            }
            @if case.reminder.is_some() {
                form method="post" action=(action("reminder")) {
                    (token(viewer.csrf))
                    input type="hidden" name="date" value="";
                    button type="submit" { (c.clear_reminder) }
                }
            }
            @if case.urgent {
                h2 { (c.urgency_heading) }
                form method="post" action=(action("urgency")) {
                    (token(viewer.csrf))
                    button.danger type="submit" { (c.clear_urgency) }
                }
            }
        }
    }
}
