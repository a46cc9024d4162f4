//! Specifications of the envelope format: sealing, opening, the payload rules and the key files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::Command;

use age::secrecy::ExposeSecret;
use time::macros::datetime;
use time::OffsetDateTime;

use super::payload::received_at;
use super::seal::decode;
use super::*;

const TICKET: [u8; 32] = [0xab; 32];
const ENTRY: [u8; 16] = [0x01; 16];
// base64 of 32 bytes.
const REPLY_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const NOW: OffsetDateTime = datetime!(2025-03-01 14:07:59.75 UTC);

fn visitor(message: &str) -> VisitorMessage<'_> {
    VisitorMessage {
        message,
        language: Some("ar"),
        urgent: true,
    }
}

fn first_contact() -> Payload {
    Payload::first_contact(
        &TICKET,
        &ENTRY,
        Group::UsedViolence,
        visitor("Jag behöver hjälp"),
        REPLY_KEY,
        NOW,
    )
    .unwrap()
}

fn recipients_for(lines: &[&str]) -> Recipients {
    Recipients::parse(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>()).unwrap()
}

/// Encrypts arbitrary bytes to one recipient, bypassing the payload checks of `seal`.
fn seal_raw(plaintext: &[u8], recipient: &str) -> Vec<u8> {
    let recipient: age::x25519::Recipient = recipient.parse().unwrap();
    age::encrypt(&recipient, plaintext).unwrap()
}

fn as_json(payload: &Payload) -> serde_json::Value {
    serde_json::to_value(payload).unwrap()
}

#[test]
fn every_recipient_can_open_what_was_sealed_to_all() {
    let (alice, alice_line) = generate_identity();
    let (bob, bob_line) = generate_identity();
    let payload = first_contact();
    let sealed = seal(&payload, &recipients_for(&[&alice_line, &bob_line])).unwrap();

    for identity in [&alice, &bob] {
        let opened = open(&sealed, identity).unwrap();
        assert_eq!(as_json(&opened), as_json(&payload));
        assert_eq!(opened.message.as_deref(), Some("Jag behöver hjälp"));
        assert_eq!(opened.reply_key.as_deref(), Some(REPLY_KEY));
        assert_eq!(opened.ticket_ref, "ab".repeat(32));
        assert_eq!(opened.group, Some(Group::UsedViolence));
    }
}

#[test]
fn sealed_bytes_are_binary_age_v1_and_do_not_contain_the_message() {
    let (_, line) = generate_identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
    let needle = "behöver".as_bytes();
    assert!(!sealed.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn an_identity_that_is_not_a_recipient_cannot_open() {
    let (_, line) = generate_identity();
    let (stranger, _) = generate_identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    assert!(matches!(
        open(&sealed, &stranger),
        Err(EnvelopeError::NoMatchingIdentity)
    ));
}

#[test]
fn open_with_any_finds_the_matching_identity_among_several() {
    let (stranger, _) = generate_identity();
    let (owner, line) = generate_identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    let opened = open_with_any(&sealed, &[stranger, owner]).unwrap();
    assert_eq!(opened.kind, EnvelopeKind::FirstContact);
    assert!(matches!(
        open_with_any(&sealed, &[]),
        Err(EnvelopeError::NoIdentity)
    ));
}

#[test]
fn garbage_is_refused_without_panicking() {
    let (identity, _) = generate_identity();
    for garbage in [
        &b""[..],
        b"\0\0\0\0",
        b"age-encryption.org/v1\n",
        b"age-encryption.org/v2\n-> X25519 abc\n",
        b"{\"version\":1}",
        &[0xff; 4096],
    ] {
        assert!(matches!(
            open(garbage, &identity),
            Err(EnvelopeError::NotAge)
        ));
    }
}

#[test]
fn every_truncation_of_an_envelope_is_refused() {
    let (identity, line) = generate_identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    for len in 0..sealed.len() {
        let result = open(&sealed[..len], &identity);
        assert!(result.is_err(), "truncated to {len} bytes but opened");
    }
}

#[test]
fn a_flipped_bit_in_the_ciphertext_is_detected() {
    let (identity, line) = generate_identity();
    let mut sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    let last = sealed.len() - 1;
    sealed[last] ^= 0x01;
    assert!(matches!(
        open(&sealed, &identity),
        Err(EnvelopeError::Damaged)
    ));
}

#[test]
fn input_over_one_mebibyte_is_refused_before_decrypting() {
    let (identity, _) = generate_identity();
    let huge = vec![0u8; MAX_SEALED_LEN + 1];
    assert!(matches!(
        open(&huge, &identity),
        Err(EnvelopeError::TooLarge { size, max: MAX_SEALED_LEN }) if size == MAX_SEALED_LEN + 1
    ));
}

#[test]
fn a_payload_too_large_to_open_is_refused_by_seal() {
    let (_, line) = generate_identity();
    let message = "x".repeat(MAX_SEALED_LEN);
    let payload = Payload::follow_up(&TICKET, &ENTRY, visitor(&message), NOW).unwrap();
    assert!(matches!(
        seal(&payload, &recipients_for(&[&line])),
        Err(EnvelopeError::TooLarge { .. })
    ));
}

#[test]
fn version_2_payload_is_refused_as_unsupported() {
    let (identity, line) = generate_identity();
    let mut json = as_json(&first_contact());
    json["version"] = 2.into();
    json["a-field-from-the-future"] = true.into();
    let sealed = seal_raw(json.to_string().as_bytes(), &line);
    assert!(matches!(
        open(&sealed, &identity),
        Err(EnvelopeError::UnsupportedVersion(2))
    ));
}

#[test]
fn version_1_payload_with_an_unknown_field_is_refused() {
    let mut json = as_json(&first_contact());
    json["extra"] = "x".into();
    assert!(matches!(
        decode(json.to_string().as_bytes()),
        Err(EnvelopeError::InvalidJson { .. })
    ));
}

#[test]
fn json_errors_do_not_quote_the_payload() {
    let mut json = as_json(&first_contact());
    json["message"] = 12345.into();
    json["group"] = "secret-group-name".into();
    let error = decode(json.to_string().as_bytes()).unwrap_err();
    let text = error.to_string();
    assert!(!text.contains("secret-group-name"), "{text}");
    assert!(!text.contains("12345"), "{text}");
}

#[test]
fn received_time_is_rounded_down_to_the_minute_in_utc() {
    assert_eq!(
        received_at(datetime!(2025-03-01 14:07:59.999 +02:00)).unwrap(),
        "2025-03-01T12:07:00Z"
    );
    assert_eq!(
        received_at(datetime!(2025-03-01 14:07:00 UTC)).unwrap(),
        "2025-03-01T14:07:00Z"
    );
    assert_eq!(
        received_at(datetime!(1969-12-31 23:59:30 UTC)).unwrap(),
        "1969-12-31T23:59:00Z"
    );
    assert_eq!(first_contact().received, "2025-03-01T14:07:00Z");
}

#[test]
fn a_received_time_with_seconds_is_refused() {
    let mut payload = first_contact();
    payload.received = "2025-03-01T14:07:59Z".into();
    assert!(matches!(
        payload.validate(),
        Err(EnvelopeError::InvalidField {
            field: "received",
            ..
        })
    ));
    payload.received = "2025-03-01T16:07:00+02:00".into();
    assert!(payload.validate().is_err());
}

#[test]
fn debug_output_never_shows_the_message_the_reply_key_or_the_ticket_ref() {
    let payload = first_contact();
    let debug = format!("{payload:?}");
    assert!(!debug.contains("behöver"), "{debug}");
    assert!(!debug.contains(REPLY_KEY), "{debug}");
    assert!(!debug.contains(&"ab".repeat(32)), "{debug}");
    assert!(debug.contains("[redacted]"));
    assert!(!format!("{:?}", visitor("hemligt")).contains("hemligt"));
}

#[test]
fn json_uses_kebab_case_and_omits_absent_fields() {
    let json = as_json(&first_contact());
    assert_eq!(json["kind"], "first-contact");
    assert_eq!(json["group"], "used-violence");
    assert_eq!(json["version"], 1);
    assert_eq!(json["urgent"], true);
    assert_eq!(json["entry_id"], "01".repeat(16));

    let closed = as_json(&Payload::closed(&TICKET, ClosedReason::Expired, NOW).unwrap());
    assert_eq!(closed["kind"], "closed");
    assert_eq!(closed["closed_reason"], "expired");
    for absent in ["group", "language", "message", "entry_id", "reply_key"] {
        assert!(closed.get(absent).is_none(), "{absent} present");
    }
}

#[test]
fn every_payload_gets_its_own_envelope_id() {
    let a = first_contact();
    let b = first_contact();
    assert_ne!(a.envelope_id, b.envelope_id);
    assert_eq!(a.envelope_id.len(), 32);
}

#[test]
fn fields_a_kind_does_not_use_are_refused() {
    let (_, line) = generate_identity();
    let recipients = recipients_for(&[&line]);

    let mut follow_up = Payload::follow_up(&TICKET, &ENTRY, visitor("igen"), NOW).unwrap();
    follow_up.reply_key = Some(REPLY_KEY.into());
    assert!(matches!(
        seal(&follow_up, &recipients),
        Err(EnvelopeError::InvalidField {
            field: "reply_key",
            ..
        })
    ));

    let mut closed = Payload::closed(&TICKET, ClosedReason::Visitor, NOW).unwrap();
    closed.message = Some("kvar".into());
    assert!(matches!(
        closed.validate(),
        Err(EnvelopeError::InvalidField {
            field: "message",
            ..
        })
    ));

    let mut first = first_contact();
    first.entry_id = None;
    assert!(matches!(
        first.validate(),
        Err(EnvelopeError::InvalidField {
            field: "entry_id",
            ..
        })
    ));
}

#[test]
fn malformed_fields_are_refused_by_name() {
    type Spoil = fn(&mut Payload);
    let cases: [(&str, Spoil); 6] = [
        ("ticket_ref", |p| p.ticket_ref = "AB".repeat(32)),
        ("envelope_id", |p| p.envelope_id.push('0')),
        ("entry_id", |p| p.entry_id = Some("xyz".into())),
        ("reply_key", |p| p.reply_key = Some("c2hvcnQ=".into())),
        ("language", |p| p.language = Some("sv_SE".into())),
        ("message", |p| p.message = Some("  \n".into())),
    ];
    for (name, spoil) in cases {
        let mut payload = first_contact();
        spoil(&mut payload);
        match payload.validate() {
            Err(EnvelopeError::InvalidField { field, .. }) => assert_eq!(field, name),
            other => panic!("{name}: expected InvalidField, got {other:?}"),
        }
    }
}

#[test]
fn language_tags_are_checked_for_shape() {
    for good in ["sv", "en", "ar", "en-GB", "zh-Hant-TW", "fa"] {
        let payload = Payload::follow_up(
            &TICKET,
            &ENTRY,
            VisitorMessage {
                message: "hej",
                language: Some(good),
                urgent: false,
            },
            NOW,
        );
        assert!(payload.is_ok(), "{good}");
    }
    for bad in ["", "s", "sv-", "en GB", "<script>", "sv-toolongsubtag"] {
        let payload = Payload::follow_up(
            &TICKET,
            &ENTRY,
            VisitorMessage {
                message: "hej",
                language: Some(bad),
                urgent: false,
            },
            NOW,
        );
        assert!(payload.is_err(), "{bad:?}");
    }
}

#[test]
fn recipients_need_at_least_one_and_name_the_bad_entry() {
    let (_, good) = generate_identity();
    assert!(matches!(
        Recipients::parse(&[]),
        Err(EnvelopeError::NoRecipients)
    ));
    let lines = vec![good.clone(), "age1notakey".to_string()];
    assert!(matches!(
        Recipients::parse(&lines),
        Err(EnvelopeError::BadRecipient { index: 1, .. })
    ));
    let lines = vec![format!("  {good}\n"), good.clone()];
    assert!(matches!(
        Recipients::parse(&lines),
        Err(EnvelopeError::DuplicateRecipient { index: 1, first: 0 })
    ));
    assert_eq!(recipients_for(&[&good]).len(), 1);
}

#[test]
fn identity_files_skip_comments_and_name_the_bad_line() {
    let (identity, recipient) = generate_identity();
    let secret = identity.to_string();
    let file = format!(
        "# created: 2025-03-01T14:07:00Z\n# public key: {recipient}\n\n{}\r\n",
        secret.expose_secret()
    );
    let parsed = parse_identity_file(&file).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].to_public().to_string(), recipient);

    let bad = format!("# comment\n{}\nnot a key\n", secret.expose_secret());
    match parse_identity_file(&bad) {
        Err(error @ EnvelopeError::BadIdentity { line: 3, .. }) => {
            assert!(!error.to_string().contains("not a key"));
        }
        other => panic!(
            "expected BadIdentity on line 3, got {:?}",
            other.map(|v| v.len())
        ),
    }
    assert!(matches!(
        parse_identity_file("# only a comment\n"),
        Err(EnvelopeError::NoIdentity)
    ));
}

fn tool_present(name: &str) -> bool {
    let found = Command::new(name).arg("--version").output().is_ok();
    if !found {
        println!(
            "note: `{name}` is not installed; skipping the check against the standard age tool"
        );
    }
    found
}

#[test]
fn the_standard_age_tool_opens_a_sealed_envelope() {
    if !tool_present("age") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (identity, line) = generate_identity();
    let key_path = dir.path().join("key.txt");
    let sealed_path = dir.path().join("envelope.age");
    std::fs::write(
        &key_path,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    let payload = first_contact();
    let sealed = seal(&payload, &recipients_for(&[&line])).unwrap();
    std::fs::File::create(&sealed_path)
        .unwrap()
        .write_all(&sealed)
        .unwrap();

    let output = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_path)
        .arg(&sealed_path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let decrypted: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(decrypted, as_json(&payload));
}

#[test]
fn identity_files_made_by_age_keygen_are_read() {
    if !tool_present("age-keygen") {
        return;
    }
    let output = Command::new("age-keygen").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let identities = parse_identity_file(&text).unwrap();
    assert_eq!(identities.len(), 1);
    let public = identities[0].to_public().to_string();
    assert!(text.contains(&format!("# public key: {public}")));
}
