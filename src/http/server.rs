//! Listeners and connections: accept, bound, time out, hand each request to the router.
//!
//! Every connection holds a permit from its listener's pool (a semaphore), so the gateway never serves more
//! than `limits.max_connections` at once on HTTPS, nor on plain HTTP; beyond that, new connections wait in the
//! kernel's backlog. The onion service has a pool of its own (see [`crate::onion`]), so a flood through one
//! way in does not close the others. Within the pool, one network (a /24 or /56) holds at most
//! `limits.per_source.connections` at once ([`ConnectionShares`]); a connection beyond its share is closed at
//! once. A client must send its first byte within `first_byte_timeout_secs`, finish the TLS handshake and each
//! request head within `header_timeout_secs`, send a body within `body_timeout_secs` (enforced by the router),
//! and no connection lives past `connection_lifetime_secs`: a slow client cannot hold a connection open.
//!
//! The peer address is read only to name its network's budgets ([`Source`]), which keep it under an hourly
//! keyed hash in memory; it is never logged or stored.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use super::headers::Transport;
use super::router;
use super::tls::ReloadableTls;
use super::Web;
use crate::budget::{ConnectionShares, Source};

/// What one listener needs to serve.
pub struct Listener {
    /// The bound socket.
    pub socket: TcpListener,
    /// TLS for the HTTPS listener; `None` for plain HTTP.
    pub tls: Option<ReloadableTls>,
    /// Which headers and scheme apply.
    pub transport: Transport,
}

/// Accepts connections until `shutdown` turns true, serving each on its own task.
pub async fn run_listener(
    listener: Listener,
    web: Arc<Web>,
    connections: Arc<Semaphore>,
    shares: Arc<ConnectionShares>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return,
            },
            _ = shutdown.changed() => return,
        };
        let accepted = tokio::select! {
            accepted = listener.socket.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::warn!(%error, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // The plain-HTTP listener is on loopback behind a C tor or a proxy: its peer says nothing of the visitor.
        let source = match listener.transport {
            Transport::Https => Source::Address(peer.ip()),
            Transport::Http | Transport::Onion => Source::Unknown,
        };
        let Some(share) = shares.try_enter(source) else {
            // Closed before anything is read: the source holds its share of connections already.
            tracing::debug!("a network holds its share of connections; closing a new one");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let web = Arc::clone(&web);
        let tls = listener.tls.clone();
        let transport = listener.transport;
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let _share = share;
            let limits = web.app.limits();
            let handshake_timeout = limits.header_timeout;
            let mut first = [0u8; 1];
            match tokio::time::timeout(limits.first_byte_timeout, stream.peek(&mut first)).await {
                Ok(Ok(read)) if read > 0 => {}
                // Nothing within the first-byte time, or closed: the slot goes back at once.
                _ => {
                    tracing::debug!("connection closed: no first byte in time");
                    return;
                }
            }
            match tls {
                Some(tls) => {
                    let acceptor = tokio_rustls::TlsAcceptor::from(tls.current());
                    match tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            serve_connection(stream, web, transport, source, shutdown).await;
                        }
                        // A failed or slow handshake says nothing worth logging about a visitor.
                        Ok(Err(_)) | Err(_) => {
                            tracing::debug!("TLS handshake failed or timed out");
                        }
                    }
                }
                None => serve_connection(stream, web, transport, source, shutdown).await,
            }
        });
    }
}

/// Serves HTTP/1.1 on one established connection (TCP, TLS or an onion stream).
pub async fn serve_connection<I>(
    io: I,
    web: Arc<Web>,
    transport: Transport,
    source: Source,
    mut shutdown: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let limits = web.app.limits().clone();
    let service = service_fn(move |request: Request<Incoming>| {
        let web = Arc::clone(&web);
        async move { Ok::<_, Infallible>(router::handle(web, transport, source, request).await) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes)
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let lifetime = tokio::time::sleep(limits.connection_lifetime);
    tokio::pin!(lifetime);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                log_connection_error(&error);
            }
            return;
        }
        _ = &mut lifetime => {}
        _ = shutdown.changed() => {}
    }
    // Lifetime over or shutting down: finish the request in flight, then close.
    connection.as_mut().graceful_shutdown();
    if let Ok(Err(error)) = tokio::time::timeout(limits.body_timeout, connection.as_mut()).await {
        log_connection_error(&error);
    }
}

/// Waits up to `timeout` for a stream's first byte. Returns the stream with that byte put back in front, or
/// `None` when nothing came in time or the stream closed.
pub async fn first_byte<I>(mut io: I, timeout: Duration) -> Option<Prefixed<I>>
where
    I: AsyncRead + Unpin,
{
    let mut first = [0u8; 1];
    match tokio::time::timeout(timeout, io.read(&mut first)).await {
        Ok(Ok(1)) => Some(Prefixed {
            first: Some(first[0]),
            io,
        }),
        _ => None,
    }
}

/// A stream with one byte already read from it and given back on the first read.
pub struct Prefixed<I> {
    first: Option<u8>,
    io: I,
}

impl<I: AsyncRead + Unpin> AsyncRead for Prefixed<I> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() > 0 {
            if let Some(byte) = this.first.take() {
                buf.put_slice(&[byte]);
                return Poll::Ready(Ok(()));
            }
        }
        Pin::new(&mut this.io).poll_read(cx, buf)
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Prefixed<I> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

fn log_connection_error(error: &hyper::Error) {
    // hyper's errors describe protocol events (timeouts, malformed heads), never request content.
    if error.is_timeout() {
        tracing::debug!("connection closed: timed out");
    } else if error.is_parse() || error.is_parse_too_large() {
        tracing::debug!(kind = %error, "connection closed: malformed request");
    } else {
        tracing::debug!(kind = %error, "connection closed with an error");
    }
}
