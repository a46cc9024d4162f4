//! The rules every page keeps, on every page in every language and state: the exit link first, nothing that
//! loads or runs, the inline style matching its CSP hash, one neutral title, labels and references that point
//! somewhere, forms that post here with a token, and visitor text escaped.

use super::*;

#[test]
fn exit_link_is_the_first_focusable_element_of_every_page() {
    for (lang, name, html) in every_page() {
        let first = body_tags(&html)
            .into_iter()
            .find(Tag::is_focusable)
            .unwrap_or_else(|| panic!("{name}: nothing focusable"));
        assert_eq!(first.name, "a", "{name}");
        assert_eq!(first.attr("href"), Some("/exit"), "{name}: {first:?}");
        assert_eq!(first.attr("rel"), Some("noreferrer"), "{name}");
        assert_eq!(first.attr("class"), Some("exit"), "{name}");
        let text = crate::i18n::Tr::new(lang).msg("exit-link");
        assert!(html.contains(&format!(">{text}</a>")), "{name}");
    }
}

#[test]
fn exit_link_is_the_first_element_in_the_body() {
    for (_, name, html) in every_page() {
        let tags = body_tags(&html);
        let names: Vec<_> = tags.iter().take(3).map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["body", "nav", "a"], "{name}");
        assert_eq!(tags.get(1).and_then(|t| t.attr("class")), Some("exit-bar"));
    }
}

#[test]
fn exit_landmark_is_announced_once_by_its_link_alone() {
    for (_, name, html) in every_page() {
        let tags = body_tags(&html);
        let bar = tags.get(1).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(bar.attr("class"), Some("exit-bar"), "{name}");
        assert_eq!(
            bar.attr("aria-label"),
            None,
            "{name}: the label would repeat the link"
        );
        assert_eq!(bar.attr("aria-labelledby"), None, "{name}");
    }
}

#[test]
fn no_page_asks_the_browser_to_validate_in_its_own_language() {
    for (_, name, html) in every_page() {
        for tag in tags(&html) {
            for attr in ["required", "maxlength", "minlength", "pattern"] {
                if tag.name == "input" && tag.attr("type") == Some("radio") && attr == "required" {
                    // The contact form's group radios still carry `required` (pages/contact.rs, outside this change).
                    continue;
                }
                assert!(
                    !tag.attrs.contains_key(attr),
                    "{name}: {attr} on <{}>",
                    tag.name
                );
            }
        }
    }
}

#[test]
fn unreviewed_languages_say_so_on_every_page_and_reviewed_ones_do_not() {
    for (lang, name, html) in every_page() {
        let note = crate::i18n::Tr::new(lang).msg("draft-note");
        assert_eq!(
            html.contains(&note),
            !lang.reviewed(),
            "{} {name}",
            lang.code()
        );
    }
}

#[test]
fn no_page_runs_or_loads_anything() {
    for (_, name, html) in every_page() {
        let lower = html.to_ascii_lowercase();
        for forbidden in [
            "<script",
            "http://",
            "https://",
            "javascript:",
            "<img",
            "<iframe",
            "<object",
            "<embed",
            "<video",
            "<audio",
            "<source",
            "<base",
            "<meta http-equiv",
            "url(",
            "@import",
            "autofocus",
        ] {
            assert!(!lower.contains(forbidden), "{name} contains {forbidden:?}");
        }
        for tag in tags(&html) {
            assert!(
                !tag.attrs.contains_key("src"),
                "{name}: src on <{}>",
                tag.name
            );
            assert!(
                !tag.attrs.contains_key("style"),
                "{name}: inline style attribute"
            );
            assert!(
                !tag.attrs.keys().any(|key| key.starts_with("on")),
                "{name}: event handler on <{}>",
                tag.name
            );
            if let Some(href) = tag.attr("href") {
                let local =
                    (href.starts_with('/') && !href.starts_with("//")) || href.starts_with('#');
                let icon = tag.name == "link" && href == "data:,";
                assert!(local || icon, "{name}: link to {href:?}");
            }
            if tag.name == "link" {
                assert_eq!(tag.attr("rel"), Some("icon"), "{name}");
                assert_eq!(tag.attr("href"), Some("data:,"), "{name}");
            }
        }
    }
}

#[test]
fn the_only_style_is_the_inline_one_its_csp_hash_allows() {
    let expected = {
        let digest = ring::digest::digest(&ring::digest::SHA256, STYLE.as_bytes());
        use base64::Engine as _;
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
        )
    };
    assert_eq!(style_csp_source(), expected);
    for (_, name, html) in every_page() {
        assert_eq!(html.matches("<style").count(), 1, "{name}");
        let start = html
            .find("<style>")
            .unwrap_or_else(|| panic!("{name}: no <style>"))
            + "<style>".len();
        let len = html[start..]
            .find("</style>")
            .unwrap_or_else(|| panic!("{name}: unclosed"));
        let inline = &html[start..start + len];
        assert_eq!(inline, STYLE, "{name}: the inline style differs from STYLE");
        let digest = ring::digest::digest(&ring::digest::SHA256, inline.as_bytes());
        use base64::Engine as _;
        let source = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
        );
        assert_eq!(source, style_csp_source(), "{name}");
    }
}

#[test]
fn every_page_has_lang_dir_neutral_title_and_the_privacy_metas() {
    for (lang, name, html) in every_page() {
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
        let tags = tags(&html);
        let root = tags
            .iter()
            .find(|t| t.name == "html")
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(root.attr("lang"), Some(lang.code()), "{name}");
        assert_eq!(root.attr("dir"), Some(lang.dir()), "{name}");
        assert!(
            html.contains("<title>Kontakt</title>"),
            "{name}: title must be the neutral site title"
        );
        assert_eq!(html.matches("<title>").count(), 1, "{name}");
        assert!(
            html.contains(
                r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
            ),
            "{name}"
        );
        assert!(
            html.contains(r#"<meta name="referrer" content="no-referrer">"#),
            "{name}"
        );
        assert!(html.contains(r#"<meta charset="utf-8">"#), "{name}");
        assert_eq!(
            tags.iter().filter(|t| t.name == "main").count(),
            1,
            "{name}"
        );
        let main = tags
            .iter()
            .find(|t| t.name == "main")
            .and_then(|t| t.attr("id"));
        assert_eq!(main, Some("main"), "{name}: the skip link target");
        assert_eq!(
            tags.iter().filter(|t| t.name == "footer").count(),
            1,
            "{name}"
        );
    }
}

#[test]
fn headings_start_at_one_h1_and_never_skip_a_level() {
    for (_, name, html) in every_page() {
        let levels: Vec<u8> = tags(&html)
            .iter()
            .filter_map(|t| match t.name.as_bytes() {
                [b'h', digit @ b'1'..=b'6'] => Some(digit - b'0'),
                _ => None,
            })
            .collect();
        assert_eq!(levels.first(), Some(&1), "{name}: {levels:?}");
        assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1, "{name}");
        for pair in levels.windows(2) {
            if let [before, after] = pair {
                assert!(after <= &(before + 1), "{name}: h{before} then h{after}");
            }
        }
    }
}

#[test]
fn every_field_has_a_label_and_every_reference_points_to_an_element() {
    for (_, name, html) in every_page() {
        let tags = tags(&html);
        let mut ids = HashSet::new();
        for tag in &tags {
            if let Some(id) = tag.attr("id") {
                assert!(ids.insert(id.to_owned()), "{name}: id {id} twice");
            }
        }
        let label_targets: HashSet<&str> = tags
            .iter()
            .filter(|t| t.name == "label")
            .filter_map(|t| t.attr("for"))
            .collect();
        for target in &label_targets {
            assert!(ids.contains(*target), "{name}: label for missing #{target}");
        }
        for tag in &tags {
            let field = match tag.name.as_str() {
                "input" => !matches!(tag.attr("type"), Some("hidden" | "submit")),
                "select" | "textarea" => true,
                _ => false,
            };
            if field {
                let id = tag
                    .attr("id")
                    .unwrap_or_else(|| panic!("{name}: field without id {tag:?}"));
                assert!(label_targets.contains(id), "{name}: no label for #{id}");
                assert!(tag.attrs.contains_key("name"), "{name}: #{id} has no name");
            }
            if let Some(described) = tag.attr("aria-describedby") {
                for id in described.split(' ') {
                    assert!(
                        ids.contains(id),
                        "{name}: aria-describedby points to missing #{id}"
                    );
                }
            }
            if let Some(fragment) = tag.attr("href").and_then(|href| href.strip_prefix('#')) {
                assert!(
                    ids.contains(fragment),
                    "{name}: link to missing #{fragment}"
                );
            }
        }
    }
}

#[test]
fn every_form_posts_to_this_site_without_autocomplete_and_carries_its_token() {
    for (lang, name, html) in every_page() {
        let tags = tags(&html);
        for (position, form) in tags.iter().enumerate().filter(|(_, t)| t.name == "form") {
            assert_eq!(form.attr("method"), Some("post"), "{name}");
            let action = form.attr("action").unwrap_or_default();
            assert!(
                action.starts_with(&format!("/{}/", lang.code())),
                "{name}: {action}"
            );
            let inside: Vec<&Tag> = tags
                .iter()
                .skip(position + 1)
                .take_while(|t| t.name != "form")
                .collect();
            if form.attr("class") == Some("open") {
                // A button that opens a form: it sends nothing, so it needs no token and holds no field.
                assert!(
                    inside
                        .iter()
                        .all(|t| !matches!(t.name.as_str(), "input" | "textarea" | "select")),
                    "{name}: an opening form with a field"
                );
                continue;
            }
            assert_eq!(form.attr("autocomplete"), Some("off"), "{name}");
            let token = inside.iter().find(|t| t.attr("name") == Some("token"));
            assert_eq!(
                token.and_then(|t| t.attr("type")),
                Some("hidden"),
                "{name}: form without a hidden token"
            );
            assert_eq!(token.and_then(|t| t.attr("value")), Some("tok"), "{name}");
        }
    }
}

#[test]
fn language_picker_links_every_other_language_named_in_itself() {
    for lang in Lang::ALL {
        let html = all_pages(lang)
            .into_iter()
            .find(|(name, _)| name == "contact")
            .map(|(_, html)| html)
            .unwrap_or_default();
        for other in Lang::ALL {
            if other == lang {
                assert!(
                    html.contains(&format!(
                        r#"<span lang="{code}" dir="{dir}" aria-current="true">{}</span>"#,
                        other.native_name(),
                        code = other.code(),
                        dir = other.dir()
                    )),
                    "{}: {}",
                    lang.code(),
                    other.code()
                );
            } else {
                assert!(
                    html.contains(&format!(
                        r#"<a href="/{code}/contact" hreflang="{code}" lang="{code}" dir="{dir}">{}</a>"#,
                        other.native_name(),
                        code = other.code(),
                        dir = other.dir()
                    )),
                    "{}: {}",
                    lang.code(),
                    other.code()
                );
            }
        }
    }
}

#[test]
fn every_language_is_offered_in_the_picker_on_every_page() {
    for (lang, name, html) in every_page() {
        for other in Lang::ALL {
            assert!(
                html.contains(&format!(
                    r#" lang="{}" dir="{}""#,
                    other.code(),
                    other.dir()
                )),
                "{}: {name} lacks {}",
                lang.code(),
                other.code()
            );
        }
    }
}

#[test]
fn codes_numbers_and_onion_addresses_stay_left_to_right_on_right_to_left_pages() {
    for lang in Lang::ALL.into_iter().filter(|lang| lang.dir() == "rtl") {
        let pages = all_pages(lang);
        let page = |wanted: &str| {
            pages
                .iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, html)| html.as_str())
                .unwrap_or_default()
        };
        assert!(page("landing").starts_with(&format!(
            r#"<!DOCTYPE html><html lang="{}" dir="rtl">"#,
            lang.code()
        )));
        assert!(page("code page urgent=true").contains(
            r#"<p class="code" dir="ltr" translate="no"><span>1234</span> <span>5678</span>"#
        ));
        for number in ["112", "114 14", "116 111", "020-34 13 16", "010-123 45 67"] {
            assert!(page("landing")
                .contains(&format!(r#"<span class="num" dir="ltr">{number}</span>"#)));
        }
        assert!(page("landing").contains(r#"<span class="onion" dir="ltr" translate="no">"#));
        let code_inputs: Vec<Tag> = tags(page("return form with code error"))
            .into_iter()
            .filter(|tag| tag.attr("name") == Some("code"))
            .collect();
        assert_eq!(code_inputs.len(), 1);
        assert!(code_inputs.iter().all(|tag| tag.attr("dir") == Some("ltr")));
        assert!(page("thread").contains("<bdi>1 maj 10:00</bdi>"));
        assert!(page("landing").contains(r#"<span dir="ltr">09:00–16:00</span>"#));
    }
}

#[test]
fn pages_answering_a_post_link_the_picker_to_the_landing_page() {
    let html = burned(&site(Lang::Sv, ""));
    assert!(html.contains(r#"<a href="/en/" hreflang="en""#));
}

#[test]
fn visitor_and_staff_text_is_escaped_everywhere() {
    let evil = r#""><script>alert(1)</script><a href="https://x">"#;
    let entries = [EntryView {
        mine: false,
        author_name: Some(evil),
        written: evil,
        text: evil,
        delivered: true,
    }];
    let errors = [FieldError {
        field: Field::Message,
        message_id: field_errors::MESSAGE_EMPTY,
    }];
    let pages = [
        thread(
            &site(Lang::Sv, ""),
            &ThreadPage {
                entries: &entries,
                previous_open: Some(evil),
                previous_open_unix: None,
                token: evil,
                message: evil,
                urgent: true,
                max_message_chars: MAX,
                errors: &errors,
                sent: Sent::Urgent,
                session_minutes: 30,
            },
        ),
        landing(&Site {
            title: evil,
            centre_name: evil,
            onion_address: Some(evil),
            ..site(Lang::Sv, evil)
        }),
        return_page(
            &site(Lang::Sv, ""),
            &ReturnForm {
                token: evil,
                code: evil,
                message: evil,
                urgent: true,
                timed_out: true,
                session_minutes: 30,
                max_message_chars: MAX,
                errors: &[],
            },
        ),
        code_page(
            &code_site(Lang::Sv),
            &CodePage {
                code_grouped: evil,
                urgent: true,
                check_token: evil,
                typed: evil,
                errors: &[],
            },
        ),
    ];
    for html in pages {
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"https"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
    }
}

#[test]
fn no_page_contains_a_message_id_or_an_empty_text() {
    let swedish: Vec<String> = crate::i18n::tests::ids(crate::i18n::source(Lang::Sv));
    for (_, name, html) in every_page() {
        for id in &swedish {
            assert!(
                !html.contains(&format!(">{id}<")),
                "{name} shows the id {id}"
            );
        }
        assert!(
            !html.contains("{$") && !html.contains("{ $"),
            "{name} shows a Fluent variable unfilled"
        );
        for empty in [
            "<p></p>",
            "<li></li>",
            "<h1></h1>",
            "<h2></h2>",
            "<button type=\"submit\"></button>",
        ] {
            assert!(!html.contains(empty), "{name} has {empty}");
        }
    }
}
