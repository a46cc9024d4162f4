#!/usr/bin/env bash
# The browser tests: real Firefox ESR (Tor Browser's Safest prefs), Chromium and WebKitGTK with JavaScript off,
# against the real gateway and porten-inbox on loopback. Installs what it needs (install.sh), builds the
# binaries, runs the visit, the back-after-exit tests, the trace inspection, the accessibility and HTML checks,
# the staff desk's day and its pages' checks, prints a summary and exits non-zero on any failure. Reports: target/browser-report/, screenshots: target/screenshots/.
#
#   bash tests/browser/run.sh
#
# Bounded in time (PORTEN_BROWSER_TIMEOUT seconds for the tests, default 2400); every process it starts is
# stopped when it ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)

bash tests/browser/install.sh

echo "== building porten and porten-inbox"
cargo build -p porten -p porten-inbox --no-default-features --bins

rm -rf target/browser-report target/screenshots
mkdir -p target/browser-report

echo "== browser tests"
cd tests/browser
limit=${PORTEN_BROWSER_TIMEOUT:-2400}
# The test runner in its own process group (it is not a group leader, so setsid does not fork: $! is the group),
# so that whatever it leaves behind can be stopped as one. Browsers stop with their test process.
setsid timeout --kill-after=20 "$limit" node --test --test-concurrency=1 --test-reporter=spec \
  visit.test.mjs webkit.test.mjs traces.test.mjs pages.test.mjs desk.test.mjs desk-pages.test.mjs &
runner=$!
stop_runner() { kill -TERM -- "-$runner" 2>/dev/null || true; }
trap stop_runner EXIT INT TERM
status=0
wait "$runner" || status=$?
[ "$status" -eq 124 ] && echo "browser tests: stopped after ${limit} s" >&2
stop_runner
trap - EXIT INT TERM

echo
node summary.mjs || true
echo "-- took $(( $(date +%s) - started )) s"
if [ "$status" -ne 0 ]; then
  echo "browser tests: FAILED (exit $status)"
fi
exit "$status"
