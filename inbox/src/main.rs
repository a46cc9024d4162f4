//! `porten-inbox`: the internal side of porten.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use porten_inbox::{self as inbox, InboxConfig, InboxError};
use zeroize::Zeroizing;

/// porten-inbox: the centre's internal side of porten.
///
/// It holds the age identity that opens envelopes, pulls them from the gateway's internal API over mutual
/// TLS (the gateway never connects inward), writes each one exactly once as a JSON file into a spool
/// directory for the case system, and pushes staff replies back, sealed so that only the visitor can read
/// them.
///
/// First time:
///   porten-inbox keygen --out /etc/porten-inbox/identity.txt     (put the printed recipient in porten.toml)
///   porten-inbox certs --out /etc/porten-inbox/certs             (DEVELOPMENT certificates for both sides)
///   porten-inbox pin --config /etc/porten-inbox/porten-inbox.toml (put the printed pin in porten.toml)
///   porten-inbox run --config /etc/porten-inbox/porten-inbox.toml
///
/// Replying:
///   porten-inbox reply TICKET-REF --from "Sara, socialsekreterare" --file reply.txt \
///       --config /etc/porten-inbox/porten-inbox.toml
#[derive(Parser)]
#[command(version, about, long_about, verbatim_doc_comment)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a new age identity (mode 0600) and print the recipient line for the gateway's configuration.
    ///
    /// The file has the format of `age-keygen`, so `age -d -i FILE envelope.age` opens an envelope with it.
    /// An existing file is never overwritten.
    Keygen {
        /// Where to write the identity.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Make DEVELOPMENT TLS certificates for the internal API: a throwaway CA (its key is not kept), the
    /// gateway's server certificate (localhost, 127.0.0.1) and the inbox's client certificate.
    ///
    /// Prints the configuration lines for both sides. For production, issue these from your own PKI.
    Certs {
        /// Directory to write them to (made 0700 if missing). Existing files are never overwritten.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Another name or IP address for the gateway's certificate (repeatable).
        #[arg(long = "name", value_name = "HOST")]
        names: Vec<String>,
    },
    /// Print the pin of this inbox's client key, for the gateway's `internal_api.client_spki`.
    ///
    /// The gateway admits only a client certificate from its `client_ca` whose key is pinned, so an
    /// organisation-wide CA does not let every device in. A new certificate for the same key keeps the pin; a
    /// new key needs its pin added at the gateway (list both while rotating).
    Pin {
        /// The inbox configuration, whose `client_cert` is pinned.
        #[arg(long, short, value_name = "FILE", required_unless_present = "cert")]
        config: Option<PathBuf>,
        /// Pin this certificate file (PEM) instead.
        #[arg(long, value_name = "FILE", conflicts_with = "config")]
        cert: Option<PathBuf>,
    },
    /// Pull, deliver and ack until SIGTERM or Ctrl-C, reconnecting with back-off whenever the gateway is away.
    Run {
        /// The inbox configuration (see examples/porten-inbox.toml).
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
    /// Send a staff reply to a ticket, sealed with its reply key. Reads the text from --file or standard input.
    ///
    /// TICKET-REF is the `ticket_ref` of the ticket's spool files (64 hex characters, or its first 16 or
    /// more). The visitor sees the reply under the --from name when they come back with their code. A failed
    /// push is retried with the same reply id, so the reply is stored at most once.
    Reply {
        /// The ticket ref (or a unique prefix of at least 16 characters).
        #[arg(value_name = "TICKET-REF")]
        ticket: String,
        /// The display name the visitor sees, e.g. "Sara, socialsekreterare".
        #[arg(long, value_name = "NAME")]
        from: String,
        /// Read the reply from this file instead of standard input.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// The inbox configuration.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
    /// Ask the gateway how it is: health and counts (no per-ticket data).
    Status {
        /// The inbox configuration.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
    /// Work with the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain: exit code 0 if intact, 1 with the first broken line otherwise.
    Verify {
        /// The audit log. Default: the one in the configuration.
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
        /// The inbox configuration, to find the log.
        #[arg(long, short, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

/// Exit code for a usage or configuration problem.
const EXIT_USAGE: u8 = 2;
/// Exit code when the ticket is gone at the gateway.
const EXIT_TICKET_GONE: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Keygen { out } => keygen(&out),
        Command::Certs { out, names } => certs(&out, &names),
        Command::Pin { config, cert } => pin(config, cert),
        Command::Run { config } => with_config(&config, |config| {
            porten_protocol::logging::init(&config.log.level);
            runtime_then(|| async {
                let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
                tokio::spawn(async move {
                    wait_for_signal().await;
                    let _ = stop_tx.send(true);
                });
                inbox::run::run(&config, stop_rx).await
            })
            .map(|()| ExitCode::SUCCESS)
        }),
        Command::Reply {
            ticket,
            from,
            file,
            config,
        } => with_config(&config, |config| {
            porten_protocol::logging::init("warn");
            let text = read_text(file.as_deref()).map_err(|message| {
                eprintln!("porten-inbox: {message}");
                ExitCode::from(EXIT_USAGE)
            });
            let text = match text {
                Ok(text) => text,
                Err(code) => return Ok(code),
            };
            match runtime_then(|| inbox::reply::reply(&config, &ticket, &from, text)) {
                Ok(receipt) => {
                    let how = match receipt.outcome {
                        porten_protocol::wire::ReplyOutcome::Stored => "stored",
                        porten_protocol::wire::ReplyOutcome::Duplicate => {
                            "already stored (a retry); stored once"
                        }
                    };
                    println!(
                        "reply {} to ticket {}… {how}; the visitor sees it when they come back with their code",
                        receipt.reply_id, receipt.ticket
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(InboxError::TicketGone) => {
                    eprintln!("porten-inbox: {}", InboxError::TicketGone);
                    Ok(ExitCode::from(EXIT_TICKET_GONE))
                }
                Err(error) => Err(error),
            }
        }),
        Command::Status { config } => with_config(&config, |config| {
            porten_protocol::logging::init("warn");
            runtime_then(|| status(&config)).map(|()| ExitCode::SUCCESS)
        }),
        Command::Audit {
            command: AuditCommand::Verify { log, config },
        } => audit_verify(log, config),
    }
}

fn with_config(
    path: &Path,
    work: impl FnOnce(InboxConfig) -> Result<ExitCode, InboxError>,
) -> ExitCode {
    let config = match InboxConfig::load(path) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match work(config) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            ExitCode::FAILURE
        }
    }
}

fn runtime_then<F, Fut, T>(work: F) -> Result<T, InboxError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, InboxError>>,
{
    porten_protocol::tls::install_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| InboxError::Dir {
            path: PathBuf::from("(async runtime)"),
            source,
        })?;
    runtime.block_on(work())
}

async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut terminate), Ok(mut interrupt)) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
        }
        _ => {
            tracing::error!("cannot install signal handlers; stop with SIGKILL");
            std::future::pending::<()>().await;
        }
    }
    tracing::info!("stopping: finishing the delivery in progress");
}

fn read_text(file: Option<&Path>) -> Result<Zeroizing<String>, String> {
    let mut bytes = Zeroizing::new(Vec::new());
    let limit = (inbox::reply::MAX_REPLY_CHARS * 4 + 1) as u64;
    let read = match file {
        Some(path) => std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
        None => std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}")),
    };
    read?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_owned())),
        Err(_) => Err("the reply is not UTF-8 text".into()),
    }
}

fn keygen(out: &Path) -> ExitCode {
    match inbox::setup::keygen(out) {
        Ok(recipient) => {
            println!(
                "Wrote a new age identity to {} (mode 0600).\n\
                 Keep it on the internal side only, and back it up: without it no envelope can be opened.\n\
                 Check it with the standard tool: age -d -i {} envelope.age\n\n\
                 Put its recipient in the gateway's configuration (porten.toml):\n\n\
                 [outbox]\nrecipients = [\"{recipient}\"]",
                out.display(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            ExitCode::FAILURE
        }
    }
}

fn certs(out: &Path, names: &[String]) -> ExitCode {
    let files = match inbox::setup::dev_certs(out, names) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    let pin = match inbox::setup::pin_of(&files.inbox_cert) {
        Ok(pin) => pin,
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    let absolute = |p: &Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_owned())
            .display()
            .to_string()
    };
    println!(
        "Wrote DEVELOPMENT certificates to {dir}: a throwaway CA (its private key was not kept), the gateway's\n\
         internal-API certificate (localhost, 127.0.0.1{extra}) and the inbox's client certificate.\n\
         Good for trying porten out and for tests; for production, issue them from your own PKI.\n\n\
         Gateway (porten.toml):\n\n\
         [internal_api]\nenabled = true\nlisten = \"127.0.0.1:8444\"\ncert = \"{gateway_cert}\"\n\
         key = \"{gateway_key}\"\nclient_ca = \"{ca}\"\nclient_spki = [\"{pin}\"]\n\n\
         Inbox (porten-inbox.toml):\n\n\
         gateway = \"https://localhost:8444\"\ngateway_ca = \"{ca}\"\nclient_cert = \"{inbox_cert}\"\n\
         client_key = \"{inbox_key}\"",
        dir = absolute(out),
        extra = names.iter().map(|n| format!(", {n}")).collect::<String>(),
        gateway_cert = absolute(&files.gateway_cert),
        gateway_key = absolute(&files.gateway_key),
        ca = absolute(&files.ca),
        inbox_cert = absolute(&files.inbox_cert),
        inbox_key = absolute(&files.inbox_key),
    );
    ExitCode::SUCCESS
}

fn pin(config: Option<PathBuf>, cert: Option<PathBuf>) -> ExitCode {
    let cert = match (cert, config) {
        (Some(cert), _) => cert,
        (None, Some(config)) => match InboxConfig::load(&config) {
            Ok(config) => config.client_cert,
            Err(error) => {
                eprintln!("porten-inbox: {error}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
        (None, None) => {
            eprintln!("porten-inbox: give --config FILE or --cert FILE");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match inbox::setup::pin_of(&cert) {
        Ok(pin) => {
            println!(
                "The pin of the key in {}. Put it in the gateway's configuration (porten.toml):\n\n\
                 [internal_api]\nclient_spki = [\"{pin}\"]",
                cert.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn status(config: &InboxConfig) -> Result<(), InboxError> {
    let mut client = inbox::client::GatewayClient::new(&config.gateway, config.client_tls())?;
    let health = client.health().await?;
    println!(
        "gateway {}: {} (porten {})",
        config.gateway, health.status, health.version
    );
    print!("{}", client.metrics().await?);
    Ok(())
}

fn audit_verify(log: Option<PathBuf>, config: Option<PathBuf>) -> ExitCode {
    let path = match (log, config) {
        (Some(log), _) => log,
        (None, Some(config)) => match InboxConfig::load(&config) {
            Ok(config) => config.audit_log_path(),
            Err(error) => {
                eprintln!("porten-inbox: {error}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
        (None, None) => {
            eprintln!("porten-inbox: give --log FILE or --config FILE");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match inbox::audit::verify(&path) {
        Ok(verified) => {
            let head = if verified.head_checked {
                "and its end matches the head file"
            } else {
                "(no head file beside it, so lines cut off at the end could not be detected)"
            };
            println!(
                "{}: {} lines, hash chain intact {head}",
                path.display(),
                verified.lines
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}: {error}", path.display());
            ExitCode::FAILURE
        }
    }
}
