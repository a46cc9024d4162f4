//! Where the inbox connects to, and the plumbing of one HTTP/1.1 connection over TCP or TLS.
//!
//! The inbox talks to exactly two kinds of server: the gateway's internal API (always mutual TLS) and,
//! optionally, the case system's webhook. Both are reached through an [`Endpoint`] parsed from a URL in the
//! configuration; [`connect`] opens the connection and hands back a hyper sender. Every step has a time limit
//! and every response body a size limit.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;

/// How long a TCP connect and a TLS handshake may take, each.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP: only for a webhook on the internal network.
    Http,
    /// HTTP over TLS.
    Https,
}

/// A server to connect to, from a URL such as `https://gateway.internal:8444` or `http://10.0.0.5/hook`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`.
    pub scheme: Scheme,
    /// Host name or IP address (without brackets).
    pub host: String,
    /// Port (default 80 or 443).
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

/// Why a connection or an exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The TCP connection could not be made.
    #[error("cannot connect to {address}: {source}")]
    Connect {
        /// `host:port`.
        address: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The TLS handshake failed (wrong CA, refused client certificate, …).
    #[error("TLS handshake with {address} failed: {source}")]
    Tls {
        /// `host:port`.
        address: String,
        /// What rustls said.
        source: std::io::Error,
    },
    /// A step took longer than allowed.
    #[error("{0} timed out")]
    Timeout(&'static str),
    /// The HTTP exchange failed (connection closed, malformed response, …).
    #[error("HTTP exchange failed: {0}")]
    Http(String),
    /// The response body was over the limit.
    #[error("the response body was over {0} bytes")]
    TooLarge(usize),
}

/// A response with its body read.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The body.
    pub body: Bytes,
}

impl Endpoint {
    /// Parses `scheme://host[:port][/path]`. No user info, no fragment.
    pub fn parse(url: &str) -> Result<Endpoint, String> {
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (Scheme::Http, rest)
        } else {
            return Err(format!("`{url}` must start with https:// or http://"));
        };
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) || url.contains('#') {
            return Err("a URL must not contain spaces, control characters or a #fragment".into());
        }
        let (authority, path) = match rest.find(['/', '?']) {
            Some(at) => rest.split_at(at),
            None => (rest, "/"),
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_owned()
        };
        if authority.contains('@') {
            return Err("a URL must not carry a user name or password".into());
        }
        let default_port = match scheme {
            Scheme::Http => 80,
            Scheme::Https => 443,
        };
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or("an IPv6 address must be closed with ]")?;
            let port = match after.strip_prefix(':') {
                Some(port) => Some(port),
                None if after.is_empty() => None,
                None => return Err("unexpected text after the IPv6 address".into()),
            };
            (host, port)
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port {
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("`{port}` is not a port number"))?,
            None => default_port,
        };
        if host.is_empty() {
            return Err("the URL has no host".into());
        }
        if ServerName::try_from(host.to_owned()).is_err() {
            return Err(format!("`{host}` is not a host name or IP address"));
        }
        Ok(Endpoint {
            scheme,
            host: host.to_owned(),
            port,
            path,
        })
    }

    /// `host:port`, with brackets around an IPv6 address, for the `Host` header and messages.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Opens a connection to `endpoint` (TLS with `tls` for https) and returns a sender for requests on it. The
/// connection runs on its own task until the sender is dropped or the server closes it.
pub async fn connect(
    endpoint: &Endpoint,
    tls: Option<&Arc<rustls::ClientConfig>>,
) -> Result<SendRequest<Full<Bytes>>, ExchangeError> {
    let address = endpoint.authority();
    let tcp = tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect((endpoint.host.as_str(), endpoint.port)),
    )
    .await
    .map_err(|_| ExchangeError::Timeout("connecting"))?
    .map_err(|source| ExchangeError::Connect {
        address: address.clone(),
        source,
    })?;
    let _ = tcp.set_nodelay(true);
    match (endpoint.scheme, tls) {
        (Scheme::Https, Some(tls)) => {
            let name =
                ServerName::try_from(endpoint.host.clone()).map_err(|_| ExchangeError::Tls {
                    address: address.clone(),
                    source: std::io::Error::other("not a valid server name"),
                })?;
            let connector = tokio_rustls::TlsConnector::from(Arc::clone(tls));
            let stream = tokio::time::timeout(CONNECT_TIMEOUT, connector.connect(name, tcp))
                .await
                .map_err(|_| ExchangeError::Timeout("the TLS handshake"))?
                .map_err(|source| ExchangeError::Tls { address, source })?;
            handshake(TokioIo::new(stream)).await
        }
        (Scheme::Https, None) => Err(ExchangeError::Tls {
            address,
            source: std::io::Error::other("no TLS configuration for an https:// endpoint"),
        }),
        (Scheme::Http, _) => handshake(TokioIo::new(tcp)).await,
    }
}

async fn handshake<I>(io: I) -> Result<SendRequest<Full<Bytes>>, ExchangeError>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| ExchangeError::Http(e.to_string()))?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "connection closed");
        }
    });
    Ok(sender)
}

/// Sends `request` on `sender` and reads the whole response within `timeout` and `max_body` bytes.
pub async fn exchange(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
    timeout: Duration,
    max_body: usize,
) -> Result<Answer, ExchangeError> {
    let work = async {
        sender
            .ready()
            .await
            .map_err(|e| ExchangeError::Http(e.to_string()))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| ExchangeError::Http(e.to_string()))?;
        let status = response.status();
        let body = Limited::new(response.into_body(), max_body)
            .collect()
            .await
            .map_err(|error| {
                if error.is::<http_body_util::LengthLimitError>() {
                    ExchangeError::TooLarge(max_body)
                } else {
                    ExchangeError::Http(error.to_string())
                }
            })?
            .to_bytes();
        Ok(Answer { status, body })
    };
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| ExchangeError::Timeout("the request"))?
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn urls_parse_into_scheme_host_port_and_path() {
        let gateway = Endpoint::parse("https://gateway.internal:8444").expect("parses");
        assert_eq!(gateway.scheme, Scheme::Https);
        assert_eq!(gateway.host, "gateway.internal");
        assert_eq!(gateway.port, 8444);
        assert_eq!(gateway.path, "/");
        let hook = Endpoint::parse("http://10.0.0.5/cases/in?source=porten").expect("parses");
        assert_eq!(hook.port, 80);
        assert_eq!(hook.path, "/cases/in?source=porten");
        let v6 = Endpoint::parse("https://[::1]:9000/").expect("parses");
        assert_eq!(v6.host, "::1");
        assert_eq!(v6.authority(), "[::1]:9000");
    }

    #[test]
    fn urls_that_could_mislead_are_refused() {
        for url in [
            "ftp://host/",
            "https://user:pw@host/",
            "https://host:0/",
            "https://host:99999/",
            "https://:8444/",
            "https://host/ path",
            "https://host/#frag",
            "https://[::1/",
        ] {
            assert!(Endpoint::parse(url).is_err(), "{url} should be refused");
        }
    }
}
