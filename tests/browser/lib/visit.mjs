// The visitor's whole visit, driven through the real pages with the keyboard and the mouse, one page at a time:
//
//   landing → "Write to us" → contact form → (form sent back with errors) → code page → (check the code with a
//   slip, then right) → [staff reply] → landing → "Open my conversation" → code form → (a mistyped code) →
//   thread (with the staff reply) → write again with an error → write again → delete? → "No, keep it" →
//   delete → deleted; then the two pages a plain link leads to (/contact, /return) and a 404.
//
// No page reached by a plain link holds a field to type in: every form opens behind a button that posts, and
// every page with a field is the answer to a POST. `visit()` is an async generator that yields at every page,
// so a test can check each page, take screenshots, or leave through the exit link and stop there. Every step
// checks the status the gateway must answer with, so a broken flow fails where it breaks. Form fields are
// filled by typing; a field is emptied through the driver, as a visitor would select its text and delete it.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

/** The pages of a visit, in order. */
export const STATES = [
  'landing',
  'contact',
  'contact-errors',
  'code',
  'code-check-error',
  'code-checked',
  'return',
  'return-error',
  'thread',
  'thread-errors',
  'thread-sent',
  'burn-confirm',
  'burn-kept',
  'burned',
  'start-contact',
  'start-return',
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
 * JavaScript off; a mouse click at the element's position is what a person does anyway.) A link that wraps
 * over two lines is clicked in the middle of its first line: the middle of its whole box may be beside it.
 */
export async function clickAt(page, selector) {
  const point = await page.$eval(selector, (element) => {
    element.scrollIntoView({ block: 'center', inline: 'center' });
    const box = element.getClientRects()[0] ?? element.getBoundingClientRect();
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
  await expectNoField(page, 'the landing page');
  yield { name: 'landing', response, ...state };

  // "Write to us" is a form with only a button: its empty POST opens the contact form.
  response = await navigate(page, () => clickAt(page, 'main form.open[action$="/contact"] button'));
  expectStatus(response, 200, 'contact page');
  assert.equal(response.request().method(), 'POST', 'the contact form is the answer to a POST');
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
  state.code = await shownCode(page);
  assert.match(state.code, /^\d{4}( \d{4})+$/, 'the code page shows a code in groups');
  yield { name: 'code', response, ...state };

  // Checking the written-down code with one digit wrong shows the code page again, the code and the slip marked.
  const digits = state.code.replace(/ /g, '');
  const slip = `${digits.slice(0, -1)}${(Number(digits.at(-1)) + 1) % 10}`;
  await typeInto(page, 'form#check #code', slip);
  response = await navigate(page, () => clickAt(page, 'form#check button[type="submit"]'));
  expectStatus(response, 422, 'checking the code with one digit wrong');
  assert.equal(await shownCode(page), state.code, 'the code page shows the same code again after a failed check');
  assert.equal(await count(page, '.mistake mark'), 1, 'the one wrong digit is marked');
  yield { name: 'code-check-error', response, ...state };

  await typeInto(page, 'form#check #code', state.code);
  response = await navigate(page, () => clickAt(page, 'form#check button[type="submit"]'));
  expectStatus(response, 200, 'checking the code correctly');
  const checked = await pageText(page);
  assert.ok(!checked.includes(state.code) && !checked.includes(digits), 'the page after a correct check does not show the code');
  yield { name: 'code-checked', response, ...state };

  if (staffReply && gateway.hasInbox) {
    const ref = await gateway.ticketRefFor(texts.marker);
    await gateway.staffReply(ref, STAFF_NAME, texts.staffReply);
    state.staffReplied = true;
  }

  // Coming back later: the landing page, its "Open my conversation" button, a typo in the code first (the
  // check digit catches it).
  response = await page.goto(`${origin}/${lang}/`, { waitUntil: 'load' });
  expectStatus(response, 200, 'landing page on return');
  response = await navigate(page, () => clickAt(page, 'main form.open[action$="/return"] button'));
  expectStatus(response, 200, 'the code form');
  assert.equal(response.request().method(), 'POST', 'the code form is the answer to a POST');
  yield { name: 'return', response, ...state };

  await typeInto(page, 'form#form #code', slip);
  response = await navigate(page, () => clickAt(page, 'form#form button[type="submit"]'));
  expectStatus(response, 422, 'return with a mistyped code');
  yield { name: 'return-error', response, ...state };

  await typeInto(page, 'form#form #code', state.code);
  response = await navigate(page, () => clickAt(page, 'form#form button[type="submit"]'));
  expectStatus(response, 200, 'return with the code');
  const threadText = await pageText(page);
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
  assert.ok((await pageText(page)).includes(texts.followUp), 'the follow-up is in the thread');
  yield { name: 'thread-sent', response, ...state };

  const deleteForm = 'form[action$="/thread/delete"]';
  response = await navigate(page, () => clickAt(page, `${deleteForm} button[type="submit"]`));
  expectStatus(response, 200, 'asking to delete the conversation');
  yield { name: 'burn-confirm', response, ...state };

  response = await navigate(page, () => clickAt(page, `${deleteForm} button[name="confirm"][value="no"]`));
  expectStatus(response, 200, '"No, keep it"');
  assert.ok((await pageText(page)).includes(texts.followUp), '"No, keep it" shows the thread again');
  yield { name: 'burn-kept', response, ...state };

  response = await navigate(page, () => clickAt(page, `${deleteForm} button[type="submit"]`));
  expectStatus(response, 200, 'asking to delete the conversation again');
  response = await navigate(page, () => clickAt(page, `${deleteForm} button[name="confirm"][value="yes"]`));
  expectStatus(response, 200, 'deleting the conversation');
  yield { name: 'burned', response, ...state };

  // Where a plain link to a form leads: a page with only the button that opens it.
  for (const [name, path] of [
    ['start-contact', 'contact'],
    ['start-return', 'return'],
  ]) {
    response = await page.goto(`${origin}/${lang}/${path}`, { waitUntil: 'load' });
    expectStatus(response, 200, `GET /${lang}/${path}`);
    await expectNoField(page, `GET /${lang}/${path}`);
    assert.equal(await count(page, `main form.open[action$="/${path}"] button`), 1, `GET /${lang}/${path} holds the button that opens the form`);
    yield { name, response, ...state };
  }

  response = await page.goto(`${origin}/${lang}/no-such-page`, { waitUntil: 'load' });
  expectStatus(response, 404, 'a page that does not exist');
  yield { name: 'not-found', response, ...state };
}

/** The code as the code page shows it, digit groups separated by single spaces. */
export async function shownCode(page) {
  return (await page.$eval('p.code', (element) => element.textContent)).trim().replace(/\s+/g, ' ');
}

/**
 * How many elements match `selector`. (The driver's own `$$eval` never returns in Firefox with page JavaScript
 * off; a plain evaluation does.)
 */
async function count(page, selector) {
  return page.evaluate((css) => document.querySelectorAll(css).length, selector);
}

/** The text of the page's `<main>`. */
async function pageText(page) {
  return page.$eval('main', (main) => main.textContent);
}

/** A page reached by a plain link holds no field to type in (a browser may keep it, typed text and all). */
async function expectNoField(page, what) {
  const fields = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type="hidden"]), textarea, select')].map((field) => field.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(fields, [], `${what} holds no field to type in`);
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
