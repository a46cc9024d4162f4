// A visitor's single steps on the gateway, for tests that interleave them with the staff desk: a first contact
// (the code it gives is registered as a secret at once), coming back with the code, reading the conversation and
// writing again. Buttons are pressed with the mouse and fields filled by typing, as in visit.mjs.

import assert from 'node:assert/strict';
import { clickAt, navigate, shownCode, typeInto } from './visit.mjs';

/**
 * Writes to the centre from the landing page: "Write to us", the first group, "I am in danger now" when `urgent`,
 * the message; returns the code the code page shows (registered with `secrets` as "the visitor's code").
 */
export async function firstContact(page, { origin, lang, message, urgent = false, secrets }) {
  let response = await page.goto(`${origin}/${lang}/`, { waitUntil: 'load' });
  assert.equal(response.status(), 200, 'the landing page');
  response = await navigate(page, () => clickAt(page, 'main form.open[action$="/contact"] button'));
  assert.equal(response.status(), 200, 'the contact form');
  await clickAt(page, 'input#group');
  if (urgent) await clickAt(page, 'input#urgent');
  await typeInto(page, '#message', message);
  response = await navigate(page, () => clickAt(page, 'form#form button[type="submit"]'));
  assert.equal(response.status(), 200, 'the first contact is taken');
  const code = secrets.add("the visitor's code", await shownCode(page));
  assert.match(code, /^\d{4}( \d{4})+$/, 'the code page shows a code');
  return code;
}

/** Comes back from the landing page: "Open my conversation", then the code. */
export async function openConversation(page, { origin, lang, code }) {
  let response = await page.goto(`${origin}/${lang}/`, { waitUntil: 'load' });
  assert.equal(response.status(), 200, 'the landing page');
  response = await navigate(page, () => clickAt(page, 'main form.open[action$="/return"] button'));
  assert.equal(response.status(), 200, 'the code form');
  await typeInto(page, 'form#form #code', code);
  response = await navigate(page, () => clickAt(page, 'form#form button[type="submit"]'));
  assert.equal(response.status(), 200, 'the conversation opens with the code');
  return response;
}

/** The conversation's entries, oldest first: who wrote each (`mine` or the heading naming the centre) and the text. */
export async function threadEntries(page) {
  const newestFirst = await page.evaluate(() =>
    [...document.querySelectorAll('main ol.thread > li')].map((entry) => ({
      mine: entry.classList.contains('mine'),
      author: entry.querySelector('h3')?.textContent.replace(/\s+/g, ' ').trim() ?? '',
      text: entry.querySelector('.text')?.textContent ?? '',
    })),
  );
  return newestFirst.reverse();
}

/** Writes again from the conversation. */
export async function writeAgain(page, text) {
  const form = 'form[action$="/thread/write"]';
  await typeInto(page, `${form} #message`, text);
  const response = await navigate(page, () => clickAt(page, `${form} button[type="submit"]`));
  assert.equal(response.status(), 200, 'writing again');
  return response;
}
