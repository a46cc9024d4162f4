//! One client cannot shut the door on everyone: a client floods every form, the delete path, code attempts,
//! page loads and idle connections, all from one network, while a second client from another network makes a
//! first contact, comes back with its code and loads pages. Against the real binary on loopback (any 127.x.y.z
//! is a local address, so the two clients are two /24 networks to the gateway), bounded in time, with the
//! gateway's default per-source and global budgets.
//!
//! What is asserted: every request of the second client succeeds, each within [`BOUND`]; the flood was real
//! (the flooding client was refused, its idle connections closed). The times are printed as figures.

// A test that cannot go on stops with the reason; that is what `expect` is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod hardening;

use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{code_from_page, Gateway};
use hardening::process::median;
use hardening::slow::{Drag, Swarm};
use hardening::visitor::{hidden, Visitor};
use hyper::StatusCode;
use tokio::sync::watch;

/// The longest any one request of the second client may take while the flood runs. Generous: the machine
/// has two cores, and the flood runs on them too; what matters is that the visitor gets through at all.
const BOUND: Duration = Duration::from_secs(10);

/// The flooding client's network.
const FLOODER: [u8; 4] = [127, 0, 0, 1];
/// The second client's network.
const VISITOR: [u8; 4] = [127, 0, 7, 1];

/// The gateway's defaults, except a first-byte time short enough for the test to see idle connections go,
/// and one key-derivation permit, so that the flood's derivations and the visitor's compete for it.
const CONFIG: &str = "[limits]\nfirst_byte_timeout_secs = 2\n\
    [limits.per_source]\nconnections = 32\n\
    [ticket]\nkdf_permits = 1\n";

/// Requests the flooding client sent and how many were refused (429, 503) or failed.
#[derive(Default)]
struct FloodCounts {
    sent: AtomicUsize,
    refused: AtomicUsize,
}

impl FloodCounts {
    fn note(&self, status: Option<StatusCode>) {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let refused = match status {
            Some(status) => {
                status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
            }
            None => true,
        };
        if refused {
            self.refused.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// One flooding worker: does `round` again and again until told to stop.
fn flood<F, Fut>(
    counts: &Arc<FloodCounts>,
    stop: &watch::Receiver<bool>,
    round: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Vec<Option<StatusCode>>> + Send,
{
    let counts = Arc::clone(counts);
    let stop = stop.clone();
    tokio::spawn(async move {
        while !*stop.borrow() {
            for status in round().await {
                counts.note(status);
            }
        }
    })
}

fn status(reply: Result<common::Reply, String>) -> Option<StatusCode> {
    reply.ok().map(|reply| reply.status)
}

/// A first contact and a return with its code, from `visitor`: the code and the token of the thread page.
async fn ticket_and_session(visitor: &Visitor) -> (String, String) {
    let page = visitor
        .first_contact("Jag vill ha kontakt")
        .await
        .expect("first contact");
    assert_eq!(page.status, StatusCode::OK, "first contact kept");
    let code = code_from_page(&page.body);
    let form = visitor.open_return().await.expect("code form");
    let token = hidden(&form.body, "token").expect("code form token");
    let thread = visitor
        .post("/sv/return", &[("token", &token), ("code", &code)])
        .await
        .expect("return");
    assert_eq!(thread.status, StatusCode::OK, "the conversation opens");
    let session = hidden(&thread.body, "token").expect("thread token");
    (code, session)
}

/// Times one request of the second client and checks it succeeded with 200 within [`BOUND`].
async fn timed(
    what: &str,
    times: &mut Vec<Duration>,
    request: impl std::future::Future<Output = Result<common::Reply, String>>,
) -> common::Reply {
    let started = Instant::now();
    let reply = tokio::time::timeout(BOUND, request)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within {BOUND:?} during the flood"))
        .unwrap_or_else(|error| panic!("{what}: failed during the flood: {error}"));
    let took = started.elapsed();
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{what}: refused during the flood"
    );
    eprintln!("second client: {what} in {took:?}");
    times.push(took);
    reply
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_flooding_every_path_does_not_stop_another_clients_visit() {
    let gateway = Gateway::start(CONFIG);
    let flooder = Visitor::of(&gateway).from(IpAddr::from(FLOODER));
    let visitor = Visitor::of(&gateway).from(IpAddr::from(VISITOR));

    // The flooder's own ticket and conversation, made before the flood, for the paths that need one.
    let (flood_code, flood_session) = ticket_and_session(&flooder).await;

    let (stop_tx, stop) = watch::channel(false);
    let counts = Arc::new(FloodCounts::default());
    let mut workers = Vec::new();
    for _ in 0..3 {
        // The contact form: open it, send it.
        let client = flooder.clone();
        workers.push(flood(&counts, &stop, move || {
            let client = client.clone();
            async move {
                let form = client.open_contact().await;
                let token = form
                    .as_ref()
                    .ok()
                    .and_then(|form| hidden(&form.body, "token"));
                let mut statuses = vec![form.as_ref().ok().map(|form| form.status)];
                if let Some(token) = token {
                    let fields = [
                        ("token", token.as_str()),
                        ("group", "other"),
                        ("message", "flood"),
                    ];
                    statuses.push(status(client.post("/sv/contact", &fields).await));
                }
                statuses
            }
        }));
        // Code attempts: the code form and the flooder's own code, each one a key derivation.
        let client = flooder.clone();
        let code = flood_code.clone();
        workers.push(flood(&counts, &stop, move || {
            let client = client.clone();
            let code = code.clone();
            async move {
                let form = client.open_return().await;
                let token = form
                    .as_ref()
                    .ok()
                    .and_then(|form| hidden(&form.body, "token"));
                let mut statuses = vec![form.as_ref().ok().map(|form| form.status)];
                if let Some(token) = token {
                    let fields = [("token", token.as_str()), ("code", code.as_str())];
                    statuses.push(status(client.post("/sv/return", &fields).await));
                }
                statuses
            }
        }));
        // Page loads.
        let client = flooder.clone();
        workers.push(flood(&counts, &stop, move || {
            let client = client.clone();
            async move { vec![status(client.get("/sv/").await)] }
        }));
    }
    // The delete path: "delete my conversation" without confirming answers with a fresh session token, which
    // the flooder sends again at once; and follow-ups with the same chain of tokens.
    let chain = Arc::new(std::sync::Mutex::new(flood_session));
    for path in ["/sv/thread/delete", "/sv/thread/write"] {
        let client = flooder.clone();
        let chain = Arc::clone(&chain);
        workers.push(flood(&counts, &stop, move || {
            let client = client.clone();
            let chain = Arc::clone(&chain);
            async move {
                let token = chain.lock().unwrap().clone();
                let reply = client
                    .post(path, &[("token", &token), ("message", "flood")])
                    .await;
                if let Some(next) = reply
                    .as_ref()
                    .ok()
                    .and_then(|reply| hidden(&reply.body, "token"))
                {
                    *chain.lock().unwrap() = next;
                }
                vec![status(reply)]
            }
        }));
    }
    // Idle connections: opened and left silent, and TLS handshakes trickled a byte at a time; every one the
    // gateway closes is opened again at once.
    let silent = Swarm::start(
        gateway.https,
        200,
        Drag::Silent,
        Duration::from_secs(1),
        true,
    );
    let handshakes = Swarm::start(
        gateway.https,
        100,
        Drag::TlsHandshake,
        Duration::from_secs(2),
        true,
    );
    // Let the flood spend the flooder's budgets and fill its share of connections.
    tokio::time::sleep(Duration::from_secs(5)).await;

    let mut times = Vec::new();
    let landing = timed("landing page", &mut times, visitor.get("/sv/")).await;
    assert!(landing.body.contains("/sv/contact"));
    let form = timed("contact form", &mut times, visitor.open_contact()).await;
    let token = hidden(&form.body, "token").expect("contact form token");
    let fields = [
        ("token", token.as_str()),
        ("group", "exposed"),
        ("message", "Jag behöver hjälp"),
        ("reply_language", "sv"),
        ("website", ""),
    ];
    let code_page = timed(
        "first contact",
        &mut times,
        visitor.post("/sv/contact", &fields),
    )
    .await;
    let code = code_from_page(&code_page.body);
    let form = timed("code form", &mut times, visitor.open_return()).await;
    let token = hidden(&form.body, "token").expect("code form token");
    let thread = timed(
        "return with the code",
        &mut times,
        visitor.post("/sv/return", &[("token", &token), ("code", &code)]),
    )
    .await;
    assert!(
        thread.body.contains("Jag behöver hjälp"),
        "the second client's conversation opens with its message"
    );
    let session = hidden(&thread.body, "token").expect("thread token");
    let written = timed(
        "write again",
        &mut times,
        visitor.post(
            "/sv/thread/write",
            &[("token", &session), ("message", "Ett till")],
        ),
    )
    .await;
    assert!(written.body.contains("Ett till"));
    for round in 0..5 {
        timed(
            &format!("page load {round}"),
            &mut times,
            visitor.get("/sv/"),
        )
        .await;
    }

    let _ = stop_tx.send(true);
    for worker in workers {
        let _ = tokio::time::timeout(Duration::from_secs(40), worker).await;
    }
    let sent = counts.sent.load(Ordering::Relaxed);
    let refused = counts.refused.load(Ordering::Relaxed);
    let opened = silent.opened() + handshakes.opened();
    let closed = silent.closed_by_gateway() + handshakes.closed_by_gateway();
    silent.stop().await;
    handshakes.stop().await;
    eprintln!(
        "flood: {sent} requests, {refused} refused or failed; {opened} idle connections opened, {closed} closed by \
         the gateway; second client: {} requests, median {:?}, slowest {:?}",
        times.len(),
        median(&times),
        times.iter().max().copied().unwrap_or_default()
    );
    assert!(
        refused * 2 > sent,
        "most of the flood was refused ({refused} of {sent}): the budgets were spent"
    );
    assert!(
        closed > 300,
        "the gateway closed idle connections beyond the flooder's share ({closed})"
    );
    let _dir = gateway.stop();
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_first_byte_time_not_the_header_time() {
    use tokio::io::AsyncReadExt as _;
    // The header time is a minute; the first-byte time one second. A silent connection closed within half the
    // header time was closed by the first-byte time.
    let gateway =
        Gateway::start("[limits]\nfirst_byte_timeout_secs = 1\nheader_timeout_secs = 60\n");
    for (listener, address) in [("https", gateway.https), ("http", gateway.http)] {
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        let started = Instant::now();
        let mut buffer = [0u8; 64];
        let read = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buffer)).await;
        let closed = matches!(read, Ok(Ok(0)) | Ok(Err(_)));
        eprintln!(
            "{listener}: a silent connection closed after {:?}",
            started.elapsed()
        );
        assert!(
            closed,
            "{listener}: a silent connection is closed well before the header time"
        );
    }
    let _dir = gateway.stop();
}
