//! The case page's handlers: showing a case (which records the view) and the staff actions its forms post
//! to `/{lang}/cases/{case key}/{action}`. The router has checked the session and its CSRF token first.
//!
//! Every action's fact goes to the audit log before the answer; the log line names the account, the case
//! and what was done, never text. A case the account may not see answers exactly as a key no case has:
//! the same 404 page. After an action the browser is sent back to the case page (so reloading it posts
//! nothing again); a refused field shows the page again with the error and what was typed.
//!
//! A reply is recorded here as an intent ([`crate::desk::Cases::record_reply`]) and handed to the reply
//! pusher ([`crate::desk::push`], through [`super::Web::replies`]); the page waits up to
//! [`crate::desk::push::PAGE_WAIT`] for the outcome, then says whether the reply was sent, could not be sent, or is still
//! being sent.

use hyper::StatusCode;
use porten_protocol::secret::Sensitive;
use porten_protocol::thread::EntryId;
use tokio::sync::mpsc::error::TrySendError;

use super::case_page::{self, CasePage};
use super::http::{Form, Reply};
use super::queue::Names;
use super::router::{message, not_found_for, record, store_failure, viewer, Message};
use super::text::Lang;
use super::Web;
use crate::desk::push::PushRequest;
use crate::desk::{
    CaseError, CaseFact, CaseKey, ReplyIntent, Session, Status, TeamName, MAX_TEXT_CHARS,
};

/// What an action's refused form typed, to show it again.
#[derive(Default)]
struct Typed<'a> {
    reply: &'a str,
    note: &'a str,
    /// The reply form's reply id, kept when a reply is refused.
    reply_id: &'a str,
}

/// How the case page is shown: after a plain visit, an action done, or a field refused.
struct Shown<'a> {
    status: StatusCode,
    notice: Option<&'a str>,
    /// The error and the id of the field it is about.
    error: Option<(&'a str, &'a str)>,
    typed: Typed<'a>,
}

impl<'a> Shown<'a> {
    /// A field refused: 422, the error at the field, what was typed.
    fn refused(message: &'a str, field: &'a str, typed: Typed<'a>) -> Shown<'a> {
        Shown {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            notice: None,
            error: Some((message, field)),
            typed,
        }
    }
}

/// The case page (`GET /{lang}/cases/{key}`), with a notice after an action (`?done`, `?stored`), or a
/// visitor message's sealed original (`GET /{lang}/cases/{key}/sealed/{entry number}`).
pub(super) fn page(web: &Web, lang: Lang, session: &Session, key: &str, query: &str) -> Reply {
    if let Some((key, number)) = key.split_once("/sealed/") {
        return sealed_original(web, lang, session, key, number);
    }
    let c = lang.cases();
    let notice = match query {
        "done" => Some(c.done),
        "stored" => Some(c.reply_stored),
        "sent" => Some(c.reply_sent),
        "not-sent" => Some(c.reply_not_sent),
        _ => None,
    };
    let shown = Shown {
        status: StatusCode::OK,
        notice,
        error: None,
        typed: Typed::default(),
    };
    show(web, lang, session, key, &shown)
}

/// Reads the case (recording the view in the audit log) and renders it.
fn show(web: &Web, lang: Lang, session: &Session, key: &str, shown: &Shown<'_>) -> Reply {
    let Some(key) = CaseKey::from_hex(key) else {
        return not_found_for(web, lang, session);
    };
    let (view, fact) = match web.desk.cases.view(session.account.id, &key) {
        Ok(read) => read,
        Err(error) => return refused(web, lang, session, error),
    };
    if let Err(reply) = record(web, lang, Some(session), fact.audit_event()) {
        return reply;
    }
    let names = match Names::read(web) {
        Ok(names) => names,
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let fresh = EntryId::random().to_hex();
    let reply_id = if EntryId::from_hex(shown.typed.reply_id).is_some() {
        shown.typed.reply_id
    } else {
        &fresh
    };
    let page = CasePage {
        view: &view,
        names: &names,
        now: web.now(),
        notice: shown.notice,
        error: shown.error,
        reply: shown.typed.reply,
        note: shown.typed.note,
        reply_id,
    };
    Reply::page(
        shown.status,
        case_page::render(lang, &viewer(web, session), &page),
    )
}

/// A visitor's message as it came from the gateway, still sealed to the inbox's identity: an age file to
/// open with `age -d -i <identity> <file>`. The export is in the audit log before the file is sent.
fn sealed_original(web: &Web, lang: Lang, session: &Session, key: &str, number: &str) -> Reply {
    let parsed = CaseKey::from_hex(key).zip(
        number
            .parse::<u32>()
            .ok()
            .filter(|_| number.bytes().all(|b| b.is_ascii_digit())),
    );
    let Some((key, number)) = parsed else {
        return not_found_for(web, lang, session);
    };
    let (envelope, bytes, fact) =
        match web
            .desk
            .cases
            .sealed_original(session.account.id, &key, number)
        {
            Ok(found) => found,
            Err(CaseError::Erased) => return not_found_for(web, lang, session),
            Err(error) => return refused(web, lang, session, error),
        };
    if let Err(reply) = record(web, lang, Some(session), fact.audit_event()) {
        return reply;
    }
    Reply::download(format!("{envelope}.age"), bytes)
}

/// Sends a failed reply again (`POST …/resend`, the reply's id in `reply`), after its intent is logged.
/// A reply already sent, or sent again meanwhile (a second click), leaves the case page as it is.
fn resend(
    web: &Web,
    lang: Lang,
    session: &Session,
    key: &CaseKey,
    key_text: &str,
    form: &Form,
) -> Reply {
    let Some(reply_id) = EntryId::from_hex(form.value("reply")) else {
        return Reply::redirect(format!("/{}/cases/{key_text}", lang.code()));
    };
    let intent = match web
        .desk
        .cases
        .retry_reply(session.account.id, key, reply_id)
    {
        Ok(intent) => intent,
        Err(CaseError::NoSuchReply) => {
            return Reply::redirect(format!("/{}/cases/{key_text}", lang.code()))
        }
        Err(CaseError::VisitorGone | CaseError::Erased) => {
            return Reply::redirect(format!("/{}/cases/{key_text}?not-sent", lang.code()))
        }
        Err(error) => return refused(web, lang, session, error),
    };
    if let Err(reply) = record(web, lang, Some(session), intent.fact.audit_event()) {
        return reply;
    }
    push(web, lang, key_text, intent)
}

/// Hands a recorded reply to the pusher and sends the browser back to the case page, saying what became
/// of it. The page waits a little for the push, so the worker usually sees at once whether it went through.
fn push(web: &Web, lang: Lang, key_text: &str, intent: ReplyIntent) -> Reply {
    let outcome = match &web.replies {
        Some(pusher) => {
            let (done, told) = std::sync::mpsc::sync_channel(1);
            match pusher.try_send(PushRequest {
                intent,
                done: Some(done),
            }) {
                Ok(()) => told.recv_timeout(web.push_wait).ok(),
                // The reply stays recorded and not sent; the next start pushes it.
                Err(TrySendError::Full(_)) => {
                    tracing::warn!(
                        "the reply pusher's queue is full; a reply stays stored, not sent"
                    );
                    None
                }
                Err(TrySendError::Closed(_)) => {
                    tracing::warn!("the reply pusher has stopped; a reply stays stored, not sent");
                    None
                }
            }
        }
        None => None,
    };
    let notice = match outcome {
        Some(true) => "sent",
        Some(false) => "not-sent",
        None => "stored",
    };
    Reply::redirect(format!("/{}/cases/{key_text}?{notice}", lang.code()))
}

/// An error no form field can fix, as its page.
fn refused(web: &Web, lang: Lang, session: &Session, error: CaseError) -> Reply {
    match error {
        CaseError::NotFound => not_found_for(web, lang, session),
        CaseError::NotAllowed | CaseError::AccountInactive => message(
            web,
            lang,
            Some(session),
            StatusCode::FORBIDDEN,
            Message::Forbidden,
        ),
        other => store_failure(web, lang, Some(session), &other),
    }
}

/// One action posted from the case page: `route` is what follows `/cases/`, `{key}/{action}`.
pub(super) fn act(web: &Web, lang: Lang, session: &Session, route: &str, form: &Form) -> Reply {
    let Some((key_text, action)) = route.split_once('/') else {
        return not_found_for(web, lang, session);
    };
    let Some(key) = CaseKey::from_hex(key_text) else {
        return not_found_for(web, lang, session);
    };
    let c = lang.cases();
    let actor = session.account.id;
    let cases = &web.desk.cases;
    // A refused field: the page again, with the error at the field and what was typed.
    let again = |message: &str, field: &str, typed: Typed<'_>| {
        show(
            web,
            lang,
            session,
            key_text,
            &Shown::refused(message, field, typed),
        )
    };
    let text_error = |text: &str| {
        if text.trim().is_empty() {
            c.text_empty
        } else if text.chars().count() > MAX_TEXT_CHARS {
            c.text_too_long
        } else {
            c.bad_choice
        }
    };
    let result: Result<CaseFact, CaseError> = match action {
        "reply" => return reply(web, lang, session, &key, key_text, form),
        "resend" => return resend(web, lang, session, &key, key_text, form),
        "note" => {
            let text = form.value("text");
            match cases.add_note(actor, &key, &Sensitive::new(text.to_owned())) {
                Err(CaseError::BadText(_)) => {
                    let typed = Typed {
                        note: text,
                        ..Typed::default()
                    };
                    return again(text_error(text), "note-text", typed);
                }
                other => other,
            }
        }
        "take" => cases.take(actor, &key),
        "assign" => {
            let names = match Names::read(web) {
                Ok(names) => names,
                Err(error) => return store_failure(web, lang, Some(session), &error),
            };
            let to = names
                .assignable()
                .find(|account| account.id.to_string() == form.value("to"))
                .map(|account| account.id);
            match to {
                Some(to) => cases.assign(actor, &key, to),
                None => Err(CaseError::NotAssignable),
            }
        }
        "team" => match TeamName::parse(form.value("team")) {
            Ok(team) => cases.move_to_team(actor, &key, &team),
            Err(_) => return again(c.bad_choice, "team", Typed::default()),
        },
        "status" => {
            let wanted = form.value("status");
            let status = [
                Status::New,
                Status::Open,
                Status::WaitingForVisitor,
                Status::Closed,
            ]
            .into_iter()
            .find(|status| status.as_str() == wanted);
            match status {
                Some(status) => cases.set_status(actor, &key, status),
                None => return again(c.bad_choice, "status", Typed::default()),
            }
        }
        "refer" => {
            let note = form.value("note");
            let note = (!note.trim().is_empty()).then(|| Sensitive::new(note.to_owned()));
            match cases.refer(actor, &key, form.value("partner"), note.as_ref()) {
                Err(CaseError::BadText(_)) => {
                    return again(
                        text_error(form.value("note")),
                        "referral-note",
                        Typed::default(),
                    )
                }
                other => other,
            }
        }
        "reminder" => match reminder_date(form.value("date")) {
            Ok(at) => cases.set_reminder(actor, &key, at),
            Err(_) => return again(c.bad_date, "reminder-date", Typed::default()),
        },
        "urgency" => cases.clear_urgency(actor, &key),
        _ => return not_found_for(web, lang, session),
    };
    let fact = match result {
        Ok(fact) => fact,
        Err(CaseError::NotAssignable) => {
            return again(c.not_assignable, "assign-to", Typed::default())
        }
        Err(CaseError::UnknownTeam(_)) => return again(c.bad_choice, "team", Typed::default()),
        Err(CaseError::UnknownPartner(_)) => {
            return again(c.bad_choice, "partner", Typed::default())
        }
        Err(CaseError::Erased) => return again(c.content_erased, "main", Typed::default()),
        Err(error) => return refused(web, lang, session, error),
    };
    if let Err(reply) = record(web, lang, Some(session), fact.audit_event()) {
        return reply;
    }
    Reply::redirect(format!("/{}/cases/{key_text}?done", lang.code()))
}

/// A reminder's date (`YYYY-MM-DD`) as midnight UTC of that day; an empty field clears the reminder.
fn reminder_date(text: &str) -> Result<Option<i64>, time::error::Parse> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date = time::Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )?;
    Ok(Some(date.midnight().assume_utc().unix_timestamp()))
}

/// Records a reply's intent, writes it to the audit log, and hands it to the reply pusher if one is wired.
fn reply(
    web: &Web,
    lang: Lang,
    session: &Session,
    key: &CaseKey,
    key_text: &str,
    form: &Form,
) -> Reply {
    let c = lang.cases();
    let text = form.value("text");
    let typed = || Typed {
        reply: text,
        reply_id: form.value("reply_id"),
        ..Typed::default()
    };
    let again = |message: &str| {
        show(
            web,
            lang,
            session,
            key_text,
            &Shown::refused(message, "reply-text", typed()),
        )
    };
    let text_sealed = Sensitive::new(text.to_owned());
    let recorded = match EntryId::from_hex(form.value("reply_id")) {
        Some(reply_id) => {
            web.desk
                .cases
                .record_reply_as(session.account.id, key, &text_sealed, reply_id)
        }
        // A form from before reply ids (or a hand-made post): a fresh id.
        None => web
            .desk
            .cases
            .record_reply(session.account.id, key, &text_sealed),
    };
    let intent = match recorded {
        Ok(intent) => intent,
        // The same form again (a double click, or sent again from history): recorded once already.
        Err(CaseError::ReplyExists) => {
            return Reply::redirect(format!("/{}/cases/{key_text}", lang.code()))
        }
        Err(CaseError::BadText(_)) if text.trim().is_empty() => return again(c.text_empty),
        Err(CaseError::BadText(_)) => return again(c.text_too_long),
        Err(CaseError::VisitorGone) => return again(c.visitor_gone),
        Err(CaseError::Erased) => return again(c.content_erased),
        Err(error) => return refused(web, lang, session, error),
    };
    // The intent is on record before anything could push it.
    if let Err(reply) = record(web, lang, Some(session), intent.fact.audit_event()) {
        return reply;
    }
    push(web, lang, key_text, intent)
}
