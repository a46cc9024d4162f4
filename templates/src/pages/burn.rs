//! Deleting a conversation: the confirmation (`POST /{lang}/thread/delete` without `confirm`) and the page after
//! it is done. Without JavaScript there is no "cancel" that keeps the session, so the confirmation says plainly
//! that leaving the page keeps the conversation.

use maud::html;

use crate::i18n::Tr;
use crate::layout;
use crate::Site;

/// What the confirmation needs.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct BurnConfirm<'a> {
    /// The session token, posted back with `confirm=yes`.
    pub token: &'a str,
}

/// "Delete the conversation?": posts `token` and `confirm=yes` to `/{lang}/thread/delete`.
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
            input type="hidden" name="token" value=(page.token);
            input type="hidden" name="confirm" value="yes";
            button.danger type="submit" { (t.msg("burn-confirm-button")) }
        }
        p { (t.msg("burn-confirm-keep")) }
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
