//! The landing page (`GET /{lang}/`): how to leave quickly, the way to write, who else can help, why the
//! centre can be trusted, the way back with a code, and links to the information pages. Also the two small
//! pages a link can lead to (`GET /{lang}/contact` and `GET /{lang}/return`), which hold only the button that
//! opens the form.
//!
//! No page reached by a plain link holds a field to type in. A browser may keep such a page in its
//! back/forward cache and show it again, typed text and all, to whoever presses Back after the visitor has
//! left; a page that answers a POST is never kept there. So the forms open behind a button that posts.

use maud::{html, Markup};

use crate::i18n::Tr;
use crate::layout;
use crate::{help, Site};

/// The button that opens the contact form: a form post with no fields (`POST /{lang}/contact`).
pub(crate) fn write_button(site: &Site<'_>, t: Tr) -> Markup {
    html! {
        form.open method="post" action=(site.route("contact")) {
            button.big type="submit" { (t.msg("landing-write")) }
        }
    }
}

/// The button that opens the code form: a form post with no fields (`POST /{lang}/return`).
pub(crate) fn return_button(site: &Site<'_>, t: Tr) -> Markup {
    html! {
        form.open method="post" action=(site.route("return")) {
            button type="submit" { (t.msg("landing-return-button")) }
        }
    }
}

/// Which form a start page opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The contact form (`GET /{lang}/contact`).
    Write,
    /// The code form (`GET /{lang}/return`).
    Return,
}

/// The page a link to a form leads to: a heading, one line, and the button that opens the form.
pub fn start_page(site: &Site<'_>, start: Start) -> String {
    let t = Tr::new(site.lang);
    let content = match start {
        Start::Write => html! {
            h1 { (t.msg("contact-heading")) }
            p { (t.msg("contact-intro")) }
            (write_button(site, t))
        },
        Start::Return => html! {
            h1 { (t.msg("landing-return-heading")) }
            (return_button(site, t))
        },
    };
    layout::page(site, t, content)
}

/// The landing page: the same for every visitor, with no field to type in. The first screens answer "how do
/// I leave, can I trust this, who else can help"; longer text lives on the information pages it links to.
pub fn landing(site: &Site<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("landing-heading")) }
        p { (t.msg("landing-intro")) }
        p { (t.msg("landing-anonymous")) }
        (leave_quickly(site, t))
        (write_button(site, t))
        (help::emergency(t, site.centre))
        (trust(site, t))
        section {
            h2 { (t.msg("landing-return-heading")) }
            (return_button(site, t))
        }
        (help::other_ways(t, site.centre))
        (read_more(site, t))
    };
    layout::page(site, t, content)
}

/// "Leave quickly, stay safe": before the first form, what the exit does and where the safety advice is.
fn leave_quickly(site: &Site<'_>, t: Tr) -> Markup {
    html! {
        section.box {
            h2 { (t.msg("landing-quick-heading")) }
            p { (t.msg("landing-quick-exit")) }
            p { a href=(site.route("info/safety")) { (t.msg("landing-quick-safety")) } }
        }
    }
}

/// "Can I trust you?": who runs the centre, confidentiality and its limit, what the centre cannot see, when
/// replies come and when an unused conversation is deleted.
fn trust(site: &Site<'_>, t: Tr) -> Markup {
    let centre = site.centre;
    html! {
        section {
            h2 { (t.msg("landing-trust-heading")) }
            ul {
                @if !centre.organiser.is_empty() {
                    li {
                        (t.msg_args("landing-trust-organiser",
                            &[("organiser", centre.organiser.as_str().into())]))
                    }
                }
                li { (t.msg("landing-trust-confidential")) }
                li { strong { (t.msg("landing-trust-under-18")) } }
                li { (t.msg("landing-trust-ip")) }
                li { (t.msg_args("landing-trust-reply", &[("days", centre.reply_working_days.into())])) }
                li { (t.msg_args("landing-trust-expiry", &[("days", centre.expiry_days.into())])) }
            }
        }
    }
}

/// Links to the information pages, and the onion address for Tor Browser.
fn read_more(site: &Site<'_>, t: Tr) -> Markup {
    html! {
        section {
            h2 { (t.msg("landing-more-heading")) }
            ul {
                li { a href=(site.route("info/")) { (t.msg("landing-more-info")) } }
                li { a href=(site.route("info/safety")) { (t.msg("landing-quick-safety")) } }
            }
            @if let Some(onion) = site.onion_address {
                p {
                    (t.msg("landing-safety-onion")) " "
                    span.onion dir="ltr" translate="no" { (onion) }
                }
            }
        }
    }
}
