// WebKitGTK from Debian's packages (`webkit2gtk-driver`): WebKitWebDriver, spoken to over the classic WebDriver
// HTTP protocol with plain fetch calls, driving WebKitGTK's MiniBrowser. MiniBrowser has no headless mode, so
// the driver runs inside `xvfb-run` (a virtual X display). Page JavaScript is off the way MiniBrowser exposes
// WebKit's setting (`--enable-javascript=false`); the driver reads the page with its own commands (page source,
// a field's value property), which do not run page script. The gateway's development certificate is accepted
// through `acceptInsecureCerts`: classic WebDriver offers no way to trust one certificate only.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { waitFor } from './gateway.mjs';

export const WEBKIT_DRIVER = process.env.PORTEN_WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.PORTEN_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const XVFB_RUN = '/usr/bin/xvfb-run';

/** Why WebKit cannot run here, or `null` when the driver, the browser and a virtual display are installed. */
export function webkitMissing() {
  for (const path of [WEBKIT_DRIVER, MINIBROWSER, XVFB_RUN]) if (!existsSync(path)) return `${path} is not installed`;
  return null;
}

/** A free TCP port on loopback (closed again at once, for the driver to take). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The key WebDriver gives a web element in its JSON. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** A WebKitWebDriver process with one session. */
export class WebKit {
  /**
   * Starts the driver under xvfb-run and opens a session with page JavaScript off. With `pageLoadStrategy`
   * `none` the driver's commands do not wait for a navigation that never ends (clicks then wait for their
   * element, and callers wait for the page they expect).
   */
  static async start({ pageLoadStrategy = 'normal' } = {}) {
    const port = await freePort();
    const child = spawn(XVFB_RUN, ['-a', WEBKIT_DRIVER, `--port=${port}`, '--host=127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const lines = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        lines.push(...chunk.split('\n').filter(Boolean));
        if (lines.length > 100) lines.splice(0, lines.length - 100);
      });
    }
    const webkit = new WebKit(child, `http://127.0.0.1:${port}`, lines);
    try {
      await waitFor(
        () => fetch(`${webkit.base}/status`).then((r) => r.ok, () => false),
        `WebKitWebDriver on port ${port}\n${lines.join('\n')}`,
        30000,
        200,
      );
      const created = await webkit.command('POST', '/session', {
        capabilities: {
          alwaysMatch: {
            acceptInsecureCerts: true,
            pageLoadStrategy,
            'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', '--enable-javascript=false'] },
          },
        },
      });
      webkit.session = created.sessionId;
      webkit.capabilities = created.capabilities;
    } catch (error) {
      await webkit.stop();
      throw new Error(`${error.message}\n${lines.join('\n')}`);
    }
    return webkit;
  }

  constructor(child, base, lines) {
    this.child = child;
    this.base = base;
    this.lines = lines;
    this.session = null;
  }

  /** The browser's name and version, as the session reports them. */
  get version() {
    return `${this.capabilities?.browserName ?? 'WebKitGTK'} ${this.capabilities?.browserVersion ?? '?'}`;
  }

  /** Sends one WebDriver command; its `value`, or an error carrying WebDriver's error and message. */
  async command(method, path, body, timeoutMs = 60000) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(`WebDriver ${method} ${path}: ${json.value?.error ?? response.status}: ${json.value?.message ?? ''}`);
      error.webdriver = json.value?.error;
      throw error;
    }
    return json.value;
  }

  /** A command within the session. */
  session_(method, path, body, timeoutMs) {
    return this.command(method, `/session/${this.session}${path}`, body, timeoutMs);
  }

  goto(url) {
    return this.session_('POST', '/url', { url });
  }

  back(timeoutMs) {
    return this.session_('POST', '/back', {}, timeoutMs);
  }

  forward(timeoutMs) {
    return this.session_('POST', '/forward', {}, timeoutMs);
  }

  refresh(timeoutMs) {
    return this.session_('POST', '/refresh', {}, timeoutMs);
  }

  /** The text of an open dialog, or `null` when none is open. */
  alertText() {
    return this.session_('GET', '/alert/text', undefined, 5000).catch(() => null);
  }

  /** Accepts an open dialog. */
  acceptAlert() {
    return this.session_('POST', '/alert/accept', {}, 5000);
  }

  url() {
    return this.session_('GET', '/url');
  }

  title() {
    return this.session_('GET', '/title');
  }

  /** The document as the browser holds it now, serialised by the driver. */
  source() {
    return this.session_('GET', '/source');
  }

  async find(selector) {
    const found = await this.session_('POST', '/element', { using: 'css selector', value: selector });
    return found[ELEMENT];
  }

  async findAll(selector) {
    const found = await this.session_('POST', '/elements', { using: 'css selector', value: selector });
    return found.map((element) => element[ELEMENT]);
  }

  /** Clicks the element, once it is there. */
  async click(selector) {
    const element = await this.waitFor(selector);
    await this.session_('POST', `/element/${element}/click`, {});
  }

  /** Waits until an element matches `selector` (after a click whose navigation the driver did not wait for). */
  async waitFor(selector, timeoutMs = 15000) {
    return waitFor(() => this.find(selector).catch(() => null), `an element ${selector}`, timeoutMs, 200);
  }

  /**
   * Waits until the document in front has loaded. Without it a click could start the next navigation while the
   * page is still loading, and WebKit then replaces that page's history entry instead of adding one.
   */
  async settle(timeoutMs = 15000) {
    await waitFor(
      () => this.execute('return document.readyState;').then((state) => state === 'complete', () => false),
      'the page to finish loading',
      timeoutMs,
      200,
    );
  }

  /** Empties the field and types `text` into it. */
  async type(selector, text) {
    const element = await this.waitFor(selector);
    await this.session_('POST', `/element/${element}/clear`, {});
    await this.session_('POST', `/element/${element}/value`, { text });
  }

  /** The current values of every text field and text area. */
  async fieldValues() {
    const values = [];
    for (const element of await this.findAll('input:not([type="hidden"]):not([type="radio"]):not([type="checkbox"]), textarea')) {
      values.push(String((await this.session_('GET', `/element/${element}/property/value`)) ?? ''));
    }
    return values;
  }

  /** Runs `script` through the driver (it works only where WebKit lets the driver run script). */
  execute(script, args = []) {
    return this.session_('POST', '/execute/sync', { script, args });
  }

  /** Ends the session and stops the driver, its browser and the virtual display. */
  async stop() {
    if (this.session) await this.command('DELETE', `/session/${this.session}`, undefined, 5000).catch(() => {});
    this.session = null;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      // xvfb-run, the driver and its browser are one process group, started here.
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-this.child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          resolve();
        }, 5000);
        this.child.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
