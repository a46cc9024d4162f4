//! The conversation page's write-again form, end to end against the real binary over real TLS: a follow-up
//! with "I am in danger now" ticked reaches the centre sealed as urgent and proved so, one without it does
//! not, a forged box is not ticked, and a refused follow-up comes back with the text and the box as they were.
//!
//! The envelopes are opened with the development identity once the gateway has stopped, as the internal side
//! would open them.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod hardening;

use common::{code_from_page, Gateway, Reply};
use hardening::outbox;
use hyper::StatusCode;
use porten_protocol::envelope::{Content, EnvelopeKind, Payload};

const FIRST: &str = "Jag vågar inte gå hem.";
const IN_DANGER: &str = "Han står utanför dörren nu. Fara-5KQ2";
const CALM: &str = "Det är lugnt igen i kväll. Lugn-8PW3";
/// What the Swedish conversation page says after a message sent in danger (`code-urgent-heading`).
const YOU_SAID_DANGER: &str = "Du skrev att du är i fara";
/// The box as the page writes it when ticked.
const TICKED: &str = r#"name="urgent" value="yes" checked"#;

async fn first_contact(gateway: &Gateway) -> String {
    let token = gateway.open_contact().await.hidden("token");
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", token.as_str()),
                ("group", "exposed"),
                ("message", FIRST),
                ("reply_language", "sv"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "the first contact is kept");
    code_from_page(&page.body)
}

/// Posts the write-again form of `page` with `message` and, if given, `urgent`.
async fn write(gateway: &Gateway, page: &Reply, message: &str, urgent: Option<&str>) -> Reply {
    let token = page.hidden("token");
    let mut fields = vec![("token", token.as_str()), ("message", message)];
    if let Some(value) = urgent {
        fields.push(("urgent", value));
    }
    gateway.post("/sv/thread/write", &fields).await
}

/// The envelopes the gateway left in its outbox, opened; the gateway is stopped first.
fn stop_and_open(gateway: Gateway) -> (tempfile::TempDir, Vec<Payload>) {
    let log = gateway.log_text();
    assert!(!log.contains("panicked"), "the gateway panicked:\n{log}");
    let data_dir = gateway.data_dir();
    let dir = gateway.stop();
    let payloads = outbox::payloads(&data_dir);
    (dir, payloads)
}

/// The follow-ups among `payloads`, as (message, urgent).
fn follow_ups(payloads: &[Payload]) -> Vec<(String, bool)> {
    payloads
        .iter()
        .filter(|payload| payload.kind() == EnvelopeKind::FollowUp)
        .filter_map(|payload| {
            let visitor = payload.visitor()?;
            Some((visitor.message.expose().clone(), visitor.urgent))
        })
        .collect()
}

#[tokio::test]
async fn a_follow_up_sent_in_danger_is_sealed_urgent_and_proved_and_one_sent_calm_is_not() {
    let gateway = Gateway::start("");
    let code = first_contact(&gateway).await;
    let thread = gateway.open_thread(&code).await;
    assert!(
        !thread.body.contains(TICKED),
        "the box starts unticked on the conversation page"
    );
    let sent = write(&gateway, &thread, IN_DANGER, Some("yes")).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains(IN_DANGER), "the thread shows it");
    assert!(
        sent.body.contains(YOU_SAID_DANGER) && sent.body.contains(">112<"),
        "the emergency numbers follow a message sent in danger"
    );
    assert!(
        !sent.body.contains(TICKED),
        "the form is empty again for the next message"
    );
    let calm = write(&gateway, &sent, CALM, None).await;
    assert_eq!(calm.status, StatusCode::OK);
    assert!(calm.body.contains(CALM));
    assert!(!calm.body.contains(YOU_SAID_DANGER));

    let (_dir, payloads) = stop_and_open(gateway);
    assert_eq!(payloads.len(), 3, "a first contact and two follow-ups");
    let Some(Content::FirstContact {
        visitor,
        reply_key,
        expiry_key,
        ..
    }) = payloads.first().map(|p| &p.content)
    else {
        panic!("the first envelope is the first contact");
    };
    assert!(!visitor.urgent, "the first contact was sent calm");
    assert_eq!(
        follow_ups(&payloads),
        [(IN_DANGER.to_owned(), true), (CALM.to_owned(), false)]
    );
    for follow_up in &payloads[1..] {
        assert!(
            follow_up.proof_holds(reply_key, Some(expiry_key)),
            "proved under the ticket's reply key"
        );
        // Whoever changes the urgency on the way breaks the proof, in either direction: the inbox refuses it.
        let mut changed = follow_up.clone();
        if let Content::FollowUp { visitor, .. } = &mut changed.content {
            visitor.urgent = !visitor.urgent;
        }
        assert_ne!(changed.urgent(), follow_up.urgent());
        assert!(!changed.proof_holds(reply_key, Some(expiry_key)));
    }
}

#[tokio::test]
async fn a_forged_value_of_the_danger_box_counts_as_not_ticked() {
    let gateway = Gateway::start("");
    let code = first_contact(&gateway).await;
    let mut page = gateway.open_thread(&code).await;
    let forged = [
        "", "no", "YES", "Yes", "yes ", " yes", "yes\n", "yes\0", "1", "on", "true", "ja",
    ];
    for (index, value) in forged.into_iter().enumerate() {
        let message = format!("Förfalskad ruta {index}");
        let sent = write(&gateway, &page, &message, Some(value)).await;
        assert_eq!(sent.status, StatusCode::OK, "{value:?}");
        assert!(sent.body.contains(&message), "{value:?}");
        assert!(!sent.body.contains(YOU_SAID_DANGER), "{value:?}");
        page = sent;
    }
    let (_dir, payloads) = stop_and_open(gateway);
    let sealed = follow_ups(&payloads);
    assert_eq!(sealed.len(), forged.len(), "each was sent once");
    for (index, (message, urgent)) in sealed.iter().enumerate() {
        assert_eq!(message, &format!("Förfalskad ruta {index}"));
        assert!(!urgent, "{:?} was sealed as urgent", forged[index]);
    }
}

#[tokio::test]
async fn a_refused_follow_up_comes_back_with_the_text_and_the_box_as_they_were() {
    let gateway = Gateway::start("[limits]\nmax_message_chars = 40\n");
    let code = first_contact(&gateway).await;
    let thread = gateway.open_thread(&code).await;

    // Ticked, nothing written: the box stays ticked.
    let empty = write(&gateway, &thread, "", Some("yes")).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.body.matches(TICKED).count(), 1, "the box is kept");
    assert!(
        empty.body.contains(r##"<a href="#message">"##),
        "the error is named"
    );
    // Ticked, too long: the text and the box both stay.
    let long = "Alldeles för lång text för gränsen, Lång-3MV7";
    let too_long = write(&gateway, &empty, long, Some("yes")).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.body.contains(&format!("\n{long}</textarea>")));
    assert_eq!(too_long.body.matches(TICKED).count(), 1, "the box is kept");
    // Not ticked, too long: the text stays and the box stays unticked.
    let unticked = write(&gateway, &too_long, long, None).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unticked.body.contains(&format!("\n{long}</textarea>")));
    assert!(
        !unticked.body.contains(TICKED),
        "an unticked box stays unticked"
    );
    // The unticked try used up the too-long page's form: sent from there again, corrected and ticked, it
    // sends nothing and shows nothing of either try.
    let resent = write(&gateway, &too_long, IN_DANGER, Some("yes")).await;
    assert_eq!(resent.status, StatusCode::UNPROCESSABLE_ENTITY);
    for shown in [IN_DANGER, long, TICKED, "thread/write"] {
        assert!(!resent.body.contains(shown), "a used form shows {shown:?}");
    }
    // Corrected on the latest refused page and ticked again: sent in danger.
    let sent = write(&gateway, &unticked, IN_DANGER, Some("yes")).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains(YOU_SAID_DANGER));

    let (_dir, payloads) = stop_and_open(gateway);
    assert_eq!(
        follow_ups(&payloads),
        [(IN_DANGER.to_owned(), true)],
        "only the corrected follow-up was sent, in danger"
    );
}
