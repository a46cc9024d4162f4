// The visit in both browsers with JavaScript off — Firefox ESR at Tor Browser's Safest prefs, and Chromium:
//   - JavaScript really is off (a page with an inline script keeps its title);
//   - the whole visit works: landing → form → code page → return with the code → read a staff reply → write
//     again → delete, and a page that does not exist;
//   - on every page, one Tab focuses the exit link and Enter leaves for the exit site, which gets no referrer;
//   - for every page that holds typed input (contact form, code form, the code page's check box, the
//     conversation's reply box): after typing and leaving through the exit, Back, Forward, Back twice, Forward
//     and sending the form again from history show no typed text, no code and no thread, and no request that
//     reaches the gateway opens anything (seen by a recorder in front of the gateway); where the browser offers
//     it, a closed tab reopened shows nothing either. What each browser restores, and from where, is recorded.
// Results go to target/browser-report/visit-<browser>.json for the summary.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rmSync } from 'node:fs';
import { freshDir, launch } from './lib/browsers.mjs';
import { Gateway } from './lib/gateway.mjs';
import { NEUTRAL_TITLE, NeutralSite } from './lib/neutral-site.mjs';
import { writeReport } from './lib/report.mjs';
import { describeUrl, judgeRequest, secretsIn, secretsOf, stepFailures } from './lib/restore.mjs';
import { clickAt, exitWithKeyboard, navigate, shownCode, STATES, typeInto, visit } from './lib/visit.mjs';

let neutral;
let gateway;

before(async () => {
  neutral = await NeutralSite.start();
  gateway = await Gateway.start({ exitUrl: `${neutral.origin}/`, record: true });
});

after(async () => {
  await gateway?.stop();
  await neutral?.stop();
});

/**
 * Walks the visit in `lang` up to the page `name` and leaves `page` there. Every page on the way gets `probe` as
 * a property of its window (set through the driver: page JavaScript stays off), so a page shown again with the
 * property still set came from the browser's back/forward cache, the same document kept in memory.
 */
async function walkTo(page, lang, name, probe = null) {
  for await (const step of visit(page, { gateway, lang })) {
    if (probe) await page.evaluate((value) => (window.portenProbe = value), probe);
    if (step.name === name) return step;
  }
  throw new Error(`the visit never reached ${name}`);
}

/** Whether any field on the page, or the page's text, holds `text`. */
async function pageHolds(page, text) {
  return page.evaluate(
    (needle) =>
      [...document.querySelectorAll('input, textarea')].some((field) => field.value.includes(needle)) ||
      document.documentElement.outerHTML.includes(needle),
    text,
  );
}

/**
 * The pages that hold typed input, what is typed into them, and where. `secret` picks the text from the visit:
 * the code is what a visitor types into the code form and the code page's check box.
 */
const TYPED_PAGES = [
  { name: 'contact', field: 'form#form #message', typed: (step, kind) => `typed before leaving ${kind} contact c${step.texts.marker}`, group: true },
  { name: 'return', field: 'form#form #code', typed: (step) => step.code },
  { name: 'code', field: 'form#check #code', typed: (step) => step.code },
  { name: 'thread', field: 'form[action$="/thread/write"] #message', typed: (step, kind) => `typed before leaving ${kind} thread t${step.texts.marker}` },
];

/** What the browser does after the exit, in order; `resend` is Reload on the page that was a form's answer. */
const HISTORY_STEPS = ['back', 'resend', 'forward', 'back', 'back', 'forward'];

/** Does one history step; a browser may refuse to show a form's answer again, which never reports a load. */
async function historyStep(page, step) {
  const options = { waitUntil: 'load', timeout: 2500 };
  try {
    if (step === 'back') await page.goBack(options);
    else if (step === 'forward') await page.goForward(options);
    else await page.reload(options);
    return 'loaded';
  } catch (error) {
    return `no load reported (${error.message.split('\n')[0]})`;
  }
}

/**
 * What the page in front shows now: where it is, whether any secret is in its document or fields, and whether
 * it is the document that was left (its window still has `probe`).
 */
async function showing(page, secrets, probe) {
  let seen = { url: page.url(), html: '', fields: [], kept: false, heading: '' };
  try {
    // The document's own URL: after a step that never reported its load, Firefox's driver may still give the
    // page's previous one.
    seen = await page.evaluate(
      (value) => ({
        url: document.URL,
        html: document.documentElement?.outerHTML ?? '',
        fields: [...document.querySelectorAll('input, textarea')].map((field) => field.value),
        kept: window.portenProbe === value,
        heading: (document.querySelector('h1')?.textContent ?? document.body?.innerText ?? '').trim().split('\n')[0].slice(0, 80),
      }),
      probe,
    );
  } catch (error) {
    seen.heading = `unreadable: ${error.message.split('\n')[0]}`;
  }
  const secretsShown = secretsIn([seen.html, ...seen.fields].join('\n'), secrets);
  const { url } = seen;
  const place = describeUrl(url, { gatewayOrigin: gateway.origin, exitOrigin: neutral.origin });
  // The heading of a page that shows a secret is not written out: it might be the secret.
  const heading = secretsShown.length || !seen.heading ? '' : ` "${seen.heading}"`;
  return { url, shows: `${place}${heading}`, secretsShown, kept: seen.kept, fieldsWithText: seen.fields.filter((value) => value.trim()).length };
}

for (const kind of ['firefox', 'chromium']) {
  describe(kind, () => {
    let browser;
    const results = { browser: kind, exits: {}, back: {}, visit: null };

    before(async () => {
      browser = await launch(kind, gateway);
      results.version = await browser.browser.version();
    });

    after(async () => {
      await browser?.close();
      writeReport(`visit-${kind}`, results);
    });

    test('JavaScript is off: an inline script on a page does not run', async () => {
      const page = await browser.newPage();
      await page.goto(`${neutral.origin}/search?q=js`, { waitUntil: 'load' });
      assert.equal(await page.title(), 'Search results');
      await page.close();
    });

    test('the whole visit: first contact, code, return, staff reply, write again, delete', async () => {
      const page = await browser.newPage();
      const seen = [];
      let last;
      for await (const step of visit(page, { gateway, lang: 'sv', staffReply: true })) {
        seen.push(`${step.name} ${step.response.status()}`);
        last = step;
      }
      await page.close();
      results.visit = { pages: seen, staffReply: last.staffReplied };
      assert.deepEqual(
        seen.map((entry) => entry.split(' ')[0]),
        STATES,
      );
      if (!gateway.hasInbox) {
        results.visit.note = 'porten serve started no internal API: the staff reply step was not possible';
      }
    });

    test('from every page one Tab focuses the exit link and Enter leaves for the exit site without a referrer', async () => {
      const failures = [];
      for (const name of STATES) {
        const page = await browser.newPage();
        try {
          await walkTo(page, 'sv', name);
          const before = neutral.landings().length;
          const { landed } = await exitWithKeyboard(page);
          const landing = neutral.landings()[before];
          results.exits[name] = { landed, referer: landing?.referer ?? null, title: await page.title() };
          if (landed !== `${neutral.origin}/`) failures.push(`${name}: landed on ${landed}`);
          if (!landing) failures.push(`${name}: the exit site saw no request`);
          else if (landing.referer !== null) failures.push(`${name}: the exit site got a referrer: ${landing.referer}`);
          if ((await page.title()) !== NEUTRAL_TITLE) failures.push(`${name}: the exit site's title is ${await page.title()}`);
        } catch (error) {
          failures.push(`${name}: ${error.message.split('\n')[0]}`);
          results.exits[name] = { error: error.message.split('\n')[0] };
        } finally {
          await page.close();
        }
      }
      assert.deepEqual(failures, []);
    });

    test('after typing and leaving, Back, Forward and resending show nothing typed and reopen nothing', async () => {
      const failures = [];
      for (const { name, field, typed: typedFor, group } of TYPED_PAGES) {
        const page = await browser.newPage();
        const probe = `p${Date.now()}${name}`;
        const record = { steps: [], reopenTab: null };
        results.back[name] = record;
        // Chromium tells why it did not keep a page in its back/forward cache, and whether a page came from it.
        const cache = { restored: false, notUsed: [] };
        if (kind === 'chromium') {
          const cdp = await page.createCDPSession();
          await cdp.send('Page.enable');
          cdp.on('Page.frameNavigated', (event) => {
            if (!event.frame.parentId && event.type === 'BackForwardCacheRestore') cache.restored = true;
          });
          cdp.on('Page.backForwardCacheNotUsed', (event) => {
            cache.notUsed.push(...event.notRestoredExplanations.map((explanation) => explanation.reason));
          });
        }
        page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
        try {
          const step = await walkTo(page, 'sv', name, probe);
          const typed = typedFor(step, kind);
          const secrets = secretsOf(step, typed);
          if (group) await clickAt(page, 'input#group');
          await typeInto(page, field, typed);
          assert.ok(await pageHolds(page, typed), 'the text was typed');
          record.typed = name === 'return' || name === 'code' ? 'the code' : 'a message';
          await navigate(page, () => clickAt(page, 'a.exit'));
          assert.equal(page.url(), `${neutral.origin}/`, 'the exit leads to the exit site');
          for (const how of HISTORY_STEPS) {
            const mark = gateway.recorder.requests.length;
            cache.restored = false;
            cache.notUsed = [];
            const outcome = await historyStep(page, how);
            // Let a request the step started arrive, so it is counted with this step.
            await new Promise((resolve) => setTimeout(resolve, 300));
            const now = await showing(page, secrets, probe);
            const requests = gateway.recorder.since(mark).map((entry) => judgeRequest(entry, secrets));
            let from;
            if (requests.length) from = 'network: the gateway answered';
            else if (now.kept || cache.restored) from = 'back/forward cache: no request';
            else if (now.url.startsWith(neutral.origin)) from = 'the exit site';
            else from = 'no request';
            const entry = { step: how, outcome, shows: now.shows, from, secretsShown: now.secretsShown, fieldsWithText: now.fieldsWithText, requests };
            if (cache.notUsed.length) entry.backForwardCacheNotUsed = [...new Set(cache.notUsed)];
            record.steps.push(entry);
            failures.push(...stepFailures(name, entry));
          }
          record.reopenTab = await reopenClosedTab(page, secrets, probe);
          for (const entry of record.reopenTab.steps ?? []) failures.push(...stepFailures(name, entry));
        } catch (error) {
          failures.push(`${name}: ${error.message.split('\n')[0]}`);
          record.error = error.message.split('\n')[0];
        } finally {
          if (!page.isClosed()) await page.close();
        }
        record.typedTextShown = record.steps.some((entry) => entry.secretsShown.length > 0) || (record.reopenTab?.steps ?? []).some((entry) => entry.secretsShown.length > 0);
      }
      assert.deepEqual(failures, []);
    });

    test('control: the same judging finds typed text that the browser keeps, on the exit site’s search field', async () => {
      // The exit site's page may be kept in the back/forward cache (it is not no-store, and its field keeps its
      // text): typing there, going on to the gateway and pressing Back must be found by `showing()`, or the
      // checks above could not fail.
      const page = await browser.newPage();
      try {
        const typed = `control ${kind} ${Date.now()}`;
        await page.goto(`${neutral.origin}/`, { waitUntil: 'load' });
        await typeInto(page, '#q', typed);
        await page.evaluate(() => (window.portenProbe = 'control'));
        await page.goto(`${gateway.origin}/sv/`, { waitUntil: 'load' });
        await historyStep(page, 'back');
        const now = await showing(page, { 'typed text': typed }, 'control');
        results.control = { shows: now.shows, typedTextShown: now.secretsShown.length > 0, fromBackForwardCache: now.kept };
        assert.deepEqual(now.secretsShown, ['typed text'], 'the typed text on the exit site is found after Back');
      } finally {
        await page.close();
      }
    });

    test('after closing the browser on the exit site and starting it again with its last session, nothing typed comes back', async () => {
      const failures = [];
      results.restoredSession = {};
      for (const { name, field, typed: typedFor, group } of TYPED_PAGES) {
        const profileDir = freshDir(`porten-${kind}-restore-`);
        const homeDir = kind === 'firefox' ? freshDir('porten-ff-home-') : null;
        const options = homeDir ? { profileDir, homeDir } : { profileDir };
        const record = { steps: [] };
        results.restoredSession[name] = record;
        let first = null;
        let second = null;
        try {
          first = await launch(kind, gateway, options);
          const page = await first.newPage();
          const step = await walkTo(page, 'sv', name);
          const typed = typedFor(step, kind);
          const secrets = secretsOf(step, typed);
          if (group) await clickAt(page, 'input#group');
          await typeInto(page, field, typed);
          await navigate(page, () => clickAt(page, 'a.exit'));
          await first.close({ keepProfile: true });
          first = null;
          const mark = gateway.recorder.requests.length;
          second = await launch(kind, gateway, { ...options, restoreSession: true });
          await new Promise((resolve) => setTimeout(resolve, 3000));
          const pages = await second.browser.pages();
          const where = { gatewayOrigin: gateway.origin, exitOrigin: neutral.origin };
          record.tabs = pages.map((candidate) => describeUrl(candidate.url(), where));
          const restored = pages.find((candidate) => candidate.url().startsWith(neutral.origin) || candidate.url().startsWith(gateway.origin));
          record.restored = Boolean(restored);
          if (!restored) {
            record.note =
              kind === 'firefox'
                ? 'Firefox started with browser.startup.page=3 and browser.sessionstore.resume_session_once=true under WebDriver BiDi opened no tab of the last session'
                : 'Chromium started with --restore-last-session opened no tab of the last session';
            continue;
          }
          for (const how of ['restored', 'back', 'forward']) {
            const since = how === 'restored' ? mark : gateway.recorder.requests.length;
            const outcome = how === 'restored' ? 'started with the last session' : await historyStep(restored, how);
            await new Promise((resolve) => setTimeout(resolve, 300));
            const now = await showing(restored, secrets, null);
            const requests = gateway.recorder.since(since).map((entry) => judgeRequest(entry, secrets));
            const from = requests.length ? 'network: the gateway answered' : now.url.startsWith(neutral.origin) ? 'the exit site' : 'no request';
            const entry = { step: `restored session, ${how}`, outcome, shows: now.shows, from, secretsShown: now.secretsShown, fieldsWithText: now.fieldsWithText, requests };
            record.steps.push(entry);
            failures.push(...stepFailures(name, entry));
          }
        } catch (error) {
          failures.push(`${name}: ${error.message.split('\n')[0]}`);
          record.error = error.message.split('\n')[0];
        } finally {
          await first?.close();
          await second?.close();
          rmSync(profileDir, { recursive: true, force: true });
          if (homeDir) rmSync(homeDir, { recursive: true, force: true });
        }
      }
      assert.deepEqual(failures, []);
    });

    /**
     * Closes `page` (on the exit site) and asks the browser to reopen it the way a person would, Ctrl+Shift+T,
     * from another tab. When a tab comes back, what it shows and what Back then shows are checked like any
     * step; when none does, that is recorded: the browser offers no way to reopen a tab under this driver.
     */
    async function reopenClosedTab(page, secrets, probe) {
      const helper = await browser.newPage();
      try {
        await helper.goto(`${neutral.origin}/`, { waitUntil: 'load' });
        const before = new Set(await browser.browser.pages());
        before.delete(page);
        await page.close();
        await helper.bringToFront();
        await helper.keyboard.down('Control');
        await helper.keyboard.down('Shift');
        await helper.keyboard.press('KeyT');
        await helper.keyboard.up('Shift');
        await helper.keyboard.up('Control');
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const reopened = (await browser.browser.pages()).find((candidate) => !before.has(candidate));
        const protocol = kind === 'chromium' ? 'the DevTools protocol (Input.dispatchKeyEvent)' : 'WebDriver BiDi (input.performActions)';
        if (!reopened) {
          const driver = kind === 'chromium' ? 'the DevTools protocol has no command to reopen a closed tab' : 'WebDriver BiDi has no command to reopen a closed tab';
          return { offered: false, tried: `Ctrl+Shift+T sent through ${protocol}`, result: `no tab was reopened within 2 s; ${driver}` };
        }
        const steps = [];
        for (const how of ['reopened', 'back']) {
          const mark = gateway.recorder.requests.length;
          const outcome = how === 'back' ? await historyStep(reopened, 'back') : 'reopened';
          const now = await showing(reopened, secrets, probe);
          const requests = gateway.recorder.since(mark).map((entry) => judgeRequest(entry, secrets));
          const from = requests.length ? 'network: the gateway answered' : now.kept ? 'back/forward cache: no request' : 'no request';
          steps.push({ step: `reopened tab, ${how}`, outcome, shows: now.shows, from, secretsShown: now.secretsShown, fieldsWithText: now.fieldsWithText, requests });
        }
        await reopened.close();
        return { offered: true, tried: `Ctrl+Shift+T sent through ${protocol}`, steps };
      } finally {
        await helper.close();
      }
    }

    test('the code page’s language buttons show the same code in the other language', async () => {
      const page = await browser.newPage();
      try {
        const step = await walkTo(page, 'sv', 'code');
        const response = await navigate(page, () => clickAt(page, 'header button.lang[lang="en"]'));
        assert.equal(response.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/en/code');
        assert.equal(await page.$eval('html', (html) => html.lang), 'en');
        assert.equal(await shownCode(page), step.code, 'the code survives the change of language');
      } finally {
        await page.close();
      }
    });
  });
}
