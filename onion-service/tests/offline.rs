//! Behaviour of the real (arti) onion service that needs no Tor network: `launch` must not
//! wait for Tor, the key must persist, and the stored address must be readable offline.
//!
//! The network is a test network whose only authority and cache are a closed local port, so
//! nothing leaves the machine and bootstrapping can never finish.
#![cfg(feature = "arti")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

use porten_onion::{
    launch, stored_address, OnionConfig, OnionStatus, TestAuthority, TestFallbackCache, TestNetwork,
};

/// A port on which nothing listens: connecting fails at once.
fn closed_port() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

fn unreachable_network_config() -> OnionConfig {
    let port = closed_port();
    OnionConfig {
        enabled: true,
        test_network: Some(TestNetwork {
            authorities: vec![TestAuthority {
                v3ident: "0123456789ABCDEF0123456789ABCDEF01234567".to_owned(),
                dir_port: port,
            }],
            fallback_caches: vec![TestFallbackCache {
                rsa_identity: "89ABCDEF0123456789ABCDEF0123456789ABCDEF".to_owned(),
                ed_identity: "SxfJ1tRyhgdlu850/+PeV01IPIciCWzMZJ9/nTCcqDI".to_owned(),
                orport: port,
            }],
        }),
        ..OnionConfig::default()
    }
}

/// Run `work` on a fresh multi-threaded runtime, then shut the runtime down with a time limit,
/// so that a regression in shutdown fails
/// `a_runtime_shuts_down_promptly_while_tor_is_unreachable` instead of hanging every test.
fn on_runtime<T>(work: impl Future<Output = T>) -> T {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let output = runtime.block_on(work);
    runtime.shutdown_timeout(Duration::from_millis(100));
    output
}

fn is_onion_address(address: &str) -> bool {
    address.len() == 62
        && address.ends_with(".onion")
        && address[..56]
            .chars()
            .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c))
}

async fn launch_and_get_address(config: &OnionConfig, data_dir: &Path) -> String {
    let started = Instant::now();
    let (service, _incoming) = launch(config, data_dir).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "launch waited {:?} although Tor is unreachable",
        started.elapsed()
    );
    assert!(!service.status().is_reachable());
    assert_ne!(service.status(), OnionStatus::Stopped);
    service
        .address()
        .expect("the address is known from launch on")
}

#[test]
fn launch_returns_at_once_and_the_key_survives_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let config = unreachable_network_config();

    assert_eq!(stored_address(&config, data.path()).unwrap(), None);

    let first = on_runtime(launch_and_get_address(&config, data.path()));
    assert!(is_onion_address(&first), "{first}");
    assert_eq!(
        stored_address(&config, data.path()).unwrap().as_deref(),
        Some(first.as_str())
    );

    // A new runtime and a new Tor client: as after a restart of the gateway.
    let second = on_runtime(launch_and_get_address(&config, data.path()));
    assert_eq!(second, first, "a restart must keep the onion address");
}

#[test]
fn another_nickname_is_another_service() {
    let data = tempfile::tempdir().unwrap();
    let config = unreachable_network_config();
    let first = on_runtime(launch_and_get_address(&config, data.path()));

    let other = OnionConfig {
        nickname: "other".to_owned(),
        ..config
    };
    assert_eq!(stored_address(&other, data.path()).unwrap(), None);
    let second = on_runtime(launch_and_get_address(&other, data.path()));
    assert_ne!(second, first);
}

#[test]
fn stored_address_works_outside_any_runtime() {
    let data = tempfile::tempdir().unwrap();
    let config = unreachable_network_config();
    let launched = on_runtime(launch_and_get_address(&config, data.path()));

    // As the `onion-address` command calls it: plain synchronous code.
    assert_eq!(
        stored_address(&config, data.path()).unwrap(),
        Some(launched)
    );
}

#[test]
fn stored_address_of_a_fresh_data_dir_is_none_and_creates_nothing() {
    let data = tempfile::tempdir().unwrap();
    let config = unreachable_network_config();
    assert_eq!(stored_address(&config, data.path()).unwrap(), None);
    assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
}

#[test]
fn a_runtime_shuts_down_promptly_while_tor_is_unreachable() {
    let data = tempfile::tempdir().unwrap();
    let config = unreachable_network_config();
    let data_dir = data.path().to_owned();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let launched = runtime.block_on(async {
            let launched = launch(&config, &data_dir).await.unwrap();
            tokio::time::sleep(Duration::from_secs(1)).await;
            launched
        });
        // As a gateway that returns from main with the service still alive.
        drop(runtime);
        drop(launched);
        let _ = done_tx.send(());
    });
    assert!(
        done_rx.recv_timeout(Duration::from_secs(20)).is_ok(),
        "dropping the runtime waited on Tor"
    );
}
