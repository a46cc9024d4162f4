//! One information page from Markdown to HTML, refusing whatever could break the no-trace rules or lead a
//! visitor astray: raw HTML (it could load or run something), images (a page loads nothing besides itself),
//! links to other sites (a trace the exit cannot clear) and links to pages that do not exist.
//!
//! Links between pages are written by file name (`safety`), the index as `./` and the start page as `../`;
//! they are rewritten to absolute paths in the language the page is served in, so a page shown in Swedish
//! on the Arabic site still leads to Arabic pages.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag};

use porten_templates::Lang;

/// What is wrong at one place in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Problem {
    /// Raw HTML, inline or as a block.
    RawHtml,
    /// An image.
    Image,
    /// A link with a scheme, or to another host, or an absolute path.
    LeavesTheSite(String),
    /// A link to a page name that does not exist.
    NoSuchPage(String),
    /// The page does not start with its one `# Heading`, or has a second one.
    Title,
    /// A heading more than one level below the one before it.
    SkippedLevel,
}

/// Where a problem is: the line (from 1) and what.
pub(super) type Found = (usize, Problem);

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Where an internal link leads, relative to `/{lang}/`.
fn internal_target(dest: &str, page_exists: &dyn Fn(&str) -> bool) -> Result<String, Problem> {
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let leaves = || Problem::LeavesTheSite(dest.to_owned());
    if dest.starts_with("//") || path.contains(':') || path.starts_with('/') || dest.contains('?') {
        return Err(leaves());
    }
    let target = match path {
        "" => String::new(),
        "." | "./" | "index" => "info/".to_owned(),
        ".." | "../" => String::new(),
        name if page_exists(name) => format!("info/{name}"),
        _ => return Err(Problem::NoSuchPage(dest.to_owned())),
    };
    if path.is_empty() {
        // A fragment on this same page.
        return Ok(format!("#{}", fragment.unwrap_or_default()));
    }
    Ok(match fragment {
        Some(fragment) => format!("{target}#{fragment}"),
        None => target,
    })
}

/// Checks `text` and, when it is clean, renders it with links for pages served in `lang`. `page_exists` says
/// whether a page name exists (in Swedish, the fallback for every language).
pub(super) fn render(
    text: &str,
    lang: Lang,
    page_exists: &dyn Fn(&str) -> bool,
) -> Result<String, Vec<Found>> {
    let mut found = Vec::new();
    let mut events = Vec::new();
    let mut last_level: Option<HeadingLevel> = None;
    for (index, (event, range)) in Parser::new_ext(text, Options::empty())
        .into_offset_iter()
        .enumerate()
    {
        let line = line_of(text, range.start);
        let event = match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                found.push((line, Problem::RawHtml));
                continue;
            }
            Event::Start(Tag::Image { .. }) => {
                found.push((line, Problem::Image));
                continue;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let first = index == 0;
                if (level == HeadingLevel::H1) != first {
                    found.push((line, Problem::Title));
                }
                if let Some(before) = last_level {
                    if level as usize > before as usize + 1 {
                        found.push((line, Problem::SkippedLevel));
                    }
                }
                last_level = Some(level);
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match internal_target(&dest_url, page_exists) {
                Ok(target) => {
                    let href = if target.starts_with('#') {
                        target
                    } else {
                        format!("/{}/{target}", lang.code())
                    };
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(href),
                        title,
                        id,
                    })
                }
                Err(problem) => {
                    found.push((line, problem));
                    continue;
                }
            },
            other => other,
        };
        events.push(event);
    }
    if last_level.is_none() {
        found.push((1, Problem::Title));
    }
    if !found.is_empty() {
        return Err(found);
    }
    // Images and raw HTML never reach here, and link targets are paths this function wrote: the HTML writer
    // escapes every text and attribute.
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn exists(name: &str) -> bool {
        matches!(name, "safety" | "rights")
    }

    fn problems(text: &str) -> Vec<Found> {
        render(text, Lang::Sv, &exists).expect_err("refused")
    }

    #[test]
    fn links_between_pages_become_paths_in_the_language_served() {
        let html = render(
            "# Titel\n\n[Säkerhet](safety), [index](./), [start](../), [rätt](rights#barn), [här](#ner)\n",
            Lang::Ar,
            &exists,
        )
        .unwrap();
        assert!(
            html.contains(r#"<a href="/ar/info/safety">Säkerhet</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="/ar/info/">index</a>"#), "{html}");
        assert!(html.contains(r#"<a href="/ar/">start</a>"#), "{html}");
        assert!(
            html.contains(r#"<a href="/ar/info/rights#barn">rätt</a>"#),
            "{html}"
        );
        assert!(html.contains(r##"<a href="#ner">här</a>"##), "{html}");
        assert!(html.starts_with("<h1>Titel</h1>"), "{html}");
    }

    #[test]
    fn raw_html_is_refused_with_its_line_whether_block_or_inline() {
        assert_eq!(
            problems("# T\n\n<script>alert(1)</script>\n"),
            [(3, Problem::RawHtml)]
        );
        let inline = problems("# T\n\nText <b onclick=x>fet</b>\n");
        assert!(inline
            .iter()
            .all(|(line, p)| *line == 3 && *p == Problem::RawHtml));
        assert!(!inline.is_empty());
    }

    #[test]
    fn images_and_links_to_other_sites_are_refused() {
        assert_eq!(problems("# T\n\n![x](y.png)\n"), [(3, Problem::Image)]);
        for link in [
            "https://example.org",
            "http://example.org",
            "//example.org",
            "javascript:alert(1)",
            "tel:112",
            "mailto:a@b",
            "/sv/contact",
            "safety?x=1",
        ] {
            assert_eq!(
                problems(&format!("# T\n\n[a]({link})\n")),
                [(3, Problem::LeavesTheSite(link.to_owned()))],
                "{link}"
            );
        }
        assert_eq!(
            problems("# T\n\n<https://example.org>\n"),
            [(3, Problem::LeavesTheSite("https://example.org".into()))]
        );
    }

    #[test]
    fn a_link_to_a_page_that_does_not_exist_is_named() {
        assert_eq!(
            problems("# T\n\nSe [här](safty).\n"),
            [(3, Problem::NoSuchPage("safty".into()))]
        );
    }

    #[test]
    fn a_page_starts_with_its_one_title_and_never_skips_a_level() {
        assert_eq!(problems("Text\n"), [(1, Problem::Title)]);
        assert_eq!(problems("## Under\n"), [(1, Problem::Title)]);
        assert_eq!(problems("# A\n\n# B\n"), [(3, Problem::Title)]);
        assert_eq!(problems("# A\n\n### C\n"), [(3, Problem::SkippedLevel)]);
        assert!(render("# A\n\n## B\n\n### C\n\n## D\n", Lang::Sv, &exists).is_ok());
    }

    #[test]
    fn text_is_escaped() {
        let html = render("# A & B\n\n1 < 2 \"q\"\n", Lang::Sv, &exists).unwrap();
        assert!(html.contains("<h1>A &amp; B</h1>"), "{html}");
        assert!(html.contains("1 &lt; 2"), "{html}");
    }
}
