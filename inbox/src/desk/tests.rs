//! Tests of the desk as a whole: what is on disk, enrolment, reset and disable, sessions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use age::x25519::Identity;
use porten_protocol::secret::Sensitive;

use super::password::tests::quick;
use super::totp::{code_at_time, TotpSecret};
use super::*;

/// A desk in a temporary state directory, on a clock that moves only when told.
pub(crate) struct Fixture {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) identity: Identity,
    pub(crate) clock: ManualClock,
    pub(crate) desk: Desk,
}

/// 2023-11-14 22:13:20 UTC, in the middle of a TOTP step.
pub(super) const START: i64 = 1_700_000_000;
pub(super) const PASSWORD: &str = "a long enough passphrase";

pub(crate) fn fixture() -> Fixture {
    fixture_with(&DeskConfig::default())
}

pub(super) fn fixture_with(config: &DeskConfig) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let identity = Identity::generate();
    let clock = ManualClock::at(START);
    let desk = Desk::open_with(
        dir.path(),
        std::slice::from_ref(&identity),
        config,
        Arc::new(clock.clone()),
        quick(),
    )
    .unwrap();
    Fixture {
        dir,
        identity,
        clock,
        desk,
    }
}

pub(super) fn new_account(login: &str, display_name: &str, role: Role) -> NewAccount {
    NewAccount {
        login: LoginName::parse(login).unwrap(),
        display_name: DisplayName::parse(display_name).unwrap(),
        role,
        teams: vec![TeamName::parse("Stödteamet").unwrap()],
    }
}

pub(super) fn secret(text: &str) -> Sensitive<String> {
    Sensitive::new(text.to_string())
}

impl Fixture {
    /// Creates and enrols an account; returns it and its TOTP secret. The clock moves on one step, so the
    /// enrolment's code is not the one a login uses next.
    /// An enrolled account, logged in with its password and code: its new login session.
    pub(super) fn logged_in(&self, login: &str) -> NewSession {
        let (_, totp) = self.enrolled(login);
        let authenticated = self.login(login, PASSWORD, &self.code(&totp)).unwrap();
        self.desk.sessions.start(&authenticated, None).unwrap()
    }

    /// [`Fixture::enrolled`], for tests outside the desk: the account only.
    pub(crate) fn staff(&self, login: &str) -> Account {
        self.enrolled(login).0
    }

    pub(super) fn enrolled(&self, login: &str) -> (Account, TotpSecret) {
        let invitation = self
            .desk
            .accounts
            .create(new_account(login, "Sara, kurator", Role::Staff))
            .unwrap();
        let start = self
            .desk
            .accounts
            .begin_enrolment(invitation.code.expose())
            .unwrap();
        let totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
        let account = self
            .desk
            .accounts
            .complete_enrolment(
                invitation.code.expose(),
                secret(PASSWORD),
                &self.code(&totp),
            )
            .unwrap();
        self.clock.advance(30);
        (account, totp)
    }

    pub(super) fn code(&self, totp: &TotpSecret) -> String {
        code_at_time(totp, self.clock.now())
    }

    pub(super) fn login(
        &self,
        login: &str,
        password: &str,
        code: &str,
    ) -> Result<Authenticated, LoginRefused> {
        self.desk.login.authenticate(Credential::PasswordTotp {
            login: login.into(),
            password: secret(password),
            totp_code: secret(code),
        })
    }
}

/// Every file under `dir`, with its bytes.
pub(crate) fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_copy_of_the_state_directory_without_the_identity_holds_no_secret() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(new_account(
            "ingrid.nordmark",
            "Ingrid Nordmark-Qvist",
            Role::TeamLead,
        ))
        .unwrap();
    let waiting = f
        .desk
        .accounts
        .create(new_account("olle.pending", "Olle Väntarsson", Role::Staff))
        .unwrap();
    let start = f
        .desk
        .accounts
        .begin_enrolment(invitation.code.expose())
        .unwrap();
    let totp_text = start.secret_text();
    let totp = TotpSecret::from_base32(totp_text.expose()).unwrap();
    f.desk
        .accounts
        .complete_enrolment(invitation.code.expose(), secret(PASSWORD), &f.code(&totp))
        .unwrap();
    f.clock.advance(30);
    let login = f
        .login("ingrid.nordmark", PASSWORD, &f.code(&totp))
        .unwrap();
    let session = f.desk.sessions.start(&login, None).unwrap();
    f.desk
        .accounts
        .set_display_name(
            login.account.id,
            DisplayName::parse("Ingrid, samordnare Hedersteamet").unwrap(),
        )
        .unwrap();

    let files = all_files(f.dir.path());
    assert!(files.len() >= 2, "the database and the data key are there");
    let cookie_bytes = hex::decode(session.cookie.expose()).unwrap();
    let secrets: Vec<(&str, Vec<u8>)> = vec![
        (
            "TOTP secret (base32)",
            totp_text.expose().as_bytes().to_vec(),
        ),
        (
            "TOTP secret (raw)",
            data_encoding::BASE32_NOPAD
                .decode(totp_text.expose().as_bytes())
                .unwrap(),
        ),
        ("password", PASSWORD.as_bytes().to_vec()),
        ("password hash", b"$argon2id$".to_vec()),
        ("login name", b"ingrid.nordmark".to_vec()),
        ("display name", "Nordmark-Qvist".as_bytes().to_vec()),
        ("new display name", b"Hedersteamet".to_vec()),
        ("invited display name", "Väntarsson".as_bytes().to_vec()),
        ("team", "Stödteamet".as_bytes().to_vec()),
        ("role", b"team-lead".to_vec()),
        ("session id", session.cookie.expose().as_bytes().to_vec()),
        ("session id (raw)", cookie_bytes),
        ("CSRF token", session.csrf.expose().as_bytes().to_vec()),
        (
            "enrolment code",
            waiting.code.expose().replace('-', "").into_bytes(),
        ),
    ];
    for (path, bytes) in &files {
        for (what, needle) in &secrets {
            assert!(
                !contains(bytes, needle),
                "{} holds the {what} in the clear",
                path.display()
            );
        }
    }

    // The copy opens with the identity, and with no other.
    let copy = tempfile::tempdir().unwrap();
    for (path, bytes) in &files {
        let target = copy.path().join(path.strip_prefix(f.dir.path()).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    drop(f.desk);
    let stranger = Desk::open_with(
        copy.path(),
        &[Identity::generate()],
        &DeskConfig::default(),
        Arc::new(f.clock.clone()),
        quick(),
    );
    assert!(matches!(
        stranger,
        Err(DeskError::Store(DeskStoreError::Vault(
            VaultError::WrongIdentity(_)
        )))
    ));
    let owner = Desk::open_with(
        copy.path(),
        std::slice::from_ref(&f.identity),
        &DeskConfig::default(),
        Arc::new(f.clock.clone()),
        quick(),
    )
    .unwrap();
    assert_eq!(owner.accounts.list().unwrap().len(), 2);
}

#[test]
fn an_enrolment_code_works_once() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    assert_eq!(invitation.account.state, AccountState::Invited);
    let code = invitation.code.expose();
    assert_eq!(code.len(), 39, "eight groups of four with dashes: {code}");
    let start = f.desk.accounts.begin_enrolment(code).unwrap();
    let totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
    // Typed in lower case with spaces instead of dashes, it is the same code.
    let typed = code.to_lowercase().replace('-', " ");
    let account = f
        .desk
        .accounts
        .complete_enrolment(&typed, secret(PASSWORD), &f.code(&totp))
        .unwrap();
    assert_eq!(account.state, AccountState::Active);

    f.clock.advance(30);
    assert!(matches!(
        f.desk.accounts.begin_enrolment(code),
        Err(EnrolmentError::UnknownOrExpired)
    ));
    assert!(matches!(
        f.desk
            .accounts
            .complete_enrolment(code, secret("another passphrase"), &f.code(&totp)),
        Err(EnrolmentError::UnknownOrExpired)
    ));
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
}

#[test]
fn an_enrolment_code_expires_after_72_hours() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    assert_eq!(invitation.expires, START + 72 * 3600);
    f.clock.advance(72 * 3600 - 1);
    let start = f
        .desk
        .accounts
        .begin_enrolment(invitation.code.expose())
        .unwrap();
    let totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
    f.clock.advance(1);
    assert!(matches!(
        f.desk.accounts.complete_enrolment(
            invitation.code.expose(),
            secret(PASSWORD),
            &f.code(&totp)
        ),
        Err(EnrolmentError::UnknownOrExpired)
    ));
}

#[test]
fn enrolment_refuses_a_wrong_code_or_a_short_password_without_using_the_code_up() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    let code = invitation.code.expose();
    let first = f.desk.accounts.begin_enrolment(code).unwrap();
    assert!(first
        .otpauth_uri()
        .expose()
        .starts_with("otpauth://totp/porten%20desk:sara?secret="));
    assert!(first.qr_svg().unwrap().expose().starts_with("<svg"));
    let totp = TotpSecret::from_base32(first.secret_text().expose()).unwrap();

    let wrong = TotpSecret::generate().unwrap();
    assert!(matches!(
        f.desk
            .accounts
            .complete_enrolment(code, secret(PASSWORD), &f.code(&wrong)),
        Err(EnrolmentError::WrongTotpCode)
    ));
    assert!(matches!(
        f.desk
            .accounts
            .complete_enrolment(code, secret("too short"), &f.code(&totp)),
        Err(EnrolmentError::Password(PasswordError::TooShort {
            min: 12
        }))
    ));
    assert!(f
        .desk
        .accounts
        .complete_enrolment(code, secret(PASSWORD), &f.code(&totp))
        .is_ok());
}

#[test]
fn reset_voids_the_password_the_totp_secret_the_sessions_and_the_old_code() {
    let f = fixture();
    let first = f
        .desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    // A reset before enrolment replaces the first code.
    let second = f
        .desk
        .accounts
        .reset(&LoginName::parse("sara").unwrap())
        .unwrap();
    assert!(matches!(
        f.desk.accounts.begin_enrolment(first.code.expose()),
        Err(EnrolmentError::UnknownOrExpired)
    ));
    let start = f
        .desk
        .accounts
        .begin_enrolment(second.code.expose())
        .unwrap();
    let totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
    f.desk
        .accounts
        .complete_enrolment(second.code.expose(), secret(PASSWORD), &f.code(&totp))
        .unwrap();
    f.clock.advance(30);
    let login = f.login("sara", PASSWORD, &f.code(&totp)).unwrap();
    let session = f.desk.sessions.start(&login, None).unwrap();

    let third = f
        .desk
        .accounts
        .reset(&LoginName::parse("SARA").unwrap())
        .unwrap();
    assert_eq!(third.account.state, AccountState::Invited);
    assert!(f
        .desk
        .sessions
        .check(session.cookie.expose())
        .unwrap()
        .is_none());
    f.clock.advance(30);
    assert!(matches!(
        f.login("sara", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Refused)
    ));

    // Enrolling again gives a new secret; the old one opens nothing.
    let start = f
        .desk
        .accounts
        .begin_enrolment(third.code.expose())
        .unwrap();
    let new_totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
    assert_ne!(new_totp, totp);
    f.desk
        .accounts
        .complete_enrolment(
            third.code.expose(),
            secret("a brand new passphrase"),
            &f.code(&new_totp),
        )
        .unwrap();
    f.clock.advance(30);
    assert!(f.login("sara", PASSWORD, &f.code(&new_totp)).is_err());
    assert!(f
        .login("sara", "a brand new passphrase", &f.code(&totp))
        .is_err());
    f.clock.advance(30);
    assert!(f
        .login("sara", "a brand new passphrase", &f.code(&new_totp))
        .is_ok());
}

#[test]
fn a_disabled_account_cannot_log_in_and_its_sessions_end() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    let login = f.login("sara", PASSWORD, &f.code(&totp)).unwrap();
    let session = f.desk.sessions.start(&login, None).unwrap();
    let disabled = f
        .desk
        .accounts
        .disable(&LoginName::parse("sara").unwrap())
        .unwrap();
    assert_eq!(disabled.state, AccountState::Disabled);
    assert!(f
        .desk
        .sessions
        .check(session.cookie.expose())
        .unwrap()
        .is_none());
    f.clock.advance(30);
    assert!(matches!(
        f.login("sara", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Refused)
    ));
    assert!(matches!(
        f.desk
            .accounts
            .disable(&LoginName::parse("nobody").unwrap()),
        Err(AccountError::NoSuchAccount(_))
    ));
}

#[test]
fn a_login_name_is_taken_whatever_its_case() {
    let f = fixture();
    f.desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    assert!(matches!(
        f.desk
            .accounts
            .create(new_account("Sara", "Another Sara", Role::Administrator)),
        Err(AccountError::LoginTaken(_))
    ));
    let listed = f.desk.accounts.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].display_name.as_str(), "Sara");
}

#[test]
fn an_invitation_never_prints_its_code() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    let printed = format!("{invitation:?}");
    assert!(!printed.contains(invitation.code.expose()), "{printed}");
    let start = f
        .desk
        .accounts
        .begin_enrolment(invitation.code.expose())
        .unwrap();
    let printed = format!("{start:?}");
    assert!(!printed.contains(start.secret_text().expose().as_str()));
}

#[test]
fn a_session_id_from_before_login_is_not_kept() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    let (_, other_totp) = f.enrolled("olle");
    // An attacker logs in with their own account and plants that session's id in the victim's browser.
    let planted = f
        .desk
        .sessions
        .start(
            &f.login("olle", PASSWORD, &f.code(&other_totp)).unwrap(),
            None,
        )
        .unwrap();
    // The victim logs in; the browser sends the planted cookie along.
    let login = f.login("sara", PASSWORD, &f.code(&totp)).unwrap();
    let fresh = f
        .desk
        .sessions
        .start(&login, Some(planted.cookie.expose()))
        .unwrap();
    assert_ne!(fresh.cookie.expose(), planted.cookie.expose());
    assert!(f
        .desk
        .sessions
        .check(planted.cookie.expose())
        .unwrap()
        .is_none());
    let session = f
        .desk
        .sessions
        .check(fresh.cookie.expose())
        .unwrap()
        .unwrap();
    assert_eq!(session.account.login.as_str(), "sara");
}

#[test]
fn a_session_ends_after_15_idle_minutes_and_use_keeps_it_alive() {
    let f = fixture();
    let cookie = f.logged_in("sara").cookie;
    for _ in 0..4 {
        f.clock.advance(15 * 60 - 1);
        assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_some());
    }
    f.clock.advance(15 * 60);
    assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_none());
    f.clock.advance(-15 * 60);
    assert!(
        f.desk.sessions.check(cookie.expose()).unwrap().is_none(),
        "an idle session is deleted, not only refused"
    );
}

#[test]
fn a_session_ends_after_8_hours_however_active() {
    let f = fixture();
    let new = f.logged_in("sara");
    assert_eq!(new.ends_by, f.clock.now() + 8 * 3600);
    for _ in 0..(8 * 6 - 1) {
        f.clock.advance(10 * 60);
        assert!(f
            .desk
            .sessions
            .check(new.cookie.expose())
            .unwrap()
            .is_some());
    }
    f.clock.advance(10 * 60);
    assert!(f
        .desk
        .sessions
        .check(new.cookie.expose())
        .unwrap()
        .is_none());
}

#[test]
fn logout_deletes_the_session() {
    let f = fixture();
    let cookie = f.logged_in("sara").cookie;
    assert!(f.desk.sessions.end(cookie.expose()).unwrap());
    assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_none());
    assert!(!f.desk.sessions.end(cookie.expose()).unwrap());
}

#[test]
fn each_session_has_its_own_csrf_token() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    let one = f
        .desk
        .sessions
        .start(&f.login("sara", PASSWORD, &f.code(&totp)).unwrap(), None)
        .unwrap();
    f.clock.advance(30);
    let two = f
        .desk
        .sessions
        .start(&f.login("sara", PASSWORD, &f.code(&totp)).unwrap(), None)
        .unwrap();
    let session = f.desk.sessions.check(one.cookie.expose()).unwrap().unwrap();
    assert!(session.csrf.matches(one.csrf.expose()));
    assert!(!session.csrf.matches(two.csrf.expose()));
    assert!(!session.csrf.matches(""));
    assert!(!session.csrf.matches(&one.csrf.expose()[..63]));
    assert!(!session.csrf.matches(&one.csrf.expose().to_uppercase()));
}

#[test]
fn malformed_or_unknown_cookies_find_no_session() {
    let f = fixture();
    for cookie in [
        "",
        "abc",
        &"z".repeat(64),
        &"0".repeat(64),
        &"0".repeat(100_000),
        "é",
    ] {
        assert!(
            f.desk.sessions.check(cookie).unwrap().is_none(),
            "{cookie:.10}"
        );
        assert!(!f.desk.sessions.end(cookie).unwrap());
    }
}

#[test]
fn a_changed_display_name_shows_in_the_live_session() {
    let f = fixture();
    let (account, totp) = f.enrolled("sara");
    let login = f.login("sara", PASSWORD, &f.code(&totp)).unwrap();
    let cookie = f.desk.sessions.start(&login, None).unwrap().cookie;
    f.desk
        .accounts
        .set_display_name(account.id, DisplayName::parse("Sara L.").unwrap())
        .unwrap();
    let session = f.desk.sessions.check(cookie.expose()).unwrap().unwrap();
    assert_eq!(session.account.display_name.as_str(), "Sara L.");
}

#[test]
fn sweeping_deletes_only_ended_sessions() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    let old = f
        .desk
        .sessions
        .start(&f.login("sara", PASSWORD, &f.code(&totp)).unwrap(), None)
        .unwrap();
    f.clock.advance(10 * 60);
    let recent = f
        .desk
        .sessions
        .start(&f.login("sara", PASSWORD, &f.code(&totp)).unwrap(), None)
        .unwrap();
    f.clock.advance(6 * 60);
    assert_eq!(f.desk.sessions.sweep().unwrap(), 1);
    assert!(f
        .desk
        .sessions
        .check(recent.cookie.expose())
        .unwrap()
        .is_some());
    assert!(f
        .desk
        .sessions
        .check(old.cookie.expose())
        .unwrap()
        .is_none());
}

#[test]
fn an_unknown_cookie_costs_no_database_write() {
    let f = fixture();
    let live = f.logged_in("sara");
    let before = f.desk.sessions.store.writes();
    for n in 0..100u32 {
        // Well-formed ids, so each is looked up.
        let guess = format!("{:064x}", u128::from(n) * 0x9e37_79b9_7f4a_7c15);
        assert!(f.desk.sessions.check(&guess).unwrap().is_none());
    }
    assert_eq!(f.desk.sessions.store.writes(), before);
    // The live session was not touched by the guesses.
    assert!(f
        .desk
        .sessions
        .check(live.cookie.expose())
        .unwrap()
        .is_some());
}

#[test]
fn a_busy_session_writes_its_last_use_at_most_once_a_minute() {
    let f = fixture();
    let cookie = f.logged_in("sara").cookie;
    let before = f.desk.sessions.store.writes();
    for _ in 0..59 {
        assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_some());
        f.clock.advance(1);
    }
    assert_eq!(
        f.desk.sessions.store.writes(),
        before,
        "59 requests in 59 s"
    );
    f.clock.advance(1);
    assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_some());
    assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_some());
    assert_eq!(f.desk.sessions.store.writes(), before + 1, "a minute on");
}

#[test]
fn a_session_used_only_between_refreshes_still_ends_within_the_idle_limit() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    let login = f.login("sara", PASSWORD, &f.code(&totp)).unwrap();
    let cookie = f.desk.sessions.start(&login, None).unwrap().cookie;
    // Used 59 s after login, too soon to be written; then idle.
    f.clock.advance(59);
    assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_some());
    // Never later than 15 minutes after its last use.
    f.clock.advance(15 * 60);
    assert!(f.desk.sessions.check(cookie.expose()).unwrap().is_none());
    f.clock.advance(-15 * 60);
    assert!(
        f.desk.sessions.check(cookie.expose()).unwrap().is_none(),
        "the idle session was deleted, not only refused"
    );
}

/// A well-formed enrolment code the desk never issued.
fn made_up_code(n: u8) -> String {
    data_encoding::BASE32_NOPAD.encode(&[n; 20])
}

#[test]
fn each_first_step_of_enrolment_shows_a_new_secret_and_only_the_latest_enrols() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    let code = invitation.code.expose();
    // The staff member's browser, then someone else who got hold of the code.
    let shown_first = f.desk.accounts.begin_enrolment(code).unwrap();
    let shown_later = f.desk.accounts.begin_enrolment(code).unwrap();
    assert_ne!(shown_first.secret_text(), shown_later.secret_text());
    let first = TotpSecret::from_base32(shown_first.secret_text().expose()).unwrap();
    let later = TotpSecret::from_base32(shown_later.secret_text().expose()).unwrap();
    assert!(matches!(
        f.desk
            .accounts
            .complete_enrolment(code, secret(PASSWORD), &f.code(&first)),
        Err(EnrolmentError::WrongTotpCode)
    ));
    f.desk
        .accounts
        .complete_enrolment(code, secret(PASSWORD), &f.code(&later))
        .unwrap();
    f.clock.advance(30);
    assert!(f.login("sara", PASSWORD, &f.code(&first)).is_err());
    f.clock.advance(30);
    assert!(f.login("sara", PASSWORD, &f.code(&later)).is_ok());
}

#[test]
fn a_made_up_enrolment_code_costs_no_password_hash_and_no_write() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(new_account("sara", "Sara", Role::Staff))
        .unwrap();
    let hashes = f.desk.accounts.passwords.hashes();
    let writes = f.desk.accounts.store.writes();
    for n in 0..5 {
        for typed in [made_up_code(n), "not a code".to_string()] {
            assert!(matches!(
                f.desk
                    .accounts
                    .complete_enrolment(&typed, secret(PASSWORD), "123456"),
                Err(EnrolmentError::UnknownOrExpired)
            ));
            assert!(matches!(
                f.desk.accounts.begin_enrolment(&typed),
                Err(EnrolmentError::UnknownOrExpired)
            ));
        }
    }
    assert_eq!(f.desk.accounts.passwords.hashes(), hashes);
    assert_eq!(f.desk.accounts.store.writes(), writes);
    // Nor does a real code with a TOTP code that does not match.
    let code = invitation.code.expose();
    let start = f.desk.accounts.begin_enrolment(code).unwrap();
    let wrong = TotpSecret::generate().unwrap();
    assert!(matches!(
        f.desk
            .accounts
            .complete_enrolment(code, secret(PASSWORD), &f.code(&wrong)),
        Err(EnrolmentError::WrongTotpCode)
    ));
    assert_eq!(f.desk.accounts.passwords.hashes(), hashes);
    let totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
    f.desk
        .accounts
        .complete_enrolment(code, secret(PASSWORD), &f.code(&totp))
        .unwrap();
    assert_eq!(f.desk.accounts.passwords.hashes(), hashes + 1);
}

#[test]
fn flooding_enrolment_with_made_up_codes_runs_into_the_bucket_logins_share() {
    let f = fixture_with(&DeskConfig {
        attempts_per_minute: 10,
        ..DeskConfig::default()
    });
    let (_, totp) = f.enrolled("sara");
    let invitation = f
        .desk
        .accounts
        .create(new_account("olle", "Olle", Role::Staff))
        .unwrap();
    for n in 0..10 {
        assert!(matches!(
            f.desk
                .accounts
                .complete_enrolment(&made_up_code(n), secret(PASSWORD), "123456"),
            Err(EnrolmentError::UnknownOrExpired)
        ));
    }
    assert!(matches!(
        f.desk
            .accounts
            .complete_enrolment(&made_up_code(10), secret(PASSWORD), "123456"),
        Err(EnrolmentError::Busy)
    ));
    assert!(matches!(
        f.desk.accounts.begin_enrolment(&made_up_code(11)),
        Err(EnrolmentError::Busy)
    ));
    assert!(matches!(
        f.login("sara", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Busy)
    ));
    // Six seconds give back one attempt at ten a minute; a valid code takes none.
    f.clock.advance(6);
    let code = invitation.code.expose();
    f.desk.accounts.begin_enrolment(code).unwrap();
    f.desk.accounts.begin_enrolment(code).unwrap();
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
    assert!(matches!(
        f.desk.accounts.begin_enrolment(code),
        Err(EnrolmentError::Busy)
    ));
}
