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
use crate::budget::Source;

/// The response type of every handler.
pub type HtmlResponse = Response<Full<Bytes>>;

/// Where a path leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route<'a> {
    /// `/`: to the visitor's language among those offered (`Accept-Language`), else the default.
    Root,
    /// `/exit`: leave the site.
    Exit,
    /// `/robots.txt`.
    Robots,
    /// `/sv` without the slash.
    LanguageRoot(Lang),
    /// A page in a language.
    Page(Lang, Page),
    /// `/sv/info` without the slash.
    InfoRoot(Lang),
    /// An information page: `/sv/info/` (the list, `index`) or `/sv/info/{name}`.
    Info(Lang, &'a str),
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
    /// `/{lang}/code`: checking the code on the code page, or showing that page in another language.
    CodeCheck,
    /// `/{lang}/thread/write`.
    ThreadWrite,
    /// `/{lang}/thread/delete`.
    ThreadDelete,
}

impl Page {
    /// The path after the language prefix, for the language picker.
    pub fn path_after_lang(self) -> &'static str {
        match self {
            Page::Landing | Page::CodeCheck | Page::ThreadWrite | Page::ThreadDelete => "",
            Page::Contact => "contact",
            Page::Return => "return",
        }
    }

    fn accepts(self, method: &Method) -> bool {
        match self {
            Page::Landing => method == Method::GET || method == Method::HEAD,
            Page::Contact | Page::Return => {
                method == Method::GET || method == Method::HEAD || method == Method::POST
            }
            Page::CodeCheck | Page::ThreadWrite | Page::ThreadDelete => method == Method::POST,
        }
    }

    fn allow_header(self) -> &'static str {
        match self {
            Page::Landing => "GET, HEAD",
            Page::Contact | Page::Return => "GET, HEAD, POST",
            Page::CodeCheck | Page::ThreadWrite | Page::ThreadDelete => "POST",
        }
    }
}

impl Route<'_> {
    /// The language in the path, if any.
    fn lang(self) -> Option<Lang> {
        match self {
            Route::LanguageRoot(lang)
            | Route::Page(lang, _)
            | Route::InfoRoot(lang)
            | Route::Info(lang, _) => Some(lang),
            Route::NotFound(lang) => lang,
            Route::Root | Route::Exit | Route::Robots => None,
        }
    }
}

fn route(path: &str) -> Route<'_> {
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
        Some("code") => Route::Page(lang, Page::CodeCheck),
        Some("thread/write") => Route::Page(lang, Page::ThreadWrite),
        Some("thread/delete") => Route::Page(lang, Page::ThreadDelete),
        Some("info") => Route::InfoRoot(lang),
        Some("info/") => Route::Info(lang, "index"),
        Some(tail) => match tail.strip_prefix("info/") {
            // Page names are checked at start to be lowercase letters, digits and dashes; anything else is
            // simply not in the cache.
            Some(name) if !name.is_empty() && !name.contains('/') => Route::Info(lang, name),
            _ => Route::NotFound(Some(lang)),
        },
    }
}

/// Handles one request. Never fails: every problem becomes a page.
pub async fn handle(
    web: Arc<Web>,
    transport: Transport,
    source: Source,
    request: Request<Incoming>,
) -> HtmlResponse {
    let app: &App = &web.app;
    let (parts, body) = request.into_parts();
    let default_lang = default_lang(app);
    let route = match route(parts.uri.path()) {
        // A language the centre does not offer is not there at all.
        route if route.lang().is_some_and(|lang| !app.pages.offers(lang)) => Route::NotFound(None),
        route => route,
    };
    let mut response = match route {
        Route::Root => {
            let lang = preferred_lang(
                parts.headers.get(header::ACCEPT_LANGUAGE),
                &app.pages.centre().languages,
                default_lang,
            );
            let mut response = redirect(&format!("/{}/", lang.code()));
            response
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static("accept-language"));
            response
        }
        Route::LanguageRoot(lang) => redirect(&format!("/{}/", lang.code())),
        Route::InfoRoot(lang) => redirect(&format!("/{}/info/", lang.code())),
        Route::Info(lang, name) if parts.method == Method::GET || parts.method == Method::HEAD => {
            match app.pages.info(lang, name) {
                Some(body) => info_page(body),
                None => pages::error(app, transport, lang, ErrorKind::NotFound),
            }
        }
        Route::Info(lang, _) => method_not_allowed(app, transport, lang, "GET, HEAD"),
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
                Ok(form) => pages::post(app, transport, source, lang, page, form).await,
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

/// An information page from the cache.
fn info_page(body: Bytes) -> HtmlResponse {
    let mut response = Response::new(Full::new(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// The first of the visitor's `Accept-Language` choices that is offered, by quality and then by order;
/// `default` when none is. A region is ignored (`sv-FI` is Swedish), except that `fa-AF` is Dari.
fn preferred_lang(header: Option<&HeaderValue>, offered: &[Lang], default: Lang) -> Lang {
    let Some(text) = header.and_then(|value| value.to_str().ok()) else {
        return default;
    };
    let mut best: Option<(u16, Lang)> = None;
    // Bounded: a header of hundreds of ranges is read no further than the first 32.
    for range in text.split(',').take(32) {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(Some(1000), |q| {
                q.trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|q| (0.0..=1.0).contains(q))
                    .map(|q| (q * 1000.0) as u16)
            });
        let Some(quality) = quality.filter(|&q| q > 0) else {
            continue;
        };
        let primary = tag.split('-').next().unwrap_or("");
        // Dari is written `prs` or as Afghan Persian; plain `ku` is most often Kurmanji. Each falls back to
        // its nearest offered neighbour.
        let candidates: &[&str] = match (primary, tag.as_str()) {
            ("fa", "fa-af") | ("prs", _) => &["prs", "fa"],
            ("ku", _) => &["kmr", "ckb"],
            _ => &[primary],
        };
        let Some(lang) = candidates
            .iter()
            .filter_map(|code| Lang::from_code(code))
            .find(|lang| offered.contains(lang))
        else {
            continue;
        };
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, lang));
        }
    }
    best.map_or(default, |(_, lang)| lang)
}

fn default_lang(app: &App) -> Lang {
    Lang::from_code(&app.config().site.default_language).unwrap_or(Lang::Sv)
}

/// Checks a POST and reads its form, or says which refusal page to answer with.
async fn read_form(
    app: &App,
    transport: Transport,
    headers: &HeaderMap,
    body: Incoming,
) -> Result<Form, (ErrorKind, StatusCode)> {
    if !same_origin(headers, transport) {
        tracing::debug!("refused a form post from another site");
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
    // An empty body opens a form (the landing page's buttons), and browsers send it with `Content-Length: 0`.
    // An empty chunked body is no browser's: it is what a smuggling attempt leaves of a request, so it is
    // refused rather than answered with a form.
    if bytes.is_empty() && headers.contains_key(header::TRANSFER_ENCODING) {
        return Err((ErrorKind::BadRequest, StatusCode::BAD_REQUEST));
    }
    Form::parse(&bytes).map_err(|_| (ErrorKind::BadRequest, StatusCode::BAD_REQUEST))
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
/// must be this host. Under `Referrer-Policy: no-referrer`, which every page here has, browsers send `Origin:
/// null` for form posts; `null` is also what a sandboxed frame or a `data:` page on another site sends, so it
/// counts only together with `Sec-Fetch-Site: same-origin`. A browser that sends neither header (older ones)
/// is left to the sealed, single-use form token, which no other site can obtain.
fn same_origin(headers: &HeaderMap, transport: Transport) -> bool {
    let fetch_site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
    if let Some(site) = fetch_site {
        if !matches!(site, b"same-origin" | b"none") {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let origin = origin.as_bytes();
    if origin == b"null" {
        return fetch_site == Some(b"same-origin".as_slice());
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
    fn root_follows_accept_language_among_the_offered_languages() {
        let offered = [Lang::Sv, Lang::En, Lang::Ar, Lang::Fa];
        let pick = |header: &'static str| {
            preferred_lang(Some(&HeaderValue::from_static(header)), &offered, Lang::Sv)
        };
        assert_eq!(preferred_lang(None, &offered, Lang::Sv), Lang::Sv);
        assert_eq!(pick("ar"), Lang::Ar);
        assert_eq!(pick("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(pick("de-DE,de;q=0.9,fa;q=0.5"), Lang::Fa);
        assert_eq!(pick("so,ar;q=0.8"), Lang::Ar, "Somali is not offered here");
        assert_eq!(pick("en;q=0.3,ar;q=0.8"), Lang::Ar, "quality before order");
        assert_eq!(pick("fa-AF"), Lang::Fa, "Dari is not offered here: Persian");
        assert_eq!(pick("prs"), Lang::Fa);
        let with_dari = [Lang::Sv, Lang::Fa, Lang::Prs, Lang::Kmr];
        let pick_dari = |header: &'static str| {
            preferred_lang(
                Some(&HeaderValue::from_static(header)),
                &with_dari,
                Lang::Sv,
            )
        };
        assert_eq!(pick_dari("fa-AF"), Lang::Prs);
        assert_eq!(pick_dari("fa-IR"), Lang::Fa);
        assert_eq!(pick_dari("ku"), Lang::Kmr);
        assert_eq!(pick("ar;q=0,de"), Lang::Sv, "q=0 means not this one");
        assert_eq!(pick("*"), Lang::Sv);
        assert_eq!(pick("en;q=abc"), Lang::Sv);
        assert_eq!(pick(""), Lang::Sv);
    }

    #[test]
    fn information_pages_have_their_own_routes() {
        assert_eq!(route("/sv/info/"), Route::Info(Lang::Sv, "index"));
        assert_eq!(route("/ar/info/safety"), Route::Info(Lang::Ar, "safety"));
        assert_eq!(route("/en/info"), Route::InfoRoot(Lang::En));
        assert_eq!(route("/en/info/a/b"), Route::NotFound(Some(Lang::En)));
        assert_eq!(route("/en/info//"), Route::NotFound(Some(Lang::En)));
    }

    #[test]
    fn paths_route_to_pages_in_their_language() {
        assert_eq!(route("/"), Route::Root);
        assert_eq!(route("/sv/"), Route::Page(Lang::Sv, Page::Landing));
        assert_eq!(route("/en/contact"), Route::Page(Lang::En, Page::Contact));
        assert_eq!(route("/en/code"), Route::Page(Lang::En, Page::CodeCheck));
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

    #[test]
    fn origin_null_counts_only_with_sec_fetch_site_same_origin() {
        let bare_null = headers(&[("host", "example.org"), ("origin", "null")]);
        assert!(!same_origin(&bare_null, Transport::Https));
        let typed_null = headers(&[
            ("host", "example.org"),
            ("origin", "null"),
            ("sec-fetch-site", "none"),
        ]);
        assert!(!same_origin(&typed_null, Transport::Https));
        let neither = headers(&[("host", "example.org")]);
        assert!(
            same_origin(&neither, Transport::Https),
            "no header at all: the sealed form token decides"
        );
    }
}
