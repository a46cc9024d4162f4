//! Fuzz target: the code parser and normaliser (`TicketCode::parse`) with any text and any configured length.
//!
//! It must never panic, and whatever it accepts must be a code: ASCII digits of the configured length with a
//! valid Damm check digit, whose grouped form reads back as the same code.

#![no_main]

use libfuzzer_sys::fuzz_target;
use porten::ticket::code::effective_length;
use porten::ticket::{damm, TicketCode};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    // 0..=39 covers lengths below, inside and above the supported 8..=32.
    let length = usize::from(selector % 40);
    if let Ok(code) = TicketCode::parse(input, length) {
        assert_eq!(code.len(), effective_length(length));
        assert!(code.digits().bytes().all(|b| b.is_ascii_digit()));
        let values: Vec<u8> = code.digits().bytes().map(|b| b - b'0').collect();
        assert!(
            damm::is_valid(&values),
            "an accepted code has a valid check digit"
        );
        let again = TicketCode::parse(&code.grouped(), length);
        assert!(
            again.is_ok_and(|again| again.digits() == code.digits()),
            "the grouped form reads back as the same code"
        );
    }
});
