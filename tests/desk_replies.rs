//! The staff desk end to end, against the real `porten` and `porten-inbox` binaries on loopback: a visitor's
//! urgent first contact becomes a case at the top of the desk's queue, a worker replies through the desk
//! and the visitor reads it under the worker's display name, a follow-up lands in the same case, a reply
//! written while the gateway is away is shown as not sent and goes through when sent again; and with no
//! spool configured, nothing the visitor or the worker wrote is on the inbox's disk in the clear.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod common_inbox;
#[path = "../inbox/tests/desk_client/mod.rs"]
mod desk_client;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{code_from_page, Gateway};
use common_inbox::{
    free_port, inbox_command, restart_gateway, start_gateway, InboxProcess, InboxSide,
};
use desk_client::{code_in, enrol, login, Browser};
use hyper::StatusCode;

const MESSAGE: &str = "Jag ska skickas utomlands i sommar. Jag vill inte. Brådskande-5TQ2";
const REPLY: &str = "Vi hör dig. Du kan ringa oss i dag. Svar-desk-8KD4";
const SECOND_REPLY: &str = "Vi finns här i morgon också. Andra-svaret-2HW7";
const FOLLOW_UP: &str = "Jag kan prata efter skolan. Uppfoljning-desk-6PM3";
const NOTE: &str = "Ring skolkuratorn före fredag. Anteckning-9ZX1";
const PASSWORD: &str = "a long enough passphrase for staff";
const WAIT: Duration = Duration::from_secs(30);

/// An urgent first contact through the pages; returns the code.
async fn urgent_first_contact(gateway: &Gateway) -> String {
    let form = gateway.open_contact().await;
    let token = form.hidden("token");
    let page = gateway
        .post(
            "/en/contact",
            &[
                ("token", token.as_str()),
                ("group", "exposed"),
                ("urgent", "yes"),
                ("message", MESSAGE),
                ("reply_language", "en"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "the code page is shown");
    code_from_page(&page.body)
}

/// Loads `path` until its page holds `needle`, for at most `wait`.
fn wait_for_page(browser: &mut Browser, path: &str, needle: &str, wait: Duration) -> String {
    let deadline = Instant::now() + wait;
    loop {
        let page = browser.get(path);
        assert_eq!(page.status, 200, "{path}");
        if page.body.contains(needle) {
            return page.body;
        }
        assert!(Instant::now() < deadline, "{path} never showed {needle:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Every file under `dir` with its bytes.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_written_at_the_desk_reaches_the_visitor_under_the_workers_name() {
    let side = InboxSide::prepare();
    let (gateway, gateway_port) = start_gateway(&side, 0);
    let desk_port = free_port();
    let config = side.write_inbox_config(
        "inbox.toml",
        gateway_port,
        &format!("[desk]\nlisten = \"127.0.0.1:{desk_port}\"\n"),
    );
    // No spool: the desk is the case system.
    let text = std::fs::read_to_string(&config).unwrap();
    let without_spool: String = text
        .lines()
        .filter(|line| !line.starts_with("spool_dir"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(text, without_spool);
    std::fs::write(&config, without_spool).unwrap();

    let added = inbox_command(
        &[
            "desk",
            "add-account",
            "--login",
            "sara",
            "--display-name",
            "Sara, kurator",
            "--role",
            "staff",
        ],
        Some(&config),
        "",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let enrolment = code_in(&String::from_utf8_lossy(&added.stdout));
    let inbox = InboxProcess::start(&config);
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", desk_port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the desk never listened:\n{}",
            inbox.log_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut sara = Browser::new(desk_port, &side.state().join("desk/dev-tls/cert.pem"));
    let (mut app, _) = enrol(&mut sara, &enrolment, PASSWORD);
    let code = app.next_code();
    assert_eq!(login(&mut sara, "sara", PASSWORD, &code).status, 303);

    // The urgent first contact: at the top of the queue, urgent in words.
    let visitor_code = urgent_first_contact(&gateway).await;
    let queue = wait_for_page(&mut sara, "/en/cases?view=urgent", "/en/cases/", WAIT);
    assert!(queue.contains("Urgent"), "urgent in words");
    let at = queue.find("/en/cases/").unwrap();
    let case = queue[at..at + "/en/cases/".len() + 64].to_owned();
    assert!(case["/en/cases/".len()..]
        .bytes()
        .all(|b| b.is_ascii_hexdigit()));
    let page = sara.get(&case);
    assert!(page.body.contains(MESSAGE));

    // Take it, write a note and reply; the page says the reply was sent.
    for (action, fields) in [("take", vec![]), ("note", vec![("text", NOTE)])] {
        let token = sara.get(&case).token();
        let mut form = vec![("csrf", token.as_str())];
        form.extend(fields);
        assert_eq!(sara.post(&format!("{case}/{action}"), &form).status, 303);
    }
    let token = sara.get(&case).token();
    let sent = sara.post(
        &format!("{case}/reply"),
        &[("csrf", token.as_str()), ("text", REPLY)],
    );
    assert_eq!(sent.status, 303);
    assert_eq!(
        sent.header("location"),
        Some(format!("{case}?sent").as_str())
    );

    // The visitor reads it under Sara's name, and never sees the note.
    let thread = gateway.open_thread(&visitor_code).await;
    assert!(
        thread.body.contains(REPLY),
        "the desk's reply reached the visitor"
    );
    assert!(thread.body.contains("Sara, kurator"));
    assert!(!thread.body.contains(NOTE));

    // The visitor writes again: the follow-up lands in the same case.
    let token = thread.hidden("token");
    let written = gateway
        .post(
            "/en/thread/write",
            &[("token", token.as_str()), ("message", FOLLOW_UP)],
        )
        .await;
    assert_eq!(written.status, StatusCode::OK);
    let page = wait_for_page(&mut sara, &case, FOLLOW_UP, WAIT);
    assert!(page.find(MESSAGE).unwrap() < page.find(REPLY).unwrap());
    assert!(page.find(REPLY).unwrap() < page.find(FOLLOW_UP).unwrap());

    // The gateway is away: the reply is stored, then shown as not sent; sent again once it is back.
    let data = gateway.stop();
    let token = sara.get(&case).token();
    let stored = sara.post(
        &format!("{case}/reply"),
        &[("csrf", token.as_str()), ("text", SECOND_REPLY)],
    );
    assert_eq!(stored.status, 303);
    assert_eq!(
        stored.header("location"),
        Some(format!("{case}?stored").as_str())
    );
    // The pusher tries for about half a minute (1 s, doubling) before it records the failure.
    let page = wait_for_page(&mut sara, &case, "/resend\"", Duration::from_secs(90));
    assert!(page.contains("Sending failed"));
    let gateway = restart_gateway(data, &side, gateway_port);
    let at = page.find("name=\"reply\" value=\"").unwrap() + "name=\"reply\" value=\"".len();
    let reply_id = page[at..at + 32].to_owned();
    let token = sara.get(&case).token();
    let again = sara.post(
        &format!("{case}/resend"),
        &[("csrf", token.as_str()), ("reply", reply_id.as_str())],
    );
    assert_eq!(
        again.header("location"),
        Some(format!("{case}?sent").as_str())
    );
    let thread = gateway.open_thread(&visitor_code).await;
    assert!(thread.body.contains(SECOND_REPLY));
    assert_eq!(
        thread.body.matches(SECOND_REPLY).count(),
        1,
        "sent once, under its own id"
    );

    // The audit log names Sara's account for each step, never a text.
    let audit = std::fs::read_to_string(side.state().join("audit.jsonl")).unwrap();
    for action in [
        "\"took\"",
        "\"note-added\"",
        "\"reply-recorded\"",
        "\"reply-pushed\"",
        "\"reply-failed\"",
        "\"reply-retried\"",
    ] {
        assert!(audit.contains(action), "{action} is in the audit log");
    }
    for text in [MESSAGE, REPLY, SECOND_REPLY, FOLLOW_UP, NOTE] {
        assert!(!audit.contains(text));
    }

    // Nothing typed on either side is on the inbox's disk in the clear.
    let files = files_under(side.state().as_path());
    assert!(files.len() > 3);
    for (path, bytes) in &files {
        for text in [MESSAGE, REPLY, SECOND_REPLY, FOLLOW_UP, NOTE] {
            let marker = text.rsplit(' ').next().unwrap();
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "{} holds {marker} in the clear",
                path.display()
            );
        }
    }
    assert!(!side.spool().exists() || files_under(&side.spool()).is_empty());
    drop(inbox);
}
