// Where the suite writes what a person reviews: one JSON file per test file in target/browser-report/ (read by
// summary.mjs for the printed summary), the pages' HTML as checked, and screenshots in target/screenshots/. All
// under the workspace's target directory, which git ignores: nothing binary is committed.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_DIR } from './gateway.mjs';

export const REPORT_DIR = join(TARGET_DIR, 'browser-report');
export const HTML_DIR = join(REPORT_DIR, 'html');
export const SCREENSHOT_DIR = join(TARGET_DIR, 'screenshots');

/** Writes `data` as `target/browser-report/<section>.json`. */
export function writeReport(section, data) {
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, `${section}.json`), `${JSON.stringify(data, null, 2)}\n`);
}

/** Saves a page's HTML as sent by the gateway; returns the file's path. */
export function saveHtml(id, body) {
  mkdirSync(HTML_DIR, { recursive: true });
  const path = join(HTML_DIR, `${id}.html`);
  writeFileSync(path, body);
  return path;
}

/** The path for a screenshot (the directory is made). */
export function screenshotPath(name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}
