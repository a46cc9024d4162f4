// The two browsers, from Debian's packages, each with a fresh profile and JavaScript turned off the way a person
// would turn it off:
//   - Firefox ESR (the base of Tor Browser) with the prefs of Tor Browser's "Safest" level that matter to pages:
//     javascript.enabled=false, svg.disabled=true, gfx.downloadable_fonts.enabled=false. Driven through its
//     built-in WebDriver BiDi; no driver binary.
//   - Chromium with the profile setting "Don't allow sites to use JavaScript" (the content setting in the
//     profile's Preferences), driven through the DevTools protocol; no driver binary either.
// The driver's own script evaluation still works with page JavaScript off: that is how tests read the DOM.
// Only the gateway's development certificate is accepted: Firefox gets a certificate override for exactly
// 127.0.0.1:PORT in the profile, Chromium accepts only that certificate's public key. Neither browser may reach
// anything but loopback: Chromium's background services are switched off by flags, Firefox's by the driver's
// profile preferences; the machine has no other network anyway.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const FIREFOX = process.env.PORTEN_FIREFOX ?? '/usr/bin/firefox-esr';
export const CHROMIUM = process.env.PORTEN_CHROMIUM ?? '/usr/bin/chromium';

/** Tor Browser's "Safest" security level, as far as it concerns what a page can do. */
export const SAFEST_PREFS = {
  'javascript.enabled': false,
  'svg.disabled': true,
  'gfx.downloadable_fonts.enabled': false,
};

/**
 * Firefox's own defaults for what keeps traces, restored where the driver's profile template changes them, so the
 * profile after a visit shows what an ordinary Firefox ESR profile would hold.
 */
const ORDINARY_TRACE_PREFS = {
  'browser.sessionstore.resume_from_crash': true,
  'signon.rememberSignons': true,
  'signon.autofillForms': true,
  'browser.formfill.enable': true,
  'browser.cache.disk.enable': true,
  'places.history.enabled': true,
};

/** A new empty directory under the system's temporary directory. */
export function freshDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A launched browser with its profile directory; `close()` ends the browser process. */
class Launched {
  constructor(kind, browser, profileDir, homeDir) {
    this.kind = kind;
    this.browser = browser;
    this.profileDir = profileDir;
    this.homeDir = homeDir;
  }

  async newPage(viewport = { width: 1280, height: 900 }) {
    const page = await this.browser.newPage();
    await page.setViewport(viewport);
    page.setDefaultTimeout(30000);
    page.setDefaultNavigationTimeout(30000);
    return page;
  }

  /** Ends the browser and removes its profile, unless `keepProfile` (to read it afterwards; then the caller removes it). */
  async close({ keepProfile = false } = {}) {
    const child = this.browser.process();
    try {
      await Promise.race([this.browser.close(), new Promise((_, reject) => setTimeout(() => reject(new Error('close timed out')), 20000))]);
    } catch {
      child?.kill('SIGKILL');
    }
    if (!keepProfile) {
      for (const dir of [this.profileDir, this.homeDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Firefox ESR at the Safest prefs with a fresh profile in `profileDir` (made if missing), trusting the gateway's
 * certificate for `gatewayHost` (`127.0.0.1:PORT`) only, and each of `alsoTrust` (`[{ host, certificate }]`, the
 * staff desk's) for its own host only. With `downloadDir`, a download is saved there without asking. `HOME` and the XDG directories point into `homeDir`, so
 * that anything Firefox writes outside the profile is found there too. With `restoreSession`, Firefox starts
 * with the windows and tabs of its last session, as "Open previous windows and tabs" does.
 */
export async function launchFirefox({
  gatewayHost,
  certificate,
  alsoTrust = [],
  downloadDir = null,
  profileDir = freshDir('porten-ff-profile-'),
  homeDir = freshDir('porten-ff-home-'),
  restoreSession = false,
}) {
  mkdirSync(profileDir, { recursive: true });
  // Firefox's own file of accepted certificate exceptions: host:port, then the SHA-256 fingerprint.
  const overrides = [{ host: gatewayHost, certificate }, ...alsoTrust]
    .map((entry) => `${entry.host}:\tOID.2.16.840.1.101.3.4.2.1\t${entry.certificate.fingerprint256}\t\n`)
    .join('');
  writeFileSync(
    join(profileDir, 'cert_override.txt'),
    '# PSM Certificate Override Settings file\n# This is a generated file!  Do not edit.\n' + overrides,
  );
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profileDir,
    extraPrefsFirefox: {
      ...ORDINARY_TRACE_PREFS,
      ...SAFEST_PREFS,
      ...(restoreSession ? { 'browser.startup.page': 3, 'browser.sessionstore.resume_session_once': true } : {}),
      ...(downloadDir
        ? { 'browser.download.folderList': 2, 'browser.download.dir': downloadDir, 'browser.download.useDownloadDir': true }
        : {}),
    },
    env: {
      ...process.env,
      HOME: homeDir,
      XDG_CACHE_HOME: join(homeDir, '.cache'),
      XDG_CONFIG_HOME: join(homeDir, '.config'),
      XDG_DATA_HOME: join(homeDir, '.local', 'share'),
      MOZ_CRASHREPORTER_DISABLE: '1',
    },
    protocolTimeout: 60000,
  });
  return new Launched('firefox', browser, profileDir, homeDir);
}

/**
 * Chromium with JavaScript off in its fresh profile, trusting only the gateway certificate's public key (and
 * those of `alsoTrust`'s certificates, the staff desk's). With
 * `javascript: true` it is the separate browser the accessibility checker runs in (see axe.mjs). With
 * `restoreSession`, the profile in `profileDir` is used again as it is and Chromium starts with the tabs of its
 * last session (`--restore-last-session`, as "Continue where you left off" does).
 */
export async function launchChromium({
  certificate,
  alsoTrust = [],
  javascript = false,
  profileDir = freshDir('porten-chromium-profile-'),
  restoreSession = false,
}) {
  mkdirSync(join(profileDir, 'Default'), { recursive: true });
  if (!javascript && !restoreSession) {
    // The setting behind chrome://settings/content/javascript, "Don't allow sites to use JavaScript".
    writeFileSync(
      join(profileDir, 'Default', 'Preferences'),
      JSON.stringify({ profile: { default_content_setting_values: { javascript: 2 } } }),
    );
  }
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-domain-reliability',
    '--disable-breakpad',
    '--metrics-recording-only',
    '--password-store=basic',
    '--use-mock-keychain',
    '--font-render-hinting=none',
  ];
  const keys = [certificate, ...alsoTrust.map((entry) => entry.certificate)].filter(Boolean);
  if (keys.length) args.push(`--ignore-certificate-errors-spki-list=${keys.map((c) => c.spkiSha256Base64).join(',')}`);
  if (restoreSession) args.push('--restore-last-session');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profileDir,
    args,
    protocolTimeout: 60000,
  });
  return new Launched('chromium', browser, profileDir, null);
}

/**
 * Launches `kind` ('firefox' or 'chromium') for `gateway` with JavaScript off, trusting the staff desk's
 * certificate too when the gateway's inbox serves one (`gateway.deskOrigin`).
 */
export function launch(kind, gateway, options = {}) {
  const host = new URL(gateway.origin).host;
  const alsoTrust = gateway.deskOrigin ? [{ host: new URL(gateway.deskOrigin).host, certificate: gateway.deskCertificate }] : [];
  return kind === 'firefox'
    ? launchFirefox({ gatewayHost: host, certificate: gateway.certificate, alsoTrust, ...options })
    : launchChromium({ certificate: gateway.certificate, alsoTrust, ...options });
}
