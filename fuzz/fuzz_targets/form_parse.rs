//! Fuzz target: the form parser (`porten::http::form::Form::parse`) with any request body.
//!
//! It must never panic, and a form it accepts must hold only normalised line breaks: a carriage return that
//! survived decoding would reach the envelope as the visitor never typed it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use porten::http::form::Form;

use porten_templates::Field;

fuzz_target!(|body: &[u8]| {
    if let Ok(form) = Form::parse(body) {
        for field in Field::INPUTS {
            if let Some(value) = form.get(field) {
                assert!(!value.contains('\r'), "a carriage return survived decoding");
            }
        }
    }
});
