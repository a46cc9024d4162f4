// WebKitGTK with JavaScript off (Debian's webkit2gtk-driver: WebKitWebDriver and MiniBrowser, under xvfb-run):
// the back-after-exit test of visit.test.mjs for the pages that hold typed input — contact form, code form, the
// code page's check box, the conversation's reply box. Type, leave through the exit, then Back, Reload (resend),
// Forward, Back, Back, Forward: no typed text, code or thread may show, and no request that reaches the
// gateway (seen by the recorder in front of it) may open anything. Each page runs in a browser of its own, as
// the driver may stop answering after a step. What WebKit does at each step is recorded in
// target/browser-report/visit-webkit.json for the summary.
//
// A step after which the driver no longer answers leaves the page unread: the requests that reached the gateway
// are still judged (and fail the test when they open anything), and the test is then reported as skipped with
// the reason, never as passed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Gateway, waitFor } from './lib/gateway.mjs';
import { NeutralSite } from './lib/neutral-site.mjs';
import { writeReport } from './lib/report.mjs';
import { describeUrl, judgeRequest, secretsIn, secretsOf, stepFailures } from './lib/restore.mjs';
import { visitTexts } from './lib/visit.mjs';
import { WebKit, webkitMissing } from './lib/webkit.mjs';

/** What the browser does after the exit, in order (the same as visit.test.mjs); `resend` is Reload. */
const HISTORY_STEPS = ['back', 'resend', 'forward', 'back', 'back', 'forward'];
/** How long one driver command may take before the driver counts as no longer answering. */
const STEP_MS = 10000;

let neutral;
let gateway;
const results = { browser: 'webkit', version: null, back: {} };

before(async () => {
  neutral = await NeutralSite.start();
  gateway = await Gateway.start({ exitUrl: `${neutral.origin}/`, record: true });
});

after(async () => {
  await gateway?.stop();
  await neutral?.stop();
  writeReport('visit-webkit', results);
});

/**
 * Walks to the page `name` in `wk` and returns the visit's secrets so far: the code (once there is one) and the
 * texts. Clicks that start a navigation are followed by a wait for the next page's element.
 */
async function walkTo(wk, name, texts) {
  const step = { texts, code: null };
  // Each page is loaded fully before the next click, as a person reads it first.
  const next = async (selector) => {
    await wk.waitFor(selector);
    await wk.settle();
  };
  await wk.goto(`${gateway.origin}/sv/`);
  await next('main form.open[action$="/contact"] button');
  await wk.click('main form.open[action$="/contact"] button');
  await next('form#form #message');
  if (name === 'contact') return step;
  await wk.click('input#group');
  await wk.type('form#form #message', texts.message);
  await wk.click('form#form button[type="submit"]');
  await next('p.code');
  step.code = String(await wk.execute("return document.querySelector('p.code').textContent;")).trim().replace(/\s+/g, ' ');
  assert.match(step.code, /^\d{4}( \d{4})+$/, 'the code page shows a code');
  if (name === 'code') return step;
  await wk.goto(`${gateway.origin}/sv/`);
  await next('main form.open[action$="/return"] button');
  await wk.click('main form.open[action$="/return"] button');
  await next('form#form #code');
  if (name === 'return') return step;
  await wk.type('form#form #code', step.code);
  await wk.click('form#form button[type="submit"]');
  await next('form[action$="/thread/write"] #message');
  return step;
}

const TYPED_PAGES = [
  { name: 'contact', field: 'form#form #message', typed: (step) => `typed before leaving webkit contact c${step.texts.marker}` },
  { name: 'return', field: 'form#form #code', typed: (step) => step.code },
  { name: 'code', field: 'form#check #code', typed: (step) => step.code },
  { name: 'thread', field: 'form[action$="/thread/write"] #message', typed: (step) => `typed before leaving webkit thread t${step.texts.marker}` },
];

/** What the page in front shows, read through the driver; `null` when the driver no longer answers. */
async function showing(wk, secrets, probe) {
  try {
    const url = await wk.session_('GET', '/url', undefined, STEP_MS);
    const html = await wk.session_('GET', '/source', undefined, STEP_MS);
    const fields = await wk.fieldValues();
    const kept = await wk.execute('return window.portenProbe === arguments[0];', [probe]).catch(() => false);
    const secretsShown = secretsIn([html, ...fields].join('\n'), secrets);
    const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]?.trim() ?? '';
    const place = describeUrl(url, { gatewayOrigin: gateway.origin, exitOrigin: neutral.origin });
    return { url, shows: `${place}${heading && !secretsShown.length ? ` "${heading}"` : ''}`, secretsShown, kept, fieldsWithText: fields.filter((v) => v.trim()).length };
  } catch (error) {
    return { unreadable: error.message.split('\n')[0] };
  }
}

test('WebKitGTK starts under xvfb-run with JavaScript off', async () => {
  const missing = webkitMissing();
  assert.equal(missing, null, 'install.sh installs webkit2gtk-driver and xvfb');
  const wk = await WebKit.start();
  try {
    results.version = wk.version;
    await wk.goto(`${neutral.origin}/search?q=js`);
    assert.equal(await wk.title(), 'Search results', 'JavaScript is off: the inline script did not change the title');
  } finally {
    await wk.stop();
  }
});

for (const { name, field, typed: typedFor } of TYPED_PAGES) {
  test(`WebKitGTK: after typing on ${name} and leaving, Back, Forward and resending show nothing typed and reopen nothing`, async (t) => {
    const record = { steps: [] };
    results.back[name] = record;
    // The driver waits for each navigation to end before its next command. (With `pageLoadStrategy: 'none'` it
    // would not hang after Back, but its script commands then read a document other than the one shown, and the
    // exit took the typed page's place in the history: what it measured was not what a person does.)
    const wk = await WebKit.start();
    const failures = [];
    let unreadable = null;
    try {
      const probe = `p${Date.now()}${name}`;
      const step = await walkTo(wk, name, visitTexts('sv'));
      const typed = typedFor(step);
      const secrets = secretsOf(step, typed);
      await wk.type(field, typed);
      assert.ok((await wk.fieldValues()).includes(typed), 'the text was typed');
      record.typed = name === 'return' || name === 'code' ? 'the code' : 'a message';
      await wk.execute('window.portenProbe = arguments[0];', [probe]);
      await wk.click('a.exit');
      await waitFor(async () => String(await wk.url()).startsWith(neutral.origin), 'the exit site', 15000, 200);
      await wk.settle();
      for (const how of HISTORY_STEPS) {
        const mark = gateway.recorder.requests.length;
        let outcome = 'done';
        try {
          if (how === 'back') await wk.back(STEP_MS);
          else if (how === 'forward') await wk.forward(STEP_MS);
          else await wk.refresh(STEP_MS);
        } catch (error) {
          outcome = `the driver did not finish the step: ${error.message.split('\n')[0]}`;
        }
        const prompt = await wk.alertText();
        if (prompt !== null) {
          outcome += `; a dialog asked: "${prompt}" (accepted)`;
          await wk.acceptAlert().catch(() => {});
        }
        // Nothing reports the end of a load here: give it time, as a person looking at the screen would.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const now = await showing(wk, secrets, probe);
        const requests = gateway.recorder.since(mark).map((entry) => ({
          ...judgeRequest(entry, secrets),
          sentWith: `Origin ${entry.origin ?? 'none'}, Sec-Fetch-Site ${entry.fetchSite ?? 'none'}`,
        }));
        let from;
        if (requests.length) from = 'network: the gateway answered';
        else if (now.kept) from = 'back/forward cache: no request';
        else if (now.url?.startsWith(neutral.origin)) from = 'the exit site';
        else from = 'no request';
        const entry = {
          step: how,
          outcome,
          shows: now.unreadable ? `unreadable: the driver no longer answers (${now.unreadable})` : now.shows,
          from,
          secretsShown: now.secretsShown ?? [],
          fieldsWithText: now.fieldsWithText ?? null,
          requests,
        };
        record.steps.push(entry);
        failures.push(...stepFailures(name, entry));
        if (now.unreadable) {
          unreadable = `after ${how}, the driver no longer answered (${now.unreadable})`;
          break;
        }
      }
    } finally {
      await wk.stop();
    }
    record.typedTextShown = record.steps.some((entry) => entry.secretsShown.length > 0);
    record.unreadable = unreadable;
    assert.deepEqual(failures, []);
    if (unreadable) t.skip(`what WebKit showed could not be read: ${unreadable}; the requests that reached the gateway opened nothing`);
  });
}
