//! The desk's pages: pure functions from what a handler decided to HTML. They read no storage and no
//! configuration; every word comes from [`super::text`].
//!
//! Each page has `lang`, one `h1`, a skip link to `main`, labels on every control, and the one inline
//! style sheet. A form after login carries the session's CSRF token, a form before login a signed form
//! token; passwords and codes are never written back into a form.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::style::STYLE;
use super::text::{Lang, Text};
use crate::desk::{Account, AccountState, Counts, Role};

/// The logged-in staff member a page is shown to.
pub(super) struct Viewer<'a> {
    pub(super) account: &'a Account,
    /// The session's CSRF token, for the page's forms.
    pub(super) csrf: &'a str,
    /// The queue's counts for the navigation and the title; `None` for an account that works no cases.
    pub(super) counts: Option<Counts>,
}

/// The hidden field every form carries.
pub(super) const TOKEN_FIELD: &str = "csrf";

/// Where a page sits, for the language switch: its path without the language segment (`/login`).
pub(super) struct Here<'a> {
    pub(super) lang: Lang,
    pub(super) path: &'a str,
}

fn role_name(t: &Text, role: Role) -> &'static str {
    match role {
        Role::Staff => t.role_staff,
        Role::TeamLead => t.role_lead,
        Role::Administrator => t.role_admin,
    }
}

fn state_name(t: &Text, state: AccountState) -> &'static str {
    match state {
        AccountState::Invited => t.state_invited,
        AccountState::Active => t.state_active,
        AccountState::Disabled => t.state_disabled,
    }
}

pub(super) fn token(value: &str) -> Markup {
    html! { input type="hidden" name=(TOKEN_FIELD) value=(value); }
}

pub(super) fn layout(
    here: &Here<'_>,
    title: &str,
    viewer: Option<&Viewer<'_>>,
    content: Markup,
) -> String {
    let lang = here.lang;
    let t = lang.text();
    let l = lang.code();
    let other = lang.other();
    // The counts lead the title, so a staff member sees them in the browser's tab from any page.
    let counts = viewer
        .and_then(|viewer| viewer.counts)
        .filter(|counts| counts.urgent > 0 || counts.new > 0)
        .map(|counts| (lang.cases().counts)(counts.urgent, counts.new));
    let current = |path: &str| {
        let here = if here.path.starts_with("/cases") {
            "/cases"
        } else {
            here.path
        };
        (here == path).then_some("page")
    };
    html! {
        (DOCTYPE)
        html lang=(l) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title {
                    @if let Some(counts) = &counts { "(" (counts) ") " }
                    (title) " – " (t.desk)
                }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#main" { (t.skip) }
                header {
                    div.w.bar {
                        a.home href={ "/" (l) "/" } { (t.desk) }
                        @if let Some(viewer) = viewer {
                            nav aria-label=(t.nav) {
                                ul {
                                    li { a href={ "/" (l) "/" } aria-current=[current("/")] { (t.nav_start) } }
                                    @if viewer.counts.is_some() {
                                        li {
                                            a href={ "/" (l) "/cases" } aria-current=[current("/cases")] {
                                                (t.nav_cases)
                                                @if let Some(counts) = &counts { " (" (counts) ")" }
                                            }
                                        }
                                    }
                                    li {
                                        a href={ "/" (l) "/profile" } aria-current=[current("/profile")] {
                                            (t.nav_profile)
                                        }
                                    }
                                    @if viewer.account.role == Role::Administrator {
                                        li {
                                            a href={ "/" (l) "/accounts" } aria-current=[current("/accounts")] {
                                                (t.nav_accounts)
                                            }
                                        }
                                    }
                                }
                            }
                            form method="post" action={ "/" (l) "/logout" } {
                                (token(viewer.csrf))
                                button type="submit" { (t.logout) }
                            }
                        }
                        a href={ "/" (other.code()) (here.path) } lang=(other.code()) hreflang=(other.code()) {
                            (other.name())
                        }
                    }
                }
                main #main.w tabindex="-1" {
                    h1 { (title) }
                    (content)
                }
            }
        }
    }
    .into_string()
}

pub(super) fn errors(t: &Text, message: Option<&str>, field: &str) -> Markup {
    html! {
        @if let Some(message) = message {
            div.errors role="alert" {
                h2 { (t.error_heading) }
                p { a href={ "#" (field) } { (message) } }
            }
        }
    }
}

pub(super) fn notice(message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            div.box.ok role="status" { p { (message) } }
        }
    }
}

/// What the login page shows besides the form.
pub(super) struct LoginPage<'a> {
    pub(super) form_token: &'a str,
    /// An error: refused or locked.
    pub(super) error: Option<&'a str>,
    /// A notice: logged out, session ended.
    pub(super) notice: Option<&'a str>,
    /// The login name as typed, shown again after a refusal (never the password or code).
    pub(super) login: &'a str,
}

pub(super) fn login(lang: Lang, page: &LoginPage<'_>) -> String {
    let t = lang.text();
    let l = lang.code();
    let content = html! {
        (notice(page.notice))
        (errors(t, page.error, "login"))
        p { (t.login_intro) }
        form method="post" action={ "/" (l) "/login" } {
            (token(page.form_token))
            div.field {
                label for="login" { (t.login_name) }
                input #login type="text" name="login" value=(page.login) autocomplete="username"
                    autocapitalize="none" spellcheck="false" required;
            }
            div.field {
                label for="password" { (t.password) }
                input #password type="password" name="password" autocomplete="current-password" required;
            }
            div.field {
                label for="code" { (t.totp_code) }
                p.hint #code-hint { (t.totp_hint) }
                input #code.short type="text" name="code" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9 ]*" aria-describedby="code-hint" required;
            }
            button type="submit" { (t.login_button) }
        }
        p { a href={ "/" (l) "/enrol" } { (t.enrol_link) } }
    };
    layout(
        &Here {
            lang,
            path: "/login",
        },
        t.login_title,
        None,
        content,
    )
}

pub(super) fn enrol_code(lang: Lang, form_token: &str, error: Option<&str>) -> String {
    let t = lang.text();
    let l = lang.code();
    let content = html! {
        (errors(t, error, "enrolment"))
        p { (t.enrol_intro) }
        form method="post" action={ "/" (l) "/enrol" } {
            (token(form_token))
            div.field {
                label for="enrolment" { (t.enrol_code) }
                p.hint #enrolment-hint { (t.enrol_code_hint) }
                input #enrolment type="text" name="enrolment" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" aria-describedby="enrolment-hint" required;
            }
            button type="submit" { (t.continue_button) }
        }
    };
    layout(
        &Here {
            lang,
            path: "/enrol",
        },
        t.enrol_title,
        None,
        content,
    )
}

/// The second enrolment page: the secret, and the form that sets password and confirms a code.
pub(super) struct EnrolSecretPage<'a> {
    pub(super) form_token: &'a str,
    /// The enrolment code, carried to the last step in a hidden field.
    pub(super) enrolment: &'a str,
    pub(super) login: &'a str,
    pub(super) secret: &'a str,
    pub(super) qr_svg: Option<&'a str>,
    pub(super) error: Option<(&'a str, &'a str)>,
    /// The secret is new since the page was last shown (each showing makes one, so that a secret seen
    /// by someone else with the code never enrols): the person must replace it in their app.
    pub(super) renewed: bool,
}

pub(super) fn enrol_secret(lang: Lang, page: &EnrolSecretPage<'_>) -> String {
    let t = lang.text();
    let l = lang.code();
    let (error, field) = match page.error {
        Some((message, field)) => (Some(message), field),
        None => (None, ""),
    };
    // Groups of four, as apps show them and people type them.
    let grouped: Vec<String> = page
        .secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let content = html! {
        (errors(t, error, field))
        h2 { (t.enrol_app_heading) }
        @if page.renewed {
            div.box role="status" { p { strong { (t.enrol_secret_renewed) } } }
        }
        p { (t.enrol_app_intro) }
        dl {
            dt { (t.login_name) }
            dd { (page.login) }
            dt { (t.enrol_secret_label) }
            dd.secret { (grouped.join(" ")) }
        }
        @if let Some(svg) = page.qr_svg {
            figure.qr role="img" aria-label=(t.enrol_qr_label) { (PreEscaped(svg)) }
        }
        h2 { (t.enrol_password_heading) }
        form method="post" action={ "/" (l) "/enrol/finish" } {
            (token(page.form_token))
            input type="hidden" name="enrolment" value=(page.enrolment);
            input type="text" name="username" value=(page.login) autocomplete="username" hidden;
            div.field {
                label for="password" { (t.new_password) }
                p.hint #password-hint { (t.new_password_hint) }
                input #password type="password" name="password" autocomplete="new-password" minlength="12"
                    aria-describedby="password-hint" required;
            }
            div.field {
                label for="repeat" { (t.repeat_password) }
                input #repeat type="password" name="repeat" autocomplete="new-password" required;
            }
            div.field {
                label for="code" { (t.totp_code) }
                p.hint #code-hint { (t.enrol_totp_hint) }
                input #code.short type="text" name="code" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9 ]*" aria-describedby="code-hint" required;
            }
            button type="submit" { (t.enrol_button) }
        }
    };
    layout(
        &Here {
            lang,
            path: "/enrol",
        },
        t.enrol_title,
        None,
        content,
    )
}

pub(super) fn enrolled(lang: Lang) -> String {
    let t = lang.text();
    let content = html! {
        p { (t.enrolled_text) }
        p { a href={ "/" (lang.code()) "/login" } { (t.to_login) } }
    };
    layout(
        &Here {
            lang,
            path: "/login",
        },
        t.enrolled_title,
        None,
        content,
    )
}

fn who(t: &Text, account: &Account) -> Markup {
    html! {
        dl {
            dt { (t.login_label) }
            dd { (account.login.as_str()) }
            dt { (t.display_name) }
            dd { (account.display_name.as_str()) }
            dt { (t.role) }
            dd { (role_name(t, account.role)) }
            dt { (t.teams) }
            dd {
                @if account.teams.is_empty() { (t.no_teams) }
                @else {
                    @for (i, team) in account.teams.iter().enumerate() {
                        @if i > 0 { ", " }
                        (team.as_str())
                    }
                }
            }
        }
    }
}

pub(super) fn start(lang: Lang, viewer: &Viewer<'_>) -> String {
    let t = lang.text();
    let content = html! {
        h2 { (t.you_are) }
        (who(t, viewer.account))
        @if viewer.counts.is_some() {
            div.box { p { a href={ "/" (lang.code()) "/cases" } { (lang.cases().to_queue) } } }
        }
    };
    layout(
        &Here { lang, path: "/" },
        t.start_title,
        Some(viewer),
        content,
    )
}

/// The profile form's state.
pub(super) struct ProfilePage<'a> {
    /// The display name in the field: the stored one, or what was typed when it was refused.
    pub(super) display_name: &'a str,
    pub(super) error: Option<&'a str>,
    pub(super) saved: bool,
}

pub(super) fn profile(lang: Lang, viewer: &Viewer<'_>, page: &ProfilePage<'_>) -> String {
    let t = lang.text();
    let content = html! {
        (notice(page.saved.then_some(t.saved)))
        (errors(t, page.error, "display-name"))
        (who(t, viewer.account))
        form method="post" action={ "/" (lang.code()) "/profile" } {
            (token(viewer.csrf))
            div.field {
                label for="display-name" { (t.display_name) }
                p.hint #display-name-hint { (t.display_name_hint) }
                input #display-name type="text" name="display_name" value=(page.display_name) maxlength="80"
                    aria-describedby="display-name-hint" required;
            }
            button type="submit" { (t.save) }
        }
    };
    layout(
        &Here {
            lang,
            path: "/profile",
        },
        t.profile_title,
        Some(viewer),
        content,
    )
}

/// The new-account form's typed values, shown again when it was refused.
#[derive(Default)]
pub(super) struct NewAccountForm<'a> {
    pub(super) login: &'a str,
    pub(super) display_name: &'a str,
    pub(super) role: &'a str,
    pub(super) teams: &'a str,
}

pub(super) fn accounts(
    lang: Lang,
    viewer: &Viewer<'_>,
    accounts: &[Account],
    form: &NewAccountForm<'_>,
    error: Option<(&str, &str)>,
) -> String {
    let t = lang.text();
    let l = lang.code();
    let (error, field) = match error {
        Some((message, field)) => (Some(message), field),
        None => (None, ""),
    };
    let content = html! {
        (errors(t, error, field))
        h2 { (t.accounts_list) }
        div.table {
            table {
                thead {
                    tr {
                        th scope="col" { (t.login_label) }
                        th scope="col" { (t.display_name) }
                        th scope="col" { (t.role) }
                        th scope="col" { (t.teams) }
                        th scope="col" { (t.state) }
                        th scope="col" { (t.actions) }
                    }
                }
                tbody {
                    @for account in accounts {
                        tr {
                            th scope="row" {
                                a href={ "/" (l) "/trail?account=" (account.login.as_str()) }
                                    aria-label={ (t.trail_of) " " (account.login.as_str()) } {
                                    (account.login.as_str())
                                }
                            }
                            td { (account.display_name.as_str()) }
                            td { (role_name(t, account.role)) }
                            td {
                                @for (i, team) in account.teams.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    (team.as_str())
                                }
                            }
                            td { (state_name(t, account.state)) }
                            td {
                                @if account.id == viewer.account.id {
                                    (t.own_account)
                                } @else {
                                    form method="post" action={ "/" (l) "/accounts/reset" } {
                                        (token(viewer.csrf))
                                        input type="hidden" name="login" value=(account.login.as_str());
                                        button type="submit" aria-label={ (t.reset) " " (account.login.as_str()) } {
                                            (t.reset)
                                        }
                                    }
                                    @if account.state != AccountState::Disabled {
                                        form method="post" action={ "/" (l) "/accounts/disable" } {
                                            (token(viewer.csrf))
                                            input type="hidden" name="login" value=(account.login.as_str());
                                            button.danger type="submit"
                                                aria-label={ (t.disable) " " (account.login.as_str()) } {
                                                (t.disable)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { (t.new_account) }
        form method="post" action={ "/" (l) "/accounts/new" } {
            (token(viewer.csrf))
            div.field {
                label for="login" { (t.login_label) }
                p.hint #login-hint { (t.new_login_hint) }
                input #login type="text" name="login" value=(form.login) autocomplete="off"
                    autocapitalize="none" spellcheck="false" aria-describedby="login-hint" required;
            }
            div.field {
                label for="display-name" { (t.display_name) }
                p.hint #display-name-hint { (t.new_display_hint) }
                input #display-name type="text" name="display_name" value=(form.display_name) maxlength="80"
                    aria-describedby="display-name-hint" required;
            }
            div.field {
                label for="role" { (t.role) }
                select #role name="role" {
                    @for role in [Role::Staff, Role::TeamLead, Role::Administrator] {
                        option value=(role.as_str()) selected[form.role == role.as_str()] { (role_name(t, role)) }
                    }
                }
            }
            div.field {
                label for="teams" { (t.teams) }
                p.hint #teams-hint { (t.teams_hint) }
                input #teams type="text" name="teams" value=(form.teams) aria-describedby="teams-hint";
            }
            button type="submit" { (t.create) }
        }
    };
    layout(
        &Here {
            lang,
            path: "/accounts",
        },
        t.accounts_title,
        Some(viewer),
        content,
    )
}

/// The page that shows a new enrolment code, once.
pub(super) struct CodePage<'a> {
    pub(super) title: &'a str,
    pub(super) login: &'a str,
    pub(super) code: &'a str,
    pub(super) expires: &'a str,
}

pub(super) fn code_shown(lang: Lang, viewer: &Viewer<'_>, page: &CodePage<'_>) -> String {
    let t = lang.text();
    let content = html! {
        p { (t.code_intro) }
        dl {
            dt { (t.login_label) }
            dd { (page.login) }
            dt { (t.enrol_code) }
            dd.secret { (page.code) }
            dt { (t.code_expires) }
            dd { (page.expires) }
        }
        p { a href={ "/" (lang.code()) "/accounts" } { (t.back_to_accounts) } }
    };
    layout(
        &Here {
            lang,
            path: "/accounts",
        },
        page.title,
        Some(viewer),
        content,
    )
}

/// A page that only says something: done, refused, missing, failed.
pub(super) fn message(
    lang: Lang,
    viewer: Option<&Viewer<'_>>,
    title: &str,
    text: &str,
    link: (&str, &str),
) -> String {
    let content = html! {
        p { (text) }
        p { a href={ "/" (lang.code()) (link.0) } { (link.1) } }
    };
    layout(&Here { lang, path: link.0 }, title, viewer, content)
}
