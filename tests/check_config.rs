//! `porten check-config` refuses what `porten serve` would refuse, names the field, and says what `serve` would
//! make for itself. Each case runs both commands on the same file: check-config must refuse exactly when serve
//! does not start.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn write_config(dir: &Path, extra: &str, https: &str) -> std::path::PathBuf {
    let path = dir.join("porten.toml");
    let text = format!(
        "data_dir = \"{}\"\n{extra}\n[https]\nlisten = \"127.0.0.1:0\"\n{https}\n[http]\nlisten = \"127.0.0.1:0\"\n\
         [log]\nlevel = \"info\"\n",
        dir.join("data").display(),
    );
    std::fs::write(&path, text).expect("write config");
    path
}

/// `check-config`: whether it passed, and what it printed.
fn check(config: &Path) -> (bool, String) {
    let out = Command::new(common::binary())
        .args(["check-config", "--config"])
        .arg(config)
        .env_remove("CREDENTIALS_DIRECTORY")
        .output()
        .expect("run check-config");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `serve`: whether it got as far as "porten is ready" (then it is stopped) or exited refusing.
fn serves(config: &Path) -> (bool, String) {
    let mut child = Command::new(common::binary())
        .args(["serve", "--config"])
        .arg(config)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run serve");
    let stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut std::io::BufReader::new(stderr), &mut text);
        text
    });
    // A refusal ends the process within moments; one still running after five seconds is serving.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) && child.try_wait().expect("wait").is_none() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = reader.join().unwrap_or_default();
    (text.contains("porten is ready"), text)
}

fn case(extra: &str, https: &str) -> (bool, String, bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), extra, https);
    let (checked, check_text) = check(&config);
    let (served, serve_text) = serves(&config);
    (checked, check_text, served, serve_text)
}

#[test]
fn a_malformed_recipient_is_refused_by_both() {
    let (checked, text, served, _) = case("[outbox]\nrecipients = [\"age1notarecipient\"]\n", "");
    assert!(!checked, "{text}");
    assert!(text.contains("outbox.recipients"), "{text}");
    assert!(!served, "serve refuses it too");
}

#[test]
fn missing_certificate_files_are_refused_by_both() {
    let (checked, text, served, _) = case(
        "",
        "cert = \"/nonexistent/cert.pem\"\nkey = \"/nonexistent/key.pem\"\n",
    );
    assert!(!checked, "{text}");
    assert!(text.contains("https.cert"), "{text}");
    assert!(!served);
}

#[test]
fn a_key_that_does_not_match_its_certificate_is_refused_by_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    std::fs::write(dir.path().join("cert.pem"), one.cert.pem()).unwrap();
    std::fs::write(
        dir.path().join("key.pem"),
        other.signing_key.serialize_pem(),
    )
    .unwrap();
    let https = format!(
        "cert = \"{}\"\nkey = \"{}\"\n",
        dir.path().join("cert.pem").display(),
        dir.path().join("key.pem").display()
    );
    let (checked, text, served, serve_text) = case("", &https);
    assert!(!checked, "{text}");
    assert!(text.contains("https.cert and https.key"), "{text}");
    assert!(!served, "{serve_text}");
}

#[test]
fn an_internal_api_without_a_well_formed_key_pin_is_refused_by_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    std::fs::write(dir.path().join("cert.pem"), made.cert.pem()).unwrap();
    std::fs::write(dir.path().join("key.pem"), made.signing_key.serialize_pem()).unwrap();
    let internal = |pins: &str| {
        format!(
            "[internal_api]\nenabled = true\nlisten = \"127.0.0.1:0\"\ncert = \"{cert}\"\nkey = \"{key}\"\n\
             client_ca = \"{cert}\"\n{pins}",
            cert = dir.path().join("cert.pem").display(),
            key = dir.path().join("key.pem").display(),
        )
    };
    let good = porten_protocol::pin::SpkiPin::of_spki(b"the inbox key").to_string();
    for pins in [
        String::new(),
        "client_spki = []\n".to_owned(),
        "client_spki = [\"sha1/AAAA\"]\n".to_owned(),
        format!(
            "client_spki = [\"{good}\", \"{}\"]\n",
            good.replace("sha256/", "")
        ),
    ] {
        let (checked, text, served, serve_text) = case(&internal(&pins), "");
        assert!(!checked, "{pins}: {text}");
        assert!(text.contains("internal_api.client_spki"), "{pins}: {text}");
        assert!(!served, "{pins}: {serve_text}");
    }
    // The same configuration with a well-formed pin passes both, so the pin was the reason.
    let (checked, text, served, serve_text) =
        case(&internal(&format!("client_spki = [\"{good}\"]\n")), "");
    assert!(checked, "{text}");
    assert!(served, "{serve_text}");
}

#[cfg(not(feature = "onion"))]
#[test]
fn an_onion_service_in_a_build_without_it_is_refused_by_both() {
    let (checked, text, served, _) = case("[onion]\nenabled = true\n", "");
    assert!(!checked, "{text}");
    assert!(text.contains("onion.enabled"), "{text}");
    assert!(!served);
}

#[test]
fn an_absurd_key_derivation_memory_is_refused_by_both() {
    let (checked, text, served, _) = case("[ticket.kdf]\nmemory_kib = 1000000000\n", "");
    assert!(!checked, "{text}");
    assert!(text.contains("ticket.kdf"), "{text}");
    assert!(!served);
}

#[test]
fn defaults_are_valid_and_check_config_says_what_serve_will_make() {
    let (checked, text, served, serve_text) =
        case("[ticket.kdf]\nmemory_kib = 1024\niterations = 1\n", "");
    assert!(checked, "{text}");
    assert!(text.contains("DEVELOPMENT certificate"), "{text}");
    assert!(text.contains("DEVELOPMENT key"), "{text}");
    assert!(text.contains("makes a new pepper"), "{text}");
    assert!(served, "{serve_text}");
}
