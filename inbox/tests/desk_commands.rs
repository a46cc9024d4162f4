//! The administrators' `porten-inbox desk` commands, run as the real binary against a state directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

fn inbox(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_porten-inbox"))
        .args(args)
        .output()
        .expect("porten-inbox runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Writes an identity and a configuration into `dir`; returns the configuration's path.
fn setup(dir: &Path) -> String {
    let identity = dir.join("identity.txt");
    assert!(inbox(&["keygen", "--out", identity.to_str().unwrap()])
        .status
        .success());
    let config = dir.join("porten-inbox.toml");
    std::fs::write(
        &config,
        format!(
            "gateway = \"https://localhost:8444\"\ngateway_ca = \"ca.pem\"\nclient_cert = \"c.pem\"\n\
             client_key = \"k.pem\"\nidentity = \"{}\"\nstate_dir = \"{}\"\nspool_dir = \"{}\"\n\
             [[desk.team]]\nname = \"Stödteamet\"\ngroups = [\"exposed\", \"relative\"]\n",
            identity.display(),
            dir.join("state").display(),
            dir.join("spool").display()
        ),
    )
    .unwrap();
    config.to_str().unwrap().to_owned()
}

/// The enrolment code in a command's output: the indented line of dash-separated groups.
fn code_in(output: &str) -> String {
    output
        .lines()
        .map(str::trim)
        .find(|line| line.len() == 39 && line.matches('-').count() == 7)
        .expect("the output shows an enrolment code")
        .to_owned()
}

#[test]
fn add_account_prints_a_code_that_enrols_and_list_accounts_never_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = setup(dir.path());
    let added = inbox(&[
        "desk",
        "add-account",
        "--login",
        "Sara",
        "--display-name",
        "Sara, kurator",
        "--role",
        "team-lead",
        "--team",
        "Stödteamet",
        "--config",
        &config,
    ]);
    assert!(added.status.success(), "{}", text(&added));
    let code = code_in(&text(&added));
    // A team that is not configured, or only looks like one (a zero-width space), is refused.
    for team in ["Programmet", "Stödteamet\u{200b}"] {
        let refused = inbox(&[
            "desk",
            "add-account",
            "--login",
            "omar",
            "--display-name",
            "Omar, kurator",
            "--role",
            "staff",
            "--team",
            team,
            "--config",
            &config,
        ]);
        assert!(!refused.status.success(), "{team:?}");
        assert!(
            text(&refused).contains("team"),
            "{team:?}: {}",
            text(&refused)
        );
    }
    assert!(
        text(&added).contains("UTC"),
        "it says when the code expires"
    );

    let listed = inbox(&["desk", "list-accounts", "--config", &config]);
    assert!(listed.status.success(), "{}", text(&listed));
    let listing = text(&listed);
    assert!(
        listing.contains("sara") && listing.contains("team-lead") && listing.contains("invited")
    );
    assert!(!listing.contains(&code), "{listing}");

    let taken = inbox(&[
        "desk",
        "add-account",
        "--login",
        "sara",
        "--display-name",
        "S",
        "--role",
        "staff",
        "--config",
        &config,
    ]);
    assert!(!taken.status.success());
    assert!(text(&taken).contains("taken"));

    // The printed code is the one the desk accepts.
    let identities = porten_inbox::run::load_identities(&dir.path().join("identity.txt")).unwrap();
    let desk = porten_inbox::Desk::open(
        &dir.path().join("state"),
        &identities,
        &porten_inbox::DeskConfig::default(),
        Arc::new(porten_inbox::SystemClock),
    )
    .unwrap();
    let start = desk.accounts.begin_enrolment(&code).unwrap();
    assert_eq!(start.account.login.as_str(), "sara");
}

#[test]
fn reset_account_replaces_the_code_and_disable_account_stops_the_account() {
    let dir = tempfile::tempdir().unwrap();
    let config = setup(dir.path());
    let added = inbox(&[
        "desk",
        "add-account",
        "--login",
        "olle",
        "--display-name",
        "Olle",
        "--role",
        "staff",
        "--config",
        &config,
    ]);
    let first = code_in(&text(&added));
    let reset = inbox(&[
        "desk",
        "reset-account",
        "--login",
        "olle",
        "--config",
        &config,
    ]);
    assert!(reset.status.success(), "{}", text(&reset));
    let second = code_in(&text(&reset));
    assert_ne!(first, second);

    let disabled = inbox(&[
        "desk",
        "disable-account",
        "--login",
        "olle",
        "--config",
        &config,
    ]);
    assert!(disabled.status.success(), "{}", text(&disabled));
    let listing = text(&inbox(&["desk", "list-accounts", "--config", &config]));
    assert!(listing.contains("disabled"), "{listing}");

    let identities = porten_inbox::run::load_identities(&dir.path().join("identity.txt")).unwrap();
    let desk = porten_inbox::Desk::open(
        &dir.path().join("state"),
        &identities,
        &porten_inbox::DeskConfig::default(),
        Arc::new(porten_inbox::SystemClock),
    )
    .unwrap();
    assert!(desk.accounts.begin_enrolment(&first).is_err());
    assert!(
        desk.accounts.begin_enrolment(&second).is_err(),
        "disabling voids the code"
    );

    // While a process has the desk open, the commands say so instead of waiting or failing obscurely.
    let busy = inbox(&["desk", "list-accounts", "--config", &config]);
    assert!(!busy.status.success());
    assert!(
        text(&busy).contains("open in another porten-inbox process"),
        "{}",
        text(&busy)
    );
    drop(desk);

    let missing = inbox(&[
        "desk",
        "disable-account",
        "--login",
        "nobody",
        "--config",
        &config,
    ]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("no account"));

    // Each act on an account is in the audit log, by the command line and its user, in order.
    let audit = std::fs::read_to_string(dir.path().join("state/audit.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = audit
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let acts: Vec<&str> = events
        .iter()
        .filter_map(|event| event["event"].as_str())
        .collect();
    assert_eq!(
        acts,
        [
            "desk-account-created",
            "desk-account-reset",
            "desk-account-disabled"
        ]
    );
    for event in &events {
        assert!(event["by"].as_str().unwrap().starts_with("command line, "));
    }
    assert!(!audit.contains(&code_in(&text(&added))));
}
