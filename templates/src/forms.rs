//! The data forms carry back to the pages: the names of the fields ([`Field`], one list shared by the pages,
//! the handlers and the form parser), who is writing ([`Group`]), and which field is wrong and why
//! ([`FieldError`], with the message ids in [`field_errors`]). The handlers validate; the pages only show.

/// Every field any of the visitor's forms has. The pages name their inputs with [`Field::name`], the handlers
/// read them by the same names, and the form parser refuses any other name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Not an input: the whole form, for errors that concern no single field.
    Form,
    /// The sealed form token (hidden).
    Token,
    /// Who the visitor writes as (radio buttons, [`Group`]).
    Group,
    /// "I am in danger now" (checkbox, `yes` when ticked).
    Urgent,
    /// The message.
    Message,
    /// The language of the reply.
    ReplyLanguage,
    /// The honeypot: no person sees or fills it.
    Website,
    /// The ticket code as typed.
    Code,
    /// `yes` on the delete confirmation's button, `no` on its "keep it" button.
    Confirm,
    /// When the conversation was last opened before this visit (hidden, unix seconds).
    Opened,
    /// `yes` on a language button of a page that keeps what it shows ([`crate::Keep`]).
    Switch,
}

impl Field {
    /// Every input field (all but [`Field::Form`]): what the form parser accepts.
    pub const INPUTS: [Field; 10] = [
        Field::Token,
        Field::Group,
        Field::Urgent,
        Field::Message,
        Field::ReplyLanguage,
        Field::Website,
        Field::Code,
        Field::Confirm,
        Field::Opened,
        Field::Switch,
    ];

    /// The `name` (and `id`) in the HTML: `"token"`, `"group"`, `"urgent"`, `"message"`, `"reply_language"`,
    /// `"website"`, `"code"`, `"confirm"`, `"opened"`, `"switch"`, or `"form"` for the whole form.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Form => "form",
            Field::Token => "token",
            Field::Group => "group",
            Field::Urgent => "urgent",
            Field::Message => "message",
            Field::ReplyLanguage => "reply_language",
            Field::Website => "website",
            Field::Code => "code",
            Field::Confirm => "confirm",
            Field::Opened => "opened",
            Field::Switch => "switch",
        }
    }
}

/// Who the visitor says they are writing as, chosen on the contact form: the one definition the envelope
/// carries too.
pub use porten_protocol::envelope::Group;

/// A field the visitor has to correct, shown in the error summary at the top of the page and beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    /// The field; the summary links to `#<name>`.
    pub field: Field,
    /// The Fluent message id of the explanation, one of [`field_errors`]. An id no locale has shows a generic
    /// "check this field" text, never the id.
    pub message_id: &'static str,
}

/// The Fluent message ids for [`FieldError::message_id`], with the field each is meant for.
pub mod field_errors {
    /// `group`: no group chosen.
    pub const GROUP_MISSING: &str = "error-group-missing";
    /// `message`: empty or only whitespace.
    pub const MESSAGE_EMPTY: &str = "error-message-empty";
    /// `message`: longer than the limit (the text states the limit).
    pub const MESSAGE_TOO_LONG: &str = "error-message-too-long";
    /// `reply_language`: not one of the offered languages.
    pub const LANGUAGE_UNKNOWN: &str = "error-language-unknown";
    /// `code`: nothing entered.
    pub const CODE_EMPTY: &str = "error-code-empty";
    /// `code`: not a code at all (wrong length, or characters other than digits, spaces and dashes).
    pub const CODE_FORMAT: &str = "error-code-format";
    /// `code`: the check digit shows a typo.
    pub const CODE_TYPO: &str = "error-code-typo";
    /// `code`: a well-formed code that opens no conversation: wrong, expired or deleted, one text for all.
    pub const CODE_NOT_FOUND: &str = "error-code-not-found";
    /// `form`: the form's token expired; the contact page is shown again with the text kept.
    pub const FORM_EXPIRED: &str = "error-form-expired";
    /// `form`: the form was sent before (a second press of Send, or a resubmission from history); the text is
    /// not shown again, so nobody can bring it back from the browser's history.
    pub const FORM_ALREADY_SENT: &str = "error-form-already-sent";
    /// `form`: the token is unusable (from before a restart, too old, or forged): what was typed is not shown
    /// again, since a page resubmitted from history must not bring it back.
    pub const FORM_INVALID: &str = "error-form-invalid";
    /// `form` or `code`: too many attempts in a short time; try again in a few minutes.
    pub const RATE_LIMITED: &str = "error-rate-limited";
    /// `form`: the gateway is at capacity; the message was not sent, the text is kept.
    pub const BUSY: &str = "error-busy";
    /// `form`: the message could not be stored; it was not sent, the text is kept.
    pub const INTERNAL: &str = "error-internal";
    /// `form`, on the code form: it was open too long; the code is not shown again, what the visitor was
    /// writing on a conversation page is.
    pub const CODE_FORM_EXPIRED: &str = "error-code-form-expired";
    /// `code`, on the code page's check: the code typed is not the code shown; the digits that differ are
    /// marked.
    pub const CODE_CHECK_DIFFERS: &str = "error-code-check-differs";

    /// Every id above, for tests and for handlers that want to check theirs.
    pub const ALL: [&str; 16] = [
        GROUP_MISSING,
        MESSAGE_EMPTY,
        MESSAGE_TOO_LONG,
        LANGUAGE_UNKNOWN,
        CODE_EMPTY,
        CODE_FORMAT,
        CODE_TYPO,
        CODE_NOT_FOUND,
        FORM_EXPIRED,
        FORM_ALREADY_SENT,
        FORM_INVALID,
        RATE_LIMITED,
        BUSY,
        INTERNAL,
        CODE_FORM_EXPIRED,
        CODE_CHECK_DIFFERS,
    ];
}

impl FieldError {
    /// An error on `field` explained by the message `message_id`.
    pub const fn new(field: Field, message_id: &'static str) -> FieldError {
        FieldError { field, message_id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_distinct_and_the_inputs_leave_out_the_whole_form() {
        let mut names: Vec<_> = Field::INPUTS.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Field::INPUTS.len());
        assert!(!names.contains(&Field::Form.name()));
    }

    #[test]
    fn every_group_round_trips_through_its_form_value() {
        for group in Group::ALL {
            assert_eq!(Group::from_str_opt(group.as_str()), Some(group));
        }
    }

    #[test]
    fn form_values_are_exact() {
        let values: Vec<_> = Group::ALL.iter().map(|g| g.as_str()).collect();
        assert_eq!(
            values,
            [
                "exposed",
                "relative",
                "used-violence",
                "professional",
                "other"
            ]
        );
        for odd in ["", "Exposed", "used_violence", "exposed ", "staff"] {
            assert_eq!(Group::from_str_opt(odd), None, "{odd:?}");
        }
    }
}
