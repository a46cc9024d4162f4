//! The frame around every page and the pieces several pages share. The frame puts the exit link first (first
//! in the document, first in the tab order, at the top of a 320 px screen and sticky while scrolling), then a
//! skip link, the header with the language picker, `<main>` and the footer; the head carries only what the
//! no-trace rules allow: the neutral title, `referrer` and `viewport` metas, an empty icon and the inline style.

use fluent_bundle::FluentValue;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::i18n::Tr;
use crate::{Field, FieldError, Site, STYLE};

/// A whole page: the frame around `content`, which goes inside `<main>`.
pub(crate) fn page(site: &Site<'_>, t: Tr, content: Markup) -> String {
    let page_lang = site.lang;
    html! {
        (DOCTYPE)
        html lang=(page_lang.code()) dir=(page_lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (site.title) }
                link rel="icon" href="data:,";
                style { (PreEscaped(STYLE)) }
            }
            body {
                // A landmark of its own, so every piece of content sits in one; it stays a direct child of
                // <body> for the sticky bar. No label: the link inside says it, and a label would say it twice.
                nav.exit-bar {
                    a.exit href="/exit" rel="noreferrer" { (t.msg("exit-link")) }
                    a.skip href="#main" { (t.msg("skip-link")) }
                }
                header.w {
                    // The name comes from the configuration, often in Swedish: it keeps its own direction.
                    @match site.keep {
                        Some(keep) => a.home href=(format!("#{}", keep.leave_warning_id)) dir="auto" {
                            (site.centre_name)
                        },
                        None => a.home href=(site.home()) dir="auto" { (site.centre_name) },
                    }
                    nav aria-label=(t.msg("language-nav")) {
                        ul.langs {
                            @for lang in site.centre.languages.iter().copied() {
                                li {
                                    // Each name in its own language and direction, so a right-to-left name
                                    // keeps its shape and order among left-to-right ones, and the reverse.
                                    @if lang == page_lang {
                                        span lang=(lang.code()) dir=(lang.dir()) aria-current="true" {
                                            (lang.native_name())
                                        }
                                    } @else if let Some(keep) = site.keep {
                                        button.lang type="submit" form=(keep.form_id)
                                            formaction=(format!("/{}/{}", lang.code(), keep.action))
                                            name="switch" value="yes" lang=(lang.code()) dir=(lang.dir()) {
                                            (lang.native_name())
                                        }
                                    } @else {
                                        a href=(site.path_in(lang)) hreflang=(lang.code()) lang=(lang.code())
                                            dir=(lang.dir()) {
                                            (lang.native_name())
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !page_lang.reviewed() {
                        p.draft { (t.msg("draft-note")) }
                    }
                }
                main #main .w { (content) }
                footer.w {
                    p { (t.msg("footer-note")) }
                }
            }
        }
    }
    .into_string()
}

/// The emergency numbers: 112 and the national lines, each number kept left-to-right so that its digit groups
/// stay in order inside right-to-left text.
const NUMBERS: [(&str, Number); 5] = [
    ("112", Number::Emergency),
    ("114 14", Number::Police),
    ("116 111", Number::Bris),
    ("020-50 50 50", Number::Kvinnofrid),
    ("1177", Number::Health),
];

#[derive(Clone, Copy)]
enum Number {
    Emergency,
    Police,
    Bris,
    Kvinnofrid,
    Health,
}

fn number_text(t: Tr, number: Number) -> String {
    match number {
        Number::Emergency => t.msg("number-112"),
        Number::Police => t.msg("number-police"),
        Number::Bris => t.msg("number-bris"),
        Number::Kvinnofrid => t.msg("number-kvinnofrid"),
        Number::Health => t.msg("number-health"),
    }
}

/// The full emergency section (landing page; code page after an urgent message): heading, what to do, and
/// every number with what it is for.
pub(crate) fn emergency_full(t: Tr, heading: &str) -> Markup {
    html! {
        section.box.urgent {
            h2 { (heading) }
            p { strong { (t.msg("emergency-call-112")) } }
            ul.numbers {
                @for (digits, number) in NUMBERS {
                    li { span.num dir="ltr" { (digits) } " – " (number_text(t, number)) }
                }
            }
        }
    }
}

/// The short emergency box near the top of forms and error pages: 112, and BRIS for young people.
pub(crate) fn emergency_short(t: Tr) -> Markup {
    html! {
        div.box.urgent {
            p { strong { (t.msg("emergency-short")) } }
            p { span.num dir="ltr" { "116 111" } " – " (t.msg("number-bris")) }
        }
    }
}

/// The explanation of `error`, with `max` (the message limit) available to the text where a page knows it.
/// An id no locale has gives the generic "check this field" text, never the id.
pub(crate) fn error_text(t: Tr, error: &FieldError, max: Option<usize>) -> String {
    let args: Vec<(&'static str, FluentValue<'_>)> = match max {
        Some(max) => vec![("max", max.into())],
        None => Vec::new(),
    };
    t.try_msg_args(error.message_id, &args)
        .unwrap_or_else(|| t.msg("error-field-generic"))
}

/// The error summary right after the `<h1>`: a heading and a list linking to each field. Nothing when there
/// are no errors.
pub(crate) fn error_summary(t: Tr, errors: &[FieldError], max: Option<usize>) -> Markup {
    html! {
        @if !errors.is_empty() {
            section.errors aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (t.msg("error-summary-heading")) }
                ul {
                    @for error in errors {
                        li { a href=(format!("#{}", error.field.name())) { (error_text(t, error, max)) } }
                    }
                }
            }
        }
    }
}

/// The first error for `field`, if any.
pub(crate) fn error_for<'e>(errors: &'e [FieldError], field: &str) -> Option<&'e FieldError> {
    errors.iter().find(|error| error.field.name() == field)
}

/// The id of the error text shown beside `field`.
pub(crate) fn error_id(field: &str) -> String {
    format!("{field}-error")
}

/// The error text beside a field (empty markup when the field is fine), with a hidden "Error:" for screen
/// readers; its id is [`error_id`] so the field can point at it with `aria-describedby`.
pub(crate) fn field_error(t: Tr, errors: &[FieldError], field: &str, max: Option<usize>) -> Markup {
    html! {
        @if let Some(error) = error_for(errors, field) {
            p.error id=(error_id(field)) {
                span.vh { (t.msg("error-prefix")) " " }
                (error_text(t, error, max))
            }
        }
    }
}

/// The `aria-describedby` value for a field: its hint (if any) and its error (if any); `None` if neither.
pub(crate) fn described_by(
    hint_id: Option<&str>,
    errors: &[FieldError],
    field: &str,
) -> Option<String> {
    let error = error_for(errors, field).map(|_| error_id(field));
    match (hint_id, error) {
        (Some(hint), Some(error)) => Some(format!("{hint} {error}")),
        (Some(hint), None) => Some(hint.to_owned()),
        (None, Some(error)) => Some(error),
        (None, None) => None,
    }
}

/// The CSS class of a field's wrapper: marked when the field has an error.
pub(crate) fn field_class(errors: &[FieldError], field: &str) -> &'static str {
    if error_for(errors, field).is_some() {
        "field invalid"
    } else {
        "field"
    }
}

/// The "I am in danger now" checkbox, the same on every form that sends a message to the centre (the contact
/// form, the write-again form, and the code form when it carries what a timed-out conversation page held): a
/// real checkbox with its label, and beside it the hint that a reply can take time and 112 cannot wait. Ticked,
/// it posts `urgent=yes`.
pub(crate) fn urgent_field(t: Tr, ticked: bool) -> Markup {
    let urgent = Field::Urgent.name();
    html! {
        div.field {
            div.choice {
                input id=(urgent) type="checkbox" name=(urgent) value="yes" checked[ticked]
                    aria-describedby="urgent-hint";
                label for=(urgent) { strong { (t.msg("contact-urgent-label")) } }
            }
            p.hint #urgent-hint { (t.msg("contact-urgent-hint")) }
        }
    }
}

/// The message textarea shared by the contact form and the write-again form: label, limit, error and the
/// text kept after a failed submit. No `required` or `maxlength`: the server checks both and explains in the
/// page's language, where a browser's own bubble would speak the browser's language.
pub(crate) fn message_field(
    t: Tr,
    label: &str,
    value: &str,
    max: usize,
    errors: &[FieldError],
) -> Markup {
    let message = Field::Message.name();
    html! {
        div class=(field_class(errors, message)) {
            label for=(message) { (label) }
            p.hint #message-hint { (t.msg_args("message-hint", &[("max", max.into())])) }
            (field_error(t, errors, message, Some(max)))
            textarea #message name=(message) rows="10" dir="auto"
                autocomplete="off" spellcheck="false"
                aria-invalid=[error_for(errors, message).map(|_| "true")]
                aria-describedby=[described_by(Some("message-hint"), errors, message)] {
                // The parser drops one newline right after <textarea>; this one, so a kept text that starts
                // with a blank line comes back whole.
                "\n" (value)
            }
        }
    }
}
