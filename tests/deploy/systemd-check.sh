#!/usr/bin/env bash
# Checks the sandboxing of examples/porten.service and examples/porten-inbox.service with systemd's own analyzer
# and fails if an exposure score is above 2.0 (0 is a fully locked-down unit, 10 an unprotected one). The analysis is static (--offline):
# it reads the unit file and needs no running systemd.
#
#   bash tests/deploy/systemd-check.sh
#
# Installs systemd (for systemd-analyze) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

limit=2.0

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-check: installing systemd (for systemd-analyze)"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends systemd
fi

status=0
for unit in examples/porten.service examples/porten-inbox.service; do
  report="$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1)" || true
  echo "$report" | grep -E '^\s*✗' || true
  score="$(echo "$report" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' | tail -n 1)"
  if [ -z "$score" ]; then
    echo "$report"
    echo "systemd-check: FAILED: no exposure score for $unit in the analyzer's output" >&2
    status=1
    continue
  fi
  echo "systemd-check: exposure score of $unit: $score (limit $limit)"
  if awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s > l) }'; then
    echo "systemd-check: FAILED: $score is above $limit" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "systemd-check: ok"
exit "$status"
