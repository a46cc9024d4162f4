#!/usr/bin/env bash
# Installs, idempotently, what the browser tests need, from Debian's packages and the npm registry only:
#   chromium       Chromium, driven over the DevTools protocol (no chromedriver needed)
#   firefox-esr    Firefox ESR, driven over its built-in WebDriver BiDi (no geckodriver needed)
#   sqlite3        reads the Firefox profile's databases
#   java           runs the Nu Html Checker (default-jre-headless, unless a java is already on the PATH)
#   fonts-noto-core  glyphs for Arabic, Persian, Sorani and Tigrinya (Ethiopic) in the screenshots
#   webkit2gtk-driver  WebKitWebDriver and WebKitGTK's MiniBrowser, driven over classic WebDriver (webkit.test.mjs)
#   xvfb, xauth    a virtual X display for MiniBrowser, which has no headless mode (xvfb-run)
# and puppeteer-core, axe-core and vnu-jar into tests/browser/node_modules with `npm ci` (pinned by the lock file;
# no install scripts run, and puppeteer downloads no browser). Packages already installed are not touched;
# `apt-get update` runs once, only when something is missing.
set -euo pipefail
cd "$(dirname "$0")"

want=(chromium firefox-esr sqlite3 fonts-noto-core webkit2gtk-driver xvfb xauth)
command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
command -v node >/dev/null 2>&1 || want+=(nodejs npm)

missing=()
for package in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  echo "browser tests: installing ${missing[*]}"
  # Another apt run on the machine holds the lock for a while: wait for it rather than fail.
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}"
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp.installed-from" 2>/dev/null; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp.installed-from"
fi
