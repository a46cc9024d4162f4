// A whole day at the staff desk, in Chromium (in Swedish) and in Firefox ESR (in English), JavaScript off, against
// the real `porten serve` and `porten-inbox run`, everything done by following links, pressing buttons and typing:
//   - an administrator made by `porten-inbox desk add-account` before `run` starts enrols and logs in, and makes
//     three accounts on the accounts page: staff A, staff B and a team lead; each enrols (the TOTP code computed
//     here, RFC 6238, from the secret the enrolment page shows as text) and logs in, each in a browser context
//     of their own;
//   - a visitor writes, then another writes and ticks "I am in danger now": the urgent case is at the top of A's
//     queue, marked urgent in words, above the other;
//   - A takes it, downloads the visitor's message sealed as it came (an age file), writes an internal note and
//     replies, and reloads until the reply is marked sent; the visitor comes back with the code, reads the reply
//     under A's display name and writes again; the follow-up makes the case new in A's own view, and the case
//     page shows the conversation in the order it was written;
//   - the lead gives the case to B, who replies; the visitor sees one conversation with both replies in order
//     and no note;
//   - the lead reads the case's audit trail: every step, with the account that took it;
//   - the note never reaches the gateway: not in anything the gateway answered the browsers, not in anything the
//     inbox sent its internal API (two reply pushes, no third), not in the gateway's files or log.
// Passwords, TOTP secrets, one-time codes and the visitor's code are masked in every message. Results go to
// target/browser-report/desk-<browser>.json for the summary.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freshDir, launch } from './lib/browsers.mjs';
import {
  caseEntries,
  caseFacts,
  chooseOption,
  createAccount,
  enrol,
  expectPage,
  follow,
  logIn,
  mainText,
  optionWithText,
  queueRows,
  reloadUntil,
  trailRows,
  WORDS,
} from './lib/desk.mjs';
import { Gateway, waitFor } from './lib/gateway.mjs';
import { Secrets } from './lib/mask.mjs';
import { NeutralSite } from './lib/neutral-site.mjs';
import { writeReport } from './lib/report.mjs';
import { totpAt } from './lib/totp.mjs';
import { clickAt, typeInto } from './lib/visit.mjs';
import { firstContact, openConversation, threadEntries, writeAgain } from './lib/visitor.mjs';

/** One run per browser, each in its own language, each with its own administrator and accounts. */
const RUNS = [
  { kind: 'chromium', lang: 'sv' },
  { kind: 'firefox', lang: 'en' },
];
const TEAM = { name: 'stod', displayName: 'Stödteamet', groups: ['exposed', 'relative', 'used-violence', 'professional', 'other'] };
const administrator = (kind) => ({ login: `admin-${kind}`, displayName: `Agnes, administratör (${kind})` });

let neutral;
let gateway;
const secrets = new Secrets();

before(async () => {
  neutral = await NeutralSite.start();
  gateway = await Gateway.start({
    exitUrl: `${neutral.origin}/`,
    record: true,
    desk: { administrators: RUNS.map(({ kind }) => administrator(kind)), teams: [TEAM], partners: [] },
  });
  for (const { kind } of RUNS) secrets.add(`admin-${kind}'s enrolment code`, gateway.enrolmentCode(administrator(kind).login));
});

after(async () => {
  await gateway?.stop();
  await neutral?.stop();
});

test('the test’s authenticator gives RFC 6238’s SHA-1 test vectors', () => {
  const key = Buffer.from('12345678901234567890');
  // RFC 6238 appendix B, 8 digits, T0 = 0, X = 30 s.
  assert.equal(totpAt(key, Math.floor(59 / 30), 8), '94287082');
  assert.equal(totpAt(key, Math.floor(1111111109 / 30), 8), '07081804');
  assert.equal(totpAt(key, Math.floor(20000000000 / 30), 8), '65353130');
});

/**
 * A new person at the desk or the gateway: a browser context of their own (their own cookies), one tab. Chromium
 * saves this person's downloads in `downloadDir`; Firefox saves every download in the directory it was launched
 * with.
 */
async function person(browser, downloadDir) {
  const options = browser.kind === 'chromium' ? { downloadBehavior: { policy: 'allow', downloadPath: downloadDir } } : {};
  const context = await browser.browser.createBrowserContext(options);
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.setDefaultTimeout(30000);
  page.setDefaultNavigationTimeout(30000);
  return page;
}

/** A password of some words and random letters, registered as a secret. */
function newPassword(name) {
  return secrets.add(`${name}'s password`, `lilla hästen ${randomBytes(9).toString('base64url')}`);
}

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

for (const { kind, lang } of RUNS) {
  describe(`${kind} (${lang})`, () => {
    const w = WORDS[lang];
    const desk = () => gateway.deskOrigin;
    const marker = randomBytes(4).toString('hex');
    const admin = { ...administrator(kind), password: newPassword(`admin-${kind}`) };
    // The display names say who is who in the visitor's conversation and on the case page.
    const staffA = { login: `amira-${kind}`, displayName: `Amira, kurator ${marker}`, role: 'staff', password: newPassword(`amira-${kind}`) };
    const staffB = { login: `bo-${kind}`, displayName: `Bo, socionom ${marker}`, role: 'staff', password: newPassword(`bo-${kind}`) };
    const lead = { login: `lena-${kind}`, displayName: `Lena, teamledare ${marker}`, role: 'team-lead', password: newPassword(`lena-${kind}`) };
    const texts = {
      other: `Jag undrar över hur man kan stötta en vän. o${marker}`,
      urgent: `Jag är rädd, de vill ta mig utomlands i helgen. u${marker}`,
      note: `Intern anteckning: ring socialjouren om hon skriver igen i kväll. n${marker}`,
      replyA: `Hej, vi har läst det du skrev och vi finns här. Svar ett. a${marker}`,
      followUp: `Tack för svaret. Jag kan skriva igen ikväll. f${marker}`,
      replyB: `Hej igen, jag heter Bo och tar över ditt ärende. Svar två. b${marker}`,
    };
    let browser;
    const pages = {};
    const results = { browser: kind, lang, steps: [] };
    let caseHref = null;
    let visitorCode = null;
    let internalMark = 0;
    let broken = null;
    let downloads = null;

    before(async () => {
      downloads = freshDir(`porten-desk-downloads-${kind}-`);
      browser = await launch(kind, gateway, { downloadDir: downloads });
      results.version = await browser.browser.version();
      for (const who of ['admin', 'staffA', 'staffB', 'lead', 'visitor', 'otherVisitor']) pages[who] = await person(browser, downloads);
      internalMark = gateway.internal.requests.length;
    });

    after(async () => {
      await browser?.close();
      if (downloads) rmSync(downloads, { recursive: true, force: true });
      writeReport(`desk-${kind}`, results);
    });

    /** The person `who` at their own window, brought to the front as a person switches windows. */
    async function as(who) {
      await pages[who].bringToFront();
      return pages[who];
    }

    /**
     * One step of the day. The steps build on each other: after one fails, the rest are reported as not reached
     * (skipped, with the reason), not as failures of their own.
     */
    function step(name, fn) {
      test(name, async (t) => {
        const started = Date.now();
        if (broken) {
          results.steps.push({ name, result: 'not reached', reason: broken });
          t.skip(`not reached: "${broken}" failed`);
          return;
        }
        try {
          const shown = await secrets.guard(fn);
          results.steps.push({ name, result: 'passed', ms: Date.now() - started, shown: shown ?? null });
        } catch (error) {
          broken = name;
          results.steps.push({ name, result: 'failed', ms: Date.now() - started, error: error.message.split('\n')[0] });
          throw error;
        }
      });
    }

    /** A check of what the day has shown so far that later steps do not build on: its failure stops nothing. */
    function check(name, fn) {
      test(name, async (t) => {
        if (broken) {
          results.steps.push({ name, result: 'not reached', reason: broken });
          t.skip(`not reached: "${broken}" failed`);
          return;
        }
        try {
          const shown = await secrets.guard(fn);
          results.steps.push({ name, result: 'passed', shown: shown ?? null });
        } catch (error) {
          results.steps.push({ name, result: 'failed', error: error.message.split('\n')[0] });
          throw error;
        }
      });
    }

    step('the administrator made with the command line enrols with its one-time code and logs in', async () => {
      const page = await as('admin');
      admin.app = await enrol(page, { desk: desk(), lang, code: gateway.enrolmentCode(admin.login), password: admin.password, secrets });
      await logIn(page, { desk: desk(), lang, login: admin.login, password: admin.password, app: admin.app });
      return `start page: ${await mainText(page)}`;
    });

    step('the administrator makes staff A, staff B and a team lead on the accounts page', async () => {
      const page = await as('admin');
      for (const account of [staffA, staffB, lead]) {
        account.code = await createAccount(page, { lang, ...account, teams: TEAM.name, secrets });
      }
      const response = await follow(page, 'header nav a[href$="/accounts"]');
      await expectPage(page, response, 200, w.accountsTitle, 'the accounts page');
      const listed = await page.evaluate(() =>
        [...document.querySelectorAll('main table tbody tr')].map((row) => row.querySelector('th')?.textContent.trim()),
      );
      for (const account of [staffA, staffB, lead]) assert.ok(listed.includes(account.login), `the accounts page lists ${account.login}`);
      return `accounts listed: ${listed.join(', ')}`;
    });

    step('A, B and the lead each enrol with their code and log in, each in a browser of their own', async () => {
      for (const [who, account] of [['staffA', staffA], ['staffB', staffB], ['lead', lead]]) {
        const page = await as(who);
        account.app = await enrol(page, { desk: desk(), lang, code: account.code, password: account.password, secrets });
        await logIn(page, { desk: desk(), lang, login: account.login, password: account.password, app: account.app });
        assert.ok((await mainText(page)).includes(account.displayName), `${account.login}'s start page shows the display name`);
      }
    });

    step('a visitor writes; another visitor writes and ticks “I am in danger now”', async () => {
      // A's queue before: the cases there already (from the other browser's day) are told apart by their links.
      const staffPage = await as('staffA');
      const response = await follow(staffPage, 'header nav a[href$="/cases"]');
      await expectPage(staffPage, response, 200, w.queueTitle, 'the queue');
      results.before = (await queueRows(staffPage)).map((row) => row.href);
      await firstContact(await as('otherVisitor'), { origin: gateway.origin, lang, message: texts.other, secrets });
      visitorCode = await firstContact(await as('visitor'), { origin: gateway.origin, lang, message: texts.urgent, urgent: true, secrets });
    });

    step('the urgent case comes first in A’s queue, marked urgent in words, above the other new case', async () => {
      const page = await as('staffA');
      const known = new Set(results.before);
      let rows = [];
      await reloadUntil(
        page,
        async () => {
          rows = await queueRows(page);
          return rows.filter((row) => !known.has(row.href)).length >= 2;
        },
        'both first contacts in the queue',
      );
      const fresh = rows.filter((row) => !known.has(row.href));
      assert.equal(fresh.length, 2, 'two new cases in the queue');
      assert.equal(rows[0].href, fresh[0].href, 'a new case is the first row');
      assert.equal(rows[0].flag, w.urgent, `the first row is marked “${w.urgent}” in words`);
      assert.equal(fresh[1].flag, null, 'the other new case is not marked urgent');
      assert.ok(rows.indexOf(fresh[1]) > 0, 'the other new case comes below');
      // The first row is the visitor who is in danger: their message is on its case page.
      const response = await follow(page, `main table tbody tr:first-child a[href*="/cases/"]`);
      assert.equal(response.status(), 200, 'the case page');
      const entries = await caseEntries(page);
      assert.equal(entries.length, 1, 'the case holds the one first message');
      assert.equal(entries[0].kind, 'visitor');
      assert.equal(entries[0].text, texts.urgent, 'the first row’s case is the urgent first contact');
      assert.ok(entries[0].meta.includes(w.urgent), 'the message is marked urgent on the case page too');
      caseHref = rows[0].href;
      return `queue: ${rows.map((row) => `${row.flag ? `[${row.flag}] ` : ''}${Object.values(row.cells).slice(0, 3).join(' / ')}`).join(' | ')}`;
    });

    step('A takes the case and downloads the message sealed, as it came', async () => {
      const page = await as('staffA');
      const response = await follow(page, 'main form[action$="/take"] button[type="submit"]');
      assert.equal(response.status(), 200, 'taking the case');
      assert.equal((await caseFacts(page))[w.assignee], staffA.displayName, 'the case is A’s');
      const [message] = await caseEntries(page);
      const link = message.links.find((each) => each.text === w.sealedOriginal);
      assert.ok(link, `the visitor's message has the link “${w.sealedOriginal}”`);
      await clickAt(page, `main ol.conversation > li.visitor a[href="${link.href}"]`);
      // Both browsers write a download under a temporary name (or empty under its own) until it is complete.
      const file = await waitFor(() => {
        const names = readdirSync(downloads);
        const done = names.find((name) => name.endsWith('.age') && statSync(join(downloads, name)).size > 0);
        return !names.some((name) => /\.(part|crdownload)$/.test(name)) && done;
      }, 'the sealed original in the downloads', 20000);
      const bytes = readFileSync(join(downloads, file));
      const header = bytes.subarray(0, 40).toString('latin1');
      assert.ok(
        header.startsWith('age-encryption.org/v1\n') || header.startsWith('-----BEGIN AGE ENCRYPTED FILE-----'),
        `the download is an age file (it begins ${JSON.stringify(header.slice(0, 24))})`,
      );
      assert.ok(!bytes.includes(Buffer.from(texts.urgent.slice(0, 20))), 'the download is sealed: the message is not in it');
      return `downloaded ${file.replace(/^.*(\.age)$/, '…$1')}, ${bytes.length} bytes, ${header.startsWith('age') ? 'binary' : 'armoured'} age`;
    });

    step('A writes an internal note and replies', async () => {
      const page = await as('staffA');
      let response;
      await typeInto(page, '#note-text', texts.note);
      response = await follow(page, 'main form[action$="/note"] button[type="submit"]');
      assert.equal(response.status(), 200, 'adding the note');
      await typeInto(page, '#reply-text', texts.replyA);
      response = await follow(page, 'main form[action$="/reply"] button[type="submit"]');
      assert.equal(response.status(), 200, 'sending the reply');
      const entries = await caseEntries(page);
      assert.deepEqual(entries.map((entry) => entry.kind), ['visitor', 'note', 'reply'], 'message, note, reply in order');
      assert.equal(entries[1].text, texts.note);
      assert.ok(entries[1].meta.includes(w.note), `the note is labelled “${w.note}”`);
      assert.equal(entries[2].text, texts.replyA);
      assert.ok(entries[2].meta.includes(`${w.replyFrom} “${staffA.displayName}”`), 'the reply names A’s display name');
      // The reply is stored first and pushed to the gateway by `porten-inbox run`; A reloads until it is sent.
      await reloadUntil(page, async () => (await caseEntries(page))[2]?.delivery?.startsWith(w.pushed), `the reply's state “${w.pushed}”`, 30000);
      assert.equal((await caseFacts(page))[w.status], w.statusWaiting, 'a sent reply makes the case wait for the visitor');
      return `case page: ${(await caseEntries(page)).map((entry) => `${entry.kind}: ${entry.meta}${entry.delivery ? ` (${entry.delivery})` : ''}`).join(' | ')}`;
    });

    step('the visitor comes back with the code, reads the reply under A’s name, and writes again', async () => {
      const page = await as('visitor');
      await openConversation(page, { origin: gateway.origin, lang, code: visitorCode });
      const entries = await threadEntries(page);
      assert.deepEqual(entries.map((entry) => entry.mine), [true, false], 'the first message, then one reply');
      assert.equal(entries[0].text, texts.urgent);
      assert.equal(entries[1].text, texts.replyA, 'the reply is A’s');
      assert.ok(entries[1].author.includes(staffA.displayName), 'the reply is shown under A’s display name');
      assert.ok(!(await page.content()).includes(texts.note), 'the note is not in the conversation');
      await writeAgain(page, texts.followUp);
      return `conversation: ${entries.map((entry) => (entry.mine ? 'visitor' : entry.author)).join(' → ')}`;
    });

    step('the follow-up makes the case new in A’s own view', async () => {
      const page = await as('staffA');
      let response = await follow(page, 'header nav a[href$="/cases"]');
      assert.equal(response.status(), 200);
      response = await follow(page, 'main nav a[href$="view=mine"]');
      assert.equal(response.status(), 200, 'the view “mine”');
      let row;
      await reloadUntil(
        page,
        async () => {
          row = (await queueRows(page)).find((each) => each.href === caseHref);
          return row && Object.values(row.cells).includes(w.statusNew);
        },
        `the case marked “${w.statusNew}” in A's view`,
      );
      response = await follow(page, `main a[href="${caseHref}"]`);
      assert.ok((await caseEntries(page)).some((entry) => entry.kind === 'visitor' && entry.text === texts.followUp), 'the case page holds the follow-up');
      return `A's view: ${Object.values(row.cells).join(' / ')}`;
    });

    check('the case page shows the conversation in the order it was written', async () => {
      const page = await as('staffA');
      const entries = await caseEntries(page);
      assert.deepEqual(
        entries.map((entry) => `${entry.kind}: ${entry.text}`),
        [`visitor: ${texts.urgent}`, `note: ${texts.note}`, `reply: ${texts.replyA}`, `visitor: ${texts.followUp}`],
        'message, note, reply, follow-up',
      );
    });

    step('the lead gives the case to B', async () => {
      const page = await as('lead');
      let response = await follow(page, 'header nav a[href$="/cases"]');
      assert.equal(response.status(), 200);
      response = await follow(page, `main a[href="${caseHref}"]`);
      assert.equal(response.status(), 200, 'the lead opens the case from the queue');
      await chooseOption(page, '#assign-to', await optionWithText(page, '#assign-to', `(${staffB.login})`));
      response = await follow(page, 'main form[action$="/assign"] button[type="submit"]');
      assert.equal(response.status(), 200, 'assigning the case');
      assert.equal((await caseFacts(page))[w.assignee], staffB.displayName, 'the case is B’s');
    });

    step('B finds the case in their own view and replies', async () => {
      const page = await as('staffB');
      let response = await follow(page, 'header nav a[href$="/cases"]');
      assert.equal(response.status(), 200);
      response = await follow(page, 'main nav a[href$="view=mine"]');
      assert.ok((await queueRows(page)).some((row) => row.href === caseHref), 'the case is in B’s view “mine”');
      response = await follow(page, `main a[href="${caseHref}"]`);
      assert.equal(response.status(), 200);
      await typeInto(page, '#reply-text', texts.replyB);
      response = await follow(page, 'main form[action$="/reply"] button[type="submit"]');
      assert.equal(response.status(), 200, 'sending the reply');
      const index = (await caseEntries(page)).findIndex((entry) => entry.text === texts.replyB);
      assert.ok(index >= 0, 'B’s reply is on the case page');
      await reloadUntil(page, async () => (await caseEntries(page))[index]?.delivery?.startsWith(w.pushed), `B's reply "${w.pushed}"`, 30000);
      const entries = await caseEntries(page);
      assert.ok(entries[index].meta.includes(`${w.replyFrom} “${staffB.displayName}”`), 'the reply names B’s display name');
    });

    step('the visitor sees one conversation: both replies in order, under their names, and no note', async () => {
      const page = await as('visitor');
      await openConversation(page, { origin: gateway.origin, lang, code: visitorCode });
      const entries = await threadEntries(page);
      assert.deepEqual(
        entries.map((entry) => entry.text),
        [texts.urgent, texts.replyA, texts.followUp, texts.replyB],
        'message, A’s reply, follow-up, B’s reply',
      );
      assert.deepEqual(entries.map((entry) => entry.mine), [true, false, true, false]);
      assert.ok(entries[1].author.includes(staffA.displayName), 'the first reply under A’s name');
      assert.ok(entries[3].author.includes(staffB.displayName), 'the second reply under B’s name');
      assert.ok(!(await page.content()).includes(texts.note), 'the note is not in the conversation');
      return `conversation: ${entries.map((entry) => (entry.mine ? 'visitor' : entry.author)).join(' → ')}`;
    });

    check('the lead reads the case’s audit trail: every step with the account that took it', async () => {
      const page = await as('lead');
      // Answered, the case no longer waits for us: the lead finds it among the team's cases.
      let response = await follow(page, 'header nav a[href$="/cases"]');
      response = await follow(page, 'main nav a[href$="view=teams"]');
      response = await follow(page, `main a[href="${caseHref}"]`);
      assert.equal(response.status(), 200);
      response = await follow(page, 'main a[href*="/trail?case="]');
      assert.equal(response.status(), 200, 'the case’s audit trail');
      const rows = await trailRows(page);
      const who = (account) => `${account.displayName} (${account.login})`;
      // Each step of the day, in this order (other lines, such as each opening of the case, may come between).
      const expected = [
        { who: w.trail.delivery, what: w.trail.firstContact },
        { who: who(staffA), what: w.trail.took },
        { who: who(staffA), what: w.trail.exported },
        { who: who(staffA), what: w.trail.note },
        { who: who(staffA), what: w.trail.reply },
        { what: w.trail.pushed },
        { who: w.trail.delivery, what: w.trail.followUp },
        { who: who(lead), what: w.trail.assigned, detail: who(staffB) },
        { who: who(staffB), what: w.trail.reply },
        { what: w.trail.pushed },
      ];
      const shown = rows.map((row) => `${row.line}. ${row.who} | ${row.what} | ${row.detail}`).join('\n');
      let from = 0;
      for (const line of expected) {
        const at = rows.findIndex(
          (row, i) => i >= from && row.what === line.what && (!line.who || row.who === line.who) && (!line.detail || row.detail === line.detail),
        );
        assert.ok(at >= 0, `the trail shows “${line.who ?? '…'}: ${line.what}${line.detail ? ` ${line.detail}` : ''}” after the steps before it:\n${shown}`);
        from = at + 1;
      }
      for (const account of [staffA, staffB, lead]) {
        assert.ok(rows.some((row) => row.who === who(account) && row.whoLink?.endsWith(`account=${account.login}`)), `${account.login}'s name leads to their own trail`);
      }
      const text = await mainText(page);
      for (const secret of [texts.note, texts.replyA, texts.replyB, texts.urgent, texts.followUp]) {
        assert.ok(!text.includes(secret), 'the trail holds no message, reply or note');
      }
      return `trail of ${rows.length} lines: ${rows.map((row) => `${row.who.replace(/ \(.*\)$/, '')}: ${row.what}`).join('; ')}`;
    });

    step('the note never reaches the gateway', async () => {
      // The note's own word (letters and digits, the same in any encoding) and its whole text.
      const needles = [`n${marker}`, texts.note];
      const holds = (text) => needles.some((needle) => text.includes(needle));
      // What the browsers sent the gateway and what it answered: the visitor's pages, seen by the recorder.
      const publicTraffic = gateway.recorder.requests;
      assert.ok(publicTraffic.some((request) => request.body.includes(texts.replyB)), 'control: the recorder sees the replies in the pages it passes');
      assert.deepEqual(publicTraffic.filter((request) => holds(request.body) || holds(request.sent)).map((r) => r.path), []);
      // What the inbox sent the internal API during this day: the two replies, sealed, and nothing else of the case.
      const internal = gateway.internal.since(internalMark);
      const pushes = internal.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/replies'));
      assert.equal(pushes.length, 2, `two reply pushes, one per reply (saw ${pushes.map((p) => `${p.path} ${p.status}`).join(', ')})`);
      assert.deepEqual(internal.filter((request) => holds(request.sent) || holds(request.body)).map((r) => r.path), []);
      // What the gateway keeps: its files and its log.
      const files = filesUnder(join(gateway.dir, 'data')).filter((path) => statSync(path).size < 64 * 1024 * 1024);
      assert.deepEqual(files.filter((path) => holds(readFileSync(path, 'latin1')) || holds(readFileSync(path, 'utf8'))), [], 'no gateway file holds the note');
      assert.ok(!holds(gateway.log()), 'the gateway’s log does not hold the note');
      return `requests seen: ${publicTraffic.length} at the gateway, ${internal.length} at its internal API (${pushes.length} reply pushes); gateway files searched: ${files.length}`;
    });
  });
}
