//! The visitor's pages: what each GET shows and what each form post does.
//!
//! No page reached by a plain link holds a field to type in: the forms open behind a button that posts, since a
//! browser may show a page it keeps in its back/forward cache again, typed text and all, but never a page
//! that answers a POST. Every form post first uses up its token ([`crate::token`]), whatever follows: a form
//! sent again from the browser's history finds its token used and shows nothing of what it carried. Only then
//! are the fields validated, the budgets taken and the domain (`conversation`) called. A refusal of a form
//! whose token was fresh shows the form again with what the visitor typed, a new token and a clear error, so
//! nothing written is lost; only when the work is done and durable is a code or a "sent" shown.
//!
//! Nothing here logs a visitor's event at the default level: a log line's time stamp would say when someone
//! wrote, which the database and the envelopes round to the minute.

mod code;
mod contact;
mod thread;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use porten_templates::{
    self as templates, field_errors, ErrorKind, Field, FieldError, Keep, Lang, Site, Start,
};

use super::form::Form;
use super::headers::Transport;
use super::router::{HtmlResponse, Page};
use crate::app::App;
use crate::budget::Source;
use crate::conversation::ConversationError;
use crate::page_cache::CachedPage;
use crate::token::{Carried, TokenError, TokenPurpose};

pub(super) fn site<'a>(app: &'a App, lang: Lang, page: Page, onion: Option<&'a str>) -> Site<'a> {
    let config = &app.config().site;
    Site {
        lang,
        title: &config.title,
        centre_name: &config.centre_name,
        onion_address: onion,
        path_after_lang: page.path_after_lang(),
        keep: None,
        centre: app.pages.centre(),
    }
}

/// Like [`site`], for a page that keeps what it shows when the visitor changes language or heads home.
pub(super) fn site_keeping<'a>(
    app: &'a App,
    lang: Lang,
    onion: Option<&'a str>,
    keep: Keep<'static>,
) -> Site<'a> {
    Site {
        keep: Some(keep),
        ..site(app, lang, Page::Landing, onion)
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

/// GET pages: none of them holds a field to type in.
pub fn get(app: &App, transport: Transport, lang: Lang, page: Page) -> HtmlResponse {
    match page {
        Page::Landing => cached(app, lang, page, CachedPage::Landing, templates::landing),
        Page::Contact => cached(app, lang, page, CachedPage::StartWrite, |site| {
            templates::start_page(site, Start::Write)
        }),
        Page::Return => cached(app, lang, page, CachedPage::StartReturn, |site| {
            templates::start_page(site, Start::Return)
        }),
        Page::CodeCheck | Page::ThreadWrite | Page::ThreadDelete => {
            error(app, transport, lang, ErrorKind::MethodNotAllowed)
        }
    }
}

/// A page that is the same for every visitor, rendered once per language.
fn cached(
    app: &App,
    lang: Lang,
    page: Page,
    kept: CachedPage,
    render: impl Fn(&Site<'_>) -> String,
) -> HtmlResponse {
    let onion = app.onion_address();
    let site = site(app, lang, page, onion.as_deref());
    let body = app
        .pages
        .page(kept, lang, onion.as_deref(), "", |_| render(&site));
    html(StatusCode::OK, body)
}

/// POST pages. Every post first takes from the source's form budget; a post refused there still uses up its
/// token, so the same form resent later opens nothing (see [`crate::token`]).
pub async fn post(
    app: &App,
    transport: Transport,
    source: Source,
    lang: Lang,
    page: Page,
    form: Form,
) -> HtmlResponse {
    if let Err(wait) = app.forms.try_take(source) {
        tracing::debug!("form rate limit reached");
        if let Some(purpose) = token_purpose(page) {
            let _ = app.tokens.redeem(form.value(Field::Token), purpose);
        }
        let response = error(app, transport, lang, ErrorKind::RateLimited);
        return retry_after(response, wait.as_secs());
    }
    match page {
        Page::Contact => contact::submit(app, source, lang, &form).await,
        Page::CodeCheck => code::check(app, lang, &form),
        Page::Return => thread::return_with_code(app, transport, source, lang, &form).await,
        Page::ThreadWrite => thread::write_again(app, transport, source, lang, &form).await,
        Page::ThreadDelete => thread::delete(app, transport, lang, &form).await,
        Page::Landing => error(app, transport, lang, ErrorKind::MethodNotAllowed),
    }
}

/// The purpose of the token a page's form carries.
fn token_purpose(page: Page) -> Option<TokenPurpose> {
    match page {
        Page::Contact => Some(TokenPurpose::FirstContact),
        Page::Return => Some(TokenPurpose::Return),
        Page::CodeCheck => Some(TokenPurpose::CodeCheck),
        Page::ThreadWrite | Page::ThreadDelete => Some(TokenPurpose::Session),
        Page::Landing => None,
    }
}

/// Whether a form's "I am in danger now" box came ticked: exactly `yes`, the value the pages give it. Anything
/// else (a forged value, an empty one, none) is not ticked.
pub(super) fn urgent_ticked(form: &Form) -> bool {
    form.value(Field::Urgent) == "yes"
}

/// What a visitor was writing for the centre on a conversation page: the text and the "I am in danger now" box,
/// which travel together. They come back on the visitor's own refused page and through a timed-out page to
/// the code form; never for a form sent again.
#[derive(Clone, Copy, Default)]
pub(super) struct Writing<'a> {
    /// The text.
    message: &'a str,
    /// Whether "I am in danger now" is ticked.
    urgent: bool,
}

impl<'a> Writing<'a> {
    /// What a form carried: its `message` (already copied out of the form) and its `urgent` box.
    fn read(message: &'a str, form: &Form) -> Writing<'a> {
        Writing {
            message,
            urgent: urgent_ticked(form),
        }
    }

    /// Nothing typed and the box not ticked.
    fn is_empty(&self) -> bool {
        self.message.is_empty() && !self.urgent
    }
}

/// What the code form shows besides its fields' errors.
#[derive(Default)]
pub(super) struct ReturnView<'a> {
    /// The code as typed, shown again only after a typo in a fresh form.
    code: &'a str,
    /// What the visitor was writing on a conversation page that timed out.
    writing: Writing<'a>,
    /// Whether they come from a conversation page that timed out.
    timed_out: bool,
}

/// The code form (the answer to `POST /{lang}/return`, and where timed-out conversation pages lead).
pub(super) fn return_form(
    app: &App,
    lang: Lang,
    view: &ReturnView<'_>,
    errors: &[FieldError],
    status: StatusCode,
) -> HtmlResponse {
    let token = app.tokens.issue(TokenPurpose::Return, Carried::Nothing);
    let onion = app.onion_address();
    let site = site(app, lang, Page::Return, onion.as_deref());
    let form = templates::ReturnForm {
        token: &token,
        code: view.code,
        message: view.writing.message,
        urgent: view.writing.urgent,
        timed_out: view.timed_out,
        session_minutes: app.tokens.lifetime().as_secs() / 60,
        max_message_chars: app.limits().max_message_chars,
        errors,
    };
    html(status, templates::return_page(&site, &form))
}

/// What a form whose token was refused may show again of what it carried.
pub(super) enum TokenFailure {
    /// The token was never sent before but expired: the visitor is still on the page that held it, so what
    /// they wrote comes back with a new token.
    KeepText,
    /// Sent before, from before a restart, forged or for another form: nothing comes back, whatever it
    /// carried; this error says why.
    Forget(FieldError),
}

impl From<TokenError> for TokenFailure {
    fn from(error: TokenError) -> Self {
        let message_id = match error {
            TokenError::Expired => return TokenFailure::KeepText,
            TokenError::Replayed => field_errors::FORM_ALREADY_SENT,
            TokenError::Malformed | TokenError::Invalid | TokenError::WrongPurpose => {
                field_errors::FORM_INVALID
            }
        };
        TokenFailure::Forget(FieldError::new(Field::Form, message_id))
    }
}

/// Seconds a visitor is asked to wait after a "busy".
pub(super) const BUSY_RETRY_SECS: u64 = 5;

/// Checks a message: present, and not longer than the limit in characters.
pub(super) fn message_error(message: &str, max_chars: usize) -> Option<FieldError> {
    if message.trim().is_empty() {
        Some(FieldError::new(Field::Message, field_errors::MESSAGE_EMPTY))
    } else if message.chars().count() > max_chars {
        Some(FieldError::new(
            Field::Message,
            field_errors::MESSAGE_TOO_LONG,
        ))
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
        ConversationError::Busy => retry_after(
            error(app, transport, lang, ErrorKind::Busy),
            BUSY_RETRY_SECS,
        ),
        other => {
            tracing::error!(error = %other, "a visitor's request failed");
            error(app, transport, lang, ErrorKind::Internal)
        }
    }
}
