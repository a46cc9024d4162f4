//! The gateway's shared state, built once from the configuration at start.
//!
//! Opening the data directory, the pepper, the database and the recipients happens here, so that `porten serve`
//! and the tests get the same checks and the same clear errors before any listener opens.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::budget::Budget;
use crate::config::Config;
use crate::conversation::Conversations;
use crate::outbox::{Outbox, OutboxSignal};
use crate::store::Store;
use crate::ticket::{Kdf, KdfPool, Pepper};
use crate::token::Tokens;
use porten_protocol::envelope::{self, EnvelopeError, Recipients};
use porten_protocol::fsutil;

/// Why the gateway could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data directory could not be made.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The pepper file could not be read or made.
    #[error("{0}")]
    Pepper(#[from] crate::ticket::PepperError),
    /// The database could not be opened.
    #[error("cannot open the database: {0}")]
    Store(#[from] crate::store::StoreError),
    /// The key derivation parameters are unusable.
    #[error("ticket.kdf: {0}")]
    Kdf(#[from] crate::ticket::KdfError),
    /// A recipient in `outbox.recipients` is not an age X25519 recipient.
    #[error("outbox.recipients: {0}")]
    Recipients(#[from] EnvelopeError),
    /// The development recipient could not be written.
    #[error("cannot write the development identity {path}: {source}")]
    DevIdentity {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The development identity file has no `# public key:` line to seal to.
    #[error("the development identity {0} has no `# public key: age1…` line; delete the file to make a new one")]
    DevIdentityDamaged(PathBuf),
    /// TLS could not be set up.
    #[error("https: {0}")]
    Tls(#[from] crate::http::tls::TlsError),
    /// The information pages have problems (`site.content_dir`).
    #[error("site.content_dir: {0}")]
    Content(#[from] crate::content::ContentErrors),
}

/// Limits in the form the server uses them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// TLS handshake and request head.
    pub header_timeout: Duration,
    /// Request body.
    pub body_timeout: Duration,
    /// A connection's whole life.
    pub connection_lifetime: Duration,
    /// Request head size.
    pub max_header_bytes: usize,
    /// Request body size.
    pub max_body_bytes: usize,
    /// Message length in characters.
    pub max_message_chars: usize,
    /// A new connection's first byte.
    pub first_byte_timeout: Duration,
}

/// Everything a request handler may use.
pub struct App {
    config: Config,
    limits: Limits,
    /// Tickets and threads, as visitors use them.
    pub conversations: Conversations,
    /// The outbox and the replies, as the internal side uses them.
    pub outbox: Outbox,
    /// Form tokens and return sessions.
    pub tokens: Tokens,
    /// First contacts and follow-ups, per source and over everyone.
    pub submissions: Budget,
    /// Code attempts, per source and over everyone.
    pub code_attempts: Budget,
    /// Form posts of every kind, per source and over everyone: taken before a form token is looked at.
    pub forms: Budget,
    /// Pages that differ only by their form token, rendered once per language.
    pub pages: crate::page_cache::PageCache,
    onion_address: RwLock<Option<String>>,
}

/// The file name of the development identity, chosen to be impossible to mistake for a real one.
pub const DEV_IDENTITY_FILE: &str = "DEVELOPMENT-ONLY-age-identity.txt";

/// The comment line of an identity file that names its recipient, as `age-keygen` writes it.
const PUBLIC_KEY_LINE: &str = "# public key: ";

impl App {
    /// Opens everything the configuration names. Blocking: call before the runtime serves anything.
    pub fn open(config: Config) -> Result<Arc<App>, StartError> {
        let content = crate::content::Content::load(config.site.content_dir.as_deref())?;
        let pages = crate::page_cache::PageCache::build(&config, &content);
        fsutil::create_private_dir(&config.data_dir).map_err(|source| StartError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        let credentials = std::env::var_os("CREDENTIALS_DIRECTORY").map(PathBuf::from);
        let pepper_path = config.pepper_path_in(credentials.as_deref());
        tracing::info!(file = %pepper_path.display(), "reading the pepper");
        let pepper = Pepper::load_or_create(&pepper_path)?;
        let store = Arc::new(Store::open(&config.database_path())?);
        let kdf = Kdf::new(config.ticket.kdf, store.salt(), pepper)?;
        let kdf = KdfPool::new(
            Arc::new(kdf),
            config.ticket.kdf_permits,
            config.ticket.kdf_max_waiting,
        );
        let recipients = recipients(&config)?;
        let outbox_signal = OutboxSignal::default();
        let outbox = Outbox::new(Arc::clone(&store), Arc::clone(&outbox_signal));
        let conversations = Conversations::new(
            store,
            outbox_signal,
            kdf,
            recipients,
            config.ticket.code_length,
            Duration::from_secs(u64::from(config.ticket.idle_expiry_days) * 86_400),
        );
        let tokens = Tokens::new(Duration::from_secs(
            u64::from(config.ticket.session_minutes) * 60,
        ));
        let limits = Limits {
            header_timeout: Duration::from_secs(config.limits.header_timeout_secs),
            body_timeout: Duration::from_secs(config.limits.body_timeout_secs),
            connection_lifetime: Duration::from_secs(config.limits.connection_lifetime_secs),
            max_header_bytes: config.limits.max_header_bytes,
            max_body_bytes: config.limits.max_body_bytes,
            max_message_chars: config.limits.max_message_chars,
            first_byte_timeout: Duration::from_secs(
                config
                    .limits
                    .first_byte_timeout_secs
                    .min(config.limits.header_timeout_secs),
            ),
        };
        let limits_config = &config.limits;
        let source = &limits_config.per_source;
        Ok(Arc::new(App {
            submissions: Budget::new(
                source.submissions_per_minute,
                source.submission_burst,
                limits_config.submissions_per_minute,
                limits_config.submission_burst,
            ),
            code_attempts: Budget::new(
                source.code_attempts_per_minute,
                source.code_attempt_burst,
                limits_config.code_attempts_per_minute,
                limits_config.code_attempt_burst,
            ),
            forms: Budget::new(
                source.forms_per_minute,
                source.form_burst,
                limits_config.forms_per_minute,
                limits_config.form_burst,
            ),
            onion_address: RwLock::new(config.site.onion_address.clone()),
            config,
            limits,
            conversations,
            outbox,
            tokens,
            pages,
        }))
    }

    /// The configuration the gateway runs on.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The request limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The onion address to advertise, once known.
    pub fn onion_address(&self) -> Option<String> {
        match self.onion_address.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Records the onion address once the onion service knows it.
    pub fn set_onion_address(&self, address: Option<String>) {
        match self.onion_address.write() {
            Ok(mut guard) => *guard = address,
            Err(poisoned) => *poisoned.into_inner() = address,
        }
    }
}

/// The configured recipients, or a development recipient whose identity is written beside the data.
fn recipients(config: &Config) -> Result<Recipients, StartError> {
    if !config.outbox.recipients.is_empty() {
        return Ok(Recipients::parse(&config.outbox.recipients)?);
    }
    let path = config.data_dir.join(DEV_IDENTITY_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let (identity, recipient) = envelope::generate_identity();
            let text = format!(
                "# DEVELOPMENT ONLY: made by `porten serve` because outbox.recipients is empty.\n\
                 # Anyone who can read this file can open every envelope in the outbox.\n\
                 {PUBLIC_KEY_LINE}{recipient}\n{}\n",
                identity.expose()
            );
            fsutil::write_private_file(&path, text.as_bytes()).map_err(|source| {
                StartError::DevIdentity {
                    path: path.clone(),
                    source,
                }
            })?;
            text
        }
        Err(source) => return Err(StartError::DevIdentity { path, source }),
    };
    let text = zeroize::Zeroizing::new(text);
    // The gateway reads only the public key back: it has no code that parses an identity or decrypts.
    let recipients: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix(PUBLIC_KEY_LINE))
        .map(str::to_owned)
        .collect();
    if recipients.is_empty() {
        return Err(StartError::DevIdentityDamaged(path));
    }
    tracing::warn!(
        file = %path.display(),
        "outbox.recipients is empty: sealing to a DEVELOPMENT key whose identity lies in the data directory; \
         never run a real service like this (see README, \"The internal side\")"
    );
    Ok(Recipients::parse(&recipients)?)
}
