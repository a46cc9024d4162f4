//! Setting up the internal side: the age identity (`keygen`), a development set of TLS certificates
//! (`certs`), and the pin of the inbox's key that the gateway requires (`pin`).
//!
//! The identity file is written exactly as `age-keygen` writes one, so the standard `age -d -i FILE` opens
//! envelopes with it. The certificates are for trying porten out and for tests: a throwaway CA whose private
//! key is discarded once it has signed a gateway certificate (server use only) and an inbox certificate
//! (client use only). A real deployment uses the centre's own PKI.

use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use zeroize::Zeroizing;

/// Why a key or certificate could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The file is already there; nothing was written.
    #[error("{0} already exists; refusing to overwrite it (move it away first if you really mean to replace it)")]
    Exists(PathBuf),
    /// The file or directory could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A certificate could not be made.
    #[error("cannot make the certificate: {0}")]
    Certificate(String),
    /// The client certificate file could not be read.
    #[error(transparent)]
    Pem(#[from] porten_protocol::tls::PemError),
    /// The client certificate is not an X.509 certificate, so it has no key to pin.
    #[error("{path}: {source}")]
    Pin {
        /// The certificate file.
        path: PathBuf,
        /// Why it has no pin.
        #[source]
        source: porten_protocol::pin::PinError,
    },
}

/// The pin of the key in the client certificate file `cert` (its first certificate): the value for the
/// gateway's `internal_api.client_spki`.
pub fn pin_of(cert: &Path) -> Result<porten_protocol::pin::SpkiPin, SetupError> {
    let chain = porten_protocol::tls::load_certificates(cert)?;
    // `load_certificates` never returns an empty chain.
    let end_entity = chain.first().ok_or_else(|| {
        SetupError::Pem(porten_protocol::tls::PemError::NoCertificate(
            cert.to_owned(),
        ))
    })?;
    porten_protocol::pin::SpkiPin::of_certificate(end_entity).map_err(|source| SetupError::Pin {
        path: cert.to_owned(),
        source,
    })
}

/// Creates `path` with mode 0600, failing if it exists, writes `bytes`, and makes it durable.
fn create_new_file(path: &Path, bytes: &[u8], mode: u32) -> Result<(), SetupError> {
    let write_error = |source| SetupError::Write {
        path: path.to_owned(),
        source,
    };
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(SetupError::Exists(path.to_owned()))
        }
        Err(error) => return Err(write_error(error)),
    };
    file.write_all(bytes).map_err(write_error)?;
    if mode != 0o600 {
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(write_error)?;
    }
    file.sync_all().map_err(write_error)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    porten_protocol::fsutil::sync_dir(dir).map_err(|source| SetupError::Write {
        path: dir.to_owned(),
        source,
    })
}

/// Writes a new age identity to `out` (mode 0600, never over an existing file) and returns its recipient
/// (`age1…`), the public key the gateway seals to.
pub fn keygen(out: &Path) -> Result<String, SetupError> {
    let (identity, recipient) = porten_protocol::envelope::generate_identity();
    let created = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let text = Zeroizing::new(format!(
        "# created: {created}\n# public key: {recipient}\n{}\n",
        identity.expose()
    ));
    create_new_file(out, text.as_bytes(), 0o600)?;
    Ok(recipient)
}

/// The files [`dev_certs`] wrote.
#[derive(Debug, Clone)]
pub struct DevCerts {
    /// The CA certificate: the gateway's `internal_api.client_ca` and the inbox's `gateway_ca`.
    pub ca: PathBuf,
    /// The gateway's certificate for the internal API.
    pub gateway_cert: PathBuf,
    /// Its key.
    pub gateway_key: PathBuf,
    /// The inbox's client certificate.
    pub inbox_cert: PathBuf,
    /// Its key.
    pub inbox_key: PathBuf,
}

fn cert_error(error: rcgen::Error) -> SetupError {
    SetupError::Certificate(error.to_string())
}

fn params(names: Vec<String>, common_name: &str) -> Result<CertificateParams, SetupError> {
    let mut params = CertificateParams::new(names).map_err(cert_error)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::hours(1);
    params.not_after = now + time::Duration::days(365);
    Ok(params)
}

/// Makes a development CA, a gateway certificate for `localhost`, `127.0.0.1` and `extra_names`, and an inbox
/// client certificate, all PEM in `dir` (made 0700 if missing). Keys are 0600. Refuses to overwrite anything.
pub fn dev_certs(dir: &Path, extra_names: &[String]) -> Result<DevCerts, SetupError> {
    porten_protocol::fsutil::create_private_dir(dir).map_err(|source| SetupError::Write {
        path: dir.to_owned(),
        source,
    })?;
    let files = DevCerts {
        ca: dir.join("ca.pem"),
        gateway_cert: dir.join("gateway.pem"),
        gateway_key: dir.join("gateway-key.pem"),
        inbox_cert: dir.join("inbox.pem"),
        inbox_key: dir.join("inbox-key.pem"),
    };
    for path in [
        &files.ca,
        &files.gateway_cert,
        &files.gateway_key,
        &files.inbox_cert,
        &files.inbox_key,
    ] {
        if path.exists() {
            return Err(SetupError::Exists(path.clone()));
        }
    }

    let mut ca_params = params(Vec::new(), "porten internal API DEVELOPMENT CA")?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(cert_error)?;
    // The CA key lives only in memory and is dropped at the end of this function: nothing more can be issued.
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).map_err(cert_error)?;

    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    names.extend(extra_names.iter().cloned());
    let mut gateway_params = params(names, "porten gateway internal API (DEVELOPMENT)")?;
    gateway_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    gateway_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let gateway_key = KeyPair::generate().map_err(cert_error)?;
    let gateway_cert = gateway_params
        .signed_by(&gateway_key, &ca)
        .map_err(cert_error)?;

    let mut inbox_params = params(Vec::new(), "porten-inbox (DEVELOPMENT)")?;
    inbox_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    inbox_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let inbox_key = KeyPair::generate().map_err(cert_error)?;
    let inbox_cert = inbox_params
        .signed_by(&inbox_key, &ca)
        .map_err(cert_error)?;

    create_new_file(&files.ca, ca.pem().as_bytes(), 0o644)?;
    create_new_file(&files.gateway_cert, gateway_cert.pem().as_bytes(), 0o644)?;
    create_new_file(
        &files.gateway_key,
        Zeroizing::new(gateway_key.serialize_pem()).as_bytes(),
        0o600,
    )?;
    create_new_file(&files.inbox_cert, inbox_cert.pem().as_bytes(), 0o644)?;
    create_new_file(
        &files.inbox_key,
        Zeroizing::new(inbox_key.serialize_pem()).as_bytes(),
        0o600,
    )?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn keygen_writes_an_owner_only_identity_that_opens_what_is_sealed_to_its_recipient() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("identity.txt");
        let recipient = keygen(&path).expect("keygen");
        assert!(recipient.starts_with("age1"));
        assert!(!porten_protocol::fsutil::is_shared(&path).expect("stat"));
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(&format!("# public key: {recipient}")));
        let identities = crate::open::parse_identity_file(&text).expect("parses");
        assert_eq!(identities[0].to_public().to_string(), recipient);
    }

    #[test]
    fn keygen_never_overwrites_an_identity() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("identity.txt");
        keygen(&path).expect("first");
        let before = std::fs::read(&path).expect("read");
        assert!(matches!(keygen(&path), Err(SetupError::Exists(_))));
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }

    #[test]
    fn dev_certs_make_private_keys_and_refuse_a_second_run() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = dev_certs(&dir.path().join("certs"), &[]).expect("certs");
        assert!(!porten_protocol::fsutil::is_shared(&files.gateway_key).expect("stat"));
        assert!(!porten_protocol::fsutil::is_shared(&files.inbox_key).expect("stat"));
        let ca = std::fs::read_to_string(&files.ca).expect("ca");
        assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(
            !dir.path().join("certs").join("ca-key.pem").exists(),
            "the CA key is not kept"
        );
        assert!(matches!(
            dev_certs(&dir.path().join("certs"), &[]),
            Err(SetupError::Exists(_))
        ));
    }

    #[test]
    fn the_pin_names_the_inbox_key_and_no_other() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = dev_certs(&dir.path().join("certs"), &[]).expect("certs");
        let inbox = pin_of(&files.inbox_cert).expect("pin");
        assert_eq!(inbox, pin_of(&files.inbox_cert).expect("again"), "stable");
        assert_ne!(inbox, pin_of(&files.gateway_cert).expect("gateway pin"));
        assert!(porten_protocol::pin::SpkiPin::parse(&inbox.to_string()).is_ok());
        assert!(matches!(pin_of(&files.inbox_key), Err(SetupError::Pem(_))));
    }
}
