//! The landing page (`GET /{lang}/`): what the centre does and for whom, emergency numbers, the way to write,
//! the way back with a code, and how to visit more safely. Also the two small pages a link can lead to
//! (`GET /{lang}/contact` and `GET /{lang}/return`), which hold only the button that opens the form.
//!
//! No page reached by a plain link holds a field to type in. A browser may keep such a page in its
//! back/forward cache and show it again, typed text and all, to whoever presses Back after the visitor has
//! left; a page that answers a POST is never kept there. So the forms open behind a button that posts.

use maud::{html, Markup};

use crate::i18n::Tr;
use crate::layout;
use crate::Site;

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

/// The landing page: the same for every visitor, with no field to type in.
pub fn landing(site: &Site<'_>) -> String {
    let t = Tr::new(site.lang);
    let content = html! {
        h1 { (t.msg("landing-heading")) }
        p { (t.msg("landing-intro")) }
        p { (t.msg("landing-anonymous")) }
        (write_button(site, t))
        (layout::emergency_full(t, &t.msg("emergency-heading")))
        section {
            h2 { (t.msg("landing-return-heading")) }
            (return_button(site, t))
        }
        section {
            h2 { (t.msg("landing-who-heading")) }
            ul {
                li { (t.msg("landing-who-exposed")) }
                li { (t.msg("landing-who-relative")) }
                li { (t.msg("landing-who-used-violence")) }
                li { (t.msg("landing-who-professional")) }
            }
            p { (t.msg("landing-who-everyone")) }
        }
        section {
            h2 { (t.msg("landing-help-heading")) }
            ul {
                li { (t.msg("landing-help-talk")) }
                li { (t.msg("landing-help-advice")) }
                li { (t.msg("landing-help-contact")) }
                li { (t.msg("landing-help-professionals")) }
            }
            p { (t.msg("landing-help-duty")) }
        }
        section {
            h2 { (t.msg("landing-how-heading")) }
            ol {
                li { (t.msg("landing-how-write")) }
                li { (t.msg("landing-how-code")) }
                li { (t.msg("landing-how-return")) }
            }
        }
        section {
            h2 { (t.msg("landing-safety-heading")) }
            ul {
                li { (t.msg("landing-safety-private")) }
                li { (t.msg("landing-safety-shared")) }
                li { (t.msg("landing-safety-tor")) }
                li { (t.msg("landing-safety-exit")) }
            }
            p { (t.msg("landing-safety-site")) }
            @if let Some(onion) = site.onion_address {
                p {
                    (t.msg("landing-safety-onion")) " "
                    span.onion dir="ltr" translate="no" { (onion) }
                }
            }
        }
    };
    layout::page(site, t, content)
}
