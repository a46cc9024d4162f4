//! What only HTTP needs: the security headers every response carries, the session cookie, form bodies and
//! the signed tokens of the forms shown before login.
//!
//! Kept apart from the pages and the handlers so that error pages and redirects get the same headers as
//! pages, and so that no handler reads a raw header or body.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use porten_protocol::secret::Sensitive;
use ring::hmac;
use ring::rand::SystemRandom;
use zeroize::Zeroizing;

/// The session cookie's name. `__Host-` makes browsers refuse it unless it is Secure, has `Path=/` and no
/// `Domain`, so no other host (a sibling subdomain) can set or overwrite it.
pub(super) const SESSION_COOKIE: &str = "__Host-desk";

/// The most fields a desk form has, with room to spare.
const MAX_FIELDS: usize = 16;

const PERMISSIONS_POLICY: &str = "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), \
camera=(), display-capture=(), document-domain=(), encrypted-media=(), fullscreen=(), geolocation=(), \
gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), \
picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
web-share=(), xr-spatial-tracking=()";

/// The security headers, computed once at start.
#[derive(Debug, Clone)]
pub(super) struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    /// The set for pages whose only inline style is the one with CSP source `style_source`. The QR code
    /// is an inline `<svg>` element, which needs no `img-src`.
    pub(super) fn new(style_source: &str) -> SecurityHeaders {
        let csp = format!(
            "default-src 'none'; style-src {style_source}; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'"
        );
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or(HeaderValue::from_static("default-src 'none'")),
        }
    }

    /// Adds the whole set, replacing any value already there.
    pub(super) fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
        headers.insert(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        );
        headers.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        );
        // The desk may be reached by an IP address or an internal name shared with other services:
        // no `includeSubDomains`.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
        headers.remove(header::SERVER);
    }
}

/// A response to send: status, body and the cookie to set, if any.
pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) body: Body,
    pub(super) cookie: Option<SetCookie>,
}

/// A response's body.
pub(super) enum Body {
    /// An HTML page.
    Html(String),
    /// A redirect (303 See Other) to a path of the desk.
    Redirect(String),
    /// A file to save, not to show: its bytes and its name (ASCII letters, digits, `.` and `-` only).
    Download {
        /// The file's bytes.
        bytes: Vec<u8>,
        /// The name the browser saves it under.
        name: String,
    },
}

/// What to do with the session cookie.
pub(super) enum SetCookie {
    /// Set it to a new session's id.
    Session(Sensitive<String>),
    /// Delete it.
    Clear,
}

impl Reply {
    /// A page.
    pub(super) fn page(status: StatusCode, html: String) -> Reply {
        Reply {
            status,
            body: Body::Html(html),
            cookie: None,
        }
    }

    /// A 303 redirect to `path`.
    pub(super) fn redirect(path: String) -> Reply {
        Reply {
            status: StatusCode::SEE_OTHER,
            body: Body::Redirect(path),
            cookie: None,
        }
    }

    /// A file the browser saves as `name` (`application/octet-stream`, `attachment`): never shown, never
    /// sniffed.
    pub(super) fn download(name: String, bytes: Vec<u8>) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: Body::Download { bytes, name },
            cookie: None,
        }
    }

    /// The same response, with the cookie set or deleted.
    pub(super) fn with_cookie(mut self, cookie: SetCookie) -> Reply {
        self.cookie = Some(cookie);
        self
    }

    /// The HTTP response, with every security header.
    pub(super) fn into_response(self, headers: &SecurityHeaders) -> Response<Full<Bytes>> {
        let (body, location, attachment) = match self.body {
            Body::Html(html) => (Bytes::from(html), None, None),
            Body::Redirect(path) => (Bytes::new(), HeaderValue::from_str(&path).ok(), None),
            Body::Download { bytes, name } => {
                let safe = name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
                let disposition = if safe {
                    format!("attachment; filename=\"{name}\"")
                } else {
                    "attachment".to_owned()
                };
                (
                    Bytes::from(bytes),
                    None,
                    HeaderValue::from_str(&disposition).ok(),
                )
            }
        };
        let mut response = Response::new(Full::new(body));
        *response.status_mut() = self.status;
        let map = response.headers_mut();
        if let Some(location) = location {
            map.insert(header::LOCATION, location);
        } else if let Some(disposition) = attachment {
            map.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            map.insert(header::CONTENT_DISPOSITION, disposition);
        } else {
            map.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
        }
        let cookie = match &self.cookie {
            Some(SetCookie::Session(id)) => HeaderValue::from_str(&format!(
                "{SESSION_COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict",
                id.expose()
            ))
            .ok(),
            Some(SetCookie::Clear) => Some(HeaderValue::from_static(
                "__Host-desk=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
            )),
            None => None,
        };
        if let Some(mut cookie) = cookie {
            cookie.set_sensitive(true);
            map.insert(header::SET_COOKIE, cookie);
        }
        headers.apply(map);
        response
    }
}

/// The session cookie's value in a request's `Cookie` headers, if there is one.
pub(super) fn session_cookie(headers: &HeaderMap) -> Option<Sensitive<String>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| Sensitive::new(value.trim().to_owned()))
}

/// Whether a POST may have come from another site, by what the browser says of it. `Sec-Fetch-Site`
/// (sent by every current browser) must be `same-origin`; an `Origin` must be this host over https, or
/// `null` together with `Sec-Fetch-Site: same-origin`: the desk's own `Referrer-Policy: no-referrer` makes
/// Chromium and Firefox send `Origin: null` with its own forms. A request with neither header (an old
/// browser, a script) still needs its form token.
pub(super) fn cross_site(headers: &HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
    if site.is_some_and(|site| site != b"same-origin") {
        return true;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        if origin.as_bytes() == b"null" {
            return site != Some(b"same-origin".as_slice());
        }
        let host = headers.get(header::HOST).map(HeaderValue::as_bytes);
        let expected = host.map(|host| [b"https://".as_slice(), host].concat());
        return expected.as_deref() != Some(origin.as_bytes());
    }
    false
}

/// Why a form body was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(super) enum FormError {
    /// Not `application/x-www-form-urlencoded` text as a browser sends it.
    #[error("the form is not valid form encoding")]
    Encoding,
    /// A field came twice, or there are more fields than any desk form has.
    #[error("the form has repeated or too many fields")]
    Shape,
}

/// A decoded form. Its values are wiped from memory when it is dropped, since they may be passwords.
pub(super) struct Form {
    fields: Vec<(String, Zeroizing<String>)>,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.fields.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Form").field("fields", &names).finish()
    }
}

impl Form {
    /// Decodes an `application/x-www-form-urlencoded` body.
    pub(super) fn parse(body: &[u8]) -> Result<Form, FormError> {
        let mut fields: Vec<(String, Zeroizing<String>)> = Vec::new();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let name = decode(name)?;
            if fields.len() >= MAX_FIELDS || fields.iter().any(|(n, _)| **n == *name) {
                return Err(FormError::Shape);
            }
            fields.push((name.to_string(), decode(value)?));
        }
        Ok(Form { fields })
    }

    /// The value of a field; empty when it is missing.
    pub(super) fn value(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// The value of a field as a [`Sensitive`] copy, for passwords and codes.
    pub(super) fn secret(&self, name: &str) -> Sensitive<String> {
        Sensitive::new(self.value(name).to_owned())
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes `+` and `%XX`; the result must be UTF-8.
fn decode(input: &[u8]) -> Result<Zeroizing<String>, FormError> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(input.len()));
    let mut at = 0;
    while let Some(&byte) = input.get(at) {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let high = input.get(at + 1).copied().and_then(hex_value);
                let low = input.get(at + 2).copied().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => bytes.push(high << 4 | low),
                    _ => return Err(FormError::Encoding),
                }
                at += 2;
            }
            other => bytes.push(other),
        }
        at += 1;
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_owned())),
        Err(_) => Err(FormError::Encoding),
    }
}

/// The tokens of the forms shown before login (login, enrolment), which have no session to hold a CSRF
/// token: the time it was made and an HMAC of it under a key made at start. A token works for
/// [`FormTokens::VALID_SECS`]; a restart voids them all (the page is simply reloaded). Together with the
/// `Origin`/`Sec-Fetch-Site` check this refuses a login form posted from another site.
pub(super) struct FormTokens {
    key: hmac::Key,
}

impl std::fmt::Debug for FormTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FormTokens")
    }
}

impl FormTokens {
    /// How long a form before login may stay open.
    const VALID_SECS: i64 = 3600;
    const CONTEXT: &'static [u8] = b"porten desk form before login";

    /// A new key; `None` if the system random number generator failed.
    pub(super) fn new() -> Option<FormTokens> {
        Some(FormTokens {
            key: hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new()).ok()?,
        })
    }

    fn tag(&self, issued: i64) -> hmac::Tag {
        let mut message = Self::CONTEXT.to_vec();
        message.extend_from_slice(&issued.to_be_bytes());
        hmac::sign(&self.key, &message)
    }

    /// A token made now.
    pub(super) fn issue(&self, now: i64) -> String {
        format!("{now:x}.{}", hex::encode(&self.tag(now).as_ref()[..16]))
    }

    /// Whether `token` was made by this process within the last hour.
    pub(super) fn check(&self, token: &str, now: i64) -> bool {
        let Some((issued, tag)) = token.split_once('.') else {
            return false;
        };
        let (Ok(issued), Ok(tag)) = (i64::from_str_radix(issued, 16), hex::decode(tag)) else {
            return false;
        };
        if !(0..=Self::VALID_SECS).contains(&now.saturating_sub(issued)) || tag.len() != 16 {
            return false;
        }
        // The token carries the first 16 bytes of the MAC; compared in constant time.
        let full = self.tag(issued);
        subtle::ConstantTimeEq::ct_eq(&full.as_ref()[..16], tag.as_slice()).into()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn forms_decode_and_refuse_repeats_bad_encoding_and_too_many_fields() {
        let form = Form::parse(b"login=sara&password=a+b%21&empty=").unwrap();
        assert_eq!(form.value("login"), "sara");
        assert_eq!(form.value("password"), "a b!");
        assert_eq!(form.value("missing"), "");
        assert_eq!(Form::parse(b"a=1&a=2").unwrap_err(), FormError::Shape);
        assert_eq!(Form::parse(b"a=%zz").unwrap_err(), FormError::Encoding);
        assert_eq!(Form::parse(b"a=%ff").unwrap_err(), FormError::Encoding);
        assert_eq!(Form::parse(b"a=%4").unwrap_err(), FormError::Encoding);
        let many: Vec<String> = (0..17).map(|i| format!("f{i}=x")).collect();
        assert_eq!(
            Form::parse(many.join("&").as_bytes()).unwrap_err(),
            FormError::Shape
        );
        assert!(!format!("{form:?}").contains("a b!"));
    }

    #[test]
    fn form_tokens_before_login_expire_and_cannot_be_forged() {
        let tokens = FormTokens::new().unwrap();
        let token = tokens.issue(1_000);
        assert!(tokens.check(&token, 1_000));
        assert!(tokens.check(&token, 1_000 + 3600));
        assert!(!tokens.check(&token, 1_000 + 3601));
        assert!(!tokens.check(&token, 999), "not from the future");
        let other = FormTokens::new().unwrap();
        assert!(!other.check(&token, 1_000), "another process's key");
        let forged = format!("{:x}.{}", 1_000, "00".repeat(16));
        assert!(!tokens.check(&forged, 1_000));
        for junk in ["", ".", "zz.zz", "3e8", "3e8.", "-1.00"] {
            assert!(!tokens.check(junk, 1_000), "{junk:?}");
        }
    }

    #[test]
    fn a_post_from_another_site_is_recognised() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8443"));
        assert!(!cross_site(&headers), "no Origin, no Sec-Fetch-Site");
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://127.0.0.1:8443"),
        );
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(!cross_site(&headers));
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&headers));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(cross_site(&headers));
        // What the desk's own forms send under `Referrer-Policy: no-referrer`.
        headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!cross_site(&headers), "null from the same origin");
        headers.remove("sec-fetch-site");
        assert!(cross_site(&headers), "null without Sec-Fetch-Site");
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-site"));
        assert!(cross_site(&headers), "null from a sibling site");
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8443"),
        );
        assert!(cross_site(&headers), "not over https");
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; __Host-desk=abc ; c=d"),
        );
        assert_eq!(session_cookie(&headers).unwrap().expose(), "abc");
        headers.insert(header::COOKIE, HeaderValue::from_static("desk=abc"));
        assert!(session_cookie(&headers).is_none());
    }
}
