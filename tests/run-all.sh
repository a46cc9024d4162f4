#!/usr/bin/env bash
# The whole test suite: formatting, lints, the trust boundary, unit and integration tests, then the slow suites
# that are switched on. Ends with one line, `N passed, N failed, N skipped`, summed over every suite that ran;
# exits non-zero if anything failed.
#
#   bash tests/run-all.sh                   the fast suite: fmt, clippy, trust boundary, unit and integration tests
#   PORTEN_TOR=1       ...                  + clippy with every feature (builds arti) and the onion service on a
#                                             local Tor network (tests/tor-network/e2e.sh)
#   PORTEN_BROWSERS=1  ...                  + Firefox ESR and Chromium with JavaScript off, axe-core, Nu Html Checker
#   PORTEN_FUZZ=SECS   ...                  + every fuzz target for SECS seconds (fuzz/run.sh)
#   PORTEN_DEPLOY=1    ...                  + systemd exposure score and testssl.sh against the HTTPS listener
#   PORTEN_ALL=1       ...                  all of the above (fuzzing 30 s per target)
#
# How each suite counts: a cargo test run by its "test result:" lines (ignored tests are skipped); the browser
# tests by the node test runner's totals; fuzzing by target; formatting, each lint run, the trust-boundary
# check, the Tor run and each deployment check as one check each.
#
# Everything a suite needs is installed by its own script, idempotently. Servers bind to 127.0.0.1 only.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${PORTEN_ALL:-0}" = 1 ]; then
  : "${PORTEN_TOR:=1}" "${PORTEN_BROWSERS:=1}" "${PORTEN_FUZZ:=30}" "${PORTEN_DEPLOY:=1}"
fi
started=$(date +%s)
stage() { printf '\n== %s (at %ss)\n' "$1" "$(( $(date +%s) - started ))"; }
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

passed=0 failed=0 skipped=0
failures=()

# check NAME COMMAND...: runs a command that is one check.
check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

# cargo_tests NAME ARGS...: runs `cargo test ARGS` and adds up its "test result:" lines. A run that fails
# without any result (it did not compile) counts as one failure.
cargo_tests() {
  local name=$1 log="$logs/$1.log" status=0
  shift
  cargo test "$@" 2>&1 | tee "$log" || status=$?
  local counts
  counts=$(awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "%d %d %d", p, f, i }' "$log")
  read -r p f i <<<"$counts"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + i))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    failed=$((failed + 1))
  fi
  [ "$status" -eq 0 ] || failures+=("$name")
}

# The gateway's build must not contain the code that opens an envelope: neither the internal side's crate in
# its dependency tree, nor age's decryptor in its binary (age itself is there, for sealing).
trust_boundary() {
  local tree
  tree=$(cargo tree -p porten -e normal --no-default-features --prefix none) || return 1
  if grep -q '^porten-inbox ' <<<"$tree"; then
    echo "trust boundary: the gateway depends on porten-inbox" >&2
    return 1
  fi
  local binary
  binary=$(cargo build -p porten --no-default-features --bin porten --message-format=json |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
  [ -x "$binary" ] || return 1
  if nm -C "$binary" | grep -q -e 'age::protocol::Decryptor' -e 'unwrap_stanza'; then
    echo "trust boundary: the gateway binary contains age's decryptor" >&2
    return 1
  fi
  echo "trust boundary: porten depends on porten-protocol (seals only), not on porten-inbox; no decryptor linked"
}

bash tests/install-deps.sh base || exit 1
bash tests/hardening/install-deps.sh || exit 1

stage "formatting"
check "cargo fmt --check" cargo fmt --all -- --check

stage "lints"
check "clippy (no default features)" cargo clippy --workspace --all-targets --no-default-features -- -D warnings

stage "trust boundary"
check "trust boundary" trust_boundary

stage "unit and integration tests"
cargo_tests "cargo test" --workspace --no-default-features --no-fail-fast

if [ "${PORTEN_TOR:-0}" = 1 ]; then
  stage "lints with every feature (builds arti)"
  check "clippy (all features)" cargo clippy --workspace --all-targets --all-features -- -D warnings
  stage "onion service on a local Tor network"
  check "tor e2e" bash tests/tor-network/e2e.sh
fi
if [ "${PORTEN_BROWSERS:-0}" = 1 ]; then
  stage "real browsers with JavaScript off"
  status=0
  bash tests/browser/run.sh 2>&1 | tee "$logs/browsers.log" || status=$?
  # The node test runner's own totals (spec reporter: "ℹ pass N", "ℹ fail N", "ℹ skipped N").
  p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$logs/browsers.log" | tail -n 1)
  f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$logs/browsers.log" | tail -n 1)
  s=$(sed -n 's/^ℹ skipped \([0-9]*\)$/\1/p' "$logs/browsers.log" | tail -n 1)
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${s:-0}))
  if [ "$status" -ne 0 ]; then
    [ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
    failures+=("browser tests")
  fi
fi
if [ "${PORTEN_FUZZ:-0}" != 0 ]; then
  stage "fuzzing, ${PORTEN_FUZZ} s per target"
  status=0
  bash fuzz/run.sh "${PORTEN_FUZZ}" 2>&1 | tee "$logs/fuzz.log" || status=$?
  # One line per target after "== fuzz summary": "NAME N executions ..." or "NAME FAILED: ...".
  p=$(sed -n '/^== fuzz summary/,$p' "$logs/fuzz.log" | grep -c ' executions in ')
  f=$(sed -n '/^== fuzz summary/,$p' "$logs/fuzz.log" | grep -c ' FAILED')
  passed=$((passed + p)) failed=$((failed + f))
  if [ "$status" -ne 0 ]; then
    [ "$f" -gt 0 ] || failed=$((failed + 1))
    failures+=("fuzzing")
  fi
fi
if [ "${PORTEN_DEPLOY:-0}" = 1 ]; then
  stage "deployment hardening"
  check "systemd exposure" bash tests/deploy/systemd-check.sh
  check "testssl" bash tests/deploy/testssl-check.sh
fi
stage "done"
if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
