//! Returning with a code: open the thread, write again, delete it.

use hyper::StatusCode;
use porten_templates::{self as templates, FieldError, Lang};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::{
    conversation_failure, error, html, landing, message_error, retry_after, site, TokenFailure,
};
use crate::app::App;
use crate::conversation::OpenedThread;
use crate::http::form::Form;
use crate::http::headers::Transport;
use crate::http::router::{HtmlResponse, Page};
use crate::thread::AuthorKind;
use crate::ticket::{CodeError, TicketCode, TicketKeys};
use crate::token::{TokenError, TokenPurpose};

fn code_error(error: CodeError) -> FieldError {
    let message_id = match error {
        CodeError::Empty => "error-code-empty",
        CodeError::CheckDigit => "error-code-typo",
        CodeError::TooLong | CodeError::NotADigit | CodeError::WrongLength { .. } => {
            "error-code-format"
        }
    };
    FieldError {
        field: "code",
        message_id,
    }
}

/// The error for a return form whose token failed; the code is never shown again, whatever the reason.
fn forgotten(error: TokenError) -> FieldError {
    match TokenFailure::from(error) {
        TokenFailure::KeepText => FieldError {
            field: "form",
            message_id: templates::field_errors::FORM_INVALID,
        },
        TokenFailure::Forget(field_error) => field_error,
    }
}

pub(super) async fn return_with_code(
    app: &App,
    transport: Transport,
    lang: Lang,
    form: &Form,
) -> HtmlResponse {
    let typed = form.value("code");
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    // Refused before any other work, and not shown again: nothing longer than a code is worth echoing.
    if typed.chars().count() > crate::ticket::code::MAX_CODE_INPUT_CHARS {
        return landing(
            app,
            lang,
            "",
            &[code_error(CodeError::TooLong)],
            unprocessable,
        );
    }
    let now = std::time::SystemTime::now();
    // A failed token never shows the code again: a resubmission from history must not reveal it.
    if let Err(error) = app
        .tokens
        .peek(form.value("token"), TokenPurpose::Return, now)
    {
        return landing(app, lang, "", &[forgotten(error)], unprocessable);
    }
    let code = match TicketCode::parse(typed, app.config().ticket.code_length) {
        Ok(code) => code,
        Err(error) => return landing(app, lang, typed, &[code_error(error)], unprocessable),
    };
    if let Err(wait) = app.code_attempts.try_take() {
        tracing::warn!("code attempt rate limit reached");
        return retry_after(
            landing(
                app,
                lang,
                typed,
                &[FieldError {
                    field: "code",
                    message_id: "error-rate-limited",
                }],
                StatusCode::TOO_MANY_REQUESTS,
            ),
            wait.as_secs(),
        );
    }
    if let Err(error) = app
        .tokens
        .redeem(form.value("token"), TokenPurpose::Return, now)
    {
        return landing(app, lang, "", &[forgotten(error)], unprocessable);
    }
    let keys = match app.conversations.keys_for(code).await {
        Ok(keys) => keys,
        Err(error) => return conversation_failure(app, transport, lang, error),
    };
    show_thread(
        app,
        transport,
        lang,
        keys,
        Showing::Opened,
        "",
        &[],
        false,
        StatusCode::OK,
    )
    .await
}

/// How a thread is shown: opened with the code (recorded as an open), or shown again within the same visit.
#[derive(Clone, Copy)]
enum Showing {
    /// The visitor just entered the code.
    Opened,
    /// After writing again: not a new open; `previous_open` is carried from the page that started the visit.
    Again { previous_open: Option<i64> },
}

#[allow(clippy::too_many_arguments)]
async fn show_thread(
    app: &App,
    transport: Transport,
    lang: Lang,
    keys: TicketKeys,
    showing: Showing,
    message: &str,
    errors: &[FieldError],
    sent: bool,
    status: StatusCode,
) -> HtmlResponse {
    let opened = match showing {
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
    let thread = match opened {
        Ok(Some(thread)) => thread,
        Ok(None) => {
            return landing(
                app,
                lang,
                "",
                &[FieldError {
                    field: "code",
                    message_id: "error-code-not-found",
                }],
                StatusCode::NOT_FOUND,
            )
        }
        Err(error) => return conversation_failure(app, transport, lang, error),
    };
    render_thread(app, lang, &keys, &thread, message, errors, sent, status)
}

#[allow(clippy::too_many_arguments)]
fn render_thread(
    app: &App,
    lang: Lang,
    keys: &TicketKeys,
    thread: &OpenedThread,
    message: &str,
    errors: &[FieldError],
    sent: bool,
    status: StatusCode,
) -> HtmlResponse {
    let token = app.tokens.issue(TokenPurpose::Session, Some(keys));
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
        message,
        max_message_chars: app.limits().max_message_chars,
        errors,
        sent,
    };
    html(status, templates::thread(&site, &page))
}

/// The session behind a thread form, without using it up.
fn session(app: &App, form: &Form) -> Result<TicketKeys, TokenError> {
    let redeemed = app.tokens.peek(
        form.value("token"),
        TokenPurpose::Session,
        std::time::SystemTime::now(),
    )?;
    redeemed.session.ok_or(TokenError::Invalid)
}

/// Uses up the session token of a thread form.
fn redeem_session(app: &App, form: &Form) -> Result<TicketKeys, TokenError> {
    let redeemed = app.tokens.redeem(
        form.value("token"),
        TokenPurpose::Session,
        std::time::SystemTime::now(),
    )?;
    redeemed.session.ok_or(TokenError::Invalid)
}

pub(super) async fn write_again(
    app: &App,
    transport: Transport,
    lang: Lang,
    form: &Form,
) -> HtmlResponse {
    let message = Zeroizing::new(form.value("message").to_owned());
    // Only the visitor's own page carries this, and it only changes what their own page says.
    let now_unix = OffsetDateTime::now_utc().unix_timestamp();
    let showing = Showing::Again {
        previous_open: form
            .value("opened")
            .parse::<i64>()
            .ok()
            .filter(|opened| (0..=now_unix).contains(opened)),
    };
    let keys = match session(app, form) {
        Ok(keys) => keys,
        Err(_) => return error(app, transport, lang, templates::ErrorKind::FormExpired),
    };
    if let Some(error) = message_error(&message, app.limits().max_message_chars) {
        return show_thread(
            app,
            transport,
            lang,
            keys,
            showing,
            &message,
            &[error],
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if let Err(wait) = app.submissions.try_take() {
        tracing::warn!("submission rate limit reached");
        let limited = FieldError {
            field: "message",
            message_id: "error-rate-limited",
        };
        let response = show_thread(
            app,
            transport,
            lang,
            keys,
            showing,
            &message,
            &[limited],
            false,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
        return retry_after(response, wait.as_secs());
    }
    let keys = match redeem_session(app, form) {
        Ok(keys) => keys,
        Err(_) => return error(app, transport, lang, templates::ErrorKind::FormExpired),
    };
    match app
        .conversations
        .follow_up(&keys, message, OffsetDateTime::now_utc())
        .await
    {
        Ok(true) => {
            tracing::info!("follow-up queued");
            show_thread(
                app,
                transport,
                lang,
                keys,
                showing,
                "",
                &[],
                true,
                StatusCode::OK,
            )
            .await
        }
        Ok(false) => landing(
            app,
            lang,
            "",
            &[FieldError {
                field: "code",
                message_id: "error-code-not-found",
            }],
            StatusCode::NOT_FOUND,
        ),
        Err(error) => conversation_failure(app, transport, lang, error),
    }
}

pub(super) async fn delete(
    app: &App,
    transport: Transport,
    lang: Lang,
    form: &Form,
) -> HtmlResponse {
    let keys = match redeem_session(app, form) {
        Ok(keys) => keys,
        Err(_) => return error(app, transport, lang, templates::ErrorKind::FormExpired),
    };
    let onion = app.onion_address();
    let site = site(app, lang, Page::Landing, onion.as_deref());
    if form.value("confirm") != "yes" {
        let token = app.tokens.issue(TokenPurpose::Session, Some(&keys));
        let page = templates::BurnConfirm { token: &token };
        return html(StatusCode::OK, templates::burn_confirm(&site, &page));
    }
    match app
        .conversations
        .burn(&keys, OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => {
            tracing::info!("a visitor deleted their conversation");
            html(StatusCode::OK, templates::burned(&site))
        }
        Err(error) => conversation_failure(app, transport, lang, error),
    }
}
