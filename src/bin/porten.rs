//! `porten`: the public gateway.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use porten::config::Config;

/// porten: an anonymous contact gateway for a resource centre against honour-related violence.
///
/// Run `porten serve` with no configuration to try it on this machine (loopback only, development keys).
/// For a real deployment, write a configuration file (see examples/porten.toml) and run
/// `porten check-config --config FILE` before `porten serve --config FILE`.
#[derive(Parser)]
#[command(version, about, long_about)]
struct Cli {
    /// The configuration file. Without it, the built-in development defaults are used.
    #[arg(long, short, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gateway until SIGTERM or Ctrl-C. SIGHUP reloads the TLS certificate.
    Serve,
    /// Check the configuration file and say what is wrong, without starting anything.
    CheckConfig,
    /// Print the onion service's address from its stored keys.
    OnionAddress,
}

fn load(path: Option<&PathBuf>) -> Result<Config, String> {
    match path {
        Some(path) => Config::load(path).map_err(|e| e.to_string()),
        None => Ok(Config::default()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match load(cli.config.as_ref()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("porten: {message}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::CheckConfig => {
            let credentials = std::env::var_os("CREDENTIALS_DIRECTORY").map(PathBuf::from);
            let report = porten::preflight::check(&config, credentials.as_deref());
            for problem in &report.problems {
                eprintln!("porten: {problem}");
            }
            for note in &report.notes {
                println!("note: {note}");
            }
            if !report.is_valid() {
                return ExitCode::from(2);
            }
            match &cli.config {
                Some(path) => println!("{}: the configuration is valid", path.display()),
                None => println!("no --config given: the built-in defaults are valid"),
            }
            ExitCode::SUCCESS
        }
        Command::OnionAddress => porten::onion::print_address(&config),
        Command::Serve => {
            porten_protocol::logging::init(&config.log.level);
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    eprintln!("porten: cannot start the async runtime: {error}");
                    return ExitCode::FAILURE;
                }
            };
            let status = match runtime.block_on(porten::serve::serve(config)) {
                Ok(()) => 0,
                Err(error) => {
                    tracing::error!(%error, "porten stopped");
                    eprintln!("porten: {error}");
                    1
                }
            };
            // Everything of the gateway's is durable by now; the onion service was dropped on the way out and
            // gets a moment to save its state and close its circuits. The runtime itself is not dropped:
            // arti 0.47 leaves a blocking-pool thread of the proof-of-work queue in an endless sleep, which
            // panics when the runtime shuts down under it (tests/tor-network/README.md). Ending the process
            // ends that thread quietly.
            runtime.block_on(async {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await
            });
            std::process::exit(status)
        }
    }
}
