//! The internal API's routes: pull, ack, replies, health and metrics.
//!
//! Every request has passed the mutual-TLS handshake before it gets here, so the caller is the inbox. Still,
//! every body is bounded in size and arrival time and checked field by field, because a bug or a stolen client
//! key must not be able to crash or bloat the gateway. Nothing here logs a ticket ref, a key or an id.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use tokio::sync::watch;

use super::metrics::{Metrics, StoreCounts};
use crate::app::App;
use crate::outbox::{OutboxError, PullLimits, StaffReply};
use crate::store::{AckOutcome, ReplyOutcome as StoreReplyOutcome};
use porten_protocol::thread::{self, ThreadError};
use porten_protocol::wire::{self, codes, ErrorBody, OutboxBatch, OutboxEnvelope};

/// Everything a request handler needs.
pub(super) struct ApiState {
    pub(super) app: Arc<App>,
    pub(super) metrics: Metrics,
    pub(super) shutdown: watch::Receiver<bool>,
}

type ApiResponse = Response<Full<Bytes>>;

/// Why a request was answered with an error; becomes an [`ErrorBody`].
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
    }

    fn unavailable() -> Refusal {
        Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::UNAVAILABLE,
            "the gateway's store failed; try again later (the gateway log says why)",
        )
    }
}

/// Routes one request. Never fails: every problem is a JSON error answer.
pub(super) async fn handle(state: Arc<ApiState>, request: Request<Incoming>) -> ApiResponse {
    let result = match (request.uri().path(), request.method()) {
        (wire::PATH_OUTBOX, &Method::GET) => pull(&state, request.uri().query()).await,
        (wire::PATH_ACK, &Method::POST) => ack(&state, request).await,
        (wire::PATH_REPLIES, &Method::POST) => reply(&state, request).await,
        (wire::PATH_HEALTH, &Method::GET) => health(&state).await,
        (wire::PATH_METRICS, &Method::GET) => metrics(&state).await,
        (wire::PATH_OUTBOX | wire::PATH_HEALTH | wire::PATH_METRICS, _) => {
            Err(method_not_allowed("GET"))
        }
        (wire::PATH_ACK | wire::PATH_REPLIES, _) => Err(method_not_allowed("POST")),
        _ => Err(Refusal::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "no such path in the internal API",
        )),
    };
    let mut response = match result {
        Ok(response) => response,
        Err(refusal) => error_response(refusal),
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn method_not_allowed(allow: &'static str) -> Refusal {
    Refusal::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        format!("this path accepts {allow} only"),
    )
}

fn error_response(refusal: Refusal) -> ApiResponse {
    let body = ErrorBody {
        error: refusal.code.to_owned(),
        message: refusal.message,
    };
    json_response(refusal.status, &body)
}

fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> ApiResponse {
    let bytes = match serde_json::to_vec(body) {
        Ok(bytes) => bytes,
        // Only plain data is serialized here; this cannot happen, but must not panic if it did.
        Err(_) => {
            return plain_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain; charset=utf-8",
                b"internal error".to_vec(),
            )
        }
    };
    plain_response(status, "application/json", bytes)
}

fn plain_response(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> ApiResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A failed outbox operation, logged (its errors carry no secrets) and answered with a 503.
fn unavailable(what: &'static str) -> impl FnOnce(OutboxError) -> Refusal {
    move |error| {
        tracing::error!(%error, operation = what, "internal API: the store failed");
        Refusal::unavailable()
    }
}

/// The query of a pull: `after` and `wait`, both optional, nothing else.
#[derive(Debug, Default, PartialEq, Eq)]
struct PullQuery {
    after: u64,
    wait_secs: u64,
}

fn parse_pull_query(query: Option<&str>) -> Result<PullQuery, Refusal> {
    let mut parsed = PullQuery::default();
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = value.parse::<u64>();
        match (name, number) {
            ("after", Ok(n)) => parsed.after = n,
            ("wait", Ok(n)) => parsed.wait_secs = n,
            ("after" | "wait", Err(_)) => {
                return Err(Refusal::bad_request(format!(
                    "query parameter `{name}` must be a whole number"
                )))
            }
            _ => {
                return Err(Refusal::bad_request(
                    "unknown query parameter: only `after` and `wait` are accepted",
                ))
            }
        }
    }
    Ok(parsed)
}

/// `GET /v1/outbox`: envelopes after `after`, waiting up to `wait` seconds for the first one.
async fn pull(state: &ApiState, query: Option<&str>) -> Result<ApiResponse, Refusal> {
    let query = parse_pull_query(query)?;
    let config = &state.app.config().internal_api;
    let limits = PullLimits {
        max_envelopes: config.max_batch,
        max_bytes: wire::MAX_BATCH_BYTES,
        wait: Duration::from_secs(query.wait_secs.min(config.max_wait_secs)),
    };
    let mut shutdown = state.shutdown.clone();
    let pulled = state
        .app
        .outbox
        .pull(query.after, limits, &mut shutdown)
        .await
        .map_err(unavailable("outbox pull"))?;
    let more = pulled.more;
    let envelopes: Vec<OutboxEnvelope> = pulled
        .envelopes
        .iter()
        .map(|item| OutboxEnvelope::new(item.seq, &item.envelope))
        .collect();
    state.metrics.add_pulled(envelopes.len());
    if !envelopes.is_empty() {
        tracing::debug!(
            envelopes = envelopes.len(),
            more,
            "internal API: envelopes pulled"
        );
    }
    Ok(json_response(
        StatusCode::OK,
        &OutboxBatch { envelopes, more },
    ))
}

/// Reads a JSON body within the size and time limits.
async fn read_json<T: serde::de::DeserializeOwned>(
    state: &ApiState,
    request: Request<Incoming>,
) -> Result<T, Refusal> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::UNSUPPORTED_MEDIA_TYPE,
            "the body must be application/json",
        ));
    }
    let timeout = state.app.limits().body_timeout;
    let limited = Limited::new(request.into_body(), wire::MAX_REQUEST_BODY);
    let body = match tokio::time::timeout(timeout, limited.collect()).await {
        Err(_) => {
            return Err(Refusal::new(
                StatusCode::REQUEST_TIMEOUT,
                codes::TIMEOUT,
                "the body did not arrive in time",
            ))
        }
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            return Err(Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                codes::TOO_LARGE,
                format!("the body is over {} bytes", wire::MAX_REQUEST_BODY),
            ))
        }
        Ok(Err(_)) => return Err(Refusal::bad_request("the body could not be read")),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    wire::from_json(&body).map_err(|error| Refusal::bad_request(error.to_string()))
}

/// `POST /v1/outbox/ack`: deletes delivered envelopes, each named by its seq and the envelope id sealed
/// inside it. An ack that cannot name them (the old form with seqs only, a malformed id, or a wrong one)
/// deletes nothing, is counted, and is refused.
async fn ack(state: &ApiState, request: Request<Incoming>) -> Result<ApiResponse, Refusal> {
    let acks = read_json::<wire::AckRequest>(state, request)
        .await
        .and_then(|ack| {
            ack.parse()
                .map_err(|error| Refusal::bad_request(error.to_string()))
        })
        .inspect_err(|_| state.metrics.ack_refused())?;
    let outcome = state
        .app
        .outbox
        .ack(acks)
        .await
        .map_err(unavailable("outbox ack"))?;
    match outcome {
        AckOutcome::Deleted(deleted) => {
            state.metrics.add_acked(deleted);
            if deleted > 0 {
                tracing::info!(deleted, "internal API: envelopes acked and deleted");
            }
            Ok(json_response(
                StatusCode::OK,
                &wire::AckResponse { deleted },
            ))
        }
        AckOutcome::WrongEnvelopeId => {
            state.metrics.ack_refused();
            // The inbox reads the id from the envelope it opened, so a wrong one means a client that could
            // not open it: a stolen client key, or an inbox without the right identity.
            tracing::warn!(
                "internal API: an ack named an envelope with the wrong envelope id; nothing was deleted \
                 (is the client's TLS key in other hands?)"
            );
            Err(Refusal::new(
                StatusCode::FORBIDDEN,
                codes::WRONG_ENVELOPE_ID,
                "an envelope was named with an id that is not the one sealed inside it; nothing was deleted",
            ))
        }
    }
}

/// `POST /v1/replies`: stores a sealed staff reply, once per reply id.
async fn reply(state: &ApiState, request: Request<Incoming>) -> Result<ApiResponse, Refusal> {
    let request: wire::ReplyRequest = read_json(state, request).await?;
    let parsed = request
        .parse()
        .map_err(|error| Refusal::bad_request(error.to_string()))?;
    // The reply is opaque here, but its version and length are not: an unpadded reply (an older inbox, or a
    // faulty one) would tell anyone with the disk how long it is, so it is refused rather than stored.
    thread::check_shape(&parsed.ciphertext).map_err(|error| {
        Refusal::bad_request(match error {
            ThreadError::UnsupportedVersion(_) => {
                "ciphertext: sealed in a thread-entry format this gateway does not store; update porten-inbox"
            }
            _ => "ciphertext: not a sealed thread entry padded to a size bucket",
        })
    })?;
    let reply = StaffReply {
        id: parsed.reply_id,
        ticket_ref: parsed.ticket_ref,
        ciphertext: parsed.ciphertext,
    };
    let outcome = state
        .app
        .outbox
        .store_reply(reply, time::OffsetDateTime::now_utc())
        .await
        .map_err(unavailable("reply"))?;
    match outcome {
        StoreReplyOutcome::Stored => {
            state.metrics.reply_stored();
            tracing::info!("internal API: staff reply stored");
            Ok(json_response(
                StatusCode::CREATED,
                &wire::ReplyResponse {
                    outcome: wire::ReplyOutcome::Stored,
                },
            ))
        }
        StoreReplyOutcome::Duplicate => {
            state.metrics.reply_duplicate();
            tracing::info!("internal API: staff reply repeated; nothing stored");
            Ok(json_response(
                StatusCode::OK,
                &wire::ReplyResponse {
                    outcome: wire::ReplyOutcome::Duplicate,
                },
            ))
        }
        StoreReplyOutcome::NoSuchTicket => {
            state.metrics.reply_no_ticket();
            tracing::info!("internal API: staff reply for a ticket that no longer exists");
            Err(Refusal::new(
                StatusCode::NOT_FOUND,
                codes::NO_SUCH_TICKET,
                "no such ticket: the visitor deleted the conversation or it expired",
            ))
        }
    }
}

async fn store_counts(app: &App) -> Result<StoreCounts, Refusal> {
    let counts = app.outbox.counts().await.map_err(unavailable("counts"))?;
    Ok(StoreCounts {
        tickets: counts.tickets as u64,
        entries: counts.entries as u64,
        outbox_pending: counts.outbox_pending as u64,
    })
}

/// `GET /v1/health`: 200 when the store answers.
async fn health(state: &ApiState) -> Result<ApiResponse, Refusal> {
    store_counts(&state.app).await?;
    Ok(json_response(
        StatusCode::OK,
        &wire::Health {
            status: "ok".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
    ))
}

/// `GET /metrics`: counts only.
async fn metrics(state: &ApiState) -> Result<ApiResponse, Refusal> {
    let counts = store_counts(&state.app).await.ok();
    Ok(plain_response(
        StatusCode::OK,
        "text/plain; version=0.0.4; charset=utf-8",
        state.metrics.render(counts).into_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_pull_query_takes_after_and_wait_and_nothing_else() {
        let parsed = parse_pull_query(Some("after=17&wait=30")).ok();
        assert_eq!(
            parsed,
            Some(PullQuery {
                after: 17,
                wait_secs: 30
            })
        );
        assert_eq!(parse_pull_query(None).ok(), Some(PullQuery::default()));
        assert!(parse_pull_query(Some("after=-1")).is_err());
        assert!(parse_pull_query(Some("after=1&limit=5")).is_err());
        assert!(parse_pull_query(Some("wait=forever")).is_err());
    }
}
