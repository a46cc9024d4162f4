//! `porten-inbox run`: pull, deliver, ack, for as long as it runs; and beside it the staff desk: its pages,
//! the pusher of the replies written there (`desk::push`), and the hourly retention sweep.
//!
//! Every delivered envelope is recorded in its desk case, with its sealed original, in the same commit that
//! makes its spool file durable and before it is acked.
//!
//! The inbox always connects out; the gateway never connects in. Each round pulls the outbox from after the
//! last envelope this run has handled (the gateway deletes what is acked, so from the start after a restart
//! what is left is exactly what is not yet delivered), delivers envelopes in order, and acks those delivered,
//! each by its seq and the envelope id read from inside it. An envelope that cannot be opened cannot be acked;
//! it is kept in the state directory and passed over, so it cannot hold up the queue. When the gateway is away the inbox waits with exponential
//! back-off (1 s doubling to 60 s) and logs each change between reachable and unreachable once. Nothing is
//! lost on either side: an envelope leaves the gateway only after its spool file is durable, and a repeat is
//! recognised by its spool file.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::audit::AuditLog;
use super::client::GatewayClient;
use super::config::InboxConfig;
use super::deliver::{Batch, Deliverer};
use super::desk::{push, Cases, Desk, SystemClock};
use super::reply_keys::ReplyKeys;
use super::spool::Spool;
use super::webhook::Webhook;
use super::InboxError;

/// The first pause after a failure.
const FIRST_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause.
const MAX_PAUSE: Duration = Duration::from_secs(60);
/// How often the retention sweep runs.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

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
    let spool = config
        .spool_dir
        .as_ref()
        .map(|dir| {
            Spool::open(dir).map_err(|source| InboxError::Dir {
                path: dir.clone(),
                source,
            })
        })
        .transpose()?;
    let keys = ReplyKeys::open(&config.state_dir)?;
    let webhook = config.webhook.as_ref().map(Webhook::new).transpose()?;
    let audit = AuditLog::signed(config.audit_log_path(), &identities);
    Ok(Deliverer::new(
        identities,
        spool,
        keys,
        audit,
        webhook,
        &config.state_dir,
    ))
}

/// Pulls and delivers until `stop` turns true, with the staff desk beside it: its pages, the pusher of the
/// replies written there, and the hourly retention sweep. Returns an error only if it cannot start.
pub async fn run(config: &InboxConfig, mut stop: watch::Receiver<bool>) -> Result<(), InboxError> {
    // redb lets one process open the desk's database: it is opened once, here, and shared.
    let identities = load_identities(&config.identity)?;
    let desk = Desk::open(
        &config.state_dir,
        &identities,
        &config.desk,
        Arc::new(SystemClock),
    )?;
    let audit = AuditLog::signed(config.audit_log_path(), &identities);
    let deliverer = deliverer(config)?.with_desk(desk.cases.clone());
    let (replies, requests) = tokio::sync::mpsc::channel(push::QUEUE);
    tokio::spawn(push::run(
        config.clone(),
        desk.cases.clone(),
        audit.clone(),
        requests,
        stop.clone(),
    ));
    tokio::spawn(retention(desk.cases.clone(), audit.clone(), stop.clone()));
    let _desk = crate::desk::web::start(config, desk, audit, replies, stop.clone()).await?;
    let mut client = GatewayClient::new(&config.gateway, config.client_tls())?;
    let gateway = config
        .gateway_endpoint()
        .map(|e| e.authority())
        .unwrap_or_default();
    match &config.spool_dir {
        Some(spool) => tracing::info!(%gateway, spool = %spool.display(), "porten-inbox started"),
        None => {
            tracing::info!(%gateway, "porten-inbox started; no spool: deliveries go to the staff desk only")
        }
    }
    let mut backoff = Backoff::new();
    let mut reachable: Option<bool> = None;
    // Every envelope up to this seq was delivered and acked, or kept unopened, in this run. Only what cannot
    // be acked (unopened envelopes) is ever passed over this way; the next pull starts from 0 again after a
    // pull that found nothing or failed, so a gateway whose outbox was reset (its seqs starting again at 1)
    // is never missed for longer than one wait.
    let mut handled = 0u64;
    while !*stop.borrow() {
        let pulled = tokio::select! {
            pulled = client.pull(handled, config.wait()) => pulled,
            _ = stop.changed() => break,
        };
        let batch = match pulled {
            Ok(batch) => {
                if reachable != Some(true) {
                    tracing::info!(%gateway, "connected to the gateway; pulling envelopes");
                    reachable = Some(true);
                }
                backoff.reset();
                if batch.envelopes.is_empty() {
                    handled = 0;
                }
                batch
            }
            Err(error) => {
                handled = 0;
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
        let mut handled_now = handled;
        for envelope in &batch.envelopes {
            match deliverer.deliver(envelope, &mut stop, &mut written).await {
                Ok(outcome) => {
                    if let Some(id) = outcome.ack_id() {
                        delivered.push((envelope.seq, id));
                    }
                    handled_now = envelope.seq;
                }
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        // Nothing is acked that a crash could still take back: the batch is made durable first.
        if let Err(error) = deliverer.commit(&mut written) {
            delivered.clear();
            handled_now = handled;
            failure.get_or_insert(error);
        }
        handled = handled_now;
        if !delivered.is_empty() {
            match client.ack(&delivered).await {
                Ok(deleted) => tracing::debug!(acked = delivered.len(), deleted, "acked"),
                // Harmless: pulling from the start again brings those envelopes back, and their spool files
                // recognise them. The pause keeps a gateway that refuses every ack from being asked in a loop.
                Err(error) => {
                    handled = 0;
                    tracing::warn!(
                        %error,
                        "the ack did not reach the gateway or was refused; the envelopes will be acked again"
                    );
                    failure.get_or_insert(InboxError::Client(error));
                }
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

/// Erases the content of cases past their retention period, at start and then every hour, and writes
/// each erasure to the audit log.
async fn retention(cases: Cases, audit: AuditLog, mut stop: watch::Receiver<bool>) {
    loop {
        let swept = {
            let cases = cases.clone();
            tokio::task::spawn_blocking(move || cases.sweep()).await
        };
        match swept {
            Ok(Ok(facts)) => {
                if !facts.is_empty() {
                    tracing::info!(
                        cases = facts.len(),
                        "case content erased after the retention period"
                    );
                }
                let events: Vec<_> = facts.iter().map(|fact| fact.audit_event()).collect();
                if let Err(error) = audit.append_all(&events) {
                    tracing::error!(%error, "the audit log could not be written");
                }
            }
            Ok(Err(error)) => {
                tracing::error!(%error, "the retention sweep failed; it runs again in an hour")
            }
            Err(_) => tracing::error!("the retention sweep stopped; it runs again in an hour"),
        }
        if sleep_or_stop(RETENTION_EVERY, &mut stop).await {
            return;
        }
    }
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
