//! `porten-inbox run`: pull, deliver, ack, for as long as it runs.
//!
//! The inbox always connects out; the gateway never connects in. Each round pulls from the start of the
//! outbox (the gateway deletes what is acked, so what is left is exactly what is not yet delivered), delivers
//! envelopes in order, and acks those delivered. When the gateway is away the inbox waits with exponential
//! back-off (1 s doubling to 60 s) and logs each change between reachable and unreachable once. Nothing is
//! lost on either side: an envelope leaves the gateway only after its spool file is durable, and a repeat is
//! recognised by its spool file.

use std::time::Duration;

use tokio::sync::watch;

use super::audit::AuditLog;
use super::client::GatewayClient;
use super::config::InboxConfig;
use super::deliver::{Batch, Delivered, Deliverer};
use super::reply_keys::ReplyKeys;
use super::spool::Spool;
use super::webhook::Webhook;
use super::InboxError;

/// The first pause after a failure.
const FIRST_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause.
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// Exponential back-off between failed rounds.
struct Backoff {
    next: Duration,
}

impl Backoff {
    fn new() -> Backoff {
        Backoff { next: FIRST_PAUSE }
    }

    fn reset(&mut self) {
        self.next = FIRST_PAUSE;
    }

    fn pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(MAX_PAUSE);
        pause
    }
}

/// Reads the age identity file, warning when others may read it.
pub fn load_identities(path: &std::path::Path) -> Result<Vec<age::x25519::Identity>, InboxError> {
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|source| {
        InboxError::Identity {
            path: path.to_owned(),
            source,
        }
    })?);
    if porten_protocol::fsutil::is_shared(path).unwrap_or(false) {
        tracing::warn!(file = %path.display(), "the identity file can be read by others; chmod 600 it");
    }
    Ok(crate::open::parse_identity_file(&text)?)
}

/// Builds everything delivery needs from the configuration.
pub fn deliverer(config: &InboxConfig) -> Result<Deliverer, InboxError> {
    let identities = load_identities(&config.identity)?;
    porten_protocol::fsutil::create_private_dir(&config.state_dir).map_err(|source| {
        InboxError::Dir {
            path: config.state_dir.clone(),
            source,
        }
    })?;
    let spool = Spool::open(&config.spool_dir).map_err(|source| InboxError::Dir {
        path: config.spool_dir.clone(),
        source,
    })?;
    let keys = ReplyKeys::open(&config.state_dir)?;
    let webhook = config.webhook.as_ref().map(Webhook::new).transpose()?;
    Ok(Deliverer::new(
        identities,
        spool,
        keys,
        AuditLog::new(config.audit_log_path()),
        webhook,
        &config.state_dir,
    ))
}

/// Pulls and delivers until `stop` turns true. Returns an error only if it cannot start.
pub async fn run(config: &InboxConfig, mut stop: watch::Receiver<bool>) -> Result<(), InboxError> {
    let deliverer = deliverer(config)?;
    let mut client = GatewayClient::new(&config.gateway, config.client_tls())?;
    let gateway = config
        .gateway_endpoint()
        .map(|e| e.authority())
        .unwrap_or_default();
    tracing::info!(%gateway, spool = %config.spool_dir.display(), "porten-inbox started");
    let mut backoff = Backoff::new();
    let mut reachable: Option<bool> = None;
    while !*stop.borrow() {
        let pulled = tokio::select! {
            pulled = client.pull(0, config.wait()) => pulled,
            _ = stop.changed() => break,
        };
        let batch = match pulled {
            Ok(batch) => {
                if reachable != Some(true) {
                    tracing::info!(%gateway, "connected to the gateway; pulling envelopes");
                    reachable = Some(true);
                }
                backoff.reset();
                batch
            }
            Err(error) => {
                let pause = backoff.pause();
                if reachable != Some(false) {
                    tracing::warn!(%gateway, %error, "the gateway cannot be reached; retrying with back-off");
                    reachable = Some(false);
                } else {
                    tracing::debug!(%error, retry_in_secs = pause.as_secs(), "the gateway is still unreachable");
                }
                if !error.is_transient() {
                    tracing::error!(%error, "the gateway refused the pull; check both configurations");
                }
                if sleep_or_stop(pause, &mut stop).await {
                    break;
                }
                continue;
            }
        };
        let mut delivered = Vec::with_capacity(batch.envelopes.len());
        let mut written = Batch::new();
        let mut failure = None;
        for envelope in &batch.envelopes {
            match deliverer.deliver(envelope, &mut stop, &mut written).await {
                Ok(
                    Delivered::New { .. }
                    | Delivered::Again
                    | Delivered::KeptUnopened(_)
                    | Delivered::Refused(_),
                ) => delivered.push(envelope.seq),
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        // Nothing is acked that a crash could still take back: the batch is made durable first.
        if let Err(error) = deliverer.commit(&mut written) {
            delivered.clear();
            failure.get_or_insert(error);
        }
        if !delivered.is_empty() {
            match client.ack(&delivered).await {
                Ok(deleted) => tracing::debug!(acked = delivered.len(), deleted, "acked"),
                // Harmless: those envelopes come back on the next pull and are recognised by their spool files.
                Err(error) => tracing::warn!(
                    %error,
                    "the ack did not reach the gateway; the envelopes will be acked again"
                ),
            }
        }
        if let Some(error) = failure {
            if *stop.borrow() {
                break;
            }
            let pause = backoff.pause();
            tracing::error!(%error, retry_in_secs = pause.as_secs(), "delivery paused; the envelope stays at the gateway");
            if sleep_or_stop(pause, &mut stop).await {
                break;
            }
        }
    }
    tracing::info!("porten-inbox stopped");
    Ok(())
}

/// Sleeps for `pause`; `true` if told to stop meanwhile.
async fn sleep_or_stop(pause: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(pause) => false,
        _ = stop.changed() => true,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute_and_resets() {
        let mut backoff = Backoff::new();
        let pauses: Vec<u64> = (0..8).map(|_| backoff.pause().as_secs()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 16, 32, 60, 60]);
        backoff.reset();
        assert_eq!(backoff.pause(), FIRST_PAUSE);
    }
}
