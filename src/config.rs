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
    /// What the landing page tells a visitor about the centre: who runs it, reply time, phone, helplines.
    pub centre: CentreConfig,
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
            centre: CentreConfig::default(),
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
    /// The languages offered, in the order the picker shows them. Default: every language the pages exist in.
    /// A centre may leave out the drafts no native speaker has checked yet.
    pub languages: Vec<String>,
    /// A folder of information pages in Markdown (`<dir>/<lang>/<name>.md`), replacing the built-in set.
    /// Default: none, which serves the built-in Swedish and English pages.
    pub content_dir: Option<PathBuf>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Kontakt".into(),
            centre_name: "Regionalt resurscentrum mot hedersrelaterat våld och förtryck".into(),
            default_language: "sv".into(),
            exit_url: "https://www.smhi.se/".into(),
            onion_address: None,
            languages: porten_templates::Lang::ALL
                .iter()
                .map(|lang| lang.code().to_owned())
                .collect(),
            content_dir: None,
        }
    }
}

impl SiteConfig {
    /// The offered languages; call after [`Config::validate`], which refuses unknown codes.
    pub fn offered_languages(&self) -> Vec<porten_templates::Lang> {
        self.languages
            .iter()
            .filter_map(|code| porten_templates::Lang::from_code(code))
            .collect()
    }
}

/// What the landing page tells a visitor about the centre. The defaults name the national Swedish lines;
/// check each number and its hours before going live, because lines change.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct CentreConfig {
    /// Who runs the centre, to fit "The centre is run by …". Empty: the sentence is left out.
    pub organiser: String,
    /// Working days within which the centre usually replies. Default: 3.
    pub reply_working_days: u32,
    /// The centre's own phone number, if visitors may call. Default: none.
    pub phone: Option<String>,
    /// When the phone is answered: `"always"`, `"weekdays 09:00-16:00"`, `"every day 08:00-20:00"`, or `""`
    /// to say nothing.
    pub phone_hours: String,
    /// A number that takes SMS. Default: none.
    pub sms: Option<String>,
    /// Helplines shown under "Are you in danger?", after 112 and the police, in this order.
    pub helplines: Vec<HelplineConfig>,
}

/// One helpline.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HelplineConfig {
    /// Who it is for: `young`, `women`, `boys-and-men`, `lgbtq`, `stop-violence`, `professionals`, `everyone`.
    #[serde(rename = "for")]
    pub audience: String,
    /// Its name as its organisation writes it.
    pub name: String,
    /// The number.
    pub number: String,
    /// When it answers, as `centre.phone_hours`. Default: `""` (not stated).
    #[serde(default)]
    pub hours: String,
    /// Free to call. Default: false (nothing said).
    #[serde(default)]
    pub free: bool,
    /// Does not show on the phone bill. Default: false (nothing said).
    #[serde(default)]
    pub off_bill: bool,
}

impl Default for CentreConfig {
    fn default() -> Self {
        let line = |audience: &str, name: &str, number: &str, hours: &str, free, off_bill| {
            HelplineConfig {
                audience: audience.into(),
                name: name.into(),
                number: number.into(),
                hours: hours.into(),
                free,
                off_bill,
            }
        };
        Self {
            organiser: "Länsstyrelsen och kommunerna i länet".into(),
            reply_working_days: 3,
            phone: None,
            phone_hours: String::new(),
            sms: None,
            helplines: vec![
                line("young", "BRIS", "116 111", "always", true, true),
                line(
                    "women",
                    "Kvinnofridslinjen",
                    "020-50 50 50",
                    "always",
                    true,
                    true,
                ),
                line(
                    "boys-and-men",
                    "Brottsofferjouren",
                    "116 006",
                    "",
                    false,
                    false,
                ),
                line(
                    "lgbtq",
                    "RFSL Stödmottagning",
                    "020-34 13 16",
                    "",
                    true,
                    false,
                ),
                line(
                    "stop-violence",
                    "Välj att sluta",
                    "020-555 666",
                    "",
                    true,
                    false,
                ),
            ],
        }
    }
}

/// Reads `always`, `weekdays HH:MM-HH:MM`, `every day HH:MM-HH:MM` or `""`.
fn parse_hours(text: &str) -> Option<porten_templates::Hours> {
    use porten_templates::Hours;
    let text = text.trim();
    if text.is_empty() {
        return Some(Hours::Unknown);
    }
    if text == "always" {
        return Some(Hours::Always);
    }
    let (days, range) = if let Some(range) = text.strip_prefix("weekdays ") {
        (true, range)
    } else {
        (false, text.strip_prefix("every day ")?)
    };
    let (from, to) = range.trim().split_once('-')?;
    let time = |t: &str| {
        let t = t.trim();
        let (h, m) = t.split_once(':')?;
        let ok = h.len() == 2
            && m.len() == 2
            && h.parse::<u8>().ok()? <= 24
            && m.parse::<u8>().ok()? < 60;
        ok.then(|| t.to_owned())
    };
    let (from, to) = (time(from)?, time(to)?);
    Some(if days {
        Hours::Weekdays { from, to }
    } else {
        Hours::EveryDay { from, to }
    })
}

impl Config {
    /// What the pages say about the centre; call after [`Config::validate`], which refuses what this skips.
    pub fn centre(&self) -> porten_templates::Centre {
        use porten_templates::{Audience, Centre, Helpline, Hours, Phone};
        let centre = &self.centre;
        Centre {
            organiser: centre.organiser.clone(),
            reply_working_days: centre.reply_working_days,
            expiry_days: self.ticket.idle_expiry_days,
            phone: centre.phone.as_ref().map(|number| Phone {
                number: number.clone(),
                hours: parse_hours(&centre.phone_hours).unwrap_or(Hours::Unknown),
            }),
            sms: centre.sms.clone(),
            helplines: centre
                .helplines
                .iter()
                .filter_map(|line| {
                    Some(Helpline {
                        audience: Audience::parse(&line.audience)?,
                        name: line.name.clone(),
                        number: line.number.clone(),
                        hours: parse_hours(&line.hours).unwrap_or(Hours::Unknown),
                        free: line.free,
                        off_bill: line.off_bill,
                    })
                })
                .collect(),
            languages: self.site.offered_languages(),
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
    /// Connections served at once on each listener (HTTPS, plain HTTP); more wait in the kernel's backlog. The
    /// onion service has a pool of its own, `onion.max_concurrent_streams`. Default: 1024.
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
    /// Form posts of every kind (each one spends a form token) per minute, over everyone. A post is cheap; this
    /// only bounds the total, the per-source budget is what stops one client. Default: 60000.
    pub forms_per_minute: u32,
    /// Form posts that may arrive at once. Default: 10000.
    pub form_burst: u32,
    /// What one source may spend of the budgets above. A source is a network on the clear web (the /24 of an
    /// IPv4 address, the /56 of an IPv6 one) or one rendezvous circuit on the onion service; it is known only
    /// under an hourly keyed hash in memory, never stored or logged. Requests on the plain-HTTP listener have no
    /// known source and share only the global budgets.
    pub per_source: PerSourceLimits,
    /// Seconds a new connection has to send its first byte (a TLS hello or a request line); at most
    /// `header_timeout_secs` counts. Default: 5.
    pub first_byte_timeout_secs: u64,
}

/// One source's share of the limits (see [`LimitsConfig::per_source`]).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PerSourceLimits {
    /// Connections one source may hold at once (the onion service bounds its streams per circuit itself).
    /// Default: 64.
    pub connections: u32,
    /// Submissions per minute from one source. Default: 4.
    pub submissions_per_minute: u32,
    /// Submissions that may arrive at once from one source. Default: 6.
    pub submission_burst: u32,
    /// Code attempts per minute from one source. Default: 10.
    pub code_attempts_per_minute: u32,
    /// Code attempts that may arrive at once from one source. Default: 10.
    pub code_attempt_burst: u32,
    /// Form posts per minute from one source. Default: 60.
    pub forms_per_minute: u32,
    /// Form posts that may arrive at once from one source. Default: 30.
    pub form_burst: u32,
}

impl Default for PerSourceLimits {
    fn default() -> Self {
        Self {
            connections: 64,
            submissions_per_minute: 4,
            submission_burst: 6,
            code_attempts_per_minute: 10,
            code_attempt_burst: 10,
            forms_per_minute: 60,
            form_burst: 30,
        }
    }
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
            forms_per_minute: 60_000,
            form_burst: 10_000,
            per_source: PerSourceLimits::default(),
            first_byte_timeout_secs: 5,
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
    /// Whether to listen. Default: false. When true, `cert`, `key`, `client_ca` and `client_spki` are required.
    pub enabled: bool,
    /// Address to listen on: reachable from the internal side only (firewall it). Default: `127.0.0.1:8444`.
    pub listen: SocketAddr,
    /// The gateway's certificate chain for this listener (PEM); `porten-inbox certs` makes a development one.
    pub cert: Option<PathBuf>,
    /// Its private key (PEM).
    pub key: Option<PathBuf>,
    /// The CA that issues the inbox's client certificates (PEM). No other client certificate is accepted.
    pub client_ca: Option<PathBuf>,
    /// The keys allowed in through `client_ca`: `sha256/<base64>` pins of the inbox certificates' public keys
    /// (`porten-inbox pin` prints one). A certificate from the CA with any other key is refused at the
    /// handshake. A list, so a new inbox key can be added before the old one is removed. Default: empty.
    pub client_spki: Vec<String>,
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
            client_spki: Vec::new(),
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
        let known = || {
            porten_templates::Lang::ALL
                .iter()
                .map(|l| l.code())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.site.languages.is_empty() {
            return Err(invalid("site.languages", "offer at least one language"));
        }
        for (at, code) in self.site.languages.iter().enumerate() {
            if porten_templates::Lang::from_code(code).is_none() {
                return Err(invalid(
                    "site.languages",
                    format!(
                        "`{code}` is not a language the pages exist in; use some of: {}",
                        known()
                    ),
                ));
            }
            if self.site.languages[..at].contains(code) {
                return Err(invalid(
                    "site.languages",
                    format!("`{code}` is listed twice"),
                ));
            }
        }
        if !self.site.languages.contains(&self.site.default_language) {
            return Err(invalid(
                "site.default_language",
                "must be one of site.languages, the languages offered",
            ));
        }
        if self.centre.reply_working_days == 0 {
            return Err(invalid("centre.reply_working_days", "must be at least 1"));
        }
        if parse_hours(&self.centre.phone_hours).is_none() {
            return Err(invalid(
                "centre.phone_hours",
                "write \"always\", \"weekdays 09:00-16:00\", \"every day 08:00-20:00\" or \"\"",
            ));
        }
        for line in &self.centre.helplines {
            if porten_templates::Audience::parse(&line.audience).is_none() {
                return Err(invalid(
                    "centre.helplines.for",
                    format!(
                        "`{}` is not a group; use one of: {}",
                        line.audience,
                        porten_templates::Audience::ALL
                            .iter()
                            .map(|a| a.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if parse_hours(&line.hours).is_none() {
                return Err(invalid(
                    "centre.helplines.hours",
                    format!(
                        "`{}` ({}): write \"always\", \"weekdays 09:00-16:00\", \"every day 08:00-20:00\" or \"\"",
                        line.hours, line.name
                    ),
                ));
            }
            if line.name.trim().is_empty() || line.number.trim().is_empty() {
                return Err(invalid(
                    "centre.helplines",
                    "every helpline needs a name and a number",
                ));
            }
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
        if internal.enabled && internal.client_spki.is_empty() {
            return Err(invalid(
                "internal_api.client_spki",
                "the internal API needs the inbox's key pin, for example client_spki = [\"sha256/…\"] \
                 (`porten-inbox pin --config FILE` prints it)",
            ));
        }
        for (index, pin) in internal.client_spki.iter().enumerate() {
            if let Err(error) = porten_protocol::pin::SpkiPin::parse(pin) {
                return Err(invalid(
                    "internal_api.client_spki",
                    format!("entry {index} (counting from 0): {error}"),
                ));
            }
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
        let source = &limits.per_source;
        let rates = [
            (
                "limits.submissions_per_minute",
                limits.submissions_per_minute,
            ),
            (
                "limits.code_attempts_per_minute",
                limits.code_attempts_per_minute,
            ),
            ("limits.forms_per_minute", limits.forms_per_minute),
            (
                "limits.per_source.submissions_per_minute",
                source.submissions_per_minute,
            ),
            (
                "limits.per_source.code_attempts_per_minute",
                source.code_attempts_per_minute,
            ),
            (
                "limits.per_source.forms_per_minute",
                source.forms_per_minute,
            ),
            ("limits.per_source.connections", source.connections),
        ];
        if let Some((field, _)) = rates.iter().find(|(_, rate)| *rate == 0) {
            return Err(invalid(field, "must be at least 1"));
        }
        if limits.first_byte_timeout_secs == 0 {
            return Err(invalid(
                "limits.first_byte_timeout_secs",
                "must be at least 1",
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
        assert_eq!(parsed.centre, default.centre);
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
    fn hours_are_read_in_the_three_documented_shapes_and_nothing_else() {
        use porten_templates::Hours;
        assert_eq!(parse_hours(""), Some(Hours::Unknown));
        assert_eq!(parse_hours("always"), Some(Hours::Always));
        assert_eq!(
            parse_hours("weekdays 09:00-16:00"),
            Some(Hours::Weekdays {
                from: "09:00".into(),
                to: "16:00".into()
            })
        );
        assert_eq!(
            parse_hours("every day 08:00 - 22:30"),
            Some(Hours::EveryDay {
                from: "08:00".into(),
                to: "22:30".into()
            })
        );
        for bad in [
            "sometimes",
            "weekdays 9-16",
            "weekdays 09:00",
            "every day 25:00-26:00",
            "mon 09:00-10:00",
        ] {
            assert_eq!(parse_hours(bad), None, "{bad}");
        }
    }

    #[test]
    fn offered_languages_must_be_known_distinct_and_include_the_default() {
        let err = Config::parse("[site]\nlanguages = [\"sv\", \"xx\"]\n").unwrap_err();
        assert!(err.to_string().contains("site.languages"), "{err}");
        let err = Config::parse("[site]\nlanguages = [\"sv\", \"sv\"]\n").unwrap_err();
        assert!(err.to_string().contains("twice"), "{err}");
        let err = Config::parse("[site]\nlanguages = [\"en\"]\n").unwrap_err();
        assert!(err.to_string().contains("site.default_language"), "{err}");
        let config = Config::parse("[site]\nlanguages = [\"sv\", \"en\"]\n").unwrap();
        assert_eq!(
            config.centre().languages,
            [porten_templates::Lang::Sv, porten_templates::Lang::En]
        );
    }

    #[test]
    fn a_helpline_for_an_unknown_group_or_with_odd_hours_is_refused() {
        let line = |audience: &str, hours: &str| {
            format!(
                "[[centre.helplines]]\nfor = \"{audience}\"\nname = \"X\"\nnumber = \"1\"\nhours = \"{hours}\"\n"
            )
        };
        let err = Config::parse(&line("aliens", "")).unwrap_err();
        assert!(err.to_string().contains("centre.helplines.for"), "{err}");
        let err = Config::parse(&line("young", "9-5")).unwrap_err();
        assert!(err.to_string().contains("centre.helplines.hours"), "{err}");
        let config = Config::parse(&line("lgbtq", "always")).unwrap();
        assert_eq!(config.centre().helplines.len(), 1);
    }

    #[test]
    fn the_landing_page_learns_the_expiry_from_the_ticket_settings() {
        let config = Config::parse("[ticket]\nidle_expiry_days = 14\n").unwrap();
        assert_eq!(config.centre().expiry_days, 14);
    }

    #[test]
    fn an_empty_file_is_the_default_configuration() {
        let config = Config::parse("").expect("empty is fine");
        assert_eq!(config.limits, LimitsConfig::default());
    }
}
