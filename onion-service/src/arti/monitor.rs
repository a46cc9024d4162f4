//! Background work that keeps the service alive and tells the operator how it is doing:
//! bootstrapping and launching with retries, and one log line per change of state.

use std::sync::Arc;
use std::time::Duration;

use arti_client::config::onion_service::OnionServiceConfig;
use arti_client::status::BootstrapEvents;
use arti_client::TorClient;
use futures::StreamExt as _;
use tokio::sync::{mpsc, oneshot, watch, Semaphore};
use tor_hsservice::status::{OnionServiceStatusStream, State};
use tor_rtcompat::PreferredRuntime;
use tracing::{debug, error, info, warn};

use super::accept;
use crate::error::report;
use crate::status::{Loudness, OnionStatus, StatusLog};
use crate::stream::OnionStream;

/// First wait after a failed bootstrap or launch; doubled after each failure.
const FIRST_RETRY: Duration = Duration::from_secs(5);
/// Longest wait between attempts.
const LONGEST_RETRY: Duration = Duration::from_secs(300);

/// Everything the background supervisor needs to bring the service up and serve it.
pub(crate) struct Supervisor {
    /// The Tor client, not yet bootstrapped.
    pub(crate) client: Arc<TorClient<PreferredRuntime>>,
    /// The service to launch once bootstrapped.
    pub(crate) service_config: OnionServiceConfig,
    /// Where to hand the service's status events once it runs.
    pub(crate) service_status: oneshot::Sender<OnionServiceStatusStream>,
    /// The bound on concurrent streams.
    pub(crate) limit: Arc<Semaphore>,
    /// That bound as configured, for the log.
    pub(crate) max_streams: usize,
    /// The queue behind [`Incoming`](crate::Incoming).
    pub(crate) accepted: mpsc::Sender<OnionStream>,
}

impl Supervisor {
    /// Bootstrap (retrying), launch the service (retrying), then accept streams until the
    /// service ends. The running service lives in this future: aborting the task stops it.
    pub(crate) async fn run(self) {
        let mut wait = FIRST_RETRY;
        while let Err(e) = self.client.bootstrap().await {
            warn!(
                error = %report(&e),
                retry_in_secs = wait.as_secs(),
                "could not connect to the Tor network; will retry"
            );
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(LONGEST_RETRY);
        }
        // Once bootstrapped, arti keeps its directory fresh by itself.

        let mut wait = FIRST_RETRY;
        let (service, rend_requests) = loop {
            match self
                .client
                .launch_onion_service(self.service_config.clone())
            {
                Ok(Some(launched)) => break launched,
                Ok(None) => {
                    error!("onion service not launched: arti considers it disabled");
                    return;
                }
                Err(e) => {
                    error!(
                        error = %report(&e),
                        retry_in_secs = wait.as_secs(),
                        "could not launch the onion service; will retry"
                    );
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(LONGEST_RETRY);
                }
            }
        };
        // The status task may be gone if the service is being dropped; nothing to tell then.
        let _ = self.service_status.send(service.status_events());
        accept::accept_streams(rend_requests, self.limit, self.max_streams, self.accepted).await;
        drop(service);
    }
}

/// Follow the client's bootstrap events and, once the service runs, its status events;
/// publish the combined [`OnionStatus`] on `status` and log each change.
pub(crate) async fn watch_status(
    mut bootstrap: BootstrapEvents,
    service_launched: oneshot::Receiver<OnionServiceStatusStream>,
    status: watch::Sender<OnionStatus>,
) {
    let mut log = StatusLog::new();
    let mut tor_ready = false;
    let mut service_state = State::Bootstrapping;
    let mut service_problem = false;
    let mut blockage: Option<String> = None;
    let mut quarter_logged = 0u8;
    let mut bootstrap_open = true;
    let mut launched = Some(service_launched);
    let mut service: Option<OnionServiceStatusStream> = None;

    loop {
        tokio::select! {
            event = bootstrap.next(), if bootstrap_open => match event {
                Some(event) => {
                    tor_ready = event.ready_for_traffic();
                    let quarter = quarters_done(event.as_frac());
                    if !tor_ready && quarter > quarter_logged {
                        quarter_logged = quarter;
                        info!(percent = u32::from(quarter) * 25, "connecting to the Tor network");
                    }
                    let now_blocked = event.blocked().map(|b| b.to_string());
                    if now_blocked != blockage {
                        match &now_blocked {
                            Some(reason) => warn!(%reason, "Tor network: stuck"),
                            None => info!("Tor network: no longer stuck"),
                        }
                        blockage = now_blocked;
                    }
                }
                None => bootstrap_open = false,
            },
            stream = async { launched.as_mut()?.await.ok() }, if launched.is_some() => {
                launched = None;
                service = stream;
            },
            event = async { service.as_mut()?.next().await }, if service.is_some() => match event {
                Some(event) => {
                    service_state = event.state();
                    service_problem = event.current_problem().is_some();
                    debug!(state = ?service_state, "onion service state from arti");
                }
                None => service = None,
            },
            else => break,
        }
        let (next, line) = log.update(combine(tor_ready, service_state, service_problem));
        if let Some((loudness, message)) = line {
            match loudness {
                Loudness::Info => info!(status = %next, "{message}"),
                Loudness::Warn => warn!(status = %next, "{message}"),
                Loudness::Error => error!(status = %next, "{message}"),
            }
        }
        status.send_replace(next);
    }
}

/// Whole quarters of the bootstrap done, 0 to 4.
fn quarters_done(fraction: f32) -> u8 {
    match fraction {
        f if f >= 1.0 => 4,
        f if f >= 0.75 => 3,
        f if f >= 0.5 => 2,
        f if f >= 0.25 => 1,
        _ => 0,
    }
}

/// Arti's service state, whether it reports a problem, and whether the client is connected,
/// as the operator's status.
fn combine(tor_ready: bool, state: State, problem: bool) -> OnionStatus {
    match state {
        State::Running => OnionStatus::Running,
        State::DegradedReachable => OnionStatus::Degraded,
        // Without a problem, "unreachable" means the descriptor went to the directories of
        // one time period but not yet the other: published, for most clients.
        State::DegradedUnreachable if !problem => OnionStatus::Degraded,
        State::DegradedUnreachable | State::Recovering => OnionStatus::Recovering,
        State::Broken => OnionStatus::Broken,
        // Shutdown is also the state before the service's tasks have started.
        _ if tor_ready => OnionStatus::Publishing,
        _ => OnionStatus::Bootstrapping,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn service_state_wins_over_the_connection_flag() {
        assert_eq!(combine(false, State::Running, false), OnionStatus::Running);
        assert_eq!(combine(true, State::Broken, true), OnionStatus::Broken);
        assert_eq!(
            combine(true, State::Recovering, true),
            OnionStatus::Recovering
        );
    }

    #[test]
    fn partial_publication_is_degraded_but_failed_uploads_are_recovering() {
        assert_eq!(
            combine(true, State::DegradedUnreachable, false),
            OnionStatus::Degraded
        );
        assert_eq!(
            combine(true, State::DegradedUnreachable, true),
            OnionStatus::Recovering
        );
    }

    #[test]
    fn before_publishing_the_connection_decides() {
        assert_eq!(
            combine(false, State::Bootstrapping, false),
            OnionStatus::Bootstrapping
        );
        assert_eq!(
            combine(true, State::Bootstrapping, false),
            OnionStatus::Publishing
        );
        assert_eq!(
            combine(true, State::Shutdown, false),
            OnionStatus::Publishing
        );
    }

    #[test]
    fn bootstrap_progress_is_logged_in_quarters() {
        assert_eq!(quarters_done(0.0), 0);
        assert_eq!(quarters_done(0.3), 1);
        assert_eq!(quarters_done(0.99), 3);
        assert_eq!(quarters_done(1.0), 4);
    }
}
