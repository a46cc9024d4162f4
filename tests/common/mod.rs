//! Test harness: runs the real `porten` binary on loopback with a temporary data directory and talks to it
//! over real TLS (and plain HTTP), as a browser would.

#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;

/// Small Argon2id parameters so tests run fast; production defaults are tested in unit tests.
pub const TEST_KDF: &str = "[ticket.kdf]\nmemory_kib = 1024\niterations = 1\nparallelism = 1\n";

/// A running gateway, stopped (SIGTERM, then kill) when dropped.
pub struct Gateway {
    child: Option<Child>,
    pub dir: tempfile::TempDir,
    pub https: std::net::SocketAddr,
    pub http: std::net::SocketAddr,
    pub log: Arc<Mutex<String>>,
    tls: Arc<rustls::ClientConfig>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: hyper::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of a hidden input named `name` (the first one).
    pub fn hidden(&self, name: &str) -> String {
        let needle = format!("name=\"{name}\"");
        let at = self
            .body
            .find(&needle)
            .unwrap_or_else(|| panic!("no field {name} in page"));
        // The value attribute is within the same tag.
        let tag_start = self.body[..at].rfind('<').expect("tag start");
        let tag_end = at + self.body[at..].find('>').expect("tag end");
        let tag = &self.body[tag_start..tag_end];
        let value_at = tag.find("value=\"").expect("value attribute") + 7;
        let value_end = value_at + tag[value_at..].find('"').expect("value end");
        tag[value_at..value_end].to_string()
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_porten"))
}

/// Per-source limits as wide as the global ones, for tests whose clients all come from one address.
pub const GENEROUS_PER_SOURCE: &str = "[limits.per_source]\nconnections = 100000\n\
    submissions_per_minute = 1000000\nsubmission_burst = 1000000\n\
    code_attempts_per_minute = 1000000\ncode_attempt_burst = 1000000\n\
    forms_per_minute = 1000000\nform_burst = 1000000\n";

impl Gateway {
    /// Starts the gateway with the given extra configuration (TOML), on ports chosen by the kernel.
    pub fn start(extra_config: &str) -> Gateway {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start_in(dir, extra_config)
    }

    pub fn start_in(dir: tempfile::TempDir, extra_config: &str) -> Gateway {
        let data = dir.path().join("data");
        let config_path = dir.path().join("porten.toml");
        let mut config = format!("data_dir = \"{}\"\n{extra_config}\n", data.display());
        if !extra_config.contains("[limits.per_source]") {
            // Every test client is on 127.0.0.0/24: one source. The tests that are about sources set their own.
            config.push_str(GENEROUS_PER_SOURCE);
        }
        if !extra_config.contains("[https]") {
            config.push_str("[https]\nlisten = \"127.0.0.1:0\"\n");
        }
        if !extra_config.contains("[http]") {
            config.push_str("[http]\nlisten = \"127.0.0.1:0\"\n");
        }
        if !extra_config.contains("[ticket.kdf]") {
            config.push_str(TEST_KDF);
        }
        if !extra_config.contains("[log]") {
            config.push_str("[log]\nlevel = \"trace\"\n");
        }
        std::fs::write(&config_path, config).expect("write config");
        let mut child = Command::new(binary())
            .arg("serve")
            .arg("--config")
            .arg(&config_path)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start porten");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if line.contains("listening") {
                        let _ = tx.send(line.clone());
                    }
                    if line.contains("porten is ready") {
                        let _ = tx.send(String::from("ready"));
                    }
                    let mut log = log.lock().expect("log lock");
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let mut https = None;
        let mut http = None;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let line = match rx.recv_timeout(remaining) {
                Ok(line) => line,
                Err(_) => {
                    let _ = child.kill();
                    panic!("porten did not start; log:\n{}", log.lock().expect("log"));
                }
            };
            if line == "ready" {
                break;
            }
            let address = line
                .split("address=")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|a| a.parse().ok());
            if line.contains("\"https\"") {
                https = address;
            } else if line.contains("\"http\"") {
                http = address;
            }
        }
        let cert_path = data.join("dev-tls").join("cert.pem");
        let tls = client_config(&cert_path);
        Gateway {
            child: Some(child),
            dir,
            https: https.expect("https address in log"),
            http: http.unwrap_or_else(|| "127.0.0.1:9".parse().expect("addr")),
            log,
            tls,
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn log_text(&self) -> String {
        self.log.lock().expect("log lock").clone()
    }

    /// Stops the gateway with SIGTERM and waits for it, returning the temporary directory for a restart.
    pub fn stop(mut self) -> tempfile::TempDir {
        self.terminate();
        let dir = tempfile::tempdir().expect("placeholder");
        std::mem::replace(&mut self.dir, dir)
    }

    fn terminate(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or(0)
    }

    /// A request over HTTPS.
    pub async fn send(&self, request: Request<Full<Bytes>>) -> Reply {
        let tcp = tokio::net::TcpStream::connect(self.https)
            .await
            .expect("connect");
        let connector = tokio_rustls::TlsConnector::from(Arc::clone(&self.tls));
        let name = ServerName::try_from("localhost").expect("name");
        let stream = connector.connect(name, tcp).await.expect("TLS handshake");
        exchange(TokioIo::new(stream), request).await
    }

    /// Sends `request` (a whole HTTP/1.1 request, which should say `Connection: close`) over HTTPS and returns
    /// every byte of the response exactly as it arrived after decryption: status line, headers and body.
    pub async fn raw(&self, request: &[u8]) -> Vec<u8> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let tcp = tokio::net::TcpStream::connect(self.https)
            .await
            .expect("connect");
        let connector = tokio_rustls::TlsConnector::from(Arc::clone(&self.tls));
        let name = ServerName::try_from("localhost").expect("name");
        let mut stream = connector.connect(name, tcp).await.expect("TLS handshake");
        stream.write_all(request).await.expect("write request");
        let mut response = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut response))
            .await
            .expect("the response arrives within 30 s");
        // A peer that closes without close_notify is fine here: every byte sent is already in `response`.
        if let Err(error) = read {
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::UnexpectedEof,
                "read: {error}"
            );
        }
        response
    }

    /// A request over the plain-HTTP listener.
    pub async fn send_plain(&self, request: Request<Full<Bytes>>) -> Reply {
        let tcp = tokio::net::TcpStream::connect(self.http)
            .await
            .expect("connect");
        exchange(TokioIo::new(tcp), request).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(
            Request::get(path)
                .header("host", "localhost")
                .body(Full::new(Bytes::new()))
                .expect("request"),
        )
        .await
    }

    /// A form post as a browser sends it from the gateway's own page.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.send(form_request(path, fields)).await
    }

    /// The contact form, as the landing page's "Write to us" button opens it (an empty post).
    pub async fn open_contact(&self) -> Reply {
        self.post("/sv/contact", &[]).await
    }

    /// The code form, as the landing page's button opens it (an empty post).
    pub async fn open_return(&self) -> Reply {
        self.post("/sv/return", &[]).await
    }

    /// The visitor comes back with the code: the conversation page, which must open.
    pub async fn open_thread(&self, code: &str) -> Reply {
        let token = self.open_return().await.hidden("token");
        let thread = self
            .post("/sv/return", &[("token", &token), ("code", code)])
            .await;
        assert_eq!(thread.status, StatusCode::OK, "the code opens the thread");
        thread
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.terminate();
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", percent(name), percent(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

pub fn form_request(path: &str, fields: &[(&str, &str)]) -> Request<Full<Bytes>> {
    Request::post(path)
        .header("host", "localhost")
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(encode(fields))))
        .expect("request")
}

async fn exchange<I>(io: I, request: Request<Full<Bytes>>) -> Reply
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .expect("HTTP handshake");
    tokio::spawn(connection);
    let response = sender.send_request(request).await.expect("response");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn client_config(cert_path: &Path) -> Arc<rustls::ClientConfig> {
    let pem = std::fs::read(cert_path).expect("dev certificate");
    let mut roots = rustls::RootCertStore::empty();
    use rustls::pki_types::pem::PemObject as _;
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.expect("cert")).expect("add root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// Extracts the ticket code (digit groups separated by spaces) from the code page.
pub fn code_from_page(body: &str) -> String {
    let at = body
        .find("class=\"code\"")
        .expect("the code page shows the code in an element of class code");
    let end = at + body[at..].find("</p>").expect("end of the code");
    let mut text = String::new();
    let mut in_tag = true;
    for c in body[at..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
