//! The code page and its check: the code is shown once, after a first contact, and the page keeps it for as
//! long as the visitor stays on it.
//!
//! The check form's token carries the code (sealed under the in-memory key), so a check that fails shows the
//! page again with the code and the differing digits marked, and the language buttons show it in another
//! language. Like every token it is used up by its first post: sent again from history, it shows no code.

use hyper::StatusCode;
use porten_templates::{self as templates, field_errors, Field, FieldError, Lang};
use subtle::ConstantTimeEq;

use super::{html, site, site_keeping};
use crate::app::App;
use crate::http::form::Form;
use crate::http::router::{HtmlResponse, Page};
use crate::ticket::code::{grouped, typed_digits};
use crate::ticket::CodeError;
use crate::token::{Carried, TokenPurpose};

/// The code page for `digits`, with a new check token; after a failed check, `typed` (grouped) and `errors`.
pub(super) fn show(
    app: &App,
    lang: Lang,
    digits: &str,
    urgent: bool,
    typed: &str,
    errors: &[FieldError],
) -> HtmlResponse {
    let token = app
        .tokens
        .issue(TokenPurpose::CodeCheck, Carried::Code(digits, urgent));
    let onion = app.onion_address();
    let site = site_keeping(app, lang, onion.as_deref(), templates::CodePage::KEEP);
    let code_grouped = grouped(digits);
    let page = templates::CodePage {
        code_grouped: &code_grouped,
        urgent,
        check_token: &token,
        typed,
        errors,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html(status, templates::code_page(&site, &page))
}

/// `POST /{lang}/code`: check the written-down code against the one shown, or show the page in `lang`.
pub(super) fn check(app: &App, lang: Lang, form: &Form) -> HtmlResponse {
    let redeemed = app
        .tokens
        .redeem(form.value(Field::Token), TokenPurpose::CodeCheck);
    let code = match redeemed.map(|redeemed| redeemed.code) {
        Ok(Some(code)) => code,
        Ok(None) => return gone(app, lang),
        // An expired check is not shown the code either: it may be a page left open on a device someone else
        // has picked up.
        Err(_) => return gone(app, lang),
    };
    if form.value(Field::Switch) == "yes" {
        return show(app, lang, &code.digits, code.urgent, "", &[]);
    }
    let typed = match typed_digits(form.value(Field::Code)) {
        Ok(typed) => typed,
        Err(error) => {
            let message_id = match error {
                CodeError::Empty => field_errors::CODE_EMPTY,
                _ => field_errors::CODE_FORMAT,
            };
            let error = FieldError::new(Field::Code, message_id);
            return show(app, lang, &code.digits, code.urgent, "", &[error]);
        }
    };
    // Constant-time, as every comparison of a secret here.
    if bool::from(typed.as_bytes().ct_eq(code.digits.as_bytes())) {
        let onion = app.onion_address();
        let site = site(app, lang, Page::Landing, onion.as_deref());
        return html(StatusCode::OK, templates::code_checked(&site));
    }
    let differs = FieldError::new(Field::Code, field_errors::CODE_CHECK_DIFFERS);
    show(
        app,
        lang,
        &code.digits,
        code.urgent,
        &grouped(&typed),
        &[differs],
    )
}

/// "The code cannot be shown again".
fn gone(app: &App, lang: Lang) -> HtmlResponse {
    let onion = app.onion_address();
    let site = site(app, lang, Page::Landing, onion.as_deref());
    html(StatusCode::GONE, templates::code_gone(&site))
}
