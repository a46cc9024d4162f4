//! The no-trace rules, checked on every route, refusals included: the full set of security headers, never a
//! cookie, and pages with no script, no external URL and no subresource.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use bytes::Bytes;
use common::Gateway;
use http_body_util::Full;
use hyper::{Method, Request, StatusCode};

const ONION: &str = "porten2gateway7testaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion";

/// Every route and refusal a visitor or an attacker can reach without a valid form token.
fn requests() -> Vec<(&'static str, Request<Full<Bytes>>)> {
    let get = |path: &str| {
        Request::get(path)
            .header("host", "localhost")
            .body(Full::new(Bytes::new()))
            .expect("request")
    };
    let post = |path: &str, content_type: &str, body: &'static str| {
        Request::post(path)
            .header("host", "localhost")
            .header("content-type", content_type)
            .body(Full::new(Bytes::from_static(body.as_bytes())))
            .expect("request")
    };
    vec![
        ("root redirect", get("/")),
        ("landing sv", get("/sv/")),
        ("landing en", get("/en/")),
        ("language without slash", get("/en")),
        ("contact form", get("/sv/contact")),
        ("information index", get("/sv/info/")),
        ("information page", get("/en/info/safety")),
        (
            "information page in Swedish on the Arabic site",
            get("/ar/info/rights"),
        ),
        ("information without slash", get("/sv/info")),
        ("no such information page", get("/sv/info/nothing")),
        ("exit", get("/exit")),
        ("robots", get("/robots.txt")),
        ("unknown page", get("/sv/nothing-here")),
        ("unknown language", get("/xx/")),
        ("path traversal", get("/sv/../../etc/passwd")),
        (
            "wrong method",
            post("/sv/", "application/x-www-form-urlencoded", ""),
        ),
        ("get on a post-only page", get("/sv/return")),
        (
            "wrong content type",
            post("/sv/contact", "text/plain", "message=hi"),
        ),
        (
            "bad form encoding",
            post(
                "/sv/contact",
                "application/x-www-form-urlencoded",
                "message=%zz",
            ),
        ),
        (
            "forged token",
            post(
                "/sv/return",
                "application/x-www-form-urlencoded",
                "token=abc&code=1",
            ),
        ),
        (
            "expired session",
            post(
                "/sv/thread/write",
                "application/x-www-form-urlencoded",
                "token=abc&message=x",
            ),
        ),
        (
            "delete without session",
            post(
                "/sv/thread/delete",
                "application/x-www-form-urlencoded",
                "token=abc",
            ),
        ),
        (
            "unknown method",
            Request::builder()
                .method(Method::DELETE)
                .uri("/sv/")
                .header("host", "localhost")
                .body(Full::new(Bytes::new()))
                .expect("request"),
        ),
    ]
}

const ALWAYS: &[(&str, &str)] = &[
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("cache-control", "no-store"),
];

fn check_headers(name: &str, reply: &common::Reply, https: bool) {
    for (header, value) in ALWAYS {
        assert_eq!(reply.header(header), Some(*value), "{name}: {header}");
    }
    let csp = reply.header("content-security-policy").unwrap_or_default();
    for directive in [
        "default-src 'none'",
        "style-src 'sha256-",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "{name}: CSP has {directive}: {csp}"
        );
    }
    let permissions = reply.header("permissions-policy").unwrap_or_default();
    for feature in ["camera=()", "microphone=()", "geolocation=()"] {
        assert!(
            permissions.contains(feature),
            "{name}: Permissions-Policy turns off {feature}"
        );
    }
    assert!(
        reply.header("set-cookie").is_none(),
        "{name}: no cookie, ever"
    );
    assert!(reply.header("server").is_none(), "{name}: no Server header");
    if https {
        assert!(
            reply
                .header("strict-transport-security")
                .is_some_and(|v| v.starts_with("max-age=")),
            "{name}: HSTS on HTTPS"
        );
        assert_eq!(
            reply
                .header("onion-location")
                .map(|v| v.starts_with(&format!("http://{ONION}/"))),
            Some(true),
            "{name}: Onion-Location names the onion address"
        );
    } else {
        assert!(
            reply.header("strict-transport-security").is_none(),
            "{name}: no HSTS on plain HTTP"
        );
        assert!(
            reply.header("onion-location").is_none(),
            "{name}: no Onion-Location on plain HTTP"
        );
    }
}

fn check_page(name: &str, reply: &common::Reply) {
    let body = reply.body.to_ascii_lowercase();
    if !reply
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html"))
    {
        return;
    }
    assert!(!body.contains("<script"), "{name}: no script element");
    assert!(
        !body.contains("http://") && !body.contains("https://"),
        "{name}: no external URL"
    );
    for subresource in [
        " src=", "<img", "<iframe", "<object", "<embed", "url(", "@import", "<video", "<audio",
    ] {
        assert!(
            !body.contains(subresource),
            "{name}: no subresource ({subresource})"
        );
    }
    // The one <link> is the icon that stops a favicon request.
    for (at, _) in body.match_indices("<link") {
        let tag = &body[at..at + body[at..].find('>').expect("tag end")];
        assert!(
            tag.contains("href=\"data:,\""),
            "{name}: only the data: icon link"
        );
    }
    assert!(
        body.contains("href=\"/exit\""),
        "{name}: the exit link is on the page"
    );
}

#[tokio::test]
async fn every_route_over_https_carries_the_full_header_set_and_no_cookie() {
    let gateway = Gateway::start(&format!("[site]\nonion_address = \"{ONION}\"\n"));
    for (name, request) in requests() {
        let reply = gateway.send(request).await;
        check_headers(name, &reply, true);
        check_page(name, &reply);
    }
}

#[tokio::test]
async fn every_route_over_plain_http_carries_the_header_set_without_hsts() {
    let gateway = Gateway::start(&format!("[site]\nonion_address = \"{ONION}\"\n"));
    for (name, request) in requests() {
        let reply = gateway.send_plain(request).await;
        check_headers(name, &reply, false);
        check_page(name, &reply);
    }
}

#[tokio::test]
async fn the_exit_clears_site_data_and_leads_to_the_neutral_site() {
    let gateway = Gateway::start("[site]\nexit_url = \"https://www.example.com/weather\"\n");
    let reply = gateway.get("/exit").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.header("location"),
        Some("https://www.example.com/weather")
    );
    let clear = reply.header("clear-site-data").unwrap_or_default();
    for what in ["\"cache\"", "\"cookies\"", "\"storage\""] {
        assert!(clear.contains(what), "Clear-Site-Data clears {what}");
    }
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
}

#[tokio::test]
async fn the_exit_link_is_the_first_link_on_every_page() {
    let gateway = Gateway::start("");
    for path in [
        "/sv/",
        "/en/",
        "/sv/contact",
        "/en/contact",
        "/sv/nothing-here",
    ] {
        let reply = gateway.get(path).await;
        let body = &reply.body;
        let first_focusable = ["<a ", "<input", "<button", "<select", "<textarea"]
            .iter()
            .filter_map(|tag| body.find(tag))
            .min()
            .expect("a focusable element");
        assert!(
            body[first_focusable..].starts_with("<a ")
                && body[first_focusable..first_focusable + 200].contains("href=\"/exit\""),
            "{path}: the exit link comes first"
        );
    }
}

#[tokio::test]
async fn the_inline_style_matches_the_csp_hash() {
    use base64::Engine;
    let gateway = Gateway::start("");
    let reply = gateway.get("/sv/").await;
    let (_, after) = reply.body.split_once("<style>").expect("style");
    let (style, _) = after.split_once("</style>").expect("style end");
    let digest = ring::digest::digest(&ring::digest::SHA256, style.as_bytes());
    let hash = base64::engine::general_purpose::STANDARD.encode(digest.as_ref());
    let csp = reply.header("content-security-policy").expect("CSP");
    assert!(
        csp.contains(&format!("'sha256-{hash}'")),
        "the browser will apply the style"
    );
}
