//! What every locale keeps beyond having the Swedish ids: its review status stated on its first line (and the
//! same in [`Lang::reviewed`] and the README), its own script's letters, the emergency numbers as digits, and
//! the exact words of the buttons and headings its texts point to.

use super::*;
use crate::i18n::{source, Tr};

/// The `(id, value)` pairs of a Fluent source: single-line messages, as every locale here writes them.
fn messages(source: &str) -> Vec<(&str, &str)> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(" = "))
        .collect()
}

#[test]
fn every_locale_states_its_review_status_on_its_first_line_as_lang_reviewed_says() {
    for lang in Lang::ALL {
        let first = source(lang).lines().next().unwrap_or_default();
        let expected = if lang.reviewed() {
            "# STATUS: reviewed"
        } else {
            "# STATUS: draft — awaits review by a native speaker before production use"
        };
        assert_eq!(first, expected, "{}", lang.code());
    }
}

#[test]
fn the_readme_lists_every_language_with_its_review_status() {
    let readme = include_str!("../../README.md");
    for lang in Lang::ALL {
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{}` |", lang.code())))
            .unwrap_or_else(|| panic!("README has no row for {}", lang.code()));
        assert!(row.contains(lang.native_name()), "{row}");
        assert!(row.contains(&format!("| {} |", lang.dir())), "{row}");
        let status = if lang.reviewed() {
            "| reviewed |"
        } else {
            "| draft |"
        };
        assert!(row.contains(status), "{row}");
    }
}

#[test]
fn every_message_value_is_one_line() {
    for lang in Lang::ALL {
        let ids = crate::i18n::tests::ids(source(lang));
        assert_eq!(messages(source(lang)).len(), ids.len(), "{}", lang.code());
    }
}

#[test]
fn persian_and_sorani_use_their_own_letters_and_arabic_uses_arabic_ones() {
    // Arabic yeh/kaf look alike but shape, sort and search differently from the Persian and Kurdish letters; a
    // screen reader may also read them differently.
    let arabic_only = ['\u{064A}', '\u{0643}', '\u{0629}', '\u{0649}'];
    let persian_only = ['\u{06CC}', '\u{06A9}', '\u{200C}'];
    for lang in [Lang::Fa, Lang::Prs, Lang::Ckb] {
        for (id, text) in messages(source(lang)) {
            assert!(
                !text.contains(arabic_only),
                "{}: {id} has an Arabic letter: {text}",
                lang.code()
            );
        }
    }
    for (id, text) in messages(source(Lang::Ar)) {
        assert!(
            !text.contains(persian_only),
            "ar: {id} has a Persian letter: {text}"
        );
    }
}

#[test]
fn every_message_is_written_in_its_own_script() {
    let arabic_script = |c: char| ('\u{0600}'..='\u{06FF}').contains(&c);
    let ethiopic = |c: char| ('\u{1200}'..='\u{139F}').contains(&c);
    for lang in Lang::ALL {
        for (id, text) in messages(source(lang)) {
            let own = match lang.code() {
                "ar" | "fa" | "prs" | "ps" | "ckb" => text.chars().any(arabic_script),
                "ti" => text.chars().any(ethiopic),
                _ => !text.chars().any(|c| arabic_script(c) || ethiopic(c)),
            };
            assert!(own, "{}: {id} = {text}", lang.code());
        }
    }
}

#[test]
fn no_translation_is_an_untranslated_copy_of_english() {
    let english: HashMap<&str, &str> = messages(source(Lang::En)).into_iter().collect();
    for lang in Lang::ALL.into_iter().filter(|lang| *lang != Lang::En) {
        for (id, text) in messages(source(lang)) {
            assert_ne!(english.get(id), Some(&text), "{}: {id}", lang.code());
        }
    }
}

#[test]
fn every_locale_gives_the_emergency_numbers_as_plain_digits_and_keeps_the_service_names() {
    for lang in Lang::ALL {
        let t = Tr::new(lang);
        for id in [
            "emergency-call-112",
            "emergency-short",
            "contact-urgent-hint",
        ] {
            assert!(t.msg(id).contains("112"), "{}: {id}", lang.code());
        }
        assert!(t.msg("number-bris").contains("BRIS"), "{}", lang.code());
        assert!(t.msg("number-bris").contains("18"), "{}", lang.code());
        assert!(
            t.msg("number-kvinnofrid").contains("Kvinnofridslinjen"),
            "{}",
            lang.code()
        );
        assert!(
            t.msg("number-health").contains("Vårdguiden"),
            "{}",
            lang.code()
        );
    }
}

#[test]
fn texts_name_the_exit_link_buttons_and_headings_in_their_exact_words() {
    for lang in Lang::ALL {
        let t = Tr::new(lang);
        let exit = t.msg("exit-link");
        for id in ["landing-quick-exit", "thread-leave"] {
            assert!(t.msg(id).contains(&exit), "{}: {id} ≠ {exit}", lang.code());
        }
        let heading = t.msg("landing-return-heading");
        assert!(
            t.msg("code-return-how").contains(&heading),
            "{}",
            lang.code()
        );
        let send = t.msg("contact-submit");
        for id in ["error-form-expired", "error-busy"] {
            assert!(t.msg(id).contains(&send), "{}: {id}", lang.code());
        }
    }
}

#[test]
fn no_message_contains_markup_or_stray_whitespace() {
    for lang in Lang::ALL {
        for (id, text) in messages(source(lang)) {
            assert!(
                !text.contains(['<', '>', '&']),
                "{}: {id} = {text}",
                lang.code()
            );
            assert_eq!(text, text.trim(), "{}: {id}", lang.code());
            assert!(!text.contains("  "), "{}: {id}", lang.code());
        }
    }
}
