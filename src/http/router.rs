//! From a request to a response: route, check, read the body within limits, call the page handler, add headers.
//!
//! Everything a visitor can send is checked here before a handler sees it: the method, the content type, the
//! body's size and arrival time, the form's encoding and the request's origin. Every refusal is a page in the
//! visitor's language with a status code, and every response, refusals included, gets the security headers.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use porten_templates::{ErrorKind, Lang};

use super::form::Form;
use super::headers::Transport;
use super::pages;
use super::Web;
use crate::app::App;
use crate::page_cache::CachedPage;

/// The response type of every handler.
pub type HtmlResponse = Response<Full<Bytes>>;

/// Where a path leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// `/`: to the default language.
    Root,
    /// `/exit`: leave the site.
    Exit,
    /// `/robots.txt`.
    Robots,
    /// `/sv` without the slash.
    LanguageRoot(Lang),
    /// A page in a language.
    Page(Lang, Page),
    /// Nothing here.
    NotFound(Option<Lang>),
}

/// The pages under a language prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// `/{lang}/`.
    Landing,
    /// `/{lang}/contact`.
    Contact,
    /// `/{lang}/return`.
    Return,
    /// `/{lang}/thread/write`.
    ThreadWrite,
    /// `/{lang}/thread/delete`.
    ThreadDelete,
}

impl CachedPage for Page {
    fn cache_name(self) -> &'static str {
        match self {
            Page::Landing => "landing",
            Page::Contact => "contact",
            Page::Return => "return",
            Page::ThreadWrite => "thread/write",
            Page::ThreadDelete => "thread/delete",
        }
    }
}

impl Page {
    /// The path after the language prefix, for the language picker.
    pub fn path_after_lang(self) -> &'static str {
        match self {
            Page::Landing | Page::Return | Page::ThreadWrite | Page::ThreadDelete => "",
            Page::Contact => "contact",
        }
    }

    fn accepts(self, method: &Method) -> bool {
        match self {
            Page::Landing => method == Method::GET || method == Method::HEAD,
            Page::Contact => {
                method == Method::GET || method == Method::HEAD || method == Method::POST
            }
            Page::Return | Page::ThreadWrite | Page::ThreadDelete => method == Method::POST,
        }
    }

    fn allow_header(self) -> &'static str {
        match self {
            Page::Landing => "GET, HEAD",
            Page::Contact => "GET, HEAD, POST",
            Page::Return | Page::ThreadWrite | Page::ThreadDelete => "POST",
        }
    }
}

fn route(path: &str) -> Route {
    match path {
        "/" => return Route::Root,
        "/exit" => return Route::Exit,
        "/robots.txt" => return Route::Robots,
        _ => {}
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Route::NotFound(None);
    };
    let (code, tail) = match rest.split_once('/') {
        Some((code, tail)) => (code, Some(tail)),
        None => (rest, None),
    };
    let Some(lang) = Lang::from_code(code) else {
        return Route::NotFound(None);
    };
    match tail {
        None => Route::LanguageRoot(lang),
        Some("") => Route::Page(lang, Page::Landing),
        Some("contact") => Route::Page(lang, Page::Contact),
        Some("return") => Route::Page(lang, Page::Return),
        Some("thread/write") => Route::Page(lang, Page::ThreadWrite),
        Some("thread/delete") => Route::Page(lang, Page::ThreadDelete),
        Some(_) => Route::NotFound(Some(lang)),
    }
}

/// Handles one request. Never fails: every problem becomes a page.
pub async fn handle(
    web: Arc<Web>,
    transport: Transport,
    request: Request<Incoming>,
) -> HtmlResponse {
    let app: &App = &web.app;
    let (parts, body) = request.into_parts();
    let default_lang = default_lang(app);
    let route = route(parts.uri.path());
    let mut response = match route {
        Route::Root => redirect(&format!("/{}/", default_lang.code())),
        Route::LanguageRoot(lang) => redirect(&format!("/{}/", lang.code())),
        Route::Exit if parts.method == Method::GET || parts.method == Method::HEAD => exit(app),
        Route::Exit => method_not_allowed(app, transport, default_lang, "GET, HEAD"),
        Route::Robots => text(StatusCode::OK, "User-agent: *\nDisallow: /\n"),
        Route::NotFound(lang) => pages::error(
            app,
            transport,
            lang.unwrap_or(default_lang),
            ErrorKind::NotFound,
        ),
        Route::Page(lang, page) if !page.accepts(&parts.method) => {
            method_not_allowed(app, transport, lang, page.allow_header())
        }
        Route::Page(lang, page) if parts.method == Method::POST => {
            match read_form(app, transport, &parts.headers, body).await {
                Ok(form) => pages::post(app, transport, lang, page, form).await,
                Err((kind, status)) => pages::error_with_status(app, transport, lang, kind, status),
            }
        }
        Route::Page(lang, page) => pages::get(app, transport, lang, page),
    };
    let onion_location = match transport {
        Transport::Https => app.onion_address().and_then(|onion| {
            HeaderValue::from_str(&format!("http://{onion}{}", parts.uri.path())).ok()
        }),
        Transport::Http | Transport::Onion => None,
    };
    web.headers
        .apply(response.headers_mut(), transport, onion_location);
    response
}

fn default_lang(app: &App) -> Lang {
    Lang::from_code(&app.config().site.default_language).unwrap_or(Lang::Sv)
}

/// The names of every field any form has; each handler then takes only what its form has.
const FORM_FIELDS: &[&str] = &[
    "token",
    "group",
    "urgent",
    "message",
    "reply_language",
    "website",
    "code",
    "confirm",
    "opened",
];

/// Checks a POST and reads its form, or says which refusal page to answer with.
async fn read_form(
    app: &App,
    transport: Transport,
    headers: &HeaderMap,
    body: Incoming,
) -> Result<Form, (ErrorKind, StatusCode)> {
    if !same_origin(headers, transport) {
        tracing::info!("refused a form post from another site");
        return Err((ErrorKind::Forbidden, StatusCode::FORBIDDEN));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if content_type.as_deref() != Some("application/x-www-form-urlencoded") {
        return Err((ErrorKind::BadRequest, StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let too_large = (ErrorKind::TooLarge, StatusCode::PAYLOAD_TOO_LARGE);
    let limit = app.limits().max_body_bytes;
    let body_timeout = app.limits().body_timeout;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        // A client that waits for `100 Continue` has sent nothing yet: refuse at once rather than invite
        // an upload that would be thrown away.
        let waits_for_continue = headers
            .get(header::EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        if !waits_for_continue {
            drain(body, limit, body_timeout).await;
        }
        return Err(too_large);
    }
    let mut body = body;
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    let read = tokio::time::timeout(body_timeout, async {
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return Err((ErrorKind::BadRequest, StatusCode::BAD_REQUEST));
            };
            if let Some(data) = frame.data_ref() {
                if bytes.len() + data.len() > limit {
                    return Err(too_large);
                }
                bytes.extend_from_slice(data);
            }
        }
        Ok(())
    })
    .await;
    match read {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            if refusal.0 == ErrorKind::TooLarge {
                drain(body, limit, body_timeout).await;
            }
            return Err(refusal);
        }
        Err(_) => {
            tracing::debug!("request body timed out");
            return Err((ErrorKind::BadRequest, StatusCode::REQUEST_TIMEOUT));
        }
    }
    Form::parse(&bytes, FORM_FIELDS).map_err(|_| (ErrorKind::BadRequest, StatusCode::BAD_REQUEST))
}

/// Reads and discards what is left of a refused body, up to a bound, so the client is still reading when the
/// refusal arrives: closing on unread data makes the kernel reset the connection, and the visitor would see a
/// network error instead of the page that says what to do.
async fn drain(mut body: Incoming, limit: usize, timeout: std::time::Duration) {
    let bound = limit.saturating_mul(16);
    let _ = tokio::time::timeout(timeout, async {
        let mut drained = 0usize;
        while let Some(Ok(frame)) = body.frame().await {
            drained += frame.data_ref().map_or(0, |d| d.len());
            if drained > bound {
                return;
            }
        }
    })
    .await;
}

/// Whether a POST comes from the gateway's own pages, as far as the browser says.
///
/// `Sec-Fetch-Site`, where sent, must be `same-origin` (or `none`, typed by the visitor). An `Origin`, where sent,
/// must be this host. Browsers send `Origin: null` for form posts from a page with `Referrer-Policy:
/// no-referrer`, which every page here has, so `null` is accepted and the sealed form token carries the check.
fn same_origin(headers: &HeaderMap, transport: Transport) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.as_bytes(), b"same-origin" | b"none") {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let origin = origin.as_bytes();
    if origin == b"null" {
        return true;
    }
    let Some(host) = headers.get(header::HOST).map(HeaderValue::as_bytes) else {
        return false;
    };
    let matches_scheme = |scheme: &str| {
        origin
            .strip_prefix(scheme.as_bytes())
            .and_then(|rest| rest.strip_prefix(b"://"))
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
    };
    match transport {
        Transport::Https => matches_scheme("https"),
        // Behind a TLS-terminating proxy the browser's origin is https even though this hop is plain.
        Transport::Http => matches_scheme("http") || matches_scheme("https"),
        Transport::Onion => matches_scheme("http"),
    }
}

fn exit(app: &App) -> HtmlResponse {
    let mut response = redirect(&app.config().site.exit_url);
    response.headers_mut().insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    response
}

/// A `303 See Other` to `location`.
pub fn redirect(location: &str) -> HtmlResponse {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn text(status: StatusCode, body: &'static str) -> HtmlResponse {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn method_not_allowed(
    app: &App,
    transport: Transport,
    lang: Lang,
    allow: &'static str,
) -> HtmlResponse {
    let mut response = pages::error(app, transport, lang, ErrorKind::MethodNotAllowed);
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_route_to_pages_in_their_language() {
        assert_eq!(route("/"), Route::Root);
        assert_eq!(route("/sv/"), Route::Page(Lang::Sv, Page::Landing));
        assert_eq!(route("/en/contact"), Route::Page(Lang::En, Page::Contact));
        assert_eq!(route("/sv"), Route::LanguageRoot(Lang::Sv));
        assert_eq!(route("/xx/"), Route::NotFound(None));
        assert_eq!(route("/sv/../etc/passwd"), Route::NotFound(Some(Lang::Sv)));
        assert_eq!(route("//sv/"), Route::NotFound(None));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn a_post_from_another_site_is_not_same_origin() {
        let own = headers(&[("host", "example.org"), ("origin", "https://example.org")]);
        assert!(same_origin(&own, Transport::Https));
        let forged = headers(&[("host", "example.org"), ("origin", "https://evil.example")]);
        assert!(!same_origin(&forged, Transport::Https));
        let cross = headers(&[("host", "example.org"), ("sec-fetch-site", "cross-site")]);
        assert!(!same_origin(&cross, Transport::Https));
        let downgraded = headers(&[("host", "example.org"), ("origin", "http://example.org")]);
        assert!(!same_origin(&downgraded, Transport::Https));
        let null = headers(&[
            ("host", "example.org"),
            ("origin", "null"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert!(same_origin(&null, Transport::Https));
    }
}
