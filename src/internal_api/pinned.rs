//! The client-certificate check of the internal API: the configured CA's chain, and then the key pin.
//!
//! A CA that certifies every device of an organisation would, on its own, let any of them in. So after
//! rustls's WebPKI verifier has checked the chain (issuer, validity, client-auth use), this verifier also
//! requires the end-entity certificate's public key to be one of `internal_api.client_spki`. Everything else
//! (the signatures over the handshake, the CA names offered to the client) is the WebPKI verifier's.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

use porten_protocol::pin::SpkiPin;

/// The refusal of a certificate from the right CA with a key that is not pinned. Its text is all the gateway
/// log learns, and says nothing about which keys are pinned.
#[derive(Debug, thiserror::Error)]
#[error("the client certificate's key is not pinned in internal_api.client_spki")]
struct NotPinned;

/// WebPKI chain verification, then the key pin.
#[derive(Debug)]
pub(super) struct PinnedClientVerifier {
    chain: Arc<dyn ClientCertVerifier>,
    pins: Vec<SpkiPin>,
}

impl PinnedClientVerifier {
    /// Admits what `chain` admits and whose key is one of `pins`. With no pins, nothing is admitted.
    pub(super) fn new(chain: Arc<dyn ClientCertVerifier>, pins: Vec<SpkiPin>) -> Self {
        Self { chain, pins }
    }
}

impl ClientCertVerifier for PinnedClientVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.chain.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        // The chain first: a certificate from elsewhere is refused for that, whatever its key.
        let verified = self
            .chain
            .verify_client_cert(end_entity, intermediates, now)?;
        let pin = SpkiPin::of_certificate(end_entity)
            .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
        // Pins are public, so a plain comparison leaks nothing worth a constant-time one.
        if self.pins.contains(&pin) {
            Ok(verified)
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                rustls::OtherError(Arc::new(NotPinned)),
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.chain.supported_verify_schemes()
    }
}
