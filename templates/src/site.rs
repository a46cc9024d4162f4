//! What every page needs to know about the request and the installation: language, neutral title, the centre's
//! name, the onion address and where the language picker should point. The handler builds one per request from
//! the configuration; pages only read it.

use crate::{Centre, Lang};

/// Per-request facts every page shows: the HTTP handler fills it from the configuration and the path.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The language of the page (from the path, `/sv/…`).
    pub lang: Lang,
    /// The neutral page title, the same on every page so history and tab titles reveal nothing about the
    /// visit, e.g. "Kontakt".
    pub title: &'a str,
    /// The centre's name, shown in the header, e.g. "Regionalt resurscentrum mot hedersrelaterat våld".
    pub centre_name: &'a str,
    /// The onion address (`xxxx.onion`, without scheme) when known; shown as text in the safer-browsing advice.
    pub onion_address: Option<&'a str>,
    /// The path after the language segment (`"contact"` for `/sv/contact`), so the language picker links to the
    /// same page in another language. Use `""` (the landing page) on pages that answer a POST. Anything other
    /// than lowercase ASCII letters, digits, `-` and inner `/` is ignored and the picker links to the landing page.
    pub path_after_lang: &'a str,
    /// What differs between centres: who runs it, reply time, expiry, phone, helplines, offered languages.
    pub centre: &'a Centre,
    /// Set on a page that holds what the visitor would lose by leaving it (the code page): see [`Keep`].
    pub keep: Option<Keep<'a>>,
}

/// How a page keeps what it shows when the visitor changes language or heads for the start page. The
/// language picker becomes buttons that send the page's form (which carries what must be kept, sealed) to
/// the same page in the other language, and the link to the start page goes first to a warning on the page.
#[derive(Debug, Clone, Copy)]
pub struct Keep<'a> {
    /// The `id` of the page's form that the picker's buttons send.
    pub form_id: &'a str,
    /// The path after the language segment that the buttons send it to, e.g. `"code"`.
    pub action: &'a str,
    /// The `id` of the warning that the start-page link goes to.
    pub leave_warning_id: &'a str,
}

impl Site<'_> {
    /// The link to this page in `lang`, or to `lang`'s landing page when the path is not a plain route.
    pub(crate) fn path_in(&self, lang: Lang) -> String {
        let path = self.path_after_lang;
        let plain = path
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/')
            && !path.starts_with('/')
            && !path.contains("//");
        if plain {
            format!("/{}/{}", lang.code(), path)
        } else {
            format!("/{}/", lang.code())
        }
    }

    /// The landing page in this page's language.
    pub(crate) fn home(&self) -> String {
        format!("/{}/", self.lang.code())
    }

    /// An action or link path in this page's language, e.g. `self.route("contact")` → `/sv/contact`.
    pub(crate) fn route(&self, rest: &str) -> String {
        format!("/{}/{}", self.lang.code(), rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path_after_lang: &str) -> Site<'_> {
        Site {
            lang: Lang::Sv,
            title: "Kontakt",
            centre_name: "Resurscentrum",
            onion_address: None,
            path_after_lang,
            keep: None,
            centre: &CENTRE,
        }
    }

    static CENTRE: std::sync::LazyLock<Centre> = std::sync::LazyLock::new(Centre::default);

    #[test]
    fn picker_links_to_the_same_page_in_the_other_language() {
        assert_eq!(site("contact").path_in(Lang::En), "/en/contact");
        assert_eq!(site("").path_in(Lang::En), "/en/");
        assert_eq!(site("thread/write").path_in(Lang::Sv), "/sv/thread/write");
    }

    #[test]
    fn picker_never_links_outside_the_site_whatever_the_path() {
        for odd in [
            "//evil.example",
            "/x",
            "a//b",
            "../x",
            "x?y=1",
            "x#y",
            "X",
            "a b",
            "é",
            "javascript:x",
        ] {
            assert_eq!(site(odd).path_in(Lang::En), "/en/", "{odd:?}");
        }
    }
}
