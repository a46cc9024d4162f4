//! The code page, shown after a first contact has been kept: the ticket code first, in large digit groups, with
//! a one-line 112 reminder beside it; then how to keep the code, when to come back, and a box to check the
//! written-down code. When the visitor said they are in danger now, the emergency numbers follow the code.
//!
//! The code is shown only here, so the page guards it: its check form carries the code sealed in its token,
//! so a mistyped check shows the page again with the code and the differing digits marked; the language
//! picker sends that form to the same page in another language ([`crate::Keep`]); the link to the start page
//! first leads to a warning. Also the two pages a check can end on: the code was right, or the page can no
//! longer show the code.

use maud::{html, Markup};

use crate::i18n::Tr;
use crate::layout::{self, described_by, error_for, error_summary, field_class, field_error};
use crate::{Field, FieldError, Keep, Site};

/// The `id` of the check form, which the language buttons send.
const CHECK_FORM_ID: &str = "check";
/// The `id` of the warning before leaving.
const LEAVE_WARNING_ID: &str = "before-you-leave";

/// What the code page shows.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct CodePage<'a> {
    /// The code as digit groups separated by single spaces, e.g. `"1234 5678 9012 3456"`.
    pub code_grouped: &'a str,
    /// Whether the visitor ticked "I am in danger now": the emergency numbers then follow the code.
    pub urgent: bool,
    /// The check form's token, which carries the code and whether the visitor is in danger, sealed.
    pub check_token: &'a str,
    /// After a failed check: the code as the visitor typed it, grouped like the code; `""` otherwise.
    pub typed: &'a str,
    /// After a failed check: what to correct ([`Field::Code`]).
    pub errors: &'a [FieldError],
}

impl CodePage<'_> {
    /// The [`Site::keep`] the code page needs: pass it in the `Site` given to [`code_page`].
    pub const KEEP: Keep<'static> = Keep {
        form_id: CHECK_FORM_ID,
        action: "code",
        leave_warning_id: LEAVE_WARNING_ID,
    };
}

/// The typed code, digit by digit, with each digit that differs from the code marked.
fn marked(code_grouped: &str, typed: &str) -> Markup {
    let mut code = code_grouped.chars().filter(char::is_ascii_digit);
    let shown: Vec<(char, bool)> = typed
        .chars()
        .map(|c| (c, c.is_ascii_digit() && code.next() != Some(c)))
        .collect();
    html! {
        @for (c, differs) in shown {
            @if differs { mark { (c) } } @else { (c) }
        }
    }
}

/// The positions (1-based) at which `typed` differs from the code, as "3, 7"; missing or extra digits count.
fn differing_positions(code_grouped: &str, typed: &str) -> String {
    let code: Vec<char> = code_grouped.chars().filter(char::is_ascii_digit).collect();
    let typed: Vec<char> = typed.chars().filter(char::is_ascii_digit).collect();
    (0..code.len().max(typed.len()))
        .filter(|&i| code.get(i) != typed.get(i))
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The code page (the answer to a successful `POST /{lang}/contact`, to a failed check and to a change of
/// language on `POST /{lang}/code`). The `Site` should carry [`CodePage::KEEP`].
pub fn code_page(site: &Site<'_>, page: &CodePage<'_>) -> String {
    let t = Tr::new(site.lang);
    let code = Field::Code.name();
    let content = html! {
        h1 { (t.msg("code-heading")) }
        p.code dir="ltr" translate="no" {
            @for (index, group) in page.code_grouped.split_whitespace().enumerate() {
                // A real space between groups, so screen readers and copying keep them apart.
                @if index > 0 { " " }
                span { (group) }
            }
        }
        p.urgent-line { strong { (t.msg("emergency-short")) } }
        (error_summary(t, page.errors, None))
        @if !page.typed.is_empty() {
            div.box.mistake {
                p {
                    (t.msg_args("code-check-differs-at", &[("positions",
                        differing_positions(page.code_grouped, page.typed).into())]))
                }
                p { (t.msg("code-check-you-wrote")) " " span.code-typed dir="ltr" translate="no" {
                    (marked(page.code_grouped, page.typed))
                } }
            }
        }
        p { (t.msg("code-sent")) }
        @if page.urgent {
            (layout::emergency_full(t, &t.msg("code-urgent-heading")))
        }
        h2 { (t.msg("code-keep-heading")) }
        ul {
            li { (t.msg("code-keep-write")) }
            li { (t.msg("code-keep-shared")) }
            li { (t.msg("code-keep-anyone")) }
            li { (t.msg("code-keep-lost")) }
        }
        h2 { (t.msg("code-check-heading")) }
        p { (t.msg("code-check-how")) }
        form #(CHECK_FORM_ID) method="post" action=(site.route("code")) autocomplete="off" {
            input type="hidden" name=(Field::Token.name()) value=(page.check_token);
            div class=(field_class(page.errors, code)) {
                label for=(code) { (t.msg("return-code-label")) }
                p.hint #code-hint { (t.msg("return-code-hint")) }
                (field_error(t, page.errors, code, None))
                input #code .code-input type="text" name=(code) value="" inputmode="numeric"
                    autocomplete="off" autocapitalize="off" autocorrect="off" spellcheck="false" dir="ltr"
                    aria-invalid=[error_for(page.errors, code).map(|_| "true")]
                    aria-describedby=[described_by(Some("code-hint"), page.errors, code)];
            }
            button type="submit" { (t.msg("code-check-submit")) }
        }
        h2 { (t.msg("code-return-heading")) }
        p { (t.msg("code-return-when")) }
        p { (t.msg("code-return-how")) }
        section.box #(LEAVE_WARNING_ID) {
            h2 { (t.msg("code-leave-heading")) }
            p { (t.msg("code-leave-text")) }
            p { a href=(site.home()) { (t.msg("code-leave-link")) } }
        }
    };
    layout::page(site, t, content)
}

/// "The code you wrote down is right": the answer to a check that matched. The code is not shown again.
pub fn code_checked(site: &Site<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("code-checked-heading")) }
        p { (t.msg("code-checked-text")) }
        p { (t.msg("code-return-when")) }
        p { (t.msg("code-return-how")) }
        p { a href=(site.home()) { (t.msg("home-link")) } }
    };
    layout::page(site, t, content)
}

/// "The code cannot be shown again": the answer to a check form sent again from history, or opened too long.
pub fn code_gone(site: &Site<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("code-gone-heading")) }
        p { (t.msg("code-gone-text")) }
        p { a href=(site.home()) { (t.msg("home-link")) } }
    };
    layout::page(site, t, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_that_differ_are_counted_from_one_and_include_missing_digits() {
        assert_eq!(differing_positions("1234 5678", "1234 5687"), "7, 8");
        assert_eq!(differing_positions("1234 5678", "1234 567"), "8");
        assert_eq!(differing_positions("1234", "1234"), "");
    }

    #[test]
    fn only_differing_digits_are_marked() {
        let html = marked("1234 5678", "1234 5687").into_string();
        assert_eq!(html, "1234 56<mark>8</mark><mark>7</mark>");
    }
}
