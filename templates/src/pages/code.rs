//! The code page, shown once after a first contact has been kept: the ticket code in large digit groups, how to
//! keep it, when to come back; the emergency numbers first when the visitor said they are in danger now.

use maud::html;

use crate::i18n::Tr;
use crate::layout;
use crate::pages::landing::{return_form, ReturnForm};
use crate::Site;

/// What the code page shows.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct CodePage<'a> {
    /// The code as digit groups separated by single spaces, e.g. `"1234 5678 9012 3456"`.
    pub code_grouped: &'a str,
    /// Whether the visitor ticked "I am in danger now": the emergency numbers then come first.
    pub urgent: bool,
    /// A return-form token, so the visitor can check their written-down code right away (the form is empty:
    /// the page never fills in the code for them).
    pub return_token: &'a str,
}

/// The code page (the answer to a successful `POST /{lang}/contact`).
pub fn code_page(site: &Site<'_>, page: &CodePage<'_>) -> String {
    let t = Tr::new(site.lang);
    let check = ReturnForm {
        token: page.return_token,
        code: "",
        errors: &[],
    };
    let content = html! {
        h1 { (t.msg("code-heading")) }
        @if page.urgent {
            (layout::emergency_full(t, &t.msg("code-urgent-heading")))
        }
        p { (t.msg("code-sent")) }
        p.code dir="ltr" translate="no" {
            @for (index, group) in page.code_grouped.split_whitespace().enumerate() {
                // A real space between groups, so screen readers and copying keep them apart.
                @if index > 0 { " " }
                span { (group) }
            }
        }
        h2 { (t.msg("code-keep-heading")) }
        ul {
            li { (t.msg("code-keep-write")) }
            li { (t.msg("code-keep-shared")) }
            li { (t.msg("code-keep-anyone")) }
            li { (t.msg("code-keep-lost")) }
        }
        h2 { (t.msg("code-return-heading")) }
        p { (t.msg("code-return-when")) }
        p { (t.msg("code-return-how")) }
        h2 { (t.msg("code-check-heading")) }
        p { (t.msg("code-check-text")) }
        (return_form(site, t, &check, &t.msg("return-submit")))
    };
    layout::page(site, t, content)
}
