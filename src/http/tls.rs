//! TLS for the public listener: rustls with the ring provider, TLS 1.3 and 1.2, forward-secret AEAD suites only.
//!
//! The certificate and key are read from PEM files and read again on SIGHUP; connections already open keep the
//! configuration they started with, new ones get the new one. Without configured files a self-signed
//! development certificate is made once and kept in the data directory.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A PEM file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The certificate file holds no certificate.
    #[error("{0}: no PEM certificate found (expected -----BEGIN CERTIFICATE-----)")]
    NoCertificate(PathBuf),
    /// The key file holds no usable private key.
    #[error("{0}: no PEM private key found (PKCS#8, SEC1 or PKCS#1)")]
    NoKey(PathBuf),
    /// rustls refused the certificate and key, for example because they do not match.
    #[error("the certificate and key cannot be used together: {0}")]
    Rustls(#[from] rustls::Error),
    /// The development certificate could not be made.
    #[error("cannot make a development certificate: {0}")]
    DevCertificate(String),
}

/// The process-wide crypto provider: ring, restricted to forward-secret AEAD cipher suites.
///
/// rustls offers no suite without forward secrecy or without AEAD; the filter keeps that promise explicit
/// should a later version add one.
pub fn provider() -> CryptoProvider {
    let mut provider = rustls::crypto::ring::default_provider();
    provider.cipher_suites.retain(|suite| {
        use rustls::CipherSuite::*;
        matches!(
            suite.suite(),
            TLS13_AES_128_GCM_SHA256
                | TLS13_AES_256_GCM_SHA384
                | TLS13_CHACHA20_POLY1305_SHA256
                | TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
                | TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
                | TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
                | TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                | TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
                | TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
        )
    });
    provider
}

/// Installs [`provider`] for the whole process. Harmless when one is already installed.
pub fn install_provider() {
    // An error means a provider is already installed, which is what we want.
    let _ = provider().install_default();
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
    crate::fsutil::create_private_dir(dir).map_err(|source| TlsError::Read {
        path: dir.to_owned(),
        source,
    })?;
    crate::fsutil::write_private_file(key, generated.signing_key.serialize_pem().as_bytes())
        .map_err(|source| TlsError::Read {
            path: key.to_owned(),
            source,
        })?;
    crate::fsutil::write_private_file(cert, generated.cert.pem().as_bytes()).map_err(|source| {
        TlsError::Read {
            path: cert.to_owned(),
            source,
        }
    })?;
    Ok(())
}

fn read_pem(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Reads a certificate chain from a PEM file.
pub fn load_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = read_pem(path)?;
    let certs: Vec<_> = rustls_pemfile::certs(&mut BufReader::new(pem.as_slice()))
        .collect::<Result<_, _>>()
        .map_err(|source| TlsError::Read {
            path: path.to_owned(),
            source,
        })?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate(path.to_owned()));
    }
    Ok(certs)
}

/// Reads a private key from a PEM file.
pub fn load_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let pem = zeroize::Zeroizing::new(read_pem(path)?);
    rustls_pemfile::private_key(&mut BufReader::new(pem.as_slice()))
        .map_err(|source| TlsError::Read {
            path: path.to_owned(),
            source,
        })?
        .ok_or_else(|| TlsError::NoKey(path.to_owned()))
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
