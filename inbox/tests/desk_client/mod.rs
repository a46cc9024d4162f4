//! A browser without JavaScript for the staff desk's pages, and an authenticator app: what the tests that
//! use the desk over HTTPS share (`inbox/tests/desk_web.rs`, and the gateway's `tests/desk_replies.rs`).
//! TOTP codes are computed here from the secret the enrolment page shows, with an RFC 6238 implementation of
//! this file's own, not the desk's.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use data_encoding::BASE32_NOPAD;
use ring::hmac;

/// The enrolment code in a command's output or a page: eight dash-separated groups of four.
pub fn code_in(text: &str) -> String {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|word| word.len() == 39 && word.matches('-').count() == 7)
        .expect("an enrolment code is shown")
        .to_owned()
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of the page's first form token.
    pub fn token(&self) -> String {
        let start = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a form token")
            + 19;
        let end = self.body[start..].find('"').unwrap();
        self.body[start..start + end].to_owned()
    }

    /// Everything a browser could show or keep, but the cookie being set.
    pub fn visible(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .filter(|(n, _)| n != "set-cookie")
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        format!("{}\n{}", headers.join("\n"), self.body)
    }
}

/// A browser without JavaScript: HTTPS, one cookie, forms.
pub struct Browser {
    pub port: u16,
    pub tls: Arc<rustls::ClientConfig>,
    pub cookie: Option<String>,
    /// Every response seen, for the check that no secret shows.
    pub seen: Vec<String>,
}

impl Browser {
    pub fn new(port: u16, cert: &Path) -> Browser {
        let mut roots = rustls::RootCertStore::empty();
        for cert in porten_protocol::tls::load_certificates(cert).unwrap() {
            roots.add(cert).unwrap();
        }
        let tls =
            rustls::ClientConfig::builder_with_provider(Arc::new(porten_protocol::tls::provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth();
        Browser {
            port,
            tls: Arc::new(tls),
            cookie: None,
            seen: Vec::new(),
        }
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Response {
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let connection = rustls::ClientConnection::new(Arc::clone(&self.tls), name).unwrap();
        let socket = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut stream = rustls::StreamOwned::new(connection, socket);
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n",
            self.port
        );
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: __Host-desk={cookie}\r\n"));
        }
        for (name, value) in extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if method == "POST" {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        stream.flush().unwrap();
        let mut raw = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&buffer[..n]),
            }
        }
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let response = Response {
            status,
            headers,
            body: body.to_owned(),
        };
        if let Some(set) = response.header("set-cookie") {
            let value = set
                .strip_prefix("__Host-desk=")
                .and_then(|rest| rest.split(';').next())
                .unwrap_or("");
            self.cookie = (!value.is_empty()).then(|| value.to_owned());
        }
        self.seen.push(response.visible());
        response
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.request("GET", path, "", &[])
    }

    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_with(path, fields, &[])
    }

    pub fn post_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Response {
        let body: Vec<String> = fields
            .iter()
            .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
            .collect();
        self.request("POST", path, &body.join("&"), extra)
    }
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An authenticator app: RFC 6238 with HMAC-SHA1, 6 digits, 30 s, that never shows a step twice.
pub struct App {
    pub secret: Vec<u8>,
    pub last_step: u64,
}

pub fn now_step() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30
}

impl App {
    pub fn new(base32: &str) -> App {
        App {
            secret: BASE32_NOPAD.decode(base32.as_bytes()).unwrap(),
            last_step: 0,
        }
    }

    pub fn code_at(&self, step: u64) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &self.secret);
        let mac = hmac::sign(&key, &step.to_be_bytes());
        let mac = mac.as_ref();
        let offset = usize::from(mac[19] & 0x0f);
        let number = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
        format!("{:06}", number % 1_000_000)
    }

    /// A code of a step later than the last one used, waiting for the clock when need be (the desk
    /// accepts one step ahead of its clock).
    pub fn next_code(&mut self) -> String {
        let step = now_step().max(self.last_step + 1);
        while now_step() + 1 < step {
            std::thread::sleep(Duration::from_millis(500));
        }
        self.last_step = step;
        self.code_at(step)
    }

    /// The code used last, again.
    pub fn last_code(&self) -> String {
        self.code_at(self.last_step)
    }
}

/// Enrols with `code` through the pages; returns the authenticator app and the secret's text.
pub fn enrol(browser: &mut Browser, code: &str, password: &str) -> (App, String) {
    let page = browser.get("/en/enrol");
    assert_eq!(page.status, 200);
    let page = browser.post("/en/enrol", &[("csrf", &page.token()), ("enrolment", code)]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg"), "the QR code is inline SVG");
    let start = page
        .body
        .find("<dd class=\"secret\">")
        .expect("the secret as text")
        + 19;
    let end = page.body[start..].find('<').unwrap();
    let secret: String = page.body[start..start + end].split_whitespace().collect();
    let mut app = App::new(&secret);
    let done = browser.post(
        "/en/enrol/finish",
        &[
            ("csrf", &page.token()),
            ("enrolment", code),
            ("password", password),
            ("repeat", password),
            ("code", &app.next_code()),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Your account is active"));
    (app, secret)
}

pub fn login(browser: &mut Browser, name: &str, password: &str, code: &str) -> Response {
    let page = browser.get("/en/login");
    browser.post(
        "/en/login",
        &[
            ("csrf", &page.token()),
            ("login", name),
            ("password", password),
            ("code", code),
        ],
    )
}
