//! Every form the visitor sends, sent again as the browser keeps it in its history — after it succeeded, after
//! a validation error, after a 429 and after a busy key derivation — against the real binary over real TLS.
//!
//! Whoever picks up the device can press Back and resend any of them. None may show a message, a code or a
//! thread, none may create a ticket or a follow-up, and none may hand out a token that opens anything.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod hardening;

use common::{code_from_page, Gateway, Reply};
use hardening::outbox;
use hyper::StatusCode;

const FIRST: &str = "Det första jag skrev, hemligt";
const SECOND: &str = "Det andra jag skrev, också hemligt";

/// What a resent form must never show.
fn assert_shows_nothing(what: &str, reply: &Reply, secrets: &[&str]) {
    assert_ne!(reply.status, StatusCode::OK, "{what}: refused, not served");
    for secret in secrets {
        assert!(!secret.is_empty());
        let digits: String = secret.chars().filter(char::is_ascii_digit).collect();
        assert!(!reply.body.contains(secret), "{what}: shows {secret:?}");
        if digits.len() >= 8 {
            assert!(
                !reply.body.contains(&digits),
                "{what}: shows the code's digits"
            );
        }
    }
    assert!(
        !reply.body.contains("thread/write"),
        "{what}: shows a conversation page"
    );
}

/// The token a refusal hands out opens nothing: not a conversation, not a code.
async fn assert_token_opens_nothing(gateway: &Gateway, what: &str, reply: &Reply) {
    let Some(token) = hardening::visitor::hidden(&reply.body, "token") else {
        return;
    };
    let write = gateway
        .post(
            "/sv/thread/write",
            &[("token", &token), ("message", "prov")],
        )
        .await;
    assert!(
        !write.body.contains("thread/write"),
        "{what}: its token opens a conversation"
    );
    let check = gateway
        .post("/sv/code", &[("token", &token), ("code", "1")])
        .await;
    assert!(
        !check.body.contains("class=\"code\""),
        "{what}: its token shows a code"
    );
}

fn contact_fields<'a>(token: &'a str, group: &'a str, message: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("token", token),
        ("group", group),
        ("message", message),
        ("reply_language", "sv"),
        ("website", ""),
    ]
}

async fn first_contact(gateway: &Gateway, message: &str) -> (Reply, String) {
    let token = gateway.open_contact().await.hidden("token");
    let page = gateway
        .post("/sv/contact", &contact_fields(&token, "exposed", message))
        .await;
    assert_eq!(page.status, StatusCode::OK, "the first contact is kept");
    let code = code_from_page(&page.body);
    (page, code)
}

fn stop(gateway: Gateway) -> (tempfile::TempDir, std::path::PathBuf) {
    let log = gateway.log_text();
    assert!(!log.contains("panicked"), "the gateway panicked:\n{log}");
    let data_dir = gateway.data_dir();
    (gateway.stop(), data_dir)
}

#[tokio::test]
async fn a_first_contact_sent_again_after_success_or_a_validation_error_shows_nothing_and_opens_no_ticket(
) {
    let gateway = Gateway::start("");
    // A first try without a group: refused, the text kept with a new token.
    let token = gateway.open_contact().await.hidden("token");
    let refused_body = contact_fields(&token, "", FIRST);
    let refused = gateway.post("/sv/contact", &refused_body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(FIRST),
        "the visitor's own refusal keeps the text"
    );
    let retry = refused.hidden("token");
    let sent_body = contact_fields(&retry, "exposed", FIRST);
    let sent = gateway.post("/sv/contact", &sent_body).await;
    assert_eq!(sent.status, StatusCode::OK);
    let code = code_from_page(&sent.body);

    for (what, body) in [
        ("after success", &sent_body),
        ("after a validation error", &refused_body),
    ] {
        let again = gateway.post("/sv/contact", body).await;
        assert_shows_nothing(what, &again, &[FIRST, &code]);
        assert_token_opens_nothing(&gateway, what, &again).await;
    }
    let (_dir, data_dir) = stop(gateway);
    assert_eq!(
        outbox::messages(&data_dir),
        [FIRST],
        "one ticket, no second"
    );
}

#[tokio::test]
async fn a_first_contact_refused_with_429_and_sent_again_later_opens_no_second_ticket() {
    let gateway = Gateway::start("[limits]\nsubmissions_per_minute = 60\nsubmission_burst = 1\n");
    let (_, code) = first_contact(&gateway, FIRST).await;
    let token = gateway.open_contact().await.hidden("token");
    let limited_body = contact_fields(&token, "relative", SECOND);
    let limited = gateway.post("/sv/contact", &limited_body).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited.body.contains(SECOND),
        "the text is kept for the visitor"
    );
    // The budget refills (one a second); whoever resends the refused form later gets nothing.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let again = gateway.post("/sv/contact", &limited_body).await;
    assert_shows_nothing("resent after a 429", &again, &[SECOND, FIRST, &code]);
    assert_token_opens_nothing(&gateway, "resent after a 429", &again).await;
    let (_dir, data_dir) = stop(gateway);
    assert_eq!(outbox::messages(&data_dir), [FIRST]);
}

#[tokio::test]
async fn forms_refused_as_busy_and_sent_again_later_show_nothing() {
    // One key derivation at a time and none waiting: a second one at the same moment is "busy".
    let gateway = Gateway::start("[ticket]\nkdf_permits = 1\nkdf_max_waiting = 0\n");
    let (_, code) = first_contact(&gateway, FIRST).await;
    let mut busy_contact = None;
    let mut busy_return = None;
    for _ in 0..20 {
        let mut forms = Vec::new();
        for _ in 0..3 {
            let contact = gateway.open_contact().await.hidden("token");
            let ret = gateway.open_return().await.hidden("token");
            forms.push((contact, ret));
        }
        let attempts = forms.iter().map(|(contact, ret)| {
            let contact_body = contact_fields(contact, "other", SECOND);
            let return_body = vec![("token", ret.as_str()), ("code", code.as_str())];
            let gateway = &gateway;
            async move {
                let (c, r) = tokio::join!(
                    gateway.post("/sv/contact", &contact_body),
                    gateway.post("/sv/return", &return_body)
                );
                (c, r, contact.clone(), ret.clone())
            }
        });
        for (contact_reply, return_reply, contact, ret) in join_all(attempts.collect()).await {
            if contact_reply.status == StatusCode::SERVICE_UNAVAILABLE && busy_contact.is_none() {
                assert!(
                    contact_reply.body.contains(SECOND),
                    "busy keeps the visitor's text"
                );
                busy_contact = Some(contact);
            }
            if return_reply.status == StatusCode::SERVICE_UNAVAILABLE && busy_return.is_none() {
                busy_return = Some(ret);
            }
        }
        if busy_contact.is_some() && busy_return.is_some() {
            break;
        }
    }
    let busy_contact = busy_contact.expect("a first contact was refused as busy");
    let busy_return = busy_return.expect("a return was refused as busy");
    let again = gateway
        .post(
            "/sv/contact",
            &contact_fields(&busy_contact, "other", SECOND),
        )
        .await;
    assert_shows_nothing("a busy first contact resent", &again, &[SECOND, &code]);
    let again = gateway
        .post("/sv/return", &[("token", &busy_return), ("code", &code)])
        .await;
    assert_shows_nothing("a busy return resent", &again, &[FIRST, &code]);
    assert_token_opens_nothing(&gateway, "a busy return resent", &again).await;
    stop(gateway);
}

/// Polls every future until all are done, so they run at the same time on this task.
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[tokio::test]
async fn a_return_sent_again_after_success_a_typo_or_a_429_shows_no_thread_and_no_code() {
    let gateway =
        Gateway::start("[limits]\ncode_attempts_per_minute = 60\ncode_attempt_burst = 2\n");
    let (_, code) = first_contact(&gateway, FIRST).await;
    let token = gateway.open_return().await.hidden("token");
    let mut typo = code.clone();
    let last = typo.pop().expect("a digit");
    typo.push(if last == '0' { '1' } else { '0' });
    let typo_body = vec![("token", token.as_str()), ("code", typo.as_str())];
    let refused = gateway.post("/sv/return", &typo_body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(&typo),
        "a fresh form keeps the typo to correct it"
    );
    let retry = refused.hidden("token");
    let success_body = vec![("token", retry.as_str()), ("code", code.as_str())];
    let thread = gateway.post("/sv/return", &success_body).await;
    assert_eq!(thread.status, StatusCode::OK);
    assert!(thread.body.contains(FIRST));
    // Spend the budget, then one more is refused with 429.
    gateway.open_thread(&code).await;
    let token = gateway.open_return().await.hidden("token");
    let limited_body = vec![("token", token.as_str()), ("code", code.as_str())];
    let limited = gateway.post("/sv/return", &limited_body).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;

    for (what, body) in [
        ("after success", &success_body),
        ("after a typo", &typo_body),
        ("after a 429", &limited_body),
    ] {
        let again = gateway.post("/sv/return", body).await;
        assert_shows_nothing(what, &again, &[FIRST, &code, &typo]);
        assert_token_opens_nothing(&gateway, what, &again).await;
    }
    stop(gateway);
}

#[tokio::test]
async fn write_again_and_delete_sent_again_show_no_thread_and_change_nothing() {
    let gateway = Gateway::start("");
    let (_, code) = first_contact(&gateway, FIRST).await;
    let thread = gateway.open_thread(&code).await;
    let session = thread.hidden("token");
    let sent_body = vec![("token", session.as_str()), ("message", SECOND)];
    let sent = gateway.post("/sv/thread/write", &sent_body).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains(SECOND));
    // An empty message: refused on the visitor's own fresh page, which may show the thread again.
    let session = sent.hidden("token");
    let empty_body = vec![("token", session.as_str()), ("message", "")];
    let empty = gateway.post("/sv/thread/write", &empty_body).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Ask to delete, then keep it.
    let session = empty.hidden("token");
    let ask_body = vec![("token", session.as_str())];
    let confirm = gateway.post("/sv/thread/delete", &ask_body).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let session = confirm.hidden("token");
    let keep_body = vec![("token", session.as_str()), ("confirm", "no")];
    let kept = gateway.post("/sv/thread/delete", &keep_body).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert!(
        kept.body.contains(FIRST) && kept.body.contains(SECOND),
        "No, keep it shows the thread"
    );

    for (what, body) in [
        ("a follow-up resent", &sent_body),
        ("an empty follow-up resent", &empty_body),
        ("a delete request resent", &ask_body),
        ("a 'keep it' resent", &keep_body),
    ] {
        let again = gateway
            .post(
                if what.contains("follow-up") {
                    "/sv/thread/write"
                } else {
                    "/sv/thread/delete"
                },
                body,
            )
            .await;
        assert_shows_nothing(what, &again, &[FIRST, SECOND, &code]);
        assert_token_opens_nothing(&gateway, what, &again).await;
    }
    // A delete confirmation resent after the visitor deleted: nothing is shown, and the code no longer works.
    let session = kept.hidden("token");
    let delete_body = vec![("token", session.as_str()), ("confirm", "yes")];
    let deleted = gateway.post("/sv/thread/delete", &delete_body).await;
    assert_eq!(deleted.status, StatusCode::OK);
    let again = gateway.post("/sv/thread/delete", &delete_body).await;
    assert_shows_nothing("a deletion resent", &again, &[FIRST, SECOND, &code]);
    let (_dir, data_dir) = stop(gateway);
    let kinds: Vec<String> = outbox::payloads(&data_dir)
        .iter()
        .map(|payload| format!("{:?}", payload.kind()))
        .collect();
    assert_eq!(
        kinds.len(),
        3,
        "first contact, one follow-up, closed: {kinds:?}"
    );
}

#[tokio::test]
async fn a_follow_up_in_danger_sent_again_after_success_a_validation_error_or_a_429_shows_nothing()
{
    // Two submissions at once, then one every five seconds: the first contact and one follow-up pass, the
    // next follow-up right after is refused with 429.
    let gateway = Gateway::start("[limits]\nsubmissions_per_minute = 12\nsubmission_burst = 2\n");
    let (_, code) = first_contact(&gateway, FIRST).await;
    let ticked = r#"name="urgent" value="yes" checked"#;
    let said_danger = "Du skrev att du är i fara";
    let thread = gateway.open_thread(&code).await;
    // Ticked with nothing written: refused on the visitor's own fresh page, the box kept.
    let session = thread.hidden("token");
    let empty_body = vec![
        ("token", session.as_str()),
        ("urgent", "yes"),
        ("message", ""),
    ];
    let empty = gateway.post("/sv/thread/write", &empty_body).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains(ticked),
        "the visitor's own refusal keeps the box"
    );
    let session = empty.hidden("token");
    let sent_body = vec![
        ("token", session.as_str()),
        ("urgent", "yes"),
        ("message", SECOND),
    ];
    let sent = gateway.post("/sv/thread/write", &sent_body).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains(SECOND) && sent.body.contains(said_danger));
    let third = "Ett tredje meddelande, i fara";
    let session = sent.hidden("token");
    let limited_body = vec![
        ("token", session.as_str()),
        ("urgent", "yes"),
        ("message", third),
    ];
    let limited = gateway.post("/sv/thread/write", &limited_body).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited.body.contains(third) && limited.body.contains(ticked),
        "the text and the box are kept for the visitor"
    );
    // The budget refills; whoever resends any of them later gets nothing, not even that the box was ticked.
    tokio::time::sleep(std::time::Duration::from_millis(5500)).await;
    for (what, body) in [
        ("an urgent follow-up resent", &sent_body),
        ("an empty urgent follow-up resent", &empty_body),
        ("an urgent follow-up refused with 429 resent", &limited_body),
    ] {
        let again = gateway.post("/sv/thread/write", body).await;
        assert_shows_nothing(what, &again, &[FIRST, SECOND, third, &code]);
        assert!(!again.body.contains(ticked), "{what}: shows the box ticked");
        assert!(!again.body.contains(said_danger), "{what}: says danger");
        assert_token_opens_nothing(&gateway, what, &again).await;
    }
    let (_dir, data_dir) = stop(gateway);
    let follow_ups: Vec<(String, bool)> = outbox::payloads(&data_dir)
        .iter()
        .filter(|payload| payload.kind() == porten_protocol::envelope::EnvelopeKind::FollowUp)
        .filter_map(|payload| payload.visitor())
        .map(|visitor| (visitor.message.expose().clone(), visitor.urgent))
        .collect();
    assert_eq!(
        follow_ups,
        [(SECOND.to_owned(), true)],
        "one follow-up, sealed urgent, no second"
    );
}

#[tokio::test]
async fn a_mistyped_check_of_the_code_shows_the_code_page_again_with_the_code() {
    let gateway = Gateway::start("");
    let (page, code) = first_contact(&gateway, FIRST).await;
    let check = page.hidden("token");
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let mut swapped: Vec<char> = digits.chars().collect();
    swapped.swap(5, 6);
    if swapped[5] == swapped[6] {
        swapped[6] = if swapped[6] == '0' { '1' } else { '0' };
    }
    let swapped: String = swapped.into_iter().collect();
    let mistyped_body = vec![("token", check.as_str()), ("code", swapped.as_str())];
    let mistyped = gateway.post("/sv/code", &mistyped_body).await;
    assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        code_from_page(&mistyped.body),
        code,
        "the code is shown again"
    );
    assert!(
        mistyped.body.contains("<mark>"),
        "the differing digits are marked"
    );
    assert!(mistyped.body.contains("aria-invalid=\"true\""));

    // Another language keeps the code too.
    let check = mistyped.hidden("token");
    let switch_body = vec![("token", check.as_str()), ("switch", "yes")];
    let english = gateway.post("/en/code", &switch_body).await;
    assert_eq!(english.status, StatusCode::OK);
    assert!(english.body.contains("lang=\"en\""));
    assert_eq!(code_from_page(&english.body), code);

    let check = english.hidden("token");
    let right_body = vec![("token", check.as_str()), ("code", code.as_str())];
    let right = gateway.post("/en/code", &right_body).await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(right.body.contains("You copied the code correctly"));
    assert!(
        !right.body.contains(&digits[..8]),
        "a right check does not show the code again"
    );

    for (what, path, body) in [
        ("a mistyped check resent", "/sv/code", &mistyped_body),
        ("a language change resent", "/en/code", &switch_body),
        ("a right check resent", "/en/code", &right_body),
    ] {
        let again = gateway.post(path, body).await;
        assert_shows_nothing(what, &again, &[&code, FIRST]);
        assert_token_opens_nothing(&gateway, what, &again).await;
    }
    stop(gateway);
}

#[tokio::test]
async fn a_post_with_origin_null_but_no_fetch_metadata_is_refused() {
    let gateway = Gateway::start("");
    let token = gateway.open_contact().await.hidden("token");
    let body = common::encode(&contact_fields(&token, "exposed", FIRST));
    let request = hyper::Request::post("/sv/contact")
        .header("host", "localhost")
        .header("origin", "null")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(http_body_util::Full::new(bytes::Bytes::from(body.clone())))
        .expect("request");
    let refused = gateway.send(request).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains(FIRST));
    // Neither header at all (an older browser): the sealed token decides, and it is still unused.
    let request = hyper::Request::post("/sv/contact")
        .header("host", "localhost")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(http_body_util::Full::new(bytes::Bytes::from(body)))
        .expect("request");
    assert_eq!(gateway.send(request).await.status, StatusCode::OK);
    let (_dir, data_dir) = stop(gateway);
    assert_eq!(outbox::messages(&data_dir), [FIRST]);
}
