#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each and prints how many inputs each one executed.
#
#   bash fuzz/run.sh 30       the CI run: 30 seconds per target (plus the first build, several minutes)
#   bash fuzz/run.sh 3600     the long run: an hour per target, before a release or after a parser changes
#
# Installs cargo-fuzz with `cargo install` when it is missing (once; later runs find it). Runs on the stable
# toolchain: with `--sanitizer none` cargo-fuzz passes only stable compiler flags (coverage instrumentation
# for libFuzzer); the targets assert their own invariants, and the code under test forbids unsafe code, so
# AddressSanitizer (nightly only) would add little. Corpora grow in fuzz/corpus/TARGET between runs; a crash
# is saved in fuzz/artifacts/TARGET/ and stops the script with a non-zero status.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-30}"
case "$seconds" in
  ''|*[!0-9]*) echo "usage: fuzz/run.sh SECONDS" >&2; exit 2 ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

echo "fuzz: building the targets"
cargo fuzz build --sanitizer none

summary=()
status=0
for target in $(cargo fuzz list); do
  log="$(mktemp)"
  echo "fuzz: $target for ${seconds}s"
  if cargo fuzz run --sanitizer none "$target" -- -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    runs="$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)"
    summary+=("$(printf '%-20s %12s executions in %ss (%s/s)' "$target" "${runs:-?}" "$seconds" "$(( ${runs:-0} / (seconds > 0 ? seconds : 1) ))")")
  else
    status=1
    summary+=("$(printf '%-20s FAILED: see below' "$target")")
    tail -n 60 "$log"
  fi
  rm -f "$log"
done

echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit "$status"
