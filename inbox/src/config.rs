//! The inbox's configuration file (TOML): where the gateway is, which keys to use, where to deliver.
//!
//! Every field is written out with its meaning in `examples/porten-inbox.toml`. Relative paths are taken
//! relative to the working directory, as the gateway does.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::endpoint::{Endpoint, Scheme};

/// Why the inbox's configuration could not be used. Each message names the field.
#[derive(Debug, thiserror::Error)]
pub enum InboxConfigError {
    /// The file could not be read.
    #[error("cannot read the inbox configuration {path}: {source}")]
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
    /// A field has a value the inbox cannot work with.
    #[error("inbox configuration field `{field}`: {reason}")]
    Invalid {
        /// The dotted name of the field.
        field: &'static str,
        /// What is wrong and what would be right.
        reason: String,
    },
}

/// The whole inbox configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxConfig {
    /// The gateway's internal API: `https://host:port`.
    pub gateway: String,
    /// The CA certificate (PEM) that issued the gateway's internal-API certificate.
    pub gateway_ca: PathBuf,
    /// This inbox's client certificate (PEM), issued by the CA the gateway trusts (`internal_api.client_ca`).
    pub client_cert: PathBuf,
    /// Its private key (PEM).
    pub client_key: PathBuf,
    /// The age identity file (`porten-inbox keygen`); its recipient is in the gateway's `outbox.recipients`.
    pub identity: PathBuf,
    /// Where the inbox keeps reply keys and its own bookkeeping (mode 0700). Back it up: without the reply
    /// keys, staff cannot answer open tickets.
    pub state_dir: PathBuf,
    /// Where each delivered envelope is written as one JSON file, named by envelope id (mode 0700), for a
    /// case system outside the desk. Absent: no spool; the staff desk, which keeps every message sealed, is
    /// the centre's case system, and nothing of a message is written to disk unsealed.
    #[serde(default)]
    pub spool_dir: Option<PathBuf>,
    /// The append-only, hash-chained audit log (JSON lines). Default: `<state_dir>/audit.jsonl`.
    #[serde(default)]
    pub audit_log: Option<PathBuf>,
    /// How long one pull waits for new envelopes, in seconds (the gateway caps it). Default: 30.
    #[serde(default = "default_wait_secs")]
    pub wait_secs: u64,
    /// Hand each delivered envelope to the case system over HTTP as well. Absent: spool only.
    #[serde(default)]
    pub webhook: Option<WebhookConfig>,
    /// Logging.
    #[serde(default)]
    pub log: InboxLogConfig,
    /// The staff desk: lifetimes of codes and sessions, login throttling.
    #[serde(default)]
    pub desk: crate::DeskConfig,
}

/// The optional webhook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// Where to POST each payload: `http://` for an endpoint on the internal network, or `https://` with `ca`.
    pub url: String,
    /// The CA certificate (PEM) for an `https://` webhook.
    #[serde(default)]
    pub ca: Option<PathBuf>,
    /// Attempts per delivery before the inbox pauses and tries the whole delivery again later. Default: 5.
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
    /// Seconds each attempt may take. Default: 10.
    #[serde(default = "default_webhook_timeout")]
    pub timeout_secs: u64,
}

/// Logging.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InboxLogConfig {
    /// A tracing filter such as `info` or `porten=debug`. Default: `info`. `RUST_LOG` overrides it.
    pub level: String,
}

impl Default for InboxLogConfig {
    fn default() -> Self {
        InboxLogConfig {
            level: "info".into(),
        }
    }
}

fn default_wait_secs() -> u64 {
    30
}

fn default_attempts() -> u32 {
    5
}

fn default_webhook_timeout() -> u64 {
    10
}

impl InboxConfig {
    /// The TLS files the inbox shows the gateway.
    pub fn client_tls(&self) -> crate::client::ClientTls<'_> {
        crate::client::ClientTls {
            gateway_ca: &self.gateway_ca,
            client_cert: &self.client_cert,
            client_key: &self.client_key,
        }
    }

    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<InboxConfig, InboxConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| InboxConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|error| match error {
            InboxConfigError::Parse { message, .. } => InboxConfigError::Parse {
                path: path.to_owned(),
                message,
            },
            other => other,
        })
    }

    /// Parses and checks configuration text.
    pub fn parse(text: &str) -> Result<InboxConfig, InboxConfigError> {
        let config: InboxConfig = toml::from_str(text).map_err(|e| InboxConfigError::Parse {
            path: PathBuf::from("<config>"),
            message: e.to_string(),
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what types alone cannot.
    pub fn validate(&self) -> Result<(), InboxConfigError> {
        let invalid = |field, reason: String| InboxConfigError::Invalid { field, reason };
        let gateway = self
            .gateway_endpoint()
            .map_err(|reason| invalid("gateway", reason))?;
        if gateway.scheme != Scheme::Https {
            return Err(invalid(
                "gateway",
                "must start with https:// (the internal API is mutual TLS only)".into(),
            ));
        }
        if self.wait_secs == 0 || self.wait_secs > 300 {
            return Err(invalid("wait_secs", "must be between 1 and 300".into()));
        }
        if self.spool_dir.as_ref() == Some(&self.state_dir) {
            return Err(invalid(
                "spool_dir",
                "must differ from state_dir: the case system reads the spool, the reply keys stay in state"
                    .into(),
            ));
        }
        self.desk
            .validate()
            .map_err(|(field, reason)| invalid(field, reason))?;
        if let Some(webhook) = &self.webhook {
            let endpoint =
                Endpoint::parse(&webhook.url).map_err(|reason| invalid("webhook.url", reason))?;
            if endpoint.scheme == Scheme::Https && webhook.ca.is_none() {
                return Err(invalid(
                    "webhook.ca",
                    "an https:// webhook needs the CA certificate that issued its certificate"
                        .into(),
                ));
            }
            if !(1..=20).contains(&webhook.max_attempts) {
                return Err(invalid(
                    "webhook.max_attempts",
                    "must be between 1 and 20".into(),
                ));
            }
            if !(1..=120).contains(&webhook.timeout_secs) {
                return Err(invalid(
                    "webhook.timeout_secs",
                    "must be between 1 and 120".into(),
                ));
            }
        }
        Ok(())
    }

    /// The gateway's address.
    pub fn gateway_endpoint(&self) -> Result<Endpoint, String> {
        Endpoint::parse(&self.gateway)
    }

    /// Where the audit log is.
    pub fn audit_log_path(&self) -> PathBuf {
        self.audit_log
            .clone()
            .unwrap_or_else(|| self.state_dir.join("audit.jsonl"))
    }

    /// How long one pull waits.
    pub fn wait(&self) -> Duration {
        Duration::from_secs(self.wait_secs)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    const MINIMAL: &str = r#"
gateway = "https://localhost:8444"
gateway_ca = "ca.pem"
client_cert = "inbox.pem"
client_key = "inbox-key.pem"
identity = "identity.txt"
state_dir = "state"
spool_dir = "spool"
"#;

    #[test]
    fn the_example_file_parses() {
        let example = include_str!("../../examples/porten-inbox.toml");
        let config = InboxConfig::parse(example).expect("the example parses");
        assert_eq!(config.wait_secs, 30);
        assert!(
            config.webhook.is_none(),
            "the example's webhook is commented out"
        );
    }

    #[test]
    fn a_minimal_file_takes_the_defaults() {
        let config = InboxConfig::parse(MINIMAL).expect("parses");
        assert_eq!(config.audit_log_path(), PathBuf::from("state/audit.jsonl"));
        assert_eq!(config.wait(), Duration::from_secs(30));
        assert_eq!(config.log.level, "info");
    }

    #[test]
    fn without_a_spool_dir_there_is_no_spool_and_one_in_the_state_dir_is_refused() {
        let text = MINIMAL.replace("spool_dir = \"spool\"", "");
        assert_ne!(text, MINIMAL);
        let config = InboxConfig::parse(&text).expect("no spool");
        assert_eq!(config.spool_dir, None);
        let text = MINIMAL.replace("spool_dir = \"spool\"", "spool_dir = \"state\"");
        let error = InboxConfig::parse(&text).expect_err("the spool in the state directory");
        assert!(error.to_string().contains("spool_dir"), "{error}");
    }

    #[test]
    fn a_plain_http_gateway_is_refused() {
        let text = MINIMAL.replace("https://localhost:8444", "http://localhost:8444");
        let error = InboxConfig::parse(&text).expect_err("plain http");
        assert!(error.to_string().contains("`gateway`"), "{error}");
    }

    #[test]
    fn an_https_webhook_without_a_ca_is_refused_and_http_is_fine() {
        let text = format!("{MINIMAL}\n[webhook]\nurl = \"https://cases.internal/in\"\n");
        let error = InboxConfig::parse(&text).expect_err("no CA");
        assert!(error.to_string().contains("webhook.ca"), "{error}");
        let text = format!("{MINIMAL}\n[webhook]\nurl = \"http://cases.internal:8080/in\"\n");
        let config = InboxConfig::parse(&text).expect("http webhook");
        assert_eq!(config.webhook.map(|w| w.max_attempts), Some(5));
    }

    #[test]
    fn the_desk_section_is_optional_and_its_ranges_are_checked() {
        let config = InboxConfig::parse(MINIMAL).expect("parses");
        assert_eq!(config.desk, crate::DeskConfig::default());
        assert_eq!(config.desk.enrolment_hours, 72);
        assert_eq!(config.desk.idle_minutes, 15);
        assert_eq!(config.desk.session_hours, 8);
        let text =
            format!("{MINIMAL}\n[desk]\nidle_minutes = 30\ntotp_issuer = \"Resurscentrum\"\n");
        let config = InboxConfig::parse(&text).expect("a desk section");
        assert_eq!(config.desk.idle_minutes, 30);
        assert_eq!(config.desk.lockout_after, 5);
        let text = format!("{MINIMAL}\n[desk]\nidle_minutes = 600\nsession_hours = 8\n");
        let error = InboxConfig::parse(&text).expect_err("idle longer than the lifetime");
        assert!(error.to_string().contains("desk.idle_minutes"), "{error}");
        let text = format!("{MINIMAL}\n[desk]\nlockout_after = 0\n");
        let error = InboxConfig::parse(&text).expect_err("no lockout");
        assert!(error.to_string().contains("desk.lockout_after"), "{error}");
    }

    #[test]
    fn an_unknown_field_is_named() {
        let text = format!("{MINIMAL}\nspool_directory = \"x\"\n");
        let error = InboxConfig::parse(&text).expect_err("unknown");
        assert!(error.to_string().contains("spool_directory"), "{error}");
    }
}
