//! The visitor's pages: what each GET shows and what each form post does.
//!
//! Handlers check the form token, validate the fields, apply the global rate limits and then call the domain
//! (`conversation`). A refusal re-renders the form with what the visitor typed and a clear error, so nothing
//! written is lost; only when the work is done and durable is a code or a "sent" shown.

mod contact;
mod thread;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use porten_templates::{self as templates, ErrorKind, FieldError, Lang, Site};

use super::form::Form;
use super::headers::Transport;
use super::router::{HtmlResponse, Page};
use crate::app::App;
use crate::conversation::ConversationError;
use crate::token::{TokenError, TokenPurpose};

pub(super) fn site<'a>(app: &'a App, lang: Lang, page: Page, onion: Option<&'a str>) -> Site<'a> {
    let config = &app.config().site;
    Site {
        lang,
        title: &config.title,
        centre_name: &config.centre_name,
        onion_address: onion,
        path_after_lang: page.path_after_lang(),
        centre: app.pages.centre(),
    }
}

/// An HTML page with a status.
pub(super) fn html(status: StatusCode, body: String) -> HtmlResponse {
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

pub(super) fn retry_after(mut response: HtmlResponse, seconds: u64) -> HtmlResponse {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

/// GET pages.
pub fn get(app: &App, transport: Transport, lang: Lang, page: Page) -> HtmlResponse {
    match page {
        Page::Landing => landing(app, lang, "", &[], StatusCode::OK),
        Page::Contact => contact::show_form(
            app,
            lang,
            &contact::ContactInput::default(),
            &[],
            StatusCode::OK,
        ),
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
        Page::Contact => contact::submit(app, lang, &form).await,
        Page::Return => thread::return_with_code(app, transport, lang, &form).await,
        Page::ThreadWrite => thread::write_again(app, transport, lang, &form).await,
        Page::ThreadDelete => thread::delete(app, transport, lang, &form).await,
        Page::Landing => error(app, transport, lang, ErrorKind::MethodNotAllowed),
    }
}

pub(super) fn landing(
    app: &App,
    lang: Lang,
    code: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> HtmlResponse {
    let token = app.tokens.issue(TokenPurpose::Return, None);
    let onion = app.onion_address();
    let site = site(app, lang, Page::Landing, onion.as_deref());
    let render = |token: &str| {
        let form = templates::ReturnForm {
            token,
            code,
            errors,
        };
        templates::landing(&site, &form)
    };
    if code.is_empty() && errors.is_empty() {
        let body = app
            .pages
            .page(Page::Landing, lang, onion.as_deref(), &token, render);
        return html(status, body);
    }
    html(status, render(&token))
}

/// The field error for a form whose token is expired, forged or from before a restart.
pub(super) fn form_expired() -> FieldError {
    FieldError {
        field: "form",
        message_id: templates::field_errors::FORM_EXPIRED,
    }
}

/// What may be shown again of a form whose token failed.
///
/// A page resubmitted from the browser's history (Back, then "resend") carries a used or stale token, and
/// whoever holds the device would see what the visitor typed if it were echoed. So the text comes back only
/// for a token that merely expired — the visitor is most likely still writing — and never for a used one
/// (`Replayed`) or one from before a restart (`Invalid`).
pub(super) enum TokenFailure {
    /// The token expired: show the form again with the text, so nothing written is lost.
    KeepText,
    /// Anything else: show the form empty with this error.
    Forget(FieldError),
}

impl From<TokenError> for TokenFailure {
    fn from(error: TokenError) -> Self {
        let message_id = match error {
            TokenError::Expired => return TokenFailure::KeepText,
            TokenError::Replayed => templates::field_errors::FORM_ALREADY_SENT,
            TokenError::Busy => templates::field_errors::BUSY,
            TokenError::Malformed | TokenError::Invalid | TokenError::WrongPurpose => {
                templates::field_errors::FORM_INVALID
            }
        };
        TokenFailure::Forget(FieldError {
            field: "form",
            message_id,
        })
    }
}

/// Checks a message: present, and not longer than the limit in characters.
pub(super) fn message_error(message: &str, max_chars: usize) -> Option<FieldError> {
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

/// The page for a failed domain call: busy (try again shortly) or internal.
pub(super) fn conversation_failure(
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
