#!/usr/bin/env bash
# Installs, idempotently, the Debian packages the test suites need. Each suite asks for what it uses:
#   tests/install-deps.sh base       age (the standard age tool opens the gateway's envelopes), binutils (nm)
#   tests/install-deps.sh tor        tor (the local Tor network)
#   tests/install-deps.sh bench      wrk, nginx
# Packages already installed are not touched; `apt-get update` runs once, only when something is missing.
set -euo pipefail

want=()
for suite in "$@"; do
  case "$suite" in
    base) want+=(age binutils) ;;
    tor) want+=(tor curl) ;;
    bench) want+=(wrk nginx-light) ;;
    *) echo "install-deps: unknown suite '$suite'" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
else
  sudo_cmd=()
fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
