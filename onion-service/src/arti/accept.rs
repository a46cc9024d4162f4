//! The accept loop: rendezvous requests in, [`OnionStream`]s out.
//!
//! Each rendezvous request is accepted here rather than through arti's `handle_rend_requests`,
//! so that every stream carries the number of the circuit it came on: all streams of one
//! circuit come from one Tor client, and the gateway gives each circuit a budget of its own.
//! The numbers count up from zero in this process and mean nothing outside it.
//!
//! Only `BEGIN` to port 80 is served; any other request closes the whole circuit, as C tor
//! does for unconfigured ports, so probing costs the prober its circuit. Arti itself closes a
//! circuit that opens more than `max_streams_per_circuit` streams; here a semaphore bounds
//! the streams open over all circuits.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::Either;
use futures::{FutureExt as _, Stream, StreamExt as _};
use tokio::sync::{mpsc, Semaphore};
use tor_cell::relaycell::msg::Connected;
use tor_hsservice::{RendRequest, StreamRequest};
use tor_proto::stream::IncomingStreamRequest;
use tracing::{debug, warn};

use crate::error::report;
use crate::stream::OnionStream;

/// The only port the service answers on.
const HTTP_PORT: u16 = 80;

/// At most one "limit reached" warning per this interval, so a flood cannot flood the log.
const LIMIT_WARNING_INTERVAL: Duration = Duration::from_secs(60);

/// Accept streams until the rendezvous requests end or the gateway drops [`Incoming`].
///
/// [`Incoming`]: crate::Incoming
pub(crate) async fn accept_streams(
    rend_requests: impl Stream<Item = RendRequest>,
    limit: Arc<Semaphore>,
    max_streams: usize,
    accepted: mpsc::Sender<OnionStream>,
) {
    let mut next_circuit: u64 = 0;
    let stream_requests = rend_requests.flat_map_unordered(None, move |rend_request| {
        let circuit = next_circuit;
        next_circuit = next_circuit.wrapping_add(1);
        Box::pin(rend_request.accept())
            .map(move |outcome| match outcome {
                Ok(requests) => Either::Left(requests.map(move |request| (circuit, request))),
                Err(e) => {
                    debug!(error = %report(&e), "a rendezvous request could not be accepted");
                    Either::Right(futures::stream::empty())
                }
            })
            .flatten_stream()
    });
    futures::pin_mut!(stream_requests);
    let mut last_limit_warning: Option<Instant> = None;
    let mut refused_since_warning: u64 = 0;

    loop {
        let (circuit, request) = tokio::select! {
            request = stream_requests.next() => match request {
                Some(request) => request,
                None => break,
            },
            // The gateway dropped `Incoming`: stop taking streams nobody will serve.
            () = accepted.closed() => break,
        };
        if !asks_for_http_port(&request) {
            // Shutting down the circuit cannot fail in a way we could act on.
            let _ = request.shutdown_circuit();
            continue;
        }
        let Ok(permit) = Arc::clone(&limit).try_acquire_owned() else {
            // Dropping the request answers the client with an END; its circuit stays.
            drop(request);
            refused_since_warning += 1;
            let due = last_limit_warning.is_none_or(|at| at.elapsed() >= LIMIT_WARNING_INTERVAL);
            if due {
                warn!(
                    refused = refused_since_warning,
                    max_concurrent_streams = max_streams,
                    "onion stream limit reached; refusing new streams until some close"
                );
                last_limit_warning = Some(Instant::now());
                refused_since_warning = 0;
            }
            continue;
        };
        let accepted = accepted.clone();
        // Sending CONNECTED waits on the network: never hold up the loop for one client.
        tokio::spawn(async move {
            match request.accept(Connected::new_empty()).await {
                Ok(data_stream) => {
                    // The queue holds as many streams as there are permits, so it is never
                    // full; it is closed only when the gateway stopped listening.
                    let _ = accepted.try_send(OnionStream::new(data_stream, circuit, permit));
                }
                Err(e) => debug!(error = %report(&e), "onion stream closed before it was accepted"),
            }
        });
    }
    debug!("onion accept loop ended");
}

/// Whether the client asked for a plain stream to port 80.
fn asks_for_http_port(request: &StreamRequest) -> bool {
    matches!(request.request(), IncomingStreamRequest::Begin(begin) if begin.port() == HTTP_PORT)
}
