//! `porten serve`: open everything, bind the listeners, run until told to stop.
//!
//! Signals: SIGHUP reloads the TLS certificate and key (open connections keep theirs); SIGTERM and SIGINT stop
//! accepting, let requests in flight finish for a few seconds, and exit. A sweeper deletes idle tickets every
//! hour, and once at start; every ten minutes, if anything was deleted since and no store call is running at
//! that moment, it compacts the database.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::{watch, Semaphore};

use crate::app::App;
use crate::budget::ConnectionShares;
use crate::config::Config;
use crate::http::headers::Transport;
use crate::http::server::{run_listener, Listener};
use crate::http::tls::{CertificateSource, ReloadableTls};
use crate::http::Web;

/// Why serving stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Start-up failed.
    #[error(transparent)]
    Start(#[from] crate::app::StartError),
    /// `onion.enabled` in a build without the onion service.
    #[error(
        "onion.enabled: this porten was built without the onion service (feature `onion`); build it with the \
         default features, or set enabled = false and run C tor (onion-service/torrc.example)"
    )]
    OnionNotBuilt,
    /// A listener could not be bound.
    #[error("cannot listen on {address} ({field}): {source}")]
    Bind {
        /// The configuration field.
        field: &'static str,
        /// The address.
        address: std::net::SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The internal API's TLS configuration could not be built.
    #[error(transparent)]
    InternalApi(#[from] crate::internal_api::InternalApiError),
    /// Signal handlers could not be installed.
    #[error("cannot install signal handlers: {0}")]
    Signals(std::io::Error),
}

/// How often idle tickets are looked for.
const SWEEP_INTERVAL: Duration = Duration::from_secs(3600);
/// How often the database is compacted when something was deleted. Erasure does not wait for it (the
/// deleted rows are sealed under a key already overwritten); it gives freed space back and shortens how
/// long old row versions stay in the file, and every store call waits while it runs, so not after each burn.
const COMPACT_INTERVAL: Duration = Duration::from_secs(600);
/// How long requests in flight may take to finish at shutdown.
const DRAIN_TIME: Duration = Duration::from_secs(5);

/// Runs the gateway until SIGTERM or SIGINT.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    porten_protocol::tls::install_provider();
    let data_dir = config.data_dir.clone();
    let https_config = config.https.clone();
    let http_config = config.http.clone();
    let max_connections = config.limits.max_connections;
    let app = tokio::task::spawn_blocking(move || App::open(config))
        .await
        .map_err(|_| {
            ServeError::Start(crate::app::StartError::DataDir {
                path: data_dir.clone(),
                source: std::io::Error::other("start-up task failed"),
            })
        })??;

    let source = CertificateSource::resolve(
        https_config.cert.as_deref(),
        https_config.key.as_deref(),
        &data_dir,
    )
    .map_err(crate::app::StartError::from)?;
    let reloadable = ReloadableTls::new(source).map_err(crate::app::StartError::from)?;
    if reloadable.is_development() {
        tracing::warn!(
            "https.cert and https.key are not set: using a self-signed DEVELOPMENT certificate from the data directory"
        );
    }

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    // One pool per way in: HTTPS (the clear web), plain HTTP (a local C tor or proxy) and the onion service,
    // so a flood through one leaves the others their slots.
    let https_connections = Arc::new(Semaphore::new(max_connections));
    let http_connections = Arc::new(Semaphore::new(max_connections));
    let shares = ConnectionShares::new(app.config().limits.per_source.connections);
    let max_onion = app.config().onion.max_concurrent_streams;
    let onion_connections = Arc::new(Semaphore::new(max_onion));
    let mut listeners = Vec::new();

    let https = TcpListener::bind(https_config.listen)
        .await
        .map_err(|source| ServeError::Bind {
            field: "https.listen",
            address: https_config.listen,
            source,
        })?;
    log_listening("https", &https);
    listeners.push(Listener {
        socket: https,
        tls: Some(reloadable.clone()),
        transport: Transport::Https,
    });
    if http_config.enabled {
        let http = TcpListener::bind(http_config.listen)
            .await
            .map_err(|source| ServeError::Bind {
                field: "http.listen",
                address: http_config.listen,
                source,
            })?;
        log_listening("http", &http);
        listeners.push(Listener {
            socket: http,
            tls: None,
            transport: Transport::Http,
        });
    }

    let mut tasks = Vec::new();
    let internal = &app.config().internal_api;
    if internal.enabled {
        let tls = Arc::new(crate::internal_api::server_config(internal)?);
        let socket =
            TcpListener::bind(internal.listen)
                .await
                .map_err(|source| ServeError::Bind {
                    field: "internal_api.listen",
                    address: internal.listen,
                    source,
                })?;
        // `run` logs its own listening line.
        tasks.push(tokio::spawn(crate::internal_api::run(
            socket,
            tls,
            Arc::clone(&app),
            shutdown_rx.clone(),
        )));
    }
    let web = Web::new(Arc::clone(&app));
    for listener in listeners {
        let pool = match listener.transport {
            Transport::Https => &https_connections,
            Transport::Http | Transport::Onion => &http_connections,
        };
        tasks.push(tokio::spawn(run_listener(
            listener,
            Arc::clone(&web),
            Arc::clone(pool),
            Arc::clone(&shares),
            shutdown_rx.clone(),
        )));
    }
    tokio::spawn(sweeper(Arc::clone(&app), shutdown_rx.clone()));
    let _onion = match crate::onion::start(
        app.config(),
        Arc::clone(&web),
        Arc::clone(&onion_connections),
        shutdown_rx.clone(),
    )
    .await
    {
        Ok(running) => running,
        // Asked for in a build without it: a mistake in the configuration, refused like any other.
        Err(porten_onion::OnionError::NotBuilt) => return Err(ServeError::OnionNotBuilt),
        // The onion side failing to start must not take HTTPS down with it.
        Err(error) => {
            tracing::error!(
                error = %porten_onion::report(&error),
                "the onion service could not be started; serving HTTPS only"
            );
            None
        }
    };

    let mut hangup = signal(SignalKind::hangup()).map_err(ServeError::Signals)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(ServeError::Signals)?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ServeError::Signals)?;
    tracing::info!("porten is ready");
    loop {
        tokio::select! {
            _ = hangup.recv() => match reloadable.reload() {
                Ok(()) => tracing::info!("TLS certificate and key reloaded"),
                Err(error) => tracing::error!(%error, "TLS reload failed; the previous certificate stays in use"),
            },
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        }
    }
    tracing::info!("stopping: no new connections; finishing requests in flight");
    let _ = shutdown_tx.send(true);
    for task in tasks {
        let _ = task.await;
    }
    // Connections finish on their own tasks; wait until they have all given back their permits.
    let all = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN_TIME, async {
        let https = https_connections.acquire_many(all(max_connections)).await;
        let http = http_connections.acquire_many(all(max_connections)).await;
        let onion = onion_connections.acquire_many(all(max_onion)).await;
        (https, http, onion)
    })
    .await;
    tracing::info!("stopped");
    Ok(())
}

fn log_listening(transport: &'static str, listener: &TcpListener) {
    match listener.local_addr() {
        Ok(address) => tracing::info!(transport, %address, "listening"),
        Err(error) => tracing::warn!(transport, %error, "listening on an unknown address"),
    }
}

async fn sweeper(app: Arc<App>, mut shutdown: watch::Receiver<bool>) {
    let mut interval = tokio::time::interval(SWEEP_INTERVAL);
    let mut compaction = tokio::time::interval(COMPACT_INTERVAL);
    compaction.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = compaction.tick() => {
                compact(&app).await;
                continue;
            }
            _ = shutdown.changed() => return,
        }
        match app
            .conversations
            .sweep(time::OffsetDateTime::now_utc())
            .await
        {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "idle tickets deleted"),
            Err(error) => tracing::error!(%error, "sweeping idle tickets failed"),
        }
    }
}

async fn compact(app: &Arc<App>) {
    if let Err(error) = app.conversations.compact_if_due().await {
        tracing::error!(%error, "compacting the database failed");
    }
}
