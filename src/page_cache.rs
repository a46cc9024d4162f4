//! Pages that differ between requests only by their form token, rendered once per language and kept.
//!
//! The landing page and the empty contact form are most of what visitors load, and rendering them (Fluent
//! look-ups, HTML escaping of every string) was a quarter of the gateway's CPU time per page. Each is rendered
//! once with a placeholder where the token goes, split there, and later answered by joining the two halves
//! around a fresh token. A cached page is dropped when the onion address it shows changes.

use std::collections::HashMap;
use std::sync::RwLock;

use porten_templates::Lang;

/// A page that may be cached: its name tells it apart from the other cached pages.
pub trait CachedPage: Copy {
    /// A name unique among the pages that are cached.
    fn cache_name(self) -> &'static str;
}

/// Stands where the token goes while a page is rendered for the cache. It cannot occur in a page otherwise,
/// and a page in which it does not occur exactly once is simply not cached.
const SLOT: &str = "porten:form-token-slot";

struct Cached {
    onion: Option<String>,
    before: String,
    after: String,
}

/// The cache, shared by all connections.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<(&'static str, Lang), Cached>>,
}

impl PageCache {
    /// The page for `token`: from the cache, or rendered by `render` (given the token to put in) and cached.
    pub fn page(
        &self,
        page: impl CachedPage,
        lang: Lang,
        onion: Option<&str>,
        token: &str,
        render: impl Fn(&str) -> String,
    ) -> String {
        if let Ok(pages) = self.pages.read() {
            if let Some(cached) = pages.get(&(page.cache_name(), lang)) {
                if cached.onion.as_deref() == onion {
                    return [cached.before.as_str(), token, cached.after.as_str()].concat();
                }
            }
        }
        let template = render(SLOT);
        let mut parts = template.split(SLOT);
        let (Some(before), Some(after), None) = (parts.next(), parts.next(), parts.next()) else {
            return render(token);
        };
        let joined = [before, token, after].concat();
        if let Ok(mut pages) = self.pages.write() {
            pages.insert(
                (page.cache_name(), lang),
                Cached {
                    onion: onion.map(str::to_owned),
                    before: before.to_owned(),
                    after: after.to_owned(),
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

    #[derive(Clone, Copy)]
    enum Page {
        Landing,
        Contact,
    }

    impl CachedPage for Page {
        fn cache_name(self) -> &'static str {
            match self {
                Page::Landing => "landing",
                Page::Contact => "contact",
            }
        }
    }

    #[test]
    fn a_cached_page_is_the_rendered_page_with_the_new_token() {
        let cache = PageCache::default();
        let renders = Cell::new(0);
        let render = |token: &str| {
            renders.set(renders.get() + 1);
            format!("<form><input name=\"token\" value=\"{token}\"></form>")
        };
        let first = cache.page(Page::Landing, Lang::Sv, None, "AAA", render);
        let second = cache.page(Page::Landing, Lang::Sv, None, "BBB", render);
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
            cache.page(Page::Landing, Lang::En, onion, token, |t| {
                format!("{} {t}", onion.unwrap_or("none"))
            })
        };
        assert_eq!(page(None, "A"), "none A");
        assert_eq!(page(Some("x.onion"), "B"), "x.onion B");
        assert_eq!(page(Some("x.onion"), "C"), "x.onion C");
    }

    #[test]
    fn a_page_without_exactly_one_slot_is_rendered_every_time() {
        let cache = PageCache::default();
        let twice = |token: &str| format!("{token}|{token}");
        assert_eq!(cache.page(Page::Contact, Lang::Sv, None, "T", twice), "T|T");
        assert_eq!(cache.page(Page::Contact, Lang::Sv, None, "U", twice), "U|U");
    }
}
