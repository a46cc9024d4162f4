//! An information page (`GET /{lang}/info/…`): text the centre writes in Markdown, checked and turned into
//! HTML by the gateway at start. When the page does not exist in the visitor's language, the Swedish text is
//! shown with a note that says so, marked with its own language so a screen reader reads it right.

use maud::{html, PreEscaped};

use crate::i18n::Tr;
use crate::layout;
use crate::{Lang, Site};

/// What an information page shows.
#[derive(Debug, Clone, Copy)]
pub struct InfoPage<'a> {
    /// The page's HTML, from the gateway's Markdown renderer, which refuses raw HTML, images and links that
    /// leave the site: it starts with the page's one `<h1>` and is inserted as it is.
    pub body_html: &'a str,
    /// The language the text is written in: the page's own, or Swedish when it has no translation.
    pub written_in: Lang,
    /// Whether this is the index of information pages (it then has no link back to the index).
    pub is_index: bool,
}

/// An information page.
pub fn info(site: &Site<'_>, page: &InfoPage<'_>) -> String {
    let t = Tr::new(site.lang);
    let fallback = page.written_in != site.lang;
    let content = html! {
        @if fallback {
            p.box { (t.msg("info-fallback-note")) }
            div lang=(page.written_in.code()) dir=(page.written_in.dir()) {
                (PreEscaped(page.body_html))
            }
        } @else {
            (PreEscaped(page.body_html))
        }
        @if !page.is_index {
            p { a href=(site.route("info/")) { (t.msg("info-index-link")) } }
        }
        p { a href=(site.home()) { (t.msg("home-link")) } }
    };
    layout::page(site, t, content)
}
