#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests, then the slow suites that are switched on.
#
#   bash tests/run-all.sh                      fast suite (a few minutes)
#   PORTEN_TOR=1 bash tests/run-all.sh         also the onion service on a local Tor network
#
# Everything it needs is installed by tests/install-deps.sh. Servers bind to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install-deps.sh base
[ "${PORTEN_TOR:-0}" = 1 ] && bash tests/install-deps.sh tor

echo "== formatting"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets --no-default-features -- -D warnings

echo "== unit and integration tests"
cargo test --workspace --no-default-features

if [ "${PORTEN_TOR:-0}" = 1 ]; then
  echo "== onion service on a local Tor network"
  bash tests/tor-network/e2e.sh
fi
