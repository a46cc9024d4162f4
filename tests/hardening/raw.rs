//! Raw exchanges: bytes written straight to a TCP or TLS connection, and whatever comes back read without
//! interpretation, so a test can send what no HTTP client would (broken request lines, bare carriage returns,
//! an HTTP/2 preface, a TLS 1.1 ClientHello) and check that the gateway answers with a clear status or closes.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// What came back after raw bytes were written.
#[derive(Debug, Default)]
pub struct RawReply {
    /// Everything read.
    pub bytes: Vec<u8>,
    /// The server ended the connection (end of stream or reset) before the time was up.
    pub closed: bool,
}

impl RawReply {
    /// The status of the first response, if one began.
    pub fn status(&self) -> Option<u16> {
        let text = std::str::from_utf8(self.bytes.get(..12)?).ok()?;
        let code = text
            .strip_prefix("HTTP/1.1 ")
            .or_else(|| text.strip_prefix("HTTP/1.0 "))?;
        code.get(..3)?.parse().ok()
    }

    /// The response head (status line and headers) as text.
    pub fn head(&self) -> String {
        let end = find(&self.bytes, b"\r\n\r\n").unwrap_or(self.bytes.len());
        String::from_utf8_lossy(&self.bytes[..end]).into_owned()
    }

    /// The body as text (lossy).
    pub fn body(&self) -> String {
        match find(&self.bytes, b"\r\n\r\n") {
            Some(end) => String::from_utf8_lossy(&self.bytes[end + 4..]).into_owned(),
            None => String::new(),
        }
    }

    /// A header of the first response (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head().lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    /// The status line, or what happened instead, for assertion messages.
    pub fn describe(&self) -> String {
        if self.bytes.is_empty() {
            return if self.closed {
                "closed without a reply".into()
            } else {
                "no reply yet".into()
            };
        }
        self.head().lines().next().unwrap_or_default().to_owned()
    }

    /// Either a clean close without a byte, or a response whose status `accept` allows.
    pub fn refused_cleanly(&self, accept: impl Fn(u16) -> bool) -> bool {
        match self.status() {
            Some(status) => accept(status),
            None => self.bytes.is_empty() && self.closed,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether `bytes` hold one complete response (head and a body as long as `Content-Length` says).
fn complete(bytes: &[u8]) -> bool {
    let Some(end) = find(bytes, b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(length) => bytes.len() >= end + 4 + length,
        None => {
            head.starts_with("http/1.1 1")
                || head.starts_with("http/1.1 204")
                || head.starts_with("http/1.1 304")
        }
    }
}

/// Reads until one response is complete, the server closes, or `timeout` passes.
pub async fn read_reply<S: AsyncRead + Unpin>(stream: &mut S, timeout: Duration) -> RawReply {
    let deadline = Instant::now() + timeout;
    let mut reply = RawReply::default();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                reply.closed = true;
                return reply;
            }
            Ok(Ok(n)) => {
                reply.bytes.extend_from_slice(&buffer[..n]);
                if complete(&reply.bytes) {
                    return reply;
                }
            }
            Err(_) => return reply,
        }
    }
}

/// Writes `request` and reads the reply. A write the server cut short (it answered and closed before
/// reading everything) still reads what it answered.
pub async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    request: &[u8],
    timeout: Duration,
) -> RawReply {
    let written = stream.write_all(request).await.and(stream.flush().await);
    let mut reply = read_reply(stream, timeout).await;
    if written.is_err() {
        reply.closed = true;
    }
    reply
}

/// One raw exchange on a new plain TCP connection.
pub async fn plain(address: SocketAddr, request: &[u8], timeout: Duration) -> RawReply {
    let mut stream = TcpStream::connect(address)
        .await
        .expect("connect to the gateway");
    exchange(&mut stream, request, timeout).await
}

/// A TLS client trusting the gateway's development certificate, offering `alpn` (none when empty) and only
/// the given protocol versions.
pub fn tls_config(
    cert_path: &Path,
    alpn: &[&[u8]],
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Arc<rustls::ClientConfig> {
    let pem = std::fs::read(cert_path).expect("development certificate");
    let mut roots = rustls::RootCertStore::empty();
    use rustls::pki_types::pem::PemObject as _;
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.expect("certificate")).expect("add root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}

/// The gateway's development certificate.
pub fn dev_cert(gateway: &crate::common::Gateway) -> std::path::PathBuf {
    gateway.data_dir().join("dev-tls").join("cert.pem")
}

/// A TLS connection to the HTTPS listener, or the handshake error.
pub async fn tls_connect(
    address: SocketAddr,
    config: Arc<rustls::ClientConfig>,
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(address).await?;
    let name = ServerName::try_from("localhost").expect("server name");
    tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
}

/// One raw exchange inside a new TLS connection.
pub async fn tls(
    address: SocketAddr,
    config: Arc<rustls::ClientConfig>,
    request: &[u8],
    timeout: Duration,
) -> RawReply {
    let mut stream = tls_connect(address, config).await.expect("TLS handshake");
    exchange(&mut stream, request, timeout).await
}

/// A ClientHello as a client that knows only `version` sends it (0x0300 SSL 3.0, 0x0301 TLS 1.0, 0x0302
/// TLS 1.1): that version in the record and the hello, no `supported_versions` extension, and the CBC and GCM
/// suites such a client offers.
pub fn legacy_client_hello(version: u16) -> Vec<u8> {
    client_hello(
        version,
        &[
            0xC02B, 0xC02F, 0xC009, 0xC013, 0xC00A, 0xC014, 0x002F, 0x0035,
        ],
    )
}

/// A ClientHello for `version` (without `supported_versions`, so at most TLS 1.2) offering only `suites`.
pub fn client_hello(version: u16, suites: &[u16]) -> Vec<u8> {
    fn u16_be(out: &mut Vec<u8>, value: usize) {
        out.extend_from_slice(&u16::try_from(value).expect("fits").to_be_bytes());
    }
    fn extension(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
        out.extend_from_slice(&kind.to_be_bytes());
        u16_be(out, data.len());
        out.extend_from_slice(data);
    }
    let mut body = Vec::new();
    body.extend_from_slice(&version.to_be_bytes());
    body.extend_from_slice(&[0x5a; 32]);
    body.push(0);
    u16_be(&mut body, suites.len() * 2);
    for suite in suites {
        body.extend_from_slice(&suite.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]);
    let mut extensions = Vec::new();
    let name = b"localhost";
    let mut sni = Vec::new();
    u16_be(&mut sni, name.len() + 3);
    sni.push(0);
    u16_be(&mut sni, name.len());
    sni.extend_from_slice(name);
    extension(&mut extensions, 0x0000, &sni);
    extension(&mut extensions, 0x000a, &[0, 4, 0x00, 0x1d, 0x00, 0x17]);
    extension(&mut extensions, 0x000b, &[1, 0]);
    extension(
        &mut extensions,
        0x000d,
        &[0, 6, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01],
    );
    u16_be(&mut body, extensions.len());
    body.extend_from_slice(&extensions);

    let mut handshake = vec![1];
    handshake.extend_from_slice(&u32::try_from(body.len()).expect("fits").to_be_bytes()[1..]);
    handshake.extend_from_slice(&body);
    let mut record = vec![0x16];
    record.extend_from_slice(&version.min(0x0301).to_be_bytes());
    u16_be(&mut record, handshake.len());
    record.extend_from_slice(&handshake);
    record
}

/// What a server answered to a ClientHello.
#[derive(Debug, PartialEq, Eq)]
pub enum HelloAnswer {
    /// A TLS alert with this description (70 = protocol_version, 40 = handshake_failure).
    Alert(u8),
    /// A ServerHello: the server agreed to talk.
    ServerHello,
    /// The connection closed without a record.
    Closed,
    /// Something else.
    Other(Vec<u8>),
}

/// Sends a raw ClientHello on a new connection and reads the first record of the answer.
pub async fn hello(address: SocketAddr, client_hello: &[u8], timeout: Duration) -> HelloAnswer {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    if stream.write_all(client_hello).await.is_err() {
        return HelloAnswer::Closed;
    }
    let mut header = [0u8; 7];
    let mut read = 0;
    while read < header.len() {
        match tokio::time::timeout(timeout, stream.read(&mut header[read..])).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => read += n,
        }
    }
    match (read, header[0]) {
        (0, _) => HelloAnswer::Closed,
        (7, 0x15) => HelloAnswer::Alert(header[6]),
        (n, 0x16) if n >= 6 && header[5] == 2 => HelloAnswer::ServerHello,
        (n, _) => HelloAnswer::Other(header[..n].to_vec()),
    }
}
