//! The internal API: the one door between the gateway and the centre's internal side.
//!
//! A separate listener with mutual TLS. Only a client certificate issued by the configured CA and holding a
//! pinned key (`internal_api.client_spki`, see `pinned`) gets past the handshake; a client without one, with
//! one from any other CA, or with another key from the same CA, is refused before a byte of HTTP is read.
//! Behind it, `porten-inbox` pulls sealed envelopes (long-poll), acks what it has delivered, and pushes staff
//! replies that are already sealed with the ticket's reply key. The gateway only ever answers here: it never
//! opens a connection inward. Paths and bodies are defined once, in `porten_protocol::wire`, for both sides.
//!
//! Space: acked envelopes are deleted in the same transaction as the ack. redb puts freed pages on its free
//! list and reuses them for later writes, and shrinks the file when the free space is at its end, so the
//! file does not grow with traffic that has been delivered. Full compaction (`redb::Database::compact`) needs
//! exclusive access to the database, which a serving gateway shares between every request, so it is a
//! maintenance step with the gateway stopped, not something this API does.

mod handlers;
pub mod metrics;
mod pinned;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::app::App;
use crate::config::InternalApiConfig;
use handlers::ApiState;
use metrics::Metrics;
use pinned::PinnedClientVerifier;
use porten_protocol::pin::{PinError, SpkiPin};
use porten_protocol::tls::{self, PemError};

/// Connections served at once. The inbox needs one or two; the rest is room for a monitoring scraper.
const MAX_CONNECTIONS: usize = 32;
/// How long connections may take to finish at shutdown.
const DRAIN_TIME: Duration = Duration::from_secs(5);
/// Extra time a connection gets beyond the longest pull before it is closed and must reconnect.
const LIFETIME_MARGIN: Duration = Duration::from_secs(600);

/// Why the internal API's TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum InternalApiError {
    /// `internal_api.cert`, `internal_api.key`, `internal_api.client_ca` or `internal_api.client_spki` is not
    /// set.
    #[error("internal_api.{0} is not set; `porten-inbox certs --out DIR` makes a development set and `porten-inbox pin` prints the pin")]
    Missing(&'static str),
    /// An entry of `internal_api.client_spki` is not a pin.
    #[error("internal_api.client_spki entry {index} (counting from 0): {source}")]
    BadPin {
        /// Its position in the list.
        index: usize,
        /// What is wrong with it.
        #[source]
        source: PinError,
    },
    /// A certificate or key file could not be read or used.
    #[error("internal_api: {0}")]
    Pem(#[from] PemError),
    /// A certificate in `internal_api.client_ca` is not a usable trust anchor.
    #[error("internal_api.client_ca {path}: not a usable CA certificate: {reason}")]
    BadClientCa {
        /// The file.
        path: PathBuf,
        /// What rustls said.
        reason: String,
    },
    /// rustls refused the configuration (for example a certificate and key that do not match).
    #[error("internal_api: the certificate, key and client CA cannot be used together: {0}")]
    Rustls(String),
}

/// The internal listener's TLS configuration: the gateway's certificate, and client authentication required
/// with `client_ca` as the only trust anchor and `client_spki` as the only keys. TLS 1.3 only: both ends are
/// ours.
pub fn server_config(cfg: &InternalApiConfig) -> Result<ServerConfig, InternalApiError> {
    let cert_path = cfg
        .cert
        .as_deref()
        .ok_or(InternalApiError::Missing("cert"))?;
    let key_path = cfg.key.as_deref().ok_or(InternalApiError::Missing("key"))?;
    let ca_path = cfg
        .client_ca
        .as_deref()
        .ok_or(InternalApiError::Missing("client_ca"))?;
    if cfg.client_spki.is_empty() {
        return Err(InternalApiError::Missing("client_spki"));
    }
    let pins = cfg
        .client_spki
        .iter()
        .enumerate()
        .map(|(index, pin)| {
            SpkiPin::parse(pin).map_err(|source| InternalApiError::BadPin { index, source })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let certs = tls::load_certificates(cert_path)?;
    let key = tls::load_private_key(key_path)?;
    let mut roots = RootCertStore::empty();
    for ca in tls::load_certificates(ca_path)? {
        roots
            .add(ca)
            .map_err(|error| InternalApiError::BadClientCa {
                path: ca_path.to_owned(),
                reason: error.to_string(),
            })?;
    }
    let provider = Arc::new(tls::provider());
    // Without `allow_unauthenticated`, a client that sends no certificate fails the handshake.
    let chain = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
        .build()
        .map_err(|error| InternalApiError::BadClientCa {
            path: ca_path.to_owned(),
            reason: error.to_string(),
        })?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|error| InternalApiError::Rustls(error.to_string()))?
        .with_client_cert_verifier(Arc::new(PinnedClientVerifier::new(chain, pins)))
        .with_single_cert(certs, key)
        .map_err(|error| InternalApiError::Rustls(error.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Serves the internal API on `listener` until `shutdown` turns true (or its sender is dropped), then lets
/// connections finish for a few seconds and returns.
///
/// Logs `listening` with `transport="internal"` and the bound address once it starts. Long-polls in progress
/// answer at once (with what they have) when shutdown begins.
pub async fn run(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    app: Arc<App>,
    mut shutdown: watch::Receiver<bool>,
) {
    match listener.local_addr() {
        Ok(address) => tracing::info!(transport = "internal", %address, "listening"),
        Err(error) => {
            tracing::warn!(transport = "internal", %error, "listening on an unknown address")
        }
    }
    let state = Arc::new(ApiState {
        app,
        metrics: Metrics::new(),
        shutdown: shutdown.clone(),
    });
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    loop {
        if *shutdown.borrow() {
            break;
        }
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = shutdown.changed() => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                tracing::warn!(%error, "internal API: accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let timeout = state.app.limits().header_timeout;
            match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
                Ok(Ok(stream)) => serve_connection(stream, state).await,
                Ok(Err(error)) => {
                    // The reason (no certificate, unknown issuer, …) is what an operator needs to fix a
                    // misconfigured inbox; it holds nothing secret.
                    let reason = handshake_refusal(&error);
                    tracing::warn!(%reason, "internal API: connection refused at the TLS handshake");
                }
                Err(_) => tracing::warn!("internal API: TLS handshake timed out"),
            }
        });
    }
    // Every connection holds a permit; all of them back means all connections have finished.
    let all = u32::try_from(MAX_CONNECTIONS).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN_TIME, connections.acquire_many(all)).await;
    tracing::info!("internal API stopped");
}

async fn serve_connection<I>(io: I, state: Arc<ApiState>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let limits = state.app.limits().clone();
    let max_wait = Duration::from_secs(state.app.config().internal_api.max_wait_secs);
    let mut shutdown = state.shutdown.clone();
    let service_state = Arc::clone(&state);
    let service = service_fn(move |request: Request<Incoming>| {
        let state = Arc::clone(&service_state);
        async move { Ok::<_, std::convert::Infallible>(handlers::handle(state, request).await) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes)
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let lifetime = tokio::time::sleep(limits.connection_lifetime.max(max_wait) + LIFETIME_MARGIN);
    tokio::pin!(lifetime);
    if !*shutdown.borrow() {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(kind = %error, "internal API: connection closed with an error");
                }
                return;
            }
            _ = &mut lifetime => {}
            _ = shutdown.changed() => {}
        }
    }
    // Finish the request in flight (a pull answers at once on shutdown), then close.
    connection.as_mut().graceful_shutdown();
    let finish = limits.body_timeout.max(max_wait) + Duration::from_secs(5);
    let _ = tokio::time::timeout(finish, connection.as_mut()).await;
}

/// Why a handshake failed, in words: rustls shows a verifier's own error (such as a key that is not pinned)
/// only in its debug form, so that one is spelled out here.
fn handshake_refusal(error: &std::io::Error) -> String {
    let inner = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    if let Some(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other))) = inner {
        return format!("invalid peer certificate: {}", other.0);
    }
    error.to_string()
}
