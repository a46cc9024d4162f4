//! The landing page (`GET /{lang}/`): what the centre does and for whom, emergency numbers, the way to write,
//! the "I have a code" form, and how to visit more safely. Also the return form, shared with the code page.

use maud::{html, Markup};

use crate::i18n::Tr;
use crate::layout::{self, described_by, error_for, error_summary, field_class, field_error};
use crate::{FieldError, Site};

/// The "I have a code" form on the landing page (and, empty, on the code page); posts `token` and `code` to
/// `/{lang}/return`.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct ReturnForm<'a> {
    /// The form token (anti-CSRF), sent back in a hidden field.
    pub token: &'a str,
    /// The code as the visitor typed it, kept after an error so they can correct it; `""` otherwise.
    pub code: &'a str,
    /// What to correct: `code` with one of the `CODE_*` ids in [`crate::field_errors`].
    pub errors: &'a [FieldError],
}

/// The landing page. `ret` carries the return form's token, and on a failed return the code and its error.
pub fn landing(site: &Site<'_>, ret: &ReturnForm<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("landing-heading")) }
        (error_summary(t, ret.errors, None))
        p { (t.msg("landing-intro")) }
        p { (t.msg("landing-anonymous")) }
        p { a.button.big href=(site.route("contact")) { (t.msg("landing-write")) } }
        (layout::emergency_full(t, &t.msg("emergency-heading")))
        section {
            h2 { (t.msg("landing-return-heading")) }
            (return_form(site, t, ret, &t.msg("return-submit")))
        }
        section {
            h2 { (t.msg("landing-who-heading")) }
            ul {
                li { (t.msg("landing-who-exposed")) }
                li { (t.msg("landing-who-relative")) }
                li { (t.msg("landing-who-used-violence")) }
                li { (t.msg("landing-who-professional")) }
            }
            p { (t.msg("landing-who-everyone")) }
        }
        section {
            h2 { (t.msg("landing-help-heading")) }
            ul {
                li { (t.msg("landing-help-talk")) }
                li { (t.msg("landing-help-advice")) }
                li { (t.msg("landing-help-contact")) }
                li { (t.msg("landing-help-professionals")) }
            }
            p { (t.msg("landing-help-duty")) }
        }
        section {
            h2 { (t.msg("landing-how-heading")) }
            ol {
                li { (t.msg("landing-how-write")) }
                li { (t.msg("landing-how-code")) }
                li { (t.msg("landing-how-return")) }
            }
        }
        section {
            h2 { (t.msg("landing-safety-heading")) }
            ul {
                li { (t.msg("landing-safety-private")) }
                li { (t.msg("landing-safety-shared")) }
                li { (t.msg("landing-safety-tor")) }
                li { (t.msg("landing-safety-exit")) }
            }
            p { (t.msg("landing-safety-site")) }
            @if let Some(onion) = site.onion_address {
                p {
                    (t.msg("landing-safety-onion")) " "
                    span.onion dir="ltr" translate="no" { (onion) }
                }
            }
        }
    };
    layout::page(site, t, content)
}

/// The code field and its form, posting to `/{lang}/return`.
pub(crate) fn return_form(site: &Site<'_>, t: Tr, ret: &ReturnForm<'_>, submit: &str) -> Markup {
    html! {
        form method="post" action=(site.route("return")) autocomplete="off" {
            input type="hidden" name="token" value=(ret.token);
            div class=(field_class(ret.errors, "code")) {
                label for="code" { (t.msg("return-code-label")) }
                p.hint #code-hint { (t.msg("return-code-hint")) }
                (field_error(t, ret.errors, "code", None))
                input #code .code-input type="text" name="code" value=(ret.code) inputmode="numeric"
                    autocomplete="off" autocapitalize="off" autocorrect="off" spellcheck="false" dir="ltr"
                    aria-invalid=[error_for(ret.errors, "code").map(|_| "true")]
                    aria-describedby=[described_by(Some("code-hint"), ret.errors, "code")];
            }
            button type="submit" { (submit) }
        }
    }
}
