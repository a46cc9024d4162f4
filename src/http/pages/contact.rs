//! The first-contact form: open it, check it, and open a ticket.

use hyper::StatusCode;
use porten_templates::{self as templates, field_errors, Field, FieldError, Lang};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::{
    code, html, message_error, retry_after, site, urgent_ticked, TokenFailure, BUSY_RETRY_SECS,
};
use crate::app::App;
use crate::budget::Source;
use crate::conversation::{ConversationError, NewContact};
use crate::envelope::Group;
use crate::http::form::Form;
use crate::http::router::{HtmlResponse, Page};
use crate::page_cache::CachedPage;
use crate::token::{Carried, TokenPurpose};

/// What the visitor typed into the contact form, kept to show it again after a refusal.
#[derive(Default)]
pub(super) struct ContactInput {
    group: Option<templates::Group>,
    urgent: bool,
    message: Zeroizing<String>,
    reply_language: Option<Lang>,
}

impl ContactInput {
    fn read(form: &Form) -> ContactInput {
        ContactInput {
            group: templates::Group::from_str_opt(form.value(Field::Group)),
            urgent: urgent_ticked(form),
            message: Zeroizing::new(form.value(Field::Message).to_owned()),
            reply_language: Lang::from_code(form.value(Field::ReplyLanguage)),
        }
    }

    fn is_untouched(&self) -> bool {
        self.group.is_none()
            && !self.urgent
            && self.message.is_empty()
            && self.reply_language.is_none()
    }
}

/// The contact form with a new token: empty, or with `input` and what to correct in it.
fn show_form(
    app: &App,
    lang: Lang,
    input: &ContactInput,
    errors: &[FieldError],
    status: StatusCode,
) -> HtmlResponse {
    let token = app
        .tokens
        .issue(TokenPurpose::FirstContact, Carried::Nothing);
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
            code_digits: crate::ticket::code::effective_length(app.config().ticket.code_length),
            errors,
        };
        templates::contact(&site, &form)
    };
    if input.is_untouched() && errors.is_empty() {
        let body = app.pages.page(
            CachedPage::ContactForm,
            lang,
            onion.as_deref(),
            &token,
            render,
        );
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

/// `POST /{lang}/contact`: with no field, the button that opens the form; otherwise the form itself.
pub(super) async fn submit(app: &App, source: Source, lang: Lang, form: &Form) -> HtmlResponse {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if form.is_empty() {
        return show_form(app, lang, &ContactInput::default(), &[], StatusCode::OK);
    }
    let input = ContactInput::read(form);
    let redeemed = app
        .tokens
        .redeem(form.value(Field::Token), TokenPurpose::FirstContact);
    if let Err(error) = redeemed {
        tracing::debug!(reason = ?error, "a contact form came back with an unusable token");
        let forgotten = ContactInput::default();
        return match TokenFailure::from(error) {
            TokenFailure::KeepText => {
                let expired = FieldError::new(Field::Form, field_errors::FORM_EXPIRED);
                show_form(app, lang, &input, &[expired], unprocessable)
            }
            TokenFailure::Forget(error) => {
                show_form(app, lang, &forgotten, &[error], unprocessable)
            }
        };
    }
    // The honeypot: a field no person sees. Whatever filled it gets the form back, text kept, nothing sent.
    if !form.value(Field::Website).is_empty() {
        tracing::debug!("a submission filled the hidden field and was not sent");
        let expired = FieldError::new(Field::Form, field_errors::FORM_EXPIRED);
        return show_form(app, lang, &input, &[expired], unprocessable);
    }
    let mut errors = Vec::new();
    if input.group.is_none() {
        errors.push(FieldError::new(Field::Group, field_errors::GROUP_MISSING));
    }
    if let Some(error) = message_error(&input.message, app.limits().max_message_chars) {
        errors.push(error);
    }
    if !form.value(Field::ReplyLanguage).is_empty() && input.reply_language.is_none() {
        errors.push(FieldError::new(
            Field::ReplyLanguage,
            field_errors::LANGUAGE_UNKNOWN,
        ));
    }
    let Some(group) = input.group.filter(|_| errors.is_empty()) else {
        return show_form(app, lang, &input, &errors, unprocessable);
    };
    if let Err(wait) = app.submissions.try_take(source) {
        tracing::debug!("submission rate limit reached");
        let limited = FieldError::new(Field::Form, field_errors::RATE_LIMITED);
        return retry_after(
            show_form(app, lang, &input, &[limited], StatusCode::TOO_MANY_REQUESTS),
            wait.as_secs(),
        );
    }
    let contact = NewContact {
        group: envelope_group(group),
        urgent: input.urgent,
        language: input.reply_language.unwrap_or(lang).code().to_owned(),
        message: input.message.clone(),
    };
    match app
        .conversations
        .open_ticket(contact, OffsetDateTime::now_utc())
        .await
    {
        Ok(ticket_code) => {
            tracing::debug!("first contact queued");
            code::show(app, lang, ticket_code.digits(), input.urgent, "", &[])
        }
        Err(ConversationError::Busy) => retry_after(
            show_form(
                app,
                lang,
                &input,
                &[FieldError::new(Field::Form, field_errors::BUSY)],
                StatusCode::SERVICE_UNAVAILABLE,
            ),
            BUSY_RETRY_SECS,
        ),
        Err(error) => {
            tracing::error!(%error, "a first contact could not be stored");
            show_form(
                app,
                lang,
                &input,
                &[FieldError::new(Field::Form, field_errors::INTERNAL)],
                StatusCode::INTERNAL_SERVER_ERROR,
            )
        }
    }
}
