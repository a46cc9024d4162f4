// axe-core over pages captured with JavaScript off.
//
// axe-core is a script: it has to run inside the page, and it schedules its work with timers, which do not fire
// in a page whose JavaScript is off (the driver can still evaluate an expression there, but axe.run() never
// finishes). So every page is checked in a second, separate Chromium with JavaScript on: a small loopback server
// replays the exact bytes and headers (Content-Security-Policy included) the gateway sent to the JavaScript-off
// browser, and axe-core's source is injected through the driver (driver-injected code is not subject to the
// page's CSP; the page itself still runs nothing). The pages carry no <script> and no <noscript> (checked in
// checks.mjs), so the document renders the same with JavaScript on or off.

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchChromium } from './browsers.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version;

/** Headers of a captured page that are replayed (not the transport's own, such as HSTS or the length). */
const REPLAYED_HEADERS = [
  'content-type',
  'content-security-policy',
  'referrer-policy',
  'x-content-type-options',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
];

/** A captured page: what the gateway answered for one page of a visit. */
export class Capture {
  constructor({ lang, name, status, headers, body }) {
    Object.assign(this, { lang, name, status, headers, body });
  }

  get id() {
    return `${this.lang}-${this.name}`;
  }
}

export class AxeRunner {
  static async start() {
    const runner = new AxeRunner();
    await new Promise((resolve) => runner.server.listen(0, '127.0.0.1', resolve));
    runner.origin = `http://127.0.0.1:${runner.server.address().port}`;
    runner.browser = await launchChromium({ javascript: true });
    runner.page = await runner.browser.newPage();
    return runner;
  }

  constructor() {
    this.pages = new Map();
    this.server = createServer((request, response) => {
      const capture = this.pages.get(decodeURIComponent(request.url.slice(1)));
      if (!capture) {
        response.writeHead(404);
        response.end();
        return;
      }
      const headers = {};
      for (const name of REPLAYED_HEADERS) if (capture.headers[name]) headers[name] = capture.headers[name];
      response.writeHead(capture.status, headers);
      response.end(capture.body);
    });
  }

  /**
   * Runs axe-core (every rule it has, apart from experimental ones) on `capture` at each of `widths`. Returns one
   * result per width: `{ width, violations: [{ id, impact, help, nodes: [selector…] }] }`.
   */
  async check(capture, widths) {
    this.pages.set(capture.id, capture);
    const results = [];
    // One load per page: the pages run nothing, so a page resized lays out as one loaded at that width.
    await this.page.setViewport({ width: widths[0], height: 900 });
    await this.page.goto(`${this.origin}/${encodeURIComponent(capture.id)}`, { waitUntil: 'load' });
    await this.page.evaluate(AXE_SOURCE);
    for (const width of widths) {
      await this.page.setViewport({ width, height: 900 });
      const violations = await this.page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`),
        }));
      });
      results.push({ width, violations });
    }
    this.pages.delete(capture.id);
    return results;
  }

  async stop() {
    await this.browser?.close();
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
