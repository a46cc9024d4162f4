//! Tests of the queue and the case page driven through the router in process: cases are opened with
//! `record_envelope` from payloads built here as the gateway builds them, staff log in through the login
//! form, and the audit log is read back from its file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hyper::{Method, StatusCode};
use porten_protocol::envelope::{Group, InboxKeys, Payload, VisitorMessage};
use porten_protocol::thread::EntryId;
use porten_protocol::{ExpiryKey, ReplyKey, TicketRef};

use super::http::Body;
use super::router::handle;
use super::tests::{html, location, log_in, request, web};
use super::Web;
use crate::desk::config::{DeskConfig, PartnerConfig, TeamConfig};
use crate::desk::push::PushRequest;
use crate::desk::tests::{fixture_with, secret, Fixture, PASSWORD};
use crate::desk::totp::TotpSecret;
use crate::desk::{
    CaseKey, Clock as _, DisplayName, FactBy, LoginName, NewAccount, Role, TeamName,
};

const SUPPORT: &str = "Stödteamet";
const PROGRAMME: &str = "Förändringsprogrammet";

/// A desk with two teams and one partner, and its staff, logged in.
struct Centre {
    f: Fixture,
    web: Web,
    /// Staff, support team: cookie.
    sara: String,
    /// Staff, support team: cookie.
    omar: String,
    /// Team lead, support team: cookie.
    lena: String,
    /// Staff, programme team: cookie.
    kim: String,
    /// The reply key of the last case opened, as raw bytes' hex.
    reply_keys: Vec<String>,
}

fn centre(restricted: bool) -> Centre {
    let config = DeskConfig {
        teams_restricted: restricted,
        team: vec![
            TeamConfig {
                name: SUPPORT.into(),
                display_name: None,
                groups: vec!["exposed".into(), "relative".into()],
            },
            TeamConfig {
                name: PROGRAMME.into(),
                display_name: None,
                groups: vec!["used-violence".into()],
            },
        ],
        partner: vec![PartnerConfig {
            name: "socialtjansten".into(),
            display_name: "Socialtjänsten".into(),
        }],
        ..DeskConfig::default()
    };
    let f = fixture_with(&config);
    let web = web(&f);
    let sara = enrol_and_log_in(&f, &web, "sara", Role::Staff, SUPPORT);
    let omar = enrol_and_log_in(&f, &web, "omar", Role::Staff, SUPPORT);
    let lena = enrol_and_log_in(&f, &web, "lena", Role::TeamLead, SUPPORT);
    let kim = enrol_and_log_in(&f, &web, "kim", Role::Staff, PROGRAMME);
    Centre {
        f,
        web,
        sara,
        omar,
        lena,
        kim,
        reply_keys: Vec::new(),
    }
}

fn enrol_and_log_in(f: &Fixture, web: &Web, login: &str, role: Role, team: &str) -> String {
    let invitation = f
        .desk
        .accounts
        .create(NewAccount {
            login: LoginName::parse(login).unwrap(),
            display_name: DisplayName::parse(&format!("{login}, kurator")).unwrap(),
            role,
            teams: vec![TeamName::parse(team).unwrap()],
        })
        .unwrap();
    let start = f
        .desk
        .accounts
        .begin_enrolment(invitation.code.expose())
        .unwrap();
    let totp = TotpSecret::from_base32(start.secret_text().expose()).unwrap();
    f.desk
        .accounts
        .complete_enrolment(invitation.code.expose(), secret(PASSWORD), &f.code(&totp))
        .unwrap();
    f.clock.advance(30);
    log_in(f, web, login, &totp)
}

impl Centre {
    /// A visitor's first contact; returns its case's key.
    fn first_contact(&mut self, group: Group, text: &str, urgent: bool) -> CaseKey {
        let ticket = {
            let mut bytes = [0u8; 32];
            porten_protocol::fill_random(&mut bytes);
            TicketRef::from_bytes(bytes)
        };
        let mut key = [0u8; 32];
        porten_protocol::fill_random(&mut key);
        self.reply_keys.push(hex::encode(key));
        let at = time::OffsetDateTime::from_unix_timestamp(self.f.clock.now()).unwrap();
        let message = VisitorMessage {
            message: text,
            language: Some("ar"),
            urgent,
        };
        let payload = Payload::first_contact(
            &ticket,
            EntryId::random(),
            group,
            message,
            InboxKeys {
                reply_key: &ReplyKey::from_bytes(key),
                expiry_key: &ExpiryKey::from_bytes([8; 32]),
            },
            at,
        )
        .unwrap();
        // Sealed to the desk's identity as the gateway seals it, and recorded as delivery records it.
        let recipient = self.f.identity.to_public().to_string();
        let recipients = porten_protocol::envelope::Recipients::parse(&[recipient]).unwrap();
        let sealed = porten_protocol::envelope::seal(&payload, &recipients).unwrap();
        self.web
            .desk
            .cases
            .record_delivered(&[crate::desk::Incoming {
                payload: &payload,
                sealed: Some(&sealed),
            }])
            .unwrap();
        self.f.clock.advance(60);
        self.web.desk.cases.key_for(&ticket)
    }

    fn get(&self, cookie: &str, target: &str) -> super::http::Reply {
        handle(&self.web, &request(Method::GET, target, Some(cookie), ""))
    }

    /// Posts `fields` with the session's CSRF token.
    fn post(&self, cookie: &str, target: &str, fields: &str) -> super::http::Reply {
        let csrf = self.web.desk.sessions.check(cookie).unwrap().unwrap().csrf;
        let body = format!("csrf={}&{fields}", csrf.expose());
        handle(
            &self.web,
            &request(Method::POST, target, Some(cookie), &body),
        )
    }

    fn audit_log(&self) -> String {
        std::fs::read_to_string(self.f.dir.path().join("audit.jsonl")).unwrap_or_default()
    }
}

fn case_path(lang: &str, key: &CaseKey) -> String {
    format!("/{lang}/cases/{}", key.to_hex())
}

#[test]
fn the_queue_shows_an_urgent_case_first_says_urgent_in_words_and_counts_in_the_title() {
    let mut c = centre(false);
    let calm = c.first_contact(Group::Exposed, "I want to talk.", false);
    let urgent = c.first_contact(Group::Relative, "He is coming home now.", true);

    let en = c.get(&c.sara, "/en/cases?view=waiting");
    assert_eq!(en.status, StatusCode::OK);
    let page = html(&en);
    let first = page.find(&urgent.to_hex()).unwrap();
    let second = page.find(&calm.to_hex()).unwrap();
    assert!(first < second, "the urgent case comes first");
    assert!(page.contains("<strong class=\"flag\">Urgent</strong>"));
    assert!(page.contains("<title>(1 urgent, 2 new) Cases – porten – staff desk</title>"));
    assert!(
        page.contains("Cases (1 urgent, 2 new)"),
        "counts in the navigation"
    );
    assert!(page.contains("<caption>") && page.contains("<th scope=\"col\">"));
    assert!(page.contains("href=\"/en/cases?view=waiting\" aria-current=\"page\""));
    assert!(page.contains("The visitor waits for us, for 2 min"));
    // At 320 px the rows become cards, each cell saying its column.
    assert!(page.contains("@media (max-width:40rem)"));
    assert!(page.contains("<td data-label=\"Whose turn\">"));

    let sv = c.get(&c.sara, "/sv/cases?view=urgent");
    let page = html(&sv);
    assert!(page.contains(">Akut</strong>"));
    assert!(page.contains("<title>(1 akut, 2 nya) Ärenden"));
    assert!(
        !page.contains(&calm.to_hex()),
        "the urgent view holds the urgent case only"
    );

    // Every logged-in page carries the counts, the start page with a link to the queue.
    let start = c.get(&c.sara, "/en/");
    assert!(html(&start).contains("<title>(1 urgent, 2 new) Start"));
    assert!(html(&start).contains("href=\"/en/cases\""));
}

#[test]
fn a_note_added_through_the_form_is_marked_internal_and_logged_without_its_text() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let reply = c.post(
        &c.sara,
        &format!("{}/note", case_path("en", &key)),
        "text=Called+the+school+counsellor",
    );
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&reply), format!("{}?done", case_path("en", &key)));

    let page = c.get(&c.sara, location(&reply));
    let page = html(&page);
    let note = page.find("Called the school counsellor").unwrap();
    let label = page
        .find("Internal note — never sent to the visitor")
        .unwrap();
    assert!(label < note, "the note is labelled as internal");
    assert!(page.contains("class=\"entry note\""));

    let log = c.audit_log();
    assert!(log.contains("\"action\":\"note-added\""));
    assert!(log.contains("\"action\":\"viewed\""));
    assert!(!log.contains("school"), "the log never holds a note's text");
}

#[test]
fn a_post_without_the_csrf_token_changes_nothing() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", true);
    for (action, body) in [
        ("note", "text=Forged+note"),
        ("urgency", ""),
        ("take", ""),
        ("status", "status=closed"),
    ] {
        let target = format!("{}/{action}", case_path("en", &key));
        let reply = handle(&c.web, &request(Method::POST, &target, Some(&c.sara), body));
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{action}");
        let forged = format!("csrf=0000&{body}");
        let reply = handle(
            &c.web,
            &request(Method::POST, &target, Some(&c.sara), &forged),
        );
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{action}");
    }
    let lena = c.web.desk.sessions.check(&c.lena).unwrap().unwrap();
    let (view, _) = c.web.desk.cases.view(lena.account.id, &key).unwrap();
    assert_eq!(view.entries.len(), 1);
    assert!(view.case.urgent);
    assert_eq!(view.case.assignee, None);
    assert_eq!(view.case.status, crate::desk::Status::New);
    assert!(!c.audit_log().contains("\"kind\":\"case\""));
}

#[test]
fn with_teams_restricted_a_worker_outside_the_team_gets_the_same_404_as_for_a_made_up_key() {
    let mut c = centre(true);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let made_up = CaseKey::from_hex(&"ab".repeat(32)).unwrap();

    let hidden = c.get(&c.kim, &case_path("en", &key));
    let missing = c.get(&c.kim, &case_path("en", &made_up));
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(html(&hidden), html(&missing));
    assert!(!html(&hidden).contains("Hello."));

    let hidden = c.post(&c.kim, &format!("{}/note", case_path("en", &key)), "text=x");
    let missing = c.post(
        &c.kim,
        &format!("{}/note", case_path("en", &made_up)),
        "text=x",
    );
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(html(&hidden), html(&missing));

    // The queue does not list it either, and the support team sees it.
    assert!(!html(&c.get(&c.kim, "/en/cases?view=unassigned")).contains(&key.to_hex()));
    assert_eq!(
        c.get(&c.sara, &case_path("en", &key)).status,
        StatusCode::OK
    );
}

#[test]
fn a_lead_reassigns_and_the_new_assignee_sees_the_case_in_mine() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let taken = c.post(&c.sara, &format!("{}/take", case_path("en", &key)), "");
    assert_eq!(taken.status, StatusCode::SEE_OTHER);
    assert!(!html(&c.get(&c.omar, "/en/cases?view=mine")).contains(&key.to_hex()));

    // Omar may not take it from Sara; the lead may give it to him.
    let refused = c.post(&c.omar, &format!("{}/take", case_path("en", &key)), "");
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let omar = c
        .web
        .desk
        .sessions
        .check(&c.omar)
        .unwrap()
        .unwrap()
        .account
        .id;
    let assigned = c.post(
        &c.lena,
        &format!("{}/assign", case_path("en", &key)),
        &format!("to={omar}"),
    );
    assert_eq!(assigned.status, StatusCode::SEE_OTHER);

    let mine = c.get(&c.omar, "/en/cases?view=mine");
    assert!(html(&mine).contains(&key.to_hex()));
    assert!(html(&mine).contains("omar, kurator"));
    assert!(c
        .audit_log()
        .contains(&format!("\"action\":\"assigned\",\"detail\":\"{omar}\"")));
}

#[test]
fn the_reply_form_records_the_intent_before_the_push_and_shows_the_pushers_outcome() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let (sender, mut pushed) = tokio::sync::mpsc::channel::<PushRequest>(4);
    c.web.replies = Some(sender);
    let cases = c.web.desk.cases.clone();
    let audit = c.web.audit.clone();
    // The pusher's part: it finds the intent already in the log, then records the outcome and says so.
    let pusher = std::thread::spawn(move || {
        let request = pushed.blocking_recv().unwrap();
        let log = std::fs::read_to_string(audit.path()).unwrap();
        assert!(log.contains(&format!(
            "\"action\":\"reply-recorded\",\"detail\":\"{}\"",
            request.intent.reply_id.to_hex()
        )));
        assert_eq!(request.intent.display_name.as_str(), "sara, kurator");
        assert_eq!(request.intent.text.expose(), "We are here for you.");
        let FactBy::Account(actor) = request.intent.fact.by else {
            panic!("a reply is written by an account")
        };
        let fact = cases
            .reply_pushed(actor, &request.intent.fact.case, request.intent.reply_id)
            .unwrap();
        audit.append(&fact.audit_event()).unwrap();
        request.done.unwrap().send(true).unwrap();
        (request.intent.reply_id, pushed)
    });

    let reply = c.post(
        &c.sara,
        &format!("{}/reply", case_path("en", &key)),
        "text=We+are+here+for+you.",
    );
    let (reply_id, mut pushed) = pusher.join().unwrap();
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&reply), format!("{}?sent", case_path("en", &key)));
    let page = c.get(&c.sara, location(&reply));
    let page = html(&page);
    assert!(page.contains("We are here for you."));
    assert!(page.contains("Reply from the centre, as “sara, kurator”"));
    assert!(page.contains("The reply is sent."));
    assert!(page.contains("Sent: the visitor sees it when they come back"));
    let log = c.audit_log();
    let recorded = log
        .find(&format!(
            "\"reply-recorded\",\"detail\":\"{}\"",
            reply_id.to_hex()
        ))
        .unwrap();
    let sent = log
        .find(&format!(
            "\"reply-pushed\",\"detail\":\"{}\"",
            reply_id.to_hex()
        ))
        .unwrap();
    assert!(recorded < sent, "the intent is logged before the outcome");
    assert!(!log.contains("here for you"));

    // A pusher that does not answer in time: the page says the reply is stored and being sent.
    c.web.push_wait = std::time::Duration::from_millis(50);
    let slow = c.post(
        &c.sara,
        &format!("{}/reply", case_path("en", &key)),
        "text=A+second+reply.",
    );
    assert_eq!(location(&slow), format!("{}?stored", case_path("en", &key)));
    assert!(pushed.try_recv().is_ok());
    let page = c.get(&c.sara, location(&slow));
    assert!(html(&page).contains("Stored at the desk, not yet sent"));

    // A blank reply is refused at its field, and nothing is recorded or pushed.
    let blank = c.post(
        &c.sara,
        &format!("{}/reply", case_path("en", &key)),
        "text=+",
    );
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&blank).contains("href=\"#reply-text\""));
    assert!(pushed.try_recv().is_err());
}

#[test]
fn a_sealed_original_downloads_as_an_age_file_and_the_download_is_logged() {
    let mut c = centre(true);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let page = c.get(&c.sara, &case_path("en", &key));
    let link = format!("{}/sealed/0", case_path("en", &key));
    assert!(html(&page).contains(&format!("href=\"{link}\" download")));

    let reply = c.get(&c.sara, &link);
    assert_eq!(reply.status, StatusCode::OK);
    let Body::Download { bytes, name } = &reply.body else {
        panic!("a file")
    };
    let (bytes, name) = (bytes.clone(), name.clone());
    assert!(name.ends_with(".age") && name.len() == 32 + 4);
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    // It opens with the inbox's identity, as `age -d -i` would open it, to the message the page showed.
    let opened = crate::open::open_with_any(&bytes, std::slice::from_ref(&c.f.identity)).unwrap();
    assert_eq!(opened.envelope_id.to_hex(), name[..32]);
    assert_eq!(opened.visitor().unwrap().message.expose(), "Hello.");
    let response = reply.into_response(&c.web.headers);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{name}\"").as_str()
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(c.audit_log().contains(&format!(
        "\"action\":\"exported\",\"detail\":\"{}\"",
        &name[..32]
    )));

    // Outside the case's team, and for made-up numbers: the same 404 as for a made-up case.
    assert_eq!(c.get(&c.kim, &link).status, StatusCode::NOT_FOUND);
    for odd in [
        "/sealed/9",
        "/sealed/-1",
        "/sealed/+0",
        "/sealed/",
        "/sealed/0/x",
    ] {
        let path = format!("{}{odd}", case_path("en", &key));
        assert_eq!(c.get(&c.sara, &path).status, StatusCode::NOT_FOUND, "{odd}");
    }
}

#[test]
fn case_pages_have_lang_headings_and_labelled_fields_in_both_languages() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", true);
    c.post(
        &c.sara,
        &format!("{}/reminder", case_path("en", &key)),
        "date=2026-12-01",
    );
    for lang in ["sv", "en"] {
        let reply = c.get(&c.sara, &case_path(lang, &key));
        assert_eq!(reply.status, StatusCode::OK);
        let page = html(&reply);
        assert!(page.contains(&format!("<html lang=\"{lang}\">")));
        assert!(page.contains("<h1>") && page.contains("<h2>"));
        for id in [
            "reply-text",
            "note-text",
            "assign-to",
            "team",
            "status",
            "partner",
            "referral-note",
            "reminder-date",
        ] {
            assert!(
                page.contains(&format!("<label for=\"{id}\"")),
                "{lang} {id}"
            );
            assert!(page.contains(&format!("id=\"{id}\"")), "{lang} {id}");
        }
        assert!(
            page.contains("value=\"2026-12-01\""),
            "the reminder is shown"
        );
        assert!(!page.contains("<script") && !page.contains(" style="));
        assert!(
            page.contains("@media print{"),
            "printed, the case leaves out menu and forms"
        );
    }
    let page = c.get(&c.sara, &case_path("sv", &key));
    assert!(html(&page).contains("Intern anteckning"));
    assert!(html(&page).contains(">Akut</strong>"));
}

#[test]
fn no_page_or_log_line_holds_a_reply_key_or_a_session_id() {
    let mut c = centre(false);
    let key = c.first_contact(Group::UsedViolence, "Hello.", true);
    let lena = c.web.desk.sessions.check(&c.lena).unwrap().unwrap();
    let csrf = lena.csrf.expose().to_owned();
    let mut pages = Vec::new();
    for (action, fields) in [
        ("note", "text=A+note"),
        ("take", ""),
        ("team", "team=St%C3%B6dteamet"),
        ("status", "status=open"),
        ("refer", "partner=socialtjansten&note=Passed+on"),
        ("reminder", "date=2026-12-01"),
        ("urgency", ""),
        ("reply", "text=A+reply"),
    ] {
        let reply = c.post(
            &c.lena,
            &format!("{}/{action}", case_path("en", &key)),
            fields,
        );
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{action}");
        pages.push(html(&c.get(&c.lena, location(&reply))).to_owned());
    }
    pages.push(html(&c.get(&c.lena, "/en/cases?view=mine")).to_owned());
    let last = pages.last().unwrap();
    assert!(last.contains(&key.to_hex()));
    let log = c.audit_log();
    for secret in [c.reply_keys[0].as_str(), c.lena.as_str(), c.sara.as_str()] {
        for page in &pages {
            assert!(!page.contains(secret));
        }
        assert!(!log.contains(secret));
    }
    assert!(
        !log.contains(&csrf),
        "the CSRF token is in forms, never in the log"
    );
    assert!(pages[pages.len() - 2].contains("Socialtjänsten"));
    assert!(pages[pages.len() - 2].contains("<dt>Urgency cleared</dt>"));
    assert!(!pages[pages.len() - 2].contains("Clear the urgency"));
}

#[test]
fn odd_case_addresses_and_fields_answer_with_a_page_and_change_nothing() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let case = case_path("en", &key);
    for target in [
        "/en/cases/".to_owned(),
        "/en/cases/ABC".to_owned(),
        format!("{case}/extra"),
        case.to_uppercase().replace("/EN/CASES/", "/en/cases/"),
    ] {
        assert_eq!(
            c.get(&c.sara, &target).status,
            StatusCode::NOT_FOUND,
            "{target}"
        );
    }
    for query in ["view=%ff", "view=", "view=mine&view=closed", "x"] {
        let reply = c.get(&c.sara, &format!("/en/cases?{query}"));
        assert_eq!(reply.status, StatusCode::OK, "{query}");
    }
    for (target, fields, status) in [
        (case.clone(), "", StatusCode::NOT_FOUND),
        (format!("{case}/unknown"), "", StatusCode::NOT_FOUND),
        (
            format!("{case}/assign"),
            "to=nobody",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("{case}/status"),
            "status=lost",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("{case}/team"),
            "team=Nowhere",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("{case}/refer"),
            "partner=police",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("{case}/reminder"),
            "date=tomorrow",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("{case}/note"),
            "text=",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let reply = c.post(&c.sara, &target, fields);
        assert_eq!(reply.status, status, "{target} {fields}");
    }
    let sara = c.web.desk.sessions.check(&c.sara).unwrap().unwrap();
    let (view, _) = c.web.desk.cases.view(sara.account.id, &key).unwrap();
    assert_eq!(view.entries.len(), 1);
    assert_eq!(view.case.assignee, None);
    assert_eq!(view.case.reminder, None);
    assert!(view.case.referrals.is_empty());
    let log = c.audit_log();
    for action in [
        "assigned",
        "status-set",
        "moved-to-team",
        "referred",
        "reminder-set",
        "note-added",
    ] {
        assert!(
            !log.contains(&format!("\"action\":\"{action}\"")),
            "{action}"
        );
    }
}

#[test]
fn a_lead_reads_each_step_of_a_case_and_of_an_account_by_name_and_staff_cannot() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let case = case_path("en", &key);
    c.post(&c.sara, &format!("{case}/take"), "");
    c.post(&c.sara, &format!("{case}/note"), "text=Secret+note+text");
    let omar = c
        .web
        .desk
        .sessions
        .check(&c.omar)
        .unwrap()
        .unwrap()
        .account
        .id;
    c.post(&c.lena, &format!("{case}/assign"), &format!("to={omar}"));
    c.get(&c.omar, &format!("{case}/sealed/0"));

    let trail_path = format!("/en/trail?case={}", key.to_hex());
    assert!(html(&c.get(&c.lena, &case)).contains(&format!("href=\"{trail_path}\"")));
    assert!(!html(&c.get(&c.sara, &case)).contains("/trail?"));
    let reply = c.get(&c.lena, &trail_path);
    assert_eq!(reply.status, StatusCode::OK);
    let page = html(&reply);
    assert!(page.contains("The log&#39;s chain holds") || page.contains("The log's chain holds"));
    assert!(page.contains("signed with this inbox"));
    let steps = [
        "sara, kurator (sara)</a></td><td>took the case",
        "sara, kurator (sara)</a></td><td>wrote an internal note",
        "lena, kurator (lena)</a></td><td>gave the case to</td><td>omar, kurator (omar)",
        "omar, kurator (omar)</a></td><td>downloaded a sealed original",
        "lena, kurator (lena)</a></td><td>opened the case",
        "sara, kurator (sara)</a></td><td>opened the case",
    ];
    let mut from = 0;
    for step in steps {
        let at = page[from..]
            .find(step)
            .unwrap_or_else(|| panic!("the trail shows, in order: {step}"));
        from += at + step.len();
    }
    assert!(
        !page.contains("Secret note text"),
        "no note text in a trail"
    );
    assert!(page.contains("href=\"/en/trail?account=sara\""));

    // The account's trail: its login, and what it did in which case.
    let sara = html(&c.get(&c.lena, "/en/trail?account=sara")).to_owned();
    assert!(sara.contains("logged in"));
    assert!(sara.contains("wrote an internal note"));
    assert!(sara.contains(&key.prefix()));
    assert!(
        !sara.contains("gave the case to"),
        "lena's act is not in sara's trail"
    );

    // Staff see no trail; made-up cases and accounts are not found.
    assert_eq!(c.get(&c.sara, &trail_path).status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.get(&c.sara, "/en/trail?account=sara").status,
        StatusCode::FORBIDDEN
    );
    let made_up = format!("/en/trail?case={}", "ab".repeat(32));
    for odd in [
        made_up.as_str(),
        "/en/trail?account=nobody",
        "/en/trail?account=%ZZ%",
        "/en/trail",
        "/en/trail?case=",
    ] {
        assert_eq!(c.get(&c.lena, odd).status, StatusCode::NOT_FOUND, "{odd}");
    }

    // A log changed on disk: the page says the chain does not hold.
    let path = c.f.dir.path().join("audit.jsonl");
    let log = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, log.replacen("\"took\"", "\"viewed\"", 1)).unwrap();
    let page = html(&c.get(&c.lena, &trail_path)).to_owned();
    assert!(page.contains("does not hold"));
    assert!(page.contains("role=\"alert\""));
}

/// A pusher on its own thread that answers each request with the next outcome in `outcomes`, recording it
/// as the real pusher does; returns the reply ids it was asked to push.
fn pusher(c: &mut Centre, outcomes: Vec<bool>) -> std::thread::JoinHandle<Vec<String>> {
    let (sender, mut requests) = tokio::sync::mpsc::channel::<PushRequest>(4);
    c.web.replies = Some(sender);
    let cases = c.web.desk.cases.clone();
    std::thread::spawn(move || {
        let mut asked = Vec::new();
        for pushed in outcomes {
            let request = requests.blocking_recv().unwrap();
            let FactBy::Account(actor) = request.intent.fact.by else {
                panic!("a reply is written by an account")
            };
            let (key, id) = (request.intent.fact.case, request.intent.reply_id);
            if pushed {
                cases.reply_pushed(actor, &key, id).unwrap();
            } else {
                cases.reply_failed(actor, &key, id).unwrap();
            }
            asked.push(id.to_hex());
            request.done.unwrap().send(pushed).unwrap();
        }
        asked
    })
}

#[test]
fn a_reply_that_could_not_be_sent_says_so_and_is_sent_again_under_its_own_id_and_name() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let case = case_path("en", &key);
    let answers = pusher(&mut c, vec![false, true]);

    let failed = c.post(&c.sara, &format!("{case}/reply"), "text=We+are+here.");
    assert_eq!(location(&failed), format!("{case}?not-sent"));
    let page = html(&c.get(&c.omar, location(&failed))).to_owned();
    assert!(page.contains("could not be sent: the visitor has not got it"));
    assert!(page.contains("Sending failed"));
    assert!(page.contains(&format!("action=\"{case}/resend\"")));
    let id_at = page.find("name=\"reply\" value=\"").unwrap() + "name=\"reply\" value=\"".len();
    let reply_id = page[id_at..id_at + 32].to_owned();

    // A colleague sends it again: the same reply, under the name it was written with.
    let again = c.post(
        &c.omar,
        &format!("{case}/resend"),
        &format!("reply={reply_id}"),
    );
    assert_eq!(location(&again), format!("{case}?sent"));
    assert_eq!(
        answers.join().unwrap(),
        [reply_id.clone(), reply_id.clone()]
    );
    let page = html(&c.get(&c.omar, &case)).to_owned();
    assert!(page.contains("Reply from the centre, as “sara, kurator”"));
    assert!(page.contains("Sent: the visitor sees it when they come back"));
    assert!(!page.contains("/resend"));
    let log = c.audit_log();
    // The page writes the intents; the outcomes are the pusher's to write (`push.rs`).
    let recorded = log
        .find(&format!(
            "\"action\":\"reply-recorded\",\"detail\":\"{reply_id}\""
        ))
        .unwrap();
    let retried = log
        .find(&format!(
            "\"action\":\"reply-retried\",\"detail\":\"{reply_id}\""
        ))
        .unwrap();
    assert!(recorded < retried);

    // Sent already (a second click, or a forged id): nothing is pushed, the page is shown as it is.
    for id in [
        reply_id.as_str(),
        "00112233445566778899aabbccddeeff",
        "nonsense",
    ] {
        let reply = c.post(&c.omar, &format!("{case}/resend"), &format!("reply={id}"));
        assert_eq!(location(&reply), case, "{id}");
    }
    assert_eq!(
        c.audit_log().matches("\"reply-retried\"").count(),
        1,
        "no second retry"
    );
}

#[test]
fn with_restricted_teams_a_trail_shows_only_what_the_reader_may_see_and_reading_it_is_logged() {
    let mut c = centre(true);
    let theirs = c.first_contact(Group::UsedViolence, "Jag vill sluta.", false);
    c.post(&c.kim, &format!("{}/take", case_path("en", &theirs)), "");
    c.post(
        &c.kim,
        &format!("{}/note", case_path("en", &theirs)),
        "text=Programme+note",
    );
    let ours = c.first_contact(Group::Exposed, "Hjälp.", false);
    c.post(&c.sara, &format!("{}/take", case_path("en", &ours)), "");

    // The lead of another team: no trail for a case outside her teams, the same 404 as for none.
    let trail = format!("/en/trail?case={}", theirs.to_hex());
    assert_eq!(c.get(&c.lena, &trail).status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.get(&c.lena, &format!("/en/trail?case={}", ours.to_hex()))
            .status,
        StatusCode::OK
    );
    // Kim's trail shows Lena his login, not what he did in a case she may not see.
    let kim = html(&c.get(&c.lena, "/en/trail?account=kim")).to_owned();
    assert!(kim.contains("logged in"));
    assert!(!kim.contains(&theirs.prefix()));
    assert!(!kim.contains("wrote an internal note"));

    // Reading a trail is in the log, and in the reader's own trail.
    let log = c.audit_log();
    assert!(log.contains(&format!("\"of\":\"case {}\"", ours.prefix())));
    assert!(log.contains("\"event\":\"desk-trail-viewed\""));
    let lena = html(&c.get(&c.lena, "/en/trail?account=lena")).to_owned();
    assert!(lena.contains("read an audit trail"));
}

#[test]
fn the_same_reply_form_sent_twice_records_and_pushes_one_reply() {
    let mut c = centre(false);
    let key = c.first_contact(Group::Exposed, "Hello.", false);
    let case = case_path("en", &key);
    let answers = pusher(&mut c, vec![true]);
    let page = html(&c.get(&c.sara, &case)).to_owned();
    let at = page.find("name=\"reply_id\" value=\"").unwrap() + "name=\"reply_id\" value=\"".len();
    let reply_id = page[at..at + 32].to_owned();
    let form = format!("reply_id={reply_id}&text=Only+once.");
    let first = c.post(&c.sara, &format!("{case}/reply"), &form);
    assert_eq!(location(&first), format!("{case}?sent"));
    let second = c.post(&c.sara, &format!("{case}/reply"), &form);
    assert_eq!(location(&second), case);
    assert_eq!(answers.join().unwrap(), std::slice::from_ref(&reply_id));
    let page = html(&c.get(&c.sara, &case)).to_owned();
    assert_eq!(page.matches("Only once.").count(), 1);
    // Each showing of the page has a reply id of its own.
    let id_in = |page: &str| {
        let at =
            page.find("name=\"reply_id\" value=\"").unwrap() + "name=\"reply_id\" value=\"".len();
        page[at..at + 32].to_owned()
    };
    let again = html(&c.get(&c.sara, &case)).to_owned();
    assert_ne!(id_in(&again), id_in(&page));
    assert_ne!(id_in(&again), reply_id);
}
