//! Fluent strings: one bundle per language, built once from the `.ftl` files embedded in the binary, and the
//! lookup every page uses. A message a locale lacks falls back to English, then to Swedish, and never to its key:
//! a visitor must not see `contact-submit` on a button.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::Lang;

/// The Fluent source of a language, embedded at build time so that pages never read files.
pub(crate) const fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => include_str!("../locales/sv.ftl"),
        Lang::En => include_str!("../locales/en.ftl"),
        Lang::Ar => include_str!("../locales/ar.ftl"),
        Lang::Fa => include_str!("../locales/fa.ftl"),
        Lang::Prs => include_str!("../locales/prs.ftl"),
        Lang::Ps => include_str!("../locales/ps.ftl"),
        Lang::Ckb => include_str!("../locales/ckb.ftl"),
        Lang::Kmr => include_str!("../locales/kmr.ftl"),
        Lang::So => include_str!("../locales/so.ftl"),
        Lang::Ti => include_str!("../locales/ti.ftl"),
        Lang::Tr => include_str!("../locales/tr.ftl"),
    }
}

/// One bundle per language, in [`Lang::ALL`] order.
pub(crate) struct Bundles {
    by_lang: Vec<FluentBundle<FluentResource>>,
}

impl Bundles {
    /// Builds a bundle for every language from `source_of`. A syntax error drops only the broken entry (Fluent
    /// parses the rest), so a typo in one string cannot take the pages down; the tests reject such errors.
    pub(crate) fn build(source_of: impl Fn(Lang) -> &'static str) -> Bundles {
        let by_lang = Lang::ALL
            .into_iter()
            .map(|lang| {
                let resource = FluentResource::try_new(source_of(lang).to_owned())
                    .unwrap_or_else(|(partial, _errors)| partial);
                let langid = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![langid]);
                // Isolation marks (U+2068/U+2069) around variables would end up in copied codes and
                // times; the pages set `dir` on the values that need it instead.
                bundle.set_use_isolating(false);
                // A duplicate id keeps the first definition; the tests reject duplicates.
                let _ = bundle.add_resource(resource);
                bundle
            })
            .collect();
        Bundles { by_lang }
    }

    fn bundle(&self, lang: Lang) -> Option<&FluentBundle<FluentResource>> {
        self.by_lang.get(lang.index())
    }

    /// Formats `id` in `lang` alone; `None` when that bundle lacks it. Formatting errors (a variable the caller
    /// did not pass) still give usable text, so they are returned for the tests to reject.
    pub(crate) fn format_in(
        &self,
        lang: Lang,
        id: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> Option<(String, usize)> {
        let bundle = self.bundle(lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        Some((text, errors.len()))
    }

    /// Formats `id` in `lang`, falling back to English and then Swedish; `None` only if no bundle has it.
    pub(crate) fn format(
        &self,
        lang: Lang,
        id: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> Option<String> {
        [lang, Lang::En, Lang::Sv]
            .into_iter()
            .find_map(|candidate| self.format_in(candidate, id, args))
            .map(|(text, _errors)| text)
    }
}

/// The bundles of the embedded locales, built on first use.
pub(crate) fn bundles() -> &'static Bundles {
    static BUNDLES: OnceLock<Bundles> = OnceLock::new();
    BUNDLES.get_or_init(|| Bundles::build(source))
}

/// The translator a page renders with: its language and the shared bundles.
#[derive(Clone, Copy)]
pub(crate) struct Tr {
    lang: Lang,
}

impl Tr {
    /// A translator for `lang`.
    pub(crate) const fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The message `id` without variables. Every literal id passed here is checked against `sv.ftl` by a test;
    /// an id no locale has gives an empty string rather than the id itself.
    pub(crate) fn msg(self, id: &str) -> String {
        bundles().format(self.lang, id, None).unwrap_or_default()
    }

    /// The message `id` with variables, e.g. `[("max", 4000.into())]`.
    pub(crate) fn msg_args(self, id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        bundles()
            .format(self.lang, id, Some(&fluent_args))
            .unwrap_or_default()
    }

    /// The message `id` if any locale has it, else `None`: for ids that come from the caller rather than from
    /// this crate (a [`crate::FieldError`]'s `message_id`), so the page can show a generic text instead.
    pub(crate) fn try_msg_args(
        self,
        id: &str,
        args: &[(&'static str, FluentValue<'_>)],
    ) -> Option<String> {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        bundles().format(self.lang, id, Some(&fluent_args))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use fluent_bundle::FluentResource;
    use std::collections::BTreeSet;

    /// The message ids defined in a Fluent source, in the order of the file: every line that starts a message
    /// (`id = ...` at the start of a line; comments start with `#`, terms with `-`, continuations with a space).
    pub(crate) fn ids(source: &str) -> Vec<String> {
        if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
            panic!("locale does not parse: {errors:?}");
        }
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(id, _)| id.trim().to_owned())
            .collect()
    }

    fn sample_args() -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        for (name, value) in [
            ("max", FluentValue::from(4000)),
            ("name", FluentValue::from("Sara")),
            ("minutes", FluentValue::from(30)),
            ("digits", FluentValue::from(16)),
            ("positions", FluentValue::from("7, 8")),
            ("days", FluentValue::from(30)),
            ("organiser", FluentValue::from("Länsstyrelsen")),
        ] {
            args.set(name, value);
        }
        args
    }

    #[test]
    fn every_locale_parses_without_errors_and_has_no_duplicate_ids() {
        for lang in Lang::ALL {
            let ids = ids(source(lang));
            let unique: BTreeSet<_> = ids.iter().collect();
            assert_eq!(
                unique.len(),
                ids.len(),
                "{} has a duplicate id",
                lang.code()
            );
        }
    }

    #[test]
    fn every_locale_has_every_swedish_message_and_no_others() {
        let swedish: BTreeSet<String> = ids(source(Lang::Sv)).into_iter().collect();
        for lang in Lang::ALL {
            let own: BTreeSet<String> = ids(source(lang)).into_iter().collect();
            let missing: Vec<_> = swedish.difference(&own).collect();
            let extra: Vec<_> = own.difference(&swedish).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(
                extra.is_empty(),
                "{} has ids Swedish lacks: {extra:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn every_message_formats_without_errors_and_without_leftover_placeholders() {
        let args = sample_args();
        for lang in Lang::ALL {
            for id in ids(source(lang)) {
                let (text, errors) = bundles()
                    .format_in(lang, &id, Some(&args))
                    .unwrap_or_else(|| panic!("{}: {id} has no value", lang.code()));
                assert_eq!(errors, 0, "{}: {id}", lang.code());
                assert!(!text.trim().is_empty(), "{}: {id} is empty", lang.code());
                assert!(!text.contains('{'), "{}: {id} = {text:?}", lang.code());
            }
        }
    }

    #[test]
    fn no_isolation_marks_around_variables() {
        let text = Tr::new(Lang::En).msg_args("thread-author-staff", &[("name", "Sara".into())]);
        assert!(text.contains("Sara"));
        assert!(
            !text.contains('\u{2068}') && !text.contains('\u{2069}'),
            "{text:?}"
        );
    }

    #[test]
    fn a_message_missing_in_a_locale_falls_back_to_english() {
        let test_bundles = Bundles::build(|lang| match lang {
            Lang::Sv => "only-sv = bara svenska\nshared = svenska\n",
            Lang::En => "only-sv = only Swedish\nonly-en = English text\nshared = English\n",
            _ => "shared = own language\n",
        });
        for lang in Lang::ALL {
            assert_eq!(
                test_bundles.format(lang, "only-en", None).as_deref(),
                Some("English text"),
                "{}",
                lang.code()
            );
        }
        assert_eq!(
            test_bundles.format(Lang::Ar, "shared", None).as_deref(),
            Some("own language")
        );
        assert_eq!(
            test_bundles.format(Lang::Sv, "only-sv", None).as_deref(),
            Some("bara svenska")
        );
        assert_eq!(
            test_bundles.format(Lang::Ti, "only-sv", None).as_deref(),
            Some("only Swedish"),
            "English before Swedish"
        );
    }

    #[test]
    fn a_message_no_locale_has_gives_no_text_never_its_id() {
        assert_eq!(bundles().format(Lang::Sv, "no-such-message", None), None);
        assert_eq!(Tr::new(Lang::Sv).msg("no-such-message"), "");
    }

    #[test]
    fn a_broken_entry_does_not_hide_the_others() {
        let test_bundles =
            Bundles::build(|_| "good = fine\nbroken = { $ }\nalso-good = still fine\n");
        assert_eq!(
            test_bundles.format(Lang::Sv, "also-good", None).as_deref(),
            Some("still fine")
        );
    }
}
