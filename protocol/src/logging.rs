//! Logging: tracing to standard error, with nothing secret in it.
//!
//! What may never appear in a log line, at any level: codes, ticket refs, keys, message text, client
//! addresses. The gateway never reads client addresses, secrets are wrapped in redacting types, and the
//! integration tests capture the log of a whole visit and search it for every secret.

use tracing_subscriber::EnvFilter;

/// Starts logging with `default_filter` unless `RUST_LOG` is set. Safe to call more than once.
pub fn init(default_filter: &str) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(default_filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}
