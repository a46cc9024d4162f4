//! A visitor whose requests may fail: the gateway under a flood may make it wait, and the crash test kills
//! the gateway under its feet. Every failure is returned as text instead of panicking, and every request has
//! a deadline.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;

use crate::common::{Gateway, Reply};

/// Talks HTTPS to one gateway, one connection per request, like the harness.
#[derive(Clone)]
pub struct Visitor {
    https: SocketAddr,
    tls: Arc<rustls::ClientConfig>,
    /// The longest one request may take, connection included.
    pub timeout: Duration,
    /// The local address to connect from; the kernel's choice when `None`. Any 127.x.y.z works on
    /// loopback, so tests can play clients from different networks.
    pub from: Option<IpAddr>,
}

impl Visitor {
    /// A visitor of `gateway`, trusting its development certificate.
    pub fn of(gateway: &Gateway) -> Visitor {
        let cert = super::raw::dev_cert(gateway);
        Visitor {
            https: gateway.https,
            tls: super::raw::tls_config(
                &cert,
                &[b"http/1.1"],
                &[&rustls::version::TLS13, &rustls::version::TLS12],
            ),
            timeout: Duration::from_secs(30),
            from: None,
        }
    }

    /// The same visitor, connecting from `address` (another network as far as the gateway can tell).
    pub fn from(mut self, address: IpAddr) -> Visitor {
        self.from = Some(address);
        self
    }

    /// Sends one request on a new connection.
    pub async fn send(&self, request: Request<Full<Bytes>>) -> Result<Reply, String> {
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(format!("no answer within {:?}", self.timeout)),
        }
    }

    async fn exchange(&self, request: Request<Full<Bytes>>) -> Result<Reply, String> {
        let tcp = match self.from {
            None => tokio::net::TcpStream::connect(self.https).await,
            Some(from) => {
                let socket = tokio::net::TcpSocket::new_v4().map_err(|e| format!("socket: {e}"))?;
                socket
                    .bind(SocketAddr::new(from, 0))
                    .map_err(|e| format!("bind: {e}"))?;
                socket.connect(self.https).await
            }
        }
        .map_err(|e| format!("connect: {e}"))?;
        let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
        let stream = tokio_rustls::TlsConnector::from(Arc::clone(&self.tls))
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS handshake: {e}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake: {e}"))?;
        tokio::spawn(connection);
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("request: {e}"))?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?
            .to_bytes();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// A page.
    pub async fn get(&self, path: &str) -> Result<Reply, String> {
        let request = Request::get(path)
            .header("host", "localhost")
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        self.send(request).await
    }

    /// A form post as the gateway's own page sends it.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Result<Reply, String> {
        self.send(crate::common::form_request(path, fields)).await
    }

    /// The contact form, as the landing page's button opens it (an empty post).
    pub async fn open_contact(&self) -> Result<Reply, String> {
        self.post("/sv/contact", &[]).await
    }

    /// The code form, as the landing page's button opens it (an empty post).
    pub async fn open_return(&self) -> Result<Reply, String> {
        self.post("/sv/return", &[]).await
    }

    /// Loads the contact form and sends `message` with its token; the answer is the code page when the
    /// message was kept.
    pub async fn first_contact(&self, message: &str) -> Result<Reply, String> {
        let form = self.open_contact().await?;
        let token = hidden(&form.body, "token").ok_or("no token on the contact form")?;
        self.post(
            "/sv/contact",
            &[
                ("token", &token),
                ("group", "exposed"),
                ("message", message),
                ("reply_language", "sv"),
                ("website", ""),
            ],
        )
        .await
    }
}

/// The value of the first hidden input named `name`, if there is one.
pub fn hidden(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("name=\"{name}\""))?;
    let start = body[..at].rfind('<')?;
    let end = at + body[at..].find('>')?;
    let tag = &body[start..end];
    let value = tag.find("value=\"")? + 7;
    let value_end = value + tag[value..].find('"')?;
    Some(tag[value..value_end].to_owned())
}
