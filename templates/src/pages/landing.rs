//! The landing page (`GET /{lang}/`): how to leave quickly, the way to write, who else can help, why the
//! centre can be trusted, the "I have a code" form, and links to the information pages. Also the return form,
//! shared with the code page.

use maud::{html, Markup};

use crate::i18n::Tr;
use crate::layout::{self, described_by, error_for, error_summary, field_class, field_error};
use crate::{help, FieldError, Site};

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
/// The first screens answer "how do I leave, can I trust this, who else can help"; longer text lives on the
/// information pages it links to.
pub fn landing(site: &Site<'_>, ret: &ReturnForm<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("landing-heading")) }
        (error_summary(t, ret.errors, None))
        p { (t.msg("landing-intro")) }
        p { (t.msg("landing-anonymous")) }
        (leave_quickly(site, t))
        p { a.button.big href=(site.route("contact")) { (t.msg("landing-write")) } }
        (help::emergency(t, site.centre))
        (trust(site, t))
        section {
            h2 { (t.msg("landing-return-heading")) }
            (return_form(site, t, ret, &t.msg("return-submit")))
        }
        (help::other_ways(t, site.centre))
        (read_more(site, t))
    };
    layout::page(site, t, content)
}

/// "Leave quickly, stay safe": before the first form, what the exit does and where the safety advice is.
fn leave_quickly(site: &Site<'_>, t: Tr) -> Markup {
    html! {
        section.box {
            h2 { (t.msg("landing-quick-heading")) }
            p { (t.msg("landing-quick-exit")) }
            p { a href=(site.route("info/safety")) { (t.msg("landing-quick-safety")) } }
        }
    }
}

/// "Can I trust you?": who runs the centre, confidentiality and its limit, what the centre cannot see, when
/// replies come and when an unused conversation is deleted.
fn trust(site: &Site<'_>, t: Tr) -> Markup {
    let centre = site.centre;
    html! {
        section {
            h2 { (t.msg("landing-trust-heading")) }
            ul {
                @if !centre.organiser.is_empty() {
                    li {
                        (t.msg_args("landing-trust-organiser",
                            &[("organiser", centre.organiser.as_str().into())]))
                    }
                }
                li { (t.msg("landing-trust-confidential")) }
                li { strong { (t.msg("landing-trust-under-18")) } }
                li { (t.msg("landing-trust-ip")) }
                li { (t.msg_args("landing-trust-reply", &[("days", centre.reply_working_days.into())])) }
                li { (t.msg_args("landing-trust-expiry", &[("days", centre.expiry_days.into())])) }
            }
        }
    }
}

/// Links to the information pages, and the onion address for Tor Browser.
fn read_more(site: &Site<'_>, t: Tr) -> Markup {
    html! {
        section {
            h2 { (t.msg("landing-more-heading")) }
            ul {
                li { a href=(site.route("info/")) { (t.msg("landing-more-info")) } }
                li { a href=(site.route("info/safety")) { (t.msg("landing-quick-safety")) } }
            }
            @if let Some(onion) = site.onion_address {
                p {
                    (t.msg("landing-safety-onion")) " "
                    span.onion dir="ltr" translate="no" { (onion) }
                }
            }
        }
    }
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
