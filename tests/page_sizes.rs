//! Every page in every language fits the first round trip: the response head plus body, as the bytes leave the
//! gateway, is at most what a new connection's first congestion window carries (10 segments of 1460 bytes). On
//! Tor a second round trip costs hundreds of milliseconds, so the page would appear that much later.
//!
//! Run with `--nocapture` to see the size of every page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{encode, Gateway};
use porten_templates::Lang;

/// Ten segments of 1460 bytes: the initial congestion window of RFC 6928.
const FIRST_WINDOW: usize = 14_600;

/// The built-in information pages, by the path after `/{lang}/info/` (the index is `""`): every one the
/// gateway ships, so a page added later is measured too.
fn info_pages() -> Vec<String> {
    let content = porten::content::Content::load(None).expect("the built-in content");
    content
        .names()
        .map(|name| {
            if name == "index" {
                String::new()
            } else {
                name.to_owned()
            }
        })
        .collect()
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").into_bytes()
}

fn post(path: &str, fields: &[(&str, &str)]) -> Vec<u8> {
    let body = encode(fields);
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nOrigin: null\r\nSec-Fetch-Site: same-origin\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The value of the first hidden `token` field of a raw response.
fn hidden_token(response: &[u8]) -> String {
    String::from_utf8_lossy(response)
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// The status code of a raw response.
fn status(response: &[u8]) -> u16 {
    let line = String::from_utf8_lossy(&response[..response.len().min(12)]).into_owned();
    line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Whether the page asks the browser for anything more than itself.
fn loads_more(body: &str) -> bool {
    body.contains(" src=")
        || body.contains("url(")
        || body.contains("@import")
        || body.matches("<link ").count()
            != body.matches(r#"<link rel="icon" href="data:,">"#).count()
}

#[tokio::test]
async fn every_page_in_every_language_fits_the_first_congestion_window_and_loads_nothing_more() {
    let gateway = Gateway::start("");
    let mut sizes: Vec<(usize, String)> = Vec::new();
    for lang in Lang::ALL {
        let code = lang.code();
        let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
        pages.push((
            "landing".into(),
            gateway.raw(&get(&format!("/{code}/"))).await,
        ));
        pages.push((
            "start (write)".into(),
            gateway.raw(&get(&format!("/{code}/contact"))).await,
        ));
        pages.push((
            "start (return)".into(),
            gateway.raw(&get(&format!("/{code}/return"))).await,
        ));
        let contact_form = gateway.raw(&post(&format!("/{code}/contact"), &[])).await;
        let token = hidden_token(&contact_form);
        pages.push(("contact form".into(), contact_form));
        let code_form = gateway.raw(&post(&format!("/{code}/return"), &[])).await;
        let return_token = hidden_token(&code_form);
        pages.push(("code form".into(), code_form));
        for name in info_pages() {
            let label = if name.is_empty() {
                "info index"
            } else {
                name.as_str()
            };
            pages.push((
                label.into(),
                gateway.raw(&get(&format!("/{code}/info/{name}"))).await,
            ));
        }
        pages.push((
            "not found".into(),
            gateway.raw(&get(&format!("/{code}/nothing"))).await,
        ));
        pages.push((
            "method not allowed".into(),
            gateway.raw(&get(&format!("/{code}/code"))).await,
        ));

        // The pages behind forms: the code page (also after a mistyped check, with the code twice), the code
        // checked, the conversation, and the delete confirmation.
        let code_page = gateway
            .raw(&post(
                &format!("/{code}/contact"),
                &[
                    ("token", &token),
                    ("group", "exposed"),
                    ("urgent", "yes"),
                    ("message", "Jag behöver hjälp."),
                    ("reply_language", code),
                    ("website", ""),
                ],
            ))
            .await;
        let ticket = common::code_from_page(&String::from_utf8_lossy(&code_page));
        let check = hidden_token(&code_page);
        pages.push(("code (urgent)".into(), code_page));
        let mistyped = gateway
            .raw(&post(
                &format!("/{code}/code"),
                &[("token", &check), ("code", "0000 0000 0000 0000")],
            ))
            .await;
        let check = hidden_token(&mistyped);
        pages.push(("code after a mistyped check".into(), mistyped));
        pages.push((
            "code checked".into(),
            gateway
                .raw(&post(
                    &format!("/{code}/code"),
                    &[("token", &check), ("code", &ticket)],
                ))
                .await,
        ));
        let thread = gateway
            .raw(&post(
                &format!("/{code}/return"),
                &[("token", &return_token), ("code", &ticket)],
            ))
            .await;
        let thread_text = String::from_utf8_lossy(&thread).into_owned();
        let session = thread_text
            .split("name=\"token\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned();
        pages.push(("conversation".into(), thread));
        pages.push((
            "delete confirmation".into(),
            gateway
                .raw(&post(
                    &format!("/{code}/thread/delete"),
                    &[("token", &session)],
                ))
                .await,
        ));

        for (name, response) in pages {
            let text = String::from_utf8_lossy(&response);
            assert!(
                matches!(status(&response), 200 | 404 | 405 | 422),
                "{code} {name}: status {}",
                status(&response)
            );
            assert!(!loads_more(&text), "{code} {name} loads a subresource");
            sizes.push((response.len(), format!("{code} {name}")));
        }
    }
    sizes.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    println!("head + body in bytes, largest first (limit {FIRST_WINDOW}):");
    for (size, page) in &sizes {
        println!("{size:>7}  {page}");
    }
    let over: Vec<_> = sizes
        .iter()
        .filter(|(size, _)| *size > FIRST_WINDOW)
        .collect();
    assert!(over.is_empty(), "over {FIRST_WINDOW} bytes: {over:?}");
    assert!(
        sizes.len() >= Lang::ALL.len() * 21,
        "every page was measured"
    );
}
