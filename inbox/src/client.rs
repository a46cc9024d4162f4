//! The inbox's side of the internal API: pull, ack, push a reply, over one kept-alive mutual-TLS connection.
//!
//! The client verifies the gateway's certificate against the configured CA only (no system roots) and
//! presents the inbox's client certificate. A broken connection is dropped and made again on the next call;
//! whether to wait first is the caller's decision ([`ClientError::is_transient`]).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::client::conn::http1::SendRequest;
use hyper::{header, Method, Request, StatusCode};

use super::endpoint::{self, Endpoint, ExchangeError};
use porten_protocol::envelope::EnvelopeId;
use porten_protocol::tls::{self as gateway_tls, PemError};
use porten_protocol::wire::{
    self, AckRequest, EnvelopeAck, ErrorBody, OutboxBatch, ReplyOutcome, ReplyRequest,
};

/// How long a request other than a pull may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How much longer than its wait a pull may take.
const PULL_MARGIN: Duration = Duration::from_secs(30);
/// The largest error or small response body read.
const MAX_SMALL_BODY: usize = 64 * 1024;

/// Why a call to the gateway failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The TLS files could not be read.
    #[error("{0}")]
    Files(#[from] PemError),
    /// The TLS configuration could not be built from them.
    #[error("the client certificate and key cannot be used together: {0}")]
    Config(String),
    /// The gateway's address is not a usable URL.
    #[error("gateway: {0}")]
    Address(String),
    /// No connection, a failed handshake, a timeout or a broken exchange: try again later.
    #[error("{0}")]
    Exchange(#[from] ExchangeError),
    /// The ticket no longer exists at the gateway: the visitor deleted it or it expired.
    #[error("the ticket no longer exists at the gateway: the visitor deleted the conversation or it expired")]
    NoSuchTicket,
    /// The gateway answered with an error.
    #[error("the gateway answered {status}: {message}")]
    Refused {
        /// The HTTP status.
        status: StatusCode,
        /// The error code from the body, if any.
        code: String,
        /// The gateway's explanation.
        message: String,
    },
    /// The gateway's answer could not be understood.
    #[error("the gateway's answer could not be read: {0}")]
    BadAnswer(String),
}

impl ClientError {
    /// Whether trying again later may succeed: network trouble and server-side failures, not refusals of
    /// what was sent.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Exchange(_) => true,
            ClientError::Refused { status, .. } => {
                status.is_server_error() || *status == StatusCode::REQUEST_TIMEOUT
            }
            _ => false,
        }
    }
}

/// The TLS files that make the inbox known to the gateway.
#[derive(Debug, Clone, Copy)]
pub struct ClientTls<'a> {
    /// The CA that issued the gateway's certificate.
    pub gateway_ca: &'a Path,
    /// The inbox's certificate.
    pub client_cert: &'a Path,
    /// Its key.
    pub client_key: &'a Path,
}

/// A client of the gateway's internal API.
pub struct GatewayClient {
    endpoint: Endpoint,
    tls: Arc<rustls::ClientConfig>,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// A rustls client configuration: `ca` as the only root, and optionally a client certificate.
pub fn client_tls_config(
    ca: &Path,
    client: Option<(&Path, &Path)>,
) -> Result<rustls::ClientConfig, ClientError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in gateway_tls::load_certificates(ca)? {
        roots
            .add(cert)
            .map_err(|e| ClientError::Config(format!("{}: {e}", ca.display())))?;
    }
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(gateway_tls::provider()))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| ClientError::Config(e.to_string()))?
        .with_root_certificates(roots);
    let mut config = match client {
        Some((cert, key)) => {
            let certs = gateway_tls::load_certificates(cert)?;
            let key = gateway_tls::load_private_key(key)?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| ClientError::Config(e.to_string()))?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

impl GatewayClient {
    /// A client for the gateway at `url` (`https://host:port`). Reads the TLS files now; connects lazily.
    pub fn new(url: &str, files: ClientTls<'_>) -> Result<GatewayClient, ClientError> {
        let endpoint = Endpoint::parse(url).map_err(ClientError::Address)?;
        if endpoint.scheme != endpoint::Scheme::Https {
            return Err(ClientError::Address(
                "the internal API is reached over https:// only".into(),
            ));
        }
        let tls = client_tls_config(
            files.gateway_ca,
            Some((files.client_cert, files.client_key)),
        )?;
        Ok(GatewayClient {
            endpoint,
            tls: Arc::new(tls),
            sender: None,
        })
    }

    /// A client from an already built TLS configuration (tests use this to present other certificates).
    pub fn with_tls(
        url: &str,
        tls: Arc<rustls::ClientConfig>,
    ) -> Result<GatewayClient, ClientError> {
        let endpoint = Endpoint::parse(url).map_err(ClientError::Address)?;
        Ok(GatewayClient {
            endpoint,
            tls,
            sender: None,
        })
    }

    /// Drops the connection; the next call makes a new one.
    pub fn disconnect(&mut self) {
        self.sender = None;
    }

    /// Sends one request. Every call of the internal API is safe to repeat (pulls read, acks and replies are
    /// idempotent), so a failure on a kept-alive connection, which the gateway may have closed meanwhile, is
    /// tried once more on a fresh one.
    async fn call(
        &mut self,
        method: Method,
        path_and_query: &str,
        body: Option<Vec<u8>>,
        timeout: Duration,
        max_body: usize,
    ) -> Result<endpoint::Answer, ClientError> {
        let body = Bytes::from(body.unwrap_or_default());
        let mut reused = self
            .sender
            .as_ref()
            .is_some_and(|sender| !sender.is_closed());
        loop {
            if !reused {
                self.sender = None;
                self.sender = Some(endpoint::connect(&self.endpoint, Some(&self.tls)).await?);
            }
            let mut builder = Request::builder()
                .method(method.clone())
                .uri(path_and_query)
                .header(header::HOST, self.endpoint.authority())
                .header(header::ACCEPT, "application/json");
            if !body.is_empty() {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
            }
            let request = builder
                .body(Full::new(body.clone()))
                .map_err(|e| ClientError::BadAnswer(e.to_string()))?;
            let Some(sender) = self.sender.as_mut() else {
                return Err(ClientError::Exchange(ExchangeError::Http(
                    "no connection".into(),
                )));
            };
            match endpoint::exchange(sender, request, timeout, max_body).await {
                Ok(answer) => return Ok(answer),
                Err(error) => {
                    // Whatever state the connection is in now, it is not worth reusing.
                    self.sender = None;
                    let stale = reused
                        && !matches!(
                            error,
                            ExchangeError::Timeout(_) | ExchangeError::TooLarge(_)
                        );
                    if !stale {
                        return Err(error.into());
                    }
                    tracing::debug!(%error, "the kept-alive connection failed; trying a fresh one");
                    reused = false;
                }
            }
        }
    }

    /// Sealed envelopes after `after`, waiting up to `wait` for the first.
    pub async fn pull(&mut self, after: u64, wait: Duration) -> Result<OutboxBatch, ClientError> {
        let path = format!(
            "{}?after={after}&wait={}",
            wire::PATH_OUTBOX,
            wait.as_secs()
        );
        let answer = self
            .call(
                Method::GET,
                &path,
                None,
                wait + PULL_MARGIN,
                wire::MAX_RESPONSE_BODY,
            )
            .await?;
        parse_ok(answer, StatusCode::OK)
    }

    /// Tells the gateway these envelopes are delivered, each by its seq and the envelope id read from inside
    /// it; returns how many it deleted.
    pub async fn ack(&mut self, delivered: &[(u64, EnvelopeId)]) -> Result<usize, ClientError> {
        let body = serde_json::to_vec(&AckRequest {
            acks: delivered
                .iter()
                .map(|(seq, id)| EnvelopeAck::new(*seq, id))
                .collect(),
        })
        .map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        let answer = self
            .call(
                Method::POST,
                wire::PATH_ACK,
                Some(body),
                REQUEST_TIMEOUT,
                MAX_SMALL_BODY,
            )
            .await?;
        let response: wire::AckResponse = parse_ok(answer, StatusCode::OK)?;
        Ok(response.deleted)
    }

    /// Pushes a sealed reply. `Duplicate` means a reply with this id was already stored.
    pub async fn push_reply(&mut self, reply: &ReplyRequest) -> Result<ReplyOutcome, ClientError> {
        let body = serde_json::to_vec(reply).map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        let answer = self
            .call(
                Method::POST,
                wire::PATH_REPLIES,
                Some(body),
                REQUEST_TIMEOUT,
                MAX_SMALL_BODY,
            )
            .await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Err(ClientError::NoSuchTicket);
        }
        let expected = if answer.status == StatusCode::CREATED {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        let response: wire::ReplyResponse = parse_ok(answer, expected)?;
        Ok(response.outcome)
    }

    /// The gateway's health document.
    pub async fn health(&mut self) -> Result<wire::Health, ClientError> {
        let answer = self
            .call(
                Method::GET,
                wire::PATH_HEALTH,
                None,
                REQUEST_TIMEOUT,
                MAX_SMALL_BODY,
            )
            .await?;
        parse_ok(answer, StatusCode::OK)
    }

    /// The gateway's metrics, as Prometheus text.
    pub async fn metrics(&mut self) -> Result<String, ClientError> {
        let answer = self
            .call(
                Method::GET,
                wire::PATH_METRICS,
                None,
                REQUEST_TIMEOUT,
                MAX_SMALL_BODY,
            )
            .await?;
        if answer.status != StatusCode::OK {
            return Err(refused(&answer));
        }
        String::from_utf8(answer.body.to_vec())
            .map_err(|_| ClientError::BadAnswer("not UTF-8".into()))
    }
}

fn refused(answer: &endpoint::Answer) -> ClientError {
    let (code, message) = match wire::from_json::<ErrorBody>(&answer.body) {
        Ok(body) => (body.error, body.message),
        Err(_) => (String::new(), "no explanation given".into()),
    };
    ClientError::Refused {
        status: answer.status,
        code,
        message,
    }
}

fn parse_ok<T: serde::de::DeserializeOwned>(
    answer: endpoint::Answer,
    expected: StatusCode,
) -> Result<T, ClientError> {
    if answer.status != expected {
        return Err(refused(&answer));
    }
    wire::from_json(&answer.body).map_err(|e| ClientError::BadAnswer(e.to_string()))
}
