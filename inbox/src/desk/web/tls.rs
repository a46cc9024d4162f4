//! The desk's TLS: rustls with the ring provider and the policy both sides of porten share
//! ([`porten_protocol::tls::provider`]: TLS 1.3 and 1.2, forward-secret AEAD suites only), HTTP/1.1 only.
//!
//! Without configured files a self-signed development certificate for localhost and the loopback
//! addresses is made once in `<state_dir>/desk/dev-tls/` and kept, so a browser's exception for it lasts
//! across restarts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use porten_protocol::tls::{load_certificates, load_private_key, provider, PemError};
use rustls::ServerConfig;

/// Why the desk's TLS could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeskTlsError {
    /// A PEM file could not be read or holds nothing usable.
    #[error(transparent)]
    Pem(#[from] PemError),
    /// A development certificate file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// rustls refused the certificate and key, for example because they do not match.
    #[error("the desk's certificate and key cannot be used together: {0}")]
    Rustls(#[from] rustls::Error),
    /// The development certificate could not be made.
    #[error("cannot make a development certificate for the desk: {0}")]
    DevCertificate(String),
}

/// The files the desk's certificate comes from.
#[derive(Debug, Clone)]
pub(super) struct CertificateFiles {
    pub(super) cert: PathBuf,
    pub(super) key: PathBuf,
    /// Whether these are the generated development files.
    pub(super) development: bool,
}

impl CertificateFiles {
    /// The configured files, or the development certificate in `desk_dir/dev-tls/`, made when missing.
    pub(super) fn resolve(
        cert: Option<&Path>,
        key: Option<&Path>,
        desk_dir: &Path,
    ) -> Result<CertificateFiles, DeskTlsError> {
        if let (Some(cert), Some(key)) = (cert, key) {
            return Ok(CertificateFiles {
                cert: cert.to_owned(),
                key: key.to_owned(),
                development: false,
            });
        }
        let dir = desk_dir.join("dev-tls");
        let files = CertificateFiles {
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
            development: true,
        };
        if !files.cert.exists() || !files.key.exists() {
            write_development_certificate(&dir, &files)?;
        }
        Ok(files)
    }
}

fn write_development_certificate(dir: &Path, files: &CertificateFiles) -> Result<(), DeskTlsError> {
    let names = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    let generated = rcgen::generate_simple_self_signed(names)
        .map_err(|e| DeskTlsError::DevCertificate(e.to_string()))?;
    let write = |path: &Path, bytes: &[u8]| {
        porten_protocol::fsutil::write_private_file(path, bytes).map_err(|source| {
            DeskTlsError::Write {
                path: path.to_owned(),
                source,
            }
        })
    };
    porten_protocol::fsutil::create_private_dir(dir).map_err(|source| DeskTlsError::Write {
        path: dir.to_owned(),
        source,
    })?;
    // The key first: a certificate without its key would be taken as complete at the next start.
    write(&files.key, generated.signing_key.serialize_pem().as_bytes())?;
    write(&files.cert, generated.cert.pem().as_bytes())
}

/// The server configuration from the certificate files.
pub(super) fn server_config(files: &CertificateFiles) -> Result<Arc<ServerConfig>, DeskTlsError> {
    let certs = load_certificates(&files.cert)?;
    let key = load_private_key(&files.key)?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
