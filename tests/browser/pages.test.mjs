// Every page in every language, in Chromium with JavaScript off: the whole visit (with a staff reply pushed by
// the real porten-inbox) is walked in each language the landing page's language picker offers, so a language
// added to the templates is covered without touching this file. At every page:
//   - the document's own rules (checks.mjs): no script, exit link first, labelled fields, errors tied to fields;
//   - no horizontal scrolling at 320 px, at 200 % zoom and at 1280 px;
//   - axe-core at 320 px and 1280 px (axe.mjs explains how it runs with page JavaScript off);
//   - the Nu Html Checker on the HTML exactly as the gateway sent it;
//   - screenshots of the landing, contact, code (also after a failed check), code form and thread pages in sv
//     and ar at 320 and 1280 px;
//   - the information pages (index, safety, one topic) the same way;
//   - the exit stays on screen while scrolling at 320×640, 360×800, 780×360 (a phone held sideways) and
//     1280×900 at 200 % zoom in sv, ar, fa and ti, and sits in the same place in both writing directions;
//   - screenshots for the README (docs/screenshots/) of the landing, safety, an information page and the
//     conversation with a new reply, in sv and ar at 360 px.
// Results go to target/browser-report/pages.json for the summary.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
/** Information pages examined in every language: path after the language, page name. */
const INFO_PAGES = [
  ['info/', 'info-index'],
  ['info/safety', 'info-safety'],
  ['info/abroad', 'info-abroad'],
];
const STICKY_LANGS = ['sv', 'ar', 'fa', 'ti'];
const STICKY_VIEWPORTS = [
  { width: 320, height: 640, deviceScaleFactor: 1, label: '320×640' },
  { width: 360, height: 800, deviceScaleFactor: 1, label: '360×800' },
  { width: 780, height: 360, deviceScaleFactor: 1, label: '780×360' },
  // A 1280×900 window at 200 % zoom lays the page out in 640×450 CSS pixels.
  { width: 640, height: 450, deviceScaleFactor: 2, label: '1280×900 at 200 %' },
];
/** The README's screenshots: page name → file name part, taken at 360×800 in sv and ar. */
const DOC_SCREENSHOTS = { landing: 'landing', 'info-safety': 'safety', 'info-abroad': 'information', thread: 'conversation' };
const DOC_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

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
  if (SCREENSHOT_LANGS.includes(lang) && DOC_SCREENSHOTS[name]) {
    mkdirSync(DOC_DIR, { recursive: true });
    await page.setViewport({ width: 360, height: 800, deviceScaleFactor: 1 });
    const path = `${DOC_DIR}${lang}-${DOC_SCREENSHOTS[name]}-360.png`;
    await page.screenshot({ path });
    screenshots.push(path);
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
      for (const [path, name] of INFO_PAGES) {
        const response = await page.goto(`${gateway.origin}/${lang}/${path}`, { waitUntil: 'load' });
        if (response.status() !== 200) failures.push(`${name}: status ${response.status()}`);
        for (const problem of await examine(page, lang, name, response)) failures.push(`${name}: ${problem}`);
      }
      await page.close();
      assert.deepEqual(failures, [], `problems on the ${lang} pages`);
    });
  }
});

/** Where the exit link is after scrolling to the bottom, and whether it is the element seen at its centre. */
async function exitAfterScrolling(page) {
  return page.evaluate(() => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    const exit = document.querySelector('a.exit');
    const box = exit.getBoundingClientRect();
    const seen = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      scrolled: window.scrollY,
      scrollable: document.documentElement.scrollHeight > window.innerHeight,
      top: box.top,
      bottom: box.bottom,
      left: box.left,
      right: box.right,
      viewportHeight: window.innerHeight,
      viewportWidth: window.innerWidth,
      onTop: seen === exit || exit.contains(seen),
    };
  });
}

test('the exit stays visible while scrolling, at phone, sideways-phone and zoomed sizes, in both directions', async (t) => {
  const langs = STICKY_LANGS.filter((lang) => languages.includes(lang));
  assert.ok(langs.length > 0, 'some of sv, ar, fa and ti are offered');
  const page = await browser.newPage();
  const right = {};
  try {
    for (const lang of langs) {
      await t.test(lang, async () => {
        const failures = [];
        for (const path of ['', 'info/safety']) {
          for (const viewport of STICKY_VIEWPORTS) {
            await page.setViewport(viewport);
            await page.goto(`${gateway.origin}/${lang}/${path}`, { waitUntil: 'load' });
            const exit = await exitAfterScrolling(page);
            const where = `/${lang}/${path} at ${viewport.label}`;
            if (exit.scrollable && exit.scrolled === 0) failures.push(`${where}: did not scroll`);
            if (exit.top < 0 || exit.bottom > exit.viewportHeight) failures.push(`${where}: exit off screen (${exit.top}–${exit.bottom})`);
            if (!exit.onTop) failures.push(`${where}: something covers the exit`);
            if (exit.bottom > exit.viewportHeight / 3) failures.push(`${where}: the exit bar takes more than a third of the screen`);
          }
          await page.setViewport(DEFAULT_VIEWPORT);
          await page.goto(`${gateway.origin}/${lang}/${path}`, { waitUntil: 'load' });
          const wide = await exitAfterScrolling(page);
          right[`${lang}/${path}`] = wide.viewportWidth - wide.right;
        }
        assert.deepEqual(failures, [], `exit problems on the ${lang} pages`);
      });
    }
  } finally {
    await page.close();
  }
  const gaps = Object.values(right);
  assert.ok(
    gaps.every((gap) => Math.abs(gap - gaps[0]) <= 1 && gap < 100),
    `the exit sits at the same right-hand place on a wide screen in every language: ${JSON.stringify(right)}`,
  );
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
