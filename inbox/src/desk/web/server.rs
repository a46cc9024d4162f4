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
const MAX_CONNECTIONS: usize = 64;
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
    let posts = Arc::new(Semaphore::new(MAX_POSTS));
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return,
            },
            _ = shutdown.changed() => return,
        };
        let accepted = tokio::select! {
            accepted = socket.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                tracing::warn!(%error, "the desk could not accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let tls = tls.clone();
        let web = Arc::clone(&web);
        let posts = Arc::clone(&posts);
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let _permit = permit;
            match tokio::time::timeout(HEADER_TIMEOUT, tls.accept(stream)).await {
                Ok(Ok(stream)) => serve(stream, web, posts, shutdown).await,
                Ok(Err(_)) | Err(_) => tracing::debug!("desk: TLS handshake failed or timed out"),
            }
        });
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
