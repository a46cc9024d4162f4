//! Crash safety: the gateway is killed with SIGKILL at random moments while visitors submit, and restarted,
//! round after round. Every submission whose code page reached the visitor must be in the outbox exactly
//! once, the database must open cleanly after every kill, and the codes shown must still open their threads.
//!
//! "A code shown is a request kept": the ticket, the visitor's entry and the sealed envelope are committed in
//! one durable redb transaction before the code page is written, so a kill can lose only requests that were
//! never answered. Rounds: `PORTEN_CRASH_ROUNDS` (default [`DEFAULT_ROUNDS`]); the random moments come from
//! `PORTEN_TEST_SEED` when set, and the seed is printed so a failing run can be repeated.

// A test that cannot go on stops with the reason; that is what `expect` is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod hardening;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{code_from_page, Gateway};
use hardening::outbox;
use hardening::process::{self, Rng};
use hardening::visitor::{hidden, Visitor};
use hyper::StatusCode;

/// Kill-and-restart rounds in CI: about seventy seconds on a two-core machine.
const DEFAULT_ROUNDS: usize = 300;

/// Visitors submitting at once in each round.
const SUBMITTERS: usize = 3;

/// Rate limits opened wide: the test is about durability, not about flood control.
const CONFIG: &str = "[limits]\nsubmissions_per_minute = 1000000\nsubmission_burst = 1000000\n\
    code_attempts_per_minute = 1000000\ncode_attempt_burst = 1000000\n[log]\nlevel = \"info\"\n";

/// What the visitors saw: each message whose code page came back, with its code.
type Answered = Arc<Mutex<Vec<(String, String)>>>;

/// Submits first contacts one after another until the gateway stops answering.
async fn submit_until_killed(
    visitor: Visitor,
    round: usize,
    who: usize,
    answered: Answered,
) -> usize {
    let mut sent = 0;
    loop {
        let message = format!("crash round {round} visitor {who} message {sent}");
        sent += 1;
        match visitor.first_contact(&message).await {
            Ok(page) if page.status == StatusCode::OK => {
                let code = code_from_page(&page.body);
                answered.lock().expect("lock").push((message, code));
            }
            Ok(page) => panic!(
                "round {round}: unexpected status {} for a submission",
                page.status
            ),
            // The gateway died under the request: it may or may not have been kept, and was not answered.
            Err(_) => return sent,
        }
    }
}

#[tokio::test]
async fn every_answered_submission_survives_kill_9_exactly_once() {
    let rounds = std::env::var("PORTEN_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS);
    let mut rng = Rng::from_env("crash_safety");
    let answered: Answered = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut attempted = 0;
    let mut dir = tempfile::tempdir().expect("temp dir");
    for round in 0..rounds {
        let gateway = Gateway::start_in(dir, CONFIG);
        let mut visitor = Visitor::of(&gateway);
        visitor.timeout = Duration::from_secs(10);
        let submitters: Vec<_> = (0..SUBMITTERS)
            .map(|who| {
                tokio::spawn(submit_until_killed(
                    visitor.clone(),
                    round,
                    who,
                    Arc::clone(&answered),
                ))
            })
            .collect();
        // Anywhere from before the first commit to several commits in.
        tokio::time::sleep(Duration::from_millis(rng.below(300))).await;
        process::kill_hard(gateway.pid());
        for submitter in submitters {
            attempted += submitter.await.expect("submitter");
        }
        let data_dir = gateway.data_dir();
        dir = gateway.stop();
        // The file a kill left behind opens, integrity check included, before the gateway opens it again.
        drop(outbox::open_store(&data_dir));
    }
    let data_dir = dir.path().join("data");
    let stored = outbox::messages(&data_dir);
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for message in &stored {
        *copies.entry(message.as_str()).or_default() += 1;
    }
    let answered = answered.lock().expect("lock").clone();
    let lost: Vec<&str> = answered
        .iter()
        .map(|(message, _)| message.as_str())
        .filter(|message| copies.get(message).copied() != Some(1))
        .collect();
    let duplicated = copies.values().filter(|&&n| n > 1).count();
    eprintln!(
        "crash safety: {rounds} kills and restarts in {:?}; {attempted} submissions attempted, {} answered with a \
         code, {} in the outbox ({} kept but unanswered when the kill came); lost {}, duplicated {duplicated}",
        started.elapsed(),
        answered.len(),
        stored.len(),
        stored.len().saturating_sub(answered.len()),
        lost.len(),
    );
    assert!(
        lost.is_empty(),
        "answered but not in the outbox exactly once: {lost:?}"
    );
    assert_eq!(duplicated, 0, "no envelope is stored twice");
    assert!(
        answered.len() >= rounds / 2,
        "the rounds did submit (answered {})",
        answered.len()
    );

    // The codes shown still open their threads after all those kills.
    let gateway = Gateway::start_in(dir, CONFIG);
    let visitor = Visitor::of(&gateway);
    for (message, code) in answered.iter().step_by((answered.len() / 10).max(1)) {
        let landing = visitor.open_return().await.expect("landing");
        let token = hidden(&landing.body, "token").expect("token");
        let thread = visitor
            .post("/sv/return", &[("token", &token), ("code", code)])
            .await
            .expect("answered");
        assert_eq!(
            thread.status,
            StatusCode::OK,
            "the code shown for {message:?} opens its thread"
        );
        assert!(
            thread.body.contains(message.as_str()),
            "and the thread holds the message"
        );
    }
}
