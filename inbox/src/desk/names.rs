//! The words an account is made of, each parsed once from typed text: login name, display name, team name,
//! role. Code past the parse never meets an unchecked string.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a name was refused; the message says what a good one looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// A login name is not 2 to 64 of `a-z 0-9 . _ -`, starting with a letter or digit.
    #[error("a login name is 2 to 64 characters: letters a-z, digits, '.', '_' or '-', starting with a letter or digit")]
    Login,
    /// A display name is empty, too long or holds control characters.
    #[error("a display name is 1 to {max} characters, without control characters")]
    Display {
        /// The maximum in characters.
        max: usize,
    },
    /// A team name is empty, too long or holds control characters.
    #[error("a team name is 1 to {max} characters, without control characters")]
    Team {
        /// The maximum in characters.
        max: usize,
    },
    /// Not one of the roles.
    #[error("the role is one of: staff, team-lead, administrator")]
    Role,
}

/// The name a staff member logs in with. Lower case, so `Sara` and `sara` are one account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LoginName(String);

impl LoginName {
    /// Parses typed text: surrounding spaces are dropped and ASCII letters lowered.
    pub fn parse(text: &str) -> Result<LoginName, NameError> {
        let name = text.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        let first_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if (2..=64).contains(&name.len()) && first_ok && name.chars().all(allowed) {
            Ok(LoginName(name))
        } else {
            Err(NameError::Login)
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LoginName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest display name, in characters.
pub(super) const MAX_DISPLAY_NAME_CHARS: usize = 80;
/// The longest team name, in characters.
pub(super) const MAX_TEAM_NAME_CHARS: usize = 64;

/// The name visitors see on a staff member's replies ("Sara, socialsekreterare"). The staff member sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses typed text: surrounding spaces are dropped.
    pub fn parse(text: &str) -> Result<DisplayName, NameError> {
        bounded_text(text, MAX_DISPLAY_NAME_CHARS)
            .map(DisplayName)
            .ok_or(NameError::Display {
                max: MAX_DISPLAY_NAME_CHARS,
            })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A team a staff member belongs to, by name (teams themselves come from configuration later).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TeamName(String);

impl TeamName {
    /// Parses typed text: surrounding spaces are dropped.
    pub fn parse(text: &str) -> Result<TeamName, NameError> {
        bounded_text(text, MAX_TEAM_NAME_CHARS)
            .map(TeamName)
            .ok_or(NameError::Team {
                max: MAX_TEAM_NAME_CHARS,
            })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TeamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn bounded_text(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    let count = text.chars().count();
    ((1..=max).contains(&count) && !text.chars().any(char::is_control)).then(|| text.to_owned())
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Works cases.
    Staff,
    /// Works cases and sees and assigns all of them.
    TeamLead,
    /// Manages accounts.
    Administrator,
}

impl Role {
    /// The role's name as typed and shown: `staff`, `team-lead`, `administrator`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::TeamLead => "team-lead",
            Role::Administrator => "administrator",
        }
    }
}

impl FromStr for Role {
    type Err = NameError;

    fn from_str(text: &str) -> Result<Role, NameError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "staff" => Ok(Role::Staff),
            "team-lead" | "teamlead" | "lead" => Ok(Role::TeamLead),
            "administrator" | "admin" => Ok(Role::Administrator),
            _ => Err(NameError::Role),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn login_names_are_case_insensitive_and_plain() {
        assert_eq!(LoginName::parse(" Sara.L ").unwrap().as_str(), "sara.l");
        for bad in [
            "",
            "s",
            ".sara",
            "sara lind",
            "sära",
            "sara@centre",
            &"a".repeat(65),
        ] {
            assert_eq!(LoginName::parse(bad), Err(NameError::Login), "{bad:?}");
        }
    }

    #[test]
    fn display_names_take_any_script_but_no_control_characters() {
        assert_eq!(
            DisplayName::parse("  Sara, socialsekreterare ")
                .unwrap()
                .as_str(),
            "Sara, socialsekreterare"
        );
        assert!(DisplayName::parse("سارا").is_ok());
        assert!(DisplayName::parse("Sara\u{7}").is_err());
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"å".repeat(80)).is_ok());
        assert!(DisplayName::parse(&"å".repeat(81)).is_err());
    }

    #[test]
    fn roles_parse_from_their_names() {
        assert_eq!("team-lead".parse::<Role>(), Ok(Role::TeamLead));
        assert_eq!("Administrator".parse::<Role>(), Ok(Role::Administrator));
        assert_eq!("root".parse::<Role>(), Err(NameError::Role));
        for role in [Role::Staff, Role::TeamLead, Role::Administrator] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }
}
