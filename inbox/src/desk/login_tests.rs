//! Tests of login: one answer for every failure, the same work behind it, lockout and the overall bucket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::super::tests::{fixture, fixture_with, Fixture, PASSWORD};
use super::*;

fn refused(result: Result<Authenticated, LoginRefused>) -> String {
    match result {
        Err(error @ LoginRefused::Refused) => error.to_string(),
        other => panic!("expected the one refusal, got {other:?}"),
    }
}

/// Runs a login and returns its result and how many Argon2id verifications it ran.
fn counted(
    f: &Fixture,
    login: &str,
    password: &str,
    code: &str,
) -> (Result<Authenticated, LoginRefused>, usize) {
    let before = f.desk.accounts.passwords.verifications();
    let result = f.login(login, password, code);
    (result, f.desk.accounts.passwords.verifications() - before)
}

#[test]
fn a_correct_login_authenticates_the_account() {
    let f = fixture();
    let (account, totp) = f.enrolled("sara");
    let login = f.login(" Sara ", PASSWORD, &f.code(&totp)).unwrap();
    assert_eq!(login.account, account);
    assert_eq!(login.method, AuthMethod::PasswordTotp);
}

#[test]
fn login_for_an_unknown_name_answers_like_a_wrong_password() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    f.desk
        .accounts
        .create(super::super::tests::new_account(
            "olle",
            "Olle",
            super::super::Role::Staff,
        ))
        .unwrap();
    let code = f.code(&totp);
    let wrong_code = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);

    let attempts = [
        ("unknown name", counted(&f, "nobody", PASSWORD, &code)),
        ("malformed name", counted(&f, "no body!", PASSWORD, &code)),
        (
            "wrong password",
            counted(&f, "sara", "a wrong passphrase", &code),
        ),
        ("wrong code", counted(&f, "sara", PASSWORD, &wrong_code)),
        ("invited account", counted(&f, "olle", PASSWORD, &code)),
        ("malformed code", counted(&f, "sara", PASSWORD, "12")),
    ];
    let (_, (first, _)) = &attempts[0];
    let expected = match first {
        Err(error) => error.to_string(),
        Ok(_) => panic!("an unknown name logged in"),
    };
    for (what, (result, verifications)) in attempts {
        assert_eq!(refused(result), expected, "{what}");
        assert_eq!(
            verifications, 1,
            "{what}: one Argon2id verification, like any other"
        );
    }
    // The right credentials still work: none of the failures above counted against "sara" enough to lock.
    assert!(f.login("sara", PASSWORD, &code).is_ok());
}

#[test]
fn a_totp_code_cannot_be_used_twice_to_log_in() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    let code = f.code(&totp);
    assert!(f.login("sara", PASSWORD, &code).is_ok());
    refused(f.login("sara", PASSWORD, &code));
    // Still refused a step later, while the code is inside the accepted window.
    f.clock.advance(30);
    refused(f.login("sara", PASSWORD, &code));
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
}

#[test]
fn the_code_that_confirmed_enrolment_cannot_log_in() {
    let f = fixture();
    let invitation = f
        .desk
        .accounts
        .create(super::super::tests::new_account(
            "sara",
            "Sara",
            super::super::Role::Staff,
        ))
        .unwrap();
    let start = f
        .desk
        .accounts
        .begin_enrolment(invitation.code.expose())
        .unwrap();
    let totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
    let code = f.code(&totp);
    f.desk
        .accounts
        .complete_enrolment(
            invitation.code.expose(),
            super::super::tests::secret(PASSWORD),
            &code,
        )
        .unwrap();
    refused(f.login("sara", PASSWORD, &code));
}

#[test]
fn five_failures_lock_a_name_whether_or_not_it_is_an_account() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    for name in ["sara", "nobody"] {
        for _ in 0..5 {
            refused(f.login(name, "a wrong passphrase", "000000"));
        }
        match f.login(name, PASSWORD, &f.code(&totp)) {
            Err(LoginRefused::Locked { retry_after_secs }) => assert_eq!(retry_after_secs, 60),
            other => panic!("{name}: expected a lock, got {other:?}"),
        }
    }
    // The lock counts the name however it is typed.
    assert!(matches!(
        f.login("SARA ", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Locked { .. })
    ));
}

#[test]
fn unicode_spaces_around_a_locked_name_neither_bypass_the_lock_nor_get_fresh_attempts() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    for _ in 0..5 {
        refused(f.login("sara", "a wrong passphrase", "000000"));
    }
    // The account is found under these spellings (surrounding Unicode spaces are dropped), so the lock
    // must hold for them too.
    for typed in [
        "sara\u{a0}",
        "\u{2000}sara",
        "SARA\u{2001}",
        "\u{3000}Sara\u{202f}",
    ] {
        assert!(
            matches!(
                f.login(typed, PASSWORD, &f.code(&totp)),
                Err(LoginRefused::Locked { .. })
            ),
            "{:?}",
            typed.escape_unicode().to_string()
        );
    }
    f.clock.advance(60);
    // No spelling got a count of its own: four failures under two spellings and one under a third lock
    // the name again.
    for typed in ["sara\u{a0}", "sara\u{a0}", "\u{2000}sara", "\u{2000}sara"] {
        refused(f.login(typed, "a wrong passphrase", "000000"));
    }
    refused(f.login("sara", "a wrong passphrase", "000000"));
    assert!(matches!(
        f.login("sara", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Locked {
            retry_after_secs: 120
        })
    ));
}

#[test]
fn names_that_cannot_be_login_names_share_one_failure_count() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    for n in 0..5 {
        refused(f.login(&format!("junk name {n}!"), "a wrong passphrase", "000000"));
    }
    assert!(matches!(
        f.login("another junk name!", "a wrong passphrase", "000000"),
        Err(LoginRefused::Locked { .. })
    ));
    // A real name is not caught by the junk names' lock.
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
}

#[test]
fn a_lock_ends_and_the_next_one_lasts_twice_as_long() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    for _ in 0..5 {
        refused(f.login("sara", "a wrong passphrase", "000000"));
    }
    f.clock.advance(59);
    assert!(matches!(
        f.login("sara", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Locked {
            retry_after_secs: 1
        })
    ));
    f.clock.advance(1);
    for _ in 0..5 {
        refused(f.login("sara", "a wrong passphrase", "000000"));
    }
    assert!(matches!(
        f.login("sara", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Locked {
            retry_after_secs: 120
        })
    ));
    f.clock.advance(120);
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
}

#[test]
fn a_successful_login_clears_the_failure_count() {
    let f = fixture();
    let (_, totp) = f.enrolled("sara");
    for _ in 0..4 {
        refused(f.login("sara", "a wrong passphrase", "000000"));
    }
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
    for _ in 0..4 {
        refused(f.login("sara", "a wrong passphrase", "000000"));
    }
    f.clock.advance(30);
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
}

#[test]
fn spraying_many_names_runs_into_the_overall_bucket() {
    let f = fixture_with(&DeskConfig {
        attempts_per_minute: 10,
        ..DeskConfig::default()
    });
    let (_, totp) = f.enrolled("sara");
    for n in 0..10 {
        refused(f.login(&format!("guess{n}"), "a wrong passphrase", "000000"));
    }
    let (result, verifications) = counted(&f, "guess-next", "a wrong passphrase", "000000");
    assert!(matches!(result, Err(LoginRefused::Busy)));
    assert_eq!(verifications, 0, "a refused attempt costs no Argon2id run");
    // Six seconds give back one attempt at ten a minute.
    f.clock.advance(6);
    assert!(f.login("sara", PASSWORD, &f.code(&totp)).is_ok());
    assert!(matches!(
        f.login("sara", PASSWORD, &f.code(&totp)),
        Err(LoginRefused::Busy)
    ));
}

#[test]
fn the_failure_table_stays_bounded_and_keeps_its_locks() {
    let config = DeskConfig::default();
    let mut throttle = Throttle::new(&config).unwrap();
    let locked = throttle.name_key(Some(&LoginName::parse("sara").unwrap()));
    for _ in 0..5 {
        throttle.failed(locked, 0);
    }
    for n in 0..(MAX_TRACKED_NAMES * 3) {
        let key = throttle.name_key(Some(&LoginName::parse(&format!("spray{n}")).unwrap()));
        throttle.failed(key, 1);
    }
    assert!(throttle.names.len() <= MAX_TRACKED_NAMES);
    assert!(matches!(
        throttle.admit(locked, 2),
        Err(LoginRefused::Locked { .. })
    ));
}

#[test]
fn a_refusal_never_shows_what_was_typed() {
    let f = fixture();
    let error = f
        .login("sara.secret.name", "my secret passphrase", "123456")
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    for typed in ["sara.secret.name", "my secret passphrase", "123456"] {
        assert!(!shown.contains(typed), "{shown}");
    }
    let credential = Credential::PasswordTotp {
        login: "sara".into(),
        password: super::super::tests::secret("my secret passphrase"),
        totp_code: super::super::tests::secret("123456"),
    };
    let printed = format!("{credential:?}");
    assert!(!printed.contains("my secret passphrase") && !printed.contains("123456"));
}
