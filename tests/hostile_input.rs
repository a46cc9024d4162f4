//! Hostile input against the real binary: malformed and oversized requests written byte by byte, broken
//! encodings, header injection, method and content-type confusion, path tricks, replayed, stale and expired
//! form tokens, forged origins, HTTP/2 and old TLS versions.
//!
//! Each is answered with a clear status or a clean close, never with a server error, a panic or a page it
//! should not reach, and nothing a refused request carried is stored: every test stops the gateway at the end
//! and counts the outbox.

// A test that cannot go on stops with the reason; that is what `expect` is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod hardening;

use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use common::{code_from_page, Gateway};
use hardening::raw::{self, HelloAnswer, RawReply};
use hardening::{outbox, visitor::hidden};
use http_body_util::Full;
use hyper::{Method, Request, StatusCode};

/// Held while a gateway starts: one test starts its gateway under a fake clock, passed down through the
/// environment, and no other gateway may inherit it.
static START: Mutex<()> = Mutex::new(());

fn start(config: &str) -> Gateway {
    let _guard = START
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Gateway::start(config)
}

const WAIT: Duration = Duration::from_secs(8);
const ONION: &str = "porten2gateway7testaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion";

/// A gateway that has stopped, with its data directory kept for reading.
struct Stopped {
    _dir: tempfile::TempDir,
    data_dir: std::path::PathBuf,
}

impl Stopped {
    /// How many envelopes the gateway left in the outbox.
    fn pending(&self) -> u64 {
        outbox::pending(&self.data_dir)
    }

    /// The visitors' texts in the outbox.
    fn messages(&self) -> Vec<String> {
        outbox::messages(&self.data_dir)
    }
}

/// What the gateway may log at its default level: its own life, never a visitor's event. A line with a time
/// stamp for a first contact, a code entered or a refused form would say when someone wrote, which the store
/// and the envelopes round to the minute.
const OPERATIONAL_LOG: &[&str] = &[
    "listening",
    "porten is ready",
    "outbox.recipients is empty",
    "development certificate",
    "DEVELOPMENT",
    "stopping",
    "stopped",
    "onion",
    "less than 19 MiB",
    "reading the pepper",
];

/// Stops the gateway and checks that it never panicked and logged nothing about a visitor.
fn stop(gateway: Gateway) -> Stopped {
    let log = gateway.log_text();
    assert!(!log.contains("panicked"), "the gateway panicked:\n{log}");
    // The tests log at trace (so that no secret hides at any level); the default level is info.
    let visitor_events: Vec<&str> = log
        .lines()
        .filter(|line| {
            [" INFO ", " WARN ", " ERROR "]
                .iter()
                .any(|level| line.contains(level))
        })
        .filter(|line| !OPERATIONAL_LOG.iter().any(|known| line.contains(known)))
        .collect();
    assert!(
        visitor_events.is_empty(),
        "the log holds lines that are not about the gateway's own life: {visitor_events:#?}"
    );
    let data_dir = gateway.data_dir();
    Stopped {
        _dir: gateway.stop(),
        data_dir,
    }
}

/// The gateway still serves an ordinary visitor.
async fn still_serves(gateway: &Gateway) {
    let landing = gateway.open_return().await;
    assert_eq!(
        landing.status,
        StatusCode::OK,
        "the gateway still serves the landing page"
    );
}

fn is_client_error(status: u16) -> bool {
    (400..500).contains(&status)
}

fn get_raw(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Requests that break HTTP/1.1 itself, each with a name for the failure message.
fn malformed_requests() -> Vec<(&'static str, Vec<u8>)> {
    let post = |headers: &str, body: &str| {
        format!(
            "POST /sv/contact HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             {headers}\r\n{body}"
        )
        .into_bytes()
    };
    let many_headers: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    vec![
        ("garbage request line", b"HELLO\r\n\r\n".to_vec()),
        ("method only", b"GET\r\n\r\n".to_vec()),
        ("HTTP/0.9 request", b"GET /\r\n\r\n".to_vec()),
        (
            "unknown HTTP version",
            b"GET /sv/ HTTP/9.9\r\nHost: localhost\r\n\r\n".to_vec(),
        ),
        (
            "NUL in the target",
            b"GET /sv/\0 HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec(),
        ),
        (
            "space inside the target",
            b"GET /sv/ x HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec(),
        ),
        (
            "invalid UTF-8 in the target",
            b"GET /sv/\xff\xfe HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec(),
        ),
        (
            "header line without a colon",
            b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\nNoColon\r\n\r\n".to_vec(),
        ),
        (
            "bare CR inside a header value",
            b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\nX-A: one\rSet-Cookie: two\r\n\r\n".to_vec(),
        ),
        (
            "folded header line",
            b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\nX-A: one\r\n two\r\n\r\n".to_vec(),
        ),
        (
            "space before the colon",
            b"GET /sv/ HTTP/1.1\r\nHost : localhost\r\n\r\n".to_vec(),
        ),
        (
            "control byte in a header name",
            b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\nX\x01A: b\r\n\r\n".to_vec(),
        ),
        (
            "non-ASCII header name",
            b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\nX\xffA: b\r\n\r\n".to_vec(),
        ),
        (
            "two different Content-Lengths",
            post("Content-Length: 5\r\nContent-Length: 6\r\n", "a=123"),
        ),
        (
            "negative Content-Length",
            post("Content-Length: -1\r\n", ""),
        ),
        (
            "non-numeric Content-Length",
            post("Content-Length: abc\r\n", ""),
        ),
        (
            "bad chunk size",
            post("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n"),
        ),
        (
            "unknown transfer coding",
            post("Transfer-Encoding: gzip\r\n", ""),
        ),
        (
            "Content-Length beside chunked (request smuggling)",
            post(
                "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
                "0\r\n\r\nGET /sv/ HTTP/1.1\r\n\r\n",
            ),
        ),
        (
            "a header block over max_header_bytes",
            format!(
                "GET /sv/ HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
                "a".repeat(20_000)
            )
            .into_bytes(),
        ),
        (
            "two hundred headers",
            format!("GET /sv/ HTTP/1.1\r\nHost: localhost\r\n{many_headers}\r\n").into_bytes(),
        ),
        (
            "a 100 kB request target",
            get_raw(&format!("/sv/{}", "a".repeat(100_000))),
        ),
        (
            "CONNECT to another host",
            b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n".to_vec(),
        ),
        (
            "a method name of 1000 letters",
            format!(
                "{} /sv/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "A".repeat(1000)
            )
            .into_bytes(),
        ),
    ]
}

fn check_refused(name: &str, transport: &str, reply: &RawReply) {
    assert!(
        reply.refused_cleanly(is_client_error),
        "{transport}: {name}: expected a 4xx status or a clean close, got: {}",
        reply.describe()
    );
    assert!(
        reply.header("set-cookie").is_none(),
        "{transport}: {name}: no response sets a cookie"
    );
}

#[tokio::test]
async fn malformed_requests_get_a_client_error_or_a_clean_close_over_plain_http_and_tls() {
    let gateway = start("");
    let tls = raw::tls_config(
        &raw::dev_cert(&gateway),
        &[b"http/1.1"],
        &[&rustls::version::TLS13, &rustls::version::TLS12],
    );
    for (name, request) in malformed_requests() {
        let plain = raw::plain(gateway.http, &request, WAIT).await;
        eprintln!("plain  {name:<50} {}", plain.describe());
        check_refused(name, "plain HTTP", &plain);
        let over_tls = raw::tls(gateway.https, tls.clone(), &request, WAIT).await;
        eprintln!("TLS    {name:<50} {}", over_tls.describe());
        check_refused(name, "HTTPS", &over_tls);
    }
    still_serves(&gateway).await;
    assert_eq!(
        stop(gateway).pending(),
        0,
        "nothing a malformed request carried is stored"
    );
}

#[tokio::test]
async fn a_smuggled_second_request_is_never_answered() {
    let gateway = start("");
    // If the chunked body ended the first request, the bytes after it would be read as a second request
    // on the same connection and answered with a second 200.
    let request = b"POST /sv/contact HTTP/1.1\r\nHost: localhost\r\n\
        Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4\r\n\
        Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /sv/contact HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let mut stream = tokio::net::TcpStream::connect(gateway.http)
        .await
        .expect("connect");
    let first = raw::exchange(&mut stream, request, WAIT).await;
    let second = raw::read_reply(&mut stream, Duration::from_secs(3)).await;
    eprintln!(
        "smuggling: first {}, then {}",
        first.describe(),
        second.describe()
    );
    assert!(
        first.refused_cleanly(is_client_error),
        "the ambiguous request is refused: {}",
        first.describe()
    );
    assert!(
        second.status().is_none(),
        "no second response: {}",
        second.describe()
    );
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn oversized_requests_are_refused_with_413_and_nothing_stored() {
    let gateway = start("[limits]\nbody_timeout_secs = 3\n");
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    // Announced as ten megabytes: refused from the header, whatever follows.
    let announced = "POST /sv/contact HTTP/1.1\r\nHost: localhost\r\n\
        Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\nmessage=";
    let reply = raw::plain(gateway.http, announced.as_bytes(), WAIT).await;
    assert_eq!(reply.status(), Some(413), "{}", reply.describe());

    // Chunked, with no length announced, growing past the limit: cut off at the limit.
    let mut chunked = "POST /sv/contact HTTP/1.1\r\nHost: localhost\r\n\
        Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        .as_bytes()
        .to_vec();
    let piece = format!("token={token}&group=exposed&message={}", "a".repeat(9000));
    for _ in 0..10 {
        chunked.extend_from_slice(format!("{:x}\r\n{piece}\r\n", piece.len()).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let reply = raw::plain(gateway.http, &chunked, WAIT).await;
    assert!(
        reply.refused_cleanly(|s| s == 413),
        "an endless chunked body is cut off: {}",
        reply.describe()
    );
    still_serves(&gateway).await;
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn an_announced_oversized_body_is_refused_without_inviting_it() {
    let gateway = start("[limits]\nbody_timeout_secs = 3\n");
    // With Expect: 100-continue the client waits for permission before sending the body; the refusal must
    // come first, and no "100 Continue" may invite ten megabytes that will be thrown away.
    let announced = "POST /sv/contact HTTP/1.1\r\nHost: localhost\r\n\
        Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\
        Expect: 100-continue\r\n\r\n";
    let reply = raw::plain(gateway.http, announced.as_bytes(), WAIT).await;
    assert_eq!(reply.status(), Some(413), "{}", reply.describe());
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_with_408() {
    let gateway = start("[limits]\nbody_timeout_secs = 2\n");
    let request = b"POST /sv/contact HTTP/1.1\r\nHost: localhost\r\n\
        Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nmessage=hi";
    let started = std::time::Instant::now();
    let reply = raw::plain(gateway.http, request, Duration::from_secs(15)).await;
    eprintln!(
        "stalled body answered after {:?}: {}",
        started.elapsed(),
        reply.describe()
    );
    assert_eq!(reply.status(), Some(408), "{}", reply.describe());
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "within the body timeout, not the connection lifetime"
    );
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn broken_form_encodings_are_refused_with_400_and_leave_the_token_usable() {
    let gateway = start("");
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("a percent sign without hex digits", b"message=%zz".to_vec()),
        ("a percent sign at the end", b"message=%4".to_vec()),
        ("percent-encoded invalid UTF-8", b"message=%ff%fe".to_vec()),
        ("raw invalid UTF-8", b"message=\xff\xfe".to_vec()),
        ("an overlong UTF-8 slash", b"message=%c0%af".to_vec()),
        ("a UTF-16 surrogate in UTF-8", b"message=%ed%a0%80".to_vec()),
        ("invalid UTF-8 in a field name", b"%ff=1".to_vec()),
        ("a field sent twice", b"message=a&message=b".to_vec()),
        (
            "a field the form does not have",
            b"message=a&is_admin=1".to_vec(),
        ),
        (
            "an override of the method",
            b"message=a&_method=DELETE".to_vec(),
        ),
        (
            "more fields than any form has",
            (0..20)
                .map(|i| format!("f{i}=1"))
                .collect::<Vec<_>>()
                .join("&")
                .into_bytes(),
        ),
    ];
    for (name, tail) in bodies {
        let mut body = format!("token={token}&group=exposed&").into_bytes();
        body.extend_from_slice(&tail);
        let request = Request::post("/sv/contact")
            .header("host", "localhost")
            .header("origin", "null")
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        let reply = gateway.send(request).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{name}");
        assert!(
            reply.body.contains("href=\"/exit\""),
            "{name}: a page with the exit link, not a bare error"
        );
    }
    // None of that used up the token: the form still goes through once.
    let accepted = gateway
        .post(
            "/sv/contact",
            &[("token", &token), ("group", "exposed"), ("message", "Hej")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK);
    assert_eq!(
        stop(gateway).pending(),
        1,
        "only the well-formed post was kept"
    );
}

#[tokio::test]
async fn line_breaks_in_paths_and_fields_never_become_response_headers() {
    let gateway = start(&format!("[site]\nonion_address = \"{ONION}\"\n"));
    // Percent-encoded CR LF in the path, which the Onion-Location header repeats.
    for path in [
        "/sv/%0d%0aSet-Cookie:%20injected=1",
        "/sv/contact%0D%0AX-Injected:%201",
        "/%0d%0aLocation:%20https://evil.example/",
    ] {
        let reply = gateway.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.header("set-cookie").is_none(), "{path}: no cookie");
        assert!(
            reply.header("x-injected").is_none(),
            "{path}: no injected header"
        );
        assert!(reply.header("location").is_none(), "{path}: no redirect");
        if let Some(onion) = reply.header("onion-location") {
            assert!(
                !onion.contains('\r') && !onion.contains('\n'),
                "{path}: Onion-Location stays one line"
            );
        }
    }
    // A bare LF ends a header line, so the request carries two headers; the response still sets nothing.
    let lf = b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\nX-A: one\nSet-Cookie: two\r\nConnection: close\r\n\r\n";
    let reply = raw::plain(gateway.http, lf, WAIT).await;
    assert!(reply.header("set-cookie").is_none(), "{}", reply.head());
    // A raw CR LF inside the request target splits the request line: refused.
    let split = b"GET /sv/\r\nSet-Cookie: x HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let reply = raw::plain(gateway.http, split, WAIT).await;
    assert!(
        reply.refused_cleanly(is_client_error),
        "{}",
        reply.describe()
    );
    assert!(reply.header("set-cookie").is_none());

    // Markup and line breaks typed into the form come back as text on the refusal page.
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let typed = "</textarea><script>alert(1)</script>\r\nSet-Cookie: x=1";
    let refused = gateway
        .post("/sv/contact", &[("token", &token), ("message", typed)])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no group chosen"
    );
    assert!(!refused.body.contains("<script>"), "the markup is escaped");
    assert!(
        refused.body.contains("&lt;/textarea&gt;&lt;script&gt;"),
        "and shown as text"
    );
    assert!(refused.header("set-cookie").is_none());
    let landing = gateway.open_return().await;
    let code_markup = gateway
        .post(
            "/sv/return",
            &[
                ("token", &landing.hidden("token")),
                ("code", "\"><script>x</script>"),
            ],
        )
        .await;
    assert_eq!(code_markup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !code_markup.body.contains("<script>x"),
        "a typed code is escaped too"
    );
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn methods_and_content_types_a_page_does_not_take_are_refused_with_their_status() {
    let gateway = start("");
    let request = |method: Method, path: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("host", "localhost")
            .header("x-trace-check", "tracecheck")
            .body(Full::new(Bytes::new()))
            .expect("request")
    };
    for method in [
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::TRACE,
    ] {
        for (path, allow) in [
            ("/sv/", "GET, HEAD"),
            ("/sv/contact", "GET, HEAD, POST"),
            ("/sv/thread/delete", "POST"),
            ("/exit", "GET, HEAD"),
        ] {
            let reply = gateway.send(request(method.clone(), path)).await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            assert_eq!(reply.header("allow"), Some(allow), "{method} {path}");
            assert!(
                !reply.body.contains("tracecheck"),
                "{method} {path}: the request is never echoed"
            );
        }
    }
    let extension = Method::from_bytes(b"PROPFIND").expect("method");
    assert_eq!(
        gateway.send(request(extension, "/sv/")).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        gateway.send(request(Method::GET, "/sv/code")).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        gateway.send(request(Method::POST, "/sv/")).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );

    let head = gateway.send(request(Method::HEAD, "/sv/contact")).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty(), "HEAD has no body");

    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let fields = common::encode(&[("token", &token), ("group", "exposed"), ("message", "hej")]);
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/json"),
        Some("multipart/form-data; boundary=x"),
        Some("application/x-www-form-urlencoded-but-not"),
        Some("text/html"),
    ] {
        let mut builder = Request::post("/sv/contact")
            .header("host", "localhost")
            .header("origin", "null")
            .header("sec-fetch-site", "same-origin");
        if let Some(content_type) = content_type {
            builder = builder.header("content-type", content_type);
        }
        let reply = gateway
            .send(
                builder
                    .body(Full::new(Bytes::from(fields.clone())))
                    .expect("request"),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
    }
    // A method override header changes nothing: a POST stays a POST and needs its token.
    let overridden = Request::post("/sv/thread/delete")
        .header("host", "localhost")
        .header("x-http-method-override", "GET")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from("token=x")))
        .expect("request");
    let overridden = gateway.send(overridden).await;
    assert_eq!(overridden.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        overridden.body.contains("name=\"code\""),
        "the code form with an error, and nothing deleted"
    );
    // A GET with a body is a GET: the page with the button, nothing sent.
    let get_with_body = Request::get("/sv/contact")
        .header("host", "localhost")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(fields)))
        .expect("request");
    assert_eq!(gateway.send(get_with_body).await.status, StatusCode::OK);
    assert_eq!(
        stop(gateway).pending(),
        0,
        "no confused request stored anything"
    );
}

#[tokio::test]
async fn path_tricks_lead_to_the_not_found_page_and_nowhere_else() {
    let gateway = start("");
    let long = format!("/sv/{}", "a".repeat(8000));
    let cases: Vec<(&str, &[u16])> = vec![
        ("/../../etc/passwd", &[404]),
        ("/sv/../../etc/passwd", &[404]),
        ("/%2e%2e/%2e%2e/etc/passwd", &[404]),
        ("/sv/%2e%2e/%2e%2e/etc/passwd", &[404]),
        ("/sv/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", &[404]),
        ("/sv/..%2f..%2fetc%2fpasswd", &[404]),
        ("/sv/%252e%252e/contact", &[404]),
        ("//etc/passwd", &[404]),
        ("//sv/", &[404]),
        ("/sv//contact", &[404]),
        ("/sv/./contact", &[404]),
        ("/sv/contact/", &[404]),
        ("/sv/contact/..", &[404]),
        ("/sv%2fcontact", &[404]),
        ("/sv/contact%00", &[404]),
        ("/sv/contact;jsessionid=1", &[404]),
        ("/sv/contact%20", &[404]),
        ("/SV/", &[404]),
        ("/robots.txt/../sv/", &[404]),
        ("/exit/..", &[404]),
        ("/sv/%5c..%5c..%5cetc%5cpasswd", &[404]),
        ("/sv/\\..\\..\\etc\\passwd", &[400, 404]),
        ("/.git/config", &[404]),
        ("/porten.redb", &[404]),
        ("/DEVELOPMENT-ONLY-age-identity.txt", &[404]),
        ("/dev-tls/key.pem", &[404]),
        (long.as_str(), &[404, 414, 431]),
    ];
    for (path, expected) in cases {
        let reply = raw::plain(gateway.http, &get_raw(path), WAIT).await;
        let status = reply.status().unwrap_or(0);
        assert!(
            expected.contains(&status),
            "{path}: expected {expected:?}, got {}",
            reply.describe()
        );
        let body = reply.body();
        assert!(
            !body.contains("root:")
                && !body.contains("AGE-SECRET-KEY")
                && !body.contains("PRIVATE KEY"),
            "{path}"
        );
        if status == 404 {
            assert!(
                body.contains("href=\"/exit\""),
                "{path}: the gateway's own not-found page"
            );
        }
    }
    // A query string is ignored and never repeated.
    let query = raw::plain(
        gateway.http,
        &get_raw("/sv/contact?next=https://evil.example/x"),
        WAIT,
    )
    .await;
    assert_eq!(query.status(), Some(200));
    assert!(!query.body().contains("evil.example"));
    // An absolute-form target naming another host is served as the path; redirects stay on this site.
    let absolute =
        b"GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let reply = raw::plain(gateway.http, absolute, WAIT).await;
    assert_eq!(reply.status(), Some(303), "{}", reply.describe());
    assert_eq!(reply.header("location").as_deref(), Some("/sv/"));
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn return_and_session_tokens_work_once_and_only_for_their_own_form() {
    let gateway = start("");
    let form = gateway.open_contact().await;
    let contact_token = form.hidden("token");
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &contact_token),
                ("group", "exposed"),
                ("message", "Första"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let code = code_from_page(&page.body);

    let landing = gateway.open_return().await;
    let return_token = landing.hidden("token");
    // A first-contact token is not a return token, and the other way round.
    let spare = gateway.open_contact().await.hidden("token");
    let wrong = gateway
        .post("/sv/return", &[("token", &spare), ("code", &code)])
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a contact token on the return form"
    );
    let wrong = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &return_token),
                ("group", "exposed"),
                ("message", "x"),
            ],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return token on the contact form"
    );

    let thread = gateway
        .post("/sv/return", &[("token", &return_token), ("code", &code)])
        .await;
    assert_eq!(thread.status, StatusCode::OK);
    let replayed = gateway
        .post("/sv/return", &[("token", &return_token), ("code", &code)])
        .await;
    assert_eq!(
        replayed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return token works once"
    );

    let session = thread.hidden("token");
    let session_on_contact = gateway
        .post(
            "/sv/contact",
            &[("token", &session), ("group", "exposed"), ("message", "x")],
        )
        .await;
    assert_eq!(
        session_on_contact.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a session token is not a contact token"
    );
    let sent = gateway
        .post(
            "/sv/thread/write",
            &[("token", &session), ("message", "Andra")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    let again = gateway
        .post(
            "/sv/thread/write",
            &[("token", &session), ("message", "Andra igen")],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a session token works once"
    );
    assert!(
        !again.body.contains("Andra") && !again.body.contains("Första"),
        "a used session token shows no thread and no text"
    );
    let delete = gateway
        .post(
            "/sv/thread/delete",
            &[("token", &session), ("confirm", "yes")],
        )
        .await;
    assert_eq!(
        delete.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a used session token cannot delete the thread"
    );

    // The thread is still there and holds exactly the two messages.
    let landing = gateway.open_return().await;
    let thread = gateway
        .post(
            "/sv/return",
            &[("token", &landing.hidden("token")), ("code", &code)],
        )
        .await;
    assert_eq!(thread.status, StatusCode::OK);
    assert!(
        thread.body.contains("Första")
            && thread.body.contains("Andra")
            && !thread.body.contains("Andra igen")
    );
    let stopped = stop(gateway);
    assert_eq!(stopped.pending(), 2, "one first contact and one follow-up");
    assert_eq!(stopped.messages(), ["Första", "Andra"]);
}

#[tokio::test]
async fn tokens_from_before_a_restart_are_refused_and_nothing_they_carried_is_shown() {
    let gateway = start("");
    let form = gateway.open_contact().await;
    let stale_contact = form.hidden("token");
    let first = gateway.open_contact().await;
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &first.hidden("token")),
                ("group", "relative"),
                ("message", "Före omstart"),
            ],
        )
        .await;
    let code = code_from_page(&page.body);
    let landing = gateway.open_return().await;
    let thread = gateway
        .post(
            "/sv/return",
            &[("token", &landing.hidden("token")), ("code", &code)],
        )
        .await;
    let stale_session = thread.hidden("token");
    let stale_return = gateway.open_return().await.hidden("token");

    let dir = gateway.stop();
    let gateway = {
        let _guard = START
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Gateway::start_in(dir, "")
    };
    let refused = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &stale_contact),
                ("group", "exposed"),
                ("message", "Efter omstart"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A form from before a restart may be a page resubmitted from the history by someone else at the device:
    // what it carried is not shown again.
    assert!(
        !refused.body.contains("Efter omstart"),
        "the text of a stale form is not shown again"
    );
    assert!(
        hidden(&refused.body, "token").is_some(),
        "an empty, fresh form comes back"
    );
    let refused = gateway
        .post(
            "/sv/thread/write",
            &[("token", &stale_session), ("message", "Efter")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a session ends with the process"
    );
    assert!(
        !refused.body.contains("Före omstart") && !refused.body.contains("Efter"),
        "nothing of the thread or the text comes back"
    );
    let refused = gateway
        .post("/sv/return", &[("token", &stale_return), ("code", &code)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    assert!(
        !refused.body.contains(&code) && !refused.body.contains(&digits),
        "the code of a stale form is not shown again"
    );
    // The ticket outlives the sessions: the code opens it with a fresh form.
    let landing = gateway.open_return().await;
    let thread = gateway
        .post(
            "/sv/return",
            &[("token", &landing.hidden("token")), ("code", &code)],
        )
        .await;
    assert_eq!(thread.status, StatusCode::OK);
    assert!(thread.body.contains("Före omstart"));
    assert_eq!(
        stop(gateway).pending(),
        1,
        "only the first contact from before the restart"
    );
}

/// libfaketime, which shifts the wall clock of the process it is preloaded into.
fn faketime_library() -> Option<std::path::PathBuf> {
    [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
    ]
    .iter()
    .map(std::path::PathBuf::from)
    .find(|p| p.exists())
}

#[tokio::test]
async fn tokens_past_their_lifetime_keep_only_what_the_visitor_is_writing_now() {
    let Some(library) = faketime_library() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "libfaketime must be installed in CI (tests/hardening/install-deps.sh installs it)"
        );
        eprintln!("note: libfaketime is not installed; the expiry test was skipped");
        return;
    };
    let clock = tempfile::NamedTempFile::new().expect("clock file");
    std::fs::write(clock.path(), "+0\n").expect("write clock");
    // Token ages run on the monotonic clock, so both clocks move: six minutes later, past the five-minute
    // lifetime and within the key's second lifetime.
    let gateway = {
        let _guard = START
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::env::set_var("LD_PRELOAD", &library);
        std::env::set_var("FAKETIME_TIMESTAMP_FILE", clock.path());
        std::env::set_var("FAKETIME_NO_CACHE", "1");
        let gateway = Gateway::start("[ticket]\nsession_minutes = 5\n");
        for name in ["LD_PRELOAD", "FAKETIME_TIMESTAMP_FILE", "FAKETIME_NO_CACHE"] {
            std::env::remove_var(name);
        }
        gateway
    };
    let contact_token = gateway.open_contact().await.hidden("token");
    let first = gateway.open_contact().await;
    let sent_body = [
        ("token", first.hidden("token")),
        ("group", "exposed".to_owned()),
        ("message", "I tid".to_owned()),
    ];
    let sent_fields: Vec<(&str, &str)> = sent_body.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = gateway.post("/sv/contact", &sent_fields).await;
    assert_eq!(page.status, StatusCode::OK);
    let code = code_from_page(&page.body);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let landing = gateway.open_return().await;
    let thread = gateway
        .post(
            "/sv/return",
            &[("token", &landing.hidden("token")), ("code", &code)],
        )
        .await;
    let session = thread.hidden("token");
    let return_token = gateway.open_return().await.hidden("token");

    std::fs::write(clock.path(), "+6m\n").expect("move the clock");
    // A contact form open too long: the visitor is still on it, so the text comes back (not sent).
    let late_contact = [
        ("token", contact_token.as_str()),
        ("group", "exposed"),
        ("message", "För sent"),
    ];
    let late = gateway.post("/sv/contact", &late_contact).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("För sent"), "the text is kept");
    // A conversation page open too long: no thread, but the code form with the reply and its danger box
    // kept; entering the code again sends both.
    let late_write = [
        ("token", session.as_str()),
        ("urgent", "yes"),
        ("message", "Skrivet sent"),
    ];
    let late = gateway.post("/sv/thread/write", &late_write).await;
    assert_eq!(late.status, StatusCode::OK);
    assert!(late.body.contains("Skrivet sent"), "the reply is kept");
    assert!(
        late.body.contains(r#"name="urgent" value="yes" checked"#),
        "the box is kept ticked"
    );
    assert!(!late.body.contains("I tid"), "but the thread is not shown");
    assert!(!late.body.contains("thread/write"));
    let kept_return = late.hidden("token");
    let sent_again = gateway
        .post(
            "/sv/return",
            &[
                ("token", &kept_return),
                ("code", &code),
                ("urgent", "yes"),
                ("message", "Skrivet sent"),
            ],
        )
        .await;
    assert_eq!(sent_again.status, StatusCode::OK);
    assert!(sent_again.body.contains("I tid") && sent_again.body.contains("Skrivet sent"));
    assert!(sent_again.body.contains("Du skrev att du är i fara"));
    // A code form open too long: the code is not shown again.
    let late_return = [("token", return_token.as_str()), ("code", code.as_str())];
    let late = gateway.post("/sv/return", &late_return).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!late.body.contains(&code) && !late.body.contains(&digits));
    // Each of them, and the first contact that succeeded in time, sent again: nothing at all.
    for (path, body) in [
        ("/sv/contact", &late_contact[..]),
        ("/sv/thread/write", &late_write[..]),
        ("/sv/return", &late_return[..]),
        ("/sv/contact", &sent_fields[..]),
    ] {
        let again = gateway.post(path, body).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        for secret in [
            "För sent",
            "Skrivet sent",
            "I tid",
            code.as_str(),
            digits.as_str(),
        ] {
            assert!(
                !again.body.contains(secret),
                "{path} sent again shows {secret}"
            );
        }
        assert!(
            !again.body.contains(" checked"),
            "{path} sent again shows the danger box ticked"
        );
    }
    let stopped = stop(gateway);
    assert_eq!(stopped.messages(), ["I tid", "Skrivet sent"]);
    let urgency: Vec<bool> = outbox::payloads(&stopped.data_dir)
        .iter()
        .map(|payload| payload.urgent())
        .collect();
    assert_eq!(
        urgency,
        [false, true],
        "the late reply is sealed in danger, as its box said"
    );
}

#[tokio::test]
async fn forged_origins_and_cross_site_fetches_are_refused_and_leave_the_token_usable() {
    let gateway = start("");
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let body = common::encode(&[("token", &token), ("group", "exposed"), ("message", "hej")]);
    let forged: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "another site",
            vec![("host", "localhost"), ("origin", "https://evil.example")],
        ),
        (
            "a look-alike host",
            vec![
                ("host", "localhost"),
                ("origin", "https://localhost.evil.example"),
            ],
        ),
        (
            "another port",
            vec![("host", "localhost"), ("origin", "https://localhost:9999")],
        ),
        (
            "a downgrade to http",
            vec![("host", "localhost"), ("origin", "http://localhost")],
        ),
        (
            "a trailing slash",
            vec![("host", "localhost"), ("origin", "https://localhost/")],
        ),
        (
            "an origin without a host header",
            vec![("origin", "https://localhost")],
        ),
        (
            "a same-site subdomain",
            vec![("host", "localhost"), ("sec-fetch-site", "same-site")],
        ),
        (
            "a cross-site fetch",
            vec![("host", "localhost"), ("sec-fetch-site", "cross-site")],
        ),
        (
            "a cross-site fetch with origin null",
            vec![
                ("host", "localhost"),
                ("origin", "null"),
                ("sec-fetch-site", "cross-site"),
            ],
        ),
    ];
    for (name, headers) in forged {
        let mut builder = Request::post("/sv/contact")
            .header("content-type", "application/x-www-form-urlencoded");
        for (header, value) in headers {
            builder = builder.header(header, value);
        }
        let reply = gateway
            .send(
                builder
                    .body(Full::new(Bytes::from(body.clone())))
                    .expect("request"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}");
    }
    // The browser's own post still goes through with the untouched token.
    let own = Request::post("/sv/contact")
        .header("host", "localhost")
        .header("origin", "https://localhost")
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .expect("request");
    assert_eq!(gateway.send(own).await.status, StatusCode::OK);
    assert_eq!(stop(gateway).pending(), 1);
}

#[tokio::test]
async fn http2_is_refused_cleanly_and_http11_is_negotiated() {
    let gateway = start("");
    let cert = raw::dev_cert(&gateway);
    let versions = [&rustls::version::TLS13, &rustls::version::TLS12];
    // A client that speaks only HTTP/2: the handshake fails with no_application_protocol.
    let h2_only = raw::tls_config(&cert, &[b"h2"], &versions);
    let Err(error) = raw::tls_connect(gateway.https, h2_only).await else {
        panic!("an h2-only handshake must fail");
    };
    eprintln!("h2-only client: {error}");
    assert!(
        error
            .to_string()
            .to_lowercase()
            .contains("noapplicationprotocol"),
        "refused for want of a common protocol: {error}"
    );
    // A browser offering both gets HTTP/1.1.
    let both = raw::tls_config(&cert, &[b"h2", b"http/1.1"], &versions);
    let stream = raw::tls_connect(gateway.https, both)
        .await
        .expect("handshake");
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    drop(stream);
    // The HTTP/2 connection preface with prior knowledge, on plain HTTP and inside TLS without ALPN.
    let preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";
    let plain = raw::plain(gateway.http, preface, WAIT).await;
    eprintln!("h2 preface over plain HTTP: {}", plain.describe());
    assert!(
        plain.refused_cleanly(|s| is_client_error(s) || s == 505),
        "{}",
        plain.describe()
    );
    let no_alpn = raw::tls_config(&cert, &[], &versions);
    let over_tls = raw::tls(gateway.https, no_alpn, preface, WAIT).await;
    eprintln!("h2 preface over TLS: {}", over_tls.describe());
    assert!(
        over_tls.refused_cleanly(|s| is_client_error(s) || s == 505),
        "{}",
        over_tls.describe()
    );
    // An h2c upgrade request is answered as HTTP/1.1, never with 101 Switching Protocols.
    let upgrade =
        b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n\
        Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    let reply = raw::plain(gateway.http, upgrade, WAIT).await;
    assert_eq!(reply.status(), Some(200), "{}", reply.describe());
    still_serves(&gateway).await;
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn ssl3_tls10_and_tls11_handshakes_are_refused_and_tls12_and_13_accepted() {
    let gateway = start("");
    for (name, version) in [
        ("SSL 3.0", 0x0300),
        ("TLS 1.0", 0x0301),
        ("TLS 1.1", 0x0302),
    ] {
        let answer = raw::hello(gateway.https, &raw::legacy_client_hello(version), WAIT).await;
        eprintln!("{name} ClientHello: {answer:?}");
        assert!(
            matches!(
                answer,
                HelloAnswer::Alert(70) | HelloAnswer::Alert(40) | HelloAnswer::Closed
            ),
            "{name}: refused with a protocol_version or handshake_failure alert, got {answer:?}"
        );
    }
    let cert = raw::dev_cert(&gateway);
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let config = raw::tls_config(&cert, &[b"http/1.1"], &[version]);
        let stream = raw::tls_connect(gateway.https, config).await;
        assert!(
            stream.is_ok(),
            "{version:?} is accepted: {:?}",
            stream.err()
        );
    }
    // The same with a stock TLS client, where one is installed.
    if let Ok(output) = std::process::Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &gateway.https.to_string(),
            "-tls1_1",
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
        ])
        .stdin(std::process::Stdio::null())
        .output()
    {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        eprintln!("openssl s_client -tls1_1: exit {:?}", output.status.code());
        assert!(
            !output.status.success(),
            "openssl cannot complete a TLS 1.1 handshake:\n{text}"
        );
        assert!(
            text.contains("Cipher is (NONE)"),
            "no cipher was agreed:\n{text}"
        );
    }
    still_serves(&gateway).await;
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn a_client_offering_only_suites_without_forward_secrecy_or_aead_is_refused() {
    let gateway = start("");
    let weak: [(&str, &[u16]); 4] = [
        (
            "RSA key exchange",
            &[0x009C, 0x009D, 0x002F, 0x0035, 0x003C],
        ),
        (
            "CBC with forward secrecy",
            &[0xC009, 0xC00A, 0xC013, 0xC014, 0xC023, 0xC027],
        ),
        ("3DES and RC4", &[0x000A, 0xC012, 0x0005, 0xC011]),
        ("no encryption at all", &[0x0001, 0x0002, 0x003B, 0xC006]),
    ];
    for (name, suites) in weak {
        let answer = raw::hello(gateway.https, &raw::client_hello(0x0303, suites), WAIT).await;
        eprintln!("TLS 1.2 offering only {name}: {answer:?}");
        assert!(
            matches!(answer, HelloAnswer::Alert(40) | HelloAnswer::Closed),
            "{name}: refused with handshake_failure, got {answer:?}"
        );
    }
    // The same hello offering one strong suite is accepted.
    let answer = raw::hello(
        gateway.https,
        &raw::client_hello(0x0303, &[0x002F, 0xC02B]),
        WAIT,
    )
    .await;
    assert_eq!(
        answer,
        HelloAnswer::ServerHello,
        "ECDHE-ECDSA-AES128-GCM is agreed"
    );
    assert_eq!(stop(gateway).pending(), 0);
}

#[tokio::test]
async fn a_filled_honeypot_field_keeps_the_text_and_sends_nothing() {
    let gateway = start("");
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let reply = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &token),
                ("group", "exposed"),
                ("message", "Robot"),
                ("website", "https://spam.example"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Robot"));
    assert!(
        hidden(&reply.body, "token").is_some(),
        "a fresh form comes back"
    );
    assert_eq!(stop(gateway).pending(), 0);
}
