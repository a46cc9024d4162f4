//! The first-contact form: show it, check it, and open a ticket.

use hyper::StatusCode;
use porten_templates::{self as templates, FieldError, Lang};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::{form_expired, html, message_error, retry_after, site, TokenFailure};
use crate::app::App;
use crate::conversation::{ConversationError, NewContact};
use crate::envelope::Group;
use crate::http::form::Form;
use crate::http::router::{HtmlResponse, Page};
use crate::token::{TokenError, TokenPurpose};

/// What the visitor typed into the contact form, kept to show it again after a refusal.
#[derive(Default)]
pub(super) struct ContactInput {
    group: Option<templates::Group>,
    urgent: bool,
    message: Zeroizing<String>,
    reply_language: Option<Lang>,
}

pub(super) fn show_form(
    app: &App,
    lang: Lang,
    input: &ContactInput,
    errors: &[FieldError],
    status: StatusCode,
) -> HtmlResponse {
    let token = app.tokens.issue(TokenPurpose::FirstContact, None);
    let onion = app.onion_address();
    let site = site(app, lang, Page::Contact, onion.as_deref());
    let render = |token: &str| {
        let form = templates::ContactForm {
            token,
            group: input.group,
            urgent: input.urgent,
            message: &input.message,
            reply_language: input.reply_language.unwrap_or(lang),
            max_message_chars: app.limits().max_message_chars,
            errors,
        };
        templates::contact(&site, &form)
    };
    let untouched = input.group.is_none()
        && !input.urgent
        && input.message.is_empty()
        && input.reply_language.is_none()
        && errors.is_empty();
    if untouched {
        let body = app
            .pages
            .page(Page::Contact, lang, onion.as_deref(), &token, render);
        return html(status, body);
    }
    html(status, render(&token))
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

/// The contact form after its token failed: with the text only when the token merely expired.
fn token_failure(app: &App, lang: Lang, input: &ContactInput, error: TokenError) -> HtmlResponse {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    match TokenFailure::from(error) {
        TokenFailure::KeepText => show_form(app, lang, input, &[form_expired()], unprocessable),
        TokenFailure::Forget(field_error) => show_form(
            app,
            lang,
            &ContactInput::default(),
            &[field_error],
            unprocessable,
        ),
    }
}

pub(super) async fn submit(app: &App, lang: Lang, form: &Form) -> HtmlResponse {
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
        return show_form(app, lang, &input, &[form_expired()], unprocessable);
    }
    let now = std::time::SystemTime::now();
    if let Err(error) = app
        .tokens
        .peek(form.value("token"), TokenPurpose::FirstContact, now)
    {
        tracing::info!(reason = ?error, "a contact form came back with an unusable token");
        return token_failure(app, lang, &input, error);
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
        return show_form(app, lang, &input, &errors, unprocessable);
    }
    if let Err(wait) = app.submissions.try_take() {
        tracing::warn!("submission rate limit reached");
        return retry_after(
            show_form(
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
        return token_failure(app, lang, &input, error);
    }
    let (Some(group), reply_language) = (input.group, input.reply_language.unwrap_or(lang)) else {
        return show_form(app, lang, &input, &[form_expired()], unprocessable);
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
            show_form(
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
            show_form(
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
