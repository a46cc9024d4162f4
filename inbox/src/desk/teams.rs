//! Teams and routing, and the partner instances cases are passed on to, parsed once from the `[desk]`
//! configuration. A first contact goes to the team that takes its visitor group; a group no team takes
//! stays without a team, where team leads see it and route it by hand.

use porten_protocol::envelope::Group;

use super::config::{PartnerConfig, TeamConfig};
use super::names::{TeamName, MAX_DISPLAY_NAME_CHARS};

/// A configured team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Its name, as in the accounts' team lists.
    pub name: TeamName,
    /// The name staff see.
    pub display_name: String,
    /// The visitor groups it takes by default.
    pub groups: Vec<Group>,
}

/// The configured teams, with at most one team per visitor group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Teams(Vec<Team>);

impl Teams {
    /// Checks `[[desk.team]]`: every name a valid team name and listed once, every group one of the
    /// envelope's groups and taken by at most one team. The error names the field and the team.
    pub(super) fn from_config(config: &[TeamConfig]) -> Result<Teams, (&'static str, String)> {
        let mut teams: Vec<Team> = Vec::with_capacity(config.len());
        for entry in config {
            let name = TeamName::parse(&entry.name)
                .map_err(|error| ("desk.team.name", format!("{:?}: {error}", entry.name)))?;
            if teams.iter().any(|team| team.name == name) {
                return Err(("desk.team.name", format!("the team {name} is listed twice")));
            }
            let display_name = match &entry.display_name {
                None => name.as_str().to_owned(),
                Some(text) => bounded(text, MAX_DISPLAY_NAME_CHARS).ok_or_else(|| {
                    (
                        "desk.team.display_name",
                        format!(
                            "team {name}: must be 1 to {MAX_DISPLAY_NAME_CHARS} characters, \
                             without control characters"
                        ),
                    )
                })?,
            };
            let mut groups = Vec::with_capacity(entry.groups.len());
            for text in &entry.groups {
                let group = Group::from_str_opt(text.trim()).ok_or_else(|| {
                    (
                        "desk.team.groups",
                        format!(
                            "team {name}: {text:?} is not a visitor group; the groups are {}",
                            Group::ALL.map(Group::as_str).join(", ")
                        ),
                    )
                })?;
                if let Some(other) = teams.iter().find(|team| team.groups.contains(&group)) {
                    return Err((
                        "desk.team.groups",
                        format!(
                            "the group {} is routed to both {} and {name}; a group goes to one team",
                            group.as_str(),
                            other.name
                        ),
                    ));
                }
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
            teams.push(Team {
                name,
                display_name,
                groups,
            });
        }
        Ok(Teams(teams))
    }

    /// The team that takes first contacts of `group`, if any.
    pub fn route(&self, group: Group) -> Option<&TeamName> {
        self.0
            .iter()
            .find(|team| team.groups.contains(&group))
            .map(|team| &team.name)
    }

    /// The team named `name`, if it is configured.
    pub fn get(&self, name: &TeamName) -> Option<&Team> {
        self.0.iter().find(|team| &team.name == name)
    }

    /// Every team, in configuration order.
    pub fn all(&self) -> &[Team] {
        &self.0
    }
}

/// A partner instance a case can be passed on to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    /// The name referrals are recorded under; it stays the same.
    pub name: String,
    /// The name staff see.
    pub display_name: String,
}

/// The longest partner name, in characters.
const MAX_PARTNER_NAME_CHARS: usize = 64;

impl Partner {
    /// Checks `[[desk.partner]]`: names short and listed once, display names like an account's.
    pub(super) fn from_config(
        config: &[PartnerConfig],
    ) -> Result<Vec<Partner>, (&'static str, String)> {
        let mut partners: Vec<Partner> = Vec::with_capacity(config.len());
        for entry in config {
            let name = bounded(&entry.name, MAX_PARTNER_NAME_CHARS).ok_or_else(|| {
                (
                    "desk.partner.name",
                    format!(
                        "{:?}: must be 1 to {MAX_PARTNER_NAME_CHARS} characters, without control \
                         characters",
                        entry.name
                    ),
                )
            })?;
            if partners.iter().any(|partner| partner.name == name) {
                return Err((
                    "desk.partner.name",
                    format!("the partner {name} is listed twice"),
                ));
            }
            let display_name =
                bounded(&entry.display_name, MAX_DISPLAY_NAME_CHARS).ok_or_else(|| {
                    (
                        "desk.partner.display_name",
                        format!(
                            "partner {name}: must be 1 to {MAX_DISPLAY_NAME_CHARS} characters, \
                             without control characters"
                        ),
                    )
                })?;
            partners.push(Partner { name, display_name });
        }
        Ok(partners)
    }
}

fn bounded(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    let count = text.chars().count();
    ((1..=max).contains(&count) && !text.chars().any(char::is_control)).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::config::DeskConfig;
    use super::*;

    fn team(name: &str, groups: &[&str]) -> TeamConfig {
        TeamConfig {
            name: name.into(),
            display_name: None,
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        }
    }

    #[test]
    fn each_group_routes_to_the_team_that_takes_it() {
        let teams = Teams::from_config(&[
            team("Stödteamet", &["exposed", "relative"]),
            team("Förändringsprogrammet", &["used-violence"]),
        ])
        .unwrap();
        assert_eq!(teams.route(Group::Relative).unwrap().as_str(), "Stödteamet");
        assert_eq!(
            teams.route(Group::UsedViolence).unwrap().as_str(),
            "Förändringsprogrammet"
        );
        assert_eq!(teams.route(Group::Professional), None);
    }

    #[test]
    fn an_unknown_group_a_duplicate_team_and_a_group_routed_twice_are_refused_with_the_field() {
        let unknown = Teams::from_config(&[team("Stödteamet", &["perpetrator"])]).unwrap_err();
        assert_eq!(unknown.0, "desk.team.groups");
        assert!(unknown.1.contains("used-violence"), "{}", unknown.1);

        let duplicate =
            Teams::from_config(&[team("Stödteamet", &[]), team(" Stödteamet ", &[])]).unwrap_err();
        assert_eq!(duplicate.0, "desk.team.name");

        let twice =
            Teams::from_config(&[team("A", &["exposed"]), team("B", &["other", "exposed"])])
                .unwrap_err();
        assert_eq!(twice.0, "desk.team.groups");
        assert!(twice.1.contains("exposed"), "{}", twice.1);

        let partners = Partner::from_config(&[
            PartnerConfig {
                name: "soc".into(),
                display_name: "Socialtjänsten".into(),
            },
            PartnerConfig {
                name: "soc".into(),
                display_name: "Socialtjänsten igen".into(),
            },
        ])
        .unwrap_err();
        assert_eq!(partners.0, "desk.partner.name");
    }

    #[test]
    fn teams_and_partners_are_read_from_the_desk_section() {
        let config: DeskConfig = toml::from_str(
            r#"
            teams_restricted = true
            [[team]]
            name = "Stödteamet"
            display_name = "Stöd till utsatta"
            groups = ["exposed", "relative"]
            [[team]]
            name = "Förändringsprogrammet"
            groups = ["used-violence"]
            [[partner]]
            name = "socialtjansten"
            display_name = "Socialtjänsten"
            "#,
        )
        .unwrap();
        config.validate().unwrap();
        assert!(config.teams_restricted);
        assert_eq!(config.retention_days, 90);
        let teams = config.teams().unwrap();
        assert_eq!(teams.all().len(), 2);
        assert_eq!(teams.all()[0].display_name, "Stöd till utsatta");
        assert_eq!(config.partners().unwrap()[0].display_name, "Socialtjänsten");

        let bad: DeskConfig =
            toml::from_str("[[team]]\nname = \"A\"\ngroups = [\"all\"]\n").unwrap();
        assert_eq!(bad.validate().unwrap_err().0, "desk.team.groups");
    }
}
