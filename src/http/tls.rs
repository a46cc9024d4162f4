//! TLS for the public listener: rustls with the ring provider, TLS 1.3 and 1.2, forward-secret AEAD suites only.
//!
//! The certificate and key are read from PEM files and read again on SIGHUP; connections already open keep the
//! configuration they started with, new ones get the new one. Without configured files a self-signed
//! development certificate is made once and kept in the data directory.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use porten_protocol::tls::{load_certificates, load_private_key, provider, PemError};
use rustls::ServerConfig;

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
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
    #[error("the certificate and key cannot be used together: {0}")]
    Rustls(#[from] rustls::Error),
    /// The development certificate could not be made.
    #[error("cannot make a development certificate: {0}")]
    DevCertificate(String),
}

/// Where the certificate and key come from.
#[derive(Debug, Clone)]
pub struct CertificateSource {
    /// The certificate chain file (PEM).
    pub cert: PathBuf,
    /// The private key file (PEM).
    pub key: PathBuf,
    /// Whether these are the generated development files.
    pub development: bool,
}

impl CertificateSource {
    /// The configured files, or the development certificate in `data_dir/dev-tls/`, made when missing.
    pub fn resolve(
        cert: Option<&Path>,
        key: Option<&Path>,
        data_dir: &Path,
    ) -> Result<CertificateSource, TlsError> {
        match (cert, key) {
            (Some(cert), Some(key)) => Ok(CertificateSource {
                cert: cert.to_owned(),
                key: key.to_owned(),
                development: false,
            }),
            _ => {
                let dir = data_dir.join("dev-tls");
                let source = CertificateSource {
                    cert: dir.join("cert.pem"),
                    key: dir.join("key.pem"),
                    development: true,
                };
                if !source.cert.exists() || !source.key.exists() {
                    write_development_certificate(&dir, &source.cert, &source.key)?;
                }
                Ok(source)
            }
        }
    }
}

fn write_development_certificate(dir: &Path, cert: &Path, key: &Path) -> Result<(), TlsError> {
    let names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    let generated = rcgen::generate_simple_self_signed(names)
        .map_err(|e| TlsError::DevCertificate(e.to_string()))?;
    porten_protocol::fsutil::create_private_dir(dir).map_err(|source| TlsError::Write {
        path: dir.to_owned(),
        source,
    })?;
    porten_protocol::fsutil::write_private_file(
        key,
        generated.signing_key.serialize_pem().as_bytes(),
    )
    .map_err(|source| TlsError::Write {
        path: key.to_owned(),
        source,
    })?;
    porten_protocol::fsutil::write_private_file(cert, generated.cert.pem().as_bytes()).map_err(
        |source| TlsError::Write {
            path: cert.to_owned(),
            source,
        },
    )?;
    Ok(())
}

/// Builds the public listener's server configuration from PEM files.
pub fn server_config(source: &CertificateSource) -> Result<ServerConfig, TlsError> {
    let certs = load_certificates(&source.cert)?;
    let key = load_private_key(&source.key)?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    // HTTP/1.1 only: a smaller surface than HTTP/2 and enough for one-request pages.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The current TLS configuration, replaced as a whole on reload.
#[derive(Clone)]
pub struct ReloadableTls {
    source: CertificateSource,
    current: Arc<RwLock<Arc<ServerConfig>>>,
}

impl ReloadableTls {
    /// Loads the configuration for the first time.
    pub fn new(source: CertificateSource) -> Result<ReloadableTls, TlsError> {
        let config = server_config(&source)?;
        Ok(ReloadableTls {
            source,
            current: Arc::new(RwLock::new(Arc::new(config))),
        })
    }

    /// The configuration for a new connection.
    pub fn current(&self) -> Arc<ServerConfig> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the files again. On error the old configuration stays in force.
    pub fn reload(&self) -> Result<(), TlsError> {
        let config = Arc::new(server_config(&self.source)?);
        match self.current.write() {
            Ok(mut guard) => *guard = config,
            Err(poisoned) => *poisoned.into_inner() = config,
        }
        Ok(())
    }

    /// Whether the development certificate is in use.
    pub fn is_development(&self) -> bool {
        self.source.development
    }
}
