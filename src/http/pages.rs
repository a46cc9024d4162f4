//! The visitor's pages: what each GET shows and what each form post does.
//!
//! Handlers check the form token, validate the fields, apply the global rate limits and then call the domain
//! (`conversation`). A refusal re-renders the form with what the visitor typed and a clear error, so nothing
//! written is lost; only when the work is done and durable is a code or a "sent" shown.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use porten_templates::{self as templates, ErrorKind, FieldError, Lang, Site};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::form::Form;
use super::headers::Transport;
use super::router::{HtmlResponse, Page};
use crate::app::App;
use crate::conversation::{ConversationError, NewContact, OpenedThread};
use crate::envelope::Group;
use crate::thread::AuthorKind;
use crate::ticket::{CodeError, TicketCode, TicketKeys};
use crate::token::{TokenError, TokenPurpose};

fn site<'a>(app: &'a App, lang: Lang, page: Page, onion: Option<&'a str>) -> Site<'a> {
    let config = &app.config().site;
    Site {
        lang,
        title: &config.title,
        centre_name: &config.centre_name,
        onion_address: onion,
        path_after_lang: page.path_after_lang(),
    }
}

/// An HTML page with a status.
fn html(status: StatusCode, body: String) -> HtmlResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// The status that goes with an error page.
fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound | ErrorKind::CodeNotFound => StatusCode::NOT_FOUND,
        ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::FormExpired => StatusCode::BAD_REQUEST,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error page in the visitor's language.
pub fn error(app: &App, transport: Transport, lang: Lang, kind: ErrorKind) -> HtmlResponse {
    error_with_status(app, transport, lang, kind, status_of(kind))
}

/// An error page with a specific status.
pub fn error_with_status(
    app: &App,
    _transport: Transport,
    lang: Lang,
    kind: ErrorKind,
    status: StatusCode,
) -> HtmlResponse {
    let onion = app.onion_address();
    let site = site(app, lang, Page::Landing, onion.as_deref());
    html(status, templates::error(&site, kind))
}

fn retry_after(mut response: HtmlResponse, seconds: u64) -> HtmlResponse {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

/// GET pages.
pub fn get(app: &App, transport: Transport, lang: Lang, page: Page) -> HtmlResponse {
    match page {
        Page::Landing => landing(app, lang, "", &[], StatusCode::OK),
        Page::Contact => contact_form(app, lang, &ContactInput::default(), &[], StatusCode::OK),
        Page::Return | Page::ThreadWrite | Page::ThreadDelete => {
            error(app, transport, lang, ErrorKind::MethodNotAllowed)
        }
    }
}

/// POST pages.
pub async fn post(
    app: &App,
    transport: Transport,
    lang: Lang,
    page: Page,
    form: Form,
) -> HtmlResponse {
    match page {
        Page::Contact => submit_contact(app, lang, &form).await,
        Page::Return => return_with_code(app, transport, lang, &form).await,
        Page::ThreadWrite => write_again(app, transport, lang, &form).await,
        Page::ThreadDelete => delete(app, transport, lang, &form).await,
        Page::Landing => error(app, transport, lang, ErrorKind::MethodNotAllowed),
    }
}

fn landing(
    app: &App,
    lang: Lang,
    code: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> HtmlResponse {
    let token = app.tokens.issue(TokenPurpose::Return, None);
    let onion = app.onion_address();
    let site = site(app, lang, Page::Landing, onion.as_deref());
    let form = templates::ReturnForm {
        token: &token,
        code,
        errors,
    };
    html(status, templates::landing(&site, &form))
}

/// What the visitor typed into the contact form, kept to show it again after a refusal.
#[derive(Default)]
struct ContactInput {
    group: Option<templates::Group>,
    urgent: bool,
    message: Zeroizing<String>,
    reply_language: Option<Lang>,
}

fn contact_form(
    app: &App,
    lang: Lang,
    input: &ContactInput,
    errors: &[FieldError],
    status: StatusCode,
) -> HtmlResponse {
    let token = app.tokens.issue(TokenPurpose::FirstContact, None);
    let onion = app.onion_address();
    let site = site(app, lang, Page::Contact, onion.as_deref());
    let form = templates::ContactForm {
        token: &token,
        group: input.group,
        urgent: input.urgent,
        message: &input.message,
        reply_language: input.reply_language.unwrap_or(lang),
        max_message_chars: app.limits().max_message_chars,
        errors,
    };
    html(status, templates::contact(&site, &form))
}

fn envelope_group(group: templates::Group) -> Group {
    match group {
        templates::Group::Exposed => Group::Exposed,
        templates::Group::Relative => Group::Relative,
        templates::Group::UsedViolence => Group::UsedViolence,
        templates::Group::Professional => Group::Professional,
        templates::Group::Other => Group::Other,
    }
}

/// Checks a message: present, and not longer than the limit in characters.
fn message_error(message: &str, max_chars: usize) -> Option<FieldError> {
    if message.trim().is_empty() {
        Some(FieldError {
            field: "message",
            message_id: "error-message-empty",
        })
    } else if message.chars().count() > max_chars {
        Some(FieldError {
            field: "message",
            message_id: "error-message-too-long",
        })
    } else {
        None
    }
}

fn form_expired() -> FieldError {
    FieldError {
        field: "form",
        message_id: "error-form-expired",
    }
}

async fn submit_contact(app: &App, lang: Lang, form: &Form) -> HtmlResponse {
    let input = ContactInput {
        group: templates::Group::from_str_opt(form.value("group")),
        urgent: form.value("urgent") == "yes",
        message: Zeroizing::new(form.value("message").to_owned()),
        reply_language: Lang::from_code(form.value("reply_language")),
    };
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    // The honeypot: a field no person sees. Whatever filled it gets the form back, text kept, nothing sent.
    if !form.value("website").is_empty() {
        tracing::info!("a submission filled the hidden field and was not sent");
        return contact_form(app, lang, &input, &[form_expired()], unprocessable);
    }
    let now = std::time::SystemTime::now();
    if let Err(error) = app
        .tokens
        .peek(form.value("token"), TokenPurpose::FirstContact, now)
    {
        tracing::info!(reason = ?error, "a contact form came back with an unusable token");
        return contact_form(app, lang, &input, &[form_expired()], unprocessable);
    }
    let mut errors = Vec::new();
    if input.group.is_none() {
        errors.push(FieldError {
            field: "group",
            message_id: "error-group-missing",
        });
    }
    if let Some(error) = message_error(&input.message, app.limits().max_message_chars) {
        errors.push(error);
    }
    if !form.value("reply_language").is_empty() && input.reply_language.is_none() {
        errors.push(FieldError {
            field: "reply_language",
            message_id: "error-language-unknown",
        });
    }
    if !errors.is_empty() {
        return contact_form(app, lang, &input, &errors, unprocessable);
    }
    if let Err(wait) = app.submissions.try_take() {
        tracing::warn!("submission rate limit reached");
        return retry_after(
            contact_form(
                app,
                lang,
                &input,
                &[FieldError {
                    field: "form",
                    message_id: "error-rate-limited",
                }],
                StatusCode::TOO_MANY_REQUESTS,
            ),
            wait.as_secs(),
        );
    }
    if let Err(error) = app
        .tokens
        .redeem(form.value("token"), TokenPurpose::FirstContact, now)
    {
        tracing::info!(reason = ?error, "a contact form token could not be redeemed");
        return contact_form(app, lang, &input, &[form_expired()], unprocessable);
    }
    let (Some(group), reply_language) = (input.group, input.reply_language.unwrap_or(lang)) else {
        return contact_form(app, lang, &input, &[form_expired()], unprocessable);
    };
    let contact = NewContact {
        group: envelope_group(group),
        urgent: input.urgent,
        language: reply_language.code().to_owned(),
        message: input.message.clone(),
    };
    match app
        .conversations
        .open_ticket(contact, OffsetDateTime::now_utc())
        .await
    {
        Ok(code) => {
            tracing::info!(urgent = input.urgent, "first contact queued");
            let grouped = code.grouped();
            let return_token = app.tokens.issue(TokenPurpose::Return, None);
            let onion = app.onion_address();
            let site = site(app, lang, Page::Contact, onion.as_deref());
            let page = templates::CodePage {
                code_grouped: &grouped,
                urgent: input.urgent,
                return_token: &return_token,
            };
            html(StatusCode::OK, templates::code_page(&site, &page))
        }
        Err(ConversationError::Busy) => retry_after(
            contact_form(
                app,
                lang,
                &input,
                &[FieldError {
                    field: "form",
                    message_id: "error-busy",
                }],
                StatusCode::SERVICE_UNAVAILABLE,
            ),
            5,
        ),
        Err(error) => {
            tracing::error!(%error, "a first contact could not be stored");
            contact_form(
                app,
                lang,
                &input,
                &[FieldError {
                    field: "form",
                    message_id: "error-internal",
                }],
                StatusCode::INTERNAL_SERVER_ERROR,
            )
        }
    }
}

fn code_error(error: CodeError) -> FieldError {
    let message_id = match error {
        CodeError::Empty => "error-code-empty",
        CodeError::CheckDigit => "error-code-typo",
        CodeError::TooLong
        | CodeError::NotADigit
        | CodeError::WrongLength { .. } => "error-code-format",
    };
    FieldError {
        field: "code",
        message_id,
    }
}

async fn return_with_code(app: &App, transport: Transport, lang: Lang, form: &Form) -> HtmlResponse {
    let typed = form.value("code");
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    // Refused before any other work, and not shown again: nothing longer than a code is worth echoing.
    if typed.chars().count() > crate::ticket::code::MAX_CODE_INPUT_CHARS {
        return landing(app, lang, "", &[code_error(CodeError::TooLong)], unprocessable);
    }
    let now = std::time::SystemTime::now();
    if app.tokens.peek(form.value("token"), TokenPurpose::Return, now).is_err() {
        return landing(app, lang, typed, &[form_expired()], unprocessable);
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
    if app
        .tokens
        .redeem(form.value("token"), TokenPurpose::Return, now)
        .is_err()
    {
        return landing(app, lang, typed, &[form_expired()], unprocessable);
    }
    let keys = match app.conversations.keys_for(code).await {
        Ok(keys) => keys,
        Err(error) => return conversation_failure(app, transport, lang, error),
    };
    show_thread(app, transport, lang, keys, Showing::Opened, "", &[], false, StatusCode::OK).await
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
        Showing::Again { previous_open } => app
            .conversations
            .read_thread(&keys)
            .await
            .map(|thread| {
                thread.map(|mut thread| {
                    thread.previous_open = previous_open;
                    thread
                })
            }),
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

fn conversation_failure(
    app: &App,
    transport: Transport,
    lang: Lang,
    failure: ConversationError,
) -> HtmlResponse {
    match failure {
        ConversationError::Busy => retry_after(error(app, transport, lang, ErrorKind::Busy), 5),
        other => {
            tracing::error!(error = %other, "a visitor's request failed");
            error(app, transport, lang, ErrorKind::Internal)
        }
    }
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

async fn write_again(app: &App, transport: Transport, lang: Lang, form: &Form) -> HtmlResponse {
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
        Err(_) => return error(app, transport, lang, ErrorKind::FormExpired),
    };
    if let Some(error) = message_error(&message, app.limits().max_message_chars) {
        return show_thread(app, transport, lang, keys, showing, &message, &[error], false, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Err(wait) = app.submissions.try_take() {
        tracing::warn!("submission rate limit reached");
        let limited = FieldError {
            field: "message",
            message_id: "error-rate-limited",
        };
        let response = show_thread(app, transport, lang, keys, showing, &message, &[limited], false, StatusCode::TOO_MANY_REQUESTS).await;
        return retry_after(response, wait.as_secs());
    }
    let keys = match redeem_session(app, form) {
        Ok(keys) => keys,
        Err(_) => return error(app, transport, lang, ErrorKind::FormExpired),
    };
    match app
        .conversations
        .follow_up(&keys, message, OffsetDateTime::now_utc())
        .await
    {
        Ok(true) => {
            tracing::info!("follow-up queued");
            show_thread(app, transport, lang, keys, showing, "", &[], true, StatusCode::OK).await
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

async fn delete(app: &App, transport: Transport, lang: Lang, form: &Form) -> HtmlResponse {
    let keys = match redeem_session(app, form) {
        Ok(keys) => keys,
        Err(_) => return error(app, transport, lang, ErrorKind::FormExpired),
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
