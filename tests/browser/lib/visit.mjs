// The visitor's whole visit, driven through the real pages with the keyboard and the mouse, one page at a time:
//
//   landing → contact form → (form sent back with errors) → code page → [staff reply] → landing with a mistyped
//   code → thread (with the staff reply) → write again with an error → write again → delete? → deleted → 404
//
// `visit()` is an async generator that yields at every page, so a test can check each page, take screenshots, or
// leave through the exit link and stop there. Every step checks the status the gateway must answer with, so a
// broken flow fails where it breaks. Form fields are filled by typing; a field is emptied through the driver, as
// a visitor would select its text and delete it.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

/** The pages of a visit, in order. */
export const STATES = [
  'landing',
  'contact',
  'contact-errors',
  'code',
  'return-error',
  'thread',
  'thread-errors',
  'thread-sent',
  'burn-confirm',
  'burned',
  'not-found',
];

/** The staff member's display name and the reply text pushed with `porten-inbox reply`. */
export const STAFF_NAME = 'Sara, kurator';

/** Clicks (or presses) `action` and waits for the navigation it starts; the navigation's response. */
export async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

/**
 * Clicks the middle of the element `selector` with the mouse, after scrolling it into view. (The driver's own
 * `click()` waits for an IntersectionObserver inside the page in Firefox, which never reports with page
 * JavaScript off; a mouse click at the element's position is what a person does anyway.)
 */
export async function clickAt(page, selector) {
  const point = await page.$eval(selector, (element) => {
    element.scrollIntoView({ block: 'center', inline: 'center' });
    const box = element.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  });
  await page.mouse.click(point.x, point.y);
}

/** Empties a form field, then types `text` into it key by key. */
export async function typeInto(page, selector, text) {
  await page.$eval(selector, (element) => {
    element.value = '';
  });
  await page.type(selector, text);
}

/** The language codes the landing page's language picker offers, in its order. */
export async function pickerLanguages(page) {
  return page.$$eval('nav ul.langs li > [lang]', (items) => items.map((item) => item.getAttribute('lang')));
}

function expectStatus(response, status, what) {
  assert.ok(response, `${what}: no response`);
  assert.equal(response.status(), status, `${what}: expected status ${status}, got ${response.status()} at ${response.url()}`);
}

/** A fresh visit's texts: a unique marker in every message, so the spool document and the pages can be found. */
export function visitTexts(lang) {
  const marker = `m${randomBytes(6).toString('hex')}`;
  return {
    marker,
    message: `Hej, jag behöver prata med någon om min familj. ${marker}`,
    followUp: `Tack. Jag kan skriva igen i kväll. f${marker}`,
    staffReply: `Hej! Vi har läst ditt meddelande och vill gärna prata med dig. Svar till ${lang}. r${marker}`,
  };
}

/**
 * Walks the visit in `lang` on `page`. Options: `gateway` (a `Gateway`), `staffReply` (push a staff reply before
 * returning, when the gateway has its internal side: see `Gateway.hasInbox`), `urgent` (tick "I am in danger now"). Yields `{ name, response, texts, code }`.
 */
export async function* visit(page, { gateway, lang, staffReply = false, urgent = false }) {
  const origin = gateway.origin;
  const texts = visitTexts(lang);
  const state = { texts, code: null, staffReplied: false };

  let response = await page.goto(`${origin}/${lang}/`, { waitUntil: 'load' });
  expectStatus(response, 200, 'landing page');
  yield { name: 'landing', response, ...state };

  response = await navigate(page, () => clickAt(page, 'main a[href$="/contact"]'));
  expectStatus(response, 200, 'contact page');
  yield { name: 'contact', response, ...state };

  // The browser itself refuses an empty form (required fields); the gateway's own errors show when the browser
  // does not check, as older ones do not: the form's validation is switched off and whitespace sent as text.
  await page.$eval('form#form', (form) => {
    form.noValidate = true;
  });
  await typeInto(page, '#message', '   ');
  response = await navigate(page, () => clickAt(page, 'form#form button[type="submit"]'));
  expectStatus(response, 422, 'contact form sent without a group and with an empty message');
  yield { name: 'contact-errors', response, ...state };

  await clickAt(page, 'input#group');
  if (urgent) await clickAt(page, 'input#urgent');
  await typeInto(page, '#message', texts.message);
  response = await navigate(page, () => clickAt(page, 'form#form button[type="submit"]'));
  expectStatus(response, 200, 'first contact');
  state.code = (await page.$eval('p.code', (element) => element.textContent)).trim().replace(/\s+/g, ' ');
  assert.match(state.code, /^\d{4}( \d{4})+$/, `the code page shows a code in groups: ${state.code}`);
  yield { name: 'code', response, ...state };

  if (staffReply && gateway.hasInbox) {
    const ref = await gateway.ticketRefFor(texts.marker);
    await gateway.staffReply(ref, STAFF_NAME, texts.staffReply);
    state.staffReplied = true;
  }

  // Coming back later: the landing page, a typo in the code first (the check digit catches it).
  response = await page.goto(`${origin}/${lang}/`, { waitUntil: 'load' });
  expectStatus(response, 200, 'landing page on return');
  const digits = state.code.replace(/ /g, '');
  const lastDigit = Number(digits.at(-1));
  const typo = `${digits.slice(0, -1)}${(lastDigit + 1) % 10}`;
  await typeInto(page, '#code', typo);
  response = await navigate(page, () => clickAt(page, 'form[action$="/return"] button[type="submit"]'));
  expectStatus(response, 422, 'return with a mistyped code');
  yield { name: 'return-error', response, ...state };

  await typeInto(page, '#code', state.code);
  response = await navigate(page, () => clickAt(page, 'form[action$="/return"] button[type="submit"]'));
  expectStatus(response, 200, 'return with the code');
  const threadText = await page.$eval('main', (main) => main.textContent);
  assert.ok(threadText.includes(texts.marker), 'the thread shows the visitor’s first message');
  if (state.staffReplied) {
    assert.ok(threadText.includes(texts.staffReply), 'the thread shows the staff reply');
    assert.ok(threadText.includes(STAFF_NAME), 'the thread names the staff member');
  }
  yield { name: 'thread', response, ...state };

  const writeForm = 'form[action$="/thread/write"]';
  await page.$eval(writeForm, (form) => {
    form.noValidate = true;
  });
  await typeInto(page, `${writeForm} #message`, '  ');
  response = await navigate(page, () => clickAt(page, `${writeForm} button[type="submit"]`));
  expectStatus(response, 422, 'writing again with an empty message');
  yield { name: 'thread-errors', response, ...state };

  await typeInto(page, `${writeForm} #message`, texts.followUp);
  response = await navigate(page, () => clickAt(page, `${writeForm} button[type="submit"]`));
  expectStatus(response, 200, 'writing again');
  assert.ok((await page.$eval('main', (main) => main.textContent)).includes(texts.followUp), 'the follow-up is in the thread');
  yield { name: 'thread-sent', response, ...state };

  response = await navigate(page, () => clickAt(page, 'form[action$="/thread/delete"] button[type="submit"]'));
  expectStatus(response, 200, 'asking to delete the conversation');
  yield { name: 'burn-confirm', response, ...state };

  response = await navigate(page, () => clickAt(page, 'form[action$="/thread/delete"] button[type="submit"]'));
  expectStatus(response, 200, 'deleting the conversation');
  yield { name: 'burned', response, ...state };

  response = await page.goto(`${origin}/${lang}/no-such-page`, { waitUntil: 'load' });
  expectStatus(response, 404, 'a page that does not exist');
  yield { name: 'not-found', response, ...state };
}

/**
 * Leaves the current page with the keyboard: one Tab must focus the exit link, Enter must land on the neutral
 * site. Returns what was focused (its `href`) and where the browser landed.
 */
export async function exitWithKeyboard(page) {
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const element = document.activeElement;
    return element && element.matches('a.exit') ? element.getAttribute('href') : (element?.outerHTML ?? 'nothing').slice(0, 120);
  });
  assert.equal(focused, '/exit', 'one Tab focuses the exit link');
  await navigate(page, () => page.keyboard.press('Enter'));
  return { focused, landed: page.url() };
}
