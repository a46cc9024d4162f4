//! Smallest user of the crate: launch the onion service from a TOML file and answer every
//! request on it with "hello". Used by `tests/tor-network/smoke.sh` to prove the service on a
//! local Tor network, and as the pattern the gateway follows (hyper over `TokioIo`).
//!
//! ```text
//! cargo run -p porten-onion --features arti --example hello -- CONFIG.toml          # serve
//! cargo run -p porten-onion --features arti --example hello -- CONFIG.toml address  # print stored address
//! ```
//!
//! CONFIG.toml has `data_dir = "..."` and an `[onion]` section like the gateway's.

use std::convert::Infallible;
use std::path::PathBuf;
use std::process::ExitCode;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use porten_onion::{OnionConfig, OnionService};
use serde::Deserialize;
use tokio::signal::unix::{signal, SignalKind};

/// The example's configuration file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleConfig {
    /// Where `onion/` and `onion-cache/` go.
    data_dir: PathBuf,
    /// The crate's configuration, as in the gateway.
    onion: OnionConfig,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // A tiny test network makes arti's relay selection complain every second.
                .unwrap_or_else(|_| "info,tor_netdir=error".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: hello CONFIG.toml [address]");
        return ExitCode::from(2);
    };
    let config = match std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| toml::from_str::<ExampleConfig>(&text).map_err(|e| e.to_string()))
    {
        Ok(config) => config,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };

    if args.get(1).map(String::as_str) == Some("address") {
        return match porten_onion::stored_address(&config.onion, &config.data_dir) {
            Ok(Some(address)) => {
                println!("{address}");
                ExitCode::SUCCESS
            }
            Ok(None) => {
                eprintln!("no onion service key yet");
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("{}", porten_onion::report(&e));
                ExitCode::from(1)
            }
        };
    }

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(serve(config))
}

/// Launch the service and answer "hello" until SIGINT or SIGTERM.
async fn serve(config: ExampleConfig) -> ExitCode {
    let (service, mut incoming) = match porten_onion::launch(&config.onion, &config.data_dir).await
    {
        Ok(launched) => launched,
        Err(e) => {
            eprintln!("{}", porten_onion::report(&e));
            return ExitCode::from(1);
        }
    };
    println!(
        "onion address: {}",
        service.address().unwrap_or_else(|| "(unknown)".to_owned())
    );

    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        eprintln!("cannot listen for signals");
        return ExitCode::from(1);
    };
    loop {
        tokio::select! {
            stream = incoming.accept() => match stream {
                Some(stream) => {
                    tokio::spawn(async move {
                        let io = TokioIo::new(stream);
                        let served = http1::Builder::new()
                            .serve_connection(io, service_fn(hello))
                            .await;
                        if let Err(e) = served {
                            tracing::debug!(error = %e, "onion connection ended with an error");
                        }
                    });
                }
                None => break,
            },
            _ = interrupt.recv() => break,
            _ = terminate.recv() => break,
        }
    }
    report_final(&service);
    ExitCode::SUCCESS
}

/// Every request gets the same small answer, with a length so clients know where it ends.
async fn hello(
    _request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from_static(b"hello\n"))))
}

/// Say how the service stood when the example stopped.
fn report_final(service: &OnionService) {
    tracing::info!(status = %service.status(), "hello example stopping");
}
