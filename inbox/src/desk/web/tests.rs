//! Tests of the desk's pages driven through the router in process, on a clock that moves only when told:
//! what needs time to pass (the idle timeout), and what every reply must carry.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, StatusCode};

use super::http::{Body, Reply, SetCookie};
use super::router::{handle, Request};
use super::Web;
use crate::audit::AuditLog;
use crate::desk::tests::{fixture, Fixture, PASSWORD};
use crate::desk::totp::code_at_time;
use crate::desk::Clock as _;

pub(super) fn web(f: &Fixture) -> Web {
    Web::new(
        f.desk.clone(),
        AuditLog::signed(
            f.dir.path().join("audit.jsonl"),
            std::slice::from_ref(&f.identity),
        ),
    )
    .unwrap()
}

pub(super) fn request(method: Method, target: &str, cookie: Option<&str>, body: &str) -> Request {
    let mut headers = HeaderMap::new();
    headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8443"));
    if let Some(cookie) = cookie {
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("__Host-desk={cookie}")).unwrap(),
        );
    }
    Request {
        method,
        target: target.into(),
        headers,
        body: Bytes::from(body.to_owned()),
    }
}

pub(super) fn html(reply: &Reply) -> &str {
    match &reply.body {
        Body::Html(html) => html,
        Body::Redirect(_) | Body::Download { .. } => panic!("a page, not a redirect or a file"),
    }
}

pub(super) fn location(reply: &Reply) -> &str {
    match &reply.body {
        Body::Redirect(path) => path,
        Body::Html(_) | Body::Download { .. } => panic!("a redirect, not a page or a file"),
    }
}

/// Logs `login` in through the login form; returns the session cookie.
pub(super) fn log_in(
    f: &Fixture,
    web: &Web,
    login: &str,
    secret: &crate::desk::totp::TotpSecret,
) -> String {
    let body = format!(
        "csrf={}&login={login}&password={}&code={}",
        web.form_token(),
        PASSWORD.replace(' ', "+"),
        code_at_time(secret, f.clock.now()),
    );
    let reply = handle(web, &request(Method::POST, "/en/login", None, &body));
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    match reply.cookie {
        Some(SetCookie::Session(id)) => id.expose().clone(),
        _ => panic!("a login sets the session cookie"),
    }
}

#[test]
fn an_idle_session_sends_to_the_login_page_with_a_message_and_keeps_nothing_typed() {
    let f = fixture();
    let web = web(&f);
    let (account, secret) = f.enrolled("sara");
    let cookie = log_in(&f, &web, "sara", &secret);
    let csrf = web.desk.sessions.check(&cookie).unwrap().unwrap().csrf;

    // Use within the idle time keeps the session alive.
    f.clock.advance(14 * 60);
    let page = handle(
        &web,
        &request(Method::GET, "/en/profile", Some(&cookie), ""),
    );
    assert_eq!(page.status, StatusCode::OK);

    // 15 minutes without a request end it (desk.idle_minutes, default 15).
    f.clock.advance(15 * 60);
    let typed = "Typed+after+the+session+ended";
    let body = format!("csrf={}&display_name={typed}", csrf.expose());
    let reply = handle(
        &web,
        &request(Method::POST, "/en/profile", Some(&cookie), &body),
    );
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&reply), "/en/login?ended");
    assert!(matches!(reply.cookie, Some(SetCookie::Clear)));
    let login = handle(&web, &request(Method::GET, "/en/login?ended", None, ""));
    assert!(html(&login).contains("your session ended"));
    assert!(!html(&login).contains("Typed after"));
    let unchanged = web.desk.accounts.get(account.id).unwrap().unwrap();
    assert_eq!(unchanged.display_name, account.display_name);
}

#[test]
fn every_reply_carries_the_security_headers_and_the_csp_allows_exactly_the_inline_style() {
    let f = fixture();
    let web = web(&f);
    let replies = [
        handle(&web, &request(Method::GET, "/sv/login", None, "")),
        handle(&web, &request(Method::GET, "/en/enrol", None, "")),
        handle(&web, &request(Method::GET, "/", None, "")),
        handle(&web, &request(Method::GET, "/en/nowhere", None, "")),
        handle(
            &web,
            &request(Method::POST, "/en/login", None, "csrf=forged"),
        ),
    ];
    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::SEE_OTHER,
            StatusCode::NOT_FOUND,
            StatusCode::FORBIDDEN
        ]
    );
    let style = super::style::style_csp_source();
    for reply in replies {
        let response = reply.into_response(&web.headers);
        let headers = response.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert_eq!(
            csp,
            format!(
                "default-src 'none'; style-src {style}; form-action 'self'; frame-ancestors 'none'; \
                 base-uri 'none'"
            )
        );
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        assert!(!headers.contains_key(header::SERVER));
        assert!(
            !headers.contains_key(header::SET_COOKIE),
            "no cookie before login"
        );
    }
}

#[test]
fn pages_come_in_swedish_and_english_with_lang_labels_and_a_skip_link() {
    let f = fixture();
    let web = web(&f);
    let sv = handle(&web, &request(Method::GET, "/sv/login", None, ""));
    let en = handle(&web, &request(Method::GET, "/en/login", None, ""));
    assert!(html(&sv).contains("<html lang=\"sv\">") && html(&sv).contains("Logga in"));
    assert!(html(&en).contains("<html lang=\"en\">") && html(&en).contains("Log in"));
    for page in [html(&sv), html(&en)] {
        assert!(page.contains("href=\"#main\""));
        for id in ["login", "password", "code"] {
            assert!(page.contains(&format!("<label for=\"{id}\"")), "{id}");
        }
        assert!(!page.contains("<script"));
        assert!(
            !page.contains(" style="),
            "no inline style attribute: the CSP forbids it"
        );
    }
}

#[test]
fn untrusted_requests_never_panic() {
    let f = fixture();
    let web = web(&f);
    for target in [
        "",
        "/",
        "//",
        "/sv",
        "/xx/login",
        "/en/../accounts",
        "/en/login?%ff",
        "/en/%00",
    ] {
        handle(&web, &request(Method::GET, target, Some("not-hex"), ""));
    }
    for body in ["%", "csrf", "a=1&a=2", "\u{0}=\u{0}", "csrf=%ff%fe"] {
        for route in [
            "/en/login",
            "/en/enrol",
            "/en/enrol/finish",
            "/en/profile",
            "/en/logout",
        ] {
            let reply = handle(&web, &request(Method::POST, route, None, body));
            assert!(reply.status.is_client_error() || reply.status.is_redirection());
        }
    }
}
