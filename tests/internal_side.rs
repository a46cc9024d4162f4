//! The internal side end to end, against the real `porten` and `porten-inbox` binaries over real mutual TLS
//! on loopback: delivery into the spool, staff replies, follow-ups and burn, who gets through the handshake
//! (the CA's chain and the pinned key), what an ack must prove, crashes and outages on either side, and what
//! the gateway keeps on disk afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod common_inbox;

use std::os::unix::fs::MetadataExt;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use common::{code_from_page, Gateway};
use common_inbox::{
    free_port, inbox_command, metric, restart_gateway, start_gateway, InboxProcess, InboxSide,
    Relay,
};
use hyper::StatusCode;
use porten_protocol::thread::{AuthorKind, EntryId, EntryPlain};
use porten_protocol::wire::{ReplyOutcome, ReplyRequest};

const MESSAGE: &str =
    "Min pappa har bestämt vem jag ska gifta mig med. Jag vill inte. Kontakt-7Q4Z";
const REPLY: &str =
    "Hej! Du har gjort rätt som hör av dig. Vi kan träffas i lugn och ro. Svar-K8W2";
const FOLLOW_UP: &str = "Tack. Jag kan prata på tisdag efter skolan. Uppfoljning-3RX9";
const STAFF: &str = "Sara, socialsekreterare";
const WAIT: Duration = Duration::from_secs(20);

/// A visitor's first contact through the pages; returns the code.
async fn first_contact(gateway: &Gateway, message: &str) -> String {
    let form = gateway.open_contact().await;
    assert_eq!(form.status, StatusCode::OK);
    let token = form.hidden("token");
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", token.as_str()),
                ("group", "exposed"),
                ("message", message),
                ("reply_language", "sv"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "the code page is shown");
    code_from_page(&page.body)
}

fn documents_of_kind(
    documents: &[(std::path::PathBuf, serde_json::Value)],
    kind: &str,
) -> Vec<serde_json::Value> {
    documents
        .iter()
        .filter(|(_, d)| d["kind"] == kind)
        .map(|(_, d)| d.clone())
        .collect()
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("read dir")
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_conversation_travels_through_the_inbox_and_the_gateway_keeps_no_plaintext() {
    let side = InboxSide::prepare();
    let (gateway, port) = start_gateway(&side, 0);
    let config = side.write_inbox_config("inbox.toml", port, "");
    let mut inbox = InboxProcess::start(&config);

    // 1. First contact: delivered into the spool with the message, without the reply key.
    let code = first_contact(&gateway, MESSAGE).await;
    let documents = side.wait_for_spool(1, WAIT, "the first contact");
    let first = &documents[0].1;
    assert_eq!(first["kind"], "first-contact");
    assert_eq!(first["message"], MESSAGE);
    assert_eq!(first["group"], "exposed");
    assert!(
        first.get("reply_key").is_none(),
        "the reply key stays with the inbox"
    );
    let ticket_ref = first["ticket_ref"]
        .as_str()
        .expect("ticket ref")
        .to_string();
    assert_eq!(
        documents[0].0.file_name().and_then(|n| n.to_str()),
        Some(format!("{}.json", first["envelope_id"].as_str().expect("id")).as_str()),
        "the spool file is named by envelope id"
    );
    let key_file = side
        .state()
        .join("reply-keys")
        .join(format!("{ticket_ref}.json"));
    assert!(key_file.exists(), "the inbox keeps the ticket's reply key");
    assert!(
        !porten_protocol::fsutil::is_shared(&key_file).expect("stat"),
        "reply keys are 0600"
    );
    assert!(
        !porten_protocol::fsutil::is_shared(&documents[0].0).expect("stat"),
        "spool files are 0600"
    );

    // 2. A staff reply, by the ticket ref's prefix, from standard input.
    let output = inbox_command(
        &["reply", &ticket_ref[..16], "--from", STAFF],
        Some(&config),
        REPLY,
    );
    assert!(
        output.status.success(),
        "reply: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("stored"));

    // 3. The visitor reads it with the code.
    let thread = gateway.open_thread(&code).await;
    assert!(
        thread.body.contains(MESSAGE),
        "the visitor's own message is there"
    );
    assert!(thread.body.contains(REPLY), "the staff reply is there");
    assert!(thread.body.contains(STAFF), "under the display name");

    // 4. A follow-up arrives in the spool, on the same ticket.
    let session = thread.hidden("token");
    let written = gateway
        .post(
            "/sv/thread/write",
            &[("token", session.as_str()), ("message", FOLLOW_UP)],
        )
        .await;
    assert_eq!(written.status, StatusCode::OK);
    let documents = side.wait_for_spool(2, WAIT, "the follow-up");
    let follow_ups = documents_of_kind(&documents, "follow-up");
    assert_eq!(follow_ups.len(), 1);
    assert_eq!(follow_ups[0]["message"], FOLLOW_UP);
    assert_eq!(follow_ups[0]["ticket_ref"], ticket_ref.as_str());

    // 5. Burn: a closed envelope arrives and the inbox forgets the reply key.
    let thread = gateway.open_thread(&code).await;
    let session = thread.hidden("token");
    let burned = gateway
        .post(
            "/sv/thread/delete",
            &[("token", session.as_str()), ("confirm", "yes")],
        )
        .await;
    assert_eq!(burned.status, StatusCode::OK);
    let documents = side.wait_for_spool(3, WAIT, "the closed envelope");
    let closed = documents_of_kind(&documents, "closed");
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["ticket_ref"], ticket_ref.as_str());
    assert_eq!(closed[0]["closed_reason"], "visitor");
    assert!(
        !key_file.exists(),
        "the reply key is forgotten when the ticket closes"
    );
    let refused = inbox_command(
        &["reply", &ticket_ref, "--from", STAFF],
        Some(&config),
        REPLY,
    );
    assert!(!refused.status.success(), "no reply to a closed ticket");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no reply key"));

    // Counts only, and all acked.
    let metrics = side.client(port).metrics().await.expect("metrics");
    assert_eq!(metric(&metrics, "porten_outbox_pending"), 0);
    assert_eq!(metric(&metrics, "porten_replies_stored_total"), 1);
    assert_eq!(metric(&metrics, "porten_tickets"), 0);
    assert!(
        !metrics.contains(&ticket_ref),
        "metrics never name a ticket"
    );

    // The audit log holds the whole story, chained.
    let events: Vec<String> = side
        .audit_lines()
        .iter()
        .map(|l| l["event"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(events, ["delivered", "replied", "delivered", "closed"]);
    let replied = &side.audit_lines()[1];
    assert_eq!(replied["from"], STAFF);
    assert_eq!(replied["ticket"], &ticket_ref[..16]);
    let log_text = std::fs::read_to_string(side.audit_log()).expect("audit log");
    for secret in [MESSAGE, REPLY, FOLLOW_UP] {
        assert!(
            !log_text.contains(secret),
            "the audit log holds no message text"
        );
    }
    let log = side.audit_log();
    let log_arg = log.to_str().expect("path");
    let verified = inbox_command(&["audit", "verify", "--log", log_arg], None, "");
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    // With the configuration, the head's signature is checked with the identity's head key; an auditor
    // without the identity checks it with the printed public half.
    let signed = inbox_command(&["audit", "verify"], Some(&config), "");
    let said = String::from_utf8_lossy(&signed.stdout);
    assert!(
        signed.status.success() && said.contains("signature holds"),
        "{said}{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    let key = inbox_command(&["audit", "key"], Some(&config), "");
    let key = String::from_utf8_lossy(&key.stdout).trim().to_owned();
    assert_eq!(key.len(), 64, "the head key's public half, hex: {key}");
    let by_key = inbox_command(
        &["audit", "verify", "--log", log_arg, "--key", &key],
        None,
        "",
    );
    assert!(String::from_utf8_lossy(&by_key.stdout).contains("signature holds"));
    let stranger = "ab".repeat(32);
    let by_stranger = inbox_command(
        &["audit", "verify", "--log", log_arg, "--key", &stranger],
        None,
        "",
    );
    assert!(
        !by_stranger.status.success(),
        "a head signed by another key does not verify"
    );

    // Stop both; search everything the gateway wrote, byte by byte.
    assert!(
        inbox.terminate().is_some_and(|s| s.success()),
        "the inbox stops cleanly on SIGTERM"
    );
    let gateway_log = gateway.log_text();
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let files = files_under(&data_dir);
    assert!(
        files.iter().any(|f| f.ends_with("porten.redb")),
        "the database was searched"
    );
    for file in files {
        let bytes = std::fs::read(&file).expect("read data file");
        for (what, secret) in [
            ("the message", MESSAGE),
            ("the reply", REPLY),
            ("the follow-up", FOLLOW_UP),
            ("the code", digits.as_str()),
            ("the code as shown", code.as_str()),
        ] {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{} contains {what}",
                file.display()
            );
        }
    }
    for secret in [
        MESSAGE,
        REPLY,
        FOLLOW_UP,
        digits.as_str(),
        ticket_ref.as_str(),
    ] {
        assert!(
            !gateway_log.contains(secret),
            "the gateway log holds no secret"
        );
    }

    // An edited audit line is found, by line number.
    let text = std::fs::read_to_string(&log).expect("audit log");
    let edited = text.replacen(STAFF, "Someone else", 1);
    assert_ne!(edited, text);
    std::fs::write(&log, edited).expect("edit");
    let broken = inbox_command(&["audit", "verify", "--log", log_arg], None, "");
    assert!(
        !broken.status.success(),
        "an edited line fails verification"
    );
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("line 3"),
        "the line after the edited one is named: {}",
        String::from_utf8_lossy(&broken.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_client_certificate_from_the_configured_ca_gets_through() {
    let side = InboxSide::prepare();
    let (gateway, port) = start_gateway(&side, 0);
    porten_protocol::tls::install_provider();
    let url = format!("https://localhost:{port}");

    // The inbox's own certificate works (so the refusals below are about the certificate alone).
    let health = side
        .client(port)
        .health()
        .await
        .expect("the inbox is let in");
    assert_eq!(health.status, "ok");

    // No client certificate at all.
    let no_cert =
        porten_inbox::client::client_tls_config(&side.certs("ca.pem"), None).expect("tls");
    let mut client =
        porten_inbox::client::GatewayClient::with_tls(&url, Arc::new(no_cert)).expect("client");
    assert!(
        client.health().await.is_err(),
        "a client without a certificate is refused"
    );
    assert!(client.pull(0, Duration::ZERO).await.is_err());

    // A certificate from another CA (another `porten-inbox certs` run), with the right names otherwise.
    let other = side.path("other-certs");
    let made = inbox_command(&["certs", "--out", other.to_str().expect("path")], None, "");
    assert!(made.status.success());
    let foreign = porten_inbox::client::client_tls_config(
        &side.certs("ca.pem"),
        Some((&other.join("inbox.pem"), &other.join("inbox-key.pem"))),
    )
    .expect("tls");
    let mut client =
        porten_inbox::client::GatewayClient::with_tls(&url, Arc::new(foreign)).expect("client");
    assert!(
        client.health().await.is_err(),
        "a certificate from another CA is refused"
    );
    assert!(client.metrics().await.is_err());

    // The gateway's own server certificate is not a client certificate either.
    let server_as_client = porten_inbox::client::client_tls_config(
        &side.certs("ca.pem"),
        Some((&side.certs("gateway.pem"), &side.certs("gateway-key.pem"))),
    )
    .expect("tls");
    let mut client =
        porten_inbox::client::GatewayClient::with_tls(&url, Arc::new(server_as_client))
            .expect("client");
    assert!(
        client.health().await.is_err(),
        "a server-only certificate is refused as a client"
    );

    let log = gateway.log_text();
    assert!(
        log.matches("connection refused at the TLS handshake")
            .count()
            >= 3,
        "each refusal is logged with its reason:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inbox_killed_between_delivery_and_ack_delivers_nothing_twice() {
    let side = InboxSide::prepare();
    let (gateway, port) = start_gateway(&side, 0);
    // The inbox reaches the gateway through a relay that will hold back its ack.
    let relay = Relay::start(port).await;
    let relayed = side.write_inbox_config("relayed.toml", relay.port, "");
    let mut inbox = InboxProcess::start(&relayed);
    relay.wait_until_quiet().await;
    relay.hold_upstream.store(true, Ordering::SeqCst);

    first_contact(&gateway, MESSAGE).await;
    let documents = side.wait_for_spool(1, WAIT, "delivery through the relay");
    let spooled = documents[0].0.clone();
    let inode = std::fs::metadata(&spooled).expect("stat").ino();
    // The ack is now stuck in the relay; kill the inbox before it can get through.
    tokio::time::sleep(Duration::from_millis(300)).await;
    inbox.kill();
    let metrics = side.client(port).metrics().await.expect("metrics");
    assert_eq!(
        metric(&metrics, "porten_outbox_pending"),
        1,
        "the gateway still holds the envelope: it was never acked"
    );

    // A new inbox, straight to the gateway: it gets the envelope again, recognises it, and acks.
    let direct = side.write_inbox_config("direct.toml", port, "");
    let mut inbox = InboxProcess::start(&direct);
    inbox.wait_for_log("delivered before", WAIT);
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let metrics = side.client(port).metrics().await.expect("metrics");
        if metric(&metrics, "porten_outbox_pending") == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the envelope was never acked"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let documents = side.spool_documents();
    assert_eq!(documents.len(), 1, "exactly one spool file");
    assert_eq!(
        std::fs::metadata(&spooled).expect("stat").ino(),
        inode,
        "the spool file was not written again"
    );
    let delivered = side
        .audit_lines()
        .iter()
        .filter(|l| l["event"] == "delivered")
        .count();
    assert_eq!(delivered, 1, "one delivery in the audit log");
    inbox.terminate();
    drop(gateway);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_stopped_mid_pull_loses_nothing_and_the_inbox_reconnects() {
    let side = InboxSide::prepare();
    let port = free_port();
    let (gateway, port) = start_gateway(&side, port);
    let config = side.write_inbox_config("inbox.toml", port, "");
    let inbox = InboxProcess::start(&config);

    let mut messages = Vec::new();
    for i in 0..2 {
        let message = format!("{MESSAGE} nummer {i}");
        first_contact(&gateway, &message).await;
        messages.push(message);
    }
    side.wait_for_spool(2, WAIT, "the first two");
    // The inbox is now waiting in a long poll; the gateway goes away under it, with two more envelopes
    // queued just before, which the inbox may or may not have pulled.
    for i in 2..4 {
        let message = format!("{MESSAGE} nummer {i}");
        first_contact(&gateway, &message).await;
        messages.push(message);
    }
    let dir = gateway.stop();
    inbox.wait_for_log("cannot be reached", WAIT);
    tokio::time::sleep(Duration::from_secs(2)).await;

    let gateway = restart_gateway(dir, &side, port);
    for i in 4..6 {
        let message = format!("{MESSAGE} nummer {i}");
        first_contact(&gateway, &message).await;
        messages.push(message);
    }
    let documents = side.wait_for_spool(6, Duration::from_secs(90), "after the restart");
    assert_eq!(documents.len(), 6, "every envelope once");
    let mut delivered: Vec<String> = documents
        .iter()
        .map(|(_, d)| d["message"].as_str().expect("message").to_string())
        .collect();
    delivered.sort();
    messages.sort();
    assert_eq!(delivered, messages, "nothing lost, nothing doubled");
    inbox.wait_for_log("connected to the gateway", WAIT);
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let metrics = side.client(port).metrics().await.expect("metrics");
        if metric(&metrics, "porten_outbox_pending") == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the outbox never emptied"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_is_stored_once_an_unpadded_one_is_refused_and_a_gone_ticket_is_404() {
    let side = InboxSide::prepare();
    let (gateway, port) = start_gateway(&side, 0);
    let config = side.write_inbox_config("inbox.toml", port, "");
    let inbox = InboxProcess::start(&config);
    let code = first_contact(&gateway, MESSAGE).await;
    let documents = side.wait_for_spool(1, WAIT, "the first contact");
    let ticket_ref = documents[0].1["ticket_ref"]
        .as_str()
        .expect("ref")
        .to_string();
    drop(inbox);

    // Seal one reply as the inbox does and push the very same request twice.
    let keys = porten_inbox::reply_keys::ReplyKeys::open(&side.state()).expect("keys");
    let key = keys.find(&ticket_ref).expect("reply key");
    let entry_id = EntryId::random();
    let plain = EntryPlain {
        author_name: Some(STAFF.into()),
        written: 1_700_000_040,
        text: REPLY.into(),
    };
    let sealed = porten_protocol::thread::seal_entry(
        &key.reply_key,
        &key.ticket_ref,
        &entry_id,
        AuthorKind::Staff,
        &plain,
    )
    .expect("seal");
    assert_eq!(sealed.len(), 512, "a short reply fills the smallest bucket");
    let mut client = side.client(port);

    // Not padded to a size bucket, or in the unpadded format 1: refused before anything is stored, so the
    // same reply id is still free below.
    let mut old_format = sealed.clone();
    old_format[0] = 1;
    for (what, ciphertext) in [
        ("a byte short", &sealed[..sealed.len() - 1]),
        ("format 1", &old_format[..]),
    ] {
        let unpadded =
            ReplyRequest::new(entry_id.as_bytes(), key.ticket_ref.as_bytes(), ciphertext);
        match client.push_reply(&unpadded).await {
            Err(porten_inbox::client::ClientError::Refused {
                status, message, ..
            }) => {
                assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
                assert!(message.contains("ciphertext"), "{what}: {message}");
            }
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
    }

    let request = ReplyRequest::new(entry_id.as_bytes(), key.ticket_ref.as_bytes(), &sealed);
    assert_eq!(
        client.push_reply(&request).await.expect("push"),
        ReplyOutcome::Stored
    );
    assert_eq!(
        client.push_reply(&request).await.expect("push again"),
        ReplyOutcome::Duplicate
    );
    let thread = gateway.open_thread(&code).await;
    assert_eq!(
        thread.body.matches(REPLY).count(),
        1,
        "the reply appears once"
    );
    let metrics = client.metrics().await.expect("metrics");
    assert_eq!(metric(&metrics, "porten_replies_stored_total"), 1);
    assert_eq!(metric(&metrics, "porten_replies_duplicate_total"), 1);

    // A reply for a ticket that does not exist (deleted or expired).
    let unknown = ReplyRequest::new(EntryId::random().as_bytes(), &[0x5a; 32], &sealed);
    assert!(matches!(
        client.push_reply(&unknown).await,
        Err(porten_inbox::client::ClientError::NoSuchTicket)
    ));
}

#[test]
fn the_identity_from_keygen_opens_envelopes_with_the_standard_age_tool() {
    let has_age = std::process::Command::new("sh")
        .args(["-c", "command -v age"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_age {
        assert!(
            std::env::var_os("CI").is_none(),
            "age must be installed in CI"
        );
        eprintln!("note: `age` is not installed; skipped");
        return;
    }
    let side = InboxSide::prepare();
    let recipients =
        porten_protocol::envelope::Recipients::parse(std::slice::from_ref(&side.recipient))
            .expect("recipient");
    let payload = porten_protocol::envelope::Payload::expired(
        &porten_protocol::TicketRef::from_bytes([0x42; 32]),
        &porten_protocol::ExpiryKey::from_bytes([0x43; 32]),
        time::OffsetDateTime::now_utc(),
    )
    .expect("payload");
    let sealed = porten_protocol::envelope::seal(&payload, &recipients).expect("seal");
    let path = side.path("envelope.age");
    std::fs::write(&path, sealed).expect("write");
    let output = std::process::Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(side.path("identity.txt"))
        .arg(&path)
        .output()
        .expect("age");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["kind"], "closed");
    assert_eq!(json["closed_reason"], "expired");
    assert_eq!(json["version"], porten_protocol::envelope::PAYLOAD_VERSION);
    assert!(json["proof"].is_string(), "the proof travels as plain JSON");
}

#[test]
fn keygen_and_certs_refuse_to_overwrite() {
    let side = InboxSide::prepare();
    let identity = side.path("identity.txt");
    let before = std::fs::read(&identity).expect("identity");
    let again = inbox_command(
        &["keygen", "--out", identity.to_str().expect("path")],
        None,
        "",
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&identity).expect("identity"), before);
    let certs = side.path("certs");
    let again = inbox_command(&["certs", "--out", certs.to_str().expect("path")], None, "");
    assert!(!again.status.success());
}

/// A raw request to the internal API with the inbox's certificate.
async fn raw(
    side: &InboxSide,
    port: u16,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> porten_inbox::endpoint::Answer {
    porten_protocol::tls::install_provider();
    let tls = porten_inbox::client::client_tls_config(
        &side.certs("ca.pem"),
        Some((&side.certs("inbox.pem"), &side.certs("inbox-key.pem"))),
    )
    .expect("tls");
    let endpoint =
        porten_inbox::endpoint::Endpoint::parse(&format!("https://localhost:{port}")).expect("url");
    let mut sender = porten_inbox::endpoint::connect(&endpoint, Some(&Arc::new(tls)))
        .await
        .expect("connect");
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", endpoint.authority());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let request = request
        .body(http_body_util::Full::new(bytes::Bytes::from(body)))
        .expect("request");
    porten_inbox::endpoint::exchange(&mut sender, request, Duration::from_secs(40), 1 << 24)
        .await
        .expect("answer")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_internal_api_long_polls_acks_and_refuses_malformed_requests() {
    let side = InboxSide::prepare();
    let (gateway, port) = start_gateway(&side, 0);
    let mut client = side.client(port);

    // An empty outbox: the pull waits as long as asked, then answers with nothing.
    let started = std::time::Instant::now();
    let batch = client.pull(0, Duration::from_secs(1)).await.expect("pull");
    assert!(batch.envelopes.is_empty());
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "the pull waited"
    );

    // A long pull is answered as soon as an envelope is committed, not at the end of its wait.
    let started = std::time::Instant::now();
    let (batch, code) = tokio::join!(client.pull(0, Duration::from_secs(25)), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        first_contact(&gateway, MESSAGE).await
    });
    let batch = batch.expect("pull");
    assert_eq!(batch.envelopes.len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "woken by the commit, after {:?}",
        started.elapsed()
    );
    assert!(!code.is_empty());
    let seq = batch.envelopes[0].seq;
    let sealed = batch.envelopes[0].sealed().expect("base64");
    assert!(
        sealed.starts_with(b"age-encryption.org/v1"),
        "the age binary format"
    );
    // After it: nothing more; the same envelope again until acked.
    let after = client.pull(seq, Duration::ZERO).await.expect("pull");
    assert!(after.envelopes.is_empty());
    let again = client.pull(0, Duration::ZERO).await.expect("pull");
    assert_eq!(again.envelopes.len(), 1);
    let id = side.envelope_id(&again.envelopes[0]);
    assert_eq!(client.ack(&[(seq, id)]).await.expect("ack"), 1);
    assert_eq!(
        client.ack(&[(seq, id)]).await.expect("ack again"),
        0,
        "a repeated ack deletes nothing"
    );
    assert!(client
        .pull(0, Duration::ZERO)
        .await
        .expect("pull")
        .envelopes
        .is_empty());

    // Malformed requests get a JSON error with a status that says why, and never echo the value.
    let answer = raw(
        &side,
        port,
        "GET",
        "/v1/outbox?after=1&limit=5",
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let answer = raw(&side, port, "GET", "/v1/nothing-here", None, Vec::new()).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = raw(&side, port, "POST", "/v1/health", None, Vec::new()).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    let answer = raw(
        &side,
        port,
        "POST",
        "/v1/replies",
        Some("text/plain"),
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = format!("{{\"acks\": [{}1]}}", "1,".repeat(200_000));
    let answer = raw(
        &side,
        port,
        "POST",
        "/v1/outbox/ack",
        Some("application/json"),
        huge.into_bytes(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let secret_looking = "ZZ".repeat(32);
    let body = format!(
        "{{\"reply_id\": \"{}\", \"ticket_ref\": \"{secret_looking}\", \"ciphertext\": \"AAAA\"}}",
        "ab".repeat(16)
    );
    let answer = raw(
        &side,
        port,
        "POST",
        "/v1/replies",
        Some("application/json"),
        body.into_bytes(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let text = String::from_utf8_lossy(&answer.body);
    assert!(text.contains("ticket_ref"), "the field is named: {text}");
    assert!(
        !text.contains(&secret_looking),
        "the value is not echoed: {text}"
    );
    let answer = raw(&side, port, "GET", "/v1/health", None, Vec::new()).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "and the gateway still answers"
    );
}

/// A webhook receiver on loopback that refuses the first `fail_first` posts with 503.
struct Hook {
    port: u16,
    posts: Arc<std::sync::Mutex<Vec<(String, serde_json::Value)>>>,
}

async fn start_hook(fail_first: usize) -> Hook {
    use hyper::service::service_fn;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let posts = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = Arc::clone(&posts);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let seen = Arc::clone(&seen);
                    async move {
                        use http_body_util::BodyExt;
                        let id = request
                            .headers()
                            .get("x-porten-envelope-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string();
                        let body = request
                            .into_body()
                            .collect()
                            .await
                            .expect("body")
                            .to_bytes();
                        let json = serde_json::from_slice(&body).expect("JSON body");
                        let count = {
                            let mut posts = seen.lock().expect("posts");
                            posts.push((id, json));
                            posts.len()
                        };
                        let status = if count <= fail_first {
                            StatusCode::SERVICE_UNAVAILABLE
                        } else {
                            StatusCode::NO_CONTENT
                        };
                        let mut response =
                            hyper::Response::new(http_body_util::Full::new(bytes::Bytes::new()));
                        *response.status_mut() = status;
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Hook { port, posts }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_is_retried_until_it_takes_the_envelope_and_only_then_is_it_spooled() {
    let side = InboxSide::prepare();
    let (gateway, port) = start_gateway(&side, 0);
    // Two attempts per round, three refusals: the first round gives up, the second gets through.
    let hook = start_hook(3).await;
    let config = side.write_inbox_config(
        "inbox.toml",
        port,
        &format!(
            "[webhook]\nurl = \"http://127.0.0.1:{}/cases/in\"\nmax_attempts = 2\ntimeout_secs = 5\n",
            hook.port
        ),
    );
    let inbox = InboxProcess::start(&config);
    first_contact(&gateway, MESSAGE).await;
    let documents = side.wait_for_spool(1, WAIT, "delivery through the webhook");
    let posts = hook.posts.lock().expect("posts").clone();
    assert_eq!(posts.len(), 4, "three refusals, then success");
    let envelope_id = documents[0].1["envelope_id"].as_str().expect("id");
    for (id, body) in &posts {
        assert_eq!(
            id, envelope_id,
            "every attempt names the envelope for deduplication"
        );
        assert_eq!(body["message"], MESSAGE);
        assert!(
            body.get("reply_key").is_none(),
            "the reply key is not sent to the case system"
        );
    }
    assert!(
        inbox.log_text().contains("delivery paused"),
        "the failed round is logged"
    );
    let deadline = std::time::Instant::now() + WAIT;
    while metric(
        &side.client(port).metrics().await.expect("metrics"),
        "porten_outbox_pending",
    ) != 0
    {
        assert!(std::time::Instant::now() < deadline, "never acked");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_for_another_key_is_kept_unopened_logged_and_left_at_the_gateway() {
    let side = InboxSide::prepare();
    // The gateway seals to a key this inbox does not hold (a rotation gone wrong).
    let other_identity = side.path("other-identity.txt");
    let made = inbox_command(
        &["keygen", "--out", other_identity.to_str().expect("path")],
        None,
        "",
    );
    assert!(made.status.success());
    let stdout = String::from_utf8_lossy(&made.stdout).into_owned();
    let other_recipient = stdout
        .split("recipients = [\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("recipient")
        .to_string();
    let config = side
        .gateway_config(0)
        .replace(&side.recipient, &other_recipient);
    let gateway = Gateway::start(&config);
    let port = common_inbox::internal_port(&gateway);
    let inbox = InboxProcess::start(&side.write_inbox_config("inbox.toml", port, ""));
    first_contact(&gateway, MESSAGE).await;

    let unopened = side.state().join("unopened");
    let deadline = std::time::Instant::now() + WAIT;
    let kept = loop {
        let files: Vec<_> = std::fs::read_dir(&unopened)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        let files: Vec<_> = files
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "age"))
            .collect();
        if !files.is_empty() {
            break files;
        }
        assert!(std::time::Instant::now() < deadline, "nothing was kept");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(kept.len(), 1);
    assert!(
        side.spool_documents().is_empty(),
        "nothing unreadable reaches the spool"
    );
    // The inbox cannot name the id sealed inside, so it cannot ack it: the envelope stays at the gateway
    // (where the right identity can still receive it), and the inbox pulls past it instead of keeping it.
    inbox.wait_for_log("could not be opened", WAIT);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let text = side.client(port).metrics().await.expect("metrics");
    assert_eq!(metric(&text, "porten_outbox_pending"), 1, "{text}");
    assert_eq!(metric(&text, "porten_acks_refused_total"), 0, "{text}");
    assert_eq!(
        metric(&text, "porten_envelopes_pulled_total"),
        1,
        "pulled once, then passed over: {text}"
    );
    assert!(side.audit_lines().iter().any(|l| l["event"] == "unopened"));
    assert!(inbox.log_text().contains("could not be opened"));
    // With the right identity, the kept file opens like any envelope.
    let identity = std::fs::read_to_string(&other_identity).expect("identity");
    let identities = porten_inbox::open::parse_identity_file(&identity).expect("parse");
    let payload =
        porten_inbox::open::open_with_any(&std::fs::read(&kept[0]).expect("read"), &identities)
            .expect("opens with the right key");
    assert_eq!(
        payload.visitor().map(|v| v.message.expose().as_str()),
        Some(MESSAGE)
    );
}

#[test]
fn inbox_check_config_names_what_run_would_refuse() {
    let side = InboxSide::prepare();
    let config = side.write_inbox_config("inbox.toml", 9, "");
    let good = inbox_command(&["check-config"], Some(&config), "");
    let said = String::from_utf8_lossy(&good.stdout).into_owned();
    assert!(
        good.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(
        said.contains(&side.recipient),
        "it names the recipient the gateway must seal to: {said}"
    );
    assert!(said.contains("audit head key"), "{said}");

    // Each broken file is named, with its field, and the answer is "no".
    for (what, field) in [
        ("a missing identity", "identity"),
        ("a client key that is not a key", "client_key"),
        ("a spool path that is a file", "spool_dir"),
    ] {
        let side = InboxSide::prepare();
        let config = side.write_inbox_config("inbox.toml", 9, "");
        match field {
            "identity" => std::fs::remove_file(side.path("identity.txt")).expect("remove"),
            "client_key" => {
                std::fs::write(side.certs("inbox-key.pem"), "not a key").expect("write");
            }
            _ => {
                let _ = std::fs::remove_dir_all(side.spool());
                std::fs::write(side.spool(), "a file").expect("write");
            }
        }
        let refused = inbox_command(&["check-config"], Some(&config), "");
        let complaint = String::from_utf8_lossy(&refused.stderr).into_owned();
        assert_eq!(refused.status.code(), Some(2), "{what}: refused");
        assert!(
            complaint.contains(field),
            "{what}: names {field}: {complaint}"
        );
    }
}

/// PEM files made with a CA whose key the test keeps, so it can issue a second client certificate from the
/// same CA: a gateway certificate, and two client certificates with different keys.
struct OwnCa {
    dir: tempfile::TempDir,
}

impl OwnCa {
    fn make() -> OwnCa {
        use rcgen::{
            BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose,
            IsCa, KeyPair, KeyUsagePurpose,
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: String| {
            std::fs::write(dir.path().join(name), text).expect("write pem");
        };
        let mut ca_params = CertificateParams::new(Vec::new()).expect("params");
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "organisation-wide CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        let ca =
            CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("ca");
        write("ca.pem", ca.pem());

        let mut gateway = CertificateParams::new(vec!["localhost".into()]).expect("params");
        gateway.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let gateway_key = KeyPair::generate().expect("key");
        write(
            "gateway.pem",
            gateway.signed_by(&gateway_key, &ca).expect("sign").pem(),
        );
        write("gateway-key.pem", gateway_key.serialize_pem());

        for name in ["inbox", "other-device"] {
            let mut client = CertificateParams::new(Vec::new()).expect("params");
            client.distinguished_name.push(DnType::CommonName, name);
            client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            let key = KeyPair::generate().expect("key");
            write(
                &format!("{name}.pem"),
                client.signed_by(&key, &ca).expect("sign").pem(),
            );
            write(&format!("{name}-key.pem"), key.serialize_pem());
        }
        OwnCa { dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn client(&self, port: u16, name: &str) -> porten_inbox::client::GatewayClient {
        porten_protocol::tls::install_provider();
        let tls = porten_inbox::client::client_tls_config(
            &self.path("ca.pem"),
            Some((
                &self.path(&format!("{name}.pem")),
                &self.path(&format!("{name}-key.pem")),
            )),
        )
        .expect("tls");
        porten_inbox::client::GatewayClient::with_tls(
            &format!("https://localhost:{port}"),
            Arc::new(tls),
        )
        .expect("client")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_from_the_right_ca_with_an_unpinned_key_is_refused_at_the_handshake() {
    let side = InboxSide::prepare();
    let ca = OwnCa::make();
    let pin = porten_inbox::setup::pin_of(&ca.path("inbox.pem"))
        .expect("pin")
        .to_string();
    let config = format!(
        "[outbox]\nrecipients = [\"{recipient}\"]\n\n[internal_api]\nenabled = true\n\
         listen = \"127.0.0.1:0\"\ncert = \"{cert}\"\nkey = \"{key}\"\nclient_ca = \"{ca_file}\"\n\
         client_spki = [\"{pin}\"]\n",
        recipient = side.recipient,
        cert = ca.path("gateway.pem").display(),
        key = ca.path("gateway-key.pem").display(),
        ca_file = ca.path("ca.pem").display(),
    );
    let gateway = Gateway::start(&config);
    let port = common_inbox::internal_port(&gateway);
    first_contact(&gateway, MESSAGE).await;

    // Another device certified by the same CA: the chain is right, the key is not pinned.
    let mut other = ca.client(port, "other-device");
    assert!(
        other.pull(0, Duration::ZERO).await.is_err(),
        "refused at the handshake"
    );
    assert!(other.health().await.is_err());
    assert!(other.metrics().await.is_err());

    // The pinned inbox gets in, and sees that the refused pull never reached the outbox.
    let mut inbox = ca.client(port, "inbox");
    let text = inbox.metrics().await.expect("the pinned key is let in");
    assert_eq!(metric(&text, "porten_envelopes_pulled_total"), 0, "{text}");
    assert_eq!(metric(&text, "porten_outbox_pending"), 1, "{text}");
    let batch = inbox.pull(0, Duration::ZERO).await.expect("pull");
    assert_eq!(batch.envelopes.len(), 1);

    let log = gateway.log_text();
    assert!(
        log.lines()
            .any(|l| l.contains("connection refused at the TLS handshake")
                && l.contains("not pinned")),
        "the refusal is logged with its reason:\n{log}"
    );
    assert!(
        !log.contains(&pin),
        "the log does not list the pinned keys:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ack_without_the_sealed_envelope_ids_is_refused_and_deletes_nothing() {
    let side = InboxSide::prepare();
    let (gateway, port) = start_gateway(&side, 0);
    let mut client = side.client(port);
    first_contact(&gateway, MESSAGE).await;
    first_contact(&gateway, FOLLOW_UP).await;
    let batch = client.pull(0, Duration::ZERO).await.expect("pull");
    assert_eq!(batch.envelopes.len(), 2);
    let seqs: Vec<u64> = batch.envelopes.iter().map(|e| e.seq).collect();
    let ids: Vec<_> = batch
        .envelopes
        .iter()
        .map(|e| side.envelope_id(e))
        .collect();

    let post_ack = |body: String| {
        raw(
            &side,
            port,
            "POST",
            "/v1/outbox/ack",
            Some("application/json"),
            body.into_bytes(),
        )
    };
    // What a stolen TLS key alone can send: the sequence numbers from a pull.
    let seqs_only = post_ack(format!("{{\"seqs\": [{}, {}]}}", seqs[0], seqs[1])).await;
    assert_eq!(seqs_only.status, StatusCode::BAD_REQUEST);
    let missing = post_ack(format!("{{\"acks\": [{{\"seq\": {}}}]}}", seqs[0])).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    // A guessed id for one, the right id for the other: refused as a whole.
    let guessed = post_ack(format!(
        "{{\"acks\": [{{\"seq\": {}, \"envelope_id\": \"{}\"}}, {{\"seq\": {}, \"envelope_id\": \"{}\"}}]}}",
        seqs[0],
        "00".repeat(16),
        seqs[1],
        ids[1].to_hex()
    ))
    .await;
    assert_eq!(guessed.status, StatusCode::FORBIDDEN);
    let error: porten_protocol::wire::ErrorBody =
        serde_json::from_slice(&guessed.body).expect("a JSON error");
    assert_eq!(error.error, "wrong-envelope-id");
    assert!(
        !error.message.contains(&ids[1].to_hex()),
        "{}",
        error.message
    );
    // Each other's ids are as wrong as guessed ones.
    let swapped = client.ack(&[(seqs[0], ids[1]), (seqs[1], ids[0])]).await;
    assert!(swapped.is_err(), "refused");

    let text = client.metrics().await.expect("metrics");
    assert_eq!(metric(&text, "porten_acks_refused_total"), 4, "{text}");
    assert_eq!(metric(&text, "porten_envelopes_acked_total"), 0, "{text}");
    let still = client.pull(0, Duration::ZERO).await.expect("pull");
    assert_eq!(
        still.envelopes.iter().map(|e| e.seq).collect::<Vec<_>>(),
        seqs,
        "both envelopes are still there to be pulled"
    );
    assert!(gateway.log_text().contains("wrong envelope id"));

    // The inbox's ack, with the ids from inside the envelopes, deletes them.
    let right: Vec<_> = seqs.iter().copied().zip(ids.iter().copied()).collect();
    assert_eq!(client.ack(&right).await.expect("ack"), 2);
    assert!(client
        .pull(0, Duration::ZERO)
        .await
        .expect("pull")
        .envelopes
        .is_empty());
}

/// What a compromised gateway can send, as the inbox meets it: envelopes sealed to the right recipient and
/// put straight into the gateway's outbox, naming a live ticket the inbox holds (or one it does not), but
/// proved under keys that are not the ticket's. Then the real sweeper expires the ticket. Only the genuine
/// envelopes reach the spool; the forged ones are kept sealed and flagged, and the ticket stays open until
/// the genuine expiry close.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_follow_ups_and_closes_are_refused_and_the_genuine_expiry_close_is_delivered() {
    use porten::conversation::Conversations;
    use porten::store::{NewEntry, QueuedEnvelope, Store};
    use porten::ticket::{Kdf, KdfParams, KdfPool, Pepper};
    use porten_protocol::envelope::{seal, Payload, Recipients, VisitorMessage};
    use porten_protocol::{ExpiryKey, ReplyKey, TicketRef};

    const FORGED: &str = "Forged by the gateway. Forfalskat-9QW2";
    let side = InboxSide::prepare();
    let port = free_port();
    let (gateway, port) = start_gateway(&side, port);
    let config = side.write_inbox_config("inbox.toml", port, "");
    let inbox = InboxProcess::start(&config);
    first_contact(&gateway, MESSAGE).await;
    let documents = side.wait_for_spool(1, WAIT, "the first contact");
    let ticket_ref = documents[0].1["ticket_ref"]
        .as_str()
        .expect("ref")
        .to_string();
    let key_file = side
        .state()
        .join("reply-keys")
        .join(format!("{ticket_ref}.json"));
    let dir = gateway.stop();
    inbox.wait_for_log("cannot be reached", WAIT);

    {
        let data = dir.path().join("data");
        let store = Arc::new(Store::open(&data.join("porten.redb")).expect("store"));
        let recipients =
            Recipients::parse(std::slice::from_ref(&side.recipient)).expect("recipient");
        let ticket = TicketRef::from_hex(&ticket_ref).expect("ref");
        let now = time::OffsetDateTime::now_utc();
        let wrong = ReplyKey::from_bytes([0xee; 32]);
        let forged = [
            Payload::follow_up(
                &ticket,
                EntryId::random(),
                VisitorMessage {
                    message: FORGED,
                    language: None,
                    urgent: true,
                },
                &wrong,
                now,
            ),
            Payload::closed_by_visitor(&ticket, &wrong, now),
            Payload::expired(&ticket, &ExpiryKey::from_bytes([0xee; 32]), now),
            Payload::closed_by_visitor(&TicketRef::from_bytes([0x5a; 32]), &wrong, now),
        ];
        for (i, payload) in forged.into_iter().enumerate() {
            let payload = payload.expect("payload");
            let sealed = QueuedEnvelope {
                id: *payload.envelope_id.as_bytes(),
                sealed: seal(&payload, &recipients).expect("seal"),
            };
            let entry = NewEntry {
                id: [i as u8 + 1; 16],
                author: 0,
                ciphertext: vec![0; 48],
            };
            store
                .follow_up(ticket.as_bytes(), now.unix_timestamp(), entry, &sealed)
                .expect("into the outbox");
        }
        // The gateway's own sweeper, days after the ticket's last activity. It never needs the KDF.
        let pepper_dir = tempfile::tempdir().expect("temp dir");
        let pepper = Pepper::load_or_create(&pepper_dir.path().join("pepper")).expect("pepper");
        let params = KdfParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        };
        let kdf = Kdf::new(params, store.salt(), pepper).expect("kdf");
        let conversations = Conversations::new(
            Arc::clone(&store),
            Arc::new(tokio::sync::Notify::new()),
            KdfPool::new(Arc::new(kdf), 1, 4),
            recipients,
            16,
            Duration::from_secs(86_400),
        );
        let later = now + time::Duration::days(3);
        assert_eq!(conversations.sweep(later).await.expect("sweep"), 1);
    }
    let gateway = restart_gateway(dir, &side, port);

    let documents = side.wait_for_spool(2, WAIT, "the expiry close");
    let closed = documents_of_kind(&documents, "closed");
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["closed_reason"], "expired");
    assert_eq!(closed[0]["ticket_ref"], ticket_ref.as_str());
    let deadline = std::time::Instant::now() + WAIT;
    while metric(
        &side.client(port).metrics().await.expect("metrics"),
        "porten_outbox_pending",
    ) != 0
    {
        assert!(std::time::Instant::now() < deadline, "never acked");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        side.spool_documents().len(),
        2,
        "nothing forged was spooled"
    );
    for (path, _) in side.spool_documents() {
        let text = std::fs::read_to_string(&path).expect("spool file");
        assert!(!text.contains(FORGED), "{}", path.display());
    }
    assert!(
        !key_file.exists(),
        "the genuine expiry close forgets the keys"
    );

    let events: Vec<_> = side
        .audit_lines()
        .iter()
        .map(|l| l["event"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        events,
        [
            "delivered",
            "refused",
            "refused",
            "refused",
            "refused",
            "closed"
        ],
        "refused while the ticket was still open, then closed by the genuine envelope"
    );
    let refused: Vec<_> = std::fs::read_dir(side.state().join("refused"))
        .expect("refused envelopes are kept")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(refused.len(), 4);
    assert!(inbox.log_text().contains("an envelope was refused"));
    drop(gateway);
}
