//! The `[desk]` section of the inbox configuration: where the desk's web pages are served, how long codes
//! and sessions live, how login is throttled, the teams and which visitor groups each takes, the partner
//! instances cases are passed on to, and how long a case's content is kept. Every field has a default, so an
//! inbox configuration without the section is complete.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::teams::{Partner, Teams};

/// The desk's settings. Defaults in brackets.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct DeskConfig {
    /// The address the desk's HTTPS pages listen on ["127.0.0.1:8443"]. Staff reach it on the centre's
    /// network; it is never meant for the internet.
    pub listen: String,
    /// The desk's TLS certificate chain (PEM). Without `cert` and `key` a self-signed development
    /// certificate is made in `<state_dir>/desk/dev-tls/` and a warning is logged at every start.
    pub cert: Option<PathBuf>,
    /// The private key (PEM) of `cert`.
    pub key: Option<PathBuf>,
    /// The name authenticator apps show beside a staff member's TOTP codes ["porten desk"]; the centre's
    /// name is a good choice.
    pub totp_issuer: String,
    /// How long a one-time enrolment code stays valid, in hours [72]: long enough to reach a colleague over
    /// a weekend, short enough that a forgotten code does not lie about for weeks.
    pub enrolment_hours: u32,
    /// A login session ends after this many minutes without a request [15].
    pub idle_minutes: u32,
    /// A login session ends this many hours after login, however active [8]: one working day.
    pub session_hours: u32,
    /// Failed logins for one login name before it is locked [5].
    pub lockout_after: u32,
    /// The first lock lasts this many minutes [1]; each further lock of the same name lasts twice as long
    /// as the one before, up to [`MAX_LOCK_MINUTES`].
    pub lockout_minutes: u32,
    /// Login attempts per minute over all names together [30], with bursts of up to this many.
    pub attempts_per_minute: u32,
    /// Whether a staff member sees only the cases of their own teams and those assigned to them [false].
    /// Off, everyone who works cases sees every case: right for a centre with one team. On, teams are kept
    /// apart (for example the programme for those who used violence and the team that supports the people
    /// exposed to it), and a case outside a worker's teams cannot be opened even by its address.
    pub teams_restricted: bool,
    /// Days a case's content (messages, replies, notes) is kept after the visitor's side ended (deleted by
    /// the visitor, or expired) [90]. Three months leave time to finish a referral, answer a question from
    /// the partner it went to, and account for the case, while a conversation the visitor chose to delete
    /// does not stay for years; a centre whose record-keeping duties say otherwise sets its own figure.
    /// A minimal record of the case (dates, status, who handled it) is kept for the audit trail.
    pub retention_days: u32,
    /// The teams (`[[desk.team]]`), each with the visitor groups it takes by default [none].
    pub team: Vec<TeamConfig>,
    /// The partner instances a case can be passed on to (`[[desk.partner]]`) [none].
    pub partner: Vec<PartnerConfig>,
}

/// One `[[desk.team]]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TeamConfig {
    /// The team's name, as in the accounts' team lists (`porten-inbox desk create --team …`).
    pub name: String,
    /// The name staff see [the name].
    #[serde(default)]
    pub display_name: Option<String>,
    /// The visitor groups whose first contacts go to this team: `exposed`, `relative`, `used-violence`,
    /// `professional`, `other` [none]. A group no team takes is seen by team leads, who route it by hand.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// One `[[desk.partner]]`: an instance a case can be passed on to.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PartnerConfig {
    /// A short name that stays the same (`socialtjansten-malmo`); referrals are recorded under it.
    pub name: String,
    /// The name staff see ("Socialtjänsten Malmö").
    pub display_name: String,
}

/// The longest a lock lasts, however often a name has been locked: one day.
pub(super) const MAX_LOCK_MINUTES: u32 = 24 * 60;

impl Default for DeskConfig {
    fn default() -> Self {
        DeskConfig {
            listen: "127.0.0.1:8443".into(),
            cert: None,
            key: None,
            totp_issuer: "porten desk".into(),
            enrolment_hours: 72,
            idle_minutes: 15,
            session_hours: 8,
            lockout_after: 5,
            lockout_minutes: 1,
            attempts_per_minute: 30,
            teams_restricted: false,
            retention_days: 90,
            team: Vec::new(),
            partner: Vec::new(),
        }
    }
}

impl DeskConfig {
    /// Checks the ranges; the error names the field (`desk.…`) and what is allowed.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let check = |field: &'static str, value: u32, low: u32, high: u32| {
            if (low..=high).contains(&value) {
                Ok(())
            } else {
                Err((field, format!("must be between {low} and {high}")))
            }
        };
        if self.listen_addr().is_none() {
            return Err((
                "desk.listen",
                "must be an IP address and port, such as \"127.0.0.1:8443\"".into(),
            ));
        }
        if self.cert.is_some() != self.key.is_some() {
            return Err((
                "desk.cert",
                "give both desk.cert and desk.key, or neither (for a development certificate)"
                    .into(),
            ));
        }
        let issuer = self.totp_issuer.trim();
        if issuer.is_empty()
            || issuer.chars().count() > 64
            || issuer.contains(':')
            || issuer.chars().any(char::is_control)
        {
            return Err((
                "desk.totp_issuer",
                "must be 1 to 64 characters, without ':' or control characters".into(),
            ));
        }
        check("desk.enrolment_hours", self.enrolment_hours, 1, 24 * 30)?;
        check("desk.idle_minutes", self.idle_minutes, 1, 24 * 60)?;
        check("desk.session_hours", self.session_hours, 1, 7 * 24)?;
        check("desk.lockout_after", self.lockout_after, 1, 100)?;
        check(
            "desk.lockout_minutes",
            self.lockout_minutes,
            1,
            MAX_LOCK_MINUTES,
        )?;
        check(
            "desk.attempts_per_minute",
            self.attempts_per_minute,
            1,
            10_000,
        )?;
        if u64::from(self.idle_minutes) > u64::from(self.session_hours) * 60 {
            return Err((
                "desk.idle_minutes",
                "must not be longer than session_hours".into(),
            ));
        }
        check("desk.retention_days", self.retention_days, 1, 100 * 366)?;
        self.teams()?;
        self.partners()?;
        Ok(())
    }

    /// The parsed `listen` address; `None` if it is not one (refused by [`DeskConfig::validate`]).
    pub fn listen_addr(&self) -> Option<SocketAddr> {
        self.listen.trim().parse().ok()
    }

    /// The teams and their routing, checked: see [`Teams::from_config`].
    pub(super) fn teams(&self) -> Result<Teams, (&'static str, String)> {
        Teams::from_config(&self.team)
    }

    /// The partner instances, checked: see [`Partner::from_config`].
    pub(super) fn partners(&self) -> Result<Vec<Partner>, (&'static str, String)> {
        Partner::from_config(&self.partner)
    }

    /// How long an enrolment code stays valid.
    pub fn enrolment_ttl(&self) -> Duration {
        Duration::from_secs(u64::from(self.enrolment_hours) * 3600)
    }
}
