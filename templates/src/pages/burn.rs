//! Deleting a conversation: the confirmation (`POST /{lang}/thread/delete` without `confirm`), with a button
//! that deletes and one that keeps the conversation and goes back to it, and the page after it is done.

use maud::html;

use crate::i18n::Tr;
use crate::layout;
use crate::{Field, Site};

/// What the confirmation needs.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct BurnConfirm<'a> {
    /// The session token, posted back with `confirm=yes` or `confirm=no`.
    pub token: &'a str,
    /// When the conversation was last opened before this visit (field `opened`), carried back to it.
    pub previous_open_unix: Option<i64>,
}

/// "Delete the conversation?": posts `token` and `confirm=yes` (delete) or `confirm=no` (keep it and show it
/// again) to `/{lang}/thread/delete`.
pub fn burn_confirm(site: &Site<'_>, page: &BurnConfirm<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("burn-confirm-heading")) }
        ul {
            li { (t.msg("burn-confirm-everything")) }
            li { (t.msg("burn-confirm-code")) }
            li { (t.msg("burn-confirm-centre")) }
        }
        p { strong { (t.msg("burn-confirm-undo")) } }
        form method="post" action=(site.route("thread/delete")) autocomplete="off" {
            input type="hidden" name=(Field::Token.name()) value=(page.token);
            @if let Some(opened) = page.previous_open_unix {
                input type="hidden" name=(Field::Opened.name()) value=(opened);
            }
            p.buttons {
                button.danger type="submit" name=(Field::Confirm.name()) value="yes" {
                    (t.msg("burn-confirm-button"))
                }
                " "
                button type="submit" name=(Field::Confirm.name()) value="no" { (t.msg("burn-confirm-no")) }
            }
        }
    };
    layout::page(site, t, content)
}

/// "Your conversation is deleted": the code no longer works and the centre has been told.
pub fn burned(site: &Site<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("burned-heading")) }
        p { (t.msg("burned-text")) }
        p { (t.msg("burned-again")) }
        p { a href=(site.home()) { (t.msg("home-link")) } }
    };
    layout::page(site, t, content)
}
