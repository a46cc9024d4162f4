//! Listeners and connections: accept, bound, time out, hand each request to the router.
//!
//! Every connection holds a permit from one semaphore shared by all listeners, so the gateway never serves more
//! than `limits.max_connections` at once; beyond that, new connections wait in the kernel's backlog. A client
//! must finish the TLS handshake and each request head within `header_timeout_secs`, send a body within
//! `body_timeout_secs` (enforced by the router), and no connection lives past `connection_lifetime_secs`: a
//! slow client cannot hold a connection open. Client addresses are never read, so they cannot be logged.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use super::headers::Transport;
use super::router;
use super::tls::ReloadableTls;
use super::Web;

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
        // The peer address is dropped unread: it is never logged or stored.
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::warn!(%error, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let web = Arc::clone(&web);
        let tls = listener.tls.clone();
        let transport = listener.transport;
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let handshake_timeout = web.app.limits().header_timeout;
            match tls {
                Some(tls) => {
                    let acceptor = tokio_rustls::TlsAcceptor::from(tls.current());
                    match tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => serve_connection(stream, web, transport, shutdown).await,
                        // A failed or slow handshake says nothing worth logging about a visitor.
                        Ok(Err(_)) | Err(_) => {
                            tracing::debug!("TLS handshake failed or timed out");
                        }
                    }
                }
                None => serve_connection(stream, web, transport, shutdown).await,
            }
        });
    }
}

/// Serves HTTP/1.1 on one established connection (TCP, TLS or an onion stream).
pub async fn serve_connection<I>(
    io: I,
    web: Arc<Web>,
    transport: Transport,
    mut shutdown: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let limits = web.app.limits().clone();
    let service = service_fn(move |request: Request<Incoming>| {
        let web = Arc::clone(&web);
        async move { Ok::<_, Infallible>(router::handle(web, transport, request).await) }
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
