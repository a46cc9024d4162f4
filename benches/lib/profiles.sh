#!/usr/bin/env bash
# Release-profile comparison: size, build time and page-serving cost of the gateway built with different
# [profile.release] settings, without editing Cargo.toml (cargo's CARGO_PROFILE_RELEASE_* variables).
#
#   bash benches/lib/profiles.sh [VARIANT…]      # default: fat thin off
#
# Variants: fat (the profile in Cargo.toml: lto = "fat", codegen-units = 1), thin (lto = "thin",
# codegen-units = 1), thin16 (lto = "thin", codegen-units = 16), off (lto = false, codegen-units = 16: cargo's
# own release defaults), abort (fat, with panic = "abort"). Each variant but fat builds in its own target
# directory under target/bench-profiles/ (a full release build each, the first time). All keep opt-level 3
# and strip = "symbols". Then, in one run, each binary serves the landing page over HTTPS and plain HTTP to wrk
# (server on CPU 0, wrk on CPU 1, as in run.sh) and the server's CPU time per request is taken: that figure
# holds up on a busy machine better than requests per second. BENCH_ROUNDS rounds (3), medians reported;
# BENCH_NICE=-10 puts servers and wrk ahead of other work on the machine (root). Prints a Markdown table.
#
# BENCH_FEATURES (default --no-default-features: the gateway without the onion service, which is not on the
# path of a page and would make every variant's build several times longer; set it to "" to compare the
# shipped binary with arti in it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LIB=$ROOT/benches/lib
# shellcheck source=benches/lib/common.sh
source "$LIB/common.sh"
export BENCH_PIN=${BENCH_PIN:-1}
DURATION=${BENCH_DURATION:-10}
FEATURES=${BENCH_FEATURES---no-default-features}
VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(fat thin off)

WORK=$ROOT/target/bench/profiles
rm -rf "$WORK"
mkdir -p "$WORK"
trap bench_cleanup EXIT
cd "$ROOT"

settings() { # variant → environment assignments
    case $1 in
        fat) echo "" ;;
        thin) echo "CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1" ;;
        thin16) echo "CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16" ;;
        off) echo "CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16" ;;
        abort) echo "CARGO_PROFILE_RELEASE_PANIC=abort" ;;
        *) bench_die "unknown variant $1" ;;
    esac
}

for variant in "${VARIANTS[@]}"; do
    target=$ROOT/target
    [ "$variant" = fat ] || target=$ROOT/target/bench-profiles/$variant
    bench_log "building $variant ($(settings "$variant"))"
    started=$(date +%s)
    # shellcheck disable=SC2046,SC2086
    env $(settings "$variant") cargo build --release --bin porten $FEATURES --target-dir "$target" \
        2>"$WORK/build-$variant.log" || { tail -n 20 "$WORK/build-$variant.log"; bench_die "build $variant failed"; }
    echo $(( $(date +%s) - started )) >"$WORK/build-$variant.seconds"
    cp "$target/release/porten" "$WORK/porten-$variant"
done

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -days 2 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
CLK_TCK=$(getconf CLK_TCK)

measure() { # server-pid url → "requests/s CPU-µs-per-request"
    local pid=$1 url=$2 before after out requests
    # shellcheck disable=SC2046
    $(bench_pin 1) wrk -t1 -c32 -d2s "$url" >/dev/null 2>&1 || true
    before=$(bench_cpu_ticks "$pid")
    # shellcheck disable=SC2046
    out=$($(bench_pin 1) wrk -t1 -c32 -d"${DURATION}s" -s "$LIB/wrk-report.lua" "$url" 2>/dev/null | grep '^WRK ')
    after=$(bench_cpu_ticks "$pid")
    requests=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$out")
    local duration
    duration=$(sed -n 's/.* duration_us=\([0-9]*\).*/\1/p' <<<"$out")
    awk -v r="$requests" -v d="$duration" -v t=$((after - before)) -v h="$CLK_TCK" \
        'BEGIN { if (r > 0) printf "%.0f %.1f", r / (d / 1e6), t / h / r * 1e6; else printf "n/a n/a" }'
}

# Every variant serves at once (idle ones cost nothing); ROUNDS rounds, each measuring every variant in turn,
# starting one later each round, so that a burst of other work on the machine does not land on one variant.
declare -A HTTPS_PORT HTTP_PORT PID
for variant in "${VARIANTS[@]}"; do
    HTTPS_PORT[$variant]=$(bench_free_port)
    HTTP_PORT[$variant]=$(bench_free_port)
    cat >"$WORK/$variant.toml" <<EOF
data_dir = "$WORK/data-$variant"
[https]
listen = "127.0.0.1:${HTTPS_PORT[$variant]}"
cert = "$WORK/cert.pem"
key = "$WORK/key.pem"
[http]
listen = "127.0.0.1:${HTTP_PORT[$variant]}"
EOF
    # shellcheck disable=SC2046
    $(bench_pin 0) "$WORK/porten-$variant" serve --config "$WORK/$variant.toml" 2>"$WORK/$variant.log" &
    PID[$variant]=$!
    bench_track "${PID[$variant]}"
    bench_wait_port "${HTTPS_PORT[$variant]}" 60 || bench_die "$variant did not start"
done
ROUNDS=${BENCH_ROUNDS:-3}
count=${#VARIANTS[@]}
for round in $(seq 0 $((ROUNDS - 1))); do
    for i in $(seq 0 $((count - 1))); do
        variant=${VARIANTS[$(((i + round) % count))]}
        bench_log "round $((round + 1))/$ROUNDS: $variant"
        measure "${PID[$variant]}" "https://127.0.0.1:${HTTPS_PORT[$variant]}/sv/" >>"$WORK/$variant.https"
        echo >>"$WORK/$variant.https"
        measure "${PID[$variant]}" "http://127.0.0.1:${HTTP_PORT[$variant]}/sv/" >>"$WORK/$variant.http"
        echo >>"$WORK/$variant.http"
    done
done

median() { # file column
    awk -v c="$2" '$c != "n/a" && NF { print $c }' "$1" | sort -n \
        | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }'
}
echo "Medians of $ROUNDS rounds; wrk -t1 -c32 -d${DURATION}s per measurement; features: ${FEATURES:-default}."
echo
echo "| variant | size (bytes) | build: crates compiled, seconds (busy machine) | HTTPS req/s | HTTPS CPU µs/req | HTTP req/s | HTTP CPU µs/req |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for variant in "${VARIANTS[@]}"; do
    echo "| $variant $(settings "$variant" | sed 's/CARGO_PROFILE_RELEASE_//g') | $(stat -c %s "$WORK/porten-$variant") | $(grep -c '^ *Compiling' "$WORK/build-$variant.log" || true), $(cat "$WORK/build-$variant.seconds") | $(median "$WORK/$variant.https" 1) | $(median "$WORK/$variant.https" 2) | $(median "$WORK/$variant.http" 1) | $(median "$WORK/$variant.http" 2) |"
done
