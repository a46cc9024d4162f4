//! The staff desk's web pages, served by the real `porten-inbox run` on loopback and used the way a browser
//! would: over HTTPS, keeping the session cookie by hand, TOTP codes computed here from the secret the
//! enrolment page shows (`desk_client`, with an RFC 6238 implementation of its own, not the desk's).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod desk_client;

use desk_client::{code_in, enrol, login, App, Browser};

const ADMIN_PASSWORD: &str = "correct horse battery staple";
const STAFF_PASSWORD: &str = "a long enough passphrase for staff";

fn command(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_porten-inbox"))
        .args(args)
        .output()
        .expect("porten-inbox runs")
}

/// A running `porten-inbox run` with its state directory and its log.
struct Inbox {
    dir: tempfile::TempDir,
    child: Child,
    port: u16,
    /// The administrator's one-time enrolment code, from `desk add-account`.
    admin_code: String,
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Inbox {
    /// Makes keys and a configuration, an administrator account with the command line, and starts `run`.
    fn start() -> Inbox {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
        assert!(command(&["keygen", "--out", &path("identity.txt")])
            .status
            .success());
        assert!(command(&["certs", "--out", &path("certs")])
            .status
            .success());
        let port = free_port();
        let config = format!(
            "gateway = \"https://localhost:{gateway}\"\ngateway_ca = \"{certs}/ca.pem\"\n\
             client_cert = \"{certs}/inbox.pem\"\nclient_key = \"{certs}/inbox-key.pem\"\n\
             identity = \"{identity}\"\nstate_dir = \"{state}\"\nspool_dir = \"{spool}\"\n\
             [desk]\nlisten = \"127.0.0.1:{port}\"\n[[desk.team]]\nname = \"Stödteamet\"\n\
             groups = [\"exposed\"]\n[log]\nlevel = \"debug\"\n",
            gateway = free_port(),
            certs = path("certs"),
            identity = path("identity.txt"),
            state = path("state"),
            spool = path("spool"),
        );
        std::fs::write(dir.path().join("inbox.toml"), config).unwrap();
        let added = command(&[
            "desk",
            "add-account",
            "--login",
            "admin",
            "--display-name",
            "Anna, administratör",
            "--role",
            "administrator",
            "--config",
            &path("inbox.toml"),
        ]);
        assert!(added.status.success());
        let admin_code = code_in(&String::from_utf8_lossy(&added.stdout));
        let log = std::fs::File::create(dir.path().join("run.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_porten-inbox"))
            .args(["run", "--config", &path("inbox.toml")])
            .env_remove("RUST_LOG")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let mut inbox = Inbox {
            dir,
            child,
            port,
            admin_code,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                inbox.child.try_wait().unwrap().is_none(),
                "porten-inbox run stopped:\n{}",
                inbox.log()
            );
            assert!(Instant::now() < deadline, "the desk never listened");
            std::thread::sleep(Duration::from_millis(100));
        }
        inbox
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("run.log")).unwrap_or_default()
    }

    fn cert(&self) -> PathBuf {
        self.dir.path().join("state/desk/dev-tls/cert.pem")
    }

    fn browser(&self) -> Browser {
        Browser::new(self.port, &self.cert())
    }

    fn audit(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("state/audit.jsonl")).unwrap_or_default()
    }
}

#[test]
fn an_administrator_enrols_creates_a_staff_account_and_each_only_sees_what_their_role_allows() {
    let inbox = Inbox::start();
    let mut admin = inbox.browser();
    let (mut admin_app, admin_secret) = enrol(&mut admin, &inbox.admin_code, ADMIN_PASSWORD);
    let secret_pages = admin.seen.len();

    let logged_in = login(&mut admin, "admin", ADMIN_PASSWORD, &admin_app.next_code());
    assert_eq!(logged_in.status, 303);
    assert_eq!(logged_in.header("location"), Some("/en/"));
    let set = logged_in.header("set-cookie").unwrap();
    for attribute in [
        "__Host-desk=",
        "Path=/",
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
    ] {
        assert!(set.contains(attribute), "{set}");
    }
    let admin_session = admin.cookie.clone().unwrap();
    let start = admin.get("/en/");
    assert_eq!(start.status, 200);
    assert!(start.body.contains("Anna, administratör") && start.body.contains("Administrator"));
    assert!(
        !start.body.contains("/en/cases"),
        "an administrator without a team works no cases, so gets no queue"
    );

    // Every response carries the security headers, pages and redirects alike.
    for response in [&start, &logged_in] {
        let csp = response.header("content-security-policy").unwrap();
        assert!(
            csp.starts_with("default-src 'none'; style-src 'sha256-"),
            "{csp}"
        );
        assert!(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(response.header("cache-control"), Some("no-store"));
        assert_eq!(response.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(response.header("x-frame-options"), Some("DENY"));
        assert_eq!(
            response.header("cross-origin-opener-policy"),
            Some("same-origin")
        );
        assert_eq!(
            response.header("cross-origin-resource-policy"),
            Some("same-origin")
        );
        assert!(response
            .header("permissions-policy")
            .unwrap()
            .contains("camera=()"));
        assert!(response.header("strict-transport-security").is_some());
        assert!(response.header("server").is_none());
    }
    assert!(!start.body.contains("<script"));

    // The administrator makes a staff account on the accounts page.
    let accounts = admin.get("/en/accounts");
    assert_eq!(accounts.status, 200);
    let made = admin.post(
        "/en/accounts/new",
        &[
            ("csrf", &accounts.token()),
            ("login", "sara"),
            ("display_name", "Sara, kurator"),
            ("role", "staff"),
            ("teams", "Stödteamet"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let staff_code = code_in(&made.body);
    let listing = admin.get("/en/accounts");
    assert!(listing.body.contains("sara") && listing.body.contains("invited"));
    assert!(
        !listing.body.contains(&staff_code),
        "the code is shown once"
    );

    // The staff member enrols and logs in.
    let mut staff = inbox.browser();
    let (mut staff_app, staff_secret) = enrol(&mut staff, &staff_code, STAFF_PASSWORD);
    let code = staff_app.next_code();
    assert_eq!(login(&mut staff, "sara", STAFF_PASSWORD, &code).status, 303);
    let staff_session = staff.cookie.clone().unwrap();
    let staff_start = staff.get("/en/");
    assert!(staff_start.body.contains("Sara, kurator"));
    assert!(
        staff_start.body.contains("href=\"/en/cases\""),
        "staff reach the queue"
    );
    let queue = staff.get("/en/cases");
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("No cases in this view."));

    // The same TOTP code does not log in twice, even with the right password.
    let mut thief = inbox.browser();
    let replay = login(&mut thief, "sara", STAFF_PASSWORD, &staff_app.last_code());
    assert_eq!(replay.status, 200);
    assert!(replay.body.contains("is not right"));
    assert!(thief.cookie.is_none());

    // Staff get 403 on account administration, to read or to act.
    let page = staff.get("/en/accounts");
    assert_eq!(page.status, 403);
    let token = staff.get("/en/profile").token();
    let refused = staff.post(
        "/en/accounts/new",
        &[
            ("csrf", &token),
            ("login", "mallory"),
            ("display_name", "M"),
            ("role", "administrator"),
        ],
    );
    assert_eq!(refused.status, 403);
    assert!(!admin.get("/en/accounts").body.contains("mallory"));

    // The staff member changes the display name visitors see.
    let saved = staff.post(
        "/en/profile",
        &[("csrf", &token), ("display_name", "Sara L, kurator")],
    );
    assert_eq!(saved.status, 200);
    assert!(staff.get("/en/").body.contains("Sara L, kurator"));

    // Logout ends the session on the server: the old cookie no longer opens a page.
    let token = admin.get("/en/").token();
    let out = admin.post("/en/logout", &[("csrf", &token)]);
    assert_eq!(out.status, 303);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert!(admin.cookie.is_none());
    admin.cookie = Some(admin_session.clone());
    let after = admin.get("/en/");
    assert_eq!(after.status, 303);
    assert_eq!(after.header("location"), Some("/en/login?ended"));

    // The audit log names the accounts, never a secret.
    let audit = inbox.audit();
    for event in [
        "desk-enrolled",
        "desk-login",
        "desk-login-refused",
        "desk-account-created",
        "desk-display-name-changed",
        "desk-logout",
    ] {
        assert!(
            audit.contains(&format!("\"event\":\"{event}\"")),
            "{event}: {audit}"
        );
    }
    // With the configuration the head's signature is checked too: the desk signs the head like delivery.
    let verified = command(&[
        "audit",
        "verify",
        "--config",
        inbox.dir.path().join("inbox.toml").to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&verified.stdout).into_owned();
    assert!(
        verified.status.success() && said.contains("signature holds"),
        "{said}{}",
        String::from_utf8_lossy(&verified.stderr)
    );

    // No page after the enrolment page, no header and no log line shows a session id, a TOTP secret or a
    // password; the log does not show the enrolment codes either.
    let log = inbox.log();
    let after_enrolment: Vec<&String> = admin.seen[secret_pages..]
        .iter()
        .chain(staff.seen.iter().skip(3))
        .chain(thief.seen.iter())
        .collect();
    for secret in [
        admin_session.as_str(),
        staff_session.as_str(),
        admin_secret.as_str(),
        staff_secret.as_str(),
        ADMIN_PASSWORD,
        STAFF_PASSWORD,
    ] {
        for seen in &after_enrolment {
            assert!(!seen.contains(secret), "a response shows a secret");
        }
        assert!(!log.contains(secret), "the log shows a secret");
        assert!(!audit.contains(secret), "the audit log shows a secret");
    }
    assert!(!log.contains(&staff_code) && !log.contains(&inbox.admin_code));
    assert!(
        log.contains("DEVELOPMENT certificate"),
        "the development certificate is announced"
    );
}

/// An enrolled administrator, logged in.
fn logged_in_admin(inbox: &Inbox) -> (Browser, App) {
    let mut admin = inbox.browser();
    let (mut app, _) = enrol(&mut admin, &inbox.admin_code, ADMIN_PASSWORD);
    let code = app.next_code();
    assert_eq!(
        login(&mut admin, "admin", ADMIN_PASSWORD, &code).status,
        303
    );
    (admin, app)
}

#[test]
fn forms_without_the_csrf_token_or_from_another_site_are_refused_and_change_nothing() {
    let inbox = Inbox::start();
    let (mut admin, _) = logged_in_admin(&inbox);
    let token = admin.get("/en/accounts").token();
    let new = [
        ("login", "olle"),
        ("display_name", "Olle"),
        ("role", "staff"),
    ];

    let without = admin.post("/en/accounts/new", &new);
    assert_eq!(without.status, 403);
    let mut wrong = vec![("csrf", "0".repeat(64))];
    wrong.extend(new.iter().map(|(n, v)| (*n, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(admin.post("/en/accounts/new", &wrong).status, 403);

    let mut with = vec![("csrf", token.as_str())];
    with.extend(new);
    let cross = admin.post_with(
        "/en/accounts/new",
        &with,
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(cross.status, 403);
    let fetch = admin.post_with(
        "/en/accounts/new",
        &with,
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(fetch.status, 403);
    let profile = admin.post_with(
        "/en/profile",
        &[("csrf", &token), ("display_name", "Changed")],
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(profile.status, 403);

    let listing = admin.get("/en/accounts");
    assert!(!listing.body.contains("olle"), "nothing was created");
    assert!(
        admin.get("/en/").body.contains("Anna, administratör"),
        "nothing was changed"
    );

    // A login form without a form token is refused before any password is looked at.
    let mut stranger = inbox.browser();
    let refused = stranger.post(
        "/en/login",
        &[
            ("login", "admin"),
            ("password", ADMIN_PASSWORD),
            ("code", "123456"),
        ],
    );
    assert_eq!(refused.status, 403);

    // The same form, same origin: accepted.
    let made = admin.post_with(
        "/en/accounts/new",
        &with,
        &[
            ("Origin", &format!("https://localhost:{}", inbox.port)),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.body);
}

#[test]
fn a_session_id_from_before_login_is_not_kept_after_it() {
    let inbox = Inbox::start();
    let (mut admin, _) = logged_in_admin(&inbox);
    let planted = admin.cookie.clone().unwrap();
    // Another account logs in in a browser that carries the administrator's live session id, as a
    // fixation attack would plant it.
    let token = admin.get("/en/accounts").token();
    let made = admin.post(
        "/en/accounts/new",
        &[
            ("csrf", &token),
            ("login", "olle"),
            ("display_name", "Olle"),
            ("role", "staff"),
        ],
    );
    let mut staff = inbox.browser();
    let (mut app, _) = enrol(&mut staff, &code_in(&made.body), STAFF_PASSWORD);
    staff.cookie = Some(planted.clone());
    let code = app.next_code();
    assert_eq!(login(&mut staff, "olle", STAFF_PASSWORD, &code).status, 303);
    let after = staff.cookie.clone().unwrap();
    assert_ne!(after, planted);
    assert!(staff.get("/en/").body.contains("Olle"));
    // The id from before the login was deleted.
    let page = admin.get("/en/");
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/en/login?ended"));
    let login_page = admin.get("/en/login?ended");
    assert!(login_page.body.contains("your session ended"));
}

#[test]
fn password_guessing_is_locked_out_alike_for_an_existing_and_an_unknown_name() {
    let inbox = Inbox::start();
    let mut browser = inbox.browser();
    let (mut app, _) = enrol(&mut browser, &inbox.admin_code, ADMIN_PASSWORD);
    let mut answers = Vec::new();
    for name in ["admin", "nobody-here"] {
        // Five failures lock the name (desk.lockout_after); the sixth attempt meets the lock, and for the
        // real account even the right password and code are refused while it lasts.
        for _ in 0..5 {
            let refused = login(&mut browser, name, "not the password at all", "000000");
            assert_eq!(refused.status, 200);
            assert!(refused.body.contains("is not right"));
        }
        let (password, code) = if name == "admin" {
            (ADMIN_PASSWORD.to_owned(), app.next_code())
        } else {
            ("not the password at all".to_owned(), "000000".to_owned())
        };
        let locked = login(&mut browser, name, &password, &code);
        assert!(locked.body.contains("Try again later"), "{}", locked.body);
        let token = locked.token();
        answers.push((locked.status, locked.body.replace(&token, "TOKEN")));
        assert!(browser.cookie.is_none());
    }
    assert_eq!(answers[0].0, answers[1].0);
    // The pages differ only in the name typed back into the field.
    assert_eq!(
        answers[0].1.replace("value=\"admin\"", "value=\"NAME\""),
        answers[1]
            .1
            .replace("value=\"nobody-here\"", "value=\"NAME\"")
    );
}
