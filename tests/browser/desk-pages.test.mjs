// Every page state of the staff desk, in Swedish and in English, in Chromium with JavaScript off, reached the way
// staff reach them (an administrator made by the command line enrols, makes accounts, and so on; a visitor's
// urgent first contact becomes a case with a note, a reply, a referral and a reminder). At every page:
//   - the page's own rules (checks.mjs): no script, the skip link first, labelled fields, an error summary after
//     the heading that leads to its field;
//   - no horizontal scrolling at 320 px, at 200 % zoom and at 1280 px;
//   - axe-core at 320 px and 1280 px (axe.mjs explains how it runs with page JavaScript off);
//   - the Nu Html Checker on the HTML as the desk sent it (with passwords, secrets, codes and form tokens masked
//     in the saved copy: the same markup, other letters);
//   - screenshots of the queue and the case page in Swedish at 360 and 1280 px.
// The states: login (with an error, logged out, session ended), enrolment (code, wrong code, the TOTP secret,
// different passwords, done), start, profile (saved, refused), accounts (refused, a code made, a code after a
// reset, an account disabled), every view of the queue empty and with a case, a case (urgent, as new; with a
// note, a reply, a referral and a reminder; with a refused reply), the audit trail of a case and of an account,
// 404 (logged in or not), 403 for a page the role may not see, and the refused form (CSRF token wrong, logged in
// or not). Results go to target/browser-report/desk-pages.json for the summary.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { AxeRunner, AXE_VERSION, Capture } from './lib/axe.mjs';
import { launch } from './lib/browsers.mjs';
import { deskDocumentProblems, horizontalOverflow, REFLOW_VIEWPORTS } from './lib/checks.mjs';
import { caseEntries, caseFacts, chooseOption, createAccount, enrol, expectPage, follow, logIn, optionWithText, queueRows, reloadUntil, WORDS } from './lib/desk.mjs';
import { Gateway } from './lib/gateway.mjs';
import { Secrets } from './lib/mask.mjs';
import { NeutralSite } from './lib/neutral-site.mjs';
import { saveHtml, screenshotPath, writeReport } from './lib/report.mjs';
import { clickAt, navigate, typeInto } from './lib/visit.mjs';
import { firstContact } from './lib/visitor.mjs';
import { checkHtml, VNU_VERSION } from './lib/vnu.mjs';

const LANGS = ['sv', 'en'];
const AXE_WIDTHS = [320, 1280];
const DEFAULT_VIEWPORT = { width: 1280, height: 900, deviceScaleFactor: 1 };
/** Pages screenshotted in Swedish at 360 and 1280 px. */
const SCREENSHOTS = new Set(['queue-waiting', 'case-full']);
const VIEWS = ['mine', 'teams', 'unassigned', 'urgent', 'waiting', 'closed'];
const TEAM = { name: 'stod', displayName: 'Stödteamet', groups: ['exposed', 'relative', 'used-violence', 'professional', 'other'] };
const PARTNER = { name: 'socialtjansten', displayName: 'Socialtjänsten Malmö' };
const administrator = (lang) => ({ login: `admin-${lang}`, displayName: `Agnes, administratör (${lang})` });

let neutral;
let gateway;
let browser;
const secrets = new Secrets();
/** Every page captured, in order. */
const captures = [];
/** What the summary prints, by page id (`sv-login`). */
const pages = {};
const screenshots = [];

before(async () => {
  neutral = await NeutralSite.start();
  gateway = await Gateway.start({
    exitUrl: `${neutral.origin}/`,
    desk: { administrators: LANGS.map(administrator), teams: [TEAM], partners: [PARTNER] },
  });
  for (const lang of LANGS) secrets.add(`admin-${lang}'s enrolment code`, gateway.enrolmentCode(administrator(lang).login));
  browser = await launch('chromium', gateway);
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
  await neutral?.stop();
  writeReport('desk-pages', { axeVersion: AXE_VERSION, vnuVersion: VNU_VERSION, languages: LANGS, pages, screenshots });
});

/** A person of their own: a browser context (own cookies) with one tab. */
async function person() {
  const context = await browser.browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(DEFAULT_VIEWPORT);
  page.setDefaultTimeout(30000);
  page.setDefaultNavigationTimeout(30000);
  return page;
}

/** Checks the page in front of `page` and records it; returns the problems found. */
async function examine(page, lang, name, response) {
  assert.ok(!pages[`${lang}-${name}`], `the page state ${name} is captured once`);
  const capture = new Capture({ lang, name, status: response.status(), headers: response.headers(), body: await response.text() });
  captures.push(capture);
  const problems = await deskDocumentProblems(page);
  const overflow = {};
  for (const viewport of REFLOW_VIEWPORTS) {
    await page.setViewport(viewport);
    overflow[viewport.label] = await horizontalOverflow(page);
    if (overflow[viewport.label] > 0) problems.push(`scrolls sideways by ${overflow[viewport.label]} px at ${viewport.label}`);
  }
  if (lang === 'sv' && SCREENSHOTS.has(name)) {
    for (const width of [360, 1280]) {
      await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
      const path = screenshotPath(`desk-${lang}-${name}-${width}`);
      await page.screenshot({ path, fullPage: true });
      screenshots.push(path);
    }
  }
  await page.setViewport(DEFAULT_VIEWPORT);
  pages[capture.id] = { lang, name, status: capture.status, bytes: Buffer.byteLength(capture.body), problems, overflow };
  return problems;
}

/** Sends the form `form` with its hidden CSRF token changed, as a stale or forged form would arrive. */
async function sendWithWrongToken(page, form) {
  await page.$eval(`${form} input[name="csrf"]`, (field) => {
    field.value = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  });
  return follow(page, `${form} button[type="submit"]`);
}

/** Switches the browser's own check of a form off, so the desk's answer to a refused field shows. */
async function noValidate(page, form) {
  await page.$eval(form, (element) => {
    element.noValidate = true;
  });
}

/**
 * Walks every page state in `lang`, calling `seen(name, response)` at each. Failures of one state do not stop
 * the walk where the next states do not depend on it; the walk itself fails where a step breaks.
 */
async function walk(lang, seen) {
  const w = WORDS[lang];
  const desk = gateway.deskOrigin;
  const password = (name) => secrets.add(`${name}'s password`, `lilla hästen ${randomBytes(9).toString('base64url')}`);
  const admin = { ...administrator(lang), password: password(`admin-${lang}`) };
  const staff = { login: `sara-${lang}`, displayName: 'Sara, kurator', role: 'staff', password: password(`sara-${lang}`) };
  const lead = { login: `lena-${lang}`, displayName: 'Lena, teamledare', role: 'team-lead', password: password(`lena-${lang}`) };
  const spare = { login: `olle-${lang}`, displayName: 'Olle, vikarie', role: 'staff' };

  // The administrator: enrolment and login with a mistake each, profile, accounts.
  const adminPage = await person();
  admin.app = await enrol(adminPage, { desk, lang, code: gateway.enrolmentCode(admin.login), password: admin.password, secrets, seen, mistakes: true });
  await logIn(adminPage, { desk, lang, login: admin.login, password: admin.password, app: admin.app, seen, mistakes: true });

  let response = await follow(adminPage, 'header nav a[href$="/profile"]');
  await expectPage(adminPage, response, 200, w.profileTitle, 'the profile');
  await seen('profile', response);
  await noValidate(adminPage, 'main form');
  await typeInto(adminPage, '#display-name', ' ');
  response = await follow(adminPage, 'main form button[type="submit"]');
  await expectPage(adminPage, response, 422, w.profileTitle, 'the profile with an empty display name');
  await seen('profile-error', response);
  await typeInto(adminPage, '#display-name', `Agnes Ek, administratör (${lang})`);
  response = await follow(adminPage, 'main form button[type="submit"]');
  await expectPage(adminPage, response, 200, w.profileTitle, 'the profile saved');
  await seen('profile-saved', response);

  // The accounts page itself is captured last, with every state an account can be in.
  const onlyCreated = (name, created) => (name === 'account-created' ? seen(name, created) : undefined);
  for (const account of [staff, lead]) {
    account.code = await createAccount(adminPage, { lang, ...account, teams: TEAM.name, secrets, seen: account === staff ? onlyCreated : undefined });
  }
  response = await follow(adminPage, 'header nav a[href$="/accounts"]');
  await typeInto(adminPage, '#login', 'Ö');
  await typeInto(adminPage, '#display-name', spare.displayName);
  response = await follow(adminPage, 'main form[action$="/accounts/new"] button[type="submit"]');
  await expectPage(adminPage, response, 422, w.accountsTitle, 'the accounts page with a login name refused');
  await seen('accounts-error', response);
  await createAccount(adminPage, { lang, ...spare, secrets });
  response = await follow(adminPage, 'header nav a[href$="/accounts"]');
  response = await follow(adminPage, `main form[action$="/accounts/reset"]:has(input[value="${spare.login}"]) button`);
  assert.equal(response.status(), 200, 'resetting an account');
  secrets.add(`${spare.login}'s enrolment code`, (await adminPage.$eval('dd.secret', (dd) => dd.textContent)).trim());
  await seen('account-reset', response);
  response = await follow(adminPage, 'header nav a[href$="/accounts"]');
  response = await follow(adminPage, `main form[action$="/accounts/disable"]:has(input[value="${spare.login}"]) button`);
  assert.equal(response.status(), 200, 'disabling an account');
  await seen('account-disabled', response);
  response = await follow(adminPage, 'header nav a[href$="/accounts"]');
  await seen('accounts', response);

  // Staff: enrolment and login without mistakes, every view of the queue while it is empty.
  const staffPage = await person();
  staff.app = await enrol(staffPage, { desk, lang, code: staff.code, password: staff.password, secrets });
  await logIn(staffPage, { desk, lang, login: staff.login, password: staff.password, app: staff.app });
  await seen('start-staff', await staffPage.reload({ waitUntil: 'load' }));
  response = await follow(staffPage, 'header nav a[href$="/cases"]');
  await expectPage(staffPage, response, 200, w.queueTitle, 'the queue');
  for (const view of VIEWS) {
    response = await follow(staffPage, `main nav a[href$="view=${view}"]`);
    assert.equal(response.status(), 200, `the view ${view}`);
    // The other language's walk may have left its case in some views: only an empty view is this state.
    if ((await queueRows(staffPage)).length === 0) await seen(`queue-${view}-empty`, response);
  }

  // A visitor in danger writes; the case arrives in the queue (the one row that was not there before).
  response = await follow(staffPage, 'main nav a[href$="view=waiting"]');
  const known = new Set((await queueRows(staffPage)).map((row) => row.href));
  const visitorPage = await person();
  const message = `Jag är rädd och behöver hjälp i kväll. v${randomBytes(4).toString('hex')}`;
  await firstContact(visitorPage, { origin: gateway.origin, lang, message, urgent: true, secrets });
  let caseHref = null;
  await reloadUntil(
    staffPage,
    async () => {
      caseHref = (await queueRows(staffPage)).find((row) => !known.has(row.href))?.href ?? null;
      return caseHref;
    },
    'the first contact in the queue',
  );
  await seen('queue-waiting', await staffPage.reload({ waitUntil: 'load' }));
  response = await follow(staffPage, 'main nav a[href$="view=urgent"]');
  await seen('queue-urgent', response);

  response = await follow(staffPage, `main a[href="${caseHref}"]`);
  assert.equal(response.status(), 200, 'the case page');
  assert.equal((await caseEntries(staffPage)).at(0)?.text, message, 'the case holds the visitor’s message');
  await seen('case', response);
  response = await follow(staffPage, 'main form[action$="/take"] button[type="submit"]');
  await seen('case-done', response);
  await typeInto(staffPage, '#note-text', 'Ring upp socialjouren om hon skriver igen.');
  response = await follow(staffPage, 'main form[action$="/note"] button[type="submit"]');
  await typeInto(staffPage, '#reply-text', 'Hej, vi har läst det du skrev. Vi finns här.');
  response = await follow(staffPage, 'main form[action$="/reply"] button[type="submit"]');
  assert.equal(response.status(), 200, 'sending a reply');
  await seen('case-reply-stored', response);
  await chooseOption(staffPage, '#partner', await optionWithText(staffPage, '#partner', PARTNER.displayName));
  await typeInto(staffPage, '#referral-note', 'Kontakt via jourhavande socialsekreterare.');
  response = await follow(staffPage, 'main form[action$="/refer"] button[type="submit"]');
  assert.equal(response.status(), 200, 'recording a referral');
  // A date field's typing order follows the browser's locale; the date is set as its value, as a picker would.
  await staffPage.$eval('#reminder-date', (field) => {
    field.value = '2030-01-15';
  });
  response = await follow(staffPage, 'main form[action$="/reminder"] button[type="submit"]');
  assert.equal(response.status(), 200, 'setting a reminder');
  await noValidate(staffPage, 'main form[action$="/reply"]');
  await typeInto(staffPage, '#reply-text', ' ');
  response = await follow(staffPage, 'main form[action$="/reply"] button[type="submit"]');
  assert.equal(response.status(), 422, 'an empty reply is refused');
  await seen('case-error', response);
  response = await follow(staffPage, 'main p.no-print a[href$="/cases"]');
  response = await follow(staffPage, 'main nav a[href$="view=mine"]');
  response = await follow(staffPage, `main a[href="${caseHref}"]`);
  const kinds = (await caseEntries(staffPage)).map((entry) => entry.kind);
  assert.deepEqual([...kinds].sort(), ['note', 'reply', 'visitor'], 'the case shows the message, the note and the reply');
  const facts = await caseFacts(staffPage);
  assert.ok(Object.values(facts).some((fact) => fact.startsWith(PARTNER.displayName)), 'the case shows the referral');
  assert.ok(Object.values(facts).includes('2030-01-15'), 'the case shows the reminder');
  await seen('case-full', response);
  response = await follow(staffPage, 'header nav a[href$="/cases"]');
  response = await follow(staffPage, 'main nav a[href$="view=mine"]');
  await seen('queue-mine', response);

  // Pages that refuse: a page the role may not see, a page that does not exist, a form with a wrong token.
  response = await staffPage.goto(`${desk}/${lang}/accounts`, { waitUntil: 'load' });
  await expectPage(staffPage, response, 403, w.forbiddenTitle, 'the accounts page for staff');
  await seen('forbidden', response);
  response = await staffPage.goto(`${desk}/${lang}/cases/${'0'.repeat(64)}`, { waitUntil: 'load' });
  await expectPage(staffPage, response, 404, w.notFoundTitle, 'a case that does not exist');
  await seen('case-not-found', response);
  response = await follow(staffPage, 'header nav a[href$="/profile"]');
  response = await sendWithWrongToken(staffPage, 'main form');
  await expectPage(staffPage, response, 403, w.formRefusedTitle, 'a form with a wrong token');
  await seen('form-refused', response);

  // The audit trail: of the case, from the case page, for the team lead; of an account, from the accounts page.
  const leadPage = await person();
  lead.app = await enrol(leadPage, { desk, lang, code: lead.code, password: lead.password, secrets });
  await logIn(leadPage, { desk, lang, login: lead.login, password: lead.password, app: lead.app });
  response = await follow(leadPage, 'header nav a[href$="/cases"]');
  response = await follow(leadPage, 'main nav a[href$="view=teams"]');
  response = await follow(leadPage, `main a[href="${caseHref}"]`);
  response = await follow(leadPage, 'main a[href*="/trail?case="]');
  assert.equal(response.status(), 200, 'the case’s audit trail');
  await seen('trail-case', response);
  response = await follow(adminPage, 'header nav a[href$="/accounts"]');
  response = await follow(adminPage, `main a[href*="/trail?account=${staff.login}"]`);
  assert.equal(response.status(), 200, 'an account’s audit trail');
  await seen('trail-account', response);

  // Logged out, the session ended, a missing page and a login form with a wrong token.
  response = await follow(adminPage, 'header form[action$="/logout"] button');
  await expectPage(adminPage, response, 200, w.loginTitle, 'logging out');
  await seen('login-logged-out', response);
  response = await adminPage.goto(`${desk}/${lang}/profile`, { waitUntil: 'load' });
  await expectPage(adminPage, response, 200, w.loginTitle, 'a page after logging out');
  response = await adminPage.goto(`${desk}/${lang}/login?ended`, { waitUntil: 'load' });
  await seen('login-ended', response);
  response = await adminPage.goto(`${desk}/${lang}/no-such-page`, { waitUntil: 'load' });
  await expectPage(adminPage, response, 404, w.notFoundTitle, 'a page that does not exist');
  await seen('not-found', response);
  response = await adminPage.goto(`${desk}/${lang}/login`, { waitUntil: 'load' });
  await typeInto(adminPage, '#login', admin.login);
  await typeInto(adminPage, '#password', admin.password);
  await typeInto(adminPage, '#code', '000000');
  response = await sendWithWrongToken(adminPage, 'main form');
  await expectPage(adminPage, response, 403, w.formRefusedTitle, 'a login form with a wrong token');
  await seen('form-refused-logged-out', response);

  for (const page of [adminPage, staffPage, leadPage, visitorPage]) await page.browserContext().close();
}

/**
 * The checkers run while the next language's pages are walked: axe-core in its own Chromium and the Nu Html Checker
 * in Java keep the machine's cores busy while the walk mostly waits for the desk. Each language's axe-core run is
 * queued once its walk is done; the checker starts once every page is captured. The tests below wait for them.
 */
let axe = null;
let axeQueue = Promise.resolve();
const axeRuns = {};
let vnuRun = null;

/** axe-core over the captures of `lang`: one line per rule that failed, with where and on which elements. */
async function axeLang(lang) {
  axe ??= await AxeRunner.start();
  const byRule = new Map();
  for (const capture of captures.filter((c) => c.lang === lang)) {
    const results = await axe.check(capture, AXE_WIDTHS);
    pages[capture.id].axe = Object.fromEntries(results.map((r) => [r.width, r.violations]));
    for (const { width, violations } of results) {
      for (const violation of violations) {
        const entry = byRule.get(violation.id) ?? { violation, where: new Set(), nodes: new Set() };
        entry.where.add(`${capture.name}@${width}`);
        for (const node of violation.nodes) entry.nodes.add(node);
        byRule.set(violation.id, entry);
      }
    }
  }
  return [...byRule.values()].map(
    ({ violation, where, nodes }) =>
      secrets.mask(`${violation.id} (${violation.impact}): ${violation.help} — on ${[...where].join(', ')} — ${[...nodes].join(' | ')}`),
  );
}

/** The Nu Html Checker over every captured page, each saved with its secrets masked. */
function startVnu() {
  const files = new Map(captures.map((capture) => [saveHtml(`desk-${capture.id}`, secrets.mask(capture.body)), capture]));
  return checkHtml([...files.keys()]).then((results) => ({ files, results }));
}

for (const lang of LANGS) {
  test(`every desk page in ${lang} keeps the page rules, with JavaScript off, at every width`, async () => {
    const failures = [];
    try {
      await secrets.guard(() =>
        walk(lang, async (name, response) => {
          for (const problem of await examine(response.frame().page(), lang, name, response)) failures.push(`${name}: ${problem}`);
        }),
      );
    } finally {
      // What was captured is checked even when the walk broke off.
      axeRuns[lang] = axeQueue = axeQueue.then(() => axeLang(lang));
      axeRuns[lang].catch(() => {});
      if (lang === LANGS.at(-1)) {
        vnuRun = startVnu();
        vnuRun.catch(() => {});
      }
    }
    assert.deepEqual(failures, [], `problems on the ${lang} desk pages`);
  });
}

test('axe-core finds no violations on any desk page, at 320 px and 1280 px', async (t) => {
  assert.ok(captures.length > 0, 'pages were captured');
  try {
    for (const lang of LANGS) {
      await t.test(lang, async () => {
        assert.ok(axeRuns[lang], `the ${lang} pages were walked`);
        assert.deepEqual(await axeRuns[lang], [], `axe-core violations on the ${lang} desk pages`);
      });
    }
  } finally {
    await axeQueue.catch(() => {});
    await axe?.stop();
  }
});

test('the Nu Html Checker finds no errors on any desk page', async () => {
  assert.ok(vnuRun, 'the pages were captured and the checker started');
  const { files, results } = await vnuRun;
  const failures = [];
  for (const [file, capture] of files) {
    const { errors, warnings } = results.get(file);
    pages[capture.id].vnu = { errors, warnings };
    for (const error of errors) failures.push(`${capture.id}: ${error}`);
  }
  assert.deepEqual(failures, [], 'HTML errors');
});
