//! Fuzz target: the form parser (`porten::http::form::Form::parse`) with any request body.
//!
//! It must never panic, and a form it accepts must hold only normalised line breaks: a carriage return that
//! survived decoding would reach the envelope as the visitor never typed it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use porten::http::form::Form;

/// Every field name any of the gateway's forms has (the router's list).
const FIELDS: &[&str] = &[
    "token",
    "group",
    "urgent",
    "message",
    "reply_language",
    "website",
    "code",
    "confirm",
];

fuzz_target!(|body: &[u8]| {
    if let Ok(form) = Form::parse(body, FIELDS) {
        for name in FIELDS {
            if let Some(value) = form.get(name) {
                assert!(!value.contains('\r'), "a carriage return survived decoding");
            }
        }
    }
});
