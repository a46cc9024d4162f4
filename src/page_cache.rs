//! Pages rendered once and kept: the information pages, whole, at start; and pages that are the same for
//! every visitor, or differ only by their form token, once per language on first use.
//!
//! The landing page and the empty contact form are most of what visitors load, and rendering them (Fluent
//! look-ups, HTML escaping of every string) was a quarter of the gateway's CPU time per page. Each is rendered
//! once with a placeholder where the token goes, split there, and later answered by joining the two halves
//! around a fresh token; a page without a form token is kept whole. A cached page is dropped when the onion
//! address it shows changes. The information pages carry no token and no onion address, so they are rendered
//! for every offered language before the gateway listens, and a request only clones a reference-counted
//! buffer.

use std::collections::HashMap;
use std::sync::RwLock;

use bytes::Bytes;
use porten_templates::{Centre, Lang};

use crate::config::Config;
use crate::content::Content;

/// The pages kept. Each names one rendering: the start page at `/{lang}/contact` and the contact form it
/// opens share a path, not a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CachedPage {
    /// The landing page.
    Landing,
    /// The page with the button that opens the contact form (`GET /{lang}/contact`).
    StartWrite,
    /// The page with the button that opens the code form (`GET /{lang}/return`).
    StartReturn,
    /// The empty contact form (an empty `POST /{lang}/contact`), with its token.
    ContactForm,
}

/// Stands where the token goes while a page is rendered for the cache. It cannot occur in a page otherwise.
/// A page in which it does not occur is kept whole; one in which it occurs more than once is not cached.
const SLOT: &str = "porten:form-token-slot";

struct Cached {
    onion: Option<String>,
    before: String,
    /// `None` for a page without a form token.
    after: Option<String>,
}

/// The cache, shared by all connections.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<(CachedPage, Lang), Cached>>,
    /// (language, page name) → the whole information page.
    info: HashMap<(Lang, String), Bytes>,
    centre: Centre,
}

impl PageCache {
    /// A cache holding every information page in every offered language, and what the pages say about the
    /// centre.
    pub fn build(config: &Config, content: &Content) -> PageCache {
        let centre = config.centre();
        let mut info = HashMap::new();
        for lang in centre.languages.iter().copied() {
            for name in content.names() {
                let Some(rendered) = content.render(name, lang) else {
                    continue;
                };
                let is_index = name == "index";
                let path = if is_index {
                    "info/".to_owned()
                } else {
                    format!("info/{name}")
                };
                let site = porten_templates::Site {
                    lang,
                    title: &config.site.title,
                    centre_name: &config.site.centre_name,
                    onion_address: None,
                    path_after_lang: &path,
                    centre: &centre,
                    keep: None,
                };
                let html = porten_templates::info(
                    &site,
                    &porten_templates::InfoPage {
                        body_html: &rendered.html,
                        written_in: rendered.written_in,
                        is_index,
                    },
                );
                info.insert((lang, name.to_owned()), Bytes::from(html));
            }
        }
        PageCache {
            pages: RwLock::default(),
            info,
            centre,
        }
    }

    /// What the pages say about the centre.
    pub fn centre(&self) -> &Centre {
        &self.centre
    }

    /// The information page `name` (`index` for the list) in `lang`, if there is one.
    pub fn info(&self, lang: Lang, name: &str) -> Option<Bytes> {
        self.info.get(&(lang, name.to_owned())).cloned()
    }

    /// Whether `lang` is offered.
    pub fn offers(&self, lang: Lang) -> bool {
        self.centre.languages.contains(&lang)
    }

    /// The page for `token`: from the cache, or rendered by `render` (given the token to put in) and cached.
    pub fn page(
        &self,
        page: CachedPage,
        lang: Lang,
        onion: Option<&str>,
        token: &str,
        render: impl Fn(&str) -> String,
    ) -> String {
        if let Ok(pages) = self.pages.read() {
            if let Some(cached) = pages.get(&(page, lang)) {
                if cached.onion.as_deref() == onion {
                    return match &cached.after {
                        Some(after) => [cached.before.as_str(), token, after.as_str()].concat(),
                        None => cached.before.clone(),
                    };
                }
            }
        }
        let template = render(SLOT);
        let mut parts = template.split(SLOT);
        let (before, after, joined) = match (parts.next(), parts.next(), parts.next()) {
            (Some(before), Some(after), None) => {
                (before, Some(after), [before, token, after].concat())
            }
            (Some(whole), None, None) => (whole, None, whole.to_owned()),
            _ => return render(token),
        };
        if let Ok(mut pages) = self.pages.write() {
            pages.insert(
                (page, lang),
                Cached {
                    onion: onion.map(str::to_owned),
                    before: before.to_owned(),
                    after: after.map(str::to_owned),
                },
            );
        }
        joined
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_cached_page_is_the_rendered_page_with_the_new_token() {
        let cache = PageCache::default();
        let renders = Cell::new(0);
        let render = |token: &str| {
            renders.set(renders.get() + 1);
            format!("<form><input name=\"token\" value=\"{token}\"></form>")
        };
        let first = cache.page(CachedPage::Landing, Lang::Sv, None, "AAA", render);
        let second = cache.page(CachedPage::Landing, Lang::Sv, None, "BBB", render);
        assert_eq!(first, render("AAA"));
        assert_eq!(second, render("BBB"));
        assert_eq!(
            renders.get(),
            3,
            "one render for the cache, then only the two checks above"
        );
    }

    #[test]
    fn a_new_onion_address_renders_the_page_again() {
        let cache = PageCache::default();
        let page = |onion: Option<&str>, token: &str| {
            cache.page(CachedPage::Landing, Lang::En, onion, token, |t| {
                format!("{} {t}", onion.unwrap_or("none"))
            })
        };
        assert_eq!(page(None, "A"), "none A");
        assert_eq!(page(Some("x.onion"), "B"), "x.onion B");
        assert_eq!(page(Some("x.onion"), "C"), "x.onion C");
    }

    #[test]
    fn information_pages_are_built_for_every_offered_language_and_no_other() {
        let config = Config::parse("[site]\nlanguages = [\"sv\", \"ar\"]\n").expect("config");
        let content = Content::load(None).expect("built-in content");
        let cache = PageCache::build(&config, &content);
        let page = cache.info(Lang::Ar, "safety").expect("Arabic safety page");
        let html = std::str::from_utf8(&page).expect("utf-8");
        assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(
            html.contains(r#"<div lang="sv" dir="ltr"><h1>"#),
            "shown in Swedish"
        );
        assert!(cache.info(Lang::Sv, "index").is_some());
        assert!(
            cache.info(Lang::En, "safety").is_none(),
            "English is not offered"
        );
        assert!(cache.info(Lang::Sv, "nothing").is_none());
        assert!(cache.offers(Lang::Ar) && !cache.offers(Lang::En));
    }

    #[test]
    fn a_page_with_two_slots_is_rendered_every_time() {
        let cache = PageCache::default();
        let twice = |token: &str| format!("{token}|{token}");
        assert_eq!(
            cache.page(CachedPage::ContactForm, Lang::Sv, None, "T", twice),
            "T|T"
        );
        assert_eq!(
            cache.page(CachedPage::ContactForm, Lang::Sv, None, "U", twice),
            "U|U"
        );
    }

    #[test]
    fn a_page_without_a_token_is_rendered_once_and_kept_whole() {
        let cache = PageCache::default();
        let renders = Cell::new(0);
        let render = |_: &str| {
            renders.set(renders.get() + 1);
            "<p>the same for everyone</p>".to_owned()
        };
        for _ in 0..3 {
            let page = cache.page(CachedPage::Landing, Lang::Sv, None, "", render);
            assert_eq!(page, "<p>the same for everyone</p>");
        }
        assert_eq!(renders.get(), 1);
    }
}
