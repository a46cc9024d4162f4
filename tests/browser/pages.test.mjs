// Every page in every language, in Chromium with JavaScript off: the whole visit (with a staff reply pushed by
// the real porten-inbox) is walked in each language the landing page's language picker offers, so a language
// added to the templates is covered without touching this file. At every page:
//   - the document's own rules (checks.mjs): no script, exit link first, labelled fields, errors tied to fields;
//   - no horizontal scrolling at 320 px, at 200 % zoom and at 1280 px;
//   - axe-core at 320 px and 1280 px (axe.mjs explains how it runs with page JavaScript off);
//   - the Nu Html Checker on the HTML exactly as the gateway sent it;
//   - screenshots of the landing, contact, code (also after a failed check), code form and thread pages in sv
//     and ar at 320 and 1280 px.
// Results go to target/browser-report/pages.json for the summary.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AxeRunner, AXE_VERSION, Capture } from './lib/axe.mjs';
import { launch } from './lib/browsers.mjs';
import { documentProblems, horizontalOverflow, REFLOW_VIEWPORTS } from './lib/checks.mjs';
import { Gateway } from './lib/gateway.mjs';
import { NeutralSite } from './lib/neutral-site.mjs';
import { saveHtml, screenshotPath, writeReport } from './lib/report.mjs';
import { checkHtml, VNU_VERSION } from './lib/vnu.mjs';
import { pickerLanguages, visit } from './lib/visit.mjs';

const SCREENSHOT_LANGS = ['sv', 'ar'];
const SCREENSHOT_PAGES = ['landing', 'contact', 'code', 'code-check-error', 'return', 'thread'];
const AXE_WIDTHS = [320, 1280];
const DEFAULT_VIEWPORT = { width: 1280, height: 900, deviceScaleFactor: 1 };

let neutral;
let gateway;
let browser;
let languages = [];
/** Every page captured, in visit order. */
const captures = [];
/** What the summary prints, by page id (`sv-landing`). */
const pages = {};
const screenshots = [];

before(async () => {
  neutral = await NeutralSite.start();
  gateway = await Gateway.start({ exitUrl: `${neutral.origin}/` });
  browser = await launch('chromium', gateway);
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
  await neutral?.stop();
  writeReport('pages', { axeVersion: AXE_VERSION, vnuVersion: VNU_VERSION, languages, pages, screenshots });
});

test('the language picker offers the languages, Swedish and English among them', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${gateway.origin}/`, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  languages = await pickerLanguages(page);
  await page.close();
  assert.ok(languages.includes('sv') && languages.includes('en'), `picker offers ${languages.join(', ')}`);
  assert.equal(new Set(languages).size, languages.length, 'no language twice');
});

/** Checks the page in front of `page` and records it; returns the problems found. */
async function examine(page, lang, name, response) {
  const capture = new Capture({ lang, name, status: response.status(), headers: response.headers(), body: await response.text() });
  captures.push(capture);
  const problems = await documentProblems(page);
  const overflow = {};
  for (const viewport of REFLOW_VIEWPORTS) {
    await page.setViewport(viewport);
    overflow[viewport.label] = await horizontalOverflow(page);
    if (overflow[viewport.label] > 0) {
      problems.push(`scrolls sideways by ${overflow[viewport.label]} px at ${viewport.label}`);
    }
  }
  if (SCREENSHOT_LANGS.includes(lang) && SCREENSHOT_PAGES.includes(name)) {
    for (const width of [320, 1280]) {
      await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
      const path = screenshotPath(`${lang}-${name}-${width}`);
      await page.screenshot({ path, fullPage: true });
      screenshots.push(path);
    }
  }
  await page.setViewport(DEFAULT_VIEWPORT);
  pages[capture.id] = { lang, name, status: capture.status, bytes: Buffer.byteLength(capture.body), problems, overflow };
  return problems;
}

test('every page in every language keeps the page rules, with JavaScript off, at every width', async (t) => {
  assert.ok(languages.length > 0, 'languages were discovered');
  for (const lang of languages) {
    await t.test(lang, async () => {
      const page = await browser.newPage();
      const failures = [];
      for await (const step of visit(page, { gateway, lang, staffReply: true })) {
        for (const problem of await examine(page, lang, step.name, step.response)) failures.push(`${step.name}: ${problem}`);
      }
      // The code page as it is after "I am in danger now": the emergency numbers come first.
      for await (const step of visit(page, { gateway, lang, urgent: true })) {
        if (step.name !== 'code') continue;
        for (const problem of await examine(page, lang, 'code-urgent', step.response)) failures.push(`code-urgent: ${problem}`);
        break;
      }
      await page.close();
      assert.deepEqual(failures, [], `problems on the ${lang} pages`);
    });
  }
});

test('axe-core finds no violations on any page, at 320 px and 1280 px', async (t) => {
  assert.ok(captures.length > 0, 'pages were captured');
  const axe = await AxeRunner.start();
  try {
    for (const lang of languages) {
      await t.test(lang, async () => {
        // One line per rule: where it failed (pages and widths) and on which elements.
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
        const failures = [...byRule.values()].map(
          ({ violation, where, nodes }) =>
            `${violation.id} (${violation.impact}): ${violation.help} — on ${[...where].join(', ')} — ${[...nodes].join(' | ')}`,
        );
        assert.deepEqual(failures, [], `axe-core violations on the ${lang} pages`);
      });
    }
  } finally {
    await axe.stop();
  }
});

test('the Nu Html Checker finds no errors on any page', async () => {
  assert.ok(captures.length > 0, 'pages were captured');
  const files = new Map(captures.map((capture) => [saveHtml(capture.id, capture.body), capture]));
  const results = await checkHtml([...files.keys()]);
  const failures = [];
  for (const [file, capture] of files) {
    const { errors, warnings } = results.get(file);
    pages[capture.id].vnu = { errors, warnings };
    for (const error of errors) failures.push(`${capture.id}: ${error}`);
  }
  assert.deepEqual(failures, [], 'HTML errors');
});
