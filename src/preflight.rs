//! What `porten check-config` checks: everything `porten serve` would refuse at start, without starting
//! anything or writing anything, and what `serve` would make for itself on the way.
//!
//! `serve` opens the same files through the same functions ([`crate::app::App::open`], the TLS loader, the
//! key derivation's own parameter check), so a configuration this calls valid starts.

use std::path::Path;

use crate::config::Config;
use crate::envelope::Recipients;
use crate::http::tls::{self, CertificateSource};
use crate::ticket::{Kdf, Pepper};

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// What `serve` would refuse, each naming the field and what would be right.
    pub problems: Vec<String>,
    /// What `serve` would make or use that the operator should know about.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether `serve` would start on this configuration.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks `config` as `serve` would use it, with systemd's credentials directory `credentials_dir` (from
/// `$CREDENTIALS_DIRECTORY`) where the pepper may be.
pub fn check(config: &Config, credentials_dir: Option<&Path>) -> Report {
    let mut report = Report::default();
    recipients(config, &mut report);
    certificate(config, &mut report);
    internal_api(config, &mut report);
    onion(config, &mut report);
    kdf(config, &mut report);
    files(config, credentials_dir, &mut report);
    if let Err(errors) = crate::content::Content::load(config.site.content_dir.as_deref()) {
        report.problems.push(format!("site.content_dir: {errors}"));
    }
    report
}

fn recipients(config: &Config, report: &mut Report) {
    if config.outbox.recipients.is_empty() {
        report.notes.push(format!(
            "outbox.recipients is empty: serve seals to a DEVELOPMENT key kept in {} (never for real use)",
            config.data_dir.join(crate::app::DEV_IDENTITY_FILE).display()
        ));
    } else if let Err(error) = Recipients::parse(&config.outbox.recipients) {
        report.problems.push(format!("outbox.recipients: {error}"));
    }
}

/// The internal API's certificate, key, client CA and key pins, built exactly as `serve` builds them.
fn internal_api(config: &Config, report: &mut Report) {
    if !config.internal_api.enabled {
        return;
    }
    porten_protocol::tls::install_provider();
    if let Err(error) = crate::internal_api::server_config(&config.internal_api) {
        report.problems.push(error.to_string());
    }
}

fn certificate(config: &Config, report: &mut Report) {
    let https = &config.https;
    match (https.cert.as_deref(), https.key.as_deref()) {
        (Some(cert), Some(key)) => {
            porten_protocol::tls::install_provider();
            let source = CertificateSource {
                cert: cert.to_owned(),
                key: key.to_owned(),
                development: false,
            };
            if let Err(error) = tls::server_config(&source) {
                report
                    .problems
                    .push(format!("https.cert and https.key: {error}"));
            }
        }
        (Some(_), None) | (None, Some(_)) => report.problems.push(
            "https.cert and https.key: set both, or neither for a development certificate".into(),
        ),
        (None, None) => {
            let dir = config.data_dir.join("dev-tls");
            let verb = if dir.join("cert.pem").exists() {
                "uses"
            } else {
                "makes"
            };
            report.notes.push(format!(
                "https.cert and https.key are not set: serve {verb} a self-signed DEVELOPMENT certificate in {}",
                dir.display()
            ));
        }
    }
}

fn onion(config: &Config, report: &mut Report) {
    if config.onion.enabled && !cfg!(feature = "onion") {
        report.problems.push(
            "onion.enabled: this porten was built without the onion service (feature `onion`); build it with \
             the default features, or set enabled = false and run C tor (onion-service/torrc.example)"
                .into(),
        );
    }
}

fn kdf(config: &Config, report: &mut Report) {
    // The parameters are checked by the derivation itself; salt and pepper do not matter for that.
    if let Err(error) = Kdf::new(config.ticket.kdf, [0; 16], Pepper::from_bytes([0; 32])) {
        report.problems.push(format!("ticket.kdf: {error}"));
    }
}

fn files(config: &Config, credentials_dir: Option<&Path>, report: &mut Report) {
    let data = &config.data_dir;
    match std::fs::metadata(data) {
        Ok(meta) if !meta.is_dir() => report.problems.push(format!(
            "data_dir: {} exists and is not a directory",
            data.display()
        )),
        Ok(_) => {}
        Err(_) => report.notes.push(format!(
            "data_dir: serve makes {} (mode 0700)",
            data.display()
        )),
    }
    let pepper = config.pepper_path_in(credentials_dir);
    if pepper.exists() {
        if let Err(error) = Pepper::load_or_create(&pepper) {
            report
                .problems
                .push(format!("the pepper {}: {error}", pepper.display()));
        } else {
            report
                .notes
                .push(format!("the pepper is read from {}", pepper.display()));
        }
    } else {
        report.notes.push(format!(
            "serve makes a new pepper in {} (keep it apart from the database's backups)",
            pepper.display()
        ));
    }
}
