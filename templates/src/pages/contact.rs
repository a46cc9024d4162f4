//! The contact form (`POST /{lang}/contact`): who is writing, whether they are in danger now, the
//! message, the language of the reply, and a honeypot field for robots. Shown again with the text kept when
//! something must be corrected or the form has expired.

use maud::html;

use crate::i18n::Tr;
use crate::layout::{self, described_by, error_for, error_summary, field_class, field_error};
use crate::{Field, FieldError, Group, Lang, Site};

/// The contact form's state: empty when opened, as submitted (with `errors`) when it must be corrected.
// No `Debug`: it holds a token, a code or the visitor's words, which must never reach a log line.
#[derive(Clone, Copy)]
pub struct ContactForm<'a> {
    /// The form token (anti-CSRF), sent back in a hidden field.
    pub token: &'a str,
    /// The group chosen, if any.
    pub group: Option<Group>,
    /// Whether "I am in danger now" is ticked.
    pub urgent: bool,
    /// The message as typed (kept on errors).
    pub message: &'a str,
    /// The language the visitor wants the reply in; preselect the page's language on `GET`.
    pub reply_language: Lang,
    /// The message limit in characters, shown to the visitor.
    pub max_message_chars: usize,
    /// How many digits the code has, said before sending so the visitor has paper and pen ready.
    pub code_digits: usize,
    /// What to correct: fields `group`, `message`, `reply_language`, or `form` for an expired form.
    pub errors: &'a [FieldError],
}

fn group_label(t: Tr, group: Group) -> String {
    match group {
        Group::Exposed => t.msg("group-exposed"),
        Group::Relative => t.msg("group-relative"),
        Group::UsedViolence => t.msg("group-used-violence"),
        Group::Professional => t.msg("group-professional"),
        Group::Other => t.msg("group-other"),
    }
}

/// The id of a group's radio button. The first is plain `group`, so the error summary's `#group` lands on it.
fn group_input_id(index: usize, group: Group) -> String {
    if index == 0 {
        "group".to_owned()
    } else {
        format!("group-{}", group.as_str())
    }
}

/// The contact page. Fields posted to `/{lang}/contact`: `token`, `group`, `urgent` (`"yes"` when ticked),
/// `message`, `reply_language` (a language code) and `website` (the honeypot: must be empty).
pub fn contact(site: &Site<'_>, form: &ContactForm<'_>) -> String {
    let t = Tr::new(site.lang);
    let max = Some(form.max_message_chars);
    let content = html! {
        h1 { (t.msg("contact-heading")) }
        (error_summary(t, form.errors, max))
        (layout::emergency_short(t))
        p { (t.msg("contact-intro")) }
        form #form method="post" action=(site.route("contact")) autocomplete="off" {
            (field_error(t, form.errors, "form", max))
            input type="hidden" name=(Field::Token.name()) value=(form.token);
            div class=(field_class(form.errors, "group")) {
                fieldset aria-describedby=[described_by(None, form.errors, "group")] {
                    legend { (t.msg("contact-group-legend")) }
                    (field_error(t, form.errors, "group", max))
                    @for (index, group) in Group::ALL.into_iter().enumerate() {
                        @let id = group_input_id(index, group);
                        div.choice {
                            input type="radio" id=(id) name=(Field::Group.name()) value=(group.as_str())
                                checked[form.group == Some(group)];
                            label for=(id) { (group_label(t, group)) }
                        }
                    }
                }
            }
            (layout::urgent_field(t, form.urgent))
            (layout::message_field(t, &t.msg("contact-message-label"), form.message, form.max_message_chars,
                form.errors))
            div class=(field_class(form.errors, "reply_language")) {
                label for="reply_language" { (t.msg("contact-reply-language-label")) }
                (field_error(t, form.errors, "reply_language", max))
                select #reply_language name=(Field::ReplyLanguage.name())
                    aria-invalid=[error_for(form.errors, "reply_language").map(|_| "true")]
                    aria-describedby=[described_by(None, form.errors, "reply_language")] {
                    @for lang in Lang::ALL {
                        option value=(lang.code()) lang=(lang.code()) dir=(lang.dir())
                            selected[lang == form.reply_language] {
                            (lang.native_name())
                        }
                    }
                }
            }
            // People never see or reach this field; robots that fill every field do, and give themselves away.
            div.hp aria-hidden="true" {
                label for="website" { (t.msg("contact-honeypot-label")) }
                input #website type="text" name=(Field::Website.name()) value="" tabindex="-1" autocomplete="off";
            }
            p { (t.msg("contact-before-send")) }
            p { strong { (t.msg_args("contact-code-ahead", &[("digits", form.code_digits.into())])) } }
            button type="submit" { (t.msg("contact-submit")) }
        }
    };
    layout::page(site, t, content)
}
