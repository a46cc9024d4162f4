//! The TLS policy both sides share: the ring provider with forward-secret AEAD suites only, and PEM loading.
//!
//! The gateway builds its public and internal listeners from these, the inbox its mutual-TLS client, so the
//! two ends of the internal API cannot drift apart in what they accept.

use std::path::{Path, PathBuf};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Why a PEM file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PemError {
    /// The file could not be read.
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
    /// A PEM section could not be decoded.
    #[error("{path}: not valid PEM ({source})")]
    Pem {
        /// The file.
        path: PathBuf,
        /// What the PEM reader said.
        source: rustls::pki_types::pem::Error,
    },
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

fn read_pem(path: &Path) -> Result<Vec<u8>, PemError> {
    std::fs::read(path).map_err(|source| PemError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Reads a certificate chain from a PEM file.
pub fn load_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, PemError> {
    let pem = read_pem(path)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|source| PemError::Pem {
            path: path.to_owned(),
            source,
        })?;
    if certs.is_empty() {
        return Err(PemError::NoCertificate(path.to_owned()));
    }
    Ok(certs)
}

/// Reads a private key from a PEM file.
pub fn load_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, PemError> {
    let pem = zeroize::Zeroizing::new(read_pem(path)?);
    PrivateKeyDer::from_pem_slice(&pem).map_err(|source| match source {
        rustls::pki_types::pem::Error::NoItemsFound => PemError::NoKey(path.to_owned()),
        source => PemError::Pem {
            path: path.to_owned(),
            source,
        },
    })
}
