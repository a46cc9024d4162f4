//! The code form (`POST /{lang}/return`): where a visitor enters their code to open the conversation.
//!
//! It answers a POST, so no browser keeps it in its back/forward cache (see [`crate::pages::landing`]). When the
//! conversation page timed out while the visitor was writing, it also carries what they wrote, and the "I am in
//! danger now" box as they left it, so that entering the code again sends it and nothing is lost.

use maud::html;

use crate::i18n::Tr;
use crate::layout::{self, described_by, error_for, error_summary, field_class, field_error};
use crate::{Field, FieldError, Site};

/// The code form's state.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct ReturnForm<'a> {
    /// The form token (anti-CSRF), sent back in a hidden field.
    pub token: &'a str,
    /// The code as the visitor typed it, kept after a typo so they can correct it; `""` otherwise.
    pub code: &'a str,
    /// What the visitor was writing on a conversation page that timed out; sent once the code opens the
    /// conversation. `""` otherwise.
    pub message: &'a str,
    /// Whether "I am in danger now" was ticked on that page; sent with the message.
    pub urgent: bool,
    /// Whether the visitor comes from a conversation page that timed out: says why the code is asked again.
    pub timed_out: bool,
    /// How long a conversation page stays usable, in minutes, for the timed-out notice.
    pub session_minutes: u64,
    /// The message limit in characters.
    pub max_message_chars: usize,
    /// What to correct: [`Field::Code`], [`Field::Message`] or [`Field::Form`].
    pub errors: &'a [FieldError],
}

/// The code form page. Fields posted to `/{lang}/return`: `token`, `code`, and `urgent` (`"yes"` when ticked)
/// and `message` when what a conversation page held is kept. The box and the text are shown when either is.
pub fn return_page(site: &Site<'_>, form: &ReturnForm<'_>) -> String {
    let t = Tr::new(site.lang);
    let max = Some(form.max_message_chars);
    let code = Field::Code.name();
    let content = html! {
        h1 { (t.msg("landing-return-heading")) }
        (error_summary(t, form.errors, max))
        @if form.timed_out {
            div.box {
                p { (t.msg_args("return-timed-out", &[("minutes", form.session_minutes.into())])) }
            }
        }
        form #form method="post" action=(site.route("return")) autocomplete="off" {
            (field_error(t, form.errors, Field::Form.name(), max))
            input type="hidden" name=(Field::Token.name()) value=(form.token);
            div class=(field_class(form.errors, code)) {
                label for=(code) { (t.msg("return-code-label")) }
                p.hint #code-hint { (t.msg("return-code-hint")) }
                (field_error(t, form.errors, code, None))
                input #code .code-input type="text" name=(code) value=(form.code) inputmode="numeric"
                    autocomplete="off" autocapitalize="off" autocorrect="off" spellcheck="false" dir="ltr"
                    aria-invalid=[error_for(form.errors, code).map(|_| "true")]
                    aria-describedby=[described_by(Some("code-hint"), form.errors, code)];
            }
            @if !form.message.is_empty() || form.urgent {
                (layout::urgent_field(t, form.urgent))
                (layout::message_field(t, &t.msg("return-message-label"), form.message,
                    form.max_message_chars, form.errors))
            }
            button type="submit" { (t.msg("return-submit")) }
        }
    };
    layout::page(site, t, content)
}
