//! From a request to a reply: the language, the route, the session and its CSRF token, then the handler.
//!
//! Every POST is checked in the same order before its handler sees a field: a browser's word that it came
//! from another site (`Sec-Fetch-Site`, `Origin`) refuses it; then the body must be a form; then its
//! token must be the session's CSRF token (after login) or a form token of this process (login and
//! enrolment). A refused POST changes nothing. A request whose session has ended (idle, too old, logged out,
//! account reset or disabled) is sent to the login page with a message, and what its form carried is
//! dropped: nothing typed in one session is shown in another.
//!
//! The handlers call the desk's library, which blocks (redb, Argon2id); the server runs this module on
//! tokio's blocking threads.

use bytes::Bytes;
use hyper::header::HeaderMap;
use hyper::{Method, StatusCode};
use porten_protocol::secret::Sensitive;

use super::http::{cross_site, session_cookie, Form, Reply, SetCookie};
use super::pages::{self, Viewer, TOKEN_FIELD};
use super::text::Lang;
use super::{case, queue, trail, Web};
use crate::audit::AuditEvent;
use crate::desk::{
    AccountError, Counts, Credential, DisplayName, EnrolmentError, LoginName, LoginRefused,
    NewAccount, PasswordError, Role, Session, TeamName, View,
};

/// A request as the handlers see it: the body already read within its limits.
pub(super) struct Request {
    pub(super) method: Method,
    /// The path and query, as sent.
    pub(super) target: String,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

/// Answers one request.
pub(super) fn handle(web: &Web, request: &Request) -> Reply {
    let (path, query) = match request.target.split_once('?') {
        Some((path, query)) => (path, query),
        None => (request.target.as_str(), ""),
    };
    let mut segments = path.trim_start_matches('/').splitn(2, '/');
    let Some(lang) = segments.next().and_then(Lang::from_segment) else {
        return match path {
            "/" => Reply::redirect("/sv/".into()),
            _ => not_found(Lang::Sv),
        };
    };
    let rest = match segments.next() {
        None => return Reply::redirect(format!("/{}/", lang.code())),
        Some(rest) => format!("/{rest}"),
    };
    if request.method == Method::POST {
        return post(web, request, lang, &rest);
    }
    if request.method != Method::GET && request.method != Method::HEAD {
        return message(
            web,
            lang,
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            Message::NotFound,
        );
    }
    match rest.as_str() {
        "/login" => login_page(web, lang, query),
        "/enrol" => Reply::page(
            StatusCode::OK,
            pages::enrol_code(lang, &web.form_token(), None),
        ),
        "/" | "/profile" | "/accounts" | "/cases" | "/trail" => {
            match session(web, &request.headers, lang) {
                Ok(session) => match rest.as_str() {
                    "/" => Reply::page(StatusCode::OK, pages::start(lang, &viewer(web, &session))),
                    "/profile" => profile_page(web, lang, &session, None, None, false),
                    "/cases" => queue::page(web, lang, &session, query),
                    "/trail" => trail::page(web, lang, &session, query),
                    _ => {
                        accounts_page(web, lang, &session, &pages::NewAccountForm::default(), None)
                    }
                },
                Err(reply) => reply,
            }
        }
        path if path.starts_with("/cases/") => match session(web, &request.headers, lang) {
            Ok(session) => case::page(web, lang, &session, &path["/cases/".len()..], query),
            Err(reply) => reply,
        },
        _ => not_found(lang),
    }
}

fn post(web: &Web, request: &Request, lang: Lang, route: &str) -> Reply {
    if cross_site(&request.headers) {
        tracing::info!("a form posted from another site was refused");
        return message(web, lang, None, StatusCode::FORBIDDEN, Message::FormRefused);
    }
    let Ok(form) = Form::parse(&request.body) else {
        return message(
            web,
            lang,
            None,
            StatusCode::BAD_REQUEST,
            Message::FormRefused,
        );
    };
    match route {
        "/login" | "/enrol" | "/enrol/finish" => {
            if !web.tokens.check(form.value(TOKEN_FIELD), web.now()) {
                return message(web, lang, None, StatusCode::FORBIDDEN, Message::FormRefused);
            }
            match route {
                "/login" => login(web, request, lang, &form),
                "/enrol" => enrol(web, lang, &form),
                _ => enrol_finish(web, lang, &form),
            }
        }
        "/logout" | "/profile" | "/accounts/new" | "/accounts/reset" | "/accounts/disable" => {
            after_login(web, request, lang, route, &form)
        }
        _ if route.starts_with("/cases/") => after_login(web, request, lang, route, &form),
        _ => not_found(lang),
    }
}

/// A POST of a logged-in page: the session, its CSRF token, then the handler.
fn after_login(web: &Web, request: &Request, lang: Lang, route: &str, form: &Form) -> Reply {
    let session = match session(web, &request.headers, lang) {
        Ok(session) => session,
        Err(reply) => return reply,
    };
    if !session.csrf.matches(form.value(TOKEN_FIELD)) {
        tracing::info!("a form without the CSRF token of its login was refused");
        return message(
            web,
            lang,
            Some(&session),
            StatusCode::FORBIDDEN,
            Message::FormRefused,
        );
    }
    if let Some(case_route) = route.strip_prefix("/cases/") {
        return case::act(web, lang, &session, case_route, form);
    }
    match route {
        "/logout" => logout(web, request, lang, &session),
        "/profile" => save_profile(web, lang, &session, form),
        _ if session.account.role != Role::Administrator => message(
            web,
            lang,
            Some(&session),
            StatusCode::FORBIDDEN,
            Message::Forbidden,
        ),
        "/accounts/new" => create_account(web, lang, &session, form),
        "/accounts/reset" => reset_account(web, lang, &session, form),
        _ => disable_account(web, lang, &session, form),
    }
}

/// The live session of the request's cookie, or the reply that sends the browser to the login page.
fn session(web: &Web, headers: &HeaderMap, lang: Lang) -> Result<Session, Reply> {
    let login = format!("/{}/login", lang.code());
    let Some(cookie) = session_cookie(headers) else {
        return Err(Reply::redirect(login));
    };
    match web.desk.sessions.check(cookie.expose()) {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(Reply::redirect(format!("{login}?ended")).with_cookie(SetCookie::Clear)),
        Err(error) => {
            tracing::error!(%error, "the desk's session table could not be read");
            Err(message(
                web,
                lang,
                None,
                StatusCode::INTERNAL_SERVER_ERROR,
                Message::Failure,
            ))
        }
    }
}

/// What a logged-in page knows of its reader, with the queue's counts for the navigation.
pub(super) fn viewer<'a>(web: &Web, session: &'a Session) -> Viewer<'a> {
    Viewer {
        account: &session.account,
        csrf: session.csrf.expose(),
        counts: counts(web, &session.account),
    }
}

/// The counts of the cases `account` may see; `None` for an account that works no cases. A failure to
/// read them is logged and leaves them out: the page itself still works.
fn counts(web: &Web, account: &crate::desk::Account) -> Option<Counts> {
    // The rule of `cases::access`: staff and leads work cases, an administrator only as a team member.
    if account.role == Role::Administrator && account.teams.is_empty() {
        return None;
    }
    match web.desk.cases.queue(account.id, View::Urgent) {
        Ok(queue) => Some(queue.counts),
        Err(error) => {
            tracing::warn!(%error, "the queue's counts could not be read");
            None
        }
    }
}

/// The pages that only say something.
#[derive(Clone, Copy)]
pub(super) enum Message {
    NotFound,
    Forbidden,
    FormRefused,
    Failure,
    Disabled,
    NoSuchAccount,
}

pub(super) fn message(
    web: &Web,
    lang: Lang,
    session: Option<&Session>,
    status: StatusCode,
    which: Message,
) -> Reply {
    let t = lang.text();
    let (title, text) = match which {
        Message::NotFound => (t.not_found_title, t.not_found_text),
        Message::Forbidden => (t.forbidden_title, t.forbidden_text),
        Message::FormRefused => (t.form_refused_title, t.form_refused_text),
        Message::Failure => (t.failure_title, t.failure_text),
        Message::Disabled => (t.accounts_title, t.disabled_done),
        Message::NoSuchAccount => (t.accounts_title, t.no_such_account),
    };
    let link = match (which, session) {
        (Message::Disabled | Message::NoSuchAccount, _) => ("/accounts", t.back_to_accounts),
        (_, Some(_)) => ("/", t.to_start),
        (_, None) => ("/login", t.to_login),
    };
    let viewer = session.map(|session| viewer(web, session));
    Reply::page(
        status,
        pages::message(lang, viewer.as_ref(), title, text, link),
    )
}

/// The 404 page a logged-in staff member gets: for a case key no case has and for a case they may not
/// see alike, so the answer tells nothing about which.
pub(super) fn not_found_for(web: &Web, lang: Lang, session: &Session) -> Reply {
    message(
        web,
        lang,
        Some(session),
        StatusCode::NOT_FOUND,
        Message::NotFound,
    )
}

fn not_found(lang: Lang) -> Reply {
    let t = lang.text();
    Reply::page(
        StatusCode::NOT_FOUND,
        pages::message(
            lang,
            None,
            t.not_found_title,
            t.not_found_text,
            ("/", t.to_start),
        ),
    )
}

/// Appends to the audit log; a failure is logged and becomes the failure page.
pub(super) fn record(
    web: &Web,
    lang: Lang,
    session: Option<&Session>,
    event: AuditEvent,
) -> Result<(), Reply> {
    web.audit.append(&event).map(|_| ()).map_err(|error| {
        tracing::error!(%error, "a desk action could not be written to the audit log");
        message(
            web,
            lang,
            session,
            StatusCode::INTERNAL_SERVER_ERROR,
            Message::Failure,
        )
    })
}

pub(super) fn store_failure(
    web: &Web,
    lang: Lang,
    session: Option<&Session>,
    error: &dyn std::fmt::Display,
) -> Reply {
    tracing::error!(%error, "the desk's database failed");
    message(
        web,
        lang,
        session,
        StatusCode::INTERNAL_SERVER_ERROR,
        Message::Failure,
    )
}

fn login_page(web: &Web, lang: Lang, query: &str) -> Reply {
    let t = lang.text();
    let notice = match query {
        "ended" => Some(t.session_ended),
        "out" => Some(t.logged_out),
        _ => None,
    };
    // The form is shown even to a browser with a live session: its login replaces that session, whoever's
    // it was, so a session id planted in the browser is never carried into the staff member's login.
    let token = web.form_token();
    Reply::page(
        StatusCode::OK,
        pages::login(
            lang,
            &pages::LoginPage {
                form_token: &token,
                error: None,
                notice,
                login: "",
            },
        ),
    )
}

fn login(web: &Web, request: &Request, lang: Lang, form: &Form) -> Reply {
    let t = lang.text();
    let credential = Credential::PasswordTotp {
        login: form.value("login").to_owned(),
        password: form.secret("password"),
        totp_code: form.secret("code"),
    };
    let refused = |reason: &str, text: &str| {
        if let Err(reply) = record(
            web,
            lang,
            None,
            AuditEvent::DeskLoginRefused {
                reason: reason.into(),
            },
        ) {
            return reply;
        }
        let token = web.form_token();
        // The same status and page for every refusal; only a lock (of any name, known or not) or a busy
        // desk says "try again later".
        Reply::page(
            StatusCode::OK,
            pages::login(
                lang,
                &pages::LoginPage {
                    form_token: &token,
                    error: Some(text),
                    notice: None,
                    login: form.value("login"),
                },
            ),
        )
    };
    let authenticated = match web.desk.login.authenticate(credential) {
        Ok(authenticated) => authenticated,
        Err(LoginRefused::Refused) => return refused("refused", t.login_refused),
        Err(LoginRefused::Locked { .. }) => return refused("locked", t.login_locked),
        Err(LoginRefused::Busy) => return refused("busy", t.login_locked),
        Err(error) => return store_failure(web, lang, None, &error),
    };
    // Whatever session the browser came with is deleted: an id planted before login is worth nothing.
    let old = session_cookie(&request.headers);
    let new = match web
        .desk
        .sessions
        .start(&authenticated, old.as_ref().map(|c| c.expose().as_str()))
    {
        Ok(new) => new,
        Err(error) => return store_failure(web, lang, None, &error),
    };
    let event = AuditEvent::DeskLogin {
        account: authenticated.account.id.to_string(),
        method: "password-totp".into(),
    };
    if let Err(reply) = record(web, lang, None, event) {
        // A login that is not on record does not happen.
        let _ = web.desk.sessions.end(new.cookie.expose());
        return reply;
    }
    Reply::redirect(format!("/{}/", lang.code())).with_cookie(SetCookie::Session(Sensitive::new(
        new.cookie.expose().to_owned(),
    )))
}

fn logout(web: &Web, request: &Request, lang: Lang, session: &Session) -> Reply {
    if let Some(cookie) = session_cookie(&request.headers) {
        if let Err(error) = web.desk.sessions.end(cookie.expose()) {
            return store_failure(web, lang, Some(session), &error);
        }
    }
    let event = AuditEvent::DeskLogout {
        account: session.account.id.to_string(),
    };
    if let Err(reply) = record(web, lang, None, event) {
        return reply.with_cookie(SetCookie::Clear);
    }
    Reply::redirect(format!("/{}/login?out", lang.code())).with_cookie(SetCookie::Clear)
}

fn enrol(web: &Web, lang: Lang, form: &Form) -> Reply {
    enrol_step(web, lang, form.value("enrolment"), None)
}

/// The secret page for `code`, with an error from the last step if any; the code page if it is not valid.
fn enrol_step(web: &Web, lang: Lang, code: &str, error: Option<(&str, &str)>) -> Reply {
    let t = lang.text();
    match web.desk.accounts.begin_enrolment(code) {
        Ok(start) => {
            let secret = start.secret_text();
            let svg = start.qr_svg();
            let token = web.form_token();
            let page = pages::EnrolSecretPage {
                form_token: &token,
                enrolment: code.trim(),
                login: start.account.login.as_str(),
                secret: secret.expose(),
                qr_svg: svg.as_ref().map(|svg| svg.expose().as_str()),
                error,
            };
            let status = if error.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            Reply::page(status, pages::enrol_secret(lang, &page))
        }
        Err(EnrolmentError::Store(error)) => store_failure(web, lang, None, &error),
        Err(_) => Reply::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::enrol_code(lang, &web.form_token(), Some(t.enrol_code_refused)),
        ),
    }
}

fn enrol_finish(web: &Web, lang: Lang, form: &Form) -> Reply {
    let t = lang.text();
    let code = form.value("enrolment");
    let password = form.secret("password");
    if password.expose().as_str() != form.value("repeat") {
        return enrol_step(web, lang, code, Some((t.passwords_differ, "password")));
    }
    match web
        .desk
        .accounts
        .complete_enrolment(code, password, form.value("code"))
    {
        Ok(account) => {
            let event = AuditEvent::DeskEnrolled {
                account: account.id.to_string(),
            };
            if let Err(reply) = record(web, lang, None, event) {
                return reply;
            }
            Reply::page(StatusCode::OK, pages::enrolled(lang))
        }
        Err(EnrolmentError::Password(PasswordError::TooShort { .. })) => {
            enrol_step(web, lang, code, Some((t.password_too_short, "password")))
        }
        Err(EnrolmentError::Password(PasswordError::TooLong { .. })) => {
            enrol_step(web, lang, code, Some((t.password_too_long, "password")))
        }
        Err(EnrolmentError::WrongTotpCode) => {
            enrol_step(web, lang, code, Some((t.enrol_totp_wrong, "code")))
        }
        Err(EnrolmentError::UnknownOrExpired) => Reply::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::enrol_code(lang, &web.form_token(), Some(t.enrol_code_refused)),
        ),
        Err(error) => store_failure(web, lang, None, &error),
    }
}

fn profile_page(
    web: &Web,
    lang: Lang,
    session: &Session,
    typed: Option<&str>,
    error: Option<&str>,
    saved: bool,
) -> Reply {
    let page = pages::ProfilePage {
        display_name: typed.unwrap_or(session.account.display_name.as_str()),
        error,
        saved,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Reply::page(status, pages::profile(lang, &viewer(web, session), &page))
}

fn save_profile(web: &Web, lang: Lang, session: &Session, form: &Form) -> Reply {
    let t = lang.text();
    let typed = form.value("display_name");
    let Ok(name) = DisplayName::parse(typed) else {
        return profile_page(
            web,
            lang,
            session,
            Some(typed),
            Some(t.display_name_bad),
            false,
        );
    };
    let account = match web.desk.accounts.set_display_name(session.account.id, name) {
        Ok(account) => account,
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let event = AuditEvent::DeskDisplayNameChanged {
        account: account.id.to_string(),
    };
    if let Err(reply) = record(web, lang, Some(session), event) {
        return reply;
    }
    let updated = Session {
        account,
        ..session.clone()
    };
    profile_page(web, lang, &updated, None, None, true)
}

fn accounts_page(
    web: &Web,
    lang: Lang,
    session: &Session,
    form: &pages::NewAccountForm<'_>,
    error: Option<(&str, &str)>,
) -> Reply {
    if session.account.role != Role::Administrator {
        return message(
            web,
            lang,
            Some(session),
            StatusCode::FORBIDDEN,
            Message::Forbidden,
        );
    }
    let accounts = match web.desk.accounts.list() {
        Ok(accounts) => accounts,
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Reply::page(
        status,
        pages::accounts(lang, &viewer(web, session), &accounts, form, error),
    )
}

fn create_account(web: &Web, lang: Lang, session: &Session, form: &Form) -> Reply {
    let t = lang.text();
    let typed = pages::NewAccountForm {
        login: form.value("login"),
        display_name: form.value("display_name"),
        role: form.value("role"),
        teams: form.value("teams"),
    };
    let refuse = |message: &str, field: &str| {
        accounts_page(web, lang, session, &typed, Some((message, field)))
    };
    let Ok(login) = LoginName::parse(typed.login) else {
        return refuse(t.login_bad, "login");
    };
    let Ok(display_name) = DisplayName::parse(typed.display_name) else {
        return refuse(t.display_name_bad, "display-name");
    };
    let Ok(role) = typed.role.parse::<Role>() else {
        return refuse(t.role, "role");
    };
    let teams: Result<Vec<TeamName>, _> = typed
        .teams
        .split(',')
        .filter(|team| !team.trim().is_empty())
        .map(TeamName::parse)
        .collect();
    let Ok(teams) = teams else {
        return refuse(t.team_bad, "teams");
    };
    // Only configured teams: a look-alike name (another case, a zero-width space) would put the account
    // in a team that does not exist, seeing nothing, or hide what it is.
    if teams
        .iter()
        .any(|team| web.desk.cases.teams().get(team).is_none())
    {
        return refuse(t.team_unknown, "teams");
    }
    let team_names: Vec<String> = teams.iter().map(|team| team.as_str().to_owned()).collect();
    let invitation = match web.desk.accounts.create(NewAccount {
        login,
        display_name,
        role,
        teams,
    }) {
        Ok(invitation) => invitation,
        Err(AccountError::LoginTaken(_)) => return refuse(t.login_taken, "login"),
        Err(error) => return store_failure(web, lang, Some(session), &error),
    };
    let event = AuditEvent::DeskAccountCreated {
        by: session.account.id.to_string(),
        account: invitation.account.id.to_string(),
        role: role.as_str().into(),
        teams: team_names,
    };
    if let Err(reply) = record(web, lang, Some(session), event) {
        return reply;
    }
    code_page(web, lang, session, t.code_title_created, &invitation)
}

fn code_page(
    web: &Web,
    lang: Lang,
    session: &Session,
    title: &str,
    invitation: &crate::desk::Invitation,
) -> Reply {
    let expires = time::OffsetDateTime::from_unix_timestamp(invitation.expires)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default();
    let page = pages::CodePage {
        title,
        login: invitation.account.login.as_str(),
        code: invitation.code.expose(),
        expires: &expires,
    };
    Reply::page(
        StatusCode::OK,
        pages::code_shown(lang, &viewer(web, session), &page),
    )
}

/// The account an administrator acts on, if it is another than their own (an administrator who reset or
/// disabled themselves could lock the centre out of its desk).
fn other_account(
    web: &Web,
    lang: Lang,
    session: &Session,
    form: &Form,
) -> Result<LoginName, Reply> {
    match LoginName::parse(form.value("login")) {
        Ok(login) if login == session.account.login => Err(message(
            web,
            lang,
            Some(session),
            StatusCode::FORBIDDEN,
            Message::Forbidden,
        )),
        Ok(login) => Ok(login),
        Err(_) => Err(message(
            web,
            lang,
            Some(session),
            StatusCode::NOT_FOUND,
            Message::NoSuchAccount,
        )),
    }
}

/// The page for an administrator's act on an account that failed: the account is gone, or the store failed.
fn account_failure(web: &Web, lang: Lang, session: &Session, error: &AccountError) -> Reply {
    match error {
        AccountError::NoSuchAccount(_) => message(
            web,
            lang,
            Some(session),
            StatusCode::NOT_FOUND,
            Message::NoSuchAccount,
        ),
        error => store_failure(web, lang, Some(session), error),
    }
}

fn reset_account(web: &Web, lang: Lang, session: &Session, form: &Form) -> Reply {
    let login = match other_account(web, lang, session, form) {
        Ok(login) => login,
        Err(reply) => return reply,
    };
    let invitation = match web.desk.accounts.reset(&login) {
        Ok(invitation) => invitation,
        Err(error) => return account_failure(web, lang, session, &error),
    };
    let event = AuditEvent::DeskAccountReset {
        by: session.account.id.to_string(),
        account: invitation.account.id.to_string(),
    };
    if let Err(reply) = record(web, lang, Some(session), event) {
        return reply;
    }
    code_page(
        web,
        lang,
        session,
        lang.text().code_title_reset,
        &invitation,
    )
}

fn disable_account(web: &Web, lang: Lang, session: &Session, form: &Form) -> Reply {
    let login = match other_account(web, lang, session, form) {
        Ok(login) => login,
        Err(reply) => return reply,
    };
    let account = match web.desk.accounts.disable(&login) {
        Ok(account) => account,
        Err(error) => return account_failure(web, lang, session, &error),
    };
    let event = AuditEvent::DeskAccountDisabled {
        by: session.account.id.to_string(),
        account: account.id.to_string(),
    };
    if let Err(reply) = record(web, lang, Some(session), event) {
        return reply;
    }
    message(web, lang, Some(session), StatusCode::OK, Message::Disabled)
}
