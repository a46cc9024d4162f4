// The staff desk driven as a person drives it, with JavaScript off: links followed and buttons pressed with the
// mouse, fields filled by typing, a choice in a list made with the keyboard. Each step checks the status and the
// heading of the page it leads to, so a broken step fails where it breaks, and hands every page it passes to an
// optional `seen(name, response)` (for the page checks). Secrets met on the way (enrolment codes, TOTP secrets)
// are registered with the caller's `Secrets` before anything could print them.
//
// The words the tests look for are the desk's own, in Swedish and English (`WORDS`).

import assert from 'node:assert/strict';
import { Authenticator } from './totp.mjs';
import { clickAt, navigate, typeInto } from './visit.mjs';

/** The desk's words the tests read, per language. */
export const WORDS = {
  sv: {
    loginTitle: 'Logga in',
    enrolTitle: 'Aktivera ditt konto',
    enrolledTitle: 'Kontot är aktiverat',
    secretRenewed: 'Hemligheten nedan är ny.',
    startTitle: 'Start',
    profileTitle: 'Min profil',
    accountsTitle: 'Konton',
    createdTitle: 'Kontot är skapat',
    queueTitle: 'Ärenden',
    caseTitle: 'Ärende',
    urgent: 'Akut',
    statusNew: 'Nytt',
    statusWaiting: 'Väntar på besökaren',
    status: 'Status',
    assignee: 'Tilldelat',
    note: 'Intern anteckning – skickas aldrig till besökaren',
    replyFrom: 'Svar från centret, som',
    pushed: 'Skickat: besökaren ser svaret nästa gång',
    recorded: 'Sparat i skrivbordet, inte skickat än',
    formRefusedTitle: 'Formuläret togs inte emot',
    notFoundTitle: 'Sidan finns inte',
    forbiddenTitle: 'Inte tillåtet',
    sealedOriginal: 'Ladda ned meddelandet förseglat, som det kom (age-fil; nedladdningen loggas)',
    trailLink: 'Granskningsspår för ärendet',
    trail: {
      delivery: 'Inkorgen (leverans)',
      firstContact: 'första kontakt levererad',
      followUp: 'uppföljning levererad',
      took: 'tog ärendet',
      exported: 'laddade ned ett förseglat original',
      note: 'skrev en intern anteckning',
      reply: 'skrev ett svar (sparat, ska skickas)',
      pushed: 'svaret skickades till porten',
      assigned: 'gav ärendet till',
    },
  },
  en: {
    loginTitle: 'Log in',
    enrolTitle: 'Activate your account',
    enrolledTitle: 'Your account is active',
    secretRenewed: 'The secret below is new.',
    startTitle: 'Start',
    profileTitle: 'My profile',
    accountsTitle: 'Accounts',
    createdTitle: 'The account is created',
    queueTitle: 'Cases',
    caseTitle: 'Case',
    urgent: 'Urgent',
    statusNew: 'New',
    statusWaiting: 'Waiting for the visitor',
    status: 'Status',
    assignee: 'Assigned to',
    note: 'Internal note — never sent to the visitor',
    replyFrom: 'Reply from the centre, as',
    pushed: 'Sent: the visitor sees it when they come back',
    recorded: 'Stored at the desk, not yet sent',
    formRefusedTitle: 'The form was not accepted',
    notFoundTitle: 'Page not found',
    forbiddenTitle: 'Not allowed',
    sealedOriginal: 'Download this message sealed, as it came (age file; the download is logged)',
    trailLink: 'Audit trail of this case',
    trail: {
      delivery: 'The inbox (delivery)',
      firstContact: 'first contact delivered',
      followUp: 'follow-up delivered',
      took: 'took the case',
      exported: 'downloaded a sealed original',
      note: 'wrote an internal note',
      reply: 'wrote a reply (stored, to be sent)',
      pushed: 'the reply reached the gateway',
      assigned: 'gave the case to',
    },
  },
};

/** The page's `h1`, its text trimmed. */
export async function heading(page) {
  return page.evaluate(() => document.querySelector('main h1')?.textContent.trim() ?? '');
}

/** The text of the page's `<main>`, spaces collapsed. */
export async function mainText(page) {
  return page.evaluate(() => (document.querySelector('main')?.innerText ?? '').replace(/\s+/g, ' ').trim());
}

/** Asserts the answer's status and the page's heading. */
export async function expectPage(page, response, status, title, what) {
  assert.ok(response, `${what}: no response`);
  assert.equal(response.status(), status, `${what}: status ${response.status()} at ${new URL(response.url()).pathname}`);
  assert.equal(await heading(page), title, `${what}: the page's heading`);
}

/** Clicks the element `selector` and waits for the page it leads to; its response. */
export function follow(page, selector) {
  return navigate(page, () => clickAt(page, selector));
}

/**
 * Chooses the option with value `value` in the list `selector` with the keyboard, as a person tabbing through a
 * form does: focus, Home, then Down until it is chosen.
 */
export async function chooseOption(page, selector, value) {
  await page.focus(selector);
  await page.keyboard.press('Home');
  const count = await page.evaluate((css) => document.querySelector(css).options.length, selector);
  for (let i = 0; i <= count; i++) {
    if ((await page.evaluate((css) => document.querySelector(css).value, selector)) === value) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${selector} offers no option ${value}`);
}

/** The value of `<option>`s in `selector` whose text contains `text`. */
export async function optionWithText(page, selector, text) {
  const value = await page.evaluate(
    (css, wanted) => [...document.querySelector(css).options].find((option) => option.textContent.includes(wanted))?.value ?? null,
    selector,
    text,
  );
  assert.ok(value !== null, `${selector} offers an option "${text}"`);
  return value;
}

/**
 * Enrols with the one-time `code` from the login page's link: the code, then the secret shown as text (read
 * into an authenticator app), the password twice and the app's first code. Returns the app.
 */
export async function enrol(page, { desk, lang, code, password, secrets, seen = async () => {}, mistakes = false }) {
  const w = WORDS[lang];
  let response = await page.goto(`${desk}/${lang}/login`, { waitUntil: 'load' });
  await expectPage(page, response, 200, w.loginTitle, 'the login page');
  await seen('login', response);
  response = await follow(page, 'main a[href$="/enrol"]');
  await expectPage(page, response, 200, w.enrolTitle, 'the enrolment page');
  await seen('enrol', response);
  if (mistakes) {
    await typeInto(page, '#enrolment', 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567');
    response = await follow(page, 'main form button[type="submit"]');
    await expectPage(page, response, 422, w.enrolTitle, 'the enrolment page after a wrong code');
    await seen('enrol-code-error', response);
  }
  await typeInto(page, '#enrolment', code);
  response = await follow(page, 'main form button[type="submit"]');
  await expectPage(page, response, 200, w.enrolTitle, 'the enrolment page with the secret');
  const secret = secrets.add('TOTP secret', (await page.$eval('dd.secret', (dd) => dd.textContent)).replace(/\s+/g, ''));
  assert.match(secret, /^[A-Z2-7]{16,}$/, 'the secret is shown as base32 text');
  await seen('enrol-secret', response);
  let app = new Authenticator(secret);
  if (mistakes) {
    await typeInto(page, '#password', password);
    await typeInto(page, '#repeat', `${password}x`);
    await typeInto(page, '#code', '000000');
    response = await follow(page, 'main form button[type="submit"]');
    await expectPage(page, response, 422, w.enrolTitle, 'the enrolment page after two different passwords');
    // Each showing makes a new secret (one seen by someone else with the code never enrols), and the page
    // says so; the new one is masked before anything could print it, and only it enrols.
    const renewed = secrets.add('new TOTP secret', (await page.$eval('dd.secret', (dd) => dd.textContent)).replace(/\s+/g, ''));
    assert.ok(renewed !== secret, 'a refused step shows a new secret');
    assert.ok((await mainText(page)).includes(w.secretRenewed), 'the page says the secret is new');
    app = new Authenticator(renewed);
    await seen('enrol-secret-error', response);
  }
  await typeInto(page, '#password', password);
  await typeInto(page, '#repeat', password);
  await typeInto(page, '#code', await app.nextCode());
  response = await follow(page, 'main form button[type="submit"]');
  await expectPage(page, response, 200, w.enrolledTitle, 'the page after enrolment');
  await seen('enrolled', response);
  return app;
}

/** Logs in from the login page with the login name, the password and the app's next code; the start page. */
export async function logIn(page, { desk, lang, login, password, app, seen = async () => {}, mistakes = false }) {
  const w = WORDS[lang];
  let response = await page.goto(`${desk}/${lang}/login`, { waitUntil: 'load' });
  await expectPage(page, response, 200, w.loginTitle, 'the login page');
  if (mistakes) {
    await typeInto(page, '#login', login);
    await typeInto(page, '#password', `${password}x`);
    await typeInto(page, '#code', '000000');
    response = await follow(page, 'main form button[type="submit"]');
    await expectPage(page, response, 200, w.loginTitle, 'the login page after a wrong password');
    assert.equal(await page.evaluate(() => document.querySelectorAll('.errors').length), 1, 'the refusal is shown');
    await seen('login-error', response);
  }
  await typeInto(page, '#login', login);
  await typeInto(page, '#password', password);
  await typeInto(page, '#code', await app.nextCode());
  response = await follow(page, 'main form button[type="submit"]');
  await expectPage(page, response, 200, w.startTitle, `${login}'s login`);
  assert.ok((await mainText(page)).includes(login), 'the start page names the login');
  await seen('start', response);
  return response;
}

/**
 * An administrator makes an account on the accounts page (reached by the menu): the one-time code the page
 * shows, registered as a secret.
 */
export async function createAccount(page, { lang, login, displayName, role, teams = '', secrets, seen = async () => {} }) {
  const w = WORDS[lang];
  let response = await follow(page, 'header nav a[href$="/accounts"]');
  await expectPage(page, response, 200, w.accountsTitle, 'the accounts page');
  await seen('accounts', response);
  await typeInto(page, '#login', login);
  await typeInto(page, '#display-name', displayName);
  await chooseOption(page, '#role', role);
  await typeInto(page, '#teams', teams);
  response = await follow(page, 'main form[action$="/accounts/new"] button[type="submit"]');
  await expectPage(page, response, 200, w.createdTitle, `making the account ${login}`);
  const code = secrets.add(`${login}'s enrolment code`, (await page.$eval('dd.secret', (dd) => dd.textContent)).trim());
  assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){7}$/, 'the one-time code is shown');
  await seen('account-created', response);
  return code;
}

/** The rows of the queue's table, in order: the case's link, whether it is flagged urgent and each cell's text. */
export async function queueRows(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main table tbody tr')].map((row) => ({
      href: row.querySelector('a[href*="/cases/"]')?.getAttribute('href') ?? null,
      flag: row.querySelector('.flag')?.textContent.trim() ?? null,
      cells: Object.fromEntries(
        [...row.querySelectorAll('th, td')].map((cell, i) => [
          cell.getAttribute('data-label') ?? String(i),
          cell.textContent.replace(/\s+/g, ' ').trim(),
        ]),
      ),
    })),
  );
}

/** The case page's conversation, in order: each entry's kind (visitor, reply, note), its line above and its text. */
export async function caseEntries(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main ol.conversation > li')].map((entry) => ({
      kind: ['visitor', 'reply', 'note'].find((kind) => entry.classList.contains(kind)) ?? entry.className,
      meta: entry.querySelector('.meta')?.textContent.replace(/\s+/g, ' ').trim() ?? '',
      text: entry.querySelector('.text')?.textContent ?? '',
      delivery: entry.querySelector('.delivery')?.textContent.replace(/\s+/g, ' ').trim() ?? null,
      links: [...entry.querySelectorAll('a[href]')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })),
    })),
  );
}

/** The case page's facts: each `dt` with its `dd`. */
export async function caseFacts(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('main dl > dt')].map((dt) => [dt.textContent.trim(), dt.nextElementSibling?.textContent.replace(/\s+/g, ' ').trim() ?? '']),
    ),
  );
}

/**
 * Reloads the page, as a person presses F5 now and then, until `until()` holds; throws `what` after `timeoutMs`.
 * Only GET pages are reloaded (a reload of a form's answer would send it again).
 */
export async function reloadUntil(page, until, what, timeoutMs = 45000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await until()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload({ waitUntil: 'load' });
  }
}

/** The audit trail page's rows, in order: line number, who, what, and what it concerns. */
export async function trailRows(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main table tbody tr')].map((row) => {
      const cells = [...row.children].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim());
      return { line: cells[0], who: cells[2], whoLink: row.querySelector('td a[href*="/trail?account="]')?.getAttribute('href') ?? null, what: cells[3], detail: cells[4] };
    }),
  );
}
