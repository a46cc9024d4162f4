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
    /// A display name is empty, too long or holds control or invisible formatting characters.
    #[error("a display name is 1 to {max} characters, without control or invisible formatting characters")]
    Display {
        /// The maximum in characters.
        max: usize,
    },
    /// A team name is empty, too long or holds control or invisible formatting characters.
    #[error(
        "a team name is 1 to {max} characters, without control or invisible formatting characters"
    )]
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
    let shown_as_typed = !text.chars().any(|c| c.is_control() || is_format(c));
    ((1..=max).contains(&count) && shown_as_typed).then(|| text.to_owned())
}

/// Unicode's format characters (general category Cf, as of Unicode 15). They are invisible, yet they reorder
/// the text around them (bidi overrides and isolates) or make two names that look the same differ
/// (zero-width characters, soft hyphen), so a name holding one would not read as what it is. The standard
/// library has no test for the category and no crate in the tree has one; the list is short and stable.
const FORMAT_CHARACTERS: [(char, char); 21] = [
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

fn is_format(c: char) -> bool {
    FORMAT_CHARACTERS
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
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

    /// Format characters an attacker would reach for: bidi embeddings, overrides and isolates, zero-width
    /// characters, word joiner and invisible operators, byte order mark, soft hyphen, Arabic letter mark,
    /// Mongolian vowel separator, interlinear annotation, tags.
    const INVISIBLE: [char; 24] = [
        '\u{202A}',
        '\u{202B}',
        '\u{202C}',
        '\u{202D}',
        '\u{202E}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{200B}',
        '\u{200C}',
        '\u{200D}',
        '\u{200E}',
        '\u{200F}',
        '\u{2060}',
        '\u{2064}',
        '\u{FEFF}',
        '\u{00AD}',
        '\u{061C}',
        '\u{180E}',
        '\u{FFF9}',
        '\u{E0001}',
        '\u{E0041}',
        '\u{E007F}',
    ];

    #[test]
    fn display_names_refuse_invisible_formatting_characters() {
        for c in INVISIBLE {
            for text in [format!("Sara{c}"), format!("{c}Sara"), format!("Sa{c}ra")] {
                assert!(
                    DisplayName::parse(&text).is_err(),
                    "{}",
                    text.escape_unicode()
                );
            }
        }
        // "Sara" shown as "araS" by a right-to-left override.
        assert!(DisplayName::parse("\u{202E}araS\u{202C}").is_err());
        // Right-to-left text needs no format character to show right.
        assert!(DisplayName::parse("سارا، مشاور").is_ok());
    }

    #[test]
    fn team_names_refuse_invisible_formatting_characters() {
        for c in INVISIBLE {
            for text in [
                format!("Stödteamet{c}"),
                format!("{c}Stödteamet"),
                format!("Stöd{c}teamet"),
            ] {
                assert!(TeamName::parse(&text).is_err(), "{}", text.escape_unicode());
            }
        }
        assert!(TeamName::parse("Stödteamet").is_ok());
    }

    #[test]
    fn login_names_refuse_invisible_formatting_characters() {
        for c in INVISIBLE {
            for text in [format!("sara{c}"), format!("{c}sara"), format!("sa{c}ra")] {
                assert_eq!(
                    LoginName::parse(&text),
                    Err(NameError::Login),
                    "{}",
                    text.escape_unicode()
                );
            }
        }
    }

    #[test]
    fn the_format_character_list_is_sorted_and_covers_only_ranges() {
        for pair in FORMAT_CHARACTERS.windows(2) {
            assert!(pair[0].1 < pair[1].0, "{pair:?}");
        }
        for (first, last) in FORMAT_CHARACTERS {
            assert!(first <= last);
        }
        assert!(!is_format('a') && !is_format(' ') && !is_format('ö') && !is_format('س'));
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
