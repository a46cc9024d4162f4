//! Fuzz target: the form-token opener (`Tokens::redeem`) with any string.
//!
//! It must never panic, and no input but a token the gateway issued may be accepted: the first byte chooses
//! between a wholly arbitrary string and a genuine token (one per purpose, carrying session keys or a code) with
//! the rest of the input XORed into it. Any change to the token's bytes must be refused.

#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use porten::ticket::{ReplyKey, TicketKeys, TicketRef};
use porten::token::{Carried, TokenPurpose, Tokens};

const PURPOSES: [TokenPurpose; 4] = [
    TokenPurpose::FirstContact,
    TokenPurpose::Return,
    TokenPurpose::Session,
    TokenPurpose::CodeCheck,
];

struct Fixture {
    tokens: Tokens,
    genuine: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let tokens = Tokens::new(Duration::from_secs(3600));
        let keys = TicketKeys {
            ticket_ref: TicketRef::from_bytes([7; 32]),
            reply_key: ReplyKey::from_bytes([9; 32]),
        };
        let genuine = vec![
            tokens.issue(TokenPurpose::FirstContact, Carried::Nothing),
            tokens.issue(TokenPurpose::Return, Carried::Nothing),
            tokens.issue(TokenPurpose::Session, Carried::Session(&keys)),
            tokens.issue(TokenPurpose::CodeCheck, Carried::Code("8123456789012347", true)),
        ];
        Fixture { tokens, genuine }
    })
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 5 {
        0 => {
            let text = String::from_utf8_lossy(rest);
            for purpose in PURPOSES {
                assert!(
                    fixture.tokens.redeem(&text, purpose).is_err(),
                    "an arbitrary string was redeemed"
                );
            }
        }
        which => {
            let original = &fixture.genuine[usize::from(which - 1)];
            let Ok(mut bytes) = URL_SAFE_NO_PAD.decode(original) else {
                return;
            };
            let genuine_bytes = bytes.clone();
            for (i, x) in rest.iter().enumerate() {
                if let Some(byte) = bytes.get_mut(i % genuine_bytes.len().max(1)) {
                    *byte ^= x;
                }
            }
            if bytes == genuine_bytes {
                return;
            }
            let altered = URL_SAFE_NO_PAD.encode(&bytes);
            for purpose in PURPOSES {
                assert!(
                    fixture.tokens.redeem(&altered, purpose).is_err(),
                    "an altered token was redeemed"
                );
            }
        }
    }
});
