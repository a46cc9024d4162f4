//! The onion service on arti: start the Tor client without waiting for it, launch the service,
//! and spawn the bootstrap, status and accept tasks. Only compiled with the `arti` feature.

mod accept;
mod monitor;
mod settings;

use std::path::Path;
use std::sync::Arc;

use arti_client::{BootstrapBehavior, TorClient};
use safelog::DisplayRedacted as _;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinHandle;
use tor_hsservice::RunningOnionService;
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
    /// The service: introduction points and descriptor publishing stop when it is dropped.
    _service: Arc<RunningOnionService>,
    /// Bootstrap, status and accept tasks.
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
        .config(client_config)
        .bootstrap_behavior(BootstrapBehavior::OnDemand)
        .create_unbootstrapped_async()
        .await
        .map_err(|e| OnionError::setup("start the Tor client (state and cache directories)", e))?;

    // Launching does not wait for the network: the service publishes once Tor is bootstrapped.
    let (service, rend_requests) = client
        .launch_onion_service(service_config)
        .map_err(|e| OnionError::setup("launch the onion service", e))?
        .ok_or_else(|| {
            OnionError::setup(
                "launch the onion service",
                "the service configuration says disabled",
            )
        })?;
    let address = service
        .onion_address()
        .map(|id| id.display_unredacted().to_string());
    info!(
        address = address.as_deref().unwrap_or("(unknown)"),
        proof_of_work = config.proof_of_work,
        vanguards = ?config.vanguards,
        "onion service launched; connecting to the Tor network"
    );

    let (status_tx, status_rx) = watch::channel(OnionStatus::Bootstrapping);
    let (stream_tx, stream_rx) = mpsc::channel(config.max_concurrent_streams);
    let limit = Arc::new(Semaphore::new(config.max_concurrent_streams));

    let tasks = vec![
        tokio::spawn(monitor::keep_bootstrapping(Arc::clone(&client))),
        tokio::spawn(monitor::watch_status(
            client.bootstrap_events(),
            service.status_events(),
            status_tx.clone(),
        )),
        tokio::spawn(accept::accept_streams(
            rend_requests,
            limit,
            config.max_concurrent_streams,
            stream_tx,
        )),
    ];
    let running = Running {
        _client: client,
        _service: service,
        tasks,
        status: status_tx,
    };
    Ok((
        OnionService::new(address, status_rx, running),
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

    // Arti wants a runtime handle even for offline work; make a small one when called from
    // plain synchronous code (the `onion-address` command).
    let own_runtime = match tokio::runtime::Handle::try_current() {
        Ok(_) => None,
        Err(_) => Some(
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| OnionError::setup("start a runtime to read the keys", e))?,
        ),
    };
    let _entered = own_runtime.as_ref().map(|rt| rt.enter());
    let runtime = PreferredRuntime::current()
        .map_err(|e| OnionError::setup("start a runtime to read the keys", e))?;

    let inert = TorClient::with_runtime(runtime)
        .config(client_config.clone())
        .create_inert()
        .map_err(|e| OnionError::setup("open the keystore", e))?;
    let service = inert
        .create_onion_service(&client_config, service_config)
        .map_err(|e| OnionError::setup("read the onion service keys", e))?;
    Ok(service
        .onion_address()
        .map(|id| id.display_unredacted().to_string()))
}
