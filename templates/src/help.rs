//! The ways to get help that the landing page lists: the emergency number, the police, the helplines the
//! centre configured for each group, and the centre's own phone and SMS. Every number and time keeps
//! `dir="ltr"`, so its digit groups stay in order inside right-to-left text.

use maud::{html, Markup};

use crate::i18n::Tr;
use crate::{Audience, Centre, Helpline, Hours};

/// "Are you in danger?": 112 and the police, then every configured helpline with who it is for, when it
/// answers and whether it is free and off the phone bill.
pub(crate) fn emergency(t: Tr, centre: &Centre) -> Markup {
    html! {
        section.box.urgent {
            h2 { (t.msg("emergency-heading")) }
            p { strong { (t.msg("emergency-call-112")) } }
            ul.numbers {
                li { span.num dir="ltr" { "112" } " – " (t.msg("number-112")) }
                li { span.num dir="ltr" { "114 14" } " – " (t.msg("number-police")) }
                @for line in &centre.helplines {
                    (helpline(t, line))
                }
            }
        }
    }
}

fn helpline(t: Tr, line: &Helpline) -> Markup {
    let name = [("name", line.name.as_str().into())];
    let who = match line.audience {
        Audience::Young => t.msg_args("helpline-young", &name),
        Audience::Women => t.msg_args("helpline-women", &name),
        Audience::BoysAndMen => t.msg_args("helpline-boys-and-men", &name),
        Audience::Lgbtq => t.msg_args("helpline-lgbtq", &name),
        Audience::StopViolence => t.msg_args("helpline-stop-violence", &name),
        Audience::Professionals => t.msg_args("helpline-professionals", &name),
        Audience::Everyone => t.msg_args("helpline-everyone", &name),
    };
    let cost = match (line.free, line.off_bill) {
        (true, true) => Some(t.msg("line-free-off-bill")),
        (true, false) => Some(t.msg("line-free")),
        (false, true) => Some(t.msg("line-off-bill")),
        (false, false) => None,
    };
    html! {
        li {
            span.num dir="ltr" { (line.number) } " – "
            (who)
            (hours(t, &line.hours))
            @if let Some(cost) = cost { " " (cost) }
        }
    }
}

/// When a line answers, with a leading space; nothing when not stated.
pub(crate) fn hours(t: Tr, hours: &Hours) -> Markup {
    html! {
        @match hours {
            Hours::Unknown => {},
            Hours::Always => { " " (t.msg("hours-always")) },
            Hours::Weekdays { from, to } => {
                " " (t.msg("hours-weekdays")) " " span dir="ltr" { (from) "–" (to) } "."
            },
            Hours::EveryDay { from, to } => {
                " " (t.msg("hours-every-day")) " " span dir="ltr" { (from) "–" (to) } "."
            },
        }
    }
}

/// The centre's own phone and SMS; nothing when it has neither.
pub(crate) fn other_ways(t: Tr, centre: &Centre) -> Markup {
    html! {
        @if centre.phone.is_some() || centre.sms.is_some() {
            section {
                h2 { (t.msg("landing-other-heading")) }
                ul.numbers {
                    @if let Some(phone) = &centre.phone {
                        li {
                            (t.msg("landing-other-phone")) " " span.num dir="ltr" { (phone.number) }
                            (hours(t, &phone.hours))
                        }
                    }
                    @if let Some(sms) = &centre.sms {
                        li { (t.msg("landing-other-sms")) " " span.num dir="ltr" { (sms) } }
                    }
                }
            }
        }
    }
}
