//! The languages the pages speak. A language is part of every page's path (`/sv/`, `/ar/`), picks the Fluent
//! bundle, the `lang` and `dir` attributes, and is offered as the language a visitor wants the centre's reply in.
//! Adding a language means: a variant here (and in every `match` below), a `locales/<code>.ftl` file with every
//! key Swedish has and a `# STATUS:` first line, and its source in `i18n.rs`; the tests fail until all are done.

/// A language a page can be shown in. Swedish is the centre's primary language; English is the fallback for any
/// message a locale lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Swedish (`sv`), the centre's primary language.
    #[default]
    Sv,
    /// English (`en`), also the fallback for a missing message.
    En,
    /// Arabic (`ar`), right to left.
    Ar,
    /// Persian (`fa`), right to left.
    Fa,
    /// Dari (`prs`, the ISO 639-3 code for Dari; `fa-AF` is the same language as a region of Persian), right
    /// to left.
    Prs,
    /// Pashto (`ps`), right to left.
    Ps,
    /// Sorani Kurdish (`ckb`), right to left, in Arabic script.
    Ckb,
    /// Kurmanji Kurdish (`kmr`), in Latin script.
    Kmr,
    /// Somali (`so`).
    So,
    /// Tigrinya (`ti`), in Ethiopic script: needs a system font that covers it (see the crate README).
    Ti,
    /// Turkish (`tr`).
    Tr,
}

impl Lang {
    /// Every language, in the order the language picker and the reply-language list show them: the centre's own
    /// language, English, then the right-to-left languages together, then the rest.
    pub const ALL: [Lang; 11] = [
        Lang::Sv,
        Lang::En,
        Lang::Ar,
        Lang::Fa,
        Lang::Prs,
        Lang::Ps,
        Lang::Ckb,
        Lang::Kmr,
        Lang::So,
        Lang::Ti,
        Lang::Tr,
    ];

    /// The language code used in paths (`/sv/`), in `lang` and `hreflang` attributes and in form values
    /// (ISO 639-1 where there is one; Dari, Sorani and Kurmanji have only their ISO 639-3 codes).
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Fa => "fa",
            Lang::Prs => "prs",
            Lang::Ps => "ps",
            Lang::Ckb => "ckb",
            Lang::Kmr => "kmr",
            Lang::So => "so",
            Lang::Ti => "ti",
            Lang::Tr => "tr",
        }
    }

    /// The language for a path segment or form value; `None` for anything that is not exactly one of the codes
    /// (no case folding, no region subtags: a path is either ours or not found).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The writing direction for the `dir` attribute: `"ltr"` or `"rtl"`. The style sheet uses logical
    /// properties, so a right-to-left page mirrors by itself; codes, numbers and times keep `dir="ltr"`.
    pub const fn dir(self) -> &'static str {
        match self {
            Lang::Ar | Lang::Fa | Lang::Prs | Lang::Ps | Lang::Ckb => "rtl",
            Lang::Sv | Lang::En | Lang::Kmr | Lang::So | Lang::Ti | Lang::Tr => "ltr",
        }
    }

    /// The language's name written in that language, so a visitor finds their own language whatever page they
    /// are on.
    pub const fn native_name(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Fa => "فارسی",
            Lang::Prs => "دری",
            Lang::Ps => "پښتو",
            Lang::Ckb => "کوردی (سۆرانی)",
            Lang::Kmr => "Kurdî (Kurmancî)",
            Lang::So => "Soomaali",
            Lang::Ti => "ትግርኛ",
            Lang::Tr => "Türkçe",
        }
    }

    /// Whether the translation has been reviewed by a native speaker and may be used in production. An
    /// unreviewed locale is a complete draft whose `.ftl` file starts with a `# STATUS: draft` line; a test
    /// keeps this answer and that line in step.
    pub const fn reviewed(self) -> bool {
        match self {
            Lang::Sv | Lang::En => true,
            Lang::Ar
            | Lang::Fa
            | Lang::Prs
            | Lang::Ps
            | Lang::Ckb
            | Lang::Kmr
            | Lang::So
            | Lang::Ti
            | Lang::Tr => false,
        }
    }

    /// The position in [`Lang::ALL`]; indexes per-language tables such as the Fluent bundles.
    pub(crate) const fn index(self) -> usize {
        match self {
            Lang::Sv => 0,
            Lang::En => 1,
            Lang::Ar => 2,
            Lang::Fa => 3,
            Lang::Prs => 4,
            Lang::Ps => 5,
            Lang::Ckb => 6,
            Lang::Kmr => 7,
            Lang::So => 8,
            Lang::Ti => 9,
            Lang::Tr => 10,
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
        for code in [
            "", "SV", "sv-SE", "de", "sv/", " en", "../sv", "ku", "AR", "fa-IR", "tir", "fa-AF",
            "kur",
        ] {
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
    fn arabic_persian_dari_pashto_and_sorani_are_right_to_left_and_the_others_left_to_right() {
        let rtl: Vec<&str> = Lang::ALL
            .into_iter()
            .filter(|lang| lang.dir() == "rtl")
            .map(Lang::code)
            .collect();
        assert_eq!(rtl, ["ar", "fa", "prs", "ps", "ckb"]);
    }

    #[test]
    fn swedish_is_the_default() {
        assert_eq!(Lang::default(), Lang::Sv);
    }
}
