//! The conversation (`POST /{lang}/return`, and after writing again): every entry, newest first, with who
//! wrote it and whether the centre has received it, a "you have a new reply" line when the centre wrote last, when the code was last used before this visit (so a visitor can
//! notice someone else has it), the write-again form with its "I am in danger now" box, and the way to delete
//! the conversation. After a message sent with that box ticked, the emergency numbers follow the "sent" line,
//! as on the code page after an urgent first contact.

use maud::html;

use crate::i18n::Tr;
use crate::layout::{self, error_summary};
use crate::{Field, FieldError, Site};

/// One entry of the conversation, as the handler has opened and formatted it.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct EntryView<'a> {
    /// Written by the visitor (`true`) or by staff (`false`).
    pub mine: bool,
    /// The staff member's display name (pseudonym); `None` shows "the centre". Ignored for the visitor's own.
    pub author_name: Option<&'a str>,
    /// When it was written, already formatted for the page's language.
    pub written: &'a str,
    /// The text; line breaks are kept.
    pub text: &'a str,
    /// For the visitor's own entries: whether the centre has received it yet. Ignored for staff entries.
    pub delivered: bool,
}

/// What the conversation page shows.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct ThreadPage<'a> {
    /// The entries, oldest first.
    pub entries: &'a [EntryView<'a>],
    /// When the conversation was last opened before this visit, formatted; `None` if never.
    pub previous_open: Option<&'a str>,
    /// The same moment as unix seconds, carried through the write-again form (field `opened`) so the page
    /// shown after writing still names the open before this visit, not this visit itself.
    pub previous_open_unix: Option<i64>,
    /// The session token for the write-again and delete forms.
    pub token: &'a str,
    /// The write-again text, kept when it must be corrected.
    pub message: &'a str,
    /// Whether the write-again form's "I am in danger now" is ticked, kept with the text.
    pub urgent: bool,
    /// The message limit in characters.
    pub max_message_chars: usize,
    /// What to correct in the write-again form (field `message`).
    pub errors: &'a [FieldError],
    /// What the page says about a message the visitor has just sent.
    pub sent: Sent,
    /// How long the page's forms stay usable, in minutes.
    pub session_minutes: u64,
}

/// A message the visitor has just sent from the write-again form, as the conversation page acknowledges it.
// No `Debug`: whether a visitor said they are in danger must never reach a log line either.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Nothing was sent: the conversation was opened, or the form must be corrected.
    Nothing,
    /// A message was sent: "sent" is said above everything else.
    Message,
    /// A message was sent with "I am in danger now" ticked: "sent", then the emergency numbers.
    Urgent,
}

/// The conversation page. Its forms post `token`, `urgent` (`"yes"` when ticked) and `message` to
/// `/{lang}/thread/write`, and `token` to `/{lang}/thread/delete` (which answers with [`crate::burn_confirm`]);
/// both carry `opened` when the conversation was opened before this visit.
pub fn thread(site: &Site<'_>, page: &ThreadPage<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("thread-heading")) }
        @if page.sent != Sent::Nothing {
            div.box.ok { p { strong { (t.msg("thread-sent")) } } }
        }
        @if page.sent == Sent::Urgent {
            (layout::emergency_full(t, &t.msg("code-urgent-heading")))
        }
        (error_summary(t, page.errors, Some(page.max_message_chars)))
        h2 { (t.msg("thread-messages-heading")) }
        @if page.entries.is_empty() {
            p { (t.msg("thread-empty")) }
        } @else {
            @if page.entries.last().is_some_and(|entry| !entry.mine) {
                p.box.ok { strong { (t.msg("thread-new-reply")) } }
            }
            // Newest first, so a new reply is on the first screen; `reversed` keeps the numbers true.
            ol.thread reversed {
                @for entry in page.entries.iter().rev() {
                    li class=(if entry.mine { "entry mine" } else { "entry staff" }) {
                        h3 {
                            @if entry.mine {
                                (t.msg("thread-author-me"))
                            } @else {
                                @match entry.author_name {
                                    Some(name) => (t.msg_args("thread-author-staff", &[("name", name.into())])),
                                    None => (t.msg("thread-author-centre")),
                                }
                            }
                        }
                        p.meta { bdi { (entry.written) } }
                        p.text dir="auto" { (entry.text) }
                        @if entry.mine {
                            p.meta {
                                @if entry.delivered {
                                    (t.msg("thread-delivered"))
                                } @else {
                                    (t.msg("thread-not-delivered"))
                                }
                            }
                        }
                    }
                }
            }
        }
        div.box {
            @match page.previous_open {
                Some(time) => {
                    p { strong { (t.msg("thread-previous-open")) " " bdi { (time) } } }
                    p { (t.msg("thread-previous-open-not-you")) }
                },
                None => p { (t.msg("thread-first-open")) },
            }
        }
        p { (t.msg("thread-answer-time")) }
        h2 { (t.msg("thread-write-heading")) }
        p.hint { (t.msg_args("thread-session-time", &[("minutes", page.session_minutes.into())])) }
        form method="post" action=(site.route("thread/write")) autocomplete="off" {
            input type="hidden" name=(Field::Token.name()) value=(page.token);
            @if let Some(opened) = page.previous_open_unix {
                input type="hidden" name=(Field::Opened.name()) value=(opened);
            }
            (layout::urgent_field(t, page.urgent))
            (layout::message_field(t, &t.msg("thread-message-label"), page.message, page.max_message_chars,
                page.errors))
            button type="submit" { (t.msg("thread-send")) }
        }
        h2 { (t.msg("thread-delete-heading")) }
        p { (t.msg("thread-delete-text")) }
        form method="post" action=(site.route("thread/delete")) autocomplete="off" {
            input type="hidden" name=(Field::Token.name()) value=(page.token);
            @if let Some(opened) = page.previous_open_unix {
                input type="hidden" name=(Field::Opened.name()) value=(opened);
            }
            button.quiet type="submit" { (t.msg("thread-delete-button")) }
        }
        p { (t.msg("thread-leave")) }
    };
    layout::page(site, t, content)
}
