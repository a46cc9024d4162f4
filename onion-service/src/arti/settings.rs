//! Translation of [`OnionConfig`] into arti's client and onion service configurations.
//!
//! Production gets arti's defaults plus the chosen directories and vanguards mode; only a
//! `test_network` section swaps the authorities, relaxes file permission checks and turns
//! off the same-subnet rule (every test relay sits on 127.0.0.1).

use arti_client::config::dir::FallbackDir;
use arti_client::config::onion_service::{OnionServiceConfig, OnionServiceConfigBuilder};
use arti_client::config::TorClientConfigBuilder;
use arti_client::TorClientConfig;
use tor_config::ExplicitOrAuto;
use tor_guardmgr::VanguardMode;
use tor_hsservice::HsNickname;
use tor_llcrypto::pk::ed25519::Ed25519Identity;
use tor_llcrypto::pk::rsa::RsaIdentity;

use crate::config::{Dirs, OnionConfig, TestNetwork, Vanguards};
use crate::error::OnionError;

/// Subnet prefix lengths longer than any address: no two test relays count as one family.
const TEST_IPV4_FAMILY_PREFIX: u8 = 33;
/// As [`TEST_IPV4_FAMILY_PREFIX`], for IPv6.
const TEST_IPV6_FAMILY_PREFIX: u8 = 129;

/// The Tor client configuration for this service.
pub(crate) fn client_config(
    config: &OnionConfig,
    dirs: &Dirs,
) -> Result<TorClientConfig, OnionError> {
    let mut builder = TorClientConfigBuilder::from_directories(&dirs.state, &dirs.cache);
    let mode = match config.vanguards {
        Vanguards::Lite => VanguardMode::Lite,
        Vanguards::Full => VanguardMode::Full,
        Vanguards::Disabled => VanguardMode::Disabled,
    };
    builder.vanguards().mode(ExplicitOrAuto::Explicit(mode));
    if let Some(network) = &config.test_network {
        use_test_network(&mut builder, network)?;
    }
    builder
        .build()
        .map_err(|e| OnionError::setup("build the Tor client configuration", e))
}

/// Point the client at a local test network.
fn use_test_network(
    builder: &mut TorClientConfigBuilder,
    network: &TestNetwork,
) -> Result<(), OnionError> {
    let mut v3idents = Vec::with_capacity(network.authorities.len());
    let mut dir_ports = Vec::with_capacity(network.authorities.len());
    for authority in &network.authorities {
        v3idents.push(rsa_identity(
            "test_network.authorities.v3ident",
            &authority.v3ident,
        )?);
        dir_ports.push(vec![authority.dir_port]);
    }
    let authorities = builder.tor_network().authorities();
    authorities.set_v3idents(v3idents);
    authorities.set_uploads(dir_ports.clone());
    authorities.set_downloads(dir_ports.clone());
    authorities.set_votes(dir_ports);

    let mut caches = Vec::with_capacity(network.fallback_caches.len());
    for cache in &network.fallback_caches {
        let ed_identity =
            Ed25519Identity::from_base64(&cache.ed_identity).ok_or(OnionError::InvalidConfig {
                field: "test_network.fallback_caches.ed_identity",
                problem: "not a base64 ed25519 identity".to_owned(),
            })?;
        let mut fallback = FallbackDir::builder();
        fallback
            .rsa_identity(rsa_identity(
                "test_network.fallback_caches.rsa_identity",
                &cache.rsa_identity,
            )?)
            .ed_identity(ed_identity);
        fallback.orports().push(cache.orport);
        caches.push(fallback);
    }
    builder.tor_network().set_fallback_caches(caches);

    builder
        .path_rules()
        .ipv4_subnet_family_prefix(TEST_IPV4_FAMILY_PREFIX)
        .ipv6_subnet_family_prefix(TEST_IPV6_FAMILY_PREFIX);
    // Test directories live in shared temporary folders.
    builder.storage().permissions().dangerously_trust_everyone();
    Ok(())
}

/// Parse a 40-hex-digit RSA fingerprint.
fn rsa_identity(field: &'static str, hex: &str) -> Result<RsaIdentity, OnionError> {
    RsaIdentity::from_hex(hex).ok_or(OnionError::InvalidConfig {
        field,
        problem: "not a 40-hex-digit fingerprint".to_owned(),
    })
}

/// The onion service configuration: nickname, proof of work, per-circuit stream bound.
pub(crate) fn service_config(config: &OnionConfig) -> Result<OnionServiceConfig, OnionError> {
    let nickname =
        HsNickname::new(config.nickname.clone()).map_err(|_| OnionError::InvalidConfig {
            field: "nickname",
            problem: "not a valid service nickname".to_owned(),
        })?;
    let mut builder = OnionServiceConfigBuilder::default();
    builder
        .nickname(nickname)
        .enable_pow(config.proof_of_work)
        .max_concurrent_streams_per_circuit(config.max_streams_per_circuit);
    builder
        .build()
        .map_err(|e| OnionError::setup("build the onion service configuration", e))
}
