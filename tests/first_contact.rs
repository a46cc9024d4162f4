//! A visitor's first contact, end to end against the real binary over real TLS: the form, the code, the sealed
//! envelope in the outbox, and everything that must never happen along the way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use bytes::Bytes;
use common::{code_from_page, Gateway};
use http_body_util::Full;
use hyper::{Request, StatusCode};
use porten_protocol::envelope::{Content, Group, Payload};

const MESSAGE: &str = "Min bror hotar mig. Jag vill prata med någon. ناصر";

/// Fills in and sends the contact form as a browser would; returns the code page.
async fn first_contact(gateway: &Gateway, message: &str, urgent: bool) -> common::Reply {
    let form = gateway.open_contact().await;
    assert_eq!(form.status, StatusCode::OK);
    let token = form.hidden("token");
    let mut fields = vec![
        ("token", token.as_str()),
        ("group", "exposed"),
        ("message", message),
        ("reply_language", "en"),
        ("website", ""),
    ];
    if urgent {
        fields.push(("urgent", "yes"));
    }
    gateway.post("/sv/contact", &fields).await
}

fn outbox_payloads(data_dir: &std::path::Path) -> Vec<(Vec<u8>, Payload)> {
    let identity_text = std::fs::read_to_string(data_dir.join(porten::app::DEV_IDENTITY_FILE))
        .expect("dev identity");
    let identities = porten_inbox::open::parse_identity_file(&identity_text).expect("identity");
    let store = porten::store::Store::open(&data_dir.join("porten.redb")).expect("open store");
    store
        .outbox_after(0, 1000)
        .expect("outbox")
        .into_iter()
        .map(|item| {
            let payload = porten_inbox::open::open(&item.envelope, &identities[0]).expect("opens");
            (item.envelope, payload)
        })
        .collect()
}

#[tokio::test]
async fn first_contact_shows_a_code_and_seals_exactly_what_was_written() {
    let gateway = Gateway::start("");
    let page = first_contact(&gateway, MESSAGE, true).await;
    assert_eq!(page.status, StatusCode::OK);
    let code = code_from_page(&page.body);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 16, "a 16-digit code is shown");
    assert!(porten::ticket::damm::is_valid(
        &digits.bytes().map(|b| b - b'0').collect::<Vec<_>>()
    ));
    assert!(
        page.body.contains("112"),
        "urgent contact shows the emergency number"
    );
    assert!(
        !page.body.contains(MESSAGE),
        "the code page does not repeat the message"
    );
}

#[tokio::test]
async fn the_envelope_in_the_outbox_opens_with_the_identity_and_holds_the_submission() {
    let gateway = Gateway::start("");
    let page = first_contact(&gateway, MESSAGE, true).await;
    assert_eq!(page.status, StatusCode::OK);
    let code = code_from_page(&page.body);
    let data_dir = gateway.data_dir();
    let dir = gateway.stop();

    let payloads = outbox_payloads(&data_dir);
    assert_eq!(payloads.len(), 1, "one envelope per first contact");
    let (sealed, payload) = &payloads[0];
    let json = serde_json::to_value(payload).expect("json");
    assert_eq!(json["version"], 2);
    assert!(
        json["expiry_key"].is_string(),
        "a first contact carries its ticket's expiry key"
    );
    assert_eq!(json["message"], MESSAGE);
    assert_eq!(json["urgent"], true);
    assert_eq!(json["language"], "en");
    assert!(matches!(
        payload.content,
        Content::FirstContact {
            group: Group::Exposed,
            ..
        }
    ));
    assert!(
        json["reply_key"].is_string(),
        "the first contact carries the reply key"
    );
    assert!(
        json["received"]
            .as_str()
            .is_some_and(|r| r.ends_with(":00Z")),
        "time is rounded to the minute"
    );

    // The standard age tool opens it too.
    if which("age") {
        let sealed_path = dir.path().join("envelope.age");
        std::fs::write(&sealed_path, sealed).expect("write envelope");
        let output = std::process::Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(data_dir.join(porten::app::DEV_IDENTITY_FILE))
            .arg(&sealed_path)
            .output()
            .expect("run age");
        assert!(output.status.success(), "age -d succeeds");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON inside");
        assert_eq!(json["message"], MESSAGE);
        assert_eq!(json["kind"], "first-contact");
        assert_eq!(json["group"], "exposed");
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the age command must be installed in CI (tests/run-all.sh installs it)"
        );
        eprintln!("note: `age` is not installed; the command-line check was skipped");
    }
    // The code itself appears nowhere in the envelope: the centre never needs it.
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    assert!(!serde_json::to_string(&payloads[0].1)
        .expect("json")
        .contains(&digits));
}

fn which(program: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[tokio::test]
async fn a_code_with_a_typo_is_caught_by_the_check_digit() {
    let gateway = Gateway::start("");
    let landing = gateway.open_return().await;
    let token = landing.hidden("token");
    // Valid shape, wrong check digit: 1234 5678 9012 3456 has Damm check digit 7, not 6.
    let digits = "123456789012345";
    let check =
        porten::ticket::damm::check_digit(&digits.bytes().map(|b| b - b'0').collect::<Vec<_>>());
    let wrong = (check + 1) % 10;
    let code = format!("{digits}{wrong}");
    let reply = gateway
        .post("/sv/return", &[("token", &token), ("code", &code)])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("aria-describedby"),
        "the error is tied to the field"
    );
    assert!(
        reply.body.contains(&code),
        "the typed code is shown again for correction"
    );
}

#[tokio::test]
async fn a_code_typed_in_arabic_indic_or_persian_digits_opens_the_thread() {
    let gateway = Gateway::start("");
    let page = first_contact(&gateway, MESSAGE, false).await;
    let code = code_from_page(&page.body);
    for zero in ['\u{0660}', '\u{06F0}', '\u{FF10}'] {
        let typed: String = code
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(zero as u32 + d).expect("digit"),
                None => '-',
            })
            .collect();
        let landing = gateway.open_return().await;
        let token = landing.hidden("token");
        let thread = gateway
            .post("/sv/return", &[("token", &token), ("code", &typed)])
            .await;
        assert_eq!(
            thread.status,
            StatusCode::OK,
            "digits from U+{:04X} work",
            zero as u32
        );
        assert!(
            thread.body.contains("Min bror hotar mig"),
            "the thread shows the message"
        );
    }
}

#[tokio::test]
async fn a_post_from_another_site_or_without_a_valid_token_is_refused() {
    let gateway = Gateway::start("");
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let fields = [
        ("token", token.as_str()),
        ("group", "exposed"),
        ("message", "hej"),
    ];
    let forged = Request::post("/sv/contact")
        .header("host", "localhost")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(common::encode(&fields))))
        .expect("request");
    assert_eq!(gateway.send(forged).await.status, StatusCode::FORBIDDEN);
    let cross_site = Request::post("/sv/contact")
        .header("host", "localhost")
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(common::encode(&fields))))
        .expect("request");
    assert_eq!(gateway.send(cross_site).await.status, StatusCode::FORBIDDEN);

    let forged_token = gateway
        .post(
            "/sv/contact",
            &[
                (
                    "token",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                ),
                ("group", "exposed"),
                ("message", "hej"),
            ],
        )
        .await;
    assert_eq!(forged_token.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !forged_token.body.contains(">hej<") && !forged_token.body.contains("\nhej<"),
        "a forged form's text is not shown again"
    );

    // The genuine token still works once, and only once.
    let accepted = gateway.post("/sv/contact", &fields).await;
    assert_eq!(accepted.status, StatusCode::OK);
    let replayed = gateway.post("/sv/contact", &fields).await;
    assert_eq!(replayed.status, StatusCode::UNPROCESSABLE_ENTITY);

    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    assert_eq!(
        outbox_payloads(&data_dir).len(),
        1,
        "only the genuine post was queued"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_and_nothing_stored() {
    let gateway = Gateway::start("");
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let huge = "a".repeat(70_000);
    let reply = gateway
        .post(
            "/sv/contact",
            &[("token", &token), ("group", "exposed"), ("message", &huge)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Within the byte limit but over the character limit: the form comes back with the text.
    let long = "å".repeat(5001);
    let reply = gateway
        .post(
            "/sv/contact",
            &[("token", &token), ("group", "exposed"), ("message", &long)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    assert!(outbox_payloads(&data_dir).is_empty());
}

#[tokio::test]
async fn the_log_of_a_whole_visit_contains_no_secret() {
    let gateway = Gateway::start("");
    let page = first_contact(&gateway, MESSAGE, true).await;
    let code = code_from_page(&page.body);
    let landing = gateway.open_return().await;
    let token = landing.hidden("token");
    let thread = gateway
        .post("/sv/return", &[("token", &token), ("code", &code)])
        .await;
    assert_eq!(thread.status, StatusCode::OK);
    let session = thread.hidden("token");
    let again = gateway
        .post(
            "/sv/thread/write",
            &[("token", &session), ("message", "Andra meddelandet")],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);

    let data_dir = gateway.data_dir();
    let log = gateway.log_text();
    let _dir = gateway.stop();
    let payloads = outbox_payloads(&data_dir);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let json = serde_json::to_value(&payloads[0].1).expect("json");
    let reply_key = json["reply_key"].as_str().expect("reply key").to_owned();
    let ticket_ref = json["ticket_ref"].as_str().expect("ticket ref").to_owned();
    assert!(
        log.contains("first contact queued"),
        "the log does record the event"
    );
    for (what, secret) in [
        ("the code", digits.as_str()),
        ("the grouped code", code.as_str()),
        ("the message", "Min bror hotar mig"),
        ("the follow-up", "Andra meddelandet"),
        ("the reply key", reply_key.as_str()),
        ("the ticket ref", ticket_ref.as_str()),
        ("the loopback address", "127.0.0.1:"),
    ] {
        let leaked = match what {
            // The listening addresses are logged at start; client addresses never are.
            "the loopback address" => log
                .lines()
                .filter(|l| !l.contains("listening"))
                .any(|l| l.contains(secret)),
            _ => log.contains(secret),
        };
        assert!(!leaked, "the log contains {what}");
    }
}

#[tokio::test]
async fn a_form_resubmitted_from_history_never_shows_the_message_or_code_again() {
    let gateway = Gateway::start("");
    // The code page came from a form post; Back and "resend" posts the same form again.
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let secret_text = "Ingen annan får se detta meddelande";
    let fields = [
        ("token", token.as_str()),
        ("group", "exposed"),
        ("message", secret_text),
        ("reply_language", "sv"),
    ];
    let first = gateway.post("/sv/contact", &fields).await;
    assert_eq!(first.status, StatusCode::OK);
    let code = code_from_page(&first.body);
    let resent = gateway.post("/sv/contact", &fields).await;
    assert_eq!(resent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !resent.body.contains(secret_text),
        "the message is not echoed"
    );
    assert!(
        resent.body.contains("id=\"message\""),
        "an empty form is shown"
    );

    // The thread came from the return form; resending it must not fill in the code.
    let landing = gateway.open_return().await;
    let token = landing.hidden("token");
    let thread = gateway
        .post("/sv/return", &[("token", &token), ("code", &code)])
        .await;
    assert_eq!(thread.status, StatusCode::OK);
    let resent = gateway
        .post("/sv/return", &[("token", &token), ("code", &code)])
        .await;
    assert_eq!(resent.status, StatusCode::UNPROCESSABLE_ENTITY);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    assert!(
        !resent.body.contains(&code) && !resent.body.contains(&digits),
        "the code is not echoed"
    );
    assert!(
        !resent.body.contains(secret_text),
        "the thread is not shown"
    );
}
