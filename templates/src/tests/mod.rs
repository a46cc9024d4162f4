//! The crate's specification as tests: sample data for every page in every state a handler can ask for, and a
//! small reader for the HTML maud writes. `every_page` holds the rules all pages keep, `pages` what each page
//! shows, `message_ids` that the code and the Swedish locale agree on the message ids, `locales` what every
//! translation keeps beyond its ids.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::*;

mod every_page;
mod locales;
mod message_ids;
mod pages;

const MAX: usize = 4000;

fn site(lang: Lang, path_after_lang: &str) -> Site<'_> {
    Site {
        lang,
        title: "Kontakt",
        centre_name: "Regionalt resurscentrum mot hedersrelaterat våld",
        onion_address: Some("porten2xq4ab7example5examplemw3t7mj3ylzkkr3cwq2fq6g5cyd.onion"),
        path_after_lang,
        keep: None,
        centre: centre(),
    }
}

/// The code page's `Site`: it keeps the code when the language changes.
fn code_site(lang: Lang) -> Site<'static> {
    Site {
        keep: Some(CodePage::KEEP),
        ..site(lang, "")
    }
}

/// A centre with every optional part filled in, so every page shows all it can.
pub(super) fn centre() -> &'static Centre {
    static CENTRE: std::sync::LazyLock<Centre> = std::sync::LazyLock::new(|| Centre {
        organiser: "Länsstyrelsen och kommunerna i länet".into(),
        reply_working_days: 2,
        expiry_days: 30,
        phone: Some(Phone {
            number: "010-123 45 67".into(),
            hours: Hours::Weekdays {
                from: "09:00".into(),
                to: "16:00".into(),
            },
        }),
        sms: Some("070-123 45 67".into()),
        helplines: vec![
            Helpline {
                audience: Audience::Young,
                name: "BRIS".into(),
                number: "116 111".into(),
                hours: Hours::Always,
                free: true,
                off_bill: true,
            },
            Helpline {
                audience: Audience::Lgbtq,
                name: "RFSL".into(),
                number: "020-34 13 16".into(),
                hours: Hours::EveryDay {
                    from: "10:00".into(),
                    to: "22:00".into(),
                },
                free: true,
                off_bill: false,
            },
            Helpline {
                audience: Audience::StopViolence,
                name: "Välj att sluta".into(),
                number: "020-555 666".into(),
                hours: Hours::Unknown,
                free: true,
                off_bill: false,
            },
        ],
        languages: Lang::ALL.to_vec(),
    });
    &CENTRE
}

const ENTRIES: [EntryView<'static>; 3] = [
    EntryView {
        mine: true,
        author_name: None,
        written: "2 maj 14:05",
        text: "Hej.\nJag behöver hjälp.",
        delivered: true,
    },
    EntryView {
        mine: false,
        author_name: Some("Sara"),
        written: "3 maj 09:12",
        text: "Hej! Tack för att du skrev.",
        delivered: true,
    },
    EntryView {
        mine: true,
        author_name: None,
        written: "3 maj 18:40",
        text: "Tack.",
        delivered: false,
    },
];

const CONTACT_ERRORS: [FieldError; 4] = [
    FieldError {
        field: Field::Form,
        message_id: field_errors::FORM_EXPIRED,
    },
    FieldError {
        field: Field::Group,
        message_id: field_errors::GROUP_MISSING,
    },
    FieldError {
        field: Field::Message,
        message_id: field_errors::MESSAGE_TOO_LONG,
    },
    FieldError {
        field: Field::ReplyLanguage,
        message_id: field_errors::LANGUAGE_UNKNOWN,
    },
];

const CODE_ERROR: [FieldError; 1] = [FieldError {
    field: Field::Code,
    message_id: field_errors::CODE_TYPO,
}];

const CODE_CHECK_ERROR: [FieldError; 1] = [FieldError {
    field: Field::Code,
    message_id: field_errors::CODE_CHECK_DIFFERS,
}];

const THREAD_ERROR: [FieldError; 1] = [FieldError {
    field: Field::Message,
    message_id: field_errors::MESSAGE_EMPTY,
}];

/// Every page in `lang`, in each state a handler can ask for, with a name for failure messages.
fn all_pages(lang: Lang) -> Vec<(String, String)> {
    let get = site(lang, "contact");
    let post = site(lang, "");
    let mut pages = vec![
        ("landing".to_owned(), landing(&post)),
        (
            "start write".to_owned(),
            start_page(&site(lang, "contact"), Start::Write),
        ),
        (
            "start return".to_owned(),
            start_page(&site(lang, "return"), Start::Return),
        ),
        (
            "return form".to_owned(),
            return_page(
                &site(lang, "return"),
                &ReturnForm {
                    token: "tok",
                    code: "",
                    message: "",
                    urgent: false,
                    timed_out: false,
                    session_minutes: 30,
                    max_message_chars: MAX,
                    errors: &[],
                },
            ),
        ),
        (
            "return form with code error".to_owned(),
            return_page(
                &site(lang, "return"),
                &ReturnForm {
                    token: "tok",
                    code: "1234 5678",
                    message: "",
                    urgent: false,
                    timed_out: false,
                    session_minutes: 30,
                    max_message_chars: MAX,
                    errors: &CODE_ERROR,
                },
            ),
        ),
        (
            "return form after a timed-out conversation".to_owned(),
            return_page(
                &site(lang, "return"),
                &ReturnForm {
                    token: "tok",
                    code: "",
                    message: "Jag skrev det här",
                    urgent: true,
                    timed_out: true,
                    session_minutes: 30,
                    max_message_chars: MAX,
                    errors: &[],
                },
            ),
        ),
        (
            "contact".to_owned(),
            contact(
                &get,
                &ContactForm {
                    token: "tok",
                    group: None,
                    urgent: false,
                    message: "",
                    reply_language: lang,
                    max_message_chars: MAX,
                    code_digits: 16,
                    errors: &[],
                },
            ),
        ),
        (
            "contact with errors".to_owned(),
            contact(
                &get,
                &ContactForm {
                    token: "tok",
                    group: Some(Group::Relative),
                    urgent: true,
                    message: "Min syster",
                    reply_language: Lang::En,
                    max_message_chars: MAX,
                    code_digits: 16,
                    errors: &CONTACT_ERRORS,
                },
            ),
        ),
    ];
    for urgent in [false, true] {
        pages.push((
            format!("code page urgent={urgent}"),
            code_page(
                &code_site(lang),
                &CodePage {
                    code_grouped: "1234 5678 9012 3456",
                    urgent,
                    check_token: "tok",
                    typed: "",
                    errors: &[],
                },
            ),
        ));
    }
    pages.push((
        "code page after a mistyped check".to_owned(),
        code_page(
            &code_site(lang),
            &CodePage {
                code_grouped: "1234 5678 9012 3456",
                urgent: false,
                check_token: "tok",
                typed: "1234 5687 9012 3456",
                errors: &CODE_CHECK_ERROR,
            },
        ),
    ));
    pages.push(("code checked".to_owned(), code_checked(&post)));
    pages.push(("code gone".to_owned(), code_gone(&post)));
    for (name, entries, previous_open, sent, urgent, errors) in [
        (
            "thread",
            &ENTRIES[..],
            Some("1 maj 10:00"),
            Sent::Nothing,
            false,
            &[][..],
        ),
        (
            "thread first open, sent",
            &ENTRIES[..],
            None,
            Sent::Message,
            false,
            &[][..],
        ),
        (
            "thread sent in danger",
            &ENTRIES[..],
            None,
            Sent::Urgent,
            false,
            &[][..],
        ),
        (
            "thread empty with error, in danger",
            &[][..],
            None,
            Sent::Nothing,
            true,
            &THREAD_ERROR[..],
        ),
    ] {
        pages.push((
            name.to_owned(),
            thread(
                &post,
                &ThreadPage {
                    entries,
                    previous_open,
                    previous_open_unix: None,
                    token: "tok",
                    message: "",
                    urgent,
                    max_message_chars: MAX,
                    errors,
                    sent,
                    session_minutes: 30,
                },
            ),
        ));
    }
    pages.push((
        "burn confirm".to_owned(),
        burn_confirm(
            &post,
            &BurnConfirm {
                token: "tok",
                previous_open_unix: Some(1_700_000_000),
            },
        ),
    ));
    pages.push(("burned".to_owned(), burned(&post)));
    for kind in ErrorKind::ALL {
        pages.push((format!("error {kind:?}"), error(&post, kind)));
    }
    let info_site = site(lang, "info/safety");
    for (name, written_in, is_index) in [
        ("info", lang, false),
        ("info index", lang, true),
        ("info in Swedish", Lang::Sv, false),
    ] {
        pages.push((
            name.to_owned(),
            info(
                &info_site,
                &InfoPage {
                    body_html: INFO_BODY,
                    written_in,
                    is_index,
                },
            ),
        ));
    }
    pages
}

/// An information page's body as the gateway's Markdown renderer writes it.
const INFO_BODY: &str =
    "<h1>Om att vara säker</h1>\n<p>Text med <a href=\"/sv/info/about\">en länk</a>.</p>\n\
                         <h2>Historik</h2>\n<ul>\n<li>En punkt</li>\n</ul>\n";

fn every_page() -> Vec<(Lang, String, String)> {
    Lang::ALL
        .into_iter()
        .flat_map(|lang| {
            all_pages(lang)
                .into_iter()
                .map(move |(name, html)| (lang, name, html))
        })
        .collect()
}

/// A start tag as maud writes it: `<name attr="value" flag>`.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: HashMap<String, String>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    fn is_focusable(&self) -> bool {
        let by_tabindex = self
            .attr("tabindex")
            .and_then(|value| value.parse::<i32>().ok())
            .map(|index| index >= 0);
        if by_tabindex == Some(false) {
            return false;
        }
        by_tabindex == Some(true)
            || match self.name.as_str() {
                "a" => self.attrs.contains_key("href"),
                "input" => self.attr("type") != Some("hidden"),
                "button" | "select" | "textarea" | "summary" | "iframe" => true,
                _ => false,
            }
    }
}

/// The start tags of `html`, in document order. Values never contain `>` or `"`: maud escapes both.
fn tags(html: &str) -> Vec<Tag> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let inner = rest[..end].trim_end_matches('/');
        let name_end = inner.find(' ').unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = HashMap::new();
        let mut attr_text = inner[name_end..].trim_start();
        while !attr_text.is_empty() {
            let key_end = attr_text.find(['=', ' ']).unwrap_or(attr_text.len());
            let key = attr_text[..key_end].to_owned();
            attr_text = &attr_text[key_end..];
            let mut value = String::new();
            if let Some(quoted) = attr_text.strip_prefix("=\"") {
                let close = quoted.find('"').unwrap_or(quoted.len());
                value = quoted[..close].to_owned();
                attr_text = quoted.get(close + 1..).unwrap_or("");
            }
            assert!(
                attrs.insert(key.clone(), value).is_none(),
                "{key} twice in <{name}>"
            );
            attr_text = attr_text.trim_start();
        }
        found.push(Tag { name, attrs });
        rest = &rest[end..];
    }
    found
}

fn body_tags(html: &str) -> Vec<Tag> {
    let body = html.find("<body").unwrap_or_else(|| panic!("no <body>"));
    tags(&html[body..])
}
