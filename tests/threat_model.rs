//! The threat model kept honest: `threat-model/threats.toml` names, for every threat, the tests that prove its
//! control, and this suite fails when a named test does not exist, is ignored, or when a threat, an adversary
//! or a description goes missing. The model cannot drift from the code without this failing.
//!
//! A test is named `PATH::function`, PATH relative to the repository root: `tests/first_contact.rs::…` for an
//! integration test, `src/token.rs::…` for a unit test in that file, and the same for the other crates
//! (`inbox/tests/desk_web.rs::…`, `inbox/src/desk/tests.rs::…`). The function must carry `#[test]` or
//! `#[tokio::test]` and no `#[ignore]`.
//!
//! The suite also holds the tests for controls that no other suite pins down: what a seized data directory
//! holds, that the gateway keeps no key to its own outbox, that development keys announce themselves, and that
//! a deleted code cannot be told from one never issued.

// A test that cannot go on stops with the reason; that is what `expect` is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod hardening;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{code_from_page, Gateway};
use hardening::outbox;
use hyper::StatusCode;
use porten_protocol::envelope::{Content, EnvelopeKind};
use serde::Deserialize;

/// The adversaries the model must cover, by id.
const ADVERSARIES: &[&str] = &[
    "device",
    "network-monitor",
    "seized-gateway",
    "insider",
    "network-adversary",
    "flooder",
    "web-attacker",
    "desk-worker",
    "staff-laptop",
    "hostile-page",
    "state-copy",
];

/// The fewest threats the model may list.
const MIN_THREATS: usize = 25;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Model {
    adversary: Vec<Adversary>,
    threat: Vec<Threat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Adversary {
    id: String,
    name: String,
    #[allow(dead_code)]
    capabilities: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Threat {
    id: String,
    adversary: String,
    asset: String,
    threat: String,
    control: String,
    residual: String,
    tests: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model() -> Model {
    let path = root().join("threat-model/threats.toml");
    let text = std::fs::read_to_string(&path).expect("threat-model/threats.toml");
    toml::from_str(&text).unwrap_or_else(|e| panic!("threats.toml does not parse: {e}"))
}

/// Why `reference` does not name a runnable test, if it does not.
fn check_reference(reference: &str) -> Result<(), String> {
    let (file, name) = reference
        .rsplit_once("::")
        .ok_or_else(|| format!("`{reference}` is not PATH::function"))?;
    if !file.ends_with(".rs") || file.contains("..") || Path::new(file).is_absolute() {
        return Err(format!("`{file}` is not a Rust file in the repository"));
    }
    let source = std::fs::read_to_string(root().join(file)).map_err(|e| format!("{file}: {e}"))?;
    check_source(&source, name).map_err(|problem| format!("{file}: {problem}"))
}

/// Whether `source` has a test function `name` that runs (marked as a test, not ignored).
fn check_source(source: &str, name: &str) -> Result<(), String> {
    let found = [format!("fn {name}("), format!("fn {name}<")]
        .iter()
        .find_map(|needle| source.find(needle.as_str()))
        .ok_or_else(|| format!("no function `{name}`"))?;
    // The attributes between the end of the previous item and this function.
    let before = &source[..found];
    let item_start = ["\n}", ";\n", "{\n"]
        .iter()
        .filter_map(|end| before.rfind(end).map(|at| at + end.len()))
        .max()
        .unwrap_or(0);
    let attributes = &before[item_start..];
    if !(attributes.contains("#[test]") || attributes.contains("#[tokio::test")) {
        return Err(format!("`{name}` is not marked #[test] or #[tokio::test]"));
    }
    if attributes.contains("#[ignore") {
        return Err(format!("`{name}` is ignored, so it proves nothing"));
    }
    Ok(())
}

#[test]
fn every_test_the_model_names_exists_and_runs() {
    let model = model();
    let mut problems = Vec::new();
    for threat in &model.threat {
        if threat.tests.is_empty() {
            problems.push(format!("{}: no test named", threat.id));
        }
        for reference in &threat.tests {
            if let Err(problem) = check_reference(reference) {
                problems.push(format!("{}: {problem}", threat.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "threats.toml names tests that do not run:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_refuses_missing_and_ignored_tests() {
    assert!(
        check_reference("tests/threat_model.rs::every_test_the_model_names_exists_and_runs")
            .is_ok()
    );
    assert!(check_reference("tests/threat_model.rs::no_such_test").is_err());
    assert!(
        check_reference("tests/threat_model.rs::check_reference").is_err(),
        "not a test"
    );
    assert!(check_reference("tests/no_such_file.rs::a_test").is_err());
    assert!(
        check_reference("inbox/tests/desk_web.rs::forms_without_the_csrf_token_or_from_another_site_are_refused_and_change_nothing")
            .is_ok(),
        "tests of the other crates resolve from the repository root"
    );
    assert!(check_reference("inbox/tests/desk_web.rs::no_such_test").is_err());
    assert!(check_reference("no separator").is_err());
    let ignored =
        "fn other() {}\n\n#[test]\n#[ignore = \"flaky\"]\nfn skipped() {\n    assert!(false);\n}\n";
    assert!(
        check_source(ignored, "skipped").is_err_and(|e| e.contains("ignored")),
        "an ignored test proves nothing"
    );
    let running = ignored.replace("#[ignore = \"flaky\"]\n", "");
    assert!(check_source(&running, "skipped").is_ok());
}

#[test]
fn the_model_covers_every_adversary_with_at_least_25_threats_each_described() {
    let model = model();
    let adversaries: BTreeSet<&str> = model.adversary.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        adversaries,
        ADVERSARIES.iter().copied().collect(),
        "the adversaries of the model"
    );
    assert!(model.adversary.iter().all(|a| !a.name.trim().is_empty()));
    assert!(
        model.threat.len() >= MIN_THREATS,
        "{} threats, at least {MIN_THREATS}",
        model.threat.len()
    );

    let mut per_adversary: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for threat in &model.threat {
        assert!(
            ids.insert(threat.id.as_str()),
            "{} is listed twice",
            threat.id
        );
        assert!(
            adversaries.contains(threat.adversary.as_str()),
            "{}: unknown adversary {}",
            threat.id,
            threat.adversary
        );
        for (field, text) in [
            ("asset", &threat.asset),
            ("threat", &threat.threat),
            ("control", &threat.control),
            ("residual", &threat.residual),
        ] {
            assert!(!text.trim().is_empty(), "{}: {field} is empty", threat.id);
        }
        *per_adversary.entry(threat.adversary.as_str()).or_default() += 1;
    }
    for adversary in ADVERSARIES {
        assert!(
            per_adversary.get(adversary).copied().unwrap_or(0) >= 2,
            "{adversary}: at least two threats"
        );
    }
    // The prose model names every threat of the table, so that the two are read together.
    let prose = std::fs::read_to_string(root().join("threat-model/THREAT-MODEL.md"))
        .expect("THREAT-MODEL.md");
    let undescribed: Vec<&str> = model
        .threat
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| !prose.contains(&format!("`{id}`")))
        .collect();
    assert!(
        undescribed.is_empty(),
        "THREAT-MODEL.md does not mention {undescribed:?}"
    );
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("list")
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

#[tokio::test]
async fn a_seized_data_directory_holds_no_code_no_message_and_no_reply_key() {
    let gateway = Gateway::start("");
    let form = gateway.open_contact().await;
    let first = "Pappa har tagit mitt pass, jag vet inte vad jag ska göra";
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &form.hidden("token")),
                ("group", "exposed"),
                ("message", first),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let code = code_from_page(&page.body);
    let landing = gateway.open_return().await;
    let thread = gateway
        .post(
            "/sv/return",
            &[("token", &landing.hidden("token")), ("code", &code)],
        )
        .await;
    let follow_up = "Jag kan prata på torsdag efter skolan";
    let sent = gateway
        .post(
            "/sv/thread/write",
            &[("token", &thread.hidden("token")), ("message", follow_up)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();

    // The reply key, as the internal side receives it.
    let payloads = outbox::payloads(&data_dir);
    let reply_key = match &payloads[0].content {
        Content::FirstContact { reply_key, .. } => reply_key.clone(),
        other => panic!("the first envelope is the first contact, not {other:?}"),
    };
    let reply_key_text = reply_key.to_base64().to_string();
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let secrets: [(&str, &[u8]); 6] = [
        ("the code", digits.as_bytes()),
        ("the code as shown", code.as_bytes()),
        ("the first message", first.as_bytes()),
        ("the follow-up", follow_up.as_bytes()),
        ("the reply key", &reply_key.as_bytes()[..]),
        ("the reply key in base64", reply_key_text.as_bytes()),
    ];
    let files = files_under(&data_dir);
    assert!(
        files.iter().any(|f| f.ends_with("porten.redb")),
        "the database is among the files"
    );
    for file in &files {
        let bytes = std::fs::read(file).expect("read");
        for (what, secret) in secrets {
            assert!(!contains(&bytes, secret), "{} holds {what}", file.display());
        }
    }
}

#[tokio::test]
async fn with_configured_recipients_the_gateway_keeps_no_key_to_its_own_outbox() {
    let (secret, recipient) = porten_protocol::envelope::generate_identity();
    let identity = porten_inbox::open::parse_identity_file(secret.expose())
        .expect("identity")
        .remove(0);
    let gateway = Gateway::start(&format!("[outbox]\nrecipients = [\"{recipient}\"]\n"));
    let form = gateway.open_contact().await;
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &form.hidden("token")),
                ("group", "relative"),
                ("message", "Min syster"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let log = gateway.log_text();
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    assert!(
        !log.contains("DEVELOPMENT key"),
        "no development key is made when recipients are set"
    );
    assert!(!data_dir.join(porten::app::DEV_IDENTITY_FILE).exists());
    for file in files_under(&data_dir) {
        let bytes = std::fs::read(&file).expect("read");
        assert!(
            !contains(&bytes, b"AGE-SECRET-KEY"),
            "{} holds an age identity",
            file.display()
        );
        assert!(!contains(&bytes, secret.expose().as_bytes()));
    }
    // Only the internal side's identity opens what was queued.
    let store = outbox::open_store(&data_dir);
    let items = store.outbox_after(0, 10).expect("outbox");
    assert_eq!(items.len(), 1);
    let payload = porten_inbox::open::open(&items[0].envelope, &identity)
        .expect("the internal side opens it");
    assert_eq!(
        payload.visitor().map(|v| v.message.expose().as_str()),
        Some("Min syster")
    );
    let (stranger, _) = porten_protocol::envelope::generate_identity();
    let stranger = porten_inbox::open::parse_identity_file(stranger.expose())
        .expect("identity")
        .remove(0);
    assert!(
        porten_inbox::open::open(&items[0].envelope, &stranger).is_err(),
        "no one else does"
    );
}

#[tokio::test]
async fn development_keys_and_certificates_are_announced_at_every_start() {
    let gateway = Gateway::start("");
    let first_log = gateway.log_text();
    let dir = gateway.stop();
    let gateway = Gateway::start_in(dir, "");
    let second_log = gateway.log_text();
    for (start, log) in [("first", &first_log), ("second", &second_log)] {
        assert!(
            log.contains("DEVELOPMENT key"),
            "{start} start warns of the development age key"
        );
        assert!(
            log.contains("DEVELOPMENT certificate"),
            "{start} start warns of the development certificate"
        );
        assert!(log.contains("WARN"), "{start} start: as a warning");
    }
    assert!(
        gateway
            .data_dir()
            .join(porten::app::DEV_IDENTITY_FILE)
            .exists(),
        "the identity's file name says what it is"
    );
}

/// A page with its form tokens blanked, to compare two answers that differ only in their fresh tokens.
fn without_tokens(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(at) = rest.find("name=\"token\"") {
        let tag_end = at + rest[at..].find('>').unwrap_or(0);
        let tag = &rest[..tag_end];
        match tag.rfind("value=\"") {
            Some(value) if value > tag.rfind('<').unwrap_or(0) => {
                let value_end = value + 7 + tag[value + 7..].find('"').unwrap_or(0);
                out.push_str(&rest[..value + 7]);
                rest = &rest[value_end..];
            }
            _ => {
                out.push_str(&rest[..tag_end]);
                rest = &rest[tag_end..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn a_deleted_code_cannot_be_told_from_one_never_issued() {
    let gateway = Gateway::start("");
    let form = gateway.open_contact().await;
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &form.hidden("token")),
                ("group", "other"),
                ("message", "Radera mig"),
            ],
        )
        .await;
    let code = code_from_page(&page.body);
    let landing = gateway.open_return().await;
    let thread = gateway
        .post(
            "/sv/return",
            &[("token", &landing.hidden("token")), ("code", &code)],
        )
        .await;
    let confirm = gateway
        .post("/sv/thread/delete", &[("token", &thread.hidden("token"))])
        .await;
    let burned = gateway
        .post(
            "/sv/thread/delete",
            &[("token", &confirm.hidden("token")), ("confirm", "yes")],
        )
        .await;
    assert_eq!(burned.status, StatusCode::OK);

    // A code with a valid check digit that was never issued.
    let body: Vec<u8> = "314159265358979".bytes().map(|b| b - b'0').collect();
    let check = porten::ticket::damm::check_digit(&body);
    let never: String = body
        .iter()
        .chain(std::iter::once(&check))
        .map(|d| char::from(b'0' + d))
        .collect();
    let never = format!(
        "{} {} {} {}",
        &never[..4],
        &never[4..8],
        &never[8..12],
        &never[12..]
    );

    let mut answers = Vec::new();
    for typed in [&code, &never] {
        let landing = gateway.open_return().await;
        let reply = gateway
            .post(
                "/sv/return",
                &[("token", &landing.hidden("token")), ("code", typed)],
            )
            .await;
        answers.push((
            reply.status,
            without_tokens(&reply.body.replace(typed.as_str(), "CODE")),
        ));
    }
    assert_eq!(answers[0].0, StatusCode::NOT_FOUND);
    assert_eq!(answers[0], answers[1], "the same status and the same page");
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    let kinds: Vec<EnvelopeKind> = outbox::payloads(&data_dir)
        .iter()
        .map(|p| p.kind())
        .collect();
    assert_eq!(
        kinds,
        [EnvelopeKind::FirstContact, EnvelopeKind::Closed],
        "the centre is told of the deletion"
    );
}

#[test]
fn the_service_unit_runs_sandboxed_with_an_exposure_of_at_most_2() {
    for (unit_name, user, writable) in [
        ("porten", "porten", "/var/lib/porten"),
        (
            "porten-inbox",
            "porten-inbox",
            "/var/lib/porten-inbox -/var/spool/porten-inbox",
        ),
    ] {
        check_unit(unit_name, user, writable);
    }
}

/// The sandboxing of `examples/<unit_name>.service`, setting by setting, and systemd's own exposure score.
fn check_unit(unit_name: &str, user: &str, writable: &str) {
    let file = format!("examples/{unit_name}.service");
    let unit = std::fs::read_to_string(root().join(&file)).expect("unit file");
    let settings: Vec<(&str, &str)> = unit
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .collect();
    let value = |key: &str| {
        settings
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .collect::<Vec<_>>()
    };
    for (key, expected) in [
        ("User", user),
        ("NoNewPrivileges", "yes"),
        ("CapabilityBoundingSet", ""),
        ("AmbientCapabilities", ""),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("MemoryDenyWriteExecute", "yes"),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
        ("ReadWritePaths", writable),
        ("SystemCallArchitectures", "native"),
    ] {
        assert_eq!(value(key), [expected], "{key}= in {file}");
    }
    assert!(
        value("SystemCallFilter").contains(&"@system-service"),
        "the system call allow list in {file}"
    );
    assert!(
        value("SystemCallFilter")
            .iter()
            .any(|v| v.starts_with('~') && v.contains("@privileged")),
        "privileged calls taken away again in {file}"
    );
    assert!(
        value("LoadCredentialEncrypted").len() == 1,
        "{file}: its secret (pepper or identity) comes as an encrypted credential"
    );
    // systemd's own score, where its analyzer is installed (tests/deploy/systemd-check.sh installs it).
    let Ok(output) = std::process::Command::new("systemd-analyze")
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(root().join(&file))
        .output()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "systemd-analyze must be installed in CI"
        );
        eprintln!("note: systemd-analyze is not installed; the exposure score was not computed");
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let marker = format!("Overall exposure level for {unit_name}.service:");
    let score: f64 = text
        .lines()
        .find_map(|l| l.split(marker.as_str()).nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no exposure score in:\n{text}"));
    eprintln!("systemd exposure score of {file}: {score}");
    assert!(score <= 2.0, "{file}: exposure {score} is above 2.0");
}
