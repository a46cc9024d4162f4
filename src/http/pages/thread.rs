//! Returning with a code: open the thread, write again, delete it.
//!
//! Only a fresh post of the code form opens a thread. The conversation page's forms carry a session token
//! (the ticket's keys, sealed); when it has expired, the visitor is sent to the code form with what they were
//! writing kept (the text and the "I am in danger now" box), and entering the code again sends it. A session
//! token sent again from history opens nothing and shows nothing of what its form carried.

use hyper::StatusCode;
use porten_templates::{self as templates, field_errors, Field, FieldError, Lang, Sent};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::{
    conversation_failure, html, message_error, retry_after, return_form, site, ReturnView,
    TokenFailure, Writing, BUSY_RETRY_SECS,
};
use crate::app::App;
use crate::budget::Source;
use crate::conversation::{ConversationError, FollowUp, OpenedThread};
use crate::http::form::Form;
use crate::http::headers::Transport;
use crate::http::router::{HtmlResponse, Page};
use crate::thread::AuthorKind;
use crate::ticket::{CodeError, TicketCode, TicketKeys};
use crate::token::{Carried, TokenError, TokenPurpose};

fn code_error(error: CodeError) -> FieldError {
    let message_id = match error {
        CodeError::Empty => field_errors::CODE_EMPTY,
        CodeError::CheckDigit => field_errors::CODE_TYPO,
        CodeError::TooLong | CodeError::NotADigit | CodeError::WrongLength { .. } => {
            field_errors::CODE_FORMAT
        }
    };
    FieldError::new(Field::Code, message_id)
}

fn not_found() -> FieldError {
    FieldError::new(Field::Code, field_errors::CODE_NOT_FOUND)
}

/// The code form after a token failure of the code form or of a conversation page: what may come back of
/// `writing` (the visitor's text and danger box) depends on the failure; a code never comes back.
fn after_token_failure(
    app: &App,
    lang: Lang,
    error: TokenError,
    writing: Writing<'_>,
    from_conversation: bool,
) -> HtmlResponse {
    match TokenFailure::from(error) {
        TokenFailure::KeepText if from_conversation => {
            let view = ReturnView {
                writing,
                timed_out: true,
                ..ReturnView::default()
            };
            return_form(app, lang, &view, &[], StatusCode::OK)
        }
        TokenFailure::KeepText => {
            let view = ReturnView {
                writing,
                ..ReturnView::default()
            };
            let expired = FieldError::new(Field::Form, field_errors::CODE_FORM_EXPIRED);
            return_form(
                app,
                lang,
                &view,
                &[expired],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        TokenFailure::Forget(error) => return_form(
            app,
            lang,
            &ReturnView::default(),
            &[error],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

/// `POST /{lang}/return`: with no field, the button that opens the code form; otherwise the code form, which
/// opens the thread (and sends what was kept from a conversation page that timed out).
pub(super) async fn return_with_code(
    app: &App,
    transport: Transport,
    source: Source,
    lang: Lang,
    form: &Form,
) -> HtmlResponse {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if form.is_empty() {
        return return_form(app, lang, &ReturnView::default(), &[], StatusCode::OK);
    }
    let message = Zeroizing::new(form.value(Field::Message).to_owned());
    let writing = Writing::read(&message, form);
    if let Err(error) = app
        .tokens
        .redeem(form.value(Field::Token), TokenPurpose::Return)
    {
        return after_token_failure(app, lang, error, writing, false);
    }
    let typed = form.value(Field::Code);
    // What the code form shows again: the message and its box always, the code as typed only when it may be
    // corrected.
    let keeping = |code| ReturnView {
        code,
        writing,
        timed_out: false,
    };
    // Nothing longer than a code is worth showing again.
    if typed.chars().count() > crate::ticket::code::MAX_CODE_INPUT_CHARS {
        let error = code_error(CodeError::TooLong);
        return return_form(app, lang, &keeping(""), &[error], unprocessable);
    }
    let code = match TicketCode::parse(typed, app.config().ticket.code_length) {
        Ok(code) => code,
        Err(error) => {
            let view = keeping(typed);
            return return_form(app, lang, &view, &[code_error(error)], unprocessable);
        }
    };
    if let Err(wait) = app.code_attempts.try_take(source) {
        tracing::debug!("code attempt rate limit reached");
        let view = keeping(typed);
        let limited = FieldError::new(Field::Code, field_errors::RATE_LIMITED);
        let response = return_form(app, lang, &view, &[limited], StatusCode::TOO_MANY_REQUESTS);
        return retry_after(response, wait.as_secs());
    }
    let keys = match app.conversations.keys_for(code).await {
        Ok(keys) => keys,
        Err(ConversationError::Busy) => {
            let busy = FieldError::new(Field::Form, field_errors::BUSY);
            let view = keeping(typed);
            let response = return_form(app, lang, &view, &[busy], StatusCode::SERVICE_UNAVAILABLE);
            return retry_after(response, BUSY_RETRY_SECS);
        }
        Err(error) => return conversation_failure(app, transport, lang, error),
    };
    if writing.is_empty() {
        return show_thread(app, transport, lang, keys, ThreadView::opened()).await;
    }
    // The visitor wrote this on a conversation page that timed out: send it now that the code is known again
    // (an empty text with the box ticked is refused there and shown again as it was).
    let view = ThreadView {
        writing,
        ..ThreadView::opened()
    };
    send(app, transport, source, lang, keys, view).await
}

/// How a thread is shown: opened with the code (recorded as an open), or shown again within the same visit.
#[derive(Clone, Copy)]
enum Showing {
    /// The visitor just entered the code.
    Opened,
    /// After writing again: not a new open; `previous_open` is carried from the page that started the visit.
    Again { previous_open: Option<i64> },
}

/// What the conversation page shows besides the thread.
#[derive(Clone, Copy)]
struct ThreadView<'a> {
    showing: Showing,
    /// The write-again text and danger box, kept when they must be corrected.
    writing: Writing<'a>,
    errors: &'a [FieldError],
    /// Whether a new message was just sent, and with the box ticked.
    sent: Sent,
    status: StatusCode,
}

impl ThreadView<'_> {
    fn opened() -> ThreadView<'static> {
        ThreadView {
            showing: Showing::Opened,
            writing: Writing::default(),
            errors: &[],
            sent: Sent::Nothing,
            status: StatusCode::OK,
        }
    }

    fn again(previous_open: Option<i64>) -> ThreadView<'static> {
        ThreadView {
            showing: Showing::Again { previous_open },
            ..ThreadView::opened()
        }
    }
}

async fn show_thread(
    app: &App,
    transport: Transport,
    lang: Lang,
    keys: TicketKeys,
    view: ThreadView<'_>,
) -> HtmlResponse {
    let opened = match view.showing {
        Showing::Opened => {
            app.conversations
                .open_thread(&keys, OffsetDateTime::now_utc())
                .await
        }
        Showing::Again { previous_open } => {
            app.conversations.read_thread(&keys).await.map(|thread| {
                thread.map(|mut thread| {
                    thread.previous_open = previous_open;
                    thread
                })
            })
        }
    };
    match opened {
        Ok(Some(thread)) => render_thread(app, lang, &keys, &thread, &view),
        Ok(None) => return_form(
            app,
            lang,
            &ReturnView::default(),
            &[not_found()],
            StatusCode::NOT_FOUND,
        ),
        Err(error) => conversation_failure(app, transport, lang, error),
    }
}

fn render_thread(
    app: &App,
    lang: Lang,
    keys: &TicketKeys,
    thread: &OpenedThread,
    view: &ThreadView<'_>,
) -> HtmlResponse {
    let token = app
        .tokens
        .issue(TokenPurpose::Session, Carried::Session(keys));
    let times: Vec<String> = thread
        .entries
        .iter()
        .map(|entry| crate::display_time::format(entry.plain.written))
        .collect();
    let entries: Vec<templates::EntryView> = thread
        .entries
        .iter()
        .zip(&times)
        .map(|(entry, written)| templates::EntryView {
            mine: entry.author == AuthorKind::Visitor,
            author_name: entry.plain.author_name.as_deref(),
            written,
            text: &entry.plain.text,
            delivered: entry.delivered,
        })
        .collect();
    let previous_open = thread.previous_open.map(crate::display_time::format);
    let onion = app.onion_address();
    let site = site(app, lang, Page::Landing, onion.as_deref());
    let page = templates::ThreadPage {
        entries: &entries,
        previous_open: previous_open.as_deref(),
        previous_open_unix: thread.previous_open,
        token: &token,
        message: view.writing.message,
        urgent: view.writing.urgent,
        max_message_chars: app.limits().max_message_chars,
        errors: view.errors,
        sent: view.sent,
        session_minutes: app.tokens.lifetime().as_secs() / 60,
    };
    html(view.status, templates::thread(&site, &page))
}

/// Validates `view.writing`, takes the submission budget and sends it as a follow-up, then shows the thread:
/// with "sent" (and the emergency numbers if the box was ticked), or with the text and box kept and what went
/// wrong.
async fn send(
    app: &App,
    transport: Transport,
    source: Source,
    lang: Lang,
    keys: TicketKeys,
    view: ThreadView<'_>,
) -> HtmlResponse {
    let message = Zeroizing::new(view.writing.message.to_owned());
    let urgent = view.writing.urgent;
    if let Some(error) = message_error(&message, app.limits().max_message_chars) {
        let errors = [error];
        let refused = ThreadView {
            errors: &errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            ..view
        };
        return show_thread(app, transport, lang, keys, refused).await;
    }
    if let Err(wait) = app.submissions.try_take(source) {
        tracing::debug!("submission rate limit reached");
        let errors = [FieldError::new(Field::Message, field_errors::RATE_LIMITED)];
        let refused = ThreadView {
            errors: &errors,
            status: StatusCode::TOO_MANY_REQUESTS,
            ..view
        };
        let response = show_thread(app, transport, lang, keys, refused).await;
        return retry_after(response, wait.as_secs());
    }
    match app
        .conversations
        .follow_up(
            &keys,
            FollowUp { message, urgent },
            OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(true) => {
            tracing::debug!("follow-up queued");
            let sent = ThreadView {
                writing: Writing::default(),
                sent: if urgent { Sent::Urgent } else { Sent::Message },
                ..view
            };
            show_thread(app, transport, lang, keys, sent).await
        }
        Ok(false) => return_form(
            app,
            lang,
            &ReturnView::default(),
            &[not_found()],
            StatusCode::NOT_FOUND,
        ),
        Err(ConversationError::Busy) => {
            let errors = [FieldError::new(Field::Message, field_errors::BUSY)];
            let refused = ThreadView {
                errors: &errors,
                status: StatusCode::SERVICE_UNAVAILABLE,
                ..view
            };
            let response = show_thread(app, transport, lang, keys, refused).await;
            retry_after(response, BUSY_RETRY_SECS)
        }
        Err(error) => conversation_failure(app, transport, lang, error),
    }
}

/// Uses up the session token of a conversation page's form.
fn redeem_session(app: &App, form: &Form) -> Result<TicketKeys, TokenError> {
    let redeemed = app
        .tokens
        .redeem(form.value(Field::Token), TokenPurpose::Session)?;
    redeemed.session.ok_or(TokenError::Invalid)
}

/// The open before this visit, as the conversation page's forms carry it. It only changes what the visitor's
/// own page says, so it is taken as it comes, within reason.
fn previous_open(form: &Form) -> Option<i64> {
    let now_unix = OffsetDateTime::now_utc().unix_timestamp();
    form.value(Field::Opened)
        .parse::<i64>()
        .ok()
        .filter(|opened| (0..=now_unix).contains(opened))
}

/// `POST /{lang}/thread/write`.
pub(super) async fn write_again(
    app: &App,
    transport: Transport,
    source: Source,
    lang: Lang,
    form: &Form,
) -> HtmlResponse {
    let message = Zeroizing::new(form.value(Field::Message).to_owned());
    let writing = Writing::read(&message, form);
    let keys = match redeem_session(app, form) {
        Ok(keys) => keys,
        Err(error) => return after_token_failure(app, lang, error, writing, true),
    };
    let view = ThreadView {
        writing,
        ..ThreadView::again(previous_open(form))
    };
    send(app, transport, source, lang, keys, view).await
}

/// `POST /{lang}/thread/delete`: without `confirm`, the confirmation; `confirm=no` shows the thread again.
pub(super) async fn delete(
    app: &App,
    transport: Transport,
    lang: Lang,
    form: &Form,
) -> HtmlResponse {
    let keys = match redeem_session(app, form) {
        Ok(keys) => keys,
        Err(error) => return after_token_failure(app, lang, error, Writing::default(), true),
    };
    let onion = app.onion_address();
    let site = site(app, lang, Page::Landing, onion.as_deref());
    match form.value(Field::Confirm) {
        "yes" => match app
            .conversations
            .burn(&keys, OffsetDateTime::now_utc())
            .await
        {
            Ok(_) => {
                tracing::debug!("a visitor deleted their conversation");
                html(StatusCode::OK, templates::burned(&site))
            }
            Err(error) => conversation_failure(app, transport, lang, error),
        },
        "no" => {
            show_thread(
                app,
                transport,
                lang,
                keys,
                ThreadView::again(previous_open(form)),
            )
            .await
        }
        _ => {
            let token = app
                .tokens
                .issue(TokenPurpose::Session, Carried::Session(&keys));
            let page = templates::BurnConfirm {
                token: &token,
                previous_open_unix: previous_open(form),
            };
            html(StatusCode::OK, templates::burn_confirm(&site, &page))
        }
    }
}
