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
/// TLS (the gateway never connects inward), records each one in its case at the staff desk (and, when
/// spool_dir is set, writes it exactly once as a JSON file for another case system), and pushes staff
/// replies back, sealed so that only the visitor can read them.
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
///
/// Staff desk accounts (administrators):
///   porten-inbox desk add-account --login sara --display-name "Sara, kurator" --role staff \
///       --team "Stödteamet" --config /etc/porten-inbox/porten-inbox.toml
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
    /// Check a configuration as `run` would, without connecting or locking anything: the file, the identity,
    /// the TLS files, the webhook, the directories. Exit code 0 when `run` would start, 2 otherwise.
    CheckConfig {
        /// The inbox configuration.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
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
    /// Manage the staff desk's accounts (for administrators). Nothing here prints a password, a TOTP secret
    /// or a session; an enrolment code is printed once, when it is made.
    Desk {
        #[command(subcommand)]
        command: DeskCommand,
    },
}

#[derive(Subcommand)]
enum DeskCommand {
    /// Make an account and print its one-time enrolment code.
    ///
    /// The account can log in once its owner has enrolled with the code: chosen a password and confirmed a
    /// code from an authenticator app. Hand the code over in person or by a channel other than the one you
    /// tell them their login name by. It is shown only now and expires (desk.enrolment_hours, default 72).
    AddAccount {
        /// The login name: 2 to 64 of a-z, 0-9, '.', '_', '-'.
        #[arg(long, value_name = "NAME")]
        login: String,
        /// The name visitors see on this person's replies, e.g. "Sara, kurator". They can change it later.
        #[arg(long, value_name = "NAME")]
        display_name: String,
        /// staff, team-lead or administrator.
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// A team the account belongs to (repeatable).
        #[arg(long = "team", value_name = "TEAM")]
        teams: Vec<String>,
        /// The inbox configuration.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
    /// Void an account's password, TOTP secret and login sessions, and print a new enrolment code: for a
    /// forgotten password or a lost phone. A disabled account becomes usable again once enrolled.
    ResetAccount {
        /// The login name.
        #[arg(long, value_name = "NAME")]
        login: String,
        /// The inbox configuration.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
    /// Stop an account: its login sessions end and it can no longer log in.
    DisableAccount {
        /// The login name.
        #[arg(long, value_name = "NAME")]
        login: String,
        /// The inbox configuration.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
    /// List the accounts: login name, role, state, teams, display name.
    ListAccounts {
        /// The inbox configuration.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain, the head and the head's signature: exit code 0 if intact, 1 with the first
    /// broken line otherwise. The signature is checked with --key, or with the head key of the configured
    /// identity.
    Verify {
        /// The audit log. Default: the one in the configuration.
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
        /// The inbox configuration, to find the log and the identity.
        #[arg(long, short, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The head key's public half (hex, from `porten-inbox audit key`), for checking without the identity.
        #[arg(long, value_name = "HEX")]
        key: Option<String>,
    },
    /// Print the public half of the key that signs the audit log's head, for auditors to keep apart from the
    /// server and verify with.
    Key {
        /// The inbox configuration, to find the identity.
        #[arg(long, short, value_name = "FILE")]
        config: PathBuf,
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
        Command::CheckConfig { config } => check_config(&config),
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
            command: AuditCommand::Verify { log, config, key },
        } => audit_verify(log, config, key),
        Command::Audit {
            command: AuditCommand::Key { config },
        } => with_config(&config, |config| {
            let identities = inbox::run::load_identities(&config.identity)?;
            match inbox::audit::HeadKey::from_identities(&identities) {
                Some(key) => {
                    println!("{}", key.public_hex());
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!("porten-inbox: the identity file holds no identity");
                    Ok(ExitCode::FAILURE)
                }
            }
        }),
        Command::Desk { command } => desk(command),
    }
}

fn desk(command: DeskCommand) -> ExitCode {
    let usage = |message: String| {
        eprintln!("porten-inbox: {message}");
        ExitCode::from(EXIT_USAGE)
    };
    let login = |text: &str| inbox::LoginName::parse(text).map_err(|e| usage(e.to_string()));
    match command {
        DeskCommand::AddAccount {
            login: login_text,
            display_name,
            role,
            teams,
            config,
        } => {
            let new = (|| {
                Ok::<_, inbox::NameError>(inbox::NewAccount {
                    login: inbox::LoginName::parse(&login_text)?,
                    display_name: inbox::DisplayName::parse(&display_name)?,
                    role: role.parse()?,
                    teams: teams
                        .iter()
                        .map(|team| inbox::TeamName::parse(team))
                        .collect::<Result<_, _>>()?,
                })
            })();
            let new = match new {
                Ok(new) => new,
                Err(error) => return usage(error.to_string()),
            };
            with_desk(&config, |desk, cli| {
                if let Some(team) = new
                    .teams
                    .iter()
                    .find(|team| desk.cases.teams().get(team).is_none())
                {
                    eprintln!(
                        "porten-inbox: no team {:?} is configured in [desk]; write it exactly as configured",
                        team.as_str()
                    );
                    return Ok(ExitCode::from(EXIT_USAGE));
                }
                let role = new.role.as_str().to_owned();
                let teams = new
                    .teams
                    .iter()
                    .map(|team| team.as_str().to_owned())
                    .collect();
                let invitation = desk.accounts.create(new)?;
                cli.log(&inbox::audit::AuditEvent::DeskAccountCreated {
                    by: cli.by(),
                    account: invitation.account.id.to_string(),
                    role,
                    teams,
                })?;
                print_invitation("made", &invitation);
                Ok(ExitCode::SUCCESS)
            })
        }
        DeskCommand::ResetAccount {
            login: name,
            config,
        } => match login(&name) {
            Ok(name) => with_desk(&config, |desk, cli| {
                let invitation = desk.accounts.reset(&name)?;
                cli.log(&inbox::audit::AuditEvent::DeskAccountReset {
                    by: cli.by(),
                    account: invitation.account.id.to_string(),
                })?;
                print_invitation(
                    "reset: its password, TOTP secret and login sessions are void",
                    &invitation,
                );
                Ok(ExitCode::SUCCESS)
            }),
            Err(code) => code,
        },
        DeskCommand::DisableAccount {
            login: name,
            config,
        } => match login(&name) {
            Ok(name) => with_desk(&config, |desk, cli| {
                let account = desk.accounts.disable(&name)?;
                cli.log(&inbox::audit::AuditEvent::DeskAccountDisabled {
                    by: cli.by(),
                    account: account.id.to_string(),
                })?;
                println!(
                    "Account {} is disabled: its login sessions have ended and it cannot log in. \
                     `porten-inbox desk reset-account --login {}` makes it usable again.",
                    account.login, account.login
                );
                Ok(ExitCode::SUCCESS)
            }),
            Err(code) => code,
        },
        DeskCommand::ListAccounts { config } => with_desk(&config, |desk, _| {
            let accounts = desk.accounts.list()?;
            if accounts.is_empty() {
                println!("No accounts yet: make one with `porten-inbox desk add-account`.");
            }
            for account in accounts {
                let teams: Vec<&str> = account.teams.iter().map(|t| t.as_str()).collect();
                println!(
                    "{:<24} {:<13} {:<8} teams: {:<24} display name: {}",
                    account.login.as_str(),
                    account.role.as_str(),
                    account.state.as_str(),
                    if teams.is_empty() {
                        "-".into()
                    } else {
                        teams.join(", ")
                    },
                    account.display_name.as_str(),
                );
            }
            Ok(ExitCode::SUCCESS)
        }),
    }
}

/// Opens the desk of the configured state directory with the configured identity, and runs `work`.
/// Opens the desk (with `run` stopped: one process holds its database) and the audit log its acts on
/// accounts are written to, under the operating-system user who ran the command.
fn with_desk(
    config: &Path,
    work: impl FnOnce(inbox::Desk, CommandLine) -> Result<ExitCode, InboxError>,
) -> ExitCode {
    with_config(config, |config| {
        porten_protocol::logging::init("warn");
        let identities = inbox::run::load_identities(&config.identity)?;
        let desk = inbox::Desk::open(
            &config.state_dir,
            &identities,
            &config.desk,
            std::sync::Arc::new(inbox::SystemClock),
        )?;
        let audit = inbox::audit::AuditLog::signed(config.audit_log_path(), &identities);
        work(desk, CommandLine { audit })
    })
}

/// What a `desk` command writes to the audit log, naming who ran it.
struct CommandLine {
    audit: inbox::audit::AuditLog,
}

impl CommandLine {
    /// Who acted: the command line and the operating-system user.
    fn by(&self) -> String {
        format!("command line, {}", inbox::reply::operator())
    }

    fn log(&self, event: &inbox::audit::AuditEvent) -> Result<(), InboxError> {
        self.audit.append(event)?;
        Ok(())
    }
}

fn print_invitation(what: &str, invitation: &inbox::Invitation) {
    let expires = time::OffsetDateTime::from_unix_timestamp(invitation.expires)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| invitation.expires.to_string());
    println!(
        "Account {} ({}) {what}.\n\n\
         One-time enrolment code, shown only now:\n\n    {}\n\n\
         It works once and until {expires}. With it, {} chooses a password and confirms a code from an\n\
         authenticator app. Hand it over in person or by another channel than the login name. A lost code:\n\
         porten-inbox desk reset-account --login {}",
        invitation.account.login,
        invitation.account.role,
        invitation.code.expose(),
        invitation.account.display_name.as_str(),
        invitation.account.login,
    );
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

/// `porten-inbox check-config`: every file `run` reads at start, read and checked the same way, each problem
/// named with its field; nothing is written, nothing connects.
fn check_config(path: &Path) -> ExitCode {
    let config = match InboxConfig::load(path) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    porten_protocol::tls::install_provider();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    match inbox::run::load_identities(&config.identity) {
        Ok(identities) if identities.is_empty() => problems.push(format!(
            "identity {}: holds no age identity (AGE-SECRET-KEY-1…)",
            config.identity.display()
        )),
        Ok(identities) => {
            let recipients: Vec<String> = identities
                .iter()
                .map(|identity| identity.to_public().to_string())
                .collect();
            notes.push(format!(
                "identity: {} key(s); the gateway's outbox.recipients must list {}",
                identities.len(),
                recipients.join(", ")
            ));
            if porten_protocol::fsutil::is_shared(&config.identity).unwrap_or(false) {
                problems.push(format!(
                    "identity {}: readable by others; chmod 600 it",
                    config.identity.display()
                ));
            }
            if config.identity.starts_with(&config.state_dir) {
                notes.push(
                    "identity: inside the state directory, so a copy of that directory opens everything the \
                     desk keeps; keep it apart (a systemd credential, see examples/porten-inbox.service)"
                        .to_owned(),
                );
            }
            if let Some(key) = inbox::audit::HeadKey::from_identities(&identities) {
                notes.push(format!(
                    "audit head key (for auditors): {}",
                    key.public_hex()
                ));
            }
        }
        Err(error) => problems.push(error.to_string()),
    }
    if let Err(error) = inbox::client::GatewayClient::new(&config.gateway, config.client_tls()) {
        problems.push(format!(
            "gateway TLS (gateway_ca, client_cert, client_key): {error}"
        ));
    }
    if let Some(webhook) = &config.webhook {
        if let Err(error) = inbox::webhook::Webhook::new(webhook) {
            problems.push(format!("webhook: {error}"));
        }
    }
    if config.spool_dir.is_none() {
        notes.push(
            "spool_dir is not set: deliveries go to the staff desk only (sealed), no spool files"
                .into(),
        );
    }
    let dirs = [
        ("state_dir", Some(&config.state_dir)),
        ("spool_dir", config.spool_dir.as_ref()),
    ];
    for (field, dir) in dirs
        .into_iter()
        .filter_map(|(field, dir)| Some((field, dir?)))
    {
        match std::fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => {
                problems.push(format!("{field} {}: not a directory", dir.display()));
            }
            Ok(_) => {
                if porten_protocol::fsutil::is_shared(dir).unwrap_or(false) {
                    problems.push(format!(
                        "{field} {}: open to other users; chmod 700 it",
                        dir.display()
                    ));
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                notes.push(format!("{field} {}: will be made at start", dir.display()));
            }
            Err(error) => problems.push(format!("{field} {}: {error}", dir.display())),
        }
    }
    for note in &notes {
        println!("{note}");
    }
    if problems.is_empty() {
        println!(
            "{}: `run` would start with this configuration",
            path.display()
        );
        ExitCode::SUCCESS
    } else {
        for problem in &problems {
            eprintln!("porten-inbox: {problem}");
        }
        ExitCode::from(EXIT_USAGE)
    }
}

fn audit_verify(log: Option<PathBuf>, config: Option<PathBuf>, key: Option<String>) -> ExitCode {
    let config = match config.map(|path| InboxConfig::load(&path)).transpose() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("porten-inbox: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let Some(path) = log.or_else(|| config.as_ref().map(InboxConfig::audit_log_path)) else {
        eprintln!("porten-inbox: give --log FILE or --config FILE");
        return ExitCode::from(EXIT_USAGE);
    };
    // The key to check the head's signature with: given, or derived from the configured identity.
    let derived = match (&key, &config) {
        (None, Some(config)) => inbox::run::load_identities(&config.identity)
            .ok()
            .and_then(|identities| inbox::audit::HeadKey::from_identities(&identities))
            .map(|key| key.public_hex()),
        _ => None,
    };
    let check = match key.as_deref().or(derived.as_deref()) {
        Some(public) => inbox::audit::HeadCheck::SignedBy(public),
        None => inbox::audit::HeadCheck::Unsigned,
    };
    match inbox::audit::verify(&path, check) {
        Ok(verified) => {
            let signature = if verified.signature_checked {
                "the head's signature holds under the head key"
            } else {
                "the head's signature was NOT checked (give --key, or --config with the identity readable)"
            };
            println!(
                "{}: {} lines, hash chain intact, its end matches the head file; {signature}; head {}",
                path.display(),
                verified.lines,
                verified.head
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}: {error}", path.display());
            ExitCode::FAILURE
        }
    }
}
