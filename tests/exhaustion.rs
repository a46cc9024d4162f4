//! Resource exhaustion against the real binary, on loopback, bounded in count and time: slow clients holding
//! connections (below and above `limits.max_connections`), a submission flood and a code-guessing flood over
//! the global rate limits, and a mixed load with real Argon2id memory while the gateway's memory is watched.
//!
//! What is asserted is liveness and bounds, not speed: every request of an ordinary visitor succeeds within a
//! generous deadline, refusals carry their status and `Retry-After`, memory stays under a ceiling. The
//! timings are printed as figures; this machine has two cores and they are noisy.

// A test that cannot go on stops with the reason; that is what `expect` is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod hardening;

use std::time::{Duration, Instant};

use common::Gateway;
use hardening::outbox;
use hardening::process::{self, median};
use hardening::slow::{Drag, Swarm};
use hardening::visitor::{hidden, Visitor};
use hyper::StatusCode;

/// One exhaustion test at a time: they measure the gateway while the machine's two cores are otherwise idle.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// An ordinary visitor's round: the landing page, the contact form, and (with `message`) a first contact.
/// Returns the time of each request; panics with the reason if one fails.
async fn visit(visitor: &Visitor, message: Option<&str>) -> Vec<Duration> {
    let mut times = Vec::new();
    let started = Instant::now();
    let landing = visitor.get("/sv/").await.expect("the landing page loads");
    assert_eq!(landing.status, StatusCode::OK);
    times.push(started.elapsed());
    let started = Instant::now();
    let form = visitor
        .open_contact()
        .await
        .expect("the contact form loads");
    assert_eq!(form.status, StatusCode::OK);
    times.push(started.elapsed());
    if let Some(message) = message {
        let token = hidden(&form.body, "token").expect("token");
        let started = Instant::now();
        let page = visitor
            .post(
                "/sv/contact",
                &[("token", &token), ("group", "other"), ("message", message)],
            )
            .await
            .expect("the submission is answered");
        assert_eq!(page.status, StatusCode::OK, "the submission is kept");
        times.push(started.elapsed());
    }
    times
}

fn report(name: &str, times: &[Duration]) {
    eprintln!(
        "{name}: {} requests, median {:?}, slowest {:?}",
        times.len(),
        median(times),
        process::max(times)
    );
}

#[tokio::test]
async fn a_visitor_loads_pages_and_submits_while_300_slow_clients_hold_connections() {
    let _serial = SERIAL.lock().await;
    // Room for all of them: the slots hold, and the visitor must still get through.
    let gateway = Gateway::start("[limits]\nmax_connections = 512\nheader_timeout_secs = 60\n");
    let pid = gateway.pid();
    let baseline_fds = process::open_fds(pid);
    let rss_before = process::rss_kib(pid);
    let heads = Swarm::start(
        gateway.http,
        250,
        Drag::RequestHead,
        Duration::from_secs(3),
        false,
    );
    let handshakes = Swarm::start(
        gateway.https,
        50,
        Drag::TlsHandshake,
        Duration::from_secs(3),
        false,
    );
    assert_eq!(heads.wait_held(250, Duration::from_secs(20)).await, 250);
    assert_eq!(handshakes.wait_held(50, Duration::from_secs(20)).await, 50);
    // The gateway has accepted them all (each is a socket in its descriptor table), not left them queued.
    let deadline = Instant::now() + Duration::from_secs(20);
    while process::open_fds(pid) < baseline_fds + 300 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let accepted = process::open_fds(pid).saturating_sub(baseline_fds);
    assert!(
        accepted >= 300,
        "the gateway holds the 300 slow connections ({accepted})"
    );

    let visitor = Visitor::of(&gateway);
    let mut times = Vec::new();
    for round in 0..15 {
        times.extend(visit(&visitor, Some(&format!("Hjälp {round}"))).await);
    }
    let held = heads.held() + handshakes.held();
    report("visitor beside 300 slow clients", &times);
    eprintln!(
        "slow connections still held at the end: {held}; gateway sockets: {accepted}; RSS {} → {} KiB",
        rss_before,
        process::rss_kib(pid)
    );
    assert_eq!(
        held, 300,
        "the slow clients held their connections all along"
    );
    assert!(median(&times) < Duration::from_secs(5), "pages stay usable");
    heads.stop().await;
    handshakes.stop().await;
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    assert_eq!(
        outbox::pending(&data_dir),
        15,
        "every submission of the visitor was kept"
    );
}

#[tokio::test]
async fn slow_clients_beyond_max_connections_are_timed_out_and_the_visitor_gets_through() {
    let _serial = SERIAL.lock().await;
    // 200 slow clients for 64 slots, reconnecting as soon as they are closed: the visitor waits in the
    // kernel's queue until the header timeout frees slots, then is served.
    let gateway = Gateway::start("[limits]\nmax_connections = 64\nheader_timeout_secs = 3\n");
    let swarm = Swarm::start(
        gateway.http,
        200,
        Drag::RequestHead,
        Duration::from_millis(500),
        true,
    );
    assert!(swarm.wait_opened(200, Duration::from_secs(20)).await >= 200);
    tokio::time::sleep(Duration::from_secs(1)).await;

    let mut visitor = Visitor::of(&gateway);
    visitor.timeout = Duration::from_secs(60);
    let started = Instant::now();
    let mut times = Vec::new();
    for round in 0..4 {
        times.extend(visit(&visitor, Some(&format!("Genom kön {round}"))).await);
    }
    report("visitor behind 200 slow clients on 64 slots", &times);
    let closed = swarm.closed_by_gateway();
    eprintln!(
        "slow connections opened {}, closed by the header timeout {closed}, in {:?}",
        swarm.opened(),
        started.elapsed()
    );
    swarm.stop().await;
    assert!(
        closed >= 64,
        "the header timeout closed slow clients and freed their slots ({closed})"
    );
    let log = gateway.log_text();
    assert!(
        log.contains("timed out"),
        "the gateway says why it closed them"
    );
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    assert_eq!(outbox::pending(&data_dir), 4);
}

#[tokio::test]
async fn a_submission_flood_gets_429_with_retry_after_and_the_text_kept_while_pages_still_load() {
    let _serial = SERIAL.lock().await;
    let gateway = Gateway::start("[limits]\nsubmissions_per_minute = 6\nsubmission_burst = 3\n");
    let visitor = Visitor::of(&gateway);
    let started = Instant::now();
    let flooders: Vec<_> = (0..4)
        .map(|task| {
            let visitor = visitor.clone();
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for i in 0..8 {
                    let message = format!("Flod {task}-{i}");
                    let reply = visitor.first_contact(&message).await.expect("answered");
                    outcomes.push((message, reply));
                }
                outcomes
            })
        })
        .collect();
    // Meanwhile an ordinary visitor reads the pages.
    let mut times = Vec::new();
    for _ in 0..10 {
        times.extend(visit(&visitor, None).await);
    }
    let mut accepted = 0u64;
    let mut limited = 0;
    for flooder in flooders {
        for (message, reply) in flooder.await.expect("flooder") {
            match reply.status {
                StatusCode::OK => accepted += 1,
                StatusCode::TOO_MANY_REQUESTS => {
                    limited += 1;
                    let wait: u64 = reply
                        .header("retry-after")
                        .and_then(|v| v.parse().ok())
                        .expect("a 429 says when to try again");
                    assert!((1..=60).contains(&wait), "Retry-After {wait}");
                    assert!(
                        reply.body.contains(&message),
                        "the text is kept for the next try"
                    );
                    assert!(hidden(&reply.body, "token").is_some(), "with a fresh form");
                }
                other => panic!("unexpected status {other} for {message}"),
            }
        }
    }
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let allowed = 3 + (minutes * 6.0).ceil() as u64;
    report("pages during the submission flood", &times);
    eprintln!(
        "submission flood: {accepted} kept, {limited} asked to wait (allowed at most {allowed})"
    );
    assert!(
        accepted >= 3 && accepted <= allowed,
        "the burst passes, then the rate applies"
    );
    assert_eq!(accepted + limited, 32);
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    assert_eq!(
        outbox::pending(&data_dir),
        accepted,
        "exactly the accepted submissions were queued"
    );
}

/// A code with a valid check digit (so it costs a key derivation), made from `seed`.
fn guess(seed: u64) -> String {
    let body: Vec<u8> = format!("{:015}", seed % 1_000_000_000_000_000)
        .bytes()
        .map(|b| b - b'0')
        .collect();
    let check = porten::ticket::damm::check_digit(&body);
    body.iter()
        .chain(std::iter::once(&check))
        .map(|d| char::from(b'0' + d))
        .collect()
}

#[tokio::test]
async fn a_code_guessing_flood_is_held_to_the_global_rate_and_the_typed_code_kept() {
    let _serial = SERIAL.lock().await;
    let gateway =
        Gateway::start("[limits]\ncode_attempts_per_minute = 6\ncode_attempt_burst = 3\n");
    let visitor = Visitor::of(&gateway);
    let started = Instant::now();
    let mut not_found = 0;
    let mut limited = 0;
    for attempt in 0..12u64 {
        let landing = visitor.open_return().await.expect("landing");
        let token = hidden(&landing.body, "token").expect("token");
        let code = guess(attempt * 7_919 + 12_345);
        let reply = visitor
            .post("/sv/return", &[("token", &token), ("code", &code)])
            .await
            .expect("answered");
        match reply.status {
            StatusCode::NOT_FOUND => not_found += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                limited += 1;
                assert!(reply
                    .header("retry-after")
                    .is_some_and(|v| v.parse::<u64>().is_ok_and(|s| s >= 1)));
                assert!(reply.body.contains(&code), "the typed code is kept");
            }
            other => panic!("unexpected status {other}"),
        }
    }
    eprintln!("code flood: {not_found} derived and not found, {limited} asked to wait");
    let allowed = 3 + (started.elapsed().as_secs_f64() / 10.0).ceil() as usize;
    assert!(
        (3..=allowed).contains(&not_found),
        "the burst of three passes, then one per ten seconds ({not_found} of at most {allowed})"
    );
    assert_eq!(not_found + limited, 12);
    // A typo costs nothing: with the budget spent, a mistyped code still gets its own answer at once.
    let landing = visitor.open_return().await.expect("landing");
    let token = hidden(&landing.body, "token").expect("token");
    let mut typo = guess(1);
    typo.replace_range(15..16, if typo.ends_with('0') { "1" } else { "0" });
    let reply = visitor
        .post("/sv/return", &[("token", &token), ("code", &typo)])
        .await
        .expect("answered");
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the check digit answers before the rate limit"
    );
}

#[tokio::test]
async fn memory_stays_bounded_under_slow_clients_big_bodies_and_a_key_derivation_flood() {
    let _serial = SERIAL.lock().await;
    // Real Argon2id memory (64 MiB per derivation), two at a time and four waiting: the pool, not the number
    // of attempts, bounds the memory. The rate limit is opened wide so that the pool is what is tested.
    let gateway = Gateway::start(
        "[ticket]\nkdf_permits = 2\nkdf_max_waiting = 4\n\
         [ticket.kdf]\nmemory_kib = 65536\niterations = 1\nparallelism = 1\n\
         [limits]\ncode_attempts_per_minute = 100000\ncode_attempt_burst = 100000\nheader_timeout_secs = 60\n",
    );
    let pid = gateway.pid();
    let visitor = Visitor::of(&gateway);
    let rss_start = process::rss_kib(pid);
    let swarm = Swarm::start(
        gateway.http,
        300,
        Drag::RequestHead,
        Duration::from_secs(3),
        false,
    );
    assert_eq!(swarm.wait_held(300, Duration::from_secs(20)).await, 300);

    // 60 code attempts at once, each a 64 MiB derivation if let in.
    let attempts: Vec<_> = (0..60u64)
        .map(|i| {
            let visitor = visitor.clone();
            tokio::spawn(async move {
                let landing = visitor.open_return().await?;
                let token = hidden(&landing.body, "token").ok_or("no token")?;
                let reply = visitor
                    .post(
                        "/sv/return",
                        &[("token", &token), ("code", &guess(i * 104_729))],
                    )
                    .await?;
                Ok::<_, String>((reply.status, reply.header("retry-after").map(str::to_owned)))
            })
        })
        .collect();
    let mut derived = 0;
    let mut busy = 0;
    for attempt in attempts {
        match attempt.await.expect("task").expect("answered") {
            (StatusCode::NOT_FOUND, _) => derived += 1,
            (StatusCode::SERVICE_UNAVAILABLE, retry) => {
                assert!(retry.is_some(), "a busy answer says when to try again");
                busy += 1;
            }
            (other, _) => panic!("unexpected status {other}"),
        }
    }
    // 400 bodies just under the limit, 40 at a time, each refused for its token after being read whole.
    let big = "a".repeat(60_000);
    for _ in 0..10 {
        let posts: Vec<_> = (0..40)
            .map(|_| {
                let visitor = visitor.clone();
                let big = big.clone();
                tokio::spawn(async move {
                    visitor
                        .post(
                            "/sv/contact",
                            &[("token", "x"), ("group", "other"), ("message", &big)],
                        )
                        .await
                })
            })
            .collect();
        for post in posts {
            let reply = post.await.expect("task").expect("answered");
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    let rss_end = process::rss_kib(pid);
    let peak = process::peak_rss_kib(pid);
    eprintln!(
        "memory: RSS at start {} MiB, at the end {} MiB, peak {} MiB; key derivations {derived} run, {busy} \
         refused as busy; 300 slow clients held: {}",
        rss_start / 1024,
        rss_end / 1024,
        peak / 1024,
        swarm.held()
    );
    swarm.stop().await;
    assert!(
        busy > 0,
        "beyond the permits and the waiting room, derivations are refused, not queued"
    );
    assert!(derived >= 2, "derivations did run");
    // Two derivations (128 MiB) and everything else with room to spare; without the pool, 60 derivations
    // would need 3.75 GiB.
    assert!(
        peak < 400 * 1024,
        "peak memory {peak} KiB stays under 400 MiB"
    );
    let _dir = gateway.stop();
}
