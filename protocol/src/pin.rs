//! Key pins: the SHA-256 hash of a certificate's SubjectPublicKeyInfo, written `sha256/<base64>`.
//!
//! The gateway's internal API admits a client only when its certificate both chains to the configured CA and
//! carries a pinned key, so a CA that issues certificates for a whole organisation does not open the door to
//! every device it has certified. The inbox prints its own pin (`porten-inbox pin`) for the gateway's
//! `internal_api.client_spki`. The form is the one HTTP Public Key Pinning used (RFC 7469), so
//! `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`
//! gives the same value. The certificate is read with rustls-webpki, the parser rustls itself verifies with.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ring::digest::{digest, SHA256};
use rustls::pki_types::CertificateDer;

/// The prefix of every pin: the only hash accepted.
const PREFIX: &str = "sha256/";

/// Why a pin could not be read or made. Neither variant quotes the input: it is not secret, but a
/// configuration error that repeats a long base64 string helps nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
    /// A configured pin is not `sha256/` followed by the standard base64 (with padding) of 32 bytes.
    #[error("a pin must be `sha256/` followed by 44 characters of standard base64 (the SHA-256 of the key); `porten-inbox pin` prints it")]
    Form,
    /// The certificate could not be parsed as X.509, so it has no key to pin.
    #[error("the certificate is not a valid X.509 certificate")]
    Certificate,
}

/// The SHA-256 of a DER-encoded SubjectPublicKeyInfo. Public: it names a key, it does not reveal one.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpkiPin([u8; 32]);

impl SpkiPin {
    /// Reads `sha256/<base64>`, exactly as [`SpkiPin`]'s `Display` writes it.
    pub fn parse(text: &str) -> Result<SpkiPin, PinError> {
        let encoded = text.strip_prefix(PREFIX).ok_or(PinError::Form)?;
        // 32 bytes are 44 base64 characters; checking first keeps a huge value from being decoded at all.
        if encoded.len() != 44 {
            return Err(PinError::Form);
        }
        let bytes = STANDARD.decode(encoded).map_err(|_| PinError::Form)?;
        <[u8; 32]>::try_from(bytes.as_slice())
            .map(SpkiPin)
            .map_err(|_| PinError::Form)
    }

    /// The pin of the key in `certificate` (its end-entity certificate, DER).
    pub fn of_certificate(certificate: &CertificateDer<'_>) -> Result<SpkiPin, PinError> {
        let parsed =
            webpki::EndEntityCert::try_from(certificate).map_err(|_| PinError::Certificate)?;
        let spki = parsed.subject_public_key_info();
        Ok(SpkiPin::of_spki(spki.as_ref()))
    }

    /// The pin of a DER-encoded SubjectPublicKeyInfo (the whole SEQUENCE).
    pub fn of_spki(spki_der: &[u8]) -> SpkiPin {
        let hash = digest(&SHA256, spki_der);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(hash.as_ref());
        SpkiPin(bytes)
    }
}

impl fmt::Display for SpkiPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}", STANDARD.encode(self.0))
    }
}

impl fmt::Debug for SpkiPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpkiPin({self})")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_pin_reads_back_what_it_writes() {
        let pin = SpkiPin::of_spki(b"any key");
        let text = pin.to_string();
        assert!(
            text.starts_with("sha256/") && text.len() == 7 + 44,
            "{text}"
        );
        assert_eq!(SpkiPin::parse(&text), Ok(pin));
    }

    #[test]
    fn a_pin_of_another_form_is_refused() {
        let good = SpkiPin::of_spki(b"k").to_string();
        let encoded = &good[7..];
        for bad in [
            String::new(),
            encoded.to_owned(),
            format!("sha1/{encoded}"),
            format!("SHA256/{encoded}"),
            format!("sha256/{}", &encoded[..43]),
            format!("sha256/{encoded}="),
            format!("sha256/{}", encoded.replace('=', "A")),
            format!("sha256/{}", "!".repeat(44)),
            format!("sha256/{}", STANDARD.encode([0u8; 31]) + "AAAA"),
            format!("sha256/{}", "A".repeat(10_000)),
        ] {
            assert_eq!(SpkiPin::parse(&bad), Err(PinError::Form), "{bad:?}");
        }
    }

    #[test]
    fn a_certificate_is_pinned_by_its_subject_public_key_info() {
        // A fixed self-signed Ed25519 certificate made with OpenSSL, and its pin as the openssl pipeline in the
        // module documentation computes it: the two tools agree.
        let der = STANDARD
            .decode(concat!(
                "MIIBPDCB76ADAgECAhQOBZt7JR4nrY/kfZfJ2T5wrZIg6zAFBgMrZXAwEzERMA8GA1UEAwwIcGluLXRlc3QwIBcNMjYx",
                "MTMwMDk1ODQ5WhgPMjEyNjExMDYwOTU4NDlaMBMxETAPBgNVBAMMCHBpbi10ZXN0MCowBQYDK2VwAyEAy4a2IN4Krzj",
                "IvcKyvUHDGpYXPffzz9oLGY3wDigozGGjUzBRMB0GA1UdDgQWBBRxzEiQXwPKlwI8X6A6VfWXi7oxdDAfBgNVHSMEGDA",
                "WgBRxzEiQXwPKlwI8X6A6VfWXi7oxdDAPBgNVHRMBAf8EBTADAQH/MAUGAytlcANBALUro0tvUu2iKAFBHqZ/DKS0QVX",
                "4EyNT99O+rX0gqr8Rd+3twf1ciUkSKdsAAZvmqIgS6BqJ7vrIf8HeD5LUowY=",
            ))
            .expect("base64");
        let pin = SpkiPin::of_certificate(&CertificateDer::from(der)).expect("parses");
        assert_eq!(
            pin.to_string(),
            "sha256/NSvBrRIQNs2Hor9QSNpajIdrbILl6U3dOpLLpW41IIY="
        );
    }

    #[test]
    fn something_that_is_not_a_certificate_has_no_pin() {
        let junk = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        assert_eq!(SpkiPin::of_certificate(&junk), Err(PinError::Certificate));
        let empty = CertificateDer::from(Vec::new());
        assert_eq!(SpkiPin::of_certificate(&empty), Err(PinError::Certificate));
    }
}
