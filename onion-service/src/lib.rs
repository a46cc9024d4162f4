#![doc = include_str!("../README.md")]

mod config;
mod error;
mod service;
mod status;
mod stream;

#[cfg(feature = "arti")]
mod arti;

use std::path::Path;

pub use config::{
    OnionConfig, TestAuthority, TestFallbackCache, TestNetwork, Vanguards,
    DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_STREAMS_PER_CIRCUIT,
};
pub use error::{report, BoxError, OnionError};
pub use service::OnionService;
pub use status::OnionStatus;
pub use stream::{Incoming, OnionStream};

/// Whether this build contains the onion service (the `arti` feature).
pub const BUILT_WITH_ARTI: bool = cfg!(feature = "arti");

/// Start the onion service and return at once; Tor bootstraps in the background.
///
/// Loads the service key from the state directory (or makes one on first start), starts
/// connecting to the Tor network and publishing, and returns the handle and the queue of
/// accepted connections. It does not wait for Tor: while the network is unreachable the
/// queue stays empty and the service keeps retrying on its own, so the HTTPS side is never
/// held up. Each change of state is logged (target `porten_onion`).
///
/// Must run inside a multi-threaded tokio runtime. Installs rustls' ring provider as the
/// process default unless one is installed already.
///
/// # Errors
///
/// [`OnionError::InvalidConfig`] for a bad `[onion]` section, [`OnionError::Disabled`] if
/// `enabled = false`, [`OnionError::NotBuilt`] without the `arti` feature, and
/// [`OnionError::Setup`] if the state or cache directory cannot be used (see the README on
/// permissions) or the service cannot be started.
pub async fn launch(
    config: &OnionConfig,
    data_dir: &Path,
) -> Result<(OnionService, Incoming), OnionError> {
    config.validate()?;
    if !config.enabled {
        return Err(OnionError::Disabled);
    }
    #[cfg(feature = "arti")]
    {
        arti::launch(config, data_dir).await
    }
    #[cfg(not(feature = "arti"))]
    {
        let _ = data_dir;
        Err(OnionError::NotBuilt)
    }
}

/// The onion address stored in the state directory, without connecting to Tor.
///
/// `Ok(None)` if no key has been made yet (the service has never been launched with this
/// state directory and nickname). Works whether or not `enabled` is set, and while the
/// gateway runs. Reads only; creates nothing.
///
/// # Errors
///
/// [`OnionError::InvalidConfig`] for a bad `[onion]` section, [`OnionError::NotBuilt`]
/// without the `arti` feature, [`OnionError::Setup`] if the keystore cannot be read.
pub fn stored_address(config: &OnionConfig, data_dir: &Path) -> Result<Option<String>, OnionError> {
    config.validate()?;
    #[cfg(feature = "arti")]
    {
        arti::stored_address(config, data_dir)
    }
    #[cfg(not(feature = "arti"))]
    {
        let _ = data_dir;
        Err(OnionError::NotBuilt)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn launch_refuses_a_disabled_service() {
        let dir = tempfile::tempdir().unwrap();
        let config = OnionConfig::default();
        assert!(matches!(
            launch(&config, dir.path()).await,
            Err(OnionError::Disabled)
        ));
    }

    #[tokio::test]
    async fn launch_reports_config_errors_before_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        let config = OnionConfig {
            enabled: true,
            nickname: "Not Valid".to_owned(),
            ..OnionConfig::default()
        };
        assert!(matches!(
            launch(&config, dir.path()).await,
            Err(OnionError::InvalidConfig {
                field: "nickname",
                ..
            })
        ));
        // Nothing was created for a configuration that was refused.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(not(feature = "arti"))]
    #[tokio::test]
    async fn without_arti_launch_and_stored_address_say_not_built() {
        let dir = tempfile::tempdir().unwrap();
        let config = OnionConfig {
            enabled: true,
            ..OnionConfig::default()
        };
        assert!(matches!(
            launch(&config, dir.path()).await,
            Err(OnionError::NotBuilt)
        ));
        assert!(matches!(
            stored_address(&config, dir.path()),
            Err(OnionError::NotBuilt)
        ));
    }
}
