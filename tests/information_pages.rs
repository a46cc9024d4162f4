//! The information pages against the real binary: served in the visitor's language with the no-trace headers,
//! shown in Swedish with a note where a translation is missing, linked from the start page with no broken link,
//! and a content folder with a broken link or raw HTML refused by `check-config` and by `serve`. Also the
//! languages a centre offers, and `/` following the browser's language.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::Gateway;
use http_body_util::Full;
use hyper::{Request, StatusCode};

fn assert_no_trace(reply: &common::Reply, what: &str) {
    assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    assert_eq!(
        reply.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert!(
        reply
            .header("content-security-policy")
            .is_some_and(|csp| csp.starts_with("default-src 'none'")),
        "{what}"
    );
    assert!(reply.header("set-cookie").is_none(), "{what}");
    assert!(
        reply.header("strict-transport-security").is_some(),
        "{what}"
    );
}

/// The `href`s of a page that stay on the site.
fn local_links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//") && *href != "/exit")
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn an_information_page_is_served_in_its_language_with_the_no_trace_headers() {
    let gateway = Gateway::start("");
    let page = gateway.get("/en/info/safety").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_no_trace(&page, "/en/info/safety");
    assert!(page.body.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(page.body.contains("<h1>How to visit us safely</h1>"));
    assert!(page.body.contains("stalkerware"));
    assert!(!page.body.contains("not available in English"));
    let swedish = gateway.get("/sv/info/safety").await;
    assert!(swedish.body.contains("<h1>Så besöker du oss säkrare</h1>"));
    let head = gateway
        .send(
            Request::head("/sv/info/")
                .header("host", "localhost")
                .body(Full::new(Bytes::new()))
                .unwrap(),
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    let post = gateway.post("/sv/info/safety", &[("token", "x")]).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[tokio::test]
async fn a_page_missing_in_a_language_is_shown_in_swedish_with_a_note_in_that_language() {
    let gateway = Gateway::start("");
    let page = gateway.get("/ar/info/abroad").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_no_trace(&page, "/ar/info/abroad");
    assert!(page.body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(page.body.contains("هذه الصفحة غير متوفرة بالعربية بعد"));
    assert!(page.body.contains(
        r#"<div lang="sv" dir="ltr"><h1>Tvångsäktenskap och att bli förd utomlands</h1>"#
    ));
    assert!(
        page.body.contains(r#"href="/ar/info/""#),
        "links stay on the Arabic site"
    );
}

#[tokio::test]
async fn every_link_from_the_start_page_and_the_information_pages_leads_somewhere() {
    let gateway = Gateway::start("");
    for lang in ["sv", "en", "ar", "ti"] {
        let landing = gateway.get(&format!("/{lang}/")).await;
        let links = local_links(&landing.body);
        assert!(
            links.contains(&format!("/{lang}/info/")),
            "{lang}: {links:?}"
        );
        assert!(links.contains(&format!("/{lang}/info/safety")), "{lang}");
        let mut seen = std::collections::BTreeSet::new();
        let mut queue = vec![format!("/{lang}/info/")];
        while let Some(path) = queue.pop() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let page = gateway.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            for link in local_links(&page.body) {
                let link = link.split('#').next().unwrap_or_default().to_owned();
                if link.starts_with(&format!("/{lang}/info/")) {
                    queue.push(link);
                } else {
                    let status = gateway.get(&link).await.status;
                    assert_eq!(status, StatusCode::OK, "{path} links to {link}");
                }
            }
        }
        assert!(seen.len() >= 9, "{lang}: {seen:?}");
    }
}

/// Runs `porten ARGS --config FILE` and waits for it to end by itself within 30 s.
fn run_to_end(args: &[&str], config: &std::path::Path) -> (bool, String) {
    let mut child = Command::new(common::binary())
        .args(args)
        .arg("--config")
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("porten {args:?} did not stop by itself");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[test]
fn a_broken_link_or_raw_html_is_reported_by_check_config_and_stops_serve() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for (path, text) in [
        (
            "sv/index.md",
            "# Info\n\n- [Säkerhet](safety)\n- [Rättigheter](rattigheter)\n",
        ),
        ("sv/safety.md", "# Säkerhet\n\n<script>alert(1)</script>\n"),
    ] {
        let path = content.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let config = dir.path().join("porten.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{}\"\n[site]\ncontent_dir = \"{}\"\n[https]\nlisten = \"127.0.0.1:0\"\n\
             [http]\nlisten = \"127.0.0.1:0\"\n{}",
            dir.path().join("data").display(),
            content.display(),
            common::TEST_KDF
        ),
    )
    .unwrap();
    for args in [&["check-config"][..], &["serve"][..]] {
        let (ok, text) = run_to_end(args, &config);
        assert!(!ok, "{args:?} must fail: {text}");
        assert!(
            text.contains("index.md:4: the link to `rattigheter` leads to no page"),
            "{args:?}: {text}"
        );
        assert!(
            text.contains("safety.md:3: raw HTML is not allowed"),
            "{args:?}: {text}"
        );
    }
    std::fs::write(content.join("sv/safety.md"), "# Säkerhet\n").unwrap();
    std::fs::write(
        content.join("sv/index.md"),
        "# Info\n\n[Säkerhet](safety)\n",
    )
    .unwrap();
    let (ok, text) = run_to_end(&["check-config"], &config);
    assert!(ok, "fixed content passes: {text}");
}

#[tokio::test]
async fn a_centre_offers_only_the_languages_it_lists() {
    let gateway = Gateway::start("[site]\nlanguages = [\"sv\", \"en\"]\n");
    assert_eq!(gateway.get("/ar/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        gateway.get("/ar/info/safety").await.status,
        StatusCode::NOT_FOUND
    );
    let landing = gateway.get("/sv/").await;
    assert_eq!(landing.status, StatusCode::OK);
    assert!(landing.body.contains(r#"hreflang="en""#));
    assert!(
        !landing.body.contains(r#"hreflang="ar""#),
        "the picker offers only sv and en"
    );
}

#[tokio::test]
async fn the_root_leads_to_the_browsers_language_when_it_is_offered() {
    let gateway = Gateway::start("");
    let root = |accept: &'static str| {
        Request::get("/")
            .header("host", "localhost")
            .header("accept-language", accept)
            .body(Full::new(Bytes::new()))
            .unwrap()
    };
    let reply = gateway.send(root("ar-SE,ar;q=0.9,sv;q=0.5")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), Some("/ar/"));
    assert_eq!(reply.header("vary"), Some("accept-language"));
    let reply = gateway.send(root("de-DE")).await;
    assert_eq!(
        reply.header("location"),
        Some("/sv/"),
        "the default otherwise"
    );
}

#[tokio::test]
async fn the_start_page_says_who_to_trust_and_how_to_leave_before_the_first_form() {
    let gateway = Gateway::start(
        "[centre]\nphone = \"010-123 45 67\"\nphone_hours = \"weekdays 09:00-16:00\"\n\
         [ticket]\nidle_expiry_days = 21\n",
    );
    let page = gateway.get("/en/").await.body;
    // The landing page holds no field to type in (issue 10): its forms are buttons that open one. What the
    // visitor must read before writing comes before the first of them, or, for help, before the code form.
    assert!(!page.contains("<textarea") && !page.contains("type=\"text\""));
    let first_form = page.find("<form").unwrap_or(page.len());
    let code_form = page.find("action=\"/en/return\"").unwrap_or(page.len());
    for text in ["Leave quickly, stay safe", "Leave this page quickly"] {
        let at = page.find(text).unwrap_or_else(|| panic!("{text}"));
        assert!(at < first_form, "{text} comes before the first form");
    }
    for text in ["Are you in danger?", "Kvinnofridslinjen", "BRIS"] {
        let at = page.find(text).unwrap_or_else(|| panic!("{text}"));
        assert!(at < code_form, "{text} comes before the code form");
    }
    for text in [
        "The centre is run by Länsstyrelsen och kommunerna i länet.",
        "duty of confidentiality (tystnadsplikt)",
        "If you are under 18",
        "We never see your IP address",
        "within 3 working days",
        "for 21 days, it is deleted",
        "010-123 45 67",
        "09:00–16:00",
        "for LGBTQ+ people",
        "for people who use violence and want to stop",
        "also for boys and men",
        "Free, and does not show on the phone bill.",
    ] {
        assert!(page.contains(text), "{text}");
    }
}
