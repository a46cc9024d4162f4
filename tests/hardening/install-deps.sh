#!/usr/bin/env bash
# Installs, idempotently, what the hardening suites need beyond the base test dependencies:
#   libfaketime   moves the gateway's wall clock in tests/hostile_input.rs (token expiry)
#   systemd       systemd-analyze, for the service unit's exposure score in tests/threat_model.rs
#   openssl       a stock TLS client for the old-protocol check in tests/hostile_input.rs
# tests/deploy/*.sh and fuzz/run.sh install their own tools (testssl.sh, jq, cargo-fuzz).
# Packages already installed are not touched; `apt-get update` runs once, only when something is missing.
set -euo pipefail

missing=()
for package in libfaketime systemd openssl; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
echo "hardening install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
