//! The onion service on arti: create the Tor client and the service key at once, then leave
//! bootstrapping, launching and serving to background tasks. Only compiled with the `arti`
//! feature.
//!
//! The service itself is launched only once Tor has bootstrapped: arti's proof-of-work
//! threads block until a network directory exists, and if they started before, a runtime
//! shut down while Tor was unreachable would wait for them forever.

mod accept;
mod monitor;
mod settings;

use std::path::Path;
use std::sync::Arc;

use arti_client::{BootstrapBehavior, TorClient};
use safelog::DisplayRedacted as _;
use tokio::sync::{mpsc, oneshot, watch, Semaphore};
use tokio::task::JoinHandle;
use tor_hsservice::HsId;
use tor_keymgr::KeystoreSelector;
use tor_rtcompat::PreferredRuntime;
use tracing::info;

use crate::config::OnionConfig;
use crate::error::OnionError;
use crate::service::OnionService;
use crate::status::OnionStatus;
use crate::stream::Incoming;

/// What keeps the service alive; dropping it stops the service and its tasks.
pub(crate) struct Running {
    /// The Tor client: channels, circuits, directory.
    _client: Arc<TorClient<PreferredRuntime>>,
    /// The supervisor (which owns the running service) and the status task.
    tasks: Vec<JoinHandle<()>>,
    /// To report `Stopped` once the status task is gone.
    status: watch::Sender<OnionStatus>,
}

impl Drop for Running {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        self.status.send_replace(OnionStatus::Stopped);
        info!("onion service stopped");
    }
}

/// Install rustls' ring provider as the process default, unless a provider is already
/// installed (the gateway installs the same one at start). Arti's TLS needs one.
fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race against another installer is fine: either way one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The public form of a service identity: "<56 characters>.onion".
fn onion_address(id: HsId) -> String {
    id.display_unredacted().to_string()
}

/// See [`crate::launch`]; the configuration has been validated and `enabled` checked.
pub(crate) async fn launch(
    config: &OnionConfig,
    data_dir: &Path,
) -> Result<(OnionService, Incoming), OnionError> {
    ensure_crypto_provider();
    let dirs = config.dirs(data_dir);
    let client_config = settings::client_config(config, &dirs)?;
    let service_config = settings::service_config(config)?;
    if config.test_network.is_some() {
        info!("onion service uses a local TEST network (test_network is set)");
    }

    let client = TorClient::builder()
        .config(client_config.clone())
        .bootstrap_behavior(BootstrapBehavior::OnDemand)
        .create_unbootstrapped_async()
        .await
        .map_err(|e| OnionError::setup("start the Tor client (state and cache directories)", e))?;

    // Load the key, or make it on first start, so the address is known before Tor is up.
    let address =
        TorClient::<PreferredRuntime>::create_onion_service(&client_config, service_config.clone())
            .map_err(|e| OnionError::setup("open the onion service keystore", e))?
            .generate_identity_key(KeystoreSelector::Primary)
            .map(onion_address)
            .map_err(|e| OnionError::setup("load or make the onion service key", e))?;
    info!(
        %address,
        proof_of_work = config.proof_of_work,
        vanguards = ?config.vanguards,
        "onion service starting; connecting to the Tor network"
    );

    let (status_tx, status_rx) = watch::channel(OnionStatus::Bootstrapping);
    let (stream_tx, stream_rx) = mpsc::channel(config.max_concurrent_streams);
    let (service_status_tx, service_status_rx) = oneshot::channel();
    let supervisor = monitor::Supervisor {
        client: Arc::clone(&client),
        service_config,
        service_status: service_status_tx,
        limit: Arc::new(Semaphore::new(config.max_concurrent_streams)),
        max_streams: config.max_concurrent_streams,
        accepted: stream_tx,
    };
    let tasks = vec![
        tokio::spawn(supervisor.run()),
        tokio::spawn(monitor::watch_status(
            client.bootstrap_events(),
            service_status_rx,
            status_tx.clone(),
        )),
    ];
    let running = Running {
        _client: client,
        tasks,
        status: status_tx,
    };
    Ok((
        OnionService::new(Some(address), status_rx, running),
        Incoming::new(stream_rx),
    ))
}

/// See [`crate::stored_address`].
pub(crate) fn stored_address(
    config: &OnionConfig,
    data_dir: &Path,
) -> Result<Option<String>, OnionError> {
    let dirs = config.dirs(data_dir);
    // Opening a keystore creates its folders; a missing state directory simply has no key.
    if !dirs.state.exists() {
        return Ok(None);
    }
    let client_config = settings::client_config(config, &dirs)?;
    let service_config = settings::service_config(config)?;
    let service =
        TorClient::<PreferredRuntime>::create_onion_service(&client_config, service_config)
            .map_err(|e| OnionError::setup("open the onion service keystore", e))?;
    Ok(service.onion_address().map(onion_address))
}
