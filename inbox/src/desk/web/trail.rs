//! The audit trail pages, for team leads and administrators: every line of the audit log about one case
//! (`GET /{lang}/trail?case={case key}`) or one account (`GET /{lang}/trail?account={login name}`), in
//! order, with who did it by name, and above them whether the log's chain holds and its head is signed by
//! this inbox's key (as `porten-inbox audit verify --key` checks it).
//!
//! A case's trail holds the staff actions on it and the delivery lines of its ticket (first contact,
//! follow-ups, the end); an account's holds its logins, logouts and enrolment, what administrators did to it
//! and what it did, and every case action it took in a case the reader may see (a case the reader may not
//! see has no trail for them: the same 404 as for no case). Reading a trail is itself logged. Refused
//! logins name no account (people type passwords
//! into name fields), so they are in no account's trail. The log holds no message, reply or note text, so
//! neither does any trail.

use hyper::StatusCode;
use maud::{html, Markup};

use super::http::Reply;
use super::pages::{layout, Here, Viewer};
use super::queue::Names;
use super::router::{message, not_found_for, record, store_failure, viewer, Message};
use super::text::Lang;
use super::Web;
use crate::audit::{AuditEvent, HeadCheck, Logged, Trail};
use crate::desk::{Account, CaseError, CaseKey, Role, Session};

/// The most lines one trail page shows: the latest ones, with a note that older ones are left out.
const MAX_ROWS: usize = 2000;

/// Whose trail.
enum Subject {
    Case { key: CaseKey, ticket: String },
    Account(Account),
}

/// `GET /{lang}/trail?case=…` or `?account=…`.
pub(super) fn page(web: &Web, lang: Lang, session: &Session, query: &str) -> Reply {
    if !matches!(session.account.role, Role::TeamLead | Role::Administrator) {
        return message(
            web,
            lang,
            Some(session),
            StatusCode::FORBIDDEN,
            Message::Forbidden,
        );
    }
    let names = match Names::read(web) {
        Ok(names) => names,
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let subject = match query.split_once('=') {
        Some(("case", key)) => {
            let Some(key) = CaseKey::from_hex(key) else {
                return not_found_for(web, lang, session);
            };
            // Only a case the reader may see has a trail for them: the same 404 as for no case.
            match web.desk.cases.summary(session.account.id, &key) {
                Ok(case) => Subject::Case {
                    key,
                    ticket: case.ticket,
                },
                Err(CaseError::NotFound) => return not_found_for(web, lang, session),
                Err(error) => return store_failure(web, lang, Some(session), &error),
            }
        }
        Some(("account", login)) => {
            let login = percent_decoded(login);
            match names
                .accounts
                .iter()
                .find(|account| account.login.as_str() == login)
            {
                Some(account) => Subject::Account(account.clone()),
                None => return not_found_for(web, lang, session),
            }
        }
        _ => return not_found_for(web, lang, session),
    };
    // In an account's trail, the case actions of cases the reader may not see are left out (an
    // administrator without a team sees only what concerns the account itself).
    let visible = match &subject {
        Subject::Account(_) => match web.desk.cases.visible_prefixes(session.account.id) {
            Ok(visible) => Some(visible),
            Err(CaseError::AccountInactive) => std::collections::HashSet::new().into(),
            Err(error) => return store_failure(web, lang, Some(session), &error),
        },
        Subject::Case { .. } => None,
    };
    let of = match &subject {
        Subject::Case { key, .. } => format!("case {}", key.prefix()),
        Subject::Account(account) => format!("account {}", account.id),
    };
    let viewed = AuditEvent::DeskTrailViewed {
        account: session.account.id.to_string(),
        of,
    };
    if let Err(reply) = record(web, lang, Some(session), viewed) {
        return reply;
    }
    let key = web.audit.head_key_hex();
    let check = match &key {
        Some(key) => HeadCheck::SignedBy(key),
        None => HeadCheck::Unsigned,
    };
    let wanted = |event: &AuditEvent| {
        concerns(&subject, event)
            && match (event, &visible) {
                (AuditEvent::Case { case, .. }, Some(visible)) => visible.contains(case),
                _ => true,
            }
    };
    let (trail, verified) = match web.audit.read_verified(check, wanted) {
        Ok(read) => read,
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let chain = match verified {
        None => Chain::Empty,
        Some(Ok(verified)) => Chain::Holds {
            lines: verified.lines,
            signed: verified.signature_checked,
        },
        Some(Err(error)) => Chain::Broken(error.to_string()),
    };
    Reply::page(
        StatusCode::OK,
        render(
            lang,
            &viewer(web, session),
            &subject,
            &trail,
            &chain,
            &names,
        ),
    )
}

/// What `verify` said of the whole log.
enum Chain {
    Empty,
    Holds { lines: u64, signed: bool },
    Broken(String),
}

/// Whether a line belongs to the subject's trail.
fn concerns(subject: &Subject, event: &AuditEvent) -> bool {
    match subject {
        Subject::Case { key, ticket } => match event {
            AuditEvent::Case { case, .. } => *case == key.prefix(),
            AuditEvent::DeskTrailViewed { of, .. } => *of == format!("case {}", key.prefix()),
            AuditEvent::Delivered { ticket: t, .. }
            | AuditEvent::Closed { ticket: t, .. }
            | AuditEvent::Refused { ticket: t, .. } => t == ticket,
            _ => false,
        },
        Subject::Account(account) => {
            let id = account.id.to_string();
            match event {
                AuditEvent::DeskLogin { account, .. }
                | AuditEvent::DeskTrailViewed { account, .. }
                | AuditEvent::DeskLogout { account }
                | AuditEvent::DeskEnrolled { account }
                | AuditEvent::DeskDisplayNameChanged { account }
                | AuditEvent::Case { account, .. } => *account == id,
                AuditEvent::DeskAccountCreated { by, account, .. }
                | AuditEvent::DeskAccountReset { by, account }
                | AuditEvent::DeskAccountDisabled { by, account } => *by == id || *account == id,
                _ => false,
            }
        }
    }
}

/// `%XX` and `+` decoded, for a login name in a query; a malformed escape is kept as it is.
fn percent_decoded(text: &str) -> String {
    fn hex(byte: u8) -> Option<u8> {
        (byte as char)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = (byte == b'%')
            .then(|| Some(hex(*bytes.get(i + 1)?)? * 16 + hex(*bytes.get(i + 2)?)?))
            .flatten();
        match (byte, escaped) {
            (_, Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (other, None) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The words of the trail pages.
struct TrailText {
    title_case: &'static str,
    title_account: &'static str,
    intro_case: &'static str,
    intro_account: &'static str,
    chain_holds: fn(u64) -> String,
    chain_signed: &'static str,
    chain_unsigned: &'static str,
    chain_empty: &'static str,
    chain_broken: &'static str,
    unreadable: fn(u64) -> String,
    cut: fn(usize, usize) -> String,
    none: &'static str,
    line: &'static str,
    time: &'static str,
    who: &'static str,
    what: &'static str,
    detail: &'static str,
    case: &'static str,
    delivery: &'static str,
    retention: &'static str,
    to_case: &'static str,
    no_text: &'static str,
}

const SV: TrailText = TrailText {
    title_case: "Granskningsspår för ärende",
    title_account: "Granskningsspår för kontot",
    intro_case: "Allt som loggats om ärendet, i ordning: vad besökarens sida skickade och vad personalen gjorde.",
    intro_account: "Allt som loggats om kontot, i ordning: inloggningar, vad administratörer gjort med kontot och vad kontot gjort.",
    chain_holds: |lines| format!("Loggens kedja håller: {lines} rader, ingen ändrad, borttagen eller tillagd i efterhand."),
    chain_signed: "Loggens slut är signerat med den här inkorgens nyckel.",
    chain_unsigned: "Loggens slut är inte signerat (ingen nyckel finns för inkorgen).",
    chain_empty: "Loggen är tom.",
    chain_broken: "Varning: loggens kedja håller inte. Loggen kan ha ändrats. Kontakta driften och kör porten-inbox audit verify.",
    unreadable: |n| format!("{n} rader i loggen kunde inte läsas och visas inte."),
    cut: |shown, all| format!("De senaste {shown} av {all} rader visas."),
    none: "Inga rader.",
    line: "Rad",
    time: "Tid",
    who: "Vem",
    what: "Vad",
    detail: "Gäller",
    case: "Ärende",
    delivery: "Inkorgen (leverans)",
    retention: "Gallring",
    to_case: "Till ärendet",
    no_text: "Loggen innehåller aldrig meddelanden, svar eller anteckningar, bara vem som gjorde vad och när.",
};

const EN: TrailText = TrailText {
    title_case: "Audit trail of case",
    title_account: "Audit trail of account",
    intro_case: "Everything logged about this case, in order: what the visitor's side sent and what staff did.",
    intro_account: "Everything logged about this account, in order: logins, what administrators did to it and what it did.",
    chain_holds: |lines| format!("The log's chain holds: {lines} lines, none changed, removed or added afterwards."),
    chain_signed: "The log's end is signed with this inbox's key.",
    chain_unsigned: "The log's end is not signed (the inbox has no key).",
    chain_empty: "The log is empty.",
    chain_broken: "Warning: the log's chain does not hold. The log may have been altered. Tell the operator and run porten-inbox audit verify.",
    unreadable: |n| format!("{n} lines of the log could not be read and are not shown."),
    cut: |shown, all| format!("The latest {shown} of {all} lines are shown."),
    none: "No lines.",
    line: "Line",
    time: "Time",
    who: "Who",
    what: "What",
    detail: "Concerns",
    case: "Case",
    delivery: "The inbox (delivery)",
    retention: "Retention",
    to_case: "To the case",
    no_text: "The log never holds messages, replies or notes, only who did what and when.",
};

fn words(lang: Lang) -> &'static TrailText {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// An action's words, in the page's language.
fn action_words(lang: Lang, action: &str) -> &'static str {
    let (sv, en) = match action {
        "viewed" => ("öppnade ärendet", "opened the case"),
        "took" => ("tog ärendet", "took the case"),
        "assigned" => ("gav ärendet till", "gave the case to"),
        "moved-to-team" => ("flyttade ärendet till teamet", "moved the case to the team"),
        "status-set" => ("satte status", "set the status"),
        "note-added" => ("skrev en intern anteckning", "wrote an internal note"),
        "reply-recorded" => (
            "skrev ett svar (sparat, ska skickas)",
            "wrote a reply (stored, to be sent)",
        ),
        "reply-pushed" => (
            "svaret skickades till porten",
            "the reply reached the gateway",
        ),
        "reply-failed" => ("svaret kunde inte skickas", "the reply could not be sent"),
        "reply-retried" => (
            "bad om att svaret skickas igen",
            "asked for the reply to be sent again",
        ),
        "referred" => ("slussade vidare till", "passed the case on to"),
        "reminder-set" => ("satte en påminnelse", "set a reminder"),
        "reminder-cleared" => ("tog bort påminnelsen", "cleared the reminder"),
        "urgency-cleared" => ("tog bort brådskemarkeringen", "cleared the urgency"),
        "content-erased" => (
            "innehållet raderades efter gallringstiden",
            "the content was erased after the retention period",
        ),
        "exported" => (
            "laddade ned ett förseglat original",
            "downloaded a sealed original",
        ),
        _ => ("", ""),
    };
    match lang {
        Lang::Sv if !sv.is_empty() => sv,
        Lang::En if !en.is_empty() => en,
        _ => "",
    }
}

/// One row: who, what, and what it concerns, in words.
struct Row {
    who: String,
    /// The login name of the account `who` names, for a link to its trail.
    who_login: Option<String>,
    what: String,
    detail: String,
    case: Option<String>,
}

fn row(lang: Lang, names: &Names, logged: &Logged) -> Row {
    let w = words(lang);
    let sv = lang == Lang::Sv;
    let pick = |sv_text: &str, en_text: &str| {
        if sv {
            sv_text.to_owned()
        } else {
            en_text.to_owned()
        }
    };
    let account = |id: &str| {
        names
            .accounts
            .iter()
            .find(|account| account.id.to_string() == id)
            .map_or_else(
                || id.to_owned(),
                |account| {
                    format!(
                        "{} ({})",
                        account.display_name.as_str(),
                        account.login.as_str()
                    )
                },
            )
    };
    let login = |id: &str| {
        names
            .accounts
            .iter()
            .find(|account| account.id.to_string() == id)
            .map(|account| account.login.as_str().to_owned())
    };
    let plain = |who: String, what: String, detail: String| Row {
        who,
        who_login: None,
        what,
        detail,
        case: None,
    };
    let acted = |id: &str, what: String, detail: String| Row {
        who: account(id),
        who_login: login(id),
        what,
        detail,
        case: None,
    };
    match &logged.event {
        AuditEvent::Delivered { kind, ticket, .. } => plain(
            w.delivery.to_owned(),
            match kind {
                porten_protocol::envelope::EnvelopeKind::FirstContact => {
                    pick("första kontakt levererad", "first contact delivered")
                }
                porten_protocol::envelope::EnvelopeKind::FollowUp => {
                    pick("uppföljning levererad", "follow-up delivered")
                }
                porten_protocol::envelope::EnvelopeKind::Closed => {
                    pick("avslut levererat", "close delivered")
                }
            },
            ticket.clone(),
        ),
        AuditEvent::Closed { reason, ticket, .. } => plain(
            w.delivery.to_owned(),
            match reason {
                porten_protocol::envelope::ClosedReason::Visitor => pick(
                    "besökaren raderade samtalet",
                    "the visitor deleted the conversation",
                ),
                porten_protocol::envelope::ClosedReason::Expired => {
                    pick("samtalet gick ut", "the conversation expired")
                }
            },
            ticket.clone(),
        ),
        AuditEvent::Refused { reason, .. } => plain(
            w.delivery.to_owned(),
            pick("ett kuvert avvisades", "an envelope was refused"),
            reason.clone(),
        ),
        AuditEvent::DeskLogin {
            account: id,
            method,
        } => acted(id, pick("loggade in", "logged in"), method.clone()),
        AuditEvent::DeskTrailViewed { account: id, of } => acted(
            id,
            pick("läste ett granskningsspår", "read an audit trail"),
            match of.split_once(' ') {
                Some(("account", whose)) => account(whose),
                _ => of.clone(),
            },
        ),
        AuditEvent::DeskLogout { account: id } => {
            acted(id, pick("loggade ut", "logged out"), String::new())
        }
        AuditEvent::DeskEnrolled { account: id } => acted(
            id,
            pick(
                "aktiverade kontot (lösenord och tvåstegskod)",
                "enrolled (password and two-step code)",
            ),
            String::new(),
        ),
        AuditEvent::DeskDisplayNameChanged { account: id } => acted(
            id,
            pick("bytte visningsnamn", "changed the display name"),
            String::new(),
        ),
        AuditEvent::DeskAccountCreated {
            by,
            account: id,
            role,
            teams,
        } => acted(
            by,
            pick("skapade kontot", "created the account"),
            format!("{} · {role} · {}", account(id), teams.join(", ")),
        ),
        AuditEvent::DeskAccountReset { by, account: id } => acted(
            by,
            pick("återställde kontot", "reset the account"),
            account(id),
        ),
        AuditEvent::DeskAccountDisabled { by, account: id } => acted(
            by,
            pick("stängde av kontot", "disabled the account"),
            account(id),
        ),
        AuditEvent::Case {
            account: id,
            case,
            action,
            detail,
            ..
        } => {
            let who = if id == "retention" {
                w.retention.to_owned()
            } else {
                account(id)
            };
            let detail = match (action.as_str(), detail) {
                ("assigned", Some(to)) => account(to),
                (_, Some(detail)) => detail.clone(),
                (_, None) => String::new(),
            };
            let what = match action_words(lang, action) {
                "" => action.clone(),
                words => words.to_owned(),
            };
            Row {
                who,
                who_login: login(id),
                what,
                detail,
                case: Some(case.clone()),
            }
        }
        other => plain(String::new(), event_name(other), String::new()),
    }
}

/// The log's own name of an event no row above describes.
fn event_name(event: &AuditEvent) -> String {
    serde_json::to_value(event)
        .ok()
        .and_then(|value| {
            value
                .get("event")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

fn chain_markup(w: &TrailText, chain: &Chain) -> Markup {
    html! {
        @match chain {
            Chain::Empty => div.box.ok role="status" { p { (w.chain_empty) } },
            Chain::Holds { lines, signed } => div.box.ok role="status" {
                p { ((w.chain_holds)(*lines)) " " (if *signed { w.chain_signed } else { w.chain_unsigned }) }
            },
            Chain::Broken(problem) => div.errors role="alert" {
                p { strong { (w.chain_broken) } }
                p { (problem) }
            },
        }
    }
}

fn render(
    lang: Lang,
    viewer: &Viewer<'_>,
    subject: &Subject,
    trail: &Trail,
    chain: &Chain,
    names: &Names,
) -> String {
    let w = words(lang);
    let l = lang.code();
    let (title, intro, path) = match subject {
        Subject::Case { key, .. } => {
            let mut short = key.to_hex();
            short.truncate(8);
            (
                format!("{} {short}", w.title_case),
                w.intro_case,
                format!("/trail?case={}", key.to_hex()),
            )
        }
        Subject::Account(account) => (
            format!(
                "{} {} ({})",
                w.title_account,
                account.display_name.as_str(),
                account.login.as_str()
            ),
            w.intro_account,
            format!("/trail?account={}", account.login.as_str()),
        ),
    };
    let skip = trail.lines.len().saturating_sub(MAX_ROWS);
    let shown = &trail.lines[skip..];
    let content = html! {
        @if let Subject::Case { key, .. } = subject {
            p { a href={ "/" (l) "/cases/" (key.to_hex()) } { (w.to_case) } }
        }
        p { (intro) " " (w.no_text) }
        (chain_markup(w, chain))
        @if trail.unreadable > 0 { p { ((w.unreadable)(trail.unreadable)) } }
        @if skip > 0 { p { ((w.cut)(shown.len(), trail.lines.len())) } }
        @if shown.is_empty() {
            p { (w.none) }
        } @else {
            div.table {
                table {
                    thead {
                        tr {
                            th scope="col" { (w.line) }
                            th scope="col" { (w.time) }
                            th scope="col" { (w.who) }
                            th scope="col" { (w.what) }
                            th scope="col" { (w.detail) }
                            @if matches!(subject, Subject::Account(_)) { th scope="col" { (w.case) } }
                        }
                    }
                    tbody {
                        @for logged in shown {
                            @let row = row(lang, names, logged);
                            tr {
                                th scope="row" { (logged.n) }
                                td { (logged.time) }
                                td {
                                    @if let Some(login) = &row.who_login {
                                        a href={ "/" (l) "/trail?account=" (login) } { (row.who) }
                                    } @else {
                                        (row.who)
                                    }
                                }
                                td { (row.what) }
                                td { (row.detail) }
                                @if matches!(subject, Subject::Account(_)) {
                                    td { (row.case.unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(&Here { lang, path: &path }, &title, Some(viewer), content)
}
