//! What each page shows for the data it is given: the landing page's offers, the contact form keeping what was
//! typed, the code in groups, the conversation's authors and delivery states, the burn confirmation.

use super::*;

fn return_form<'a>(code: &'a str, message: &'a str, errors: &'a [FieldError]) -> ReturnForm<'a> {
    ReturnForm {
        token: "tok",
        code,
        message,
        urgent: false,
        timed_out: !message.is_empty(),
        session_minutes: 30,
        max_message_chars: MAX,
        errors,
    }
}

#[test]
fn landing_page_is_small() {
    for lang in Lang::ALL {
        let html = landing(&site(lang, ""));
        assert!(
            html.len() < 14 * 1024,
            "{}: {} bytes",
            lang.code(),
            html.len()
        );
    }
}

#[test]
fn landing_page_offers_writing_returning_and_the_emergency_numbers() {
    let html = landing(&site(Lang::Sv, ""));
    assert!(html.contains(r#"<form class="open" method="post" action="/sv/contact">"#));
    assert!(html.contains(r#"<form class="open" method="post" action="/sv/return">"#));
    for number in [
        "112",
        "114 14",
        "116 111",
        "020-34 13 16",
        "020-555 666",
        "010-123 45 67",
        "070-123 45 67",
    ] {
        assert!(
            html.contains(&format!(r#"<span class="num" dir="ltr">{number}</span>"#)),
            "{number}"
        );
    }
    assert!(html
        .contains("BRIS, för dig som är under 18 år. Öppet dygnet runt. Gratis, och syns inte på"));
    assert!(html.contains("RFSL, för hbtqi-personer. Alla dagar <span dir=\"ltr\">10:00–22:00</span>. Gratis att ringa."));
    assert!(html.contains(
        "Välj att sluta, för dig som använder våld och vill sluta. Gratis att ringa.</li>"
    ));
    assert!(html.contains("Resurscentrumet drivs av Länsstyrelsen och kommunerna i länet."));
    assert!(html.contains("svarar oftast inom 2 arbetsdagar"));
    assert!(html.contains("på 30 dagar raderas det"));
    assert!(html.contains(r#"href="/sv/info/safety""#) && html.contains(r#"href="/sv/info/""#));
    assert!(html.contains("porten2xq4ab7example5examplemw3t7mj3ylzkkr3cwq2fq6g5cyd.onion"));
    let without_onion = landing(&Site {
        onion_address: None,
        ..site(Lang::Sv, "")
    });
    assert!(!without_onion.contains("cyd.onion"));
    assert!(!without_onion.contains("onion-adress"));
}

#[test]
fn no_page_reached_by_a_link_has_a_field_to_type_in() {
    // A browser may keep such a page in its back/forward cache and show what was typed to whoever presses
    // Back; pages answering a POST are never kept there.
    let pages = [
        landing(&site(Lang::Sv, "")),
        start_page(&site(Lang::Sv, "contact"), Start::Write),
        start_page(&site(Lang::Sv, "return"), Start::Return),
    ];
    for html in pages {
        for tag in body_tags(&html) {
            assert!(
                !matches!(tag.name.as_str(), "input" | "textarea" | "select"),
                "<{}> on a GET page",
                tag.name
            );
            if tag.name == "form" {
                assert_eq!(tag.attr("method"), Some("post"));
            }
        }
    }
}

#[test]
fn a_failed_return_keeps_the_code_and_explains_the_error_beside_the_field() {
    let html = return_page(
        &site(Lang::En, "return"),
        &return_form("1234 5678", "", &CODE_ERROR),
    );
    assert!(html.contains(r#"value="1234 5678""#));
    assert!(html.contains(r#"aria-describedby="code-hint code-error""#));
    assert!(html.contains(r##"<a href="#code">One of the digits is wrong."##));
    assert!(html.contains(
        r#"<p class="error" id="code-error"><span class="vh">Error: </span>One of the digits is wrong."#
    ));
    assert!(
        !html.contains("<textarea"),
        "no message kept, no message box"
    );
}

#[test]
fn a_timed_out_conversation_leads_to_the_code_form_with_the_message_kept() {
    let html = return_page(
        &site(Lang::En, "return"),
        &return_form("", "what I was writing", &[]),
    );
    assert!(html.contains(r#"name="code" value="""#));
    assert!(html.contains("\nwhat I was writing</textarea>"));
    assert!(html.contains("30 minutes"));
}

#[test]
fn contact_form_keeps_what_was_entered_and_marks_every_error() {
    let html = contact(
        &site(Lang::Sv, "contact"),
        &ContactForm {
            token: "tok",
            group: Some(Group::UsedViolence),
            urgent: true,
            message: "\nFörsta raden var tom & <b>inte fet</b>",
            reply_language: Lang::En,
            max_message_chars: 1234,
            code_digits: 16,
            errors: &CONTACT_ERRORS,
        },
    );
    assert!(html.contains(r#"value="used-violence" checked>"#));
    assert_eq!(
        html.matches(" checked").count(),
        2,
        "one group and the urgent box"
    );
    assert!(html.contains(r#"name="urgent" value="yes" checked"#));
    assert!(html.contains(r#"<option value="en" lang="en" dir="ltr" selected>English</option>"#));
    assert!(html.contains(r#"<option value="ar" lang="ar" dir="rtl">العربية</option>"#));
    assert!(
        !html.contains("maxlength") && !html.contains("required"),
        "the server checks and explains in the page's language, not the browser"
    );
    assert!(html.contains("Högst 1234 tecken."));
    assert!(html.contains("Korta det till högst 1234 tecken."));
    assert!(html.contains("\n\nFörsta raden var tom &amp; &lt;b&gt;inte fet&lt;/b&gt;</textarea>"));
    for field in ["form", "group", "message", "reply_language"] {
        assert!(
            html.contains(&format!(r##"<a href="#{field}">"##)),
            "{field}"
        );
        assert!(html.contains(&format!(r#"id="{field}-error""#)), "{field}");
    }
    assert!(html.contains(r#"<fieldset aria-describedby="group-error">"#));
}

#[test]
fn contact_form_lists_every_group_and_language_and_hides_the_honeypot() {
    let html = contact(
        &site(Lang::En, "contact"),
        &ContactForm {
            token: "tok",
            group: None,
            urgent: false,
            message: "",
            reply_language: Lang::En,
            max_message_chars: MAX,
            code_digits: 16,
            errors: &[],
        },
    );
    assert!(
        html.contains("16 digits"),
        "the code's length is said before sending"
    );
    assert!(html.contains("paper and pen"));
    for group in Group::ALL {
        assert!(html.contains(&format!(r#"name="group" value="{}""#, group.as_str())));
    }
    for lang in Lang::ALL {
        assert!(html.contains(&format!(r#"<option value="{}""#, lang.code())));
    }
    assert!(!html.contains(" checked"));
    assert!(html.contains("I am in danger now"));
    assert!(html.contains(
        r#"<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input id="website" type="text" name="website" value="" tabindex="-1" autocomplete="off">"#
    ));
    assert!(
        !html.contains(r#"class="errors""#),
        "no summary without errors"
    );
}

fn code(urgent: bool, typed: &str, errors: &[FieldError]) -> String {
    code_page(
        &code_site(Lang::En),
        &CodePage {
            code_grouped: "1234 5678 9012 3456",
            urgent,
            check_token: "tok",
            typed,
            errors,
        },
    )
}

#[test]
fn code_page_shows_the_code_first_and_the_emergency_numbers_after_it_when_urgent() {
    let calm = code(false, "", &[]);
    assert!(calm.contains(
        r#"<p class="code" dir="ltr" translate="no"><span>1234</span> <span>5678</span> <span>9012</span> <span>3456</span></p>"#
    ));
    assert!(!calm.contains("box urgent"));
    let urgent = code(true, "", &[]);
    let main = urgent.find("<main").unwrap_or(usize::MAX);
    let the_code = urgent.find(r#"class="code""#).unwrap_or(usize::MAX);
    let emergency = urgent.find("box urgent").unwrap_or(0);
    let reminder = urgent.find(r#"class="urgent-line""#).unwrap_or(usize::MAX);
    assert!(
        main < the_code && the_code < emergency,
        "the code comes first"
    );
    assert!(
        the_code < reminder && reminder < emergency,
        "the reminder sits right after the code"
    );
    assert!(
        urgent[reminder..].contains("112"),
        "a one-line 112 reminder beside it"
    );
    assert!(
        urgent.contains(r#"name="code" value="""#),
        "the check form is never filled in"
    );
}

#[test]
fn a_mistyped_check_shows_the_code_again_with_the_differing_digits_marked() {
    let html = code(false, "1234 5687 9012 3456", &CODE_CHECK_ERROR);
    assert!(
        html.contains("<span>1234</span> <span>5678</span>"),
        "the code itself"
    );
    assert!(html.contains("56<mark>8</mark><mark>7</mark>"));
    assert!(
        html.contains("7, 8"),
        "the positions, for those who cannot see the marks"
    );
    assert!(html.contains(r#"aria-invalid="true""#));
}

#[test]
fn the_code_page_keeps_the_code_when_the_language_changes_and_warns_before_leaving() {
    let html = code(false, "", &[]);
    assert!(html.contains(
        r#"<button class="lang" type="submit" form="check" formaction="/sv/code" name="switch" value="yes""#
    ));
    assert!(
        !html.contains(r#"hreflang="sv""#),
        "no language link that drops the code"
    );
    assert!(html.contains(r##"<a class="home" href="#before-you-leave""##));
    assert!(html.contains(r#"<section class="box" id="before-you-leave">"#));
    assert!(html.contains(r#"<form id="check" method="post" action="/en/code""#));
}

#[test]
fn thread_shows_authors_delivery_and_the_previous_visit() {
    let render = |previous_open, sent| {
        thread(
            &site(Lang::En, ""),
            &ThreadPage {
                entries: &ENTRIES,
                previous_open,
                previous_open_unix: None,
                token: "tok",
                message: "",
                urgent: false,
                max_message_chars: MAX,
                errors: &[],
                sent,
                session_minutes: 30,
            },
        )
    };
    let html = render(Some("1 May 10:00"), Sent::Nothing);
    assert!(html
        .contains("Before this visit, the conversation was last opened: <bdi>1 May 10:00</bdi>"));
    assert!(!html.contains("first time"));
    assert!(html.contains("<h3>Sara, at the centre</h3>"));
    assert_eq!(html.matches("<h3>You</h3>").count(), 2);
    assert_eq!(html.matches("The centre has received this").count(), 1);
    assert_eq!(
        html.matches("The centre has not received this yet").count(),
        1
    );
    assert!(
        html.contains("Hej.\nJag behöver hjälp."),
        "line breaks kept"
    );
    assert!(
        html.find("Tack.").unwrap_or(usize::MAX) < html.find("Hej.").unwrap_or(0),
        "newest entry first"
    );
    assert!(html.contains(r#"<ol class="thread" reversed>"#));
    assert!(
        !html.contains("You have a new reply"),
        "the visitor wrote last"
    );
    assert!(html.contains(r#"action="/en/thread/write""#));
    assert!(html.contains(r#"action="/en/thread/delete""#));
    assert!(!html.contains("Your message has been sent."));
    assert!(
        html.contains("30 minutes"),
        "how long the page stays usable"
    );
    let first = render(None, Sent::Message);
    assert!(first.contains("This is the first time your code has been used"));
    assert!(first.contains("Your message has been sent."));
}

fn thread_page(lang: Lang, urgent: bool, sent: Sent) -> String {
    thread(
        &site(lang, ""),
        &ThreadPage {
            entries: &ENTRIES,
            previous_open: None,
            previous_open_unix: None,
            token: "tok",
            message: "",
            urgent,
            max_message_chars: MAX,
            errors: &[],
            sent,
            session_minutes: 30,
        },
    )
}

/// The tags of the form posting to `action`, the form's own tag first.
fn form_tags(html: &str, action: &str) -> Vec<Tag> {
    let tags = body_tags(html);
    let start = tags
        .iter()
        .position(|t| t.name == "form" && t.attr("action") == Some(action))
        .unwrap_or_else(|| panic!("no form posting to {action}"));
    let mut inside: Vec<Tag> = tags.into_iter().skip(start).collect();
    let end = inside
        .iter()
        .skip(1)
        .position(|t| t.name == "form")
        .map_or(inside.len(), |at| at + 1);
    inside.truncate(end);
    inside
}

/// The label of the "I am in danger now" box as a page shows it.
fn danger_label(html: &str) -> Option<&str> {
    let start = html.find(r#"<label for="urgent">"#)?;
    let rest = &html[start..];
    Some(&rest[..rest.find("</label>")?])
}

#[test]
fn the_write_again_form_has_the_contact_forms_labelled_danger_box_in_every_language() {
    for lang in Lang::ALL {
        let code = lang.code();
        let html = thread_page(lang, false, Sent::Nothing);
        let inside = form_tags(&html, &format!("/{code}/thread/write"));
        let boxes: Vec<&Tag> = inside
            .iter()
            .filter(|t| t.name == "input" && t.attr("type") == Some("checkbox"))
            .collect();
        assert_eq!(
            boxes.len(),
            1,
            "{code}: one checkbox in the write-again form"
        );
        let danger = boxes[0];
        assert_eq!(danger.attr("id"), Some("urgent"), "{code}");
        assert_eq!(danger.attr("name"), Some("urgent"), "{code}");
        assert_eq!(danger.attr("value"), Some("yes"), "{code}");
        assert_eq!(
            danger.attr("checked"),
            None,
            "{code}: not ticked unless asked"
        );
        assert_eq!(
            danger.attr("aria-describedby"),
            Some("urgent-hint"),
            "{code}"
        );
        assert!(
            inside
                .iter()
                .any(|t| t.name == "label" && t.attr("for") == Some("urgent")),
            "{code}: its label is in the same form"
        );
        if let Some(at) = inside.iter().position(|t| t.name == "fieldset") {
            let checkbox = inside.iter().position(|t| t.attr("id") == Some("urgent"));
            assert!(
                checkbox > Some(at),
                "{code}: the box sits in the form's fieldset"
            );
        }
        // The same words, in the same markup, as the first contact's box.
        let words = crate::i18n::Tr::new(lang).msg("contact-urgent-label");
        let first_contact = contact(
            &site(lang, "contact"),
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
        );
        let label = danger_label(&html).unwrap_or_else(|| panic!("{code}: no label"));
        assert!(label.contains(&words), "{code}: {label}");
        assert_eq!(Some(label), danger_label(&first_contact), "{code}");
        let hint = crate::i18n::Tr::new(lang).msg("contact-urgent-hint");
        assert!(
            html.contains(&format!(r#"<p class="hint" id="urgent-hint">{hint}</p>"#)),
            "{code}: the hint that says to call 112"
        );
        let ticked = thread_page(lang, true, Sent::Nothing);
        assert_eq!(
            ticked
                .matches(r#"name="urgent" value="yes" checked aria-describedby="urgent-hint">"#)
                .count(),
            1,
            "{code}: kept ticked"
        );
    }
}

#[test]
fn a_message_sent_in_danger_is_followed_by_the_emergency_numbers() {
    let calm = thread_page(Lang::En, false, Sent::Message);
    assert!(calm.contains("Your message has been sent."));
    assert!(!calm.contains("box urgent") && !calm.contains("You wrote that you are in danger"));
    let opened = thread_page(Lang::En, false, Sent::Nothing);
    assert!(!opened.contains("box urgent"));
    let urgent = thread_page(Lang::En, false, Sent::Urgent);
    let sent = urgent
        .find("Your message has been sent.")
        .unwrap_or(usize::MAX);
    let emergency = urgent
        .find(r#"<section class="box urgent"><h2>You wrote that you are in danger</h2>"#)
        .unwrap_or(0);
    let entries = urgent.find("<ol").unwrap_or(0);
    assert!(
        sent < emergency && emergency < entries,
        "sent, then the numbers, then the conversation"
    );
    for number in ["112", "114 14", "116 111", "020-50 50 50", "1177"] {
        assert!(
            urgent[emergency..entries]
                .contains(&format!(r#"<span class="num" dir="ltr">{number}</span>"#)),
            "{number}"
        );
    }
    assert!(
        !urgent.contains(" checked"),
        "the form is empty again after sending"
    );
}

#[test]
fn a_timed_out_conversation_keeps_the_danger_box_on_the_code_form() {
    let render = |message, urgent| {
        return_page(
            &site(Lang::En, "return"),
            &ReturnForm {
                urgent,
                ..return_form("", message, &[])
            },
        )
    };
    let kept = render("what I was writing", true);
    let inside = form_tags(&kept, "/en/return");
    let danger = inside
        .iter()
        .find(|t| t.attr("type") == Some("checkbox"))
        .unwrap_or_else(|| panic!("no checkbox: {kept}"));
    assert_eq!(danger.attr("name"), Some("urgent"));
    assert_eq!(danger.attr("value"), Some("yes"));
    assert!(danger.attrs.contains_key("checked"));
    assert!(danger_label(&kept).is_some_and(|l| l.contains("I am in danger now")));
    assert!(kept.contains("\nwhat I was writing</textarea>"));
    let unticked = render("what I was writing", false);
    assert!(unticked.contains(r#"name="urgent" value="yes" aria-describedby"#));
    assert!(!unticked.contains(" checked"));
    let ticked_only = render("", true);
    assert!(ticked_only.contains(r#"name="urgent" value="yes" checked"#));
    assert!(
        ticked_only.contains("<textarea"),
        "the box alone still brings the message box"
    );
    let fresh = render("", false);
    assert!(!fresh.contains(r#"name="urgent""#) && !fresh.contains("<textarea"));
}

#[test]
fn thread_without_a_staff_name_says_the_centre() {
    let entries = [EntryView {
        mine: false,
        author_name: None,
        written: "t",
        text: "x",
        delivered: false,
    }];
    let html = thread(
        &site(Lang::En, ""),
        &ThreadPage {
            entries: &entries,
            previous_open: None,
            previous_open_unix: None,
            token: "tok",
            message: "",
            urgent: false,
            max_message_chars: MAX,
            errors: &[],
            sent: Sent::Nothing,
            session_minutes: 30,
        },
    );
    assert!(html.contains("<h3>The centre</h3>"));
    assert!(
        !html.contains("received this"),
        "no delivery state on staff entries"
    );
    let new_reply = html
        .find("You have a new reply from the centre.")
        .unwrap_or_else(|| panic!("the centre wrote last: {html}"));
    assert!(
        new_reply < html.find("<ol").unwrap_or(0),
        "before the entries"
    );
}

#[test]
fn burn_confirmation_offers_delete_and_keep() {
    let html = burn_confirm(
        &site(Lang::En, ""),
        &BurnConfirm {
            token: "tok",
            previous_open_unix: Some(1_700_000_000),
        },
    );
    assert!(html.contains(r#"name="confirm" value="yes""#));
    assert!(html.contains(r#"name="confirm" value="no">No, keep it</button>"#));
    assert!(html.contains(r#"<input type="hidden" name="opened" value="1700000000">"#));
    assert!(html.contains(r#"action="/en/thread/delete""#));
    assert!(html.contains("You cannot undo this."));
}

#[test]
fn an_unknown_error_id_shows_a_generic_text_never_the_id() {
    let errors = [FieldError {
        field: Field::Message,
        message_id: "error-that-does-not-exist",
    }];
    let html = thread(
        &site(Lang::En, ""),
        &ThreadPage {
            entries: &[],
            previous_open: None,
            previous_open_unix: None,
            token: "tok",
            message: "",
            urgent: false,
            max_message_chars: MAX,
            errors: &errors,
            sent: Sent::Nothing,
            session_minutes: 30,
        },
    );
    assert!(!html.contains("error-that-does-not-exist"));
    assert!(html.contains("Check this field."));
}

#[test]
fn every_field_error_id_exists_and_differs_by_language() {
    for id in field_errors::ALL {
        let texts: BTreeSet<String> = Lang::ALL
            .into_iter()
            .map(|lang| crate::i18n::Tr::new(lang).msg_args(id, &[("max", MAX.into())]))
            .collect();
        assert_eq!(texts.len(), Lang::ALL.len(), "{id}: {texts:?}");
        assert!(!texts.contains(""), "{id}");
    }
}
