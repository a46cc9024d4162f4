//! Fuzz target: the envelope opener and payload reader (`porten_inbox::open::open`) with any bytes.
//!
//! It must never panic. The first byte chooses the input: arbitrary bytes as a sealed envelope; a genuine
//! envelope with the rest of the input XORed into it (any change must be refused as damaged or not age); or
//! the rest of the input as the JSON payload, sealed properly with age, so the decoder and the payload checks
//! are reached. A payload that opens must seal again and write back the very JSON it was read from: what the
//! inbox accepts, the gateway could have made.

#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use porten_inbox::open::{open, parse_identity_file};
use porten_protocol::envelope::{self, Payload, Recipients};
use porten_protocol::{ReplyKey, TicketRef};

struct Fixture {
    identity: age::x25519::Identity,
    recipient: age::x25519::Recipient,
    recipients: Recipients,
    genuine: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let (secret, recipient_line) = envelope::generate_identity();
        let identity = parse_identity_file(secret.expose())
            .expect("identity")
            .remove(0);
        let recipients = Recipients::parse(&[recipient_line]).expect("recipient");
        let payload = Payload::closed_by_visitor(
            &TicketRef::from_bytes([3; 32]),
            &ReplyKey::from_bytes([4; 32]),
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
            let _ = open(rest, &fixture.identity);
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
                    open(&altered, &fixture.identity).is_err(),
                    "an altered envelope opened"
                );
            }
        }
        _ => {
            let Some(sealed) = seal_raw(fixture, rest) else {
                return;
            };
            if let Ok(payload) = open(&sealed, &fixture.identity) {
                let json = serde_json::to_vec(&payload).expect("what opens writes back");
                let again = Payload::from_json(&json).expect("what it writes reads again");
                assert_eq!(
                    serde_json::to_vec(&again).expect("writes"),
                    json,
                    "reading and writing is stable"
                );
                assert!(
                    envelope::seal(&payload, &fixture.recipients).is_ok(),
                    "what opens seals again"
                );
            }
        }
    }
});
