// Prints what the browser tests found, from target/browser-report/*.json: the visit and the exits per browser,
// what the Firefox profile holds after a visit, the axe-core and Nu Html Checker results per page, the page
// sizes per language, the staff desk's day per browser and its pages' checks. Only reads; the tests themselves
// decide pass or fail (the reports hold no password, secret, code or cookie: the tests mask them).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_DIR } from './lib/report.mjs';

function read(section) {
  const path = join(REPORT_DIR, `${section}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const pad = (text, width) => String(text).padEnd(width);

out('== browser tests: summary');
for (const kind of ['firefox', 'chromium', 'webkit']) {
  const visit = read(`visit-${kind}`);
  if (!visit) {
    out(`-- ${kind}: no results`);
    continue;
  }
  out(`-- ${kind} (${visit.version ?? '?'}), JavaScript off`);
  if (visit.visit) {
    out(`   visit: ${visit.visit.pages.join(' → ')}`);
    out(`   staff reply shown: ${visit.visit.staffReply ? 'yes' : `no${visit.visit.note ? ` (${visit.visit.note})` : ''}`}`);
  }
  for (const [page, exit] of Object.entries(visit.exits ?? {})) {
    const verdict = exit.error ? `FAILED: ${exit.error}` : `Tab, Enter → ${exit.landed}, referrer ${exit.referer ?? 'none'}`;
    out(`   exit from ${pad(page, 15)} ${verdict}`);
  }
  if (visit.control) {
    out(`   control (exit site's search field, Back): typed text found: ${visit.control.typedTextShown ? 'yes' : 'NO'}${visit.control.fromBackForwardCache ? ', from the back/forward cache' : ''}`);
  }
  // What the browser shows again after typing on a page and leaving through the exit: one line per step.
  for (const [page, back] of Object.entries(visit.back ?? {})) {
    const typedShown = back.typedTextShown ? 'YES' : back.unreadable ? 'unknown (the page could not be read)' : 'no';
    out(`   after typing ${back.typed ?? '?'} on ${page} and leaving: typed text shown: ${typedShown}${back.error ? ` — FAILED: ${back.error}` : ''}`);
    for (const step of [...(back.steps ?? []), ...(back.reopenTab?.steps ?? [])]) {
      const requests = step.requests.length
        ? step.requests
            .map((r) => `${r.method} ${r.path}${r.sentWith ? ` (${r.sentWith})` : ''} ${r.status} ${r.answer}${r.reopened ? ` REOPENED: ${r.reopened}` : ''}`)
            .join('; ')
        : 'none';
      const reasons = step.backForwardCacheNotUsed ? ` (not from the back/forward cache: ${step.backForwardCacheNotUsed.join(', ')})` : '';
      out(
        `     ${pad(step.step, 20)} shown: ${step.secretsShown.length ? `YES (${step.secretsShown.join(', ')})` : step.shows.startsWith('unreadable') ? 'unknown' : 'nothing of the visitor’s'}; ` +
          `from ${step.from}${reasons}; page: ${step.shows}; requests to the gateway: ${requests}`,
      );
    }
    if (back.unreadable) out(`     page not read further: ${back.unreadable}`);
    if (back.reopenTab && !back.reopenTab.offered) out(`     reopen closed tab:   not offered — ${back.reopenTab.tried}: ${back.reopenTab.result}`);
    const restored = visit.restoredSession?.[page];
    if (restored) {
      out(`     browser closed on the exit site, started again with its last session: ${restored.restored ? 'tab restored' : `no tab restored (${restored.note ?? restored.tabs?.join(', ') ?? ''})`}${restored.error ? ` — FAILED: ${restored.error}` : ''}`);
      for (const step of restored.steps ?? []) {
        const requests = step.requests.length ? step.requests.map((r) => `${r.method} ${r.path} ${r.status} ${r.answer}`).join('; ') : 'none';
        out(`     ${pad(step.step, 28)} shown: ${step.secretsShown.length ? `YES (${step.secretsShown.join(', ')})` : 'nothing of the visitor’s'}; from ${step.from}; page: ${step.shows}; requests to the gateway: ${requests}`);
      }
    }
  }
}

const traces = read('traces');
if (traces) {
  for (const [ending, entry] of Object.entries(traces)) {
    out(`-- Firefox profile after a whole visit ending by ${ending}${entry.staffReply ? ' (with a staff reply)' : ''}`);
    out(`   cookies:        ${entry.cookies.map((c) => `${c.host} ${c.name}`).join(', ') || 'none'}`);
    out(`   disk cache:     ${entry.cache.join(', ') || 'nothing'}`);
    out(`   form history:   ${entry.formHistory.map((f) => `${f.fieldname}=${f.value}`).join(', ') || 'nothing'}`);
    out('   history (places.sqlite), gateway pages:');
    for (const place of entry.history) {
      out(`     ${place.url}  title "${place.title ?? ''}"  visits ${place.visit_count}${place.hidden ? ' (hidden: a redirect)' : ''}`);
    }
    out(`   history origins: ${entry.origins.map((o) => `${o.prefix}${o.host}`).join(', ')}`);
    out(`   permissions naming the gateway: ${entry.permissions.map((p) => `${p.type}`).join(', ') || 'none'}`);
    out(`   favicons for gateway pages: ${entry.favicons.length}`);
    for (const store of entry.sessionStore) {
      const entries = Array.isArray(store.entries) ? store.entries.map((e) => `${e.url}${e.formdata ? ' +formdata' : ''}`) : [store.entries];
      out(`   session store ${store.file}: ${entries.join(', ') || 'no gateway page'}`);
    }
    out(`   files naming the gateway's host: ${entry.filesNamingTheGatewayHost.join(', ') || 'none'}`);
    out(`   code, messages or staff reply found in: ${Object.keys(entry.secretsFound).length ? JSON.stringify(entry.secretsFound) : 'no file'}`);
    out(`   outside the profile (HOME): ${entry.homeFiles.join(', ') || 'nothing'}`);
  }
}

const pages = read('pages');
if (pages) {
  out(`-- pages (axe-core ${pages.axeVersion}, Nu Html Checker ${pages.vnuVersion}); languages from the picker: ${pages.languages.join(', ')}`);
  out(`   ${pad('page', 24)}${pad('status', 7)}${pad('bytes', 7)}${pad('axe 320', 8)}${pad('axe 1280', 9)}${pad('vnu err', 8)}${pad('vnu warn', 9)}own checks`);
  for (const [id, page] of Object.entries(pages.pages)) {
    const axe = (width) => (page.axe ? (page.axe[width]?.length ?? '-') : '-');
    const vnu = page.vnu ?? { errors: ['-'], warnings: ['-'] };
    const errors = page.vnu ? vnu.errors.length : '-';
    const warnings = page.vnu ? vnu.warnings.length : '-';
    out(
      `   ${pad(id, 24)}${pad(page.status, 7)}${pad(page.bytes, 7)}${pad(axe(320), 8)}${pad(axe(1280), 9)}${pad(errors, 8)}${pad(warnings, 9)}` +
        `${page.problems.length ? page.problems.join('; ') : 'ok'}`,
    );
  }
  const rules = new Map();
  for (const [id, page] of Object.entries(pages.pages)) {
    for (const [width, violations] of Object.entries(page.axe ?? {})) {
      for (const v of violations) {
        const entry = rules.get(v.id) ?? { help: v.help, impact: v.impact, where: [] };
        entry.where.push(`${id}@${width}`);
        rules.set(v.id, entry);
      }
    }
  }
  for (const [rule, entry] of rules) out(`   axe ${rule} (${entry.impact}): ${entry.help} — ${entry.where.length} page views`);
  const messages = new Map();
  for (const page of Object.values(pages.pages)) {
    for (const error of page.vnu?.errors ?? []) {
      const text = error.replace(/^line \d+: /, '').replace(/ \[.*\]$/, '');
      messages.set(text, (messages.get(text) ?? 0) + 1);
    }
  }
  for (const [message, count] of messages) out(`   vnu error on ${count} pages: ${message}`);

  out('-- page sizes per language (bytes of HTML, one request per page)');
  const shown = ['landing', 'start-contact', 'contact', 'code', 'code-checked', 'return', 'thread', 'burn-confirm', 'not-found'];
  out(`   ${pad('lang', 6)}${shown.map((name) => pad(name, 14)).join('')}`);
  for (const lang of pages.languages) {
    out(`   ${pad(lang, 6)}${shown.map((name) => pad(pages.pages[`${lang}-${name}`]?.bytes ?? '-', 14)).join('')}`);
  }
  out(`-- screenshots (${pages.screenshots.length}): ${pages.screenshots.length ? pages.screenshots[0].replace(/[^/]*$/, '') : 'none'}`);
  const missing = ['sv', 'ar'].filter((lang) => !pages.languages.includes(lang));
  if (missing.length) out(`   no screenshots for ${missing.join(', ')}: not offered by the language picker yet`);
}

for (const kind of ['chromium', 'firefox']) {
  const day = read(`desk-${kind}`);
  if (!day) continue;
  const counts = ['passed', 'failed', 'not reached'].map((result) => `${day.steps.filter((step) => step.result === result).length} ${result}`);
  out(`-- staff desk, a whole day in ${kind} (${day.version ?? '?'}), ${day.lang}, JavaScript off: ${counts.join(', ')}`);
  for (const step of day.steps) {
    const detail = step.result === 'passed' ? (step.shown ? ` — ${step.shown}` : '') : step.result === 'failed' ? ` — ${step.error}` : '';
    out(`   ${pad(step.result, 12)}${step.name}${step.ms !== undefined ? ` (${(step.ms / 1000).toFixed(1)} s)` : ''}${detail}`);
  }
}

const desk = read('desk-pages');
if (desk) {
  out(`-- staff desk pages (axe-core ${desk.axeVersion}, Nu Html Checker ${desk.vnuVersion}); languages: ${desk.languages.join(', ')}`);
  out(`   ${pad('page', 30)}${pad('status', 7)}${pad('bytes', 7)}${pad('axe 320', 8)}${pad('axe 1280', 9)}${pad('vnu err', 8)}${pad('vnu warn', 9)}own checks`);
  for (const [id, page] of Object.entries(desk.pages)) {
    const axe = (width) => (page.axe ? (page.axe[width]?.length ?? '-') : '-');
    const errors = page.vnu ? page.vnu.errors.length : '-';
    const warnings = page.vnu ? page.vnu.warnings.length : '-';
    out(
      `   ${pad(id, 30)}${pad(page.status, 7)}${pad(page.bytes, 7)}${pad(axe(320), 8)}${pad(axe(1280), 9)}${pad(errors, 8)}${pad(warnings, 9)}` +
        `${page.problems.length ? page.problems.join('; ') : 'ok'}`,
    );
  }
  for (const [id, page] of Object.entries(desk.pages)) {
    for (const [width, violations] of Object.entries(page.axe ?? {})) {
      for (const v of violations) out(`   axe ${v.id} (${v.impact}) on ${id}@${width}: ${v.help}`);
    }
    for (const error of page.vnu?.errors ?? []) out(`   vnu error on ${id}: ${error}`);
  }
  out(`-- desk screenshots (${desk.screenshots.length}): ${desk.screenshots.join(', ') || 'none'}`);
}
