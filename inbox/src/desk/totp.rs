//! Time-based one-time passwords (RFC 6238): the second factor of a password login.
//!
//! TOTP is HOTP (RFC 4226) with the counter taken from the clock: the number of 30-second steps since the
//! Unix epoch. HOTP is HMAC-SHA1 over the counter as 8 big-endian bytes, then "dynamic truncation": the low
//! four bits of the last byte of the MAC pick an offset, the 31 bits at that offset are the number, and its
//! last six decimal digits are the code. These are the parameters every authenticator app uses by default.
//!
//! A code is accepted for the current step and one step either side (a phone's clock a little off, a code
//! typed as it turned over), and **never twice**: the caller stores the step of the last accepted code and
//! [`check`] refuses that step and every earlier one, so a code seen over a shoulder or in a proxy's log is
//! useless once it has been used.
//!
//! Enrolment shows the secret as base32 text and as a QR code of an `otpauth://` URI, rendered here as
//! inline SVG (the `qrcode` crate with only its SVG renderer), so the page needs no image, script or request.

use data_encoding::BASE32_NOPAD;
use porten_protocol::secret::Sensitive;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Seconds per step.
pub(super) const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub(super) const DIGITS: u32 = 6;
/// Secret length in bytes: 160 bits, the length of an HMAC-SHA1 output (RFC 4226 recommends it).
pub(super) const SECRET_LEN: usize = 20;
/// Steps either side of the current one that are accepted.
const WINDOW: u64 = 1;

/// A TOTP secret. Printing it shows `[redacted]`; its bytes are wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct TotpSecret(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret([redacted])")
    }
}

impl TotpSecret {
    /// A new random secret.
    pub(super) fn generate() -> Option<TotpSecret> {
        let mut bytes = Zeroizing::new(vec![0u8; SECRET_LEN]);
        SystemRandom::new().fill(&mut bytes[..]).ok()?;
        Some(TotpSecret(bytes))
    }

    /// A secret from its bytes (the RFC's test secret).
    #[cfg(test)]
    pub(super) fn from_bytes(bytes: &[u8]) -> TotpSecret {
        TotpSecret(Zeroizing::new(bytes.to_vec()))
    }

    /// A secret from base32 text as [`TotpSecret::base32`] writes it; `None` if it is not such text.
    pub(super) fn from_base32(text: &str) -> Option<TotpSecret> {
        let mut bytes = Zeroizing::new(vec![0u8; BASE32_NOPAD.decode_len(text.len()).ok()?]);
        let len = BASE32_NOPAD
            .decode_mut(text.as_bytes(), &mut bytes[..])
            .ok()?;
        bytes.truncate(len);
        Some(TotpSecret(bytes))
    }

    /// The secret as base32 without padding, as people type it into an authenticator app.
    pub(super) fn base32(&self) -> Sensitive<String> {
        Sensitive::new(BASE32_NOPAD.encode(&self.0))
    }

    /// The `otpauth://totp/ISSUER:ACCOUNT?…` URI that authenticator apps read from a QR code.
    pub(super) fn otpauth_uri(&self, issuer: &str, account: &str) -> Sensitive<String> {
        let issuer = percent_encode(issuer);
        Sensitive::new(format!(
            "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            account = percent_encode(account),
            secret = self.base32().expose(),
        ))
    }

    /// The [`TotpSecret::otpauth_uri`] as a QR code in an `<svg>` element, for inline use in a page.
    /// `None` only if the URI were too long for a QR code, which an issuer and account name of sane
    /// length never make.
    pub(super) fn qr_svg(&self, issuer: &str, account: &str) -> Option<Sensitive<String>> {
        let uri = self.otpauth_uri(issuer, account);
        let code = qrcode::QrCode::with_error_correction_level(
            uri.expose().as_bytes(),
            qrcode::EcLevel::M,
        )
        .ok()?;
        let mut svg = code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .dark_color(qrcode::render::svg::Color("#000"))
            .light_color(qrcode::render::svg::Color("#fff"))
            .build();
        // Inline in HTML the XML declaration is not allowed; the element starts at `<svg`.
        let start = svg.find("<svg")?;
        svg.drain(..start);
        Some(Sensitive::new(svg))
    }

    /// The code for `step` with `digits` digits (6 for logins; the RFC's test vectors use 8).
    fn code_at(&self, step: u64, digits: u32) -> u32 {
        let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &self.0);
        let mac = hmac::sign(&key, &step.to_be_bytes());
        let mac = mac.as_ref();
        // Dynamic truncation (RFC 4226 section 5.3). A SHA-1 MAC is 20 bytes, so offset + 3 ≤ 18.
        let offset = usize::from(mac.last().copied().unwrap_or(0) & 0x0f);
        let mut word = [0u8; 4];
        if let Some(bytes) = mac.get(offset..offset + 4) {
            word.copy_from_slice(bytes);
        }
        let number = u32::from_be_bytes(word) & 0x7fff_ffff;
        number % 10u32.pow(digits)
    }
}

/// The six-digit code of `secret` at `now`, as an authenticator app shows it: for tests that log in.
#[cfg(test)]
pub(super) fn code_at_time(secret: &TotpSecret, now: i64) -> String {
    format!("{:06}", secret.code_at(step_at(now), DIGITS))
}

/// The step that contains `unix` seconds (0 before the epoch).
pub(super) fn step_at(unix: i64) -> u64 {
    u64::try_from(unix.div_euclid(STEP_SECONDS)).unwrap_or(0)
}

/// Checks a typed code at time `now`: it must be [`DIGITS`] digits (spaces are ignored) and match the
/// current step or one either side, and that step must be later than `last_step`, the step of the last code
/// accepted for this secret. Returns the matching step, to be stored as the new `last_step`.
///
/// Every candidate step is compared, in constant time, whether or not an earlier one matched.
pub(super) fn check(
    secret: &TotpSecret,
    typed: &str,
    now: i64,
    last_step: Option<u64>,
) -> Option<u64> {
    let typed = parse_code(typed)?;
    let current = step_at(now);
    let mut accepted = None;
    for step in current.saturating_sub(WINDOW)..=current.saturating_add(WINDOW) {
        let expected = format!(
            "{:0width$}",
            secret.code_at(step, DIGITS),
            width = DIGITS as usize
        );
        let matches = bool::from(expected.as_bytes().ct_eq(&typed[..]));
        let fresh = last_step.is_none_or(|last| step > last);
        if matches && fresh {
            accepted = Some(step);
        }
    }
    accepted
}

/// The code's digits, or `None` if it is not exactly [`DIGITS`] ASCII digits once spaces are removed.
fn parse_code(typed: &str) -> Option<Zeroizing<Vec<u8>>> {
    if typed.len() > 32 {
        return None;
    }
    let digits: Zeroizing<Vec<u8>> =
        Zeroizing::new(typed.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
    (digits.len() == DIGITS as usize && digits.iter().all(u8::is_ascii_digit)).then_some(digits)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890")
    }

    /// RFC 6238 Appendix B, SHA-1 rows: (Unix time, 8-digit TOTP).
    const RFC_6238_SHA1: [(i64, u32); 6] = [
        (59, 94287082),
        (1111111109, 7081804),
        (1111111111, 14050471),
        (1234567890, 89005924),
        (2000000000, 69279037),
        (20000000000, 65353130),
    ];

    #[test]
    fn the_rfc_6238_sha1_test_vectors_match() {
        for (time, code) in RFC_6238_SHA1 {
            assert_eq!(rfc_secret().code_at(step_at(time), 8), code, "T = {time}");
            // Six digits are the last six of the same number.
            assert_eq!(rfc_secret().code_at(step_at(time), 6), code % 1_000_000);
        }
    }

    #[test]
    fn a_six_digit_code_from_the_rfc_vectors_is_accepted_in_its_step() {
        // T = 1111111109 → 07081804, so the six-digit code is 081804 (with its leading zero).
        assert_eq!(
            check(&rfc_secret(), "081804", 1111111109, None),
            Some(37037036)
        );
        assert_eq!(
            check(&rfc_secret(), "081 804", 1111111109, None),
            Some(37037036)
        );
        assert_eq!(check(&rfc_secret(), "81804", 1111111109, None), None);
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_not_two() {
        let secret = TotpSecret::generate().unwrap();
        let now = 1_700_000_000;
        let code = |step: u64| format!("{:06}", secret.code_at(step, 6));
        let current = step_at(now);
        for step in [current - 1, current, current + 1] {
            assert_eq!(check(&secret, &code(step), now, None), Some(step));
        }
        assert_eq!(check(&secret, &code(current - 2), now, None), None);
        assert_eq!(check(&secret, &code(current + 2), now, None), None);
    }

    #[test]
    fn a_totp_code_cannot_be_used_twice() {
        let secret = TotpSecret::generate().unwrap();
        let now = 1_700_000_000;
        let current = step_at(now);
        let code = format!("{:06}", secret.code_at(current, 6));
        let accepted = check(&secret, &code, now, None).unwrap();
        assert_eq!(check(&secret, &code, now, Some(accepted)), None);
        // Nor a code of an earlier step still inside the window.
        let earlier = format!("{:06}", secret.code_at(current - 1, 6));
        assert_eq!(check(&secret, &earlier, now, Some(accepted)), None);
        // The next step's code is fine.
        let next = format!("{:06}", secret.code_at(current + 1, 6));
        assert_eq!(
            check(&secret, &next, now + 30, Some(accepted)),
            Some(current + 1)
        );
    }

    #[test]
    fn anything_but_six_digits_is_refused_without_panicking() {
        let secret = rfc_secret();
        for typed in [
            "",
            "abcdef",
            "1234567",
            "１２３４５６",
            "٠٨١٨٠٤",
            &"9".repeat(10_000),
            "08180\u{0}4",
        ] {
            assert_eq!(check(&secret, typed, 1111111109, None), None, "{typed:?}");
        }
        assert_eq!(check(&secret, "081804", i64::MIN, None), None);
        assert_eq!(check(&secret, "081804", i64::MAX, None), None);
    }

    #[test]
    fn the_secret_round_trips_through_base32_and_the_uri_carries_it() {
        let secret = TotpSecret::generate().unwrap();
        let text = secret.base32();
        assert_eq!(text.expose().len(), 32, "160 bits are 32 base32 characters");
        assert_eq!(TotpSecret::from_base32(text.expose()).unwrap(), secret);
        assert!(TotpSecret::from_base32("not base32!").is_none());
        let uri = secret.otpauth_uri("Resurscentrum Väst", "sara.l");
        assert_eq!(
            uri.expose(),
            &format!(
                "otpauth://totp/Resurscentrum%20V%C3%A4st:sara.l?secret={}&issuer=Resurscentrum%20V%C3%A4st&algorithm=SHA1&digits=6&period=30",
                text.expose()
            )
        );
        assert_eq!(format!("{secret:?}"), "TotpSecret([redacted])");
    }

    #[test]
    fn the_qr_code_is_an_inline_svg_element_that_depends_on_the_secret() {
        let one = TotpSecret::generate().unwrap();
        let two = TotpSecret::generate().unwrap();
        let svg = one.qr_svg("porten", "sara").unwrap();
        assert!(svg
            .expose()
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.expose().ends_with("</svg>"));
        assert!(!svg.expose().contains("<?xml"));
        assert!(!svg.expose().contains(one.base32().expose().as_str()));
        assert_ne!(svg.expose(), two.qr_svg("porten", "sara").unwrap().expose());
    }
}
