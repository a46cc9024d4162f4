// What a whole visit leaves in a Firefox ESR profile (Safest prefs, otherwise Firefox's own defaults for history,
// cache, cookies, form history and session store), read from disk after the browser has closed. Twice: once
// when the visitor leaves through the exit link, once when they simply close the browser on the last page.
//
// Must be empty, for the gateway's host: cookies (cookies.sqlite), disk-cache entries (cache2/), saved form data
// (formhistory.sqlite). Must be nowhere in any file of the profile or of the browser's home directory (session
// store decompressed): the ticket code, the visitor's messages, the staff reply.
// Each of these is proven able to fail by the neutral site, which sets a cookie, is cached and has a search
// form that does keep its text: the same inspection must find those.
// What the history (places.sqlite) and the session store still hold is recorded, not failed: a visited URL and
// the neutral title "Kontakt" stay in an ordinary profile's history by design of the browser; Tor Browser keeps
// no history at all. Results go to target/browser-report/traces.json.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch } from './lib/browsers.mjs';
import { Gateway } from './lib/gateway.mjs';
import { NEUTRAL_TITLE, NeutralSite } from './lib/neutral-site.mjs';
import { findInFiles, inspectFirefoxProfile, listFiles } from './lib/profile.mjs';
import { writeReport } from './lib/report.mjs';
import { clickAt, exitWithKeyboard, navigate, typeInto, visit } from './lib/visit.mjs';

/** Firefox's visit types (moz_historyvisits.visit_type). */
const VISIT_TYPES = { 1: 'link', 2: 'typed', 5: 'redirect (permanent)', 6: 'redirect (temporary)', 9: 'reload' };

let neutral;
let gateway;
const report = {};

before(async () => {
  neutral = await NeutralSite.start();
  gateway = await Gateway.start({ exitUrl: `${neutral.origin}/` });
});

after(async () => {
  await gateway?.stop();
  await neutral?.stop();
  writeReport('traces', report);
});

for (const ending of ['exit link', 'closing the browser']) {
  test(`a whole visit that ends by ${ending} leaves no cookie, cache entry, form data or text from the gateway`, async (t) => {
    const gatewayHost = new URL(gateway.origin).host;
    const neutralHost = new URL(neutral.origin).host;
    const browser = await launch('firefox', gateway);
    const { profileDir, homeDir } = browser;
    const controlText = `weather ${Date.now()}`;
    let last;
    try {
      const page = await browser.newPage();
      for await (const step of visit(page, { gateway, lang: 'sv', staffReply: true })) last = step;
      let control = page;
      if (ending === 'exit link') {
        await exitWithKeyboard(page);
      } else {
        // The visitor closes the browser on the gateway's last page; the control steps happen in another tab.
        control = await browser.newPage();
        await control.goto(`${neutral.origin}/`, { waitUntil: 'load' });
      }
      assert.equal(await control.title(), NEUTRAL_TITLE, 'JavaScript is off: the inline script did not run');
      await typeInto(control, '#q', controlText);
      await navigate(control, () => clickAt(control, 'button[type="submit"]'));
    } finally {
      await browser.close({ keepProfile: true });
    }

    t.after(() => {
      rmSync(profileDir, { recursive: true, force: true });
      rmSync(homeDir, { recursive: true, force: true });
    });
    const found = inspectFirefoxProfile(profileDir, { gatewayHost });
    const texts = last.texts;
    const needles = [last.code, last.code.replace(/ /g, ''), texts.marker, texts.followUp, texts.staffReply];
    const where = findInFiles([profileDir, homeDir], needles);
    const gatewayFiles = findInFiles([profileDir, homeDir], [gatewayHost]).get(gatewayHost);
    const forGateway = (url) => url.includes(gatewayHost);
    const entry = {
      ending,
      staffReply: last.staffReplied,
      files: listFiles(profileDir).length,
      homeFiles: listFiles(homeDir).map((path) => path.slice(homeDir.length + 1)),
      cookies: found.cookies,
      formHistory: found.formHistory,
      cache: found.cache,
      history: found.places.filter((place) => forGateway(place.url)),
      visits: found.visits.filter((visit) => forGateway(visit.url)).map((visit) => ({ url: visit.url, type: VISIT_TYPES[visit.visit_type] ?? visit.visit_type })),
      origins: found.origins,
      permissions: found.permissions.filter((permission) => forGateway(permission.origin)),
      favicons: found.favicons.filter((icon) => forGateway(icon.page_url)),
      sessionStore: found.sessions,
      filesNamingTheGatewayHost: gatewayFiles,
      secretsFound: Object.fromEntries([...where].filter(([, files]) => files.length > 0)),
    };
    report[ending] = entry;

    // The controls: the same inspection finds what the neutral site left.
    assert.ok(found.cookies.some((cookie) => cookie.host === 'localhost'), 'the neutral site’s cookie is found');
    assert.ok(found.cache.some((key) => key.includes(neutralHost)), 'the neutral site’s page is found in cache2');
    assert.ok(found.formHistory.some((row) => row.value === controlText), 'the neutral site’s search text is found');

    assert.deepEqual(found.cookies.filter((cookie) => cookie.host.includes('127.0.0.1')), [], 'no cookie for the gateway');
    assert.deepEqual(found.cache.filter(forGateway), [], 'nothing from the gateway in the disk cache');
    assert.deepEqual(
      found.formHistory.filter((row) => row.value !== controlText),
      [],
      'no form history but the neutral site’s',
    );
    assert.deepEqual(entry.secretsFound, {}, 'the code and the texts are in no file of the profile');
    if (!gateway.hasInbox) entry.note = 'porten serve started no internal API: the visit had no staff reply';
  });
}
