//! The languages the pages speak. A language is part of every page's path (`/sv/`, `/en/`), picks the Fluent
//! bundle, the `lang` and `dir` attributes, and is offered as the language a visitor wants the centre's reply in.
//! Adding a language means: a variant here (and in every `match` below), a `locales/<code>.ftl` file with every
//! key Swedish has, and its bundle in `i18n.rs`; the tests fail until all three are done.

/// A language a page can be shown in. Swedish is the centre's primary language; English is the fallback for any
/// message a locale lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Swedish (`sv`), the centre's primary language.
    #[default]
    Sv,
    /// English (`en`), also the fallback for a missing message.
    En,
}

impl Lang {
    /// Every language, in the order the language picker and the reply-language list show them.
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    /// The language code used in paths (`/sv/`), in `lang` and `hreflang` attributes and in form values.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The language for a path segment or form value; `None` for anything that is not exactly one of the codes
    /// (no case folding, no region subtags: a path is either ours or not found).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The writing direction for the `dir` attribute: `"ltr"` or `"rtl"`. Arabic, Persian and Sorani (planned)
    /// will answer `"rtl"`; the style sheet uses logical properties so the layout mirrors by itself.
    pub const fn dir(self) -> &'static str {
        match self {
            Lang::Sv | Lang::En => "ltr",
        }
    }

    /// The language's name written in that language, so a visitor finds their own language whatever page they
    /// are on.
    pub const fn native_name(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::En => "English",
        }
    }

    /// The position in [`Lang::ALL`]; indexes per-language tables such as the Fluent bundles.
    pub(crate) const fn index(self) -> usize {
        match self {
            Lang::Sv => 0,
            Lang::En => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_round_trips_through_its_code() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }

    #[test]
    fn unknown_or_differently_cased_codes_are_not_languages() {
        for code in ["", "SV", "sv-SE", "de", "sv/", " en", "../sv"] {
            assert_eq!(Lang::from_code(code), None, "{code:?}");
        }
    }

    #[test]
    fn index_is_the_position_in_all() {
        for (position, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang.index(), position);
        }
    }

    #[test]
    fn direction_is_ltr_or_rtl_and_names_are_distinct() {
        let mut names = std::collections::HashSet::new();
        for lang in Lang::ALL {
            assert!(matches!(lang.dir(), "ltr" | "rtl"));
            assert!(names.insert(lang.native_name()));
        }
    }

    #[test]
    fn swedish_is_the_default() {
        assert_eq!(Lang::default(), Lang::Sv);
    }
}
