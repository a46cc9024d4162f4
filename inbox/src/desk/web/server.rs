//! The desk's listener: accept, bound, time out, read the request, hand it to the router on a blocking
//! thread.
//!
//! At most [`MAX_CONNECTIONS`] connections are served at once; beyond that new ones wait in the kernel's
//! backlog. A client must finish the TLS handshake and each request head within [`HEADER_TIMEOUT`], send
//! a body of at most [`MAX_BODY`] bytes within [`BODY_TIMEOUT`], and no connection lives past
//! [`CONNECTION_LIFETIME`]. At most [`MAX_POSTS`] POSTs are handled at once, since a login or an enrolment
//! takes an Argon2id computation of 19 MiB. Nothing of a request (cookie, body, address) is logged.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio_rustls::TlsAcceptor;

use super::http::Reply;
use super::router::{self, Request};
use super::Web;

/// Connections served at once.
const MAX_CONNECTIONS: usize = 256;
/// Connections served at once from one address: a centre's whole staff behind one address stays well
/// under it, and one machine holding connections open cannot take every slot.
const MAX_PER_SOURCE: usize = 32;
/// The TLS handshake must be done within this.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// POST requests handled at once.
const MAX_POSTS: usize = 4;
/// The TLS handshake and each request head must arrive within this.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A request body must arrive within this.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// No connection lives longer.
const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);
/// The largest request head.
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The largest form body: a reply or note of the longest allowed text (20,000 characters, up to four
/// bytes each, each byte up to three when form-encoded) fits; every other desk form is well under 4 KiB.
const MAX_BODY: usize = 256 * 1024;

/// Accepts connections until `shutdown` turns true.
pub(super) async fn run(
    socket: TcpListener,
    tls: TlsAcceptor,
    web: Arc<Web>,
    mut shutdown: watch::Receiver<bool>,
) {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let sources = Sources::default();
    let posts = Arc::new(Semaphore::new(MAX_POSTS));
    loop {
        let accepted = tokio::select! {
            accepted = socket.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "the desk could not accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Over either limit the connection is closed at once, before any TLS work.
        let Some(source) = sources.enter(peer.ip()) else {
            tracing::debug!("desk: too many connections from one address; one closed");
            continue;
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            tracing::debug!("desk: every connection slot is taken; one closed");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let tls = tls.clone();
        let web = Arc::clone(&web);
        let posts = Arc::clone(&posts);
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let _held = (permit, source);
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(stream)).await {
                Ok(Ok(stream)) => serve(stream, web, posts, shutdown).await,
                Ok(Err(_)) | Err(_) => tracing::debug!("desk: TLS handshake failed or timed out"),
            }
        });
    }
}

/// Connections open per address.
#[derive(Clone, Default)]
struct Sources(Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>);

/// One connection's place in its address's count, given back when dropped.
struct Source {
    sources: Sources,
    ip: std::net::IpAddr,
}

impl Sources {
    /// Counts a connection from `ip`; `None` when the address holds [`MAX_PER_SOURCE`] already.
    fn enter(&self, ip: std::net::IpAddr) -> Option<Source> {
        let mut open = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(ip).or_insert(0);
        if *count >= MAX_PER_SOURCE {
            return None;
        }
        *count += 1;
        Some(Source {
            sources: self.clone(),
            ip,
        })
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        let mut open = self
            .sources
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

async fn serve<I>(io: I, web: Arc<Web>, posts: Arc<Semaphore>, mut shutdown: watch::Receiver<bool>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let web = Arc::clone(&web);
        let posts = Arc::clone(&posts);
        async move { Ok::<_, Infallible>(answer(web, posts, request).await) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_HEADER_BYTES)
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let lifetime = tokio::time::sleep(CONNECTION_LIFETIME);
    tokio::pin!(lifetime);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(kind = %error, "desk: connection closed with an error");
            }
            return;
        }
        _ = &mut lifetime => {}
        _ = shutdown.changed() => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(BODY_TIMEOUT, connection.as_mut()).await;
}

/// Reads the request within its limits and answers it.
async fn answer(
    web: Arc<Web>,
    posts: Arc<Semaphore>,
    request: hyper::Request<Incoming>,
) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let simple =
        |status: StatusCode| Reply::page(status, String::new()).into_response(&web.headers);
    let body =
        match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY).collect()).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(_)) => return simple(StatusCode::PAYLOAD_TOO_LARGE),
            Err(_) => return simple(StatusCode::REQUEST_TIMEOUT),
        };
    let _post = if parts.method == Method::POST {
        match Arc::clone(&posts).acquire_owned().await {
            Ok(permit) => Some(permit),
            Err(_) => return simple(StatusCode::SERVICE_UNAVAILABLE),
        }
    } else {
        None
    };
    let request = Request {
        method: parts.method,
        target: parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
        headers: parts.headers,
        body,
    };
    let handler_web = Arc::clone(&web);
    match tokio::task::spawn_blocking(move || router::handle(&handler_web, &request)).await {
        Ok(reply) => reply.into_response(&web.headers),
        Err(_) => {
            tracing::error!("a desk request handler panicked");
            simple(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn one_address_holds_at_most_its_share_of_connections_and_gets_them_back_when_they_close() {
        let sources = Sources::default();
        let busy: std::net::IpAddr = "192.0.2.7".parse().unwrap();
        let other: std::net::IpAddr = "192.0.2.8".parse().unwrap();
        let held: Vec<Source> = (0..MAX_PER_SOURCE)
            .map(|_| sources.enter(busy).expect("under the share"))
            .collect();
        assert!(sources.enter(busy).is_none(), "one more is refused");
        assert!(sources.enter(other).is_some(), "another address is not");
        drop(held);
        assert!(
            sources.enter(busy).is_some(),
            "closed connections give their places back"
        );
        assert!(
            sources.0.lock().unwrap().get(&other).is_none(),
            "nothing kept for closed ones"
        );
    }
}
