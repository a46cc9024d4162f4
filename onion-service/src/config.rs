//! The `[onion]` section of the gateway's configuration: what the operator may set, with its
//! defaults, and the checks that run before anything touches the disk or the network.
//!
//! These types exist with or without the `arti` feature, so the gateway parses and checks the
//! same configuration either way.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::OnionError;

/// Default number of streams one rendezvous circuit may have open at once.
///
/// A browser opens a handful of connections per site; the pages here are one request each.
/// A circuit that asks for more is torn down (C tor's `HiddenServiceMaxStreamsCloseCircuit`).
pub const DEFAULT_MAX_STREAMS_PER_CIRCUIT: u32 = 16;

/// Default number of onion streams open at once over all circuits.
pub const DEFAULT_MAX_CONCURRENT_STREAMS: usize = 512;

/// Largest accepted value for either stream bound: past this a typo, not a tuning.
const MAX_STREAM_BOUND: usize = 65_535;

/// Longest accepted service nickname.
const MAX_NICKNAME_LEN: usize = 64;

/// Configuration of the in-process onion service (the `[onion]` section).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnionConfig {
    /// Run the onion service. Default `false`.
    pub enabled: bool,

    /// Local name of the service: its keys and state are filed under it. Lowercase ASCII
    /// letters, digits, `_` and `-` (not first). Changing it gives a new onion address.
    /// Default `"porten"`.
    pub nickname: String,

    /// Where the service keys and Tor state live. **Back this folder up**: the onion address
    /// is derived from the key in it. Relative paths are taken from the data directory.
    /// Default `<data_dir>/onion`.
    pub state_dir: Option<PathBuf>,

    /// Where downloaded Tor directory information is cached; safe to delete while stopped.
    /// Relative paths are taken from the data directory. Default `<data_dir>/onion-cache`.
    pub cache_dir: Option<PathBuf>,

    /// Streams one rendezvous circuit may have open at once; a circuit asking for more is
    /// closed. Default 16.
    pub max_streams_per_circuit: u32,

    /// Onion streams open at once over all circuits; a stream beyond this is refused until
    /// one closes. Default 512.
    pub max_concurrent_streams: usize,

    /// Ask clients for a proof of work when the service is under load (Tor's onion service
    /// denial-of-service defence). Costs nothing while the service is not flooded.
    /// Default `true`.
    pub proof_of_work: bool,

    /// Vanguards: fixed middle relays for the service's circuits, which make it harder to find
    /// the service's guard relay. Default `lite`.
    pub vanguards: Vanguards,

    /// Only for local test networks: which directory authorities and caches to trust instead
    /// of the real Tor network's. Never set this in production. Default: unset.
    pub test_network: Option<TestNetwork>,
}

impl Default for OnionConfig {
    fn default() -> Self {
        OnionConfig {
            enabled: false,
            nickname: "porten".to_owned(),
            state_dir: None,
            cache_dir: None,
            max_streams_per_circuit: DEFAULT_MAX_STREAMS_PER_CIRCUIT,
            max_concurrent_streams: DEFAULT_MAX_CONCURRENT_STREAMS,
            proof_of_work: true,
            vanguards: Vanguards::default(),
            test_network: None,
        }
    }
}

/// How the service's circuits use vanguards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vanguards {
    /// Vanguards-lite: a small set of long-lived second-hop relays (Tor's default).
    #[default]
    Lite,
    /// Full vanguards: fixed second- and third-hop relays; more circuits, more protection of
    /// the service's location.
    Full,
    /// No vanguards. Not recommended.
    Disabled,
}

/// A local Tor network to use instead of the real one (tests only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TestNetwork {
    /// The network's directory authorities. At least one.
    pub authorities: Vec<TestAuthority>,
    /// Relays to fetch the first directory from. At least one.
    pub fallback_caches: Vec<TestFallbackCache>,
}

/// One directory authority of a test network.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestAuthority {
    /// The authority's v3 identity: the fingerprint of its authority certificate, 40 hex digits.
    pub v3ident: String,
    /// The authority's directory port, e.g. `127.0.0.1:7000`.
    pub dir_port: SocketAddr,
}

/// One fallback directory cache (a relay) of a test network.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFallbackCache {
    /// The relay's RSA identity fingerprint, 40 hex digits.
    pub rsa_identity: String,
    /// The relay's ed25519 identity, unpadded base64 (43 characters).
    pub ed_identity: String,
    /// The relay's OR port, e.g. `127.0.0.1:5000`.
    pub orport: SocketAddr,
}

/// The directories the service uses, resolved against the data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "arti"), allow(dead_code))]
pub(crate) struct Dirs {
    /// Keys and state.
    pub(crate) state: PathBuf,
    /// Directory cache.
    pub(crate) cache: PathBuf,
}

impl OnionConfig {
    /// Check the configuration without touching the disk or the network.
    ///
    /// Fails with [`OnionError::InvalidConfig`] naming the field and the problem.
    pub fn validate(&self) -> Result<(), OnionError> {
        check_nickname(&self.nickname)?;
        if self.max_streams_per_circuit == 0
            || usize::try_from(self.max_streams_per_circuit).map_or(true, |n| n > MAX_STREAM_BOUND)
        {
            return Err(invalid(
                "max_streams_per_circuit",
                format!("must be between 1 and {MAX_STREAM_BOUND}"),
            ));
        }
        if self.max_concurrent_streams == 0 || self.max_concurrent_streams > MAX_STREAM_BOUND {
            return Err(invalid(
                "max_concurrent_streams",
                format!("must be between 1 and {MAX_STREAM_BOUND}"),
            ));
        }
        if let Some(net) = &self.test_network {
            net.validate()?;
        }
        Ok(())
    }

    /// The state and cache directories: as configured, relative ones taken from `data_dir`,
    /// unset ones `<data_dir>/onion` and `<data_dir>/onion-cache`.
    #[cfg_attr(not(feature = "arti"), allow(dead_code))]
    pub(crate) fn dirs(&self, data_dir: &Path) -> Dirs {
        let resolve = |configured: &Option<PathBuf>, default: &str| match configured {
            Some(path) => data_dir.join(path),
            None => data_dir.join(default),
        };
        Dirs {
            state: resolve(&self.state_dir, "onion"),
            cache: resolve(&self.cache_dir, "onion-cache"),
        }
    }
}

impl TestNetwork {
    /// Check that the test network is usable: some authorities and caches, well-formed ids.
    fn validate(&self) -> Result<(), OnionError> {
        if self.authorities.is_empty() {
            return Err(invalid(
                "test_network.authorities",
                "needs at least one authority".to_owned(),
            ));
        }
        if self.fallback_caches.is_empty() {
            return Err(invalid(
                "test_network.fallback_caches",
                "needs at least one fallback cache".to_owned(),
            ));
        }
        for authority in &self.authorities {
            check_rsa_fingerprint("test_network.authorities.v3ident", &authority.v3ident)?;
        }
        for cache in &self.fallback_caches {
            check_rsa_fingerprint(
                "test_network.fallback_caches.rsa_identity",
                &cache.rsa_identity,
            )?;
            check_ed_identity(
                "test_network.fallback_caches.ed_identity",
                &cache.ed_identity,
            )?;
        }
        Ok(())
    }
}

/// Shorthand for an [`OnionError::InvalidConfig`].
fn invalid(field: &'static str, problem: String) -> OnionError {
    OnionError::InvalidConfig { field, problem }
}

/// The nickname rules of arti's keystore (a "slug"), checked here so that a bad name is
/// reported the same way with or without the `arti` feature.
fn check_nickname(nickname: &str) -> Result<(), OnionError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
    if nickname.is_empty() || nickname.len() > MAX_NICKNAME_LEN {
        return Err(invalid(
            "nickname",
            format!("must be 1 to {MAX_NICKNAME_LEN} characters long"),
        ));
    }
    if nickname.starts_with('-') || !nickname.chars().all(allowed) {
        return Err(invalid(
            "nickname",
            "use lowercase letters a-z, digits, '_' and '-' (not first)".to_owned(),
        ));
    }
    Ok(())
}

/// A relay or authority RSA fingerprint: 40 hex digits.
fn check_rsa_fingerprint(field: &'static str, value: &str) -> Result<(), OnionError> {
    if value.len() == 40 && value.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(invalid(field, "must be 40 hex digits".to_owned()))
    }
}

/// An ed25519 relay identity: 32 bytes in unpadded base64, which is 43 characters.
fn check_ed_identity(field: &'static str, value: &str) -> Result<(), OnionError> {
    let base64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
    if value.len() == 43 && value.chars().all(base64) {
        Ok(())
    } else {
        Err(invalid(
            field,
            "must be 43 characters of unpadded base64".to_owned(),
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<OnionConfig, toml::de::Error> {
        toml::from_str(toml_text)
    }

    fn field_of(err: OnionError) -> &'static str {
        match err {
            OnionError::InvalidConfig { field, .. } => field,
            other => panic!("expected InvalidConfig, got {other:?}"),
        }
    }

    const AUTHORITY: &str = r#"
        [[test_network.authorities]]
        v3ident = "0123456789ABCDEF0123456789abcdef01234567"
        dir_port = "127.0.0.1:7000"
    "#;
    const CACHE: &str = r#"
        [[test_network.fallback_caches]]
        rsa_identity = "89ABCDEF0123456789ABCDEF0123456789ABCDEF"
        ed_identity = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        orport = "127.0.0.1:5000"
    "#;

    #[test]
    fn empty_section_gives_documented_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config, OnionConfig::default());
        assert!(!config.enabled);
        assert_eq!(config.nickname, "porten");
        assert_eq!(config.max_streams_per_circuit, 16);
        assert_eq!(config.max_concurrent_streams, 512);
        assert!(config.proof_of_work);
        assert_eq!(config.vanguards, Vanguards::Lite);
        assert_eq!(config.test_network, None);
        config.validate().unwrap();
    }

    #[test]
    fn unknown_keys_are_rejected_at_every_level() {
        assert!(parse("enable = true").is_err());
        let typo_in_test_network = format!("{AUTHORITY}{CACHE}\n[test_network]\nfallbacks = []");
        assert!(parse(&typo_in_test_network).is_err());
        let typo_in_authority = AUTHORITY.replace("dir_port", "dirport");
        assert!(parse(&typo_in_authority).is_err());
    }

    #[test]
    fn vanguards_are_named_in_lowercase() {
        assert_eq!(
            parse("vanguards = \"full\"").unwrap().vanguards,
            Vanguards::Full
        );
        assert_eq!(
            parse("vanguards = \"disabled\"").unwrap().vanguards,
            Vanguards::Disabled
        );
        assert!(parse("vanguards = \"off\"").is_err());
    }

    #[test]
    fn default_dirs_live_in_the_data_dir() {
        let dirs = OnionConfig::default().dirs(Path::new("/var/lib/porten"));
        assert_eq!(dirs.state, Path::new("/var/lib/porten/onion"));
        assert_eq!(dirs.cache, Path::new("/var/lib/porten/onion-cache"));
    }

    #[test]
    fn relative_dirs_are_taken_from_the_data_dir_and_absolute_ones_kept() {
        let config = OnionConfig {
            state_dir: Some("keys".into()),
            cache_dir: Some("/var/cache/porten".into()),
            ..OnionConfig::default()
        };
        let dirs = config.dirs(Path::new("/var/lib/porten"));
        assert_eq!(dirs.state, Path::new("/var/lib/porten/keys"));
        assert_eq!(dirs.cache, Path::new("/var/cache/porten"));
    }

    #[test]
    fn nickname_follows_the_keystore_rules() {
        for good in ["porten", "a", "hus-2", "x_y", "0"] {
            let config = OnionConfig {
                nickname: good.to_owned(),
                ..OnionConfig::default()
            };
            assert!(config.validate().is_ok(), "{good} should be accepted");
        }
        for bad in [
            "",
            "Porten",
            "-lead",
            "has space",
            "dot.ted",
            "ö",
            &"x".repeat(65),
        ] {
            let config = OnionConfig {
                nickname: bad.to_owned(),
                ..OnionConfig::default()
            };
            assert_eq!(
                field_of(config.validate().unwrap_err()),
                "nickname",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn stream_bounds_must_be_positive_and_sane() {
        let zero_per_circuit = OnionConfig {
            max_streams_per_circuit: 0,
            ..OnionConfig::default()
        };
        assert_eq!(
            field_of(zero_per_circuit.validate().unwrap_err()),
            "max_streams_per_circuit"
        );
        let zero_total = OnionConfig {
            max_concurrent_streams: 0,
            ..OnionConfig::default()
        };
        assert_eq!(
            field_of(zero_total.validate().unwrap_err()),
            "max_concurrent_streams"
        );
        let huge_total = OnionConfig {
            max_concurrent_streams: 1_000_000,
            ..OnionConfig::default()
        };
        assert_eq!(
            field_of(huge_total.validate().unwrap_err()),
            "max_concurrent_streams"
        );
    }

    #[test]
    fn test_network_section_parses_and_validates() {
        let config = parse(&format!("enabled = true\n{AUTHORITY}{CACHE}")).unwrap();
        let net = config.test_network.as_ref().unwrap();
        assert_eq!(net.authorities.len(), 1);
        assert_eq!(
            net.authorities[0].dir_port,
            "127.0.0.1:7000".parse().unwrap()
        );
        assert_eq!(
            net.fallback_caches[0].orport,
            "127.0.0.1:5000".parse().unwrap()
        );
        config.validate().unwrap();
    }

    #[test]
    fn test_network_needs_authorities_and_caches() {
        let no_caches = parse(AUTHORITY).unwrap();
        assert_eq!(
            field_of(no_caches.validate().unwrap_err()),
            "test_network.fallback_caches"
        );
        let no_authorities = parse(CACHE).unwrap();
        assert_eq!(
            field_of(no_authorities.validate().unwrap_err()),
            "test_network.authorities"
        );
    }

    #[test]
    fn test_network_ids_are_checked() {
        let short_v3ident =
            parse(&format!("{}{CACHE}", AUTHORITY.replace("01234567\"", "\""))).unwrap();
        assert_eq!(
            field_of(short_v3ident.validate().unwrap_err()),
            "test_network.authorities.v3ident"
        );
        let padded_ed = parse(&format!("{AUTHORITY}{}", CACHE.replace("AAA\"", "AA=\""))).unwrap();
        assert_eq!(
            field_of(padded_ed.validate().unwrap_err()),
            "test_network.fallback_caches.ed_identity"
        );
    }
}
