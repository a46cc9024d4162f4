//! The information pages: Markdown the centre writes, one folder per language, checked once at start.
//!
//! `site.content_dir` names the folder (`<dir>/<lang>/<name>.md`); without it the built-in set in
//! `src/content/default/` is used. Swedish is the source: every page exists in Swedish (it is what a visitor
//! sees, with a note, when their language lacks the page), and Swedish must have `index` (the list at
//! `/{lang}/info/`) and `safety` (linked from every start page). Every problem in every file is reported at
//! once, by `porten check-config` and by `porten serve`, which refuses to start on any.

mod defaults;
mod markdown;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use porten_templates::Lang;

use markdown::Problem;

/// The pages the gateway itself links to, so they must exist in Swedish.
pub const REQUIRED: [&str; 2] = ["index", "safety"];

/// Files larger than this are refused: a page must fit in one round trip, and this is far beyond that.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// One problem in the content. Each message names the file and, where there is one, the line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContentError {
    /// The folder or a file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The folder or file.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A folder is not named after a language the pages exist in.
    #[error("{path}: not a language the pages exist in; name language folders {known}")]
    UnknownLanguage {
        /// The folder.
        path: String,
        /// The codes that are.
        known: String,
    },
    /// A file name cannot be a page name.
    #[error("{path}: name pages with lowercase letters, digits and dashes, ending in .md (e.g. `safety.md`)")]
    BadName {
        /// The file.
        path: String,
    },
    /// A file is too large.
    #[error("{path}: larger than {MAX_FILE_BYTES} bytes; split it into pages that load in one round trip")]
    TooLarge {
        /// The file.
        path: String,
    },
    /// A translation without a Swedish original.
    #[error("{path}: there is no sv/{name}.md; every page needs a Swedish version, shown when a translation is missing")]
    NoSwedish {
        /// The file.
        path: String,
        /// The page name.
        name: String,
    },
    /// A page the gateway links to is missing.
    #[error("sv/{name}.md is missing: every start page links to it")]
    Missing {
        /// The page name.
        name: &'static str,
    },
    /// Raw HTML in Markdown.
    #[error("{path}:{line}: raw HTML is not allowed; write Markdown")]
    RawHtml {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
    },
    /// An image.
    #[error("{path}:{line}: images are not allowed: every page is one request with nothing loaded besides it")]
    Image {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
    },
    /// A link away from the site.
    #[error("{path}:{line}: the link to `{target}` leaves these pages; write another site's address as plain text (a visit there leaves traces the exit cannot clear)")]
    LeavesTheSite {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
        /// The link as written.
        target: String,
    },
    /// A broken link.
    #[error("{path}:{line}: the link to `{target}` leads to no page; link to a page by its file name without .md (`safety`), to the list as `./` and to the start page as `../`")]
    BrokenLink {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
        /// The link as written.
        target: String,
    },
    /// The title is missing or doubled.
    #[error("{path}:{line}: a page starts with its title as one `# Heading`, and has no other `#` heading")]
    Title {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
    },
    /// A skipped heading level.
    #[error("{path}:{line}: this heading skips a level (use `##` under `#`, `###` under `##`)")]
    SkippedLevel {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
    },
}

/// Every problem found, one per line when shown.
#[derive(Debug)]
pub struct ContentErrors(pub Vec<ContentError>);

impl std::fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the information pages have {} problem(s):", self.0.len())?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

/// One page's Markdown in one language, and where it came from (for messages).
#[derive(Debug, Clone)]
struct Source {
    label: String,
    text: String,
}

/// The checked pages.
#[derive(Debug, Clone)]
pub struct Content {
    /// Page name → language → source. Every name has Swedish.
    pages: BTreeMap<String, BTreeMap<&'static str, Source>>,
}

/// A page ready for the template: its HTML and the language it is written in.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The body HTML, starting with its `<h1>`.
    pub html: String,
    /// The language of the text: the requested one, or Swedish.
    pub written_in: Lang,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Content {
    /// The built-in pages, or the folder `dir`; checked either way.
    pub fn load(dir: Option<&Path>) -> Result<Content, ContentErrors> {
        let mut errors = Vec::new();
        let files = match dir {
            None => defaults::FILES
                .iter()
                .map(|(lang, name, text)| {
                    (
                        (*lang).to_owned(),
                        (*name).to_owned(),
                        Source {
                            label: format!("built-in {lang}/{name}.md"),
                            text: (*text).to_owned(),
                        },
                    )
                })
                .collect(),
            Some(dir) => read_dir(dir, &mut errors),
        };
        let content = Self::check(files, &mut errors);
        if errors.is_empty() {
            Ok(content)
        } else {
            Err(ContentErrors(errors))
        }
    }

    fn check(files: Vec<(String, String, Source)>, errors: &mut Vec<ContentError>) -> Content {
        let mut pages: BTreeMap<String, BTreeMap<&'static str, Source>> = BTreeMap::new();
        for (lang, name, source) in files {
            let Some(lang) = Lang::from_code(&lang) else {
                continue;
            };
            pages.entry(name).or_default().insert(lang.code(), source);
        }
        for name in REQUIRED {
            if !pages.get(name).is_some_and(|by| by.contains_key("sv")) {
                errors.push(ContentError::Missing { name });
            }
        }
        pages.retain(|name, by_lang| {
            if by_lang.contains_key("sv") {
                return true;
            }
            for source in by_lang.values() {
                errors.push(ContentError::NoSwedish {
                    path: source.label.clone(),
                    name: name.clone(),
                });
            }
            false
        });
        let content = Content { pages };
        let exists = |name: &str| content.pages.contains_key(name);
        for by_lang in content.pages.values() {
            for source in by_lang.values() {
                if let Err(found) = markdown::render(&source.text, Lang::Sv, &exists) {
                    errors.extend(found.into_iter().map(|(line, problem)| {
                        let path = source.label.clone();
                        match problem {
                            Problem::RawHtml => ContentError::RawHtml { path, line },
                            Problem::Image => ContentError::Image { path, line },
                            Problem::LeavesTheSite(target) => {
                                ContentError::LeavesTheSite { path, line, target }
                            }
                            Problem::NoSuchPage(target) => {
                                ContentError::BrokenLink { path, line, target }
                            }
                            Problem::Title => ContentError::Title { path, line },
                            Problem::SkippedLevel => ContentError::SkippedLevel { path, line },
                        }
                    }));
                }
            }
        }
        content
    }

    /// The page names, in file-name order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pages.keys().map(String::as_str)
    }

    /// The page `name` for visitors reading `lang`: its own translation, or the Swedish text. `None` when
    /// there is no such page.
    pub fn render(&self, name: &str, lang: Lang) -> Option<Rendered> {
        let by_lang = self.pages.get(name)?;
        let (written_in, source) = match by_lang.get(lang.code()) {
            Some(source) => (lang, source),
            None => (Lang::Sv, by_lang.get("sv")?),
        };
        let exists = |name: &str| self.pages.contains_key(name);
        // Checked at load, so this cannot fail; a page that somehow does is left out rather than shown.
        let html = markdown::render(&source.text, lang, &exists).ok()?;
        Some(Rendered { html, written_in })
    }
}

/// Reads `<dir>/<lang>/<name>.md`, reporting what cannot be read or named.
fn read_dir(dir: &Path, errors: &mut Vec<ContentError>) -> Vec<(String, String, Source)> {
    let mut files = Vec::new();
    let read_error = |path: &Path, source| ContentError::Read {
        path: path.display().to_string(),
        source,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(read_error(dir, source));
            return files;
        }
    };
    let mut langs: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    langs.sort();
    for lang_dir in langs {
        let code = lang_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if code.starts_with('.') {
            continue;
        }
        if Lang::from_code(&code).is_none() {
            errors.push(ContentError::UnknownLanguage {
                path: lang_dir.display().to_string(),
                known: Lang::ALL.map(Lang::code).join(", "),
            });
            continue;
        }
        let entries = match std::fs::read_dir(&lang_dir) {
            Ok(entries) => entries,
            Err(source) => {
                errors.push(read_error(&lang_dir, source));
                continue;
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let label = path.display().to_string();
            let name = path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !valid_name(&name) {
                errors.push(ContentError::BadName { path: label });
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(meta) if meta.len() > MAX_FILE_BYTES => {
                    errors.push(ContentError::TooLarge { path: label });
                    continue;
                }
                Ok(_) => {}
                Err(source) => {
                    errors.push(read_error(&path, source));
                    continue;
                }
            }
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((code.clone(), name, Source { label, text })),
                Err(source) => errors.push(read_error(&path, source)),
            }
        }
    }
    files
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_pages_are_clean_and_complete_in_swedish_and_english() {
        let content = Content::load(None).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = content.names().collect();
        for name in [
            "index",
            "safety",
            "about",
            "abroad",
            "rights",
            "how-it-works",
            "relatives",
            "change",
            "professionals",
        ] {
            assert!(names.contains(&name), "{name}");
            for lang in [Lang::Sv, Lang::En] {
                let page = content.render(name, lang).unwrap();
                assert_eq!(page.written_in, lang, "{name} in {}", lang.code());
                assert!(page.html.starts_with("<h1>"), "{name}");
            }
        }
    }

    #[test]
    fn a_page_missing_in_a_language_is_the_swedish_one() {
        let content = Content::load(None).unwrap();
        let page = content.render("safety", Lang::Ar).unwrap();
        assert_eq!(page.written_in, Lang::Sv);
        assert!(
            page.html.contains("href=\"/ar/"),
            "links stay in the visitor's language"
        );
        assert!(content.render("no-such-page", Lang::Sv).is_none());
    }

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    const MINIMAL: [(&str, &str); 2] = [
        ("sv/index.md", "# Information\n\n- [Säkerhet](safety)\n"),
        (
            "sv/safety.md",
            "# Säkerhet\n\nTillbaka till [listan](./).\n",
        ),
    ];

    #[test]
    fn a_folder_replaces_the_built_in_pages() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &MINIMAL);
        write(
            dir.path(),
            &[("en/safety.md", "# Safety\n"), ("README.txt", "notes")],
        );
        let content = Content::load(Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(content.names().collect::<Vec<_>>(), ["index", "safety"]);
        assert_eq!(
            content.render("safety", Lang::En).unwrap().html,
            "<h1>Safety</h1>\n"
        );
        assert_eq!(
            content.render("index", Lang::En).unwrap().written_in,
            Lang::Sv
        );
    }

    #[test]
    fn every_problem_in_every_file_is_reported_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "sv/index.md",
                    "# Information\n\n- [Säkerhet](safety)\n- [Fel](saftey)\n",
                ),
                ("en/orphan.md", "# Orphan\n"),
                ("en/raw.md", "# Raw\n"),
                ("sv/raw.md", "# Rå\n\n<iframe src=x></iframe>\n"),
                ("sv/Bad Name.md", "# x\n"),
                ("xx/index.md", "# x\n"),
                ("sv/away.md", "# Bort\n\nSe [BRIS](https://www.bris.se).\n"),
            ],
        );
        let errors = Content::load(Some(dir.path())).unwrap_err();
        let text = errors.to_string();
        for expected in [
            "sv/safety.md is missing",
            "index.md:4: the link to `saftey` leads to no page",
            "orphan.md: there is no sv/orphan.md",
            "sv/raw.md:3: raw HTML is not allowed",
            "Bad Name.md: name pages with lowercase",
            "xx: not a language",
            "sv/away.md:3: the link to `https://www.bris.se` leaves these pages",
        ] {
            assert!(text.contains(expected), "{expected:?} not in:\n{text}");
        }
        assert_eq!(
            errors.0.len(),
            8,
            "{text}: and the link to the missing safety page"
        );
    }

    #[test]
    fn a_missing_folder_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let errors = Content::load(Some(&dir.path().join("nope"))).unwrap_err();
        assert!(errors.to_string().contains("cannot read"), "{errors}");
    }
}
