// The visit in both browsers with JavaScript off — Firefox ESR at Tor Browser's Safest prefs, and Chromium:
//   - JavaScript really is off (a page with an inline script keeps its title);
//   - the whole visit works: landing → form → code page → return with the code → read a staff reply → write
//     again → delete, and a page that does not exist;
//   - on every page, one Tab focuses the exit link and Enter leaves for the exit site, which gets no referrer;
//   - going back after the exit does not bring back what was typed.
// Results go to target/browser-report/visit-<browser>.json for the summary.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch } from './lib/browsers.mjs';
import { Gateway } from './lib/gateway.mjs';
import { NEUTRAL_TITLE, NeutralSite } from './lib/neutral-site.mjs';
import { writeReport } from './lib/report.mjs';
import { clickAt, exitWithKeyboard, navigate, STATES, typeInto, visit } from './lib/visit.mjs';

let neutral;
let gateway;

before(async () => {
  neutral = await NeutralSite.start();
  gateway = await Gateway.start({ exitUrl: `${neutral.origin}/` });
});

after(async () => {
  await gateway?.stop();
  await neutral?.stop();
});

/** Walks the visit in `lang` up to the page `name` and leaves `page` there. */
async function walkTo(page, lang, name) {
  for await (const step of visit(page, { gateway, lang })) {
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

/** Goes back one page; a browser may refuse to show a form result again, which is an answer too. */
async function goBack(page) {
  try {
    // Firefox's "Document Expired" page for a form result never reports its load: a short wait is enough.
    await page.goBack({ waitUntil: 'load', timeout: 5000 });
  } catch (error) {
    return `back: ${error.message.split('\n')[0]}`;
  }
  return `back: ${page.url()}`;
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

    test('going back after the exit does not bring back typed text', async () => {
      const failures = [];
      const cases = [
        { name: 'landing', field: '#code', text: '8123 4567 8901 2345' },
        // The code page answers the contact form: sending that again must not show the first message.
        { name: 'code', field: '#code', text: `typed before leaving ${kind} code page`, resend: true },
        { name: 'contact', field: '#message', text: `typed before leaving ${kind} contact` },
        { name: 'thread', field: 'form[action$="/thread/write"] #message', text: `typed before leaving ${kind} thread`, resend: true },
      ];
      for (const { name, field, text, resend } of cases) {
        const page = await browser.newPage();
        try {
          const step = await walkTo(page, 'sv', name);
          await typeInto(page, field, text);
          assert.ok(await pageHolds(page, text), 'the text was typed');
          await navigate(page, () => clickAt(page, 'a.exit'));
          assert.equal(page.url(), `${neutral.origin}/`);
          const requests = [];
          const onRequest = (request) => {
            if (request.url().startsWith(gateway.origin)) requests.push(request.url());
          };
          page.on('request', onRequest);
          const back = await goBack(page);
          page.off('request', onRequest);
          const holds = await pageHolds(page, text).catch(() => false);
          results.back[name] = { after: back, typedTextShown: holds, requestsToGateway: requests.length };
          if (holds && kind === 'chromium' && requests.length === 0) {
            // Chromium keeps no-store pages in its back/forward cache for a few minutes unless a cookie changes,
            // and no header evicts them (Clear-Site-Data included); without cookies or scripts the gateway cannot
            // prevent it. Recorded as residual risk DEV-10 in threat-model/ and told to visitors ("close the tab").
            // The page must still come from memory only: a request to the gateway here would be a real failure.
            results.back[name].residual = 'Chromium back/forward cache (threat DEV-10)';
          } else if (holds) {
            const how = requests.length === 0 ? 'kept in memory (back/forward cache): no request reached the gateway' : back;
            failures.push(`${name}: going back shows the typed text again, ${how}`);
          }
          if (resend) {
            // The page behind was a form result: whoever is at the device may send the form again (Reload, then
            // "Resend"). What comes back must not show the code or the message the visitor sent to get there.
            const again = await page
              .reload({ waitUntil: 'load', timeout: 5000 })
              .then(() => `resent: ${page.url()}`)
              .catch((error) => `resend: ${error.message.split('\n')[0]}`);
            const secrets = { code: step.code, 'code digits': step.code.replace(/ /g, ''), message: step.texts.marker };
            const shown = [];
            for (const [what, secret] of Object.entries(secrets)) {
              if (await pageHolds(page, secret).catch(() => false)) shown.push(what);
            }
            results.back[name].resend = { after: again, shown };
            if (shown.length) failures.push(`${name}: sending the form again from history shows the visitor's ${shown.join(', ')} (${again})`);
          }
        } catch (error) {
          failures.push(`${name}: ${error.message.split('\n')[0]}`);
        } finally {
          await page.close();
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}
