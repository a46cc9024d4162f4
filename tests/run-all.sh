#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests, then the slow suites that are switched on.
#
#   bash tests/run-all.sh                   the fast suite: fmt, clippy, unit and integration tests, crash safety
#   PORTEN_TOR=1       ...                  + the onion service on a local Tor network (tests/tor-network/e2e.sh)
#   PORTEN_BROWSERS=1  ...                  + Firefox ESR and Chromium with JavaScript off, axe-core, Nu Html Checker
#   PORTEN_FUZZ=SECS   ...                  + every fuzz target for SECS seconds (fuzz/run.sh)
#   PORTEN_DEPLOY=1    ...                  + systemd exposure score and testssl.sh against the HTTPS listener
#   PORTEN_ALL=1       ...                  all of the above (fuzzing 30 s per target)
#
# Everything a suite needs is installed by its own script, idempotently. Servers bind to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${PORTEN_ALL:-0}" = 1 ]; then
  : "${PORTEN_TOR:=1}" "${PORTEN_BROWSERS:=1}" "${PORTEN_FUZZ:=30}" "${PORTEN_DEPLOY:=1}"
fi
started=$(date +%s)
stage() { printf '\n== %s (at %ss)\n' "$1" "$(( $(date +%s) - started ))"; }

bash tests/install-deps.sh base
bash tests/hardening/install-deps.sh

stage "formatting"
cargo fmt --all -- --check

stage "lints"
cargo clippy --workspace --all-targets --no-default-features -- -D warnings

stage "unit and integration tests"
cargo test --workspace --no-default-features

if [ "${PORTEN_TOR:-0}" = 1 ]; then
  stage "onion service on a local Tor network"
  bash tests/tor-network/e2e.sh
fi
if [ "${PORTEN_BROWSERS:-0}" = 1 ]; then
  stage "real browsers with JavaScript off"
  bash tests/browser/run.sh
fi
if [ "${PORTEN_FUZZ:-0}" != 0 ]; then
  stage "fuzzing, ${PORTEN_FUZZ} s per target"
  bash fuzz/run.sh "${PORTEN_FUZZ}"
fi
if [ "${PORTEN_DEPLOY:-0}" = 1 ]; then
  stage "deployment hardening"
  bash tests/deploy/systemd-check.sh
  bash tests/deploy/testssl-check.sh
fi
stage "done"
