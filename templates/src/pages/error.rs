//! The error page: what happened and what to do next, calmly, in the visitor's language, with the way home and
//! the emergency number. It never says more than the visitor needs: a wrong code and an expired one read the same.

use maud::html;

use crate::i18n::Tr;
use crate::layout;
use crate::Site;

/// What went wrong, as far as the visitor needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request could not be understood (malformed form, bad encoding).
    BadRequest,
    /// No such page.
    NotFound,
    /// The page exists but not for this method (e.g. `GET` on a form target).
    MethodNotAllowed,
    /// The form failed the CSRF token or `Origin`/`Sec-Fetch-Site` check.
    Forbidden,
    /// The form's token or the return session has expired (or the gateway restarted).
    FormExpired,
    /// The request body is larger than allowed.
    TooLarge,
    /// Too many requests or code attempts in a short time.
    RateLimited,
    /// The gateway is at capacity (e.g. every code check is busy); try again shortly.
    Busy,
    /// Something failed inside the gateway.
    Internal,
    /// A well-formed code that opens no conversation: wrong, expired or deleted. One neutral text for all, so
    /// the page reveals nothing about whether a conversation ever existed.
    CodeNotFound,
}

impl ErrorKind {
    /// A suggested HTTP status for this page (the handler may choose otherwise).
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorKind::BadRequest | ErrorKind::FormExpired => 400,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound | ErrorKind::CodeNotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::TooLarge => 413,
            ErrorKind::RateLimited => 429,
            ErrorKind::Internal => 500,
            ErrorKind::Busy => 503,
        }
    }

    /// Every kind, for tests and for handlers that render them all.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::BadRequest,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::Forbidden,
        ErrorKind::FormExpired,
        ErrorKind::TooLarge,
        ErrorKind::RateLimited,
        ErrorKind::Busy,
        ErrorKind::Internal,
        ErrorKind::CodeNotFound,
    ];
}

/// The heading and the explanation of `kind`.
fn texts(t: Tr, kind: ErrorKind) -> (String, String) {
    match kind {
        ErrorKind::BadRequest => (
            t.msg("error-bad-request-heading"),
            t.msg("error-bad-request-text"),
        ),
        ErrorKind::NotFound => (
            t.msg("error-not-found-heading"),
            t.msg("error-not-found-text"),
        ),
        ErrorKind::MethodNotAllowed => (t.msg("error-method-heading"), t.msg("error-method-text")),
        ErrorKind::Forbidden => (
            t.msg("error-forbidden-heading"),
            t.msg("error-forbidden-text"),
        ),
        ErrorKind::FormExpired => (t.msg("error-expired-heading"), t.msg("error-expired-text")),
        ErrorKind::TooLarge => (
            t.msg("error-too-large-heading"),
            t.msg("error-too-large-text"),
        ),
        ErrorKind::RateLimited => (
            t.msg("error-rate-limited-heading"),
            t.msg("error-rate-limited-text"),
        ),
        ErrorKind::Busy => (t.msg("error-busy-heading"), t.msg("error-busy-text")),
        ErrorKind::Internal => (
            t.msg("error-internal-heading"),
            t.msg("error-internal-text"),
        ),
        ErrorKind::CodeNotFound => (
            t.msg("error-code-not-found-heading"),
            t.msg("error-code-not-found"),
        ),
    }
}

/// The error page for `kind`.
pub fn error(site: &Site<'_>, kind: ErrorKind) -> String {
    let t = Tr::new(site.lang);
    let (heading, text) = texts(t, kind);
    let content = html! {
        h1 { (heading) }
        p { (text) }
        p { a href=(site.home()) { (t.msg("home-link")) } }
        (layout::emergency_short(t))
    };
    layout::page(site, t, content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn every_kind_has_its_own_heading_and_text_in_every_language() {
        for lang in Lang::ALL {
            let t = Tr::new(lang);
            let mut seen = std::collections::HashSet::new();
            for kind in ErrorKind::ALL {
                let (heading, text) = texts(t, kind);
                assert!(!heading.is_empty() && !text.is_empty(), "{kind:?}");
                assert!(seen.insert(heading), "{kind:?} shares a heading");
            }
        }
    }

    #[test]
    fn statuses_are_client_or_server_errors() {
        for kind in ErrorKind::ALL {
            assert!((400..600).contains(&kind.http_status()), "{kind:?}");
        }
        assert_eq!(
            ErrorKind::CodeNotFound.http_status(),
            ErrorKind::NotFound.http_status()
        );
    }
}
