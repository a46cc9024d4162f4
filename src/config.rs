//! The gateway's one configuration file (TOML), with a documented default for every field.
//!
//! `porten serve` with no `--config` runs on [`Config::default`]: loopback listeners, a development
//! certificate and a development recipient key, so a newcomer can try it at once. Every field, its default and
//! its meaning is written out in `examples/porten.toml`; a test keeps that file and these defaults equal.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ticket::code::DEFAULT_CODE_LENGTH;
use crate::ticket::KdfParams;

/// Why a configuration could not be used. Each message names the field and says what to change.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a field has the wrong type or an unknown name.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, which names the field and the line.
        message: String,
    },
    /// A field has a value the gateway cannot work with.
    #[error("configuration field `{field}`: {reason}")]
    Invalid {
        /// The dotted name of the field, as written in the file.
        field: &'static str,
        /// What is wrong and what would be right.
        reason: String,
    },
}

/// The name of the systemd credential that holds the pepper (`LoadCredentialEncrypted=porten-pepper:…`).
pub const PEPPER_CREDENTIAL: &str = "porten-pepper";

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the database, the pepper (unless `pepper_file` says otherwise) and development keys live.
    /// Default: `porten-data` in the working directory.
    pub data_dir: PathBuf,
    /// The per-installation secret input of the key derivation. Default: the systemd credential
    /// `porten-pepper` when the service has one (`$CREDENTIALS_DIRECTORY/porten-pepper`, from `LoadCredential=`
    /// or `LoadCredentialEncrypted=`), otherwise `<data_dir>/pepper`. Keep a copy apart from database backups:
    /// the database alone is useless for guessing codes.
    pub pepper_file: Option<PathBuf>,
    /// What the pages say and where the exit leads.
    pub site: SiteConfig,
    /// The public HTTPS listener.
    pub https: HttpsConfig,
    /// The plain-HTTP listener for the onion service (C tor) and for a reverse proxy on the same host.
    pub http: HttpConfig,
    /// Limits that keep the gateway up under load and hostile input.
    pub limits: LimitsConfig,
    /// Ticket codes and their key derivation.
    pub ticket: TicketConfig,
    /// Who envelopes are sealed to.
    pub outbox: OutboxConfig,
    /// The internal API that `porten-inbox` pulls from (mutual TLS).
    pub internal_api: InternalApiConfig,
    /// The in-process onion service (see `onion-service/README.md`).
    pub onion: porten_onion::OnionConfig,
    /// Logging.
    pub log: LogConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("porten-data"),
            pepper_file: None,
            site: SiteConfig::default(),
            https: HttpsConfig::default(),
            http: HttpConfig::default(),
            limits: LimitsConfig::default(),
            ticket: TicketConfig::default(),
            outbox: OutboxConfig::default(),
            internal_api: InternalApiConfig::default(),
            onion: porten_onion::OnionConfig::default(),
            log: LogConfig::default(),
        }
    }
}

/// What the pages say and where the exit leads.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// The page title on every page: neutral on purpose, because titles stay in history and tab lists.
    pub title: String,
    /// The centre's name, shown in the page text.
    pub centre_name: String,
    /// The language `/` leads to: one of the language codes in the path (`sv`, `en`, …).
    pub default_language: String,
    /// Where "leave this page" leads: a neutral, common site.
    pub exit_url: String,
    /// An onion address to advertise (landing page and `Onion-Location`) when the onion service is run by a
    /// separate C tor; the in-process onion service advertises its own address.
    pub onion_address: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Kontakt".into(),
            centre_name: "Regionalt resurscentrum mot hedersrelaterat våld och förtryck".into(),
            default_language: "sv".into(),
            exit_url: "https://www.smhi.se/".into(),
            onion_address: None,
        }
    }
}

/// The public HTTPS listener.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct HttpsConfig {
    /// Address to listen on. Default: `127.0.0.1:8443`.
    pub listen: SocketAddr,
    /// Certificate chain (PEM). With neither `cert` nor `key`, a self-signed development certificate is made
    /// in `<data_dir>/dev-tls/` and a warning is logged. Reloaded on SIGHUP.
    pub cert: Option<PathBuf>,
    /// Private key (PEM, PKCS#8, SEC1 or PKCS#1). Reloaded on SIGHUP.
    pub key: Option<PathBuf>,
    /// `Strict-Transport-Security: max-age` in seconds. Default: one year.
    pub hsts_max_age: u64,
}

impl Default for HttpsConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8443)),
            cert: None,
            key: None,
            hsts_max_age: 31_536_000,
        }
    }
}

/// The plain-HTTP listener.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address to listen on; must be a loopback address. Default: `127.0.0.1:8080`. Empty string or absent
    /// `enabled = false` turns it off.
    pub listen: SocketAddr,
    /// Whether to listen at all. Default: true.
    pub enabled: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            enabled: true,
        }
    }
}

/// Limits on connections, requests and submissions.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Connections served at once, over all listeners; more wait in the kernel's backlog. Default: 1024.
    pub max_connections: usize,
    /// Seconds a client has to finish the TLS handshake and then each request's headers. Default: 10.
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a whole request body. Default: 20.
    pub body_timeout_secs: u64,
    /// Seconds a connection may live at all, however busy. Default: 300.
    pub connection_lifetime_secs: u64,
    /// Largest request body in bytes. Default: 65536.
    pub max_body_bytes: usize,
    /// Largest request head (request line and headers) in bytes. Default: 16384 (at least 8192).
    pub max_header_bytes: usize,
    /// Longest message a visitor may write, in characters. Default: 5000.
    pub max_message_chars: usize,
    /// Submissions (first contacts and follow-ups) accepted per minute, over everyone. Default: 60.
    pub submissions_per_minute: u32,
    /// Submissions that may arrive at once before the per-minute rate applies. Default: 20.
    pub submission_burst: u32,
    /// Code attempts per minute over everyone, before the gateway asks visitors to wait. Default: 120.
    pub code_attempts_per_minute: u32,
    /// Code attempts that may arrive at once. Default: 30.
    pub code_attempt_burst: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_timeout_secs: 10,
            body_timeout_secs: 20,
            connection_lifetime_secs: 300,
            max_body_bytes: 65_536,
            max_header_bytes: 16_384,
            max_message_chars: 5000,
            submissions_per_minute: 60,
            submission_burst: 20,
            code_attempts_per_minute: 120,
            code_attempt_burst: 30,
        }
    }
}

/// Ticket codes and their key derivation.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct TicketConfig {
    /// Digits in a code, the last being a check digit. Default: 16.
    pub code_length: usize,
    /// Argon2id parameters. Changing them makes every existing code stop working.
    pub kdf: KdfParams,
    /// Key derivations run at once; memory for them is `kdf_permits × kdf.memory_kib`. Default: 2.
    pub kdf_permits: usize,
    /// Derivations that may wait for a permit before visitors are asked to try again. Default: 64.
    pub kdf_max_waiting: usize,
    /// Days without activity after which a ticket and its thread are deleted. Default: 30.
    pub idle_expiry_days: u32,
    /// Minutes a form or a return session stays valid. Default: 30.
    pub session_minutes: u32,
}

impl Default for TicketConfig {
    fn default() -> Self {
        Self {
            code_length: DEFAULT_CODE_LENGTH,
            kdf: KdfParams::default(),
            kdf_permits: 2,
            kdf_max_waiting: 64,
            idle_expiry_days: 30,
            session_minutes: 30,
        }
    }
}

/// Who envelopes are sealed to.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxConfig {
    /// age X25519 recipients (`age1…`), the internal side's public keys (`porten-inbox keygen` prints one).
    /// Empty: a DEVELOPMENT key pair is made in `<data_dir>/DEVELOPMENT-ONLY-age-identity.txt` and a warning is
    /// logged at every start. Never run a real service like that: the identity sits beside the outbox.
    pub recipients: Vec<String>,
}

/// The internal API: a separate listener with mutual TLS, for `porten-inbox` only.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct InternalApiConfig {
    /// Whether to listen. Default: false. When true, `cert`, `key` and `client_ca` are required.
    pub enabled: bool,
    /// Address to listen on: reachable from the internal side only (firewall it). Default: `127.0.0.1:8444`.
    pub listen: SocketAddr,
    /// The gateway's certificate chain for this listener (PEM); `porten-inbox certs` makes a development one.
    pub cert: Option<PathBuf>,
    /// Its private key (PEM).
    pub key: Option<PathBuf>,
    /// The CA that issues the inbox's client certificates (PEM). No other client certificate is accepted.
    pub client_ca: Option<PathBuf>,
    /// The longest a pull may wait for new envelopes, in seconds. Default: 30.
    pub max_wait_secs: u64,
    /// The most envelopes one pull returns. Default: 100.
    pub max_batch: usize,
}

impl Default for InternalApiConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            listen: SocketAddr::from(([127, 0, 0, 1], 8444)),
            cert: None,
            key: None,
            client_ca: None,
            max_wait_secs: 30,
            max_batch: 100,
        }
    }
}

/// Logging.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// A tracing filter: `info`, `debug`, `porten=debug,hyper=info`, … Default: `info`. `RUST_LOG` overrides it.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
        }
    }
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let config = Self::parse(&text).map_err(|e| match e {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                path: path.to_owned(),
                message,
            },
            other => other,
        })?;
        Ok(config)
    }

    /// Parses and checks configuration text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: PathBuf::from("<config>"),
            message: e.to_string(),
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks values that TOML types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        fn invalid(field: &'static str, reason: impl Into<String>) -> ConfigError {
            ConfigError::Invalid {
                field,
                reason: reason.into(),
            }
        }
        if self.data_dir.as_os_str().is_empty() {
            return Err(invalid("data_dir", "must not be empty"));
        }
        if porten_templates::Lang::from_code(&self.site.default_language).is_none() {
            return Err(invalid(
                "site.default_language",
                format!(
                    "`{}` is not a language the pages exist in; use one of: {}",
                    self.site.default_language,
                    porten_templates::Lang::ALL
                        .iter()
                        .map(|l| l.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if !(self.site.exit_url.starts_with("https://")
            || self.site.exit_url.starts_with("http://"))
            || self
                .site
                .exit_url
                .chars()
                .any(|c| c.is_control() || c == ' ')
        {
            return Err(invalid(
                "site.exit_url",
                "must be an absolute http(s) URL without spaces, e.g. \"https://www.smhi.se/\"",
            ));
        }
        if let Some(onion) = &self.site.onion_address {
            let host = onion.trim_end_matches(".onion");
            if !onion.ends_with(".onion")
                || host.len() != 56
                || !host
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
            {
                return Err(invalid(
                    "site.onion_address",
                    "must be a v3 onion address: 56 characters a–z and 2–7, then \".onion\"",
                ));
            }
        }
        if self.https.cert.is_some() != self.https.key.is_some() {
            return Err(invalid(
                "https.cert",
                "set both https.cert and https.key, or neither (for a development certificate)",
            ));
        }
        if self.http.enabled && !self.http.listen.ip().is_loopback() {
            return Err(invalid(
                "http.listen",
                "the plain-HTTP listener must be on a loopback address (127.0.0.1 or ::1): it carries no TLS",
            ));
        }
        if let Err(error) = self.onion.validate() {
            return Err(ConfigError::Invalid {
                field: "onion",
                reason: error.to_string(),
            });
        }
        let internal = &self.internal_api;
        if internal.enabled
            && (internal.cert.is_none() || internal.key.is_none() || internal.client_ca.is_none())
        {
            return Err(invalid(
                "internal_api.enabled",
                "the internal API needs internal_api.cert, internal_api.key and internal_api.client_ca \
                 (`porten-inbox certs` makes development ones)",
            ));
        }
        if internal.max_wait_secs > 300 || internal.max_batch == 0 || internal.max_batch > 10_000 {
            return Err(invalid(
                "internal_api.max_wait_secs",
                "max_wait_secs must be at most 300 and max_batch between 1 and 10000",
            ));
        }
        let limits = &self.limits;
        if limits.max_connections == 0 {
            return Err(invalid("limits.max_connections", "must be at least 1"));
        }
        if limits.header_timeout_secs == 0 || limits.body_timeout_secs == 0 {
            return Err(invalid(
                "limits.header_timeout_secs",
                "timeouts must be at least 1 second",
            ));
        }
        if limits.max_header_bytes < 8192 {
            return Err(invalid("limits.max_header_bytes", "must be at least 8192"));
        }
        if !(1024..=1_048_576).contains(&limits.max_body_bytes) {
            return Err(invalid(
                "limits.max_body_bytes",
                "must be between 1024 and 1048576",
            ));
        }
        // A message of N characters takes up to 4N bytes of UTF-8, and up to 3 times that percent-encoded.
        if limits.max_message_chars == 0
            || limits.max_message_chars * 12 + 2048 > limits.max_body_bytes
        {
            return Err(invalid(
                "limits.max_message_chars",
                format!(
                    "must be at least 1 and fit in limits.max_body_bytes once encoded (at most {})",
                    limits.max_body_bytes.saturating_sub(2048) / 12
                ),
            ));
        }
        if limits.submissions_per_minute == 0 || limits.code_attempts_per_minute == 0 {
            return Err(invalid(
                "limits.submissions_per_minute",
                "rates must be at least 1 per minute",
            ));
        }
        let ticket = &self.ticket;
        if !(8..=32).contains(&ticket.code_length) {
            return Err(invalid("ticket.code_length", "must be between 8 and 32"));
        }
        if ticket.kdf.memory_kib < 8 || ticket.kdf.iterations == 0 || ticket.kdf.parallelism == 0 {
            return Err(invalid(
                "ticket.kdf",
                "memory_kib must be at least 8, iterations and parallelism at least 1 (defaults: 65536, 3, 1)",
            ));
        }
        if ticket.kdf_permits == 0 {
            return Err(invalid("ticket.kdf_permits", "must be at least 1"));
        }
        if ticket.idle_expiry_days == 0 {
            return Err(invalid("ticket.idle_expiry_days", "must be at least 1"));
        }
        if !(5..=240).contains(&ticket.session_minutes) {
            return Err(invalid(
                "ticket.session_minutes",
                "must be between 5 and 240",
            ));
        }
        Ok(())
    }

    /// Where the pepper file is, without a credentials directory: `pepper_file`, or `<data_dir>/pepper`.
    pub fn pepper_path(&self) -> PathBuf {
        self.pepper_path_in(None)
    }

    /// Where the pepper file is: `pepper_file` if set; else the credential [`PEPPER_CREDENTIAL`] in
    /// `credentials_dir` (systemd's `$CREDENTIALS_DIRECTORY`) if it is there; else `<data_dir>/pepper`.
    pub fn pepper_path_in(&self, credentials_dir: Option<&Path>) -> PathBuf {
        if let Some(path) = &self.pepper_file {
            return path.clone();
        }
        credentials_dir
            .map(|dir| dir.join(PEPPER_CREDENTIAL))
            .filter(|path| path.is_file())
            .unwrap_or_else(|| self.data_dir.join("pepper"))
    }

    /// Where the database is.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("porten.redb")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_documents_exactly_the_defaults() {
        let example = include_str!("../examples/porten.toml");
        let parsed = Config::parse(example).expect("the example parses");
        let default = Config::default();
        assert_eq!(parsed.data_dir, default.data_dir);
        assert_eq!(parsed.pepper_file, default.pepper_file);
        assert_eq!(parsed.site, default.site);
        assert_eq!(parsed.https, default.https);
        assert_eq!(parsed.http, default.http);
        assert_eq!(parsed.limits, default.limits);
        assert_eq!(parsed.ticket, default.ticket);
        assert_eq!(parsed.outbox, default.outbox);
        assert_eq!(parsed.internal_api, default.internal_api);
        assert_eq!(parsed.onion, default.onion);
        assert_eq!(parsed.log, default.log);
    }

    #[test]
    fn the_pepper_comes_from_a_systemd_credential_when_there_is_one() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::parse("data_dir = \"/var/lib/porten\"").unwrap();
        // No credentials directory, or one without the credential: the data directory.
        assert_eq!(
            config.pepper_path_in(None),
            Path::new("/var/lib/porten/pepper")
        );
        assert_eq!(
            config.pepper_path_in(Some(dir.path())),
            Path::new("/var/lib/porten/pepper")
        );
        let credential = dir.path().join(PEPPER_CREDENTIAL);
        std::fs::write(&credential, [7u8; 32]).unwrap();
        assert_eq!(config.pepper_path_in(Some(dir.path())), credential);
        // An explicit pepper_file wins over both.
        let config = Config::parse("data_dir = \"/d\"\npepper_file = \"/mnt/key/pepper\"").unwrap();
        assert_eq!(
            config.pepper_path_in(Some(dir.path())),
            Path::new("/mnt/key/pepper")
        );
    }

    #[test]
    fn an_unknown_field_is_named_in_the_error() {
        let err = Config::parse("[limits]\nmax_conections = 5\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("max_conections"), "{text}");
    }

    #[test]
    fn a_bad_value_is_named_with_its_field() {
        let err = Config::parse("[ticket]\ncode_length = 4\n").unwrap_err();
        assert!(err.to_string().contains("ticket.code_length"), "{err}");
        let err = Config::parse("[http]\nlisten = \"0.0.0.0:80\"\n").unwrap_err();
        assert!(err.to_string().contains("http.listen"), "{err}");
        let err = Config::parse("[site]\nexit_url = \"javascript:alert(1)\"\n").unwrap_err();
        assert!(err.to_string().contains("site.exit_url"), "{err}");
    }

    #[test]
    fn an_empty_file_is_the_default_configuration() {
        let config = Config::parse("").expect("empty is fine");
        assert_eq!(config.limits, LimitsConfig::default());
    }
}
