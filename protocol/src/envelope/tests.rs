//! Specifications of the payload format: the JSON each kind is written as, and the rules it is read with.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::macros::datetime;
use time::OffsetDateTime;

use super::proof::ProofKey;
use super::*;
use crate::keys::{ExpiryKey, ReplyKey, TicketRef};
use crate::thread::EntryId;

const TICKET: [u8; 32] = [0xab; 32];
const ENTRY: [u8; 16] = [0x01; 16];
// base64 of 32 bytes.
const REPLY_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
// base64 of 32 other bytes.
const EXPIRY_KEY: &str = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
const NOW: OffsetDateTime = datetime!(2025-03-01 14:07:59.75 UTC);

fn visitor(message: &str) -> VisitorMessage<'_> {
    VisitorMessage {
        message,
        language: Some("ar"),
        urgent: true,
    }
}

fn ticket() -> TicketRef {
    TicketRef::from_bytes(TICKET)
}

fn reply_key() -> ReplyKey {
    ReplyKey::from_base64(REPLY_KEY).unwrap()
}

fn expiry_key() -> ExpiryKey {
    ExpiryKey::from_any_base64(EXPIRY_KEY).unwrap()
}

fn first_contact() -> Payload {
    Payload::first_contact(
        &ticket(),
        EntryId::from_bytes(ENTRY),
        Group::UsedViolence,
        visitor("Jag behöver hjälp"),
        InboxKeys {
            reply_key: &reply_key(),
            expiry_key: &expiry_key(),
        },
        NOW,
    )
    .unwrap()
}

fn follow_up(message: &str) -> Payload {
    Payload::follow_up(
        &ticket(),
        EntryId::from_bytes(ENTRY),
        visitor(message),
        &reply_key(),
        NOW,
    )
    .unwrap()
}

fn as_json(payload: &Payload) -> serde_json::Value {
    serde_json::to_value(payload).unwrap()
}

/// The JSON of `payload` with one field changed, as bytes to read back.
fn spoiled(payload: &Payload, field: &str, value: serde_json::Value) -> Vec<u8> {
    let mut json = as_json(payload);
    json[field] = value;
    json.to_string().into_bytes()
}

// Envelopes exactly as version 2 writes them, one per kind and reason: each must read and write back byte
// for byte. The proofs are HMAC-SHA256 tags under keys derived from REPLY_KEY and EXPIRY_KEY, computed
// once with another HMAC and HKDF implementation (Python's hmac) from the encoding in proof.rs.
const FIRST_CONTACT_JSON: &str = concat!(
    r#"{"version":2,"envelope_id":"00112233445566778899aabbccddeeff","kind":"first-contact","#,
    r#""ticket_ref":"abababababababababababababababababababababababababababababababab","#,
    r#""group":"used-violence","language":"ar","urgent":true,"message":"Jag behöver hjälp","#,
    r#""entry_id":"01010101010101010101010101010101","#,
    r#""reply_key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","#,
    r#""expiry_key":"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=","received":"2025-03-01T14:07:00Z"}"#
);
const FOLLOW_UP_JSON: &str = concat!(
    r#"{"version":2,"envelope_id":"00112233445566778899aabbccddeeff","kind":"follow-up","#,
    r#""ticket_ref":"abababababababababababababababababababababababababababababababab","#,
    r#""urgent":false,"message":"igen","entry_id":"01010101010101010101010101010101","#,
    r#""received":"2025-03-01T14:07:00Z","proof":"gqHVq32igYkMsgUzfTOV3Dd5JbEpZ1PRYTd6ZdrJx64="}"#
);
const CLOSED_BY_VISITOR_JSON: &str = concat!(
    r#"{"version":2,"envelope_id":"00112233445566778899aabbccddeeff","kind":"closed","#,
    r#""ticket_ref":"abababababababababababababababababababababababababababababababab","#,
    r#""urgent":false,"closed_reason":"visitor","received":"2025-03-01T14:07:00Z","#,
    r#""proof":"uEKMmfVhHAIBYxTp1sPl0prbLFRiPmMC0uuGtIjkM9w="}"#
);
const EXPIRED_JSON: &str = concat!(
    r#"{"version":2,"envelope_id":"00112233445566778899aabbccddeeff","kind":"closed","#,
    r#""ticket_ref":"abababababababababababababababababababababababababababababababab","#,
    r#""urgent":false,"closed_reason":"expired","received":"2025-03-01T14:07:00Z","#,
    r#""proof":"8hs6yAo0oXUUlIL8Of91rHxzWMr7odFpkfzSdpHzwJA="}"#
);

#[test]
fn every_kind_reads_and_writes_back_byte_for_byte() {
    for json in [
        FIRST_CONTACT_JSON,
        FOLLOW_UP_JSON,
        CLOSED_BY_VISITOR_JSON,
        EXPIRED_JSON,
    ] {
        let payload = Payload::from_json(json.as_bytes()).unwrap();
        assert_eq!(serde_json::to_string(&payload).unwrap(), json);
    }
}

#[test]
fn constructors_write_the_version_2_layout() {
    let id = EnvelopeId::from_lower_hex("00112233445566778899aabbccddeeff").unwrap();
    let mut made = first_contact();
    made.envelope_id = id;
    assert_eq!(serde_json::to_string(&made).unwrap(), FIRST_CONTACT_JSON);

    // The proof covers the envelope id, so a payload given a fixed id is signed again.
    let mut follow_up = Payload::follow_up(
        &ticket(),
        EntryId::from_bytes(ENTRY),
        VisitorMessage {
            message: "igen",
            language: None,
            urgent: false,
        },
        &reply_key(),
        NOW,
    )
    .unwrap();
    follow_up.envelope_id = id;
    let follow_up = follow_up.signed(ProofKey::Visitor(&reply_key()));
    assert_eq!(serde_json::to_string(&follow_up).unwrap(), FOLLOW_UP_JSON);

    let mut closed = Payload::closed_by_visitor(&ticket(), &reply_key(), NOW).unwrap();
    closed.envelope_id = id;
    let closed = closed.signed(ProofKey::Visitor(&reply_key()));
    assert_eq!(
        serde_json::to_string(&closed).unwrap(),
        CLOSED_BY_VISITOR_JSON
    );

    let mut expired = Payload::expired(&ticket(), &expiry_key(), NOW).unwrap();
    expired.envelope_id = id;
    let expired = expired.signed(ProofKey::Expiry(&expiry_key()));
    assert_eq!(serde_json::to_string(&expired).unwrap(), EXPIRED_JSON);
}

#[test]
fn the_pinned_proofs_hold_under_their_own_key_only() {
    let held = |json: &str, reply: &ReplyKey, expiry: Option<&ExpiryKey>| {
        Payload::from_json(json.as_bytes())
            .unwrap()
            .proof_holds(reply, expiry)
    };
    let other_reply = ReplyKey::from_bytes([0x77; 32]);
    let other_expiry = ExpiryKey::from_bytes([0x77; 32]);
    for json in [FOLLOW_UP_JSON, CLOSED_BY_VISITOR_JSON] {
        assert!(held(json, &reply_key(), None));
        assert!(!held(json, &other_reply, Some(&expiry_key())));
    }
    assert!(held(EXPIRED_JSON, &other_reply, Some(&expiry_key())));
    assert!(!held(EXPIRED_JSON, &reply_key(), Some(&other_expiry)));
    assert!(
        !held(EXPIRED_JSON, &reply_key(), None),
        "no expiry key kept"
    );
    assert!(
        !held(FIRST_CONTACT_JSON, &reply_key(), Some(&expiry_key())),
        "a first contact proves nothing"
    );
}

#[test]
fn a_proof_does_not_carry_over_to_any_changed_field() {
    let genuine = follow_up("jag kommer på tisdag");
    assert!(genuine.proof_holds(&reply_key(), None));
    let changes: [(&str, serde_json::Value); 7] = [
        ("envelope_id", "ff".repeat(16).into()),
        ("ticket_ref", "cd".repeat(32).into()),
        ("received", "2025-03-01T14:08:00Z".into()),
        ("message", "jag kommer inte".into()),
        ("entry_id", "02".repeat(16).into()),
        ("urgent", false.into()),
        ("language", "sv".into()),
    ];
    for (field, value) in changes {
        let changed = Payload::from_json(&spoiled(&genuine, field, value)).unwrap();
        assert!(
            !changed.proof_holds(&reply_key(), None),
            "{field} changed, proof still held"
        );
    }
    let mut unset = as_json(&genuine);
    unset.as_object_mut().unwrap().remove("language");
    let unset = Payload::from_json(unset.to_string().as_bytes()).unwrap();
    assert!(!unset.proof_holds(&reply_key(), None), "language removed");

    // A visitor's close proved under the reply key is no expiry close, and the other way round.
    let closed = Payload::closed_by_visitor(&ticket(), &reply_key(), NOW).unwrap();
    let as_expired = spoiled(&closed, "closed_reason", "expired".into());
    let as_expired = Payload::from_json(&as_expired).unwrap();
    assert!(!as_expired.proof_holds(&reply_key(), Some(&expiry_key())));
    let expired = Payload::expired(&ticket(), &expiry_key(), NOW).unwrap();
    let as_visitor = spoiled(&expired, "closed_reason", "visitor".into());
    let as_visitor = Payload::from_json(&as_visitor).unwrap();
    assert!(!as_visitor.proof_holds(&reply_key(), Some(&expiry_key())));
}

#[test]
fn follow_ups_and_closes_without_a_proof_are_refused() {
    for payload in [
        follow_up("igen"),
        Payload::closed_by_visitor(&ticket(), &reply_key(), NOW).unwrap(),
        Payload::expired(&ticket(), &expiry_key(), NOW).unwrap(),
    ] {
        let mut json = as_json(&payload);
        json.as_object_mut().unwrap().remove("proof");
        assert!(matches!(
            Payload::from_json(json.to_string().as_bytes()),
            Err(EnvelopeError::InvalidField { field: "proof", .. })
        ));
    }
    assert!(matches!(
        Payload::from_json(&spoiled(&first_contact(), "proof", "AA==".into())),
        Err(EnvelopeError::InvalidField { field: "proof", .. })
    ));
}

#[test]
fn the_case_document_is_the_payload_without_its_keys_and_proof() {
    for json in [FIRST_CONTACT_JSON, FOLLOW_UP_JSON, EXPIRED_JSON] {
        let payload = Payload::from_json(json.as_bytes()).unwrap();
        let document = payload.case_document().unwrap();
        assert!(document.ends_with(b"}\n"));
        let mut expected: serde_json::Value = serde_json::from_str(json).unwrap();
        for left_out in ["reply_key", "expiry_key", "proof"] {
            expected.as_object_mut().unwrap().remove(left_out);
        }
        let written: serde_json::Value = serde_json::from_slice(&document).unwrap();
        assert_eq!(written, expected);
    }
}

#[test]
fn other_payload_versions_are_refused_as_unsupported() {
    let mut json = as_json(&first_contact());
    json["version"] = 3.into();
    json["a-field-from-the-future"] = true.into();
    assert!(matches!(
        Payload::from_json(json.to_string().as_bytes()),
        Err(EnvelopeError::UnsupportedVersion(3))
    ));
    // Version 1 had no proofs: a follow-up or close of that version could be made by anyone who can seal.
    let mut json = as_json(&follow_up("igen"));
    json["version"] = 1.into();
    json.as_object_mut().unwrap().remove("proof");
    assert!(matches!(
        Payload::from_json(json.to_string().as_bytes()),
        Err(EnvelopeError::UnsupportedVersion(1))
    ));
}

#[test]
fn a_payload_with_an_unknown_field_is_refused() {
    assert!(matches!(
        Payload::from_json(&spoiled(&first_contact(), "extra", "x".into())),
        Err(EnvelopeError::InvalidJson { .. })
    ));
}

#[test]
fn json_errors_do_not_quote_the_payload() {
    let mut json = as_json(&first_contact());
    json["message"] = 12345.into();
    json["group"] = "secret-group-name".into();
    let error = Payload::from_json(json.to_string().as_bytes()).unwrap_err();
    let text = error.to_string();
    assert!(!text.contains("secret-group-name"), "{text}");
    assert!(!text.contains("12345"), "{text}");
}

#[test]
fn received_time_is_rounded_down_to_the_minute_in_utc() {
    let at = |now| {
        as_json(&Payload::closed_by_visitor(&ticket(), &reply_key(), now).unwrap())["received"]
            .clone()
    };
    assert_eq!(
        at(datetime!(2025-03-01 14:07:59.999 +02:00)),
        "2025-03-01T12:07:00Z"
    );
    assert_eq!(
        at(datetime!(2025-03-01 14:07:00 UTC)),
        "2025-03-01T14:07:00Z"
    );
    assert_eq!(
        at(datetime!(1969-12-31 23:59:30 UTC)),
        "1969-12-31T23:59:00Z"
    );
    assert_eq!(
        as_json(&first_contact())["received"],
        "2025-03-01T14:07:00Z"
    );
}

#[test]
fn a_received_time_with_seconds_is_refused() {
    let payload = first_contact();
    assert!(matches!(
        Payload::from_json(&spoiled(
            &payload,
            "received",
            "2025-03-01T14:07:59Z".into()
        )),
        Err(EnvelopeError::InvalidField {
            field: "received",
            ..
        })
    ));
    assert!(Payload::from_json(&spoiled(
        &payload,
        "received",
        "2025-03-01T16:07:00+02:00".into()
    ))
    .is_err());
}

#[test]
fn debug_output_never_shows_the_message_the_keys_or_the_ticket_ref() {
    let payload = first_contact();
    let debug = format!("{payload:?}");
    assert!(!debug.contains("behöver"), "{debug}");
    assert!(!debug.contains(REPLY_KEY), "{debug}");
    assert!(!debug.contains(EXPIRY_KEY), "{debug}");
    assert!(!debug.contains("32, 33, 34"), "{debug}");
    assert!(!debug.contains(&"ab".repeat(32)), "{debug}");
    assert!(!debug.contains("171, 171"), "{debug}");
    assert!(debug.contains("[redacted]"));
}

#[test]
fn json_uses_kebab_case_and_omits_absent_fields() {
    let json = as_json(&first_contact());
    assert_eq!(json["kind"], "first-contact");
    assert_eq!(json["group"], "used-violence");
    assert_eq!(json["version"], 2);
    assert_eq!(json["urgent"], true);
    assert_eq!(json["entry_id"], "01".repeat(16));

    let closed = as_json(&Payload::expired(&ticket(), &expiry_key(), NOW).unwrap());
    assert_eq!(closed["kind"], "closed");
    assert_eq!(closed["closed_reason"], "expired");
    for absent in [
        "group",
        "language",
        "message",
        "entry_id",
        "reply_key",
        "expiry_key",
    ] {
        assert!(closed.get(absent).is_none(), "{absent} present");
    }
}

#[test]
fn every_payload_gets_its_own_envelope_id() {
    let a = first_contact();
    let b = first_contact();
    assert_ne!(a.envelope_id, b.envelope_id);
    assert_eq!(a.envelope_id.to_hex().len(), 32);
}

#[test]
fn fields_a_kind_does_not_use_are_refused() {
    let follow_up = follow_up("igen");
    assert!(matches!(
        Payload::from_json(&spoiled(&follow_up, "reply_key", REPLY_KEY.into())),
        Err(EnvelopeError::InvalidField {
            field: "reply_key",
            ..
        })
    ));

    let closed = Payload::closed_by_visitor(&ticket(), &reply_key(), NOW).unwrap();
    assert!(matches!(
        Payload::from_json(&spoiled(&closed, "message", "kvar".into())),
        Err(EnvelopeError::InvalidField {
            field: "message",
            ..
        })
    ));
    assert!(matches!(
        Payload::from_json(&spoiled(&closed, "urgent", true.into())),
        Err(EnvelopeError::InvalidField {
            field: "urgent",
            ..
        })
    ));

    let mut first = as_json(&first_contact());
    first.as_object_mut().unwrap().remove("entry_id");
    assert!(matches!(
        Payload::from_json(first.to_string().as_bytes()),
        Err(EnvelopeError::InvalidField {
            field: "entry_id",
            ..
        })
    ));
}

#[test]
fn malformed_fields_are_refused_by_name() {
    let cases: [(&str, serde_json::Value); 7] = [
        ("ticket_ref", "AB".repeat(32).into()),
        ("envelope_id", format!("{}0", "ab".repeat(16)).into()),
        ("entry_id", "xyz".into()),
        ("reply_key", "c2hvcnQ=".into()),
        ("expiry_key", "c2hvcnQ=".into()),
        ("language", "sv_SE".into()),
        ("message", "  \n".into()),
    ];
    for (name, value) in cases {
        match Payload::from_json(&spoiled(&first_contact(), name, value)) {
            Err(EnvelopeError::InvalidField { field, .. }) => assert_eq!(field, name),
            other => panic!("{name}: expected InvalidField, got {other:?}"),
        }
    }
}

#[test]
fn reply_keys_in_any_base64_alphabet_are_read() {
    let key = ReplyKey::from_bytes([0xfb; 32]);
    let url_safe_unpadded = key.to_base64().replace('+', "-").replace('/', "_");
    let url_safe_unpadded = url_safe_unpadded.trim_end_matches('=');
    let payload = Payload::from_json(&spoiled(
        &first_contact(),
        "reply_key",
        url_safe_unpadded.into(),
    ))
    .unwrap();
    match payload.content {
        Content::FirstContact { reply_key, .. } => assert!(reply_key == key),
        other => panic!("expected a first contact, got {other:?}"),
    }
    let payload = Payload::from_json(&spoiled(
        &first_contact(),
        "expiry_key",
        url_safe_unpadded.into(),
    ))
    .unwrap();
    match payload.content {
        Content::FirstContact { expiry_key, .. } => {
            assert!(expiry_key == ExpiryKey::from_bytes([0xfb; 32]))
        }
        other => panic!("expected a first contact, got {other:?}"),
    }
}

#[test]
fn language_tags_are_checked_for_shape() {
    let follow_up = |language| {
        Payload::follow_up(
            &ticket(),
            EntryId::from_bytes(ENTRY),
            VisitorMessage {
                message: "hej",
                language: Some(language),
                urgent: false,
            },
            &reply_key(),
            NOW,
        )
    };
    for good in ["sv", "en", "ar", "en-GB", "zh-Hant-TW", "fa"] {
        assert!(follow_up(good).is_ok(), "{good}");
    }
    for bad in ["", "s", "sv-", "en GB", "<script>", "sv-toolongsubtag"] {
        assert!(follow_up(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_blank_message_is_refused_when_made() {
    let made = Payload::follow_up(
        &ticket(),
        EntryId::from_bytes(ENTRY),
        visitor(" \n"),
        &reply_key(),
        NOW,
    );
    assert!(matches!(
        made,
        Err(EnvelopeError::InvalidField {
            field: "message",
            ..
        })
    ));
}

#[test]
fn every_group_is_written_as_its_form_value() {
    for group in Group::ALL {
        assert_eq!(serde_json::to_value(group).unwrap(), group.as_str());
        assert_eq!(Group::from_str_opt(group.as_str()), Some(group));
    }
    assert_eq!(Group::from_str_opt("Exposed"), None);
}
