//! Fuzz target: the envelope opener and payload decoder (`envelope::open`) with any bytes.
//!
//! It must never panic. The first byte chooses the input: arbitrary bytes as a sealed envelope; a genuine
//! envelope with the rest of the input XORed into it (any change must be refused as damaged or not age); or
//! the rest of the input as the JSON payload, sealed properly with age, so the decoder and the payload checks
//! are reached. A payload that opens must seal again: what the inbox accepts, the gateway could have made.

#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use porten::envelope::{self, ClosedReason, Payload, Recipients};

struct Fixture {
    identity: age::x25519::Identity,
    recipient: age::x25519::Recipient,
    recipients: Recipients,
    genuine: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let (identity, recipient_line) = envelope::generate_identity();
        let recipients = Recipients::parse(&[recipient_line]).expect("recipient");
        let payload = Payload::closed(
            &[3; 32],
            ClosedReason::Visitor,
            time::OffsetDateTime::now_utc(),
        )
        .expect("payload");
        let genuine = envelope::seal(&payload, &recipients).expect("seal");
        let recipient = identity.to_public();
        Fixture {
            identity,
            recipient,
            recipients,
            genuine,
        }
    })
}

/// Seals `plaintext` as it is, with age, to the fixture's recipient.
fn seal_raw(fixture: &Fixture, plaintext: &[u8]) -> Option<Vec<u8>> {
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&fixture.recipient as &dyn age::Recipient))
            .ok()?;
    let mut sealed = Vec::new();
    let mut writer = encryptor.wrap_output(&mut sealed).ok()?;
    writer.write_all(plaintext).ok()?;
    writer.finish().ok()?;
    Some(sealed)
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            let _ = envelope::open(rest, &fixture.identity);
        }
        1 => {
            let mut altered = fixture.genuine.clone();
            for (i, x) in rest.iter().enumerate() {
                if let Some(byte) = altered.get_mut(i % fixture.genuine.len()) {
                    *byte ^= x;
                }
            }
            if altered != fixture.genuine {
                assert!(
                    envelope::open(&altered, &fixture.identity).is_err(),
                    "an altered envelope opened"
                );
            }
        }
        _ => {
            let Some(sealed) = seal_raw(fixture, rest) else {
                return;
            };
            if let Ok(payload) = envelope::open(&sealed, &fixture.identity) {
                assert!(payload.validate().is_ok(), "what opens is valid");
                assert!(
                    envelope::seal(&payload, &fixture.recipients).is_ok(),
                    "what opens seals again"
                );
            }
        }
    }
});
