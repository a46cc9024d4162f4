//! The gateway's side of the onion service: start it beside the HTTPS listener, serve its streams with the same
//! router, and advertise its address.
//!
//! The onion service itself lives in the `porten-onion` crate; arti is compiled in only with the `onion` feature
//! (on by default). Tor bootstraps in the background: the gateway serves HTTPS at once and the onion side joins
//! when it is ready, and comes back on its own after Tor trouble.

use std::process::ExitCode;
use std::sync::Arc;

use tokio::sync::{watch, Semaphore};

use crate::budget::Source;
use crate::config::Config;
use crate::http::headers::Transport;
use crate::http::server::{first_byte, serve_connection};
use crate::http::Web;

/// A running onion service; dropping it stops the service.
pub struct Running {
    _service: porten_onion::OnionService,
}

/// Starts the onion service if the configuration enables it. `Ok(None)` when it is disabled.
///
/// Onion streams have a pool of their own, `connections` (sized like the onion service's
/// `max_concurrent_streams`), apart from the clear web's: a flood over one does not close the other. Each
/// stream's requests spend the budgets of its rendezvous circuit.
pub async fn start(
    config: &Config,
    web: Arc<Web>,
    connections: Arc<Semaphore>,
    shutdown: watch::Receiver<bool>,
) -> Result<Option<Running>, porten_onion::OnionError> {
    if !config.onion.enabled {
        return Ok(None);
    }
    let (service, mut incoming) = porten_onion::launch(&config.onion, &config.data_dir).await?;
    if let Some(address) = service.address() {
        tracing::info!(%address, "onion service address");
        // A configured address (for a separate C tor) is replaced by the one this process serves.
        web.app.set_onion_address(Some(address));
    }
    tokio::spawn(async move {
        loop {
            let mut stop = shutdown.clone();
            let stream = tokio::select! {
                stream = incoming.accept() => stream,
                _ = stop.changed() => return,
            };
            let Some(stream) = stream else {
                return;
            };
            let Ok(permit) = Arc::clone(&connections).acquire_owned().await else {
                return;
            };
            let web = Arc::clone(&web);
            let shutdown = shutdown.clone();
            tokio::spawn(async move {
                let _permit = permit;
                let source = Source::Circuit(stream.circuit());
                let timeout = web.app.limits().first_byte_timeout;
                let Some(stream) = first_byte(stream, timeout).await else {
                    tracing::debug!("onion stream closed: no first byte in time");
                    return;
                };
                serve_connection(stream, web, Transport::Onion, source, shutdown).await;
            });
        }
    });
    Ok(Some(Running { _service: service }))
}

/// `porten onion-address`: prints the address from the stored keys, without connecting to Tor.
pub fn print_address(config: &Config) -> ExitCode {
    match porten_onion::stored_address(&config.onion, &config.data_dir) {
        Ok(Some(address)) => {
            println!("{address}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!(
                "porten: no onion service key yet: start `porten serve` once with [onion] enabled = true"
            );
            ExitCode::FAILURE
        }
        Err(porten_onion::OnionError::NotBuilt) => {
            eprintln!("porten: this build has no onion service (build with the `onion` feature)");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("porten: {}", porten_onion::report(&error));
            ExitCode::FAILURE
        }
    }
}
