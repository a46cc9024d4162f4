//! Specifications of opening: what seals opens for every recipient, and nothing else opens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::Command;

use age::secrecy::ExposeSecret;
use porten_protocol::envelope::{
    generate_identity, seal, Content, EnvelopeKind, Group, InboxKeys, Payload, Recipients,
    VisitorMessage, SMALLEST_PADDED_JSON,
};
use porten_protocol::{EntryId, ExpiryKey, ReplyKey, TicketRef};
use time::macros::datetime;
use time::OffsetDateTime;

use super::*;

const TICKET: [u8; 32] = [0xab; 32];
const ENTRY: [u8; 16] = [0x01; 16];
// base64 of 32 bytes.
const REPLY_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const NOW: OffsetDateTime = datetime!(2025-03-01 14:07:59.75 UTC);

fn first_contact() -> Payload {
    Payload::first_contact(
        &TicketRef::from_bytes(TICKET),
        EntryId::from_bytes(ENTRY),
        Group::UsedViolence,
        VisitorMessage {
            message: "Jag behöver hjälp",
            language: Some("ar"),
            urgent: true,
        },
        InboxKeys {
            reply_key: &ReplyKey::from_base64(REPLY_KEY).unwrap(),
            expiry_key: &ExpiryKey::from_bytes([0x20; 32]),
        },
        NOW,
    )
    .unwrap()
}

/// A fresh identity, parsed as the inbox parses its identity file, and its recipient line.
fn identity() -> (Identity, String) {
    let (line, recipient) = generate_identity();
    let mut parsed = parse_identity_file(line.expose()).unwrap();
    (parsed.remove(0), recipient)
}

fn recipients_for(lines: &[&str]) -> Recipients {
    Recipients::parse(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>()).unwrap()
}

/// Encrypts arbitrary bytes to one recipient, bypassing the payload's types.
fn seal_raw(plaintext: &[u8], recipient: &str) -> Vec<u8> {
    let recipient: age::x25519::Recipient = recipient.parse().unwrap();
    age::encrypt(&recipient, plaintext).unwrap()
}

fn as_json(payload: &Payload) -> serde_json::Value {
    serde_json::to_value(payload).unwrap()
}

#[test]
fn every_recipient_can_open_what_was_sealed_to_all() {
    let (alice, alice_line) = identity();
    let (bob, bob_line) = identity();
    let payload = first_contact();
    let sealed = seal(&payload, &recipients_for(&[&alice_line, &bob_line])).unwrap();

    for identity in [&alice, &bob] {
        let opened = open(&sealed, identity).unwrap();
        assert_eq!(as_json(&opened), as_json(&payload));
        assert_eq!(opened.ticket_ref.to_hex(), "ab".repeat(32));
        match &opened.content {
            Content::FirstContact {
                group,
                visitor,
                reply_key,
                expiry_key,
            } => {
                assert_eq!(visitor.message.expose(), "Jag behöver hjälp");
                assert_eq!(*reply_key.to_base64(), REPLY_KEY);
                assert!(*expiry_key == ExpiryKey::from_bytes([0x20; 32]));
                assert_eq!(*group, Group::UsedViolence);
            }
            other => panic!("expected a first contact, got {other:?}"),
        }
    }
}

#[test]
fn sealed_bytes_are_binary_age_v1_and_do_not_contain_the_message() {
    let (_, line) = identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
    let needle = "behöver".as_bytes();
    assert!(!sealed.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn an_identity_that_is_not_a_recipient_cannot_open() {
    let (_, line) = identity();
    let (stranger, _) = identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    assert!(matches!(
        open(&sealed, &stranger),
        Err(OpenError::NoMatchingIdentity)
    ));
}

#[test]
fn open_with_any_finds_the_matching_identity_among_several() {
    let (stranger, _) = identity();
    let (owner, line) = identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    let opened = open_with_any(&sealed, &[stranger, owner]).unwrap();
    assert_eq!(opened.kind(), EnvelopeKind::FirstContact);
    assert!(matches!(
        open_with_any(&sealed, &[]),
        Err(OpenError::NoIdentity)
    ));
}

#[test]
fn garbage_is_refused_without_panicking() {
    let (identity, _) = identity();
    for garbage in [
        &b""[..],
        b"\0\0\0\0",
        b"age-encryption.org/v1\n",
        b"age-encryption.org/v2\n-> X25519 abc\n",
        b"{\"version\":1}",
        &[0xff; 4096],
    ] {
        assert!(matches!(open(garbage, &identity), Err(OpenError::NotAge)));
    }
}

#[test]
fn every_truncation_of_an_envelope_is_refused() {
    let (identity, line) = identity();
    let sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    for len in 0..sealed.len() {
        let result = open(&sealed[..len], &identity);
        assert!(result.is_err(), "truncated to {len} bytes but opened");
    }
}

#[test]
fn a_flipped_bit_in_the_ciphertext_is_detected() {
    let (identity, line) = identity();
    let mut sealed = seal(&first_contact(), &recipients_for(&[&line])).unwrap();
    let last = sealed.len() - 1;
    sealed[last] ^= 0x01;
    assert!(matches!(open(&sealed, &identity), Err(OpenError::Damaged)));
}

#[test]
fn input_over_one_mebibyte_is_refused_before_decrypting() {
    let (identity, _) = identity();
    let huge = vec![0u8; MAX_SEALED_LEN + 1];
    assert!(matches!(
        open(&huge, &identity),
        Err(OpenError::TooLarge { size, max: MAX_SEALED_LEN }) if size == MAX_SEALED_LEN + 1
    ));
}

#[test]
fn a_payload_too_large_to_open_is_refused_by_seal() {
    let (_, line) = identity();
    let message = "x".repeat(MAX_SEALED_LEN);
    let payload = Payload::follow_up(
        &TicketRef::from_bytes(TICKET),
        EntryId::from_bytes(ENTRY),
        VisitorMessage {
            message: &message,
            language: None,
            urgent: false,
        },
        &ReplyKey::from_base64(REPLY_KEY).unwrap(),
        NOW,
    )
    .unwrap();
    assert!(matches!(
        seal(&payload, &recipients_for(&[&line])),
        Err(EnvelopeError::PayloadTooLarge { .. })
    ));
}

#[test]
fn a_payload_of_another_version_is_refused_as_unsupported() {
    let (identity, line) = identity();
    let mut json = as_json(&first_contact());
    json["version"] = 3.into();
    json["a-field-from-the-future"] = true.into();
    let sealed = seal_raw(json.to_string().as_bytes(), &line);
    assert!(matches!(
        open(&sealed, &identity),
        Err(OpenError::Payload(EnvelopeError::UnsupportedVersion(3)))
    ));
}

#[test]
fn a_sealed_payload_that_breaks_a_rule_is_refused_by_name() {
    let (identity, line) = identity();
    let mut json = as_json(&first_contact());
    json["closed_reason"] = "visitor".into();
    let sealed = seal_raw(json.to_string().as_bytes(), &line);
    assert!(matches!(
        open(&sealed, &identity),
        Err(OpenError::Payload(EnvelopeError::InvalidField {
            field: "closed_reason",
            ..
        }))
    ));
}

#[test]
fn recipients_need_at_least_one_and_name_the_bad_entry() {
    let (_, good) = identity();
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
    let (secret, recipient) = generate_identity();
    let file = format!(
        "# created: 2025-03-01T14:07:00Z\n# public key: {recipient}\n\n{}\r\n",
        secret.expose()
    );
    let parsed = parse_identity_file(&file).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].to_public().to_string(), recipient);

    let bad = format!("# comment\n{}\nnot a key\n", secret.expose());
    match parse_identity_file(&bad) {
        Err(error @ OpenError::BadIdentity { line: 3, .. }) => {
            assert!(!error.to_string().contains("not a key"));
        }
        other => panic!(
            "expected BadIdentity on line 3, got {:?}",
            other.map(|v| v.len())
        ),
    }
    assert!(matches!(
        parse_identity_file("# only a comment\n"),
        Err(OpenError::NoIdentity)
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
    let (secret, line) = generate_identity();
    let key_path = dir.path().join("key.txt");
    let sealed_path = dir.path().join("envelope.age");
    std::fs::write(&key_path, format!("{}\n", secret.expose())).unwrap();
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
    assert_eq!(
        output.stdout.len(),
        SMALLEST_PADDED_JSON,
        "padded to its bucket"
    );
    let document = serde_json::to_vec(&payload).unwrap();
    assert_eq!(
        &output.stdout[..document.len()],
        document,
        "the document itself"
    );
    assert!(
        output.stdout[document.len()..].iter().all(|&b| b == b' '),
        "then spaces"
    );
}

#[test]
fn a_padded_envelope_holds_the_document_then_spaces_and_opens_to_the_same_payload() {
    let (identity, line) = identity();
    let payload = first_contact();
    let document = serde_json::to_vec(&payload).unwrap();
    let sealed = seal(&payload, &recipients_for(&[&line])).unwrap();
    let plaintext = age::decrypt(&identity, &sealed).unwrap();
    assert_eq!(plaintext.len(), SMALLEST_PADDED_JSON);
    let (head, padding) = plaintext.split_at(document.len());
    assert_eq!(head, document, "the document itself, byte for byte");
    assert!(padding.iter().all(|&b| b == b' '), "then only spaces");
    assert_eq!(
        as_json(&open(&sealed, &identity).unwrap()),
        as_json(&payload)
    );
    // The inbox reads the document with and without padding, and with any JSON whitespace after it.
    for tail in ["", "\n", " \t\r\n  "] {
        let mut plain = document.clone();
        plain.extend_from_slice(tail.as_bytes());
        let opened = open(&seal_raw(&plain, &line), &identity).unwrap();
        assert_eq!(as_json(&opened), as_json(&payload));
    }
    // Anything but whitespace after the document is refused.
    let mut trailing = document.clone();
    trailing.extend_from_slice(b"  x");
    assert!(matches!(
        open(&seal_raw(&trailing, &line), &identity),
        Err(OpenError::Payload(_))
    ));
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
    // The secret line is what `generate_identity` writes too.
    assert!(identities[0]
        .to_string()
        .expose_secret()
        .starts_with("AGE-SECRET-KEY-1"));
}
