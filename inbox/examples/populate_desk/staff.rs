//! The centre's staff: a lead and a few staff per configured team and an administrator, created and
//! enrolled as an administrator and each staff member would (the TOTP code computed here, RFC 6238 with
//! HMAC-SHA1), and who works which case.

use data_encoding::BASE32_NOPAD;
use porten_inbox::{
    AccountId, Clock, Desk, DisplayName, LoginName, ManualClock, NewAccount, Role, TeamName,
};
use porten_protocol::envelope::Group;
use porten_protocol::secret::Sensitive;
use ring::hmac;

use super::plan::Rng;
use super::Failure;

/// Login names, numbered when there are more staff than names.
const NAMES: [&str; 16] = [
    "sara", "omar", "lena", "kim", "amina", "johan", "leyla", "nils", "hanna", "dara", "maria",
    "yusuf", "elin", "reza", "frida", "ali",
];

/// The centre's staff, by team.
pub(crate) struct Staff {
    /// The team each visitor group goes to (by its place in `Group::ALL`), as the configuration routes it.
    pub(crate) routes: Vec<Option<usize>>,
    /// Per team: its lead, then its staff.
    members: Vec<Vec<AccountId>>,
    /// The account of `--mine`.
    pub(crate) mine: AccountId,
    /// Accounts made here.
    pub(crate) count: usize,
}

impl Staff {
    /// Creates and enrols a lead and staff for each configured team, and an administrator.
    pub(crate) fn enrol(
        desk: &Desk,
        clock: &ManualClock,
        mine: AccountId,
    ) -> Result<Staff, Failure> {
        let teams: Vec<TeamName> = desk
            .cases
            .teams()
            .all()
            .iter()
            .map(|team| team.name.clone())
            .collect();
        if teams.is_empty() {
            return Err(
                "the configuration has no [[desk.team]]; the mix needs at least one".into(),
            );
        }
        let mut names = NAMES.iter().cycle().enumerate();
        let mut next_name = || {
            names
                .next()
                .map(|(n, name)| format!("{name}-{}", n / NAMES.len() + 1))
                .unwrap_or_default()
        };
        let mut members = Vec::new();
        let mut count = 0;
        for (index, team) in teams.iter().enumerate() {
            let size = [6, 3, 2].get(index).copied().unwrap_or(2);
            let mut people = vec![enrol_one(
                desk,
                clock,
                &next_name(),
                Role::TeamLead,
                vec![team.clone()],
            )?];
            for _ in 0..size {
                people.push(enrol_one(
                    desk,
                    clock,
                    &next_name(),
                    Role::Staff,
                    vec![team.clone()],
                )?);
            }
            count += people.len();
            members.push(people);
        }
        enrol_one(
            desk,
            clock,
            "administrator",
            Role::Administrator,
            Vec::new(),
        )?;
        let routes = Group::ALL
            .iter()
            .map(|&group| {
                let team = desk.cases.teams().route(group)?;
                teams.iter().position(|name| name == team)
            })
            .collect();
        Ok(Staff {
            routes,
            members,
            mine,
            count: count + 1,
        })
    }

    pub(crate) fn lead(&self, team: usize) -> AccountId {
        self.members[team][0]
    }

    /// Who works a case of `team`: now and then the account of `--mine`, else anyone in the team (its
    /// lead less often).
    pub(crate) fn worker(&self, team: usize, rng: &mut Rng) -> AccountId {
        if rng.chance(0.06) {
            return self.mine;
        }
        let people = &self.members[team];
        if rng.chance(0.1) {
            people[0]
        } else {
            rng.pick(&people[1..])
        }
    }
}

/// Creates one account and enrols it as its owner would: the code, the secret, a password and a code
/// from the authenticator (computed here, RFC 6238 with HMAC-SHA1).
fn enrol_one(
    desk: &Desk,
    clock: &ManualClock,
    login: &str,
    role: Role,
    teams: Vec<TeamName>,
) -> Result<AccountId, Failure> {
    let display = format!(
        "{}, kurator",
        capitalised(login.split('-').next().unwrap_or(login))
    );
    let invitation = desk.accounts.create(NewAccount {
        login: LoginName::parse(login)?,
        display_name: DisplayName::parse(&display)?,
        role,
        teams,
    })?;
    let start = desk.accounts.begin_enrolment(invitation.code.expose())?;
    let secret = BASE32_NOPAD.decode(start.secret_text().expose().as_bytes())?;
    let mut password = [0u8; 24];
    porten_protocol::fill_random(&mut password);
    let account = desk.accounts.complete_enrolment(
        invitation.code.expose(),
        Sensitive::new(hex::encode(password)),
        &totp(&secret, clock.now()),
    )?;
    Ok(account.id)
}

fn totp(secret: &[u8], now: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let step = (now.max(0) as u64) / 30;
    let mac = hmac::sign(&key, &step.to_be_bytes());
    let mac = mac.as_ref();
    let offset = usize::from(mac[19] & 0x0f);
    let mut four = [0u8; 4];
    four.copy_from_slice(&mac[offset..offset + 4]);
    format!(
        "{:06}",
        (u32::from_be_bytes(four) & 0x7fff_ffff) % 1_000_000
    )
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
